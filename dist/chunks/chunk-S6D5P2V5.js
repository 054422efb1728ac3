#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  objectHash
} from "./chunk-FX7EDWFF.js";
import {
  KubeApiError
} from "./chunk-OMIHXC2B.js";
import {
  describeRef,
  groupOf,
  refKey,
  refOf
} from "./chunk-Z62KHOJY.js";
import {
  mapLimit
} from "./chunk-F7OZ6T2Y.js";

// agent/apply.ts
import { isDeepStrictEqual } from "node:util";
var FIELD_MANAGER = "tether";
var UNIT_LABEL = "tether.dev/unit";
var MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
function stageOf(object) {
  if (groupOf(object.apiVersion) === "apiextensions.k8s.io" && object.kind === "CustomResourceDefinition")
    return 0;
  if (object.apiVersion === "v1" && object.kind === "Namespace") return 1;
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
    [MANAGED_BY_LABEL]: "tether"
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

export {
  FIELD_MANAGER,
  UNIT_LABEL,
  stageOf,
  applyManifests
};
