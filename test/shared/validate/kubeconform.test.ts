// Schema-only verdicts of `tether validate` against kubeconform's on the same files (issue
// 5, "Done when"). kubeconform (from the local environment) reads the schemas Tether
// exports from its bundled data (shared/validate/export.ts), so both judge against the
// same schema content; every resource must get the same verdict, valid or not. Where
// Tether differs on purpose (shared/validate/README.md: null optional fields, a custom
// resource's metadata checked as ObjectMeta, format not checked) the test asserts the
// difference itself; so it does for one that is not in the README: YAML 1.1 booleans.
// kubeconform runs with -verbose besides the usual flags, so that valid resources are
// listed too.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { parse } from "yaml";
import type { Report, ResultEntry } from "../../../action/validate/report.ts";
import { kubeconformSchemaLocation, writeSchemas } from "../../../shared/validate/export.ts";
import { schemasFromCrds } from "../../../shared/validate/schema.ts";
import { defaultKubernetesVersion } from "../../../shared/validate/versions.ts";
import { Fixture, validate, WIDGET_CRD } from "../../action/validate/helpers.ts";
import { run } from "../../helpers/run.ts";
import { testenv } from "../../helpers/testenv.ts";

type Verdict = "valid" | "invalid";

interface Case {
  name: string;
  yaml: string;
  /** Tether's verdict, for the one resource of the file or per resource name. */
  tether: Verdict | Record<string, Verdict>;
  /** Where kubeconform differs on purpose: its verdict and the README's reason. */
  kubeconform?: { verdict: Verdict; because: string };
  /** The file does not load (YAML or apiVersion/kind): a file-level error, no resources. */
  fileLevel?: boolean;
}

const NULL_FIELDS =
  "null for an optional field is accepted: the API server reads it as unset (README: differences from kubeconform)";

const deployment = (name: string, spec: string, metadata = "") => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: shop
  labels: {app: ${name}}${metadata}
spec:
${spec}`;

const podSpec = (container: string, extra = "") => `  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:${extra}
      containers:
        - name: web
          image: registry.example.com/web:1.4.0
${container}`;

const configMap = (name: string, body: string, metadata = "") => `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}${metadata}
${body}`;

const service = (name: string, ports: string) => `apiVersion: v1
kind: Service
metadata:
  name: ${name}
spec:
  selector: {app: web}
  ports:
${ports}`;

const cronJob = (name: string, spec: string) => `apiVersion: batch/v1
kind: CronJob
metadata:
  name: ${name}
spec:
${spec}`;

const widget = (name: string, spec: string, metadata = "") => `apiVersion: example.com/v1
kind: Widget
metadata:
  name: ${name}${metadata}
spec:
${spec}`;

const helmRelease = (name: string, sourceRef: string) => `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: ${name}
  namespace: shop
spec:
  interval: 10m
  chart:
    spec:
      chart: redis
      version: "18.x"
      sourceRef:
${sourceRef}
  values:
    replica: {replicaCount: 1, anything: {goes: [1, "two"]}}
`;

const cases: Case[] = [
  // Valid objects of common kinds.
  {
    name: "valid-deployment",
    yaml: deployment(
      "valid-deployment",
      `  replicas: 2
  strategy:
    type: RollingUpdate
    rollingUpdate: {maxSurge: 25%, maxUnavailable: 1}
${podSpec(
  `          imagePullPolicy: IfNotPresent
          args: ["--port", "8080"]
          env:
            - {name: MODE, value: production}
            - name: POD_IP
              valueFrom: {fieldRef: {fieldPath: status.podIP}}
          ports: [{name: http, containerPort: 8080, protocol: TCP}]
          resources:
            requests: {cpu: 100m, memory: 64Mi}
            limits: {memory: 128Mi}
          readinessProbe:
            httpGet: {path: /healthz, port: http}
            periodSeconds: 5`,
  `
      nodeSelector: {kubernetes.io/arch: arm64}
      tolerations: [{key: edge, operator: Exists, effect: NoSchedule}]`,
)}
`,
      `
  annotations: {example.com/owner: team-a}`,
    ),
    tether: "valid",
  },
  {
    name: "valid-service",
    yaml: `${service(
      "valid-service",
      `    - {name: http, port: 80, targetPort: http, protocol: TCP}
    - {name: metrics, port: 9090, targetPort: 9090}`,
    )}
  type: ClusterIP
  sessionAffinity: None
