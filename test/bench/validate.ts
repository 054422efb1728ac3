// Benchmark of `tether validate` (prints figures; no assertions). Run:
//   source .testenv/env.sh && node test/bench/validate.ts [documents]
//
// N documents (default 1,000: Deployments, Services, ConfigMaps in multi-document
// files, plus a kustomize overlay of some of them) against strict schemas and a Rego
// policy set with deny, warn and exception rules:
// 1. in process, per phase (discover, render, schema, rego, report);
// 2. the command end to end (node startup, -o json), best of three;
// 3. for scale, opa run once per document as a naive conftest-style loop would, on a
//    sample, extrapolated.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { configFromFlags } from "../../action/validate/options.ts";
import { runValidation } from "../../action/validate/run.ts";
import { testenv } from "../helpers/testenv.ts";

const count = Number(process.argv[2] ?? 1000);
process.env.PATH = testenv().path;
const root = mkdtempSync(join(tmpdir(), "tether-bench-validate-"));
const write = (path: string, text: string) => {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
};

function doc(i: number): string {
  if (i % 3 === 0) {
    return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-${i}
  namespace: bench
  labels: {app: app-${i}, team: edge}
spec:
  replicas: ${1 + (i % 3)}
  selector:
    matchLabels: {app: app-${i}}
  template:
    metadata:
      labels: {app: app-${i}}
    spec:
      containers:
        - name: app
          image: registry.example.com/app-${i}:1.${i % 10}.0
          ports: [{containerPort: 8080}]
          resources:
            requests: {cpu: 50m, memory: 64Mi}
            limits: {memory: 128Mi}
`;
  }
  if (i % 3 === 1) {
    return `apiVersion: v1
kind: Service
metadata:
  name: svc-${i}
  namespace: bench
  labels: {app: app-${i - 1}}
spec:
  selector: {app: app-${i - 1}}
  ports: [{port: 80, targetPort: 8080}]
`;
  }
  return `apiVersion: v1
kind: ConfigMap
metadata:
  name: cm-${i}
  namespace: bench
data:
  index: "${i}"
  payload: "${"x".repeat(200)}"
`;
}

// 9 in 10 documents as plain files of 50, the rest in a kustomize base built by an overlay.
const plain = Math.round(count * 0.9);
for (let f = 0; f * 50 < plain; f++) {
  const docs = [];
  for (let i = f * 50; i < Math.min(plain, (f + 1) * 50); i++) docs.push(doc(i));
  write(`clusters/edge/apps-${String(f).padStart(3, "0")}.yaml`, docs.join("---\n"));
}
const based = [];
for (let i = plain; i < count; i++) based.push(doc(i));
write("kustomize/base/all.yaml", based.join("---\n"));
write("kustomize/base/kustomization.yaml", "resources: [all.yaml]\n");
write(
  "kustomize/edge/kustomization.yaml",
  "resources: [../base]\npatches:\n  - target: {kind: Deployment}\n    patch: |-\n      - op: add\n        path: /metadata/annotations\n        value: {tier: edge}\n",
);
write(
  "policy/main.rego",
  `package main

import rego.v1

deny_no_limits contains msg if {
  input.kind == "Deployment"
  some c in input.spec.template.spec.containers
  not c.resources.limits.memory
  msg := sprintf("%s: container %s has no memory limit", [input.metadata.name, c.name])
}

warn_single_replica contains msg if {
  input.kind == "Deployment"
  input.spec.replicas == 1
  msg := sprintf("%s runs a single replica", [input.metadata.name])
}

warn_no_labels contains msg if {
  not input.metadata.labels
  msg := sprintf("%s %s has no labels", [input.kind, input.metadata.name])
}

exception contains rules if {
  input.kind == "ConfigMap"
  rules := ["no_labels"]
}
`,
);

const rate = (n: number, seconds: number) =>
  `${Math.round(n / seconds).toLocaleString("en")} documents/s`;

try {
  const config = configFromFlags(["clusters", "kustomize"], { policy: ["policy"] }, root);
  const started = performance.now();
  const { report, timings } = await runValidation(config);
  const total = (performance.now() - started) / 1000;
  const docs = report.summary.resources;
  console.log(
    `tether validate: ${docs} documents (${report.summary.units} units), ${report.summary.errors} errors, ${report.summary.warnings} warnings, ${report.summary.exceptions} exceptions`,
  );
  console.log("in process (first run, includes schema compilation):");
  for (const [phase, seconds] of Object.entries(timings)) {
    console.log(`  ${phase.padEnd(9)} ${(seconds * 1000).toFixed(0).padStart(6)} ms`);
  }
  console.log(`  schema     ${rate(docs, timings.schema ?? 1)}`);
  console.log(`  rego       ${rate(docs, timings.rego ?? 1)} (one opa eval)`);
  console.log(`  total      ${rate(docs, total)} (${total.toFixed(2)} s)`);
  const again = performance.now();
  const second = await runValidation(config);
  const warm = (performance.now() - again) / 1000;
  const phases = Object.entries(second.timings)
    .map(([phase, seconds]) => `${phase} ${(seconds * 1000).toFixed(0)} ms`)
    .join(", ");
  console.log(
    `second run in the same process: ${rate(docs, warm)} (${warm.toFixed(2)} s: ${phases})`,
  );

  const helper = await import("../action/validate/helpers.ts");
  let best = Number.POSITIVE_INFINITY;
  for (let run = 0; run < 3; run++) {
    const t = performance.now();
    const result = await helper.validate(
      ["clusters", "kustomize", "--policy", "policy", "-o", "json"],
      { cwd: root },
    );
    if (!result.stdout.startsWith("{")) throw new Error(result.stderr);
    best = Math.min(best, (performance.now() - t) / 1000);
  }
  console.log(
    `command end to end (node startup included, best of 3): ${rate(docs, best)} (${best.toFixed(2)} s)`,
  );

  // What one opa process per document costs, on a sample.
  const sample = 25;
  const opa = join(testenv().path.split(":")[0] as string, "opa");
  const input = JSON.stringify({
    kind: "Deployment",
    metadata: { name: "x" },
    spec: { replicas: 1, template: { spec: { containers: [] } } },
  });
  const t = performance.now();
  for (let i = 0; i < sample; i++) {
    for (const rule of ["deny_no_limits", "warn_single_replica", "warn_no_labels"]) {
      execFileSync(
        opa,
        ["eval", "-f", "json", "-I", "-d", join(root, "policy"), `data.main.${rule}`],
        { input },
      );
    }
  }
  const perDoc = (performance.now() - t) / 1000 / sample;
  console.log(
    `for scale, opa per document and rule (conftest-style loop, ${sample} samples): ${rate(1, perDoc)}; ${docs} documents would take ${(perDoc * docs).toFixed(1)} s`,
  );
} finally {
  rmSync(root, { recursive: true, force: true });
}
