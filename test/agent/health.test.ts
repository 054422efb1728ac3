// Health as Flux judges it: kstatus (sigs.k8s.io/cli-utils/pkg/kstatus/status) plus
// kustomize-controller's Job reader and its Jobs with ttlSecondsAfterFinished. Objects
// are shaped as the API server returns them (defaults filled in, status as the
// controllers write it).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { assessHealth, type HealthState, waitForHealth } from "../../agent/health.ts";
import type { KubeApi } from "../../shared/kube/api.ts";
import type { KubeObject } from "../../shared/manifests/object.ts";

const created = "2026-01-01T00:00:00Z";
const minuteLater = Date.parse(created) + 60_000;

function object(
  apiVersion: string,
  kind: string,
  spec: object | undefined,
  status: object | undefined,
  metadata: object = {},
): KubeObject {
  return {
    apiVersion,
    kind,
    metadata: {
      name: "x",
      namespace: "n",
      uid: "0b7c3c9e-2f3a-4a55-9f0e-5d4b7f1b8a01",
      creationTimestamp: created,
      ...metadata,
    },
    ...(spec ? { spec } : {}),
    ...(status ? { status } : {}),
  };
}

const cond = (type: string, status: string, reason = "", message = "") => ({
  type,
  status,
  reason,
  message,
  lastTransitionTime: created,
});

function expectState(name: string, o: KubeObject, state: HealthState, message?: RegExp) {
  test(`${name}: ${state}`, () => {
    const health = assessHealth(o, minuteLater);
    assert.equal(health.state, state, health.message);
    if (message) assert.match(health.message, message);
  });
}

describe("generic rules (every kind)", () => {
  const widget = (status: object, metadata: object = { generation: 2 }) =>
    object("example.com/v1", "Widget", { size: 1 }, status, metadata);

  expectState(
    "Ready=True",
    widget({ observedGeneration: 2, conditions: [cond("Ready", "True")] }),
    "healthy",
  );
  // Many controllers (cert-manager, ...) never write status.observedGeneration.
  expectState(
    "Ready=True without status.observedGeneration",
    widget({ conditions: [cond("Ready", "True")] }),
    "healthy",
  );
  expectState(
    "Ready=True for an older generation",
    widget({ observedGeneration: 1, conditions: [cond("Ready", "True")] }),
    "progressing",
    /generation is 2, but latest observed generation is 1/,
  );
  expectState(
    "Ready=True while Reconciling=True",
    widget({
      observedGeneration: 2,
      conditions: [cond("Ready", "True"), cond("Reconciling", "True", "Progressing", "upgrading")],
    }),
    "progressing",
    /upgrading/,
  );
  expectState(
    "Stalled=True",
    widget({ conditions: [cond("Stalled", "True", "BadConfig", "bad config")] }),
    "failed",
    /bad config/,
  );
  expectState(
    "Ready=Unknown",
    widget({ conditions: [cond("Ready", "Unknown", "Pending", "waiting")] }),
    "progressing",
  );
  expectState(
    "being deleted",
    widget(
      { conditions: [cond("Ready", "True")] },
      { generation: 2, deletionTimestamp: created, finalizers: ["example.com/x"] },
    ),
    "progressing",
    /deletion/,
  );
  expectState("no conditions at all", widget({}), "healthy");
  // Kind rules are per API group: a Deployment of another group is a custom resource.
  expectState(
    "a Deployment of another API group, Ready",
    object("example.com/v1", "Deployment", {}, { conditions: [cond("Ready", "True")] }),
    "healthy",
  );
  expectState(
    "Stalled=True on a built-in kind",
    object(
      "apps/v1",
      "Deployment",
      { replicas: 1 },
      { observedGeneration: 1, conditions: [cond("Stalled", "True", "Quota", "over quota")] },
      { generation: 1 },
    ),
    "failed",
  );
});

