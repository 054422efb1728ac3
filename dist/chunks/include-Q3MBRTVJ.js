#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  IgnoreRules,
  readSourceIgnore
} from "./chunk-F6H36ORJ.js";
import {
  SourceError,
  gitRepositoryArtifact,
  resolveSource,
  treeDigest
} from "./chunk-O62GKC6U.js";
import "./chunk-GE6VTMTN.js";
import "./chunk-ASGSV6PC.js";
import "./chunk-E74EIW4E.js";
import "./chunk-XB2UJ6TZ.js";
import "./chunk-KVDOGNFO.js";
import {
  GIT_REPOSITORY_API
} from "./chunk-WOA5VQJZ.js";
import {
  OutsideRootError,
  confine
} from "./chunk-C4RKCN44.js";
import "./chunk-DYND6O65.js";
import "./chunk-6SSSO5LC.js";
import "./chunk-ZIEZ6URX.js";
import "./chunk-Z62KHOJY.js";
import "./chunk-3IQPLNQJ.js";

// agent/flux/include.ts
const { createHash, randomBytes } = require("node:crypto");
const { existsSync } = require("node:fs");
const { copyFile, cp, lstat, mkdir, readdir, readFile, rename, rm, rmdir, writeFile } = require("node:fs/promises");
const { dirname, join, posix } = require("node:path");
var IncludeError = class extends SourceError {
  reason;
  constructor(message, reason) {
    super(message);
    this.name = "IncludeError";
    this.reason = reason;
  }
};
function insidePath(path) {
  return posix.normalize(`/${path ?? ""}`).replace(/^\/+|\/+$/g, "");
}
function planIncludes(specs) {
  if (specs === void 0 || specs === null) return [];
  if (!Array.isArray(specs)) throw new IncludeError("spec.include must be a list", "IllegalPath");
  return specs.map((spec, i) => {
    const name = spec?.repository?.name;
    if (!name)
      throw new IncludeError(`spec.include[${i}]: repository.name is required`, "IllegalPath");
    const to = insidePath(spec.toPath ?? name);
    if (to === "")
      throw new IncludeError(
        `include '${name}': toPath '${spec.toPath}' is the root of the artifact: name a folder`,
        "IllegalPath"
      );
    return { name, from: insidePath(spec.fromPath), to };
  });
}
function placeInclude(source, existing) {
  if (existing === "none") return { ok: true };
  if (source === "file" && existing === "file") return { ok: true };
  if (source === "dir" && existing === "emptyDir") return { ok: true };
  const what = existing === "file" ? "a file" : "a folder";
  return {
    ok: false,
    reason: `it already holds ${what} (from the repository or an earlier include)`
  };
}
function includeCycle(start, includesOf) {
  const seen = /* @__PURE__ */ new Set();
  const walk = (name, path) => {
    for (const next of includesOf(name) ?? []) {
      if (next === start) return [...path, next];
      if (seen.has(next)) continue;
      seen.add(next);
      const found = walk(next, [...path, next]);
      if (found) return found;
    }
    return void 0;
  };
  return walk(start, [start]);
}
function hasIncludes(repo) {
  const include = repo.spec?.include;
  return Array.isArray(include) && include.length > 0;
}
var includeNames = (repo) => repo && (repo.spec?.include ?? []).map((i) => i?.repository?.name).filter((n) => typeof n === "string");
async function readIncludeGraph(client, repo) {
  const namespace = repo.metadata.namespace ?? "default";
  const graph = /* @__PURE__ */ new Map([[repo.metadata.name, includeNames(repo)]]);
  const pending = [...graph.get(repo.metadata.name) ?? []];
  while (pending.length > 0) {
    const name = pending.shift();
    if (graph.has(name)) continue;
    const dep = await client.get({ apiVersion: GIT_REPOSITORY_API, kind: "GitRepository", namespace, name }).catch((error) => {
      throw new IncludeError(
        `include '${name}' unavailable: GitRepository '${namespace}/${name}' could not be read: ${error.message}`,
        "NotFound"
      );
    });
    graph.set(name, includeNames(dep));
    pending.push(...graph.get(name) ?? []);
  }
  return graph;
}
async function keptFiles(dir, from, isDir, ignore) {
  let rules = IgnoreRules.forSource(ignore);
  const parts = from.split("/").filter(Boolean);
  for (let i = 0; i < parts.length; i++) {
    const domain = parts.slice(0, i).join("/");
    rules = rules.with(await readSourceIgnore(join(dir, domain), domain));
    const path = parts.slice(0, i + 1).join("/");
    if (rules.ignores(path, i < parts.length - 1 || isDir)) return void 0;
  }
  if (!isDir) return [from];
  const out = [];
  const walk = async (rel, rules2) => {
    const here = rules2.with(await readSourceIgnore(join(dir, rel), rel));
    for (const entry of await readdir(join(dir, rel), { withFileTypes: true })) {
      if (entry.name === ".git") continue;
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!here.ignores(path, true)) await walk(path, here);
      } else if (entry.isFile() && !here.ignores(path, false)) out.push(path);
    }
  };
  await walk(from, rules);
  return out;
}
async function existingKind(path) {
  const info = await lstat(path).catch(() => void 0);
  if (!info) return "none";
  if (!info.isDirectory()) return "file";
  return (await readdir(path)).length === 0 ? "emptyDir" : "dir";
}
async function linkOn(root, path) {
  const parts = path.split("/").filter(Boolean);
  for (let i = 1; i <= parts.length; i++) {
    const rel = parts.slice(0, i).join("/");
    const info = await lstat(join(root, rel)).catch(() => void 0);
    if (!info) return void 0;
    if (info.isSymbolicLink()) return rel;
  }
  return void 0;
}
async function copyEntry(from, to) {
  await mkdir(dirname(to), { recursive: true });
  await copyFile(from, to);
}
async function copyInclude(staging, include, source) {
  const failed = (why, reason = "CopyFailure") => new IncludeError(
    `include '${include.name}': failed to copy '${include.from || "/"}' to '${include.to}': ${why}`,
    reason
  );
  const guard = (error) => {
    throw error instanceof OutsideRootError ? failed(error.message, "IllegalPath") : failed(error.message);
  };
  const fromLink = await linkOn(source.dir, include.from);
  const from = fromLink ? void 0 : await confine(source.dir, include.from || ".").catch(guard);
  const to = await confine(staging, include.to).catch(guard);
  const toLink = await linkOn(staging, include.to);
  if (toLink)
    throw failed(
      `'${toLink}' is a link in this repository: name the path it leads to, or another path`,
      "IllegalPath"
    );
  const info = from === void 0 ? void 0 : await lstat(from).catch(() => void 0);
  const kind = info?.isDirectory() ? "dir" : "file";
  const files = (info?.isDirectory() || info?.isFile()) && await keptFiles(source.dir, include.from, kind === "dir", source.ignore);
  if (!files || include.from.split("/").includes(".git"))
    throw failed(
      `'${include.from}' is not in its artifact (revision ${source.revision})${fromLink ? `: '${fromLink}' is a link, and artifacts hold none` : ""}`
    );
  const existing = await existingKind(to);
  const placed = placeInclude(kind, existing);
  if (!placed.ok) throw failed(placed.reason);
  if (existing !== "none") await (existing === "emptyDir" ? rmdir(to) : rm(to));
  try {
    if (kind === "file") {
      await copyEntry(from, to);
      return;
    }
    await mkdir(to, { recursive: true });
    for (const file of files) {
      const rel = include.from ? file.slice(include.from.length + 1) : file;
      await copyEntry(join(source.dir, file), join(to, rel));
    }
  } catch (error) {
    throw failed(error.message);
  }
}
var includesRoot = (cacheDir) => join(cacheDir, "includes");
var readStored = (meta) => readFile(meta, "utf8").then((text) => JSON.parse(text)).catch(() => void 0);
async function suspendedArtifact(repo, base, parent) {
  const artifact = repo.status?.artifact;
  for (const entry of artifact?.digest ? await readdir(parent).catch(() => []) : []) {
    if (!entry.endsWith(".json")) continue;
    const dir = join(parent, entry.slice(0, -".json".length));
    const stored = await readStored(join(parent, entry));
    if (!stored || stored.digest !== artifact?.digest || !existsSync(dir)) continue;
    return {
      ...base,
      dir,
      revision: stored.revision ?? artifact?.revision ?? base.revision,
      included: stored
    };
  }
  const key = `${repo.metadata.namespace ?? "default"}/${repo.metadata.name}`;
  throw new SourceError(
    `GitRepository ${key} is suspended and has no artifact to serve (no artifact with its includes built in this cache${artifact?.digest ? ` for digest ${artifact.digest}` : ""})`
  );
}
async function withIncludes(repo, base, ctx) {
  const namespace = repo.metadata.namespace ?? "default";
  const name = repo.metadata.name;
  const parent = join(includesRoot(ctx.cacheDir), namespace, name);
  if (repo.spec?.suspend === true)
    return suspendedArtifact(repo, base, parent);
  const plan = planIncludes(repo.spec?.include);
  const graph = await readIncludeGraph(ctx.client, repo);
  const cycle = includeCycle(name, (n) => graph.get(n));
  if (cycle) throw new IncludeError(`include cycle: ${cycle.join(" -> ")}`, "Cycle");
  const sources = [];
  for (const include of plan) {
    if (!graph.get(include.name))
      throw new IncludeError(
        `include '${include.name}' unavailable: GitRepository '${namespace}/${include.name}' not found`,
        "NotFound"
      );
    const resolved = await resolveSource(
      { kind: "GitRepository", name: include.name },
      namespace,
      ctx
    ).catch((error) => {
      throw new IncludeError(
        `include '${include.name}' unavailable: ${error.message}`,
        error instanceof IncludeError ? error.reason : "NoArtifact"
      );
    });
    sources.push(resolved);
  }
  const key = createHash("sha256").update(
    JSON.stringify([
      base.revision,
      base.dir,
      plan.map((p, i) => [p.name, p.from, p.to, sources[i]?.revision, sources[i]?.dir]),
      sources.map((s) => s.ignore ?? null)
    ])
  ).digest("hex").slice(0, 16);
  const dir = join(parent, key);
  const meta = `${dir}.json`;
  const done = (stored) => ({ ...base, dir, included: stored });
  if (existsSync(dir)) {
    const stored = await readStored(meta);
    if (stored) return done(stored);
    await rm(dir, { recursive: true, force: true });
  }
  const staging = join(includesRoot(ctx.cacheDir), `.staging-${randomBytes(6).toString("hex")}`);
  try {
    const dotGit = join(base.dir, ".git");
    await cp(base.dir, staging, {
      recursive: true,
      verbatimSymlinks: true,
      filter: (path) => path !== dotGit
    });
    for (const [i, include] of plan.entries())
      await copyInclude(staging, include, sources[i]);
    const now = (/* @__PURE__ */ new Date()).toISOString().replace(/\.\d+Z$/, "Z");
    const digests = /* @__PURE__ */ new Map();
    const digestOf = (s) => {
      if (s.included) return Promise.resolve(s.included.digest);
      const known = digests.get(s.dir);
      if (known) return known;
      const digest = treeDigest(s.dir);
      digests.set(s.dir, digest);
      return digest;
    };
    const stored = {
      revision: base.revision,
      digest: await treeDigest(staging),
      artifacts: await Promise.all(
        plan.map(async (p, i) => {
          const s = sources[i];
          return gitRepositoryArtifact(namespace, p.name, s.revision, await digestOf(s), now);
        })
      )
    };
    await mkdir(parent, { recursive: true });
    const metaStaging = `${staging}.json`;
    await writeFile(metaStaging, JSON.stringify(stored));
    await rename(metaStaging, meta).finally(() => rm(metaStaging, { force: true }));
    await rename(staging, dir).catch((error) => {
      if (!existsSync(dir)) throw error;
    });
    const entries = (await readdir(parent)).filter((e) => e !== key && e !== `${key}.json`);
    entries.sort((x, y) => Number(x.endsWith(".json")) - Number(y.endsWith(".json")));
    for (const entry of entries) await rm(join(parent, entry), { recursive: true, force: true });
    return done(stored);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
function includeFailedStatus(repo, error) {
  const now = (/* @__PURE__ */ new Date()).toISOString().replace(/\.\d+Z$/, "Z");
  const generation = repo.metadata.generation;
  const old = (repo.status?.conditions ?? []).find((c) => c.type === "Ready");
  const condition = (type, status) => ({
    type,
    status,
    reason: error.reason,
    message: error.message,
    lastTransitionTime: old?.status === status ? old.lastTransitionTime : now,
    observedGeneration: generation
  });
  return {
    observedGeneration: generation,
    conditions: [condition("Ready", "False"), condition("IncludeUnavailable", "True")]
  };
}
export {
  IncludeError,
  hasIncludes,
  includeCycle,
  includeFailedStatus,
  insidePath,
  placeInclude,
  planIncludes,
  withIncludes
};
