#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  loadDecryptionKeys,
  serveFluxKinds
} from "./chunk-YUK5ZNS5.js";
import {
  findKustomization,
  isRemoteReference,
  kustomizeBuildInstead,
  renderPath
} from "./chunk-MQEAY646.js";
import {
  keepReason,
  pruneObjects
} from "./chunk-3GQA4N5P.js";
import {
  applyManifests,
  kustomizationUnit
} from "./chunk-I4VL4257.js";
import {
  markSuspended,
  readApplied,
  recordSuspensionOf,
  writeApplied
} from "./chunk-V3OBHZW3.js";
import {
  reconcilerFor
} from "./chunk-VQR37QBH.js";
import {
  IgnoreRules
} from "./chunk-F6H36ORJ.js";
import {
  inventoryEntry,
  inventoryOf,
  refOfEntry,
  statusFor,
  writeStatus
} from "./chunk-AMVUJONU.js";
import {
  describeProblems,
  waitForHealth
} from "./chunk-XLD4VZZ5.js";
import {
  describeSecretYamlError,
  impersonationFor,
  parseSecretYaml,
  refusedReferences
} from "./chunk-3HMT455R.js";
import {
  resolveSource
} from "./chunk-O62GKC6U.js";
import {
  CONFIRM_PRUNE_ANNOTATION,
  DEFAULT_DELETE_BUDGET,
  confirmsRevision,
  deleteBudgetDecision
} from "./chunk-XVXAFQO7.js";
import {
  FLUX_NAMESPACE_LABEL,
  FLUX_NAME_LABEL,
  SUBSTITUTE_ANNOTATION,
  isKustomization,
  parseFluxDuration
} from "./chunk-WOA5VQJZ.js";
import {
  decryptManifests
} from "./chunk-EMBC4T2D.js";
import {
  OutsideRootError,
  confine,
  resolveSymlinks
} from "./chunk-C4RKCN44.js";
import {
  describeRef,
  refKey,
  refOf
} from "./chunk-Z62KHOJY.js";
import {
  syntaxError
} from "./chunk-3R7UN4UR.js";
import {
  ManifestError,
  limitsFromEnv,
  readManifestText
} from "./chunk-K4EN55PN.js";
import {
  require_dist
} from "./chunk-HPGUIRHG.js";
import {
  __toESM
} from "./chunk-3IQPLNQJ.js";

// agent/flux/build.ts
var import_yaml3 = __toESM(require_dist(), 1);
const { existsSync } = require("node:fs");
const { stat } = require("node:fs/promises");
const { basename, dirname, isAbsolute, join, relative, resolve, sep } = require("node:path");

