// Tag verification (Flux's GitRepository.spec.verify.mode: HEAD, Tag, TagAndHEAD) with
// tags signed by the real tools (`git tag -s` through gpg, and through ssh-keygen with
// gpg.format=ssh), checked out by the agent's own fetch; and spec.verify on a Flux
// GitRepository, its keys read from a Secret in its namespace on the real API server.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { ensureFluxCrds } from "../../../agent/flux/crds.ts";
import { resolveSource } from "../../../agent/flux/source.ts";
import { checkout, remoteRevision } from "../../../agent/source/git.ts";
import {
  keysFromSecretEntries,
  type TrustedKeys,
  type VerifyMode,
  verifyRevision,
} from "../../../agent/source/verify.ts";
import { KubeClient } from "../../../shared/kube/client.ts";
import type { KubeObject } from "../../../shared/manifests/object.ts";
import { gitIdentity, TestRepo } from "../../helpers/git-repo.ts";
import { kubectl, kubectlRun } from "../../helpers/kubectl.ts";
import { mustRun } from "../../helpers/run.ts";
import { testenv } from "../../helpers/testenv.ts";

const id = randomBytes(3).toString("hex");
const ns = `verify-${id}`;
let top: string;
let repo: string;
let env: NodeJS.ProcessEnv;
let trusted: TrustedKeys;
let pgpFpr = "";
let pgpArmored = "";
let sshPub = "";
const sha: Record<string, string> = {};

const git = (args: string[]) => mustRun("git", args, { cwd: repo, env });
const sshSign = (key: string) => ["-c", "gpg.format=ssh", "-c", `user.signingkey=${key}`];

before(async () => {
  top = mkdtempSync(join(tmpdir(), "tether-verify-tag-"));
  repo = join(top, "repo");
  env = {
    PATH: process.env.PATH,
    HOME: top,
    GNUPGHOME: join(top, "gnupg"),
    GIT_CONFIG_NOSYSTEM: "1",
    ...gitIdentity,
  };
  await mustRun("mkdir", ["-m", "700", join(top, "gnupg")]);
  await mustRun(
    "gpg",
    [
      "--batch",
      "--passphrase",
      "",
      "--quick-gen-key",
      "rel <rel@example.com>",
      "ed25519",
      "sign",
      "never",
    ],
    { env },
  );
  const listing = await mustRun(
    "gpg",
    ["--batch", "--with-colons", "--list-keys", "rel@example.com"],
    { env },
  );
  pgpFpr = /^fpr:+([0-9A-F]+):/m.exec(listing)?.[1] as string;
  pgpArmored = await mustRun("gpg", ["--batch", "--armor", "--export", pgpFpr], { env });
  for (const name of ["ssh", "other"]) {
    await mustRun("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", join(top, name)], { env });
  }
  sshPub = readFileSync(join(top, "ssh.pub"), "utf8");
  trusted = keysFromSecretEntries([
    ["release.asc", pgpArmored],
    ["team.pub", sshPub],
  ]);
  await mustRun("git", ["init", "-q", "--initial-branch=main", repo], { env });
  // An unsigned commit carries the tags; a signed one for TagAndHEAD.
  writeFileSync(join(repo, "a"), "a");
  await git(["add", "a"]);
  await git(["commit", "-q", "-m", "unsigned"]);
  sha.unsigned = (await git(["rev-parse", "HEAD"])).trim();
  await git(["-c", `user.signingkey=${pgpFpr}`, "tag", "-s", "-m", "pgp", "v1-pgp"]);
  await git([...sshSign(join(top, "ssh")), "tag", "-s", "-m", "ssh", "v1-ssh"]);
  await git([...sshSign(join(top, "other")), "tag", "-s", "-m", "other", "v1-other"]);
  await git(["tag", "-a", "-m", "annotated", "v1-unsigned"]);
  await git(["tag", "v1-light"]);
  writeFileSync(join(repo, "b"), "b");
  await git(["add", "b"]);
  await git([
    ...sshSign(join(top, "ssh")),
    "-c",
    "commit.gpgsign=true",
    "commit",
    "-q",
    "-m",
    "signed",
  ]);
  sha.signed = (await git(["rev-parse", "HEAD"])).trim();
  await git(["-c", `user.signingkey=${pgpFpr}`, "tag", "-s", "-m", "both", "v2"]);
});
after(() => rmSync(top, { recursive: true, force: true }));

/** Fetches `tag` as the agent does, then verifies it in `mode`. */
async function verifyTagged(tag: string, mode: VerifyMode): Promise<string> {
  const spec = { url: `file://${repo}`, tag };
  const revision = await remoteRevision(spec);
  const { dir } = await checkout(spec, revision, join(top, "cache"));
  return verifyRevision(dir, revision, trusted, mode, tag);
}