describe("Deployment", () => {
  const deployment = (status: object, spec: object = {}) =>
    object(
      "apps/v1",
      "Deployment",
      { replicas: 2, progressDeadlineSeconds: 600, ...spec },
      status,
      { generation: 3 },
    );
  const settled = {
    observedGeneration: 3,
    replicas: 2,
    updatedReplicas: 2,
    readyReplicas: 2,
    availableReplicas: 2,
  };
  const available = cond("Available", "True", "MinimumReplicasAvailable");
  const progressed = cond("Progressing", "True", "NewReplicaSetAvailable");

  expectState(
    "rolled out",
    deployment({ ...settled, conditions: [available, progressed] }),
    "healthy",
  );
  expectState(
    "counts settled but the controller still rolling (ReplicaSetUpdated)",
    deployment({
      ...settled,
      conditions: [available, cond("Progressing", "True", "ReplicaSetUpdated")],
    }),
    "progressing",
  );
  expectState(
    "counts settled but not Available",
    deployment({
      ...settled,
      conditions: [cond("Available", "False", "MinimumReplicasUnavailable"), progressed],
    }),
    "progressing",
  );
  expectState(
    "not all ready",
    deployment({ ...settled, readyReplicas: 1, conditions: [available, progressed] }),
    "progressing",
  );
  expectState(
    "old replicas still terminating",
    deployment({ ...settled, replicas: 3, conditions: [available, progressed] }),
    "progressing",
  );
  expectState(
    "past its progress deadline",
    deployment({
      ...settled,
      updatedReplicas: 1,
      conditions: [
        available,
        cond("Progressing", "False", "ProgressDeadlineExceeded", 'ReplicaSet "x" has timed out'),
      ],
    }),
    "failed",
  );
  expectState(
    "new spec not observed yet",
    deployment({ ...settled, observedGeneration: 2, conditions: [available, progressed] }),
    "progressing",
  );
  expectState(
    "scaled to zero",
    deployment({ observedGeneration: 3, conditions: [available, progressed] }, { replicas: 0 }),
    "healthy",
  );
});

describe("StatefulSet", () => {
  const sts = (spec: object, status: object) =>
    object("apps/v1", "StatefulSet", { serviceName: "x", ...spec }, status, { generation: 2 });
  const rolling = (partition: number) => ({
    type: "RollingUpdate",
    rollingUpdate: { partition },
  });

  expectState(
    "OnDelete: no rollout to wait for, even with nothing ready",
    sts(
      { replicas: 2, updateStrategy: { type: "OnDelete" } },
      { observedGeneration: 2, replicas: 2, readyReplicas: 0, availableReplicas: 0 },
    ),
    "healthy",
  );
  expectState(
    "partitioned rollout done (updated >= replicas - partition)",
    sts(
      { replicas: 3, updateStrategy: rolling(1) },
      {
        observedGeneration: 2,
        replicas: 3,
        readyReplicas: 3,
        availableReplicas: 3,
        currentReplicas: 1,
        updatedReplicas: 2,
        currentRevision: "x-1",
        updateRevision: "x-2",
      },
    ),
    "healthy",
  );
  expectState(
    "partitioned rollout under way",
    sts(
      { replicas: 3, updateStrategy: rolling(1) },
      {
        observedGeneration: 2,
        replicas: 3,
        readyReplicas: 3,
        currentReplicas: 2,
        updatedReplicas: 1,
        currentRevision: "x-1",
        updateRevision: "x-2",
      },
    ),
    "progressing",
  );
  expectState(
    "all ready on the new revision",
    sts(
      { replicas: 2, updateStrategy: rolling(0) },
      {
        observedGeneration: 2,
        replicas: 2,
        readyReplicas: 2,
        currentReplicas: 2,
        updatedReplicas: 2,
        currentRevision: "x-2",
        updateRevision: "x-2",
      },
    ),
    "healthy",
  );
  expectState(
    "not all ready",
    sts(
      { replicas: 2, updateStrategy: rolling(0) },
      { observedGeneration: 2, replicas: 2, readyReplicas: 1, updatedReplicas: 2 },
    ),
    "progressing",
  );
  expectState(
    "scaling down: a pod still terminating",
    sts(
      { replicas: 2, updateStrategy: rolling(0) },
      {
        observedGeneration: 2,
        replicas: 3,
        readyReplicas: 3,
        currentReplicas: 3,
        updatedReplicas: 3,
        currentRevision: "x-2",
        updateRevision: "x-2",
      },
    ),
    "progressing",
  );
});

