#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  reconcilerFor
} from "./chunk-VQR37QBH.js";
import {
  inventoryEntry,
  inventoryOf,
  isReady,
  refOfEntry,
  statusFor,
  writeStatus
} from "./chunk-HIO6DQ7Y.js";
import {
  applyManifests,
  pruneObjects,
  serveFluxKinds
} from "./chunk-ZHR2WKDY.js";
import {
  describeProblems,
  waitForHealth
} from "./chunk-7DWNNWZK.js";
import {
  kustomizeBuild,
  renderPath
} from "./chunk-SNQQP4LH.js";
import "./chunk-O4VD4CAD.js";
import {
  checkout,
  remoteRevision
} from "./chunk-3L7RZVIY.js";
import {
  ManifestError
} from "./chunk-CMTGQQPR.js";
import {
  require_dist
} from "./chunk-7BURSU5W.js";
import "./chunk-OMIHXC2B.js";
import "./chunk-SXWPAVSJ.js";
import "./chunk-XRGQOWGB.js";
import {
  FLUX_NAMESPACE_LABEL,
  FLUX_NAME_LABEL,
  GIT_REPOSITORY_API,
  KUSTOMIZATION_API,
  SUBSTITUTE_ANNOTATION,
  fluxRevision,
  isGitRepository,
  isKustomization,
  parseFluxDuration
} from "./chunk-5CZALSU7.js";
import "./chunk-TFXRVEOY.js";
import {
  describeRef,
  refKey,
  refOf
} from "./chunk-Z62KHOJY.js";
import {
  mapLimit
} from "./chunk-F7OZ6T2Y.js";
import {
  __toESM
} from "./chunk-BXQEG42C.js";

// agent/flux/kustomization.ts
import { createHash as createHash2 } from "node:crypto";

// agent/flux/build.ts
var import_yaml2 = __toESM(require_dist(), 1);
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";

// agent/flux/substitute.ts
var import_yaml = __toESM(require_dist(), 1);
var NAME = /^[_a-zA-Z][_a-zA-Z0-9]*/;
var SubstituteError = class extends Error {
};
function expand(expr, vars) {
  const name = NAME.exec(expr)?.[0];
  if (!name) throw new SubstituteError(`invalid variable expression \${${expr}}`);
  const rest = expr.slice(name.length);
  const value = vars[name];
  if (rest === "") return value ?? "";
  if (rest.startsWith(":=") || rest.startsWith(":-")) return value ? value : rest.slice(2);
  if (rest.startsWith("=") || rest.startsWith("-")) return value ?? rest.slice(1);
  if (rest.startsWith("/")) {
    const [from = "", to = ""] = rest.slice(1).split("/");
    return (value ?? "").replace(from, to);
  }
  const slice = /^:(-?\d+)(?::(\d+))?$/.exec(rest);
  if (slice) {
    const text = value ?? "";
    const start = Number(slice[1]);
    const from = start < 0 ? Math.max(0, text.length + start) : start;
    return slice[2] === void 0 ? text.slice(from) : text.slice(from, from + Number(slice[2]));
  }
  throw new SubstituteError(`unsupported variable expression \${${expr}}`);
}
function substituteText(text, vars) {
  return text.replace(
    /\$\$\{|\$\{([^}]*)\}/g,
    (_match, expr) => expr === void 0 ? "${" : expand(expr, vars)
  );
}
function substitutionDisabled(object) {
  const flag = (v) => v?.toLowerCase() === "disabled";
  return flag(object.metadata.annotations?.[SUBSTITUTE_ANNOTATION]) || flag(object.metadata.labels?.[SUBSTITUTE_ANNOTATION]);
}
function substituteObject(object, vars) {
  if (substitutionDisabled(object)) return object;
  const text = (0, import_yaml.stringify)(object, { lineWidth: 0 });
  if (!text.includes("${")) return object;
  return (0, import_yaml.parse)(substituteText(text, vars), { version: "1.1" });
}

