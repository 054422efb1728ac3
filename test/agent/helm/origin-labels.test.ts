// The metadata helm-controller puts on every object of a release, end to end: the
// origin labels helm.toolkit.fluxcd.io/name and /namespace (`kubectl get -l`, `flux
// tree` and `flux trace` find a release's objects by them) and spec.commonMetadata's
// labels and annotations, on metadata only, with kustomize postRenderers before them;
// CRDs Tether applies from crds/ get the origin labels; hooks are not post-rendered
// (the helm 3 CLI, as Flux's `nohooks`). A commonMetadata change alone upgrades the
// release, a pass with nothing changed does not. `tether sync --once` passes over one
// repository; results read back with `helm` and `kubectl`.
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
import { getJson, kubectl, kubectlRun } from "../../helpers/kubectl.ts";
import { mustRun } from "../../helpers/run.ts";
import { kubectlEnv, tether } from "../../helpers/tether.ts";

const id = randomBytes(3).toString("hex");
const ns = `helm-meta-${id}`;
const recordsNs = `tether-helm-meta-${id}`;
const group = `g${id}.example.com`;
const cacheDir = join(tmpdir(), `tether-helm-meta-cache-${id}`);
const helmState = join(tmpdir(), `tether-helm-meta-cli-${id}`);
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
async function revision(name: string): Promise<string | undefined> {
  const all = JSON.parse(await helm(["list", "-n", ns, "-a", "-o", "json"])) as {
    name: string;
    revision: string;
  }[];
  return all.find((r) => r.name === name)?.revision;
}

/** What the pass printed for one HelmRelease: `<action>[: detail]`. */
function outcome(stdout: string, name: string): string {
  const line = stdout
    .split("\n")
    .find((l) => l.includes(`HelmRelease/${ns}/${name} `) && / helm /.test(l));
  return line?.replace(/^.* helm /, "") ?? `(no line for ${name} in)\n${stdout}`;
}

const sync = () =>
  tether(
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
    { exit: 0 },
  );

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
/** `web`: commonMetadata as given (none when empty) and a kustomize postRenderer. */
const web = (commonMetadata: string) =>
  helmRelease(
    "web",
    `${fromHttp}${commonMetadata}  postRenderers:
    - kustomize:
        patches:
          - target:
              kind: Deployment
            patch: |
              - op: add
                path: /metadata/labels/tether.test~1patched
                value: "yes"
  values:
    message: web
`,
  );
const teamEdge = `  commonMetadata:
    labels:
      team: edge
    annotations:
      tether.test/owner: ops
`;
const teamCore = `  commonMetadata:
    labels:
      team: core
`;
/** `plain`: no commonMetadata, no postRenderers, release name and namespace of its own. */
const plain = helmRelease(
  "plain",
  `${fromHttp}  releaseName: plain-release
  values:
    message: plain
`,
);

/** A chart from Git with a CRD in crds/ and a hook, installed with CreateReplace. */
function writeGadgets() {
  repo.write("charts/gadgets/Chart.yaml", "apiVersion: v2\nname: gadgets\nversion: 0.1.0\n");
  repo.write(
    "charts/gadgets/crds/gadgets.yaml",
    `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: gadgets.${group}
spec:
  group: ${group}
  scope: Namespaced
  names: {kind: Gadget, plural: gadgets, singular: gadget, listKind: GadgetList}
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
`,
  );
  repo.write(
    "charts/gadgets/templates/configmap.yaml",
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n  a: b\n",
  );
  repo.write(
    "charts/gadgets/templates/hook.yaml",
    `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-hook
  annotations:
    helm.sh/hook: post-install,post-upgrade
data:
  a: b
`,
  );
}
const gadgets = helmRelease(
  "gadgets",
  `  chart:
    spec:
      chart: ./charts/gadgets
      sourceRef:
        kind: GitRepository
        name: self
  install:
    crds: CreateReplace
${teamEdge}`,
);

// biome-ignore lint/suspicious/noExplicitAny: tests read whatever fields they check
const object = (kind: string, name: string): Promise<any> => getJson([kind, "-n", ns, name]);
const hrStatus = async (name: string): Promise<Record<string, unknown>> =>
  (await object("helmreleases.helm.toolkit.fluxcd.io", name)).status ?? {};
/** `kubectl get all,configmaps -l <origin labels of name>`: kind/name of what it lists. */
async function labelled(name: string): Promise<string[]> {
  const out = await kubectl([
    "get",
    "deployments,configmaps",
    "-n",
    ns,
    "-l",
    `helm.toolkit.fluxcd.io/name=${name},helm.toolkit.fluxcd.io/namespace=${ns}`,
    "-o",
    "name",
  ]);
  return out.split("\n").filter(Boolean).sort();
}

