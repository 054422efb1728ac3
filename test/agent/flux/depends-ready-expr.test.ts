// `dependsOn[].readyExpr` end to end (`tether sync --once` against the local Git server
// and Kubernetes): `waiter` depends on `gate` with an expression on gate's labels. While
// it is false, waiter is Ready=False DependencyNotReady and nothing of it is applied;
// once the label says so it applies, though gate itself is not Ready (the expression
// replaces the Ready check). An expression that does not compile stalls its object with
// InvalidCELExpression, and the rest of the pass goes on.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { TestRepo } from "../../helpers/git-repo.ts";
import { exists, getJson, kubectl, kubectlRun } from "../../helpers/kubectl.ts";
import { syncOnce } from "../../helpers/tether.ts";

const id = randomBytes(3).toString("hex");
const fs = `fsreadyexpr-${id}`;
const app = `readyexpr-${id}`;
const records = `tether-readyexpr-${id}`;
const cacheDir = join(tmpdir(), `tether-readyexpr-cache-${id}`);
let repo: TestRepo;

interface Condition {
  type: string;
  status: string;
  reason: string;
  message: string;
}
const conditionsOf = async (name: string): Promise<Condition[]> =>
  (await getJson(["kustomizations.kustomize.toolkit.fluxcd.io", name, "-n", fs])).status
    ?.conditions ?? [];
const conditionOf = async (name: string, type: string) =>
  (await conditionsOf(name)).find((c) => c.type === type);

const kustomization = (name: string, path: string, labels: string, extra = "") => `---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: ${name}, namespace: ${fs}, labels: {${labels}}}
spec:
  interval: 1h
  timeout: 30s
  sourceRef: {kind: GitRepository, name: flux-system}
  path: ${path}
  prune: true
${extra}`;

// gate never becomes Ready: its path does not exist.
const entry = (stage: string) => `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: flux-system, namespace: ${fs}}
spec: {interval: 1h, ref: {branch: main}, url: ${repo.plainUrl}}
${kustomization("flux-system", "./clusters/staging", "")}${kustomization(
  "gate",
  "./does/not/exist",
  `stage: ${stage}`,
)}${kustomization(
  "waiter",
  "./apps/waiter",
  "",
  "  dependsOn:\n    - name: gate\n      readyExpr: dep.metadata.labels.stage == 'ready' && self.metadata.name == 'waiter'\n",
)}${kustomization(
  "broken",
  "./apps/broken",
  "",
  "  dependsOn:\n    - name: gate\n      readyExpr: dep.metadata.labels.stage == deps.metadata.labels.stage\n",
)}`;

describe("dependsOn readyExpr", { timeout: 300_000 }, () => {
  before(async () => {
    repo = await TestRepo.create("flux-readyexpr");
    await kubectl(["create", "namespace", fs]);
    await kubectl(["create", "namespace", app]);
    repo
      .write("clusters/staging/flux-system.yaml", entry("wip"))
      .write(
        "apps/waiter/config.yaml",
        `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: waiter, namespace: ${app}}\ndata: {mode: edge}\n`,
      )
      .write(
        "apps/broken/config.yaml",
        `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: broken, namespace: ${app}}\ndata: {mode: edge}\n`,
      );
    await repo.push("waiter waits for gate's stage label");
  });
  after(async () => {
    for (const ns of [app, fs, records])
      await kubectlRun(["delete", "namespace", ns, "--wait=false"]);
    repo?.cleanup();
    rmSync(cacheDir, { recursive: true, force: true });
  });

  const sync = () =>
    syncOnce(
      { url: repo.url, path: "clusters/staging", namespace: records, cacheDir },
      { exit: 1 },
    );

  test("waits while the expression is false; a compile error stalls its object", async () => {
    const result = await sync();
    const output = result.stdout + result.stderr;
    const waiting = await conditionOf("waiter", "Ready");
    assert.equal(waiting?.status, "False", output);
    assert.equal(waiting?.reason, "DependencyNotReady", output);
    assert.equal(
      waiting?.message,
      `dependency '${fs}/gate' is not ready according to readyExpr eval`,
    );
    assert.equal(await exists("configmap", "waiter", "-n", app), false);

    const broken = await conditionOf("broken", "Ready");
    assert.equal(broken?.reason, "InvalidCELExpression", output);
    assert.match(broken?.message ?? "", /readyExpr of dependency '.*\/gate'.*deps/);
    assert.equal((await conditionOf("broken", "Stalled"))?.status, "True");
    assert.equal(await exists("configmap", "broken", "-n", app), false);
  });

  test("proceeds once the expression is true, though the dependency is not Ready", async () => {
    repo.write("clusters/staging/flux-system.yaml", entry("ready"));
    await repo.push("gate is ready by its label");
    const result = await sync();
    const output = result.stdout + result.stderr;
    assert.equal((await conditionOf("gate", "Ready"))?.status, "False", output);
    assert.equal((await conditionOf("waiter", "Ready"))?.status, "True", output);
    assert.equal(await exists("configmap", "waiter", "-n", app), true);
    assert.equal((await conditionOf("broken", "Ready"))?.reason, "InvalidCELExpression");
  });
});