// agent/flux/build.ts
function needsOverlay(spec) {
  return Boolean(
    spec.targetNamespace || spec.namePrefix || spec.nameSuffix || spec.patches?.length || spec.images?.length || spec.components?.length
  );
}
async function overlay(manifests, spec, target, kustomize) {
  const dir = await mkdtemp(join(tmpdir(), "tether-overlay-"));
  try {
    await writeFile(
      join(dir, "resources.yaml"),
      manifests.map((m) => `---
${(0, import_yaml2.stringify)(m.object, { lineWidth: 0 })}`).join("")
    );
    const components = (spec.components ?? []).map((c) => resolve(target, c)).filter((c) => existsSync(c) || !spec.ignoreMissingComponents).map((c) => relative(dir, c));
    const kustomization = {
      apiVersion: "kustomize.config.k8s.io/v1beta1",
      kind: "Kustomization",
      resources: ["resources.yaml"]
    };
    if (spec.targetNamespace) kustomization.namespace = spec.targetNamespace;
    if (spec.namePrefix) kustomization.namePrefix = spec.namePrefix;
    if (spec.nameSuffix) kustomization.nameSuffix = spec.nameSuffix;
    if (spec.patches?.length) kustomization.patches = spec.patches;
    if (spec.images?.length) kustomization.images = spec.images;
    if (components.length) kustomization.components = components;
    await writeFile(join(dir, "kustomization.yaml"), (0, import_yaml2.stringify)(kustomization));
    const built = await kustomizeBuild(dir, dir, {
      ...kustomize ? { binary: kustomize } : {},
      loadRestrictionsNone: true
    });
    const sources = new Map(
      manifests.map((m) => [`${m.object.kind}/${m.object.metadata.name}`, m.source])
    );
    return built.map((m) => ({
      object: m.object,
      source: sources.get(`${m.object.kind}/${m.object.metadata.name}`) ?? { file: target }
    }));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
function withMetadata(object, spec, options) {
  const copy = structuredClone(object);
  copy.metadata.labels = {
    ...copy.metadata.labels,
    ...spec.commonMetadata?.labels,
    [FLUX_NAME_LABEL]: options.name,
    [FLUX_NAMESPACE_LABEL]: options.namespace
  };
  if (spec.commonMetadata?.annotations) {
    copy.metadata.annotations = {
      ...copy.metadata.annotations,
      ...spec.commonMetadata.annotations
    };
  }
  return copy;
}
async function buildKustomization(spec, sourceDir, options) {
  const path = (spec.path ?? "").replace(/^\.\/?/, "") || ".";
  const target = resolve(sourceDir, path);
  if (!target.startsWith(resolve(sourceDir)) || !existsSync(target)) {
    return {
      ok: false,
      reason: "ArtifactFailed",
      message: `kustomization path not found: ${spec.path ?? "."}`
    };
  }
  const rendered = await renderPath(sourceDir, path, {
    allowEmpty: true,
    ignore: options.ignore,
    ...options.kustomize ? { binary: options.kustomize } : {}
  });
  if (rendered.errors.length > 0) {
    return {
      ok: false,
      reason: "BuildFailed",
      message: rendered.errors.map((e) => e.message).join("; ")
    };
  }
  let manifests = rendered.manifests;
  try {
    if (needsOverlay(spec)) manifests = await overlay(manifests, spec, target, options.kustomize);
    manifests = manifests.map((m) => {
      let object = withMetadata(m.object, spec, options);
      if (options.vars) object = substituteObject(object, options.vars);
      return { object, source: m.source };
    });
  } catch (error) {
    if (error instanceof ManifestError || error instanceof SubstituteError) {
      return { ok: false, reason: "BuildFailed", message: error.message };
    }
    throw error;
  }
  return { ok: true, manifests };
}

// agent/flux/source.ts
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join as join2 } from "node:path";
var SourceError = class extends Error {
};
function sameRepository(a, b) {
  const norm = (url) => {
    let text = url.trim();
    try {
      const parsed = new URL(text);
      parsed.username = "";
      parsed.password = "";
      text = `${parsed.protocol}//${parsed.host.toLowerCase()}${parsed.pathname}`;
    } catch {
    }
    return text.replace(/\/+$/, "").replace(/\.git$/, "");
  };
  return norm(a) === norm(b);
}
function decode(data, key) {
  const value = data?.[key];
  return value === void 0 ? void 0 : Buffer.from(value, "base64").toString("utf8");
}
async function fetchGitRepository(repo, ctx) {
  const spec = repo.spec ?? {};
  if (!spec.url) throw new SourceError(`GitRepository ${repo.metadata.name} has no spec.url`);
  const ref = spec.ref ?? {};
  const git = {
    url: spec.url,
    ...ref.commit ? { commit: ref.commit } : ref.tag ? { tag: ref.tag } : { branch: ref.branch ?? "master" }
  };
  if (spec.secretRef) {
    const secret = await ctx.client.get({
      apiVersion: "v1",
      kind: "Secret",
      namespace: repo.metadata.namespace ?? "default",
      name: spec.secretRef.name
    });
    if (!secret)
      throw new SourceError(`secret '${repo.metadata.namespace}/${spec.secretRef.name}' not found`);
    const data = secret.data;
    const token = decode(data, "bearerToken");
    git.credentials = {
      username: decode(data, "username") ?? (token ? "git" : void 0),
      password: decode(data, "password") ?? token
    };
  }
  const sha = await remoteRevision(git);
  const { dir } = await checkout(git, sha, ctx.cacheDir);
  return {
    dir,
    revision: fluxRevision(ref.commit ? void 0 : ref.tag ?? ref.branch ?? "master", sha),
    object: repo,
    own: false
  };
}
async function resolveSource(sourceRef, namespace, ctx) {
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
    const url = repo.spec?.url ?? "";
    if (sameRepository(url, ctx.own.url)) {
      return { dir: ctx.own.dir, revision: ctx.own.revision, object: repo, own: true };
    }
    return fetchGitRepository(repo, ctx);
  }
  if (kind === "ExternalArtifact" && ctx.external) return ctx.external({ name, namespace: ns });
  throw new SourceError(
    `source kind ${kind || "(none)"} is not served by Tether (GitRepository and ExternalArtifact are)`
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
      if (entry.isDirectory()) await walk(join2(current, entry.name), `${rel}/`);
      else if (entry.isFile()) {
        hash.update(`${rel}\0`);
        hash.update(await readFile(join2(current, entry.name)));
        hash.update("\0");
      }
    }
  };
  await walk(dir, "");
  return `sha256:${hash.digest("hex")}`;
}
function gitRepositoryStatus(repo, revision, digest) {
  const now = (/* @__PURE__ */ new Date()).toISOString().replace(/\.\d+Z$/, "Z");
  const sha = revision.split(":").pop() ?? revision;
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
    // Tether keeps no artifact server: the artifact names the revision and the content
    // digest of the checkout the Kustomizations were built from.
    artifact: {
      path: `gitrepository/${repo.metadata.namespace}/${repo.metadata.name}/${sha}.tar.gz`,
      url: `tether://gitrepository/${repo.metadata.namespace}/${repo.metadata.name}/${sha}.tar.gz`,
      revision,
      digest,
      lastUpdateTime: now
    }
  };
}

