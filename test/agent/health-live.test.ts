// waitForHealth against the local environment's API server: the controller-manager
// binds claims, schedules StatefulSet pods, runs Jobs (kwok completes their pods) and
// removes finished Jobs after their ttlSecondsAfterFinished.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { waitForHealth } from "../../agent/health.ts";
import { KubeClient } from "../../shared/kube/client.ts";
import { type KubeObject, refOf } from "../../shared/manifests/object.ts";
import { testenv } from "../helpers/testenv.ts";
import { waitFor } from "../helpers/wait.ts";

const id = randomBytes(3).toString("hex");
const ns = `health-${id}`;
const pvName = `health-${id}`;
let client: KubeClient;

const apply = (object: KubeObject) => client.apply(object, { fieldManager: "tether-test" });
/** What waitForHealth reports, as `name: detail` lines. */
const problems = async (objects: KubeObject[], timeoutMs: number, desired?: KubeObject[]) =>
  (await waitForHealth(client, objects.map(refOf), timeoutMs, 200, undefined, desired)).map(
    (c) => `${c.ref.name}: ${c.detail}`,
  );

const podSpec = (nowhere: boolean) => ({
  ...(nowhere ? { nodeSelector: { "tether.dev/nowhere": "true" } } : {}),
  containers: [{ name: "c", image: "example.invalid/app:1" }],
});

describe("waitForHealth on the local cluster", () => {
  before(async () => {
    client = await KubeClient.connect({ kubeconfig: testenv().kubeconfig });
    await apply({ apiVersion: "v1", kind: "Namespace", metadata: { name: ns } });
  });
  after(async () => {
    await client.delete({ apiVersion: "v1", kind: "Namespace", name: ns }).catch(() => false);
    await client
      .delete({ apiVersion: "v1", kind: "PersistentVolume", name: pvName })
      .catch(() => false);
    client.close();
  });

  test("a PersistentVolumeClaim is healthy once Bound, not once applied", async () => {
    const claim: KubeObject = {
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: { name: "data", namespace: ns },
      spec: {
        storageClassName: "",
        accessModes: ["ReadWriteOnce"],
        resources: { requests: { storage: "1Gi" } },
      },
    };
    await apply(claim);
    assert.deepEqual(await problems([claim], 1_000), ["data: PVC is not Bound. phase: Pending"]);

    // A volume reserved for the claim: the controller-manager binds them.
    await apply({
      apiVersion: "v1",
      kind: "PersistentVolume",
      metadata: { name: pvName },
      spec: {
        storageClassName: "",
        capacity: { storage: "1Gi" },
        accessModes: ["ReadWriteOnce"],
        hostPath: { path: `/tmp/${pvName}` },
        claimRef: { namespace: ns, name: "data" },
      },
    });
    assert.deepEqual(await problems([claim], 60_000), []);
  });

  test("a Pod no node can run is not healthy", async () => {
    const pod: KubeObject = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "stuck", namespace: ns },
      spec: podSpec(true),
    };
    await apply(pod);
    const [problem] = await problems([pod], 1_000);
    assert.match(problem ?? "healthy", /^stuck: Pod .*(Pending|scheduled)/);
  });

  test("a StatefulSet with updateStrategy OnDelete has no rollout to wait for", async () => {
    const sts = (name: string, updateStrategy: object): KubeObject => ({
      apiVersion: "apps/v1",
      kind: "StatefulSet",
      metadata: { name, namespace: ns },
      spec: {
        replicas: 1,
        serviceName: name,
        updateStrategy,
        selector: { matchLabels: { app: name } },
        template: { metadata: { labels: { app: name } }, spec: podSpec(true) },
      },
    });
    const onDelete = sts("on-delete", { type: "OnDelete" });
    const rolling = sts("rolling", { type: "RollingUpdate" });
    await apply(onDelete);
    await apply(rolling);
    assert.deepEqual(await problems([onDelete, rolling], 1_500), ["rolling: Ready: 0/1"]);
  });

  test("a Job already removed by its ttlSecondsAfterFinished counts as done", async () => {
    const job: KubeObject = {
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: { name: "migrate", namespace: ns },
      spec: {
        ttlSecondsAfterFinished: 0,
        template: { spec: { ...podSpec(false), restartPolicy: "Never" } },
      },
    };
    await apply(job);
    await waitFor(
      "the finished Job to be removed",
      async () => ((await client.get(refOf(job))) ? undefined : true),
      90_000,
    );
    assert.deepEqual(await problems([job], 1_000, [job]), []);
    // Without the manifest's TTL there is no telling it finished: as in Flux, not found.
    assert.deepEqual(await problems([job], 500), ["migrate: not found"]);
  });
});
