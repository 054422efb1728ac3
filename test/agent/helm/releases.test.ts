// HelmReleases end to end: `tether sync --once` on a repository holding a HelmRepository
// (the local chart server, basic auth from a Secret) and HelmReleases, against the
// local Kubernetes; results read back with `helm` and `kubectl`, as a user would.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { chartsAuthSecret } from "../../helpers/charts.ts";
import { TestRepo } from "../../helpers/git-repo.ts";
import { kubectl, kubectlRun } from "../../helpers/kubectl.ts";
import { mustRun } from "../../helpers/run.ts";
import { chartsEnv } from "../../helpers/testenv.ts";
import { kubectlEnv, tether } from "../../helpers/tether.ts";
import { waitFor } from "../../helpers/wait.ts";

const id = randomBytes(3).toString("hex");
const ns = `helm-${id}`;
const recordsNs = `tether-helm-${id}`;
const cacheDir = join(tmpdir(), `tether-helm-cache-${id}`);
const helmState = join(tmpdir(), `tether-helm-cli-${id}`);
let repo: TestRepo;

const helmEnv = () => ({
  ...kubectlEnv(),
  HELM_CONFIG_HOME: join(helmState, "config"),
  HELM_CACHE_HOME: join(helmState, "cache"),
  HELM_DATA_HOME: join(helmState, "data"),
});
const helm = (args: string[]) => mustRun("helm", args, { env: helmEnv() });

interface Listed {
  name: string;
  namespace: string;
  revision: string;
  status: string;
  chart: string;
}
async function releases(): Promise<Listed[]> {
  return JSON.parse(await helm(["list", "-A", "-a", "-o", "json"])) as Listed[];
}
async function release(name: string): Promise<Listed | undefined> {
  return (await releases()).find((r) => r.name === name && r.namespace === ns);
}

interface Condition {
  type: string;
  status: string;
  reason: string;
  message: string;
}
async function helmRelease(
  name: string,
): Promise<{ status?: Record<string, unknown> & { conditions?: Condition[] } }> {
  return JSON.parse(
    await kubectl(["get", "helmreleases.helm.toolkit.fluxcd.io", "-n", ns, name, "-o", "json"]),
  );
}
const condition = async (name: string, type: string) =>
  (await helmRelease(name)).status?.conditions?.find((c) => c.type === type);

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

const helmRepository = (name: string, spec: string) => `apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  interval: 10m
${spec}`;

const helmReleaseYaml = (name: string, spec: string) => `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  interval: 10m
${spec}`;

const fromHttp = (version: string) => `  chart:
    spec:
      chart: app-demo
      version: "${version}"
      sourceRef:
        kind: HelmRepository
        name: charts
`;

