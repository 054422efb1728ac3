// What a Kustomization last applied, object by object (the desired and the live hash,
// as the agent's own units record them in inventory.ts), kept in the cache folder so
// the next reconcile sends nothing for objects unchanged on both sides: Flux's
// `status.inventory` holds only ids, and without hashes every object would cost a
// dry-run apply on every pass. A stale or missing file only costs those dry runs (the
// apply step checks the live hash). Secrets are never recorded: no hash of a secret
// leaves the cluster. The file also keeps what deletion.ts needs once the Kustomization
// is gone: its deletionPolicy, prune, whether it was suspended, every object it applied
// and, for a remote cluster, which Secret holds its kubeconfig (the name, never its data).
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { KubeObject, ObjectRef } from "../../shared/manifests/object.ts";
import { refOf } from "../../shared/manifests/object.ts";
import type { AppliedChange } from "../apply.ts";
import type { InventoryEntry } from "../inventory.ts";
import { isKustomization } from "./kinds.ts";
import { type KubeConfigRef, kubeConfigRefOf } from "./remote.ts";

export const appliedRoot = (cacheDir: string) => join(cacheDir, "flux-applied");
const fileOf = (cacheDir: string, ks: KubeObject) =>
  join(appliedRoot(cacheDir), ks.metadata.namespace ?? "default", `${ks.metadata.name}.json`);

export interface AppliedRecord {
  uid?: string;
  entries?: InventoryEntry[];
  /** The agent's unit label of the Kustomization's objects. */
  unit?: string;
  deletionPolicy?: string;
  prune?: boolean;
  /** Every object applied (ids only, Secrets included): what a deletion removes. */
  objects?: ObjectRef[];
  /**
   * Suspended when a pass last saw it: a deletion then removes nothing, as Flux's
   * finalizer does. Set by markSuspended; a new apply writes a record without it.
   */
  suspended?: boolean;
  /** spec.kubeConfig: the objects are on that remote cluster, and deleted there. */
  kubeConfig?: KubeConfigRef;
}

async function readRecord(cacheDir: string, ks: KubeObject): Promise<AppliedRecord | undefined> {
  try {
    const saved = JSON.parse(await readFile(fileOf(cacheDir, ks), "utf8")) as AppliedRecord;
    // Another object of the same name (deleted and created again) starts afresh.
    return saved.uid === ks.metadata.uid ? saved : undefined;
  } catch {
    return undefined;
  }
}

/** Written aside and renamed, so a stop mid-write never leaves half a record. */
async function saveRecord(cacheDir: string, ks: KubeObject, record: AppliedRecord): Promise<void> {
  const file = fileOf(cacheDir, ks);
  await mkdir(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, JSON.stringify(record));
  await rename(temp, file);
}

export async function readApplied(
  cacheDir: string | undefined,
  ks: KubeObject,
): Promise<InventoryEntry[] | undefined> {
  if (!cacheDir) return undefined;
  return (await readRecord(cacheDir, ks))?.entries;
}

/**
 * Keeps in the record whether the Kustomization is suspended now, its objects untouched:
 * deleted while suspended, it leaves them in place (deletion.ts). Nothing is written
 * when the record already says so, or when there is no record (nothing to delete).
 */
export async function markSuspended(
  cacheDir: string | undefined,
  ks: KubeObject,
  suspended: boolean,
): Promise<void> {
  if (!cacheDir) return;
  const record = await readRecord(cacheDir, ks);
  if (!record || (record.suspended === true) === suspended) return;
  const { suspended: _, ...rest } = record;
  await saveRecord(cacheDir, ks, suspended ? { ...rest, suspended: true } : rest);
}

/**
 * Before a Kustomization is deleted: a suspension no pass has seen yet (`flux suspend`
 * just before its file left Git) is recorded, as Flux's finalizer reads the live spec.
 */
export async function recordSuspensionOf(
  cacheDir: string | undefined,
  live: KubeObject,
): Promise<void> {
  if (isKustomization(live) && (live.spec as { suspend?: unknown } | undefined)?.suspend === true)
    await markSuspended(cacheDir, live, true);
}

export async function writeApplied(
  cacheDir: string | undefined,
  ks: KubeObject,
  applied: readonly AppliedChange[],
  unit: string,
): Promise<void> {
  if (!cacheDir) return;
  const entries: InventoryEntry[] = applied
    .filter((c) => c.action !== "failed" && c.liveHash && c.desired.kind !== "Secret")
    .map((c) => ({ ...refOf(c.desired), hash: c.hash, liveHash: c.liveHash }));
  const spec = (ks.spec ?? {}) as {
    deletionPolicy?: string;
    prune?: boolean;
    kubeConfig?: KubeConfigRef;
  };
  const kubeConfig = kubeConfigRefOf(spec.kubeConfig);
  const record: AppliedRecord = {
    uid: ks.metadata.uid as string,
    entries,
    unit,
    deletionPolicy: spec.deletionPolicy ?? "MirrorPrune",
    prune: spec.prune === true,
    objects: applied.filter((c) => c.action !== "failed").map((c) => refOf(c.desired)),
    ...(kubeConfig ? { kubeConfig } : {}),
  };
  await saveRecord(cacheDir, ks, record);
}
