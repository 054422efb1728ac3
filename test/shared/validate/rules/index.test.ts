// The built-in rules per kind: the objects the API server refuses although their
// schema accepts them (the eleven of the report that started this), and valid
// look-alikes that must stay valid. The differential test checks the same against the
// real server; this table pins messages and fields.
import assert from "node:assert/strict";
import { test } from "node:test";
import { checkServerRules } from "../../../../shared/validate/rules/index.ts";

type Obj = Record<string, unknown>;

const deployment = (template: Obj, selector: Obj = { matchLabels: { app: "web" } }): Obj => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web" },
  spec: { selector, template },
});
const containers = (list: Obj[]): Obj => ({
  metadata: { labels: { app: "web" } },
  spec: { containers: list },
});

/** [what, object, expected "path: message start" per finding] */
const cases: [string, Obj, string[]][] = [
  [
    "ConfigMap named Bad_Name",
    { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "Bad_Name" } },
    ['metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain'],
  ],
  [
    "label value with spaces",
    { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", labels: { team: "a b" } } },
    ['metadata.labels: Invalid value: "a b": a valid label must be an empty string'],
  ],
  [
    "Service port 70000",
    {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "s" },
      spec: { ports: [{ port: 70000 }] },
    },
    ["spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive"],
  ],
  [
    "Service name of 71 characters",
    {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "s".repeat(71) },
      spec: { ports: [{ port: 80 }] },
    },
    [`metadata.name: Invalid value: "${"s".repeat(71)}": must be no more than 63 characters`],
  ],
  [
    "selector that does not match the template",
    deployment({
      metadata: { labels: { app: "other" } },
      spec: { containers: [{ name: "a", image: "x" }] },
    }),
    [
      'spec.template.metadata.labels: Invalid value: {"app":"other"}: `selector` does not match template `labels`',
    ],
  ],
  [
    "two containers with the same name",
    deployment(
      containers([
        { name: "a", image: "x" },
        { name: "a", image: "y" },
      ]),
    ),
    ['spec.template.spec.containers[1].name: Duplicate value: "a"'],
  ],
  [
    "container without an image",
    deployment(containers([{ name: "a" }])),
    ["spec.template.spec.containers[0].image: Required value"],
  ],
  [
    "cpu: lots",
    deployment(containers([{ name: "a", image: "x", resources: { requests: { cpu: "lots" } } }])),
    [
      'spec.template.spec.containers[0].resources.requests[cpu]: Invalid value: "lots": quantities must match',
    ],
  ],
  [
    "memory request above its limit",
    deployment(
      containers([
        {
          name: "a",
          image: "x",
          resources: { requests: { memory: "2Gi" }, limits: { memory: "1Gi" } },
        },
      ]),
    ),
    [
      'spec.template.spec.containers[0].resources.requests: Invalid value: "2Gi": must be less than or equal to memory limit of 1Gi',
    ],
  ],
  [
    "CronJob schedule `not a schedule`",
    {
      apiVersion: "batch/v1",
      kind: "CronJob",
      metadata: { name: "c" },
      spec: {
        schedule: "not a schedule",
        jobTemplate: {
          spec: {
            template: { spec: { restartPolicy: "Never", containers: [{ name: "a", image: "x" }] } },
          },
        },
      },
    },
    [
      'spec.schedule: Invalid value: "not a schedule": expected exactly 5 fields, found 3: not a schedule',
    ],
  ],
  [
    "Job with restartPolicy: Always",
    {
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: { name: "j" },
      spec: {
        template: { spec: { restartPolicy: "Always", containers: [{ name: "a", image: "x" }] } },
      },
    },
    [
      'spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"',
    ],
  ],
  [
    "RBAC names may have capitals and colons",
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: { name: "system:Reader" },
      rules: [],
    },
    [],
  ],
  [
    "a valid Deployment with expressions, quantities and probes",
    deployment(
      {
        metadata: { labels: { app: "web", tier: "front" } },
        spec: {
          containers: [
            {
              name: "a",
              image: "x",
              ports: [{ containerPort: 8080, name: "http" }],
              resources: {
                requests: { cpu: "250m", memory: "1024Mi" },
                limits: { cpu: 1, memory: "1Gi" },
              },
              readinessProbe: { httpGet: { port: "http" } },
            },
          ],
        },
      },
      { matchExpressions: [{ key: "tier", operator: "In", values: ["front"] }] },
    ),
    [],
  ],
  [
    "custom resources get metadata checks only when known as such",
    { apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "W_1" } },
    [],
  ],
  [
    "items of a v1 List are checked with their index",
    {
      apiVersion: "v1",
      kind: "List",
      items: [{ apiVersion: "v1", kind: "Namespace", metadata: { name: "a.b" } }],
    },
    ['items[0].metadata.name: Invalid value: "a.b": a lowercase RFC 1123 label'],
  ],
];

for (const [what, object, expected] of cases) {
  test(what, () => {
    const messages = checkServerRules(object).map((f) => f.message);
    assert.equal(messages.length, expected.length, messages.join("\n"));
    expected.forEach((start, i) => {
      assert.ok(messages[i]?.startsWith(start), `${messages[i]}\ndoes not start with\n${start}`);
    });
  });
}

test("findings point at the field: a label value at its key, a quantity at its value", () => {
  const findings = checkServerRules(
    deployment(containers([{ name: "a", image: "x", resources: { requests: { cpu: "lots" } } }])),
  );
  assert.deepEqual(
    findings.map((f) => f.pointer),
    ["/spec/template/spec/containers/0/resources/requests/cpu"],
  );
  const label = checkServerRules({
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "c", labels: { team: "a b" } },
  });
  assert.deepEqual(
    label.map((f) => [f.pointer, f.rule]),
    [["/metadata/labels/team", "invalid-value"]],
  );
});

test("a custom resource named against the rules, when the caller says it is one", () => {
  const findings = checkServerRules(
    { apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "W_1" } },
    { isCustomResource: () => true },
  );
  assert.equal(findings.length, 1);
  assert.match(findings[0]?.message ?? "", /^metadata\.name: Invalid value: "W_1"/);
});
