// Benchmark of `tether validate` against kubeconform and against a conftest-style opa loop
// on one corpus (issue 5, "Done when"); prints figures, asserts nothing. Run:
//   source .testenv/env.sh && node test/bench/validate-10k.ts [resources] [documents-per-file]
//
// The corpus (10,000 resources by default, 50 documents per file) mixes eight kinds
// (Deployment, Service, ConfigMap, Secret, Ingress, CronJob, HorizontalPodAutoscaler and
// Flux's HelmRelease); one document in 20 is invalid (an unknown field at the top or in
// metadata, or a label that is not a string). On the same files, same machine:
// (a) schema only: `tether validate -o json --no-server-rules` (the real command from
//     dist/, node start included) and kubeconform -strict -output json -verbose (default
//     -n workers) with the schemas Tether exports (shared/validate/export.ts), then the
//     per-resource verdicts compared; and the default (the API server's rules too), timed;
// (b) Rego: `tether validate --policy` end to end and its Rego phase alone (in process:
//     one `opa eval` for every document), against one `opa eval` process per file, run one
//     after another, each evaluating every document of its file on its own (`with input as`
//     the document, the same rules), which is what conftest computes per document. The
//     loop gets its input as JSON converted beforehand, so YAML parsing is not in its time
//     (nor in Tether's Rego phase); the rule results of both are compared.
// The tether commands and kubeconform count the best of two runs, the rest one run. About
// 90 s on 2 CPUs for 10,000 resources; KEEP=1 keeps the corpus folder.
// (c) schema only again on a 50,000-resource corpus (LARGE=N for another size, LARGE=0 to
//     skip it), one run each. Peak RSS of tether validate is printed for (a) and (c), and
//     each comparison ends with its ratio against the goal.
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { configFromFlags } from "../../action/validate/options.ts";
import type { Report } from "../../action/validate/report.ts";
import { runValidation } from "../../action/validate/run.ts";
import { kubeconformSchemaLocation, writeSchemas } from "../../shared/validate/export.ts";
import { defaultKubernetesVersion } from "../../shared/validate/versions.ts";
import { cleanEnv } from "../action/validate/helpers.ts";
import { run } from "../helpers/run.ts";
import { testenv } from "../helpers/testenv.ts";
import { PEAK_RSS_HOOK, peakRssMiB } from "./peak-rss.ts";

const total = Number(process.argv[2] ?? 10_000);
const perFile = Number(process.argv[3] ?? 50);
const version = defaultKubernetesVersion();
const env = { ...process.env, PATH: testenv().path };
// The bundle, as the Action and `npm i -g` run it (dist/ matches the sources: test/dist.test.ts).
// From the sources, Node strips the types of every module first: 0.2 s more on this corpus.
const bin = new URL("../../dist/cli.js", import.meta.url).pathname;
/** Peak RSS that the hook printed on stderr, as text. */
const peakRss = (stderr: string) => {
  const mib = peakRssMiB(stderr);
  return mib === undefined ? "?" : `${mib.toFixed(0)} MiB`;
};
/** A 50,000-resource corpus too (schemas only), unless LARGE=0. */
const large = Number(process.env.LARGE ?? 50_000);
const root = mkdtempSync(join(tmpdir(), "tether-bench-10k-"));

const KINDS = [
  "Deployment",
  "Service",
  "ConfigMap",
  "Secret",
  "Ingress",
  "CronJob",
  "HorizontalPodAutoscaler",
  "HelmRelease",
] as const;

