// When each unit (and image automation) runs next: its interval after a success, a
// doubling retry after failures, with jitter so a fleet of edge clusters does not hit
// the Git host in step. Pure bookkeeping; the loop asks it what is due.
import type { UnitConfig } from "./config.ts";

const MIN_RETRY_MS = 5_000;

/** When a unit runs next: its interval after success, a doubling retry after failure. */
export function nextDelay(
  intervalMs: number,
  failures: number,
  random: () => number = Math.random,
): number {
  const base =
    failures === 0 ? intervalMs : Math.min(intervalMs, MIN_RETRY_MS * 2 ** (failures - 1));
  // ±10% jitter.
  return Math.round(base * (0.9 + 0.2 * random()));
}

export interface UnitState {
  unit: UnitConfig;
  due: number;
  failures: number;
  /** The unit's last pass ended ok; undefined before its first pass. */
  ok: boolean | undefined;
  /** Why the last pass failed. */
  lastError?: string | undefined;
  /** When a pass was asked for out of turn (a webhook), until a pass started after it. */
  requestedAt?: number | undefined;
}

export class UnitSchedule {
  readonly states: UnitState[];

  constructor(units: readonly UnitConfig[]) {
    this.states = units.map((unit) => ({ unit, due: 0, failures: 0, ok: undefined }));
  }

  /** Units the agent leaves alone until resumed (`tether suspend`). */
  suspended: ReadonlySet<string> = new Set();

  due(now: number): UnitState[] {
    return this.runnable().filter((s) => s.due <= now);
  }

  /** Every unit that is not suspended: what a pass for the Flux Kustomizations runs. */
  runnable(): UnitState[] {
    return this.states.filter((s) => !this.suspended.has(s.unit.name));
  }

  /** Units that ended ok in an earlier pass and are not running in this one. */
  healthyBesides(running: readonly UnitState[]): Set<string> {
    return new Set(this.states.filter((s) => s.ok && !running.includes(s)).map((s) => s.unit.name));
  }

  /** These units (default: every unit) run now, whatever their interval. */
  request(names?: readonly string[], now = Date.now()): void {
    for (const state of this.states) {
      if (names && !names.includes(state.unit.name)) continue;
      state.requestedAt = now;
      state.due = Math.min(state.due, now);
    }
  }

  /**
   * `startedAt` is when the recorded pass began: a request that arrived while it ran may
   * name a newer commit than the one it fetched, so the unit runs again at once.
   */
  record(
    state: UnitState,
    ok: boolean,
    error: string | undefined,
    now = Date.now(),
    startedAt = now,
  ): void {
    state.failures = ok ? 0 : state.failures + 1;
    state.ok = ok;
    state.lastError = ok ? undefined : error;
    state.due = now + nextDelay(state.unit.intervalMs, state.failures);
    if (state.requestedAt !== undefined && state.requestedAt > startedAt) state.due = now;
    else state.requestedAt = undefined;
  }

  nextDue(): number {
    return Math.min(...this.runnable().map((s) => s.due));
  }
}
