// Pure decisions of the sync engine: staging, preparation, conflicts, prune safety,
// inventory diff and health assessment.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  type AppliedChange,
  findDuplicates,
  isHandEditConflict,
  prepareObject,
  stageOf,
} from "../../agent/apply.ts";
import { assessHealth } from "../../agent/health.ts";
import { objectHash, pruneCandidates, recordOf } from "../../agent/inventory.ts";
import { keepReason } from "../../agent/prune.ts";
import { markDrift } from "../../agent/reconcile.ts";
import type { KubeObject } from "../../shared/manifests/object.ts";

const obj = (
  apiVersion: string,
  kind: string,
  name: string,
  extra: Partial<KubeObject> = {},
): KubeObject => ({
  apiVersion,
  kind,
  metadata: { name },
  ...extra,
});

describe("apply decisions", () => {
  test("CRDs go first, then Namespaces, then everything else", () => {
    assert.equal(stageOf(obj("apiextensions.k8s.io/v1", "CustomResourceDefinition", "a.b")), 0);
    assert.equal(stageOf(obj("v1", "Namespace", "n")), 1);
    assert.equal(stageOf(obj("v1", "ConfigMap", "c")), 2);
    assert.equal(stageOf(obj("example.com/v1", "Namespace", "n")), 2);
  });

  test("prepared objects carry the unit label and a decided namespace", () => {
    const cm = obj("v1", "ConfigMap", "c", { metadata: { name: "c", labels: { app: "x" } } });
    const prepared = prepareObject(cm, { unit: "apps", namespaced: true });
    assert.deepEqual(prepared.metadata.labels, {
      app: "x",
      "tether.dev/unit": "apps",
      "app.kubernetes.io/managed-by": "tether",
    });
    assert.equal(prepared.metadata.namespace, "default");
    assert.equal(cm.metadata.labels?.["tether.dev/unit"], undefined, "the input is not changed");
    assert.equal(
      prepareObject(cm, { unit: "a", namespaced: true, targetNamespace: "edge" }).metadata
        .namespace,
      "edge",
    );
    const role = obj("rbac.authorization.k8s.io/v1", "ClusterRole", "r", {
      metadata: { name: "r", namespace: "x" },
    });
    assert.equal(
      prepareObject(role, { unit: "a", namespaced: false }).metadata.namespace,
      undefined,
    );
  });

  test("an object defined twice is found, whatever its apiVersion", () => {
    const a = {
      object: obj("apps/v1", "Deployment", "d", { metadata: { name: "d", namespace: "n" } }),
      source: { file: "a.yaml", line: 1 },
    };
    const b = {
      object: obj("apps/v1beta1", "Deployment", "d", { metadata: { name: "d", namespace: "n" } }),
      source: { file: "b.yaml", line: 4 },
    };
    const c = {
      object: obj("v1", "ConfigMap", "d", { metadata: { name: "d", namespace: "n" } }),
      source: { file: "c.yaml" },
    };
    const dupes = findDuplicates([a, b, c]);
    assert.equal(dupes.size, 1);
    assert.deepEqual([...dupes.values()][0], [a, b]);
  });

  const live = (managers: [string, string][]): KubeObject =>
    obj("v1", "ConfigMap", "c", {
      metadata: {
        name: "c",
        managedFields: managers.map(([manager, operation]) => ({ manager, operation })),
      },
    });
  test("a conflict with managers that only updated is a hand edit", () => {
    assert.equal(
      isHandEditConflict(
        [{ field: ".data.x", manager: "kubectl-edit" }],
        live([
          ["kubectl-edit", "Update"],
          ["tether", "Apply"],
        ]),
      ),
      true,
    );
  });
  test("a conflict with another apply manager is not", () => {
    assert.equal(
      isHandEditConflict(
        [{ field: ".spec.replicas", manager: "hpa-tool" }],
        live([["hpa-tool", "Apply"]]),
      ),
      false,
    );
    assert.equal(isHandEditConflict([], live([])), false);
    assert.equal(
      isHandEditConflict([{ field: ".x", manager: "ghost" }], live([["other", "Update"]])),
      false,
    );
  });
});

