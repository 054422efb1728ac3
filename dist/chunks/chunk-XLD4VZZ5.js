#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  describeRef,
  groupOf,
  refKey,
  refOf
} from "./chunk-Z62KHOJY.js";

// agent/kstatus.ts
var healthy = (message) => ({ state: "healthy", message });
var progressing = (message) => ({ state: "progressing", message });
var failed = (message) => ({ state: "failed", message });
var fieldsOf = (value) => value && typeof value === "object" && !Array.isArray(value) ? value : {};
var int = (value, fallback) => typeof value === "number" && Number.isInteger(value) ? value : fallback;
var str = (value, fallback) => typeof value === "string" ? value : fallback;
function conditionsOf(status) {
  const list = Array.isArray(status.conditions) ? status.conditions : [];
  return list.filter(
    (c) => typeof c?.type === "string" && typeof c?.status === "string"
  );
}
var isTrue = (conditions, type) => conditions.some((c) => c.type === type && c.status === "True");
var told = (c, fallback) => c.message || c.reason || fallback;
var withDetail = (text, c) => c.message ? `${text}: ${c.message}` : text;
function assessHealth(object, now = Date.now()) {
  const status = fieldsOf(object.status);
  const view = {
    object,
    spec: fieldsOf(object.spec),
    status,
    conditions: conditionsOf(status)
  };
  const key = ruleKey(object);
  if (key === "batch/Job") return job(view);
  return generic(view) ?? kindRules[key]?.(view, now) ?? readyCondition(view) ?? // No rule and no condition that says otherwise: kstatus calls it Current.
  healthy("Resource is current");
}
function ruleKey(object) {
  const group = groupOf(object.apiVersion);
  return group ? `${group}/${object.kind}` : object.kind;
}
function generic({ object, status, conditions }) {
  if (object.metadata.deletionTimestamp) return progressing("Resource scheduled for deletion");
  const generation = object.metadata.generation;
  const observed = status.observedGeneration;
  if (typeof generation === "number" && typeof observed === "number" && observed !== generation) {
    return progressing(
      `${object.kind} generation is ${generation}, but latest observed generation is ${observed}`
    );
  }
  for (const c of conditions) {
    if (c.type === "Reconciling" && c.status === "True") return progressing(told(c, "Reconciling"));
    if (c.type === "Stalled" && c.status === "True") return failed(told(c, "Stalled"));
  }
  return void 0;
}
function readyCondition({ conditions }) {
  const ready = conditions.find((c) => c.type === "Ready");
  if (ready?.status === "True") return healthy("Resource is Ready");
  if (ready?.status === "False" || ready?.status === "Unknown")
    return progressing(told(ready, "not Ready"));
  return void 0;
}
var always = () => healthy("Resource is always ready");
var deployment = ({ spec, status, conditions }) => {
  const MAX_INT32 = 2 ** 31 - 1;
  let rolledOut = int(spec.progressDeadlineSeconds, MAX_INT32) === MAX_INT32;
  for (const c of conditions) {
    if (c.type !== "Progressing") continue;
    if (c.reason === "ProgressDeadlineExceeded")
      return failed(withDetail("Progress deadline exceeded", c));
    if (c.status === "True" && c.reason === "NewReplicaSetAvailable") rolledOut = true;
  }
  const want = int(spec.replicas, 1);
  const total = int(status.replicas, 0);
  const updated = int(status.updatedReplicas, 0);
  const ready = int(status.readyReplicas, 0);
  const available = int(status.availableReplicas, 0);
  if (want > total) return progressing(`Replicas: ${total}/${want}`);
  if (want > updated) return progressing(`Updated: ${updated}/${want}`);
  if (total > want) return progressing(`Pending termination: ${total - want}`);
  if (updated > available) return progressing(`Available: ${available}/${updated}`);
  if (want > ready) return progressing(`Ready: ${ready}/${want}`);
  if (!rolledOut) return progressing("ReplicaSet not Available");
  if (!isTrue(conditions, "Available")) return progressing("Deployment not Available");
  return healthy(`Deployment is available. Replicas: ${total}`);
};
var replicaSet = ({ spec, status, conditions }) => {
  if (isTrue(conditions, "ReplicaFailure"))
    return progressing("Replica Failure condition. Check Pods");
  const want = int(spec.replicas, 1);
  const total = int(status.replicas, 0);
  const labelled = int(status.fullyLabeledReplicas, 0);
  const available = int(status.availableReplicas, 0);
  const ready = int(status.readyReplicas, 0);
  if (want > labelled) return progressing(`Labelled: ${labelled}/${want}`);
  if (want > available) return progressing(`Available: ${available}/${want}`);
  if (want > ready) return progressing(`Ready: ${ready}/${want}`);
  if (total > want) return progressing(`Pending termination: ${total - want}`);
  return healthy(`ReplicaSet is available. Replicas: ${total}`);
};
var statefulSet = ({ spec, status }) => {
  const strategy = fieldsOf(spec.updateStrategy);
  if (strategy.type === "OnDelete")
    return healthy("StatefulSet is using the ondelete update strategy");
  const want = int(spec.replicas, 1);
  const total = int(status.replicas, 0);
  const ready = int(status.readyReplicas, 0);
  const current = int(status.currentReplicas, 0);
  const updated = int(status.updatedReplicas, 0);
  if (want > total) return progressing(`Replicas: ${total}/${want}`);
  if (want > ready) return progressing(`Ready: ${ready}/${want}`);
  if (total > want) return progressing(`Pending termination: ${total - want}`);
  const partition = int(fieldsOf(strategy.rollingUpdate).partition, -1);
  if (partition !== -1) {
    if (updated < want - partition) return progressing(`updated: ${updated}/${want - partition}`);
    return healthy(`Partition rollout complete. updated: ${updated}`);
  }
  if (want > current) return progressing(`current: ${current}/${want}`);
  if (str(status.currentRevision, "") !== str(status.updateRevision, ""))
    return progressing("Waiting for updated revision to match current");
  return healthy(`All replicas scheduled as expected. Replicas: ${total}`);
};
var daemonSet = ({ object, status }) => {
  if (typeof object.metadata.generation !== "number")
    return progressing(`${object.kind} metadata.generation not found`);
  if (typeof status.observedGeneration !== "number")
    return progressing(`${object.kind} status.observedGeneration not found`);
  const want = int(status.desiredNumberScheduled, -1);
  if (want === -1) return progressing("Missing .status.desiredNumberScheduled");
  const counts = [
    ["Current", int(status.currentNumberScheduled, 0)],
    ["Updated", int(status.updatedNumberScheduled, 0)],
    ["Available", int(status.numberAvailable, 0)],
    ["Ready", int(status.numberReady, 0)]
  ];
  for (const [what, count] of counts)
    if (want > count) return progressing(`${what}: ${count}/${want}`);
  return healthy(`All replicas scheduled as expected. Replicas: ${want}`);
};
var SCHEDULE_WINDOW_MS = 15e3;
var pod = ({ object, status, conditions }, now) => {
  const phase = str(status.phase, "");
  switch (phase) {
    case "Succeeded":
      return healthy("Pod has completed successfully");
    case "Failed":
      return healthy("Pod has completed, but not successfully");
    case "Running": {
      if (isTrue(conditions, "Ready")) return healthy("Pod is Ready");
      const looping = crashLooping(status);
      if (looping.length > 0) return failed(`Containers in CrashLoop state: ${looping.join(",")}`);
      return progressing("Pod is running but is not Ready");
    }
    case "Pending": {
      const unschedulable = conditions.some(
        (c) => c.type === "PodScheduled" && c.status === "False" && c.reason === "Unschedulable"
      );
      if (!unschedulable) return progressing("Pod is in the Pending phase");
      const createdAt = Date.parse(str(object.metadata.creationTimestamp, ""));
      if (now - SCHEDULE_WINDOW_MS < createdAt) return progressing("Pod has not been scheduled");
      return failed("Pod could not be scheduled");
    }
    case "":
      return progressing("Pod phase not available");
    default:
      return progressing(`Pod is in the unknown phase ${phase}`);
  }
};
function crashLooping(status) {
  const containers = Array.isArray(status.containerStatuses) ? status.containerStatuses : [];
  return containers.map(fieldsOf).filter((c) => fieldsOf(fieldsOf(c.state).waiting).reason === "CrashLoopBackOff").map((c) => str(c.name, "?"));
}
var persistentVolumeClaim = ({ status }) => {
  const phase = str(status.phase, "unknown");
  if (phase !== "Bound") return progressing(`PVC is not Bound. phase: ${phase}`);
  return healthy("PVC is Bound");
};
var service = ({ spec }) => {
  if (str(spec.type, "ClusterIP") === "LoadBalancer" && str(spec.clusterIP, "") === "")
    return progressing("ClusterIP not set. Service type: LoadBalancer");
  return healthy("Service is ready");
};
var podDisruptionBudget = () => healthy("AllowedDisruptions has been computed.");
var customResourceDefinition = ({ conditions }) => {
  for (const c of conditions) {
    if (c.type === "NamesAccepted" && c.status === "False")
      return failed(told(c, "NamesNotAccepted"));
    if (c.type === "Established") {
      if (c.status === "False" && c.reason !== "Installing")
        return failed(told(c, "NotEstablished"));
      if (c.status === "True") return healthy("CRD is established");
    }
  }
  return progressing("Install in progress");
};
function job({ spec, status, conditions }) {
  if (spec.suspend === true) return healthy("Job is suspended");
  const parallelism = int(spec.parallelism, 1);
  const completions = int(spec.completions, parallelism);
  const succeeded = int(status.succeeded, 0);
  const failures = int(status.failed, 0);
  for (const c of conditions) {
    if (c.type === "Complete" && c.status === "True")
      return healthy(`Job Completed. succeeded: ${succeeded}/${completions}`);
    if (c.type === "Failed" && c.status === "True")
      return failed(withDetail(`Job Failed. failed: ${failures}/${completions}`, c));
  }
  if (str(status.startTime, "") === "")
    return progressing(`Job not started. active: 0/${parallelism}`);
  const active = int(status.active, 0);
  return progressing(
    `Job in progress. success:${succeeded}, active: ${active}, failed: ${failures}`
  );
}
var kindRules = {
  Service: service,
  Pod: pod,
  Secret: always,
  ConfigMap: always,
  PersistentVolumeClaim: persistentVolumeClaim,
  "apps/StatefulSet": statefulSet,
  "apps/DaemonSet": daemonSet,
  "extensions/DaemonSet": daemonSet,
  "apps/Deployment": deployment,
  "extensions/Deployment": deployment,
  "apps/ReplicaSet": replicaSet,
  "extensions/ReplicaSet": replicaSet,
  "policy/PodDisruptionBudget": podDisruptionBudget,
  "batch/CronJob": always,
  "apiextensions.k8s.io/CustomResourceDefinition": customResourceDefinition
};

