#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  ensureNamespace,
  objectHash
} from "./chunk-O4VD4CAD.js";
import {
  KubeApiError
} from "./chunk-OMIHXC2B.js";
import {
  KUSTOMIZATION_API,
  PART_OF_LABEL,
  isFluxObject,
  isKustomization
} from "./chunk-5CZALSU7.js";
import {
  FIELD_MANAGER,
  MANAGED_BY,
  MANAGED_BY_LABEL,
  PRUNE_ANNOTATIONS,
  UNIT_LABEL
} from "./chunk-TFXRVEOY.js";
import {
  describeRef,
  describeSource,
  groupOf,
  refKey,
  refOf
} from "./chunk-Z62KHOJY.js";
import {
  mapLimit
} from "./chunk-F7OZ6T2Y.js";

// agent/apply.ts
import { isDeepStrictEqual } from "node:util";

// shared/manifests/kinds.ts
function isCrd(o) {
  return groupOf(o.apiVersion) === "apiextensions.k8s.io" && o.kind === "CustomResourceDefinition";
}
function isNamespace(o) {
  return o.apiVersion === "v1" && o.kind === "Namespace";
}

// agent/apply.ts
function stageOf(object) {
  if (isCrd(object)) return 0;
  if (isNamespace(object)) return 1;
  return 2;
}
function findDuplicates(manifests) {
  const seen = /* @__PURE__ */ new Map();
  for (const m of manifests) {
    const key = refKey(refOf(m.object));
    seen.set(key, [...seen.get(key) ?? [], m]);
  }
  return new Map([...seen].filter(([, list]) => list.length > 1));
}
function prepareObject(object, options) {
  const copy = structuredClone(object);
  copy.metadata.labels = {
    ...copy.metadata.labels,
    [UNIT_LABEL]: options.unit,
    [MANAGED_BY_LABEL]: MANAGED_BY
  };
  if (options.namespaced) {
    copy.metadata.namespace = options.targetNamespace ?? copy.metadata.namespace ?? "default";
  } else {
    delete copy.metadata.namespace;
  }
  return copy;
}
function conflictsOf(error) {
  const causes = error.details?.causes ?? [];
  return causes.map((c) => ({
    field: c.field ?? "",
    manager: /conflict with "([^"]+)"/.exec(c.message ?? "")?.[1] ?? ""
  }));
}
function isHandEditConflict(conflicts, live) {
  const managed = live?.metadata.managedFields ?? [];
  return conflicts.length > 0 && conflicts.every(
    (c) => managed.some((m) => m.manager === c.manager && m.operation === "Update")
  ) && !conflicts.some((c) => managed.some((m) => m.manager === c.manager && m.operation === "Apply"));
}
function messageOf(error) {
  if (error instanceof KubeApiError) {
    if (error.reason === "NoKindMatch") return `${error.message} (is its CRD installed?)`;
    return error.message;
  }
  return error instanceof Error ? error.message : String(error);
}
async function applyOne(client, manifest, desired, live, options) {
  const ref = refOf(desired);
  const result = {
    manifest,
    desired,
    ref,
    action: "failed",
    hash: objectHash(desired)
  };
  try {
    let before = live ?? void 0;
    let known = live !== null;
    const learnBefore = async () => {
      if (!known) before = await client.get(ref);
      known = true;
    };
    let force = false;
    let dry;
    try {
      dry = await client.apply(desired, { fieldManager: FIELD_MANAGER, dryRun: true });
    } catch (error) {
      if (!(error instanceof KubeApiError) || error.status !== 409) throw error;
      await learnBefore();
      const conflicts = conflictsOf(error);
      if (!isHandEditConflict(conflicts, before)) {
        throw new Error(
          `conflict: ${conflicts.map((c) => `${c.field} is managed by "${c.manager}"`).join(", ") || error.message}`
        );
      }
      force = true;
      dry = await client.apply(desired, { fieldManager: FIELD_MANAGER, dryRun: true, force });
    }
    if (!known && dry.metadata.resourceVersion) await learnBefore();
    result.before = before;
    if (before && isDeepStrictEqual(dry, before)) {
      result.action = "unchanged";
      result.after = before;
      return result;
    }
    result.after = options.dryRun ? dry : await client.apply(desired, { fieldManager: FIELD_MANAGER, force });
    result.action = before ? "configured" : "created";
  } catch (error) {
    result.detail = describeSource(manifest.source);
    result.error = messageOf(error);
  }
  return result;
}
async function prefetchLive(client, objects, unit) {
  const live = /* @__PURE__ */ new Map();
  const kinds = /* @__PURE__ */ new Map();
  for (const o of objects)
    kinds.set(`${o.apiVersion}/${o.kind}`, { apiVersion: o.apiVersion, kind: o.kind });
  await mapLimit([...kinds.values()], 4, async ({ apiVersion, kind }) => {
    try {
      for (const item of await client.list(apiVersion, kind, {
        labelSelector: `${UNIT_LABEL}=${unit}`
      })) {
        live.set(refKey(refOf(item)), item);
      }
    } catch {
    }
  });
  return live;
}
async function waitEstablished(client, crds, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (const result of crds) {
    if (result.action === "failed") continue;
    for (; ; ) {
      const live = await client.get(result.ref).catch(() => void 0);
      const conditions = live?.status?.conditions ?? [];
      if (conditions.some((c) => c.type === "Established" && c.status === "True")) break;
      if (Date.now() > deadline) {
        result.action = "failed";
        result.detail = describeSource(result.manifest.source);
        result.error = `not Established after ${Math.round(timeoutMs / 1e3)}s`;
        break;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}
function refused(manifest, error) {
  return {
    manifest,
    desired: manifest.object,
    ref: refOf(manifest.object),
    action: "failed",
    hash: "",
    detail: describeSource(manifest.source),
    error
  };
}
async function applyManifests(client, manifests, options) {
  const concurrency = options.concurrency ?? 8;
  const results = /* @__PURE__ */ new Map();
  const duplicates = findDuplicates(manifests);
  for (const list of duplicates.values()) {
    for (const m of list) {
      const others = list.filter((o) => o !== m).map((o) => `${o.source.file}${o.source.line ? `:${o.source.line}` : ""}`);
      results.set(
        m,
        refused(m, `${describeRef(refOf(m.object))} is also defined at ${others.join(", ")}`)
      );
    }
  }
  const pending = manifests.filter((m) => !results.has(m));
  const runStage = async (stage, namespaced) => {
    const desired = stage.map(
      (m) => prepareObject(m.object, {
        unit: options.unit,
        namespaced: namespaced(m),
        targetNamespace: options.targetNamespace
      })
    );
    const live = await prefetchLive(client, desired, options.unit);
    const stageResults = await mapLimit(stage, concurrency, (m, i) => {
      const d = desired[i];
      return applyOne(client, m, d, live.get(refKey(refOf(d))) ?? null, options);
    });
    for (const r of stageResults) results.set(r.manifest, r);
    return stageResults;
  };
  const crds = await runStage(
    pending.filter((m) => stageOf(m.object) === 0),
    () => false
  );
  if (!options.dryRun) await waitEstablished(client, crds, options.crdEstablishTimeoutMs ?? 6e4);
  await runStage(
    pending.filter((m) => stageOf(m.object) === 1),
    () => false
  );
  const rest = pending.filter((m) => stageOf(m.object) === 2);
  const scope = /* @__PURE__ */ new Map();
  await mapLimit(rest, concurrency, async (m) => {
    const resource = await client.resourceFor(m.object.apiVersion, m.object.kind).catch(() => void 0);
    scope.set(m, resource?.namespaced);
  });
  for (const m of rest.filter((m2) => scope.get(m2) === void 0)) {
    results.set(
      m,
      refused(
        m,
        `the server does not know ${m.object.kind} in ${m.object.apiVersion} (is its CRD installed?)`
      )
    );
  }
  await runStage(
    rest.filter((m) => scope.get(m) === false),
    () => false
  );
  await runStage(
    rest.filter((m) => scope.get(m) === true),
    () => true
  );
  return manifests.map((m) => results.get(m));
}

// agent/flux/bootstrap.ts
var FLUX_CONTROLLERS = ["source-controller", "kustomize-controller", "helm-controller"];
var HANDOVER_STEPS = [
  "Flux's controllers are running in this cluster; Tether will not reconcile Flux objects beside them.",
  "To hand over (objects, CRDs, inventories and the flux-system namespace stay in place):",
  "  1. kubectl -n flux-system scale deployment --all --replicas=0",
  "  2. run Tether again on the same repository path; it takes over each Kustomization's inventory",
  "  (do not `flux suspend` first: Tether honours spec.suspend too)"
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
  const { ensureFluxCrds } = await import("./crds-LJWC6FE6.js");
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

// agent/prune.ts
function keepReason(ref, live, options) {
  const annotations = live.metadata.annotations ?? {};
  const optOut = PRUNE_ANNOTATIONS.find((a) => annotations[a] === "disabled");
  if (optOut) return `annotated ${optOut}: disabled`;
  const owner = live.metadata.labels?.[UNIT_LABEL];
  if (owner !== options.unit)
    return owner ? `now owned by unit ${owner}` : "no longer labelled as this unit's";
  if ((isCrd(ref) || isNamespace(ref)) && !options.allowCrdsAndNamespaces) {
    return `${ref.kind}s are pruned only when the unit sets pruneCrdsAndNamespaces`;
  }
  return void 0;
}
function deleteOrder(ref) {
  if (isCrd(ref)) return 3;
  if (isNamespace(ref)) return 2;
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
        results.push({ ref, action: "kept", detail: reason });
        continue;
      }
      if (!options.dryRun) await client.delete(ref);
      results.push({ ref, action: "pruned" });
    } catch (error) {
      results.push({
        ref,
        action: "prune-failed",
        error: error instanceof Error ? error.message : String(error)
      });
    }
  }
  return results;
}

export {
  applyManifests,
  serveFluxKinds,
  prepareFluxRender,
  pruneObjects
};
