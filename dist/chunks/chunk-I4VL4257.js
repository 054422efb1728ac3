#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  liveHashOf,
  objectHash
} from "./chunk-IN6JXKYM.js";
import {
  mapLimit
} from "./chunk-F7OZ6T2Y.js";
import {
  FLUX_NAMESPACE_LABEL,
  FLUX_NAME_LABEL
} from "./chunk-WOA5VQJZ.js";
import {
  FIELD_MANAGER,
  FLUX_FIELD_MANAGER,
  FLUX_OPT_OUTS,
  FLUX_SSA_KEY,
  MANAGED_BY,
  MANAGED_BY_LABEL,
  UNIT_LABEL
} from "./chunk-75EKFM34.js";
import {
  messageOf
} from "./chunk-6SSSO5LC.js";
import {
  createdByApply
} from "./chunk-XH5JYCWA.js";
import {
  KubeApiError
} from "./chunk-OMIHXC2B.js";
import {
  describeRef,
  describeSource,
  groupOf,
  refKey,
  refOf
} from "./chunk-Z62KHOJY.js";

// shared/manifests/kinds.ts
function isCrd(o) {
  return groupOf(o.apiVersion) === "apiextensions.k8s.io" && o.kind === "CustomResourceDefinition";
}
function isNamespace(o) {
  return o.apiVersion === "v1" && o.kind === "Namespace";
}

