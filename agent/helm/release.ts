// One HelmRelease, reconciled as helm-controller does it, as a flat list of steps:
// read the spec, check dependencies, get the chart, compose the values, read the
// force/reset requests, decide, run Helm, remediate a failure, detect drift, write the
// status. Each failing step sets the Ready condition with Flux's reason and returns.
import { createHash } from "node:crypto";
import { ChartError } from "../../shared/charts/errors.ts";
import { originLabels } from "../../shared/charts/postrender.ts";
import type { FetchedChart } from "../../shared/charts/pull.ts";
import type { ChartContext } from "../../shared/charts/resolve.ts";
import { resolveChart } from "../../shared/charts/resolve.ts";
import type { KubeClient } from "../../shared/kube/client.ts";
import type { KubeObject, ObjectRef } from "../../shared/manifests/object.ts";
import { dependencyVerdict } from "../flux/depends.ts";
import { REQUESTED_AT_ANNOTATION } from "../flux/kinds.ts";
import { impersonationFor, type Lockdown, refusedReferences } from "../flux/lockdown.ts";
import {
  installArgs,
  postRenderCommand,
  rollback,
  uninstall,
  upgradeArgs,
  withValuesFile,
} from "./actions.ts";
import { type HelmOptions, type ListedRelease, releaseStatus, runHelm } from "./cli.ts";
import { applyChartCrds } from "./crds.ts";
import {
  chartIdentityUpdate,
  type Decision,
  type Desired,
  decide,
  failuresFor,
  findRelease,
  requestsOf,
  retryingInstall,
  stallAfterFailure,
} from "./decide.ts";
import { detectDrift } from "./drift.ts";
import { commonMetadataDigest, postRenderersDigest } from "./postrender.ts";
import {
  type ReleaseSpec,
  readReleaseSpec,
  remoteClusterOf,
  remoteClusterRefusal,
} from "./spec.ts";
import {
  type ConditionInput,
  type HelmReleaseStatus,
  readyOf,
  removeConditions,
  setConditions,
  writeStatus,
} from "./status.ts";
import { composeValues, type ReadValuesSource, valuesDigest } from "./values.ts";

export interface HelmContext {
  client: KubeClient;
  helm: HelmOptions;
  charts: ChartContext;
  /** `helm list` of this pass, refreshed after every action. */
  releases: ListedRelease[];
  readValues: ReadValuesSource;
  kustomize?: string | undefined;
  /** Flux's multi-tenancy lockdown: default ServiceAccount, cross-namespace refusal. */
  lockdown?: Lockdown | undefined;
  now?: () => string;
}

export type ReleaseAction =
  | "installed"
  | "upgraded"
  | "unchanged"
  | "failed"
  | "rolled-back"
  | "uninstalled"
  | "suspended"
  | "waiting"
  | "drifted"
  | "drift-corrected";

/** What happened to one HelmRelease (one line of the sync output). */
export interface ReleaseOutcome {
  ref: ObjectRef;
  action: ReleaseAction;
  ready: boolean;
  detail?: string | undefined;
}

/** Reads one release back after an action (cheaper than listing all of them again). */
async function refresh(ctx: HelmContext, spec: ReleaseSpec): Promise<void> {
  const fresh = await releaseStatus(ctx.helm, spec.releaseName, spec.releaseNamespace);
  const others = ctx.releases.filter(
    (r) => !(r.name === spec.releaseName && r.namespace === spec.releaseNamespace),
  );
  ctx.releases = fresh ? [...others, fresh] : others;
}

const relName = (spec: ReleaseSpec, revision?: number | string) =>
  `${spec.releaseNamespace}/${spec.releaseName}${revision ? `.v${revision}` : ""}`;