describe("prune decisions", () => {
  const mine = (extra: Partial<KubeObject["metadata"]> = {}) =>
    obj("v1", "ConfigMap", "c", {
      metadata: { name: "c", labels: { "tether.dev/unit": "apps" }, ...extra },
    });
  const ref = { apiVersion: "v1", kind: "ConfigMap", namespace: "n", name: "c" };

  test("an object of this unit may be pruned", () => {
    assert.equal(keepReason(ref, mine(), { unit: "apps" }), undefined);
  });
  for (const annotation of ["tether.dev/prune", "kustomize.toolkit.fluxcd.io/prune"]) {
    test(`${annotation}: disabled keeps it`, () => {
      assert.match(
        keepReason(ref, mine({ annotations: { [annotation]: "disabled" } }), { unit: "apps" }) ??
          "",
        /disabled/,
      );
    });
  }
  test("an object another unit took over is kept", () => {
    assert.match(keepReason(ref, mine(), { unit: "other" }) ?? "", /owned by unit apps/);
  });
  test("Namespaces and CRDs are kept unless the unit allows pruning them", () => {
    const nsRef = { apiVersion: "v1", kind: "Namespace", name: "n" };
    const ns = obj("v1", "Namespace", "n", {
      metadata: { name: "n", labels: { "tether.dev/unit": "apps" } },
    });
    assert.match(keepReason(nsRef, ns, { unit: "apps" }) ?? "", /pruneCrdsAndNamespaces/);
    assert.equal(keepReason(nsRef, ns, { unit: "apps", allowCrdsAndNamespaces: true }), undefined);
    const crdRef = {
      apiVersion: "apiextensions.k8s.io/v1",
      kind: "CustomResourceDefinition",
      name: "a.b",
    };
    assert.match(
      keepReason(crdRef, { ...ns, ...crdRef, metadata: ns.metadata }, { unit: "apps" }) ?? "",
      /pruneCrdsAndNamespaces/,
    );
  });

  test("prune candidates are old entries missing from the render, across apiVersions", () => {
    const old = [
      { apiVersion: "v1", kind: "ConfigMap", namespace: "n", name: "a", hash: "1" },
      { apiVersion: "apps/v1", kind: "Deployment", namespace: "n", name: "d", hash: "2" },
      { apiVersion: "v1", kind: "ConfigMap", namespace: "n", name: "gone", hash: "3" },
    ];
    const current = [
      { apiVersion: "v1", kind: "ConfigMap", namespace: "n", name: "a" },
      { apiVersion: "apps/v1beta2", kind: "Deployment", namespace: "n", name: "d" },
    ];
    assert.deepEqual(
      pruneCandidates(old, current).map((e) => e.name),
      ["gone"],
    );
  });

  test("object hashes ignore key order", () => {
    assert.equal(
      objectHash({ a: 1, b: { c: [1, 2], d: "x" } }),
      objectHash({ b: { d: "x", c: [1, 2] }, a: 1 }),
    );
    assert.notEqual(objectHash({ a: 1 }), objectHash({ a: 2 }));
  });

  test("an object's hash stays what earlier releases recorded", () => {
    // Inventories keep these hashes across upgrades: a different text for the same
    // object would make every object of every unit take the dry-run path once.
    // Integer-like keys in string order, undefined members left out, null kept.
    const object = {
      b: { "10": 1, "2": [1, undefined, { z: undefined, y: null }], é: "ü", a: true },
      a: 'x"y',
      c: 1.5e-7,
    };
    assert.equal(objectHash(object), "42b3c5121c8134d2577c");
  });
});

describe("reading a record", () => {
  const entry = (name: string) => ({ apiVersion: "v1", kind: "ConfigMap", namespace: "n", name });
  const list = (...names: string[]) => JSON.stringify(names.map(entry));
  const status = JSON.stringify({ unit: "u", counts: {} });
  const pointer = "moved to ConfigMap tether-inventory-u";
  const names = (data: Record<string, string>, inventory?: Record<string, string>) =>
    recordOf(data, inventory).inventory.map((e) => e.name);

  test("the inventory's ConfigMap alone: its list, kept as text to skip an unchanged write", () => {
    const record = recordOf({ inventory: pointer, status }, { inventory: list("a", "b") });
    assert.deepEqual(
      record.inventory.map((e) => e.name),
      ["a", "b"],
    );
    assert.equal(record.storedInventory, list("a", "b"));
    assert.equal(record.unreadable, undefined);
  });

  test("an earlier release's record: its list; beside the ConfigMap's, both", () => {
    assert.deepEqual(names({ inventory: list("a"), status }), ["a"]);
    const both = recordOf({ inventory: list("a", "c"), status }, { inventory: list("a", "b") });
    assert.deepEqual(
      both.inventory.map((e) => e.name),
      ["a", "b", "c"],
    );
    // Not the ConfigMap's text alone: the next write must store the union.
    assert.equal(both.storedInventory, undefined);
  });

  test("a damaged list in the record beside a readable ConfigMap: the ConfigMap's", () => {
    const record = recordOf({ inventory: "[{", status }, { inventory: list("a") });
    assert.deepEqual([record.inventory.length, record.unreadable], [1, undefined]);
  });

  test("what the unit owns unknown: unreadable, nothing listed", () => {
    for (const [data, inventory, problem] of [
      [{ status }, undefined, /ConfigMap is missing/],
      [{ inventory: pointer, status }, undefined, /ConfigMap is missing/],
      [{ inventory: pointer, status }, {}, /no `inventory` key/],
      [{ inventory: pointer, status }, { inventory: "{}" }, /not a list of objects/],
      [{ inventory: list("a"), status }, { inventory: "[" }, /not valid JSON/],
    ] as const) {
      const record = recordOf(data, inventory);
      assert.match(record.unreadable ?? "", problem, JSON.stringify(data));
      assert.deepEqual(record.inventory, []);
    }
  });

  test("a unit never recorded: an empty inventory, not an unreadable one", () => {
    assert.deepEqual(recordOf({}), { inventory: [] });
  });
});

