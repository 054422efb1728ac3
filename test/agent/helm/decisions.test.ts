// Pure decisions of the Helm step: the spec read with Flux's defaults, values merged
// as helm-controller merges them, and what to do with a release (table tests).
import assert from "node:assert/strict";
import { test } from "node:test";
import { servedApiVersion } from "../../../agent/flux/crds.ts";
import { installArgs } from "../../../agent/helm/actions.ts";
import type { ListedRelease } from "../../../agent/helm/cli.ts";
import { crdDocuments } from "../../../agent/helm/crds.ts";
import {
  chartIdentityUpdate,
  type Desired,
  decide,
  failuresFor,
  helmTime,
  type PreviousStatus,
  stallAfterFailure,
} from "../../../agent/helm/decide.ts";
import { diffPaths, ignored } from "../../../agent/helm/drift.ts";
import { orderByDependencies } from "../../../agent/helm/pass.ts";
import { defaultReleaseName, readReleaseSpec, remoteClusterOf } from "../../../agent/helm/spec.ts";
import { composeValues, valuesDigest } from "../../../agent/helm/values.ts";
import { mergeValues } from "../../../shared/charts/values-files.ts";
import type { KubeObject } from "../../../shared/manifests/object.ts";

const hr = (
  spec: Record<string, unknown>,
  extra: Partial<KubeObject["metadata"]> = {},
): KubeObject => ({
  apiVersion: "helm.toolkit.fluxcd.io/v2",
  kind: "HelmRelease",
  metadata: { name: "app", namespace: "apps", generation: 1, ...extra },
  spec: {
    chart: {
      spec: {
        chart: "app-demo",
        version: "0.1.x",
        sourceRef: { kind: "HelmRepository", name: "charts" },
      },
    },
    ...spec,
  },
});

test("Flux's defaults: release name, namespaces, timeout, history, remediation", () => {
  const spec = readReleaseSpec(hr({}));
  assert.equal(spec.releaseName, "app");
  assert.equal(spec.releaseNamespace, "apps");
  assert.equal(spec.timeoutMs, 300_000);
  assert.equal(spec.maxHistory, 5);
  assert.equal(spec.install.crds, "Create");
  assert.equal(spec.upgrade.crds, "Skip");
  assert.equal(spec.upgrade.retries, 0);
  assert.equal(spec.upgrade.remediateLastFailure, false);
  assert.deepEqual(spec.chart, {
    from: "HelmRepository",
    source: { kind: "HelmRepository", namespace: "apps", name: "charts" },
    chart: "app-demo",
    version: "0.1.x",
  });
  const target = readReleaseSpec(
    hr({ targetNamespace: "web", upgrade: { remediation: { retries: 2 } }, timeout: "1m30s" }),
  );
  assert.equal(target.releaseName, "web-app");
  assert.equal(target.releaseNamespace, "web");
  assert.equal(target.upgrade.retries, 2);
  assert.equal(target.upgrade.remediateLastFailure, true);
  assert.equal(target.timeoutMs, 90_000);
  // Flux's docs: the first 40 characters, a dash, 12 hex of the sha256 (53 in all, Helm's
  // limit). Their example shows 42 characters, which Helm would refuse; the text is followed.
  assert.equal(
    defaultReleaseName("nice-object-name", "a-very-lengthy-target-namespace-with-a"),
    "a-very-lengthy-target-namespace-with-a-n-97af5d7f41f3",
  );
  assert.throws(
    () => readReleaseSpec(hr({ targetNamespace: "web", storageNamespace: "other" })),
    /storageNamespace other differs/,
  );
});

