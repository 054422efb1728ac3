// What the parts of the running agent share (loop.ts wires them): its configuration,
// the Kubernetes client, the schedules, the metrics, one log and one sink for errors,
// and the times the probes answer from. Each part (endpoints.ts, requests.ts, pass.ts)
// takes this one object instead of closures over runAgent's locals.
import type { KubeClient } from "../shared/kube/client.ts";
import type { AgentConfig } from "./config.ts";
import type { FluxSchedule } from "./flux/schedule.ts";
import type { Metrics } from "./metrics.ts";
import type { UnitSchedule } from "./schedule.ts";

export interface RunningAgent {
  config: AgentConfig;
  client: KubeClient;
  metrics: Metrics;
  schedule: UnitSchedule;
  /** Flux Kustomizations keep their own intervals, retries and requestedAt (flux/schedule.ts). */
  fluxSchedule: FluxSchedule;
  log: (line: string) => void;
  /** Where every caught error goes: bugs are counted and logged, the rest was reported. */
  onError: (error: unknown, where: string) => void;
  times: LoopTimes;
}

/** What /healthz and /readyz are decided from (probes.ts). */
export interface LoopTimes {
  started: number;
  lastPassStart?: number | undefined;
  /** When Git last answered: the source is stale past staleAfterMs without it. */
  lastFetch?: number | undefined;
}

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

/** A bug is counted and logged with its stack once (not once per pass), then retried. */
export function unexpectedErrorSink(
  log: (line: string) => void,
  metrics: Metrics,
): (error: unknown, where: string) => void {
  const seenStacks = new Set<string>();
  return (error, where) => {
    if (!isUnexpected(error)) return;
    metrics.recordUnexpected();
    const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
    if (seenStacks.has(stack)) return;
    seenStacks.add(stack);
    log(`${where}: unexpected error (retried; please report it): ${stack}`);
  };
}
