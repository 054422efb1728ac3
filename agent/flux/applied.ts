// What a Kustomization last applied, object by object (the desired and the live hash,
// as the agent's own units record them in inventory.ts), kept in the cache folder so
// the next reconcile sends nothing for objects unchanged on both sides: Flux's
// `status.inventory` holds only ids, and without hashes every object would cost a
// dry-run apply on every pass. A stale or missing file only costs those dry runs (the
// apply step checks the live hash). Secrets are never recorded: no hash of a secret
// leaves the cluster.
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { KubeObject } from "../../shared/manifests/object.ts";
import { refOf } from "../../shared/manifests/object.ts";
import type { AppliedChange } from "../apply.ts";
import type { InventoryEntry } from "../inventory.ts";

const fileOf = (cacheDir: string, ks: KubeObject) =>
  join(cacheDir, "flux-applied", ks.metadata.namespace ?? "default", `${ks.metadata.name}.json`);

export async function readApplied(
  cacheDir: string | undefined,
  ks: KubeObject,
): Promise<InventoryEntry[] | undefined> {
  if (!cacheDir) return undefined;
  try {
    const saved = JSON.parse(await readFile(fileOf(cacheDir, ks), "utf8")) as {
      uid?: string;
      entries?: InventoryEntry[];
    };
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
): Promise<void> {
  if (!cacheDir) return;
  const entries: InventoryEntry[] = applied
    .filter((c) => c.action !== "failed" && c.liveHash && c.desired.kind !== "Secret")
    .map((c) => ({ ...refOf(c.desired), hash: c.hash, liveHash: c.liveHash }));
  const file = fileOf(cacheDir, ks);
  await mkdir(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, JSON.stringify({ uid: ks.metadata.uid, entries }));
  await rename(temp, file);
}
