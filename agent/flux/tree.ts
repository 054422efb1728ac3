// The walk over a tree of Kustomizations in one pass: start from those the agent's
// own units applied, reconcile each once its dependsOn are Ready (across namespaces),
// queue the Kustomizations each one applies, and mark a Kustomization whose
// dependency failed as DependencyNotReady without applying anything. Independent
// Kustomizations run side by side, a few at a time.
import type { KubeObject, ObjectRef } from "../../shared/manifests/object.ts";
import { mapLimit } from "../../shared/util/pool.ts";
import { type Dependency, type DependencyVerdict, dependencyVerdict } from "./depends.ts";
import { isKustomization, KUSTOMIZATION_API } from "./kinds.ts";
import {
  type KustomizationContext,
  type KustomizationReport,
  reconcileKustomization,
  specOf,
} from "./kustomization.ts";
import { refusedReferences } from "./lockdown.ts";
import type { FluxSchedule } from "./schedule.ts";
import {
  inventoryEntry,
  inventoryOf,
  isReady,
  refOfEntry,
  statusFor,
  writeStatus,
} from "./status.ts";

/** Kustomizations reconciled side by side within dependsOn order (Flux's default workers). */
const TREE_CONCURRENCY = 4;

export interface EntryPoint {
  ready: boolean;
  message: string;
  revision: string;
  /** What the unit applied: the entry point's inventory, so `tether tree` shows it. */
  applied: readonly ObjectRef[];
}

export interface TreeOptions {
  /** When a Kustomization is the agent's own entry point (flux-system), its result. */
  entryPoint?: (ks: KubeObject) => Promise<EntryPoint | undefined>;
  concurrency?: number;
  onReport?: (report: KustomizationReport) => void;
  /**
   * The long-running agent's clock per Kustomization: one that is not due is skipped
   * (its last status stands; its child Kustomizations are still looked at).
   * Without it every Kustomization is reconciled (`tether sync --once`).
   */
  schedule?: FluxSchedule | undefined;
  /** The revision of a Kustomization's source when it is known without fetching. */
  sourceRevision?: (ks: KubeObject) => string | undefined;
}

const keyOf = (ref: { namespace?: string | undefined; name: string }) =>
  `${ref.namespace ?? "default"}/${ref.name}`;

/** The dependencies of a Kustomization. */
export function dependenciesOf(ks: KubeObject): Dependency[] {
  const ns = ks.metadata.namespace ?? "default";
  return (specOf(ks).dependsOn ?? []).map((d) => ({
    key: `${d.namespace ?? ns}/${d.name}`,
    ...(d.readyExpr ? { readyExpr: d.readyExpr } : {}),
  }));
}

