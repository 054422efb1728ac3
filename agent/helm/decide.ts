// What to do with one release, decided from facts only: the spec, the chart and
// values digests wanted, what Helm has stored (one `helm list` per pass), what the
// HelmRelease's status says was done before and what `flux reconcile helmrelease
// --force/--reset` asked for. Pure, so every branch is a table test.
import { REQUESTED_AT_ANNOTATION } from "../flux/kinds.ts";
import type { ListedRelease } from "./cli.ts";
import type { ReleaseSpec } from "./spec.ts";

/** What the agent remembers in HelmRelease.status (Flux's field names). */
/** One release Tether made (Flux's snapshot fields, plus the chart package's digest). */
export interface Snapshot {
  name?: string | undefined;
  namespace?: string | undefined;
  version?: number | undefined;
  chartName?: string | undefined;
  chartVersion?: string | undefined;
  appVersion?: string | undefined;
  configDigest?: string | undefined;
  /**
   * The chart artifact's digest. Flux fills it for OCI charts only; Tether for every
   * chart, so a chart whose content changed under the same version is seen (and the
   * field survives the API server's pruning of unknown status fields).
   */
  ociDigest?: string | undefined;
  status?: string | undefined;
  digest?: string | undefined;
  firstDeployed?: string | undefined;
  lastDeployed?: string | undefined;
}

/** What the agent remembers in HelmRelease.status (Flux's field names). */
export interface PreviousStatus {
  /** Newest first: the releases Tether made. */
  history?: Snapshot[] | undefined;
  lastAttemptedGeneration?: number | undefined;
  lastAttemptedConfigDigest?: string | undefined;
  lastAttemptedRevisionDigest?: string | undefined;
  observedPostRenderersDigest?: string | undefined;
  /** Flux's digest of spec.commonMetadata; null in a status write removes it (merge patch). */
  observedCommonMetadataDigest?: string | null | undefined;
  installFailures?: number | undefined;
  upgradeFailures?: number | undefined;
  /** The requestedAt token of the last pass over this HelmRelease. */
  lastHandledReconcileAt?: string | undefined;
  lastHandledForceAt?: string | undefined;
  lastHandledResetAt?: string | undefined;
}

/** `flux reconcile helmrelease NAME --force`: one install or upgrade, whatever the state. */
export const FORCE_AT_ANNOTATION = "reconcile.fluxcd.io/forceAt";
/** `flux reconcile helmrelease NAME --reset`: the failure counters start again from zero. */
export const RESET_AT_ANNOTATION = "reconcile.fluxcd.io/resetAt";

/** What the annotations ask of this pass, and the status fields that record it. */
export interface Requests {
  force: boolean;
  reset: boolean;
  /** Written with the status of a pass that reached the release decision. */
  handled: { lastHandledForceAt?: string; lastHandledResetAt?: string };
}

/**
 * helm-controller's rule (fluxcd/pkg meta.HandleAnnotationRequest): a forceAt or resetAt
 * token is a request when it equals requestedAt (the flux CLI writes one token to
 * both), neither it nor that requestedAt was handled before. Whether or not it counts,
 * the token is recorded as handled, so each is acted on once at most.
 */
export function requestsOf(
  annotations: Readonly<Record<string, string>> | undefined,
  prev: PreviousStatus,
): Requests {
  const requestedAt = annotations?.[REQUESTED_AT_ANNOTATION];
  const asks = (token: string | undefined, lastHandled: string | undefined) =>
    token !== undefined &&
    token === requestedAt &&
    prev.lastHandledReconcileAt !== requestedAt &&
    lastHandled !== token;
  const forceAt = annotations?.[FORCE_AT_ANNOTATION];
  const resetAt = annotations?.[RESET_AT_ANNOTATION];
  return {
    force: asks(forceAt, prev.lastHandledForceAt),
    reset: asks(resetAt, prev.lastHandledResetAt),
    handled: {
      ...(forceAt !== undefined ? { lastHandledForceAt: forceAt } : {}),
      ...(resetAt !== undefined ? { lastHandledResetAt: resetAt } : {}),
    },
  };
}

export interface Desired {
  chartDigest: string;
  /**
   * A digest that names the same chart (a Git chart's content digest, which Tether
   * recorded before it served reconcileStrategy): a release made with it is current and
   * failures counted for it still count, until chartIdentityUpdate's fields are written.
   */
  earlierChartDigest?: string | undefined;
  configDigest: string;
  postRenderersDigest: string;
  /** Empty when the HelmRelease has no commonMetadata. */
  commonMetadataDigest?: string | undefined;
}

