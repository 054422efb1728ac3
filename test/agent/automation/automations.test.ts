// What each ImageUpdateAutomation in a repository decides, end to end against the local
// Git server and registry (Flux's ImageUpdateAutomation v1): `spec.suspend` (of the
// automation, and of an ImagePolicy), the branch it checks out and pushes to, its own
// source, update path, policies (its namespace, `policySelector`), author and commit,
// commit signing with the OpenPGP or SSH key of `signingKey`, push.refspec and push.options,
// and what is refused rather than ignored (a forced refspec, by Flux's schema).
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { gitEnv, TestRepo } from "../../helpers/git-repo.ts";
import { kubectl, kubectlRun } from "../../helpers/kubectl.ts";
import { pushImage } from "../../helpers/registry.ts";
import { mustRun, run } from "../../helpers/run.ts";
import { testenv } from "../../helpers/testenv.ts";
import { tether } from "../../helpers/tether.ts";

const id = randomBytes(3).toString("hex");
let image: string;
const repos: TestRepo[] = [];

before(async () => {
  image = `${testenv().registry}/automations-${id}`;
  for (const tag of ["1.0.0", "1.1.0"])
    await pushImage(testenv().registry, `automations-${id}`, { tags: [tag], index: false });
});
after(() => {
  for (const repo of repos) repo.cleanup();
});

async function newRepo(files: Record<string, string>): Promise<TestRepo> {
  const repo = await TestRepo.create("automations");
  repos.push(repo);
  for (const [path, text] of Object.entries(files)) repo.write(path, text);
  await repo.push("fleet");
  return repo;
}

const imageRepository = (ns: string) =>
  `apiVersion: image.toolkit.fluxcd.io/v1\nkind: ImageRepository\nmetadata: {name: web, namespace: ${ns}}\nspec: {interval: 1m, image: ${image}}\n`;
const imagePolicy = (ns: string, name: string, more: { labels?: string; spec?: string } = {}) =>
  `apiVersion: image.toolkit.fluxcd.io/v1\nkind: ImagePolicy\nmetadata: {name: ${name}, namespace: ${ns}${more.labels ? `, labels: ${more.labels}` : ""}}\nspec:\n  imageRepositoryRef: {name: web}\n  policy: {semver: {range: "1.x"}}\n${more.spec ?? ""}`;
/**
 * An ImageUpdateAutomation (of namespace apps unless `ns`): `commit` adds lines under
 * spec.git.commit, `git` under spec.git, `spec` under spec.
 */
const automation = (
  name: string,
  o: {
    ns?: string;
    source?: string;
    path?: string;
    author?: string;
    commit?: string;
    git?: string;
    spec?: string;
  } = {},
) =>
  `apiVersion: image.toolkit.fluxcd.io/v1\nkind: ImageUpdateAutomation\nmetadata: {name: ${name}, namespace: ${o.ns ?? "apps"}}\nspec:\n  interval: 1m\n  sourceRef: {kind: GitRepository, name: ${o.source ?? "fleet"}}\n  git:\n    commit:\n      author: {name: ${o.author ?? "Image Bot"}, email: bot@edge.example}\n${o.commit ?? ""}${o.git ?? ""}  update: {path: ${o.path ?? "./apps"}}\n${o.spec ?? ""}`;
const gitRepository = (name: string, url: string) =>
  `apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata: {name: ${name}, namespace: apps}\nspec:\n  interval: 1m\n  url: ${url}\n  ref: {branch: main}\n`;
const marked = (policy: string, tag = "1.0.0") =>
  `image: ${image}:${tag} # {"$imagepolicy": "${policy}"}\n`;

const head = async (repo: TestRepo, branch: string) =>
  (await mustRun("git", ["ls-remote", repo.url, `refs/heads/${branch}`])).split("\t")[0] ?? "";
const git = (repo: TestRepo, args: string[], env: NodeJS.ProcessEnv = gitEnv) =>
  mustRun("git", args, { cwd: repo.work, env });
async function fileOn(repo: TestRepo, branch: string, path: string): Promise<string> {
  await git(repo, ["fetch", "-q", repo.url, `+${branch}:refs/remotes/o/${branch}`]);
  return git(repo, ["show", `refs/remotes/o/${branch}:${path}`]);
}
const update = (repo: TestRepo, exit: number) =>
  tether(["images", "update", "--git-url", repo.url, "--push"], { exit });

