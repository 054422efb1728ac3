#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  CONFIRM_PRUNE_ANNOTATION
} from "./chunk-XVXAFQO7.js";
import {
  AGENT_FIELD_MANAGER,
  MANAGED_BY,
  MANAGED_BY_LABEL,
  RECORD_LABEL,
  UNIT_LABEL
} from "./chunk-75EKFM34.js";
import {
  refKey
} from "./chunk-Z62KHOJY.js";

// agent/inventory.ts
const { createHash } = require("node:crypto");
function recordName(unit) {
  return `tether-unit-${unit}`;
}
function inventoryName(unit) {
  return `tether-inventory-${unit}`;
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
  if (typeof value !== "object" || value === null) return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) {
    let out2 = "[";
    for (let i = 0; i < value.length; i++) out2 += `${i > 0 ? "," : ""}${canonicalJson(value[i])}`;
    return `${out2}]`;
  }
  let out = "{";
  for (const key of Object.keys(value).sort()) {
    const member = value[key];
    if (member === void 0) continue;
    out += `${out.length > 1 ? "," : ""}${JSON.stringify(key)}:${canonicalJson(member)}`;
  }
  return `${out}}`;
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
  const [cm, inventory] = await Promise.all([
    client.get({ apiVersion: "v1", kind: "ConfigMap", namespace, name: recordName(unit) }),
    client.get({ apiVersion: "v1", kind: "ConfigMap", namespace, name: inventoryName(unit) })
  ]);
  const record = recordOf(
    cm?.data ?? {},
    inventory ? inventory.data ?? {} : void 0
  );
  record.confirmPrune = cm?.metadata.annotations?.[CONFIRM_PRUNE_ANNOTATION];
  return record;
}
var isEntry = (e) => {
  const v = e;
  return typeof v === "object" && v !== null && typeof v.apiVersion === "string" && typeof v.kind === "string" && typeof v.name === "string" && (v.namespace === void 0 || typeof v.namespace === "string");
};
var MOVED = "moved to ConfigMap ";
function parseInventory(text) {
  try {
    const parsed = JSON.parse(text);
    if (Array.isArray(parsed) && parsed.every(isEntry)) return { entries: parsed };
    return { problem: "the stored inventory is not a list of objects" };
  } catch (error) {
    return {
      problem: `the stored inventory is not valid JSON (${error instanceof Error ? error.message : error})`
    };
  }
}
function recordOf(data, inventoryData) {
  const record = { inventory: [] };
  const legacy = data.inventory?.startsWith(MOVED) === false ? data.inventory : void 0;
  const lists = [];
  if (inventoryData) {
    const read = inventoryData.inventory === void 0 ? { problem: "the stored inventory has no `inventory` key" } : parseInventory(inventoryData.inventory);
    if ("problem" in read) record.unreadable = read.problem;
    else lists.push(read.entries);
    if (legacy === void 0) record.storedInventory = inventoryData.inventory;
  }
  if (legacy !== void 0) {
    const read = parseInventory(legacy);
    if ("entries" in read) lists.push(read.entries);
    else if (!inventoryData) record.unreadable = read.problem;
  } else if (!inventoryData && (data.inventory !== void 0 || data.status !== void 0)) {
    record.unreadable = "the inventory's ConfigMap is missing";
  }
  const union = /* @__PURE__ */ new Map();
  for (const entry of lists.flat()) if (!union.has(refKey(entry))) union.set(refKey(entry), entry);
  if (!record.unreadable) record.inventory = [...union.values()];
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
    labelSelector: `${RECORD_LABEL} in (unit,inventory)`
  });
  const inventories = new Map(
    items.filter((cm) => cm.metadata.labels?.[RECORD_LABEL] === "inventory").map((cm) => [cm.metadata.name, cm.data ?? {}])
  );
  return items.filter((cm) => cm.metadata.labels?.[RECORD_LABEL] === "unit").map(
    (cm) => recordOf(
      cm.data ?? {},
      inventories.get(inventoryName(cm.metadata.labels?.[UNIT_LABEL] ?? ""))
    )
  );
}
async function writeRecord(client, namespace, unit, record, previous) {
  const labels = (kind) => ({
    [RECORD_LABEL]: kind,
    [MANAGED_BY_LABEL]: MANAGED_BY,
    ...kind === "unit" ? { [UNIT_LABEL]: unit } : {}
  });
  const inventory = record.inventory && `${JSON.stringify(sortInventory(record.inventory), null, 0).replaceAll("},{", "},\n{")}
`;
  if (inventory !== void 0 && inventory !== previous?.storedInventory) {
    await client.apply(
      {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: inventoryName(unit), namespace, labels: labels("inventory") },
        data: { inventory }
      },
      { fieldManager: AGENT_FIELD_MANAGER, force: true }
    );
  }
  const configMap = {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: recordName(unit), namespace, labels: labels("unit") },
    data: {
      inventory: `${MOVED}${inventoryName(unit)}`,
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