function body(kind: (typeof KINDS)[number], i: number): string {
  const name = `${kind.toLowerCase()}-${i}`;
  const labels = i % 7 === 0 ? "" : `\n  labels: {app: app-${i}, team: edge}`;
  const meta = `metadata:\n  name: ${name}\n  namespace: bench${labels}`;
  switch (kind) {
    case "Deployment": {
      const limits = i % 11 === 0 ? "" : "\n            limits: {memory: 128Mi}";
      const tag = i % 13 === 0 ? "latest" : `1.${i % 10}.0`;
      return `apiVersion: apps/v1
kind: Deployment
${meta}
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
          image: registry.example.com/app-${i}:${tag}
          ports: [{name: http, containerPort: 8080}]
          readinessProbe: {httpGet: {path: /healthz, port: http}}
          resources:
            requests: {cpu: 50m, memory: 64Mi}${limits}
`;
    }
    case "Service":
      return `apiVersion: v1
kind: Service
${meta}
spec:
  selector: {app: app-${i}}
  ports: [{name: http, port: 80, targetPort: http}]
`;
    case "ConfigMap":
      return `apiVersion: v1
kind: ConfigMap
${meta}
data:
  index: "${i}"
  settings.yaml: |
    mode: edge
    payload: ${"x".repeat(120)}
`;
    case "Secret":
      return `apiVersion: v1
kind: Secret
${meta}
type: Opaque
data: {token: ${Buffer.from(`token-${i}`).toString("base64")}}
`;
    case "Ingress":
      return `apiVersion: networking.k8s.io/v1
kind: Ingress
${meta}
spec:
  ingressClassName: traefik
  rules:
    - host: app-${i}.example.com
      http:
        paths:
          - {path: /, pathType: Prefix, backend: {service: {name: app-${i}, port: {number: 80}}}}
`;
    case "CronJob":
      return `apiVersion: batch/v1
kind: CronJob
${meta}
spec:
  schedule: "*/${1 + (i % 30)} * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
            - name: job
              image: registry.example.com/job:2.0.${i % 10}
              resources: {limits: {memory: 64Mi}}
`;
    case "HorizontalPodAutoscaler":
      return `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
${meta}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: app-${i}}
  minReplicas: 1
  maxReplicas: 5
  metrics:
    - type: Resource
      resource: {name: cpu, target: {type: Utilization, averageUtilization: 80}}
`;
    case "HelmRelease":
      return `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
${meta}
spec:
  interval: 10m
  chart:
    spec:
      chart: app
      version: "1.x"
      sourceRef: {kind: HelmRepository, name: charts}
  values: {replicas: ${1 + (i % 3)}, image: {tag: "1.${i % 10}.0"}}
`;
  }
}

/** One document; every 20th is broken in one of three ways that both tools must catch. */
function doc(i: number): string {
  const kind = KINDS[i % KINDS.length] as (typeof KINDS)[number];
  const text = body(kind, i);
  if (i % 20 !== 19) return text;
  switch (Math.floor(i / 20) % 3) {
    case 0:
      return `${text}extra: true\n`;
    case 1:
      return text.replace("\n  namespace: bench", "\n  namespace: bench\n  labelz: {a: b}");
    default:
      return text.replace("\n  namespace: bench", "\n  namespace: bench\n  annotations: {n: 1}");
  }
}

const POLICY = `package main

import rego.v1

deny_no_limits contains msg if {
  input.kind == "Deployment"
  some c in input.spec.template.spec.containers
  not c.resources.limits.memory
  msg := sprintf("%s: container %s has no memory limit", [input.metadata.name, c.name])
}

containers contains c if some c in input.spec.template.spec.containers

containers contains c if some c in input.spec.jobTemplate.spec.template.spec.containers

deny_latest_tag contains msg if {
  some c in containers
  endswith(c.image, ":latest")
  msg := sprintf("%s: image %s uses the latest tag", [input.metadata.name, c.image])
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
  input.kind in {"ConfigMap", "Secret"}
  rules := ["no_labels"]
}
`;
const RULES = ["deny_no_limits", "deny_latest_tag", "warn_single_replica", "warn_no_labels"];

const fmt = (n: number) => Math.round(n).toLocaleString("en");
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const line = (label: string, ms: number, n: number) =>
  console.log(
    `  ${label.padEnd(52)} ${seconds(ms).padStart(9)} ${fmt(n / (ms / 1000)).padStart(8)} resources/s`,
  );

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
}

/** The fastest of `runs` runs (the first one warms the file cache). */
async function best<T>(runs: number, work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  let fastest = await timed(work);
  for (let r = 1; r < runs; r++) {
    const next = await timed(work);
    if (next.ms < fastest.ms) fastest = next;
  }
  return fastest;
}

const RUNS = 2;

function opaEval(args: string[], input: string): Promise<string> {
  return new Promise((done, fail) => {
    const child = execFile(
      "opa",
      args,
      { env, maxBuffer: 256 * 1024 * 1024 },
      (error, stdout, stderr) =>
        error ? fail(new Error(`${error.message}\n${stderr}`)) : done(stdout),
    );
    child.stdin?.end(input);
  });
}

interface KubeconformResource {
  filename: string;
  kind: string;
  name: string;
  status: string;
}

/**
 * Schemas only on a larger corpus (the same documents, numbered on), one run each:
 * tether (with its peak RSS) against kubeconform, and the verdicts compared.
 */
