// Which objects get Flux's gotk_* series and what they say (agent/resources.ts, pure), and
// how the series follow an object's state (agent/metrics.ts): one status at 1, a
// changed revision replacing the info series, a deleted object's info series gone.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { ImageStatus } from "../../agent/automation/status.ts";
import { emptyCounts } from "../../agent/changes.ts";
import type { KustomizationReport } from "../../agent/flux/kustomization.ts";
import { Metrics } from "../../agent/metrics.ts";
import type { UnitReport } from "../../agent/reconcile.ts";
import { imagePolicyResources, passResources } from "../../agent/resources.ts";
import type { SyncPass } from "../../agent/sync.ts";

const hr = (name: string) => ({
  apiVersion: "helm.toolkit.fluxcd.io/v2",
  kind: "HelmRelease",
  namespace: "apps",
  name,
});

const unitReport = (unit: string, ok: boolean, changes: UnitReport["changes"]): UnitReport => ({
  unit,
  revision: "abc",
  ok,
  status: {
    unit,
    path: unit,
    revision: "abc",
    lastSync: "",
    result: ok ? "Succeeded" : "Failed",
    counts: emptyCounts(),
    health: "Unknown",
    ...(ok ? { lastAppliedRevision: "abc" } : {}),
  },
  changes,
  errors: [],
  seconds: 0.5,
});

const ks = (
  name: string,
  ready: "True" | "False" | undefined,
  extra: Partial<KustomizationReport> = {},
): KustomizationReport => ({
  key: `flux-system/${name}`,
  object: {
    apiVersion: "kustomize.toolkit.fluxcd.io/v1",
    kind: "Kustomization",
    metadata: { name, namespace: "flux-system" },
    spec: { sourceRef: { kind: "GitRepository", name: "flux-system" }, suspend: false },
    status: {
      lastAppliedRevision: "main@sha1:abc",
      ...(ready ? { conditions: [{ type: "Ready", status: ready }] } : {}),
    },
  },
  ready: ready === "True",
  suspended: false,
  message: "",
  changes: [],
  children: [],
  ...extra,
});

describe("passResources", () => {
  test("units, Kustomizations, HelmReleases, GitRepositories; pruned Flux objects are Deleted", () => {
    const pass: SyncPass = {
      ok: false,
      revision: "abc",
      reports: [
        unitReport("infra", true, [
          { ref: hr("web"), action: "ready", detail: "helm upgraded" },
          { ref: hr("paused"), action: "ready", detail: "helm suspended" },
          { ref: hr("old"), action: "ready", detail: "helm uninstalled: release old" },
          {
            ref: {
              apiVersion: "kustomize.toolkit.fluxcd.io/v1",
              kind: "Kustomization",
              namespace: "flux-system",
              name: "gone",
            },
            action: "pruned",
          },
          // Not a Flux kind: no series.
          {
            ref: { apiVersion: "v1", kind: "ConfigMap", namespace: "a", name: "c" },
            action: "pruned",
          },
        ]),
        unitReport("apps", false, []),
      ],
      flux: {
        ok: false,
        reports: [
          ks("apps", "True", {
            seconds: 1.5,
            changes: [{ ref: hr("api"), action: "not-ready", detail: "helm install-failed" }],
          }),
          // Not due this pass: its live state, no duration.
          ks("later", "False", { skipped: true }),
          // No Ready condition yet: the report decides.
          ks("fresh", undefined),
        ],
        sources: [
          {
            apiVersion: "source.toolkit.fluxcd.io/v1",
            kind: "GitRepository",
            namespace: "flux-system",
            name: "flux-system",
            ready: true,
            suspended: false,
            revision: "main@sha1:abc",
            url: "https://git.example/fleet.git",
          },
        ],
      },
    };
    const states = passResources(pass, "tether-system");
    const brief = states.map(
      (s) =>
        `${s.kind}/${s.namespace}/${s.name} ${s.ready}${s.suspended ? " suspended" : ""}${s.seconds !== undefined ? ` ${s.seconds}s` : ""}`,
    );
    assert.deepEqual(brief, [
      "Unit/tether-system/infra True 0.5s",
      "HelmRelease/apps/web True",
      "HelmRelease/apps/paused True suspended",
      "HelmRelease/apps/old Deleted",
      "Kustomization/flux-system/gone Deleted",
      "Unit/tether-system/apps False 0.5s",
      "GitRepository/flux-system/flux-system True",
      "Kustomization/flux-system/apps True 1.5s",
      "HelmRelease/apps/api False",
      "Kustomization/flux-system/later False",
      "Kustomization/flux-system/fresh False",
    ]);
    const apps = states.find((s) => s.kind === "Kustomization" && s.name === "apps");
    assert.equal(apps?.revision, "main@sha1:abc");
    assert.deepEqual(apps?.labels, { source_name: "flux-system" });
    assert.equal(apps?.group, "kustomize.toolkit.fluxcd.io");
    assert.equal(apps?.version, "v1");
    assert.equal(states[0]?.revision, "abc");
    assert.equal(states[0]?.group, "tether.dev");
  });

  test("image policies from `namespace:name` keys", () => {
    const status: ImageStatus = {
      lastRun: "",
      policies: [
        { policy: "apps:web", latest: "1.2.0", inGit: "web:1.1.0" },
        { policy: "apps:api", latest: "", inGit: "", error: "registry unreachable" },
      ],
    };
    assert.deepEqual(
      imagePolicyResources(status, "tether-system").map((s) => [
        s.namespace,
        s.name,
        s.ready,
        s.revision,
      ]),
      [
        ["apps", "web", "True", "1.2.0"],
        ["apps", "api", "False", undefined],
      ],
    );
  });
});

