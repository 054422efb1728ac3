#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  commentBody,
  commentMarker,
  markdownReport
} from "./chunk-EI4E6FNW.js";
import "./chunk-PW6NO3M2.js";
import {
  writeOutputs
} from "./chunk-TI3JTXND.js";
import {
  notice,
  summary
} from "./chunk-6RBBS2HI.js";
import "./chunk-FSJZUE2Y.js";
import {
  messageOf
} from "./chunk-6SSSO5LC.js";
import "./chunk-3IQPLNQJ.js";

// action/validate/github.ts
async function writeJobSummary(report, overflow, env) {
  if (!env.GITHUB_STEP_SUMMARY) return false;
  await summary.addRaw(markdownReport(report, { overflow, runUrl: runUrl(env) })).write();
  return true;
}
function writeReportOutputs(report, reportPath) {
  writeOutputs({
    errors: report.summary.errors,
    warnings: report.summary.warnings,
    report: reportPath ?? ""
  });
}
function runUrl(env) {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_RUN_ID: run } = env;
  return server && repo && run ? `${server}/${repo}/actions/runs/${run}` : void 0;
}
async function pullRequest(token, withoutToken) {
  if (!token) return withoutToken;
  const github = await import("./github-YJ4SHSIS.js");
  const number = github.context.payload.pull_request?.number;
  if (typeof number !== "number") {
    return `not a pull request (event ${github.context.eventName || "unknown"})`;
  }
  let repo;
  try {
    repo = github.context.repo;
  } catch {
    return "GITHUB_REPOSITORY is not set";
  }
  return { pr: { ...repo, number }, octokit: github.getOctokit(token) };
}
function status(error) {
  const s = error.status;
  return typeof s === "number" ? s : void 0;
}
function reason(error) {
  const s = status(error);
  const message = messageOf(error);
  return s ? `HTTP ${s}: ${message}` : message;
}
function upsertComment(report, key, env) {
  return upsertStickyComment(commentMarker(key), commentBody(report, key, runUrl(env)), env);
}
async function upsertStickyComment(marker, body, env) {
  const skip = (why) => {
    notice(`Skipped the pull request comment: ${why}.`);
    return "skipped";
  };
  const found = await pullRequest(
    env.GITHUB_TOKEN,
    "no token (set GITHUB_TOKEN, the action's `token` input)"
  );
  if (typeof found === "string") return skip(found);
  const { pr, octokit } = found;
  const issue = { owner: pr.owner, repo: pr.repo, issue_number: pr.number };
  try {
    const comments = await octokit.paginate(octokit.rest.issues.listComments, {
      ...issue,
      per_page: 100
    });
    const existing = comments.find((c) => typeof c.body === "string" && c.body.includes(marker));
    if (existing) {
      if (existing.body === body) return "unchanged";
      await octokit.rest.issues.updateComment({
        owner: pr.owner,
        repo: pr.repo,
        comment_id: existing.id,
        body
      });
      return "updated";
    }
    await octokit.rest.issues.createComment({ ...issue, body });
    return "created";
  } catch (error) {
    const s = status(error);
    if (s === 401 || s === 403 || s === 404) {
      return skip(
        `the token may not write pull request comments (read-only on pull requests from forks; grant \`pull-requests: write\`) \u2014 ${reason(error)}`
      );
    }
    return skip(`GitHub API error \u2014 ${reason(error)}`);
  }
}
async function pullRequestFiles(env) {
  const found = await pullRequest(env.GITHUB_TOKEN, "no token to list the pull request's files");
  if (typeof found === "string") return found;
  const { pr, octokit } = found;
  try {
    const files = await octokit.paginate(octokit.rest.pulls.listFiles, {
      owner: pr.owner,
      repo: pr.repo,
      pull_number: pr.number,
      per_page: 100
    });
    if (files.length >= 3e3) return "the pull request changes 3,000 files or more";
    return files.flatMap(
      (f) => f.previous_filename ? [f.filename, f.previous_filename] : [f.filename]
    );
  } catch (error) {
    return `cannot list the pull request's files \u2014 ${reason(error)}`;
  }
}
export {
  pullRequestFiles,
  runUrl,
  upsertComment,
  upsertStickyComment,
  writeJobSummary,
  writeReportOutputs
};
