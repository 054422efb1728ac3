// Worker threads in `tether validate` (action/validate/workers.ts): the same report, in
// the same order, with and without them, from the sources and from the bundle. The
// workers are forced on a small input (TETHER_VALIDATE_WORKERS=2: every plain file is
// parsed and checked in a worker), which a real run only does past a size.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { buildCli } from "../../../.ci/build.ts";
import { checkOptions, objectChecker } from "../../../action/validate/check.ts";
import { configFromFlags } from "../../../action/validate/options.ts";
import {
  ValidateWorkers,
  WORKERS_FROM_BYTES,
  workerPlan,
} from "../../../action/validate/workers.ts";
import { DEFAULT_LIMITS } from "../../../shared/manifests/limits.ts";
import { loadPlainFile } from "../../../shared/render/flux-dir.ts";
import { run } from "../../helpers/run.ts";
import { cleanEnv, Fixture, validate, WIDGET_CRD } from "./helpers.ts";

const fixture = new Fixture("workers");
after(() => fixture.cleanup());

const FILES: Record<string, string> = {
  // Server rules and schema errors with fields to place, a Secret whose value is masked.
  "apps/a.yaml": `apiVersion: v1
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
  labels: {app: web, tier: "front end"}
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
          colour: blue
          resources:
            requests: {memory: 2Gi}
            limits: {memory: 1Gi}
---
apiVersion: v1
kind: Secret
metadata:
  name: token
stringData:
  "bad key!": hunter2
`,
  // Anchors and aliases: parsed by \`yaml\`, not the fast path.
  "apps/anchored.yaml": `apiVersion: v1
kind: ConfigMap
metadata:
  name: anchored
  labels: &labels {app: anchored}
  annotations: *labels
data: {count: 3}
`,
  "apps/broken.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: broken\n",
  // A CRD and a custom resource its schema refuses: checked again once the CRD is known.
  "apps/crd.yaml": WIDGET_CRD,
  "apps/widget.yaml": `apiVersion: example.com/v1
kind: Widget
metadata:
  name: w
spec:
  size: 0
  color: green
  extra: true
`,
  "apps/list.yaml": `apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Service
    metadata: {name: one}
    spec:
      ports: [{port: 70000}]
  - apiVersion: v1
    kind: ServiceAccount
    metadata: {name: two}
`,
  // Kustomize's configuration is never an object.
  "apps/component.yaml": `apiVersion: kustomize.config.k8s.io/v1alpha1
kind: Component
resources: []
`,
  "apps/release.yaml": `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: app
  namespace: apps
spec:
  interval: 10m
  chart:
    spec:
      chart: app
      sourceRef: {kind: HelmRepository, name: charts}
`,
  "apps/deeper/policy.yaml": `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: pdb
spec:
  minAvailable: 1
  maxUnavailable: 1
`,
};

before(() => {
  fixture.writeAll(FILES);
});

/** stdout, stderr and exit code of one run, the workers set by TETHER_VALIDATE_WORKERS. */
async function outcome(args: string[], workers: string) {
  const result = await validate(args, {
    cwd: fixture.root,
    env: { TETHER_VALIDATE_WORKERS: workers },
  });
  return { code: result.code, stdout: result.stdout, stderr: result.stderr };
}

describe("tether validate with worker threads", () => {
  for (const args of [
    ["apps", "-o", "json"],
    ["apps", "-o", "text", "--verbose"],
    ["apps", "-o", "json", "--no-server-rules", "--skip", "Secret"],
  ]) {
    test(`the same report with and without workers: ${args.join(" ")}`, async () => {
      const without = await outcome(args, "0");
      assert.equal(without.code, 1, without.stderr);
      assert.deepEqual(await outcome(args, "2"), without);
    });
  }

  test("the bundle (dist/cli.js and its chunks, no node_modules) starts its workers too", async () => {
    const dist = mkdtempSync(join(tmpdir(), "tether-workers-dist-"));
    try {
      await buildCli(dist);
      const args = ["validate", "apps", "-o", "json"];
      const env = (workers: string) => cleanEnv({ TETHER_VALIDATE_WORKERS: workers });
      const bundled = await run(process.execPath, [join(dist, "cli.js"), ...args], {
        cwd: fixture.root,
        env: env("2"),
        timeoutMs: 120_000,
      });
      const source = await outcome(args.slice(1), "0");
      assert.deepEqual(
        { code: bundled.code, stdout: bundled.stdout, stderr: bundled.stderr },
        source,
      );
    } finally {
      rmSync(dist, { recursive: true, force: true });
    }
  });
});

