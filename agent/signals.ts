// Stopping: SIGTERM or SIGINT asks the loop to finish the unit in progress and exit.
// A unit's record is written in one request, so stopping between requests never leaves
// a half-written record; if the unit in progress takes longer than the grace period
// (the kubelet's default is 30 s, Tether aims at 10 s), the process exits anyway with
// code 0 before the kubelet's SIGKILL, which would be recorded as a crash.
export interface StopSignal {
  readonly stopping: boolean;
  /** Resolves when a stop was asked for. */
  readonly stopped: Promise<string>;
  dispose(): void;
}

export function onStopSignal(
  log: (line: string) => void,
  graceMs: number,
  exit: (code: number) => void = (code) => process.exit(code),
): StopSignal {
  let stopping = false;
  let resolve: (signal: string) => void = () => undefined;
  const stopped = new Promise<string>((r) => {
    resolve = r;
  });
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: finishing the unit in progress, then stopping`);
    resolve(signal);
    const timer = setTimeout(() => {
      log(`${signal}: still busy after ${graceMs}ms; exiting (records are written whole)`);
      exit(0);
    }, graceMs);
    timer.unref();
  };
  process.on("SIGTERM", handler);
  process.on("SIGINT", handler);
  return {
    get stopping() {
      return stopping;
    },
    stopped,
    dispose() {
      process.off("SIGTERM", handler);
      process.off("SIGINT", handler);
    },
  };
}
