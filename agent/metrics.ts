// Prometheus metrics of the agent, kept with prom-client (Prometheus's client library for
// Node): it escapes label values, renders histograms and HELP/TYPE lines, and costs about
// 0.5 MiB of RSS. Its default collectors are left out: they cost 0.7 MiB more and three
// of them (nodejs_active_*_total, gauges) fail `promtool check metrics`; the few process
// series worth having are collected here. Counters restart with the process, as
// Prometheus expects. Two sets of series:
// - tether_*: the loop, units, Git and image automation (names in base units, counters
//   in _total);
// - gotk_*: what Flux's controllers export (gotk_reconcile_condition,
//   gotk_reconcile_duration_seconds, gotk_suspend_status) and what Flux's
//   kube-state-metrics configuration adds (gotk_resource_info), so dashboards and alerts
//   made for Flux read Tether's units and the Flux objects it reconciles unchanged.
//   Which objects and which labels: resources.ts.
// The four classes come from their own modules: prom-client's index also loads its
// default collectors, node:cluster, its push gateway and @opentelemetry/api, none of
// which the agent uses (types: prom-client.d.ts).
import Counter from "prom-client/lib/counter.js";
import Gauge from "prom-client/lib/gauge.js";
import Histogram from "prom-client/lib/histogram.js";
import Registry from "prom-client/lib/registry.js";
import { version } from "../cli/version.ts";
import type { ImageStatus } from "./automation/status.ts";
import { COUNTED } from "./changes.ts";
import type { UnitReport } from "./reconcile.ts";
import {
  imagePolicyResources,
  READY_STATUSES,
  type ResourceState,
  resourceKey,
  UNIT_GROUP,
  UNIT_KIND,
  unitResource,
} from "./resources.ts";

/** Seconds: a unit or Kustomization takes from well under a second to its timeout. */
const DURATION_BUCKETS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

export interface MetricsOptions {
  /** The agent's namespace: where units are recorded, the namespace of their gotk series. */
  namespace?: string;
}

export class Metrics {
  readonly registry = new Registry();
  private readonly namespace: string;
  /** The last state of each object with gotk series (key: resourceKey). */
  private readonly resources = new Map<string, ResourceState>();
  /** The label set of each object's gotk_resource_info (labels change with its state). */
  private readonly infoLabels = new Map<string, Record<string, string>>();
  private readonly policyLabels = new Map<string, Record<string, string>>();
  private suspendedUnits = new Set<string>();

  private readonly passes: Counter<"result">;
  private readonly passDuration: Histogram<string>;
  private readonly unexpected: Counter<string>;
  private readonly lastPassStart: Gauge<string>;
  private readonly sourceStale: Gauge<string>;
  private readonly polls: Counter<"result">;
  private readonly fetches: Counter<string>;
  private readonly unitSyncs: Counter<"unit" | "result">;
  private readonly unitObjects: Counter<"unit" | "action">;
  private readonly unitLastSync: Gauge<"unit">;
  private readonly unitLastSuccess: Gauge<"unit">;
  private readonly unitReady: Gauge<"unit">;
  private readonly imagePolicy: Gauge<"policy" | "latest" | "in_git">;
  private readonly imageLastPush: Gauge<string>;
  private readonly imageRuns: Counter<"result">;
  private readonly alertDeliveries: Counter<"result">;
  private readonly condition: Gauge<"kind" | "name" | "namespace" | "type" | "status">;
  private readonly suspend: Gauge<"kind" | "name" | "namespace">;
  private readonly duration: Histogram<"kind" | "name" | "namespace">;
  private readonly info: Gauge<string>;

