// HelmReleases whose charts come from the local registry (HelmRepository type oci,
// pushed there by `helm push`) and from Git (a GitRepository path in the agent's own
// repository, another repository over SSH, and Flux v1's chart.git form), end to end through `tether sync --once`.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { cpSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { TestRepo } from "../../helpers/git-repo.ts";
import { kubectl, kubectlRun } from "../../helpers/kubectl.ts";
import { mustRun } from "../../helpers/run.ts";
import { chartsEnv, testenv } from "../../helpers/testenv.ts";
import { kubectlEnv, tether } from "../../helpers/tether.ts";

const id = randomBytes(3).toString("hex");
const ns = `helm-src-${id}`;
const recordsNs = `tether-helm-src-${id}`;
const cacheDir = join(tmpdir(), `tether-helm-src-cache-${id}`);
const chartSource = fileURLToPath(new URL("../../env/charts/app-demo", import.meta.url));
let repo: TestRepo;

const helmEnv = () => ({
  ...kubectlEnv(),
  HELM_CONFIG_HOME: join(cacheDir, "t"),
  HELM_CACHE_HOME: join(cacheDir, "t"),
});
async function release(name: string, namespace = ns) {
  const list = JSON.parse(
    await mustRun("helm", ["list", "-A", "-a", "-o", "json"], { env: helmEnv() }),
  ) as {
    name: string;
    namespace: string;
    revision: string;
    status: string;
    chart: string;
  }[];
  return list.find((r) => r.name === name && r.namespace === namespace);
}
const ready = async (name: string) =>
  (
    JSON.parse(
      await kubectl(["get", "helmreleases.helm.toolkit.fluxcd.io", "-n", ns, name, "-o", "json"]),
    ) as {
      status?: { conditions?: { type: string; status: string; message: string }[] };
    }
  ).status?.conditions?.find((c) => c.type === "Ready");

/** The `message` a release's chart wrote into its `<release>-config` ConfigMap. */
const messageOf = (release: string) =>
  kubectl(["get", "configmap", "-n", ns, `${release}-config`, "-o", "jsonpath={.data.message}"]);

function sync(extra: string[] = []) {
  return tether([
    "sync",
    "--once",
    "--git-url",
    repo.url,
    "--git-branch",
    "main",
    "--git-path",
    "clusters/dev",
    "--prune",
    "--namespace",
    recordsNs,
    "--cache-dir",
    cacheDir,
    ...extra,
  ]);
}

const ociRelease = (message: string) => `apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata:
  name: oci-charts
  namespace: ${ns}
spec:
  type: oci
  insecure: true
  interval: 10m
  url: ${chartsEnv().oci}
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: from-oci
  namespace: ${ns}
spec:
  interval: 10m
  chart:
    spec:
      chart: app-demo
      version: "~0.1.0"
      sourceRef:
        kind: HelmRepository
        name: oci-charts
  values:
    message: ${message}
`;

