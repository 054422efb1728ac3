// reconcileUnit run in-process against the local environment's API server, through
// the narrow KubeApi interface: each step's changes and the one record it writes.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { stringify } from "yaml";
import type { Change } from "../../agent/changes.ts";
import type { UnitConfig } from "../../agent/config.ts";
import { AGENT_FIELD_MANAGER } from "../../agent/defaults.ts";
import { DEFAULT_DELETE_BUDGET } from "../../agent/delete-budget.ts";
import { ensureNamespace, readRecord } from "../../agent/inventory.ts";
import { type ReconcileContext, reconcileUnit } from "../../agent/reconcile.ts";
import type { KubeApi } from "../../shared/kube/api.ts";
import { KubeClient } from "../../shared/kube/client.ts";
import type { ObjectRef } from "../../shared/manifests/object.ts";
import { neverAvailable } from "../helpers/objects.ts";
import { testenv } from "../helpers/testenv.ts";

const id = randomBytes(3).toString("hex");
const ns = `rec-${id}`;
const recordsNs = `tether-rec-${id}`;
const root = mkdtempSync(join(tmpdir(), "tether-reconcile-"));
let client: KubeClient;

const unit: UnitConfig = {
  name: "apps",
  path: "apps",
  prune: true,
  wait: false,
  timeoutMs: 5_000,
  intervalMs: 60_000,
  dependsOn: [],
  allowEmpty: false,
  pruneCrdsAndNamespaces: false,
  deleteBudget: DEFAULT_DELETE_BUDGET,
};

const configMap = (name: string, extra = "") => `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
  namespace: ${ns}
${extra}data:
  mode: edge
`;

/** Writes the unit's folder: one file per object. */
function render(files: Record<string, string>): void {
  rmSync(join(root, "apps"), { recursive: true, force: true });
  mkdirSync(join(root, "apps"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(root, "apps", name), text);
}

const ctx = (revision: string, extra: Partial<ReconcileContext> = {}): ReconcileContext => ({
  client,
  root,
  revision,
  namespace: recordsNs,
  ...extra,
});

const lines = (changes: readonly Change[]) =>
  changes.map((c) => `${c.ref.kind}/${c.ref.name} ${c.action}`);

const cmRef = (name: string): ObjectRef => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  namespace: ns,
  name,
});

const resyncNs = `${ns}-resync`;
const recordRef = (name: string): ObjectRef => ({ ...cmRef(name), namespace: recordsNs });
const helmNs = `${ns}-helm`;
const retryNs = `${ns}-retry`;

const namespaceYaml = `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n`;

