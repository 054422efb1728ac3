// The GitHub side of `-o github`: the job summary (GITHUB_STEP_SUMMARY), step outputs
// (GITHUB_OUTPUT), the sticky pull request comment, and the pull request's changed
// files. @actions/github reads the environment when it is loaded, so it is imported
// only here, only when needed.
import * as core from "@actions/core";
import { messageOf } from "../../shared/util/message.ts";
import { writeOutputs } from "../outputs.ts";
import { commentBody, commentMarker, markdownReport } from "./formats/github.ts";
import type { MessageGroup, Report } from "./report.ts";

export async function writeJobSummary(
  report: Report,
  overflow: readonly MessageGroup[],
  env: NodeJS.ProcessEnv,
): Promise<boolean> {
  if (!env.GITHUB_STEP_SUMMARY) return false;
  await core.summary.addRaw(markdownReport(report, { overflow, runUrl: runUrl(env) })).write();
  return true;
}

/** Step outputs `errors`, `warnings` and `report` (the path of the JSON report). */
export function writeReportOutputs(report: Report, reportPath: string | undefined): void {
  writeOutputs({
    errors: report.summary.errors,
    warnings: report.summary.warnings,
    report: reportPath ?? "",
  });
}

export function runUrl(env: NodeJS.ProcessEnv): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_RUN_ID: run } = env;
  return server && repo && run ? `${server}/${repo}/actions/runs/${run}` : undefined;
}

interface PullRequestContext {
  owner: string;
  repo: string;
  number: number;
}

/** The pull request of this run and an API client for it, or why there is none. */
async function pullRequest(
  token: string | undefined,
  withoutToken: string,
): Promise<
  | { pr: PullRequestContext; octokit: ReturnType<typeof import("@actions/github").getOctokit> }
  | string
> {
  if (!token) return withoutToken;
  const github = await import("@actions/github");
  const number = github.context.payload.pull_request?.number;
  if (typeof number !== "number") {
    return `not a pull request (event ${github.context.eventName || "unknown"})`;
  }
  let repo: { owner: string; repo: string };
  try {
    repo = github.context.repo;
  } catch {
    return "GITHUB_REPOSITORY is not set";
  }
  return { pr: { ...repo, number }, octokit: github.getOctokit(token) };
}

function status(error: unknown): number | undefined {
  const s = (error as { status?: unknown }).status;
  return typeof s === "number" ? s : undefined;
}

function reason(error: unknown): string {
  const s = status(error);
  const message = messageOf(error);
  return s ? `HTTP ${s}: ${message}` : message;
}

export type CommentOutcome = "created" | "updated" | "unchanged" | "skipped";

/**
 * Creates or updates the one comment of this report on the pull request, found again by
 * a hidden marker. Never fails the run: without a token, outside a pull request, or with
 * a token that may not write (fork pull requests get a read-only one) it says why in a
 * notice and goes on.
 */
export function upsertComment(
  report: Report,
  key: string,
  env: NodeJS.ProcessEnv,
): Promise<CommentOutcome> {
  return upsertStickyComment(commentMarker(key), commentBody(report, key, runUrl(env)), env);
}

/**
 * The sticky comment itself, for any report (validate, preview): the comment holding
 * `marker` is updated to `body` (which must contain the marker), or created.
 */
export async function upsertStickyComment(
  marker: string,
  body: string,
  env: NodeJS.ProcessEnv,
): Promise<CommentOutcome> {
  const skip = (why: string): CommentOutcome => {
    core.notice(`Skipped the pull request comment: ${why}.`);
    return "skipped";
  };
  const found = await pullRequest(
    env.GITHUB_TOKEN,
    "no token (set GITHUB_TOKEN, the action's `token` input)",
  );
  if (typeof found === "string") return skip(found);
  const { pr, octokit } = found;
  const issue = { owner: pr.owner, repo: pr.repo, issue_number: pr.number };
  try {
    const comments = await octokit.paginate(octokit.rest.issues.listComments, {
      ...issue,
      per_page: 100,
    });
    const existing = comments.find((c) => typeof c.body === "string" && c.body.includes(marker));
    if (existing) {
      if (existing.body === body) return "unchanged";
      await octokit.rest.issues.updateComment({
        owner: pr.owner,
        repo: pr.repo,
        comment_id: existing.id,
        body,
      });
      return "updated";
    }
    await octokit.rest.issues.createComment({ ...issue, body });
    return "created";
  } catch (error) {
    const s = status(error);
    if (s === 401 || s === 403 || s === 404) {
      return skip(
        `the token may not write pull request comments (read-only on pull requests from forks; grant \`pull-requests: write\`) — ${reason(error)}`,
      );
    }
    return skip(`GitHub API error — ${reason(error)}`);
  }
}

/**
 * Files the pull request changes (old and new names of renames), or the reason they
 * cannot be listed (then everything is validated).
 */
export async function pullRequestFiles(env: NodeJS.ProcessEnv): Promise<string[] | string> {
  const found = await pullRequest(env.GITHUB_TOKEN, "no token to list the pull request's files");
  if (typeof found === "string") return found;
  const { pr, octokit } = found;
  try {
    const files = await octokit.paginate(octokit.rest.pulls.listFiles, {
      owner: pr.owner,
      repo: pr.repo,
      pull_number: pr.number,
      per_page: 100,
    });
    // The API lists at most 3,000 files: past that the list is incomplete.
    if (files.length >= 3000) return "the pull request changes 3,000 files or more";
    return files.flatMap((f) =>
      f.previous_filename ? [f.filename, f.previous_filename] : [f.filename],
    );
  } catch (error) {
    return `cannot list the pull request's files — ${reason(error)}`;
  }
}