`,
    tether: "valid",
  },
  {
    name: "valid-configmap",
    yaml: configMap(
      "valid-configmap",
      `data:
  app.properties: |
    mode=production
  LOG_LEVEL: info
binaryData:
  logo.png: iVBORw0KGgo=
immutable: true
`,
    ),
    tether: "valid",
  },
  {
    name: "valid-secret",
    yaml: `apiVersion: v1
kind: Secret
metadata: {name: valid-secret, namespace: shop}
type: Opaque
data:
  password: c2VjcmV0
stringData:
  username: admin
`,
    tether: "valid",
  },
  {
    name: "valid-ingress",
    yaml: `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: valid-ingress
  annotations: {traefik.ingress.kubernetes.io/router.entrypoints: websecure}
spec:
  ingressClassName: traefik
  tls:
    - hosts: [shop.example.com]
      secretName: shop-tls
  rules:
    - host: shop.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service: {name: web, port: {number: 80}}
          - path: /metrics
            pathType: Exact
            backend:
              service: {name: web, port: {name: metrics}}
`,
    tether: "valid",
  },
  {
    name: "valid-cronjob",
    yaml: cronJob(
      "valid-cronjob",
      `  schedule: "*/15 * * * *"
  concurrencyPolicy: Forbid
  successfulJobsHistoryLimit: 1
  jobTemplate:
    spec:
      backoffLimit: 2
      template:
        spec:
          restartPolicy: OnFailure
          containers:
            - name: sync
              image: registry.example.com/sync:2.0.0
              command: [/sync, --once]
`,
    ),
    tether: "valid",
  },
  {
    name: "valid-helmrelease",
    yaml: helmRelease("valid-helmrelease", "        kind: HelmRepository\n        name: bitnami"),
    tether: "valid",
  },
  { name: "widget-crd", yaml: WIDGET_CRD, tether: { "widgets.example.com": "valid" } },
  {
    name: "valid-widget",
    yaml: widget("valid-widget", "  size: 3\n  color: red\n", "\n  labels: {app: web}"),
    tether: "valid",
  },
  {
    name: "open-maps",
    yaml: configMap(
      "open-maps",
      "data: {any-key: x, another.key_2: z}\n",
      "\n  labels: {app.kubernetes.io/name: web, tier: edge}\n  annotations: {example.com/anything: '{\"json\": true}'}",
    ),
    tether: "valid",
  },

  // Both read YAML 1.1, as kubectl does: `on` and `yes` are booleans, so the data is
  // not all strings; quoted, they are fine.
  {
    name: "yaml-1.1-boolean",
    yaml: configMap("yaml-1.1-boolean", "data: {debug: on, verbose: yes}\n"),
    tether: "invalid",
  },
  {
    name: "yaml-1.1-quoted",
    yaml: configMap("yaml-1.1-quoted", "data: {debug: 'on', verbose: \"yes\"}\n"),
    tether: "valid",
  },

  // Unknown fields, from the top of the object down to a probe inside a container.
  {
    name: "unknown-top-level",
    yaml: configMap("unknown-top-level", "data: {a: b}\nspec: {}\n"),
    tether: "invalid",
  },
  {
    name: "unknown-in-metadata",
    yaml: configMap("unknown-in-metadata", "data: {a: b}\n", "\n  labelz: {app: web}"),
    tether: "invalid",
  },
  {
    name: "unknown-in-spec",
    yaml: deployment("unknown-in-spec", `  replica: 2\n${podSpec("")}`),
    tether: "invalid",
  },
  {
    name: "unknown-in-container",
    yaml: deployment("unknown-in-container", podSpec("          imagePullPolicyy: Always\n")),
    tether: "invalid",
  },
  {
    name: "unknown-in-probe",
    yaml: deployment(
      "unknown-in-probe",
      podSpec("          livenessProbe:\n            httpGet: {paht: /healthz, port: 8080}\n"),
    ),
    tether: "invalid",
  },
  {
    name: "unknown-in-cronjob-resources",
    yaml: cronJob(
      "unknown-in-cronjob-resources",
      `  schedule: "@hourly"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
            - name: sync
              image: sync
              resources: {limitz: {memory: 64Mi}}
