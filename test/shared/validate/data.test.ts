import assert from "node:assert/strict";
import { statSync } from "node:fs";
import { describe, test } from "node:test";
import { deprecationData, fluxData, kubernetesData } from "../../../shared/validate/data.ts";
import type { Json } from "../../../shared/validate/schemas/types.ts";

/** Every numeric $ref in a schema. */
function refs(schema: Json, found: number[] = []): number[] {
  if (Array.isArray(schema)) for (const s of schema) refs(s, found);
  else if (typeof schema === "object" && schema !== null) {
    if (typeof schema.$ref === "number") found.push(schema.$ref);
    for (const v of Object.values(schema)) refs(v, found);
  }
  return found;
}

describe("bundled Kubernetes schemas", () => {
  const data = kubernetesData();

  test("four minors, newest first, each from a release of that minor", () => {
    assert.equal(data.minors.length, 4);
    for (const [i, minor] of data.minors.entries()) {
      const version = data.versions[minor];
      assert.ok(version, minor);
      assert.match(version.release, new RegExp(`^v${minor.replace(".", "\\.")}\\.\\d+$`));
      if (i > 0) assert.ok(Number(minor.split(".")[1]) < Number(data.minors[i - 1]?.split(".")[1]));
    }
  });

  test("every reference and kind of a version resolves within that version", () => {
    assert.equal(data.names[data.objectMeta], "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta");
    for (const minor of data.minors) {
      const version = data.versions[minor];
      assert.ok(version);
      assert.equal(version.defs.length, data.names.length);
      version.defs.forEach((variant, i) => {
        if (variant < 0) return;
        const schema = data.variants[i]?.[variant];
        assert.ok(schema, `${minor} ${data.names[i]} variant ${variant}`);
        for (const r of refs(schema)) {
          assert.ok(
            (version.defs[r] ?? -1) >= 0,
            `${minor}: ${data.names[i]} refers to ${data.names[r]}`,
          );
        }
      });
      for (const [apiVersion, kinds] of Object.entries(version.kinds)) {
        for (const [kind, def] of Object.entries(kinds)) {
          assert.ok((version.defs[def] ?? -1) >= 0, `${minor} ${apiVersion} ${kind}`);
        }
      }
      for (const [apiVersion, kind] of [
        ["v1", "ConfigMap"],
        ["v1", "Service"],
        ["apps/v1", "Deployment"],
        ["networking.k8s.io/v1", "Ingress"],
        ["apiextensions.k8s.io/v1", "CustomResourceDefinition"],
      ] as const) {
        assert.ok(
          version.kinds[apiVersion]?.[kind] !== undefined,
          `${minor} ${apiVersion} ${kind}`,
        );
      }
    }
  });

  test("descriptions are not bundled", () => {
    for (const variants of data.variants) {
      for (const v of variants) assert.ok(!JSON.stringify(v).includes('"description":"'));
    }
  });
});

describe("bundled Flux schemas", () => {
  const data = fluxData();

  test("cover the kinds Tether reads, at the versions users write", () => {
    const have = new Set(data.kinds.map((k) => `${k.apiVersion}/${k.kind}`));
    for (const gvk of [
      "kustomize.toolkit.fluxcd.io/v1/Kustomization",
      "source.toolkit.fluxcd.io/v1/GitRepository",
      "source.toolkit.fluxcd.io/v1/HelmRepository",
      "helm.toolkit.fluxcd.io/v2/HelmRelease",
      "helm.toolkit.fluxcd.io/v2beta1/HelmRelease",
      "helm.toolkit.fluxcd.io/v2beta2/HelmRelease",
      "image.toolkit.fluxcd.io/v1/ImageRepository",
      "image.toolkit.fluxcd.io/v1/ImagePolicy",
      "image.toolkit.fluxcd.io/v1/ImageUpdateAutomation",
      "image.toolkit.fluxcd.io/v1beta2/ImageRepository",
      "image.toolkit.fluxcd.io/v1beta2/ImagePolicy",
      "image.toolkit.fluxcd.io/v1beta2/ImageUpdateAutomation",
    ]) {
      assert.ok(have.has(gvk), gvk);
    }
  });

  test("record the Flux and controller versions they came from", () => {
    assert.match(data.flux, /^v2\.\d+\.\d+$/);
    assert.deepEqual(Object.keys(data.controllers).sort(), [
      "helm-controller",
      "image-automation-controller",
      "image-reflector-controller",
      "kustomize-controller",
      "notification-controller",
      "source-controller",
    ]);
    for (const v of Object.values(data.controllers)) assert.match(v, /^v\d+\.\d+\.\d+$/);
  });

  test("every shared reference resolves; each kind's storage version is served", () => {
    for (const s of [...data.shared, ...data.kinds.map((k) => k.schema)]) {
      for (const r of refs(s)) assert.ok(r >= 0 && r < data.shared.length);
    }
    const served = new Set(
      data.kinds.filter((k) => k.served).map((k) => `${k.apiVersion}/${k.kind}`),
    );
    for (const k of data.kinds)
      assert.ok(served.has(`${k.storage}/${k.kind}`), `${k.apiVersion} ${k.kind}`);
  });
});

test("API lifecycle data is well formed", () => {
  const minor = /^1\.\d+$/;
  const { apis } = deprecationData();
  assert.ok(apis.length > 50);
  for (const e of apis) {
    assert.ok(e.deprecated || e.removed, `${e.apiVersion} ${e.kind}`);
    if (e.deprecated) assert.match(e.deprecated, minor);
    if (e.removed) assert.match(e.removed, minor);
    if (e.deprecated && e.removed) {
      assert.ok(
        Number(e.deprecated.split(".")[1]) <= Number(e.removed.split(".")[1]),
        `${e.apiVersion} ${e.kind}`,
      );
    }
  }
});

test("the data stays small", () => {
  const dir = new URL("../../../shared/validate/schemas/data/", import.meta.url);
  const total = ["kubernetes.ts", "flux.ts", "deprecations.ts"]
    .map((f) => statSync(new URL(f, dir)).size)
    .reduce((a, b) => a + b, 0);
  assert.ok(total < 512 * 1024, `${total} bytes`);
});
