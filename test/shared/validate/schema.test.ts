import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parse } from "yaml";
import {
  schemasFromCrds,
  type ValidateOptions,
  validateObject,
} from "../../../shared/validate/schema.ts";
import {
  resolveKubernetesVersion,
  supportedKubernetesVersions,
  UnsupportedKubernetesVersionError,
} from "../../../shared/validate/versions.ts";

const versions = supportedKubernetesVersions();

const deployment = parse(`
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  labels: {app: web}
  annotations: {example.com/owner: team-a}
  creationTimestamp: null
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  strategy:
    type: RollingUpdate
    rollingUpdate: {maxSurge: 25%, maxUnavailable: 1}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: registry.example.com/web:1.2.3
          imagePullPolicy: IfNotPresent
          args: ["--port", "8080"]
          env:
            - {name: MODE, value: production}
            - name: POD_IP
              valueFrom: {fieldRef: {fieldPath: status.podIP}}
          ports: [{name: http, containerPort: 8080, protocol: TCP}]
          resources:
            requests: {cpu: 100m, memory: 64Mi}
            limits: {cpu: 0.5, memory: 134217728}
          readinessProbe:
            httpGet: {path: /healthz, port: http}
            periodSeconds: 5
      nodeSelector: {kubernetes.io/arch: arm64}
      tolerations: [{key: edge, operator: Exists, effect: NoSchedule}]
`);

const service = parse(`
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  type: ClusterIP
  selector: {app: web}
  ports:
    - {name: http, port: 80, targetPort: http}
    - {name: metrics, port: 9090, targetPort: 9090}
`);

const configMap = parse(`
apiVersion: v1
kind: ConfigMap
metadata: {name: web-config, namespace: shop}
data:
  APP_MODE: production
  config.yaml: |
    listen: :8080
binaryData:
  logo.png: iVBORw0KGgo=
immutable: false
`);

function clone<T>(value: T): T {
  return structuredClone(value);
}

/** Sets a dotted path ("spec.template.spec.containers.0.image") in a copy of obj. */
function withField(obj: unknown, path: string, value: unknown): Record<string, unknown> {
  const copy = clone(obj) as Record<string, unknown>;
  const keys = path.split(".");
  let node: Record<string, unknown> = copy;
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
  node[keys.at(-1) as string] = value;
  return copy;
}

