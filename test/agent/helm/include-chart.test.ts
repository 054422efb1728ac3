// A HelmRelease's chart folder in a GitRepository is read from that repository's
// artifact, as Flux's HelmChart reads it: includes in (spec.include), and only the
// folders of its sparseCheckout. End to end with `tether sync --once` against the local
// Git server, Kubernetes and helm: repository A includes B's charts/ at shared/charts/,
// and HelmReleases (one in A's Kustomization, one in the agent's own unit) install
// ./shared/charts/app from GitRepository A; suspended, A keeps serving the chart it had.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { cpSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { TestRepo } from "../../helpers/git-repo.ts";
import { getJson, kubectl, kubectlRun } from "../../helpers/kubectl.ts";
import { mustRun } from "../../helpers/run.ts";
import { testenv } from "../../helpers/testenv.ts";
import { kubectlEnv, syncOnce } from "../../helpers/tether.ts";

const id = randomBytes(3).toString("hex");
const fs = `hinc-${id}`;
const recordsNs = `tether-hinc-${id}`;
const cacheDir = join(tmpdir(), `tether-hinc-cache-${id}`);
const chartSource = fileURLToPath(new URL("../../env/charts/app-demo", import.meta.url));
let repo: TestRepo;
let repoA: TestRepo;
let repoB: TestRepo;

const sync = (exit?: number) =>
  syncOnce({ url: repo.url, path: "clusters/staging", namespace: recordsNs, cacheDir }, { exit });

async function release(name: string) {
  const list = JSON.parse(
    await mustRun("helm", ["list", "-A", "-a", "-o", "json"], {
      env: {
        ...kubectlEnv(),
        HELM_CONFIG_HOME: join(cacheDir, "t"),
        HELM_CACHE_HOME: join(cacheDir, "t"),
      },
    }),
  ) as { name: string; namespace: string; revision: string; status: string; chart: string }[];
  return list.find((r) => r.name === name && r.namespace === fs);
}

const readyOf = async (name: string) =>
  (
    (await getJson(["helmreleases.helm.toolkit.fluxcd.io", name, "-n", fs])) as {
      status?: { conditions?: { type: string; status: string; message: string }[] };
    }
  ).status?.conditions?.find((c) => c.type === "Ready");

const messageOf = (name: string) =>
  kubectl(["get", "configmap", "-n", fs, `${name}-config`, "-o", "jsonpath={.data.message}"]);

const helmRelease = (name: string, source: string, chart: string) => `---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: ${name}, namespace: ${fs}}
spec:
  interval: 10m
  chart:
    spec:
      chart: ${chart}
      sourceRef: {kind: GitRepository, name: ${source}}
  values:
    message: ${name}
`;

const gitRepository = (name: string, url: string, extra = "") => `---
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: ${name}, namespace: ${fs}}
spec:
  interval: 5m
  url: ${url}
  ref: {branch: main}
  secretRef: {name: git-auth}
${extra}`;

before(async () => {
  const env = testenv();
  await kubectl(["create", "namespace", fs]);
  await kubectl([
    "create",
    "secret",
    "generic",
    "git-auth",
    "-n",
    fs,
    `--from-literal=username=${env.gitUser}`,
    `--from-literal=password=${env.gitPassword}`,
  ]);
  repoB = await TestRepo.create("hinc-b");
  cpSync(chartSource, join(repoB.work, "charts/app"), { recursive: true });
  await repoB.write("other/README.md", "not a chart\n").push("b: a chart");
  repoA = await TestRepo.create("hinc-a");
  await repoA
    .write("deploy/release.yaml", helmRelease("from-ks", "a", "./shared/charts/app"))
    .push("a: a release of B's chart");
  repo = await TestRepo.create("hinc-agent");
  repo.write(
    "clusters/staging/sources.yaml",
    `${gitRepository(
      "a",
      repoA.plainUrl,
      "  include:\n    - repository: {name: b}\n      fromPath: charts\n      toPath: shared/charts\n",
    )}${gitRepository("b", repoB.plainUrl)}---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: apps, namespace: ${fs}}
spec:
  interval: 1h
  prune: true
  path: ./deploy
  sourceRef: {kind: GitRepository, name: a}
${helmRelease("from-unit", "a", "./shared/charts/app")}`,
  );
  await repo.push("A includes B's charts");
});

after(async () => {
  await kubectlRun(["delete", "namespace", fs, recordsNs, "--wait=false"]);
  for (const r of [repo, repoA, repoB]) r?.cleanup();
  rmSync(cacheDir, { recursive: true, force: true });
});

describe("a chart folder of a GitRepository with includes", { timeout: 600_000 }, () => {
  test("a chart only B has, at A's toPath: installed from A's Kustomization and from the agent's unit", async () => {
    await sync(0);
    for (const name of ["from-ks", "from-unit"]) {
      assert.equal((await release(name))?.status, "deployed", name);
      assert.equal((await release(name))?.chart, "app-demo-0.0.1", name);
      assert.equal(await messageOf(name), name);
      assert.equal((await readyOf(name))?.status, "True", name);
    }
    // A's artifact, includes in, as its status names it.
    const a = (await getJson(["gitrepositories.source.toolkit.fluxcd.io", "a", "-n", fs])) as {
      status?: { includedArtifacts?: unknown[] };
    };
    assert.equal(a.status?.includedArtifacts?.length, 1, JSON.stringify(a.status));
    // Nothing changed: no new chart, no upgrade.
    await sync(0);
    for (const name of ["from-ks", "from-unit"])
      assert.equal((await release(name))?.revision, "1", name);
  });

  test("a chart outside a GitRepository's sparseCheckout is not found, as a Kustomization's path is not", async () => {
    repo.write(
      "clusters/staging/sparse.yaml",
      `${gitRepository("sparse-b", repoB.plainUrl, "  sparseCheckout: [other]\n")}${helmRelease(
        "outside-sparse",
        "sparse-b",
        "./charts/app",
      )}`,
    );
    await repo.push("a chart outside the sparse checkout");
    await sync(1);
    assert.equal(await release("outside-sparse"), undefined);
    const ready = await readyOf("outside-sparse");
    assert.equal(ready?.status, "False");
    assert.match(ready?.message ?? "", /charts\/app/);
    // The others are unchanged.
    assert.equal((await release("from-ks"))?.status, "deployed");
  });
});

describe("a suspended GitRepository with includes", { timeout: 600_000 }, () => {
  test("a push to B changes no chart A serves; resumed, the new chart is installed", async () => {
    repo.remove("clusters/staging/sparse.yaml");
    await repo.push("no sparse chart");
    await sync(0);
    const suspend = (on: boolean) =>
      kubectl([
        "patch",
        "gitrepositories.source.toolkit.fluxcd.io",
        "a",
        "-n",
        fs,
        "--type",
        "merge",
        "-p",
        JSON.stringify({ spec: { suspend: on } }),
      ]);
    await suspend(true);
    await repoB
      .write(
        "charts/app/Chart.yaml",
        'apiVersion: v2\nname: app-demo\nversion: 0.0.2\nappVersion: "1.0.0"\n',
      )
      .push("b: chart 0.0.2");
    await sync(0);
    for (const name of ["from-ks", "from-unit"])
      assert.equal((await release(name))?.chart, "app-demo-0.0.1", name);
    await suspend(false);
    await sync(0);
    for (const name of ["from-ks", "from-unit"])
      assert.equal((await release(name))?.chart, "app-demo-0.0.2", name);
  });
});