describe("DaemonSet", () => {
  const ds = (status: object | undefined) =>
    object("apps/v1", "DaemonSet", {}, status, { generation: 1 });
  const all = {
    observedGeneration: 1,
    desiredNumberScheduled: 3,
    currentNumberScheduled: 3,
    updatedNumberScheduled: 3,
    numberAvailable: 3,
    numberReady: 3,
    numberMisscheduled: 0,
  };
  expectState("all pods updated, available and ready", ds(all), "healthy");
  expectState("still rolling", ds({ ...all, updatedNumberScheduled: 2 }), "progressing");
  expectState("not all ready", ds({ ...all, numberReady: 2 }), "progressing");
  expectState("no status yet", ds(undefined), "progressing");
});

describe("ReplicaSet", () => {
  const rs = (status: object) =>
    object("apps/v1", "ReplicaSet", { replicas: 2 }, status, { generation: 1 });
  const all = {
    observedGeneration: 1,
    replicas: 2,
    fullyLabeledReplicas: 2,
    readyReplicas: 2,
    availableReplicas: 2,
  };
  expectState("all available", rs(all), "healthy");
  expectState("not available yet", rs({ ...all, availableReplicas: 0 }), "progressing");
  expectState(
    "pods cannot be created",
    rs({
      ...all,
      conditions: [cond("ReplicaFailure", "True", "FailedCreate", "forbidden: exceeded quota")],
    }),
    "progressing",
  );
});

describe("Pod", () => {
  const pod = (status: object, metadata: object = {}) =>
    object("v1", "Pod", { containers: [{ name: "c", image: "i" }] }, status, metadata);
  expectState(
    "Running and Ready",
    pod({ phase: "Running", conditions: [cond("Ready", "True")] }),
    "healthy",
  );
  expectState(
    "Running, not Ready",
    pod({ phase: "Running", conditions: [cond("Ready", "False", "ContainersNotReady")] }),
    "progressing",
  );
  expectState(
    "crash looping",
    pod({
      phase: "Running",
      conditions: [cond("Ready", "False", "ContainersNotReady")],
      containerStatuses: [
        { name: "c", ready: false, state: { waiting: { reason: "CrashLoopBackOff" } } },
      ],
    }),
    "failed",
    /CrashLoop.*c/,
  );
  expectState("Pending", pod({ phase: "Pending" }), "progressing");
  expectState("not observed yet", pod({}), "progressing");
  expectState(
    "unschedulable for over 15 s",
    pod({ phase: "Pending", conditions: [cond("PodScheduled", "False", "Unschedulable")] }),
    "failed",
  );
  test("unschedulable within 15 s of creation: progressing", () => {
    const p = pod({
      phase: "Pending",
      conditions: [cond("PodScheduled", "False", "Unschedulable")],
    });
    assert.equal(assessHealth(p, Date.parse(created) + 5_000).state, "progressing");
  });
  expectState("Succeeded", pod({ phase: "Succeeded" }), "healthy");
  // kstatus: a Pod that ran to completion is Current whether or not it succeeded.
  expectState("Failed (completed)", pod({ phase: "Failed" }), "healthy");
});

