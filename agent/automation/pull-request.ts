// Pull-request mode: one pull request per automation, from its push branch into its
// checkout branch, whose body lists every pending change (file, old -> new, policy).
// Opened when the push branch first holds updates, updated when they change, closed
// when nothing is left to change (the base caught up, or the updates were merged).
// Flux has no pull-request step of its own; this is Tether's addition.
//
// GitHub only, through @actions/github (Octokit) against a configurable API URL (GitHub
// Enterprise, or a stand-in in tests). The token comes from a Secret or the environment
// and is never printed: Octokit redacts it from its errors, and messages are scrubbed
// of it here as well.
import type { KubeClient } from "../../shared/kube/client.ts";
import { messageOf } from "../../shared/util/message.ts";
import type { FileChange } from "./update.ts";

export interface PullRequestProvider {
  provider: "github";
  /** REST API root, e.g. https://api.github.com or https://ghe.example/api/v3. */
  apiUrl: string;
  /** `owner/name` of the repository. */
  repository: string;
  token: string;
}

/** What the flags say; the token is read when a pass runs (a Secret may rotate). */
export interface PullRequestSettings {
  provider: "github";
  apiUrl: string;
  repository: string;
  /** Secret whose `token` key holds the token; else GITHUB_TOKEN. */
  tokenSecret?: { namespace: string; name: string } | undefined;
}

/** Settings from the --pull-request* flags; throws on a bad combination. */
export function pullRequestSettings(flags: {
  pullRequest?: string | undefined;
  pullRequestApi?: string | undefined;
  pullRequestRepo?: string | undefined;
  pullRequestTokenSecret?: string | undefined;
  gitUrl: string;
}): PullRequestSettings | undefined {
  if (flags.pullRequest === undefined) return undefined;
  if (flags.pullRequest !== "github")
    throw new Error(`--pull-request supports github, not ${JSON.stringify(flags.pullRequest)}`);
  const repository = flags.pullRequestRepo ?? githubRepository(flags.gitUrl);
  if (!repository)
    throw new Error(
      "--pull-request-repo OWNER/NAME is needed when the Git URL is not on github.com",
    );
  let tokenSecret: PullRequestSettings["tokenSecret"];
  if (flags.pullRequestTokenSecret !== undefined) {
    const [namespace, name] = flags.pullRequestTokenSecret.split("/");
    if (!namespace || !name) throw new Error("--pull-request-token-secret must be NAMESPACE/NAME");
    tokenSecret = { namespace, name };
  }
  return {
    provider: "github",
    apiUrl: flags.pullRequestApi ?? "https://api.github.com",
    repository,
    tokenSecret,
  };
}

// The token comes from a Secret (key `token`) or GITHUB_TOKEN, never from a flag, so it
// does not end up in shell history or a process list.
export async function resolvePullRequest(
  settings: PullRequestSettings,
  client: KubeClient | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Promise<PullRequestProvider> {
  let token = env.GITHUB_TOKEN;
  if (settings.tokenSecret) {
    const { namespace, name } = settings.tokenSecret;
    if (!client)
      throw new Error("--pull-request-token-secret needs a cluster (--kubeconfig or KUBECONFIG)");
    const secret = await client.get({ apiVersion: "v1", kind: "Secret", namespace, name });
    const data = (secret?.data ?? {}) as Record<string, string>;
    if (!data.token) throw new Error(`Secret ${namespace}/${name} has no key "token"`);
    token = Buffer.from(data.token, "base64").toString("utf8").trim();
  }
  if (!token)
    throw new Error("pull requests need a token: set GITHUB_TOKEN or --pull-request-token-secret");
  return {
    provider: settings.provider,
    apiUrl: settings.apiUrl,
    repository: settings.repository,
    token,
  };
}

export interface PullRequestOutcome {
  action: "opened" | "updated" | "unchanged" | "closed" | "none";
  number?: number;
  url?: string;
}

export interface PullRequestRequest {
  /** `namespace/name` of the ImageUpdateAutomation. */
  automation: string;
  head: string;
  base: string;
  /** Changes pending on the push branch; empty when nothing is left to change. */
  changes: readonly FileChange[];
}

const escapeCell = (text: string) => text.replaceAll("|", "\\|").replaceAll("`", "'");

/** Title and body of the pull request for a set of changes. */
export function pullRequestText(
  automation: string,
  changes: readonly FileChange[],
): { title: string; body: string } {
  const rows = changes.map(
    (c) =>
      `| \`${escapeCell(c.file)}\` | \`${escapeCell(c.old)}\` → \`${escapeCell(c.new)}\` | \`${escapeCell(c.marker)}\` |`,
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
      "",
    ].join("\n"),
  };
}

/** `owner/name` from a GitHub remote URL (https or ssh), if it is one. */
export function githubRepository(url: string): string | undefined {
  const m = /github\.com[/:]([^/]+)\/([^/]+?)(?:\.git)?\/?$/.exec(url);
  return m ? `${m[1]}/${m[2]}` : undefined;
}

export class PullRequestError extends Error {}

/** Opens, updates or closes the automation's pull request; returns what it did. */
export async function syncPullRequest(
  provider: PullRequestProvider,
  request: PullRequestRequest,
): Promise<PullRequestOutcome> {
  const [owner, repo] = provider.repository.split("/");
  if (!owner || !repo)
    throw new PullRequestError(
      `pull request repository must be owner/name, not ${provider.repository}`,
    );
  const { getOctokit } = await import("@actions/github");
  const octokit = getOctokit(provider.token, { baseUrl: provider.apiUrl.replace(/\/+$/, "") });
  try {
    const { data: open } = await octokit.rest.pulls.list({
      owner,
      repo,
      state: "open",
      head: `${owner}:${request.head}`,
      base: request.base,
    });
    const existing = open[0];
    if (request.changes.length === 0) {
      if (existing === undefined) return { action: "none" };
      await octokit.rest.issues.createComment({
        owner,
        repo,
        issue_number: existing.number,
        body: `Nothing is left to update: ${request.base} already holds every image the policies select. Closing.`,
      });
      await octokit.rest.pulls.update({
        owner,
        repo,
        pull_number: existing.number,
        state: "closed",
      });
      return { action: "closed", number: existing.number, url: existing.html_url };
    }
    const { title, body } = pullRequestText(request.automation, request.changes);
    if (existing === undefined) {
      const { data } = await octokit.rest.pulls.create({
        owner,
        repo,
        title,
        body,
        head: request.head,
        base: request.base,
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
      `pull request for ${request.head} on ${provider.apiUrl} (${provider.repository}): ${message}`,
    );
  }
}
