// Whether one live object is healthy, judged as Flux judges it: kstatus's rules
// (sigs.k8s.io/cli-utils/pkg/kstatus/status, core.go and generic.go) plus
// kustomize-controller's own reader for Jobs. Pure: the object (and the time, for
// Pods) in, a state and a message out. kstatus's messages are kept so that a health
// report reads as Flux's does.
import { groupOf, type KubeObject } from "../shared/manifests/object.ts";

export type HealthState = "healthy" | "progressing" | "failed";

export interface Health {
  state: HealthState;
  message: string;
}

type Fields = Record<string, unknown>;

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

const healthy = (message: string): Health => ({ state: "healthy", message });
const progressing = (message: string): Health => ({ state: "progressing", message });
const failed = (message: string): Health => ({ state: "failed", message });

const fieldsOf = (value: unknown): Fields =>
  value && typeof value === "object" && !Array.isArray(value) ? (value as Fields) : {};
/** An integer field, or `fallback` when it is absent (kstatus's GetIntField). */
const int = (value: unknown, fallback: number): number =>
  typeof value === "number" && Number.isInteger(value) ? value : fallback;
const str = (value: unknown, fallback: string): string =>
  typeof value === "string" ? value : fallback;

function conditionsOf(status: Fields): Condition[] {
  const list = Array.isArray(status.conditions) ? status.conditions : [];
  return list.filter(
    (c): c is Condition => typeof c?.type === "string" && typeof c?.status === "string",
  );
}
const isTrue = (conditions: Condition[], type: string) =>
  conditions.some((c) => c.type === type && c.status === "True");
/** A condition's own words for a message: its message, else its reason. */
const told = (c: Condition, fallback: string) => c.message || c.reason || fallback;
/** `text`, followed by the condition's message when it has one. */
const withDetail = (text: string, c: Condition) => (c.message ? `${text}: ${c.message}` : text);

/** What a rule reads: spec, status and conditions, with absent ones as empty. */
interface View {
  object: KubeObject;
  spec: Fields;
  status: Fields;
  conditions: Condition[];
}

/** A rule decides, or answers undefined to leave the decision to the next rule. */
type Rule = (view: View, now: number) => Health | undefined;

export function assessHealth(object: KubeObject, now: number = Date.now()): Health {
  const status = fieldsOf(object.status);
  const view: View = {
    object,
    spec: fieldsOf(object.spec),
    status,
    conditions: conditionsOf(status),
  };
  const key = ruleKey(object);
  // kustomize-controller replaces kstatus's Job rule with its own, and only that rule
  // runs for Jobs: a Job is healthy when it completed, not when it started.
  if (key === "batch/Job") return job(view);
  return (
    generic(view) ??
    kindRules[key]?.(view, now) ??
    readyCondition(view) ??
    // No rule and no condition that says otherwise: kstatus calls it Current.
    healthy("Resource is current")
  );
}

/** `group/Kind`, or `Kind` for the core group: kind rules are per API group. */
function ruleKey(object: KubeObject): string {
  const group = groupOf(object.apiVersion);
  return group ? `${group}/${object.kind}` : object.kind;
}

/** Rules for every kind, before the kind's own (kstatus's checkGenericProperties). */
function generic({ object, status, conditions }: View): Health | undefined {
  if (object.metadata.deletionTimestamp) return progressing("Resource scheduled for deletion");
  // Only when the controller reports observedGeneration: many never do.
  const generation = object.metadata.generation;
  const observed = status.observedGeneration;
  if (typeof generation === "number" && typeof observed === "number" && observed !== generation) {
    return progressing(
      `${object.kind} generation is ${generation}, but latest observed generation is ${observed}`,
    );
  }
  // kstatus's own conditions, for any controller that sets them.
  for (const c of conditions) {
    if (c.type === "Reconciling" && c.status === "True") return progressing(told(c, "Reconciling"));
    if (c.type === "Stalled" && c.status === "True") return failed(told(c, "Stalled"));
  }
  return undefined;
}

/** Kinds without a rule of their own: a Ready condition, widely used, decides. */
function readyCondition({ conditions }: View): Health | undefined {
  const ready = conditions.find((c) => c.type === "Ready");
  if (ready?.status === "True") return healthy("Resource is Ready");
  if (ready?.status === "False" || ready?.status === "Unknown")
    return progressing(told(ready, "not Ready"));
  return undefined;
}

const always: Rule = () => healthy("Resource is always ready");

const deployment: Rule = ({ spec, status, conditions }) => {
  // Without a deadline the controller never reports NewReplicaSetAvailable.
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
  // The counts can look final a moment before the controller says the rollout is done.
  if (!rolledOut) return progressing("ReplicaSet not Available");
  if (!isTrue(conditions, "Available")) return progressing("Deployment not Available");
  return healthy(`Deployment is available. Replicas: ${total}`);
};

