// Commits image updates and pushes them, safely: never an empty commit, never anyone
// else's commit lost.
// - Push branch = checkout branch: the commit goes on top; when the push is rejected
//   because the branch moved, the new head is fetched, the updates are planned again
//   on it and the push retried, a bounded number of times. Never forced.
// - Push branch != checkout branch (pull-request mode, Flux's spec.git.push.branch):
//   the push branch becomes the checkout branch's head plus one update commit, rebuilt
//   each pass, so it never goes stale. Flux force-pushes that branch over whatever is
//   on it; Tether replaces it only when every commit on it beyond the checkout branch is
//   its own (a `Tether-Automation:` trailer names the automation), and then only with a
//   lease on the exact commit it examined. When someone else has pushed to the branch,
//   the updates are built on top of their commits instead (Flux's behaviour with
//   GitForcePushBranch=false), and the branch is no longer rebuilt until they are gone.
// - A tag or commit to start from (Flux's spec.git.checkout.ref): as the previous case,
//   with that commit as the base.
// - A signer (spec.git.commit.signingKey): every commit is signed before it is pushed.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SimpleGit } from "simple-git";
import { confine } from "../../shared/util/confine.ts";
import { messageOf } from "../../shared/util/message.ts";
import { describeFailure, type GitSourceSpec, gitEnvironment, gitIn } from "../source/git.ts";
import type { CheckoutRef } from "./runs.ts";
import { type Signer, withSignature } from "./signing.ts";
import type { UpdatePlan } from "./update.ts";

export interface WriteOptions {
  spec: GitSourceSpec;
  /** Branch the updates are based on (its head), unless `checkout` names a tag or commit. */
  branch: string;
  /** A tag or commit to base the updates on instead; they then go to the push branch. */
  checkout?: { tag: string } | { commit: string } | undefined;
  /** Branch to push to (created when missing); default `branch`. */
  pushBranch?: string | undefined;
  author: () => { name: string; email: string };
  message: (plan: UpdatePlan) => string;
  /** Names the automation in a trailer of pull-request mode commits (`namespace/name`). */
  automation?: () => string | undefined;
  /** Plans the updates in a checkout (called again after a rejected push). */
  plan: (dir: string) => Promise<UpdatePlan>;
  push: boolean;
  dryRun?: boolean;
  maxAttempts?: number;
  /** Signs every commit (never pushed unsigned when given). */
  sign?: Signer | undefined;
  /**
   * Flux's spec.git.push.refspec: after the push branch, the commit is pushed with this
   * refspec too (e.g. `HEAD:refs/for/main` for Gerrit). Never forced: Flux's schema
   * refuses a refspec that starts with `+`.
   */
  refspec?: string | undefined;
  /** Flux's spec.git.push.options: git push options (`-o key=value`), sent with each push. */
  pushOptions?: Readonly<Record<string, string>> | undefined;
}

/** `--push-option` flags for each of spec.git.push.options, in key order. Pure. */
export function pushOptionFlags(options: Readonly<Record<string, string>> | undefined): string[] {
  return Object.keys(options ?? {})
    .sort()
    .map((key) => {
      const value = options?.[key] ?? "";
      return `--push-option=${value === "" ? key : `${key}=${value}`}`;
    });
}

/**
 * `git push` with spec.git.push.options. A server that does not take push options
 * refuses them; they are then left out, as go-git (Flux) sends them only to a server
 * that advertises them.
 */
async function pushWithOptions(
  git: SimpleGit,
  options: WriteOptions,
  args: readonly string[],
): Promise<void> {
  const flags = pushOptionFlags(options.pushOptions);
  try {
    await git.push([...flags, ...args]);
  } catch (error) {
    if (flags.length === 0 || !/does not support push options/.test(messageOf(error))) throw error;
    await git.push([...args]);
  }
}

/**
 * Pushes the commit with spec.git.push.refspec, once the push branch `target` has it.
 * The local branches are what they are in Flux's checkout, so a refspec may name them
 * (`refs/heads/main:refs/heads/auto`) as well as `HEAD`: the push branch at the commit,
 * and in pull-request mode the checkout branch at `base`.
 */
async function pushRefspec(
  git: SimpleGit,
  options: WriteOptions,
  target: string,
  base?: string,
): Promise<void> {
  if (!options.refspec) return;
  try {
    await git.raw(["branch", "--force", target, "HEAD"]);
    if (base && options.branch !== target && !options.checkout)
      await git.raw(["branch", "--force", options.branch, base]);
    await pushWithOptions(git, options, ["origin", options.refspec]);
  } catch (error) {
    throw describeFailure(`push with refspec ${options.refspec} of`, options.spec, error);
  }
}

