import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { SetterError } from "../../../shared/tagpolicy/errors.ts";
import {
  applySetters,
  type PolicyImage,
  parseMarker,
  type SetterResult,
  setWorkloadImageTag,
  withTag,
} from "../../../shared/tagpolicy/setters.ts";

const testdata = (name: string): string =>
  readFileSync(new URL(`testdata/${name}`, import.meta.url), "utf8");

const policies = new Map<string, PolicyImage>([
  [
    "flux-system:app-demo",
    { image: "sergioarmgpl/fluxappdemo", tag: "RELEASE.2022-02-01T10-00-00Z" },
  ],
  ["flux-system:podinfo", { image: "ghcr.io/stefanprodan/podinfo", tag: "6.5.4" }],
  ["apps:api", { image: "registry.local:5000/team/api", tag: "1.10" }],
  [
    "apps:pinned",
    {
      image: "ghcr.io/org/pinned",
      tag: "2.0.0",
      digest: "sha256:0000000000000000000000000000000000000000000000000000000000000001",
    },
  ],
]);

const summary = (r: SetterResult) =>
  r.changes.map((c) => `${c.line}:${c.field}:${c.old}->${c.new}${c.requoted ? " (quoted)" : ""}`);

describe("applySetters on the seed 002 HelmRelease", () => {
  test("only the marked image changes, byte for byte", () => {
    const result = applySetters(testdata("seed-002-helm-release.yaml"), policies);
    assert.equal(result.text, testdata("seed-002-helm-release.expected.yaml"));
    assert.deepEqual(result.changes, [
      {
        line: 20,
        column: 18,
        marker: "flux-system:app-demo",
        field: "image",
        old: "sergioarmgpl/fluxappdemo:RELEASE.2022-01-16T05-42-20Z",
        new: "sergioarmgpl/fluxappdemo:RELEASE.2022-02-01T10-00-00Z",
        requoted: false,
        // The object the change is in, for Flux 2.7's .Changed.Objects.
        object: {
          apiVersion: "helm.toolkit.fluxcd.io/v2beta1",
          kind: "HelmRelease",
          name: "app-demo",
          namespace: "production",
        },
      },
    ]);
    assert.deepEqual(result.skipped, []);
  });

  test("with CRLF line endings", () => {
    const crlf = (s: string) => s.replaceAll("\n", "\r\n");
    const result = applySetters(crlf(testdata("seed-002-helm-release.yaml")), policies);
    assert.equal(result.text, crlf(testdata("seed-002-helm-release.expected.yaml")));
  });

  test("a second run changes nothing", () => {
    const once = applySetters(testdata("seed-002-helm-release.yaml"), policies);
    const twice = applySetters(once.text, policies);
    assert.equal(twice.text, once.text);
    assert.deepEqual(twice.changes, []);
  });
});