describe("built-in kinds", () => {
  for (const version of versions) {
    for (const [name, obj] of [
      ["Deployment", deployment],
      ["Service", service],
      ["ConfigMap", configMap],
    ] as const) {
      test(`a valid ${name} passes on Kubernetes ${version}`, () => {
        const result = validateObject(obj, { kubernetesVersion: version });
        assert.deepEqual(result.findings, []);
        assert.equal(result.status, "valid");
        assert.equal(result.schemaSource, `Kubernetes ${version}`);
      });
    }
  }

  const invalid: Array<{
    name: string;
    obj: unknown;
    rule: string;
    path: string;
    message: RegExp;
  }> = [
    {
      name: "unknown field in spec",
      obj: withField(deployment, "spec.replica", 3),
      rule: "unknown-field",
      path: "spec.replica",
      message: /unknown field "spec\.replica"/,
    },
    {
      name: "unknown field in a container",
      obj: withField(deployment, "spec.template.spec.containers.0.imagePullPolicyy", "Always"),
      rule: "unknown-field",
      path: "spec.template.spec.containers[0].imagePullPolicyy",
      message: /unknown field "spec\.template\.spec\.containers\[0\]\.imagePullPolicyy"/,
    },
    {
      name: "unknown field in metadata",
      obj: withField(configMap, "metadata.label", { a: "b" }),
      rule: "unknown-field",
      path: "metadata.label",
      message: /unknown field "metadata\.label"/,
    },
    {
      name: "unknown top-level field",
      obj: withField(configMap, "datas", {}),
      rule: "unknown-field",
      path: "datas",
      message: /unknown field "datas"/,
    },
    {
      name: "string where an integer belongs",
      obj: withField(deployment, "spec.replicas", "2"),
      rule: "type",
      path: "spec.replicas",
      message: /spec\.replicas: expected integer, got string "2"/,
    },
    {
      name: "number in a string map",
      obj: withField(deployment, "metadata.labels", { app: "web", version: 2 }),
      rule: "type",
      path: "metadata.labels.version",
      message: /expected string, got integer 2/,
    },
    {
      name: "number in ConfigMap data",
      obj: withField(configMap, "data", { replicas: 3 }),
      rule: "type",
      path: "data.replicas",
      message: /data\.replicas: expected string/,
    },
    {
      name: "object where a list belongs",
      obj: withField(service, "spec.ports", { port: 80 }),
      rule: "type",
      path: "spec.ports",
      message: /expected array, got object/,
    },
    {
      name: "boolean as int-or-string",
      obj: withField(service, "spec.ports", [{ port: 80, targetPort: true }]),
      rule: "type",
      path: "spec.ports[0].targetPort",
      message: /expected integer or string, got boolean true/,
    },
    {
      name: "object as a quantity",
      obj: withField(deployment, "spec.template.spec.containers.0.resources", {
        limits: { cpu: { m: 1 } },
      }),
      rule: "type",
      path: "spec.template.spec.containers[0].resources.limits.cpu",
      message: /expected string or number, got object/,
    },
    {
      name: "missing required field",
      obj: withField(deployment, "spec.template.spec.containers", [{ image: "nginx" }]),
      rule: "required",
      path: "spec.template.spec.containers[0].name",
      message: /missing required field "spec\.template\.spec\.containers\[0\]\.name"/,
    },
    {
      name: "null for a required field",
      obj: withField(deployment, "spec.selector", null),
      rule: "required",
      path: "spec.selector",
      message: /missing required field "spec\.selector"/,
    },
  ];
  for (const c of invalid) {
    for (const version of versions) {
      test(`${c.name} is an error on Kubernetes ${version}`, () => {
        const result = validateObject(c.obj, { kubernetesVersion: version });
        assert.equal(result.status, "invalid");
        const found = result.findings.find((f) => f.path === c.path);
        assert.ok(found, `no finding at ${c.path}: ${JSON.stringify(result.findings)}`);
        assert.equal(found.rule, c.rule);
        assert.equal(found.severity, "error");
        assert.match(found.message, c.message);
      });
    }
  }

  test("several problems are all reported, with JSON pointers", () => {
    const obj = withField(withField(deployment, "spec.replica", 3), "spec.paused", "yes");
    const result = validateObject(obj);
    assert.deepEqual(result.findings.map((f) => [f.rule, f.pointer]).sort(), [
      ["type", "/spec/paused"],
      ["unknown-field", "/spec/replica"],
    ]);
  });

  test("fields whose keys need quoting are shown quoted", () => {
    const obj = withField(configMap, "metadata.annotations", { "example.com/owner": 1 });
    const [f] = validateObject(obj).findings;
    assert.equal(f?.path, 'metadata.annotations["example.com/owner"]');
    assert.equal(f?.pointer, "/metadata/annotations/example.com~1owner");
  });

  const open: Array<[string, unknown]> = [
    // RawExtension: any object.
    [
      "RawExtension data",
      {
        apiVersion: "apps/v1",
        kind: "ControllerRevision",
        metadata: { name: "r" },
        revision: 1,
        data: { anything: { nested: [1, "two"] } },
      },
    ],
    // additionalProperties maps with arbitrary keys.
    ["labels and data maps", withField(configMap, "data", { "a.b-c_d": "x", "with space?": "" })],
    // null for optional fields means "not set".
    ["null optional fields", withField(withField(service, "spec.clusterIP", null), "status", null)],
    // int-or-string both ways, percentages included.
    [
      "int-or-string as integer and string",
      withField(service, "spec.ports", [{ port: 1, targetPort: 2 }]),
    ],
  ];
  for (const [name, obj] of open) {
    test(`${name} is accepted`, () => {
      assert.deepEqual(validateObject(obj).findings, []);
    });
  }

  test("strict: false accepts unknown fields but still checks types", () => {
    const loose: ValidateOptions = { strict: false };
    assert.equal(validateObject(withField(deployment, "spec.replica", 3), loose).status, "valid");
    const wrong = validateObject(withField(deployment, "spec.replicas", "3"), loose);
    assert.deepEqual(
      wrong.findings.map((f) => f.rule),
      ["type"],
    );
  });

  test("a v1 List is validated item by item", () => {
    const list = {
      apiVersion: "v1",
      kind: "List",
      items: [configMap, withField(service, "spec.portz", [])],
    };
    const result = validateObject(list);
    assert.equal(result.status, "invalid");
    assert.deepEqual(
      result.findings.map((f) => [f.rule, f.path, f.pointer]),
      [["unknown-field", "items[1].spec.portz", "/items/1/spec/portz"]],
    );
  });
});