describe("reconcileUnit in-process", () => {
  before(async () => {
    client = await KubeClient.connect({ kubeconfig: testenv().kubeconfig });
    await ensureNamespace(client, recordsNs);
  });
  after(async () => {
    for (const name of [ns, recordsNs, resyncNs, helmNs, retryNs])
      await client.delete({ apiVersion: "v1", kind: "Namespace", name }).catch(() => false);
    client.close();
    rmSync(root, { recursive: true, force: true });
  });

  test("render, apply, record: every object created, the record written once", async () => {
    render({ "ns.yaml": namespaceYaml, "a.yaml": configMap("a"), "b.yaml": configMap("b") });
    const report = await reconcileUnit(unit, ctx("rev1"));
    assert.deepEqual(report.errors, []);
    // In the order of the render (files by name); the apply itself ran the Namespace first.
    assert.deepEqual(lines(report.changes), [
      "ConfigMap/a created",
      "ConfigMap/b created",
      `Namespace/${ns} created`,
    ]);
    const record = await readRecord(client, recordsNs, "apps");
    assert.equal(record.status?.result, "Succeeded");
    assert.equal(record.status?.lastAppliedRevision, "rev1");
    assert.deepEqual(record.status?.counts, {
      created: 3,
      configured: 0,
      unchanged: 0,
      pruned: 0,
      drifted: 0,
      failed: 0,
    });
    assert.deepEqual(record.inventory.map((e) => e.name).sort(), ["a", "b", ns]);
  });

  test("a hand edit of an applied field is configured back and counted as drift", async () => {
    // As `kubectl edit` would: an update, not an apply, so Git wins.
    await client.request({
      method: "PATCH",
      path: await client.pathOf(cmRef("a")),
      query: { fieldManager: "kubectl-edit" },
      body: { data: { mode: "hand" } },
      contentType: "application/merge-patch+json",
    });
    const report = await reconcileUnit(unit, ctx("rev2"));
    assert.deepEqual(report.errors, []);
    const a = report.changes.find((c) => c.ref.name === "a");
    assert.equal(a?.action, "configured");
    assert.equal(a?.drifted, true);
    assert.equal(report.status.counts.drifted, 1);
    assert.equal(report.status.counts.unchanged, 2);
    const data = (await client.get(cmRef("a")))?.data as { mode?: string } | undefined;
    assert.equal(data?.mode, "edge");
  });

  test("a render error applies nothing and keeps the inventory and the last applied revision", async () => {
    render({ "ns.yaml": namespaceYaml, "a.yaml": "kind: [unclosed" });
    const report = await reconcileUnit(unit, ctx("rev3"));
    assert.equal(report.ok, false);
    assert.deepEqual(report.changes, []);
    assert.ok(await client.get(cmRef("b")), "b is not pruned after a failed render");
    const record = await readRecord(client, recordsNs, "apps");
    assert.equal(record.status?.result, "Failed");
    assert.equal(record.status?.lastAppliedRevision, "rev2");
    assert.deepEqual(record.inventory.map((e) => e.name).sort(), ["a", "b", ns]);
  });

  test("an error of the step before apply (Flux's preparation) applies and prunes nothing", async () => {
    // `b` left Git: pruning it would be within the delete budget (1 of 3).
    render({ "ns.yaml": namespaceYaml, "a.yaml": configMap("a") });
    const report = await reconcileUnit(
      unit,
      ctx("rev3b", {
        prepare: async (manifests) => ({ manifests, errors: ["the GitRepository is not ready"] }),
      }),
    );
    assert.equal(report.ok, false);
    assert.deepEqual(report.errors, ["the GitRepository is not ready"]);
    assert.deepEqual(report.changes, []);
    assert.ok(await client.get(cmRef("b")), "b is not pruned after a failed preparation");
    const record = await readRecord(client, recordsNs, "apps");
    assert.equal(record.status?.lastAppliedRevision, "rev2");
    assert.deepEqual(record.inventory.map((e) => e.name).sort(), ["a", "b", ns]);
  });

  test("a failed apply stops the unit: nothing pruned, nothing waited for; what is gone from Git stays", async () => {
    render({
      "ns.yaml": namespaceYaml,
      "a.yaml": configMap("a"),
      "bad.yaml": `apiVersion: nowhere.example/v1\nkind: Ghost\nmetadata:\n  name: g\n  namespace: ${ns}\n`,
    });
    // With wait, the health step would assess what did apply; after a failed apply it
    // does not run, and the unit's health stays unknown.
    const report = await reconcileUnit({ ...unit, wait: true }, ctx("rev4"));
    assert.equal(report.ok, false);
    assert.equal(report.status.health, "Unknown");
    const ghost = report.changes.find((c) => c.ref.kind === "Ghost");
    assert.equal(ghost?.action, "failed");
    assert.equal(ghost?.detail, "apps/bad.yaml:1");
    assert.match(ghost?.error ?? "", /does not know Ghost/);
    assert.ok(!report.changes.some((c) => c.action === "pruned"));
    assert.ok(await client.get(cmRef("b")), "b stays while the apply fails");
    const record = await readRecord(client, recordsNs, "apps");
    assert.ok(
      record.inventory.some((e) => e.name === "b"),
      "b stays owned",
    );
  });

  test("prune deletes what left Git and keeps what opts out", async () => {
    render({ "ns.yaml": namespaceYaml, "a.yaml": configMap("a") });
    await client.apply(
      {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "b", namespace: ns, annotations: { "tether.dev/prune": "disabled" } },
      },
      { fieldManager: "someone" },
    );
    let report = await reconcileUnit(unit, ctx("rev5"));
    assert.deepEqual(report.errors, []);
    const b = report.changes.find((c) => c.ref.name === "b");
    assert.equal(b?.action, "kept");
    assert.match(b?.detail ?? "", /tether\.dev\/prune: disabled/);

    render({ "ns.yaml": namespaceYaml });
    report = await reconcileUnit(unit, ctx("rev6"));
    assert.deepEqual(report.errors, []);
    assert.equal(report.changes.find((c) => c.ref.name === "a")?.action, "pruned");
    assert.equal(report.status.counts.pruned, 1);
    assert.equal(await client.get(cmRef("a")), undefined);
  });

  test("a dry run reads through the interface and never writes", async () => {
    render({ "ns.yaml": namespaceYaml, "c.yaml": configMap("c") });
    const writes: string[] = [];
    // The real client, with every write that is not a dry run noted down.
    const watched: KubeApi = {
      get: (ref) => client.get(ref),
      list: (apiVersion, kind, options) => client.list(apiVersion, kind, options),
      resourceFor: (apiVersion, kind) => client.resourceFor(apiVersion, kind),
      apply: (object, options) => {
        if (!options.dryRun) writes.push(`apply ${object.kind}/${object.metadata.name}`);
        return client.apply(object, options);
      },
      delete: (ref, policy) => {
        writes.push(`delete ${ref.kind}/${ref.name}`);
        return client.delete(ref, policy);
      },
    };
    const report = await reconcileUnit(unit, ctx("rev7", { client: watched, dryRun: true }));
    assert.deepEqual(report.errors, []);
    assert.equal(report.changes.find((c) => c.ref.name === "c")?.action, "created");
    assert.deepEqual(writes, []);
    assert.equal(await client.get(cmRef("c")), undefined);
    assert.equal((await readRecord(client, recordsNs, "apps")).status?.revision, "rev6");
  });

  test("health: an object that never becomes ready is an unhealthy change and an error", async () => {
    render({
      "ns.yaml": namespaceYaml,
      "deploy.yaml": neverAvailable(ns),
    });
    const report = await reconcileUnit({ ...unit, wait: true, timeoutMs: 1_500 }, ctx("rev8"));
    assert.equal(report.ok, false);
    const unhealthy = report.changes.filter((c) => c.action === "unhealthy");
    assert.deepEqual(
      unhealthy.map((c) => c.ref.name),
      ["never"],
    );
    assert.equal(report.status.health, "Unhealthy");
    assert.match(report.errors.join("\n"), /not healthy: Deployment\/.*\/never/);
  });

  test("a pass with nothing changed lists instead of asking per object; hand edits and deletions are still reverted", async () => {
    const resync: UnitConfig = { ...unit, name: "resync", path: "resync" };
    const cm = (name: string) =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: ${resyncNs}\ndata:\n  mode: edge\n`;
    const dir = join(root, "resync");
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, "ns.yaml"),
      `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${resyncNs}\n`,
    );
    for (let i = 0; i < 30; i++) writeFileSync(join(dir, `m-${i}.yaml`), cm(`m-${i}`));
    const ref = (name: string): ObjectRef => ({ ...cmRef(name), namespace: resyncNs });
    // m-0 is there already, unlabelled (as `kubectl create` leaves it): taken over, not created.
    await client.apply(
      { apiVersion: "v1", kind: "Namespace", metadata: { name: resyncNs } },
      { fieldManager: "kubectl-create" },
    );
    await client.request({
      method: "POST",
      path: `/api/v1/namespaces/${resyncNs}/configmaps`,
      query: { fieldManager: "kubectl-create" },
      body: {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "m-0" },
        data: { mode: "edge" },
      },
    });
    let report = await reconcileUnit(resync, ctx("r1"));
    assert.deepEqual(report.errors, []);
    assert.equal(report.changes.find((c) => c.ref.name === "m-0")?.action, "configured");
    assert.equal(report.changes.find((c) => c.ref.name === "m-1")?.action, "created");
    assert.equal(report.status.counts.created, 29);
    assert.equal(report.status.counts.configured, 2);

    const version = async (name: string) =>
      (await client.get(recordRef(name)))?.metadata.resourceVersion;
    const [inventoryBefore, recordBefore] = [
      await version("tether-inventory-resync"),
      await version("tether-unit-resync"),
    ];
    let sent = client.requests;
    report = await reconcileUnit(resync, ctx("r2"));
    assert.deepEqual(report.errors, []);
    assert.equal(report.status.counts.unchanged, 31);
    // The record read, one list per kind, the record written: not one request per object.
    const requests = client.requests - sent;
    assert.ok(requests <= 6, `${requests} requests for 31 unchanged objects`);
    // Only the status is written again: the inventory's ConfigMap is as it was.
    assert.equal(await version("tether-inventory-resync"), inventoryBefore);
    assert.notEqual(await version("tether-unit-resync"), recordBefore);
    assert.equal((await readRecord(client, recordsNs, "resync")).status?.revision, "r2");

    // As `kubectl edit` and `kubectl delete` would, between two passes.
    await client.request({
      method: "PATCH",
      path: await client.pathOf(ref("m-1")),
      query: { fieldManager: "kubectl-edit" },
      body: { data: { mode: "hand" } },
      contentType: "application/merge-patch+json",
    });
    assert.ok(await client.delete(ref("m-2")));
    sent = client.requests;
    report = await reconcileUnit(resync, ctx("r3"));
    assert.deepEqual(report.errors, []);
    const action = (name: string) => report.changes.find((c) => c.ref.name === name);
    assert.equal(action("m-1")?.action, "configured");
    assert.equal(action("m-1")?.drifted, true);
    assert.equal(action("m-2")?.action, "created");
    assert.equal(report.status.counts.unchanged, 29);
    const m1 = (await client.get(ref("m-1")))?.data as { mode?: string } | undefined;
    assert.equal(m1?.mode, "edge");
    assert.ok(await client.get(ref("m-2")), "m-2 is back");
    // 13: m-2, no longer among the unit's labelled objects, costs one metadata list of
    // its kind and namespace (is it there unlabelled, with a Flux control on it?).
    assert.ok(client.requests - sent <= 13, `${client.requests - sent} requests`);

    // What the revert answered is recorded: the pass after it is quiet again.
    sent = client.requests;
    report = await reconcileUnit(resync, ctx("r4"));
    assert.equal(report.status.counts.unchanged, 31);
    assert.ok(client.requests - sent <= 6, `${client.requests - sent} requests`);
  });

  test("a record of an earlier release (inventory and status in one ConfigMap) is read, pruned from, then split", async () => {
    const resync: UnitConfig = { ...unit, name: "resync", path: "resync" };
    const stored = (await client.get(recordRef("tether-inventory-resync")))?.data as {
      inventory: string;
    };
    const record0 = await client.get(recordRef("tether-unit-resync"));
    const status = (record0?.data as { status?: string } | undefined)?.status;
    // As an earlier release wrote it: one apply of both, no inventory ConfigMap.
    assert.ok(await client.delete(recordRef("tether-inventory-resync")));
    await client.apply(
      {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "tether-unit-resync", namespace: recordsNs },
        data: { inventory: stored.inventory, status },
      },
      { fieldManager: AGENT_FIELD_MANAGER, force: true },
    );
    rmSync(join(root, "resync", "m-29.yaml"));
    const report = await reconcileUnit(resync, ctx("r5"));
    assert.deepEqual(report.errors, []);
    // Pruned: so the earlier release's inventory was read.
    assert.equal(report.changes.find((c) => c.ref.name === "m-29")?.action, "pruned");
    assert.equal(await client.get({ ...cmRef("m-29"), namespace: resyncNs }), undefined);
    const record = ((await client.get(recordRef("tether-unit-resync")))?.data ?? {}) as {
      inventory?: string;
    };
    // In its place a pointer, which an earlier release would read as a damaged list.
    assert.equal(record.inventory, "moved to ConfigMap tether-inventory-resync");
    const inventory = await client.get(recordRef("tether-inventory-resync"));
    assert.equal(inventory?.metadata.labels?.["tether.dev/unit"], undefined);
    const read = await readRecord(client, recordsNs, "resync");
    assert.equal(read.inventory.length, 30);
    assert.equal(
      read.inventory.some((e) => e.name === "m-29"),
      false,
    );
  });

  test("an unreadable inventory stays as it is through a failed pass; the next full pass rebuilds it", async () => {
    const resync: UnitConfig = { ...unit, name: "resync", path: "resync" };
    const stored = async () =>
      ((await client.get(recordRef("tether-inventory-resync")))?.data as { inventory?: string })
        ?.inventory;
    await client.request({
      method: "PATCH",
      path: await client.pathOf(recordRef("tether-inventory-resync")),
      query: { fieldManager: "kubectl-patch" },
      body: { data: { inventory: "{}" } },
      contentType: "application/merge-patch+json",
    });
    writeFileSync(join(root, "resync", "broken.yaml"), "kind: [\n");
    let report = await reconcileUnit(resync, ctx("r6"));
    assert.ok(
      report.errors.some((e) => e.includes("broken.yaml")),
      report.errors.join("; "),
    );
    // Written, it would have read as a unit owning nothing: the objects forgotten.
    assert.equal(await stored(), "{}");
    rmSync(join(root, "resync", "broken.yaml"));
    report = await reconcileUnit(resync, ctx("r7"));
    assert.match(report.errors.join("; "), /not a list of objects: rebuilt from this render/);
    assert.equal((await readRecord(client, recordsNs, "resync")).inventory.length, 30);
  });

  test("a step that throws after apply (helm cannot reach the cluster) fails the unit and keeps what was applied owned", async () => {
    // The Helm step asks helm for the releases first; with a kubeconfig whose server does
    // not answer, that throws. The objects applied before it must still be recorded.
    const unreachable = join(root, "unreachable-list.kubeconfig");
    writeFileSync(
      unreachable,
      stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: "c", cluster: { server: "https://127.0.0.1:1" } }],
        users: [{ name: "u", user: { token: "t" } }],
        contexts: [{ name: "c", context: { cluster: "c", user: "u" } }],
        "current-context": "c",
      }),
    );
    const throwUnit: UnitConfig = { ...unit, name: "helm-throw", path: "helm-throw" };
    const dir = join(root, "helm-throw");
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, "objects.yaml"),
      `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: applied-before-helm, namespace: ${helmNs}}\ndata: {a: b}\n---\napiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: unreachable, namespace: ${helmNs}}
spec:
  interval: 1h
  chart: {spec: {chart: web, sourceRef: {kind: HelmRepository, name: nowhere}}}
`,
    );
    await client.apply(
      { apiVersion: "v1", kind: "Namespace", metadata: { name: helmNs } },
      { fieldManager: "test" },
    );
    const report = await reconcileUnit(
      throwUnit,
      ctx("throw1", { helm: { client, cacheDir: join(root, "cache"), kubeconfig: unreachable } }),
    );
    assert.equal(report.ok, false);
    assert.ok(report.errors.length > 0);
    const record = await readRecord(client, recordsNs, "helm-throw");
    assert.equal(record.status?.result, "Failed");
    assert.ok(
      record.inventory.some((e) => e.kind === "ConfigMap" && e.name === "applied-before-helm"),
      "an object applied on the failed pass is not owned",
    );
  });

  test("a HelmRelease whose uninstall fails is kept and stays owned; a later pass prunes it", async () => {
    // Helm is given a kubeconfig whose server does not answer on the pass that removes
    // the HelmRelease: the one way to make an uninstall fail here. Everything else goes
    // through the real API server and the real helm.
    const unreachable = join(root, "unreachable.kubeconfig");
    writeFileSync(
      unreachable,
      stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: "c", cluster: { server: "https://127.0.0.1:1" } }],
        users: [{ name: "u", user: { token: "t" } }],
        contexts: [{ name: "c", context: { cluster: "c", user: "u" } }],
        "current-context": "c",
      }),
    );
    const helmUnit: UnitConfig = { ...unit, name: "helm-apps", path: "helm-apps", deleteBudget: 1 };
    const helm = (kubeconfig: string) => ({ client, cacheDir: join(root, "cache"), kubeconfig });
    const dir = join(root, "helm-apps");
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, "ns.yaml"),
      `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${helmNs}\n`,
    );
    writeFileSync(
      join(dir, "release.yaml"),
      `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: web, namespace: ${helmNs}}
