// HelmReleases with `chartRef: {kind: HelmChart}` and the HelmChart `reconcileStrategy`,
// end to end through `tether sync --once` (local Git server, Kubernetes, helm), as Flux
// serves them: a standalone HelmChart (GitRepository source, valuesFiles) is the chart
// of the HelmRelease that names it; for a chart folder in Git, ChartVersion (the
// default) makes a new chart only when Chart.yaml's version changes, Revision on every
// new source revision, the version suffixed `+<first 12 hex of the commit>`.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { cpSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { TestRepo } from "../../helpers/git-repo.ts";
import { kubectl, kubectlRun } from "../../helpers/kubectl.ts";
import { mustRun } from "../../helpers/run.ts";
import { kubectlEnv, tether } from "../../helpers/tether.ts";

const id = randomBytes(3).toString("hex");
const ns = `helm-hc-${id}`;
const recordsNs = `tether-helm-hc-${id}`;
const cacheDir = join(tmpdir(), `tether-helm-hc-cache-${id}`);
const chartSource = fileURLToPath(new URL("../../env/charts/app-demo", import.meta.url));
let repo: TestRepo;

const helmEnv = () => ({
  ...kubectlEnv(),
  HELM_CONFIG_HOME: join(cacheDir, "t"),
  HELM_CACHE_HOME: join(cacheDir, "t"),
});
async function release(name: string) {
  const list = JSON.parse(
    await mustRun("helm", ["list", "-n", ns, "-a", "-o", "json"], { env: helmEnv() }),
  ) as { name: string; revision: string; status: string; chart: string }[];
  return list.find((r) => r.name === name);
}
interface HelmReleaseStatus {
  lastAttemptedRevision?: string;
  history?: { chartVersion?: string }[];
  conditions?: { type: string; status: string; message: string }[];
}
const statusOf = async (name: string) =>
  (
    JSON.parse(
      await kubectl(["get", "helmreleases.helm.toolkit.fluxcd.io", "-n", ns, name, "-o", "json"]),
    ) as { status?: HelmReleaseStatus }
  ).status ?? {};
const configOf = async (name: string) =>
  JSON.parse(await kubectl(["get", "configmap", "-n", ns, `${name}-config`, "-o", "json"]))
    .data as Record<string, string>;
const exists = async (kind: string, name: string) =>
  (await kubectlRun(["get", kind, "-n", ns, name])).code === 0;

function sync() {
  return tether([
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
}

const templateRelease = (name: string, extra = "") => `---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: ${name}, namespace: ${ns}}
spec:
  interval: 10m
  chart:
    spec:
      chart: ./charts/app-demo
      sourceRef: {kind: GitRepository, name: self}
${extra}  values:
    message: ${name}
`;

const extraTemplate =
  "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-extra\ndata: {}\n";

describe("HelmRelease chartRef HelmChart and reconcileStrategy", { timeout: 600_000 }, () => {
  before(async () => {
    repo = await TestRepo.create("helm-hc");
    cpSync(chartSource, join(repo.work, "charts/app-demo"), { recursive: true });
    repo.write("envs/prod.yaml", "message: from-helmchart-values\n").write(
      "clusters/dev/releases.yaml",
      `apiVersion: v1
kind: Namespace
metadata: {name: ${ns}}
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: self, namespace: ${ns}}
spec: {interval: 1m, url: ${repo.plainUrl}, ref: {branch: main}}
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmChart
metadata: {name: app, namespace: ${ns}}
spec:
  interval: 10m
  chart: ./charts/app-demo
  sourceRef: {kind: GitRepository, name: self}
  valuesFiles: [./charts/app-demo/values.yaml, ./envs/prod.yaml]
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: by-ref, namespace: ${ns}}
spec:
  interval: 10m
  chartRef: {kind: HelmChart, name: app}
${templateRelease("by-version")}${templateRelease("by-revision", "      reconcileStrategy: Revision\n")}`,
    );
  });
  after(async () => {
    await kubectlRun(["delete", "namespace", ns, recordsNs, "--wait=false"]);
    repo?.cleanup();
    rmSync(cacheDir, { recursive: true, force: true });
  });

  test("chartRef HelmChart installs with the HelmChart's values files; Revision suffixes the version", async () => {
    const commit = await repo.push("HelmChart and strategies");
    const result = await sync();
    const output = result.stdout + result.stderr;
    assert.equal(result.code, 0, output);

    assert.equal((await release("by-ref"))?.status, "deployed", output);
    assert.equal((await configOf("by-ref")).message, "from-helmchart-values");
    assert.equal(
      (await statusOf("by-ref")).conditions?.find((c) => c.type === "Ready")?.status,
      "True",
    );

    assert.equal((await release("by-version"))?.chart, "app-demo-0.0.1");
    const suffixed = `0.0.1+${commit.slice(0, 12)}`;
    assert.equal((await release("by-revision"))?.chart, `app-demo-${suffixed}`, output);
    assert.equal((await configOf("by-revision")).chartVersion, suffixed);
    const status = await statusOf("by-revision");
    assert.equal(status.lastAttemptedRevision, suffixed);
    assert.equal(status.history?.[0]?.chartVersion, suffixed);
  });

  test("a template change without a version bump upgrades only the Revision release", async () => {
    repo.write("charts/app-demo/templates/extra.yaml", extraTemplate);
    const commit = await repo.push("template changed, same version");
    const result = await sync();
    const output = result.stdout + result.stderr;
    assert.equal(result.code, 0, output);

    // ChartVersion: the same version is the same chart, as source-controller keeps it.
    assert.equal((await release("by-version"))?.revision, "1", output);
    assert.equal((await release("by-ref"))?.revision, "1", output);
    assert.equal(await exists("configmap", "by-version-extra"), false);

    const revision = await release("by-revision");
    assert.equal(revision?.revision, "2", output);
    assert.equal(revision?.chart, `app-demo-0.0.1+${commit.slice(0, 12)}`);
    assert.equal(await exists("configmap", "by-revision-extra"), true);
  });

  test("a version bump upgrades the ChartVersion releases", async () => {
    const chartYaml = join(repo.work, "charts/app-demo/Chart.yaml");
    repo.write(
      "charts/app-demo/Chart.yaml",
      readFileSync(chartYaml, "utf8").replace(/^version: .*$/m, "version: 0.0.2"),
    );
    const commit = await repo.push("version bump");
    const result = await sync();
    const output = result.stdout + result.stderr;
    assert.equal(result.code, 0, output);

    const version = await release("by-version");
    assert.equal(version?.revision, "2", output);
    assert.equal(version?.chart, "app-demo-0.0.2");
    assert.equal(await exists("configmap", "by-version-extra"), true);
    assert.equal((await release("by-ref"))?.revision, "2", output);
    assert.equal((await configOf("by-ref")).message, "from-helmchart-values");
    assert.equal((await release("by-revision"))?.chart, `app-demo-0.0.2+${commit.slice(0, 12)}`);
  });
});
