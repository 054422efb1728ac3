// Deletes what a unit applied before and no longer renders. Only ever called after a
// fetch, render and apply that all succeeded. Objects that opt out (of prune, or of
// apply as Flux's controls say), that another unit has taken over, and (unless the unit
// allows it) CRDs and Namespaces are kept: deleting those takes every object inside
// with them.
import type { KubeApi } from "../shared/kube/api.ts";
import { isCrd, isNamespace } from "../shared/manifests/kinds.ts";
import type { KubeObject, ObjectRef } from "../shared/manifests/object.ts";
import { messageOf } from "../shared/util/message.ts";
import { fluxLabelledUnit, optOutOf } from "./apply.ts";
import type { Change } from "./changes.ts";
import { PRUNE_ANNOTATIONS, UNIT_LABEL } from "./defaults.ts";

export interface PruneOptions {
  unit: string;
  allowCrdsAndNamespaces?: boolean;
  dryRun?: boolean;
  /**
   * Runs on the live object just before it is deleted: a Flux Kustomization suspended by
   * hand is recorded as such, so its deletion then deletes nothing (flux/applied.ts).
   */
  beforeDelete?: ((live: KubeObject) => Promise<void>) | undefined;
}

/** Why a live object must not be deleted, or undefined when it may be. */
export function keepReason(
  ref: ObjectRef,
  live: KubeObject,
  options: PruneOptions,
): string | undefined {
  const annotations = live.metadata.annotations ?? {};
  const optOut = PRUNE_ANNOTATIONS.find((a) => annotations[a] === "disabled");
  if (optOut) return `annotated ${optOut}: disabled`;
  // What is not applied is not pruned either (kustomize-controller's garbage collection).
  const notApplied = optOutOf(live);
  if (notApplied) return `marked ${notApplied}`;
  const owner = live.metadata.labels?.[UNIT_LABEL];
  // Flux labelled what it applied with its Kustomization's name and namespace, and
  // Tether took over that Kustomization's inventory at the hand-over: an object left
  // with Flux's labels alone is that Kustomization's to prune, as Flux would have.
  const fromFlux = owner === undefined && fluxLabelledUnit(live) === options.unit;
  if (owner !== options.unit && !fromFlux)
    return owner ? `now owned by unit ${owner}` : "no longer labelled as this unit's";
  if ((isCrd(ref) || isNamespace(ref)) && !options.allowCrdsAndNamespaces) {
    return `${ref.kind}s are pruned only when the unit sets pruneCrdsAndNamespaces`;
  }
  return undefined;
}

/**
 * The candidates pruneObjects would delete now: live, and no reason to keep them. What
 * runs before a deletion (a HelmRelease's uninstall) runs for these only. Throws when
 * one cannot be read: the step fails and nothing is deleted in this pass.
 */
export async function deletable(
  client: KubeApi,
  candidates: readonly ObjectRef[],
  options: PruneOptions,
): Promise<ObjectRef[]> {
  const out: ObjectRef[] = [];
  for (const ref of candidates) {
    const live = await client.get(ref);
    if (live && keepReason(ref, live, options) === undefined) out.push(ref);
  }
  return out;
}

/** Namespaced objects first, Namespaces and CRDs last: the reverse of apply. */
function deleteOrder(ref: ObjectRef): number {
  if (isCrd(ref)) return 3;
  if (isNamespace(ref)) return 2;
  return ref.namespace ? 0 : 1;
}

export async function pruneObjects(
  client: KubeApi,
  candidates: readonly ObjectRef[],
  options: PruneOptions,
): Promise<Change[]> {
  const ordered = [...candidates].sort((a, b) => deleteOrder(a) - deleteOrder(b));
  const results: Change[] = [];
  for (const ref of ordered) {
    try {
      const live = await client.get(ref);
      if (!live) {
        results.push({ ref, action: "gone" });
        continue;
      }
      const reason = keepReason(ref, live, options);
      if (reason) {
        results.push({ ref, action: "kept", detail: reason });
        continue;
      }
      if (!options.dryRun) {
        await options.beforeDelete?.(live);
        await client.delete(ref);
      }
      results.push({ ref, action: "pruned" });
    } catch (error) {
      results.push({
        ref,
        action: "prune-failed",
        error: messageOf(error),
      });
    }
  }
  return results;
}