// agent/flux/merge-spec.ts
var import_yaml = __toESM(require_dist(), 1);
function mergesIntoKustomization(spec) {
  return Boolean(
    spec.targetNamespace || spec.namePrefix || spec.nameSuffix || spec.patches?.length || spec.images?.length || spec.components?.length
  );
}
function mergeSpec(text, name, spec, components) {
  const options = { schema: "failsafe", uniqueKeys: true };
  const doc = (0, import_yaml.parseAllDocuments)(text, options)[0] ?? new import_yaml.Document(null, options);
  const problem = syntaxError(doc, name);
  if (problem) throw problem;
  if (isNull(doc.contents)) doc.contents = doc.createNode({});
  if (!(0, import_yaml.isMap)(doc.contents)) {
    throw new ManifestError(name, void 0, "is not a kustomization (not a mapping)");
  }
  if (spec.targetNamespace) doc.set("namespace", fresh(doc, spec.targetNamespace));
  if (spec.namePrefix) doc.set("namePrefix", fresh(doc, spec.namePrefix));
  if (spec.nameSuffix) doc.set("nameSuffix", fresh(doc, spec.nameSuffix));
  for (const patch of spec.patches ?? []) {
    const entry = patch.target ? { patch: patch.patch, target: patch.target } : { patch: patch.patch };
    list(doc, "patches", name).items.push(fresh(doc, entry));
  }
  for (const component of components) {
    list(doc, "components", name).items.push(fresh(doc, component));
  }
  for (const image of spec.images ?? []) {
    const entry = Object.fromEntries(Object.entries(image).filter(([, value]) => value));
    const images = list(doc, "images", name);
    const same = images.items.findIndex((item) => (0, import_yaml.isMap)(item) && item.get("name") === image.name);
    if (same >= 0) images.items[same] = fresh(doc, entry);
    else images.items.push(fresh(doc, entry));
  }
  return doc.toString({ lineWidth: 0 });
}
function isNull(node) {
  if (node === null || node === void 0) return true;
  if (!(0, import_yaml.isScalar)(node)) return false;
  const value = node.value;
  return value === null || node.type === "PLAIN" && ["", "~", "null", "Null", "NULL"].includes(String(value));
}
function fresh(doc, value) {
  const node = doc.createNode(value);
  (0, import_yaml.visit)(node, {
    Scalar(key, scalar) {
      if (key !== "key") scalar.type = "QUOTE_DOUBLE";
    }
  });
  return node;
}
function list(doc, key, name) {
  const node = doc.get(key, true);
  if ((0, import_yaml.isSeq)(node)) return node;
  if (!isNull(node)) {
    throw new ManifestError(name, void 0, `${key} is not a list`);
  }
  const created = doc.createNode([]);
  doc.set(key, created);
  return created;
}

// agent/flux/substitute.ts
var import_yaml2 = __toESM(require_dist(), 1);
var NAME = /^[_a-zA-Z][_a-zA-Z0-9]*/;
var SubstituteError = class extends Error {
};
var VARIABLE_NAME = /^[_a-zA-Z][_a-zA-Z0-9]*$/;
function checkNames(vars) {
  for (const name of Object.keys(vars))
    if (!VARIABLE_NAME.test(name))
      throw new SubstituteError(
        `'${name}' var name is invalid, must match '^[_[:alpha:]][_[:alpha:][:digit:]]*$'`
      );
}
function expand(expr, vars) {
  const name = NAME.exec(expr)?.[0];
  if (!name)
    throw new SubstituteError("invalid variable expression: `${` is not followed by a name");
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
  throw new SubstituteError(
    `unsupported variable expression for ${name} (served: \${${name}}, :=, :-, =, -, /from/to, :offset:length)`
  );
}
function substituteTracked(text, vars) {
  const substituted = [];
  let shift = 0;
  const out = text.replace(
    /\$\$\{|\$\{([^}]*)\}/g,
    (match, expr, offset) => {
      const value = expr === void 0 ? "${" : expand(expr, vars);
      if (expr !== void 0) {
        const start = offset + shift;
        substituted.push({ name: NAME.exec(expr)?.[0] ?? "", start, end: start + value.length });
      }
      shift += value.length - match.length;
      return value;
    }
  );
  return { text: out, substituted };
}
function brokenBySubstitution(object, error, substituted) {
  const { line } = error;
  const onLine = substituted.filter(
    (s) => error.lineOf(s.start) <= line && line <= error.lineOf(s.end)
  );
  const names = (list2) => [...new Set(list2.map((s) => s.name))].join(", ");
  const which = onLine.length > 0 ? `substituted on that line: ${names(onLine)}` : `substituted in the object: ${names(substituted)}`;
  return `${describeRef(refOf(object))}: no longer parses as YAML after postBuild substitution (${describeSecretYamlError(error)} of the object as substituted; ${which})`;
}
function substitutionDisabled(object) {
  const flag = (v) => v?.toLowerCase() === "disabled";
  return flag(object.metadata.annotations?.[SUBSTITUTE_ANNOTATION]) || flag(object.metadata.labels?.[SUBSTITUTE_ANNOTATION]);
}
function substituteObject(object, vars) {
  if (substitutionDisabled(object)) return object;
  checkNames(vars);
  const text = (0, import_yaml2.stringify)(object, { lineWidth: 0 });
  if (!text.includes("${")) return object;
  const { text: out, substituted } = substituteTracked(text, vars);
  const read = parseSecretYaml(out, { version: "1.1" });
  if (read.error) throw new SubstituteError(brokenBySubstitution(object, read.error, substituted));
  return read.value;
}