export type Decision =
  /** Nothing to do: Helm has the release Tether made with this chart and these values. */
  | { action: "none" }
  /** `forced`: only the forceAt request makes this release (stalled, waiting or in sync). */
  | { action: "install"; reason: string; forced?: true }
  | { action: "upgrade"; reason: string; forced?: true }
  /** A crash left the release pending: unlock it first, then go on with `next`. */
  | { action: "recover"; from: string; next: "install" | "upgrade" }
  /** The release moved (name or namespace changed): remove the old one, then install. */
  | { action: "replace"; old: { name: string; namespace: string } }
  /** Failures exceeded the retries for this desired state: wait for a change. */
  | { action: "stalled"; message: string }
  /** RetryOnFailure: the failed attempt is younger than retryInterval; try again later. */
  | { action: "wait"; message: string };

/**
 * A time as Helm prints it: `helm list`'s `2026-12-01 03:02:57.639074427 +0000 UTC`
 * or `helm status`'s RFC 3339; milliseconds since the epoch, undefined when unreadable.
 */
export function helmTime(text: string | undefined): number | undefined {
  const m = /^(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d:\d\d)(\.\d+)?\s*(Z|[+-]\d\d:?\d\d)?/.exec(text ?? "");
  if (!m) return undefined;
  const offset = (m[4] ?? "Z").replace(/^([+-]\d\d)(\d\d)$/, "$1:$2");
  const time = Date.parse(`${m[1]}T${m[2]}${(m[3] ?? "").slice(0, 4)}${offset}`);
  return Number.isNaN(time) ? undefined : time;
}

export function findRelease(
  releases: readonly ListedRelease[],
  name: string,
  namespace: string,
): ListedRelease | undefined {
  return releases.find((r) => r.name === name && r.namespace === namespace);
}

/** Whether `digest`, recorded in the status, names the chart wanted (by either digest). */
function namesChart(digest: string | undefined, desired: Desired): boolean {
  return (
    digest !== undefined &&
    (digest === desired.chartDigest || digest === desired.earlierChartDigest)
  );
}

/** Whether the wanted state is the one the failure counters were counted for. */
function sameAttempt(spec: ReleaseSpec, desired: Desired, prev: PreviousStatus): boolean {
  return (
    prev.lastAttemptedGeneration === spec.generation &&
    prev.lastAttemptedConfigDigest === desired.configDigest &&
    namesChart(prev.lastAttemptedRevisionDigest, desired)
  );
}

/**
 * The status fields that name the wanted chart by its earlier digest (a Git chart's
 * content digest, recorded before Tether served reconcileStrategy), with its identity
 * instead; undefined when none does. Written on the pass that matches through the
 * earlier digest, so later passes compare with the identity alone: an edit of the chart
 * folder without a version bump changes the content digest, never the identity. Pure.
 */
export function chartIdentityUpdate(
  desired: Desired,
  prev: PreviousStatus,
): Pick<PreviousStatus, "history" | "lastAttemptedRevisionDigest"> | undefined {
  const earlier = desired.earlierChartDigest;
  if (earlier === undefined || earlier === desired.chartDigest) return undefined;
  const history = prev.history ?? [];
  const renamed = history.some((h) => h.ociDigest === earlier);
  const attempted = prev.lastAttemptedRevisionDigest === earlier;
  if (!renamed && !attempted) return undefined;
  return {
    ...(renamed
      ? {
          history: history.map((h) =>
            h.ociDigest === earlier ? { ...h, ociDigest: desired.chartDigest } : h,
          ),
        }
      : {}),
    ...(attempted ? { lastAttemptedRevisionDigest: desired.chartDigest } : {}),
  };
}

/** Failures to count against the retries: zero once the desired state changed or on a reset. */
export function failuresFor(
  spec: ReleaseSpec,
  desired: Desired,
  prev: PreviousStatus,
  reset = false,
) {
  const same = sameAttempt(spec, desired, prev) && !reset;
  return {
    install: same ? (prev.installFailures ?? 0) : 0,
    upgrade: same ? (prev.upgradeFailures ?? 0) : 0,
  };
}

/**
 * A release whose install failed and that this HelmRelease never deployed: the next
 * attempt is a Helm upgrade (Helm upgrades a failed release in place), but it is still
 * the install being retried, so the install's retries and strategy apply, as in Flux.
 */
export function retryingInstall(current: ListedRelease | undefined, prev: PreviousStatus): boolean {
  return current?.status === "failed" && !(prev.history ?? []).some((h) => h.status === "deployed");
}

/** The stall's message: what ran out, and the two ways to try again. */
function stalledMessage(spec: ReleaseSpec, verb: "install" | "upgrade", count: number): string {
  const retries = verb === "install" ? spec.install.retries : spec.upgrade.retries;
  return `${verb} retries exhausted (${count} failure(s), retries ${retries}): change the HelmRelease, or run \`flux reconcile helmrelease ${spec.name} -n ${spec.namespace} --reset\` (or --force for one attempt), to try again`;
}

