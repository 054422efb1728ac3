// The canonical monorepo layout with an ArtifactGenerator (Flux 2.7): the generator
// splits the repository into one ExternalArtifact per app, and Kustomizations whose
// sourceRef is an ExternalArtifact apply it. Synced with `tether sync --once` against
// the local Git server and Kubernetes. Steps run in order.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
} from "node:fs";
import { createServer as createHttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { checkoutDir } from "../../../agent/source/git.ts";
import { gitEnv, TestRepo } from "../../helpers/git-repo.ts";
import { exists, getJson, kubectl, kubectlRun } from "../../helpers/kubectl.ts";
import { mustRun } from "../../helpers/run.ts";
import { chartsEnv, testenv } from "../../helpers/testenv.ts";
import { tether } from "../../helpers/tether.ts";

const id = randomBytes(3).toString("hex");
const fs = `fsag-${id}`;
const app = `agapp-${id}`;
const recordsNs = `tether-ag-${id}`;
const cacheDir = join(tmpdir(), `tether-ag-cache-${id}`);
let repo: TestRepo;
let other: TestRepo;

const sync = (exit?: number, env?: NodeJS.ProcessEnv, branch = "main") =>
  tether(
    [
      "sync",
      "--once",
      "--git-url",
      repo.url,
      "--git-branch",
      branch,
      "--git-path",
      "clusters/staging",
      "--prune",
      "--namespace",
      recordsNs,
      "--cache-dir",
      cacheDir,
    ],
    { exit, ...(env ? { env } : {}) },
  );

interface Status {
  conditions?: { type: string; status: string; reason: string; message: string }[];
  artifact?: { revision: string; digest: string };
  lastAppliedRevision?: string;
}
const readyOf = (status: Status | undefined) => status?.conditions?.find((c) => c.type === "Ready");

const generator = (artifacts: string) => `apiVersion: source.extensions.fluxcd.io/v1beta1
kind: ArtifactGenerator
metadata:
  name: apps
  namespace: ${fs}
spec:
  sources:
    - alias: repo
      kind: GitRepository
      name: flux-system
  artifacts:
${artifacts}`;

const frontendArtifact = `    - name: frontend
      copy:
        - from: "@repo/apps/frontend/**"
          to: "@artifact/"
        - from: "@repo/apps/shared/config.yaml"
          to: "@artifact/shared.yaml"
`;
const backendArtifact = `    - name: backend
      copy:
        - from: "@repo/apps/backend"
          to: "@artifact/"
          exclude: ["*.md"]
`;

const ks = (name: string, artifact: string, path: string) => `---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: ${name}
  namespace: ${fs}
spec:
  interval: 1h
  prune: true
  path: ${path}
  sourceRef:
    kind: ExternalArtifact
    name: ${artifact}
`;

const configMap = (name: string, data: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}, namespace: ${app}}\ndata: {${data}}\n`;

before(async () => {
  repo = await TestRepo.create("flux-ag");
  repo
    .write(
      "clusters/staging/flux-system/gotk-sync.yaml",
      `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: ${fs}
spec:
  interval: 1m
  ref: {branch: main}
  url: ${repo.plainUrl}
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: flux-system
  namespace: ${fs}
spec:
  interval: 10m
  path: ./clusters/staging
  prune: true
  sourceRef: {kind: GitRepository, name: flux-system}