describe("ValidateWorkers", () => {
  test("a worker's objects are checked as they come and their fields placed by the worker", async () => {
    const config = configFromFlags(["apps"], {}, fixture.root);
    const workers = new ValidateWorkers({ workers: 1, fromBytes: 0 }, checkOptions(config));
    try {
      const options = { limits: DEFAULT_LIMITS, positions: true };
      const file = { path: fixture.path("apps/a.yaml"), name: "apps/a.yaml" };
      const loading = workers.loadPlainFiles([file], options, 1);
      assert.ok(loading, "forced workers take the files");
      const inWorker = (await Promise.all(loading))[0] ?? [];
      const here = await loadPlainFile(file, options);
      assert.deepEqual(
        inWorker.map((m) => [m.object, m.source.file, m.source.line]),
        here.map((m) => [m.object, m.source.file, m.source.line]),
      );
      assert.ok(inWorker.every((m) => workers.owns(m)));
      assert.ok(!here.some((m) => workers.owns(m)));

      const early = await workers.prechecks();
      const check = await objectChecker(checkOptions(config), new Map());
      const expected = here.map((m) => check(m.object));
      assert.deepEqual(
        inWorker.map((m) => early(m)),
        expected,
      );
      assert.ok(expected.some((c) => c.messages.some((m) => m.pointer !== "")));
      await workers.place(
        inWorker.map((manifest, i) => ({
          manifest,
          pointers: expected[i]?.messages.map((m) => m.pointer) ?? [],
        })),
      );
      for (const [i, manifest] of inWorker.entries()) {
        const local = here[i];
        const line = local?.source.line as number;
        for (const { pointer } of expected[i]?.messages ?? []) {
          assert.deepEqual(
            manifest.source.positions?.locate(line, pointer),
            local?.source.positions?.locate(line, pointer),
            pointer,
          );
        }
      }
      // A field no message names: the file is parsed again here.
      const line = here[1]?.source.line as number;
      assert.deepEqual(
        inWorker[1]?.source.positions?.locate(line, "/spec/selector"),
        here[1]?.source.positions?.locate(line, "/spec/selector"),
      );
    } finally {
      workers.close();
    }
  });

  test("a broken file is the same ManifestError from a worker", async () => {
    const workers = new ValidateWorkers({ workers: 1, fromBytes: 0 });
    try {
      const options = { limits: DEFAULT_LIMITS, positions: true };
      const file = { path: fixture.path("apps/broken.yaml"), name: "apps/broken.yaml" };
      const [loading] = workers.loadPlainFiles([file], options, 1) ?? [];
      const expected = await loadPlainFile(file, options).catch((e: unknown) => e);
      await assert.rejects(loading as Promise<unknown>, (error: Error) => {
        assert.equal(error.name, "ManifestError");
        assert.equal(error.message, (expected as Error).message);
        return true;
      });
    } finally {
      workers.close();
    }
  });
});

describe("workerPlan", () => {
  test("the CPUs less two (the main thread and V8's own threads), three at most, past a size", () => {
    assert.deepEqual(workerPlan(undefined, 2), { workers: 0, fromBytes: WORKERS_FROM_BYTES });
    assert.equal(workerPlan(undefined, 1).workers, 0);
    assert.equal(workerPlan(undefined, 4).workers, 2);
    assert.equal(workerPlan("", 16).workers, 3);
  });

  test("TETHER_VALIDATE_WORKERS forces a number, whatever the size; 0 is none", () => {
    assert.deepEqual(workerPlan("2", 1), { workers: 2, fromBytes: 0 });
    assert.equal(workerPlan("0", 8).workers, 0);
    assert.throws(() => workerPlan("many", 8), /TETHER_VALIDATE_WORKERS/);
  });
});