export async function reconcileTree(
  roots: readonly ObjectRef[],
  ctx: KustomizationContext,
  options: TreeOptions = {},
): Promise<KustomizationReport[]> {
  const pending = new Map<string, ObjectRef>();
  for (const ref of roots) pending.set(keyOf(ref), ref);
  const done = new Map<string, KustomizationReport>();
  const report = (r: KustomizationReport) => {
    done.set(r.key, r);
    pending.delete(r.key);
    options.onReport?.(r);
  };
  const finish = async (
    live: KubeObject,
    outcome: Parameters<typeof statusFor>[1],
    revision?: string,
  ) => {
    const object = ctx.dryRun
      ? live
      : await writeStatus(ctx.client, live, statusFor(live, outcome, revision));
    if (outcome.kind !== "progressing")
      options.schedule?.record(
        live,
        outcome.kind === "ready"
          ? "ready"
          : outcome.reason === "DependencyNotReady"
            ? "dependency"
            : "failed",
      );
    report({
      key: keyOf(live.metadata),
      object,
      ready: outcome.kind === "ready",
      suspended: false,
      reason: outcome.kind === "failed" ? outcome.reason : undefined,
      message: outcome.message,
      revision,
      changes: [],
      children: [],
    });
  };

  while (pending.size > 0) {
    const runnable: KubeObject[] = [];
    const before = done.size;
    for (const [key, ref] of [...pending]) {
      const live = await ctx.client.get({ ...ref, apiVersion: KUSTOMIZATION_API });
      if (!live) {
        pending.delete(key);
        continue;
      }
      const entry = await options.entryPoint?.(live);
      if (entry) {
        await finish(
          live,
          entry.ready
            ? {
                kind: "ready",
                message: `Applied revision: ${entry.revision}`,
                inventory: entry.applied.map(inventoryEntry),
              }
            : { kind: "failed", reason: "ReconciliationFailed", message: entry.message },
          entry.revision,
        );
        continue;
      }
      if (
        options.schedule &&
        !options.schedule.due(live, Date.now(), options.sourceRevision?.(live))
      ) {
        // Not due: its status stands, and Kustomizations it applied get their own look.
        pending.delete(key);
        done.set(key, {
          key,
          object: live,
          ready: isReady(live),
          suspended: Boolean(specOf(live).suspend),
          skipped: true,
          message: "not due",
          changes: [],
          children: [],
        });
        for (const child of inventoryOf(live).map(refOfEntry).filter(isKustomization)) {
          const childKey = keyOf(child);
          if (!done.has(childKey)) pending.set(childKey, child);
        }
        continue;
      }
      // Lockdown: a reference to another namespace is refused before anything is read.
      const refused = refusedReferences(live, ctx.lockdown);
      if (refused.length > 0 && !specOf(live).suspend) {
        await finish(live, { kind: "failed", reason: "AccessDenied", message: refused.join("; ") });
        continue;
      }
      let blocked: DependencyVerdict;
      let waiting = false;
      for (const dep of dependenciesOf(live)) {
        const result = done.get(dep.key);
        if (pending.has(dep.key) && !result) {
          waiting = true;
          continue;
        }
        if (blocked) continue;
        if (result) {
          const ok = result.suspended ? isReady(result.object) : result.ready;
          blocked = await dependencyVerdict(live, dep, result.object, ok);
        } else {
          // Not part of this tree: its live status decides, as in Flux.
          const [namespace = "", name = ""] = dep.key.split("/");
          const other = await ctx.client.get({
            apiVersion: KUSTOMIZATION_API,
            kind: "Kustomization",
            namespace,
            name,
          });
          blocked = await dependencyVerdict(live, dep, other, other ? isReady(other) : false);
        }
      }
      if (blocked && !specOf(live).suspend) {
        await finish(live, { kind: "failed", ...blocked });
      } else if (!waiting || specOf(live).suspend) {
        runnable.push(live);
      }
    }
    if (runnable.length === 0 && done.size === before && pending.size > 0) {
      // Everything left waits on something else left: a dependency cycle.
      for (const ref of pending.values()) {
        const live = await ctx.client.get({ ...ref, apiVersion: KUSTOMIZATION_API });
        if (live) {
          await finish(live, {
            kind: "failed",
            reason: "DependencyNotReady",
            message: `circular dependency between ${[...pending.keys()].join(", ")}`,
          });
        }
      }
      pending.clear();
      break;
    }
    for (const ks of runnable) pending.delete(keyOf(ks.metadata));
    const results = await mapLimit(
      runnable,
      options.concurrency ?? TREE_CONCURRENCY,
      async (ks) => {
        const started = performance.now();
        const result = await reconcileKustomization(ks, ctx);
        result.seconds = (performance.now() - started) / 1000;
        return result;
      },
    );
    for (const r of results) {
      options.schedule?.record(
        r.object,
        r.suspended ? "suspended" : r.ready ? "ready" : "failed",
        Date.now(),
        r.helmIntervalMs,
      );
      report(r);
      for (const child of r.children) {
        const key = keyOf(child);
        if (!done.has(key)) pending.set(key, child);
      }
    }
  }
  return [...done.values()];
}
