// Flux's `dependsOn[].readyExpr` as pure decisions: the CEL expression sees `self` (the
// object that depends) and `dep` (its dependency); when given it replaces the built-in
// Ready check; false or an error while evaluating keeps the object waiting
// (DependencyNotReady); an expression that does not compile fails the object for good
// (InvalidCELExpression, Stalled), never the agent.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { dependencyVerdict } from "../../../agent/flux/depends.ts";
import { readyExprVerdict } from "../../../agent/flux/health-exprs.ts";
import type { KubeObject } from "../../../shared/manifests/object.ts";

const ks = (name: string, labels: Record<string, string>, ready?: boolean): KubeObject => ({
  apiVersion: "kustomize.toolkit.fluxcd.io/v1",
  kind: "Kustomization",
  metadata: { name, namespace: "apps", labels, generation: 2 },
  spec: {},
  ...(ready === undefined
    ? {}
    : {
        status: {
          observedGeneration: 2,
          conditions: [{ type: "Ready", status: ready ? "True" : "False", reason: "x" }],
        },
      }),
});

describe("readyExpr evaluation", () => {
  const self = ks("frontend", { "app/version": "v1.2.3" });

  test("true and false from self and dep", () => {
    const expr = "dep.metadata.labels['app/version'] == self.metadata.labels['app/version']";
    assert.deepEqual(readyExprVerdict(expr, self, ks("backend", { "app/version": "v1.2.3" })), {
      ready: true,
    });
    assert.deepEqual(readyExprVerdict(expr, self, ks("backend", { "app/version": "v1.2.2" })), {
      ready: false,
    });
  });

  test("comprehensions over the dependency's conditions", () => {
    const expr =
      "dep.status.conditions.filter(e, e.type == 'Ready').all(e, e.status == 'True') && dep.metadata.generation == dep.status.observedGeneration";
    assert.equal(readyExprVerdict(expr, self, ks("backend", {}, true)).ready, true);
    assert.equal(readyExprVerdict(expr, self, ks("backend", {}, false)).ready, false);
  });

  test("an error while evaluating (a missing field) is not ready, with the error", () => {
    const verdict = readyExprVerdict("dep.status.phase == 'Done'", self, ks("backend", {}));
    assert.equal(verdict.ready, false);
    assert.ok(verdict.error, JSON.stringify(verdict));
  });

  test("a result that is not a boolean is an error", () => {
    const verdict = readyExprVerdict("dep.metadata.name", self, ks("backend", {}));
    assert.equal(verdict.ready, false);
    assert.match(verdict.error ?? "", /bool/);
  });

  test("syntax errors and unknown variables do not compile", () => {
    assert.throws(() => readyExprVerdict("dep.metadata.labels[", self, ks("b", {})));
    assert.throws(
      () => readyExprVerdict("self.metadata.generation == deps.metadata.generation", self, self),
      /deps/,
    );
  });
});

describe("a Kustomization's dependency", () => {
  const self = ks("frontend", {});
  const dep = (readyExpr?: string) => ({
    key: "apps/backend",
    ...(readyExpr ? { readyExpr } : {}),
  });

  test("without readyExpr: the built-in Ready check", async () => {
    assert.equal(await dependencyVerdict(self, dep(), ks("backend", {}, true), true), undefined);
    assert.deepEqual(await dependencyVerdict(self, dep(), ks("backend", {}, false), false), {
      reason: "DependencyNotReady",
      message: "dependency 'apps/backend' is not ready",
    });
    assert.deepEqual(await dependencyVerdict(self, dep(), undefined, false), {
      reason: "DependencyNotReady",
      message: "unable to get 'apps/backend' dependency: not found",
    });
  });

  test("readyExpr replaces the Ready check", async () => {
    const expr = "dep.metadata.labels.stage == 'ready'";
    assert.equal(
      await dependencyVerdict(self, dep(expr), ks("backend", { stage: "ready" }, false), false),
      undefined,
    );
    assert.deepEqual(
      await dependencyVerdict(self, dep(expr), ks("backend", { stage: "wip" }, true), true),
      {
        reason: "DependencyNotReady",
        message: "dependency 'apps/backend' is not ready according to readyExpr eval",
      },
    );
  });

  test("an error while evaluating waits, with the error", async () => {
    const verdict = await dependencyVerdict(
      self,
      dep("dep.status.phase == 'Done'"),
      ks("backend", {}),
      false,
    );
    assert.equal(verdict?.reason, "DependencyNotReady");
    assert.equal(verdict?.stalled, undefined);
    assert.match(verdict?.message ?? "", /^dependency 'apps\/backend' is not ready: readyExpr: /);
  });

  test("an expression that does not compile stalls the object", async () => {
    const verdict = await dependencyVerdict(
      self,
      dep("dep.metadata.labels["),
      ks("backend", {}, true),
      true,
    );
    assert.equal(verdict?.reason, "InvalidCELExpression");
    assert.equal(verdict?.stalled, true);
    assert.match(verdict?.message ?? "", /readyExpr of dependency 'apps\/backend'/);
  });
});