  constructor(options: MetricsOptions = {}) {
    this.namespace = options.namespace ?? "tether-system";
    const registers = [this.registry];
    const started = Date.now() / 1000 - process.uptime();

    new Gauge({
      name: "tether_build_info",
      help: "The agent's version (always 1).",
      labelNames: ["version"],
      registers,
    }).set({ version }, 1);
    this.passes = new Counter({
      name: "tether_passes_total",
      help: "Passes of the agent's loop, by result.",
      labelNames: ["result"],
      registers,
    });
    this.passDuration = new Histogram({
      name: "tether_pass_duration_seconds",
      help: "How long a pass of the loop took (fetch, every due unit, the Flux objects).",
      buckets: DURATION_BUCKETS,
      registers,
    });
    this.unexpected = new Counter({
      name: "tether_unexpected_errors_total",
      help: "Errors that are bugs (caught per pass, logged with their stack once).",
      registers,
    });
    this.lastPassStart = new Gauge({
      name: "tether_last_pass_start_timestamp_seconds",
      help: "When the last pass started.",
      registers,
    });
    this.sourceStale = new Gauge({
      name: "tether_source_stale",
      help: "1 while Git cannot be reached and units are kept from the last good state.",
      registers,
    });
    this.polls = new Counter({
      name: "tether_git_polls_total",
      help: "Checks of the remote revision, by result.",
      labelNames: ["result"],
      registers,
    });
    this.fetches = new Counter({
      name: "tether_git_fetches_total",
      help: "Fetches made because the remote revision changed.",
      registers,
    });
    this.unitSyncs = new Counter({
      name: "tether_unit_syncs_total",
      help: "Reconciles of a unit, by result.",
      labelNames: ["unit", "result"],
      registers,
    });
    this.unitObjects = new Counter({
      name: "tether_unit_objects_total",
      help: "Objects handled by a unit's reconciles, by action.",
      labelNames: ["unit", "action"],
      registers,
    });
    this.unitLastSync = new Gauge({
      name: "tether_unit_last_sync_timestamp_seconds",
      help: "When the unit last finished a reconcile.",
      labelNames: ["unit"],
      registers,
    });
    this.unitLastSuccess = new Gauge({
      name: "tether_unit_last_success_timestamp_seconds",
      help: "When the unit last reconciled successfully.",
      labelNames: ["unit"],
      registers,
    });
    this.unitReady = new Gauge({
      name: "tether_unit_ready",
      help: "1 when the unit's last reconcile succeeded.",
      labelNames: ["unit"],
      registers,
    });
    this.imagePolicy = new Gauge({
      name: "tether_image_policy_info",
      help: "Each ImagePolicy's latest tag and the value in Git (1 when selection worked).",
      labelNames: ["policy", "latest", "in_git"],
      registers,
    });
    this.imageLastPush = new Gauge({
      name: "tether_image_last_push_timestamp_seconds",
      help: "When image automation last pushed a commit.",
      registers,
    });
    this.imageRuns = new Counter({
      name: "tether_image_automation_runs_total",
      help: "Runs of image automation, by result (failed: the run or one of its policies).",
      labelNames: ["result"],
      registers,
    });
    this.alertDeliveries = new Counter({
      name: "tether_alert_deliveries_total",
      help: "Alerts and commit statuses by how their delivery ended (sent, failed after retries, dropped by the rate limit).",
      labelNames: ["result"],
      registers,
    });
    this.condition = new Gauge({
      name: "gotk_reconcile_condition",
      help: "The current condition status of a GitOps Toolkit resource reconciliation (Flux compatible).",
      labelNames: ["kind", "name", "namespace", "type", "status"],
      registers,
    });
    this.suspend = new Gauge({
      name: "gotk_suspend_status",
      help: "The current suspend status of a GitOps Toolkit resource (Flux compatible).",
      labelNames: ["kind", "name", "namespace"],
      registers,
    });
    this.duration = new Histogram({
      name: "gotk_reconcile_duration_seconds",
      help: "The duration in seconds of a GitOps Toolkit resource reconciliation (Flux compatible).",
      labelNames: ["kind", "name", "namespace"],
      buckets: DURATION_BUCKETS,
      registers,
    });
    this.info = new Gauge({
      name: "gotk_resource_info",
      help: "The current state of a GitOps Toolkit resource (the labels of Flux's kube-state-metrics configuration).",
      labelNames: [
        "customresource_group",
        "customresource_version",
        "customresource_kind",
        "exported_namespace",
        "name",
        "ready",
        "suspended",
        "revision",
        "source_name",
        "url",
      ],
      registers,
    });
    // The process, read when scraped.
    new Gauge({
      name: "process_resident_memory_bytes",
      help: "Resident memory size in bytes.",
      registers,
      collect() {
        this.set(process.memoryUsage.rss());
      },
    });
    new Gauge({
      name: "nodejs_heap_size_used_bytes",
      help: "V8 heap in use, in bytes.",
      registers,
      collect() {
        this.set(process.memoryUsage().heapUsed);
      },
    });
    new Counter({
      name: "process_cpu_seconds_total",
      help: "User and system CPU time spent in seconds.",
      registers,
      collect() {
        const cpu = process.cpuUsage();
        this.reset();
        this.inc((cpu.user + cpu.system) / 1e6);
      },
    });
    new Gauge({
      name: "process_start_time_seconds",
      help: "Start time of the process since the Unix epoch in seconds.",
      registers,
    }).set(Math.round(started));

    // Every result of a counter is there from the start, so rate() and increase() see
    // the first failure as a change from 0.
    for (const result of ["ok", "failed"]) {
      this.passes.inc({ result }, 0);
      this.imageRuns.inc({ result }, 0);
    }
    for (const result of ["ok", "error"]) this.polls.inc({ result }, 0);
    for (const result of ["sent", "failed", "dropped"]) this.alertDeliveries.inc({ result }, 0);
    this.unexpected.inc(0);
    this.fetches.inc(0);
    this.lastPassStart.set(0);
    this.sourceStale.set(0);
    this.imageLastPush.set(0);
  }

  /** The exposition, text format 0.0.4. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** A pass of the loop started (the liveness watchdog's clock). */
  recordPassStart(): void {
    this.lastPassStart.set(Date.now() / 1000);
  }

  recordPass(ok: boolean, seconds?: number): void {
    this.passes.inc({ result: ok ? "ok" : "failed" });
    if (seconds !== undefined) this.passDuration.observe(seconds);
  }

  /** An error that is a bug, not bad input or an unreachable server. */
  recordUnexpected(): void {
    this.unexpected.inc();
  }

