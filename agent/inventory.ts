// What a unit applied, and how its last sync went, kept in the cluster: two ConfigMaps
// per unit in the agent's namespace. The record (`tether-unit-<unit>`) holds the status,
// written on every pass, and the annotations people write (reconcile, suspend, prune
// confirmation). The inventory (`tether-inventory-<unit>`) lists every object the unit
// owns; prune deletes what is in it and no longer in the render. It is written before
// the status and only when it changed: a pass that changed nothing writes 1 KB, not
// the whole inventory (170 KB for 1,000 objects, into etcd's history on every poll).
import { createHash } from "node:crypto";
import type { KubeApi } from "../shared/kube/api.ts";
import { type KubeObject, type ObjectRef, refKey } from "../shared/manifests/object.ts";
import type { ChangeCounts } from "./changes.ts";
import {
  AGENT_FIELD_MANAGER,
  MANAGED_BY,
  MANAGED_BY_LABEL,
  RECORD_LABEL,
  UNIT_LABEL,
} from "./defaults.ts";
import { CONFIRM_PRUNE_ANNOTATION } from "./delete-budget.ts";

export interface InventoryEntry extends ObjectRef {
  /** Hash of the object as last applied; equal hashes and a changed object mean drift. */
  hash: string;
  /**
   * `liveHashOf` the object as the server held it after the last apply (or the last
   * check that found it unchanged). While both hashes still match, a pass sends nothing
   * for the object; any write to it since (a hand edit) changes this one.
   */
  liveHash?: string | undefined;
}

export interface UnitStatus {
  unit: string;
  path: string;
  revision: string;
  /** ISO time the last sync finished. */
  lastSync: string;
  result: "Succeeded" | "Failed";
  /** Derived from the pass's changes (see changes.ts). */
  counts: ChangeCounts;
  health: "Healthy" | "Unhealthy" | "Unknown";
  /** Why the last sync failed, or which object is not healthy. */
  lastError?: string | undefined;
  /** Set while Git is unreachable and the unit is held at its last good state. */
  stale?: string | undefined;
  /** Revision of the last sync that succeeded. */
  lastAppliedRevision?: string | undefined;
}

export interface UnitRecord {
  inventory: InventoryEntry[];
  status?: UnitStatus | undefined;
  /**
   * Why the stored inventory could not be read (truncated, `{}`, edited by hand). The
   * inventory is then empty, and the unit must not prune from it: what it owns is
   * unknown until a full apply writes a new one.
   */
  unreadable?: string | undefined;
  /** The revision a person confirmed a mass prune for (delete-budget.ts). */
  confirmPrune?: string | undefined;
  /**
   * The inventory's text as read from its own ConfigMap; writeRecord skips writing the
   * same text again. Unset when it came from an earlier release's record (inventory and
   * status in one ConfigMap): the next write moves it.
   */
  storedInventory?: string | undefined;
}

export function recordName(unit: string): string {
  return `tether-unit-${unit}`;
}

/** The ConfigMap of a unit's inventory (another prefix: no unit's record can be named so). */
export function inventoryName(unit: string): string {
  return `tether-inventory-${unit}`;
}

/** A stable hash of an object: key order does not matter. */
export function objectHash(object: unknown): string {
  return createHash("sha256").update(canonicalJson(object)).digest("hex").slice(0, 20);
}

/**
 * A hash of a live object without what changes on every write or belongs to its
 * controllers: resourceVersion, managedFields, status. A hand edit of anything else
 * (spec, data, labels, annotations) changes it. Status written from Git is not compared.
 */
export function liveHashOf(live: KubeObject): string {
  const { status: _status, metadata, ...rest } = live;
  const { resourceVersion: _version, managedFields: _managers, ...meta } = metadata;
  return objectHash({ ...rest, metadata: meta });
}

/**
 * JSON with every object's keys in order and undefined members left out. Loops and
 * string appends, not entries/filter/map/join: under the Deployment's --no-opt this
 * halves the hashing of a 1,000-object pass (37 to 17 ms); the text is the same.
 */
function canonicalJson(value: unknown): string {
  if (typeof value !== "object" || value === null) return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i++) out += `${i > 0 ? "," : ""}${canonicalJson(value[i])}`;
    return `${out}]`;
  }
  let out = "{";
  for (const key of Object.keys(value).sort()) {
    const member = (value as Record<string, unknown>)[key];
    if (member === undefined) continue;
    out += `${out.length > 1 ? "," : ""}${JSON.stringify(key)}:${canonicalJson(member)}`;
  }
  return `${out}}`;
}

/** Objects in the old inventory that the new render no longer has. */
export function pruneCandidates(
  old: readonly InventoryEntry[],
  current: readonly ObjectRef[],
): InventoryEntry[] {
  const keep = new Set(current.map(refKey));
  return old.filter((entry) => !keep.has(refKey(entry)));
}

/** Sorted by key so that the stored text only changes when the set does. */
export function sortInventory(entries: readonly InventoryEntry[]): InventoryEntry[] {
  const byKey = new Map(entries.map((e) => [refKey(e), e]));
  return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, e]) => e);
}

