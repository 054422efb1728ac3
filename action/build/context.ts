// Defaults for the tag inputs, from the GitHub Actions environment and Git. The choices:
// - SHA: --sha, else the pull request's head commit on pull_request events (GITHUB_SHA
//   is then a merge commit nobody pushed), else GITHUB_SHA.
// - Timestamp: --timestamp, else the committer time of that SHA (from `git` in the
//   working directory), else now. Committer time is the same in every job of a workflow
//   run and in re-runs, which the RELEASE tag needs (one image, one tag); "now" differs
//   between matrix jobs and is only the last resort, with a warning.
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { parseTimestamp } from "./tags.ts";

/** The PR head SHA from a pull_request event payload (pure). */
export function pullRequestHeadSha(
  eventName: string | undefined,
  event: unknown,
): string | undefined {
  if (!eventName?.startsWith("pull_request")) return undefined;
  const sha = (event as { pull_request?: { head?: { sha?: unknown } } } | undefined)?.pull_request
    ?.head?.sha;
  return typeof sha === "string" && sha !== "" ? sha : undefined;
}

export async function resolveSha(
  flag: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string | undefined> {
  if (flag) return flag;
  if (env.GITHUB_EVENT_PATH && env.GITHUB_EVENT_NAME?.startsWith("pull_request")) {
    try {
      const event: unknown = JSON.parse(await readFile(env.GITHUB_EVENT_PATH, "utf8"));
      const head = pullRequestHeadSha(env.GITHUB_EVENT_NAME, event);
      if (head) return head;
    } catch {
      // An unreadable event file leaves GITHUB_SHA as the answer.
    }
  }
  return env.GITHUB_SHA || undefined;
}

export interface ResolvedTimestamp {
  date: Date;
  source: "flag" | "commit" | "now";
}

function committerTime(sha: string, cwd: string): Promise<Date | undefined> {
  return new Promise((resolve) => {
    execFile(
      "git",
      ["show", "-s", "--format=%ct", sha, "--"],
      { cwd, timeout: 10_000 },
      (error, stdout) => {
        const seconds = Number(stdout.trim());
        resolve(
          error || !Number.isFinite(seconds) || seconds <= 0 ? undefined : new Date(seconds * 1000),
        );
      },
    );
  });
}

export async function resolveTimestamp(
  flag: string | undefined,
  sha: string | undefined,
  options: { cwd?: string; now?: () => Date } = {},
): Promise<ResolvedTimestamp> {
  if (flag) return { date: parseTimestamp(flag), source: "flag" };
  if (sha) {
    const date = await committerTime(sha, options.cwd ?? process.cwd());
    if (date) return { date, source: "commit" };
  }
  return { date: (options.now ?? (() => new Date()))(), source: "now" };
}
