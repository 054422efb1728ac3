// Flux's per-object apply controls and the hand-over from kustomize-controller, applied
// in-process against the local environment's API server through applyManifests and
// pruneObjects: `kustomize.toolkit.fluxcd.io/reconcile: disabled` and `ssa: Ignore`
// (not applied, not pruned), `ssa: IfNotPresent` (created, never patched), `ssa: Merge`
// (kustomize-controller's leftovers stay), fields kustomize-controller applied (taken
// over; a field deleted from Git goes), objects Flux labelled for a Kustomization
// (prunable by it) and a Kustomization's object without a namespace (refused).
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { type AppliedChange, applyManifests } from "../../agent/apply.ts";
import { pruneObjects } from "../../agent/prune.ts";
import { KubeClient } from "../../shared/kube/client.ts";
import type { KubeObject, ObjectRef } from "../../shared/manifests/object.ts";
import { kubectl } from "../helpers/kubectl.ts";
import { testenv } from "../helpers/testenv.ts";

const id = randomBytes(3).toString("hex");
const ns = `afc-${id}`;
const fluxNs = `afc-fs-${id}`;
let client: KubeClient;

const RECONCILE = "kustomize.toolkit.fluxcd.io/reconcile";
const SSA = "kustomize.toolkit.fluxcd.io/ssa";
/** The labels Flux puts on what its Kustomization `fluxNs/apps` applies. */
const fluxLabels = {
  "kustomize.toolkit.fluxcd.io/name": "apps",
  "kustomize.toolkit.fluxcd.io/namespace": fluxNs,
};
/** The unit label value Tether gives the objects of that Kustomization (`namespace.name`). */
const appsUnit = `${fluxNs}.apps`;

const configMap = (
  name: string,
  data: Record<string, string>,
  metadata: Partial<KubeObject["metadata"]> = {},
): KubeObject => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name, namespace: ns, ...metadata },
  data,
});
const ref = (name: string): ObjectRef => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  namespace: ns,
  name,
});

/** Applies one object as a unit would; answers its change. */
async function apply(object: KubeObject, unit = "apps", dryRun = false): Promise<AppliedChange> {
  const [change] = await applyManifests(
    client,
    [{ object, source: { file: `${object.metadata.name}.yaml`, line: 1 } }],
    { unit, dryRun },
  );
  return change as AppliedChange;
}

/** As kustomize-controller applies: server-side, its field manager, forced. */
const applyAsFlux = (object: KubeObject) =>
  kubectl(
    [
      "apply",
      "--server-side",
      "--force-conflicts",
      "--field-manager=kustomize-controller",
      "-f",
      "-",
    ],
    JSON.stringify(object),
  );

const dataOf = async (name: string) => (await client.get(ref(name)))?.data;
const managersOf = async (name: string) =>
  (((await client.get(ref(name)))?.metadata.managedFields ?? []) as { manager: string }[]).map(
    (m) => m.manager,
  );

before(async () => {
  client = await KubeClient.connect({ kubeconfig: testenv().kubeconfig });
  await client.apply(
    { apiVersion: "v1", kind: "Namespace", metadata: { name: ns } },
    { fieldManager: "test" },
  );
});

after(async () => {
  await client.delete({ apiVersion: "v1", kind: "Namespace", name: ns }).catch(() => false);
  // Where the code before this fix put the object without a namespace.
  await client.delete({ ...ref(`loose-${id}`), namespace: "default" }).catch(() => false);
  client.close();
});

describe("reconcile: disabled and ssa: Ignore", () => {
  test("reconcile: disabled on the live object: Git's change is not applied, and the line says why", async () => {
    assert.equal((await apply(configMap("paused", { v: "1" }))).action, "created");
    await kubectl(["annotate", "configmap", "paused", "-n", ns, `${RECONCILE}=disabled`]);
    const change = await apply(configMap("paused", { v: "2" }));
    assert.equal(change.action, "unchanged", change.error);
    assert.match(change.detail ?? "", /skipped.*reconcile: disabled.*in the cluster/);
    assert.deepEqual(await dataOf("paused"), { v: "1" });
  });

  test("ssa: Ignore in Git: a new object is not created", async () => {
    const change = await apply(
      configMap("ignored", { v: "1" }, { annotations: { [SSA]: "Ignore" } }),
    );
    assert.equal(change.action, "unchanged", change.error);
    assert.match(change.detail ?? "", /skipped.*ssa: Ignore.*in Git/);
    assert.equal(await client.get(ref("ignored")), undefined);
  });

  test("ssa: ignore (any case) on an object someone else made: left as it is", async () => {
    await kubectl(
      ["create", "-f", "-"],
      JSON.stringify(configMap("theirs", { v: "theirs" }, { annotations: { [SSA]: "ignore" } })),
    );
    const change = await apply(configMap("theirs", { v: "git" }));
    assert.equal(change.action, "unchanged", change.error);
    assert.match(change.detail ?? "", /skipped/);
    assert.deepEqual(await dataOf("theirs"), { v: "theirs" });
    assert.equal(
      (await client.get(ref("theirs")))?.metadata.labels?.["tether.dev/unit"],
      undefined,
    );
  });
});