describe("Metrics.recordResources", () => {
  const id = { kind: "HelmRelease", namespace: "apps", name: "web" };
  const base = { ...id, group: "helm.toolkit.fluxcd.io", version: "v2" };
  const lines = async (m: Metrics, prefix: string) =>
    (await m.render()).split("\n").filter((l) => l.startsWith(prefix));

  test("one status at 1; the info series follows the state; Deleted drops it", async () => {
    const m = new Metrics({ namespace: "tether-system" });
    m.recordResources([{ ...base, ready: "False", revision: "1.0.0" }]);
    m.recordResources([{ ...base, ready: "True", revision: "1.1.0" }]);
    const condition = await lines(m, "gotk_reconcile_condition{");
    assert.deepEqual(
      condition.map((l) => /status="(\w+)"\} (\d)/.exec(l)?.slice(1).join("=")),
      ["True=1", "False=0", "Unknown=0", "Deleted=0"],
    );
    const info = await lines(m, "gotk_resource_info{");
    assert.equal(info.length, 1, info.join("\n"));
    assert.match(info[0] ?? "", /ready="True",suspended="false",revision="1.1.0"\} 1$/);

    m.recordResources([{ ...base, ready: "Deleted" }]);
    assert.deepEqual(await lines(m, "gotk_resource_info{"), []);
    assert.match(
      (await lines(m, "gotk_reconcile_condition{")).find((l) => l.includes('status="Deleted"')) ??
        "",
      / 1$/,
    );
  });

  test("a suspended unit keeps its state and says suspended; resumed, it does not", async () => {
    const m = new Metrics({ namespace: "tether-system" });
    m.recordUnitFailed("apps");
    m.recordSuspended(new Set(["apps"]));
    const suspendLine = 'gotk_suspend_status{kind="Unit",name="apps",namespace="tether-system"}';
    assert.deepEqual(await lines(m, suspendLine), [`${suspendLine} 1`]);
    assert.match(
      (await lines(m, "gotk_resource_info{"))[0] ?? "",
      /ready="False",suspended="true"/,
    );
    m.recordSuspended(new Set());
    assert.deepEqual(await lines(m, suspendLine), [`${suspendLine} 0`]);
  });
});