`,
    ),
    tether: "invalid",
  },
  {
    name: "unknown-in-helmrelease",
    yaml: helmRelease(
      "unknown-in-helmrelease",
      "        kind: HelmRepository\n        name: bitnami\n        namespacee: flux-system",
    ),
    tether: "invalid",
  },
  {
    name: "unknown-in-widget",
    yaml: widget("unknown-in-widget", "  size: 3\n  colour: red\n"),
    tether: "invalid",
  },
  {
    name: "unknown-in-widget-metadata",
    yaml: widget("unknown-in-widget-metadata", "  size: 3\n", "\n  labelz: {app: web}"),
    tether: "invalid",
  },

  // Wrong types.
  {
    name: "replicas-string",
    yaml: deployment("replicas-string", `  replicas: two\n${podSpec("")}`),
    tether: "invalid",
  },
  {
    name: "configmap-data-number",
    yaml: configMap("configmap-data-number", "data: {retries: 3}\n"),
    tether: "invalid",
  },
  {
    name: "containerport-string",
    yaml: deployment(
      "containerport-string",
      podSpec('          ports: [{containerPort: "8080"}]\n'),
    ),
    tether: "invalid",
  },
  {
    name: "immutable-string",
    yaml: configMap("immutable-string", 'data: {a: b}\nimmutable: "true"\n'),
    tether: "invalid",
  },
  {
    name: "containers-object",
    yaml: deployment(
      "containers-object",
      `  selector:
    matchLabels: {app: web}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: {name: web, image: web}
`,
    ),
    tether: "invalid",
  },
  {
    name: "label-number",
    yaml: configMap("label-number", "data: {a: b}\n", "\n  labels: {tier: 1}"),
    tether: "invalid",
  },
  {
    name: "secret-data-number",
    yaml: "apiVersion: v1\nkind: Secret\nmetadata: {name: secret-data-number}\ndata: {pin: 1234}\n",
    tether: "invalid",
  },
  {
    name: "widget-size-string",
    yaml: widget("widget-size-string", '  size: "3"\n'),
    tether: "invalid",
  },

  // Missing required fields.
  {
    name: "deployment-no-selector",
    yaml: `apiVersion: apps/v1
kind: Deployment
metadata: {name: deployment-no-selector}
spec:
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: web}]
`,
    tether: "invalid",
  },
  {
    name: "container-no-name",
    yaml: `apiVersion: apps/v1
kind: Deployment
metadata: {name: container-no-name}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{image: web}]
`,
    tether: "invalid",
  },
  {
    name: "service-port-missing",
    yaml: service("service-port-missing", "    - {name: http, targetPort: 8080}\n"),
    tether: "invalid",
  },
  {
    name: "ingress-no-pathtype",
    yaml: `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: ingress-no-pathtype}
spec:
  rules:
    - http:
        paths:
          - path: /
            backend: {service: {name: web, port: {number: 80}}}
`,
    tether: "invalid",
  },
  {
    name: "cronjob-no-schedule",
    yaml: cronJob(
      "cronjob-no-schedule",
      `  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers: [{name: sync, image: sync}]
`,
    ),
    tether: "invalid",
  },
  {
    name: "widget-no-size",
    yaml: widget("widget-no-size", "  color: blue\n"),
    tether: "invalid",
  },

  // IntOrString: an integer or a string, nothing else.
  {
    name: "int-or-string-both-forms",
    yaml: `${service(
      "int-or-string-both-forms",
      "    - {name: a, port: 80, targetPort: 8080}\n    - {name: b, port: 81, targetPort: http}",
    )}\n`,
    tether: "valid",
  },
  {
    name: "int-or-string-float",
    yaml: `${service("int-or-string-float", "    - {port: 80, targetPort: 80.5}")}\n`,
    tether: "invalid",
  },
  {
    name: "int-or-string-boolean",
    yaml: deployment(
      "int-or-string-boolean",
      `  strategy:
    rollingUpdate: {maxSurge: true}