/** Reconciles the HelmRelease `live` (as read from the cluster after apply). */
export async function reconcileRelease(
  live: KubeObject,
  ctx: HelmContext,
): Promise<ReleaseOutcome> {
  const now = ctx.now ?? (() => new Date().toISOString());
  const ref: ObjectRef = {
    apiVersion: live.apiVersion,
    kind: live.kind,
    name: live.metadata.name,
    namespace: live.metadata.namespace ?? "default",
  };
  const prev = ((live.status ?? {}) as HelmReleaseStatus) ?? {};
  const generation = Number(live.metadata.generation ?? 0);
  // The request tokens this pass handles, written with every status: requestedAt
  // always (as helm-controller at the end of each reconcile, which the flux CLI waits
  // for), forceAt/resetAt once the release decision has looked at them (step 5).
  const requestedAt = live.metadata.annotations?.[REQUESTED_AT_ANNOTATION];
  let handled: Partial<HelmReleaseStatus> =
    requestedAt !== undefined ? { lastHandledReconcileAt: requestedAt } : {};
  const handledChanged = () =>
    Object.entries(handled).some(([field, token]) => prev[field] !== token);
  // The chart's identity in place of its earlier digest (step 5), written once.
  let renamed: Partial<HelmReleaseStatus> | undefined;
  // A pass that writes nothing else still records the tokens it handled (and the identity).
  const recordHandled = async (outcome: ReleaseOutcome): Promise<ReleaseOutcome> => {
    if (handledChanged() || renamed)
      await writeStatus(ctx.client, live, { ...renamed, ...handled });
    return outcome;
  };
  // One writer of the status: every return goes through here.
  const finish = async (
    outcome: Omit<ReleaseOutcome, "ref">,
    conditions: ConditionInput[],
    extra: Partial<HelmReleaseStatus> = {},
    drop: string[] = [],
  ): Promise<ReleaseOutcome> => {
    const status: HelmReleaseStatus = {
      ...extra,
      ...handled,
      observedGeneration: generation,
      conditions: setConditions(
        removeConditions(prev.conditions ?? [], drop),
        conditions,
        generation,
        now(),
      ),
    };
    await writeStatus(ctx.client, live, status);
    return { ref, ...outcome };
  };
  const notReady = (reason: string, message: string, extra: Partial<HelmReleaseStatus> = {}) =>
    finish(
      { action: "failed", ready: false, detail: message },
      [{ type: "Ready", status: "False", reason, message }],
      extra,
    );

  // 1. The spec, with Flux's defaults.
  let spec: ReleaseSpec;
  try {
    spec = readReleaseSpec(live);
  } catch (error) {
    return notReady("InvalidChartReference", (error as Error).message);
  }
  if (spec.suspend) return { ref, action: "suspended", ready: readyOf(live)?.status === "True" };

  // A remote cluster (spec.kubeConfig) is not served: nothing runs here, Helm included.
  const remote = remoteClusterOf(live);
  if (remote)
    return notReady("RESTClientError", remoteClusterRefusal(remote, "nothing was installed"));

  // Lockdown: a chart source or dependency in another namespace is refused.
  const refused = refusedReferences(live, ctx.lockdown);
  if (refused.length > 0) return notReady("AccessDenied", refused.join("; "));
  // Helm acts as the HelmRelease's ServiceAccount (or the lockdown's default one), so
  // the API server's RBAC decides what the chart may change; the agent's own identity
  // only reads sources and values and writes the status, as helm-controller does.
  const user = impersonationFor(live, ctx.lockdown);
  const helm: HelmOptions = user ? { ...ctx.helm, kubeAsUser: user } : ctx.helm;
  const client = user ? ctx.client.impersonating(user) : ctx.client;
  const actingAs = user
    ? ` (acting as ServiceAccount ${user.replace(/^system:serviceaccount:/, "").replace(":", "/")})`
    : "";

  // 2. Dependencies: each must be Ready for this generation, or pass its readyExpr.
  for (const dep of spec.dependsOn) {
    const other = await ctx.client.get({
      apiVersion: live.apiVersion,
      kind: "HelmRelease",
      namespace: dep.namespace,
      name: dep.name,
    });
    const ready = readyOf(other);
    const current =
      ready?.status === "True" &&
      ready.observedGeneration === Number(other?.metadata.generation ?? 0);
    const blocked = await dependencyVerdict(
      live,
      { key: `HelmRelease/${dep.namespace}/${dep.name}`, readyExpr: dep.readyExpr },
      other,
      current,
    );
    if (blocked) {
      const { reason, message, stalled } = blocked;
      return finish({ action: stalled ? "failed" : "waiting", ready: false, detail: message }, [
        { type: "Ready", status: "False", reason, message },
        ...(stalled ? [{ type: "Stalled", status: "True" as const, reason, message }] : []),
      ]);
    }
  }

  // 3. The chart.
  let chart: FetchedChart;
  try {
    chart = await resolveChart(ctx.charts, spec.chart, spec.namespace);
  } catch (error) {
    const message =
      error instanceof ChartError ? error.message : `chart: ${(error as Error).message}`;
    return notReady("ArtifactFailed", message);
  }

  // 4. The values.
  let values: Record<string, unknown>;
  try {
    values = await composeValues(spec.valuesFrom, spec.values, spec.namespace, ctx.readValues);
  } catch (error) {
    return notReady("InitFailed", (error as Error).message);
  }
  const desired: Desired = {
    chartDigest: chart.digest,
    earlierChartDigest: chart.contentDigest,
    configDigest: valuesDigest(values),
    postRenderersDigest: postRenderersDigest(spec),
    commonMetadataDigest: commonMetadataDigest(spec.commonMetadata),
  };
  const chartText = `${chart.name}@${chart.version}`;
  const attempted: Partial<HelmReleaseStatus> = {
    lastAttemptedGeneration: generation,
    lastAttemptedRevision: chart.version,
    lastAttemptedRevisionDigest: chart.digest,
    lastAttemptedConfigDigest: desired.configDigest,
    observedPostRenderersDigest: desired.postRenderersDigest,
    observedCommonMetadataDigest: desired.commonMetadataDigest || null,
    storageNamespace: spec.releaseNamespace,
    helmChart: chart.source,
  };

  // 5. Decide from Helm's storage, the status and `flux reconcile hr --force/--reset`.
  const requests = requestsOf(live.metadata.annotations, prev);
  handled = { ...handled, ...requests.handled };
  let current = findRelease(ctx.releases, spec.releaseName, spec.releaseNamespace);
  let decision: Decision = decide(spec, desired, current, prev, Date.now(), requests);
  const failures = failuresFor(spec, desired, prev, requests.reset);
  // A release Tether recorded by the chart's earlier digest is recorded by its identity
  // from this pass on (one status write, whatever the decision), so an edit of a Git
  // chart folder without a version bump matches it later too.
  renamed = chartIdentityUpdate(desired, prev);
  const history = renamed?.history ?? prev.history;
  const keep = {
    history,
    installFailures: failures.install,
    upgradeFailures: failures.upgrade,
  };

  if (decision.action === "stalled") {
    return finish(
      { action: "failed", ready: false, detail: decision.message },
      [
        { type: "Ready", status: "False", reason: "RetriesExceeded", message: decision.message },
        { type: "Stalled", status: "True", reason: "RetriesExceeded", message: decision.message },
      ],
      { ...attempted, ...keep },
    );
  }
  if (decision.action === "wait") {
    // The failure's status stays as it was written; nothing is run until the interval.
    return recordHandled({ ref, action: "waiting", ready: false, detail: decision.message });
  }
  if (decision.action === "replace") {
    await uninstall(helm, decision.old, spec.uninstall, spec.uninstall.timeoutMs).catch(
      () => undefined,
    );
    await refresh(ctx, spec);
    current = undefined;
    decision = { action: "install", reason: "the release name or namespace changed" };
  }
  if (decision.action === "recover") {
    // pending-install: nothing usable was made, start again; pending-upgrade or
    // pending-rollback: return to the last deployed revision, then upgrade.
    try {
      if (decision.from === "pending-install")
        await uninstall(helm, { name: spec.releaseName, namespace: spec.releaseNamespace });
      else await rollback(helm, spec);
    } catch (error) {
      return notReady(
        "RecoveryFailed",
        `release ${relName(spec)} was left ${decision.from} and could not be unlocked: ${(error as Error).message}`,
        { ...attempted, ...keep },
      );
    }
    await refresh(ctx, spec);
    current = findRelease(ctx.releases, spec.releaseName, spec.releaseNamespace);
    decision = {
      action: current && current.status !== "uninstalled" ? "upgrade" : "install",
      reason: `recovered from ${decision.from}`,
    };
  }

  if (decision.action === "none") {
    // 7. Nothing to release: look for drift if asked to.
    if (spec.drift.mode !== "disabled" && current) {
      const drift = await detectDrift(client, helm, spec, current.revision);
      // As helm-controller: a state it could not read fails the pass only when nothing
      // drifted (in either mode); beside drift it is reported and the drift handled.
      if (drift.drifted.length === 0 && drift.unknown.length > 0) {
        return notReady(
          "StateError",
          `Could not determine release state: unable to determine cluster state: ${drift.unknown.join("; ")}`,
          { ...attempted, ...keep },
        );
      }
      if (drift.drifted.length > 0) {
        const list = drift.drifted.slice(0, 10).join(", ");
        const unknown = drift.unknown.length ? `; state unknown: ${drift.unknown.join("; ")}` : "";
        if (spec.drift.mode === "warn") {
          return recordHandled({
            ref,
            action: "drifted",
            ready: true,
            detail: `drift detected (warn): ${list}${unknown}`,
          });
        }
        return recordHandled({
          ref,
          action: drift.errors.length > 0 ? "failed" : "drift-corrected",
          ready: drift.errors.length === 0,
          detail: `drift corrected: ${list}${drift.errors.length ? `; ${drift.errors.join("; ")}` : ""}${unknown}`,
        });
      }
    }
    const ready = readyOf(live);
    const unchanged = { action: "unchanged" as const, ready: true, detail: chart.fromCache };
    if (
      ready?.status === "True" &&
      prev.observedGeneration === generation &&
      ready.message === withCacheNote(ready.message, chart.fromCache) &&
      !handledChanged() &&
      !renamed
    ) {
      // No write at all: a no-change pass costs one `helm list` and no status update.
      return { ref, ...unchanged };
    }
    return finish(
      unchanged,
      [
        {
          type: "Ready",
          status: "True",
          reason: ready?.reason === "UpgradeSucceeded" ? "UpgradeSucceeded" : "InstallSucceeded",
          message: withCacheNote(
            ready?.status === "True"
              ? ready.message
              : `Helm release ${relName(spec, current?.revision)} with chart ${chartText} is up to date`,
            chart.fromCache,
          ),
        },
      ],
      { ...attempted, ...keep },
      ["Stalled"],
    );
  }

  // 6. Install or upgrade through helm.
  const isInstall = decision.action === "install";
  const verb = isInstall ? "install" : "upgrade";
  const forced =
    (decision.action === "install" || decision.action === "upgrade") && decision.forced
      ? `; ${decision.reason}`
      : "";
  const postRenderer = await postRenderCommand(ctx.helm, spec, ctx.kustomize);
  let actionError: Error | undefined;
  try {
    // CRDs of the chart's crds/ that Helm would not write: all of them on upgrade
    // (Create, CreateReplace), and existing ones on install (CreateReplace).
    if (!isInstall && spec.upgrade.crds !== "Skip") {
      await applyChartCrds(client, helm, chart.path, spec.upgrade.crds, originLabels(spec));
    }
    if (isInstall && spec.install.crds === "CreateReplace") {
      await applyChartCrds(client, helm, chart.path, "CreateReplace", originLabels(spec));
    }
    await withValuesFile(helm, values, (valuesFile) => {
      const input = {
        spec,
        chartPath: chart.path,
        valuesFile,
        postRenderer,
        description: `Tether ${verb} of ${chartText}`,
      };
      // A minute past the action's own timeout, which Helm enforces and reports itself.
      return runHelm(helm, isInstall ? installArgs(input) : upgradeArgs(input), {
        timeoutMs: (isInstall ? spec.install : spec.upgrade).timeoutMs + 60_000,
      });
    });
  } catch (error) {
    actionError = error as Error;
  }
  await refresh(ctx, spec);
  const after = findRelease(ctx.releases, spec.releaseName, spec.releaseNamespace);

  if (!actionError && after?.status === "deployed") {
    const released = [
      {
        name: spec.releaseName,
        namespace: spec.releaseNamespace,
        version: Number(after.revision),
        chartName: chart.name,
        chartVersion: chart.version,
        appVersion: after.app_version,
        configDigest: desired.configDigest,
        ociDigest: chart.digest,
        // Flux's digest is of the release object in Helm's storage; Tether's is of
        // what made the release (name, revision, chart and values), which is as stable.
        digest: `sha256:${createHash("sha256")
          .update(
            `${spec.releaseNamespace}/${spec.releaseName}.v${after.revision}\0${chart.digest}\0${desired.configDigest}`,
          )
          .digest("hex")}`,
        status: "deployed",
        firstDeployed: (!isInstall && history?.[0]?.firstDeployed) || after.updated || now(),
        lastDeployed: now(),
      },
      ...(history ?? []).slice(0, Math.max(0, (spec.maxHistory || 10) - 1)),
    ];
    const message = `Helm ${verb} succeeded for release ${relName(spec, after.revision)} with chart ${chartText}`;
    const reason = isInstall ? "InstallSucceeded" : "UpgradeSucceeded";
    return finish(
      {
        action: isInstall ? "installed" : "upgraded",
        ready: true,
        detail: `${relName(spec, after.revision)} ${chartText}${chart.fromCache ? `; ${chart.fromCache}` : ""}${forced}`,
      },
      [
        { type: "Ready", status: "True", reason, message: withCacheNote(message, chart.fromCache) },
        { type: "Released", status: "True", reason, message },
      ],
      {
        ...attempted,
        history: released,
        installFailures: 0,
        upgradeFailures: 0,
        lastAttemptedReleaseAction: verb,
        lastAppliedRevision: chart.version,
      },
      ["Stalled", "Remediated"],
    );
  }

  // 8. The action failed: count it, remediate as the spec says.
  const failureText = `Helm ${verb} failed for release ${relName(spec)} with chart ${chartText}${actingAs}: ${actionError?.message ?? `the release is ${after?.status ?? "missing"}`}`;
  // A failed install retried through an upgrade still counts as the install.
  const asInstall = isInstall || retryingInstall(current, prev);
  const counts = {
    installFailures: failures.install + (asInstall ? 1 : 0),
    upgradeFailures: failures.upgrade + (asInstall ? 0 : 1),
  };
  const count = asInstall ? counts.installFailures : counts.upgradeFailures;
  const policy = asInstall ? spec.install : spec.upgrade;
  const remediate =
    !policy.retryOnFailure && (count <= policy.retries || policy.remediateLastFailure);
  const failedReason = isInstall ? "InstallFailed" : "UpgradeFailed";
  const base = {
    ...attempted,
    ...counts,
    history,
    lastAttemptedReleaseAction: verb,
  } as Partial<HelmReleaseStatus>;
  // Stalled once this failure used up the retries (after the remediation, as in Flux),
  // else taken away: a reset or force may have run this attempt on a stalled release.
  const stall = stallAfterFailure(spec, asInstall ? "install" : "upgrade", count);
  const stalled: ConditionInput[] = stall
    ? [{ type: "Stalled", status: "True", reason: "RetriesExceeded", message: stall }]
    : [];
  const unstall = stall ? [] : ["Stalled"];
  const failed: ConditionInput[] = [
    { type: "Ready", status: "False", reason: failedReason, message: failureText },
    { type: "Released", status: "False", reason: failedReason, message: failureText },
  ];
  if (!remediate) {
    const detail = policy.retryOnFailure
      ? `${failureText}; RetryOnFailure: tried again after ${Math.round(policy.retryIntervalMs / 1000)}s`
      : failureText;
    return finish(
      { action: "failed", ready: false, detail: `${detail}${forced}` },
      [...failed, ...stalled],
      base,
      unstall,
    );
  }
  try {
    if (asInstall || spec.upgrade.strategy === "uninstall") {
      await uninstall(
        helm,
        { name: spec.releaseName, namespace: spec.releaseNamespace },
        spec.uninstall,
        spec.uninstall.timeoutMs,
      );
      await refresh(ctx, spec);
      const message = `Helm uninstall succeeded for release ${relName(spec, after?.revision)} with chart ${chartText}`;
      return finish(
        { action: "failed", ready: false, detail: `${failureText}; uninstalled${forced}` },
        [
          ...failed,
          { type: "Remediated", status: "True", reason: "UninstallSucceeded", message },
          ...stalled,
        ],
        base,
        unstall,
      );
    }
    const lastGood = (history ?? []).find((h) => h.status === "deployed" && h.version);
    await rollback(helm, spec, lastGood?.version);
    await refresh(ctx, spec);
    const back = findRelease(ctx.releases, spec.releaseName, spec.releaseNamespace);
    const message = `Helm rollback to previous release ${relName(spec, lastGood?.version)} with chart ${lastGood?.chartVersion ? `${chart.name}@${lastGood.chartVersion}` : chartText} succeeded`;
    const rolledBack =
      back && lastGood
        ? [
            { ...lastGood, version: Number(back.revision), status: "deployed" },
            ...(history ?? []).slice(0, Math.max(0, spec.maxHistory - 1)),
          ]
        : history;
    return finish(
      {
        action: "rolled-back",
        ready: false,
        detail: `${failureText}; rolled back to ${relName(spec, back?.revision)}${forced}`,
      },
      [
        ...failed,
        { type: "Remediated", status: "True", reason: "RollbackSucceeded", message },
        ...stalled,
      ],
      { ...base, history: rolledBack },
      unstall,
    );
  } catch (error) {
    const reason =
      asInstall || spec.upgrade.strategy === "uninstall" ? "UninstallFailed" : "RollbackFailed";
    return finish(
      {
        action: "failed",
        ready: false,
        detail: `${failureText}; remediation failed: ${(error as Error).message}${forced}`,
      },
      [
        ...failed,
        { type: "Remediated", status: "False", reason, message: (error as Error).message },
      ],
      base,
      ["Stalled"],
    );
  }
}

const CACHE_NOTE = "; chart from cache: ";

/**
 * A Ready message that says whether the chart came from the cache because its source
 * could not be read (and no longer says so once it can).
 */
export function withCacheNote(message: string, fromCache: string | undefined): string {
  const at = message.indexOf(CACHE_NOTE);
  const base = at < 0 ? message : message.slice(0, at);
  return fromCache ? `${base}${CACHE_NOTE}${fromCache}` : base;
}

/** The release a HelmRelease made, from its status (or its spec when it has none). */
export function releaseOf(object: KubeObject): { name: string; namespace: string } | undefined {
  const last = ((object.status ?? {}) as HelmReleaseStatus).history?.[0];
  if (last?.name && last.namespace) return { name: last.name, namespace: last.namespace };
  try {
    const spec = readReleaseSpec(object);
    return { name: spec.releaseName, namespace: spec.releaseNamespace };
  } catch {
    return undefined;
  }
}