async function largeCorpus(n: number): Promise<void> {
  const dir = join(root, "large");
  const files: string[] = [];
  mkdirSync(dir);
  for (let f = 0; f * perFile < n; f++) {
    const docs: string[] = [];
    for (let i = f * perFile; i < Math.min(n, (f + 1) * perFile); i++) docs.push(doc(i));
    const file = `large/part-${String(f).padStart(5, "0")}.yaml`;
    writeFileSync(join(root, file), docs.join("---\n"));
    files.push(file);
  }
  console.log(`\nschema only, ${fmt(n)} resources in ${files.length} files, one run each:`);
  // Schemas only, as kubeconform. One plain folder of 50,000 resources is about 20 MB,
  // past the default limit for one render (the agent's memory guard): raised here.
  const tether = await timed(() =>
    run(
      process.execPath,
      [
        "--import",
        PEAK_RSS_HOOK,
        bin,
        "validate",
        "large",
        "--kubernetes-version",
        version,
        "-o",
        "json",
        "--no-server-rules",
      ],
      {
        cwd: root,
        env: cleanEnv({ TETHER_MAX_RENDER_SIZE: "1Gi" }),
        timeoutMs: 1_800_000,
      },
    ),
  );
  if (!tether.value.stdout.startsWith("{")) throw new Error(tether.value.stderr);
  const report = JSON.parse(tether.value.stdout) as Report;
  for (const r of report.results.filter((r) => r.kind === "").slice(0, 3)) {
    console.log(`  render problem: ${r.messages[0]?.message ?? ""}`);
  }
  line("tether validate --no-server-rules (schemas only)", tether.ms, report.summary.resources);
  console.log(`  peak RSS of tether validate: ${peakRss(tether.value.stderr)}`);
  const schemaDir = join(root, "schemas");
  const kc = await timed(() =>
    run(
      "kubeconform",
      [
        "-strict",
        "-summary",
        "-verbose",
        "-output",
        "json",
        "-schema-location",
        kubeconformSchemaLocation(schemaDir),
        ...files,
      ],
      { cwd: root, env, timeoutMs: 1_800_000 },
    ),
  );
  const kcResources = (JSON.parse(kc.value.stdout) as { resources: KubeconformResource[] })
    .resources;
  line("kubeconform -strict (default -n workers)", kc.ms, kcResources.length);
  const verdicts = new Map(report.results.map((r) => [`${r.file}|${r.kind}|${r.name}`, r.status]));
  const agree = kcResources.filter(
    (r) =>
      verdicts.get(`${r.filename}|${r.kind}|${r.name}`) ===
      (r.status === "statusValid" ? "valid" : "invalid"),
  ).length;
  console.log(`  verdicts agree on ${fmt(agree)} of ${fmt(report.summary.resources)} resources`);
  console.log(
    `  ratio, tether resources/s to kubeconform's: ${(kc.ms / tether.ms).toFixed(2)}x (goal: at least 1.0x)`,
  );
}

