// Stopping: SIGTERM or SIGINT asks the loop to finish the unit in progress and exit.
// A unit's record is written in one request, so stopping between requests never leaves
// a half-written record; if the unit in progress takes longer than the grace period
// (the kubelet's default is 30 s, Tether aims at 10 s), the process exits anyway with
// code 0 before the kubelet's SIGKILL, which would be recorded as a crash.
export interface StopSignal {
  readonly stopping: boolean;
  /** Waits `ms`, or less when a stop is asked for meanwhile. */
  sleep(ms: number): Promise<void>;
  /** Ends the current sleep early without stopping (work arrived, e.g. a webhook). */
  wake(): void;
  dispose(): void;
}

export function onStopSignal(
  log: (line: string) => void,
  graceMs: number,
  exit: (code: number) => void = (code) => process.exit(code),
): StopSignal {
  let stopping = false;
  // One sleeper at a time (the loop); a callback, not a promise raced each pass, so
  // nothing accumulates over a long run.
  let wake: (() => void) | undefined;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: finishing the unit in progress, then stopping`);
    wake?.();
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
    sleep(ms: number) {
      if (stopping) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          wake = undefined;
          resolve();
        };
        const timer = setTimeout(done, ms);
        wake = done;
      });
    },
    wake() {
      wake?.();
    },
    dispose() {
      process.off("SIGTERM", handler);
      process.off("SIGINT", handler);
    },
  };
}