test("Flux v1 HelmRelease: chart from git with path and ref, release name namespace-name", () => {
  const spec = readReleaseSpec({
    apiVersion: "helm.fluxcd.io/v1",
    kind: "HelmRelease",
    metadata: { name: "demo", namespace: "dev" },
    spec: {
      chart: { git: "ssh://git@example.invalid/repo", path: "charts/demo", ref: "main" },
      values: { a: 1 },
      rollback: { enable: true },
    },
  });
  assert.equal(spec.releaseName, "dev-demo");
  assert.deepEqual(spec.chart, {
    from: "git",
    url: "ssh://git@example.invalid/repo",
    path: "charts/demo",
    ref: "main",
  });
  assert.equal(spec.upgrade.remediateLastFailure, true);
  assert.equal(spec.install.disableWait, true);
});

test("values: valuesFrom in order, targetPath typed like --set, inline values last", async () => {
  const sources: Record<string, Record<string, string>> = {
    "ConfigMap/base": { "values.yaml": "image: a\nnested: {x: 1, y: 2}\n" },
    "Secret/creds": { password: "s3cret", other: "replicas: 3\n" },
  };
  const read = async (kind: string, _ns: string, name: string) => sources[`${kind}/${name}`];
  const values = await composeValues(
    [
      { kind: "ConfigMap", name: "base", valuesKey: "values.yaml", optional: false },
      {
        kind: "Secret",
        name: "creds",
        valuesKey: "password",
        targetPath: "auth.password",
        optional: false,
      },
      { kind: "Secret", name: "creds", valuesKey: "other", optional: false },
      { kind: "ConfigMap", name: "missing", valuesKey: "values.yaml", optional: true },
    ],
    { nested: { y: 5 }, image: "b" },
    "apps",
    read,
  );
  assert.deepEqual(values, {
    image: "b",
    nested: { x: 1, y: 5 },
    auth: { password: "s3cret" },
    replicas: 3,
  });
  await assert.rejects(
    composeValues(
      [{ kind: "ConfigMap", name: "missing", valuesKey: "values.yaml", optional: false }],
      {},
      "apps",
      read,
    ),
    /could not find ConfigMap 'apps\/missing'/,
  );
  // How a targetPath value is read and where it wins: values-targetpath.test.ts.
  assert.deepEqual(mergeValues({ a: [1, 2] }, { a: [3] }), { a: [3] });
  assert.equal(valuesDigest({ a: 1, b: 2 }), valuesDigest({ b: 2, a: 1 }));
  assert.notEqual(valuesDigest({ a: 1 }), valuesDigest({ a: "1" }));
});

test("decide: install, upgrade on change, nothing when unchanged, recovery, stall", () => {
  const spec = readReleaseSpec(hr({ upgrade: { remediation: { retries: 1 } } }));
  const desired: Desired = {
    chartDigest: "sha256:c1",
    configDigest: "sha256:v1",
    postRenderersDigest: "",
  };
  const deployed: ListedRelease = {
    name: "app",
    namespace: "apps",
    revision: "1",
    status: "deployed",
    chart: "app-demo-0.1.1",
    app_version: "1",
    updated: "",
  };
  const made: PreviousStatus = {
    history: [
      {
        name: "app",
        namespace: "apps",
        version: 1,
        configDigest: "sha256:v1",
        ociDigest: "sha256:c1",
        status: "deployed",
      },
    ],
    lastAttemptedGeneration: 1,
    lastAttemptedConfigDigest: "sha256:v1",
    lastAttemptedRevisionDigest: "sha256:c1",
  };
  const cases: [string, ListedRelease | undefined, PreviousStatus, typeof desired, string][] = [
    ["first sync", undefined, {}, desired, "install"],
    ["unchanged", deployed, made, desired, "none"],
    ["values changed", deployed, made, { ...desired, configDigest: "sha256:v2" }, "upgrade"],
    ["chart changed", deployed, made, { ...desired, chartDigest: "sha256:c2" }, "upgrade"],
    [
      "a Git chart's new identity, made before with its content digest (same chart)",
      deployed,
      made,
      { ...desired, chartDigest: "sha256:id", earlierChartDigest: "sha256:c1" },
      "none",
    ],
    [
      "a Git chart's new identity, its content changed since",
      deployed,
      made,
      { ...desired, chartDigest: "sha256:id", earlierChartDigest: "sha256:c2" },
      "upgrade",
    ],
    ["someone ran helm upgrade by hand", { ...deployed, revision: "2" }, made, desired, "upgrade"],
    ["release deleted by hand", undefined, made, desired, "install"],
    ["crash during upgrade", { ...deployed, status: "pending-upgrade" }, made, desired, "recover"],
    ["crash during install", { ...deployed, status: "pending-install" }, {}, desired, "recover"],
    [
      "failed upgrade, one retry left",
      { ...deployed, status: "deployed", revision: "3" },
      { ...made, upgradeFailures: 1 },
      desired,
      "upgrade",
    ],
    ["retries exhausted", deployed, { ...made, upgradeFailures: 2 }, desired, "stalled"],
    [
      "retries exhausted, but the values changed since",
      deployed,
      { ...made, upgradeFailures: 2 },
      { ...desired, configDigest: "sha256:v3" },
      "upgrade",
    ],
    [
      "release renamed",
      deployed,
      { ...made, history: [{ name: "old", namespace: "apps", version: 1 }] },
      desired,
      "replace",
    ],
  ];
  for (const [name, current, prev, want, action] of cases) {
    assert.equal(decide(spec, want, current, prev).action, action, name);
  }
  const recovered = decide(spec, desired, { ...deployed, status: "pending-upgrade" }, made);
  assert.deepEqual(recovered, { action: "recover", from: "pending-upgrade", next: "upgrade" });
});

