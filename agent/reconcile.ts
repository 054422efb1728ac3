// One reconcile of one unit: render, apply, prune, wait for health, record. The order
// of the steps is what keeps bad input from losing data: nothing is applied when the
// render failed, and nothing is pruned unless fetch, render and apply all succeeded.
import type { KubeClient } from "../shared/kube/client.ts";
import {
  describeRef,
  describeSource,
  type KubeObject,
  type Manifest,
  type ObjectRef,
  refOf,
} from "../shared/manifests/object.ts";
import { renderPath } from "../shared/render/render.ts";
import { type ApplyResult, applyManifests } from "./apply.ts";
import type { UnitConfig } from "./config.ts";
import { confirmsRevision, deleteBudgetDecision } from "./delete-budget.ts";
import { describeProblems, waitForHealth } from "./health.ts";
import {
  type InventoryEntry,
  pruneCandidates,
  readRecord,
  type UnitCounts,
  type UnitStatus,
  writeRecord,
} from "./inventory.ts";
import { type PruneResult, pruneObjects } from "./prune.ts";

export interface ObjectLine {
  ref: ObjectRef;
  action: string;
  detail?: string | undefined;
}

export interface UnitReport {
  unit: string;
  revision: string;
  ok: boolean;
  status: UnitStatus;
  /** One entry per object, in apply order, then pruned objects. */
  objects: ObjectLine[];
  /** Problems that are not about one object (render errors, health, record). */
  errors: string[];
  /** After a fully successful pass: the objects as applied (the last good state). */
  desired?: KubeObject[] | undefined;
}

export interface ReconcileContext {
  client: KubeClient;
  /** The checkout the unit's path is relative to. */
  root: string;
  revision: string;
  /** Namespace of the agent, where inventories and status are kept. */
  namespace: string;
  dryRun?: boolean;
  kustomize?: string | undefined;
  /**
   * Runs between render and apply (Flux objects: CRDs, bootstrap leftovers, refusal
   * while Flux runs); errors stop the unit before anything is applied.
   */
  prepare?: (manifests: Manifest[]) => Promise<{ manifests: Manifest[]; errors: string[] }>;
  /** Prune past the delete budget in this pass (`tether sync --once --confirm-prune`). */
  confirmPrune?: boolean;
}

function emptyCounts(): UnitCounts {
  return { created: 0, configured: 0, unchanged: 0, pruned: 0, drifted: 0, failed: 0 };
}

function countApply(results: readonly ApplyResult[], previous: Map<string, string>): UnitCounts {
  const counts = emptyCounts();
  for (const r of results) {
    counts[r.action]++;
    // Same desired object as last time, yet the server had to change it: someone
    // edited the live object by hand.
    const key = `${r.ref.kind}/${r.ref.namespace ?? ""}/${r.ref.name}`;
    if (r.action === "configured" && previous.get(key) === r.hash) counts.drifted++;
  }
  return counts;
}

function keyOf(ref: ObjectRef): string {
  return `${ref.kind}/${ref.namespace ?? ""}/${ref.name}`;
}

