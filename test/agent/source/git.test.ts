// The Git source with each kind of remote: SSH (key and known_hosts; unknown hosts
// refused), local file:// paths, and tags and commits instead of a branch.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { checkout, checkoutCurrent, remoteRevision } from "../../../agent/source/git.ts";
import { gitEnv, TestRepo } from "../../helpers/git-repo.ts";
import { kubectlRun } from "../../helpers/kubectl.ts";
import { mustRun } from "../../helpers/run.ts";
import { testenv } from "../../helpers/testenv.ts";
import { tether } from "../../helpers/tether.ts";

const id = randomBytes(3).toString("hex");
let repo: TestRepo;
let dir: string;
let first: string;
let second: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "tether-source-"));
  repo = await TestRepo.create("source");
  repo.write(
    "app/cm.yaml",
    `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: source-${id}, namespace: default}\ndata: {v: "1"}\n`,
  );
  first = await repo.push("v1");
  await mustRun("git", ["tag", "-a", "v1.0.0", "-m", "release"], { cwd: repo.work, env: gitEnv });
  await mustRun("git", ["push", "-q", repo.url, "v1.0.0"], { cwd: repo.work, env: gitEnv });
  repo.write(
    "app/cm.yaml",
    `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: source-${id}, namespace: default}\ndata: {v: "2"}\n`,
  );
  second = await repo.push("v2");
});

after(async () => {
  repo.cleanup();
  rmSync(dir, { recursive: true, force: true });
  await kubectlRun(["delete", "configmap", `source-${id}`, "-n", "default"]);
});

const sshUrl = () => `${testenv().gitSshUrl}/${repo.name}.git`;

