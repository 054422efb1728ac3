// Whether applied objects are healthy, as Flux's health checks judge them: each live
// object by kstatus's rules (kstatus.ts), and objects that are gone as
// kustomize-controller counts them. The decisions are pure; waiting polls them.
import type { KubeApi } from "../shared/kube/api.ts";
import {
  describeRef,
  groupOf,
  type KubeObject,
  type ObjectRef,
  refKey,
  refOf,
} from "../shared/manifests/object.ts";
import type { Change } from "./changes.ts";
import { assessHealth, type Health } from "./kstatus.ts";

export { assessHealth, type Health, type HealthState } from "./kstatus.ts";

/** A Job the TTL controller deletes once it has finished (any TTL, 0 included). */
function hasTTL(object: KubeObject): boolean {
  return (
    groupOf(object.apiVersion) === "batch" &&
    object.kind === "Job" &&
    typeof (object.spec as { ttlSecondsAfterFinished?: unknown } | undefined)
      ?.ttlSecondsAfterFinished === "number"
  );
}

/**
 * An object that is not there. kustomize-controller counts a Job with
 * ttlSecondsAfterFinished as done when it is gone: the TTL controller removed it after
 * it finished, maybe before the first look. Anything else is awaited.
 */
export function assessMissing(ref: ObjectRef, removedByTTL: boolean): Health {
  if (removedByTTL && groupOf(ref.apiVersion) === "batch" && ref.kind === "Job")
    return { state: "healthy", message: "finished and removed after its ttlSecondsAfterFinished" };
  return { state: "progressing", message: "not found" };
}

/**
 * Polls until every object is healthy, one has failed, or the timeout passes. Answers
 * one `unhealthy` change per object that is not healthy; none when all are.
 * `desired` is what was applied: its Jobs with a ttlSecondsAfterFinished may be gone.
 */
export async function waitForHealth(
  client: KubeApi,
  refs: readonly ObjectRef[],
  timeoutMs: number,
  intervalMs = 1000,
  /** How one object is judged; Flux's healthCheckExprs put CEL in front of the defaults. */
  assess: (object: KubeObject) => Health = assessHealth,
  desired: readonly KubeObject[] = [],
): Promise<Change[]> {
  const deadline = Date.now() + timeoutMs;
  const removedByTTL = new Set(desired.filter(hasTTL).map((o) => refKey(refOf(o))));
  let waiting = [...refs];
  for (;;) {
    const problems: { ref: ObjectRef; health: Health }[] = [];
    for (const ref of waiting) {
      const health = await healthOf(client, ref, assess, removedByTTL);
      if (health.state !== "healthy") problems.push({ ref, health });
    }
    waiting = problems.map((p) => p.ref);
    if (waiting.length === 0) return [];
    if (problems.some((p) => p.health.state === "failed") || Date.now() >= deadline) {
      return problems.map((p) => ({ ref: p.ref, action: "unhealthy", detail: p.health.message }));
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** One look at one object; a TTL Job seen here counts as finished if it is gone later. */
async function healthOf(
  client: KubeApi,
  ref: ObjectRef,
  assess: (object: KubeObject) => Health,
  removedByTTL: Set<string>,
): Promise<Health> {
  let live: KubeObject | undefined;
  try {
    live = await client.get(ref);
  } catch (error) {
    // Flux cannot tell either (Unknown) and keeps waiting; the message says why.
    return { state: "progressing", message: `cannot read it: ${(error as Error).message}` };
  }
  if (!live) return assessMissing(ref, removedByTTL.has(refKey(ref)));
  if (hasTTL(live)) removedByTTL.add(refKey(ref));
  return assess(live);
}

/** `Kind/ns/name: why; ...` for the objects that are not healthy. */
export function describeProblems(changes: readonly Change[]): string {
  return changes
    .filter((c) => c.action === "unhealthy")
    .map((c) => `${describeRef(c.ref)}: ${c.detail}`)
    .join("; ");
}
