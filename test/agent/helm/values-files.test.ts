// A HelmChart template's valuesFiles, end to end through `tether sync --once` (local Git
// server, the local registry with a chart pushed by `helm push`, Kubernetes, helm), as
// source-controller builds them: merged in order into the chart's values.yaml, the
// chart's own values.yaml counting only when listed; paths in the Git source for a
// chart folder, in the chart for a package; a missing file fails the release unless
// ignoreMissingValuesFiles; a change to a values file upgrades the release with
// reconcileStrategy Revision, not under the default ChartVersion (same chart version).
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { TestRepo } from "../../helpers/git-repo.ts";
import { kubectl, kubectlRun } from "../../helpers/kubectl.ts";
import { mustRun } from "../../helpers/run.ts";
import { chartsEnv } from "../../helpers/testenv.ts";
import { kubectlEnv, syncOnce } from "../../helpers/tether.ts";

const id = randomBytes(3).toString("hex");
const ns = `helm-vf-${id}`;
const cacheDir = join(tmpdir(), `tether-helm-vf-cache-${id}`);
const packaged = `vf-demo-${id}`;
const chartSource = fileURLToPath(new URL("../../env/charts/app-demo", import.meta.url));
let repo: TestRepo;
let work: string;

const helmEnv = () => ({
  ...kubectlEnv(),
  HELM_CONFIG_HOME: join(work, "helm"),
  HELM_CACHE_HOME: join(work, "helm"),
});
async function release(name: string) {
  const list = JSON.parse(
    await mustRun("helm", ["list", "-n", ns, "-a", "-o", "json"], { env: helmEnv() }),
  ) as { name: string; revision: string; status: string }[];
  return list.find((r) => r.name === name);
}
const readyOf = async (name: string) =>
  (
    JSON.parse(
      await kubectl(["get", "helmreleases.helm.toolkit.fluxcd.io", "-n", ns, name, "-o", "json"]),
    ) as { status?: { conditions?: { type: string; status: string; message: string }[] } }
  ).status?.conditions?.find((c) => c.type === "Ready");
const configOf = async (name: string) =>
  JSON.parse(await kubectl(["get", "configmap", "-n", ns, `${name}-config`, "-o", "json"])).data;

const gitRelease = (name: string, files: string[], extra = "") => `---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: ${name}, namespace: ${ns}}
spec:
  interval: 10m
  chart:
    spec:
      chart: ./charts/app-demo
      sourceRef: {kind: GitRepository, name: self}
      valuesFiles: [${files.join(", ")}]
${extra}`;

const sync = () =>
  syncOnce(
    { url: repo.url, path: "clusters/dev", namespace: `tether-helm-vf-${id}`, cacheDir },
    { exit: undefined },
  );

describe("HelmRelease valuesFiles", { timeout: 600_000 }, () => {
  before(async () => {
    work = mkdtempSync(join(tmpdir(), "tether-helm-vf-"));
    // A chart package with a values file of its own, in the local registry.
    const chart = join(work, packaged);
    cpSync(chartSource, chart, { recursive: true });
    writeFileSync(
      join(chart, "Chart.yaml"),
      `apiVersion: v2\nname: ${packaged}\nversion: 1.0.0\nappVersion: "1.0.0"\n`,
    );
    writeFileSync(join(chart, "values-prod.yaml"), "message: from-packaged-prod\n");
    await mustRun("helm", ["package", chart, "--destination", work], { env: helmEnv() });
    await mustRun(
      "helm",
      ["push", join(work, `${packaged}-1.0.0.tgz`), chartsEnv().oci, "--plain-http"],
      { env: helmEnv() },
    );

    repo = await TestRepo.create("helm-values-files");
    cpSync(chartSource, join(repo.work, "charts/app-demo"), { recursive: true });
    repo
      .write("envs/prod/app-values.yaml", "message: from-prod-file\n")
      .write(
        "envs/prod/full-values.yaml",
        "image: registry.local/app-demo:RELEASE.2026-01-01T00-00-00Z\nreplicas: 1\n",
      )
      .write(
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
kind: HelmRepository
metadata: {name: oci-charts, namespace: ${ns}}
spec: {type: oci, insecure: true, interval: 10m, url: ${chartsEnv().oci}}
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: packaged, namespace: ${ns}}
spec:
  interval: 10m
  chart:
    spec:
      chart: ${packaged}
      version: 1.0.0
      sourceRef: {kind: HelmRepository, name: oci-charts}
      valuesFiles: [values.yaml, values-prod.yaml]
${gitRelease(
  "layered",
  ["./charts/app-demo/values.yaml", "./envs/prod/app-values.yaml"],
  "      reconcileStrategy: Revision\n",
)}${gitRelease("layered-by-version", ["./charts/app-demo/values.yaml", "./envs/prod/app-values.yaml"])}${gitRelease(
  "replaced",
  ["./envs/prod/full-values.yaml"],
)}${gitRelease("tolerant", ["./charts/app-demo/values.yaml", "./envs/none.yaml"], "      ignoreMissingValuesFiles: true\n")}${gitRelease(
  "strict",
  ["./charts/app-demo/values.yaml", "./envs/none.yaml"],
)}`,
      );
    await repo.push("HelmReleases with valuesFiles");
  });
  after(async () => {
    await kubectlRun(["delete", "namespace", ns, `tether-helm-vf-${id}`, "--wait=false"]);
    repo?.cleanup();
    rmSync(cacheDir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  test("files merge into the chart's values.yaml; a missing one fails unless ignored", async () => {
    const result = await sync();
    const output = result.stdout + result.stderr;
    assert.equal(result.code, 1, output); // the strict release fails

    // A package: paths in the chart.
    assert.equal((await configOf("packaged")).message, "from-packaged-prod", output);
    // Git: paths in the source, later files winning over the chart's values.yaml.
    assert.equal((await configOf("layered")).message, "from-prod-file", output);
    // The chart's own values.yaml counts only when listed: its `message: hello` is gone.
    assert.equal((await configOf("replaced")).message, "", output);
    assert.equal((await configOf("tolerant")).message, "hello", output);
    assert.equal((await readyOf("tolerant"))?.status, "True");

    const strict = await readyOf("strict");
    assert.equal(strict?.status, "False", output);
    assert.match(strict?.message ?? "", /no values file found at path '\.\/envs\/none\.yaml'/);
    assert.equal(await release("strict"), undefined);
  });

  test("a change to a values file upgrades the release with reconcileStrategy Revision", async () => {
    assert.equal((await release("layered"))?.revision, "1");
    repo.write("envs/prod/app-values.yaml", "message: changed-in-git\n");
    await repo.push("prod values changed");
    const result = await sync();
    assert.equal((await release("layered"))?.revision, "2", result.stdout + result.stderr);
    assert.equal((await configOf("layered")).message, "changed-in-git");
    // ChartVersion (the default): the same chart version is the same chart, as in Flux.
    assert.equal((await release("layered-by-version"))?.revision, "1");
    assert.equal((await configOf("layered-by-version")).message, "from-prod-file");
    // The others' charts and values did not change: no upgrade.
    assert.equal((await release("packaged"))?.revision, "1");
    assert.equal((await release("replaced"))?.revision, "1");
  });
});