const replicaSet: Rule = ({ spec, status, conditions }) => {
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

const statefulSet: Rule = ({ spec, status }) => {
  const strategy = fieldsOf(spec.updateStrategy);
  // With OnDelete, pods change when someone deletes them: there is no rollout to wait for.
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
  // A partition holds pods below it on the old revision on purpose: done once the pods
  // at or above it are updated. (The API server defaults the partition to 0.)
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

const daemonSet: Rule = ({ object, status }) => {
  // The generic check skips objects without observedGeneration; a DaemonSet the
  // controller has acted on always has one, so its absence means "not yet".
  if (typeof object.metadata.generation !== "number")
    return progressing(`${object.kind} metadata.generation not found`);
  if (typeof status.observedGeneration !== "number")
    return progressing(`${object.kind} status.observedGeneration not found`);
  const want = int(status.desiredNumberScheduled, -1);
  if (want === -1) return progressing("Missing .status.desiredNumberScheduled");
  const counts: [string, number][] = [
    ["Current", int(status.currentNumberScheduled, 0)],
    ["Updated", int(status.updatedNumberScheduled, 0)],
    ["Available", int(status.numberAvailable, 0)],
    ["Ready", int(status.numberReady, 0)],
  ];
  for (const [what, count] of counts)
    if (want > count) return progressing(`${what}: ${count}/${want}`);
  return healthy(`All replicas scheduled as expected. Replicas: ${want}`);
};

/** How long a Pod may wait for a node before it counts as unschedulable. */
const SCHEDULE_WINDOW_MS = 15_000;

const pod: Rule = ({ object, status, conditions }, now) => {
  const phase = str(status.phase, "");
  switch (phase) {
    case "Succeeded":
      return healthy("Pod has completed successfully");
    case "Failed":
      // kstatus: a Pod that ran to its end is Current, whatever its exit code.
      return healthy("Pod has completed, but not successfully");
    case "Running": {
      if (isTrue(conditions, "Ready")) return healthy("Pod is Ready");
      const looping = crashLooping(status);
      if (looping.length > 0) return failed(`Containers in CrashLoop state: ${looping.join(",")}`);
      return progressing("Pod is running but is not Ready");
    }
    case "Pending": {
      const unschedulable = conditions.some(
        (c) => c.type === "PodScheduled" && c.status === "False" && c.reason === "Unschedulable",
      );
      if (!unschedulable) return progressing("Pod is in the Pending phase");
      const createdAt = Date.parse(str(object.metadata.creationTimestamp, ""));
      if (now - SCHEDULE_WINDOW_MS < createdAt) return progressing("Pod has not been scheduled");
      return failed("Pod could not be scheduled");
    }
    case "":
      return progressing("Pod phase not available");
    default:
      // kstatus cannot tell (Unknown); Flux keeps waiting.
      return progressing(`Pod is in the unknown phase ${phase}`);
  }
};

function crashLooping(status: Fields): string[] {
  const containers = Array.isArray(status.containerStatuses) ? status.containerStatuses : [];
  return containers
    .map(fieldsOf)
    .filter((c) => fieldsOf(fieldsOf(c.state).waiting).reason === "CrashLoopBackOff")
    .map((c) => str(c.name, "?"));
}

const persistentVolumeClaim: Rule = ({ status }) => {
  const phase = str(status.phase, "unknown");
  if (phase !== "Bound") return progressing(`PVC is not Bound. phase: ${phase}`);
  return healthy("PVC is Bound");
};

// kstatus waits for a LoadBalancer's cluster IP only, not for its external ingress.
const service: Rule = ({ spec }) => {
  if (str(spec.type, "ClusterIP") === "LoadBalancer" && str(spec.clusterIP, "") === "")
    return progressing("ClusterIP not set. Service type: LoadBalancer");
  return healthy("Service is ready");
};

// The generic rules already checked observedGeneration; kstatus asks no more of a PDB.
const podDisruptionBudget: Rule = () => healthy("AllowedDisruptions has been computed.");

const customResourceDefinition: Rule = ({ conditions }) => {
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

/** kustomize-controller's Job reader: healthy when complete (or suspended), not when started. */
function job({ spec, status, conditions }: View): Health {
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
    `Job in progress. success:${succeeded}, active: ${active}, failed: ${failures}`,
  );
}

/** kstatus's rules per `group/Kind` (core kinds without a group). */
const kindRules: Record<string, Rule> = {
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
  "apiextensions.k8s.io/CustomResourceDefinition": customResourceDefinition,
};
