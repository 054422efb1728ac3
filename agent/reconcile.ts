// One reconcile of one unit, as a flat sequence of steps: render, decrypt, prepare, apply,
// prune, health, record. The order is what keeps bad input from losing data: nothing is applied when
// the render failed, and nothing is pruned unless fetch, render and apply all
// succeeded. Each step adds its changes and errors to the run and says whether the
// next steps may go on; `record` is the only step that writes the unit's record.
// Fetching the source happens once per pass, before any unit (see sync.ts).

import { isHelmRelease } from "../shared/charts/reference.ts";
import type { KubeApi } from "../shared/kube/api.ts";
import type { KubeClient } from "../shared/kube/client.ts";
import { type KubeObject, type Manifest, refKey, refOf } from "../shared/manifests/object.ts";
import { decryptedKey, decryptManifests } from "../shared/render/decrypt.ts";
import { renderPath } from "../shared/render/render.ts";
import type { SopsKeys } from "../shared/sops/keys.ts";
import { messageOf } from "../shared/util/message.ts";
import { type AppliedChange, applyManifests } from "./apply.ts";
import { type Change, countChanges, emptyCounts, isApplied } from "./changes.ts";
import type { UnitConfig } from "./config.ts";
import { confirmsRevision, deleteBudgetDecision } from "./delete-budget.ts";
import type { FluxGitRef } from "./flux/git-ref.ts";
import { isKustomization } from "./flux/kinds.ts";
import type { Lockdown } from "./flux/lockdown.ts";
import { describeProblems, waitForHealth } from "./health.ts";
import { ensureHelmCrds } from "./helm/kinds.ts";
// The Helm pass (charts, helm CLI) is loaded only by a unit that has HelmReleases.
import type { HelmPassOptions } from "./helm/pass.ts";
import {
  type InventoryEntry,
  pruneCandidates,
  readRecord,
  type UnitRecord,
  type UnitStatus,
  writeRecord,
} from "./inventory.ts";
import { deletable, pruneObjects } from "./prune.ts";
import type { GitCredentials } from "./source/git.ts";

export interface UnitReport {
  unit: string;
  revision: string;
  ok: boolean;
  status: UnitStatus;
  /** What happened to each object: apply order, then prune, then health. */
  changes: Change[];
  /** Problems that are not about one object (render errors, health, record). */
  errors: string[];
  /** After a fully successful pass: the objects as applied (the last good state). */
  desired?: KubeObject[] | undefined;
  /** How long the reconcile took (set by the pass that ran it). */
  seconds?: number | undefined;
}

export interface ReconcileContext {
  client: KubeApi;
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
  /**
   * SOPS keys for the unit's encrypted objects (the agent's `decryption` Secret);
   * undefined: decryption is not configured, and an encrypted object fails the unit.
   */
  decryption?: SopsKeys | undefined;
  /** Prune past the delete budget in this pass (`tether sync --once --confirm-prune`). */
  confirmPrune?: boolean;
  /** The agent's cache folder: what each Flux Kustomization last applied (flux/applied.ts). */
  cacheDir?: string | undefined;
  /**
   * For HelmReleases in the unit: the full client (status subresource), where charts
   * and helm's state are cached, helm's kubeconfig, the agent's repository URL.
   */
  helm?:
    | {
        client: KubeClient;
        cacheDir: string;
        kubeconfig?: string | undefined;
        gitUrl?: string | undefined;
        /** What the agent follows (branch, tag or commit), and its credentials. */
        gitRef?: FluxGitRef | undefined;
        gitCredentials?: GitCredentials | undefined;
        /** Flux's lockdown, which HelmReleases obey whoever applied them (helm-controller's flags). */
        lockdown?: Lockdown | undefined;
      }
    | undefined;
}

/** What one reconcile knows so far; each step reads it and adds to it. */
interface UnitRun {
  unit: UnitConfig;
  ctx: ReconcileContext;
  /** The unit's record from its last sync. */
  previous: UnitRecord;
  manifests: Manifest[];
  /** What the apply step sent and how it went. */
  applied: AppliedChange[];
  changes: Change[];
  errors: string[];
  /** What the unit owns after this run; starts as the previous inventory. */
  inventory: InventoryEntry[];
  health: UnitStatus["health"];
  /** Objects decrypted in memory: never part of the last good state on disk. */
  decrypted: Set<string>;
  /** An unreadable inventory was replaced by what this render applied (prune's step). */
  rebuilt?: boolean;
  /** Prune's step has run to its end: the inventory says what the unit owns. */
  pruneDone?: boolean;
}