// A Git chart under ChartVersion is named by its identity (name, version, values files);
// an earlier Tether recorded its content digest. The first pass takes the release as the
// same chart through that digest and records the identity, so an edit of the chart
// folder without a version bump is no upgrade on any later pass, as in Flux.
test("decide: a release recorded by a Git chart's content digest is recorded by its identity", () => {
  const spec = readReleaseSpec(hr({ upgrade: { remediation: { retries: 1 } } }));
  const deployed: ListedRelease = {
    name: "app",
    namespace: "apps",
    revision: "1",
    status: "deployed",
    chart: "app-demo-0.1.1",
    app_version: "1",
    updated: "",
  };
  const snapshot = { name: "app", namespace: "apps", configDigest: "sha256:v1" };
  const earlier: PreviousStatus = {
    history: [
      { ...snapshot, version: 1, ociDigest: "sha256:content1", status: "deployed" },
      { ...snapshot, version: 0, ociDigest: "sha256:older", status: "superseded" },
    ],
    lastAttemptedGeneration: 1,
    lastAttemptedConfigDigest: "sha256:v1",
    lastAttemptedRevisionDigest: "sha256:content1",
  };
  const desired: Desired = {
    chartDigest: "sha256:identity",
    earlierChartDigest: "sha256:content1",
    configDigest: "sha256:v1",
    postRenderersDigest: "",
  };
  assert.equal(decide(spec, desired, deployed, earlier).action, "none");
  const update = chartIdentityUpdate(desired, earlier);
  assert.deepEqual(update, {
    history: [
      { ...snapshot, version: 1, ociDigest: "sha256:identity", status: "deployed" },
      { ...snapshot, version: 0, ociDigest: "sha256:older", status: "superseded" },
    ],
    lastAttemptedRevisionDigest: "sha256:identity",
  });
  // The next pass, after the chart folder was edited without a version bump: same chart.
  const written: PreviousStatus = { ...earlier, ...update };
  const edited: Desired = { ...desired, earlierChartDigest: "sha256:content2" };
  assert.equal(decide(spec, edited, deployed, written).action, "none");
  assert.equal(chartIdentityUpdate(edited, written), undefined, "nothing left to record");
  // A version bump is a new chart.
  assert.equal(
    decide(spec, { ...edited, chartDigest: "sha256:identity2" }, deployed, written).action,
    "upgrade",
  );
  // Charts with no earlier digest (repositories, OCI, Revision) are never rewritten.
  assert.equal(
    chartIdentityUpdate({ ...desired, earlierChartDigest: undefined }, earlier),
    undefined,
  );

  // Stalled under the earlier Tether (upgrade retries used up for this chart and values):
  // the failures counted against the content digest still count, so it stays stalled.
  const stalled: PreviousStatus = {
    ...earlier,
    upgradeFailures: 2,
    history: [{ ...snapshot, version: 1, ociDigest: "sha256:before", status: "deployed" }],
  };
  const failed: ListedRelease = { ...deployed, revision: "2", status: "failed" };
  assert.deepEqual(failuresFor(spec, desired, stalled), { install: 0, upgrade: 2 });
  assert.equal(decide(spec, desired, failed, stalled).action, "stalled");
  const stalledUpdate = chartIdentityUpdate(desired, stalled);
  assert.deepEqual(stalledUpdate, { lastAttemptedRevisionDigest: "sha256:identity" });
  // Recorded by its identity, it stays stalled after an edit without a version bump too.
  const stalledWritten: PreviousStatus = { ...stalled, ...stalledUpdate };
  assert.equal(decide(spec, edited, failed, stalledWritten).action, "stalled");
  // A reset still starts the counters again.
  assert.equal(
    decide(spec, desired, failed, stalled, Date.now(), { reset: true }).action,
    "upgrade",
  );
});

