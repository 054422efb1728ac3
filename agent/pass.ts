// One pass of the loop over the units that are due: sync them (sync.ts), then record
// what came of it, on the metrics and the log, on each unit's schedule (its backoff and
// /readyz), and as alerts (the units' and, after the Flux notification objects are read
// again, the Kustomizations'). syncOnce is guarded: whatever it throws is a failed pass.
import { join } from "node:path";
import {
  type AgentEvent,
  eventsOfKustomization,
  eventsOfUnit,
  Notifier,
  prunedOf,
} from "./alerts.ts";
import { formatChange, isShown } from "./changes.ts";
import { NotificationObjects } from "./flux/notification.ts";
import { passResources } from "./resources.ts";
import type { RunningAgent } from "./running.ts";
import type { UnitState } from "./schedule.ts";
import { messageOf, type SyncPass, syncOnce } from "./sync.ts";

export interface PassOptions {
  cacheDir: string;
  kubeconfig?: string | undefined;
}

/** Where events go; commit statuses mark each revision once, as pending, when first seen. */
export interface PassAlerts {
  notifier: Notifier;
  /** Flux Receivers, Providers and Alerts the repository applied, re-read after a pass. */
  notifications: NotificationObjects;
  cluster: string;
  pendingRevision?: string | undefined;
  /** Each Flux Kustomization's last readiness, so its events say what changed. */
  kustomizationReady: Map<string, boolean>;
}

/** The configured alert targets, and those of the Flux Providers and Alerts once read. */
export function passAlerts(agent: RunningAgent, options: { receiverServed: boolean }): PassAlerts {
  const notifier = new Notifier(agent.config.alerts ?? [], {
    log: agent.log,
    onDelivery: (result) => agent.metrics.recordAlertDelivery(result),
  });
  // Flux Receivers, Providers and Alerts the repository applied (flux/notification.ts).
  const notifications = new NotificationObjects(agent.client, {
    receiverServed: options.receiverServed,
    note: (line) => agent.log(`note: ${line}`),
    onTargets: (targets) => notifier.setFluxTargets(targets),
  });
  return {
    notifier,
    notifications,
    cluster: agent.config.cluster ?? "default",
    kustomizationReady: new Map(),
  };
}

export async function runPass(
  agent: RunningAgent,
  due: UnitState[],
  options: PassOptions,
  alerts: PassAlerts,
): Promise<void> {
  const passStart = Date.now();
  agent.times.lastPassStart = passStart;
  agent.metrics.recordPassStart();
  const fluxEvents: AgentEvent[] = [];
  const pass = await sync(agent, due, options, alerts, fluxEvents);
  if (pass.revision) agent.times.lastFetch = Date.now();
  // With lastFetch, before anything awaits: /readyz and tether_source_stale change together.
  agent.metrics.recordSourceStale(pass.stale === true);
  await alerts.notifications
    .refresh(pass.revision)
    .catch((error) => agent.onError(error, "notification objects"));
  for (const event of fluxEvents) alerts.notifier.notify(event);
  recordPass(agent, pass, passStart, alerts);
  // Flux's series for the units and the Flux objects of the pass (resources.ts).
  agent.metrics.recordResources(passResources(pass, agent.config.namespace));
  recordUnits(agent, due, pass, passStart, alerts);
  forgetUnreached(agent, due, pass);
  agent.log(
    `pass ${pass.ok ? "ok" : "failed"} at ${pass.revision?.slice(0, 12) ?? "?"} in ${Date.now() - passStart}ms`,
  );
}

async function sync(
  agent: RunningAgent,
  due: UnitState[],
  options: PassOptions,
  alerts: PassAlerts,
  fluxEvents: AgentEvent[],
): Promise<SyncPass> {
  const { config, client, metrics, log, onError } = agent;
  try {
    return await syncOnce(config, {
      client,
      cacheDir: options.cacheDir,
      kubeconfig: options.kubeconfig,
      units: due.map((s) => s.unit),
      healthyBefore: agent.schedule.healthyBesides(due),
      onUnit: (report) => {
        for (const change of report.changes.filter(isShown))
          if (change.action !== "unchanged") log(`${report.unit}: ${formatChange(change)}`);
        for (const error of report.errors) log(`${report.unit}: error: ${error}`);
        metrics.recordUnit(report);
      },
      onError,
      onNote: (line) => log(`note: ${line}`),
      onKustomization: (report) => {
        // Sent after the pass, once the Alerts it applied have been read.
        const wasReady = alerts.kustomizationReady.get(report.key);
        fluxEvents.push(...eventsOfKustomization(report, wasReady, alerts.cluster));
        if (!report.skipped && !report.suspended)
          alerts.kustomizationReady.set(report.key, report.ready);
      },
      fluxSchedule: agent.fluxSchedule,
      lastGoodDir: join(options.cacheDir, "last-good"),
    });
  } catch (error) {
    onError(error, "pass");
    return { ok: false, reports: [], error: messageOf(error) } satisfies SyncPass;
  }
}

/** The pass as a whole: poll and pass metrics, its log lines. */
function recordPass(agent: RunningAgent, pass: SyncPass, passStart: number, alerts: PassAlerts) {
  const { metrics, log } = agent;
  metrics.recordPoll(pass.revision ? "ok" : "error", pass.fetched === true);
  metrics.recordPass(pass.ok, (Date.now() - passStart) / 1000);
  if (pass.error) log(`error: ${pass.error}`);
  if (pass.warning) log(`warning: ${pass.warning}`);
  if (pass.revision && pass.revision !== alerts.pendingRevision && alerts.notifier.size > 0) {
    // Statuses mark the commit per cluster; pending first so a reviewer sees it was picked up.
    alerts.pendingRevision = pass.revision;
    alerts.notifier.pending(alerts.cluster, pass.revision);
  }
}

/**
 * A pass over every unit not suspended reached every Kustomization the agent can reach
 * (none when no unit applied Flux objects: a broken commit, Git down). The Flux schedule
 * forgets the others: left there, they would be due at once after every pass, and the
 * loop would run passes back to back instead of waiting for the units' backoff.
 */
function forgetUnreached(agent: RunningAgent, due: UnitState[], pass: SyncPass) {
  if (!agent.schedule.runnable().every((s) => due.includes(s))) return;
  agent.fluxSchedule.keepOnly(new Set(pass.flux?.reports.map((r) => r.key)));
}

/** Each due unit: its schedule (backoff, /readyz) and the alerts its outcome raises. */
function recordUnits(
  agent: RunningAgent,
  due: UnitState[],
  pass: SyncPass,
  passStart: number,
  alerts: PassAlerts,
) {
  for (const state of due) {
    const report = pass.reports.find((r) => r.unit === state.unit.name);
    if (!report) agent.metrics.recordUnitFailed(state.unit.name);
    const ok = report?.ok ?? false;
    const error = report?.errors.join("; ") || pass.error;
    const wasOk = state.ok;
    agent.schedule.record(state, ok, error, Date.now(), passStart);
    const outcome = { ok, error, revision: pass.revision, pruned: prunedOf(report) };
    for (const event of eventsOfUnit(state.unit.name, wasOk, outcome, alerts.cluster))
      alerts.notifier.notify(event);
  }
}
