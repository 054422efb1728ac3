// The pure half of HelmRelease drift detection: how a server-side dry run's answer is
// compared with the live object (driftPaths), how ignore rules take paths out of both
// (withoutPaths, ignoredPaths). The dry run itself runs end to end in drift-dry-run.test.ts.
import assert from "node:assert/strict";
import { test } from "node:test";
import { driftPaths, ignoredPaths, withoutPaths } from "../../../agent/helm/drift.ts";
import type { KubeObject } from "../../../shared/manifests/object.ts";

// biome-ignore lint/suspicious/noExplicitAny: the tests edit whatever field they check
type Loose = any;

/** A live Deployment as the server answers it, with `change` applied to a copy. */
function deployment(change: (d: Loose) => void = () => {}): KubeObject {
  const d: Loose = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: {
      name: "web",
      namespace: "apps",
      labels: { tier: "web", "app.kubernetes.io/managed-by": "Helm" },
      annotations: { "meta.helm.sh/release-name": "web" },
      resourceVersion: "10",
      generation: 1,
      managedFields: [{ manager: "helm", operation: "Update" }],
    },
    spec: {
      replicas: 1,
      template: {
        metadata: { creationTimestamp: null, labels: { app: "web" } },
        spec: {
          containers: [
            {
              name: "app",
              resources: { limits: { cpu: "500m", memory: "1Gi" } },
              env: [{ name: "A", value: "1" }],
            },
          ],
        },
      },
    },
    status: { replicas: 1 },
  };
  change(d);
  return d;
}

test("driftPaths: what a dry run always changes (managedFields, resourceVersion, generation, status) is not drift", () => {
  const answer = deployment((d) => {
    d.metadata.resourceVersion = "11";
    d.metadata.generation = 2;
    d.metadata.managedFields.push({ manager: "tether-helm", operation: "Apply" });
    d.status = { replicas: 3 };
  });
  assert.deepEqual(driftPaths(deployment(), answer), []);
});

test("driftPaths: a field the answer holds differently, or drops, is drift", () => {
  // kubectl scale: the answer sets the chart's replicas back.
  assert.deepEqual(
    driftPaths(
      deployment((d) => {
        d.spec.replicas = 3;
      }),
      deployment(),
    ),
    ["/spec/replicas"],
  );
  // A field the live object has and the answer no longer does (a field our manager owned).
  assert.deepEqual(
    driftPaths(
      deployment((d) => {
        d.spec.paused = true;
      }),
      deployment(),
    ),
    ["/spec/paused"],
  );
});

test("driftPaths: labels and annotations the answer sets differently are drift; extra live ones are not", () => {
  const edited = deployment((d) => {
    d.metadata.labels.tier = "edited";
  });
  assert.deepEqual(driftPaths(edited, deployment()), ["/metadata/labels/tier"]);
  const removed = deployment((d) => {
    delete d.metadata.annotations;
  });
  assert.deepEqual(driftPaths(removed, deployment()), [
    "/metadata/annotations/meta.helm.sh~1release-name",
  ]);
  // Another controller's label, kept by the dry run as by the live object: no drift either way.
  const extra = deployment((d) => {
    d.metadata.labels["other.example.com/seen"] = "yes";
  });
  assert.deepEqual(driftPaths(extra, deployment()), []);
});

test("driftPaths: ignored pointers are removed from both sides, also inside lists that differ in size", () => {
  const live = deployment((d) => {
    d.spec.replicas = 3;
    d.spec.template.spec.containers[0].env.push({ name: "B", value: "2" });
  });
  assert.deepEqual(driftPaths(live, deployment()), [
    "/spec/replicas",
    "/spec/template/spec/containers/0/env",
  ]);
  assert.deepEqual(
    driftPaths(live, deployment(), ["/spec/replicas", "/spec/template/spec/containers/0/env"]),
    [],
  );
  // A label ignored by its escaped pointer.
  const labelled = deployment((d) => {
    d.metadata.labels["app.kubernetes.io/managed-by"] = "me";
  });
  assert.deepEqual(
    driftPaths(labelled, deployment(), ["/metadata/labels/app.kubernetes.io~1managed-by"]),
    [],
  );
});

test("withoutPaths: RFC 6901 pointers, lists close up, missing paths skipped, the input untouched", () => {
  const input = { a: { "b/c": 1, "d~e": 2, keep: 3 }, list: [1, 2, 3] };
  assert.deepEqual(withoutPaths(input, ["/a/b~1c", "/a/d~0e", "/list/0", "/no/such", "/list/9"]), {
    a: { keep: 3 },
    list: [2, 3],
  });
  assert.deepEqual(input.list, [1, 2, 3]);
});

test("ignoredPaths: the paths of the rules whose target selects the object", () => {
  const object = deployment();
  const rules = [
    { paths: ["/spec/replicas"], target: { kind: "Deployment" } },
    { paths: ["/data"], target: { kind: "ConfigMap" } },
    { paths: ["/metadata/labels/tier"] },
    { paths: ["/spec/paused"], target: { group: "apps", name: "web", namespace: "apps" } },
    { paths: ["/spec/x"], target: { group: "" } },
  ];
  assert.deepEqual(ignoredPaths(rules, object), [
    "/spec/replicas",
    "/metadata/labels/tier",
    "/spec/paused",
  ]);
  assert.deepEqual(ignoredPaths([{ paths: [""] }], object), [""]);
});
