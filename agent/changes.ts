// What happened to each object in one reconcile, in one vocabulary shared by the apply,
// prune and health steps (Flux's ChangeSet). Counts, printed lines, the status record
// and metrics are derived from a list of changes; no step re-types them.
import { describeRef, type ObjectRef } from "../shared/manifests/object.ts";

export type Action =
  // apply
  | "created"
  | "configured"
  | "unchanged"
  | "failed"
  // prune
  | "pruned"
  | "kept"
  | "gone"
  | "prune-failed"
  // health
  | "unhealthy"
  // objects Tether reconciles itself after applying them (a Flux HelmRelease)
  | "ready"
  | "not-ready";

export interface Change {
  ref: ObjectRef;
  action: Action;
  /** Where the object came from (a failed apply), why it was kept, how it is unhealthy. */
  detail?: string | undefined;
  /** What went wrong (failed, prune-failed). */
  error?: string | undefined;
  /** Configured although Git did not change it: someone edited the live object. */
  drifted?: boolean | undefined;
}

export interface ChangeCounts {
  created: number;
  configured: number;
  unchanged: number;
  pruned: number;
  drifted: number;
  failed: number;
}

/** The counted actions, in the order they are printed and exported as metrics. */
export const COUNTED = [
  "created",
  "configured",
  "unchanged",
  "pruned",
  "drifted",
  "failed",
] as const;

export function emptyCounts(): ChangeCounts {
  return { created: 0, configured: 0, unchanged: 0, pruned: 0, drifted: 0, failed: 0 };
}

export function countChanges(changes: readonly Change[]): ChangeCounts {
  const counts = emptyCounts();
  for (const c of changes) {
    if (c.action === "created" || c.action === "configured" || c.action === "unchanged")
      counts[c.action]++;
    else if (c.action === "failed") counts.failed++;
    else if (c.action === "pruned") counts.pruned++;
    if (c.drifted) counts.drifted++;
  }
  return counts;
}

/** The object is in the cluster as Git has it (created, configured or unchanged). */
export function isApplied(change: Change): boolean {
  return (
    change.action === "created" || change.action === "configured" || change.action === "unchanged"
  );
}

/** A change worth a line of output: objects already gone and health say nothing here. */
export function isShown(change: Change): boolean {
  return change.action !== "gone" && change.action !== "unhealthy";
}

/** How a change is printed: `Kind/namespace/name action[: detail][: error]`. */
export function formatChange(change: Change): string {
  const why = [change.detail, change.error].filter((s) => s).join(": ");
  return `${describeRef(change.ref)} ${change.action}${why ? `: ${why}` : ""}`;
}

/** `N created, N configured, ...`, the summary line of a unit. */
export function formatCounts(counts: ChangeCounts): string {
  return COUNTED.map((action) => `${counts[action]} ${action}`).join(", ");
}
