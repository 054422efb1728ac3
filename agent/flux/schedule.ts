// When each Flux Kustomization is reconciled in the long-running agent, as
// kustomize-controller schedules it: `interval` after success, `retryInterval` (default:
// the interval) after a failure, 30 s while a dependency is not ready, and at once when
// its spec changed (generation), its source moved to a new revision, or
// `reconcile.fluxcd.io/requestedAt` holds a value not handled yet (`flux reconcile`).
//
// requestedAt and spec edits are seen by a short poll: one LIST of Kustomizations every
// few seconds, not a watch. A watch is one more long-lived connection to keep alive
// across the edge's network drops (re-list, resourceVersion bookkeeping) for objects
// that change a few times a day; a poll is one request, holds nothing between ticks,
// and answers `flux reconcile` within the poll period, which is what a person waits for.
//
// Only Kustomizations a pass can reach are kept: an entry that no pass reconciles (its
// Kustomization removed, or under a unit that applied nothing) would stay due and start
// a pass at once, again and again; `keepOnly` forgets them. A suspended Kustomization is
// kept, but its time does not wake the loop: resuming it edits its spec, which the poll sees.
// `tether sync --once` has no schedule: every Kustomization is reconciled.
//
// `flux reconcile helmrelease` (requestedAt, with --force/--reset) is answered the same
// way: a HelmRelease is reconciled in the pass of the Kustomization that applied it, so
// when the poll finds a HelmRelease's requestedAt changed, that Kustomization is due.
// Only while some Kustomization's inventory holds HelmReleases, and by their metadata
// only: one small LIST more per poll, none for repositories without them.
//
// Lists are cluster-wide, one request each; an agent whose rights stop at namespaces (a
// tenant's Role) is refused them, and then lists each namespace it reconciles instead.
import type { ListOptions } from "../../shared/kube/api.ts";
import type { KubeClient } from "../../shared/kube/client.ts";
import { KubeApiError } from "../../shared/kube/errors.ts";
import { type KubeObject, refOf } from "../../shared/manifests/object.ts";
import {
  HELM_GROUP,
  KUSTOMIZATION_API,
  nsName,
  parseFluxDuration,
  REQUESTED_AT_ANNOTATION,
} from "./kinds.ts";
import { inventoryOf } from "./status.ts";

/** kustomize-controller's default `--requeue-dependency`. */
export const REQUEUE_DEPENDENCY_MS = 30_000;
/** How often the agent lists Kustomizations for requestedAt and spec edits. */
export const DEFAULT_FLUX_POLL_MS = 5_000;
const DEFAULT_INTERVAL_MS = 600_000;

interface Entry {
  next: number;
  /** What the last reconcile saw, so a change is due at once. */
  generation: number | undefined;
  requestedAt: string | undefined;
  /** Suspended when last seen: nothing to do at `next`, so it starts no pass. */
  suspended: boolean;
}

export type ScheduleOutcome = "ready" | "failed" | "dependency" | "suspended";

/** Why a Kustomization is due now, or undefined when it is not. Pure. */
export function dueReason(
  ks: KubeObject,
  entry: Omit<Entry, "suspended"> | undefined,
  now: number,
  sourceRevision?: string,
): string | undefined {
  if (!entry) return "first reconcile";
  const status = (ks.status ?? {}) as {
    observedGeneration?: number;
    lastAttemptedRevision?: string;
  };
  const generation = ks.metadata.generation as number | undefined;
  if (generation !== entry.generation || generation !== status.observedGeneration)
    return "spec changed";
  const requestedAt = ks.metadata.annotations?.[REQUESTED_AT_ANNOTATION];
  if (requestedAt && requestedAt !== entry.requestedAt) return "reconcile requested";
  if (sourceRevision && sourceRevision !== status.lastAttemptedRevision) return "new revision";
  return now >= entry.next ? "interval" : undefined;
}

/**
 * The delay before the next reconcile after `outcome`. After success, the shortest
 * `interval` of the HelmReleases it applied counts too (`helmIntervalMs`): they are
 * reconciled in its pass, so chart versions in a range and drift are looked at on their
 * own interval, as helm-controller would. Pure.
 */
