// Bootstrap's commit and push against the local Git server when someone else pushes to
// the branch in between: the folder is written again on the new head (their commit
// kept, no force), and after a few tries it fails saying so.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { commitFolder } from "../../../agent/bootstrap/repo.ts";
import { gitEnv, TestRepo } from "../../helpers/git-repo.ts";
import { mustRun } from "../../helpers/run.ts";
import { testenv } from "../../helpers/testenv.ts";

let repo: TestRepo;
before(async () => {
  repo = await TestRepo.create("bootstrap-race");
  repo.write("README.md", "fleet\n");
  await repo.push("initial");
});
after(() => repo.cleanup());

/** Someone else's commit, pushed from the test's own clone (synchronously, mid-run). */
let others = 0;
function pushAnotherCommit(): void {
  others++;
  const git = (...args: string[]) => execFileSync("git", args, { cwd: repo.work, env: gitEnv });
  git("pull", "-q", "--ff-only", repo.url, "main");
  repo.write(`other-${others}.txt`, `${others}\n`);
  git("add", "-A");
  git("commit", "-q", "-m", `other ${others}`);
  git("push", "-q", repo.url, "HEAD:main");
}

const request = (files: () => Record<string, string>) => ({
  source: {
    url: repo.plainUrl,
    branch: "main",
    credentials: { username: testenv().gitUser, password: testenv().gitPassword },
  },
  folder: "clusters/edge-1/tether-system",
  files,
  message: "tether bootstrap: test",
  author: { name: "Tether", email: "tether@localhost" },
});

const log = async () =>
  (
    await mustRun("git", ["log", "--format=%s", "main"], {
      cwd: join(testenv().gitRoot, `${repo.name}.git`),
      env: gitEnv,
    })
  )
    .trim()
    .split("\n");

test("a branch that moved before the push gets the folder on its new head, nothing forced", async () => {
  let calls = 0;
  const result = await commitFolder(
    request(() => {
      if (calls++ === 0) pushAnotherCommit();
      return { "config.yaml": "units: []\n" };
    }),
  );
  assert.equal(result.committed, true);
  assert.equal(calls, 2);
  assert.deepEqual(await log(), ["tether bootstrap: test", "other 1", "initial"]);
});

test("a branch that keeps moving fails after three tries and says so", async () => {
  await assert.rejects(
    commitFolder(
      request(() => {
        pushAnotherCommit();
        return { "config.yaml": "units: [changed]\n" };
      }),
    ),
    /moved while pushing, 3 times; nothing was forced: run bootstrap again/,
  );
  const subjects = await log();
  assert.deepEqual(subjects.slice(0, 3), ["other 4", "other 3", "other 2"]);
});