describe("ssa: IfNotPresent", () => {
  test("created when absent, never patched afterwards", async () => {
    const seed = (v: string) =>
      configMap("seed", { v }, { annotations: { [SSA]: "IfNotPresent" } });
    assert.equal((await apply(seed("1"))).action, "created");
    const change = await apply(seed("2"));
    assert.equal(change.action, "unchanged", change.error);
    assert.match(change.detail ?? "", /skipped.*IfNotPresent/);
    assert.deepEqual(await dataOf("seed"), { v: "1" });
  });
});

describe("objects kustomize-controller applied", () => {
  test("taken over without a conflict, and a field deleted from Git goes", async () => {
    await applyAsFlux(configMap("handed", { a: "1", b: "2" }, { labels: fluxLabels }));
    const change = await apply(configMap("handed", { a: "3" }, { labels: fluxLabels }), appsUnit);
    assert.equal(change.action, "configured", change.error);
    assert.deepEqual(await dataOf("handed"), { a: "3" });
    assert.ok(!(await managersOf("handed")).includes("kustomize-controller"));
  });

  test("the same when Tether had applied it before Flux did (the dry-run path)", async () => {
    assert.equal((await apply(configMap("back", { a: "1" }))).action, "created");
    await applyAsFlux(configMap("back", { a: "2", b: "2" }));
    const change = await apply(configMap("back", { a: "3" }));
    assert.equal(change.action, "configured", change.error);
    assert.deepEqual(await dataOf("back"), { a: "3" });
    assert.ok(!(await managersOf("back")).includes("kustomize-controller"));
  });

  test("ssa: Merge: what kustomize-controller set and Git no longer has stays", async () => {
    await applyAsFlux(configMap("merged", { a: "1", b: "2" }));
    const change = await apply(
      configMap("merged", { a: "3" }, { annotations: { [SSA]: "Merge" } }),
    );
    assert.equal(change.action, "configured", change.error);
    assert.deepEqual(await dataOf("merged"), { a: "3", b: "2" });
  });
});

describe("a namespaced object without a namespace", () => {
  const loose = (labels: Record<string, string>): KubeObject => ({
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: `loose-${id}`, labels },
    data: { v: "1" },
  });

  test("a Flux Kustomization's: refused, naming the object", async () => {
    const change = await apply(loose(fluxLabels), appsUnit);
    assert.equal(change.action, "failed");
    assert.match(change.error ?? "", new RegExp(`ConfigMap/loose-${id} namespace not specified`));
  });

  test("an agent unit's: still the default namespace", async () => {
    const change = await apply(loose({}), "apps", true);
    assert.equal(change.action, "created", change.error);
    assert.equal(change.desired.metadata.namespace, "default");
  });
});

describe("prune", () => {
  test("an object Flux labelled for this Kustomization is pruned by it", async () => {
    await applyAsFlux(configMap("flux-stale", { v: "1" }, { labels: fluxLabels }));
    const [change] = await pruneObjects(client, [ref("flux-stale")], { unit: appsUnit });
    assert.equal(change?.action, "pruned", change?.detail);
    assert.equal(await client.get(ref("flux-stale")), undefined);
  });

  test("one Flux labelled for another Kustomization, or for no agent unit, is kept", async () => {
    const other = { ...fluxLabels, "kustomize.toolkit.fluxcd.io/name": "other" };
    await applyAsFlux(configMap("flux-other", { v: "1" }, { labels: other }));
    const [change] = await pruneObjects(client, [ref("flux-other")], { unit: appsUnit });
    assert.equal(change?.action, "kept");
    await applyAsFlux(configMap("flux-unit", { v: "1" }, { labels: fluxLabels }));
    const [unitChange] = await pruneObjects(client, [ref("flux-unit")], { unit: "apps" });
    assert.equal(unitChange?.action, "kept");
  });

  for (const [key, value] of [
    [RECONCILE, "disabled"],
    [SSA, "Ignore"],
  ] as const) {
    test(`${key}: ${value} keeps it, as Flux's garbage collection does`, async () => {
      const name = `opt-out-${value.toLowerCase()}`;
      await apply(configMap(name, { v: "1" }));
      await kubectl(["annotate", "configmap", name, "-n", ns, `${key}=${value}`]);
      const [change] = await pruneObjects(client, [ref(name)], { unit: "apps" });
      assert.equal(change?.action, "kept");
      assert.match(change?.detail ?? "", new RegExp(`${key}: ${value}`));
    });
  }
});
