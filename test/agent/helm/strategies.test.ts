// HelmRelease install options against the real API server and the helm CLI, two
// `tether sync --once` passes: `install.replace` reuses the name of a release that was
// uninstalled with its history kept (revision 2, no "name still in use" refusal);
// `install.crds: CreateReplace` updates a CRD that already exists, which a plain Helm
// install leaves alone; `install.strategy: RetryOnFailure` with `retryInterval` leaves a
// failed install as it is and does not run Helm again before the interval has passed.
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
const ns = `helm-strat-${id}`;
const recordsNs = `tether-helm-strat-${id}`;
const group = `s${id}.example.com`;
const cacheDir = join(tmpdir(), `tether-helm-strat-cache-${id}`);
const helmState = join(tmpdir(), `tether-helm-strat-cli-${id}`);
let repo: TestRepo;

const helm = (args: string[]) =>
  mustRun("helm", args, {
    env: {
      ...kubectlEnv(),
      HELM_CONFIG_HOME: join(helmState, "config"),
      HELM_CACHE_HOME: join(helmState, "cache"),
      HELM_DATA_HOME: join(helmState, "data"),
    },
  });
async function release(name: string) {
  const all = JSON.parse(await helm(["list", "-n", ns, "-a", "-o", "json"])) as {
    name: string;
    revision: string;
    status: string;
  }[];
  return all.find((r) => r.name === name);
}

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
  ]);

const crd = (columns: string) => `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: things.${group}
spec:
  group: ${group}
  scope: Namespaced
  names: {kind: Thing, plural: things, singular: thing, listKind: ThingList}
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
${columns}`;
const stageColumn = `      additionalPrinterColumns:
        - {name: Stage, type: string, jsonPath: .spec.stage}
`;

const helmRelease = (name: string, spec: string) => `---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: ${name}, namespace: ${ns}}
spec:
  interval: 10m
  timeout: 60s
${spec}`;
const fromHttp = `  chart:
    spec:
      chart: app-demo
      version: "0.1.x"
      sourceRef: {kind: HelmRepository, name: charts}
`;

describe("HelmRelease install: replace, CRDs CreateReplace, RetryOnFailure retryInterval", {
  timeout: 300_000,
}, () => {
  before(async () => {
    const charts = chartsEnv();
    await kubectl(["create", "namespace", ns]);
    await chartsAuthSecret(ns);
    // An older CRD of the chart's, made before the chart (no Stage column).
    await kubectl(["apply", "-f", "-"], crd(""));
    // A release uninstalled with its history kept: its name is still taken in Helm's storage.
    await helm(["install", "kept", join(charts.dir, "app-demo-0.1.1.tgz"), "-n", ns]);
    await helm(["uninstall", "kept", "-n", ns, "--keep-history"]);
    repo = await TestRepo.create("helm-strat");
    repo.write("charts/things/Chart.yaml", "apiVersion: v2\nname: things\nversion: 1.0.0\n");
    repo.write("charts/things/crds/things.yaml", crd(stageColumn));
    repo.write(
      "charts/things/templates/configmap.yaml",
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata: {a: b}\n",
    );
    repo.write(
      "clusters/dev/releases.yaml",
      `apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata: {name: charts, namespace: ${ns}}
spec:
  interval: 10m
  url: ${charts.url}
  secretRef: {name: charts-auth}
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: self, namespace: ${ns}}
spec:
  interval: 10m
  url: ${repo.plainUrl}
  ref: {branch: main}
${helmRelease("kept", `${fromHttp}  install:\n    replace: true\n`)}${helmRelease(
  "things",
  `  chart:
    spec:
      chart: ./charts/things
      sourceRef: {kind: GitRepository, name: self}
  install:
    crds: CreateReplace
`,
)}${helmRelease(
  "retry",
  `${fromHttp}  install:
    strategy: {name: RetryOnFailure, retryInterval: 1h}
  values:
    replicas: -1
`,
)}`,
    );
    await repo.push("install options");
  });
  after(async () => {
    await kubectlRun(["delete", "namespace", ns, recordsNs, "--wait=false"]);
    await kubectlRun(["delete", "crd", `things.${group}`, "--ignore-not-found"]);
    repo?.cleanup();
  });

  test("pass 1: replace reuses the kept name, CreateReplace updates the CRD, RetryOnFailure keeps the failure", async () => {
    const result = await sync();
    assert.equal(result.code, 1, "retry is not Ready");
    assert.match(outcome(result.stdout, "kept"), /^installed/, result.stdout + result.stderr);
    assert.deepEqual(
      { ...(await release("kept")) },
      { ...(await release("kept")), revision: "2", status: "deployed" },
    );
    assert.match(outcome(result.stdout, "things"), /^installed/);
    assert.match(
      await kubectl(["get", "crd", `things.${group}`, "-o", "jsonpath={.spec.versions[0]}"]),
      /"Stage"/,
      "the existing CRD was replaced by the chart's",
    );
    // Helm's message spans lines: the outcome's first line, the rest after it.
    assert.match(outcome(result.stdout, "retry"), /^failed: Helm install failed /);
    assert.match(result.stdout, /spec\.replicas.*\n*.*; RetryOnFailure: tried again after 3600s/);
    assert.match(
      await kubectl([
        "get",
        "helmreleases.helm.toolkit.fluxcd.io",
        "-n",
        ns,
        "retry",
        "-o",
        "jsonpath={.status.conditions[?(@.type=='Ready')].reason}",
      ]),
      /^InstallFailed$/,
    );
    assert.equal((await release("retry"))?.status, "failed");
  });

  test("pass 2: the failed install is not run again before retryInterval", async () => {
    const result = await sync();
    assert.equal(result.code, 1, "retry is still not Ready");
    assert.match(
      outcome(result.stdout, "retry"),
      /^waiting: RetryOnFailure: the failed install is tried again after \S+Z \(retryInterval 3600s\)$/,
    );
    const history = JSON.parse(await helm(["history", "retry", "-n", ns, "-o", "json"]));
    assert.equal(history.length, 1, "no second attempt");
    assert.match(outcome(result.stdout, "kept"), /^unchanged/);
  });
});