describe("applySetters", () => {
  const cases: {
    name: string;
    input: string;
    output: string;
    changes: string[];
    skipped?: string[];
  }[] = [
    {
      name: "Deployment container image, among comments and blank lines",
      input: `# podinfo
apiVersion: apps/v1
kind: Deployment
metadata:
  name: podinfo   # the app

spec:
  template:
    spec:
      containers:
        - name: podinfod
          image: ghcr.io/stefanprodan/podinfo:5.0.0 # {"$imagepolicy": "flux-system:podinfo"}
          ports:
            - containerPort: 9898
`,
      output: `# podinfo
apiVersion: apps/v1
kind: Deployment
metadata:
  name: podinfo   # the app

spec:
  template:
    spec:
      containers:
        - name: podinfod
          image: ghcr.io/stefanprodan/podinfo:6.5.4 # {"$imagepolicy": "flux-system:podinfo"}
          ports:
            - containerPort: 9898
`,
      changes: ["12:image:ghcr.io/stefanprodan/podinfo:5.0.0->ghcr.io/stefanprodan/podinfo:6.5.4"],
    },
    {
      name: "HelmRelease values: repository and tag keep their quotes",
      input: `spec:
  values:
    image:
      repository: "docker.io/old/podinfo" # {"$imagepolicy": "flux-system:podinfo:name"}
      tag: '5.0.0' # {"$imagepolicy": "flux-system:podinfo:tag"}
      pullPolicy: IfNotPresent
`,
      output: `spec:
  values:
    image:
      repository: "ghcr.io/stefanprodan/podinfo" # {"$imagepolicy": "flux-system:podinfo:name"}
      tag: '6.5.4' # {"$imagepolicy": "flux-system:podinfo:tag"}
      pullPolicy: IfNotPresent
`,
      changes: ["4:name:docker.io/old/podinfo->ghcr.io/stefanprodan/podinfo", "5:tag:5.0.0->6.5.4"],
    },
    {
      name: "a plain tag that would read back as a number is quoted",
      input: `image:
  tag: 1.9.3 # {"$imagepolicy": "apps:api:tag"}
`,
      output: `image:
  tag: "1.10" # {"$imagepolicy": "apps:api:tag"}
`,
      changes: ["2:tag:1.9.3->1.10 (quoted)"],
    },
    {
      name: "Kustomize images: newName and newTag",
      input: `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - deployment.yaml
images:
  - name: api
    newName: registry.local:5000/team/api # {"$imagepolicy": "apps:api:name"}
    newTag: "1.9" # {"$imagepolicy": "apps:api:tag"}
`,
      output: `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - deployment.yaml
images:
  - name: api
    newName: registry.local:5000/team/api # {"$imagepolicy": "apps:api:name"}
    newTag: "1.10" # {"$imagepolicy": "apps:api:tag"}
`,
      changes: ["8:tag:1.9->1.10"],
    },
    {
      name: "Flux Kustomization spec.images",
      input: `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
  path: ./apps
  images:
    - name: podinfo
      newName: ghcr.io/stefanprodan/podinfo
      newTag: 5.0.0 # {"$imagepolicy": "flux-system:podinfo:tag"}
`,
      output: `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
  path: ./apps
  images:
    - name: podinfo
      newName: ghcr.io/stefanprodan/podinfo
      newTag: 6.5.4 # {"$imagepolicy": "flux-system:podinfo:tag"}
`,
      changes: ["12:tag:5.0.0->6.5.4"],
    },
    {
      name: "multi-document file with block scalars and document markers",
      input: `---
apiVersion: v1
kind: ConfigMap
data:
  script: |
    image: old:1 # {"$imagepolicy": "flux-system:podinfo"}
    echo untouched
  folded: >
    keep
    this
---
# second document
apiVersion: apps/v1
kind: Deployment
spec:
  template:
    spec:
      containers:
        - {name: a, image: "ghcr.io/stefanprodan/podinfo:5.0.0"} # {"$imagepolicy": "flux-system:podinfo"}
        - name: b
          image: ghcr.io/org/pinned:1.0.0 # {"$imagepolicy": "apps:pinned"}
...
`,
      output: `---
apiVersion: v1
kind: ConfigMap
data:
  script: |
    image: old:1 # {"$imagepolicy": "flux-system:podinfo"}
    echo untouched
  folded: >
    keep
    this
---
# second document
apiVersion: apps/v1
kind: Deployment
spec:
  template:
    spec:
      containers:
        - {name: a, image: "ghcr.io/stefanprodan/podinfo:5.0.0"} # {"$imagepolicy": "flux-system:podinfo"}
        - name: b
          image: ghcr.io/org/pinned:2.0.0@sha256:0000000000000000000000000000000000000000000000000000000000000001 # {"$imagepolicy": "apps:pinned"}
...
`,
      changes: [
        "21:image:ghcr.io/org/pinned:1.0.0->ghcr.io/org/pinned:2.0.0@sha256:0000000000000000000000000000000000000000000000000000000000000001",
      ],
      skipped: [
        "19:flux-system:podinfo:the marker is not on the same line as a plain or quoted scalar value; left unchanged",
      ],
    },
    {
      name: "markers for unknown policies, bad suffixes and missing digests are left alone and reported",
      input: `a: x:1 # {"$imagepolicy": "flux-system:unknown"}
b: x:1 # {"$imagepolicy": "flux-system:podinfo:version"}
c: x:1 # {"$imagepolicy": "flux-system"}
d: sha256:1 # {"$imagepolicy": "flux-system:podinfo:digest"}
e: |- # {"$imagepolicy": "flux-system:podinfo"}
  x:1
f: x:1 # {"$imagepolicy": 5}
g: x:1 # {"$imagepolicy": "flux-system:podinfo"} trailing words
`,
      output: `a: x:1 # {"$imagepolicy": "flux-system:unknown"}
b: x:1 # {"$imagepolicy": "flux-system:podinfo:version"}
c: x:1 # {"$imagepolicy": "flux-system"}
d: sha256:1 # {"$imagepolicy": "flux-system:podinfo:digest"}
e: |- # {"$imagepolicy": "flux-system:podinfo"}
  x:1
f: x:1 # {"$imagepolicy": 5}
g: x:1 # {"$imagepolicy": "flux-system:podinfo"} trailing words
`,
      changes: [],
      skipped: [
        "1:flux-system:unknown:no ImagePolicy flux-system:unknown is known; left unchanged",
        '2:flux-system:podinfo:version:unknown marker suffix ":version"; use :tag, :name or :digest',
        '3:flux-system:malformed marker; expected "<namespace>:<name>" with an optional :tag, :name or :digest',
        "4:flux-system:podinfo:digest:ImagePolicy flux-system:podinfo has no digest (set spec.digestReflectionPolicy); left unchanged",
        "5:flux-system:podinfo:the marker is not on the same line as a plain or quoted scalar value; left unchanged",
      ],
    },
    {
      name: "compact marker and :digest",
      input: `digest: sha256:old #{"$imagepolicy":"apps:pinned:digest"}\n`,
      output: `digest: sha256:0000000000000000000000000000000000000000000000000000000000000001 #{"$imagepolicy":"apps:pinned:digest"}\n`,
      changes: [
        "1:digest:sha256:old->sha256:0000000000000000000000000000000000000000000000000000000000000001",
      ],
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const result = applySetters(c.input, policies);
      assert.equal(result.text, c.output);
      assert.deepEqual(summary(result), c.changes);
      assert.deepEqual(
        result.skipped.map((s) => `${s.line}:${s.marker}:${s.reason}`),
        c.skipped ?? [],
      );
    });
    test(`${c.name} (CRLF)`, () => {
      const crlf = (s: string) => s.replaceAll("\n", "\r\n");
      assert.equal(applySetters(crlf(c.input), policies).text, crlf(c.output));
    });
  }

  test("text without markers is returned as is, even when it is not YAML", () => {
    const text = "a: [unclosed\n";
    assert.equal(applySetters(text, policies).text, text);
  });

  test("invalid YAML with a marker is an error with its line", () => {
    assert.throws(
      () => applySetters('a: b # {"$imagepolicy": "flux-system:podinfo"}\nc: [d\n', policies),
      (e: unknown) => e instanceof SetterError && e.code === "YAML_SYNTAX" && e.line !== undefined,
    );
  });
});

