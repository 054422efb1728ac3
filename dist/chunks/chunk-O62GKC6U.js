#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  credentialsFromSecret
} from "./chunk-GE6VTMTN.js";
import {
  compareVersions,
  parseSemverRange,
  parseTagVersion,
  satisfies
} from "./chunk-ASGSV6PC.js";
import {
  VerificationError,
  keysFromSecretEntries,
  parseVerifyMode,
  verifyRevision
} from "./chunk-E74EIW4E.js";
import {
  GitSourceError,
  checkoutCurrent,
  remoteTags,
  removeCheckouts,
  sameRepository,
  sparseDirectories,
  withoutUrlCredentials
} from "./chunk-XB2UJ6TZ.js";
import {
  GIT_REPOSITORY_API,
  fluxRevision,
  isGitRepository,
  parseFluxDuration
} from "./chunk-WOA5VQJZ.js";

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

// agent/flux/source.ts
const { createHash } = require("node:crypto");
const { existsSync } = require("node:fs");
const { readdir, readFile } = require("node:fs/promises");
const { join } = require("node:path");
function isAgentCheckout(repo, own) {
  const spec = repo.spec ?? {};
  const key = `${repo.metadata.namespace ?? "default"}/${repo.metadata.name}`;
  if (own.entryPoints?.has(key)) return true;
  if (!plainCheckout(spec)) return false;
  return sameRepository(spec.url ?? "", own.url) && selectsAgentRef(spec.ref, own.ref);
}
function plainCheckout(spec) {
  const noSparse = spec.sparseCheckout == null || Array.isArray(spec.sparseCheckout) && spec.sparseCheckout.length === 0;
  return noSparse && (spec.recurseSubmodules == null || spec.recurseSubmodules === false);
}
function gitCheckoutOptions(spec) {
  const written = spec.sparseCheckout ?? [];
  if (!Array.isArray(written) || written.some((entry) => typeof entry !== "string"))
    throw new SourceError(
      `spec.sparseCheckout must be a list of folders (e.g. [./apps]), not ${JSON.stringify(written)}`
    );
  const recurse = spec.recurseSubmodules ?? false;
  if (typeof recurse !== "boolean")
    throw new SourceError(
      `spec.recurseSubmodules must be true or false, not ${JSON.stringify(recurse)}`
    );
  return {
    sparse: sparseDirectories(written).map((dir, i) => ({ written: written[i], dir })),
    recurseSubmodules: recurse,
    timeout: gitTimeout(spec.timeout)
  };
}
var DEFAULT_GIT_TIMEOUT = "60s";
function gitTimeout(text) {
  const written = text === void 0 || text === null || text === "" ? DEFAULT_GIT_TIMEOUT : text;
  const ms = parseFluxDuration(written, Number.NaN);
  if (!(ms > 0))
    throw new SourceError(
      `spec.timeout ${JSON.stringify(written)} is not a duration (write e.g. 60s, 1m30s or 500ms)`
    );
  return { ms, label: `${written} (spec.timeout)` };
}
var SourceError = class extends Error {
};
function decode(data, key) {
  const value = data?.[key];
  return value === void 0 ? void 0 : Buffer.from(value, "base64").toString("utf8");
}
async function fetchGitRepository(repo, ctx) {
  const spec = repo.spec ?? {};
  if (!spec.url) throw new SourceError(`GitRepository ${repo.metadata.name} has no spec.url`);
  const where = `GitRepository ${repo.metadata.namespace ?? "default"}/${repo.metadata.name}`;
  const git = { url: spec.url };
  let options;
  try {
    options = gitCheckoutOptions(spec);
  } catch (error) {
    throw new SourceError(`${where}: ${error.message}`);
  }
  const { sparse, timeout } = options;
  if (sparse.length > 0) git.sparseCheckout = sparse.map((s) => s.dir);
  if (options.recurseSubmodules) git.recurseSubmodules = true;
  let pinned;
  try {
    pinned = spec.suspend ? suspendedRevision(repo) : void 0;
  } catch (error) {
    throw new SourceError(error.message);
  }
  const agentRepository = sameRepository(spec.url, ctx.own.url);
  if (agentRepository) git.url = ctx.own.url;
  let data;
  if (spec.secretRef && !agentRepository) {
    const secret2 = await ctx.client.get({
      apiVersion: "v1",
      kind: "Secret",
      namespace: repo.metadata.namespace ?? "default",
      name: spec.secretRef.name
    });
    if (!secret2)
      throw new SourceError(
        `secret '${repo.metadata.namespace ?? "default"}/${spec.secretRef.name}' not found`
      );
    data = {};
    for (const [key, value] of Object.entries(secret2.data ?? {}))
      data[key] = Buffer.from(value, "base64").toString("utf8");
  }
  const secretName = spec.secretRef && !agentRepository && `${repo.metadata.namespace ?? "default"}/${spec.secretRef.name}`;
  const secret = agentRepository ? { credentials: ctx.own.credentials, dispose: async () => {
  } } : await credentialsFromSecret(spec.url, data, secretName || void 0).catch((error) => {
    throw new SourceError(error.message);
  });
  const bare = withoutUrlCredentials(git);
  git.url = bare.url;
  git.credentials = secret.credentials ?? bare.credentials;
  git.credentialsOwner = secretName || void 0;
  let label;
  let dir;
  let sha;
  git.deadline = { signal: AbortSignal.timeout(timeout.ms), label: timeout.label };
  try {
    const resolved = pinned ? { ref: { commit: pinned.sha }, label: pinned.label } : await resolveFluxRef(spec.ref ?? {}, git);
    Object.assign(git, resolved.ref);
    label = resolved.label;
    ({ dir, revision: sha } = await checkoutCurrent(git, ctx.cacheDir));
    const superseded = (resolved.superseded ?? []).map((tag) => ({ ...git, tag }));
    await removeCheckouts(ctx.cacheDir, superseded);
  } finally {
    await secret.dispose();
  }
  const absent = sparse.find((s) => !existsSync(join(dir, s.dir)));
  if (absent)
    throw new SourceError(
      `${where}: sparse checkout dir '${absent.written}' does not exist in repository at ${fluxRevision(label, sha)}`
    );
  if (spec.verify && !pinned) await verifySource(repo, spec.verify, dir, sha, git.tag, ctx);
  return {
    dir,
    revision: fluxRevision(label, sha),
    object: repo,
    own: false,
    ignore: repo.spec?.ignore
  };
}
async function verifySource(repo, verify, dir, sha, tag, ctx) {
  const namespace = repo.metadata.namespace ?? "default";
  const name = verify.secretRef?.name;
  if (!name)
    throw new SourceError(
      `GitRepository ${namespace}/${repo.metadata.name}: verify.secretRef is required`
    );
  const secret = await ctx.client.get({ apiVersion: "v1", kind: "Secret", namespace, name });
  if (!secret) throw new SourceError(`verification secret '${namespace}/${name}' not found`);
  const data = secret.data ?? {};
  try {
    const keys = keysFromSecretEntries(
      Object.keys(data).map((k) => [k, decode(data, k) ?? ""])
    );
    await verifyRevision(dir, sha, keys, parseVerifyMode(verify.mode), tag);
  } catch (error) {
    if (!(error instanceof VerificationError)) throw error;
    throw new SourceError(
      `GitRepository ${namespace}/${repo.metadata.name}: signature verification failed: ${error.message}`
    );
  }
}
function resolveSource(sourceRef, namespace, ctx) {
  if (!ctx.resolved) return resolveUncached(sourceRef, namespace, ctx);
  const key = `${sourceRef.kind}/${sourceRef.namespace ?? namespace}/${sourceRef.name}`;
  let resolved = ctx.resolved.get(key);
  if (!resolved) {
    resolved = resolveUncached(sourceRef, namespace, ctx);
    ctx.resolved.set(key, resolved);
  }
  return resolved;
}
async function resolveUncached(sourceRef, namespace, ctx) {
  const ns = sourceRef.namespace ?? namespace;
  const kind = sourceRef.kind ?? "";
  const name = sourceRef.name ?? "";
  if (kind === "GitRepository") {
    const repo = await ctx.client.get({
      apiVersion: GIT_REPOSITORY_API,
      kind,
      namespace: ns,
      name
    });
    if (!repo || !isGitRepository(repo))
      throw new SourceError(`Source '${kind}/${ns}/${name}' not found`);
    const ignore = repo.spec?.ignore;
    const base = isAgentCheckout(repo, ctx.own) ? { dir: ctx.own.dir, revision: ctx.own.revision, object: repo, own: true, ignore } : await fetchGitRepository(repo, ctx);
    if (!repo.spec?.include?.length) return base;
    const { withIncludes } = await import("./include-Q3MBRTVJ.js");
    return withIncludes(repo, base, ctx);
  }
  if (kind === "OCIRepository") {
    const repo = await ctx.client.get({ apiVersion: "source.toolkit.fluxcd.io/v1", kind, namespace: ns, name }).catch(() => void 0);
    if (!repo) throw new SourceError(`Source '${kind}/${ns}/${name}' not found`);
    const { fetchOciRepository } = await import("./oci-36K4UGP4.js");
    return fetchOciRepository(repo, ctx.client, ctx.cacheDir);
  }
  if (kind === "ExternalArtifact") {
    const { resolveExternalArtifact } = await import("./artifacts-IO5WYGVS.js");
    return resolveExternalArtifact({ name, namespace: ns }, ctx);
  }
  throw new SourceError(
    `source kind ${kind || "(none)"} is not served by Tether (GitRepository, OCIRepository and ExternalArtifact are)`
  );
}
async function treeDigest(dir) {
  const hash = createHash("sha256");
  const walk = async (current, prefix) => {
    const entries = await readdir(current, { withFileTypes: true });
    entries.sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
    for (const entry of entries) {
      if (entry.name === ".git") continue;
      const rel = `${prefix}${entry.name}`;
      if (entry.isDirectory()) await walk(join(current, entry.name), `${rel}/`);
      else if (entry.isFile()) {
        hash.update(`${rel}\0`);
        hash.update(await readFile(join(current, entry.name)));
        hash.update("\0");
      }
    }
  };
  await walk(dir, "");
  return `sha256:${hash.digest("hex")}`;
}
function gitRepositoryArtifact(namespace, name, revision, digest, lastUpdateTime) {
  const sha = revision.split(":").pop() ?? revision;
  return {
    path: `gitrepository/${namespace}/${name}/${sha}.tar.gz`,
    url: `tether://gitrepository/${namespace}/${name}/${sha}.tar.gz`,
    revision,
    digest,
    lastUpdateTime
  };
}
function gitRepositoryStatus(repo, revision, digest, included) {
  const now = (/* @__PURE__ */ new Date()).toISOString().replace(/\.\d+Z$/, "Z");
  const message = `stored artifact for revision '${revision}'`;
  const old = (repo.status?.conditions ?? []).find((c) => c.type === "Ready");
  return {
    observedGeneration: repo.metadata.generation,
    conditions: [
      {
        type: "Ready",
        status: "True",
        reason: "Succeeded",
        message,
        lastTransitionTime: old?.status === "True" ? old.lastTransitionTime : now,
        observedGeneration: repo.metadata.generation
      },
      {
        type: "ArtifactInStorage",
        status: "True",
        reason: "Succeeded",
        message,
        lastTransitionTime: old?.status === "True" ? old.lastTransitionTime : now,
        observedGeneration: repo.metadata.generation
      }
    ],
    artifact: gitRepositoryArtifact(
      repo.metadata.namespace,
      repo.metadata.name,
      revision,
      digest,
      now
    ),
    ...includeFields(repo, included),
    ...checkoutFields(repo)
  };
}
function checkoutFields(repo) {
  const spec = repo.spec ?? {};
  const status = repo.status ?? {};
  const fields = {};
  if (Array.isArray(spec.sparseCheckout) && spec.sparseCheckout.length)
    fields.observedSparseCheckout = spec.sparseCheckout;
  else if (status.observedSparseCheckout) fields.observedSparseCheckout = null;
  if (spec.recurseSubmodules === true) fields.observedRecurseSubmodules = true;
  else if (status.observedRecurseSubmodules) fields.observedRecurseSubmodules = null;
  return fields;
}
function includeFields(repo, included) {
  if (included)
    return {
      includedArtifacts: included.artifacts,
      observedInclude: repo.spec.include
    };
  const status = repo.status;
  return status?.includedArtifacts ? { includedArtifacts: null, observedInclude: null } : {};
}

export {
  resolveFluxRef,
  selectsAgentRef,
  isAgentCheckout,
  SourceError,
  resolveSource,
  treeDigest,
  gitRepositoryArtifact,
  gitRepositoryStatus
};
