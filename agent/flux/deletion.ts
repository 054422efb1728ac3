// `spec.deletionPolicy`: what happens to a Kustomization's objects once the
// Kustomization itself is gone (removed from Git and pruned, or deleted by hand), as
// kustomize-controller's finalizer does: MirrorPrune (default) deletes them when
// `prune` is true, Delete always, WaitForTermination deletes and waits until they are
// gone, Orphan leaves them. A Kustomization suspended when deleted leaves them whatever
// its policy (Flux's finalizer deletes nothing then): suspending one before removing it
// from Git is how objects are handed over or kept.
//
// Tether adds no finalizer to Kustomizations (a cluster without the agent would keep
// them terminating, and namespaces with them): after each pass it looks at what each
// Kustomization last applied (applied.ts, in the cache folder) and applies the policy
// for those that no longer exist. Deliberate differences: a lost cache folder means
// nothing is deleted (the safe side), and a Kustomization deleted by hand but still in
// Git is applied again by its parent and takes its objects over, without a deletion.
// Suspension is known from the last pass that saw the Kustomization (markSuspended in
// applied.ts): one suspended and deleted before any pass saw it suspended deletes.
// A Kustomization with spec.kubeConfig deletes its objects on that remote cluster only,
// through its Secret's kubeconfig; with that Secret gone it cannot, and leaves them.
import { readdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import type { KubeClient } from "../../shared/kube/client.ts";
import { describeRef, type ObjectRef, refKey } from "../../shared/manifests/object.ts";
import type { Change } from "../changes.ts";
import { pruneObjects } from "../prune.ts";
import { type AppliedRecord, appliedRoot } from "./applied.ts";
import { isKustomization, KUSTOMIZATION_API } from "./kinds.ts";

export type DeletionAction = "delete" | "delete-and-wait" | "orphan";

/** What a deleted Kustomization's objects undergo. Pure. */
export function deletionAction(
  policy: string | undefined,
  prune: boolean,
  suspended = false,
): DeletionAction {
  if (suspended) return "orphan";
  switch (policy) {
    case "Delete":
      return "delete";
    case "WaitForTermination":
      return "delete-and-wait";
    case "Orphan":
      return "orphan";
    default:
      return prune ? "delete" : "orphan";
  }
}

/** What a deleted Kustomization's record says its objects undergo. Pure. */
const actionOf = (record: AppliedRecord) =>
  deletionAction(record.deletionPolicy, record.prune === true, record.suspended === true);

/**
 * How many more objects deleting `refs` takes with it through the Flux Kustomizations
 * among them: what each last applied when its deletionPolicy deletes, nested
 * Kustomizations included, each object counted once and not when it is in `refs`. The
 * delete budget counts them (a commit that drops one Kustomization file may delete a
 * thousand objects). A Kustomization with no record, or suspended, takes nothing with it.
 */
export async function cascadeSize(cacheDir: string, refs: readonly ObjectRef[]): Promise<number> {
  const counted = new Set(refs.map(refKey));
  const expanded = new Set<string>();
  let total = 0;
  const expand = async (list: readonly ObjectRef[]): Promise<void> => {
    for (const ref of list) {
      const key = refKey(ref);
      if (!isKustomization(ref) || expanded.has(key)) continue;
      expanded.add(key);
      const path = join(appliedRoot(cacheDir), ref.namespace ?? "default", `${ref.name}.json`);
      const record = await readFile(path, "utf8")
        .then((text) => JSON.parse(text) as AppliedRecord)
        .catch(() => undefined);
      if (!record || actionOf(record) === "orphan") continue;
      const objects = record.objects ?? [];
      for (const object of objects) {
        if (counted.has(refKey(object))) continue;
        counted.add(refKey(object));
        total++;
      }
      await expand(objects);
    }
  };
  await expand(refs);
  return total;
}

/**
 * The delete budget's counts (delete-budget.ts) when `stale` of `owned` would be pruned:
 * each with what the Flux Kustomizations among them delete after them (cascadeSize).
 */
export async function budgetCounts(
  cacheDir: string | undefined,
  owned: readonly ObjectRef[],
  stale: readonly ObjectRef[],
): Promise<{ owned: number; toPrune: number; throughKustomizations: number }> {
  const through = cacheDir && stale.some(isKustomization) ? await cascadeSize(cacheDir, stale) : 0;
  return {
    owned: owned.length + (cacheDir && through > 0 ? await cascadeSize(cacheDir, owned) : 0),
    toPrune: stale.length + through,
    throughKustomizations: through,
  };
}

/** Applies the deletionPolicy of every Kustomization that was deleted since its last apply. */
export async function finalizeDeleted(
  client: KubeClient,
  cacheDir: string,
  note: (line: string) => void,
  timeoutMs = 5 * 60_000,
): Promise<Change[]> {
  const root = appliedRoot(cacheDir);
  const changes: Change[] = [];
  const namespaces = await readdir(root).catch(() => [] as string[]);
  for (const namespace of namespaces) {
    for (const file of await readdir(join(root, namespace)).catch(() => [] as string[])) {
      if (!file.endsWith(".json")) continue;
      const name = file.slice(0, -5);
      const path = join(root, namespace, file);
      let record: AppliedRecord;
      try {
        record = JSON.parse(await readFile(path, "utf8")) as AppliedRecord;
      } catch {
        continue;
      }
      // Only a definite answer counts: an error (API down, CRD gone) deletes nothing.
      const live = await client
        .get({ apiVersion: KUSTOMIZATION_API, kind: "Kustomization", namespace, name })
        .catch(() => null);
      if (live === null || (live && live.metadata.uid === record.uid)) continue;
      if (live) {
        // Deleted and created again (same name): the new one owns the objects now.
        await rm(path, { force: true });
        continue;
      }
      const action = actionOf(record);
      const key = `${namespace}/${name}`;
      if (action === "orphan" || !record.unit) {
        const why = record.suspended ? "suspended" : `deletionPolicy ${record.deletionPolicy}`;
        note(`kustomization ${key} deleted: its objects are left in place (${why})`);
        await rm(path, { force: true });
        continue;
      }
      // A remote Kustomization's objects are on the remote cluster, and only there.
      let target = client;
      let remote: KubeClient | undefined;
      if (record.kubeConfig && (record.objects ?? []).length > 0) {
        const { connectRemote, KubeconfigSecretMissing } = await import("./remote.ts");
        try {
          remote = await connectRemote(client, record.kubeConfig, namespace);
          target = remote;
        } catch (error) {
          const gone = error instanceof KubeconfigSecretMissing;
          note(
            `kustomization ${key} deleted: its objects on the remote cluster are ${gone ? "left in place" : "not deleted yet (tried again next pass)"}: ${(error as Error).message}`,
          );
          if (gone) await rm(path, { force: true });
          continue;
        }
      }
      let pruned: Change[];
      try {
        pruned = await deleteObjects(target, record, action === "delete-and-wait", timeoutMs);
      } finally {
        remote?.close();
      }
      changes.push(...pruned);
      const failed = pruned.filter((p) => p.action === "prune-failed");
      note(
        `kustomization ${key} deleted: ${pruned.filter((p) => p.action === "pruned").length} object(s) deleted${remote ? " on the remote cluster" : ""} (deletionPolicy ${record.deletionPolicy})${failed.length ? `; failed: ${failed.map((f) => `${describeRef(f.ref)}: ${f.error}`).join(", ")}` : ""}`,
      );
      // Kept until every deletion went through, so a failure is tried again next pass.
      if (failed.length === 0) await rm(path, { force: true });
    }
  }
  return changes;
}

/** Deletes what a deleted Kustomization applied, on `client`'s cluster; waits if asked. */
async function deleteObjects(
  client: KubeClient,
  record: AppliedRecord,
  wait: boolean,
  timeoutMs: number,
): Promise<Change[]> {
  const pruned = await pruneObjects(client, record.objects ?? [], { unit: record.unit as string });
  if (wait && !pruned.some((p) => p.action === "prune-failed")) {
    const deadline = Date.now() + timeoutMs;
    const deleted = pruned.filter((p) => p.action === "pruned").map((p) => p.ref);
    for (const ref of deleted) {
      while ((await client.get(ref).catch(() => undefined)) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 500));
    }
  }
  return pruned;
}