// agent/flux/build.ts
function specComponents(spec, dir, name) {
  return (spec.components ?? []).filter((component) => {
    if (isAbsolute(component) || isRemoteReference(component, dir)) {
      throw new ManifestError(
        name,
        void 0,
        `component path '${component}' must be local and relative`
      );
    }
    return !spec.ignoreMissingComponents || existsSync(join(dir, component));
  });
}
var RENDERED_OBJECTS = ".tether-rendered-objects.yaml";
async function buildMerged(spec, sourceDir, path, options) {
  const root = await resolveSymlinks(sourceDir);
  let target;
  try {
    target = await confine(root, path);
  } catch (error) {
    if (!(error instanceof OutsideRootError)) throw error;
    return { manifests: [], errors: [error.message] };
  }
  const kustomize = {
    ...options.kustomize ? { binary: options.kustomize } : {},
    limits: limitsFromEnv()
  };
  const isFolder = (await stat(target)).isDirectory();
  const own = isFolder ? findKustomization(target) : void 0;
  if (own) {
    const name = toPosix(relative(root, own));
    const text = mergeSpec(
      await readManifestText(own, name),
      name,
      spec,
      specComponents(spec, target, name)
    );
    const standIn = { file: basename(own), text };
    return { manifests: await kustomizeBuildInstead(target, root, standIn, kustomize), errors: [] };
  }
  const dir = isFolder ? target : dirname(target);
  return buildGenerated(spec, sourceDir, path, options, { dir, root }, kustomize);
}
async function buildGenerated(spec, sourceDir, path, options, where, kustomize) {
  const { dir, root } = where;
  const rendered = await render(sourceDir, path, options);
  if (rendered.errors.length > 0) return rendered;
  const folder = toPosix(relative(root, dir)) || ".";
  const name = `${folder}/kustomization.yaml (generated)`;
  const generated = (0, import_yaml3.stringify)({
    apiVersion: "kustomize.config.k8s.io/v1beta1",
    kind: "Kustomization",
    resources: [RENDERED_OBJECTS]
  });
  const standIn = {
    file: "kustomization.yaml",
    name,
    text: mergeSpec(generated, name, spec, specComponents(spec, dir, name)),
    // JSON documents: read the same by every YAML version.
    extraFiles: {
      [RENDERED_OBJECTS]: rendered.manifests.map((m) => `---
${JSON.stringify(m.object)}
`).join("")
    }
  };
  const built = await kustomizeBuildInstead(dir, root, standIn, kustomize);
  const key = (object) => `${object.kind}/${object.metadata.name}`;
  const sources = new Map(rendered.manifests.map((m) => [key(m.object), m.source]));
  return {
    manifests: built.map((m) => ({
      object: m.object,
      source: sources.get(key(m.object)) ?? { file: folder }
    })),
    errors: []
  };
}
var toPosix = (path) => path.split(sep).join("/");
async function render(sourceDir, path, options) {
  const rendered = await renderPath(sourceDir, path, {
    allowEmpty: true,
    ignore: options.ignore,
    // Flux builds every kustomization with LoadRestrictionsNone; the checks keep every
    // path in the repository.
    loadRestrictionsNone: true,
    ...options.kustomize ? { binary: options.kustomize } : {}
  });
  return { manifests: rendered.manifests, errors: rendered.errors.map((e) => e.message) };
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
  let manifests;
  try {
    const built = mergesIntoKustomization(spec) ? await buildMerged(spec, sourceDir, path, options) : await render(sourceDir, path, options);
    if (built.errors.length > 0) {
      return { ok: false, reason: "BuildFailed", message: built.errors.join("; ") };
    }
    manifests = built.manifests;
    if (options.decrypt) {
      const decrypted = await options.decrypt(manifests);
      if (decrypted.errors.length > 0)
        return { ok: false, reason: "BuildFailed", message: decrypted.errors.join("; ") };
      manifests = decrypted.manifests;
    }
    manifests = manifests.map((m) => {
      const object = options.vars ? substituteObject(m.object, options.vars) : m.object;
      return { object: withMetadata(object, spec, options), source: m.source };
    });
  } catch (error) {
    if (error instanceof ManifestError || error instanceof SubstituteError) {
      return { ok: false, reason: "BuildFailed", message: error.message };
    }
    throw error;
  }
  return { ok: true, manifests };
}

