#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  loadDecryptionKeys,
  serveFluxKinds
} from "./chunk-Y6DTZU2R.js";
import {
  applyManifests
} from "./chunk-MCJRCOPL.js";
import {
  IgnoreRules,
  kustomizeBuild,
  renderPath
} from "./chunk-PHZQHKZD.js";
import {
  inventoryEntry,
  inventoryOf,
  refOfEntry,
  statusFor,
  writeStatus
} from "./chunk-INSBND6A.js";
import {
  resolveSource
} from "./chunk-IMDGHQFM.js";
import {
  describeProblems,
  waitForHealth
} from "./chunk-7DWNNWZK.js";
import {
  reconcilerFor
} from "./chunk-VQR37QBH.js";
import {
  decryptManifests
} from "./chunk-K2MPFFQ4.js";
import {
  impersonationFor,
  refusedReferences
} from "./chunk-SMYRCNG4.js";
import {
  readApplied,
  writeApplied
} from "./chunk-KBB4NT7X.js";
import {
  keepReason,
  pruneObjects
} from "./chunk-R5CWSWQB.js";
import {
  FLUX_NAMESPACE_LABEL,
  FLUX_NAME_LABEL,
  SUBSTITUTE_ANNOTATION,
  isKustomization,
  parseFluxDuration
} from "./chunk-WOA5VQJZ.js";
import {
  ManifestError
} from "./chunk-CHFO35WZ.js";
import {
  require_dist
} from "./chunk-HPGUIRHG.js";
import {
  CONFIRM_PRUNE_ANNOTATION,
  DEFAULT_DELETE_BUDGET,
  confirmsRevision,
  deleteBudgetDecision
} from "./chunk-XVXAFQO7.js";
import {
  describeRef,
  refKey,
  refOf
} from "./chunk-Z62KHOJY.js";
import {
  __toESM
} from "./chunk-3IQPLNQJ.js";

// agent/flux/kustomization.ts
import { createHash } from "node:crypto";

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
function brokenBySubstitution(object, error, lines, substituted) {
  const { line, col } = lines.linePos(error.pos[0]);
  const onLine = substituted.filter(
    (s) => lines.linePos(s.start).line <= line && line <= lines.linePos(s.end).line
  );
  const names = (list) => [...new Set(list.map((s) => s.name))].join(", ");
  const which = onLine.length > 0 ? `substituted on that line: ${names(onLine)}` : `substituted in the object: ${names(substituted)}`;
  const what = error.code.toLowerCase().replaceAll("_", " ");
  return `${describeRef(refOf(object))}: no longer parses as YAML after postBuild substitution (${what} at line ${line}, column ${col} of the object as substituted; ${which})`;
}
function substitutionDisabled(object) {
  const flag = (v) => v?.toLowerCase() === "disabled";
  return flag(object.metadata.annotations?.[SUBSTITUTE_ANNOTATION]) || flag(object.metadata.labels?.[SUBSTITUTE_ANNOTATION]);
}
function substituteObject(object, vars) {
  if (substitutionDisabled(object)) return object;
  const text = (0, import_yaml.stringify)(object, { lineWidth: 0 });
  if (!text.includes("${")) return object;
  const { text: out, substituted } = substituteTracked(text, vars);
  const lines = new import_yaml.LineCounter();
  const doc = (0, import_yaml.parseDocument)(out, { version: "1.1", prettyErrors: false, lineCounter: lines });
  const error = doc.errors[0];
  if (error) throw new SubstituteError(brokenBySubstitution(object, error, lines, substituted));
  return doc.toJS();
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
    if (options.decrypt) {
      const decrypted = await options.decrypt(manifests);
      if (decrypted.errors.length > 0)
        return { ok: false, reason: "BuildFailed", message: decrypted.errors.join("; ") };
      manifests = decrypted.manifests;
    }
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

// agent/flux/kustomization.ts
function specOf(ks) {
  return ks.spec ?? {};
}
async function budgetRefusal(live, owned, stale, revision, ctx) {
  if (stale.length === 0 || ctx.dryRun) return void 0;
  const { cascadeSize } = await import("./deletion-2RN6ECWN.js");
  const through = stale.some(isKustomization) ? await cascadeSize(ctx.source.cacheDir, stale) : 0;
  const decision = deleteBudgetDecision({
    owned: owned.length + (through > 0 ? await cascadeSize(ctx.source.cacheDir, owned) : 0),
    toPrune: stale.length + through,
    throughKustomizations: through,
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
  const name = `${ks.metadata.namespace ?? "default"}.${ks.metadata.name}`;
  if (name.length <= 63) return name;
  const hash = createHash("sha256").update(name).digest("hex").slice(0, 8);
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
  try {
    const served = await serveFluxKinds(ctx.client, manifests, ctx.dryRun);
    manifests = served.manifests;
    for (const line of served.notes) ctx.note(line);
  } catch (error) {
    return fail("ReconciliationFailed", error.message, source.revision);
  }
  const user = impersonationFor(live, ctx.lockdown);
  const client = user ? ctx.client.impersonating(user) : ctx.client;
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
    kubeconfig: ctx.kubeconfig,
    lockdown: ctx.lockdown
  };
  const byReconciler = /* @__PURE__ */ new Map();
  for (const ref of ctx.dryRun ? [] : appliedRefs) {
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
    for (const ref of ctx.dryRun ? [] : stale) {
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
        const { exprAssessment } = await import("./health-exprs-JFVWCATX.js");
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

export {
  buildKustomization,
  specOf,
  unitOf,
  resolveVars,
  reconcileKustomization
};