/** A status with nothing done yet, for a unit at `revision`. */
export function newStatus(unit: UnitConfig, revision: string): UnitStatus {
  return {
    unit: unit.name,
    path: unit.path,
    revision,
    lastSync: "",
    result: "Failed",
    counts: emptyCounts(),
    health: "Unknown",
  };
}

export async function reconcileUnit(unit: UnitConfig, ctx: ReconcileContext): Promise<UnitReport> {
  const run = await begin(unit, ctx);
  // A step answers false when later steps must not run on what it left. A step that
  // throws (helm unable to reach the cluster, say) ends the chain the same way: the
  // unit fails, nothing after it runs (no prune), and the record lists what this pass
  // applied and everything the unit owned before, so nothing leaves its ownership.
  try {
    (await render(run)) &&
      (await decrypt(run)) &&
      (await prepare(run)) &&
      (await helmCrds(run)) &&
      (await apply(run)) &&
      (await releases(run)) &&
      (await prune(run)) &&
      (await health(run));
  } catch (error) {
    run.errors.push(messageOf(error));
    if (!run.pruneDone) keepOwned(run);
  }
  return record(run);
}

/** What the unit owned before stays in its inventory until a prune step has decided on it. */
function keepOwned(run: UnitRun): void {
  run.inventory = [...run.inventory, ...pruneCandidates(run.previous.inventory, run.inventory)];
}

/** Reads the unit's record: the inventory prune compares with, the last applied revision. */
async function begin(unit: UnitConfig, ctx: ReconcileContext): Promise<UnitRun> {
  const previous = await readRecord(ctx.client, ctx.namespace, unit.name);
  return {
    unit,
    ctx,
    previous,
    manifests: [],
    applied: [],
    changes: [],
    errors: [],
    inventory: previous.inventory,
    health: "Unknown",
    decrypted: new Set(),
  };
}

/** Renders the unit's path; on errors the old inventory stays as it was. */
async function render(run: UnitRun): Promise<boolean> {
  const rendered = await renderPath(run.ctx.root, run.unit.path, {
    allowEmpty: run.unit.allowEmpty,
    ...(run.ctx.kustomize ? { binary: run.ctx.kustomize } : {}),
  });
  run.errors.push(...rendered.errors.map((e) => e.message));
  run.manifests = rendered.manifests;
  return rendered.errors.length === 0;
}

/** Decrypts SOPS-encrypted objects in memory; a file that does not decrypt stops the unit. */
async function decrypt(run: UnitRun): Promise<boolean> {
  const decrypted = await decryptManifests(run.manifests, run.ctx.root, run.ctx.decryption);
  run.errors.push(...decrypted.errors.map((e) => e.message));
  run.manifests = decrypted.manifests;
  run.decrypted = decrypted.decrypted;
  return decrypted.errors.length === 0;
}

/**
 * Same desired object as last time (same identity, same hash), yet the server had to
 * change it: someone edited the live object by hand.
 */
export function markDrift(applied: AppliedChange[], previous: readonly InventoryEntry[]): void {
  const previousHash = new Map(previous.map((e) => [refKey(e), e.hash]));
  for (const c of applied) {
    if (c.action === "configured" && previousHash.get(refKey(c.ref)) === c.hash) c.drifted = true;
  }
}

/** The context's hook between render and apply; its errors stop the unit unchanged. */
async function prepare(run: UnitRun): Promise<boolean> {
  if (!run.ctx.prepare) return true;
  const prepared = await run.ctx.prepare(run.manifests);
  run.errors.push(...prepared.errors);
  run.manifests = prepared.manifests;
  return prepared.errors.length === 0;
}

/** The Helm step's options for this unit, when HelmReleases are served (not in a dry run). */
function helmOf(run: UnitRun): HelmPassOptions | undefined {
  const helm = run.ctx.helm;
  if (!helm || run.ctx.dryRun) return undefined;
  return {
    client: helm.client,
    cacheDir: helm.cacheDir,
    kubeconfig: helm.kubeconfig,
    kustomize: run.ctx.kustomize,
    own: helm.gitUrl
      ? {
          url: helm.gitUrl,
          dir: run.ctx.root,
          ref: helm.gitRef ?? { branch: "main" },
          credentials: helm.gitCredentials,
        }
      : undefined,
    lockdown: helm.lockdown,
  };
}