export function nextDelayFor(
  ks: KubeObject,
  outcome: ScheduleOutcome,
  helmIntervalMs?: number,
): number {
  const spec = (ks.spec ?? {}) as { interval?: string; retryInterval?: string };
  const interval = parseFluxDuration(spec.interval, DEFAULT_INTERVAL_MS);
  if (outcome === "suspended") return interval;
  // Not below the poll period: a pass re-applies the whole Kustomization.
  const helm = Math.max(helmIntervalMs ?? interval, DEFAULT_FLUX_POLL_MS);
  if (outcome === "ready") return Math.min(interval, helm);
  const retry = parseFluxDuration(spec.retryInterval, interval);
  return outcome === "dependency" ? Math.min(retry, REQUEUE_DEPENDENCY_MS) : retry;
}

/**
 * The Kustomization (namespace/name) whose inventory holds each HelmRelease
 * (namespace/name). Pure.
 */
export function helmReleaseOwners(kustomizations: readonly KubeObject[]): Map<string, string> {
  const owners = new Map<string, string>();
  for (const ks of kustomizations)
    for (const entry of inventoryOf(ks)) {
      const [namespace = "", name = "", group = "", kind = ""] = entry.id.split("_");
      if (group === HELM_GROUP && kind === "HelmRelease")
        owners.set(`${namespace}/${name}`, nsName(ks));
    }
  return owners;
}

export class FluxSchedule {
  private readonly entries = new Map<string, Entry>();
  /** Each HelmRelease's requestedAt when the poll last saw it. */
  private helmRequests = new Map<string, string | undefined>();
  /** Kinds whose cluster-wide list was refused: listed per namespace instead. */
  private readonly namespaced = new Set<string>();
  /** Whether HelmReleases were listed whole once (the first poll compares with status). */
  private helmPolled = false;
  /** Kustomizations due because a HelmRelease they applied was asked for. */
  private readonly askedByRelease = new Set<string>();
  private nextPoll = 0;
  private requested = false;
  private readonly pollMs: number;

  constructor(pollMs = DEFAULT_FLUX_POLL_MS) {
    this.pollMs = pollMs;
  }

  /** Whether the agent has Flux Kustomizations to keep on schedule. */
  get active(): boolean {
    return this.entries.size > 0;
  }

  due(ks: KubeObject, now: number, sourceRevision?: string): string | undefined {
    const reason = dueReason(ks, this.entries.get(nsName(ks)), now, sourceRevision);
    if (reason) return reason;
    return this.askedByRelease.has(nsName(ks))
      ? "a HelmRelease it applied was asked for"
      : undefined;
  }

  record(
    ks: KubeObject,
    outcome: ScheduleOutcome,
    now = Date.now(),
    helmIntervalMs?: number,
  ): void {
    this.askedByRelease.delete(nsName(ks));
    this.entries.set(nsName(ks), {
      next: now + nextDelayFor(ks, outcome, helmIntervalMs),
      generation: ks.metadata.generation as number | undefined,
      requestedAt: ks.metadata.annotations?.[REQUESTED_AT_ANNOTATION],
      suspended: outcome === "suspended",
    });
  }

  /**
   * Forgets every Kustomization but `keys` (namespace/name), after a pass that walked all
   * a pass can reach: one seen again later is reconciled as a first time.
   */
  keepOnly(keys: ReadonlySet<string>): void {
    for (const key of this.entries.keys()) if (!keys.has(key)) this.entries.delete(key);
  }

  /** When each Kustomization that is not suspended is due next. */
  private dueTimes(): number[] {
    return [...this.entries.values()].filter((e) => !e.suspended).map((e) => e.next);
  }

  /** When the next Kustomization is due, or the next poll (whichever is first). */
  nextWake(): number {
    if (!this.active) return Number.POSITIVE_INFINITY;
    return Math.min(this.nextPoll, ...this.dueTimes());
  }

