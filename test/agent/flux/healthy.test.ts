// The `Healthy` condition of Flux Kustomizations, end to end (`tether sync --once`
// against the local Git server and Kubernetes), as kustomize-controller writes it:
// True ("Succeeded", "Health check passed in …") when `wait` or `healthChecks` passed;
// False ("HealthCheckFailed") with Ready when they did not; absent when there is
// nothing to check, also when `wait` is taken away.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { TestRepo } from "../../helpers/git-repo.ts";
import { getJson, kubectl, kubectlRun } from "../../helpers/kubectl.ts";
import { syncOnce } from "../../helpers/tether.ts";

const id = randomBytes(3).toString("hex");
const fs = `fshealthy-${id}`;
const app = `healthy-${id}`;
const cacheDir = join(tmpdir(), `tether-healthy-cache-${id}`);
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
const healthyOf = async (name: string) =>
  (await conditionsOf(name)).find((c) => c.type === "Healthy");

const kustomization = (name: string, path: string, extra = "") => `---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: ${name}, namespace: ${fs}}
spec:
  interval: 1h
  timeout: 3s
  sourceRef: {kind: GitRepository, name: flux-system}
  path: ${path}
  prune: true
${extra}`;

const entry = (plainExtra: string) => `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: flux-system, namespace: ${fs}}
spec: {interval: 1h, ref: {branch: main}, url: ${repo.plainUrl}}
${kustomization("flux-system", "./clusters/staging")}${kustomization(
  "waited",
  "./apps/settings",
  "  wait: true\n",
)}${kustomization(
  "claims",
  "./apps/claims",
  `  healthChecks:\n    - {apiVersion: v1, kind: PersistentVolumeClaim, name: data, namespace: ${app}}\n`,
)}${kustomization("plain", "./apps/plain", plainExtra)}`;

describe("the Healthy condition of Kustomizations", { timeout: 300_000 }, () => {
  before(async () => {
    repo = await TestRepo.create("flux-healthy");
    await kubectl(["create", "namespace", fs]);
    await kubectl(["create", "namespace", app]);
    repo
      .write("clusters/staging/flux-system.yaml", entry("  wait: true\n"))
      .write(
        "apps/settings/config.yaml",
        `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: ${app}}\ndata: {mode: edge}\n`,
      )
      // A claim no provisioner serves: it stays Pending, so its health check fails.
      .write(
        "apps/claims/claim.yaml",
        `apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data, namespace: ${app}}\nspec:\n  storageClassName: none-${id}\n  accessModes: [ReadWriteOnce]\n  resources: {requests: {storage: 1Mi}}\n`,
      )
      .write(
        "apps/plain/config.yaml",
        `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: plain, namespace: ${app}}\ndata: {mode: edge}\n`,
      );
    await repo.push("Kustomizations with and without health checks");
  });
  after(async () => {
    for (const ns of [app, fs, `tether-healthy-${id}`])
      await kubectlRun(["delete", "namespace", ns, "--wait=false"]);
    repo?.cleanup();
    rmSync(cacheDir, { recursive: true, force: true });
  });

  const sync = () =>
    syncOnce(
      { url: repo.url, path: "clusters/staging", namespace: `tether-healthy-${id}`, cacheDir },
      { exit: 1 }, // the claim's health check fails
    );

  test("True when the checks pass, False with Ready when they fail", async () => {
    const result = await sync();
    const output = result.stdout + result.stderr;
    const waited = await healthyOf("waited");
    assert.equal(waited?.status, "True", output);
    assert.equal(waited?.reason, "Succeeded");
    assert.match(waited?.message ?? "", /^Health check passed in \d/);

    const claims = await conditionsOf("claims");
    const ready = claims.find((c) => c.type === "Ready");
    const healthy = claims.find((c) => c.type === "Healthy");
    assert.equal(ready?.reason, "HealthCheckFailed", output);
    assert.equal(healthy?.status, "False");
    assert.equal(healthy?.reason, "HealthCheckFailed");
    assert.equal(healthy?.message, ready?.message);

    assert.equal((await healthyOf("plain"))?.status, "True");
    assert.equal(await healthyOf("flux-system"), undefined);
  });

  test("taken away with wait", async () => {
    repo.write("clusters/staging/flux-system.yaml", entry(""));
    await repo.push("plain no longer waits");
    const result = await sync();
    assert.equal(await healthyOf("plain"), undefined, result.stdout + result.stderr);
    assert.equal((await healthyOf("waited"))?.status, "True");
  });
});
