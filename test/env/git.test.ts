// Proves the local Git server is real smart HTTP with basic auth: a bare repository
// created under TETHER_TEST_GIT_ROOT is cloned, committed to and pushed to over HTTP,
// and a wrong password is refused.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { gitEnv } from "../helpers/git-repo.ts";
import { mustRun, run } from "../helpers/run.ts";
import { type Testenv, testenv } from "../helpers/testenv.ts";

let env: Testenv;
let work: string;
const repo = `smoke-${randomBytes(3).toString("hex")}.git`;
const git = (args: string[], cwd?: string) =>
  mustRun("git", args, { env: { ...gitEnv, GIT_CONFIG_NOSYSTEM: "1" }, ...(cwd ? { cwd } : {}) });

function urlWith(user: string, password: string): string {
  const url = new URL(`${env.gitUrl}/${repo}`);
  url.username = user;
  url.password = password;
  return url.toString();
}

before(async () => {
  env = testenv();
  work = mkdtempSync(join(tmpdir(), "tether-git-smoke-"));
  await git(["init", "--bare", "--initial-branch=main", join(env.gitRoot, repo)]);
});

after(() => {
  rmSync(work, { recursive: true, force: true });
});

describe("local Git server", () => {
  test("clone, commit and push over HTTP with basic auth", async () => {
    const clone = join(work, "clone");
    await git(["clone", urlWith(env.gitUser, env.gitPassword), clone]);
    writeFileSync(join(clone, "kustomization.yaml"), "resources: []\n");
    await git(["add", "."], clone);
    await git(["commit", "-m", "first"], clone);
    await git(["push", "origin", "HEAD:main"], clone);

    const pushed = (await git(["rev-parse", "HEAD"], clone)).trim();
    const onServer = (
      await git(["--git-dir", join(env.gitRoot, repo), "rev-parse", "main"])
    ).trim();
    assert.equal(onServer, pushed);
    const remote = await git(["ls-remote", urlWith(env.gitUser, env.gitPassword), "main"]);
    assert.equal(remote.split("\t")[0], pushed);
  });

  test("the same repositories over SSH with a key; an unknown key is refused", async () => {
    const sshUrl = `${env.gitSshUrl}/${repo}`;
    const ssh = (key: string) => ({
      ...gitEnv,
      GIT_SSH_COMMAND: `ssh -F /dev/null -o BatchMode=yes -o StrictHostKeyChecking=yes -o UserKnownHostsFile=${env.gitSshKnownHosts} -o IdentitiesOnly=yes -i ${key}`,
    });
    const listed = await mustRun("git", ["ls-remote", sshUrl, "main"], { env: ssh(env.gitSshKey) });
    const onServer = (
      await git(["--git-dir", join(env.gitRoot, repo), "rev-parse", "main"])
    ).trim();
    assert.equal(listed.split("\t")[0], onServer);
    const stranger = join(work, "stranger");
    await mustRun("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", stranger]);
    const refused = await run("git", ["ls-remote", sshUrl], { env: ssh(stranger) });
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /Permission denied/);
  });

  test("a wrong password is refused", async () => {
    const refused = await run("git", ["ls-remote", urlWith(env.gitUser, "wrong-password")], {
      env: gitEnv,
    });
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /Authentication failed|401/);
    const anonymous = await fetch(`${env.gitUrl}/${repo}/info/refs?service=git-upload-pack`);
    assert.equal(anonymous.status, 401);
  });
});
