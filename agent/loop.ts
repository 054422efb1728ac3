// The long-running agent: reconciles each unit on its own interval and serves health
// and metrics. The rule that keeps an unattended edge cluster safe: no error ends the
// loop. Every failure, bad input, an unreachable server or a bug, becomes a failed
// pass (status, Event, metrics, /readyz 503), then backoff and retry; /healthz fails
// only when passes stop starting, so the kubelet restarts a stuck agent.
//
// The parts live beside it: schedule.ts (when units run), probes.ts (what the probes
// answer), server.ts (HTTP), signals.ts (stopping within the grace period),
// automation/schedule.ts (image automation on its own clock).
import { join } from "node:path";
import { KubeClient } from "../shared/kube/client.ts";
import { redactUrl } from "../shared/util/redact.ts";
import {
  type AgentEvent,
  eventsOfKustomization,
  eventsOfUnit,
  Notifier,
  prunedOf,
} from "./alerts.ts";
import { type ImageLoopOptions, ImageSchedule } from "./automation/schedule.ts";
import { formatChange, isShown } from "./changes.ts";
import type { AgentConfig } from "./config.ts";
import { RECORDS_SELECTOR, unitRequests } from "./control.ts";
import { HTTP_PORT } from "./defaults.ts";
import { NotificationObjects, requestResources } from "./flux/notification.ts";
import { FluxSchedule } from "./flux/schedule.ts";
import { Metrics } from "./metrics.ts";
import { liveness, livenessWindow, type ProbeAnswer, readiness } from "./probes.ts";
import { serveReceiver } from "./receiver.ts";
import { UnitSchedule, type UnitState } from "./schedule.ts";
import { closeServer, serve } from "./server.ts";
import { onStopSignal } from "./signals.ts";
import { messageOf, type SyncPass, syncOnce } from "./sync.ts";

export type { ImageLoopOptions } from "./automation/schedule.ts";
export { nextDelay } from "./schedule.ts";

export interface AgentOptions {
  kubeconfig?: string | undefined;
  cacheDir: string;
  port?: number;
  bind?: string;
  /** How often the loop wakes at most to look for due units. */
  tickMs?: number;
  log?: (line: string) => void;
  /** Run image automation on the repository, on its own interval. */
  images?: ImageLoopOptions | undefined;
  /** How long the last revision fetched may be used without reaching Git (/readyz). */
  staleAfterMs?: number;
  /** After SIGTERM, exit by then even when a unit is still in progress. */
  graceMs?: number;
  /** Serve the webhook receiver (receiver.ts) on this port with this shared secret. */
  receiver?: { port: number; secret: string } | undefined;
}

export const DEFAULT_STALE_AFTER_MS = 10 * 60_000;
/** How often the records are read for reconcile and suspend requests. */
export const REQUEST_POLL_MS = 3_000;
/** Below the 10 s a stop may take, with room for closing the server. */
export const DEFAULT_GRACE_MS = 8_000;

/** Errors that are bugs in Tether rather than bad input or an unreachable server. */
export function isUnexpected(error: unknown): boolean {
  return (
    !(error instanceof Error) ||
    error instanceof TypeError ||
    error instanceof RangeError ||
    error instanceof ReferenceError ||
    error instanceof SyntaxError
  );
}

const answer = (probe: ProbeAnswer) => ({ status: probe.ok ? 200 : 503, body: probe.body });