// agent/flux/kustomization.ts
function specOf(ks) {
  return ks.spec ?? {};
}
function unitOf(ks) {
  const name = `${ks.metadata.namespace ?? "default"}.${ks.metadata.name}`;
  if (name.length <= 63) return name;
  const hash = createHash2("sha256").update(name).digest("hex").slice(0, 8);
  return `${name.slice(0, 54)}.${hash}`;
}
async function resolveVars(client, spec, namespace) {
  const postBuild = spec.postBuild;
  if (!postBuild || !postBuild.substitute && !postBuild.substituteFrom?.length) return void 0;
  const vars = {};
  for (const from of postBuild.substituteFrom ?? []) {
    const object = await client.get({
      apiVersion: "v1",
      kind: from.kind,
      namespace,
      name: from.name
    });
    if (!object) {
      if (from.optional) continue;
      throw new Error(
        `substitute from '${from.kind}/${namespace}/${from.name}' error: ${from.kind} not found`
      );
    }
    const data = object.data ?? {};
    for (const [key, value] of Object.entries(data)) {
      vars[key] = from.kind === "Secret" ? Buffer.from(value, "base64").toString("utf8") : value;
    }
  }
  return { ...vars, ...postBuild.substitute };
}
async function reconcileKustomization(live, ctx) {
  const spec = specOf(live);
  const namespace = live.metadata.namespace ?? "default";
  const report = {
    key: `${namespace}/${live.metadata.name}`,
    object: live,
    ready: false,
    suspended: false,
    message: "",
    changes: [],
    children: []
  };
  let current = live;
  const record = async (outcome, revision) => {
    report.message = outcome.message;
    if (outcome.kind === "failed") report.reason = outcome.reason;
    report.ready = outcome.kind === "ready";
    if (!ctx.dryRun)
      current = await writeStatus(ctx.client, current, statusFor(current, outcome, revision));
    report.object = current;
    return report;
  };
  const fail = (reason, message, revision, inventory2) => record({ kind: "failed", reason, message, inventory: inventory2 }, revision);
  if (spec.suspend) {
    report.suspended = true;
    report.message = "suspended";
    return report;
  }
  if (!ctx.dryRun) await record({ kind: "progressing", message: "Reconciliation in progress" });
  let source;
  try {
    source = await resolveSource(spec.sourceRef ?? {}, namespace, ctx.source);
  } catch (error) {
    return fail("ArtifactFailed", error.message);
  }
  report.revision = source.revision;
  let built;
  try {
    const vars = await resolveVars(ctx.client, spec, namespace);
    built = await buildKustomization(spec, source.dir, {
      name: live.metadata.name,
      namespace,
      vars,
      kustomize: ctx.kustomize,
      ignore: ctx.ignore
    });
  } catch (error) {
    return fail("BuildFailed", error.message, source.revision);
  }
  if (!built.ok) return fail(built.reason, built.message, source.revision);
  let manifests = built.manifests;
  try {
    const served = await serveFluxKinds(ctx.client, manifests, ctx.dryRun);
    manifests = served.manifests;
    for (const line of served.notes) ctx.note(line);
  } catch (error) {
    return fail("ReconciliationFailed", error.message, source.revision);
  }
  const client = spec.serviceAccountName ? ctx.client.impersonating(`system:serviceaccount:${namespace}:${spec.serviceAccountName}`) : ctx.client;
  const unit = unitOf(live);
  const previous = inventoryOf(live);
  const applied = await applyManifests(client, manifests, { unit, dryRun: ctx.dryRun });
  report.changes.push(...applied);
  const appliedRefs = applied.filter((r) => r.action !== "failed").map((r) => refOf(r.desired));
  report.children = appliedRefs.filter(isKustomization);
  const failed = applied.filter((r) => r.action === "failed");
  if (failed.length > 0) {
    const keep = new Map(previous.map((e) => [e.id, e]));
    for (const ref of appliedRefs) keep.set(inventoryEntry(ref).id, inventoryEntry(ref));
    return fail(
      "ReconciliationFailed",
      failed.map((r) => `${describeRef(r.ref)}: ${r.error}`).join("\n"),
      source.revision,
      [...keep.values()]
    );
  }
  const inventory = appliedRefs.map(inventoryEntry);
  const objectContext = {
    client: ctx.client,
    sourceDir: source.dir,
    revision: source.revision,
    dryRun: ctx.dryRun,
    note: ctx.note,
    own: ctx.source.own,
    cacheDir: ctx.source.cacheDir,
    kubeconfig: ctx.kubeconfig
  };
  const byReconciler = /* @__PURE__ */ new Map();
  for (const ref of ctx.dryRun ? [] : appliedRefs) {
    const reconciler = reconcilerFor(ref);
    if (!reconciler) continue;
    const object = await ctx.client.get(ref);
    if (!object) continue;
    byReconciler.set(reconciler, [...byReconciler.get(reconciler) ?? [], { ref, object }]);
  }
  for (const [reconciler, items] of byReconciler) {
    const results = reconciler.reconcileAll ? await reconciler.reconcileAll(
      items.map((i) => i.object),
      objectContext
    ) : await Promise.all(items.map((i) => reconciler.reconcile(i.object, objectContext)));
    items.forEach((item, i) => {
      const result = results[i] ?? { ready: false, message: "not reconciled" };
      report.changes.push({
        ref: item.ref,
        action: result.ready ? "ready" : "not-ready",
        detail: result.message
      });
    });
  }
  if (spec.prune) {
    const now = new Set(appliedRefs.map((r) => refKey(r)));
    let stale = previous.map(refOfEntry).filter((r) => !now.has(refKey(r)));
    const unfinalized = [];
    for (const ref of ctx.dryRun ? [] : stale) {
      const reconciler = reconcilerFor(ref);
      if (!reconciler?.finalize) continue;
      const object = await ctx.client.get(ref);
      if (!object) continue;
      const result = await reconciler.finalize(object, objectContext);
      report.changes.push({
        ref,
        action: result.ready ? "ready" : "not-ready",
        detail: result.message
      });
      if (!result.ready) unfinalized.push(ref);
    }
    stale = stale.filter((r) => !unfinalized.some((u) => refKey(u) === refKey(r)));
    const pruned = await pruneObjects(client, stale, { unit, dryRun: ctx.dryRun });
    report.changes.push(...pruned);
    if (unfinalized.length > 0) {
      return fail(
        "PruneFailed",
        unfinalized.map((r) => `${describeRef(r)}: its finalizer did not succeed`).join("\n"),
        source.revision,
        [...inventory, ...unfinalized.map(inventoryEntry)]
      );
    }
    const failedPrunes = pruned.filter((p) => p.action === "prune-failed");
    if (failedPrunes.length > 0) {
      return fail(
        "PruneFailed",
        failedPrunes.map((p) => `${describeRef(p.ref)}: ${p.error}`).join("\n"),
        source.revision,
        [...inventory, ...failedPrunes.map((p) => inventoryEntry(p.ref))]
      );
    }
  } else {
    const now = new Set(inventory.map((e) => e.id));
    inventory.push(...previous.filter((e) => !now.has(e.id)));
  }
  const interval = parseFluxDuration(spec.interval, 6e5);
  const timeout = parseFluxDuration(spec.timeout, interval);
  const checks = spec.wait ? appliedRefs.filter((r) => !isKustomization(r)) : (spec.healthChecks ?? []).map((h) => ({
    apiVersion: h.apiVersion ?? "v1",
    kind: h.kind,
    name: h.name,
    ...h.namespace || !h.kind ? { namespace: h.namespace ?? namespace } : { namespace: h.namespace ?? namespace }
  }));
  if (checks.length > 0 && !ctx.dryRun) {
    let assess;
    try {
      if (spec.healthCheckExprs?.length) {
        const { exprAssessment } = await import("./health-exprs-M75LTSZ7.js");
        assess = exprAssessment(spec.healthCheckExprs);
      }
    } catch (error) {
      return fail(
        "HealthCheckFailed",
        `healthCheckExprs: ${error.message}`,
        source.revision,
        inventory
      );
    }
    const unhealthy = await waitForHealth(ctx.client, checks, timeout, 1e3, assess);
    report.changes.push(...unhealthy);
    if (unhealthy.length > 0) {
      return fail(
        "HealthCheckFailed",
        `health check failed after ${spec.timeout ?? spec.interval}: ${describeProblems(unhealthy)}`,
        source.revision,
        inventory
      );
    }
  }
  return record(
    { kind: "ready", message: `Applied revision: ${source.revision}`, inventory },
    source.revision
  );
}