describe("Git sources", () => {
  test("SSH with a key and known_hosts", async () => {
    const env = testenv();
    const result = await tether(
      [
        "sync",
        "--once",
        "--git-url",
        sshUrl(),
        "--git-path",
        "app",
        "--namespace",
        `tether-source-${id}`,
        "--cache-dir",
        join(dir, "ssh"),
        "--git-readonly",
      ],
      {
        env: {
          TETHER_GIT_SSH_KEY_FILE: env.gitSshKey,
          TETHER_GIT_KNOWN_HOSTS_FILE: env.gitSshKnownHosts,
        },
      },
    );
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(
      result.stdout,
      new RegExp(`ConfigMap/default/source-${id} (created|configured|unchanged)`),
    );
  });

  test("SSH refuses a host that is not in known_hosts", async () => {
    const empty = join(dir, "empty_known_hosts");
    writeFileSync(empty, "");
    const spec = {
      url: sshUrl(),
      credentials: { sshKeyFile: testenv().gitSshKey, knownHostsFile: empty },
    };
    await assert.rejects(remoteRevision(spec), /Host key verification failed/);
  });

  test("SSH without a known_hosts file is refused before connecting", async () => {
    await assert.rejects(
      remoteRevision({ url: sshUrl(), credentials: { sshKeyFile: testenv().gitSshKey } }),
      /needs a known_hosts file/,
    );
  });

  test("a local file:// repository, a tag and a commit", async () => {
    const bare = `file://${join(testenv().gitRoot, `${repo.name}.git`)}`;
    assert.equal(await remoteRevision({ url: bare, branch: "main" }), second);
    // An annotated tag resolves to its commit, not the tag object.
    assert.equal(await remoteRevision({ url: bare, tag: "v1.0.0" }), first);
    const tagged = await checkout({ url: bare, tag: "v1.0.0" }, first, join(dir, "tag"));
    assert.equal(tagged.revision, first);
    const pinned = await checkout({ url: bare, commit: first }, first, join(dir, "commit"));
    assert.equal(pinned.fetched, true);
    const again = await checkout({ url: bare, commit: first }, first, join(dir, "commit"));
    assert.equal(again.fetched, false, "an unchanged revision is not fetched again");
  });

  test("a branch that does not exist is a clear error", async () => {
    await assert.rejects(remoteRevision({ url: repo.url, branch: "nope" }), /has no branch nope/);
    // Also into a new cache folder, where the fetch runs beside the ls-remote and fails too.
    await assert.rejects(
      checkoutCurrent({ url: repo.url, branch: "nope" }, join(dir, "nope")),
      /has no branch nope/,
    );
  });

  test("an SSH URL without known_hosts into a new cache folder: the error, and nothing left unhandled", async () => {
    // Both commands would start at once; the environment's refusal must come first,
    // or the ls-remote's rejection is left unhandled and ends the agent's process.
    const unhandled: unknown[] = [];
    const record = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", record);
    try {
      await assert.rejects(
        checkoutCurrent(
          { url: "ssh://git@127.0.0.1:1/none.git", branch: "main" },
          join(dir, "ssh"),
        ),
        /needs a known_hosts file/,
      );
      // Unhandled rejections are told once the microtasks have run.
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off("unhandledRejection", record);
    }
    assert.deepEqual(unhandled, []);
  });

  test("the current revision into a new cache folder, then again, then after a push", async () => {
    const bare = `file://${join(testenv().gitRoot, `${repo.name}.git`)}`;
    const cache = join(dir, "current");
    const fresh = await checkoutCurrent({ url: bare, branch: "main" }, cache);
    assert.deepEqual([fresh.revision, fresh.fetched], [second, true]);
    assert.equal((await mustRun("git", ["rev-parse", "HEAD"], { cwd: fresh.dir })).trim(), second);
    // Every fetch names the URL: the folder has no remote that could point elsewhere.
    assert.equal((await mustRun("git", ["remote"], { cwd: fresh.dir })).trim(), "");
    const again = await checkoutCurrent({ url: bare, branch: "main" }, cache);
    assert.deepEqual([again.revision, again.fetched], [second, false]);
    // An annotated tag, new folder: the commit it points at, as remoteRevision lists it.
    const tagged = await checkoutCurrent({ url: bare, tag: "v1.0.0" }, cache);
    assert.deepEqual([tagged.revision, tagged.fetched], [first, true]);

    repo.write("app/extra.yaml", "# later\n");
    const third = await repo.push("v3");
    const moved = await checkoutCurrent({ url: bare, branch: "main" }, cache);
    assert.deepEqual([moved.revision, moved.fetched], [third, true]);
    assert.match(await mustRun("git", ["ls-files"], { cwd: moved.dir }), /app\/extra\.yaml/);
  });

  test("lock files a killed git left in the cache folder do not stop the next checkouts", async () => {
    const bare = `file://${join(testenv().gitRoot, `${repo.name}.git`)}`;
    const cache = join(dir, "locked");
    const before = await checkoutCurrent({ url: bare, branch: "main" }, cache);
    // What git leaves behind when it is killed mid-checkout or mid-fetch (a restart, an
    // OOM kill, a power cut on the edge): the folder survives restarts.
    writeFileSync(join(before.dir, ".git", "index.lock"), "");
    writeFileSync(join(before.dir, ".git", "shallow.lock"), "");
    repo.write("app/locked.yaml", "# after the lock\n");
    const next = await repo.push("after a killed git");
    const after = await checkoutCurrent({ url: bare, branch: "main" }, cache);
    assert.deepEqual([after.revision, after.fetched], [next, true]);
    assert.match(await mustRun("git", ["ls-files"], { cwd: after.dir }), /app\/locked\.yaml/);
  });

  test("four checkouts of one source at once into a new cache folder share one fetch", async () => {
    // HelmReleases of one chart run side by side; two git processes in one folder
    // failed on each other's lock files (.git/shallow.lock: File exists).
    const bare = `file://${join(testenv().gitRoot, `${repo.name}.git`)}`;
    const cache = join(dir, "together");
    const all = await Promise.allSettled(
      [1, 2, 3, 4].map(() => checkoutCurrent({ url: bare, branch: "main" }, cache)),
    );
    for (const result of all) {
      assert.equal(result.status, "fulfilled", String((result as PromiseRejectedResult).reason));
    }
    const dirs = new Set(all.map((r) => (r as PromiseFulfilledResult<{ dir: string }>).value.dir));
    assert.equal(dirs.size, 1);
    // Other credentials for the same folder (a token in one URL only): never handed the
    // fetch under way; each lists the remote with its own, one after the other.
    const mixed = await Promise.allSettled([
      checkoutCurrent({ url: bare, branch: "main" }, join(dir, "mixed")),
      checkoutCurrent(
        { url: bare, branch: "main", credentials: { username: "u", password: "p" } },
        join(dir, "mixed"),
      ),
    ]);
    assert.deepEqual(
      mixed.map((r) => r.status),
      ["fulfilled", "fulfilled"],
    );
    assert.deepEqual(
      mixed.map((r) => (r as PromiseFulfilledResult<{ fetched: boolean }>).value.fetched),
      [true, false],
    );
    // Once it ended, the next call checks the remote again (nothing is kept as under way).
    const next = await checkoutCurrent({ url: bare, branch: "main" }, cache);
    assert.equal(next.fetched, false);
  });

  // Without a stall limit these wait for TCP (many minutes): the test's timeout catches it.
  test("a connection that stalls fails after TETHER_GIT_STALL_SECONDS, over HTTP and SSH", {
    timeout: 60_000,
  }, async () => {
    // A peer that accepts and never answers: what a link dropping packets looks like.
    const sockets: import("node:net").Socket[] = [];
    const server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as import("node:net").AddressInfo).port;
    const before = process.env.TETHER_GIT_STALL_SECONDS;
    process.env.TETHER_GIT_STALL_SECONDS = "2";
    try {
      for (const url of [
        `http://127.0.0.1:${port}/stalled.git`,
        `ssh://git@127.0.0.1:${port}/stalled.git`,
      ]) {
        await assert.rejects(
          remoteRevision({
            url,
            credentials: {
              sshKeyFile: testenv().gitSshKey,
              knownHostsFile: testenv().gitSshKnownHosts,
            },
          }),
          /ls-remote .* failed/,
        );
      }
    } finally {
      if (before === undefined) delete process.env.TETHER_GIT_STALL_SECONDS;
      else process.env.TETHER_GIT_STALL_SECONDS = before;
      for (const socket of sockets) socket.destroy();
      server.close();
    }
  });
});