/** CRDs of the Helm kinds the unit renders, on a cluster without Flux. */
async function helmCrds(run: UnitRun): Promise<boolean> {
  const helm = helmOf(run);
  if (!helm) return true;
  try {
    await ensureHelmCrds(
      helm.client,
      run.manifests.map((m) => m.object),
    );
    return true;
  } catch (error) {
    run.errors.push(`Helm CRDs: ${(error as Error).message}`);
    return false;
  }
}

/** HelmReleases the unit applied become Helm releases (install, upgrade, remediation, drift). */
async function releases(run: UnitRun): Promise<boolean> {
  const helm = helmOf(run);
  if (!helm) return true;
  const applied = run.applied.filter((c) => c.action !== "failed").map((c) => c.desired);
  if (!applied.some(isHelmRelease)) return true;
  const { reconcileHelmReleases } = await import("./helm/pass.ts");
  const outcomes = await reconcileHelmReleases(applied, helm);
  for (const o of outcomes) {
    const ready = o.ready || o.action === "suspended";
    run.changes.push({
      ref: o.ref,
      action: ready ? "ready" : "not-ready",
      detail: `helm ${o.action}${o.detail ? `: ${o.detail}` : ""}`,
    });
  }
  const notReady = outcomes.filter((o) => !o.ready && o.action !== "suspended");
  // A release that failed does not stop prune: its object was applied as it should be.
  if (notReady.length > 0) run.errors.push(`${notReady.length} HelmRelease(s) not ready`);
  return true;
}

/** Applies every object; a failure keeps what the unit may own and stops before prune. */
async function apply(run: UnitRun): Promise<boolean> {
  const applied = await applyManifests(run.ctx.client, run.manifests, {
    unit: run.unit.name,
    targetNamespace: run.unit.targetNamespace,
    dryRun: run.ctx.dryRun ?? false,
    recorded: run.previous.inventory,
  });
  markDrift(applied, run.previous.inventory);
  run.applied = applied;
  run.changes.push(...applied);
  const entries = applied
    .filter((c) => c.action !== "failed")
    .map((c) => ({ ...refOf(c.desired), hash: c.hash, liveHash: c.liveHash }));
  const failed = applied.filter((c) => c.action === "failed").length;
  if (failed > 0) {
    run.errors.push(`${failed} object(s) failed to apply`);
    run.inventory = [...run.previous.inventory, ...entries];
    return false;
  }
  run.inventory = entries;
  return true;
}

/** Deletes what the unit applied before and no longer renders (when the unit prunes). */
async function prune(run: UnitRun): Promise<boolean> {
  if (run.previous.unreadable) {
    // What the unit owned is unknown: nothing is pruned, and the inventory written
    // (this render) is the new starting point.
    run.errors.push(`${run.previous.unreadable}: rebuilt from this render; nothing pruned`);
    run.rebuilt = true;
    run.pruneDone = true;
    return true;
  }
  if (!run.unit.prune) {
    // Without prune the unit keeps owning what it no longer renders.
    keepOwned(run);
    run.pruneDone = true;
    return true;
  }
  const candidates = pruneCandidates(run.previous.inventory, run.inventory);
  // A Flux Kustomization pruned here deletes what it applied (its deletionPolicy): the
  // budget weighs it with those objects, and what the unit owns with all of theirs.
  const budget = deleteBudgetDecision({
    ...(await budgetCounts(run, candidates)),
    budget: run.unit.deleteBudget,
    confirmed:
      run.ctx.confirmPrune === true ||
      confirmsRevision(run.previous.confirmPrune, run.ctx.revision),
  });
  if (!budget.prune) {
    run.errors.push(budget.message);
    // Nothing is pruned and everything stays owned until the revision is confirmed.
    run.inventory.push(...candidates);
    run.pruneDone = true;
    return false;
  }
  const pruneOptions = {
    unit: run.unit.name,
    allowCrdsAndNamespaces: run.unit.pruneCrdsAndNamespaces,
    dryRun: run.ctx.dryRun ?? false,
    beforeDelete: async (live: KubeObject) => {
      if (!isKustomization(live)) return;
      const { recordSuspensionOf } = await import("./flux/applied.ts");
      await recordSuspensionOf(run.ctx.cacheDir, live);
    },
  };
  // A HelmRelease leaving Git takes its release with it (Flux's finalizer), but only
  // when the object itself is deleted: one that opts out of prune or that another unit
  // now owns keeps its release. One whose uninstall failed is kept, and pruned later.
  const helm = helmOf(run);
  const leaving = helm
    ? await deletable(
        run.ctx.client,
        candidates.filter((c) =>
          isHelmRelease({ apiVersion: c.apiVersion, kind: c.kind, metadata: { name: c.name } }),
        ),
        pruneOptions,
      )
    : [];
  const kept = new Set<string>();
  if (helm && leaving.length > 0) {
    const { uninstallReleases } = await import("./helm/pass.ts");
    for (const u of await uninstallReleases(leaving, helm)) {
      run.changes.push({
        ref: u.ref,
        action: u.ok ? "ready" : "not-ready",
        detail: `helm ${u.ok ? "uninstalled" : "uninstall-failed"}: ${u.detail}`,
      });
      if (u.ok) continue;
      run.errors.push(u.detail);
      kept.add(refKey(u.ref));
      run.inventory.push({ ...u.ref, hash: "" });
    }
  }
  const pruned = await pruneObjects(
    run.ctx.client,
    candidates.filter((c) => !kept.has(refKey(c))),
    pruneOptions,
  );
  run.changes.push(...pruned);
  // Objects whose deletion failed stay in the inventory so the next sync tries again.
  const failed = pruned.filter((c) => c.action === "prune-failed");
  run.inventory.push(...failed.map((c) => ({ ...c.ref, hash: "" })));
  if (failed.length > 0) run.errors.push(`${failed.length} object(s) could not be pruned`);
  run.pruneDone = true;
  return true;
}