${podSpec("")}`,
    ),
    tether: "invalid",
  },

  // Quantities: a string or a number; the string's syntax is checked by neither.
  {
    name: "quantity-forms",
    yaml: deployment(
      "quantity-forms",
      podSpec(
        "          resources:\n            requests: {cpu: 0.5, memory: 134217728, ephemeral-storage: 1Gi}\n            limits: {cpu: 250m}\n",
      ),
    ),
    tether: "valid",
  },
  {
    name: "quantity-syntax-unchecked",
    yaml: deployment(
      "quantity-syntax-unchecked",
      podSpec("          resources: {limits: {memory: lots}}\n"),
    ),
    tether: "valid",
  },
  {
    name: "quantity-boolean",
    yaml: deployment(
      "quantity-boolean",
      podSpec("          resources: {limits: {memory: true}}\n"),
    ),
    tether: "invalid",
  },
  {
    name: "quantity-object",
    yaml: deployment("quantity-object", podSpec("          resources: {requests: {cpu: {}}}\n")),
    tether: "invalid",
  },

  // format is not checked (and the exported schemas carry none): both accept.
  {
    name: "format-unchecked",
    yaml: configMap("format-unchecked", "data: {a: b}\n", "\n  creationTimestamp: yesterday"),
    tether: "valid",
  },

  // null: optional fields differ on purpose; a null required field is missing for both.
  {
    name: "null-creationtimestamp",
    yaml: deployment("null-creationtimestamp", podSpec(""), "\n  creationTimestamp: null"),
    tether: "valid",
    kubeconform: { verdict: "invalid", because: NULL_FIELDS },
  },
  {
    name: "null-replicas",
    yaml: deployment("null-replicas", `  replicas: null\n${podSpec("")}`),
    tether: "valid",
    kubeconform: { verdict: "invalid", because: NULL_FIELDS },
  },
  {
    name: "null-labels",
    yaml: configMap("null-labels", "data: {a: b}\n", "\n  labels: null"),
    tether: "valid",
    kubeconform: { verdict: "invalid", because: NULL_FIELDS },
  },
  {
    name: "null-required-selector",
    yaml: `apiVersion: apps/v1
kind: Deployment
metadata: {name: null-required-selector}
spec:
  selector: null
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: web}]
`,
    tether: "invalid",
  },

  // A v1 List is checked item by item by both.
  {
    name: "list",
    yaml: `apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: ConfigMap
    metadata: {name: list-item-valid}
    data: {a: b}
  - apiVersion: v1
    kind: Service
    metadata: {name: list-item-unknown-field}
    spec:
      ports: [{port: 80, targetPrt: 8080}]
  - apiVersion: apps/v1
    kind: Deployment
    metadata: {name: list-item-wrong-type}
    spec:
      replicas: "3"
      selector: {matchLabels: {app: web}}
      template:
        metadata: {labels: {app: web}}
        spec:
          containers: [{name: web, image: web}]