// agent/apply.ts
const { createHash } = require("node:crypto");
const { isDeepStrictEqual } = require("node:util");
function stageOf(object) {
  if (isCrd(object)) return 0;
  if (isNamespace(object)) return 1;
  return 2;
}
function findDuplicates(manifests) {
  const seen = /* @__PURE__ */ new Map();
  for (const m of manifests) {
    const key = refKey(refOf(m.object));
    const list = seen.get(key);
    if (list) list.push(m);
    else seen.set(key, [m]);
  }
  return new Map([...seen].filter(([, list]) => list.length > 1));
}
function kustomizationUnit(namespace, name) {
  const unit = `${namespace}.${name}`;
  if (unit.length <= 63) return unit;
  const hash = createHash("sha256").update(unit).digest("hex").slice(0, 8);
  return `${unit.slice(0, 54)}.${hash}`;
}
function fluxLabelledUnit(object) {
  const name = object.metadata.labels?.[FLUX_NAME_LABEL];
  const namespace = object.metadata.labels?.[FLUX_NAMESPACE_LABEL];
  return name && namespace ? kustomizationUnit(namespace, name) : void 0;
}
function isMarked(object, key, value) {
  const found = [object?.metadata.labels?.[key], object?.metadata.annotations?.[key]];
  return found.some((v) => v?.toLowerCase() === value.toLowerCase());
}
function optOutOf(object) {
  const found = FLUX_OPT_OUTS.find(([key, value]) => isMarked(object, key, value));
  return found && `${found[0]}: ${found[1]}`;
}
function applyControl(desired, existing) {
  const inGit = optOutOf(desired);
  if (inGit) return { skip: `${inGit} in Git`, merge: false };
  const inCluster = optOutOf(existing);
  if (inCluster) return { skip: `${inCluster} in the cluster`, merge: false };
  if (existing && isMarked(desired, FLUX_SSA_KEY, "IfNotPresent")) {
    return { skip: `${FLUX_SSA_KEY}: IfNotPresent, and it exists`, merge: false };
  }
  const merge = isMarked(desired, FLUX_SSA_KEY, "Merge") || isMarked(existing, FLUX_SSA_KEY, "Merge");
  return { merge };
}
function lacksNamespace(object, options) {
  return !object.metadata.namespace && !options.targetNamespace && fluxLabelledUnit(object) === options.unit;
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
function mayForce(conflicts, live) {
  const others = conflicts.filter((c) => c.manager !== FLUX_FIELD_MANAGER);
  return conflicts.length > 0 && (others.length === 0 || isHandEditConflict(others, live));
}
function heldByFlux(object) {
  const managed = object?.metadata.managedFields ?? [];
  return managed.some((m) => m.manager === FLUX_FIELD_MANAGER && m.operation === "Apply");
}
function releaseFromFlux(client, desired) {
  const { name, namespace } = desired.metadata;
  const identity = {
    apiVersion: desired.apiVersion,
    kind: desired.kind,
    metadata: namespace ? { name, namespace } : { name }
  };
  return client.apply(identity, { fieldManager: FLUX_FIELD_MANAGER }).catch((error) => {
    throw new Error(`applied, but kustomize-controller's fields stay: ${applyErrorText(error)}`);
  });
}
function applyErrorText(error) {
  if (error instanceof KubeApiError) {
    if (error.reason === "NoKindMatch") return `${error.message} (is its CRD installed?)`;
    return error.message;
  }
  return messageOf(error);
}
async function applyOne(client, manifest, desired, { live, existing }, recorded, options) {
  const ref = refOf(desired);
  const result = {
    manifest,
    desired,
    ref,
    action: "failed",
    hash: objectHash(desired)
  };
  const control = applyControl(desired, existing);
  if (control.skip) {
    result.action = "unchanged";
    result.detail = `skipped: ${control.skip}`;
    result.skipped = true;
    return result;
  }
  const takeOver = (object) => !control.merge && heldByFlux(object);
  if (live && recorded?.hash === result.hash && recorded.liveHash === liveHashOf(live)) {
    result.action = "unchanged";
    result.liveHash = recorded.liveHash;
    return result;
  }
  let force = false;
  const send = async (dryRun, before) => {
    try {
      return await client.apply(desired, { fieldManager: FIELD_MANAGER, dryRun, force });
    } catch (error) {
      if (!(error instanceof KubeApiError) || error.status !== 409 || force) throw error;
      const conflicts = conflictsOf(error);
      if (!mayForce(conflicts, before === null ? await client.get(ref) : before)) {
        throw new Error(
          `conflict: ${conflicts.map((c) => `${c.field} is managed by "${c.manager}"`).join(", ") || error.message}`
        );
      }
      force = true;
      return client.apply(desired, { fieldManager: FIELD_MANAGER, dryRun, force });
    }
  };
  try {
    if (live === null && !options.dryRun) {
      const answer2 = await send(false, null);
      const created = createdByApply(answer2) !== false;
      const after = takeOver(answer2) ? await releaseFromFlux(client, desired) : answer2;
      result.action = created ? "created" : "configured";
      result.liveHash = liveHashOf(after);
      return result;
    }
    const dry = await send(true, live);
    const before = live === null ? dry.metadata.resourceVersion ? await client.get(ref) : void 0 : live;
    if (before && isDeepStrictEqual(dry, before) && !takeOver(before)) {
      result.action = "unchanged";
      result.liveHash = liveHashOf(before);
      return result;
    }
    let answer = options.dryRun ? dry : await send(false, before);
    if (!options.dryRun && takeOver(answer)) answer = await releaseFromFlux(client, desired);
    result.liveHash = liveHashOf(answer);
    result.action = before ? "configured" : "created";
  } catch (error) {
    result.detail = describeSource(manifest.source);
    result.error = applyErrorText(error);
  }
  return result;
}
async function lookupUnlabelled(client, objects) {
  const wanted = new Set(objects.map((o) => refKey(refOf(o))));
  const groups = /* @__PURE__ */ new Map();
  for (const o of objects) {
    const key = `${o.apiVersion}/${o.kind}/${o.metadata.namespace ?? ""}`;
    const group = groups.get(key);
    if (group) group.push(o);
    else groups.set(key, [o]);
  }
  const found = /* @__PURE__ */ new Map();
  await mapLimit([...groups.values()], 4, async (group) => {
    const { apiVersion, kind, metadata } = group[0];
    const namespace = metadata.namespace;
    try {
      const items = await client.list(apiVersion, kind, {
        metadataOnly: true,
        ...namespace ? { namespace } : {}
      });
      for (const item of items) {
        const key = refKey(refOf(item));
        if (wanted.has(key)) found.set(key, item);
      }
    } catch {
      await mapLimit(group, 8, async (o) => {
        const item = await client.get(refOf(o)).catch(() => void 0);
        if (item) found.set(refKey(refOf(o)), item);
      });
    }
  });
  return found;
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
  const recorded = new Map((options.recorded ?? []).map((e) => [refKey(e), e]));
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
    const unlabelled = await lookupUnlabelled(
      client,
      desired.filter((d) => !live.has(refKey(refOf(d))))
    );
    const stageResults = await mapLimit(stage, concurrency, (m, i) => {
      const d = desired[i];
      const key = refKey(refOf(d));
      const seen = { live: live.get(key) ?? null, existing: live.get(key) ?? unlabelled.get(key) };
      return applyOne(client, m, d, seen, recorded.get(key), options);
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
  for (const m of rest.filter((m2) => scope.get(m2) === true && lacksNamespace(m2.object, options))) {
    const hint = "set metadata.namespace, or spec.targetNamespace on the Kustomization";
    results.set(m, refused(m, `${describeRef(refOf(m.object))} namespace not specified (${hint})`));
  }
  await runStage(
    rest.filter((m) => scope.get(m) === true && !results.has(m)),
    () => true
  );
  return manifests.map((m) => results.get(m));
}

export {
  isCrd,
  isNamespace,
  stageOf,
  kustomizationUnit,
  fluxLabelledUnit,
  optOutOf,
  applyManifests
};