describe("spec.suspend", () => {
  test("a suspended ImageUpdateAutomation does nothing, and says so", async () => {
    const repo = await newRepo({
      "images.yaml": [
        imageRepository("apps"),
        imagePolicy("apps", "web"),
        automation("web", {
          git: "    checkout: {ref: {branch: staging}}\n",
          spec: "  suspend: true\n",
        }),
      ].join("---\n"),
      "apps/web.yaml": marked("apps:web"),
    });
    await git(repo, ["push", "-q", repo.url, "main:staging"]);
    const [main, staging] = [await head(repo, "main"), await head(repo, "staging")];
    const result = await update(repo, 0);
    assert.match(
      result.stdout,
      /ImageUpdateAutomation apps\/web is suspended \(spec\.suspend\); nothing done/,
    );
    assert.doesNotMatch(result.stdout, /->|pushed/);
    assert.match(result.stderr, /registry requests: 0/);
    assert.equal(await head(repo, "main"), main);
    assert.equal(await head(repo, "staging"), staging);
  });

  test("a suspended ImagePolicy keeps the image it selected last: its markers stay as they are", async () => {
    const repo = await newRepo({
      "images.yaml": [
        imageRepository("apps"),
        imagePolicy("apps", "web", { spec: "  suspend: true\n" }),
        imagePolicy("apps", "api"),
        automation("fleet", { git: "    checkout: {ref: {branch: main}}\n" }),
      ].join("---\n"),
      "apps/web.yaml": marked("apps:web"),
      "apps/api.yaml": marked("apps:api"),
    });
    const result = await update(repo, 0);
    assert.match(
      result.stdout,
      /ImagePolicy apps:web is suspended \(spec\.suspend\); its markers are left as they are/,
    );
    assert.match(result.stdout, /apps\/api\.yaml: \S+:1\.0\.0 -> \S+:1\.1\.0/);
    // Not a marker naming an unknown policy: no warning for it.
    assert.doesNotMatch(result.stderr, /apps:web/);
    assert.equal(await fileOn(repo, "main", "apps/web.yaml"), marked("apps:web"));
    assert.equal(await fileOn(repo, "main", "apps/api.yaml"), marked("apps:api", "1.1.0"));
  });
});

describe("spec.git.checkout and push", () => {
  test("checkout.ref.branch staging, no push branch: the commit goes to staging, main is untouched", async () => {
    const repo = await newRepo({
      "images.yaml": [
        imageRepository("apps"),
        imagePolicy("apps", "web"),
        automation("staging", { git: "    checkout: {ref: {branch: staging}}\n" }),
      ].join("---\n"),
      "apps/web.yaml": marked("apps:web"),
    });
    await git(repo, ["push", "-q", repo.url, "main:staging"]);
    const [main, staging] = [await head(repo, "main"), await head(repo, "staging")];
    const result = await update(repo, 0);
    assert.match(result.stdout, /^pushed [0-9a-f]{12} to staging$/m);
    assert.equal(await head(repo, "main"), main, "main (production) is untouched");
    assert.equal(await fileOn(repo, "staging", "apps/web.yaml"), marked("apps:web", "1.1.0"));
    assert.equal((await git(repo, ["rev-parse", "refs/remotes/o/staging^"])).trim(), staging);
  });

  test("checkout.ref.tag with push.branch: built on the tag, pushed to the push branch", async () => {
    const repo = await newRepo({
      "images.yaml": [
        imageRepository("apps"),
        imagePolicy("apps", "web"),
        automation("release", {
          git: "    checkout: {ref: {tag: v1}}\n    push: {branch: release-images}\n",
        }),
      ].join("---\n"),
      "apps/web.yaml": marked("apps:web"),
    });
    await git(repo, ["tag", "v1"]);
    await git(repo, ["push", "-q", repo.url, "refs/tags/v1"]);
    const tagged = await head(repo, "main");
    repo.write("README.md", "after the tag\n");
    await repo.push("main moves on");
    const result = await update(repo, 0);
    assert.match(result.stdout, /pushed [0-9a-f]{12} to release-images/);
    assert.equal(
      await fileOn(repo, "release-images", "apps/web.yaml"),
      marked("apps:web", "1.1.0"),
    );
    assert.equal((await git(repo, ["rev-parse", "refs/remotes/o/release-images^"])).trim(), tagged);
  });

  test("push.refspec and push.options: the commit goes to the push branch, then with the refspec", async () => {
    const repo = await newRepo({
      "images.yaml": [
        imageRepository("apps"),
        imagePolicy("apps", "web"),
        // This server takes no push options: left out, as go-git leaves them out.
        automation("refspec", {
          git: "    checkout: {ref: {branch: main}}\n    push: {refspec: 'refs/heads/main:refs/heads/auto', options: {ci.skip: ''}}\n",
        }),
      ].join("---\n"),
      "apps/web.yaml": marked("apps:web"),
    });
    const result = await update(repo, 0);
    const main = await head(repo, "main");
    assert.match(result.stdout, /and with refspec refs\/heads\/main:refs\/heads\/auto/);
    assert.equal(await fileOn(repo, "main", "apps/web.yaml"), marked("apps:web", "1.1.0"));
    assert.equal(await head(repo, "auto"), main, result.stdout + result.stderr);
  });

  test("refspecs that force, delete or pass for an option, a tag without a push branch: nothing pushed", async () => {
    const repo = await newRepo({
      "images.yaml": [
        imageRepository("apps"),
        imagePolicy("apps", "web"),
        automation("forced", {
          git: "    checkout: {ref: {branch: main}}\n    push: {refspec: '+refs/heads/main:refs/heads/auto'}\n",
        }),
        automation("mirror", {
          git: "    checkout: {ref: {branch: main}}\n    push: {refspec: '--mirror'}\n",
        }),
        automation("tag", { git: "    checkout: {ref: {tag: v1}}\n" }),
      ].join("---\n"),
      "apps/web.yaml": marked("apps:web"),
    });
    const main = await head(repo, "main");
    const result = await update(repo, 1);
    assert.match(
      result.stderr,
      /error: images\.yaml:\d+: ImageUpdateAutomation forced: spec\.git\.push\.refspec: .*does not match/,
    );
    assert.match(
      result.stderr,
      /error: ImageUpdateAutomation apps\/mirror: spec\.git\.push\.refspec "--mirror" is not a refspec/,
    );
    assert.match(
      result.stderr,
      /error: ImageUpdateAutomation apps\/tag: .*spec\.git\.push\.branch/,
    );
    assert.equal(await head(repo, "main"), main);
    assert.equal(await head(repo, "auto"), "");
  });
});