test("spec.kubeConfig names a remote cluster (a Secret or a ConfigMap); none without it", () => {
  assert.equal(remoteClusterOf(hr({})), undefined);
  assert.equal(
    remoteClusterOf(hr({ kubeConfig: { secretRef: { name: "prod", key: "value" } } })),
    "kubeconfig Secret 'apps/prod'",
  );
  assert.equal(
    remoteClusterOf(hr({ kubeConfig: { configMapRef: { name: "gke" } } })),
    "ConfigMap 'apps/gke'",
  );
  // Invalid in Flux, still not this cluster: refused rather than released here.
  assert.equal(remoteClusterOf(hr({ kubeConfig: {} })), "spec.kubeConfig");
});

test("decide: a failed install is retried under the install's policy; RetryOnFailure never stalls", () => {
  const desired = { chartDigest: "sha256:c1", configDigest: "sha256:v1", postRenderersDigest: "" };
  const failed: ListedRelease = {
    name: "app",
    namespace: "apps",
    revision: "1",
    status: "failed",
    chart: "app-demo-0.1.1",
    app_version: "1",
    updated: "",
  };
  const attempted: PreviousStatus = {
    lastAttemptedGeneration: 1,
    lastAttemptedConfigDigest: "sha256:v1",
    lastAttemptedRevisionDigest: "sha256:c1",
  };
  // Default strategy, no retries: the failed install is not attempted again (Flux stalls).
  const plain = readReleaseSpec(hr({}));
  assert.equal(
    decide(plain, desired, failed, { ...attempted, installFailures: 1 }).action,
    "stalled",
  );
  // RetryOnFailure: the failed release is upgraded again, pass after pass.
  const retry = readReleaseSpec(
    hr({
      install: { strategy: { name: "RetryOnFailure" } },
      upgrade: { strategy: { name: "RetryOnFailure" } },
    }),
  );
  assert.equal(retry.install.retryOnFailure, true);
  assert.equal(retry.upgrade.retryOnFailure, true);
  assert.equal(
    decide(retry, desired, failed, { ...attempted, installFailures: 7 }).action,
    "upgrade",
  );
  const deployed = { ...failed, revision: "2", status: "failed" };
  const made: PreviousStatus = {
    ...attempted,
    history: [{ name: "app", namespace: "apps", version: 1, status: "deployed" }],
  };
  assert.equal(decide(retry, desired, deployed, { ...made, upgradeFailures: 9 }).action, "upgrade");
  assert.equal(decide(plain, desired, deployed, { ...made, upgradeFailures: 1 }).action, "stalled");
});

