#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  liveHashOf,
  objectHash
} from "./chunk-XKQL3ALL.js";
import {
  mapLimit
} from "./chunk-F7OZ6T2Y.js";
import {
  isCrd,
  isNamespace
} from "./chunk-47AX5NPA.js";
import {
  createdByApply
} from "./chunk-XH5JYCWA.js";
import {
  KubeApiError
} from "./chunk-OMIHXC2B.js";
import {
  FIELD_MANAGER,
  MANAGED_BY,
  MANAGED_BY_LABEL,
  UNIT_LABEL
} from "./chunk-TFXRVEOY.js";
import {
  describeRef,
  describeSource,
  refKey,
  refOf
} from "./chunk-Z62KHOJY.js";
import {
  messageOf
} from "./chunk-6SSSO5LC.js";

// agent/apply.ts
import { isDeepStrictEqual } from "node:util";
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
function applyErrorText(error) {
  if (error instanceof KubeApiError) {
    if (error.reason === "NoKindMatch") return `${error.message} (is its CRD installed?)`;
    return error.message;
  }
  return messageOf(error);
}
async function applyOne(client, manifest, desired, live, recorded, options) {
  const ref = refOf(desired);
  const result = {
    manifest,
    desired,
    ref,
    action: "failed",
    hash: objectHash(desired)
  };
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
      if (!isHandEditConflict(conflicts, before === null ? await client.get(ref) : before)) {
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
      result.action = createdByApply(answer2) === false ? "configured" : "created";
      result.liveHash = liveHashOf(answer2);
      return result;
    }
    const dry = await send(true, live);
    const before = live === null ? dry.metadata.resourceVersion ? await client.get(ref) : void 0 : live;
    if (before && isDeepStrictEqual(dry, before)) {
      result.action = "unchanged";
      result.liveHash = liveHashOf(before);
      return result;
    }
    const answer = options.dryRun ? dry : await send(false, before);
    result.liveHash = liveHashOf(answer);
    result.action = before ? "configured" : "created";
  } catch (error) {
    result.detail = describeSource(manifest.source);
    result.error = applyErrorText(error);
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
    const stageResults = await mapLimit(stage, concurrency, (m, i) => {
      const d = desired[i];
      const key = refKey(refOf(d));
      return applyOne(client, m, d, live.get(key) ?? null, recorded.get(key), options);
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
  stageOf,
  applyManifests
};