export async function readRecord(
  client: KubeApi,
  namespace: string,
  unit: string,
): Promise<UnitRecord> {
  const [cm, inventory] = await Promise.all([
    client.get({ apiVersion: "v1", kind: "ConfigMap", namespace, name: recordName(unit) }),
    client.get({ apiVersion: "v1", kind: "ConfigMap", namespace, name: inventoryName(unit) }),
  ]);
  const record = recordOf(
    (cm?.data ?? {}) as Record<string, string>,
    inventory ? ((inventory.data ?? {}) as Record<string, string>) : undefined,
  );
  record.confirmPrune = cm?.metadata.annotations?.[CONFIRM_PRUNE_ANNOTATION];
  return record;
}

const isEntry = (e: unknown): e is InventoryEntry => {
  const v = e as Record<string, unknown>;
  return (
    typeof v === "object" &&
    v !== null &&
    typeof v.apiVersion === "string" &&
    typeof v.kind === "string" &&
    typeof v.name === "string" &&
    (v.namespace === undefined || typeof v.namespace === "string")
  );
};

/**
 * A record from the ConfigMaps' data: the record's, and the inventory's when it has
 * one (else the inventory an earlier release kept in the record). Damaged parts are
 * reported, never thrown.
 */
export function recordOf(
  data: Record<string, string>,
  inventoryData?: Record<string, string>,
): UnitRecord {
  const record: UnitRecord = { inventory: [] };
  const text = inventoryData ? inventoryData.inventory : data.inventory;
  if (inventoryData && text !== undefined) record.storedInventory = text;
  if (inventoryData && text === undefined) {
    // Its ConfigMap is there without the list: damaged, so what the unit owns is unknown.
    record.unreadable = "the stored inventory has no `inventory` key";
  } else if (text !== undefined) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (Array.isArray(parsed) && parsed.every(isEntry)) record.inventory = parsed;
      else record.unreadable = "the stored inventory is not a list of objects";
    } catch (error) {
      record.unreadable = `the stored inventory is not valid JSON (${error instanceof Error ? error.message : error})`;
    }
  }
  try {
    const status = data.status ? (JSON.parse(data.status) as UnitStatus) : undefined;
    if (status && typeof status === "object" && status.counts) record.status = status;
  } catch {
    // A damaged status is rewritten by the next pass; nothing depends on it.
  }
  return record;
}

export async function listRecords(client: KubeApi, namespace: string): Promise<UnitRecord[]> {
  const items = await client.list("v1", "ConfigMap", {
    namespace,
    labelSelector: `${RECORD_LABEL} in (unit,inventory)`,
  });
  const inventories = new Map(
    items
      .filter((cm) => cm.metadata.labels?.[RECORD_LABEL] === "inventory")
      .map((cm) => [cm.metadata.name, (cm.data ?? {}) as Record<string, string>]),
  );
  return items
    .filter((cm) => cm.metadata.labels?.[RECORD_LABEL] === "unit")
    .map((cm) =>
      recordOf(
        (cm.data ?? {}) as Record<string, string>,
        inventories.get(inventoryName(cm.metadata.labels?.[UNIT_LABEL] ?? "")),
      ),
    );
}

/**
 * Writes the inventory (when its text differs from `previous.storedInventory`), then the
 * status. In that order: a status write that fails leaves the old status beside the
 * new inventory, never a status that speaks of objects the inventory does not list.
 */
export async function writeRecord(
  client: KubeApi,
  namespace: string,
  unit: string,
  record: UnitRecord,
  previous?: UnitRecord,
): Promise<KubeObject> {
  // The unit label only on the record (readers find units by it): the inventory stays
  // out of the lists of the unit's objects that every pass makes.
  const labels = (kind: "unit" | "inventory") => ({
    [RECORD_LABEL]: kind,
    [MANAGED_BY_LABEL]: MANAGED_BY,
    ...(kind === "unit" ? { [UNIT_LABEL]: unit } : {}),
  });
  const inventory = `${JSON.stringify(sortInventory(record.inventory), null, 0).replaceAll("},{", "},\n{")}\n`;
  if (inventory !== previous?.storedInventory) {
    await client.apply(
      {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: inventoryName(unit), namespace, labels: labels("inventory") },
        data: { inventory },
      },
      { fieldManager: AGENT_FIELD_MANAGER, force: true },
    );
  }
  // An earlier release's `inventory` key in the record goes with this apply: the
  // agent's field manager no longer sets it.
  const configMap: KubeObject = {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: recordName(unit), namespace, labels: labels("unit") },
    data: record.status ? { status: `${JSON.stringify(record.status, null, 2)}\n` } : {},
  };
  return client.apply(configMap, { fieldManager: AGENT_FIELD_MANAGER, force: true });
}

export async function ensureNamespace(client: KubeApi, namespace: string): Promise<void> {
  if (await client.get({ apiVersion: "v1", kind: "Namespace", name: namespace })) return;
  await client.apply(
    { apiVersion: "v1", kind: "Namespace", metadata: { name: namespace } },
    { fieldManager: AGENT_FIELD_MANAGER },
  );
}