describe("other built-in kinds", () => {
  expectState(
    "a PersistentVolumeClaim not bound",
    object("v1", "PersistentVolumeClaim", { accessModes: ["ReadWriteOnce"] }, { phase: "Pending" }),
    "progressing",
    /not Bound/,
  );
  expectState(
    "a PersistentVolumeClaim bound",
    object("v1", "PersistentVolumeClaim", { volumeName: "pv" }, { phase: "Bound" }),
    "healthy",
  );
  // kstatus does not wait for a load balancer's ingress, only for the cluster IP.
  expectState(
    "a LoadBalancer Service without ingress yet",
    object("v1", "Service", { type: "LoadBalancer", clusterIP: "10.0.0.7" }, { loadBalancer: {} }),
    "healthy",
  );
  expectState(
    "a PodDisruptionBudget whose budget is not met",
    object(
      "policy/v1",
      "PodDisruptionBudget",
      { minAvailable: 2 },
      { observedGeneration: 1, currentHealthy: 1, desiredHealthy: 2, disruptionsAllowed: 0 },
      { generation: 1 },
    ),
    "healthy",
  );
  const crd = (conditions: object[]) =>
    object(
      "apiextensions.k8s.io/v1",
      "CustomResourceDefinition",
      { group: "example.com" },
      { conditions },
      { generation: 1, namespace: undefined },
    );
  expectState(
    "a CRD Established",
    crd([cond("NamesAccepted", "True"), cond("Established", "True")]),
    "healthy",
  );
  expectState(
    "a CRD installing",
    crd([cond("NamesAccepted", "True"), cond("Established", "False", "Installing")]),
    "progressing",
  );
  expectState("a CRD without status yet", crd([]), "progressing");
  expectState(
    "a CRD whose names conflict",
    crd([cond("NamesAccepted", "False", "MultipleNamesNotAllowed", "conflict")]),
    "failed",
  );
});

describe("Job (kustomize-controller waits for completion)", () => {
  const job = (spec: object, status: object | undefined) =>
    object("batch/v1", "Job", { parallelism: 1, completions: 1, ...spec }, status, {
      generation: 1,
    });
  expectState("not started", job({}, undefined), "progressing");
  expectState(
    "running",
    job({}, { startTime: created, active: 1, ready: 1, terminating: 0 }),
    "progressing",
  );
  expectState(
    "complete",
    job(
      {},
      {
        startTime: created,
        succeeded: 1,
        conditions: [cond("SuccessCriteriaMet", "True"), cond("Complete", "True")],
      },
    ),
    "healthy",
  );
  expectState(
    "failed",
    job(
      {},
      {
        startTime: created,
        failed: 1,
        conditions: [
          cond("FailureTarget", "True", "BackoffLimitExceeded"),
          cond("Failed", "True", "BackoffLimitExceeded"),
        ],
      },
    ),
    "failed",
  );
  expectState(
    "suspended",
    job(
      { suspend: true },
      { conditions: [cond("Suspended", "True", "JobSuspended", "Job suspended")] },
    ),
    "healthy",
  );
});

describe("objects that are gone", () => {
  // A KubeApi where nothing exists: every object has been deleted.
  const empty = { get: async () => undefined } as unknown as KubeApi;
  const jobRef = { apiVersion: "batch/v1", kind: "Job", namespace: "n", name: "migrate" };
  const manifest = (spec: object): KubeObject => ({
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name: "migrate", namespace: "n" },
    spec: { template: { spec: { restartPolicy: "Never", containers: [] } }, ...spec },
  });

  test("a Job with ttlSecondsAfterFinished that is gone finished: nothing unhealthy", async () => {
    const unhealthy = await waitForHealth(empty, [jobRef], 50, 10, undefined, [
      manifest({ ttlSecondsAfterFinished: 0 }),
    ]);
    assert.deepEqual(unhealthy, []);
  });

  test("a Job without a TTL that is gone: not found", async () => {
    const unhealthy = await waitForHealth(empty, [jobRef], 50, 10, undefined, [manifest({})]);
    assert.deepEqual(
      unhealthy.map((c) => c.detail),
      ["not found"],
    );
  });

  test("a Job seen with a TTL during the wait, then removed: finished", async () => {
    let calls = 0;
    const vanishing = {
      get: async () =>
        calls++ === 0
          ? { ...manifest({ ttlSecondsAfterFinished: 0 }), status: { startTime: created } }
          : undefined,
    } as unknown as KubeApi;
    assert.deepEqual(await waitForHealth(vanishing, [jobRef], 500, 10), []);
  });
});
