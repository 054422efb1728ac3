import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { Ajv } from "ajv";
import { parse } from "yaml";
import { fluxData } from "../../../shared/validate/data.ts";
import {
  exportSchemas,
  kubeconformFileName,
  kubeconformSchemaLocation,
  writeSchemas,
} from "../../../shared/validate/export.ts";
import { schemasFromCrds, validateObject } from "../../../shared/validate/schema.ts";
import {
  supportedKubernetesVersions,
  UnsupportedKubernetesVersionError,
} from "../../../shared/validate/versions.ts";

type Obj = Record<string, unknown>;

/** Every `$ref` in a schema document. */
function refs(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) refs(v, out);
  else if (typeof value === "object" && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      if (k === "$ref" && typeof v === "string") out.push(v);
      else refs(v, out);
    }
  }
  return out;
}

const WIDGET_CRD = parse(`
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  names: {kind: Widget, plural: widgets}
  scope: Namespaced
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
              required: [size]
              properties:
                size: {type: integer, minimum: 1}
`);

describe("kubeconformFileName", () => {
  for (const [apiVersion, kind, file] of [
    ["apps/v1", "Deployment", "deployment-apps-v1.json"],
    ["v1", "ConfigMap", "configmap-v1.json"],
    ["networking.k8s.io/v1", "Ingress", "ingress-networking-v1.json"],
    ["batch/v1", "CronJob", "cronjob-batch-v1.json"],
    ["helm.toolkit.fluxcd.io/v2beta2", "HelmRelease", "helmrelease-helm-v2beta2.json"],
    ["example.com/v1", "Widget", "widget-example-v1.json"],
  ] as const) {
    test(`${apiVersion} ${kind}: ${file}`, () => {
      assert.equal(kubeconformFileName(apiVersion, kind), file);
    });
  }
  test("the -schema-location template", () => {
    assert.equal(
      kubeconformSchemaLocation("/tmp/schemas/"),
      "/tmp/schemas/{{ .ResourceKind }}{{ .KindSuffix }}.json",
    );
  });
});