/** The budget's counts; Flux's deletion module is loaded only when a Kustomization goes. */
async function budgetCounts(run: UnitRun, candidates: readonly InventoryEntry[]) {
  const owned = run.previous.inventory;
  if (!candidates.some(isKustomization))
    return { owned: owned.length, toPrune: candidates.length, throughKustomizations: 0 };
  const flux = await import("./flux/deletion.ts");
  return flux.budgetCounts(run.ctx.cacheDir, owned, candidates);
}

/** Waits until what was applied is healthy (when the unit waits). */
async function health(run: UnitRun): Promise<boolean> {
  if (!run.unit.wait || run.ctx.dryRun) return true;
  // Objects Flux's controls left alone (reconcile: disabled, ssa: Ignore) are not waited for.
  const skipped = new Set(run.applied.filter((c) => c.skipped).map((c) => refKey(c.ref)));
  const applied = run.changes.filter((c) => isApplied(c) && !skipped.has(refKey(c.ref)));
  const unhealthy = await waitForHealth(
    run.ctx.client,
    applied.map((c) => c.ref),
    run.unit.timeoutMs,
    1000,
    undefined,
    // What was applied: a Job with a TTL that is gone already counts as done.
    run.manifests.map((m) => m.object),
  );
  run.changes.push(...unhealthy);
  run.health = unhealthy.length === 0 ? "Healthy" : "Unhealthy";
  if (unhealthy.length > 0) run.errors.push(`not healthy: ${describeProblems(unhealthy)}`);
  return unhealthy.length === 0;
}

/** The one writer of the unit's record: inventory and status, derived from the run. */
async function record(run: UnitRun): Promise<UnitReport> {
  const ok = run.errors.length === 0;
  const status: UnitStatus = {
    ...newStatus(run.unit, run.ctx.revision),
    lastSync: new Date().toISOString(),
    result: ok ? "Succeeded" : "Failed",
    counts: countChanges(run.changes),
    health: run.health,
    lastError: ok ? undefined : run.errors.join("; ").slice(0, 2000),
    lastAppliedRevision: ok ? run.ctx.revision : run.previous.status?.lastAppliedRevision,
  };
  if (!run.ctx.dryRun) {
    // An unreadable inventory is replaced only once all of a render applied (prune's
    // step); a pass that failed before knows less of what the unit owns than it did.
    const keep = run.previous.unreadable !== undefined && !run.rebuilt;
    await writeRecord(
      run.ctx.client,
      run.ctx.namespace,
      run.unit.name,
      { inventory: keep ? undefined : run.inventory, status },
      run.previous,
    );
  }
  return {
    unit: run.unit.name,
    revision: run.ctx.revision,
    ok,
    status,
    changes: run.changes,
    errors: run.errors,
    // After a fully successful pass: the objects as applied (the last good state),
    // without what was decrypted (it would be clear text on disk).
    desired:
      ok && !run.ctx.dryRun
        ? run.applied.map((c) => c.desired).filter((o) => !run.decrypted.has(decryptedKey(o)))
        : undefined,
  };
}
