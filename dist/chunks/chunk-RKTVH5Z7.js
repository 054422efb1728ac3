#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  compareVersions,
  parseSemverRange,
  parseTagVersion,
  satisfies
} from "./chunk-ASGSV6PC.js";
import {
  GitSourceError,
  remoteTags
} from "./chunk-KMXZU2AS.js";

// agent/flux/git-ref.ts
function pickSemverTag(tags, range) {
  let parsed;
  try {
    parsed = parseSemverRange(range);
  } catch (error) {
    throw new GitSourceError(`semver parse error: ${error.message}`);
  }
  let best;
  for (const tag of tags) {
    const version = parseTagVersion(tag);
    if (!version || !satisfies(parsed, version)) continue;
    if (!best || compareVersions(version, best.version) > 0) best = { tag, version };
  }
  return best?.tag;
}
async function resolveFluxRef(ref, source) {
  if (ref.commit) return { ref: { commit: ref.commit }, label: void 0 };
  if (ref.name) return { ref: { refName: ref.name }, label: ref.name };
  if (ref.tag) return { ref: { tag: ref.tag }, label: ref.tag };
  if (ref.semver) {
    const tags = (await remoteTags(source)).map((t) => t.name);
    const tag = pickSemverTag(tags, ref.semver);
    if (!tag) throw new GitSourceError(`no match found for semver: ${ref.semver}`);
    const range = parseSemverRange(ref.semver);
    const superseded = tags.filter((t) => {
      const version = parseTagVersion(t);
      return t !== tag && version !== void 0 && satisfies(range, version);
    });
    return { ref: { tag, chosenBy: `semver ${ref.semver}` }, label: tag, superseded };
  }
  const branch = ref.branch ?? "master";
  return { ref: { branch }, label: branch };
}
function selection(ref, fallbackBranch) {
  if (ref.commit) return `commit ${ref.commit}`;
  if (ref.name) {
    const full = /^refs\/(heads|tags)\/(.+)$/.exec(ref.name);
    return full ? `${full[1] === "heads" ? "branch" : "tag"} ${full[2]}` : `name ${ref.name}`;
  }
  if (ref.tag) return `tag ${ref.tag}`;
  if (ref.semver) return `semver ${ref.semver}`;
  return `branch ${ref.branch ?? fallbackBranch}`;
}
function selectsAgentRef(ref, agent) {
  return selection(ref ?? {}, "master") === selection(agent, "main");
}
function suspendedRevision(repo) {
  const revision = repo.status?.artifact?.revision;
  const match = revision ? /^(?:(.+)@)?sha1:([0-9a-f]{40})$/.exec(revision) ?? /^(?:(.+)\/)?([0-9a-f]{40})$/.exec(revision) : null;
  if (!match) {
    throw new GitSourceError(
      `GitRepository ${repo.metadata.namespace ?? "default"}/${repo.metadata.name} is suspended and has no artifact to serve`
    );
  }
  return { sha: match[2], label: match[1] };
}

export {
  resolveFluxRef,
  selectsAgentRef,
  suspendedRevision
};