describe("several automations", () => {
  test("each runs on its own source, path and policies, with its own author and commit", async () => {
    const repo = await TestRepo.create("automations");
    repos.push(repo);
    const files: Record<string, string> = {
      "sources.yaml": [
        gitRepository("fleet", repo.plainUrl),
        gitRepository("app-source", `${testenv().gitUrl}/app-${id}.git`),
      ].join("---\n"),
      "images.yaml": [
        imageRepository("apps"),
        imagePolicy("apps", "web", { labels: "{tier: frontend}" }),
        imagePolicy("apps", "api", { labels: "{tier: backend}" }),
        imageRepository("other"),
        imagePolicy("other", "web"),
      ].join("---\n"),
      // Sorts first: an automation of another repository (its own update path).
      "a-app.yaml": automation("app-repo", { source: "app-source", path: "./deploy" }),
      "b-front.yaml": automation("frontend", {
        author: "Front Bot",
        git: "    checkout: {ref: {branch: main}}\n",
        spec: "  policySelector: {matchLabels: {tier: frontend}}\n",
      }),
      "c-back.yaml": automation("backend", {
        author: "Back Bot",
        spec: "  policySelector:\n    matchExpressions: [{key: tier, operator: In, values: [backend]}]\n",
      }),
      "apps/web.yaml": marked("apps:web"),
      "apps/api.yaml": marked("apps:api"),
      // Namespace other has no automation: its policy is not applied.
      "apps/other.yaml": marked("other:web"),
      "deploy/web.yaml": marked("apps:web"),
    };
    for (const [path, text] of Object.entries(files)) repo.write(path, text);
    const base = await repo.push("fleet");

    const result = await update(repo, 0);
    assert.match(
      result.stdout,
      /ImageUpdateAutomation apps\/app-repo: skipped: its source GitRepository apps\/app-source is \S+\/app-[0-9a-f]+\.git, not this repository/,
    );
    assert.match(result.stdout, /^apps\/frontend: apps\/web\.yaml: \S+ -> \S+:1\.1\.0$/m);
    assert.match(result.stdout, /^apps\/backend: apps\/api\.yaml: \S+ -> \S+:1\.1\.0$/m);
    assert.doesNotMatch(result.stderr, /warning/);

    await git(repo, ["fetch", "-q", repo.url, "main"]);
    const log = await git(repo, ["log", "--format=%an", "--name-only", `${base}..FETCH_HEAD`]);
    assert.deepEqual(
      log.split("\n").filter((l) => l !== ""),
      ["Back Bot", "apps/api.yaml", "Front Bot", "apps/web.yaml"],
      "one commit per automation, each with its own author and files",
    );
    assert.equal(await fileOn(repo, "main", "deploy/web.yaml"), marked("apps:web"));
    assert.equal(await fileOn(repo, "main", "apps/other.yaml"), marked("other:web"));
  });
});

