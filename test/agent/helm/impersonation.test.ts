// HelmReleases under Flux's multi-tenancy rules, against the real API server (RBAC is
// enforced there): helm acts as the HelmRelease's `serviceAccountName`, or as the
// `--default-service-account` of its namespace when it names none, so a ServiceAccount
// without rights fails the release with Ready=False and the API server's message, and
// the same release installs once the account is granted rights; a chart source in
// another namespace is refused under `--no-cross-namespace-refs`.
import assert from "node:assert/strict";
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

const id = randomBytes(3).toString("hex");
const ns = `helm-sa-${id}`;
const other = `helm-sa-other-${id}`;
const recordsNs = `tether-helm-sa-${id}`;
const cacheDir = join(tmpdir(), `tether-helm-sa-cache-${id}`);
const helmState = join(tmpdir(), `tether-helm-sa-cli-${id}`);
let repo: TestRepo;

const helmList = async () =>
  JSON.parse(
    await mustRun("helm", ["list", "-n", ns, "-a", "-o", "json"], {
      env: {
        ...kubectlEnv(),
        HELM_CONFIG_HOME: join(helmState, "config"),
        HELM_CACHE_HOME: join(helmState, "cache"),
        HELM_DATA_HOME: join(helmState, "data"),
      },
    }),
  ) as { name: string; status: string; revision: string }[];

async function ready(name: string): Promise<{ status: string; reason: string; message: string }> {
  const hr = JSON.parse(
    await kubectl(["get", "helmreleases.helm.toolkit.fluxcd.io", "-n", ns, name, "-o", "json"]),
  ) as {
    status?: { conditions?: { type: string; status: string; reason: string; message: string }[] };
  };
  const found = hr.status?.conditions?.find((c) => c.type === "Ready");
  assert.ok(found, `${name} has no Ready condition`);
  return found;
}

/** What the pass printed for one HelmRelease: `<action>[: detail]`. */
function outcome(stdout: string, name: string): string {
  const line = stdout
    .split("\n")
    .find((l) => l.includes(`HelmRelease/${ns}/${name} `) && / helm /.test(l));
  return line?.replace(/^.* helm /, "") ?? `(no line for ${name} in)\n${stdout}`;
}

const sync = () =>
  tether([
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
    "--default-service-account",
    "tenant",
    "--no-cross-namespace-refs",
  ]);

const release = (name: string, extra: string, sourceNs = ns) => `---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: ${name}, namespace: ${ns}}
spec:
  interval: 10m
  timeout: 60s
${extra}  chart:
    spec:
      chart: app-demo
      version: "0.1.x"
      sourceRef: {kind: HelmRepository, name: charts, namespace: ${sourceNs}}
  install:
    remediation: {retries: -1}
  values: {message: ${name}}
`;

describe("HelmRelease impersonation and lockdown", { timeout: 300_000 }, () => {
  before(async () => {
    const charts = chartsEnv();
    for (const n of [ns, other]) await kubectl(["create", "namespace", n]);
    // Two ServiceAccounts with no rights at all yet.
    for (const sa of ["deployer", "tenant"])
      await kubectl(["create", "serviceaccount", sa, "-n", ns]);
    await chartsAuthSecret(ns);
    repo = await TestRepo.create("helm-sa");
    repo.write(
      "clusters/dev/releases.yaml",
      `apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata: {name: charts, namespace: ${ns}}
spec:
  interval: 10m
  url: ${charts.url}
  secretRef: {name: charts-auth}
${release("named", "  serviceAccountName: deployer\n")}${release("defaulted", "")}${release("cross", "", other)}`,
    );
    await repo.push("releases acting as their ServiceAccounts");
  });
  after(async () => {
    await kubectlRun(["delete", "namespace", ns, other, recordsNs, "--wait=false"]);
    repo?.cleanup();
  });

  test("a ServiceAccount without rights: Ready=False with the API server's refusal, nothing released", async () => {
    const result = await sync();
    assert.equal(result.code, 1, result.stdout + result.stderr);
    for (const [name, sa] of [
      ["named", "deployer"],
      ["defaulted", "tenant"],
    ] as const) {
      assert.match(outcome(result.stdout, name), /^failed: Helm install failed/);
      const condition = await ready(name);
      assert.equal(condition.status, "False");
      assert.equal(condition.reason, "InstallFailed");
      assert.match(condition.message, new RegExp(`acting as ServiceAccount ${ns}/${sa}\\)`));
      assert.match(
        condition.message,
        new RegExp(`forbidden: User "system:serviceaccount:${ns}:${sa}" cannot`),
      );
    }
    const cross = await ready("cross");
    assert.equal(cross.reason, "AccessDenied");
    assert.equal(
      cross.message,
      `can't access 'HelmRepository/${other}/charts', cross-namespace references have been blocked`,
    );
    assert.deepEqual(
      (await helmList()).filter((r) => r.status === "deployed"),
      [],
      "nothing was deployed",
    );
  });

  test("the same releases install once their ServiceAccounts may edit the namespace", async () => {
    for (const sa of ["deployer", "tenant"]) {
      await kubectl([
        "create",
        "rolebinding",
        `${sa}-edit`,
        "-n",
        ns,
        "--clusterrole=edit",
        `--serviceaccount=${ns}:${sa}`,
      ]);
    }
    const result = await sync();
    // 1: the cross-namespace reference of the test above stays refused.
    assert.equal(result.code, 1, result.stdout + result.stderr);
    assert.match(outcome(result.stdout, "named"), /^installed/, result.stdout);
    assert.match(outcome(result.stdout, "defaulted"), /^installed/);
    for (const name of ["named", "defaulted"]) {
      assert.equal((await ready(name)).status, "True");
    }
    const listed = await helmList();
    assert.deepEqual(
      listed
        .filter((r) => r.status === "deployed")
        .map((r) => r.name)
        .sort(),
      ["defaulted", "named"],
    );
    // The chart's ConfigMap carries the value, made by the ServiceAccount's helm.
    assert.match(await kubectl(["get", "configmap", "-n", ns, "-o", "yaml"]), /message: "?named"?/);
  });
});
