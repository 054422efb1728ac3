// The long-running agent: reconciles each unit on its own interval and serves health
// and metrics. The rule that keeps an unattended edge cluster safe: no error ends the
// loop. Every failure, bad input, an unreachable server or a bug, becomes a failed
// pass (status, Event, metrics, /readyz 503), then backoff and retry; /healthz fails
// only when passes stop starting, so the kubelet restarts a stuck agent.
//
// runAgent is the sequence; the parts live beside it: running.ts (what the parts
// share), endpoints.ts (probes, metrics and the receiver over HTTP), requests.ts
// (reconcile and suspend requests), pass.ts (one pass and what is recorded of it),
// schedule.ts (when units run), signals.ts (stopping within the grace period),
// automation/schedule.ts (image automation on its own clock).
import { KubeClient } from "../shared/kube/client.ts";
import { redactUrl } from "../shared/util/redact.ts";
import { type ImageLoopOptions, ImageSchedule } from "./automation/schedule.ts";
import type { AgentConfig } from "./config.ts";
import { HTTP_PORT } from "./defaults.ts";
import { serveEndpoints } from "./endpoints.ts";
import { requestResources } from "./flux/notification.ts";
import { FluxSchedule } from "./flux/schedule.ts";
import { Metrics } from "./metrics.ts";
import { type PassAlerts, type PassOptions, passAlerts, runPass } from "./pass.ts";
import { watchRequests } from "./requests.ts";
import { type RunningAgent, unexpectedErrorSink } from "./running.ts";
import { UnitSchedule } from "./schedule.ts";
import { onStopSignal, type StopSignal } from "./signals.ts";
import { messageOf } from "./sync.ts";

export type { ImageLoopOptions } from "./automation/schedule.ts";
export { isUnexpected } from "./running.ts";
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
/** Below the 10 s a stop may take, with room for closing the server. */
export const DEFAULT_GRACE_MS = 8_000;

export async function runAgent(config: AgentConfig, options: AgentOptions): Promise<void> {
  const log =
    options.log ??
    ((line: string) => process.stdout.write(`${new Date().toISOString()} ${line}\n`));
  const stop = onStopSignal(log, options.graceMs ?? DEFAULT_GRACE_MS);
  const client = await KubeClient.connect({ kubeconfig: options.kubeconfig });
  const metrics = new Metrics({ namespace: config.namespace });
  const agent: RunningAgent = {
    config,
    client,
    metrics,
    schedule: new UnitSchedule(config.units),
    fluxSchedule: new FluxSchedule(),
    log,
    onError: unexpectedErrorSink(log, metrics),
    times: { started: Date.now() },
  };
  const alerts = passAlerts(agent, { receiverServed: options.receiver !== undefined });
  const passRequested = () => {
    agent.schedule.request();
    stop.wake();
  };
  const endpoints = await serveEndpoints(agent, {
    port: options.port ?? HTTP_PORT,
    bind: options.bind ?? "::",
    staleAfterMs: options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS,
    receiver: options.receiver,
    onTrigger: passRequested,
    fluxReceiver: (path) => alerts.notifications.receiverAt(path),
    onFluxTrigger: (receiver) => {
      void requestResources(client, receiver, (line) => log(`note: ${line}`)).finally(
        passRequested,
      );
    },
  });
  log(
    `agent: ${config.units.length} unit(s) from ${redactUrl(config.git.url)}, records in ${config.namespace}`,
  );
  const stopRequests = await watchRequests(agent, stop);
  const images = options.images
    ? new ImageSchedule(config, options.images, client, metrics, log)
    : undefined;
  await loopUntilStopped(agent, stop, {
    images,
    alerts,
    pass: { cacheDir: options.cacheDir, kubeconfig: options.kubeconfig },
    tickMs: options.tickMs ?? 60_000,
  });
  stopRequests();
  await endpoints.close();
  // Events of the last pass get a moment to leave; a target that is down does not hold the stop.
  await Promise.race([alerts.notifier.flush(), new Promise((r) => setTimeout(r, 2_000).unref())]);
  client.close();
  stop.dispose();
  log("stopped");
}

interface LoopParts {
  images: ImageSchedule | undefined;
  alerts: PassAlerts;
  pass: PassOptions;
  /** How often the loop wakes at most to look for due units. */
  tickMs: number;
}

/** Runs what is due (image automation, then the units), then sleeps until the next due. */
async function loopUntilStopped(
  agent: RunningAgent,
  stop: StopSignal,
  { images, alerts, pass, tickMs }: LoopParts,
): Promise<void> {
  const { schedule, fluxSchedule, client } = agent;
  while (!stop.stopping) {
    try {
      if (images && images.nextRun <= Date.now()) await images.run(agent.onError);
      let due = schedule.due(Date.now());
      if (due.length === 0 && (await fluxSchedule.needsPass(client))) {
        // A Kustomization due before its unit: a pass over every unit not suspended (a
        // suspended one is never applied), in which only the Kustomizations that are due
        // are reconciled.
        due = schedule.runnable();
        // Every unit suspended: no pass can reach a Kustomization. Forgotten, they do not
        // wake the loop at once again; resumed units bring them back.
        if (due.length === 0) fluxSchedule.keepOnly(new Set());
      }
      if (due.length > 0 && !stop.stopping) {
        fluxSchedule.passStarted();
        await runPass(agent, due, pass, alerts);
      }
    } catch (error) {
      // Only the bookkeeping above can get here; the pass itself is guarded.
      agent.onError(error, "loop");
      for (const state of schedule.due(Date.now())) schedule.record(state, false, messageOf(error));
    }
    if (stop.stopping) break;
    const next = Math.min(
      images?.nextRun ?? Number.POSITIVE_INFINITY,
      schedule.nextDue(),
      fluxSchedule.nextWake(),
    );
    const sleep = Math.max(0, Math.min(next - Date.now(), tickMs));
    await stop.sleep(sleep);
  }
}