`,
    tether: {
      "list-item-valid": "valid",
      "list-item-unknown-field": "invalid",
      "list-item-wrong-type": "invalid",
    },
  },

  // Several documents in one file, each judged on its own.
  {
    name: "multi-document",
    yaml: [
      configMap("multi-a", "data: {a: b}\n"),
      configMap("multi-b", "data: {a: b}\nextra: 1\n"),
      `${service("multi-c", "    - {port: 80}")}\n`,
    ].join("---\n"),
    tether: { "multi-a": "valid", "multi-b": "invalid", "multi-c": "valid" },
  },

  // No schema: an error for both (kubeconform: "could not find schema").
  {
    name: "no-schema",
    yaml: "apiVersion: example.com/v1\nkind: Gadget\nmetadata: {name: no-schema}\nspec: {}\n",
    tether: "invalid",
  },

  // Files that do not load: both reject them (Tether as a file-level render error).
  {
    name: "duplicate-key",
    yaml: configMap("duplicate-key", "data: {a: b}\ndata: {c: d}\n"),
    tether: "invalid",
    fileLevel: true,
  },
  {
    name: "missing-apiversion",
    yaml: "kind: ConfigMap\nmetadata: {name: missing-apiversion}\ndata: {a: b}\n",
    tether: "invalid",
    fileLevel: true,
  },
  {
    name: "missing-kind",
    yaml: "apiVersion: v1\nmetadata: {name: missing-kind}\ndata: {a: b}\n",
    tether: "invalid",
    fileLevel: true,
  },
];

interface KubeconformResource {
  filename: string;
  kind: string;
  name: string;
  version: string;
  status: string;
  msg: string;
}

/** kubeconform's statuses as verdicts: an error (no schema, does not load) is not valid. */
function kubeconformVerdict(status: string): Verdict | "skipped" | "empty" {
  switch (status) {
    case "statusValid":
      return "valid";
    case "statusInvalid":
    case "statusError":
      return "invalid";
    case "statusSkipped":
      return "skipped";
    default:
      return "empty";
  }
}

const version = defaultKubernetesVersion();
const crdSchemas = schemasFromCrds([parse(WIDGET_CRD)]);

async function kubeconform(
  files: readonly string[],
  schemaDir: string,
  cwd: string,
): Promise<KubeconformResource[]> {
  const result = await run(
    "kubeconform",
    [
      "-strict",
      "-summary",
      // Without -verbose the JSON lists only resources that are not valid.
      "-verbose",
      "-output",
      "json",
      "-schema-location",
      kubeconformSchemaLocation(schemaDir),
      ...files,
    ],
    { cwd, env: { ...process.env, PATH: testenv().path } },
  );
  assert.ok(
    result.code === 0 || result.code === 1,
    `kubeconform exited ${result.code}: ${result.stderr}${result.stdout}`,
  );
  return (JSON.parse(result.stdout) as { resources: KubeconformResource[] }).resources;
}

/** Schemas only, as kubeconform checks (the API server's rules are compared with the server). */
async function tether(paths: readonly string[], cwd: string): Promise<Report> {
  const result = await validate(
    ["--kubernetes-version", version, "-o", "json", "--no-server-rules", ...paths],
    { cwd },
  );
  assert.ok(
    result.stdout.startsWith("{"),
    `no JSON report (exit ${result.code}): ${result.stderr}`,
  );
  return JSON.parse(result.stdout) as Report;
}

const scratch: string[] = [];
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), `tether-${prefix}-`));
  scratch.push(dir);
  return dir;
};
after(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

describe(`schema-only verdicts agree with kubeconform (Kubernetes ${version}, strict)`, () => {
  const fixture = new Fixture("kubeconform");
  scratch.push(fixture.root);
  const fileOf = (c: Case) => `cases/${c.name}.yaml`;
  let kc: KubeconformResource[] = [];
  let report: Report;

  before(async () => {
    for (const c of cases) fixture.write(fileOf(c), c.yaml);
    const schemaDir = tempDir("kubeconform-schemas");
    const exported = await writeSchemas(schemaDir, { kubernetesVersion: version, crdSchemas });
    assert.deepEqual(exported.shadowed, []);
    const files = cases.map(fileOf);
    [kc, report] = await Promise.all([
      kubeconform(files, schemaDir, fixture.root),
      tether(["cases"], fixture.root),
    ]);
  });

  test("both judged every resource of every case", () => {
    const resources = cases.flatMap((c) =>
      c.fileLevel ? [] : typeof c.tether === "string" ? [c.name] : Object.keys(c.tether),
    );
    const tetherResources = report.results.filter((r) => r.kind !== "");
    assert.equal(tetherResources.length, resources.length);
    const kcResources = kc.filter(
      (r) => !cases.some((c) => c.fileLevel && r.filename === fileOf(c)),
    );
    assert.equal(kcResources.length, resources.length);
  });

  for (const c of cases) {
    const expected =
      typeof c.tether === "string" ? { [c.name]: c.tether } : (c.tether as Record<string, Verdict>);
    const label = c.kubeconform
      ? `${c.name}: Tether ${c.tether}, kubeconform ${c.kubeconform.verdict} (by design)`
      : `${c.name}: both ${typeof c.tether === "string" ? c.tether : Object.values(c.tether).join("/")}`;
    test(label, () => {
      const file = fileOf(c);
      const fromKc = kc.filter((r) => r.filename === file);
      if (c.fileLevel) {
        const entries = report.results.filter((r) => r.file === file);
        assert.equal(entries.length, 1, JSON.stringify(entries));
        const entry = entries[0] as ResultEntry;
        assert.equal(entry.kind, "");
        assert.equal(entry.status, "invalid");
        assert.equal(entry.messages[0]?.source, "render");
        assert.ok(fromKc.length > 0, "kubeconform reported nothing for the file");
        for (const r of fromKc) assert.equal(kubeconformVerdict(r.status), "invalid", r.msg);
        return;
      }
      for (const [name, verdict] of Object.entries(expected)) {
        const mine = report.results.filter((r) => r.file === file && r.name === name);
        const theirs = fromKc.filter((r) => r.name === name);
        assert.equal(mine.length, 1, `Tether: ${name} ${JSON.stringify(report.results)}`);
        assert.equal(theirs.length, 1, `kubeconform: ${name} ${JSON.stringify(fromKc)}`);
        const t = mine[0] as ResultEntry;
        const k = theirs[0] as KubeconformResource;
        assert.equal(k.kind, t.kind);
        assert.equal(k.version, t.apiVersion);
        const why = JSON.stringify(t.messages.map((m) => m.message));
        assert.equal(t.status, verdict, `Tether on ${name}: ${why}`);
        assert.equal(
          kubeconformVerdict(k.status),
          c.kubeconform?.verdict ?? verdict,
          `kubeconform on ${name}: ${k.msg} (Tether: ${why})`,
        );
        if (c.kubeconform) {
          // The difference is the one named: kubeconform rejects the null itself.
          assert.match(k.msg, /got null, want/);
        }
      }
    });
  }
});

describe("documented differences that need other schemas", () => {
  test("a custom resource's metadata: ObjectMeta for Tether, free-form in kubeconform's CRD conversion", async () => {
    const fixture = new Fixture("kubeconform-meta");
    scratch.push(fixture.root);
    const gear = widget("gear", "  size: 3\n", "\n  labelz: {app: web}\n  namespace: 7");
    fixture.write("crd.yaml", WIDGET_CRD).write("widget.yaml", gear);
    // What kubeconform users get from the CRD (openapi2jsonschema): metadata as declared.
    const declared = tempDir("kubeconform-declared");
    await writeSchemas(declared, {
      kubernetesVersion: version,
      crdSchemas,
      kinds: ["example.com/v1/Widget"],
      customResourceMetadata: "as-declared",
    });
    const asDeclared = await kubeconform(["widget.yaml"], declared, fixture.root);
    assert.equal(asDeclared.length, 1);
    assert.equal(kubeconformVerdict(asDeclared[0]?.status ?? ""), "valid", asDeclared[0]?.msg);
    // Tether checks it as ObjectMeta, as the API server does...
    const report = await tether(["."], fixture.root);
    const entry = report.results.find((r) => r.kind === "Widget");
    assert.equal(entry?.status, "invalid");
    assert.deepEqual(entry?.messages.map((m) => m.field).sort(), [
      "metadata.labelz",
      "metadata.namespace",
    ]);
    // ...and kubeconform agrees when given Tether's export.
    const objectMeta = tempDir("kubeconform-objectmeta");
    await writeSchemas(objectMeta, {
      kubernetesVersion: version,
      crdSchemas,
      kinds: ["example.com/v1/Widget"],
    });
    const withObjectMeta = await kubeconform(["widget.yaml"], objectMeta, fixture.root);
    assert.equal(kubeconformVerdict(withObjectMeta[0]?.status ?? ""), "invalid");
  });

  test("format: kubeconform checks it where a schema has it (upstream Time is date-time); Tether never does", async () => {
    const fixture = new Fixture("kubeconform-format");
    scratch.push(fixture.root);
    fixture.write(
      "cm.yaml",
      configMap("when", "data: {a: b}\n", "\n  creationTimestamp: yesterday"),
    );
    const dir = tempDir("kubeconform-format");
    const [exported] = (
      await writeSchemas(dir, { kubernetesVersion: version, kinds: ["v1/ConfigMap"] })
    ).schemas;
    assert.ok(exported);
    // The exported schema has no format: kubeconform accepts, as Tether does.
    const plain = await kubeconform(["cm.yaml"], dir, fixture.root);
    assert.equal(kubeconformVerdict(plain[0]?.status ?? ""), "valid", plain[0]?.msg);
    // With the format the upstream OpenAPI document gives metav1.Time, kubeconform rejects.
    const path = join(dir, exported.file);
    const schema = JSON.parse(readFileSync(path, "utf8")) as {
      definitions: Record<string, Record<string, unknown>>;
    };
    const time = schema.definitions["io.k8s.apimachinery.pkg.apis.meta.v1.Time"];
    assert.deepEqual(time, { type: "string" });
    schema.definitions["io.k8s.apimachinery.pkg.apis.meta.v1.Time"] = {
      type: "string",
      format: "date-time",
    };
    writeFileSync(path, JSON.stringify(schema));
    const withFormat = await kubeconform(["cm.yaml"], dir, fixture.root);
    assert.equal(kubeconformVerdict(withFormat[0]?.status ?? ""), "invalid");
    assert.match(withFormat[0]?.msg ?? "", /date-time/);
    const report = await tether(["."], fixture.root);
    assert.equal(report.results[0]?.status, "valid");
  });
});
