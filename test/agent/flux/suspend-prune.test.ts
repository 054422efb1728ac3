// What a Kustomization leaves behind, as kustomize-controller decides it: a suspended
// Kustomization that is deleted deletes none of its objects (and so counts for nothing
// in the delete budget), one resumed and applied again does; and the inventory holds
// only what the last pass applied, so objects removed from Git while `prune: false`
// are not deleted when `prune: true` is turned on later. Synced with `tether sync
// --once` against the local Git server and Kubernetes. Steps run in order.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { TestRepo } from "../../helpers/git-repo.ts";
import { exists, getJson, kubectl, kubectlRun } from "../../helpers/kubectl.ts";
import { syncOnce } from "../../helpers/tether.ts";

const id = randomBytes(3).toString("hex");
const fs = `fssp-${id}`;
const app = `sp-${id}`;
const recordsNs = `tether-sp-${id}`;
const cacheDir = join(tmpdir(), `tether-sp-cache-${id}`);
let repo: TestRepo;

const sync = (exit = 0) =>
  syncOnce({ url: repo.url, path: "clusters/staging", namespace: recordsNs, cacheDir }, { exit });

const KS = "kustomizations.kustomize.toolkit.fluxcd.io";

const ks = (name: string, extra = "") => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: ${name}, namespace: ${fs}}
spec:
  interval: 1h
  path: ./${name}
  sourceRef: {kind: GitRepository, name: flux-system}
${extra}`;

const configMaps = (names: string[]) =>
  names
    .map((n) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${n}, namespace: ${app}}\n`)
    .join("---\n");

// Twelve objects: without the suspension they would be past the delete budget.
const pausedNames = Array.from({ length: 12 }, (_, i) => `paused-${i}`);
const fillers = Array.from({ length: 6 }, (_, i) => `filler-${i}`);

before(async () => {
  repo = await TestRepo.create("flux-sp");
  repo
    .write(
      "clusters/staging/flux-system/gotk-sync.yaml",
      `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: flux-system, namespace: ${fs}}
spec: {interval: 1m, ref: {branch: main}, url: ${repo.plainUrl}}
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: flux-system, namespace: ${fs}}
spec:
  interval: 10m
  path: ./clusters/staging
  prune: true
  sourceRef: {kind: GitRepository, name: flux-system}
`,
    )
    .write(
      "clusters/staging/namespace.yaml",
      `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${app}}\n`,
    )
    // Objects of the unit itself, so the steps below stay within its delete budget.
    .write("clusters/staging/fillers.yaml", configMaps(fillers))
    .write("clusters/staging/paused.yaml", ks("paused", "  prune: true\n"))
    .write("clusters/staging/resumed.yaml", ks("resumed", "  prune: true\n"))
    .write("clusters/staging/noprune.yaml", ks("noprune", "  prune: false\n"))
    .write("paused/config.yaml", configMaps(pausedNames))
    .write("resumed/config.yaml", configMaps(["resumed-0"]))
    .write("noprune/config.yaml", configMaps(["np-a", "np-b"]));
});

after(async () => {
  for (const ns of [app, fs, recordsNs]) {
    await kubectlRun(["delete", "namespace", ns, "--wait=false"]);
  }
  repo?.cleanup();
});

const inventoryIds = async (name: string): Promise<string[]> =>
  (
    ((await getJson([KS, name, "-n", fs])).status?.inventory?.entries ?? []) as { id: string }[]
  ).map((e) => e.id);

describe("suspend and prune", () => {
  test("everything applied", async () => {
    await repo.push("three Kustomizations");
    await sync();
    for (const name of [...pausedNames, "resumed-0", "np-a", "np-b"])
      assert.equal(await exists("configmap", name, "-n", app), true, name);
  });

  test("prune: false: an object removed from Git stays in the cluster but leaves the inventory", async () => {
    repo.write("clusters/staging/paused.yaml", ks("paused", "  prune: true\n  suspend: true\n"));
    repo.write("clusters/staging/resumed.yaml", ks("resumed", "  prune: true\n  suspend: true\n"));
    repo.write("noprune/config.yaml", configMaps(["np-a"]));
    await repo.push("two suspended; np-b removed");
    await sync();
    assert.equal(await exists("configmap", "np-b", "-n", app), true);
    const ids = await inventoryIds("noprune");
    assert.deepEqual(ids, [`${app}_np-a__ConfigMap`]);
  });

  test("prune: true turned on later does not delete what left Git while prune was off", async () => {
    repo.write("clusters/staging/resumed.yaml", ks("resumed", "  prune: true\n"));
    repo.write("clusters/staging/noprune.yaml", ks("noprune", "  prune: true\n"));
    await repo.push("resumed; prune turned on");
    await sync();
    assert.equal(await exists("configmap", "np-b", "-n", app), true);
    assert.equal(await exists("configmap", "np-a", "-n", app), true);
  });

  test("a suspended Kustomization removed from Git leaves its objects, within the budget; a resumed one deletes them", async () => {
    repo.remove("clusters/staging/paused.yaml");
    repo.remove("clusters/staging/resumed.yaml");
    await repo.push("two Kustomizations removed");
    const result = await sync();
    const out = result.stdout + result.stderr;
    assert.match(
      out,
      /kustomization \S+\/paused deleted: its objects are left in place \(suspended\)/,
    );
    assert.match(out, /kustomization \S+\/resumed deleted: 1 object/);
    for (const name of ["paused", "resumed"])
      assert.equal(await exists(KS, name, "-n", fs), false, name);
    for (const name of pausedNames)
      assert.equal(await exists("configmap", name, "-n", app), true, name);
    assert.equal(await exists("configmap", "resumed-0", "-n", app), false);
  });

  test("suspended by hand (flux suspend) and removed from Git before any pass saw it: its objects stay", async () => {
    repo.write("clusters/staging/byhand.yaml", ks("byhand", "  prune: true\n"));
    repo.write("byhand/config.yaml", configMaps(["byhand-0"]));
    await repo.push("a Kustomization");
    await sync();
    assert.equal(await exists("configmap", "byhand-0", "-n", app), true);
    // What `flux suspend kustomization byhand` does, then the file leaves Git: the unit
    // prunes the Kustomization in the same pass, before the Flux walk would see it.
    await kubectl([
      "patch",
      KS,
      "byhand",
      "-n",
      fs,
      "--type=merge",
      "-p",
      '{"spec":{"suspend":true}}',
    ]);
    repo.remove("clusters/staging/byhand.yaml");
    await repo.push("byhand removed");
    const result = await sync();
    assert.match(
      result.stdout + result.stderr,
      /kustomization \S+\/byhand deleted: its objects are left in place \(suspended\)/,
    );
    assert.equal(await exists(KS, "byhand", "-n", fs), false);
    assert.equal(await exists("configmap", "byhand-0", "-n", app), true);
  });
});
