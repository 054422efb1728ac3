// HelmRelease options end to end, four `tether sync --once` passes over one repository
// holding several HelmReleases at once (each pass reconciles all of them): kustomize
// postRenderers (patches and images), the CRD policies on upgrade (Skip, Create,
// CreateReplace) with a chart from Git that carries crds/, `suspend` (also when the
// HelmRelease leaves Git), install remediation by uninstall until the retries run out
// (the last failed install kept, as Flux keeps it), and the RetryOnFailure strategy. Results read back with `helm` and `kubectl`.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  chartsAuthSecret,
  chartsRepositoryYaml,
  selfGitRepositoryYaml,
} from "../../helpers/charts.ts";
import { TestRepo } from "../../helpers/git-repo.ts";
import { kubectl, kubectlRun } from "../../helpers/kubectl.ts";
import { mustRun } from "../../helpers/run.ts";
import { kubectlEnv, tether } from "../../helpers/tether.ts";

const id = randomBytes(3).toString("hex");
const ns = `helm-life-${id}`;
const recordsNs = `tether-helm-life-${id}`;
const group = `w${id}.example.com`;
const cacheDir = join(tmpdir(), `tether-helm-life-cache-${id}`);
const helmState = join(tmpdir(), `tether-helm-life-cli-${id}`);
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

interface Listed {
  name: string;
  revision: string;
  status: string;
}
async function release(name: string): Promise<Listed | undefined> {
  const all = JSON.parse(await helm(["list", "-n", ns, "-a", "-o", "json"])) as Listed[];
  return all.find((r) => r.name === name);
}
async function conditions(
  name: string,
): Promise<Record<string, { status: string; reason: string }>> {
  const hr = JSON.parse(
    await kubectl(["get", "helmreleases.helm.toolkit.fluxcd.io", "-n", ns, name, "-o", "json"]),
  ) as { status?: { conditions?: { type: string; status: string; reason: string }[] } };
  return Object.fromEntries((hr.status?.conditions ?? []).map((c) => [c.type, c]));
}
const get = (args: string[]) =>
  kubectlRun(["get", ...args]).then((r) => (r.code === 0 ? r.stdout : undefined));

/** What the pass printed for one HelmRelease: `<action>[: detail]`. */
function outcome(stdout: string, name: string): string {
  const line = stdout
    .split("\n")
    .find((l) => l.includes(`HelmRelease/${ns}/${name} `) && / helm /.test(l));
  return line?.replace(/^.* helm /, "") ?? `(no line for ${name} in)\n${stdout}`;
}

function sync(exit?: number) {
  return tether(
    [
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
    ],
    { exit },
  );
}

const helmRelease = (name: string, spec: string) => `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  interval: 10m
${spec}`;
const fromHttp = `  chart:
    spec:
      chart: app-demo
      version: "0.1.x"
      sourceRef:
        kind: HelmRepository
        name: charts
`;
const unschedulable = `    nodeSelector:\n      no-such-node: "true"\n`;

const crd = (plural: string, kind: string, columns = "") => `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: ${plural}.${group}
spec:
  group: ${group}
  scope: Namespaced
  names: {kind: ${kind}, plural: ${plural}, singular: ${kind.toLowerCase()}, listKind: ${kind}List}
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

/** The widgets chart (in the repository itself) at `version`, its crds/ as given. */
function writeWidgets(version: string, crds: Record<string, string>) {
  repo.remove("charts/widgets/crds");
  repo.write("charts/widgets/Chart.yaml", `apiVersion: v2\nname: widgets\nversion: ${version}\n`);
  repo.write(
    "charts/widgets/templates/configmap.yaml",
    `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n  pass: {{ .Values.pass | quote }}\n`,
  );
  for (const [file, text] of Object.entries(crds)) repo.write(`charts/widgets/crds/${file}`, text);
}
const widgets = (pass: number, crds?: string) =>
  helmRelease(
    "widgets",
    `  chart:
    spec:
      chart: ./charts/widgets
      sourceRef:
        kind: GitRepository
        name: self
${crds ? `  upgrade:\n    crds: ${crds}\n` : ""}  values:
    pass: "${pass}"
`,
  );

const post = (label: string, extra = "") =>
  helmRelease(
    "post",
    `${fromHttp}${extra}  postRenderers:
    - kustomize:
        patches:
          - target:
              kind: Deployment
            patch: |
              - op: add
                path: /metadata/labels/tether.test~1post
                value: ${label}
        images:
          - name: registry.local/app-demo
            newName: registry.local/patched
            newTag: v9
  values:
    message: post
`,
  );
// A pool no node has, and the fake node's own: the fix must set the field back, since
// Helm's three-way merge keeps a field that a failed revision added to the live object
// when the next manifest equals the last deployed one.
const pool = (type: string) => `    nodeSelector:\n      type: ${type}\n`;
const retrying = (values: string, timeout = "5s") =>
  helmRelease(
    "retry",
    `${fromHttp}  timeout: ${timeout}
  upgrade:
    strategy:
      name: RetryOnFailure
      retryInterval: 1s
  values:
    message: retry