spec:
  interval: 1h
  chart: {spec: {chart: web, sourceRef: {kind: HelmRepository, name: nowhere}}}
`,
    );
    const release: ObjectRef = {
      apiVersion: "helm.toolkit.fluxcd.io/v2",
      kind: "HelmRelease",
      namespace: helmNs,
      name: "web",
    };
    await reconcileUnit(helmUnit, ctx("helm1", { helm: helm(testenv().kubeconfig) }));
    assert.ok(await client.get(release));

    rmSync(join(dir, "release.yaml"));
    const failed = await reconcileUnit(helmUnit, ctx("helm2", { helm: helm(unreachable) }));
    assert.equal(failed.ok, false);
    assert.match(failed.errors.join("\n"), /uninstall of .*\/web: Kubernetes cluster unreachable/);
    assert.ok(!failed.changes.some((c) => c.action === "pruned"));
    assert.ok(await client.get(release), "pruned though its release was not uninstalled");
    const record = await readRecord(client, recordsNs, "helm-apps");
    assert.ok(record.inventory.some((e) => e.kind === "HelmRelease" && e.name === "web"));

    const later = await reconcileUnit(helmUnit, ctx("helm3", { helm: helm(testenv().kubeconfig) }));
    assert.deepEqual(later.errors, []);
    assert.equal(
      later.changes.find((c) => c.ref.kind === "HelmRelease" && c.action === "pruned")?.ref.name,
      "web",
    );
    assert.equal(await client.get(release), undefined);
  });

  test("an object whose deletion fails stays owned, and the next pass deletes it", async () => {
    const retryUnit: UnitConfig = { ...unit, name: "retry", path: "retry", deleteBudget: 1 };
    const dir = join(root, "retry");
    const cm = (name: string) =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: ${retryNs}\n`;
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, "ns.yaml"),
      `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${retryNs}\n`,
    );
    writeFileSync(join(dir, "a.yaml"), cm("a"));
    writeFileSync(join(dir, "b.yaml"), cm("b"));
    assert.deepEqual((await reconcileUnit(retryUnit, ctx("retry1"))).errors, []);

    // The server refusing one deletion, injected in the client: a refusal from the API
    // server itself would need an admission webhook or policy per test.
    const refusing: KubeApi = {
      get: (ref) => client.get(ref),
      list: (apiVersion, kind, options) => client.list(apiVersion, kind, options),
      resourceFor: (apiVersion, kind) => client.resourceFor(apiVersion, kind),
      apply: (object, options) => client.apply(object, options),
      delete: async (ref, policy) => {
        if (ref.name === "b") throw new Error("the server refused the deletion");
        return client.delete(ref, policy);
      },
    };
    rmSync(join(dir, "a.yaml"));
    rmSync(join(dir, "b.yaml"));
    const failed = await reconcileUnit(retryUnit, ctx("retry2", { client: refusing }));
    assert.deepEqual(lines(failed.changes.filter((c) => c.ref.kind === "ConfigMap")), [
      "ConfigMap/a pruned",
      "ConfigMap/b prune-failed",
    ]);
    assert.deepEqual(failed.errors, ["1 object(s) could not be pruned"]);
    const record = await readRecord(client, recordsNs, "retry");
    assert.ok(
      record.inventory.some((e) => e.name === "b"),
      "b is no longer owned",
    );

    const next = await reconcileUnit(retryUnit, ctx("retry3"));
    assert.deepEqual(next.errors, []);
    assert.deepEqual(lines(next.changes.filter((c) => c.ref.kind === "ConfigMap")), [
      "ConfigMap/b pruned",
    ]);
    assert.equal(await client.get({ ...cmRef("b"), namespace: retryNs }), undefined);
  });
});
