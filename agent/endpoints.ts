// The agent's listening side: /healthz, /readyz and /metrics (server.ts) answered from
// the loop's state by the pure rules of probes.ts, and the webhook receiver
// (receiver.ts) on its own port when configured. Both close together at a stop.
import { liveness, livenessWindow, type ProbeAnswer, readiness } from "./probes.ts";
import { type ReceiverOptions, serveReceiver } from "./receiver.ts";
import type { RunningAgent } from "./running.ts";
import { closeServer, serve } from "./server.ts";

export interface EndpointOptions {
  port: number;
  bind: string;
  /** How long the last revision fetched may be used without reaching Git (/readyz). */
  staleAfterMs: number;
  receiver?: { port: number; secret: string } | undefined;
  /** A webhook asked for a pass now. */
  onTrigger: () => void;
  /** The Flux Receiver served at a `/hook/<digest>` path, if any (flux/notification.ts). */
  fluxReceiver: NonNullable<ReceiverOptions["fluxReceiver"]>;
  /** A Flux Receiver's webhook asked for a reconcile of its resources. */
  onFluxTrigger: NonNullable<ReceiverOptions["onFluxTrigger"]>;
}

export interface Endpoints {
  close(): Promise<void>;
}

const answer = (probe: ProbeAnswer) => ({ status: probe.ok ? 200 : 503, body: probe.body });

export async function serveEndpoints(
  agent: RunningAgent,
  options: EndpointOptions,
): Promise<Endpoints> {
  const { config, schedule, metrics, times } = agent;
  const windowMs = livenessWindow(
    config.units.map((u) => u.intervalMs),
    config.units.map((u) => (u.wait ? u.timeoutMs : 0)),
  );
  const server = await serve(options.port, options.bind, {
    "/healthz": () => answer(liveness(Date.now(), times.started, times.lastPassStart, windowMs)),
    "/readyz": () =>
      answer(
        readiness(
          Date.now(),
          schedule.states.map((s) => ({ name: s.unit.name, ok: s.ok, lastError: s.lastError })),
          {
            // Before Git first answered, staleness counts from the agent's start.
            lastFetch: times.lastFetch ?? times.started,
            staleAfterMs: options.staleAfterMs,
          },
        ),
      ),
    "/metrics": async () => ({
      status: 200,
      body: await metrics.render(),
      type: metrics.contentType,
    }),
  });
  const receiver = options.receiver
    ? await serveReceiver({
        port: options.receiver.port,
        bind: options.bind,
        secret: options.receiver.secret,
        watched: { branch: config.git.branch, tag: config.git.tag },
        log: agent.log,
        onTrigger: options.onTrigger,
        fluxReceiver: options.fluxReceiver,
        onFluxTrigger: options.onFluxTrigger,
      })
    : undefined;
  return {
    async close() {
      await closeServer(server);
      if (receiver) await closeServer(receiver);
    },
  };
}