describe("HelmRelease origin labels and commonMetadata", { timeout: 600_000 }, () => {
  before(async () => {
    repo = await TestRepo.create("helm-meta");
    await kubectl(["create", "namespace", ns]);
    await chartsAuthSecret(ns);
    repo.write(
      "clusters/dev/sources.yaml",
      `${chartsRepositoryYaml(ns)}---\n${selfGitRepositoryYaml(ns, repo.plainUrl)}`,
    );
    writeGadgets();
    repo.write("clusters/dev/web.yaml", web(teamEdge));
    repo.write("clusters/dev/plain.yaml", plain);
    repo.write("clusters/dev/gadgets.yaml", gadgets);
    await repo.push("releases");
  });
  after(async () => {
    await kubectlRun(["delete", "namespace", ns, recordsNs, "--wait=false"]);
    await kubectlRun(["delete", "crd", `gadgets.${group}`, "--ignore-not-found", "--wait=false"]);
    repo?.cleanup();
  });

  test("install: every object carries the origin labels and commonMetadata, on metadata only", async () => {
    const result = await sync();
    for (const name of ["web", "plain", "gadgets"])
      assert.match(outcome(result.stdout, name), /^installed/, name);

    // `kubectl get -l helm.toolkit.fluxcd.io/name=…` finds each release's objects.
    assert.deepEqual(await labelled("web"), ["configmap/web-config", "deployment.apps/web"]);
    assert.deepEqual(await labelled("plain"), [
      "configmap/plain-release-config",
      "deployment.apps/plain-release",
    ]);
    assert.deepEqual(await labelled("gadgets"), ["configmap/gadgets"]);

    const deployment = await object("deployment", "web");
    assert.deepEqual(deployment.metadata.labels, {
      "app.kubernetes.io/instance": "web",
      "app.kubernetes.io/name": "app-demo",
      "app.kubernetes.io/managed-by": "Helm",
      "helm.toolkit.fluxcd.io/name": "web",
      "helm.toolkit.fluxcd.io/namespace": ns,
      team: "edge",
      // The postRenderers' patch ran too.
      "tether.test/patched": "yes",
    });
    assert.equal(deployment.metadata.annotations["tether.test/owner"], "ops");
    const config = await object("configmap", "web-config");
    assert.equal(config.metadata.labels.team, "edge");
    assert.equal(config.metadata.annotations["tether.test/owner"], "ops");
    // Selectors and pod templates stay as the chart made them.
    assert.deepEqual(deployment.spec.selector, {
      matchLabels: { "app.kubernetes.io/instance": "web" },
    });
    assert.deepEqual(deployment.spec.template.metadata.labels, {
      "app.kubernetes.io/instance": "web",
    });
    assert.equal(deployment.spec.template.metadata.annotations, undefined);
    // What Helm stored has them, so the next upgrade keeps them.
    assert.match(
      await helm(["get", "manifest", "web", "-n", ns]),
      /helm\.toolkit\.fluxcd\.io\/name: web/,
    );

    // No commonMetadata: the origin labels only, the HelmRelease's name (not the release's).
    const plainLabels = (await object("deployment", "plain-release")).metadata.labels;
    assert.equal(plainLabels["helm.toolkit.fluxcd.io/name"], "plain");
    assert.equal(plainLabels.team, undefined);

    // Status as helm-controller writes it: the commonMetadata digest only when set.
    assert.match(String((await hrStatus("web")).observedCommonMetadataDigest), /^sha256:/);
    assert.equal((await hrStatus("plain")).observedCommonMetadataDigest, undefined);

    // CRDs from crds/ that Tether applies: the origin labels, not commonMetadata (as Flux).
    const crd = await getJson(["crd", `gadgets.${group}`]);
    assert.equal(crd.metadata.labels["helm.toolkit.fluxcd.io/name"], "gadgets");
    assert.equal(crd.metadata.labels["helm.toolkit.fluxcd.io/namespace"], ns);
    assert.equal(crd.metadata.labels.team, undefined);
    // Hooks are not post-rendered by the helm 3 CLI (Flux's postRenderStrategy nohooks).
    const hook = await object("configmap", "gadgets-hook");
    assert.equal(hook.metadata.labels?.["helm.toolkit.fluxcd.io/name"], undefined);
  });

  test("a pass with nothing changed upgrades nothing", async () => {
    const result = await sync();
    for (const name of ["web", "plain", "gadgets"])
      assert.match(outcome(result.stdout, name), /^unchanged/, name);
    assert.equal(await revision("web"), "1");
    assert.equal(await revision("plain-release"), "1");
  });

  test("a commonMetadata change alone upgrades the release", async () => {
    repo.write("clusters/dev/web.yaml", web(teamCore));
    await repo.push("team core");
    const result = await sync();
    assert.match(outcome(result.stdout, "web"), /^upgraded/);
    assert.match(outcome(result.stdout, "plain"), /^unchanged/);
    assert.equal(await revision("web"), "2");
    const deployment = await object("deployment", "web");
    assert.equal(deployment.metadata.labels.team, "core");
    assert.equal(deployment.metadata.annotations?.["tether.test/owner"], undefined);
    assert.equal(deployment.metadata.labels["helm.toolkit.fluxcd.io/name"], "web");
  });

  test("commonMetadata removed: one upgrade takes its labels away, the origin labels stay", async () => {
    repo.write("clusters/dev/web.yaml", web(""));
    await repo.push("no commonMetadata");
    const first = await sync();
    assert.match(outcome(first.stdout, "web"), /^upgraded/);
    assert.equal(await revision("web"), "3");
    const labels = (await object("deployment", "web")).metadata.labels;
    assert.equal(labels.team, undefined);
    assert.equal(labels["helm.toolkit.fluxcd.io/name"], "web");
    assert.equal((await hrStatus("web")).observedCommonMetadataDigest, undefined);
    const second = await sync();
    assert.match(outcome(second.stdout, "web"), /^unchanged/);
    assert.equal(await revision("web"), "3");
  });
});