// agent/flux/tree.ts
var keyOf = (ref) => `${ref.namespace ?? "default"}/${ref.name}`;
function dependencyKeys(ks) {
  const ns = ks.metadata.namespace ?? "default";
  return (specOf(ks).dependsOn ?? []).map((d) => `${d.namespace ?? ns}/${d.name}`);
}
async function reconcileTree(roots, ctx, options = {}) {
  const pending = /* @__PURE__ */ new Map();
  for (const ref of roots) pending.set(keyOf(ref), ref);
  const done = /* @__PURE__ */ new Map();
  const report = (r) => {
    done.set(r.key, r);
    pending.delete(r.key);
    options.onReport?.(r);
  };
  const finish = async (live, outcome, revision) => {
    const object = ctx.dryRun ? live : await writeStatus(ctx.client, live, statusFor(live, outcome, revision));
    report({
      key: keyOf(live.metadata),
      object,
      ready: outcome.kind === "ready",
      suspended: false,
      reason: outcome.kind === "failed" ? outcome.reason : void 0,
      message: outcome.message,
      revision,
      changes: [],
      children: []
    });
  };
  while (pending.size > 0) {
    const runnable = [];
    const before = done.size;
    for (const [key, ref] of [...pending]) {
      const live = await ctx.client.get({ ...ref, apiVersion: KUSTOMIZATION_API });
      if (!live) {
        pending.delete(key);
        continue;
      }
      const entry = await options.entryPoint?.(live);
      if (entry) {
        await finish(
          live,
          entry.ready ? {
            kind: "ready",
            message: `Applied revision: ${entry.revision}`,
            inventory: entry.applied.map(inventoryEntry)
          } : { kind: "failed", reason: "ReconciliationFailed", message: entry.message },
          entry.revision
        );
        continue;
      }
      let blocked;
      let waiting = false;
      for (const dep of dependencyKeys(live)) {
        const result = done.get(dep);
        if (result) {
          const ok = result.suspended ? isReady(result.object) : result.ready;
          if (!ok) blocked ??= `dependency '${dep}' is not ready`;
        } else if (pending.has(dep)) {
          waiting = true;
        } else {
          const [namespace = "", name = ""] = dep.split("/");
          const other = await ctx.client.get({
            apiVersion: KUSTOMIZATION_API,
            kind: "Kustomization",
            namespace,
            name
          });
          if (!other) blocked ??= `unable to get '${dep}' dependency: not found`;
          else if (!isReady(other)) blocked ??= `dependency '${dep}' is not ready`;
        }
      }
      if (blocked && !specOf(live).suspend) {
        await finish(live, { kind: "failed", reason: "DependencyNotReady", message: blocked });
      } else if (!waiting || specOf(live).suspend) {
        runnable.push(live);
      }
    }
    if (runnable.length === 0 && done.size === before && pending.size > 0) {
      for (const ref of pending.values()) {
        const live = await ctx.client.get({ ...ref, apiVersion: KUSTOMIZATION_API });
        if (live) {
          await finish(live, {
            kind: "failed",
            reason: "DependencyNotReady",
            message: `circular dependency between ${[...pending.keys()].join(", ")}`
          });
        }
      }
      pending.clear();
      break;
    }
    for (const ks of runnable) pending.delete(keyOf(ks.metadata));
    const results = await mapLimit(
      runnable,
      options.concurrency ?? 4,
      (ks) => reconcileKustomization(ks, ctx)
    );
    for (const r of results) {
      report(r);
      for (const child of r.children) {
        const key = keyOf(child);
        if (!done.has(key)) pending.set(key, child);
      }
    }
  }
  return [...done.values()];
}