describe("health", () => {
  const deployment = (spec: object, status: object, generation = 2) =>
    obj("apps/v1", "Deployment", "d", { metadata: { name: "d", generation }, spec, status });
  const cases: [string, KubeObject, string][] = [
    [
      "a rolled-out Deployment",
      deployment(
        { replicas: 2 },
        {
          observedGeneration: 2,
          replicas: 2,
          updatedReplicas: 2,
          readyReplicas: 2,
          availableReplicas: 2,
          conditions: [
            { type: "Available", status: "True", reason: "MinimumReplicasAvailable" },
            { type: "Progressing", status: "True", reason: "NewReplicaSetAvailable" },
          ],
        },
      ),
      "healthy",
    ],
    [
      "a Deployment whose spec is not observed yet",
      deployment(
        { replicas: 2 },
        { observedGeneration: 1, replicas: 2, updatedReplicas: 2, availableReplicas: 2 },
      ),
      "progressing",
    ],
    [
      "a Deployment with old replicas",
      deployment(
        { replicas: 2 },
        { observedGeneration: 2, replicas: 3, updatedReplicas: 2, availableReplicas: 2 },
      ),
      "progressing",
    ],
    [
      "a Deployment past its deadline",
      deployment(
        { replicas: 1 },
        {
          observedGeneration: 2,
          conditions: [
            { type: "Progressing", status: "False", reason: "ProgressDeadlineExceeded" },
          ],
        },
      ),
      "failed",
    ],
    [
      "a complete Job",
      obj("batch/v1", "Job", "j", {
        status: { conditions: [{ type: "Complete", status: "True" }] },
      }),
      "healthy",
    ],
    [
      "a failed Job",
      obj("batch/v1", "Job", "j", {
        status: {
          conditions: [{ type: "Failed", status: "True", message: "BackoffLimitExceeded" }],
        },
      }),
      "failed",
    ],
    ["a running Job", obj("batch/v1", "Job", "j", { status: { active: 1 } }), "progressing"],
    [
      "a Ready custom resource",
      obj("x/v1", "Thing", "t", { status: { conditions: [{ type: "Ready", status: "True" }] } }),
      "healthy",
    ],
    [
      "a not-Ready custom resource",
      obj("x/v1", "Thing", "t", {
        status: { conditions: [{ type: "Ready", status: "False", message: "waiting" }] },
      }),
      "progressing",
    ],
    [
      "a Stalled custom resource",
      obj("x/v1", "Thing", "t", {
        status: { conditions: [{ type: "Stalled", status: "True", message: "bad config" }] },
      }),
      "failed",
    ],
    ["a ConfigMap", obj("v1", "ConfigMap", "c"), "healthy"],
    [
      "a DaemonSet still rolling",
      obj("apps/v1", "DaemonSet", "ds", {
        status: { desiredNumberScheduled: 3, updatedNumberScheduled: 2, numberAvailable: 3 },
      }),
      "progressing",
    ],
    [
      "a StatefulSet on its new revision",
      obj("apps/v1", "StatefulSet", "s", {
        spec: { replicas: 1 },
        status: {
          replicas: 1,
          readyReplicas: 1,
          currentReplicas: 1,
          updatedReplicas: 1,
          currentRevision: "a",
          updateRevision: "a",
        },
      }),
      "healthy",
    ],
  ];
  for (const [name, object, state] of cases) {
    test(`${name} is ${state}`, () => assert.equal(assessHealth(object).state, state));
  }
});

describe("drift", () => {
  const widget = (apiVersion: string) => ({
    apiVersion,
    kind: "Widget",
    namespace: "n",
    name: "w",
  });
  const configured = (apiVersion: string): AppliedChange => ({
    ref: widget(apiVersion),
    action: "configured",
    manifest: {
      object: { ...widget(apiVersion), metadata: { name: "w" } },
      source: { file: "w.yaml" },
    },
    desired: { ...widget(apiVersion), metadata: { name: "w" } },
    hash: "h1",
  });
  // Objects are the same object when group, kind, namespace and name match (refKey),
  // whatever the version: the identity inventory and prune use.
  test("same group, another version, same hash: drift", () => {
    const changes = [configured("a.example/v2")];
    markDrift(changes, [{ ...widget("a.example/v1"), hash: "h1" }]);
    assert.equal(changes[0]?.drifted, true);
  });
  test("same kind and name in another group is another object: no drift", () => {
    const changes = [configured("b.example/v1")];
    markDrift(changes, [{ ...widget("a.example/v1"), hash: "h1" }]);
    assert.equal(changes[0]?.drifted, undefined);
  });
  test("a changed hash is a change in Git, not drift", () => {
    const changes = [configured("a.example/v1")];
    markDrift(changes, [{ ...widget("a.example/v1"), hash: "h0" }]);
    assert.equal(changes[0]?.drifted, undefined);
  });
});