describe("HelmRelease charts from OCI and Git", { timeout: 600_000 }, () => {
  before(async () => {
    repo = await TestRepo.create("helm-src");
    repo.write(
      "clusters/dev/namespace.yaml",
      `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n`,
    );
  });
  after(async () => {
    await kubectlRun(["delete", "namespace", ns, recordsNs, "--wait=false"]);
    repo?.cleanup();
  });

  test("type: oci installs the version the range picks, a value change makes revision 2, removal uninstalls", async () => {
    repo.write("clusters/dev/oci.yaml", ociRelease("one"));
    await repo.push("oci release");
    const first = await sync();
    assert.equal(first.code, 0, first.stderr + first.stdout);
    const installed = await release("from-oci");
    assert.equal(installed?.status, "deployed");
    assert.equal(installed?.chart, "app-demo-0.1.1");
    assert.equal((await ready("from-oci"))?.status, "True");

    repo.write("clusters/dev/oci.yaml", ociRelease("two"));
    await repo.push("oci value");
    const second = await sync();
    assert.equal(second.code, 0, second.stderr + second.stdout);
    assert.equal((await release("from-oci"))?.revision, "2");
    assert.equal(await messageOf("from-oci"), "two");

    repo.remove("clusters/dev/oci.yaml");
    await repo.push("no more oci release");
    // Two of three objects go: past the default delete budget, so the removal is confirmed.
    const third = await sync(["--confirm-prune"]);
    assert.equal(third.code, 0, third.stderr + third.stdout);
    assert.equal(await release("from-oci"), undefined);
  });

  test("a chart folder in the agent's own repository: GitRepository path, and Flux v1 chart.git", async () => {
    cpSync(chartSource, join(repo.work, "charts/app-demo"), { recursive: true });
    repo.write(
      "clusters/dev/git.yaml",
      `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: self
  namespace: ${ns}
spec:
  interval: 1m
  url: ${repo.plainUrl}
  ref:
    branch: main
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: from-git
  namespace: ${ns}
spec:
  interval: 10m
  chart:
    spec:
      chart: ./charts/app-demo
      sourceRef:
        kind: GitRepository
        name: self
  values:
    message: from-git
---
apiVersion: helm.fluxcd.io/v1
kind: HelmRelease
metadata:
  name: legacy
  namespace: ${ns}
spec:
  releaseName: legacy
  chart:
    git: ${repo.plainUrl}
    path: charts/app-demo
    ref: main
  values:
    message: from-flux-v1
`,
    );
    await repo.push("charts from git");
    const result = await sync();
    assert.equal(result.code, 0, result.stderr + result.stdout);
    assert.equal((await release("from-git"))?.status, "deployed");
    assert.equal((await release("from-git"))?.chart, "app-demo-0.0.1");
    assert.equal(await messageOf("from-git"), "from-git");
    assert.equal((await release("legacy"))?.status, "deployed");
    assert.equal(await messageOf("legacy"), "from-flux-v1");
    // A change to the chart's files in Git under the same version is no new chart for
    // Flux's default reconcileStrategy (ChartVersion); Flux v1's chart.git upgrades.
    repo.write(
      "charts/app-demo/templates/extra.yaml",
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-extra\ndata: {}\n",
    );
    await repo.push("chart changed");
    const again = await sync();
    assert.equal(again.code, 0, again.stderr + again.stdout);
    assert.equal((await release("from-git"))?.revision, "1");
    assert.equal((await kubectlRun(["get", "configmap", "-n", ns, "from-git-extra"])).code, 1);
    assert.equal((await release("legacy"))?.revision, "2");
    assert.equal((await kubectlRun(["get", "configmap", "-n", ns, "legacy-extra"])).code, 0);
  });

  test("a chart in another repository over SSH: identity and known_hosts from the GitRepository's secretRef", async () => {
    const env = testenv();
    const charts = await TestRepo.create("helm-src-ssh");
    try {
      cpSync(chartSource, join(charts.work, "app-demo"), { recursive: true });
      await charts.push("a chart");
      await kubectl([
        "create",
        "secret",
        "generic",
        "charts-ssh",
        "-n",
        ns,
        `--from-file=identity=${env.gitSshKey}`,
        `--from-file=known_hosts=${env.gitSshKnownHosts}`,
      ]);
      repo.write(
        "clusters/dev/ssh.yaml",
        `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: charts-ssh
  namespace: ${ns}
spec:
  interval: 1m
  url: ${env.gitSshUrl}/${charts.name}.git
  ref: {branch: main}
  secretRef: {name: charts-ssh}
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: from-ssh
  namespace: ${ns}
spec:
  interval: 10m
  chart:
    spec:
      chart: ./app-demo
      sourceRef: {kind: GitRepository, name: charts-ssh}
  values:
    message: from-ssh
`,
      );
      await repo.push("a chart over SSH");
      const result = await sync();
      assert.equal(result.code, 0, result.stderr + result.stdout);
      assert.equal((await release("from-ssh"))?.status, "deployed");
      assert.equal(await messageOf("from-ssh"), "from-ssh");
    } finally {
      charts.cleanup();
    }
  });
});