describe("parseMarker", () => {
  const cases: [comment: string, want: string | undefined][] = [
    ['# {"$imagepolicy": "ns:name"}', "ns:name"],
    ['#{"$imagepolicy":"ns:name:tag"}', "ns:name:tag"],
    ['## {"$imagepolicy": "ns:name", "note": "x"}', "ns:name"],
    ['# {"$imagepolicy": "ns:name"} ', "ns:name"],
    ['# {"$imagepolicy": ""}', undefined],
    ['# {"$imagepolicy": "ns:name", "n": 1}', undefined], // kyaml wants string values only
    ['# {"$imagepolicy": "ns:name"} and more', undefined],
    ["# $imagepolicy: ns:name", undefined],
    ["# plain comment", undefined],
  ];
  for (const [comment, want] of cases) {
    test(comment, () => assert.equal(parseMarker(comment), want));
  }
});

describe("withTag", () => {
  const cases: [image: string, want: string][] = [
    ["nginx", "nginx:1.2"],
    ["nginx:1.0", "nginx:1.2"],
    ["localhost:5000/app", "localhost:5000/app:1.2"],
    ["localhost:5000/app:1.0", "localhost:5000/app:1.2"],
    ["ghcr.io/org/app:1.0@sha256:abc", "ghcr.io/org/app:1.2"],
    ["ghcr.io/org/app@sha256:abc", "ghcr.io/org/app:1.2"],
  ];
  for (const [image, want] of cases) {
    test(image, () => assert.equal(withTag(image, "1.2"), want));
  }
});

