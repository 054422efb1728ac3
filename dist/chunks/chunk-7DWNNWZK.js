#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  describeRef
} from "./chunk-Z62KHOJY.js";

// agent/health.ts
var num = (v) => typeof v === "number" ? v : 0;
function assessHealth(object) {
  const spec = object.spec ?? {};
  const status = object.status ?? {};
  const conditions = status.conditions ?? [];
  const generation = num(object.metadata.generation);
  const observed = num(status.observedGeneration);
  const stale = generation > 0 && observed < generation;
  switch (object.kind) {
    case "Deployment": {
      if (stale) return { state: "progressing", message: "the new spec is not observed yet" };
      const failed = conditions.find(
        (c) => c.type === "Progressing" && c.reason === "ProgressDeadlineExceeded"
      );
      if (failed)
        return { state: "failed", message: failed.message ?? "progress deadline exceeded" };
      const want = spec.replicas === void 0 ? 1 : num(spec.replicas);
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
      const want = spec.replicas === void 0 ? 1 : num(spec.replicas);
      const ready2 = num(status.readyReplicas);
      if (ready2 < want)
        return { state: "progressing", message: `${ready2} of ${want} replicas ready` };
      if (status.updateRevision && status.currentRevision !== status.updateRevision) {
        return { state: "progressing", message: "rolling out the new revision" };
      }
      return { state: "healthy", message: `${ready2} replicas ready` };
    }
    case "DaemonSet": {
      if (stale) return { state: "progressing", message: "the new spec is not observed yet" };
      const want = num(status.desiredNumberScheduled);
      const updated = num(status.updatedNumberScheduled);
      const available = num(status.numberAvailable);
      if (updated < want || available < want) {
        return {
          state: "progressing",
          message: `${available} of ${want} pods available (${updated} updated)`
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
  const stalled = conditions.find((c) => c.type === "Stalled" && c.status === "True");
  if (stalled) return { state: "failed", message: stalled.message ?? stalled.reason ?? "stalled" };
  const ready = conditions.find((c) => c.type === "Ready");
  if (ready) {
    if (ready.status === "True" && !stale) return { state: "healthy", message: "Ready" };
    return { state: "progressing", message: ready.message ?? ready.reason ?? "not Ready" };
  }
  return { state: "healthy", message: "applied" };
}
async function waitForHealth(client, refs, timeoutMs, intervalMs = 1e3, assess = assessHealth) {
  const deadline = Date.now() + timeoutMs;
  let waiting = [...refs];
  for (; ; ) {
    const problems = [];
    for (const ref of waiting) {
      const live = await client.get(ref).catch(() => void 0);
      const health = live ? assess(live) : { state: "progressing", message: "not found" };
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
function describeProblems(changes) {
  return changes.filter((c) => c.action === "unhealthy").map((c) => `${describeRef(c.ref)}: ${c.detail}`).join("; ");
}

export {
  assessHealth,
  waitForHealth,
  describeProblems
};
