#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  CONFIRM_PRUNE_ANNOTATION
} from "./chunk-UVUGNZXM.js";
import {
  AGENT_FIELD_MANAGER,
  MANAGED_BY,
  MANAGED_BY_LABEL,
  RECORD_LABEL,
  UNIT_LABEL
} from "./chunk-TFXRVEOY.js";
import {
  refKey
} from "./chunk-Z62KHOJY.js";

// agent/inventory.ts
import { createHash } from "node:crypto";
function recordName(unit) {
  return `tether-unit-${unit}`;
}
function objectHash(object) {
  return createHash("sha256").update(canonicalJson(object)).digest("hex").slice(0, 20);
}
function liveHashOf(live) {
  const { status: _status, metadata, ...rest } = live;
  const { resourceVersion: _version, managedFields: _managers, ...meta } = metadata;
  return objectHash({ ...rest, metadata: meta });
}
function canonicalJson(value) {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value).filter(([, v]) => v !== void 0).sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0);
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
function pruneCandidates(old, current) {
  const keep = new Set(current.map(refKey));
  return old.filter((entry) => !keep.has(refKey(entry)));
}
function sortInventory(entries) {
  const byKey = new Map(entries.map((e) => [refKey(e), e]));
  return [...byKey.entries()].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0).map(([, e]) => e);
}
async function readRecord(client, namespace, unit) {
  const cm = await client.get({
    apiVersion: "v1",
    kind: "ConfigMap",
    namespace,
    name: recordName(unit)
  });
  const record = recordOf(cm?.data ?? {});
  record.confirmPrune = cm?.metadata.annotations?.[CONFIRM_PRUNE_ANNOTATION];
  return record;
}
var isEntry = (e) => {
  const v = e;
  return typeof v === "object" && v !== null && typeof v.apiVersion === "string" && typeof v.kind === "string" && typeof v.name === "string" && (v.namespace === void 0 || typeof v.namespace === "string");
};
function recordOf(data) {
  const record = { inventory: [] };
  if (data.inventory !== void 0) {
    try {
      const parsed = JSON.parse(data.inventory);
      if (Array.isArray(parsed) && parsed.every(isEntry)) record.inventory = parsed;
      else record.unreadable = "the stored inventory is not a list of objects";
    } catch (error) {
      record.unreadable = `the stored inventory is not valid JSON (${error instanceof Error ? error.message : error})`;
    }
  }
  try {
    const status = data.status ? JSON.parse(data.status) : void 0;
    if (status && typeof status === "object" && status.counts) record.status = status;
  } catch {
  }
  return record;
}
async function listRecords(client, namespace) {
  const items = await client.list("v1", "ConfigMap", {
    namespace,
    labelSelector: `${RECORD_LABEL}=unit`
  });
  return items.map((cm) => recordOf(cm.data ?? {}));
}
async function writeRecord(client, namespace, unit, record) {
  const configMap = {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: {
      name: recordName(unit),
      namespace,
      labels: {
        [RECORD_LABEL]: "unit",
        [MANAGED_BY_LABEL]: MANAGED_BY,
        [UNIT_LABEL]: unit
      }
    },
    data: {
      inventory: `${JSON.stringify(sortInventory(record.inventory), null, 0).replaceAll("},{", "},\n{")}
`,
      ...record.status ? { status: `${JSON.stringify(record.status, null, 2)}
` } : {}
    }
  };
  return client.apply(configMap, { fieldManager: AGENT_FIELD_MANAGER, force: true });
}
async function ensureNamespace(client, namespace) {
  if (await client.get({ apiVersion: "v1", kind: "Namespace", name: namespace })) return;
  await client.apply(
    { apiVersion: "v1", kind: "Namespace", metadata: { name: namespace } },
    { fieldManager: AGENT_FIELD_MANAGER }
  );
}

export {
  recordName,
  objectHash,
  liveHashOf,
  pruneCandidates,
  readRecord,
  recordOf,
  listRecords,
  writeRecord,
  ensureNamespace
};