/**
 * After a failed install or upgrade counted as failure `count`: the stall message when
 * that used up the retries (helm-controller marks Stalled in the same reconcile), none
 * with RetryOnFailure or when an upgrade was remediated by uninstalling (the next pass
 * installs, as helm-controller does since v1.5.0, Flux 2.8).
 */
export function stallAfterFailure(
  spec: ReleaseSpec,
  verb: "install" | "upgrade",
  count: number,
): string | undefined {
  const policy = verb === "install" ? spec.install : spec.upgrade;
  if (policy.retryOnFailure || count <= policy.retries) return undefined;
  const uninstalled =
    verb === "upgrade" && spec.upgrade.strategy === "uninstall" && policy.remediateLastFailure;
  return uninstalled ? undefined : stalledMessage(spec, verb, count);
}

const FORCED = `forced through ${FORCE_AT_ANNOTATION}`;

export function decide(
  spec: ReleaseSpec,
  desired: Desired,
  current: ListedRelease | undefined,
  prev: PreviousStatus,
  now: number = Date.now(),
  requests: { force?: boolean; reset?: boolean } = {},
): Decision {
  const last = prev.history?.[0];
  if (
    last?.name &&
    last.namespace &&
    (last.name !== spec.releaseName || last.namespace !== spec.releaseNamespace) &&
    last.status !== "uninstalled"
  ) {
    return { action: "replace", old: { name: last.name, namespace: last.namespace } };
  }
  const failures = failuresFor(spec, desired, prev, requests.reset);
  const force = requests.force === true;
  if (!current || current.status === "uninstalled") {
    if (failures.install > spec.install.retries && !spec.install.retryOnFailure) {
      if (force) return { action: "install", reason: FORCED, forced: true };
      return { action: "stalled", message: stalledMessage(spec, "install", failures.install) };
    }
    return {
      action: "install",
      reason: last ? "the release is missing from Helm's storage" : "no release yet",
    };
  }
  // The most reported helm-controller failure: a crash mid-operation leaves the release
  // locked ("another operation is in progress"). Nothing else runs Helm here, so a
  // pending release is stale by definition and is unlocked.
  if (current.status === "pending-install")
    return { action: "recover", from: current.status, next: "install" };
  if (current.status === "pending-upgrade" || current.status === "pending-rollback")
    return { action: "recover", from: current.status, next: "upgrade" };
  const installing = retryingInstall(current, prev);
  const verb = installing ? "install" : "upgrade";
  const policy = installing ? spec.install : spec.upgrade;
  const count = installing ? failures.install : failures.upgrade;
  if (count > policy.retries && !policy.retryOnFailure) {
    // helm-controller upgrades a failed or out-of-sync release out of retries when forced.
    if (force) return { action: "upgrade", reason: FORCED, forced: true };
    return { action: "stalled", message: stalledMessage(spec, verb, count) };
  }
  // RetryOnFailure: the failed release Helm stored is this desired state's last attempt
  // (counted as a failure); its time is when the attempt was made.
  const failedAt = current.status === "failed" && count > 0 ? helmTime(current.updated) : undefined;
  if (policy.retryOnFailure && failedAt !== undefined && now < failedAt + policy.retryIntervalMs) {
    if (force) return { action: "upgrade", reason: FORCED, forced: true };
    const next = new Date(failedAt + policy.retryIntervalMs).toISOString();
    return {
      action: "wait",
      message: `RetryOnFailure: the failed ${verb} is tried again after ${next} (retryInterval ${Math.round(policy.retryIntervalMs / 1000)}s)`,
    };
  }
  if (current.status !== "deployed")
    return { action: "upgrade", reason: `the release is ${current.status}` };
  const ours = last && String(last.version) === String(current.revision);
  if (!ours)
    return {
      action: "upgrade",
      reason: "the release in Helm's storage was not made by this HelmRelease's last sync",
    };
  if (!namesChart(last.ociDigest, desired))
    return { action: "upgrade", reason: "the chart changed" };
  if (last.configDigest !== desired.configDigest)
    return { action: "upgrade", reason: "the values changed" };
  if ((prev.observedPostRenderersDigest ?? "") !== desired.postRenderersDigest)
    return { action: "upgrade", reason: "the post-renderers changed" };
  if ((prev.observedCommonMetadataDigest ?? "") !== (desired.commonMetadataDigest ?? ""))
    return { action: "upgrade", reason: "the common metadata changed" };
  // In sync: only a force request makes a release (an upgrade to the same chart and values).
  if (force) return { action: "upgrade", reason: FORCED, forced: true };
  return { action: "none" };
}