test("decide: an upgrade whose last failure was remediated by uninstall is installed again", () => {
  // helm-controller since v1.5.0 (Flux 2.8): no stall after an uninstall remediation of
  // an upgrade (IsUninstallAfterUpgrade), and a missing release is held back only by the
  // install's retries; its docs: "the controller will attempt to reinstall the release".
  const spec = readReleaseSpec(
    hr({ upgrade: { remediation: { retries: 1, strategy: "uninstall" } } }),
  );
  const desired = { chartDigest: "sha256:c1", configDigest: "sha256:v1", postRenderersDigest: "" };
  const exhausted: PreviousStatus = {
    lastAttemptedGeneration: 1,
    lastAttemptedConfigDigest: "sha256:v1",
    lastAttemptedRevisionDigest: "sha256:c1",
    upgradeFailures: 2,
    history: [{ name: "app", namespace: "apps", version: 1, status: "deployed" }],
  };
  assert.equal(stallAfterFailure(spec, "upgrade", 2), undefined);
  assert.equal(decide(spec, desired, undefined, exhausted).action, "install");
  // A failed reinstall counts against the install's retries (0 here): then it stalls.
  assert.equal(
    decide(spec, desired, undefined, { ...exhausted, installFailures: 1 }).action,
    "stalled",
  );
});

test("decide: RetryOnFailure waits retryInterval after the failed attempt Helm stored", () => {
  const desired = { chartDigest: "sha256:c1", configDigest: "sha256:v1", postRenderersDigest: "" };
  // helm list's time format; the same instant in helm status's RFC 3339.
  const failedAt = Date.parse("2026-12-01T03:00:00.639Z");
  assert.equal(helmTime("2026-12-01 03:00:00.639074427 +0000 UTC"), failedAt);
  assert.equal(helmTime("2026-12-01T04:00:00.639074427+01:00"), failedAt);
  assert.equal(helmTime(""), undefined);
  const failed: ListedRelease = {
    name: "app",
    namespace: "apps",
    revision: "2",
    status: "failed",
    chart: "app-demo-0.1.1",
    app_version: "1",
    updated: "2026-12-01 03:00:00.639074427 +0000 UTC",
  };
  const prev: PreviousStatus = {
    lastAttemptedGeneration: 1,
    lastAttemptedConfigDigest: "sha256:v1",
    lastAttemptedRevisionDigest: "sha256:c1",
    upgradeFailures: 1,
    history: [{ name: "app", namespace: "apps", version: 1, status: "deployed" }],
  };
  const spec = readReleaseSpec(
    hr({ upgrade: { strategy: { name: "RetryOnFailure", retryInterval: "10m" } } }),
  );
  assert.equal(spec.upgrade.retryIntervalMs, 600_000);
  const minute = 60_000;
  const early = decide(spec, desired, failed, prev, failedAt + 9 * minute);
  assert.equal(early.action, "wait");
  assert.match(
    (early as { message: string }).message,
    /the failed upgrade is tried again after 2026-12-01T03:10:00\.639Z \(retryInterval 600s\)/,
  );
  assert.equal(decide(spec, desired, failed, prev, failedAt + 10 * minute).action, "upgrade");
  // A new desired state (values changed) is tried at once; so is a failure not counted here.
  assert.equal(
    decide(spec, { ...desired, configDigest: "sha256:v2" }, failed, prev, failedAt).action,
    "upgrade",
  );
  assert.equal(
    decide(spec, desired, failed, { ...prev, upgradeFailures: 0 }, failedAt).action,
    "upgrade",
  );
  // The default interval is Flux's 5m; RemediateOnFailure never waits and refuses one.
  const byDefault = readReleaseSpec(hr({ install: { strategy: { name: "RetryOnFailure" } } }));
  assert.equal(byDefault.install.retryIntervalMs, 300_000);
  assert.throws(
    () =>
      readReleaseSpec(
        hr({ upgrade: { strategy: { name: "RemediateOnFailure", retryInterval: "1m" } } }),
      ),
    /retryInterval can only be used with RetryOnFailure/,
  );
});