export interface WriteResult {
  plan: UpdatePlan;
  /** The new commit, when one was made. */
  commit?: string | undefined;
  pushed: boolean;
  attempts: number;
  /** The branch pushed to (or that would be). */
  branch: string;
  /** spec.git.push.refspec, when the commit was pushed with it too. */
  refspec?: string | undefined;
  /** Pull-request mode: the push branch already held exactly these updates. */
  upToDate?: boolean;
  /** Pull-request mode: commits by others on the push branch, which were built upon. */
  othersCommits?: number;
}

export const TRAILER = "Tether-Automation";

/** Checks out `ref` (a branch's head, a tag, a commit) shallowly; false when it does not exist. */
async function fetchRef(dir: string, spec: GitSourceSpec, ref: CheckoutRef): Promise<boolean> {
  const git = gitIn(dir, gitEnvironment(spec));
  const name =
    "commit" in ref
      ? ref.commit
      : "tag" in ref
        ? `refs/tags/${ref.tag}`
        : `refs/heads/${ref.branch}`;
  if (!("commit" in ref) && !(await git.listRemote(["origin", name])).trim()) return false;
  await git.fetch(["--depth", "1", "--no-tags", "origin", name]);
  await git.raw(["checkout", "--force", "-B", "tether-images", "FETCH_HEAD^{commit}"]);
  return true;
}

const fetchHead = (dir: string, spec: GitSourceSpec, branch: string) =>
  fetchRef(dir, spec, { branch });

/** A fresh shallow checkout of `ref` in a temporary folder, for `read`; removed after. */
async function inCheckout<T>(
  spec: GitSourceSpec,
  ref: CheckoutRef,
  read: (dir: string, git: SimpleGit) => Promise<T>,
): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), "tether-images-"));
  const git = gitIn(dir, gitEnvironment(spec));
  try {
    try {
      await git.init().addRemote("origin", spec.url);
      const what =
        "branch" in ref
          ? `branch ${ref.branch}`
          : "tag" in ref
            ? `tag ${ref.tag}`
            : `commit ${ref.commit}`;
      if (!(await fetchRef(dir, spec, ref))) throw new Error(`${what} does not exist`);
    } catch (error) {
      throw describeFailure("checkout of", spec, error);
    }
    return await read(dir, git);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Reads a branch's head (the image objects, before any run): `read` gets a checkout. */
export const readBranch = <T>(
  spec: GitSourceSpec,
  branch: string,
  read: (dir: string) => Promise<T>,
): Promise<T> => inCheckout(spec, { branch }, (dir) => read(dir));

export function commitAndPush(options: WriteOptions): Promise<WriteResult> {
  const base: CheckoutRef = options.checkout ?? { branch: options.branch };
  return inCheckout(options.spec, base, async (dir, git) => {
    const maxAttempts = options.maxAttempts ?? 3;
    for (let attempt = 1; ; attempt++) {
      const plan = await options.plan(dir);
      const target = options.pushBranch ?? options.branch;
      // From a tag or commit, the push branch is kept as the pull-request mode keeps it.
      if (options.checkout || target !== options.branch)
        return await writePushBranch(git, dir, options, plan, target);
      if (plan.changes.length === 0 || options.dryRun)
        return { plan, pushed: false, attempts: attempt, branch: target };
      const commit = await commitPlan(git, dir, options, plan, undefined);
      if (!options.push) return { plan, commit, pushed: false, attempts: attempt, branch: target };
      try {
        await pushWithOptions(git, options, ["origin", `HEAD:refs/heads/${target}`]);
      } catch (error) {
        if (!rejected(error) || attempt >= maxAttempts) {
          throw describeFailure(`push to ${target} of`, options.spec, error);
        }
        // Someone pushed first: start again from their commit.
        await fetchHead(dir, options.spec, target);
        continue;
      }
      await pushRefspec(git, options, target);
      return {
        plan,
        commit,
        pushed: true,
        attempts: attempt,
        branch: target,
        refspec: options.refspec,
      };
    }
  });
}

/**
 * The push lost a race: the branch moved (`[rejected] ... (fetch first)`,
 * non-fast-forward) or the lease went stale. Not any failed push: git says "failed to
 * push" and "[remote rejected]" for a hook or a protected branch too, which fetching
 * and planning again cannot change.
 */
const rejected = (error: unknown) =>
  /\[rejected\]|non-fast-forward|fetch first|stale info/i.test(messageOf(error));

async function commitPlan(
  git: SimpleGit,
  dir: string,
  options: WriteOptions,
  plan: UpdatePlan,
  trailer: string | undefined,
): Promise<string> {
  const author = options.author();
  // Planned inside the checkout; checked again here, as the last step before a write.
  for (const [file, text] of plan.files) await writeFile(await confine(dir, file), text);
  await git.add([...plan.files.keys()]);
  // Author and committer are set in the throwaway checkout's own config.
  await git.addConfig("user.name", author.name).addConfig("user.email", author.email);
  const message = options.message(plan);
  await git.commit(
    trailer === undefined ? message : `${message.trimEnd()}\n\n${TRAILER}: ${trailer}\n`,
  );
  if (options.sign) await signHead(git, dir, options.sign);
  return (await git.revparse(["HEAD"])).trim();
}

/** Replaces HEAD by the same commit with a signature (git's own `gpgsig` header). */
async function signHead(git: SimpleGit, dir: string, sign: Signer): Promise<void> {
  const payload = await git.catFile(["commit", "HEAD"]);
  const signed = join(dir, ".git", "tether-signed-commit");
  await writeFile(signed, withSignature(payload, await sign(payload)));
  const commit = (
    await git.raw(["hash-object", "-t", "commit", "-w", "--no-filters", signed])
  ).trim();
  await git.raw(["reset", "-q", "--soft", commit]);
}

async function remoteHead(git: SimpleGit, branch: string): Promise<string | undefined> {
  const listed = await git.listRemote(["origin", `refs/heads/${branch}`]);
  return listed.trim().split(/\s+/)[0] || undefined;
}

/** Commits in base..head whose message lacks this automation's trailer. */
async function othersCommits(
  git: SimpleGit,
  base: string,
  head: string,
  automation: string,
): Promise<string[]> {
  const log = await git.raw(["log", "--format=%H%x00%B%x01", `${base}..${head}`]);
  const ours = `\n${TRAILER}: ${automation}\n`;
  return log
    .split("\x01")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "")
    .filter((entry) => !`\n${entry.split("\0")[1] ?? ""}\n`.includes(ours))
    .map((entry) => entry.split("\0")[0] ?? "");
}