${values}`,
  );

describe("HelmRelease options: postRenderers, CRD policies, suspend, remediation", {
  timeout: 600_000,
}, () => {
  before(async () => {
    repo = await TestRepo.create("helm-life");
    await kubectl(["create", "namespace", ns]);
    await chartsAuthSecret(ns);
    repo.write(
      "clusters/dev/sources.yaml",
      `${chartsRepositoryYaml(ns)}---\n${selfGitRepositoryYaml(ns, repo.plainUrl)}`,
    );
    writeWidgets("0.1.0", { "alphas.yaml": crd("alphas", "Alpha") });
    repo.write("clusters/dev/widgets.yaml", widgets(1));
    repo.write("clusters/dev/post.yaml", post("one"));
    repo.write("clusters/dev/retry.yaml", retrying(pool("kwok")));
    repo.write(
      "clusters/dev/broken.yaml",
      helmRelease(
        "broken",
        `${fromHttp}  timeout: 5s
  install:
    remediation:
      retries: 1
  values:
${unschedulable}`,
      ),
    );
    await repo.push("releases");
  });
  after(async () => {
    await kubectlRun(["delete", "namespace", ns, recordsNs, "--wait=false"]);
    await kubectlRun([
      "delete",
      "crd",
      `alphas.${group}`,
      `betas.${group}`,
      "--ignore-not-found",
      "--wait=false",
    ]);
    repo?.cleanup();
  });

  test("pass 1: post-rendered install, CRDs created, a failed install uninstalled", async () => {
    const result = await sync();
    assert.equal(result.code, 1, "broken is not Ready");
    // postRenderers: the patch and the image are in what Helm stored and what runs.
    assert.match(outcome(result.stdout, "post"), /^installed/);
    const manifest = await helm(["get", "manifest", "post", "-n", ns]);
    assert.match(manifest, /tether\.test\/post: one/);
    assert.match(manifest, /image: registry\.local\/patched:v9/);
    assert.equal(
      await kubectl([
        "get",
        "deployment",
        "-n",
        ns,
        "post",
        "-o",
        "jsonpath={.spec.template.spec.containers[0].image}",
      ]),
      "registry.local/patched:v9",
    );
    // CRD policy Create (the install default): the chart's CRD exists.
    assert.match(outcome(result.stdout, "widgets"), /^installed/);
    assert.ok(await get(["crd", `alphas.${group}`]));
    // Install remediation: the failed install is uninstalled, one retry left.
    assert.match(outcome(result.stdout, "broken"), /^failed: Helm install failed .*; uninstalled/);
    assert.equal(await release("broken"), undefined);
    const broken = await conditions("broken");
    assert.equal(broken.Ready?.reason, "InstallFailed");
    assert.equal(broken.Remediated?.reason, "UninstallSucceeded");
    assert.match(outcome(result.stdout, "retry"), /^installed/);
  });

  test("pass 2: a post-renderer change alone upgrades; upgrade CRD policy Skip leaves CRDs; RetryOnFailure does not roll back", async () => {
    repo.write("clusters/dev/post.yaml", post("two"));
    writeWidgets("0.2.0", {
      "alphas.yaml": crd("alphas", "Alpha", stageColumn),
      "betas.yaml": crd("betas", "Beta"),
    });
    repo.write("clusters/dev/widgets.yaml", widgets(2));
    repo.write("clusters/dev/retry.yaml", retrying(pool("nowhere")));
    await repo.push("pass 2");
    // The retrying release is not Ready.
    const result = await sync(1);
    assert.match(outcome(result.stdout, "post"), /^upgraded/);
    assert.equal((await release("post"))?.revision, "2");
    assert.equal(
      await kubectl([
        "get",
        "deployment",
        "-n",
        ns,
        "post",
        "-o",
        "jsonpath={.metadata.labels.tether\\.test/post}",
      ]),
      "two",
    );
    // Skip: neither the changed CRD nor the new one is applied on upgrade.
    assert.match(outcome(result.stdout, "widgets"), /^upgraded/);
    assert.equal(await get(["crd", `betas.${group}`]), undefined);
    assert.doesNotMatch((await get(["crd", `alphas.${group}`, "-o", "json"])) ?? "", /"Stage"/);
    // The second and last install attempt of broken: as in Flux, the last failed install
    // is kept for debugging (install remediateLastFailure defaults to false).
    assert.match(outcome(result.stdout, "broken"), /^failed: Helm install failed /);
    assert.doesNotMatch(outcome(result.stdout, "broken"), /; uninstalled/);
    assert.equal((await release("broken"))?.status, "failed");
    // RetryOnFailure: the failed upgrade stays as it is, no remediation.
    assert.match(
      outcome(result.stdout, "retry"),
      /^failed: .*RetryOnFailure: tried again after 1s/,
    );
    assert.deepEqual(await release("retry"), {
      ...(await release("retry")),
      revision: "2",
      status: "failed",
    });
    const retry = await conditions("retry");
    assert.equal(retry.Ready?.reason, "UpgradeFailed");
    assert.equal(retry.Remediated, undefined);
  });

  test("pass 3: suspend leaves the release; CRD policy Create adds new CRDs only; retries run out; RetryOnFailure retries", async () => {
    repo.write("clusters/dev/post.yaml", post("three", "  suspend: true\n"));
    writeWidgets("0.3.0", {
      "alphas.yaml": crd("alphas", "Alpha", stageColumn),
      "betas.yaml": crd("betas", "Beta"),
    });
    repo.write("clusters/dev/widgets.yaml", widgets(3, "Create"));
    await repo.push("pass 3");
    const result = await sync(1);
    assert.match(outcome(result.stdout, "post"), /^suspended/);
    assert.equal((await release("post"))?.revision, "2");
    assert.equal(
      await kubectl([
        "get",
        "deployment",
        "-n",
        ns,
        "post",
        "-o",
        "jsonpath={.metadata.labels.tether\\.test/post}",
      ]),
      "two",
    );
    assert.match(outcome(result.stdout, "widgets"), /^upgraded/);
    assert.ok(await get(["crd", `betas.${group}`]), "Create adds the missing CRD");
    assert.doesNotMatch(
      (await get(["crd", `alphas.${group}`, "-o", "json"])) ?? "",
      /"Stage"/,
      "Create leaves an existing CRD as it is",
    );
    // broken: two failed installs with retries 1: stalled, no third attempt.
    assert.match(outcome(result.stdout, "broken"), /^failed: install retries exhausted/);
    const broken = await conditions("broken");
    assert.equal(broken.Stalled?.reason, "RetriesExceeded");
    assert.equal((await release("broken"))?.status, "failed");
    // RetryOnFailure: the same failed upgrade is tried again (no stall), revision 3.
    assert.match(outcome(result.stdout, "retry"), /^failed: .*RetryOnFailure/);
    assert.equal((await release("retry"))?.revision, "3");
    assert.equal((await conditions("retry")).Stalled, undefined);
  });

  test("pass 4: CreateReplace updates CRDs; a fixed RetryOnFailure release deploys; a suspended HelmRelease removed keeps its release", async () => {
    repo.write("clusters/dev/widgets.yaml", widgets(4, "CreateReplace"));
    // Time enough for the rollout that replaces the unschedulable pods.
    repo.write("clusters/dev/retry.yaml", retrying(pool("kwok"), "2m"));
    repo.remove("clusters/dev/post.yaml").remove("clusters/dev/broken.yaml");
    await repo.push("pass 4");
    const result = await sync();
    assert.equal(result.code, 0, result.stderr + result.stdout);
    assert.match(outcome(result.stdout, "widgets"), /^upgraded/);
    assert.match((await get(["crd", `alphas.${group}`, "-o", "json"])) ?? "", /"Stage"/);
    assert.match(outcome(result.stdout, "retry"), /^upgraded/);
    assert.deepEqual(await release("retry"), {
      ...(await release("retry")),
      revision: "4",
      status: "deployed",
    });
    // Suspended: the HelmRelease object is pruned, its Helm release stays (as in Flux).
    assert.equal(await get(["helmreleases.helm.toolkit.fluxcd.io", "-n", ns, "post"]), undefined);
    assert.equal((await release("post"))?.status, "deployed");
  });

  test("pass 5: a HelmRelease that opts out of prune leaves Git: object and release both stay", async () => {
    await kubectl([
      "annotate",
      "helmreleases.helm.toolkit.fluxcd.io",
      "-n",
      ns,
      "widgets",
      "kustomize.toolkit.fluxcd.io/prune=disabled",
    ]);
    repo.remove("clusters/dev/widgets.yaml");
    // retry's uninstall keeps the release's history (pass 6 removes it).
    repo.write(
      "clusters/dev/retry.yaml",
      retrying(pool("kwok"), "2m").replace(
        "  upgrade:\n",
        "  uninstall:\n    keepHistory: true\n  upgrade:\n",
      ),
    );
    await repo.push("pass 5");
    const result = await sync();
    assert.equal(result.code, 0, result.stderr + result.stdout);
    assert.match(result.stdout, /HelmRelease\/.*widgets.*kept.*prune: disabled/);
    assert.notEqual(
      await get(["helmreleases.helm.toolkit.fluxcd.io", "-n", ns, "widgets"]),
      undefined,
    );
    assert.equal((await release("widgets"))?.status, "deployed");
  });

  test("pass 6: a HelmRelease leaving Git is uninstalled with its spec.uninstall (keepHistory)", async () => {
    repo.remove("clusters/dev/retry.yaml");
    await repo.push("pass 6");
    const result = await sync();
    assert.equal(result.code, 0, result.stderr + result.stdout);
    assert.equal(await get(["helmreleases.helm.toolkit.fluxcd.io", "-n", ns, "retry"]), undefined);
    // keepHistory: helm still lists the release, as uninstalled.
    assert.equal((await release("retry"))?.status, "uninstalled");
  });
});