describe("spec.git.commit.signingKey", () => {
  const ns = `sign-${id}`;
  let gnupg: string;
  let sshKeys: string;
  after(async () => {
    for (const dir of [gnupg, sshKeys]) if (dir) rmSync(dir, { recursive: true, force: true });
    await kubectlRun(["delete", "namespace", ns, "--wait=false"]);
  });

  test("never an unsigned commit: refused while the Secret is missing, then signed with its key", async () => {
    gnupg = mkdtempSync(join(tmpdir(), "tether-signing-"));
    const env = { ...gitEnv, GNUPGHOME: join(gnupg, "home") };
    await mustRun("mkdir", ["-m", "700", env.GNUPGHOME]);
    const gpg = (args: string[]) =>
      mustRun(
        "gpg",
        ["--batch", "--pinentry-mode", "loopback", "--passphrase", "s3cret", ...args],
        {
          env,
        },
      );
    await gpg(["--quick-gen-key", "Image Bot <bot@edge.example>", "ed25519", "sign", "never"]);
    const secretKey = join(gnupg, "git.asc");
    writeFileSync(secretKey, await gpg(["--armor", "--export-secret-keys", "bot@edge.example"]));

    const signed = automation("signed", {
      ns,
      commit: "      signingKey: {secretRef: {name: signing}}\n",
      git: "    checkout: {ref: {branch: main}}\n",
    });
    const repo = await newRepo({
      "images.yaml": [imageRepository(ns), imagePolicy(ns, "web"), signed].join("---\n"),
      "apps/web.yaml": marked(`${ns}:web`),
    });
    await kubectl(["create", "namespace", ns]);
    const main = await head(repo, "main");

    const refused = await update(repo, 1);
    assert.match(
      refused.stderr,
      new RegExp(`error: ImageUpdateAutomation ${ns}/signed: .*signingKey`),
    );
    assert.equal(await head(repo, "main"), main, "nothing unsigned was pushed");

    await kubectl([
      "create",
      "secret",
      "generic",
      "signing",
      "-n",
      ns,
      `--from-file=git.asc=${secretKey}`,
      "--from-literal=passphrase=s3cret",
    ]);
    const result = await update(repo, 0);
    assert.match(result.stdout, /^pushed [0-9a-f]{12}$/m);
    const pushed = await head(repo, "main");
    assert.notEqual(pushed, main);

    // Verified by git with the public key only.
    const verify = { ...gitEnv, GNUPGHOME: join(gnupg, "verify") };
    await mustRun("mkdir", ["-m", "700", verify.GNUPGHOME]);
    const publicKey = await gpg(["--armor", "--export", "bot@edge.example"]);
    await mustRun("gpg", ["--batch", "--import"], { env: verify, input: publicKey });
    await git(repo, ["fetch", "-q", repo.url, "main"]);
    const checked = await run("git", ["verify-commit", pushed], { cwd: repo.work, env: verify });
    assert.equal(checked.code, 0, checked.stderr);
    assert.match(checked.stderr, /Good signature from "Image Bot <bot@edge\.example>"/);
  });

  test("type: ssh: signed with the OpenSSH key in identity, unlocked with its password", async () => {
    sshKeys = mkdtempSync(join(tmpdir(), "tether-ssh-signing-"));
    const keys = sshKeys;
    const identity = join(keys, "identity");
    await mustRun("ssh-keygen", [
      "-q",
      "-t",
      "ed25519",
      "-N",
      "s3cret",
      "-C",
      "bot",
      "-f",
      identity,
    ]);
    const repo = await newRepo({
      "images.yaml": [
        imageRepository(ns),
        imagePolicy(ns, "web"),
        automation("ssh-signed", {
          ns,
          commit: "      signingKey: {secretRef: {name: ssh-signing}, type: ssh}\n",
          git: "    checkout: {ref: {branch: main}}\n",
        }),
      ].join("---\n"),
      "apps/web.yaml": marked(`${ns}:web`),
    });
    await kubectlRun(["create", "namespace", ns]);
    await kubectl([
      "create",
      "secret",
      "generic",
      "ssh-signing",
      "-n",
      ns,
      `--from-file=identity=${identity}`,
      "--from-literal=password=s3cret",
    ]);
    const main = await head(repo, "main");
    const result = await update(repo, 0);
    assert.doesNotMatch(result.stdout + result.stderr, /s3cret/);
    const pushed = await head(repo, "main");
    assert.notEqual(pushed, main);

    // Verified by git with the public key only, as git verifies SSH signatures.
    const allowed = join(keys, "allowed_signers");
    writeFileSync(
      allowed,
      `bot@edge.example namespaces="git" ${readFileSync(`${identity}.pub`, "utf8")}`,
    );
    await git(repo, ["fetch", "-q", repo.url, "main"]);
    const checked = await run(
      "git",
      ["-c", `gpg.ssh.allowedSignersFile=${allowed}`, "verify-commit", pushed],
      { cwd: repo.work, env: gitEnv },
    );
    assert.equal(checked.code, 0, checked.stderr);
    assert.match(checked.stderr, /Good "git" signature for bot@edge\.example with ED25519 key/);
  });
});