describe("HelmRelease from an HTTP chart repository with basic auth", { timeout: 600_000 }, () => {
  before(async () => {
    const charts = chartsEnv();
    repo = await TestRepo.create("helm");
    await kubectl(["create", "namespace", ns]);
    // Credentials live in the cluster, as they would with sealed or external secrets.
    await chartsAuthSecret(ns);
    repo.write(
      "clusters/dev/namespace.yaml",
      `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n`,
    );
    repo.write(
      "clusters/dev/repository.yaml",
      helmRepository("charts", `  url: ${charts.url}\n  secretRef:\n    name: charts-auth\n`),
    );
    repo.write(
      "clusters/dev/app.yaml",
      helmReleaseYaml("app", `${fromHttp("0.1.x")}  values:\n    message: first\n`),
    );
    await repo.push("app from the chart repository");
  });
  after(async () => {
    await kubectlRun(["delete", "namespace", ns, recordsNs, "--wait=false"]);
    repo?.cleanup();
  });

  test("sync installs the chart version the range picks; the HelmRelease is Ready", async () => {
    const result = await sync();
    assert.equal(result.code, 0, result.stderr + result.stdout);
    assert.match(result.stdout, /HelmRelease\/.*\/app (?:not-)?ready: helm installed/);
    const listed = await release("app");
    assert.equal(listed?.status, "deployed");
    assert.equal(listed?.chart, "app-demo-0.1.1");
    assert.equal(listed?.revision, "1");
    const all = JSON.parse(
      await kubectl(["get", "helmreleases.helm.toolkit.fluxcd.io", "-A", "-o", "json"]),
    ) as {
      items: {
        metadata: { name: string; namespace: string };
        status: { conditions: Condition[] };
      }[];
    };
    const ours = all.items.find((i) => i.metadata.name === "app" && i.metadata.namespace === ns);
    const ready = ours?.status.conditions.find((c) => c.type === "Ready");
    assert.equal(ready?.status, "True");
    assert.equal(ready?.reason, "InstallSucceeded");
    assert.match(
      ready?.message ?? "",
      new RegExp(`Helm install succeeded for release ${ns}/app.v1 with chart app-demo@0.1.1`),
    );
    const status = (await helmRelease("app")).status ?? {};
    assert.equal(status.lastAttemptedRevision, "0.1.1");
    assert.equal(status.observedGeneration, 1);
    assert.equal((status.history as { version: number }[])[0]?.version, 1);
    assert.equal(
      await kubectl(["get", "configmap", "-n", ns, "app-config", "-o", "jsonpath={.data.message}"]),
      "first",
    );
    // `kubectl get helmreleases` shows READY and STATUS as with Flux.
    assert.match(
      await kubectl(["get", "helmreleases.helm.toolkit.fluxcd.io", "-n", ns]),
      /app\s+\S+\s+True\s+Helm install succeeded/,
    );
  });

  test("a pass with nothing changed runs no Helm upgrade", async () => {
    const result = await sync();
    assert.equal(result.code, 0, result.stderr + result.stdout);
    assert.match(result.stdout, /\/app (?:not-)?ready: helm unchanged/);
    assert.equal((await release("app"))?.revision, "1");
  });

  test("a value changed in Git makes revision 2", async () => {
    repo.write(
      "clusters/dev/app.yaml",
      helmReleaseYaml("app", `${fromHttp("0.1.x")}  values:\n    message: second\n`),
    );
    await repo.push("new message");
    const result = await sync();
    assert.equal(result.code, 0, result.stderr + result.stdout);
    assert.match(result.stdout, /\/app (?:not-)?ready: helm upgraded/);
    const history = JSON.parse(await helm(["history", "app", "-n", ns, "-o", "json"])) as {
      revision: number;
      status: string;
    }[];
    assert.deepEqual(
      history.map((h) => [h.revision, h.status]),
      [
        [1, "superseded"],
        [2, "deployed"],
      ],
    );
    assert.equal(
      await kubectl(["get", "configmap", "-n", ns, "app-config", "-o", "jsonpath={.data.message}"]),
      "second",
    );
    assert.equal((await condition("app", "Ready"))?.reason, "UpgradeSucceeded");
  });

  test("valuesFrom: a ConfigMap merged, a Secret key at a targetPath, inline values last", async () => {
    await kubectl([
      "create",
      "configmap",
      "app-values",
      "-n",
      ns,
      "--from-literal=values.yaml=message: from-configmap\nreplicas: 2\n",
    ]);
    await kubectl([
      "create",
      "secret",
      "generic",
      "app-secret",
      "-n",
      ns,
      "--from-literal=token=s3cr3t-token",
    ]);
    repo.write(
      "clusters/dev/app.yaml",
      helmReleaseYaml(
        "app",
        `${fromHttp("0.1.x")}  valuesFrom:
    - kind: ConfigMap
      name: app-values
    - kind: Secret
      name: app-secret
      valuesKey: token
      targetPath: message
    - kind: ConfigMap
      name: not-there
      optional: true
  values:
    replicas: 1
`,
      ),
    );
    await repo.push("values from objects");
    const result = await sync();
    assert.equal(result.code, 0, result.stderr + result.stdout);
    assert.equal(
      await kubectl(["get", "configmap", "-n", ns, "app-config", "-o", "jsonpath={.data.message}"]),
      "s3cr3t-token",
    );
    assert.equal(
      await kubectl(["get", "deployment", "-n", ns, "app", "-o", "jsonpath={.spec.replicas}"]),
      "1",
    );
    // The secret value is in the release, never in what the agent printed or wrote.
    assert.doesNotMatch(result.stdout + result.stderr, /s3cr3t-token/);
    assert.doesNotMatch(JSON.stringify(await helmRelease("app")), /s3cr3t-token/);
  });

  test("a failed upgrade is rolled back: Ready=False with the reason, Remediated=True", async () => {
    repo.write(
      "clusters/dev/app.yaml",
      helmReleaseYaml(
        "app",
        `${fromHttp("0.1.x")}  timeout: 5s
  upgrade:
    remediation:
      retries: 1
  values:
    message: never-ready
    nodeSelector:
      no-such-node: "true"
`,
      ),
    );
    await repo.push("an upgrade that cannot become ready");
    const before = Number((await release("app"))?.revision);
    const result = await sync();
    assert.equal(result.code, 1, result.stdout);
    assert.match(result.stdout, /\/app (?:not-)?ready: helm rolled-back/);
    const ready = await condition("app", "Ready");
    assert.equal(ready?.status, "False");
    assert.equal(ready?.reason, "UpgradeFailed");
    assert.match(
      ready?.message ?? "",
      /Helm upgrade failed for release .*app with chart app-demo@0\.1\.1/,
    );
    const remediated = await condition("app", "Remediated");
    assert.equal(remediated?.status, "True");
    assert.equal(remediated?.reason, "RollbackSucceeded");
    const listed = await release("app");
    assert.equal(listed?.status, "deployed");
    assert.equal(Number(listed?.revision), before + 2, "the failed revision, then the rollback");
    assert.equal(
      await kubectl(["get", "configmap", "-n", ns, "app-config", "-o", "jsonpath={.data.message}"]),
      "s3cr3t-token",
    );
    assert.equal((await helmRelease("app")).status?.upgradeFailures, 1);
  });

  test("a release left pending-upgrade by a crash is recovered, then upgraded", async () => {
    repo.write(
      "clusters/dev/app.yaml",
      helmReleaseYaml("app", `${fromHttp("0.1.x")}  values:\n    message: recovered\n`),
    );
    await repo.push("back to a good state");
    assert.equal((await sync()).code, 0);
    // A helm upgrade killed while it waits: Helm's storage keeps it pending-upgrade.
    const chart = join(chartsEnv().dir, "app-demo-0.1.1.tgz");
    const child = spawn(
      "helm",
      [
        "upgrade",
        "app",
        chart,
        "-n",
        ns,
        "--wait",
        "--timeout",
        "5m",
        "--set-string",
        "nodeSelector.nowhere=true",
      ],
      { env: helmEnv(), stdio: "ignore" },
    );
    await waitFor("the upgrade to become pending", async () =>
      (await release("app"))?.status === "pending-upgrade" ? true : undefined,
    );
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));
    assert.equal((await release("app"))?.status, "pending-upgrade");
    // Helm itself refuses to touch it now; the next sync unlocks it.
    repo.write(
      "clusters/dev/app.yaml",
      helmReleaseYaml("app", `${fromHttp("0.1.x")}  values:\n    message: after-crash\n`),
    );
    await repo.push("after the crash");
    const result = await sync();
    assert.equal(result.code, 0, result.stderr + result.stdout);
    assert.equal((await release("app"))?.status, "deployed");
    assert.equal((await condition("app", "Ready"))?.status, "True");
    assert.equal(
      await kubectl(["get", "configmap", "-n", ns, "app-config", "-o", "jsonpath={.data.message}"]),
      "after-crash",
    );
  });

  test("drift detection: warn reports a hand edit, enabled corrects it", async () => {
    const spec = (mode: string) =>
      helmReleaseYaml(
        "app",
        `${fromHttp("0.1.x")}  driftDetection:\n    mode: ${mode}\n  values:\n    message: after-crash\n`,
      );
    repo.write("clusters/dev/app.yaml", spec("warn"));
    await repo.push("drift: warn");
    assert.equal((await sync()).code, 0);
    await kubectl([
      "patch",
      "configmap",
      "-n",
      ns,
      "app-config",
      "--type",
      "merge",
      "-p",
      '{"data":{"message":"edited"}}',
    ]);
    const warned = await sync();
    assert.equal(warned.code, 0, warned.stderr + warned.stdout);
    assert.match(
      warned.stdout,
      /\/app (?:not-)?ready: helm drifted: drift detected \(warn\): ConfigMap\/.*\/app-config \/data\/message/,
    );
    assert.equal(
      await kubectl(["get", "configmap", "-n", ns, "app-config", "-o", "jsonpath={.data.message}"]),
      "edited",
    );
    repo.write("clusters/dev/app.yaml", spec("enabled"));
    await repo.push("drift: enabled");
    const revision = (await release("app"))?.revision;
    const corrected = await sync();
    assert.equal(corrected.code, 0, corrected.stderr + corrected.stdout);
    assert.match(corrected.stdout, /\/app (?:not-)?ready: helm drift-corrected/);
    assert.equal(
      await kubectl(["get", "configmap", "-n", ns, "app-config", "-o", "jsonpath={.data.message}"]),
      "after-crash",
    );
    assert.equal((await release("app"))?.revision, revision, "corrected without a new revision");
  });

  test("dependsOn: a release waits for its dependency to be Ready", async () => {
    repo.write(
      "clusters/dev/backend.yaml",
      helmReleaseYaml("backend", `${fromHttp("0.0.1")}  values:\n    message: backend\n`),
    );
    repo.write(
      "clusters/dev/frontend.yaml",
      helmReleaseYaml(
        "frontend",
        `${fromHttp("0.0.1")}  dependsOn:\n    - name: backend\n  values:\n    message: frontend\n`,
      ),
    );
    await repo.push("two releases, one depending on the other");
    const result = await sync();
    assert.equal(result.code, 0, result.stderr + result.stdout);
    const order = result.stdout.split("\n").filter((l) => /ready: helm installed/.test(l));
    assert.match(order[0] ?? "", /\/backend (?:not-)?ready: helm installed/);
    assert.match(order[1] ?? "", /\/frontend (?:not-)?ready: helm installed/);
    // A dependency that is not Ready blocks: suspend... make backend fail its install.
    repo.write(
      "clusters/dev/backend.yaml",
      helmReleaseYaml(
        "backend",
        `  chart:\n    spec:\n      chart: no-such-chart\n      sourceRef:\n        kind: HelmRepository\n        name: charts\n`,
      ),
    );
    repo.write(
      "clusters/dev/frontend.yaml",
      helmReleaseYaml(
        "frontend",
        `${fromHttp("0.0.1")}  dependsOn:\n    - name: backend\n  values:\n    message: frontend-2\n`,
      ),
    );
    await repo.push("backend broken");
    const blocked = await sync();
    assert.equal(blocked.code, 1);
    const ready = await condition("frontend", "Ready");
    assert.equal(ready?.reason, "DependencyNotReady");
    assert.match(
      (await condition("backend", "Ready"))?.message ?? "",
      /no-such-chart .*: no such chart/,
    );
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

  test("removing a HelmRelease from Git uninstalls its release", async () => {
    repo
      .remove("clusters/dev/backend.yaml")
      .remove("clusters/dev/frontend.yaml")
      .remove("clusters/dev/app.yaml");
    await repo.push("remove the releases");
    // Most of the unit goes: past the default delete budget, so the removal is confirmed.
    const result = await sync(["--confirm-prune"]);
    assert.equal(result.code, 0, result.stderr + result.stdout);
    assert.match(result.stdout, /HelmRelease\/.*\/app (?:not-)?ready: helm uninstalled/);
    assert.equal(await release("app"), undefined);
    assert.equal(await release("frontend"), undefined);
    assert.equal((await kubectlRun(["get", "deployment", "-n", ns, "app"])).code, 1);
  });
});
