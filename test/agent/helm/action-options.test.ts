// The HelmRelease's action options as helm-controller v1.4 (Flux 2.7) reads them, and
// the helm command lines they make: per-action timeouts, waiting for Jobs, taking
// ownership of existing objects, preserveValues, rollback's own options, and the
// install's last-failure default. Pure: spec in, arguments out (the end-to-end run is
// in flux-actions.test.ts).
import assert from "node:assert/strict";
import { test } from "node:test";
import { installArgs, rollbackArgs, upgradeArgs } from "../../../agent/helm/actions.ts";
import { readReleaseSpec } from "../../../agent/helm/spec.ts";
import type { KubeObject } from "../../../shared/manifests/object.ts";

const hr = (
  spec: Record<string, unknown>,
  apiVersion = "helm.toolkit.fluxcd.io/v2",
): KubeObject => ({
  apiVersion,
  kind: "HelmRelease",
  metadata: { name: "app", namespace: "apps", generation: 1 },
  spec: {
    chart: { spec: { chart: "app", sourceRef: { kind: "HelmRepository", name: "charts" } } },
    ...spec,
  },
});
const input = (spec: Record<string, unknown>) => ({
  spec: readReleaseSpec(hr(spec)),
  chartPath: "/c.tgz",
  valuesFile: "/v.json",
  description: "d",
});
const install = (spec: Record<string, unknown>) => installArgs(input(spec));
const upgrade = (spec: Record<string, unknown>) => upgradeArgs(input(spec));
const rollback = (spec: Record<string, unknown>) => rollbackArgs(readReleaseSpec(hr(spec)), 3);
/** The value given to `flag`. */
const flagValue = (args: string[], flag: string) => args[args.indexOf(flag) + 1];

test("remediateLastFailure: never by default for an install, for an upgrade when retries > 0", () => {
  const spec = (s: Record<string, unknown>) => readReleaseSpec(hr(s));
  // Flux keeps the last failed install for debugging unless asked to remove it.
  assert.equal(
    spec({ install: { remediation: { retries: 3 } } }).install.remediateLastFailure,
    false,
  );
  assert.equal(
    spec({ install: { remediation: { retries: 3, remediateLastFailure: true } } }).install
      .remediateLastFailure,
    true,
  );
  assert.equal(
    spec({ upgrade: { remediation: { retries: 3 } } }).upgrade.remediateLastFailure,
    true,
  );
  assert.equal(
    spec({ upgrade: { remediation: { retries: 0 } } }).upgrade.remediateLastFailure,
    false,
  );
  // A negative count retries forever; Flux's default is `retries > 0`, so false.
  assert.equal(
    spec({ upgrade: { remediation: { retries: -1 } } }).upgrade.remediateLastFailure,
    false,
  );
});

test("timeouts: each action's own, else spec.timeout", () => {
  const timeouts = {
    timeout: "10m",
    install: { timeout: "30s" },
    upgrade: { timeout: "1m" },
    rollback: { timeout: "2m" },
  };
  assert.equal(flagValue(install(timeouts), "--timeout"), "30s");
  assert.equal(flagValue(upgrade(timeouts), "--timeout"), "60s");
  assert.equal(flagValue(rollback(timeouts), "--timeout"), "120s");
  assert.equal(flagValue(install({ timeout: "10m" }), "--timeout"), "600s");
  assert.equal(flagValue(upgrade({ timeout: "10m" }), "--timeout"), "600s");
  assert.equal(flagValue(rollback({ timeout: "10m" }), "--timeout"), "600s");
  assert.throws(() => install({ rollback: { timeout: "soon" } }), /rollback\.timeout/);
});

test("install and upgrade wait for Jobs and take ownership unless told not to", () => {
  for (const [args, options] of [
    [install, "install"],
    [upgrade, "upgrade"],
  ] as const) {
    const plain = args({});
    assert.ok(plain.includes("--wait"), options);
    assert.ok(plain.includes("--wait-for-jobs"), options);
    assert.ok(plain.includes("--take-ownership"), options);
    assert.ok(!args({ [options]: { disableWaitForJobs: true } }).includes("--wait-for-jobs"));
    const noWait = args({ [options]: { disableWait: true } });
    assert.ok(!noWait.includes("--wait") && !noWait.includes("--wait-for-jobs"), options);
    assert.ok(!args({ [options]: { disableTakeOwnership: true } }).includes("--take-ownership"));
  }
});

test("upgrade.preserveValues reuses the last release's values instead of resetting them", () => {
  assert.ok(upgrade({}).includes("--reset-values"));
  assert.ok(!upgrade({}).includes("--reuse-values"));
  const preserved = upgrade({ upgrade: { preserveValues: true } });
  assert.ok(preserved.includes("--reuse-values"));
  assert.ok(!preserved.includes("--reset-values"));
});

test("rollback takes its own options, not the upgrade's", () => {
  const plain = rollback({ upgrade: { disableWait: true } });
  assert.deepEqual(plain.slice(0, 3), ["rollback", "app", "3"]);
  assert.ok(plain.includes("--wait"), "upgrade.disableWait does not apply to a rollback");
  assert.ok(plain.includes("--wait-for-jobs"));
  assert.equal(flagValue(plain, "--history-max"), "5");
  for (const flag of ["--no-hooks", "--recreate-pods", "--force", "--cleanup-on-fail"])
    assert.ok(!plain.includes(flag), flag);
  const noWait = rollback({ rollback: { disableWait: true } });
  assert.ok(!noWait.includes("--wait") && !noWait.includes("--wait-for-jobs"));
  assert.ok(!rollback({ rollback: { disableWaitForJobs: true } }).includes("--wait-for-jobs"));
  const all = rollback({
    rollback: { disableHooks: true, recreate: true, force: true, cleanupOnFail: true },
  });
  for (const flag of ["--no-hooks", "--recreate-pods", "--force", "--cleanup-on-fail"])
    assert.ok(all.includes(flag), flag);
});

test("Flux v1 HelmReleases wait as before: for Pods with spec.wait, never for Jobs", () => {
  const v1 = readReleaseSpec(
    hr(
      {
        chart: { repository: "https://charts.example", name: "app", version: "1.0.0" },
        wait: true,
      },
      "helm.fluxcd.io/v1",
    ),
  );
  const args = installArgs({
    spec: v1,
    chartPath: "/c.tgz",
    valuesFile: "/v.json",
    description: "d",
  });
  assert.ok(args.includes("--wait"));
  assert.ok(!args.includes("--wait-for-jobs"));
});
