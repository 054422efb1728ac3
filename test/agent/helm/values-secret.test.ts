// A HelmRelease whose valuesFrom Secret holds a key that is not YAML, end to end:
// `tether sync --once` against the local Kubernetes and chart server. The release is
// not installed; its Ready condition says which key of which Secret, and where, and
// neither the condition nor the agent's output holds the Secret's content.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { chartsAuthSecret } from "../../helpers/charts.ts";
import { TestRepo } from "../../helpers/git-repo.ts";
import { kubectl, kubectlRun } from "../../helpers/kubectl.ts";
import { chartsEnv } from "../../helpers/testenv.ts";
import { tether } from "../../helpers/tether.ts";

const id = randomBytes(3).toString("hex");
const ns = `helmval-${id}`;
const recordsNs = `tether-helmval-${id}`;
const cacheDir = join(tmpdir(), `tether-helmval-cache-${id}`);
const SECRET = "Sup3rS3cret";
let repo: TestRepo;

interface Condition {
  type: string;
  status: string;
  reason: string;
  message: string;
}
async function helmRelease(name: string): Promise<{ status?: { conditions?: Condition[] } }> {
  return JSON.parse(
    await kubectl(["get", "helmreleases.helm.toolkit.fluxcd.io", "-n", ns, name, "-o", "json"]),
  );
}

describe("a valuesFrom Secret key that is not YAML", { timeout: 300_000 }, () => {
  before(async () => {
    const charts = chartsEnv();
    repo = await TestRepo.create("helm-values-secret");
    await kubectl(["create", "namespace", ns]);
    await chartsAuthSecret(ns);
    await kubectl([
      "create",
      "secret",
      "generic",
      "db",
      "-n",
      ns,
      `--from-literal=values.yaml=replicas: 1\nauth:\n  password: @${SECRET}!\n`,
    ]);
    repo
      .write(
        "clusters/dev/repository.yaml",
        `apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata: {name: charts, namespace: ${ns}}
spec:
  interval: 10m
  url: ${charts.url}
  secretRef: {name: charts-auth}
`,
      )
      .write(
        "clusters/dev/app.yaml",
        `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: app, namespace: ${ns}}
spec:
  interval: 10m
  chart:
    spec:
      chart: app-demo
      version: "0.1.x"
      sourceRef: {kind: HelmRepository, name: charts}
  valuesFrom:
    - kind: Secret
      name: db
`,
      );
    await repo.push("a release with values from a Secret");
  });
  after(async () => {
    await kubectlRun(["delete", "namespace", ns, recordsNs, "--wait=false"]);
    repo?.cleanup();
    rmSync(cacheDir, { recursive: true, force: true });
  });

  test("Ready=False InitFailed names the key, the Secret and the place, not the content", async () => {
    const result = await tether([
      "sync",
      "--once",
      "--git-url",
      repo.url,
      "--git-branch",
      "main",
      "--git-path",
      "clusters/dev",
      "--namespace",
      recordsNs,
      "--cache-dir",
      cacheDir,
    ]);
    assert.equal(result.code, 1, result.stdout + result.stderr);
    const live = await helmRelease("app");
    const ready = live.status?.conditions?.find((c) => c.type === "Ready");
    assert.equal(ready?.status, "False", JSON.stringify(live.status));
    assert.equal(ready?.reason, "InitFailed");
    assert.match(
      ready?.message ?? "",
      new RegExp(`key 'values\\.yaml' in Secret '${ns}/db' is not YAML: .*at line 3, column 13`),
    );
    assert.doesNotMatch(JSON.stringify(live), new RegExp(SECRET));
    assert.doesNotMatch(result.stdout + result.stderr, new RegExp(SECRET));
  });
});
