// The pure half of HelmRelease drift detection: how a server-side dry run's answer is
// compared with the live object (driftPaths), how ignore rules take paths out of both
// (withoutPaths, ignoredPaths), how ignore targets select objects (Flux's kustomize
// Selector: anchored regular expressions and label selector expressions), which objects
// opt out (optedOut). The dry run itself runs end to end in drift-dry-run.test.ts.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  driftPaths,
  ignoredPaths,
  ignoreRuleErrors,
  optedOut,
  withoutPaths,
} from "../../../agent/helm/drift.ts";
import { readReleaseSpec } from "../../../agent/helm/spec.ts";
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
    // Core group only: "" would leave the group unset, as in Flux.
    { paths: ["/spec/x"], target: { group: "^$" } },
  ];
  assert.deepEqual(ignoredPaths(rules, object), [
    "/spec/replicas",
    "/metadata/labels/tier",
    "/spec/paused",
  ]);
  assert.deepEqual(ignoredPaths([{ paths: [""] }], object), [""]);
});

test("ignoredPaths: target fields are anchored regular expressions, as Flux's Selector", () => {
  const object = deployment();
  const cases: [Record<string, string>, boolean][] = [
    [{ kind: "(Deployment|StatefulSet)" }, true],
    [{ kind: "Deploy" }, false], // anchored: no partial match
    [{ name: "we.*" }, true],
    [{ name: "e" }, false],
    [{ namespace: ".*-system" }, false],
    [{ namespace: "ap+s" }, true],
    [{ group: "app.*" }, true],
    [{ group: "" }, true], // empty is unset
    [{ version: "v1" }, true],
    [{ version: "v1beta.*" }, false],
    [{ group: "apps", version: "v[0-9]+", kind: "Deployment", name: "web" }, true],
    [{ group: "apps", kind: "Service" }, false], // every field set must match
  ];
  for (const [target, selects] of cases) {
    assert.deepEqual(
      ignoredPaths([{ paths: ["/p"], target }], object),
      selects ? ["/p"] : [],
      JSON.stringify(target),
    );
  }
});

// A tenant writes these patterns and the agent runs them on every object of a release on
// every pass: JavaScript's backtracking RegExp took 19 s on a 30-character name with
// this one, doubling with each character, and blocked every other tenant meanwhile.
// Go's RE2 (as Flux compiles them) is linear; the test's timeout only guards the hang.
test("ignoredPaths: target patterns are Go's RE2: no catastrophic backtracking, Go's syntax", {
  timeout: 30_000,
}, () => {
  const object = {
    ...deployment(),
    metadata: { ...deployment().metadata, name: `${"a".repeat(40)}.conf` },
  };
  for (const name of ["([a-z0-9]+-?)+", "(a+)+-x"])
    assert.deepEqual(ignoredPaths([{ paths: ["/p"], target: { name } }], object), [], name);
  // Go's flags, refused by JavaScript's RegExp.
  assert.deepEqual(
    ignoredPaths([{ paths: ["/p"], target: { kind: "(?i)deployment" } }], deployment()),
    ["/p"],
  );
});

test("ignoredPaths: labelSelector and annotationSelector are label selector expressions", () => {
  // Labels: tier=web, app.kubernetes.io/managed-by=Helm; annotation meta.helm.sh/release-name=web.
  const object = deployment();
  const cases: [Record<string, string>, boolean][] = [
    [{ labelSelector: "tier=web" }, true],
    [{ labelSelector: "tier == web" }, true],
    [{ labelSelector: "tier=api" }, false],
    [{ labelSelector: "tier!=api" }, true],
    [{ labelSelector: "missing!=x" }, true], // != and notin also match an absent key
    [{ labelSelector: "tier in (api, web)" }, true],
    [{ labelSelector: "tier notin (web)" }, false],
    [{ labelSelector: "missing notin (web)" }, true],
    [{ labelSelector: "tier" }, true],
    [{ labelSelector: "!tier" }, false],
    [{ labelSelector: "!missing" }, true],
    [{ labelSelector: "tier=web,app.kubernetes.io/managed-by=Helm" }, true],
    [{ labelSelector: "tier=web, app.kubernetes.io/managed-by=Other" }, false], // all must hold
    [{ annotationSelector: "meta.helm.sh/release-name=web" }, true],
    [{ annotationSelector: "meta.helm.sh/release-name in (other)" }, false],
    [{ kind: "Deployment", labelSelector: "tier", annotationSelector: "!nope" }, true],
  ];
  for (const [target, selects] of cases) {
    assert.deepEqual(
      ignoredPaths([{ paths: ["/p"], target }], object),
      selects ? ["/p"] : [],
      JSON.stringify(target),
    );
  }
});

test("ignoreRuleErrors: a target that does not compile is named (Flux fails the whole diff)", () => {
  assert.deepEqual(ignoreRuleErrors([{ paths: ["/p"], target: { kind: "Deployment" } }]), []);
  const errors = ignoreRuleErrors([
    { paths: ["/p"], target: { kind: "(Deployment" } },
    { paths: ["/p"], target: { labelSelector: "tier in web" } },
    { paths: ["/p"], target: { annotationSelector: "a=b=c" } },
  ]);
  assert.equal(errors.length, 3, errors.join("\n"));
  assert.match(errors[0] as string, /^ignore\[0\]\.target\.kind: /);
  assert.match(errors[1] as string, /^ignore\[1\]\.target\.labelSelector: /);
  assert.match(errors[2] as string, /^ignore\[2\]\.target\.annotationSelector: /);
});

test("optedOut: helm.toolkit.fluxcd.io/driftDetection: disabled, as a label or an annotation", () => {
  const key = "helm.toolkit.fluxcd.io/driftDetection";
  const cases: [(d: Loose) => void, boolean][] = [
    [() => {}, false],
    [(d) => (d.metadata.annotations[key] = "disabled"), true],
    [(d) => (d.metadata.labels[key] = "disabled"), true],
    [(d) => (d.metadata.annotations[key] = "Disabled"), true], // compared case-insensitively
    [(d) => (d.metadata.annotations[key] = "enabled"), false],
    [(d) => (d.metadata.annotations[key] = ""), false],
    [(d) => delete d.metadata.annotations, false],
  ];
  for (const [change, out] of cases)
    assert.equal(optedOut(deployment(change)), out, String(change));
});

test("readReleaseSpec: every ignore target field is read, empty ones left out", () => {
  const spec = readReleaseSpec({
    apiVersion: "helm.toolkit.fluxcd.io/v2",
    kind: "HelmRelease",
    metadata: { name: "web", namespace: "apps", generation: 1 },
    spec: {
      chart: { spec: { chart: "app", sourceRef: { kind: "HelmRepository", name: "charts" } } },
      driftDetection: {
        mode: "warn",
        ignore: [
          {
            paths: ["/spec/replicas"],
            target: {
              group: "apps",
              version: "v1",
              kind: "Deployment",
              name: "web.*",
              namespace: "apps",
              labelSelector: "tier=web",
              annotationSelector: "a in (b)",
              ignored: 1,
            },
          },
          { paths: ["/data"], target: { kind: "", name: "x" } },
          { paths: [""] },
        ],
      },
    },
  });
  assert.deepEqual(spec.drift.ignore, [
    {
      paths: ["/spec/replicas"],
      target: {
        group: "apps",
        version: "v1",
        kind: "Deployment",
        name: "web.*",
        namespace: "apps",
        labelSelector: "tier=web",
        annotationSelector: "a in (b)",
      },
    },
    { paths: ["/data"], target: { name: "x" } },
    { paths: [""] },
  ]);
});
