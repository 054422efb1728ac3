#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  fluxData
} from "./chunk-RJ6COGY3.js";
import {
  SOURCE_EXTENSIONS_GROUP
} from "./chunk-WOA5VQJZ.js";
import {
  FIELD_MANAGER,
  MANAGED_BY,
  MANAGED_BY_LABEL
} from "./chunk-75EKFM34.js";
import {
  groupOf
} from "./chunk-Z62KHOJY.js";
import "./chunk-3IQPLNQJ.js";

// agent/flux/crds.ts
function plural(kind) {
  const lower = kind.toLowerCase();
  return lower.endsWith("y") ? `${lower.slice(0, -1)}ies` : `${lower}s`;
}
function expand(node, shared) {
  if (Array.isArray(node)) return node.map((n) => expand(n, shared));
  if (typeof node !== "object" || node === null) return node;
  if (typeof node.$ref === "number") return expand(shared[node.$ref], shared);
  const out = {};
  for (const [key, value] of Object.entries(node)) out[key] = expand(value, shared);
  return out;
}
var READY_COLUMNS = [
  { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" },
  { name: "Ready", type: "string", jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
  { name: "Status", type: "string", jsonPath: '.status.conditions[?(@.type=="Ready")].message' }
];
var OPEN_SCHEMA = {
  type: "object",
  properties: {
    spec: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
    status: { type: "object", "x-kubernetes-preserve-unknown-fields": true }
  }
};
var OPEN_KINDS = {
  [`${SOURCE_EXTENSIONS_GROUP}/ArtifactGenerator`]: ["v1beta1"]
};
function openCrd(group, kind) {
  const versions = OPEN_KINDS[`${group}/${kind}`];
  if (!versions) return void 0;
  return crd(
    group,
    kind,
    versions.map((name, i) => ({ name, served: true, storage: i === 0, schema: OPEN_SCHEMA }))
  );
}
function crd(group, kind, versions) {
  const plural_ = plural(kind);
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: `${plural_}.${group}`, labels: { [MANAGED_BY_LABEL]: MANAGED_BY } },
    spec: {
      group,
      scope: "Namespaced",
      names: { kind, listKind: `${kind}List`, plural: plural_, singular: kind.toLowerCase() },
      versions: versions.map((v) => ({
        name: v.name,
        served: v.served,
        storage: v.storage,
        schema: { openAPIV3Schema: v.schema },
        subresources: { status: {} },
        additionalPrinterColumns: READY_COLUMNS
      }))
    }
  };
}
function servedApiVersion(apiVersion, kind) {
  if (!/(alpha|beta)\d*$/.test(apiVersion)) return apiVersion;
  const known = fluxData().kinds.find((k) => k.apiVersion === apiVersion && k.kind === kind);
  return known && !known.served ? known.storage : apiVersion;
}
function crdFor(group, kind) {
  const open = openCrd(group, kind);
  if (open) return open;
  const data = fluxData();
  const kinds = data.kinds.filter(
    (k) => groupOf(k.apiVersion) === group && k.kind === kind && k.served
  );
  if (kinds.length === 0) return void 0;
  return crd(
    group,
    kind,
    kinds.map((k) => {
      const schema = expand(k.schema, data.shared);
      const properties = { ...schema.properties ?? {} };
      properties.metadata = { type: "object" };
      return {
        name: k.apiVersion.split("/")[1],
        served: true,
        storage: k.apiVersion === k.storage,
        schema: { ...schema, type: "object", properties }
      };
    })
  );
}
async function ensureFluxCrds(client, objects, timeoutMs = 6e4) {
  const wanted = /* @__PURE__ */ new Map();
  for (const o of objects) {
    const group = groupOf(o.apiVersion);
    if (!group.endsWith(".fluxcd.io")) continue;
    wanted.set(`${plural(o.kind)}.${group}`, { group, kind: o.kind });
  }
  const created = [];
  for (const [name, { group, kind }] of wanted) {
    const ref = { apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition", name };
    if (await client.get(ref)) continue;
    const definition = crdFor(group, kind);
    if (!definition) continue;
    await client.apply(definition, { fieldManager: FIELD_MANAGER });
    created.push(definition.metadata.name);
    const deadline = Date.now() + timeoutMs;
    for (; ; ) {
      const live = await client.get(ref);
      const conditions = live?.status?.conditions ?? [];
      if (conditions.some((c) => c.type === "Established" && c.status === "True")) break;
      if (Date.now() > deadline)
        throw new Error(
          `CRD ${definition.metadata.name} not Established after ${timeoutMs / 1e3}s`
        );
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return created;
}
export {
  crdFor,
  ensureFluxCrds,
  servedApiVersion
};
