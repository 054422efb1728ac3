// Whether applied objects are healthy: workloads rolled out, Jobs complete, and
// anything with a Ready condition Ready. The assessment is pure; waiting polls it.
import type { KubeApi } from "../shared/kube/api.ts";
import { describeRef, type KubeObject, type ObjectRef } from "../shared/manifests/object.ts";
import type { Change } from "./changes.ts";

export type HealthState = "healthy" | "progressing" | "failed";

export interface Health {
  state: HealthState;
  message: string;
}

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

const num = (v: unknown): number => (typeof v === "number" ? v : 0);

export function assessHealth(object: KubeObject): Health {
  const spec = (object.spec ?? {}) as Record<string, unknown>;
  const status = (object.status ?? {}) as Record<string, unknown>;
  const conditions = (status.conditions ?? []) as Condition[];
  const generation = num(object.metadata.generation);
  const observed = num(status.observedGeneration);
  const stale = generation > 0 && observed < generation;

  switch (object.kind) {
    case "Deployment": {
      if (stale) return { state: "progressing", message: "the new spec is not observed yet" };
      const failed = conditions.find(
        (c) => c.type === "Progressing" && c.reason === "ProgressDeadlineExceeded",
      );
      if (failed)
        return { state: "failed", message: failed.message ?? "progress deadline exceeded" };
      const want = spec.replicas === undefined ? 1 : num(spec.replicas);
      const updated = num(status.updatedReplicas);
      const available = num(status.availableReplicas);
      const total = num(status.replicas);
      if (updated < want)
        return { state: "progressing", message: `${updated} of ${want} replicas updated` };
      if (total > updated)
        return { state: "progressing", message: `${total - updated} old replicas still running` };
      if (available < want)
        return { state: "progressing", message: `${available} of ${want} replicas available` };
      return { state: "healthy", message: `${available} replicas available` };
    }
    case "StatefulSet": {
      if (stale) return { state: "progressing", message: "the new spec is not observed yet" };
      const want = spec.replicas === undefined ? 1 : num(spec.replicas);
      const ready = num(status.readyReplicas);
      if (ready < want)
        return { state: "progressing", message: `${ready} of ${want} replicas ready` };
      if (status.updateRevision && status.currentRevision !== status.updateRevision) {
        return { state: "progressing", message: "rolling out the new revision" };
      }
      return { state: "healthy", message: `${ready} replicas ready` };
    }
    case "DaemonSet": {
      if (stale) return { state: "progressing", message: "the new spec is not observed yet" };
      const want = num(status.desiredNumberScheduled);
      const updated = num(status.updatedNumberScheduled);
      const available = num(status.numberAvailable);
      if (updated < want || available < want) {
        return {
          state: "progressing",
          message: `${available} of ${want} pods available (${updated} updated)`,
        };
      }
      return { state: "healthy", message: `${available} pods available` };
    }
    case "Job": {
      const failed = conditions.find((c) => c.type === "Failed" && c.status === "True");
      if (failed)
        return { state: "failed", message: failed.message ?? failed.reason ?? "the Job failed" };
      if (conditions.some((c) => c.type === "Complete" && c.status === "True")) {
        return { state: "healthy", message: "complete" };
      }
      return { state: "progressing", message: "not complete yet" };
    }
  }
  // kstatus convention: Stalled=True means the controller gave up.
  const stalled = conditions.find((c) => c.type === "Stalled" && c.status === "True");
  if (stalled) return { state: "failed", message: stalled.message ?? stalled.reason ?? "stalled" };
  const ready = conditions.find((c) => c.type === "Ready");
  if (ready) {
    if (ready.status === "True" && !stale) return { state: "healthy", message: "Ready" };
    return { state: "progressing", message: ready.message ?? ready.reason ?? "not Ready" };
  }
  // Objects without rollout status (ConfigMaps, Services, RBAC...) are healthy once applied.
  return { state: "healthy", message: "applied" };
}

/**
 * Polls until every object is healthy, one has failed, or the timeout passes. Answers
 * one `unhealthy` change per object that is not healthy; none when all are.
 */
export async function waitForHealth(
  client: KubeApi,
  refs: readonly ObjectRef[],
  timeoutMs: number,
  intervalMs = 1000,
  /** How one object is judged; Flux's healthCheckExprs put CEL in front of the defaults. */
  assess: (object: KubeObject) => Health = assessHealth,
): Promise<Change[]> {
  const deadline = Date.now() + timeoutMs;
  let waiting = [...refs];
  for (;;) {
    const problems: { ref: ObjectRef; health: Health }[] = [];
    for (const ref of waiting) {
      const live = await client.get(ref).catch(() => undefined);
      const health: Health = live ? assess(live) : { state: "progressing", message: "not found" };
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

/** `Kind/ns/name: why; ...` for the objects that are not healthy. */
export function describeProblems(changes: readonly Change[]): string {
  return changes
    .filter((c) => c.action === "unhealthy")
    .map((c) => `${describeRef(c.ref)}: ${c.detail}`)
    .join("; ");
}
