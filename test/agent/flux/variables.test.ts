// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Flux variables are written ${like_this}.
// postBuild variables as kustomize-controller reads them (pure): layers in order, line
// breaks taken out of values, names that are Object's own (`constructor`, `__proto__`)
// are variables like any other, and a name that is not a shell name fails only an
// object that is substituted. The end-to-end cases are in substitute-values.test.ts;
// the preview's masking of Secret values as substituted in preview-secret-values.test.ts.
import assert from "node:assert/strict";
import { test } from "node:test";
import { postBuildVariables } from "../../../agent/flux/kustomization.ts";
import {
  SubstituteError,
  substituteObject,
  substituteText,
} from "../../../agent/flux/substitute.ts";
import type { KubeObject } from "../../../shared/manifests/object.ts";

const configMap = (data: Record<string, string>, annotations?: Record<string, string>) =>
  ({
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "settings", namespace: "apps", ...(annotations ? { annotations } : {}) },
    data,
  }) as KubeObject;

test("later layers win and every line break is taken out of a value", () => {
  const vars = postBuildVariables([
    { token: "from-secret\n", region: "eu-1" },
    { region: "eu-2", hosts: "a\nb\n" },
  ]);
  assert.deepEqual({ ...vars }, { token: "from-secret", region: "eu-2", hosts: "ab" });
});

test("names that are Object's own are variables like any other", () => {
  const vars = postBuildVariables([JSON.parse('{"__proto__": "proto-value", "cluster": "prod"}')]);
  assert.equal(
    substituteText(
      "a: ${cluster}\nb: ${constructor}\nc: ${toString:=fallback}\nd: ${__proto__}\n",
      vars,
    ),
    "a: prod\nb: \nc: fallback\nd: proto-value\n",
  );
});

test("a value that is not a string (a repository read by preview) is its text", () => {
  assert.equal(postBuildVariables([{ replicas: 3 }]).replicas, "3");
});

test("a name that is not a shell name fails the objects that are substituted only", () => {
  const vars = postBuildVariables([{ "app.name": "web", mode: "edge" }]);
  assert.throws(
    () => substituteObject(configMap({ mode: "${mode}" }), vars),
    (error: Error) =>
      error instanceof SubstituteError && /'app\.name' var name is invalid/.test(error.message),
  );
  const optedOut = configMap(
    { mode: "${mode}" },
    { "kustomize.toolkit.fluxcd.io/substitute": "disabled" },
  );
  assert.equal(substituteObject(optedOut, vars), optedOut);
});
