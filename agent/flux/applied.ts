// What a Kustomization last applied, object by object (the desired and the live hash,
// as the agent's own units record them in inventory.ts), kept in the cache folder so
// the next reconcile sends nothing for objects unchanged on both sides: Flux's
// `status.inventory` holds only ids, and without hashes every object would cost a
// dry-run apply on every pass. A stale or missing file only costs those dry runs (the
// apply step checks the live hash). Secrets are never recorded: no hash of a secret
// leaves the cluster. The file also keeps what deletion.ts needs once the Kustomization
// is gone: its deletionPolicy, prune and every object it applied.
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { KubeObject, ObjectRef } from "../../shared/manifests/object.ts";
import { refOf } from "../../shared/manifests/object.ts";
import type { AppliedChange } from "../apply.ts";
import type { InventoryEntry } from "../inventory.ts";

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
}

export async function readApplied(
  cacheDir: string | undefined,
  ks: KubeObject,
): Promise<InventoryEntry[] | undefined> {
  if (!cacheDir) return undefined;
  try {
    const saved = JSON.parse(await readFile(fileOf(cacheDir, ks), "utf8")) as AppliedRecord;
    // Another object of the same name (deleted and created again) starts afresh.
    return saved.uid === ks.metadata.uid ? saved.entries : undefined;
  } catch {
    return undefined;
  }
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
  const file = fileOf(cacheDir, ks);
  await mkdir(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  const spec = (ks.spec ?? {}) as { deletionPolicy?: string; prune?: boolean };
  const record: AppliedRecord = {
    uid: ks.metadata.uid as string,
    entries,
    unit,
    deletionPolicy: spec.deletionPolicy ?? "MirrorPrune",
    prune: spec.prune === true,
    objects: applied.filter((c) => c.action !== "failed").map((c) => refOf(c.desired)),
  };
  await writeFile(temp, JSON.stringify(record));
  await rename(temp, file);
}
