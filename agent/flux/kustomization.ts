// One reconcile of one Flux Kustomization, as a flat sequence of steps; each failure
// sets Ready=False with Flux's reason and returns. Order matters for safety as in the
// agent's own units: nothing is applied when the source or build failed, and nothing
// is pruned unless everything applied.
import type { KubeApi } from "../../shared/kube/api.ts";
import type { KubeClient } from "../../shared/kube/client.ts";
import {
  describeRef,
  type KubeObject,
  type ObjectRef,
  refKey,
  refOf,
} from "../../shared/manifests/object.ts";
import { decryptManifests } from "../../shared/render/decrypt.ts";
import { IgnoreRules } from "../../shared/render/sourceignore.ts";
import { type AppliedChange, applyManifests, kustomizationUnit } from "../apply.ts";
import type { Change } from "../changes.ts";
import { type DecryptionSpec, loadDecryptionKeys } from "../decrypt.ts";
import {
  CONFIRM_PRUNE_ANNOTATION,
  confirmsRevision,
  DEFAULT_DELETE_BUDGET,
  deleteBudgetDecision,
} from "../delete-budget.ts";
import { describeProblems, type Health, waitForHealth } from "../health.ts";
import { keepReason, pruneObjects } from "../prune.ts";
import { markSuspended, readApplied, recordSuspensionOf, writeApplied } from "./applied.ts";
import { serveFluxKinds } from "./bootstrap.ts";
import { type BuildResult, buildKustomization, type KustomizationSpec } from "./build.ts";
import type { HealthCheckExpr } from "./health-exprs.ts";
import { isKustomization, parseFluxDuration } from "./kinds.ts";
import { impersonationFor, type Lockdown, refusedReferences } from "./lockdown.ts";
import { type FluxObjectContext, type FluxObjectReconciler, reconcilerFor } from "./registry.ts";
import type { KubeConfigRef } from "./remote.ts";
import { resolveSource, type SourceContext } from "./source.ts";
import {
  type FailureReason,
  type HealthResult,
  type InventoryEntry,
  inventoryEntry,
  inventoryOf,
  type Outcome,
  refOfEntry,
  statusFor,
  writeStatus,
} from "./status.ts";

export interface FullSpec extends KustomizationSpec {
  sourceRef?: { kind?: string; name?: string; namespace?: string };
  dependsOn?: { name: string; namespace?: string; readyExpr?: string }[];
  interval?: string;
  retryInterval?: string;
  timeout?: string;
  prune?: boolean;
  wait?: boolean;
  suspend?: boolean;
  force?: boolean;
  serviceAccountName?: string;
  /** A remote cluster's kubeconfig, from a Secret (remote.ts). */
  kubeConfig?: KubeConfigRef;
  healthChecks?: { apiVersion?: string; kind: string; name: string; namespace?: string }[];
  healthCheckExprs?: HealthCheckExpr[];
  decryption?: DecryptionSpec;
  postBuild?: {
    substitute?: Record<string, string>;
    substituteFrom?: { kind: "ConfigMap" | "Secret"; name: string; optional?: boolean }[];
  };
}

export function specOf(ks: KubeObject): FullSpec {
  return (ks.spec ?? {}) as FullSpec;
}

export interface KustomizationReport {
  key: string;
  /** The live object as last written. */
  object: KubeObject;
  ready: boolean;
  suspended: boolean;
  /** Not due in the long-running agent's schedule: nothing was done. */
  skipped?: boolean;
  reason?: string | undefined;
  message: string;
  revision?: string | undefined;
  changes: Change[];
  /** Kustomizations this one applied: the tree walk reconciles them next. */
  children: ObjectRef[];
  /** How long the reconcile took (set by the tree walk). */
  seconds?: number | undefined;
  /**
   * The shortest `interval` of the HelmReleases it applied (not suspended), in ms: they
   * are reconciled in its pass, so it is due again by then (agent/flux/schedule.ts).
   */
  helmIntervalMs?: number | undefined;
}