describe("exportSchemas", () => {
  const version = supportedKubernetesVersions()[0] as string;

  test("every bundled version exports every kind once, with no two on one file name", () => {
    for (const v of supportedKubernetesVersions()) {
      const { schemas, shadowed, kubernetesVersion } = exportSchemas({ kubernetesVersion: v });
      assert.equal(kubernetesVersion, v);
      assert.deepEqual(shadowed, []);
      const files = schemas.map((s) => s.file);
      assert.equal(new Set(files).size, files.length);
      assert.ok(files.includes("deployment-apps-v1.json"));
      assert.ok(files.includes("kustomization-kustomize-v1.json"));
    }
  });

  test("a list of kinds: Kind or apiVersion/Kind; an unknown one is an error", () => {
    const { schemas } = exportSchemas({
      kubernetesVersion: version,
      kinds: ["Deployment", "v1/ConfigMap", "helm.toolkit.fluxcd.io/v2/HelmRelease"],
    });
    assert.deepEqual(
      schemas.map((s) => `${s.apiVersion}/${s.kind} ${s.file} ${s.source}`).sort(),
      [
        `apps/v1/Deployment deployment-apps-v1.json Kubernetes ${version}`,
        `helm.toolkit.fluxcd.io/v2/HelmRelease helmrelease-helm-v2.json Flux ${fluxData().flux}`,
        `v1/ConfigMap configmap-v1.json Kubernetes ${version}`,
      ].sort(),
    );
    assert.throws(
      () => exportSchemas({ kubernetesVersion: version, kinds: ["Deployment", "Gadget"] }),
      /no schema for Gadget in Kubernetes/,
    );
    assert.throws(
      () => exportSchemas({ kubernetesVersion: "1.2" }),
      UnsupportedKubernetesVersionError,
    );
  });

  test("strict schemas close every object that lists its properties; loose ones do not", () => {
    const [strict] = exportSchemas({
      kubernetesVersion: version,
      kinds: ["apps/v1/Deployment"],
    }).schemas;
    const [loose] = exportSchemas({
      kubernetesVersion: version,
      kinds: ["apps/v1/Deployment"],
      strict: false,
    }).schemas;
    const s = strict?.schema as Obj;
    assert.equal(s.$schema, "http://json-schema.org/draft-07/schema#");
    assert.equal(s.additionalProperties, false);
    const container = (s.definitions as Record<string, Obj>)["io.k8s.api.core.v1.Container"];
    assert.equal(container?.additionalProperties, false);
    assert.doesNotMatch(JSON.stringify(loose?.schema), /"additionalProperties":false/);
  });

  test("a file is self-contained and carries no format", () => {
    for (const { schema, file } of exportSchemas({ kubernetesVersion: version }).schemas) {
      const definitions = (schema.definitions ?? {}) as Obj;
      for (const ref of refs(schema)) {
        assert.match(ref, /^#\/definitions\//, file);
        assert.ok(ref.slice("#/definitions/".length) in definitions, `${file}: ${ref}`);
      }
    }
    const [deployment] = exportSchemas({
      kubernetesVersion: version,
      kinds: ["Deployment"],
    }).schemas;
    assert.doesNotMatch(JSON.stringify(deployment?.schema), /"format"/);
  });

  test("a custom resource's metadata is ObjectMeta, or as declared when asked", () => {
    const crdSchemas = schemasFromCrds([WIDGET_CRD]);
    const meta = (options: Parameters<typeof exportSchemas>[0]) => {
      const [widget] = exportSchemas({ ...options, kinds: ["example.com/v1/Widget"] }).schemas;
      assert.equal(widget?.source, "CRD");
      assert.equal(widget?.file, "widget-example-v1.json");
      return ((widget?.schema.properties ?? {}) as Record<string, unknown>).metadata;
    };
    assert.deepEqual(meta({ kubernetesVersion: version, crdSchemas }), {
      $ref: "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta",
    });
    assert.deepEqual(
      meta({ kubernetesVersion: version, crdSchemas, customResourceMetadata: "as-declared" }),
      { type: "object" },
    );
  });

  test("the exported schema gives the validator's verdicts (same content)", () => {
    const crdSchemas = schemasFromCrds([WIDGET_CRD]);
    const { schemas } = exportSchemas({
      kubernetesVersion: version,
      kinds: ["Deployment", "v1/Service", "HelmRelease", "Widget"],
      crdSchemas,
    });
    const ajv = new Ajv({
      strict: false,
      validateFormats: false,
      logger: false,
      unicodeRegExp: false,
    });
    const check = (obj: Obj) => {
      const exported = schemas.find((s) => s.apiVersion === obj.apiVersion && s.kind === obj.kind);
      assert.ok(exported);
      return ajv.validate(exported.schema, obj);
    };
    const objects: Obj[] = [
      parse(`{apiVersion: apps/v1, kind: Deployment, metadata: {name: a},
        spec: {selector: {matchLabels: {a: b}}, template: {spec: {containers: [{name: a}]}}}}`),
      parse(`{apiVersion: apps/v1, kind: Deployment, metadata: {name: a},
        spec: {selector: {}, template: {spec: {containers: [{name: a, bogus: 1}]}}}}`),
      parse(`{apiVersion: apps/v1, kind: Deployment, metadata: {name: a}, spec: {template: {}}}`),
      parse(
        `{apiVersion: v1, kind: Service, metadata: {name: a}, spec: {ports: [{port: 80, targetPort: x}]}}`,
      ),
      parse(`{apiVersion: v1, kind: Service, metadata: {name: a}, spec: {ports: [{port: "80"}]}}`),
      parse(`{apiVersion: helm.toolkit.fluxcd.io/v2, kind: HelmRelease, metadata: {name: a},
        spec: {interval: 1m, chart: {spec: {chart: c, sourceRef: {kind: HelmRepository, name: r}}}}}`),
      parse(`{apiVersion: helm.toolkit.fluxcd.io/v2, kind: HelmRelease, metadata: {name: a, bogus: 1},
        spec: {interval: 1m, chart: {spec: {chart: c, sourceRef: {kind: HelmRepository, name: r}}}}}`),
      parse(`{apiVersion: example.com/v1, kind: Widget, metadata: {name: a}, spec: {size: 2}}`),
      parse(`{apiVersion: example.com/v1, kind: Widget, metadata: {name: a}, spec: {size: 0}}`),
    ];
    for (const obj of objects) {
      const verdict = validateObject(obj, { kubernetesVersion: version, crdSchemas }).status;
      assert.equal(check(obj) ? "valid" : "invalid", verdict, JSON.stringify(obj));
    }
  });

  test("writeSchemas writes one JSON file per schema", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tether-export-"));
    try {
      const written = await writeSchemas(join(dir, "schemas"), {
        kubernetesVersion: version,
        kinds: ["Deployment", "ConfigMap"],
      });
      assert.deepEqual(readdirSync(join(dir, "schemas")).sort(), [
        "configmap-v1.json",
        "deployment-apps-v1.json",
      ]);
      assert.equal(written.files.length, 2);
      for (const file of written.files) {
        const schema = JSON.parse(readFileSync(file, "utf8")) as Obj;
        assert.equal(schema.type, "object");
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
