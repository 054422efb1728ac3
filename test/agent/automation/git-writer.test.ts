// How image automation's commit-and-push ends when the push keeps failing, against the
// local Git server: a branch that moves before every push is given up on after the
// attempts (never forced), and a push the server declines for another reason (a hook)
// is not retried, since fetching and planning again cannot change that answer.
import assert from "node:assert/strict";
import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { commitAndPush } from "../../../agent/automation/git-writer.ts";
import type { UpdatePlan } from "../../../agent/automation/update.ts";
import { gitEnv, TestRepo } from "../../helpers/git-repo.ts";
import { mustRun } from "../../helpers/run.ts";
import { testenv } from "../../helpers/testenv.ts";

let repo: TestRepo;
const remoteHead = async () =>
  (await mustRun("git", ["ls-remote", repo.url, "refs/heads/main"])).split("\t")[0];

/** One change to app.yaml: the tag goes to `tag`. */
const planOf = (tag: string): UpdatePlan => ({
  files: new Map([["app.yaml", `image: registry.example/app:${tag}\n`]]),
  changes: [{ file: "app.yaml", line: 1, marker: "m", old: "1.0.0", new: tag }],
  skipped: [],
});

const write = (plan: (dir: string) => Promise<UpdatePlan>) =>
  commitAndPush({
    spec: { url: repo.url },
    branch: "main",
    author: () => ({ name: "Images", email: "images@edge.example" }),
    message: () => "images: update\n",
    push: true,
    plan,
  });

before(async () => {
  repo = await TestRepo.create("git-writer");
  repo.write("app.yaml", "image: registry.example/app:1.0.0\n");
  await repo.push("first");
});
after(() => repo.cleanup());

describe("commitAndPush when the push fails", () => {
  test("a branch that moves before every push: given up after 3 attempts, nothing forced", async () => {
    let plans = 0;
    await assert.rejects(
      write(async () => {
        plans++;
        // Someone else pushes after our checkout, every time.
        repo.write("OTHER.md", `someone else's work ${plans}\n`);
        await repo.push(`someone else's commit ${plans}`);
        return planOf(`1.${plans}.0`);
      }),
      /push to main of/,
    );
    assert.equal(plans, 3);
    const log = await mustRun("git", ["log", "-1", "--format=%s", (await remoteHead()) ?? ""], {
      cwd: repo.work,
      env: gitEnv,
    });
    assert.equal(log.trim(), "someone else's commit 3");
  });

  test("a push the server declines (a hook) is not retried", async () => {
    const before = await remoteHead();
    const hook = join(testenv().gitRoot, `${repo.name}.git`, "hooks", "pre-receive");
    writeFileSync(hook, "#!/bin/sh\necho 'pushes are frozen' >&2\nexit 1\n");
    chmodSync(hook, 0o755);
    let plans = 0;
    try {
      await assert.rejects(
        write(async () => {
          plans++;
          return planOf("2.0.0");
        }),
        /pushes are frozen/,
      );
    } finally {
      writeFileSync(hook, "#!/bin/sh\nexit 0\n");
    }
    assert.equal(plans, 1, "a declined push was planned and pushed again");
    assert.equal(await remoteHead(), before);
  });
});