/** The shortest interval of the HelmReleases among `objects` that are not suspended. Pure. */
export function helmIntervalOf(objects: readonly KubeObject[]): number | undefined {
  const intervals = objects
    .filter((o) => o.kind === "HelmRelease" && o.apiVersion.startsWith("helm.toolkit.fluxcd.io/"))
    .map((o) => (o.spec ?? {}) as { interval?: string; suspend?: boolean })
    .filter((spec) => !spec.suspend && spec.interval)
    .map((spec) => parseFluxDuration(spec.interval, Number.POSITIVE_INFINITY))
    // 0 is no periodic reconcile, as helm-controller reads it.
    .filter((ms) => ms > 0);
  return intervals.length > 0 ? Math.min(...intervals) : undefined;
}

export interface KustomizationContext {
  client: KubeClient;
  source: SourceContext;
  dryRun: boolean;
  kustomize?: string | undefined;
  ignore?: IgnoreRules | undefined;
  note: (line: string) => void;
  /** The kubeconfig the agent was given (for helm). */
  kubeconfig?: string | undefined;
  /** Flux's multi-tenancy lockdown: default ServiceAccount, cross-namespace refusal. */
  lockdown?: Lockdown | undefined;
  /** The share of its objects one pass may prune (the agent's deleteBudget; 1: none). */
  deleteBudget?: number | undefined;
  /** Prune past the budget in this pass (`tether sync --once --confirm-prune`). */
  confirmPrune?: boolean | undefined;
}

/**
 * Why this pass must not prune `stale` (past the delete budget and not confirmed), or
 * undefined. What pruned Kustomizations delete after them counts too (deletion.ts).
 * Confirmed by `--confirm-prune` or by the annotation on the Kustomization itself.
 */
async function budgetRefusal(
  live: KubeObject,
  owned: readonly ObjectRef[],
  stale: readonly ObjectRef[],
  revision: string,
  ctx: KustomizationContext,
): Promise<string | undefined> {
  if (stale.length === 0 || ctx.dryRun) return undefined;
  const { budgetCounts } = await import("./deletion.ts");
  const decision = deleteBudgetDecision({
    ...(await budgetCounts(ctx.source.cacheDir, owned, stale)),
    budget: ctx.deleteBudget ?? DEFAULT_DELETE_BUDGET,
    confirmed:
      ctx.confirmPrune === true ||
      confirmsRevision(
        live.metadata.annotations?.[CONFIRM_PRUNE_ANNOTATION],
        revision.slice(revision.lastIndexOf(":") + 1),
      ),
    confirmWith: `the annotation ${CONFIRM_PRUNE_ANNOTATION}=<revision> on Kustomization ${live.metadata.namespace ?? "default"}/${live.metadata.name} (or --confirm-prune with tether sync --once), or raise deleteBudget in the agent's configuration`,
  });
  return decision.prune ? undefined : decision.message;
}

/** The agent's unit label value for a Kustomization (label values are at most 63 characters). */
export function unitOf(ks: KubeObject): string {
  return kustomizationUnit(ks.metadata.namespace ?? "default", ks.metadata.name);
}

/**
 * Variables as kustomize-controller reads them: later layers win, and every line break
 * is taken out of a value (a Secret made with `--from-file` ends with one). A map with
 * no prototype, so a name such as `constructor` is a variable like any other. Names are
 * checked where objects are substituted (substitute.ts), as Flux checks them. Pure.
 */
export function postBuildVariables(
  layers: readonly Readonly<Record<string, unknown>>[],
): Record<string, string> {
  const vars: Record<string, string> = Object.create(null);
  // The API server keeps these strings; a repository read by `tether preview` may not.
  for (const layer of layers)
    for (const [name, value] of Object.entries(layer))
      vars[name] = String(value).replaceAll("\n", "");
  return vars;
}

/**
 * Variables for postBuild: substituteFrom in order (later wins), then substitute. Only
 * `get` is needed, so `tether preview` answers it from the objects in the repository.
 */