describe("setWorkloadImageTag (Flux v1 annotations)", () => {
  const workloads = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  annotations:
    fluxcd.io/automated: "true"
    fluxcd.io/tag.app: glob:dev-*
spec:
  template:
    spec:
      initContainers:
        - name: migrate
          image: 'ghcr.io/org/migrate:dev-1'
      containers:
        - name: app
          image: "localhost:5000/org/web:dev-1@sha256:abc" # pinned
        - name: sidecar
          image: envoy:1.0
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: report
spec:
  jobTemplate:
    spec:
      template:
        spec:
          containers:
            - name: report
              image: ghcr.io/org/report:1.0
`;
  const cases: {
    name: string;
    kind: string;
    workload: string;
    container: string;
    tag: string;
    line: string;
  }[] = [
    {
      name: "container, digest dropped, quotes kept",
      kind: "Deployment",
      workload: "web",
      container: "app",
      tag: "dev-2",
      line: `          image: "localhost:5000/org/web:dev-2" # pinned`,
    },
    {
      name: "initContainer",
      kind: "Deployment",
      workload: "web",
      container: "migrate",
      tag: "dev-9",
      line: `          image: 'ghcr.io/org/migrate:dev-9'`,
    },
    {
      name: "CronJob in the second document",
      kind: "CronJob",
      workload: "report",
      container: "report",
      tag: "1.1",
      line: "              image: ghcr.io/org/report:1.1",
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const result = setWorkloadImageTag(
        workloads,
        { kind: c.kind, name: c.workload },
        c.container,
        c.tag,
      );
      const changed = result.text.split("\n").filter((l, i) => l !== workloads.split("\n")[i]);
      assert.deepEqual(changed, [c.line]);
      assert.equal(result.changes.length, 1);
      assert.equal(result.changes[0]?.marker, `tag.${c.container}`);
    });
  }

  test("the same tag changes nothing", () => {
    const result = setWorkloadImageTag(
      workloads,
      { kind: "Deployment", name: "web" },
      "sidecar",
      "1.0",
    );
    assert.equal(result.text, workloads);
    assert.deepEqual(result.changes, []);
  });

  // Seed 004: the dev overlay carries only values.application.image.tag.
  const seed004 = `apiVersion: helm.fluxcd.io/v1
kind: HelmRelease
metadata:
  annotations:
    flux.weave.works/tag.application: 'glob:dev-*'
  name: account-balance
  namespace: eevee
spec:
  values:
    dependsOn:
      schemaRegistry:
        enabled: true
    application:
      image:
        tag: dev-305a3cf56ef6d9505838bdf779e4173f0bad25jg
  chart:
    version: 2.0.34
`;
  const helmCases: { name: string; input: string; container: string; from: string; to: string }[] =
    [
      {
        name: "seed 004 overlay: values.<container>.image.tag",
        input: seed004,
        container: "application",
        from: "        tag: dev-305a3cf56ef6d9505838bdf779e4173f0bad25jg",
        to: "        tag: dev-4b2c9d1",
      },
      {
        name: "chart-image: values.image.repository with values.image.tag",
        input: `kind: HelmRelease\nmetadata:\n  name: autoscaler\nspec:\n  values:\n    image:\n      repository: k8s.gcr.io/cluster-autoscaler\n      tag: "v1.17.0"\n`,
        container: "chart-image",
        from: '      tag: "v1.17.0"',
        to: '      tag: "dev-4b2c9d1"',
      },
      {
        name: "values.<container>.image as a string",
        input: `kind: HelmRelease\nmetadata:\n  name: x\nspec:\n  values:\n    worker:\n      image: ghcr.io/org/worker:dev-1\n`,
        container: "worker",
        from: "      image: ghcr.io/org/worker:dev-1",
        to: "      image: ghcr.io/org/worker:dev-4b2c9d1",
      },
      {
        name: "tag.fluxcd.io annotation maps the path",
        input: `kind: HelmRelease\nmetadata:\n  name: x\n  annotations:\n    tag.fluxcd.io/api: deep.api.version\nspec:\n  values:\n    deep:\n      api:\n        version: dev-1\n`,
        container: "api",
        from: "        version: dev-1",
        to: "        version: dev-4b2c9d1",
      },
    ];
  for (const c of helmCases) {
    test(c.name, () => {
      const result = setWorkloadImageTag(
        c.input,
        {
          kind: "HelmRelease",
          name: c.input.includes("account-balance")
            ? "account-balance"
            : c.input.includes("autoscaler")
              ? "autoscaler"
              : "x",
        },
        c.container,
        "dev-4b2c9d1",
      );
      assert.equal(result.text, c.input.replace(c.from, c.to));
    });
  }

  const errors: {
    name: string;
    target: { kind: string; name: string; namespace?: string };
    container: string;
    message: RegExp;
  }[] = [
    {
      name: "no such workload",
      target: { kind: "Deployment", name: "nope" },
      container: "app",
      message: /no Deployment nope in this file/,
    },
    {
      name: "wrong namespace",
      target: { kind: "Deployment", name: "web", namespace: "other" },
      container: "app",
      message: /no Deployment other\/web/,
    },
    {
      name: "no such container lists the ones there are",
      target: { kind: "Deployment", name: "web" },
      container: "db",
      message: /no container or initContainer named db \(found: app, sidecar, migrate\)/,
    },
  ];
  for (const c of errors) {
    test(c.name, () => {
      assert.throws(
        () => setWorkloadImageTag(workloads, c.target, c.container, "1"),
        (e: unknown) => e instanceof SetterError && c.message.test(e.message),
      );
    });
  }
});
