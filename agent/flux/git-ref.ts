// A GitRepository's `spec.ref` as source-controller's Git client reads it: `commit`
// first, then `name` (a full reference: refs/heads/…, refs/tags/…, refs/pull/…/head),
// then `tag`, then `semver` (the highest tag in a Masterminds range, tags read as Flux
// reads versions: strict SemVer after one leading "v", so "v2" or "v1.5" are not
// versions), then `branch` (master when nothing is given). Flux's API documentation
// ranks semver before tag; its client checks tag first, and that is what runs. And the
// name the Flux revision carries: `<branch|tag|name>@sha1:<sha>`, or `sha1:<sha>` for a
// commit.
//
// Where Tether differs: of tags with equal versions (1.0.0 and v1.0.0, or builds
// +b1 and +b2), Flux takes the one whose commit is newest; Tether the first in the
// remote's name order.
import {
  compareVersions,
  parseSemverRange,
  parseTagVersion,
  satisfies,
} from "../../shared/tagpolicy/semver.ts";
import { GitSourceError, type GitSourceSpec, remoteTags } from "../source/git.ts";

export interface FluxGitRef {
  branch?: string;
  tag?: string;
  semver?: string;
  name?: string;
  commit?: string;
}

/** What to fetch, and the name its Flux revision carries (undefined for a commit). */
export interface ResolvedRef {
  ref: Pick<GitSourceSpec, "branch" | "tag" | "commit" | "refName" | "chosenBy">;
  label: string | undefined;
  /**
   * A semver range's other tags in range: each is checked out in a cache folder of its
   * own, so the folders of those picked before can go once this one is checked out.
   */
  superseded?: string[];
}

/** The highest tag that `range` admits, or undefined; equal versions: the first listed. */
export function pickSemverTag(tags: readonly string[], range: string): string | undefined {
  let parsed: ReturnType<typeof parseSemverRange>;
  try {
    parsed = parseSemverRange(range);
  } catch (error) {
    throw new GitSourceError(`semver parse error: ${(error as Error).message}`);
  }
  let best: { tag: string; version: NonNullable<ReturnType<typeof parseTagVersion>> } | undefined;
  for (const tag of tags) {
    const version = parseTagVersion(tag);
    if (!version || !satisfies(parsed, version)) continue;
    if (!best || compareVersions(version, best.version) > 0) best = { tag, version };
  }
  return best?.tag;
}

/**
 * The ref to fetch for `ref`; a semver range lists the remote's tags (with `source`'s
 * URL and credentials) and takes the highest that matches.
 */
export async function resolveFluxRef(
  ref: FluxGitRef,
  source: Pick<GitSourceSpec, "url" | "credentials">,
): Promise<ResolvedRef> {
  if (ref.commit) return { ref: { commit: ref.commit }, label: undefined };
  if (ref.name) return { ref: { refName: ref.name }, label: ref.name };
  if (ref.tag) return { ref: { tag: ref.tag }, label: ref.tag };
  if (ref.semver) {
    const tags = (await remoteTags(source)).map((t) => t.name);
    const tag = pickSemverTag(tags, ref.semver);
    if (!tag) throw new GitSourceError(`no match found for semver: ${ref.semver}`);
    const range = parseSemverRange(ref.semver);
    const superseded = tags.filter((t) => {
      const version = parseTagVersion(t);
      return t !== tag && version !== undefined && satisfies(range, version);
    });
    return { ref: { tag, chosenBy: `semver ${ref.semver}` }, label: tag, superseded };
  }
  const branch = ref.branch ?? "master";
  return { ref: { branch }, label: branch };
}

/**
 * What a ref selects, in words that compare: `refs/heads/x` is branch x, `refs/tags/y`
 * tag y, and a GitRepository without a ref follows master (`fallbackBranch` otherwise).
 */
function selection(ref: FluxGitRef, fallbackBranch: string): string {
  if (ref.commit) return `commit ${ref.commit}`;
  if (ref.name) {
    const full = /^refs\/(heads|tags)\/(.+)$/.exec(ref.name);
    return full ? `${full[1] === "heads" ? "branch" : "tag"} ${full[2]}` : `name ${ref.name}`;
  }
  if (ref.tag) return `tag ${ref.tag}`;
  if (ref.semver) return `semver ${ref.semver}`;
  return `branch ${ref.branch ?? fallbackBranch}`;
}

/**
 * Whether a GitRepository's `ref` selects what the agent follows (`agent`: its branch,
 * tag or commit), so that the agent's own checkout is that GitRepository's content.
 */
export function selectsAgentRef(ref: FluxGitRef | undefined, agent: FluxGitRef): boolean {
  return selection(ref ?? {}, "master") === selection(agent, "main");
}

/**
 * A suspended GitRepository's revision (`flux suspend source git`): the commit of its
 * `status.artifact.revision` and the name it carries, served until it is resumed.
 * Revisions read: `main@sha1:<sha>`, `sha1:<sha>`, and Flux 0.x's `main/<sha>`.
 */
export function suspendedRevision(repo: {
  metadata: { name: string; namespace?: string | undefined };
  status?: unknown;
}): { sha: string; label: string | undefined } {
  const revision = (repo.status as { artifact?: { revision?: string } } | undefined)?.artifact
    ?.revision;
  const match = revision
    ? (/^(?:(.+)@)?sha1:([0-9a-f]{40})$/.exec(revision) ??
      /^(?:(.+)\/)?([0-9a-f]{40})$/.exec(revision))
    : null;
  if (!match) {
    throw new GitSourceError(
      `GitRepository ${repo.metadata.namespace ?? "default"}/${repo.metadata.name} is suspended and has no artifact to serve`,
    );
  }
  return { sha: match[2] as string, label: match[1] };
}