  /** 1 while units are applied from the last good state because Git cannot be reached. */
  recordSourceStale(stale: boolean): void {
    this.sourceStale.set(stale ? 1 : 0);
  }

  recordPoll(result: "ok" | "error", fetched: boolean): void {
    this.polls.inc({ result });
    if (fetched) this.fetches.inc();
  }

  private unitCounters(unit: string): void {
    // A new unit's series start at 0 (both results, every action).
    for (const result of ["ok", "failed"]) this.unitSyncs.inc({ unit, result }, 0);
    for (const action of COUNTED) this.unitObjects.inc({ unit, action }, 0);
  }

  /** A unit that failed without a report of its own (a failed pass before reconcile). */
  recordUnitFailed(unit: string): void {
    this.unitCounters(unit);
    this.unitSyncs.inc({ unit, result: "failed" });
    this.unitLastSync.set({ unit }, Date.now() / 1000);
    this.unitLastSuccess.inc({ unit }, 0);
    this.unitReady.set({ unit }, 0);
    const previous = this.resources.get(resourceKey(unitResource(unit, this.namespace)));
    this.recordResources([
      { ...unitResource(unit, this.namespace), ready: "False", revision: previous?.revision },
    ]);
  }

  recordUnit(report: UnitReport): void {
    const unit = report.unit;
    const now = Date.now() / 1000;
    this.unitCounters(unit);
    this.unitSyncs.inc({ unit, result: report.ok ? "ok" : "failed" });
    for (const action of COUNTED)
      this.unitObjects.inc({ unit, action }, report.status.counts[action]);
    this.unitLastSync.set({ unit }, now);
    if (report.ok) this.unitLastSuccess.set({ unit }, now);
    else this.unitLastSuccess.inc({ unit }, 0);
    this.unitReady.set({ unit }, report.ok ? 1 : 0);
  }

  /** Units suspended with `tether suspend` (their gotk series say suspended). */
  recordSuspended(units: ReadonlySet<string>): void {
    const changed = [...units, ...this.suspendedUnits].filter(
      (u) => units.has(u) !== this.suspendedUnits.has(u),
    );
    this.suspendedUnits = new Set(units);
    this.recordResources(
      changed.flatMap((unit) => {
        const state = this.resources.get(resourceKey(unitResource(unit, this.namespace)));
        return state ? [{ ...state, seconds: undefined }] : [];
      }),
    );
  }

  /**
   * The state of objects after they were reconciled (or pruned: `Deleted`): their
   * condition, suspend and info series, and the reconcile's duration when measured.
   */
  recordResources(states: readonly ResourceState[]): void {
    for (const s of states) {
      const key = resourceKey(s);
      const suspended =
        s.kind === UNIT_KIND && s.group === UNIT_GROUP
          ? this.suspendedUnits.has(s.name)
          : (s.suspended ?? false);
      const state = { ...s, suspended };
      const id = { kind: s.kind, name: s.name, namespace: s.namespace };
      for (const status of READY_STATUSES)
        this.condition.set({ ...id, type: "Ready", status }, status === s.ready ? 1 : 0);
      this.suspend.set(id, suspended ? 1 : 0);
      if (s.seconds !== undefined) this.duration.observe(id, s.seconds);
      const old = this.infoLabels.get(key);
      if (old) this.info.remove(old);
      if (s.ready === "Deleted") {
        // kube-state-metrics drops a deleted object's series; the condition says Deleted.
        this.infoLabels.delete(key);
        this.resources.delete(key);
        continue;
      }
      const labels: Record<string, string> = {
        customresource_group: s.group,
        ...(s.version ? { customresource_version: s.version } : {}),
        customresource_kind: s.kind,
        exported_namespace: s.namespace,
        name: s.name,
        ready: s.ready,
        suspended: String(suspended),
        ...(s.revision ? { revision: s.revision } : {}),
        ...s.labels,
      };
      this.info.set(labels, 1);
      this.infoLabels.set(key, labels);
      this.resources.set(key, state);
    }
  }

  /** Each policy's latest tag and the value in Git; the last push. */
  recordImages(status: ImageStatus): void {
    for (const p of status.policies) {
      const old = this.policyLabels.get(p.policy);
      if (old) this.imagePolicy.remove(old);
      const labels = { policy: p.policy, latest: p.latest, in_git: p.inGit };
      this.imagePolicy.set(labels, p.error ? 0 : 1);
      this.policyLabels.set(p.policy, labels);
    }
    if (status.lastPush) this.imageLastPush.set(Date.parse(status.lastPush) / 1000);
    this.recordResources(imagePolicyResources(status, this.namespace));
  }

  /** An alert or commit status was sent, failed after its retries, or was dropped. */
  recordAlertDelivery(result: "sent" | "failed" | "dropped"): void {
    this.alertDeliveries.inc({ result });
  }

  /** A run of image automation ended; failed when it threw or a policy failed. */
  recordImageRun(ok: boolean): void {
    this.imageRuns.inc({ result: ok ? "ok" : "failed" });
  }
}
