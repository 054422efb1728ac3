// Pure decisions behind Flux's per-object controls and the hand-over from
// kustomize-controller (apply.ts), and the prune decision for objects Flux labelled.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  applyControl,
  fluxLabelledUnit,
  heldByFlux,
  kustomizationUnit,
  lacksNamespace,
  mayForce,
} from "../../agent/apply.ts";
import { unitOf } from "../../agent/flux/kustomization.ts";
import { keepReason } from "../../agent/prune.ts";
import type { KubeObject } from "../../shared/manifests/object.ts";

const SSA = "kustomize.toolkit.fluxcd.io/ssa";
const RECONCILE = "kustomize.toolkit.fluxcd.io/reconcile";

const cm = (metadata: Partial<KubeObject["metadata"]> = {}): KubeObject => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name: "c", namespace: "n", ...metadata },
});

describe("Flux's per-object controls", () => {
  test("nothing set: applied, and kustomize-controller's leftovers released", () => {
    assert.deepEqual(applyControl(cm(), cm()), { merge: false });
    assert.deepEqual(applyControl(cm(), undefined), { merge: false });
  });

  test("reconcile: disabled or ssa: Ignore, in Git or in the cluster, as label or annotation: skipped", () => {
    const disabled = { [RECONCILE]: "disabled" };
    assert.match(applyControl(cm({ annotations: disabled }), undefined).skip ?? "", /in Git/);
    assert.match(applyControl(cm(), cm({ labels: disabled })).skip ?? "", /in the cluster/);
    assert.match(applyControl(cm(), cm({ annotations: { [SSA]: "IGNORE" } })).skip ?? "", /Ignore/);
    assert.equal(
      applyControl(cm({ annotations: { [RECONCILE]: "enabled" } }), cm()).skip,
      undefined,
    );
  });

  test("ssa: IfNotPresent in Git: skipped only when the object exists", () => {
    const seed = cm({ annotations: { [SSA]: "IfNotPresent" } });
    assert.equal(applyControl(seed, undefined).skip, undefined);
    assert.match(applyControl(seed, cm()).skip ?? "", /IfNotPresent, and it exists/);
    // In the cluster only, it does not count (Flux reads it on the object in Git).
    assert.equal(applyControl(cm(), seed).skip, undefined);
  });

  test("ssa: Merge on either side keeps other managers' fields", () => {
    const merge = cm({ annotations: { [SSA]: "merge" } });
    assert.deepEqual(applyControl(merge, undefined), { merge: true });
    assert.deepEqual(applyControl(cm(), merge), { merge: true });
  });
});

describe("the hand-over from kustomize-controller", () => {
  const live = (managers: [string, string][]) =>
    cm({ managedFields: managers.map(([manager, operation]) => ({ manager, operation })) });

  test("a conflict with kustomize-controller is forced, alone or with hand edits", () => {
    const withFlux = live([
      ["kustomize-controller", "Apply"],
      ["kubectl-edit", "Update"],
    ]);
    assert.equal(mayForce([{ field: ".data.a", manager: "kustomize-controller" }], withFlux), true);
    assert.equal(
      mayForce(
        [
          { field: ".data.a", manager: "kustomize-controller" },
          { field: ".data.b", manager: "kubectl-edit" },
        ],
        withFlux,
      ),
      true,
    );
  });

  test("a conflict with another apply manager is still reported", () => {
    const other = live([
      ["kustomize-controller", "Apply"],
      ["hpa-tool", "Apply"],
    ]);
    assert.equal(
      mayForce(
        [
          { field: ".data.a", manager: "kustomize-controller" },
          { field: ".spec.replicas", manager: "hpa-tool" },
        ],
        other,
      ),
      false,
    );
    assert.equal(mayForce([], other), false);
  });

  test("kustomize-controller holds fields when it has an Apply entry", () => {
    assert.equal(heldByFlux(live([["kustomize-controller", "Apply"]])), true);
    assert.equal(heldByFlux(live([["kustomize-controller", "Update"]])), false);
    assert.equal(heldByFlux(live([["tether", "Apply"]])), false);
  });
});

describe("objects labelled by Flux", () => {
  const ks = (namespace: string, name: string): KubeObject => ({
    apiVersion: "kustomize.toolkit.fluxcd.io/v1",
    kind: "Kustomization",
    metadata: { name, namespace },
  });

  test("a Kustomization's unit is the one its objects are labelled with (unitOf), long names too", () => {
    for (const [namespace, name] of [
      ["flux-system", "apps"],
      ["flux-system", "x".repeat(70)],
    ] as const) {
      assert.equal(kustomizationUnit(namespace, name), unitOf(ks(namespace, name)));
    }
  });

  const labels = {
    "kustomize.toolkit.fluxcd.io/name": "apps",
    "kustomize.toolkit.fluxcd.io/namespace": "flux-system",
  };
  const ref = { apiVersion: "v1", kind: "ConfigMap", namespace: "n", name: "c" };

  test("Flux's labels name the Kustomization's unit", () => {
    assert.equal(fluxLabelledUnit(cm({ labels })), "flux-system.apps");
    assert.equal(fluxLabelledUnit(cm()), undefined);
  });

  test("prune: the Kustomization Flux labelled it for may delete it; others keep it", () => {
    assert.equal(keepReason(ref, cm({ labels }), { unit: "flux-system.apps" }), undefined);
    assert.match(keepReason(ref, cm({ labels }), { unit: "flux-system.other" }) ?? "", /no longer/);
    // Tether's own label wins over Flux's: another unit took it over.
    const taken = cm({ labels: { ...labels, "tether.dev/unit": "edge" } });
    assert.match(keepReason(ref, taken, { unit: "flux-system.apps" }) ?? "", /owned by unit edge/);
  });

  test("a namespaced object without a namespace is refused for a Kustomization only", () => {
    const loose = { ...cm({ labels }), metadata: { name: "c", labels } };
    assert.equal(lacksNamespace(loose, { unit: "flux-system.apps" }), true);
    assert.equal(
      lacksNamespace(loose, { unit: "flux-system.apps", targetNamespace: "edge" }),
      false,
    );
    assert.equal(lacksNamespace({ ...loose, metadata: { name: "c" } }, { unit: "apps" }), false);
    assert.equal(lacksNamespace(cm({ labels }), { unit: "flux-system.apps" }), false);
  });
});