describe("objects that cannot be validated", () => {
  const cases: Array<{
    name: string;
    obj: unknown;
    options?: ValidateOptions;
    status: string;
    rules: string[];
  }> = [
    {
      name: "a kind with no schema",
      obj: { apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w" } },
      status: "invalid",
      rules: ["missing-schema"],
    },
    {
      name: "a kind with no schema and ignoreMissingSchemas",
      obj: { apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w" } },
      options: { ignoreMissingSchemas: true },
      status: "skipped",
      rules: [],
    },
    {
      name: "a built-in kind at an apiVersion this version does not serve",
      obj: { apiVersion: "extensions/v1beta1", kind: "Ingress", metadata: { name: "i" } },
      status: "invalid",
      rules: ["missing-schema"],
    },
    {
      name: "missing apiVersion",
      obj: { kind: "ConfigMap", metadata: { name: "c" } },
      status: "invalid",
      rules: ["missing-apiversion"],
    },
    {
      name: "missing apiVersion and kind",
      obj: { metadata: { name: "c" } },
      status: "invalid",
      rules: ["missing-apiversion", "missing-kind"],
    },
    { name: "not an object", obj: ["a"], status: "invalid", rules: ["not-an-object"] },
    {
      name: "skipped by kind",
      obj: configMap,
      options: { skipKinds: ["ConfigMap"] },
      status: "skipped",
      rules: [],
    },
    {
      name: "skipped by apiVersion/kind",
      obj: withField(deployment, "spec.replica", 1),
      options: { skipKinds: ["apps/v1/Deployment"] },
      status: "skipped",
      rules: [],
    },
    {
      name: "skip for another kind does not apply",
      obj: configMap,
      options: { skipKinds: ["Secret", "apps/v1/ConfigMap"] },
      status: "valid",
      rules: [],
    },
    {
      name: "rejected by kind",
      obj: configMap,
      options: { rejectKinds: ["ConfigMap"] },
      status: "invalid",
      rules: ["rejected-kind"],
    },
    {
      name: "rejected by apiVersion/kind",
      obj: service,
      options: { rejectKinds: ["v1/Service"] },
      status: "invalid",
      rules: ["rejected-kind"],
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const result = validateObject(c.obj, c.options);
      assert.equal(result.status, c.status, JSON.stringify(result.findings));
      assert.deepEqual(
        result.findings.map((f) => f.rule),
        c.rules,
      );
      for (const f of result.findings) assert.equal(f.severity, "error");
    });
  }

  test("the missing-schema message says where the kind is served", () => {
    const result = validateObject({
      apiVersion: "extensions/v1beta1",
      kind: "Ingress",
      metadata: { name: "i" },
    });
    assert.match(result.findings[0]?.message ?? "", /serves Ingress as networking\.k8s\.io\/v1/);
  });
});

describe("Kubernetes version selection", () => {
  test("four minors are bundled, newest first", () => {
    assert.equal(versions.length, 4);
    const sorted = [...versions].sort((a, b) => Number(b.split(".")[1]) - Number(a.split(".")[1]));
    assert.deepEqual(versions, sorted);
  });

  const newest = versions[0] as string;
  const accepted: Array<[string | undefined, string]> = [
    [undefined, newest],
    ["", newest],
    [newest, newest],
    [`v${newest}`, newest],
    [`${newest}.0`, newest],
    [`v${versions[3]}.99`, versions[3] as string],
  ];
  for (const [requested, minor] of accepted) {
    test(`${JSON.stringify(requested)} selects ${minor}`, () => {
      assert.equal(resolveKubernetesVersion(requested), minor);
    });
  }

  for (const requested of ["1.20", "1.99", "2.0", "latest", "1", "v1.x"]) {
    test(`${JSON.stringify(requested)} is refused with the supported versions named`, () => {
      assert.throws(
        () => validateObject(configMap, { kubernetesVersion: requested }),
        (error: unknown) => {
          assert.ok(error instanceof UnsupportedKubernetesVersionError);
          assert.equal(error.requested, requested);
          assert.deepEqual(error.supported, versions);
          assert.match(
            error.message,
            new RegExp(`--kubernetes-version "${requested.replace(".", "\\.")}"`),
          );
          for (const v of versions) assert.ok(error.message.includes(v), error.message);
          return true;
        },
      );
    });
  }
});

const widgetCrd = parse(`
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  names: {kind: Widget, plural: widgets, singular: widget, listKind: WidgetList}
  scope: Namespaced
  versions:
    - name: v1alpha1
      served: false
      storage: false
      schema:
        openAPIV3Schema: {type: object}
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            apiVersion: {type: string}
            kind: {type: string}
            metadata: {type: object}
            spec:
              type: object
              required: [size]
              properties:
                size: {type: string, enum: [small, large]}
                replicas: {type: integer, minimum: 1, maximum: 10}
                port: {x-kubernetes-int-or-string: true, anyOf: [{type: integer}, {type: string}]}
                name: {type: string, pattern: "^[a-z]+$"}
                config:
                  type: object
                  x-kubernetes-preserve-unknown-fields: true
                  properties:
                    level: {type: integer}
                tags:
                  type: object
                  additionalProperties: {type: string}
                template:
                  type: object
                  x-kubernetes-embedded-resource: true
                  x-kubernetes-preserve-unknown-fields: true
                items:
                  type: array
                  items:
                    type: object
                    properties:
                      id: {type: string, nullable: true}
            status:
              type: object
              properties:
                ready: {type: boolean}
`);

const legacyCrd = parse(`
apiVersion: apiextensions.k8s.io/v1beta1
kind: CustomResourceDefinition
metadata: {name: gadgets.example.com}
spec:
  group: example.com
  version: v1beta1
  names: {kind: Gadget, plural: gadgets}
  validation:
    openAPIV3Schema:
      properties:
        spec:
          properties:
            color: {type: string}
`);

describe("custom resources from CRDs", () => {
  const crdSchemas = schemasFromCrds([configMap, widgetCrd, legacyCrd, "not an object", null]);

  test("schemasFromCrds keys served versions by apiVersion/kind", () => {
    assert.deepEqual([...crdSchemas.keys()].sort(), [
      "example.com/v1/Widget",
      "example.com/v1beta1/Gadget",
    ]);
  });

  const widget = parse(`
apiVersion: example.com/v1
kind: Widget
metadata: {name: w, labels: {tier: edge}}
spec:
  size: small
  replicas: 3
  port: http
  name: abc
  config: {level: 2, anything: {goes: [1, 2]}}
  tags: {a: b}
  template: {apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {whatever: true}}
  items: [{id: "x"}, {id: null}]
status: {ready: true}
`);

  test("a valid custom resource passes, strictly", () => {
    const result = validateObject(widget, { crdSchemas });
    assert.deepEqual(result.findings, []);
    assert.equal(result.schemaSource, "CRD");
  });

  const invalid: Array<[string, unknown, string, string]> = [
    [
      "unknown field in spec",
      withField(widget, "spec.colour", "red"),
      "unknown-field",
      "spec.colour",
    ],
    [
      "unknown field in a list item",
      withField(widget, "spec.items", [{ idd: "x" }]),
      "unknown-field",
      "spec.items[0].idd",
    ],
    ["unknown field at the root", withField(widget, "extra", 1), "unknown-field", "extra"],
    ["value outside an enum", withField(widget, "spec.size", "medium"), "enum", "spec.size"],
    ["value above a maximum", withField(widget, "spec.replicas", 11), "maximum", "spec.replicas"],
    [
      "string not matching a pattern",
      withField(widget, "spec.name", "ABC"),
      "pattern",
      "spec.name",
    ],
    [
      "wrong type inside a preserved object's known field",
      withField(widget, "spec.config", { level: "high" }),
      "type",
      "spec.config.level",
    ],
    ["missing required field", withField(widget, "spec", { replicas: 1 }), "required", "spec.size"],
    [
      "number as a label value (metadata is ObjectMeta)",
      withField(widget, "metadata.labels", { tier: 1 }),
      "type",
      "metadata.labels.tier",
    ],
    [
      "unknown field in metadata",
      withField(widget, "metadata.nam", "x"),
      "unknown-field",
      "metadata.nam",
    ],
  ];
  for (const [name, obj, rule, path] of invalid) {
    test(`${name} is an error`, () => {
      const result = validateObject(obj, { crdSchemas });
      assert.equal(result.status, "invalid");
      assert.deepEqual(
        result.findings.map((f) => [f.rule, f.path]),
        [[rule, path]],
      );
    });
  }

  test("a version the CRD does not serve has no schema", () => {
    const result = validateObject(withField(widget, "apiVersion", "example.com/v1alpha1"), {
      crdSchemas,
    });
    assert.deepEqual(
      result.findings.map((f) => f.rule),
      ["missing-schema"],
    );
  });

  test("a v1beta1 CRD with a top-level validation schema works", () => {
    const gadget = {
      apiVersion: "example.com/v1beta1",
      kind: "Gadget",
      metadata: { name: "g" },
      spec: { color: "red" },
    };
    assert.equal(validateObject(gadget, { crdSchemas }).status, "valid");
    const wrong = validateObject(withField(gadget, "spec.colour", "red"), { crdSchemas });
    assert.deepEqual(
      wrong.findings.map((f) => f.path),
      ["spec.colour"],
    );
  });

  test("a CRD given for a Flux kind takes precedence over the bundled schema", () => {
    const crd = withField(widgetCrd, "spec.group", "helm.toolkit.fluxcd.io");
    (crd.spec as Record<string, unknown>).names = { kind: "HelmRelease", plural: "helmreleases" };
    const schemas = schemasFromCrds([crd]);
    const result = validateObject(
      {
        apiVersion: "helm.toolkit.fluxcd.io/v1",
        kind: "HelmRelease",
        metadata: { name: "x" },
        spec: { size: "large" },
      },
      { crdSchemas: schemas },
    );
    assert.equal(result.schemaSource, "CRD");
    assert.equal(result.status, "valid");
  });
});

describe("Flux kinds (bundled)", () => {
  const manifests: Array<[string, string]> = [
    [
      "HelmRelease v2",
      `
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: podinfo, namespace: apps}
spec:
  interval: 10m
  timeout: 5m
  chart:
    spec:
      chart: podinfo
      version: "6.x"
      sourceRef: {kind: HelmRepository, name: podinfo, namespace: flux-system}
      interval: 1h
  install:
    remediation: {retries: 3}
  upgrade:
    cleanupOnFail: true
  values:
    replicaCount: 2
    ingress: {enabled: true, hosts: [{host: podinfo.local}]}
  valuesFrom:
    - {kind: ConfigMap, name: podinfo-values}
`,
    ],
    [
      "HelmRelease v2beta2",
      `
apiVersion: helm.toolkit.fluxcd.io/v2beta2
kind: HelmRelease
metadata: {name: podinfo}
spec:
  interval: 5m
  chart:
    spec: {chart: podinfo, sourceRef: {kind: HelmRepository, name: podinfo}}
  values: {replicaCount: 1}
`,
    ],
    [
      "HelmRelease v2beta1",
      `
apiVersion: helm.toolkit.fluxcd.io/v2beta1
kind: HelmRelease
metadata: {name: podinfo}
spec:
  interval: 5m
  chart:
    spec: {chart: podinfo, sourceRef: {kind: HelmRepository, name: podinfo}}
`,
    ],
    [
      "Kustomization v1",
      `
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: apps, namespace: flux-system}
spec:
  interval: 10m0s
  path: ./clusters/edge
  prune: true
  wait: true
  timeout: 2m
  sourceRef: {kind: GitRepository, name: flux-system}
  targetNamespace: apps
  postBuild:
    substitute: {cluster_env: prod}
  patches:
    - patch: |
        - op: replace
          path: /spec/replicas
          value: 1
      target: {kind: Deployment}
`,
    ],
    [
      "GitRepository v1",
      `
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: flux-system, namespace: flux-system}
spec:
  interval: 1m0s
  ref: {branch: main}
  secretRef: {name: flux-system}
  url: ssh://git@example.com/org/fleet
`,
    ],
    [
      "HelmRepository v1",
      `
apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata: {name: podinfo, namespace: flux-system}
spec:
  interval: 1h
  url: https://stefanprodan.github.io/podinfo
`,
    ],
    [
      "ImageRepository v1",
      `
apiVersion: image.toolkit.fluxcd.io/v1
kind: ImageRepository
metadata: {name: web, namespace: flux-system}
spec:
  image: registry.example.com/web
  interval: 5m
`,
    ],
    [
      "ImagePolicy v1",
      `
apiVersion: image.toolkit.fluxcd.io/v1
kind: ImagePolicy
metadata: {name: web, namespace: flux-system}
spec:
  imageRepositoryRef: {name: web}
  filterTags: {pattern: '^dev-[a-f0-9]+-(?P<ts>[0-9]+)', extract: '$ts'}
  policy:
    numerical: {order: asc}
`,
    ],
    [
      "ImagePolicy v1beta2",
      `
apiVersion: image.toolkit.fluxcd.io/v1beta2
kind: ImagePolicy
metadata: {name: web, namespace: flux-system}
spec:
  imageRepositoryRef: {name: web}
  policy:
    semver: {range: ">=1.0.0"}
`,
    ],
    [
      "ImageRepository v1beta2",
      `
apiVersion: image.toolkit.fluxcd.io/v1beta2
kind: ImageRepository
metadata: {name: web, namespace: flux-system}
spec: {image: registry.example.com/web, interval: 5m}
`,
    ],
    [
      "ImageUpdateAutomation v1",
      `
apiVersion: image.toolkit.fluxcd.io/v1
kind: ImageUpdateAutomation
metadata: {name: flux-system, namespace: flux-system}
spec:
  interval: 30m
  sourceRef: {kind: GitRepository, name: flux-system}
  git:
    checkout: {ref: {branch: main}}
    commit:
      author: {email: fluxcdbot@users.noreply.github.com, name: fluxcdbot}
      messageTemplate: '{{range .Changed.Changes}}{{print .OldValue}} -> {{println .NewValue}}{{end}}'
    push: {branch: main}
  update: {path: ./clusters/edge, strategy: Setters}
`,
    ],
    [
      "ImageUpdateAutomation v1beta2",
      `
apiVersion: image.toolkit.fluxcd.io/v1beta2
kind: ImageUpdateAutomation
metadata: {name: flux-system, namespace: flux-system}
spec:
  interval: 30m
  sourceRef: {kind: GitRepository, name: flux-system}
  git:
    commit:
      author: {email: bot@example.com, name: bot}
  update: {path: ./, strategy: Setters}
`,
    ],
  ];
  for (const [name, text] of manifests) {
    const obj = parse(text);
    test(`${name} validates`, () => {
      const result = validateObject(obj);
      assert.deepEqual(result.findings, []);
      assert.match(result.schemaSource ?? "", /^Flux v2\./);
    });
  }

  const invalid: Array<[string, string, unknown, string, string]> = [
    ["HelmRelease v2", "spec.intervall", "5m", "unknown-field", "spec.intervall"],
    ["HelmRelease v2", "spec.interval", "five minutes", "pattern", "spec.interval"],
    ["Kustomization v1", "spec.prune", "yes", "type", "spec.prune"],
    [
      "Kustomization v1",
      "spec.sourceRef",
      { kind: "Bucket2", name: "x" },
      "enum",
      "spec.sourceRef.kind",
    ],
    [
      "ImagePolicy v1",
      "spec.policy",
      { semver: { rnage: ">=1" } },
      "unknown-field",
      "spec.policy.semver.rnage",
    ],
  ];
  for (const [name, path, value, rule, at] of invalid) {
    test(`${name} with a bad ${path} is an error`, () => {
      const base = parse((manifests.find(([n]) => n === name) as [string, string])[1]);
      const result = validateObject(withField(base, path, value));
      assert.equal(result.status, "invalid");
      assert.ok(
        result.findings.some((f) => f.rule === rule && f.path === at),
        JSON.stringify(result.findings),
      );
    });
  }

  test("HelmRelease values accept anything (x-kubernetes-preserve-unknown-fields)", () => {
    const obj = parse((manifests[0] as [string, string])[1]);
    const result = validateObject(
      withField(obj, "spec.values", { any: { thing: [1, { x: null }] } }),
    );
    assert.equal(result.status, "valid");
  });
});