`,
    )
    .write(
      "clusters/staging/namespace.yaml",
      `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${app}}\n`,
    )
    .write(
      "clusters/staging/apps.yaml",
      `${generator(frontendArtifact + backendArtifact)}${ks("frontend", "frontend", "./")}${ks("backend", "backend", "./backend")}`,
    )
    .write("apps/frontend/web.yaml", configMap("web", "tier: frontend"))
    .write("apps/frontend/nested/assets.yaml", configMap("assets", "tier: frontend-nested"))
    .write("apps/shared/config.yaml", configMap("shared", "from: shared"))
    .write("apps/backend/api.yaml", configMap("api", "tier: backend"))
    .write("apps/backend/README.md", "not a manifest, excluded from the artifact\n");
});

after(async () => {
  other?.cleanup();
  for (const ns of [app, fs, recordsNs]) {
    await kubectlRun(["delete", "namespace", ns, "--wait=false"]);
  }
  repo?.cleanup();
});

describe("an ArtifactGenerator in a Flux-shaped repository", () => {
  let frontendRevision = "";
  let backendRevision = "";
  test("produces ExternalArtifacts from its copy rules; Kustomizations apply them", async () => {
    await repo.push("generator layout");
    const result = await sync();
    assert.equal(result.code, 0, result.stdout + result.stderr);
    const frontend = (
      await getJson(["externalartifacts.source.toolkit.fluxcd.io", "frontend", "-n", fs])
    ).status as Status;
    assert.equal(readyOf(frontend)?.status, "True", JSON.stringify(frontend));
    assert.match(frontend.artifact?.revision ?? "", /^latest@sha256:[0-9a-f]{64}$/);
    frontendRevision = frontend.artifact?.revision ?? "";
    const backend = (
      await getJson(["externalartifacts.source.toolkit.fluxcd.io", "backend", "-n", fs])
    ).status as Status;
    backendRevision = backend.artifact?.revision ?? "";
    const ksFrontend = (
      await getJson(["kustomizations.kustomize.toolkit.fluxcd.io", "frontend", "-n", fs])
    ).status as Status;
    assert.equal(readyOf(ksFrontend)?.status, "True", JSON.stringify(ksFrontend));
    assert.equal(ksFrontend.lastAppliedRevision, frontendRevision);
    // `dir/**` copies the folder's content (nested folders kept), a file copied to a file name.
    assert.equal((await getJson(["configmap", "web", "-n", app])).data.tier, "frontend");
    assert.equal((await getJson(["configmap", "assets", "-n", app])).data.tier, "frontend-nested");
    assert.equal((await getJson(["configmap", "shared", "-n", app])).data.from, "shared");
    // A folder without a glob is copied as a folder (./backend in the artifact).
    assert.equal((await getJson(["configmap", "api", "-n", app])).data.tier, "backend");
    const gen = (
      await getJson(["artifactgenerators.source.extensions.fluxcd.io", "apps", "-n", fs])
    ).status as Status & { inventory?: { name: string }[] };
    assert.equal(readyOf(gen)?.status, "True", JSON.stringify(gen));
    assert.deepEqual(gen.inventory?.map((i) => i.name).sort(), ["backend", "frontend"]);
  });

  test("a change outside an artifact's copy rules leaves its revision; a change inside moves it", async () => {
    repo.write("apps/frontend/web.yaml", configMap("web", "tier: frontend-v2"));
    repo.write("apps/backend/README.md", "still excluded, changed\n");
    await repo.push("frontend changes");
    const result = await sync();
    assert.equal(result.code, 0, result.stdout + result.stderr);
    const frontend = (
      await getJson(["externalartifacts.source.toolkit.fluxcd.io", "frontend", "-n", fs])
    ).status as Status;
    const backend = (
      await getJson(["externalartifacts.source.toolkit.fluxcd.io", "backend", "-n", fs])
    ).status as Status;
    assert.notEqual(frontend.artifact?.revision, frontendRevision);
    assert.equal(backend.artifact?.revision, backendRevision);
    assert.equal((await getJson(["configmap", "web", "-n", app])).data.tier, "frontend-v2");
  });

  test("an artifact removed from the generator is deleted; its Kustomization fails with ArtifactFailed", async () => {
    repo.write(
      "clusters/staging/apps.yaml",
      `${generator(frontendArtifact)}${ks("frontend", "frontend", "./")}${ks("backend", "backend", "./backend")}`,
    );
    await repo.push("backend artifact removed");
    const result = await sync();
    assert.equal(result.code, 1, result.stdout + result.stderr);
    assert.equal(
      await exists("externalartifacts.source.toolkit.fluxcd.io", "backend", "-n", fs),
      false,
    );
    const ksBackend = (
      await getJson(["kustomizations.kustomize.toolkit.fluxcd.io", "backend", "-n", fs])
    ).status as Status;
    assert.equal(readyOf(ksBackend)?.status, "False");
    assert.equal(readyOf(ksBackend)?.reason, "ArtifactFailed");
    assert.match(readyOf(ksBackend)?.message ?? "", /ExternalArtifact.*backend.*not found/);
    // Nothing is pruned on a failed source: the backend's objects stay.
    assert.equal(await exists("configmap", "api", "-n", app), true);
  });
});

describe("a second GitRepository that needs credentials", () => {
  test("fetched with its secretRef: without the Secret it fails, with it the Kustomization is Ready", async () => {
    other = await TestRepo.create("flux-other");
    const otherCommit = await other
      .write("deploy/other.yaml", configMap("other", "from: other-repo"))
      .push("other");
    repo.write(
      "clusters/staging/other.yaml",
      `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: other, namespace: ${fs}}
spec:
  interval: 5m
  url: ${other.plainUrl}
  ref: {branch: main}
  secretRef: {name: other-auth}
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: other, namespace: ${fs}}
spec:
  interval: 1h
  prune: true
  path: ./deploy
  sourceRef: {kind: GitRepository, name: other}
`,
    );
    await repo.push("a second repository");
    const without = await sync();
    assert.equal(without.code, 1, without.stdout + without.stderr);
    const failed = readyOf(
      (await getJson(["kustomizations.kustomize.toolkit.fluxcd.io", "other", "-n", fs])).status,
    );
    assert.equal(failed?.reason, "ArtifactFailed");
    assert.match(failed?.message ?? "", /secret '.*other-auth' not found/);
    assert.equal(await exists("configmap", "other", "-n", app), false);

    const env = testenv();
    await kubectl([
      "create",
      "secret",
      "generic",
      "other-auth",
      "-n",
      fs,
      `--from-literal=username=${env.gitUser}`,
      `--from-literal=password=${env.gitPassword}`,
    ]);
    // 1: the backend Kustomization of the test above still fails (ArtifactFailed).
    const withSecret = await sync(1);
    assert.equal(withSecret.stdout.includes(env.gitPassword), false);
    assert.equal(withSecret.stderr.includes(env.gitPassword), false);
    const status = (
      await getJson(["kustomizations.kustomize.toolkit.fluxcd.io", "other", "-n", fs])
    ).status as Status;
    assert.equal(readyOf(status)?.status, "True", JSON.stringify(status));
    assert.equal(status.lastAppliedRevision, `main@sha1:${otherCommit}`);
    assert.equal((await getJson(["configmap", "other", "-n", app])).data.from, "other-repo");
    assert.equal(JSON.stringify(status).includes(env.gitPassword), false);
  });

  test("over SSH: identity, known_hosts and a passphrase from its secretRef, as Flux reads them", async () => {
    const env = testenv();
    const identity = readFileSync(env.gitSshKey, "utf8");
    const sshUrl = `${env.gitSshUrl}/${other.name}.git`;
    repo.write(
      "clusters/staging/other.yaml",
      readFileSync(join(repo.work, "clusters/staging/other.yaml"), "utf8")
        .replace(`url: ${other.plainUrl}`, `url: ${sshUrl}`)
        .replace("name: other-auth", "name: other-ssh"),
    );
    await repo.push("the second repository over SSH");
    // The key alone: SSH without known_hosts is refused, and the message names the
    // Secret to fix (not the agent's own variables).
    await kubectl([
      "create",
      "secret",
      "generic",
      "other-ssh",
      "-n",
      fs,
      `--from-file=identity=${env.gitSshKey}`,
    ]);
    const tmp = mkdtempSync(join(tmpdir(), "tether-ag-tmp-"));
    const refused = await sync(1, { TMPDIR: tmp });
    const ready = () =>
      getJson(["kustomizations.kustomize.toolkit.fluxcd.io", "other", "-n", fs]).then(
        (k) => k.status as Status,
      );
    const failed = readyOf(await ready());
    assert.equal(failed?.status, "False");
    assert.match(failed?.message ?? "", new RegExp(`known_hosts in Secret '${fs}/other-ssh'`));
    assert.doesNotMatch(failed?.message ?? "", /TETHER_GIT/);
    assert.equal(refused.stdout.includes("PRIVATE KEY"), false);

    await kubectl(["delete", "secret", "other-ssh", "-n", fs]);
    await kubectl([
      "create",
      "secret",
      "generic",
      "other-ssh",
      "-n",
      fs,
      `--from-file=identity=${env.gitSshKey}`,
      `--from-file=known_hosts=${env.gitSshKnownHosts}`,
    ]);
    const sshCommit = await other
      .write("deploy/other.yaml", configMap("other", "from: other-over-ssh"))
      .push("over SSH");
    const result = await sync(1, { TMPDIR: tmp });
    const status = await ready();
    assert.equal(readyOf(status)?.status, "True", JSON.stringify(status) + result.stderr);
    assert.equal(status.lastAppliedRevision, `main@sha1:${sshCommit}`);
    assert.equal((await getJson(["configmap", "other", "-n", app])).data.from, "other-over-ssh");
    // The key was written for the fetch only: nothing of it is left behind, and it is
    // nowhere in what the pass printed or recorded.
    assert.deepEqual(
      readdirSync(tmp).filter((f) => f.startsWith("tether-ssh-")),
      [],
    );
    const keyLine = identity.split("\n")[1] ?? "";
    assert.ok(keyLine.length > 20);
    for (const text of [result.stdout, result.stderr, JSON.stringify(status)])
      assert.equal(text.includes(keyLine), false);

    // The same key with a passphrase, given as the Secret's password (Flux's layout).
    const passphrase = `pass-${id}`;
    copyFileSync(env.gitSshKey, join(tmp, "encrypted"));
    chmodSync(join(tmp, "encrypted"), 0o600);
    execFileSync("ssh-keygen", [
      "-q",
      "-p",
      "-P",
      "",
      "-N",
      passphrase,
      "-f",
      join(tmp, "encrypted"),
    ]);
    await kubectl(["delete", "secret", "other-ssh", "-n", fs]);
    await kubectl([
      "create",
      "secret",
      "generic",
      "other-ssh",
      "-n",
      fs,
      `--from-file=identity=${join(tmp, "encrypted")}`,
      `--from-file=known_hosts=${env.gitSshKnownHosts}`,
      `--from-literal=password=${passphrase}`,
    ]);
    const encryptedCommit = await other
      .write("deploy/other.yaml", configMap("other", "from: other-encrypted-key"))
      .push("over SSH with a passphrase");
    const decrypted = await sync(1, { TMPDIR: tmp });
    const afterPassphrase = await ready();
    assert.equal(
      readyOf(afterPassphrase)?.status,
      "True",
      JSON.stringify(afterPassphrase) + decrypted.stderr,
    );
    assert.equal(afterPassphrase.lastAppliedRevision, `main@sha1:${encryptedCommit}`);
    assert.equal(
      (await getJson(["configmap", "other", "-n", app])).data.from,
      "other-encrypted-key",
    );
    assert.deepEqual(
      readdirSync(tmp).filter((f) => f.startsWith("tether-ssh-")),
      [],
    );
    for (const text of [decrypted.stdout, decrypted.stderr, JSON.stringify(afterPassphrase)])
      assert.equal(text.includes(passphrase), false);
    rmSync(tmp, { recursive: true, force: true });
  });

  test("over HTTPS with the Secret's ca.crt, a client certificate (tls.crt, tls.key) and a bearerToken", async () => {
    const env = testenv();
    const ca = chartsEnv().ca;
    const httpsUrl = `${env.gitHttpsUrl}/${other.name}.git`;
    repo.write(
      "clusters/staging/other.yaml",
      readFileSync(join(repo.work, "clusters/staging/other.yaml"), "utf8")
        .replace(/url: .*/, `url: ${httpsUrl}`)
        .replace("name: other-ssh", "name: other-https"),
    );
    await repo.push("the second repository over HTTPS");
    const ready = () =>
      getJson(["kustomizations.kustomize.toolkit.fluxcd.io", "other", "-n", fs]).then(
        (k) => k.status as Status,
      );
    // The CA and the token only: the server asks for a client certificate.
    await kubectl([
      "create",
      "secret",
      "generic",
      "other-https",
      "-n",
      fs,
      `--from-file=ca.crt=${ca}`,
      `--from-literal=bearerToken=${env.gitPassword}`,
    ]);
    const refused = await sync(1);
    const failed = readyOf(await ready());
    assert.equal(failed?.status, "False", refused.stdout + refused.stderr);
    // Refused at the connection (the TLS handshake), not by the server's login: git says
    // "unable to access" (the words after it vary with libcurl's timing).
    assert.match(failed?.message ?? "", /unable to access/);
    assert.doesNotMatch(failed?.message ?? "", /Authentication failed/);
    assert.equal(JSON.stringify(failed).includes(env.gitPassword), false);

    await kubectl(["delete", "secret", "other-https", "-n", fs]);
    await kubectl([
      "create",
      "secret",
      "generic",
      "other-https",
      "-n",
      fs,
      `--from-file=ca.crt=${ca}`,
      `--from-file=tls.crt=${env.gitClientCert}`,
      `--from-file=tls.key=${env.gitClientKey}`,
      `--from-literal=bearerToken=${env.gitPassword}`,
    ]);
    const httpsCommit = await other
      .write("deploy/other.yaml", configMap("other", "from: other-over-https"))
      .push("over HTTPS");
    const result = await sync(1);
    const status = await ready();
    assert.equal(readyOf(status)?.status, "True", JSON.stringify(status) + result.stderr);
    assert.equal(status.lastAppliedRevision, `main@sha1:${httpsCommit}`);
    assert.equal((await getJson(["configmap", "other", "-n", app])).data.from, "other-over-https");
    for (const text of [result.stdout, result.stderr, JSON.stringify(status)])
      assert.equal(text.includes(env.gitPassword), false);
  });

  test("ref.semver takes the highest tag in range, ref.name any reference; each names its Flux revision", async () => {
    const git = (...args: string[]) => mustRun("git", args, { cwd: other.work, env: gitEnv });
    const tagged = async (text: string, tag: string, annotated: boolean) => {
      const commit = await other
        .write("deploy/other.yaml", configMap("other", `from: ${text}`))
        .push(text);
      await (annotated ? git("tag", "-a", tag, "-m", tag) : git("tag", tag));
      return commit;
    };
    await tagged("one-zero", "v1.0.0", true);
    const v11 = await tagged("one-one", "v1.1.0", false);
    await tagged("one-two-rc", "v1.2.0-rc.1", true);
    await tagged("two", "v2.0.0", true);
    await git("push", "-q", other.url, "--tags");
    const source = (ref: string) =>
      readFileSync(join(repo.work, "clusters/staging/other.yaml"), "utf8")
        .replace(/url: .*/, `url: ${other.plainUrl}`)
        .replace(/name: other-(ssh|https)/, "name: other-auth")
        .replace(/ref: .*/, `ref: ${ref}`);
    const ready = () =>
      getJson(["kustomizations.kustomize.toolkit.fluxcd.io", "other", "-n", fs]).then(
        (k) => k.status as Status,
      );

    repo.write("clusters/staging/other.yaml", source(`{semver: ">=1.0.0 <2.0.0"}`));
    await repo.push("semver");
    const bySemver = await sync(1);
    let status = await ready();
    // Not main's head (v2.0.0), not the pre-release: v1.1.0, a lightweight tag.
    assert.equal(
      status.lastAppliedRevision,
      `v1.1.0@sha1:${v11}`,
      JSON.stringify(status) + bySemver.stderr,
    );
    assert.equal((await getJson(["configmap", "other", "-n", app])).data.from, "one-one");
    // A new release in range: picked, and the previous pick's cache folder goes.
    const folderOf = (tag: string) =>
      checkoutDir(cacheDir, {
        url: other.plainUrl,
        tag,
        credentialsOwner: `${fs}/other-auth`,
        chosenBy: "semver >=1.0.0 <2.0.0",
      });
    assert.equal(existsSync(folderOf("v1.1.0")), true);
    // A release branch off v1.1.0, not main: only the tag is pushed.
    await git("checkout", "-q", "v1.1.0");
    other.write("deploy/other.yaml", configMap("other", "from: one-three"));
    await git("commit", "-q", "-am", "one-three");
    await git("tag", "v1.3.0");
    const v13 = (await git("rev-parse", "HEAD")).trim();
    await git("push", "-q", other.url, "v1.3.0");
    await git("checkout", "-q", "main");
    await sync(1);
    status = await ready();
    assert.equal(status.lastAppliedRevision, `v1.3.0@sha1:${v13}`, JSON.stringify(status));
    assert.equal(existsSync(folderOf("v1.3.0")), true);
    assert.equal(existsSync(folderOf("v1.1.0")), false);

    const feature = await other
      .write("deploy/other.yaml", configMap("other", "from: feature"))
      .push("feature");
    await git("push", "-q", other.url, "HEAD:refs/heads/feature");
    await other
      .write("deploy/other.yaml", configMap("other", "from: main-later"))
      .push("main moves on");
    repo.write("clusters/staging/other.yaml", source("{name: refs/heads/feature}"));
    await repo.push("ref.name");
    await sync(1);
    status = await ready();
    assert.equal(
      status.lastAppliedRevision,
      `refs/heads/feature@sha1:${feature}`,
      JSON.stringify(status),
    );
    assert.equal((await getJson(["configmap", "other", "-n", app])).data.from, "feature");

    // No tag in range: the source fails and says so; what it applied stays.
    repo.write("clusters/staging/other.yaml", source(`{semver: ">=3.0.0"}`));
    await repo.push("semver without a match");
    await sync(1);
    status = await ready();
    assert.equal(readyOf(status)?.status, "False");
    assert.match(readyOf(status)?.message ?? "", /no match found for semver: >=3\.0\.0/);
    assert.equal((await getJson(["configmap", "other", "-n", app])).data.from, "feature");
  });

  test("the agent's own repository at another branch is fetched with the agent's credentials; the same path on another server gets none", async () => {
    // Another server (another port) with the same path: it records what it is sent.
    const sent: (string | undefined)[] = [];
    const elsewhere = createHttpServer((req, res) => {
      sent.push(req.headers.authorization);
      res.writeHead(401, { "WWW-Authenticate": 'Basic realm="elsewhere"' }).end();
    });
    await new Promise<void>((resolve) => elsewhere.listen(0, "127.0.0.1", resolve));
    // Closed whatever the test's outcome: an open server would keep the file's process.
    after(() => elsewhere.close());
    const port = (elsewhere.address() as AddressInfo).port;
    // A staging branch of the agent's repository, with content main does not have.
    repo.write("env/staging/settings.yaml", configMap("staging-settings", "from: staging-branch"));
    const stagingCommit = await repo.pushTo("staging", "staging");
    // On main: a GitRepository of the same URL following staging (no secretRef: the
    // agent's credentials read it), and a Kustomization of a folder only staging has.
    repo.write(
      "clusters/staging/staging-branch.yaml",
      `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: staging-branch, namespace: ${fs}}
spec:
  interval: 5m
  url: ${repo.plainUrl.replace(/\.git$/, "")}/
  ref: {branch: staging}
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: staging-branch, namespace: ${fs}}
spec:
  interval: 1h
  prune: true
  path: ./env/staging
  sourceRef: {kind: GitRepository, name: staging-branch}
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: elsewhere, namespace: ${fs}}
spec:
  interval: 5m
  url: http://127.0.0.1:${port}/${repo.name}.git
  ref: {branch: staging}
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: elsewhere, namespace: ${fs}}
spec:
  interval: 1h
  prune: true
  path: ./env/staging
  sourceRef: {kind: GitRepository, name: elsewhere}
`,
    );
    await repo.push("a GitRepository of the agent's repository at another branch");
    await sync(1);
    const status = (
      await getJson(["kustomizations.kustomize.toolkit.fluxcd.io", "staging-branch", "-n", fs])
    ).status as Status;
    assert.equal(readyOf(status)?.status, "True", JSON.stringify(status));
    assert.equal(status.lastAppliedRevision, `staging@sha1:${stagingCommit}`);
    assert.equal(
      (await getJson(["configmap", "staging-settings", "-n", app])).data.from,
      "staging-branch",
    );
    // The same path on another port is another server: asked without the agent's login.
    const elsewhereStatus = (
      await getJson(["kustomizations.kustomize.toolkit.fluxcd.io", "elsewhere", "-n", fs])
    ).status as Status;
    assert.equal(readyOf(elsewhereStatus)?.status, "False");
    assert.ok(sent.length > 0);
    assert.deepEqual(
      sent.filter((a) => a !== undefined),
      [],
      "no credentials were sent to the other server",
    );
  });

  test("a GitRepository's spec.ignore leaves files out of its Kustomizations' builds", async () => {
    // `other` moves on from the earlier tests: main, plus a drafts folder.
    await mustRun("git", ["checkout", "-q", "main"], { cwd: other.work, env: gitEnv });
    await other
      .write("deploy/other.yaml", configMap("other", "from: with-drafts"))
      .write("deploy/drafts/draft.yaml", configMap("draft", "from: drafts"))
      .push("drafts");
    const source = (ignore: string) => `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: other, namespace: ${fs}}
spec:
  interval: 5m
  url: ${other.plainUrl}
  ref: {branch: main}
  secretRef: {name: other-auth}
${ignore}---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: other, namespace: ${fs}}
spec:
  interval: 1h
  prune: true
  path: ./deploy
  sourceRef: {kind: GitRepository, name: other}
`;
    repo.write("clusters/staging/other.yaml", source('  ignore: "/deploy/drafts/"\n'));
    await repo.push("other ignores its drafts");
    await sync(1);
    assert.equal((await getJson(["configmap", "other", "-n", app])).data.from, "with-drafts");
    assert.equal(await exists("configmap", "draft", "-n", app), false);
    // Without it, the drafts are built too.
    repo.write("clusters/staging/other.yaml", source(""));
    await repo.push("other without ignore");
    await sync(1);
    assert.equal((await getJson(["configmap", "draft", "-n", app])).data.from, "drafts");
  });

  test("a suspended GitRepository keeps serving its last artifact; resumed, it moves on", async () => {
    const head = (
      await mustRun("git", ["rev-parse", "HEAD"], { cwd: other.work, env: gitEnv })
    ).trim();
    const gitRepository = async () =>
      (await getJson(["gitrepositories.source.toolkit.fluxcd.io", "other", "-n", fs])) as {
        status?: { artifact?: { revision?: string } };
      };
    // Fetched sources get an artifact in their status, as source-controller writes it.
    assert.equal((await gitRepository()).status?.artifact?.revision, `main@sha1:${head}`);
    // `flux suspend source git other` patches the live object; Tether's applies of the
    // GitRepository from Git do not own spec.suspend, so it stays.
    await kubectl([
      "patch",
      "gitrepositories.source.toolkit.fluxcd.io",
      "other",
      "-n",
      fs,
      "--type",
      "merge",
      "-p",
      '{"spec":{"suspend":true}}',
    ]);
    const later = await other
      .write("deploy/other.yaml", configMap("other", "from: after-suspend"))
      .push("after the suspend");
    await sync(1);
    assert.equal((await getJson(["configmap", "other", "-n", app])).data.from, "with-drafts");
    const ks = () =>
      getJson(["kustomizations.kustomize.toolkit.fluxcd.io", "other", "-n", fs]).then(
        (k) => k.status as Status,
      );
    assert.equal((await ks()).lastAppliedRevision, `main@sha1:${head}`);

    await kubectl([
      "patch",
      "gitrepositories.source.toolkit.fluxcd.io",
      "other",
      "-n",
      fs,
      "--type",
      "merge",
      "-p",
      '{"spec":{"suspend":false}}',
    ]);
    await sync(1);
    assert.equal((await getJson(["configmap", "other", "-n", app])).data.from, "after-suspend");
    assert.equal((await ks()).lastAppliedRevision, `main@sha1:${later}`);
    assert.equal((await gitRepository()).status?.artifact?.revision, `main@sha1:${later}`);
  });

  test("the agent on another branch: the entry point (flux-system, ref main) is still the agent's checkout", async () => {
    // A trial branch of the agent's repository; gotk-sync.yaml still says branch main.
    repo.write("clusters/staging/trial.yaml", configMap("trial-marker", "from: trial-branch"));
    const trial = await repo.pushTo("trial", "trial");
    const result = await sync(1, undefined, "trial");
    assert.match(
      result.stdout + result.stderr,
      /GitRepository .*flux-system .* served from the agent's checkout/,
    );
    assert.equal(
      (await getJson(["configmap", "trial-marker", "-n", app])).data.from,
      "trial-branch",
    );
    const entry = (
      await getJson(["kustomizations.kustomize.toolkit.fluxcd.io", "flux-system", "-n", fs])
    ).status as Status;
    assert.equal(entry.lastAppliedRevision, `trial@sha1:${trial}`, JSON.stringify(entry));
  });

  test("the entry point named by another URL (flux bootstrap's ssh://, the agent on https) is still the agent's checkout", async () => {
    const sshUrl = `${testenv().gitSshUrl}/${repo.name}.git`;
    const gotkSync = join(repo.work, "clusters/staging/flux-system/gotk-sync.yaml");
    repo.write(
      "clusters/staging/flux-system/gotk-sync.yaml",
      readFileSync(gotkSync, "utf8").replace(`url: ${repo.plainUrl}`, `url: ${sshUrl}`),
    );
    const head = await repo.push("gotk-sync.yaml names the repository over SSH");
    // No Secret for SSH exists: a fetch of that URL would fail the entry point.
    const result = await sync(1);
    assert.match(
      result.stdout + result.stderr,
      /GitRepository .*flux-system names ssh:.* served from the agent's checkout/,
    );
    const entry = (
      await getJson(["kustomizations.kustomize.toolkit.fluxcd.io", "flux-system", "-n", fs])
    ).status as Status;
    assert.equal(readyOf(entry)?.status, "True", JSON.stringify(entry));
    assert.equal(entry.lastAppliedRevision, `main@sha1:${head}`);
  });
});
