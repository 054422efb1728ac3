// Commits image updates and pushes them, safely: never an empty commit, never a
// force-push. When the push is rejected because the branch moved, the new remote
// head is fetched, the updates are planned again on top of it and the push retried,
// a bounded number of times, so no one else's commit is ever lost.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeFailure, type GitSourceSpec, gitEnvironment, gitIn } from "../source/git.ts";
import type { UpdatePlan } from "./update.ts";

export interface WriteOptions {
  spec: GitSourceSpec;
  /** Branch the updates are based on. */
  branch: string;
  /**
   * Branch to push to (created when missing); default `branch`. Asked after the first
   * plan, since an ImageUpdateAutomation in the checkout may name it. When it already
   * exists elsewhere, the first push is rejected and the retry builds on its head.
   */
  pushBranch?: () => string | undefined;
  author: () => { name: string; email: string };
  message: (plan: UpdatePlan) => string;
  /** Plans the updates in a checkout (called again after a rejected push). */
  plan: (dir: string) => Promise<UpdatePlan>;
  push: boolean;
  dryRun?: boolean;
  maxAttempts?: number;
}

export interface WriteResult {
  plan: UpdatePlan;
  /** The new commit, when one was made. */
  commit?: string | undefined;
  pushed: boolean;
  attempts: number;
}

async function fetchHead(dir: string, spec: GitSourceSpec, branch: string): Promise<boolean> {
  const git = gitIn(dir, gitEnvironment(spec));
  const listed = await git.listRemote(["origin", `refs/heads/${branch}`]);
  if (!listed.trim()) return false;
  await git.fetch(["--depth", "1", "--no-tags", "origin", `refs/heads/${branch}`]);
  await git.raw(["checkout", "--force", "-B", "tether-images", "FETCH_HEAD"]);
  return true;
}

export async function commitAndPush(options: WriteOptions): Promise<WriteResult> {
  const dir = await mkdtemp(join(tmpdir(), "tether-images-"));
  const git = gitIn(dir, gitEnvironment(options.spec));
  try {
    try {
      await git.init().addRemote("origin", options.spec.url);
      if (!(await fetchHead(dir, options.spec, options.branch))) {
        throw new Error(`branch ${options.branch} does not exist`);
      }
    } catch (error) {
      throw describeFailure("checkout of", options.spec, error);
    }
    const maxAttempts = options.maxAttempts ?? 3;
    for (let attempt = 1; ; attempt++) {
      const plan = await options.plan(dir);
      if (plan.changes.length === 0 || options.dryRun)
        return { plan, pushed: false, attempts: attempt };
      const target = options.pushBranch?.() ?? options.branch;
      const author = options.author();
      for (const [file, text] of plan.files) await writeFile(join(dir, file), text);
      await git.add([...plan.files.keys()]);
      // Author and committer are set in the throwaway checkout's own config.
      await git.addConfig("user.name", author.name).addConfig("user.email", author.email);
      await git.commit(options.message(plan));
      const commit = (await git.revparse(["HEAD"])).trim();
      if (!options.push) return { plan, commit, pushed: false, attempts: attempt };
      try {
        await git.push("origin", `HEAD:refs/heads/${target}`);
        return { plan, commit, pushed: true, attempts: attempt };
      } catch (error) {
        const text = error instanceof Error ? error.message : String(error);
        const moved = /rejected|non-fast-forward|fetch first|failed to push/i.test(text);
        if (!moved || attempt >= maxAttempts) {
          throw describeFailure(`push to ${target} of`, options.spec, error);
        }
        // Someone pushed first: start again from their commit.
        await fetchHead(dir, options.spec, target);
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
