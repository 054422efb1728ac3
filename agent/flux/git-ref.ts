// A GitRepository's `spec.ref` as source-controller reads it: `commit` first, then
// `name` (a full reference: refs/heads/…, refs/tags/…, refs/pull/…/head), then `semver`
// (the highest tag in a Masterminds range, tags read as Masterminds' NewVersion reads
// them: "v1.2.3", "1.2"), then `tag`, then `branch` (master when nothing is given). And
// the name the Flux revision carries: `<branch|tag|name>@sha1:<sha>`, or `sha1:<sha>`
// for a commit.
import {
  compareVersions,
  parseLooseVersion,
  parseSemverRange,
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
  ref: Pick<GitSourceSpec, "branch" | "tag" | "commit" | "refName">;
  label: string | undefined;
}

/** The highest tag that `range` admits, or undefined; equal versions: the first listed. */
export function pickSemverTag(tags: readonly string[], range: string): string | undefined {
  let parsed: ReturnType<typeof parseSemverRange>;
  try {
    parsed = parseSemverRange(range);
  } catch (error) {
    throw new GitSourceError(`semver parse error: ${(error as Error).message}`);
  }
  let best: { tag: string; version: NonNullable<ReturnType<typeof parseLooseVersion>> } | undefined;
  for (const tag of tags) {
    const version = parseLooseVersion(tag);
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
  if (ref.semver) {
    const tags = (await remoteTags(source)).map((t) => t.name);
    const tag = pickSemverTag(tags, ref.semver);
    if (!tag) throw new GitSourceError(`no match found for semver: ${ref.semver}`);
    return { ref: { tag }, label: tag };
  }
  if (ref.tag) return { ref: { tag: ref.tag }, label: ref.tag };
  const branch = ref.branch ?? "master";
  return { ref: { branch }, label: branch };
}
