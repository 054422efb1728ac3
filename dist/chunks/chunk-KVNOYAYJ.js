#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  messageOf
} from "./chunk-6SSSO5LC.js";

// agent/automation/pull-request.ts
function pullRequestSettings(flags) {
  if (flags.pullRequest === void 0) return void 0;
  if (flags.pullRequest !== "github")
    throw new Error(`--pull-request supports github, not ${JSON.stringify(flags.pullRequest)}`);
  const repository = flags.pullRequestRepo ?? githubRepository(flags.gitUrl);
  if (!repository)
    throw new Error(
      "--pull-request-repo OWNER/NAME is needed when the Git URL is not on github.com"
    );
  let tokenSecret;
  if (flags.pullRequestTokenSecret !== void 0) {
    const [namespace, name] = flags.pullRequestTokenSecret.split("/");
    if (!namespace || !name) throw new Error("--pull-request-token-secret must be NAMESPACE/NAME");
    tokenSecret = { namespace, name };
  }
  return {
    provider: "github",
    apiUrl: flags.pullRequestApi ?? "https://api.github.com",
    repository,
    tokenSecret
  };
}
async function resolvePullRequest(settings, client, env = process.env) {
  let token = env.GITHUB_TOKEN;
  if (settings.tokenSecret) {
    const { namespace, name } = settings.tokenSecret;
    if (!client)
      throw new Error("--pull-request-token-secret needs a cluster (--kubeconfig or KUBECONFIG)");
    const secret = await client.get({ apiVersion: "v1", kind: "Secret", namespace, name });
    const data = secret?.data ?? {};
    if (!data.token) throw new Error(`Secret ${namespace}/${name} has no key "token"`);
    token = Buffer.from(data.token, "base64").toString("utf8").trim();
  }
  if (!token)
    throw new Error("pull requests need a token: set GITHUB_TOKEN or --pull-request-token-secret");
  return {
    provider: settings.provider,
    apiUrl: settings.apiUrl,
    repository: settings.repository,
    token
  };
}
var escapeCell = (text) => text.replaceAll("|", "\\|").replaceAll("`", "'");
function pullRequestText(automation, changes) {
  const rows = changes.map(
    (c) => `| \`${escapeCell(c.file)}\` | \`${escapeCell(c.old)}\` \u2192 \`${escapeCell(c.new)}\` | \`${escapeCell(c.marker)}\` |`
  );
  return {
    title: `Image updates from ${automation}`,
    body: [
      `Image updates found by the ImageUpdateAutomation \`${automation}\`.`,
      "",
      "| File | Change | Policy |",
      "| --- | --- | --- |",
      ...rows,
      "",
      "This branch is rebuilt on the base branch at every pass; the pull request closes when nothing is left to update.",
      ""
    ].join("\n")
  };
}
function githubRepository(url) {
  const m = /github\.com[/:]([^/]+)\/([^/]+?)(?:\.git)?\/?$/.exec(url);
  return m ? `${m[1]}/${m[2]}` : void 0;
}
var PullRequestError = class extends Error {
};
async function syncPullRequest(provider, request) {
  const [owner, repo] = provider.repository.split("/");
  if (!owner || !repo)
    throw new PullRequestError(
      `pull request repository must be owner/name, not ${provider.repository}`
    );
  const { getOctokit } = await import("./github-YJ4SHSIS.js");
  const octokit = getOctokit(provider.token, { baseUrl: provider.apiUrl.replace(/\/+$/, "") });
  try {
    const { data: open } = await octokit.rest.pulls.list({
      owner,
      repo,
      state: "open",
      head: `${owner}:${request.head}`,
      base: request.base
    });
    const existing = open[0];
    if (request.changes.length === 0) {
      if (existing === void 0) return { action: "none" };
      await octokit.rest.issues.createComment({
        owner,
        repo,
        issue_number: existing.number,
        body: `Nothing is left to update: ${request.base} already holds every image the policies select. Closing.`
      });
      await octokit.rest.pulls.update({
        owner,
        repo,
        pull_number: existing.number,
        state: "closed"
      });
      return { action: "closed", number: existing.number, url: existing.html_url };
    }
    const { title, body } = pullRequestText(request.automation, request.changes);
    if (existing === void 0) {
      const { data } = await octokit.rest.pulls.create({
        owner,
        repo,
        title,
        body,
        head: request.head,
        base: request.base
      });
      return { action: "opened", number: data.number, url: data.html_url };
    }
    if (existing.title === title && (existing.body ?? "") === body)
      return { action: "unchanged", number: existing.number, url: existing.html_url };
    await octokit.rest.pulls.update({ owner, repo, pull_number: existing.number, title, body });
    return { action: "updated", number: existing.number, url: existing.html_url };
  } catch (error) {
    const message = messageOf(error).replaceAll(provider.token, "[redacted]");
    throw new PullRequestError(
      `pull request for ${request.head} on ${provider.apiUrl} (${provider.repository}): ${message}`
    );
  }
}

export {
  pullRequestSettings,
  resolvePullRequest,
  pullRequestText,
  githubRepository,
  PullRequestError,
  syncPullRequest
};