// agent/flux/pass.ts
var normPath = (path) => (path ?? "").replace(/^\.\/?/, "").replace(/\/+$/, "") || ".";
async function runFluxPass(input) {
  const applied = input.units.flatMap((u) => u.applied);
  const roots = applied.filter(isKustomization);
  if (roots.length === 0 && !applied.some(isGitRepository)) return { reports: [], ok: true };
  const ownRepos = /* @__PURE__ */ new Set();
  let digest;
  for (const ref of applied.filter(isGitRepository)) {
    const repo = await input.client.get({ ...ref, apiVersion: GIT_REPOSITORY_API });
    const url = repo?.spec?.url ?? "";
    if (!repo || !sameRepository(url, input.own.url)) continue;
    ownRepos.add(`${repo.metadata.namespace}/${repo.metadata.name}`);
    if (input.dryRun) continue;
    digest ??= await treeDigest(input.own.dir);
    await writeStatus(input.client, repo, gitRepositoryStatus(repo, input.own.revision, digest));
  }
  const entryPoint = async (ks) => {
    const spec = specOf(ks);
    if (spec.sourceRef?.kind !== "GitRepository") return void 0;
    const key = `${spec.sourceRef.namespace ?? ks.metadata.namespace}/${spec.sourceRef.name}`;
    if (!ownRepos.has(key)) return void 0;
    const unit = input.units.find((u) => normPath(u.path) === normPath(spec.path));
    return unit ? {
      ready: unit.ok,
      message: unit.message,
      revision: input.own.revision,
      applied: unit.applied
    } : void 0;
  };
  const reports = await reconcileTree(
    roots,
    {
      client: input.client,
      source: { client: input.client, own: input.own, cacheDir: input.cacheDir },
      dryRun: input.dryRun,
      kustomize: input.kustomize,
      kubeconfig: input.kubeconfig,
      ignore: input.ignore,
      note: input.note
    },
    { entryPoint, ...input.onReport ? { onReport: input.onReport } : {} }
  );
  return { reports, ok: reports.every((r) => r.suspended || r.ready) };
}
export {
  runFluxPass
};
