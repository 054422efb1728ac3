// What /healthz and /readyz answer, decided from the loop's state alone (pure, so the
// rules are tested without a process):
// - live: a pass started recently. A loop that stopped starting passes (a hang, a bug
//   that escaped) fails it, and the kubelet restarts the agent, as it would a stuck
//   kubelet-managed controller.
// - ready: every unit's last pass succeeded and the source is not stale past the limit.

export interface ProbeAnswer {
  ok: boolean;
  body: string;
}

/** The shortest liveness window: a pass of a big unit on a slow board takes a while. */
export const MIN_LIVENESS_WINDOW_MS = 60_000;

/**
 * How long without a pass starting before /healthz fails: three of the longest unit
 * interval, plus the longest health wait (a pass may legitimately wait that long), and
 * never less than a minute.
 */
export function livenessWindow(intervalsMs: readonly number[], timeoutsMs: readonly number[]) {
  return Math.max(
    MIN_LIVENESS_WINDOW_MS,
    3 * Math.max(...intervalsMs) + Math.max(0, ...timeoutsMs),
  );
}

export function liveness(
  now: number,
  started: number,
  lastPassStart: number | undefined,
  windowMs: number,
): ProbeAnswer {
  const since = now - (lastPassStart ?? started);
  if (since > windowMs) {
    return {
      ok: false,
      body: `no pass started for ${Math.round(since / 1000)}s (limit ${Math.round(windowMs / 1000)}s)\n`,
    };
  }
  return { ok: true, body: "ok\n" };
}

export interface UnitReadiness {
  name: string;
  /** undefined before the unit's first pass. */
  ok: boolean | undefined;
  lastError?: string | undefined;
}

export interface SourceReadiness {
  /** When the revision applied was last confirmed by the Git remote (ms), if ever. */
  lastFetch: number | undefined;
  /** How long the last confirmed revision may be used without the remote. */
  staleAfterMs: number;
}

export function readiness(
  now: number,
  units: readonly UnitReadiness[],
  source: SourceReadiness,
): ProbeAnswer {
  const problems: string[] = [];
  for (const u of units) {
    if (u.ok === undefined) problems.push(`${u.name}: first pass not done`);
    else if (!u.ok) problems.push(`${u.name}: last pass failed: ${u.lastError ?? "?"}`);
  }
  if (source.lastFetch !== undefined && now - source.lastFetch > source.staleAfterMs) {
    problems.push(
      `source stale: Git not reached for ${Math.round((now - source.lastFetch) / 1000)}s (limit ${Math.round(source.staleAfterMs / 1000)}s)`,
    );
  }
  if (problems.length > 0) return { ok: false, body: `${problems.join("\n").slice(0, 4000)}\n` };
  return { ok: true, body: "ok\n" };
}