// agent/flux/kustomization.ts
function specOf(ks) {
  return ks.spec ?? {};
}
function helmIntervalOf(objects) {
  const intervals = objects.filter((o) => o.kind === "HelmRelease" && o.apiVersion.startsWith("helm.toolkit.fluxcd.io/")).map((o) => o.spec ?? {}).filter((spec) => !spec.suspend && spec.interval).map((spec) => parseFluxDuration(spec.interval, Number.POSITIVE_INFINITY)).filter((ms) => ms > 0);
  return intervals.length > 0 ? Math.min(...intervals) : void 0;
}
async function budgetRefusal(live, owned, stale, revision, ctx) {
  if (stale.length === 0 || ctx.dryRun) return void 0;
  const { budgetCounts } = await import("./deletion-LRKVVILI.js");
  const decision = deleteBudgetDecision({
    ...await budgetCounts(ctx.source.cacheDir, owned, stale),
    budget: ctx.deleteBudget ?? DEFAULT_DELETE_BUDGET,
    confirmed: ctx.confirmPrune === true || confirmsRevision(
      live.metadata.annotations?.[CONFIRM_PRUNE_ANNOTATION],
      revision.slice(revision.lastIndexOf(":") + 1)
    ),
    confirmWith: `the annotation ${CONFIRM_PRUNE_ANNOTATION}=<revision> on Kustomization ${live.metadata.namespace ?? "default"}/${live.metadata.name} (or --confirm-prune with tether sync --once), or raise deleteBudget in the agent's configuration`
  });
  return decision.prune ? void 0 : decision.message;
}
function unitOf(ks) {
  return kustomizationUnit(ks.metadata.namespace ?? "default", ks.metadata.name);
}
function postBuildVariables(layers) {
  const vars = /* @__PURE__ */ Object.create(null);
  for (const layer of layers)
    for (const [name, value] of Object.entries(layer))
      vars[name] = String(value).replaceAll("\n", "");
  return vars;
}
async function resolveVars(client, spec, namespace) {
  const postBuild = spec.postBuild;
  if (!postBuild || !postBuild.substitute && !postBuild.substituteFrom?.length) return void 0;
  const layers = [];
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
    layers.push(
      from.kind === "Secret" ? Object.fromEntries(
        Object.entries(data).map(([k, v]) => [k, Buffer.from(v, "base64").toString("utf8")])
      ) : data
    );
  }
  return postBuildVariables([...layers, postBuild.substitute ?? {}]);
}
var FORCE_ANNOTATION = "kustomize.toolkit.fluxcd.io/force";
function mustRecreate(change, spec) {
  if (change.action !== "failed" || !/immutable/i.test(change.error ?? "")) return false;
  return spec.force === true || change.desired.metadata.annotations?.[FORCE_ANNOTATION] === "enabled";
}
async function recreateObjects(client, changes, unit, timeoutMs = 6e4) {
  const out = /* @__PURE__ */ new Map();
  for (const change of changes) {
    const ref = refOf(change.desired);
    await client.delete(ref, "Foreground");
    const deadline = Date.now() + timeoutMs;
    while (await client.get(ref)) {
      if (Date.now() > deadline) {
        out.set(change, {
          ...change,
          error: `${change.error}; deleted to recreate it, but still terminating after ${timeoutMs / 1e3}s`
        });
        break;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    if (out.has(change)) continue;
    const [again] = await applyManifests(client, [change.manifest], { unit });
    if (again)
      out.set(change, {
        ...again,
        ...again.action === "created" ? { detail: "recreated (force)" } : {}
      });
  }
  return out;
}
async function reconcileKustomization(live, ctx) {
  const remote = {};
  try {
    return await reconcileSteps(live, ctx, remote);
  } finally {
    remote.client?.close();
  }
}
async function reconcileSteps(live, ctx, remote) {
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
  const fail = (reason, message, revision, inventory2, health2) => record({ kind: "failed", reason, message, inventory: inventory2, health: health2 }, revision);
  if (!ctx.dryRun)
    await markSuspended(ctx.source.cacheDir, live, spec.suspend === true).catch(
      (error) => ctx.note(`${report.key}: could not keep whether it is suspended: ${error.message}`)
    );
  if (spec.suspend) {
    report.suspended = true;
    report.message = "suspended";
    return report;
  }
  if (!ctx.dryRun) await record({ kind: "progressing", message: "Reconciliation in progress" });
  const refused = refusedReferences(live, ctx.lockdown);
  if (refused.length > 0) return fail("AccessDenied", refused.join("; "));
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
    const keys = await loadDecryptionKeys(ctx.client, namespace, spec.decryption);
    built = await buildKustomization(spec, source.dir, {
      decrypt: async (manifests2) => {
        const out = await decryptManifests(manifests2, source.dir, keys);
        return { manifests: out.manifests, errors: out.errors.map((e) => e.message) };
      },
      name: live.metadata.name,
      namespace,
      vars,
      kustomize: ctx.kustomize,
      // The GitRepository's spec.ignore, when it has one.
      ignore: source.ignore !== void 0 ? IgnoreRules.forSource(source.ignore) : ctx.ignore
    });
  } catch (error) {
    return fail("BuildFailed", error.message, source.revision);
  }
  if (!built.ok) return fail(built.reason, built.message, source.revision);
  let manifests = built.manifests;
  let target = ctx.client;
  if (spec.kubeConfig) {
    try {
      const { connectRemote } = await import("./remote-YYXCE3X6.js");
      remote.client = await connectRemote(ctx.client, spec.kubeConfig, namespace);
      target = remote.client;
    } catch (error) {
      return fail("ReconciliationFailed", error.message, source.revision);
    }
  }
  try {
    const served = await serveFluxKinds(target, manifests, ctx.dryRun);
    manifests = served.manifests;
    for (const line of served.notes) ctx.note(line);
  } catch (error) {
    return fail("ReconciliationFailed", error.message, source.revision);
  }
  const user = impersonationFor(live, ctx.lockdown);
  const client = user ? target.impersonating(user) : target;
  const unit = unitOf(live);
  const previous = inventoryOf(live);
  const recorded = await readApplied(ctx.source.cacheDir, live);
  let applied = await applyManifests(client, manifests, {
    unit,
    dryRun: ctx.dryRun,
    recorded
  });
  const recreate = ctx.dryRun ? [] : applied.filter((r) => mustRecreate(r, spec));
  if (recreate.length > 0) {
    const again = await recreateObjects(client, recreate, unit);
    applied = applied.map((r) => again.get(r) ?? r);
  }
  if (!ctx.dryRun)
    await writeApplied(ctx.source.cacheDir, live, applied, unit).catch(
      (error) => ctx.note(`${report.key}: could not keep what was applied: ${error.message}`)
    );
  report.changes.push(...applied);
  const appliedRefs = applied.filter((r) => r.action !== "failed").map((r) => refOf(r.desired));
  report.children = remote.client ? [] : appliedRefs.filter(isKustomization);
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
    kubeconfig: ctx.kubeconfig,
    lockdown: ctx.lockdown,
    source: ctx.source
  };
  const byReconciler = /* @__PURE__ */ new Map();
  for (const ref of ctx.dryRun || remote.client ? [] : appliedRefs) {
    const reconciler = reconcilerFor(ref);
    if (!reconciler) continue;
    const object = await ctx.client.get(ref);
    if (!object) continue;
    const refusedRefs = refusedReferences(object, ctx.lockdown);
    if (refusedRefs.length > 0) {
      report.changes.push({ ref, action: "not-ready", detail: refusedRefs.join("; ") });
      continue;
    }
    byReconciler.set(reconciler, [...byReconciler.get(reconciler) ?? [], { ref, object }]);
  }
  report.helmIntervalMs = helmIntervalOf([...byReconciler.values()].flat().map((i) => i.object));
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
    const refusal = await budgetRefusal(
      live,
      previous.map(refOfEntry),
      stale,
      source.revision,
      ctx
    );
    if (refusal) {
      return fail("PruneFailed", refusal, source.revision, [
        ...inventory,
        ...stale.map(inventoryEntry)
      ]);
    }
    const unfinalized = [];
    for (const ref of ctx.dryRun || remote.client ? [] : stale) {
      const reconciler = reconcilerFor(ref);
      if (!reconciler?.finalize) continue;
      const object = await ctx.client.get(ref);
      if (!object || keepReason(ref, object, { unit })) continue;
      const result = await reconciler.finalize(object, objectContext);
      report.changes.push({
        ref,
        action: result.ready ? "ready" : "not-ready",
        detail: result.message
      });
      if (!result.ready) unfinalized.push(ref);
    }
    stale = stale.filter((r) => !unfinalized.some((u) => refKey(u) === refKey(r)));
    const pruned = await pruneObjects(client, stale, {
      unit,
      dryRun: ctx.dryRun,
      beforeDelete: (object) => recordSuspensionOf(ctx.source.cacheDir, object)
    });
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
  }
  const interval = parseFluxDuration(spec.interval, 6e5);
  const timeout = parseFluxDuration(spec.timeout, interval);
  const skipped = new Set(applied.filter((c) => c.skipped).map((c) => refKey(c.ref)));
  const checks = spec.wait ? appliedRefs.filter((r) => !isKustomization(r) && !skipped.has(refKey(r))) : (spec.healthChecks ?? []).map((h) => ({
    apiVersion: h.apiVersion ?? "v1",
    kind: h.kind,
    name: h.name,
    ...h.namespace || !h.kind ? { namespace: h.namespace ?? namespace } : { namespace: h.namespace ?? namespace }
  }));
  let health = null;
  if (checks.length > 0 && !ctx.dryRun) {
    const started = performance.now();
    let assess;
    try {
      if (spec.healthCheckExprs?.length) {
        const { exprAssessment } = await import("./health-exprs-4P3SMBXU.js");
        assess = exprAssessment(spec.healthCheckExprs);
      }
    } catch (error) {
      const message = `healthCheckExprs: ${error.message}`;
      return fail("HealthCheckFailed", message, source.revision, inventory, {
        healthy: false,
        message
      });
    }
    const unhealthy = await waitForHealth(
      target,
      checks,
      timeout,
      1e3,
      assess,
      manifests.map((m) => m.object)
    );
    report.changes.push(...unhealthy);
    if (unhealthy.length > 0) {
      const message = `health check failed after ${spec.timeout ?? spec.interval}: ${describeProblems(unhealthy)}`;
      return fail("HealthCheckFailed", message, source.revision, inventory, {
        healthy: false,
        message
      });
    }
    const seconds = (performance.now() - started) / 1e3;
    health = { healthy: true, message: `Health check passed in ${seconds.toFixed(3)}s` };
  }
  return record(
    { kind: "ready", message: `Applied revision: ${source.revision}`, inventory, health },
    source.revision
  );
}

export {
  buildKustomization,
  specOf,
  unitOf,
  resolveVars,
  reconcileKustomization
};
