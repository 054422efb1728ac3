#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  UNIT_LABEL,
  stageOf
} from "./chunk-S6D5P2V5.js";
import {
  ensureNamespace
} from "./chunk-FX7EDWFF.js";
import {
  KUSTOMIZATION_API,
  PART_OF_LABEL,
  isFluxObject,
  isKustomization
} from "./chunk-5CZALSU7.js";
import {
  describeRef,
  groupOf
} from "./chunk-Z62KHOJY.js";

// agent/health.ts
var num = (v) => typeof v === "number" ? v : 0;
function assessHealth(object) {
  const spec = object.spec ?? {};
  const status = object.status ?? {};
  const conditions = status.conditions ?? [];
  const generation = num(object.metadata.generation);
  const observed = num(status.observedGeneration);
  const stale = generation > 0 && observed < generation;
  switch (object.kind) {
    case "Deployment": {
      if (stale) return { state: "progressing", message: "the new spec is not observed yet" };
      const failed = conditions.find(
        (c) => c.type === "Progressing" && c.reason === "ProgressDeadlineExceeded"
      );
      if (failed)
        return { state: "failed", message: failed.message ?? "progress deadline exceeded" };
      const want = spec.replicas === void 0 ? 1 : num(spec.replicas);
      const updated = num(status.updatedReplicas);
      const available = num(status.availableReplicas);
      const total = num(status.replicas);
      if (updated < want)
        return { state: "progressing", message: `${updated} of ${want} replicas updated` };
      if (total > updated)
        return { state: "progressing", message: `${total - updated} old replicas still running` };
      if (available < want)
        return { state: "progressing", message: `${available} of ${want} replicas available` };
      return { state: "healthy", message: `${available} replicas available` };
    }
    case "StatefulSet": {
      if (stale) return { state: "progressing", message: "the new spec is not observed yet" };
      const want = spec.replicas === void 0 ? 1 : num(spec.replicas);
      const ready2 = num(status.readyReplicas);
      if (ready2 < want)
        return { state: "progressing", message: `${ready2} of ${want} replicas ready` };
      if (status.updateRevision && status.currentRevision !== status.updateRevision) {
        return { state: "progressing", message: "rolling out the new revision" };
      }
      return { state: "healthy", message: `${ready2} replicas ready` };
    }
    case "DaemonSet": {
      if (stale) return { state: "progressing", message: "the new spec is not observed yet" };
      const want = num(status.desiredNumberScheduled);
      const updated = num(status.updatedNumberScheduled);
      const available = num(status.numberAvailable);
      if (updated < want || available < want) {
        return {
          state: "progressing",
          message: `${available} of ${want} pods available (${updated} updated)`
        };
      }
      return { state: "healthy", message: `${available} pods available` };
    }
    case "Job": {
      const failed = conditions.find((c) => c.type === "Failed" && c.status === "True");
      if (failed)
        return { state: "failed", message: failed.message ?? failed.reason ?? "the Job failed" };
      if (conditions.some((c) => c.type === "Complete" && c.status === "True")) {
        return { state: "healthy", message: "complete" };
      }
      return { state: "progressing", message: "not complete yet" };
    }
  }
  const stalled = conditions.find((c) => c.type === "Stalled" && c.status === "True");
  if (stalled) return { state: "failed", message: stalled.message ?? stalled.reason ?? "stalled" };
  const ready = conditions.find((c) => c.type === "Ready");
  if (ready) {
    if (ready.status === "True" && !stale) return { state: "healthy", message: "Ready" };
    return { state: "progressing", message: ready.message ?? ready.reason ?? "not Ready" };
  }
  return { state: "healthy", message: "applied" };
}
async function waitForHealth(client, refs, timeoutMs, intervalMs = 1e3) {
  const deadline = Date.now() + timeoutMs;
  let waiting = [...refs];
  let problems = [];
  for (; ; ) {
    problems = [];
    const still = [];
    for (const ref of waiting) {
      const live = await client.get(ref).catch(() => void 0);
      const health = live ? assessHealth(live) : { state: "progressing", message: "not found" };
      if (health.state !== "healthy") {
        still.push(ref);
        problems.push({ ref, health });
      }
    }
    waiting = still;
    if (waiting.length === 0) return { healthy: true, problems: [] };
    if (problems.some((p) => p.health.state === "failed") || Date.now() >= deadline) {
      return { healthy: false, problems };
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
function describeProblems(report) {
  return report.problems.map((p) => `${describeRef(p.ref)}: ${p.health.message}`).join("; ");
}

// agent/prune.ts
var PRUNE_ANNOTATIONS = ["tether.dev/prune", "kustomize.toolkit.fluxcd.io/prune"];
function isCrdOrNamespace(ref) {
  return ref.apiVersion === "v1" && ref.kind === "Namespace" || groupOf(ref.apiVersion) === "apiextensions.k8s.io" && ref.kind === "CustomResourceDefinition";
}
function keepReason(ref, live, options) {
  const annotations = live.metadata.annotations ?? {};
  const optOut = PRUNE_ANNOTATIONS.find((a) => annotations[a] === "disabled");
  if (optOut) return `annotated ${optOut}: disabled`;
  const owner = live.metadata.labels?.[UNIT_LABEL];
  if (owner !== options.unit)
    return owner ? `now owned by unit ${owner}` : "no longer labelled as this unit's";
  if (isCrdOrNamespace(ref) && !options.allowCrdsAndNamespaces) {
    return `${ref.kind}s are pruned only when the unit sets pruneCrdsAndNamespaces`;
  }
  return void 0;
}
function deleteOrder(ref) {
  if (groupOf(ref.apiVersion) === "apiextensions.k8s.io" && ref.kind === "CustomResourceDefinition")
    return 3;
  if (ref.apiVersion === "v1" && ref.kind === "Namespace") return 2;
  return ref.namespace ? 0 : 1;
}
async function pruneObjects(client, candidates, options) {
  const ordered = [...candidates].sort((a, b) => deleteOrder(a) - deleteOrder(b));
  const results = [];
  for (const ref of ordered) {
    try {
      const live = await client.get(ref);
      if (!live) {
        results.push({ ref, action: "gone" });
        continue;
      }
      const reason = keepReason(ref, live, options);
      if (reason) {
        results.push({ ref, action: "kept", reason });
        continue;
      }
      if (!options.dryRun) await client.delete(ref);
      results.push({ ref, action: "pruned" });
    } catch (error) {
      results.push({
        ref,
        action: "failed",
        reason: error instanceof Error ? error.message : String(error)
      });
    }
  }
  return results;
}

// agent/flux/bootstrap.ts
var FLUX_CONTROLLERS = ["source-controller", "kustomize-controller", "helm-controller"];
var HANDOVER_STEPS = [
  "Flux's controllers are running in this cluster; Tether will not reconcile Flux objects beside them.",
  "To hand over (objects, CRDs and the flux-system namespace stay in place):",
  "  1. flux suspend kustomization --all -A   (or set spec.suspend on each)",
  "  2. kubectl -n flux-system scale deployment --all --replicas=0",
  "  3. run Tether on the same repository path, then resume the Kustomizations in Git"
].join("\n");
async function runningFluxControllers(client) {
  const deployments = await client.list("apps/v1", "Deployment", { labelSelector: `${PART_OF_LABEL}=flux` }).catch(() => []);
  return deployments.filter((d) => FLUX_CONTROLLERS.includes(d.metadata.name)).filter((d) => (d.spec?.replicas ?? 1) > 0).map((d) => `${d.metadata.namespace}/${d.metadata.name}`);
}
function isFluxComponent(m) {
  return m.object.metadata.labels?.[PART_OF_LABEL] === "flux" && stageOf(m.object) === 2;
}
async function serveFluxKinds(client, manifests, dryRun) {
  if (!manifests.some((m) => isFluxObject(m.object)))
    return { manifests: [...manifests], notes: [] };
  const converted = manifests.map(
    (m) => isKustomization(m.object) && m.object.apiVersion !== KUSTOMIZATION_API ? { ...m, object: { ...m.object, apiVersion: KUSTOMIZATION_API } } : m
  );
  if (dryRun) return { manifests: converted, notes: [] };
  const { ensureFluxCrds } = await import("./crds-3CUAGNCW.js");
  const created = await ensureFluxCrds(
    client,
    converted.map((m) => m.object)
  );
  return {
    manifests: converted,
    notes: created.length > 0 ? [`installed CRDs: ${created.join(", ")}`] : []
  };
}
async function prepareFluxRender(client, manifests, dryRun) {
  const prepared = { manifests: [...manifests], errors: [], notes: [] };
  if (!manifests.some((m) => isFluxObject(m.object))) return prepared;
  const running = await runningFluxControllers(client);
  if (running.length > 0) {
    prepared.errors.push(`refused: ${running.join(", ")} running.
${HANDOVER_STEPS}`);
    return prepared;
  }
  const components = manifests.filter(isFluxComponent);
  if (components.length > 0) {
    prepared.manifests = manifests.filter((m) => !isFluxComponent(m));
    prepared.notes.push(
      `${components[0]?.source.file}: applied only the CRDs and namespace of Flux's components; skipped ${components.length} controller object(s), Tether reconciles Flux objects itself`
    );
  }
  const served = await serveFluxKinds(client, prepared.manifests, dryRun);
  prepared.manifests = served.manifests;
  prepared.notes.push(...served.notes);
  if (dryRun) return prepared;
  const declared = new Set(
    prepared.manifests.filter((m) => stageOf(m.object) === 1).map((m) => m.object.metadata.name)
  );
  const needed = new Set(
    prepared.manifests.filter((m) => isFluxObject(m.object) && m.object.metadata.namespace).map((m) => m.object.metadata.namespace)
  );
  for (const ns of needed) if (!declared.has(ns)) await ensureNamespace(client, ns);
  return prepared;
}

export {
  waitForHealth,
  describeProblems,
  pruneObjects,
  serveFluxKinds,
  prepareFluxRender
};