export async function resolveVars(
  client: Pick<KubeApi, "get">,
  spec: FullSpec,
  namespace: string,
): Promise<Record<string, string> | undefined> {
  const postBuild = spec.postBuild;
  if (!postBuild || (!postBuild.substitute && !postBuild.substituteFrom?.length)) return undefined;
  const layers: Record<string, string>[] = [];
  for (const from of postBuild.substituteFrom ?? []) {
    const object = await client.get({
      apiVersion: "v1",
      kind: from.kind,
      namespace,
      name: from.name,
    });
    if (!object) {
      if (from.optional) continue;
      throw new Error(
        `substitute from '${from.kind}/${namespace}/${from.name}' error: ${from.kind} not found`,
      );
    }
    const data = (object.data ?? {}) as Record<string, string>;
    layers.push(
      from.kind === "Secret"
        ? Object.fromEntries(
            Object.entries(data).map(([k, v]) => [k, Buffer.from(v, "base64").toString("utf8")]),
          )
        : data,
    );
  }
  return postBuildVariables([...layers, postBuild.substitute ?? {}]);
}

/** Flux's per-object opt-in to recreation. */
export const FORCE_ANNOTATION = "kustomize.toolkit.fluxcd.io/force";

/** An apply refused because an immutable field changed, with recreation allowed. Pure. */
export function mustRecreate(change: AppliedChange, spec: FullSpec): boolean {
  if (change.action !== "failed" || !/immutable/i.test(change.error ?? "")) return false;
  return (
    spec.force === true || change.desired.metadata.annotations?.[FORCE_ANNOTATION] === "enabled"
  );
}

