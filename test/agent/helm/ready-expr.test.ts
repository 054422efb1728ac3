// HelmRelease `dependsOn[].readyExpr` end to end (`tether sync --once`, the local chart
// server, Kubernetes, helm), as helm-controller serves it: `frontend` depends on a
// suspended `backend` (never Ready) with an expression on backend's labels. While it is
// false, frontend is DependencyNotReady and not installed; once true, frontend installs
// (the expression replaces the Ready check). One that does not compile stalls its
// HelmRelease with InvalidCELExpression.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { chartsAuthSecret } from "../../helpers/charts.ts";
import { TestRepo } from "../../helpers/git-repo.ts";
import { exists, kubectl, kubectlRun } from "../../helpers/kubectl.ts";
import { chartsEnv } from "../../helpers/testenv.ts";
import { syncOnce } from "../../helpers/tether.ts";

const id = randomBytes(3).toString("hex");
const ns = `helm-readyexpr-${id}`;
const records = `tether-helm-readyexpr-${id}`;
const cacheDir = join(tmpdir(), `tether-helm-readyexpr-cache-${id}`);
let repo: TestRepo;

interface Condition {
  type: string;
  status: string;
  reason: string;
  message: string;
}
const condition = async (name: string, type: string): Promise<Condition | undefined> =>
  (
    JSON.parse(
      await kubectl(["get", "helmreleases.helm.toolkit.fluxcd.io", "-n", ns, name, "-o", "json"]),
    ) as { status?: { conditions?: Condition[] } }
  ).status?.conditions?.find((c) => c.type === type);

const release = (name: string, labels: string, spec: string) => `---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: ${name}, namespace: ${ns}, labels: {${labels}}}
spec:
  interval: 10m
  chart:
    spec:
      chart: app-demo
      version: "0.0.1"
      sourceRef: {kind: HelmRepository, name: charts}
${spec}`;

const releases = (stage: string) =>
  `${release("backend", `stage: ${stage}`, "  suspend: true\n")}${release(
    "frontend",
    "",
    "  dependsOn:\n    - name: backend\n      readyExpr: dep.metadata.labels.stage == 'ready'\n  values: {message: frontend}\n",
  )}${release(
    "broken",
    "",
    '  dependsOn:\n    - name: backend\n      readyExpr: "dep.metadata.labels.stage =="\n  values: {message: broken}\n',
  )}`;

describe("HelmRelease dependsOn readyExpr", { timeout: 300_000 }, () => {
  before(async () => {
    const charts = chartsEnv();
    repo = await TestRepo.create("helm-readyexpr");
    await kubectl(["create", "namespace", ns]);
    await chartsAuthSecret(ns);
    repo
      .write(
        "clusters/dev/repository.yaml",
        `apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata: {name: charts, namespace: ${ns}}\nspec:\n  interval: 10m\n  url: ${charts.url}\n  secretRef: {name: charts-auth}\n`,
      )
      .write("clusters/dev/releases.yaml", releases("wip"));
    await repo.push("frontend waits for backend's stage label");
  });
  after(async () => {
    await kubectlRun(["delete", "namespace", ns, records, "--wait=false"]);
    repo?.cleanup();
    rmSync(cacheDir, { recursive: true, force: true });
  });

  const sync = () =>
    syncOnce({ url: repo.url, path: "clusters/dev", namespace: records, cacheDir }, { exit: 1 });

  test("waits while false; a compile error stalls its HelmRelease", async () => {
    const result = await sync();
    const output = result.stdout + result.stderr;
    const ready = await condition("frontend", "Ready");
    assert.equal(ready?.reason, "DependencyNotReady", output);
    assert.equal(
      ready?.message,
      `dependency 'HelmRelease/${ns}/backend' is not ready according to readyExpr eval`,
    );
    assert.equal(await exists("configmap", "frontend-config", "-n", ns), false);
    assert.equal((await condition("broken", "Ready"))?.reason, "InvalidCELExpression", output);
    assert.equal((await condition("broken", "Stalled"))?.status, "True");
  });

  test("installs once true, though the dependency is not Ready", async () => {
    repo.write("clusters/dev/releases.yaml", releases("ready"));
    await repo.push("backend is ready by its label");
    const result = await sync();
    const output = result.stdout + result.stderr;
    assert.equal((await condition("frontend", "Ready"))?.status, "True", output);
    assert.equal(
      await kubectl([
        "get",
        "configmap",
        "-n",
        ns,
        "frontend-config",
        "-o",
        "jsonpath={.data.message}",
      ]),
      "frontend",
    );
  });
});