describe("tag verification (verify.mode)", () => {
  test("Tag: a tag signed by a trusted OpenPGP or SSH key passes, the commit need not be signed", async () => {
    assert.match(await verifyTagged("v1-pgp", "Tag"), /^tag v1-pgp by OpenPGP key /);
    assert.match(await verifyTagged("v1-ssh", "Tag"), /^tag v1-ssh by SSH ED25519 key SHA256:/);
  });

  test("Tag: another key, an unsigned or a lightweight tag is refused with the reason", async () => {
    await assert.rejects(
      verifyTagged("v1-other", "Tag"),
      /tag v1-other: the SSH signature is not from a trusted key/,
    );
    await assert.rejects(verifyTagged("v1-unsigned", "Tag"), /tag v1-unsigned is not signed/);
    await assert.rejects(verifyTagged("v1-light", "Tag"), /tag v1-light is not an annotated tag/);
  });

  test("TagAndHEAD needs both; HEAD checks only the commit", async () => {
    await assert.rejects(verifyTagged("v1-pgp", "TagAndHEAD"), /is not signed/);
    assert.match(
      await verifyTagged("v2", "TagAndHEAD"),
      /^tag v2 by OpenPGP key .*, commit [0-9a-f]{12} by SSH/,
    );
    await assert.rejects(verifyTagged("v1-ssh", "HEAD"), /commit [0-9a-f]{12} is not signed/);
  });

  test("a tag mode without a tag to follow is refused", async () => {
    await assert.rejects(
      verifyRevision(repo, sha.signed as string, trusted, "Tag", undefined),
      /needs ref\.tag/,
    );
  });
});

describe("Flux GitRepository spec.verify (keys from a Secret in its namespace)", () => {
  let client: KubeClient;
  let served: TestRepo | undefined;
  const gitRepository = (name: string, ref: Record<string, string>, mode: string): KubeObject => ({
    apiVersion: "source.toolkit.fluxcd.io/v1",
    kind: "GitRepository",
    metadata: { name, namespace: ns },
    spec: {
      interval: "1h",
      url: served?.plainUrl ?? "https://git.invalid/x.git",
      ref,
      secretRef: { name: "auth" },
      verify: { mode, secretRef: { name: "keys" } },
    },
  });

  before(async () => {
    client = await KubeClient.connect({ kubeconfig: testenv().kubeconfig });
    await ensureFluxCrds(client, [gitRepository("x", {}, "HEAD")]);
    await kubectl(["create", "namespace", ns]);
    // The signed history on the local Git server (Flux accepts http(s) and ssh URLs only).
    served = await TestRepo.create("verify-tag");
    await git(["push", "-q", served.url, "main", "--tags"]);
    await kubectl([
      "create",
      "secret",
      "generic",
      "auth",
      "-n",
      ns,
      `--from-literal=username=${testenv().gitUser}`,
      `--from-literal=password=${testenv().gitPassword}`,
    ]);
    const keyFile = join(top, "release.asc");
    writeFileSync(keyFile, pgpArmored);
    await kubectl([
      "create",
      "secret",
      "generic",
      "keys",
      "-n",
      ns,
      `--from-file=release.asc=${keyFile}`,
      `--from-file=team.pub=${join(top, "ssh.pub")}`,
    ]);
    for (const [name, ref, mode] of [
      ["signed-tag", { tag: "v1-pgp" }, "Tag"],
      ["other-tag", { tag: "v1-other" }, "Tag"],
      ["signed-head", { branch: "main" }, "HEAD"],
      ["unsigned-head", { tag: "v1-ssh" }, "HEAD"],
    ] as const) {
      await kubectl(["apply", "-f", "-"], JSON.stringify(gitRepository(name, ref, mode)));
    }
  });
  after(async () => {
    client?.close();
    served?.cleanup();
    await kubectlRun(["delete", "namespace", ns, "--wait=false"]);
  });

  const resolve = (name: string) =>
    resolveSource({ kind: "GitRepository", name }, ns, {
      client,
      own: {
        url: "https://git.invalid/own.git",
        dir: top,
        revision: "main@sha1:0",
        ref: { branch: "main" },
      },
      cacheDir: join(top, "flux-cache"),
    });

  test("a signed revision resolves; anything else fails with the reason, nothing to apply", async () => {
    assert.match((await resolve("signed-tag")).revision, /^v1-pgp@sha1:/);
    assert.equal((await resolve("signed-head")).revision, `main@sha1:${sha.signed}`);
    await assert.rejects(
      resolve("other-tag"),
      new RegExp(
        `GitRepository ${ns}/other-tag: signature verification failed: tag v1-other: the SSH signature is not from a trusted key`,
      ),
    );
    await assert.rejects(
      resolve("unsigned-head"),
      /signature verification failed: commit [0-9a-f]{12} is not signed/,
    );
  });
});
