// `tether validate` with the API server's rules and CRD CEL rules: the contract's exit
// code, status and summary, messages worded as the server words them, positions, and
// `--no-server-rules`.
import assert from "node:assert/strict";
import { after, test } from "node:test";
import type { Report } from "../../../action/validate/report.ts";
import { Fixture, lineOf, validate } from "./helpers.ts";

const fixture = new Fixture("server-rules");
after(() => fixture.cleanup());

const BAD = `apiVersion: v1
kind: ConfigMap
metadata:
  name: Bad_Name
data:
  a: b
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: app
          image: nginx
          resources:
            requests: {memory: 2Gi}
            limits: {memory: 1Gi}
`;

const CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: scalers.example.com
spec:
  group: example.com
  scope: Namespaced
  names: {plural: scalers, singular: scaler, kind: Scaler}
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              x-kubernetes-validations:
                - rule: self.replicas <= self.maxReplicas
                  message: replicas must not exceed maxReplicas
                  fieldPath: .replicas
              properties:
                replicas: {type: integer}
                maxReplicas: {type: integer}
`;

const CR = `apiVersion: example.com/v1
kind: Scaler
metadata:
  name: s
spec:
  replicas: 5
  maxReplicas: 3
`;

async function json(args: string[]): Promise<{ code: number; report: Report; stderr: string }> {
  const result = await validate(["-o", "json", ...args], { cwd: fixture.root });
  assert.ok(
    result.stdout.startsWith("{"),
    `no JSON report (exit ${result.code}): ${result.stderr}`,
  );
  return { code: result.code, report: JSON.parse(result.stdout) as Report, stderr: result.stderr };
}

test("what the API server would reject is invalid, with the server's words and the field's line", async () => {
  fixture.write("bad.yaml", BAD);
  const { code, report } = await json(["bad.yaml", "--kubernetes-version", "1.34"]);
  assert.equal(code, 1);
  assert.equal(report.summary.invalid, 2);
  const [configMap, deployment] = report.results;
  assert.equal(configMap?.status, "invalid");
  assert.deepEqual(
    configMap?.messages.map((m) => [m.line, m.rule, m.message.slice(0, 55)]),
    [
      [
        lineOf(BAD, "Bad_Name"),
        "invalid-value",
        'metadata.name: Invalid value: "Bad_Name": a lowercase R',
      ],
    ],
  );
  assert.equal(deployment?.status, "invalid");
  assert.deepEqual(
    deployment?.messages.map((m) => [m.line, m.message]),
    [
      [
        lineOf(BAD, "requests:"),
        'spec.template.spec.containers[0].resources.requests: Invalid value: "2Gi": must be less than or equal to memory limit of 1Gi',
      ],
    ],
  );
});

test("--no-server-rules checks schemas only", async () => {
  fixture.write("bad.yaml", BAD);
  const { code, report } = await json([
    "bad.yaml",
    "--kubernetes-version",
    "1.34",
    "--no-server-rules",
  ]);
  assert.equal(code, 0);
  assert.equal(report.summary.invalid, 0);
});

test("--crds: a custom resource breaking its CRD's x-kubernetes-validations rule is invalid", async () => {
  fixture.write("crds/scaler.yaml", CRD).write("cr/scaler.yaml", CR);
  const { code, report } = await json(["cr/scaler.yaml", "--crds", "crds/scaler.yaml"]);
  assert.equal(code, 1);
  assert.equal(report.summary.invalid, 1);
  assert.deepEqual(
    report.results[0]?.messages.map((m) => [m.line, m.rule, m.message]),
    [
      [
        lineOf(CR, "replicas: 5"),
        "x-kubernetes-validations",
        'spec.replicas: Invalid value: "object": replicas must not exceed maxReplicas',
      ],
    ],
  );
  fixture.write("cr/scaler.yaml", CR.replace("replicas: 5", "replicas: 2"));
  const fixed = await json(["cr/scaler.yaml", "--crds", "crds/scaler.yaml"]);
  assert.equal(fixed.code, 0, JSON.stringify(fixed.report.results));
});

test("Flux kinds: the bundled CRDs' CEL rules apply without --crds", async () => {
  const release = `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: podinfo
  namespace: flux-system
spec:
  interval: 10m
`;
  fixture.write("flux/release.yaml", release);
  const { code, report } = await json(["flux/release.yaml"]);
  assert.equal(code, 1);
  assert.deepEqual(
    report.results[0]?.messages.map((m) => [m.line, m.rule, m.message]),
    [
      [
        lineOf(release, "spec:"),
        "x-kubernetes-validations",
        'spec: Invalid value: "object": either chart or chartRef must be set',
      ],
    ],
  );
  fixture.write(
    "flux/release.yaml",
    `${release}  chartRef:\n    kind: OCIRepository\n    name: podinfo\n`,
  );
  assert.equal((await json(["flux/release.yaml"])).code, 0);
});