export async function runAgent(config: AgentConfig, options: AgentOptions): Promise<void> {
  const log =
    options.log ??
    ((line: string) => process.stdout.write(`${new Date().toISOString()} ${line}\n`));
  const stop = onStopSignal(log, options.graceMs ?? DEFAULT_GRACE_MS);
  const client = await KubeClient.connect({ kubeconfig: options.kubeconfig });
  const metrics = new Metrics();
  const schedule = new UnitSchedule(config.units);
  // Flux Kustomizations keep their own intervals, retries and requestedAt (flux/schedule.ts).
  const fluxSchedule = new FluxSchedule();
  const started = Date.now();
  let lastPassStart: number | undefined;
  /** When Git last answered: the source is stale past staleAfterMs without it. */
  let lastFetch: number | undefined;
  const windowMs = livenessWindow(
    config.units.map((u) => u.intervalMs),
    config.units.map((u) => (u.wait ? u.timeoutMs : 0)),
  );

  // A bug is counted and logged with its stack once (not once per pass), then retried.
  const seenStacks = new Set<string>();
  const onError = (error: unknown, where: string) => {
    if (!isUnexpected(error)) return;
    metrics.recordUnexpected();
    const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
    if (seenStacks.has(stack)) return;
    seenStacks.add(stack);
    log(`${where}: unexpected error (retried; please report it): ${stack}`);
  };

  const server = await serve(options.port ?? HTTP_PORT, options.bind ?? "::", {
    "/healthz": () => answer(liveness(Date.now(), started, lastPassStart, windowMs)),
    "/readyz": () =>
      answer(
        readiness(
          Date.now(),
          schedule.states.map((s) => ({ name: s.unit.name, ok: s.ok, lastError: s.lastError })),
          {
            // Before Git first answered, staleness counts from the agent's start.
            lastFetch: lastFetch ?? started,
            staleAfterMs: options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS,
          },
        ),
      ),
    "/metrics": () => ({
      status: 200,
      body: metrics.render(),
      type: "text/plain; version=0.0.4",
    }),
  });
  const receiver = options.receiver
    ? await serveReceiver({
        port: options.receiver.port,
        bind: options.bind ?? "::",
        secret: options.receiver.secret,
        watched: { branch: config.git.branch, tag: config.git.tag },
        log,
        onTrigger: () => {
          schedule.request();
          stop.wake();
        },
        fluxReceiver: (path) => notifications.receiverAt(path),
        onFluxTrigger: (receiver) => {
          void requestResources(client, receiver, (line) => log(`note: ${line}`)).finally(() => {
            schedule.request();
            stop.wake();
          });
        },
      })
    : undefined;
  const cluster = config.cluster ?? "default";
  const notifier = new Notifier(config.alerts ?? [], { log });
  // Flux Receivers, Providers and Alerts the repository applied (flux/notification.ts).
  const notifications = new NotificationObjects(client, {
    receiverServed: options.receiver !== undefined,
    note: (line) => log(`note: ${line}`),
    onTargets: (targets) => notifier.setFluxTargets(targets),
  });
  const kustomizationReady = new Map<string, boolean>();
  let pendingRevision: string | undefined;
  log(
    `agent: ${config.units.length} unit(s) from ${redactUrl(config.git.url)}, records in ${config.namespace}`,
  );

  const runPass = async (due: UnitState[]) => {
    const passStart = Date.now();
    lastPassStart = passStart;
    metrics.recordPassStart();
    let pass: SyncPass;
    const fluxEvents: AgentEvent[] = [];
    try {
      pass = await syncOnce(config, {
        client,
        cacheDir: options.cacheDir,
        kubeconfig: options.kubeconfig,
        units: due.map((s) => s.unit),
        healthyBefore: schedule.healthyBesides(due),
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
          fluxEvents.push(
            ...eventsOfKustomization(report, kustomizationReady.get(report.key), cluster),
          );
          if (!report.skipped && !report.suspended)
            kustomizationReady.set(report.key, report.ready);
        },
        fluxSchedule,
        lastGoodDir: join(options.cacheDir, "last-good"),
      });
    } catch (error) {
      onError(error, "pass");
      pass = { ok: false, reports: [], error: messageOf(error) };
    }
    if (pass.revision) lastFetch = Date.now();
    await notifications
      .refresh(pass.revision)
      .catch((error) => onError(error, "notification objects"));
    for (const event of fluxEvents) notifier.notify(event);
    metrics.recordSourceStale(pass.stale === true);
    metrics.recordPoll(pass.revision ? "ok" : "error", pass.fetched === true);
    metrics.recordPass(pass.ok);
    if (pass.error) log(`error: ${pass.error}`);
    if (pass.warning) log(`warning: ${pass.warning}`);
    if (pass.revision && pass.revision !== pendingRevision && notifier.size > 0) {
      // Statuses mark the commit per cluster; pending first so a reviewer sees it was picked up.
      pendingRevision = pass.revision;
      notifier.pending(cluster, pass.revision);
    }
    for (const state of due) {
      const report = pass.reports.find((r) => r.unit === state.unit.name);
      if (!report) metrics.recordUnitFailed(state.unit.name);
      const ok = report?.ok ?? false;
      const error = report?.errors.join("; ") || pass.error;
      const wasOk = state.ok;
      schedule.record(state, ok, error, Date.now(), passStart);
      for (const event of eventsOfUnit(
        state.unit.name,
        wasOk,
        {
          ok,
          error,
          revision: pass.revision,
          pruned: prunedOf(report),
        },
        cluster,
      ))
        notifier.notify(event);
    }
    log(
      `pass ${pass.ok ? "ok" : "failed"} at ${pass.revision?.slice(0, 12) ?? "?"} in ${Date.now() - passStart}ms`,
    );
  };

  // `tether reconcile` / `suspend` / `resume` write annotations on the units' records;
  // one list of the records every few seconds reads them (control.ts).
  const seenTokens = new Map<string, string>();
  let firstPoll = true;
  let polling = false;
  const pollRequests = async () => {
    if (polling || stop.stopping) return;
    polling = true;
    try {
      const records = await client.list("v1", "ConfigMap", {
        namespace: config.namespace,
        labelSelector: RECORDS_SELECTOR,
      });
      const { requested, suspended } = unitRequests(records, seenTokens, firstPoll);
      firstPoll = false;
      for (const name of suspended)
        if (!schedule.suspended.has(name)) log(`${name}: suspended (tether resume ${name})`);
      for (const name of schedule.suspended) if (!suspended.has(name)) log(`${name}: resumed`);
      const resumed = [...schedule.suspended].some((name) => !suspended.has(name));
      schedule.suspended = suspended;
      const units = requested.filter((name) => config.units.some((u) => u.name === name));
      if (units.length > 0) {
        log(`reconcile requested: ${units.join(", ")}`);
        schedule.request(units);
      }
      if (units.length > 0 || resumed) stop.wake();
    } catch (error) {
      // A failed read waits for the next one; the units' own passes report the API.
      onError(error, "requests");
    } finally {
      polling = false;
    }
  };
  await pollRequests();
  const requestTimer = setInterval(() => void pollRequests(), REQUEST_POLL_MS);
  requestTimer.unref();

  const images = options.images
    ? new ImageSchedule(config, options.images, client, metrics, log)
    : undefined;
  while (!stop.stopping) {
    try {
      if (images && images.nextRun <= Date.now()) await images.run(onError);
      let due = schedule.due(Date.now());
      // A Kustomization due before its unit: a pass over every unit, in which only the
      // Kustomizations that are due are reconciled.
      if (due.length === 0 && (await fluxSchedule.needsPass(client))) due = schedule.states;
      if (due.length > 0 && !stop.stopping) {
        fluxSchedule.passStarted();
        await runPass(due);
      }
    } catch (error) {
      // Only the bookkeeping above can get here; the pass itself is guarded.
      onError(error, "loop");
      for (const state of schedule.due(Date.now())) schedule.record(state, false, messageOf(error));
    }
    if (stop.stopping) break;
    const next = Math.min(
      images?.nextRun ?? Number.POSITIVE_INFINITY,
      schedule.nextDue(),
      fluxSchedule.nextWake(),
    );
    const sleep = Math.max(0, Math.min(next - Date.now(), options.tickMs ?? 60_000));
    await stop.sleep(sleep);
  }
  clearInterval(requestTimer);
  await closeServer(server);
  if (receiver) await closeServer(receiver);
  // Events of the last pass get a moment to leave; a target that is down does not hold the stop.
  await Promise.race([notifier.flush(), new Promise((r) => setTimeout(r, 2_000).unref())]);
  client.close();
  stop.dispose();
  log("stopped");
}