/** Deletes each object, waits until it is gone, and applies it again. */
async function recreateObjects(
  client: KubeClient,
  changes: readonly AppliedChange[],
  unit: string,
  timeoutMs = 60_000,
): Promise<Map<AppliedChange, AppliedChange>> {
  const out = new Map<AppliedChange, AppliedChange>();
  for (const change of changes) {
    const ref = refOf(change.desired);
    await client.delete(ref, "Foreground");
    const deadline = Date.now() + timeoutMs;
    while (await client.get(ref)) {
      if (Date.now() > deadline) {
        out.set(change, {
          ...change,
          error: `${change.error}; deleted to recreate it, but still terminating after ${timeoutMs / 1000}s`,
        });
        break;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    if (out.has(change)) continue;
    const [again] = await applyManifests(client, [change.manifest], { unit });
    if (again)
      out.set(change, {
        ...again,
        ...(again.action === "created" ? { detail: "recreated (force)" } : {}),
      });
  }
  return out;
}

export async function reconcileKustomization(
  live: KubeObject,
  ctx: KustomizationContext,
): Promise<KustomizationReport> {
  // The remote cluster's client (spec.kubeConfig), closed whatever happens.
  const remote: { client?: KubeClient } = {};
  try {
    return await reconcileSteps(live, ctx, remote);
  } finally {
    remote.client?.close();
  }
}

async function reconcileSteps(
  live: KubeObject,
  ctx: KustomizationContext,
  remote: { client?: KubeClient },
): Promise<KustomizationReport> {
  const spec = specOf(live);
  const namespace = live.metadata.namespace ?? "default";
  const report: KustomizationReport = {
    key: `${namespace}/${live.metadata.name}`,
    object: live,
    ready: false,
    suspended: false,
    message: "",
    changes: [],
    children: [],
  };
  let current = live;
  const record = async (outcome: Outcome, revision?: string) => {
    report.message = outcome.message;
    if (outcome.kind === "failed") report.reason = outcome.reason;
    report.ready = outcome.kind === "ready";
    if (!ctx.dryRun)
      current = await writeStatus(ctx.client, current, statusFor(current, outcome, revision));
    report.object = current;
    return report;
  };
  const fail = (
    reason: FailureReason,
    message: string,
    revision?: string,
    inventory?: InventoryEntry[],
    health?: HealthResult,
  ) => record({ kind: "failed", reason, message, inventory, health }, revision);

  // Suspended: nothing is read, applied or written (Flux leaves the status as it was).
  // Only the cache record learns it, so that deleting the Kustomization now leaves its
  // objects in place, as Flux's finalizer does; resumed, it deletes them again.
  if (!ctx.dryRun)
    await markSuspended(ctx.source.cacheDir, live, spec.suspend === true).catch((error: Error) =>
      ctx.note(`${report.key}: could not keep whether it is suspended: ${error.message}`),
    );
  if (spec.suspend) {
    report.suspended = true;
    report.message = "suspended";
    return report;
  }
  if (!ctx.dryRun) await record({ kind: "progressing", message: "Reconciliation in progress" });

  // Lockdown: references to another namespace are refused (Flux's AccessDenied).
  const refused = refusedReferences(live, ctx.lockdown);
  if (refused.length > 0) return fail("AccessDenied", refused.join("; "));

  // Source: the agent's checkout, another repository, or a generator's artifact.
  let source: Awaited<ReturnType<typeof resolveSource>>;
  try {
    source = await resolveSource(spec.sourceRef ?? {}, namespace, ctx.source);
  } catch (error) {
    return fail("ArtifactFailed", (error as Error).message);
  }
  report.revision = source.revision;

  // Build: path, overlay, metadata, postBuild variables.
  let built: BuildResult;
  try {
    const vars = await resolveVars(ctx.client, spec, namespace);
    // SOPS keys from the Secret in the Kustomization's namespace, in memory only.
    const keys = await loadDecryptionKeys(ctx.client, namespace, spec.decryption);
    built = await buildKustomization(spec, source.dir, {
      decrypt: async (manifests) => {
        const out = await decryptManifests(manifests, source.dir, keys);
        return { manifests: out.manifests, errors: out.errors.map((e) => e.message) };
      },
      name: live.metadata.name,
      namespace,
      vars,
      kustomize: ctx.kustomize,
      // The GitRepository's spec.ignore, when it has one.
      ignore: source.ignore !== undefined ? IgnoreRules.forSource(source.ignore) : ctx.ignore,
    });
  } catch (error) {
    return fail("BuildFailed", (error as Error).message, source.revision);
  }
  if (!built.ok) return fail(built.reason, built.message, source.revision);
  let manifests = built.manifests;

  // Target: the remote cluster of spec.kubeConfig (its Secret's kubeconfig), else this
  // one. Everything below that touches objects goes there; the status stays here.
  let target = ctx.client;
  if (spec.kubeConfig) {
    try {
      const { connectRemote } = await import("./remote.ts");
      remote.client = await connectRemote(ctx.client, spec.kubeConfig, namespace);
      target = remote.client;
    } catch (error) {
      return fail("ReconciliationFailed", (error as Error).message, source.revision);
    }
  }
  try {
    const served = await serveFluxKinds(target, manifests, ctx.dryRun);
    manifests = served.manifests;
    for (const line of served.notes) ctx.note(line);
  } catch (error) {
    return fail("ReconciliationFailed", (error as Error).message, source.revision);
  }

  // Apply and prune as the Kustomization's ServiceAccount when it names one, else as the
  // lockdown's default ServiceAccount of its namespace, else as the agent (on a remote
  // cluster: that ServiceAccount there, else the kubeconfig's user).
  const user = impersonationFor(live, ctx.lockdown);
  const client = user ? target.impersonating(user) : target;
  const unit = unitOf(live);
  const previous = inventoryOf(live);
  const recorded = await readApplied(ctx.source.cacheDir, live);
  let applied = await applyManifests(client, manifests, {
    unit,
    dryRun: ctx.dryRun,
    recorded,
  });
  // force (or an object annotated kustomize.toolkit.fluxcd.io/force: enabled): an
  // object whose immutable fields changed is deleted and created again, as Flux does.
  const recreate = ctx.dryRun ? [] : applied.filter((r) => mustRecreate(r, spec));
  if (recreate.length > 0) {
    const again = await recreateObjects(client, recreate, unit);
    applied = applied.map((r) => again.get(r) ?? r);
  }
  if (!ctx.dryRun)
    await writeApplied(ctx.source.cacheDir, live, applied, unit).catch((error: Error) =>
      ctx.note(`${report.key}: could not keep what was applied: ${error.message}`),
    );
  report.changes.push(...applied);
  const appliedRefs = applied.filter((r) => r.action !== "failed").map((r) => refOf(r.desired));
  // Flux objects applied to a remote cluster are for whatever runs there, not this agent.
  report.children = remote.client ? [] : appliedRefs.filter(isKustomization);
  const failed = applied.filter((r) => r.action === "failed");
  if (failed.length > 0) {
    // Keep everything the Kustomization may own: the old inventory and what did apply.
    const keep = new Map(previous.map((e) => [e.id, e]));
    for (const ref of appliedRefs) keep.set(inventoryEntry(ref).id, inventoryEntry(ref));
    return fail(
      "ReconciliationFailed",
      failed.map((r) => `${describeRef(r.ref)}: ${r.error}`).join("\n"),
      source.revision,
      [...keep.values()],
    );
  }
  const inventory = appliedRefs.map(inventoryEntry);

  // Objects of kinds Tether reconciles itself (HelmRelease...) before health checks,
  // all of one kind in one call when the reconciler takes them together.
  const objectContext: FluxObjectContext = {
    client: ctx.client,
    sourceDir: source.dir,
    revision: source.revision,
    dryRun: ctx.dryRun,
    note: ctx.note,
    own: ctx.source.own,
    cacheDir: ctx.source.cacheDir,
    kubeconfig: ctx.kubeconfig,
    lockdown: ctx.lockdown,
    source: ctx.source,
  };
  const byReconciler = new Map<FluxObjectReconciler, { ref: ObjectRef; object: KubeObject }[]>();
  for (const ref of ctx.dryRun || remote.client ? [] : appliedRefs) {
    const reconciler = reconcilerFor(ref);
    if (!reconciler) continue;
    const object = await ctx.client.get(ref);
    if (!object) continue;
    const refusedRefs = refusedReferences(object, ctx.lockdown);
    if (refusedRefs.length > 0) {
      report.changes.push({ ref, action: "not-ready", detail: refusedRefs.join("; ") });
      continue;
    }
    byReconciler.set(reconciler, [...(byReconciler.get(reconciler) ?? []), { ref, object }]);
  }
  report.helmIntervalMs = helmIntervalOf([...byReconciler.values()].flat().map((i) => i.object));
  for (const [reconciler, items] of byReconciler) {
    const results = reconciler.reconcileAll
      ? await reconciler.reconcileAll(
          items.map((i) => i.object),
          objectContext,
        )
      : await Promise.all(items.map((i) => reconciler.reconcile(i.object, objectContext)));
    items.forEach((item, i) => {
      const result = results[i] ?? { ready: false, message: "not reconciled" };
      report.changes.push({
        ref: item.ref,
        action: result.ready ? "ready" : "not-ready",
        detail: result.message,
      });
    });
  }

  // Prune what the last inventory had and this build no longer does. Without prune they
  // stay in the cluster but leave the inventory, which is what this pass applied (as in
  // Flux): turning prune on later does not delete what left Git long ago.
  if (spec.prune) {
    const now = new Set(appliedRefs.map((r) => refKey(r)));
    let stale = previous.map(refOfEntry).filter((r) => !now.has(refKey(r)));
    // The delete budget, as for the agent's units (Flux has none): a build that lost a
    // base would otherwise delete most of what the Kustomization applied, unattended.
    const refusal = await budgetRefusal(
      live,
      previous.map(refOfEntry),
      stale,
      source.revision,
      ctx,
    );
    if (refusal) {
      return fail("PruneFailed", refusal, source.revision, [
        ...inventory,
        ...stale.map(inventoryEntry),
      ]);
    }
    // Kinds with a finalizer (a HelmRelease uninstalls its release) run it first; an
    // object whose finalizer did not succeed is kept, and pruning fails this pass.
    const unfinalized: ObjectRef[] = [];
    for (const ref of ctx.dryRun || remote.client ? [] : stale) {
      const reconciler = reconcilerFor(ref);
      if (!reconciler?.finalize) continue;
      const object = await ctx.client.get(ref);
      // Only an object that is deleted runs its finalizer: one that opts out of prune or
      // that someone else now owns keeps its release (pruneObjects reports it kept).
      if (!object || keepReason(ref, object, { unit })) continue;
      const result = await reconciler.finalize(object, objectContext);
      report.changes.push({
        ref,
        action: result.ready ? "ready" : "not-ready",
        detail: result.message,
      });
      if (!result.ready) unfinalized.push(ref);
    }
    stale = stale.filter((r) => !unfinalized.some((u) => refKey(u) === refKey(r)));
    const pruned = await pruneObjects(client, stale, {
      unit,
      dryRun: ctx.dryRun,
      beforeDelete: (object) => recordSuspensionOf(ctx.source.cacheDir, object),
    });
    report.changes.push(...pruned);
    if (unfinalized.length > 0) {
      return fail(
        "PruneFailed",
        unfinalized.map((r) => `${describeRef(r)}: its finalizer did not succeed`).join("\n"),
        source.revision,
        [...inventory, ...unfinalized.map(inventoryEntry)],
      );
    }
    const failedPrunes = pruned.filter((p) => p.action === "prune-failed");
    if (failedPrunes.length > 0) {
      return fail(
        "PruneFailed",
        failedPrunes.map((p) => `${describeRef(p.ref)}: ${p.error}`).join("\n"),
        source.revision,
        [...inventory, ...failedPrunes.map((p) => inventoryEntry(p.ref))],
      );
    }
  }

  // Health: every applied object with `wait`, else the listed healthChecks. Child
  // Kustomizations are reconciled after this one (tree.ts), so they are not waited on here.
  const interval = parseFluxDuration(spec.interval, 600_000);
  const timeout = parseFluxDuration(spec.timeout, interval);
  // With wait, every object applied but Kustomizations and what Flux's controls skipped.
  const skipped = new Set(applied.filter((c) => c.skipped).map((c) => refKey(c.ref)));
  const checks: ObjectRef[] = spec.wait
    ? appliedRefs.filter((r) => !isKustomization(r) && !skipped.has(refKey(r)))
    : (spec.healthChecks ?? []).map((h) => ({
        apiVersion: h.apiVersion ?? "v1",
        kind: h.kind,
        name: h.name,
        ...(h.namespace || !h.kind
          ? { namespace: h.namespace ?? namespace }
          : { namespace: h.namespace ?? namespace }),
      }));
  // Nothing to check: no Healthy condition, as in Flux.
  let health: HealthResult = null;
  if (checks.length > 0 && !ctx.dryRun) {
    const started = performance.now();
    let assess: ((object: KubeObject) => Health) | undefined;
    try {
      // CEL costs about 26 MiB of RSS: loaded only for Kustomizations that use it.
      if (spec.healthCheckExprs?.length) {
        const { exprAssessment } = await import("./health-exprs.ts");
        assess = exprAssessment(spec.healthCheckExprs);
      }
    } catch (error) {
      const message = `healthCheckExprs: ${(error as Error).message}`;
      return fail("HealthCheckFailed", message, source.revision, inventory, {
        healthy: false,
        message,
      });
    }
    // What was applied goes too: a Job with a TTL that is gone already counts as done.
    const unhealthy = await waitForHealth(
      target,
      checks,
      timeout,
      1000,
      assess,
      manifests.map((m) => m.object),
    );
    report.changes.push(...unhealthy);
    if (unhealthy.length > 0) {
      const message = `health check failed after ${spec.timeout ?? spec.interval}: ${describeProblems(unhealthy)}`;
      return fail("HealthCheckFailed", message, source.revision, inventory, {
        healthy: false,
        message,
      });
    }
    const seconds = (performance.now() - started) / 1000;
    health = { healthy: true, message: `Health check passed in ${seconds.toFixed(3)}s` };
  }
  return record(
    { kind: "ready", message: `Applied revision: ${source.revision}`, inventory, health },
    source.revision,
  );
}
