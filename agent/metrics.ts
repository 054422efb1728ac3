// Prometheus metrics of the agent, rendered in the text exposition format. Kept in
// memory; the agent is one process and counters restart with it, as Prometheus expects.
import type { ImageStatus } from "./automation/status.ts";
import { type ChangeCounts, COUNTED, emptyCounts } from "./changes.ts";
import type { UnitReport } from "./reconcile.ts";

interface UnitMetrics {
  syncs: { ok: number; failed: number };
  counts: ChangeCounts;
  lastSync: number;
  lastSuccess: number;
  healthy: number;
}

/**
 * A label value as the exposition format escapes it: unit and policy names come from
 * Git, and a quote or newline in one must not end the label or forge a line.
 */
export function label(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

export class Metrics {
  private readonly units = new Map<string, UnitMetrics>();
  private polls = { ok: 0, error: 0 };
  private fetches = 0;
  private readonly images = new Map<string, { latest: string; inGit: string; ok: number }>();
  private lastImagePush = 0;
  private passes = { ok: 0, failed: 0 };
  private unexpected = 0;
  private sourceStale = 0;
  private lastPassStart = 0;

  /** A pass of the loop started (the liveness watchdog's clock). */
  recordPassStart(): void {
    this.lastPassStart = Date.now() / 1000;
  }

  recordPass(ok: boolean): void {
    this.passes[ok ? "ok" : "failed"]++;
  }

  /** An error that is a bug, not bad input or an unreachable server. */
  recordUnexpected(): void {
    this.unexpected++;
  }

  /** 1 while units are applied from the last good state because Git cannot be reached. */
  recordSourceStale(stale: boolean): void {
    this.sourceStale = stale ? 1 : 0;
  }

  /** A unit that failed without a report of its own (a failed pass before reconcile). */
  recordUnitFailed(unit: string): void {
    const m = this.unit(unit);
    m.syncs.failed++;
    m.lastSync = Date.now() / 1000;
    m.healthy = 0;
  }

  private unit(name: string): UnitMetrics {
    let m = this.units.get(name);
    if (!m) {
      m = {
        syncs: { ok: 0, failed: 0 },
        counts: emptyCounts(),
        lastSync: 0,
        lastSuccess: 0,
        healthy: 0,
      };
      this.units.set(name, m);
    }
    return m;
  }

  recordUnit(report: UnitReport): void {
    const now = Date.now() / 1000;
    const m = this.unit(report.unit);
    if (report.ok) m.syncs.ok++;
    else m.syncs.failed++;
    for (const action of COUNTED) m.counts[action] += report.status.counts[action];
    m.lastSync = now;
    if (report.ok) m.lastSuccess = now;
    m.healthy = report.ok ? 1 : 0;
  }

  /** Each policy's latest tag and the value in Git; the last push. */
  recordImages(status: ImageStatus): void {
    for (const p of status.policies)
      this.images.set(p.policy, { latest: p.latest, inGit: p.inGit, ok: p.error ? 0 : 1 });
    if (status.lastPush) this.lastImagePush = Date.parse(status.lastPush) / 1000;
  }

  recordPoll(result: "ok" | "error", fetched: boolean): void {
    this.polls[result]++;
    if (fetched) this.fetches++;
  }

  render(): string {
    const lines: string[] = [];
    const family = (name: string, type: string, help: string) =>
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    family("tether_passes_total", "counter", "Passes of the agent's loop, by result.");
    lines.push(
      `tether_passes_total{result="ok"} ${this.passes.ok}`,
      `tether_passes_total{result="failed"} ${this.passes.failed}`,
    );
    family(
      "tether_unexpected_errors_total",
      "counter",
      "Errors that are bugs (caught per pass, logged with their stack once).",
    );
    lines.push(`tether_unexpected_errors_total ${this.unexpected}`);
    family("tether_last_pass_start_timestamp_seconds", "gauge", "When the last pass started.");
    lines.push(`tether_last_pass_start_timestamp_seconds ${this.lastPassStart}`);
    family(
      "tether_source_stale",
      "gauge",
      "1 while Git cannot be reached and units are kept from the last good state.",
    );
    lines.push(`tether_source_stale ${this.sourceStale}`);
    family("tether_git_polls_total", "counter", "Checks of the remote revision, by result.");
    lines.push(
      `tether_git_polls_total{result="ok"} ${this.polls.ok}`,
      `tether_git_polls_total{result="error"} ${this.polls.error}`,
    );
    family(
      "tether_git_fetches_total",
      "counter",
      "Fetches made because the remote revision changed.",
    );
    lines.push(`tether_git_fetches_total ${this.fetches}`);
    family("tether_unit_syncs_total", "counter", "Reconciles of a unit, by result.");
    for (const [unit, m] of this.units) {
      lines.push(`tether_unit_syncs_total{unit="${label(unit)}",result="ok"} ${m.syncs.ok}`);
      lines.push(
        `tether_unit_syncs_total{unit="${label(unit)}",result="failed"} ${m.syncs.failed}`,
      );
    }
    family(
      "tether_unit_objects_total",
      "counter",
      "Objects handled by a unit's reconciles, by action.",
    );
    for (const [unit, m] of this.units) {
      for (const action of COUNTED)
        lines.push(
          `tether_unit_objects_total{unit="${label(unit)}",action="${action}"} ${m.counts[action]}`,
        );
    }
    family(
      "tether_unit_last_sync_timestamp_seconds",
      "gauge",
      "When the unit last finished a reconcile.",
    );
    for (const [unit, m] of this.units)
      lines.push(`tether_unit_last_sync_timestamp_seconds{unit="${label(unit)}"} ${m.lastSync}`);
    family(
      "tether_unit_last_success_timestamp_seconds",
      "gauge",
      "When the unit last reconciled successfully.",
    );
    for (const [unit, m] of this.units)
      lines.push(
        `tether_unit_last_success_timestamp_seconds{unit="${label(unit)}"} ${m.lastSuccess}`,
      );
    family("tether_unit_ready", "gauge", "1 when the unit's last reconcile succeeded.");
    for (const [unit, m] of this.units)
      lines.push(`tether_unit_ready{unit="${label(unit)}"} ${m.healthy}`);
    family(
      "tether_image_policy_info",
      "gauge",
      "Each ImagePolicy's latest tag and the value in Git (1 when selection worked).",
    );
    for (const [policy, m] of this.images) {
      lines.push(
        `tether_image_policy_info{policy="${label(policy)}",latest="${label(m.latest)}",in_git="${label(m.inGit)}"} ${m.ok}`,
      );
    }
    family(
      "tether_image_last_push_timestamp_seconds",
      "gauge",
      "When image automation last pushed a commit.",
    );
    lines.push(`tether_image_last_push_timestamp_seconds ${this.lastImagePush}`);
    return `${lines.join("\n")}\n`;
  }
}
