// Commit verification with commits signed by the real tools: gpg (OpenPGP) and
// `ssh-keygen -Y sign` through git's gpg.format=ssh. A commit signed by a trusted key
// passes and names it; unsigned, or signed by another key, is refused with the reason.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { parseAgentConfig } from "../../../agent/config.ts";
import { readTrustedKeys, VerificationError, verifyCommit } from "../../../agent/source/verify.ts";
import { gitIdentity } from "../../helpers/git-repo.ts";
import { mustRun } from "../../helpers/run.ts";

let top: string;
let repo: string;
let env: NodeJS.ProcessEnv;
const keys = {
  pgp: "",
  otherPgp: "",
  ssh: "",
  otherSsh: "",
  sshKey: "",
  pgpFpr: "",
  otherPgpFpr: "",
};

const git = (args: string[]) => mustRun("git", args, { cwd: repo, env });
async function commit(file: string, sign: string[]): Promise<string> {
  writeFileSync(join(repo, file), file);
  await git(["add", file]);
  await git([...sign, "commit", "-q", "-m", file]);
  return (await git(["rev-parse", "HEAD"])).trim();
}

async function gpgKey(name: string): Promise<{ armored: string; fpr: string }> {
  await mustRun(
    "gpg",
    [
      "--batch",
      "--passphrase",
      "",
      "--quick-gen-key",
      `${name} <${name}@example.com>`,
      "ed25519",
      "sign",
      "never",
    ],
    { env },
  );
  const listing = await mustRun(
    "gpg",
    ["--batch", "--with-colons", "--list-keys", `${name}@example.com`],
    { env },
  );
  const fpr = /^fpr:+([0-9A-F]+):/m.exec(listing)?.[1] as string;
  const armored = await mustRun("gpg", ["--batch", "--armor", "--export", fpr], { env });
  return { armored, fpr };
}

before(async () => {
  top = mkdtempSync(join(tmpdir(), "tether-verify-"));
  repo = join(top, "repo");
  env = {
    PATH: process.env.PATH,
    HOME: top,
    GNUPGHOME: join(top, "gnupg"),
    GIT_CONFIG_NOSYSTEM: "1",
    ...gitIdentity,
  };
  await mustRun("mkdir", ["-m", "700", join(top, "gnupg")]);
  const a = await gpgKey("trusted");
  const b = await gpgKey("other");
  Object.assign(keys, { pgp: a.armored, pgpFpr: a.fpr, otherPgp: b.armored, otherPgpFpr: b.fpr });
  for (const name of ["ssh", "otherSsh"] as const) {
    const file = join(top, name);
    await mustRun("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", file], { env });
    keys[name] = readFileSync(`${file}.pub`, "utf8");
  }
  keys.sshKey = join(top, "ssh");
  await mustRun("git", ["init", "-q", repo], { env });
});
after(() => rmSync(top, { recursive: true, force: true }));

const pgpSign = (fpr: string) => ["-c", `user.signingkey=${fpr}`, "-c", "commit.gpgsign=true"];
const sshSign = (key: string) => [
  "-c",
  "gpg.format=ssh",
  "-c",
  `user.signingkey=${key}`,
  "-c",
  "commit.gpgsign=true",
];

describe("verifyCommit", () => {
  test("an OpenPGP signature by a trusted key passes and names the key", async () => {
    const sha = await commit("a", pgpSign(keys.pgpFpr));
    const who = await verifyCommit(repo, sha, { openpgp: [keys.otherPgp, keys.pgp] });
    assert.ok(keys.pgpFpr.endsWith(who.replace("OpenPGP key ", "")), who);
  });

  test("an OpenPGP signature by another key is refused", async () => {
    const sha = await commit("b", pgpSign(keys.otherPgpFpr));
    await assert.rejects(
      verifyCommit(repo, sha, { openpgp: [keys.pgp] }),
      (e: Error) => e instanceof VerificationError && /not from a trusted key/.test(e.message),
    );
  });

  test("an SSH signature (ssh-keygen -Y sign) by a trusted key passes; another key is refused", async () => {
    const good = await commit("c", sshSign(join(top, "ssh")));
    assert.match(await verifyCommit(repo, good, { ssh: [keys.otherSsh, keys.ssh] }), /SHA256:/);
    const bad = await commit("d", sshSign(join(top, "otherSsh")));
    await assert.rejects(verifyCommit(repo, bad, { ssh: [keys.ssh] }), /not from a trusted key/);
    await assert.rejects(
      verifyCommit(repo, good, { openpgp: [keys.pgp] }),
      /no SSH key is trusted/,
    );
  });

  test("an unsigned commit, or a revision that is not a hash, is refused", async () => {
    const sha = await commit("e", []);
    await assert.rejects(verifyCommit(repo, sha, { ssh: [keys.ssh] }), /is not signed/);
    // Not a hash: never handed to git.
    await assert.rejects(
      verifyCommit(repo, "--upload-pack=x", { ssh: [keys.ssh] }),
      /not a commit hash/,
    );
  });
});

describe("trusted keys for the agent's source (git.verifyKeysDir)", () => {
  test("a folder of *.pub and *.asc files verifies both kinds of signature", async () => {
    const dir = join(top, "trusted");
    mkdirSync(dir);
    writeFileSync(join(dir, "team.pub"), `# ops\n${keys.ssh}`);
    writeFileSync(join(dir, "release.asc"), keys.pgp);
    const trusted = await readTrustedKeys(dir);
    const ssh = await commit("f", sshSign(join(top, "ssh")));
    assert.match(await verifyCommit(repo, ssh, trusted), /SHA256:/);
    const pgp = await commit("g", pgpSign(keys.pgpFpr));
    assert.match(await verifyCommit(repo, pgp, trusted), /OpenPGP key/);
    const config = parseAgentConfig(
      `git: {url: https://git.example/f.git, verifyKeysDir: ${dir}}\nunits: [{path: a}]\n`,
    );
    assert.equal(config.git.verifyKeysDir, dir);
  });

  test("a folder without a key is an error, not a verification that trusts nobody", async () => {
    const empty = join(top, "empty");
    mkdirSync(empty);
    await assert.rejects(readTrustedKeys(empty), /holds no trusted key/);
  });
});