  /**
   * Whether a pass is needed now: a Kustomization's time came, or (polled at most every
   * pollMs) one has an unhandled requestedAt or an edited spec.
   */
  async needsPass(client: KubeClient, now = Date.now()): Promise<boolean> {
    if (!this.active) return false;
    if (this.requested || this.dueTimes().some((next) => now >= next)) return true;
    if (now < this.nextPoll) return false;
    this.nextPoll = now + this.pollMs;
    const namespaces = new Set([...this.entries.keys()].map((key) => key.split("/")[0] ?? ""));
    const live = await this.list(client, KUSTOMIZATION_API, "Kustomization", namespaces).catch(
      () => [],
    );
    this.requested = live.some((ks) => {
      const entry = this.entries.get(nsName(ks));
      if (!entry || (ks.spec as { suspend?: boolean } | undefined)?.suspend) return false;
      const reason = dueReason(ks, entry, now);
      return reason === "spec changed" || reason === "reconcile requested";
    });
    if (await this.pollHelmReleases(client, live)) this.requested = true;
    return this.requested;
  }

  /**
   * Whether a HelmRelease's requestedAt is not handled yet; its Kustomization is then due
   * (unless suspended: its pass would not reach the HelmRelease). Between polls a change
   * of the annotation is the request; a HelmRelease not seen before (the first poll
   * after start, or a new one) is compared with its status' lastHandledReconcileAt, as
   * helm-controller does: the first poll lists whole objects, later ones metadata only.
   */
  private async pollHelmReleases(client: KubeClient, live: KubeObject[]): Promise<boolean> {
    const owners = helmReleaseOwners(live);
    if (owners.size === 0) return false;
    const first = !this.helmPolled;
    const namespaces = new Set([...owners.keys()].map((key) => key.split("/")[0] ?? ""));
    const releases = await this.list(
      client,
      `${HELM_GROUP}/v2`,
      "HelmRelease",
      namespaces,
      first ? {} : { metadataOnly: true },
    ).catch(() => undefined);
    if (!releases) return false;
    this.helmPolled = true;
    const handledOf = (o: KubeObject | undefined) =>
      (o?.status as { lastHandledReconcileAt?: string } | undefined)?.lastHandledReconcileAt;
    let asked = false;
    const previous = this.helmRequests;
    // Rebuilt each poll: a HelmRelease that is gone is forgotten.
    this.helmRequests = new Map();
    for (const release of releases) {
      const key = nsName(release);
      const token = release.metadata.annotations?.[REQUESTED_AT_ANNOTATION];
      this.helmRequests.set(key, token);
      const owner = owners.get(key);
      const entry = owner ? this.entries.get(owner) : undefined;
      if (token === undefined || !owner || !entry || entry.suspended) continue;
      const handled = previous.has(key)
        ? previous.get(key)
        : first
          ? handledOf(release)
          : handledOf(await client.get(refOf(release)).catch(() => undefined));
      if (token === handled) continue;
      this.askedByRelease.add(owner);
      asked = true;
    }
    return asked;
  }

  /**
   * One cluster-wide list of `kind`, or one per namespace once the cluster-wide one was
   * refused: what the namespaces that answer hold (one that refuses does not hide the
   * others).
   */
  private async list(
    client: KubeClient,
    apiVersion: string,
    kind: string,
    namespaces: ReadonlySet<string>,
    options: ListOptions = {},
  ): Promise<KubeObject[]> {
    if (!this.namespaced.has(kind)) {
      try {
        return await client.list(apiVersion, kind, options);
      } catch (error) {
        if (!(error instanceof KubeApiError && error.status === 403)) throw error;
        this.namespaced.add(kind);
      }
    }
    const lists = await Promise.allSettled(
      [...namespaces].map((namespace) => client.list(apiVersion, kind, { ...options, namespace })),
    );
    return lists.flatMap((list) => (list.status === "fulfilled" ? list.value : []));
  }

  /** A pass started: what the poll found is being handled. */
  passStarted(): void {
    this.requested = false;
  }
}