export async function reconcileUnit(unit: UnitConfig, ctx: ReconcileContext): Promise<UnitReport> {
  const report: UnitReport = {
    unit: unit.name,
    revision: ctx.revision,
    ok: false,
    objects: [],
    errors: [],
    status: {
      unit: unit.name,
      path: unit.path,
      revision: ctx.revision,
      lastSync: "",
      result: "Failed",
      counts: emptyCounts(),
      health: "Unknown",
    },
  };
  const record = await readRecord(ctx.client, ctx.namespace, unit.name);
  report.status.lastAppliedRevision = record.status?.lastAppliedRevision;
  const finish = async (inventory: InventoryEntry[]) => {
    report.status.lastSync = new Date().toISOString();
    report.status.result = report.ok ? "Succeeded" : "Failed";
    if (report.ok) report.status.lastAppliedRevision = ctx.revision;
    report.status.lastError =
      report.errors.length > 0 ? report.errors.join("; ").slice(0, 2000) : undefined;
    if (!ctx.dryRun)
      await writeRecord(ctx.client, ctx.namespace, unit.name, { inventory, status: report.status });
    return report;
  };

  const rendered = await renderPath(ctx.root, unit.path, {
    allowEmpty: unit.allowEmpty,
    ...(ctx.kustomize ? { binary: ctx.kustomize } : {}),
  });
  if (rendered.errors.length > 0) {
    report.errors.push(...rendered.errors.map((e) => e.message));
    // The old inventory is kept as it was: nothing was applied, nothing may be pruned.
    return finish(record.inventory);
  }

  let manifests = rendered.manifests;
  if (ctx.prepare) {
    const prepared = await ctx.prepare(manifests);
    if (prepared.errors.length > 0) {
      report.errors.push(...prepared.errors);
      return finish(record.inventory);
    }
    manifests = prepared.manifests;
  }

  const applied = await applyManifests(ctx.client, manifests, {
    unit: unit.name,
    targetNamespace: unit.targetNamespace,
    dryRun: ctx.dryRun ?? false,
  });
  const previous = new Map(record.inventory.map((e) => [keyOf(e), e.hash]));
  report.status.counts = countApply(applied, previous);
  for (const r of applied) {
    report.objects.push({
      ref: r.ref,
      action: r.action,
      detail: r.error ? `${describeSource(r.manifest.source)}: ${r.error}` : undefined,
    });
  }
  const ok = applied.filter((r) => r.action !== "failed");
  const newEntries: InventoryEntry[] = ok.map((r) => ({ ...refOf(r.desired), hash: r.hash }));
  const failed = applied.filter((r) => r.action === "failed");
  if (failed.length > 0) {
    report.errors.push(`${failed.length} object(s) failed to apply`);
    // Keep everything the unit may own: the old inventory plus what did apply.
    return finish([...record.inventory, ...newEntries]);
  }

  let pruned: PruneResult[] = [];
  if (record.unreadable) {
    // What the unit owned is unknown: nothing is pruned, and the inventory written
    // below (this render) is the new starting point.
    report.errors.push(`${record.unreadable}: rebuilt from this render; nothing pruned`);
  } else if (unit.prune) {
    const candidates = pruneCandidates(
      record.inventory,
      applied.map((r) => r.ref),
    );
    const budget = deleteBudgetDecision({
      owned: record.inventory.length,
      toPrune: candidates.length,
      budget: unit.deleteBudget,
      confirmed: ctx.confirmPrune === true || confirmsRevision(record.confirmPrune, ctx.revision),
    });
    if (!budget.prune) {
      report.errors.push(budget.message);
      // Nothing is pruned and everything stays owned until the revision is confirmed.
      return finish([...newEntries, ...candidates]);
    }
    pruned = await pruneObjects(ctx.client, candidates, {
      unit: unit.name,
      allowCrdsAndNamespaces: unit.pruneCrdsAndNamespaces,
      dryRun: ctx.dryRun ?? false,
    });
    // Objects already gone need no line; the others say what happened to them.
    const shown: Record<string, string> = {
      pruned: "pruned",
      kept: "kept",
      failed: "prune-failed",
    };
    for (const p of pruned) {
      if (p.action === "pruned") report.status.counts.pruned++;
      const action = shown[p.action];
      if (action) report.objects.push({ ref: p.ref, action, detail: p.reason });
    }
    const failedPrunes = pruned.filter((p) => p.action === "failed");
    if (failedPrunes.length > 0)
      report.errors.push(`${failedPrunes.length} object(s) could not be pruned`);
  }
  // Objects whose deletion failed stay in the inventory so the next sync tries again.
  const inventory = [
    ...newEntries,
    ...pruned.filter((p) => p.action === "failed").map((p) => ({ ...p.ref, hash: "" })),
    ...(unit.prune ? [] : pruneCandidates(record.inventory, newEntries)),
  ];

  if (unit.wait && !ctx.dryRun) {
    const health = await waitForHealth(
      ctx.client,
      newEntries.map((e) => ({
        apiVersion: e.apiVersion,
        kind: e.kind,
        name: e.name,
        ...(e.namespace ? { namespace: e.namespace } : {}),
      })),
      unit.timeoutMs,
    );
    report.status.health = health.healthy ? "Healthy" : "Unhealthy";
    if (!health.healthy) report.errors.push(`not healthy: ${describeProblems(health)}`);
  }
  report.ok = report.errors.length === 0;
  if (report.ok && !ctx.dryRun) report.desired = ok.map((r) => r.desired);
  return finish(inventory);
}

/** How one object line is printed: `Kind/namespace/name action`. */
export function formatObjectLine(line: ObjectLine): string {
  return `${describeRef(line.ref)} ${line.action}${line.detail ? `: ${line.detail}` : ""}`;
}