try {
  // The corpus.
  const files: string[] = [];
  mkdirSync(join(root, "corpus"));
  for (let f = 0; f * perFile < total; f++) {
    const docs: string[] = [];
    for (let i = f * perFile; i < Math.min(total, (f + 1) * perFile); i++) docs.push(doc(i));
    const file = `corpus/part-${String(f).padStart(4, "0")}.yaml`;
    writeFileSync(join(root, file), docs.join("---\n"));
    files.push(file);
  }
  mkdirSync(join(root, "policy"));
  writeFileSync(join(root, "policy", "main.rego"), POLICY);

  const kcVersion = (await run("kubeconform", ["-v"], { env })).stdout.trim();
  const opaVersion = /Version: (\S+)/.exec((await run("opa", ["version"], { env })).stdout)?.[1];
  console.log(
    `corpus: ${fmt(total)} resources (${KINDS.length} kinds, ${fmt(Math.floor((total + 1) / 20))} invalid) in ${files.length} files of ${perFile} documents`,
  );
  console.log(
    `machine: ${availableParallelism()} CPUs (load average ${loadavg()[0]?.toFixed(2)}: other work on the machine skews the figures); Node ${process.version}; tether dist/cli.js; kubeconform ${kcVersion}; opa ${opaVersion}; Kubernetes ${version} schemas, strict`,
  );

  // (a) Schema only.
  const schemaDir = join(root, "schemas");
  const exported = await timed(() => writeSchemas(schemaDir, { kubernetesVersion: version }));
  console.log(
    `schemas for kubeconform: ${exported.value.files.length} files exported in ${seconds(exported.ms)} (not counted below)`,
  );
  console.log(`\nschema only, -o json, best of ${RUNS} runs:`);
  // Schemas only, as kubeconform checks: the like-for-like line (goal 1 of issue 14). When
  // the issue set the goal this was what `tether validate` did by default; the default
  // now also runs the API server's rules, timed on their own below.
  const tetherSchema = await best(RUNS, () =>
    run(
      process.execPath,
      [
        "--import",
        PEAK_RSS_HOOK,
        bin,
        "validate",
        "corpus",
        "--kubernetes-version",
        version,
        "-o",
        "json",
        "--no-server-rules",
      ],
      { cwd: root, env: cleanEnv(), timeoutMs: 600_000 },
    ),
  );
  if (!tetherSchema.value.stdout.startsWith("{")) throw new Error(tetherSchema.value.stderr);
  const report = JSON.parse(tetherSchema.value.stdout) as Report;
  line("tether validate (node start included)", tetherSchema.ms, report.summary.resources);
  console.log(
    `  schemas only (--no-server-rules); peak RSS of tether validate: ${peakRss(tetherSchema.value.stderr)}`,
  );
  // The default: the same and the API server's rules and CEL rules. Their cost, and proof
  // that they add no finding on the corpus (its invalid documents are schema errors only).
  const tetherRules = await best(RUNS, () =>
    run(
      process.execPath,
      [
        "--import",
        PEAK_RSS_HOOK,
        bin,
        "validate",
        "corpus",
        "--kubernetes-version",
        version,
        "-o",
        "json",
      ],
      { cwd: root, env: cleanEnv(), timeoutMs: 600_000 },
    ),
  );
  if (!tetherRules.value.stdout.startsWith("{")) throw new Error(tetherRules.value.stderr);
  const withRules = JSON.parse(tetherRules.value.stdout) as Report;
  line(
    "tether validate, default (and the server rules)",
    tetherRules.ms,
    withRules.summary.resources,
  );
  console.log(`  peak RSS: ${peakRss(tetherRules.value.stderr)}`);
  const statusWithout = new Map(
    report.results.map((r) => [`${r.file}|${r.kind}|${r.name}`, r.status]),
  );
  const newFindings = withRules.results.filter(
    (r) => statusWithout.get(`${r.file}|${r.kind}|${r.name}`) !== r.status,
  );
  console.log(
    `  server rules: ${fmt(newFindings.length)} resources change verdict (${fmt(withRules.summary.errors - report.summary.errors)} more errors), ${seconds(tetherRules.ms - tetherSchema.ms)} more end to end`,
  );
  for (const r of newFindings.slice(0, 5))
    console.log(`    ${r.file} ${r.kind}/${r.name}: ${r.messages[0]?.message ?? ""}`);
  const kc = await best(RUNS, () =>
    run(
      "kubeconform",
      [
        "-strict",
        "-summary",
        "-verbose",
        "-output",
        "json",
        "-schema-location",
        kubeconformSchemaLocation(schemaDir),
        ...files,
      ],
      { cwd: root, env, timeoutMs: 600_000 },
    ),
  );
  const kcResources = (JSON.parse(kc.value.stdout) as { resources: KubeconformResource[] })
    .resources;
  line("kubeconform -strict (default -n workers)", kc.ms, kcResources.length);

  const verdicts = new Map<string, string>();
  for (const r of report.results) {
    verdicts.set(`${r.file}|${r.kind}|${r.name}`, r.status);
  }
  let agree = 0;
  const disagree: string[] = [];
  for (const r of kcResources) {
    const key = `${r.filename}|${r.kind}|${r.name}`;
    const theirs = r.status === "statusValid" ? "valid" : "invalid";
    if (verdicts.get(key) === theirs) agree++;
    else disagree.push(`${key}: tether ${verdicts.get(key)}, kubeconform ${r.status}`);
  }
  console.log(
    `  verdicts agree on ${fmt(agree)} of ${fmt(report.summary.resources)} resources (Tether: ${fmt(report.summary.valid)} valid, ${fmt(report.summary.invalid)} invalid; kubeconform: ${fmt(kcResources.length)} resources)`,
  );
  for (const d of disagree.slice(0, 5)) console.log(`    ${d}`);
  // kubeconform checks schemas only: the like-for-like figure is --no-server-rules.
  console.log(
    `  ratio, tether resources/s to kubeconform's: schemas only (--no-server-rules) ${(kc.ms / tetherSchema.ms).toFixed(2)}x (goal: at least 1.0x); default, with the server rules ${(kc.ms / tetherRules.ms).toFixed(2)}x`,
  );

  // (b) Rego.
  console.log(
    `\nRego: ${RULES.length} rules (2 deny, 2 warn) and an exception, package main (tether best of ${RUNS}, the rest one run):`,
  );
  const tetherPolicy = await best(RUNS, () =>
    run(
      process.execPath,
      [
        bin,
        "validate",
        "corpus",
        "--kubernetes-version",
        version,
        "--policy",
        "policy",
        "-o",
        "json",
      ],
      { cwd: root, env: cleanEnv(), timeoutMs: 600_000 },
    ),
  );
  if (!tetherPolicy.value.stdout.startsWith("{")) throw new Error(tetherPolicy.value.stderr);
  const withPolicy = JSON.parse(tetherPolicy.value.stdout) as Report;
  line("tether validate --policy (schemas + Rego, end to end)", tetherPolicy.ms, total);
  process.env.PATH = env.PATH;
  const inProcess = await runValidation(
    configFromFlags(["corpus"], { policy: ["policy"], kubernetesVersion: version }, root),
  );
  const regoMs = (inProcess.timings.rego ?? 0) * 1000;
  line("  its Rego phase alone (in process, one opa eval)", regoMs, total);

  // The loop: JSON input per file, prepared outside the timing.
  const inputs = files.map((file) =>
    JSON.stringify(parseAllDocuments(readFileSync(join(root, file), "utf8")).map((d) => d.toJS())),
  );
  // `with` modifies an expression, so each rule's set is taken in its own assignment.
  const names = [...RULES, "exception"];
  const query = `[r | some d in input; ${names.map((n, k) => `v${k} := data.main.${n} with input as d; `).join("")}r := {${names.map((n, k) => `"${n}": v${k}`).join(", ")}}]`;
  const loop = await timed(async () => {
    const out: Record<string, unknown[]>[] = [];
    for (const input of inputs) {
      const stdout = await opaEval(
        ["eval", "--format", "json", "--stdin-input", "-d", join(root, "policy"), query],
        input,
      );
      const parsed = JSON.parse(stdout) as {
        result: { expressions: { value: Record<string, unknown[]>[] }[] }[];
      };
      out.push(...(parsed.result[0]?.expressions[0]?.value ?? []));
    }
    return out;
  });
  line(`opa eval per file (${files.length} processes, one after another)`, loop.ms, total);
  line("kubeconform + the opa loop (three-tool CI, summed)", kc.ms + loop.ms, total);
  console.log(
    `  ratio, kubeconform + the opa loop time to tether --policy time: ${((kc.ms + loop.ms) / tetherPolicy.ms).toFixed(2)}x (goal: at least 1.5x)`,
  );

  // Same findings? An exception exempts the rule whose name without deny_/warn_ it lists.
  let loopErrors = 0;
  let loopWarnings = 0;
  for (const results of loop.value) {
    // `exception` is a set of lists of rule names.
    const exempt = new Set((results.exception ?? []).flat());
    for (const rule of RULES) {
      if (exempt.has(rule.replace(/^(deny|warn)_/, ""))) continue;
      const n = results[rule]?.length ?? 0;
      if (rule.startsWith("deny")) loopErrors += n;
      else loopWarnings += n;
    }
  }
  const policyMessages = withPolicy.results.flatMap((r) =>
    r.messages.filter((m) => m.source === "policy"),
  );
  const tetherErrors = policyMessages.filter((m) => m.severity === "error").length;
  const tetherWarnings = policyMessages.filter((m) => m.severity === "warning").length;
  console.log(
    `  policy findings: tether ${fmt(tetherErrors)} deny, ${fmt(tetherWarnings)} warn; opa loop ${fmt(loopErrors)} deny, ${fmt(loopWarnings)} warn (${tetherErrors === loopErrors && tetherWarnings === loopWarnings ? "same" : "DIFFERENT"})`,
  );
  if (large > 0) await largeCorpus(large);
  console.log(
    `\nload average now ${loadavg()[0]?.toFixed(2)}; tether in process, phases ${Object.entries(
      inProcess.timings,
    )
      .map(([phase, s]) => `${phase} ${seconds(s * 1000)}`)
      .join(", ")}`,
  );
} finally {
  if (process.env.KEEP) console.log(`kept ${root}`);
  else rmSync(root, { recursive: true, force: true });
}
