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
 * What the record keeps under `inventory` once the list has its own ConfigMap: a
 * pointer for people, and text an earlier release cannot read as a list, so that an
 * agent rolled back to one prunes nothing instead of taking the unit for empty.
 */
const MOVED = "moved to ConfigMap ";

/** The list in `text`, or why it is not one. */
function parseInventory(text: string): { entries: InventoryEntry[] } | { problem: string } {
  try {
    const parsed: unknown = JSON.parse(text);
    if (Array.isArray(parsed) && parsed.every(isEntry)) return { entries: parsed };
    return { problem: "the stored inventory is not a list of objects" };
  } catch (error) {
    return {
      problem: `the stored inventory is not valid JSON (${error instanceof Error ? error.message : error})`,
    };
  }
}

/**
 * A record from the ConfigMaps' data: the record's, and the inventory's when there is
 * one. Damaged parts are reported, never thrown. What the unit owns is taken from
 * - the inventory's ConfigMap;
 * - a list in the record itself (an earlier release's layout), alone or beside it:
 *   both lists then count (a status write that failed after the inventory's, or an
 *   earlier release run in between), and the next write keeps the union;
 * - neither, for a record that has a status: the list was deleted, and what the unit
 *   owns is unknown (unreadable) until a pass rebuilds it.
 */
export function recordOf(
  data: Record<string, string>,
  inventoryData?: Record<string, string>,
): UnitRecord {
  const record: UnitRecord = { inventory: [] };
  const legacy = data.inventory?.startsWith(MOVED) === false ? data.inventory : undefined;
  const lists: InventoryEntry[][] = [];
  if (inventoryData) {
    const read =
      inventoryData.inventory === undefined
        ? { problem: "the stored inventory has no `inventory` key" }
        : parseInventory(inventoryData.inventory);
    if ("problem" in read) record.unreadable = read.problem;
    else lists.push(read.entries);
    if (legacy === undefined) record.storedInventory = inventoryData.inventory;
  }
  if (legacy !== undefined) {
    const read = parseInventory(legacy);
    // A damaged list in the record beside a readable ConfigMap: the ConfigMap's.
    if ("entries" in read) lists.push(read.entries);
    else if (!inventoryData) record.unreadable = read.problem;
  } else if (!inventoryData && (data.inventory !== undefined || data.status !== undefined)) {
    record.unreadable = "the inventory's ConfigMap is missing";
  }
  const union = new Map<string, InventoryEntry>();
  for (const entry of lists.flat()) if (!union.has(refKey(entry))) union.set(refKey(entry), entry);
  if (!record.unreadable) record.inventory = [...union.values()];
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
 * Writes the inventory (when given and its text differs from `previous.storedInventory`),
 * then the status. In that order: a status write that fails leaves the old status
 * beside the new inventory, never a status that speaks of objects the inventory does
 * not list. Without `inventory` its ConfigMap is left as it is.
 */
export async function writeRecord(
  client: KubeApi,
  namespace: string,
  unit: string,
  record: { inventory?: readonly InventoryEntry[] | undefined; status?: UnitStatus | undefined },
  previous?: UnitRecord,
): Promise<KubeObject> {
  // The unit label only on the record (readers find units by it): the inventory stays
  // out of the lists of the unit's objects that every pass makes.
  const labels = (kind: "unit" | "inventory") => ({
    [RECORD_LABEL]: kind,
    [MANAGED_BY_LABEL]: MANAGED_BY,
    ...(kind === "unit" ? { [UNIT_LABEL]: unit } : {}),
  });
  const inventory =
    record.inventory &&
    `${JSON.stringify(sortInventory(record.inventory), null, 0).replaceAll("},{", "},\n{")}\n`;
  if (inventory !== undefined && inventory !== previous?.storedInventory) {
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
  // An earlier release's list in the record is replaced by the pointer (MOVED).
  const configMap: KubeObject = {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: recordName(unit), namespace, labels: labels("unit") },
    data: {
      inventory: `${MOVED}${inventoryName(unit)}`,
      ...(record.status ? { status: `${JSON.stringify(record.status, null, 2)}\n` } : {}),
    },
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