async function writePushBranch(
  git: SimpleGit,
  dir: string,
  options: WriteOptions,
  first: UpdatePlan,
  target: string,
): Promise<WriteResult> {
  const automation =
    options.automation?.() ?? `branch ${options.checkout ? target : options.branch}`;
  const base = (await git.revparse(["HEAD"])).trim();
  const maxAttempts = options.maxAttempts ?? 3;
  let plan = first;
  for (let attempt = 1; ; attempt++) {
    const remote = await remoteHead(git, target);
    if (plan.changes.length === 0 || options.dryRun)
      return { plan, pushed: false, attempts: attempt, branch: target };
    let lease: string | undefined;
    let others: string[] = [];
    if (remote !== undefined) {
      // The whole history of both branches, to tell whose commits are on the push branch.
      try {
        await git.fetch([
          "--no-tags",
          ...((await git.revparse(["--is-shallow-repository"])).trim() === "true"
            ? ["--unshallow"]
            : []),
          "origin",
          `+refs/heads/${target}:refs/tether/push`,
        ]);
      } catch (error) {
        throw describeFailure(`fetch of ${target} from`, options.spec, error);
      }
      others = await othersCommits(git, base, remote, automation);
      if (others.length === 0) {
        lease = remote;
      } else {
        // Someone else's work is on the branch: build on it, never replace it.
        await git.raw(["checkout", "--force", "-B", "tether-images", remote]);
        plan = await options.plan(dir);
        if (plan.changes.length === 0)
          return {
            plan,
            pushed: false,
            attempts: attempt,
            branch: target,
            othersCommits: others.length,
          };
      }
    }
    const commit = await commitPlan(git, dir, options, plan, automation);
    const result = {
      plan,
      attempts: attempt,
      branch: target,
      ...(others.length > 0 ? { othersCommits: others.length } : {}),
    };
    if (lease !== undefined) {
      // Already base + exactly these updates: nothing to push.
      const [mine, theirs, parents] = await Promise.all([
        git.revparse([`${commit}^{tree}`]),
        git.revparse([`${lease}^{tree}`]),
        git.raw(["rev-list", "--parents", "-n", "1", lease]),
      ]);
      // Same content, and its one parent is the base we built on (not an older one).
      if (mine.trim() === theirs.trim() && parents.trim().split(" ").slice(1).join() === base)
        return { ...result, commit: lease, pushed: false, upToDate: true };
    }
    if (!options.push) return { ...result, commit, pushed: false };
    try {
      await pushWithOptions(git, options, [
        ...(lease === undefined ? [] : [`--force-with-lease=refs/heads/${target}:${lease}`]),
        "origin",
        `HEAD:refs/heads/${target}`,
      ]);
    } catch (error) {
      if (!rejected(error) || attempt >= maxAttempts)
        throw describeFailure(`push to ${target} of`, options.spec, error);
      // The branch moved while we worked: look again from the same base.
      await git.raw(["checkout", "--force", "-B", "tether-images", base]);
      plan = await options.plan(dir);
      continue;
    }
    await pushRefspec(git, options, target, base);
    return { ...result, commit, pushed: true, refspec: options.refspec };
  }
}