test("install arguments: replace and the CRD policy", () => {
  const args = (install: Record<string, unknown>) =>
    installArgs({
      spec: readReleaseSpec(hr({ install })),
      chartPath: "/c.tgz",
      valuesFile: "/v.json",
      description: "d",
    });
  assert.ok(args({ replace: true }).includes("--replace"));
  assert.ok(!args({}).includes("--replace"));
  assert.ok(!args({}).includes("--skip-crds"), "Create: Helm creates the missing CRDs");
  assert.ok(args({ crds: "Skip" }).includes("--skip-crds"));
  // CreateReplace: Tether applies the CRDs itself before Helm runs.
  assert.ok(args({ crds: "CreateReplace" }).includes("--skip-crds"));
});

test("drift: differing and missing fields, ignore rules by path and target", () => {
  const desired = {
    spec: { replicas: 1, template: { spec: { containers: [{ name: "a", image: "x" }] } } },
  };
  const live = {
    spec: {
      replicas: 3,
      template: { spec: { containers: [{ name: "a", image: "x", imagePullPolicy: "Always" }] } },
    },
  };
  assert.deepEqual(diffPaths(desired, live), ["/spec/replicas"]);
  const deployment = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "app" } };
  assert.equal(
    ignored(
      [{ paths: ["/spec/replicas"], target: { kind: "Deployment" } }],
      deployment,
      "/spec/replicas",
    ),
    true,
  );
  assert.equal(
    ignored(
      [{ paths: ["/spec/replicas"], target: { kind: "StatefulSet" } }],
      deployment,
      "/spec/replicas",
    ),
    false,
  );
  assert.equal(ignored([{ paths: ["/spec"] }], deployment, "/spec/replicas"), true);
});

test("dependsOn orders releases in a pass", () => {
  const a = hr({ dependsOn: [{ name: "b" }] }, { name: "a" });
  const b = hr({ dependsOn: [{ name: "c" }] }, { name: "b" });
  const c = hr({}, { name: "c" });
  assert.deepEqual(
    orderByDependencies([a, b, c]).map((r) => r.metadata.name),
    ["c", "b", "a"],
  );
});

test("versions Flux no longer serves are applied as the served one (seed 002 is v2beta1)", () => {
  assert.equal(
    servedApiVersion("helm.toolkit.fluxcd.io/v2beta1", "HelmRelease"),
    "helm.toolkit.fluxcd.io/v2",
  );
  assert.equal(
    servedApiVersion("helm.toolkit.fluxcd.io/v2beta2", "HelmRelease"),
    "helm.toolkit.fluxcd.io/v2",
  );
  assert.equal(
    servedApiVersion("source.toolkit.fluxcd.io/v1beta2", "HelmRepository"),
    "source.toolkit.fluxcd.io/v1",
  );
  assert.equal(
    servedApiVersion("image.toolkit.fluxcd.io/v1beta2", "ImagePolicy"),
    "image.toolkit.fluxcd.io/v1",
  );
  assert.equal(
    servedApiVersion("helm.toolkit.fluxcd.io/v2", "HelmRelease"),
    "helm.toolkit.fluxcd.io/v2",
  );
  // Flux v1's HelmRelease is not a Flux 2 kind: left alone (the Helm step serves it).
  assert.equal(servedApiVersion("helm.fluxcd.io/v1", "HelmRelease"), "helm.fluxcd.io/v1");
});

test("chart CRDs: `helm show crds` files without --- between them are still separate CRDs", async () => {
  const crd = (name: string) =>
    `# ${name}\napiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: ${name}\nspec:\n  group: x\n`;
  // As Helm prints three files: two bare, one that starts with ---, plus a non-CRD.
  const text = `${crd("a.x")}\n${crd("b.x")}\n---\n${crd("c.x")}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: d}\n`;
  assert.deepEqual(
    (await crdDocuments(text)).map((o) => o.metadata.name),
    ["a.x", "b.x", "c.x"],
  );
});