// agent/health.ts
function hasTTL(object) {
  return groupOf(object.apiVersion) === "batch" && object.kind === "Job" && typeof object.spec?.ttlSecondsAfterFinished === "number";
}
function assessMissing(ref, removedByTTL) {
  if (removedByTTL && groupOf(ref.apiVersion) === "batch" && ref.kind === "Job")
    return { state: "healthy", message: "finished and removed after its ttlSecondsAfterFinished" };
  return { state: "progressing", message: "not found" };
}
async function waitForHealth(client, refs, timeoutMs, intervalMs = 1e3, assess = assessHealth, desired = []) {
  const deadline = Date.now() + timeoutMs;
  const removedByTTL = new Set(desired.filter(hasTTL).map((o) => refKey(refOf(o))));
  let waiting = [...refs];
  for (; ; ) {
    const problems = [];
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
async function healthOf(client, ref, assess, removedByTTL) {
  let live;
  try {
    live = await client.get(ref);
  } catch (error) {
    return { state: "progressing", message: `cannot read it: ${error.message}` };
  }
  if (!live) return assessMissing(ref, removedByTTL.has(refKey(ref)));
  if (hasTTL(live)) removedByTTL.add(refKey(ref));
  return assess(live);
}
function describeProblems(changes) {
  return changes.filter((c) => c.action === "unhealthy").map((c) => `${describeRef(c.ref)}: ${c.detail}`).join("; ");
}

export {
  assessHealth,
  waitForHealth,
  describeProblems
};
