// The precompiled validators (shared/validate/schemas/data/validators/) are Ajv's code for
// the bundled schemas, generated ahead so that `tether validate` does not compile them.
// They must be what Ajv generates from today's data, and judge every object exactly as
// the schema compiled at run time does, errors included.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { Ajv, type ValidateFunction } from "ajv";
import {
  AJV_OPTIONS,
  bundledKindRefs,
  loadPrecompiledValidators,
  validateObject,
} from "../../../../shared/validate/schema.ts";
import { precompiledIndex } from "../../../../shared/validate/schemas/data/validators/index.ts";
import { validatorFiles } from "../../../../shared/validate/schemas/generate-validators.ts";
import {
  defaultKubernetesVersion,
  supportedKubernetesVersions,
} from "../../../../shared/validate/versions.ts";

const dir = new URL("../../../../shared/validate/schemas/data/validators/", import.meta.url);

const containers = [{ name: "app", image: "registry.example/app:1" }];
const deployment = (spec: Record<string, unknown>) => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "app", labels: { app: "app" } },
  spec: {
    selector: { matchLabels: { app: "app" } },
    template: { metadata: { labels: { app: "app" } }, spec: { containers } },
    ...spec,
  },
});
const helmRelease = (spec: Record<string, unknown>) => ({
  apiVersion: "helm.toolkit.fluxcd.io/v2",
  kind: "HelmRelease",
  metadata: { name: "app", namespace: "apps" },
  spec: {
    interval: "10m",
    chart: { spec: { chart: "app", sourceRef: { kind: "HelmRepository", name: "charts" } } },
    ...spec,
  },
});
// 53 code points (the limit of releaseName) but 106 UTF-16 units: valid, as the API
// server counts; 54 of them are one too many.
const emoji = (n: number) => "\u{1F680}".repeat(n);

const OBJECTS: Record<string, unknown>[] = [
  deployment({}),
  deployment({ replicas: "two", paused: 1 }),
  deployment({
    template: { spec: { containers: [{ name: "app", imagePullPolicy: 3, extra: true }] } },
  }),
  { apiVersion: "batch/v1", kind: "CronJob", metadata: { name: "c" }, spec: { schedule: 5 } },
  {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: "s", labelz: {} },
    spec: { ports: [{ port: "http" }] },
  },
  { apiVersion: "v1", kind: "Secret", metadata: { name: "s" }, data: { a: 1 }, extra: true },
  helmRelease({}),
  helmRelease({ releaseName: emoji(53) }),
  helmRelease({ releaseName: emoji(54), unknown: true }),
  helmRelease({ interval: "often" }),
  {
    apiVersion: "kustomize.toolkit.fluxcd.io/v1",
    kind: "Kustomization",
    metadata: { name: "k" },
    spec: { prune: "yes" },
  },
];

describe("precompiled schema validators", () => {
  // First, while this process has compiled nothing: Ajv's compile and getSchema counted.
  test("validate uses them once loaded, and compiles only what they do not cover", async () => {
    let compiles = 0;
    const { compile, getSchema } = Ajv.prototype;
    Ajv.prototype.compile = function (this: Ajv, ...args: Parameters<Ajv["compile"]>) {
      compiles++;
      return compile.apply(this, args);
    } as Ajv["compile"];
    Ajv.prototype.getSchema = function (this: Ajv, ...args: Parameters<Ajv["getSchema"]>) {
      compiles++;
      return getSchema.apply(this, args);
    } as Ajv["getSchema"];
    try {
      const objects = [deployment({ replicas: "two" }), helmRelease({ releaseName: emoji(54) })];
      await loadPrecompiledValidators(objects, undefined);
      const results = objects.map((o) => validateObject(o));
      assert.deepEqual(
        results.map((r) => r.status),
        ["invalid", "invalid"],
      );
      assert.equal(compiles, 0, "the loaded validators were not used");
      // The previous Kubernetes version has no precompiled code: compiled.
      const previous = supportedKubernetesVersions()[1] as string;
      await loadPrecompiledValidators(objects, previous);
      assert.equal(validateObject(objects[0], { kubernetesVersion: previous }).status, "invalid");
      assert.ok(compiles > 0);
    } finally {
      Ajv.prototype.compile = compile;
      Ajv.prototype.getSchema = getSchema;
    }
  });

  test("the committed files are what generate-validators.ts writes from today's data", () => {
    const expected = validatorFiles();
    const committed = readdirSync(dir).sort();
    assert.deepEqual(
      committed,
      [...expected.keys()].sort(),
      "files differ: run generate-validators.ts",
    );
    for (const [name, text] of expected) {
      assert.ok(
        readFileSync(new URL(name, dir), "utf8") === text,
        `${name} differs: run generate-validators.ts`,
      );
    }
    assert.equal(precompiledIndex.kubernetesVersion, defaultKubernetesVersion());
  });

  test("each object gets the verdict and errors of the schema compiled at run time", async () => {
    const minor = defaultKubernetesVersion();
    const ajv = new Ajv(AJV_OPTIONS);
    const refs = bundledKindRefs(ajv, minor, true);
    let invalid = 0;
    for (const object of OBJECTS) {
      const key = `${object.apiVersion}/${object.kind}`;
      const table = precompiledIndex.kubernetes[key] !== undefined ? "kubernetes" : "flux";
      const group = precompiledIndex[table][key] as string;
      const module = (await import(new URL(`${group}.js`, dir).href)) as {
        validators: Record<string, ValidateFunction>;
      };
      const precompiled = module.validators[key] as ValidateFunction;
      const compiled = ajv.getSchema(refs[table][key] as string) as ValidateFunction;
      const verdict = precompiled(object);
      assert.equal(verdict, compiled(object), key);
      assert.deepEqual(precompiled.errors, compiled.errors, key);
      if (!verdict) invalid++;
    }
    // Not a vacuous comparison: most of the objects are invalid, in several ways.
    assert.equal(invalid, OBJECTS.length - 3);
  });
});
