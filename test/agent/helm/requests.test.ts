// `flux reconcile helmrelease NAME --force` and `--reset`, the pure part (table tests):
// which annotations count as a request (a token equal to requestedAt, not handled
// before), what the status records, and what a forced or reset release does with a
// release that stalled, failed, waits for its RetryOnFailure interval or is in sync.
// End to end with helm: force-reset.test.ts.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { ListedRelease } from "../../../agent/helm/cli.ts";
import {
  decide,
  FORCE_AT_ANNOTATION,
  failuresFor,
  type PreviousStatus,
  RESET_AT_ANNOTATION,
  requestsOf,
  stallAfterFailure,
} from "../../../agent/helm/decide.ts";
import { readReleaseSpec } from "../../../agent/helm/spec.ts";

const REQUESTED = "reconcile.fluxcd.io/requestedAt";

test("the annotations Flux's CLI writes: forceAt and resetAt", () => {
  assert.equal(FORCE_AT_ANNOTATION, "reconcile.fluxcd.io/forceAt");
  assert.equal(RESET_AT_ANNOTATION, "reconcile.fluxcd.io/resetAt");
});

test("requestsOf: a token counts once, only when it equals requestedAt", () => {
  const T = "2026-12-01T10:00:00.123456789Z";
  const U = "2026-12-01T11:00:00Z";
  const cases: [
    string,
    Record<string, string> | undefined,
    PreviousStatus,
    { force: boolean; reset: boolean; handled: Record<string, string> },
  ][] = [
    ["no annotations", undefined, {}, { force: false, reset: false, handled: {} }],
    ["a plain flux reconcile", { [REQUESTED]: T }, {}, { force: false, reset: false, handled: {} }],
    [
      "--force",
      { [REQUESTED]: T, [FORCE_AT_ANNOTATION]: T },
      {},
      { force: true, reset: false, handled: { lastHandledForceAt: T } },
    ],
    [
      "--reset",
      { [REQUESTED]: T, [RESET_AT_ANNOTATION]: T },
      {},
      { force: false, reset: true, handled: { lastHandledResetAt: T } },
    ],
    [
      "--force --reset",
      { [REQUESTED]: T, [FORCE_AT_ANNOTATION]: T, [RESET_AT_ANNOTATION]: T },
      { lastHandledReconcileAt: U, lastHandledForceAt: U, lastHandledResetAt: U },
      { force: true, reset: true, handled: { lastHandledForceAt: T, lastHandledResetAt: T } },
    ],
    [
      "forceAt differs from requestedAt: not a request, but recorded as handled",
      { [REQUESTED]: U, [FORCE_AT_ANNOTATION]: T },
      {},
      { force: false, reset: false, handled: { lastHandledForceAt: T } },
    ],
    [
      "forceAt without requestedAt",
      { [FORCE_AT_ANNOTATION]: T },
      {},
      { force: false, reset: false, handled: { lastHandledForceAt: T } },
    ],
    [
      "the same force again: handled already",
      { [REQUESTED]: T, [FORCE_AT_ANNOTATION]: T },
      { lastHandledForceAt: T },
      { force: false, reset: false, handled: { lastHandledForceAt: T } },
    ],
    [
      "the same reset again: handled already",
      { [REQUESTED]: T, [RESET_AT_ANNOTATION]: T },
      { lastHandledResetAt: T },
      { force: false, reset: false, handled: { lastHandledResetAt: T } },
    ],
    [
      "requestedAt already reconciled (a pass that ended before the release step)",
      { [REQUESTED]: T, [FORCE_AT_ANNOTATION]: T, [RESET_AT_ANNOTATION]: T },
      { lastHandledReconcileAt: T },
      {
        force: false,
        reset: false,
        handled: { lastHandledForceAt: T, lastHandledResetAt: T },
      },
    ],
  ];
  for (const [name, annotations, prev, want] of cases) {
    assert.deepEqual(requestsOf(annotations, prev), want, name);
  }
});

const hr = (spec: Record<string, unknown>) =>
  readReleaseSpec({
    apiVersion: "helm.toolkit.fluxcd.io/v2",
    kind: "HelmRelease",
    metadata: { name: "app", namespace: "apps", generation: 1 },
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
const desired = { chartDigest: "sha256:c1", configDigest: "sha256:v1", postRenderersDigest: "" };
const attempted: PreviousStatus = {
  lastAttemptedGeneration: 1,
  lastAttemptedConfigDigest: "sha256:v1",
  lastAttemptedRevisionDigest: "sha256:c1",
};
const listed = (status: string, revision = "1", updated = ""): ListedRelease => ({
  name: "app",
  namespace: "apps",
  revision,
  status,
  chart: "app-demo-0.1.1",
  app_version: "1",
  updated,
});
const made: PreviousStatus = {
  ...attempted,
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
};

test("decide: --reset tries a stalled release again, --force makes one attempt whatever the state", () => {
  const plain = hr({});
  const oneRetry = hr({ install: { remediation: { retries: 1 } } });
  const retryUpgrades = hr({
    upgrade: { strategy: { name: "RetryOnFailure", retryInterval: "1h" } },
  });
  const failedAt = Date.parse("2026-12-01T03:00:00Z");
  const none = {};
  const force = { force: true };
  const reset = { reset: true };
  const cases: [
    string,
    ReturnType<typeof hr>,
    ListedRelease | undefined,
    PreviousStatus,
    { force?: boolean; reset?: boolean },
    string,
  ][] = [
    // The failed install kept for debugging (retries 0): stalled until asked.
    [
      "failed install, out of retries",
      plain,
      listed("failed"),
      { ...attempted, installFailures: 1 },
      none,
      "stalled",
    ],
    [
      "failed install, --reset",
      plain,
      listed("failed"),
      { ...attempted, installFailures: 1 },
      reset,
      "upgrade",
    ],
    [
      "failed install, --force",
      plain,
      listed("failed"),
      { ...attempted, installFailures: 1 },
      force,
      "upgrade",
    ],
    // Install remediation uninstalled it each time: nothing in Helm's storage.
    [
      "uninstalled, out of retries",
      oneRetry,
      undefined,
      { ...attempted, installFailures: 2 },
      none,
      "stalled",
    ],
    [
      "uninstalled, --reset",
      oneRetry,
      undefined,
      { ...attempted, installFailures: 2 },
      reset,
      "install",
    ],
    [
      "uninstalled, --force",
      oneRetry,
      undefined,
      { ...attempted, installFailures: 2 },
      force,
      "install",
    ],
    // A failed upgrade rolled back, out of retries: deployed, but not what is wanted.
    [
      "rolled back, out of retries",
      plain,
      listed("deployed", "3"),
      { ...made, upgradeFailures: 1 },
      none,
      "stalled",
    ],
    [
      "rolled back, --reset",
      plain,
      listed("deployed", "3"),
      { ...made, upgradeFailures: 1 },
      reset,
      "upgrade",
    ],
    [
      "rolled back, --force",
      plain,
      listed("deployed", "3"),
      { ...made, upgradeFailures: 1 },
      force,
      "upgrade",
    ],
    // In sync: force upgrades though nothing changed; a reset alone releases nothing.
    ["in sync", plain, listed("deployed"), made, none, "none"],
    ["in sync, --force", plain, listed("deployed"), made, force, "upgrade"],
    ["in sync, --reset", plain, listed("deployed"), made, reset, "none"],
    // RetryOnFailure: a request does not wait for retryInterval.
    [
      "RetryOnFailure within its interval",
      retryUpgrades,
      listed("failed", "2", "2026-12-01 03:00:00 +0000 UTC"),
      { ...made, upgradeFailures: 1 },
      none,
      "wait",
    ],
    [
      "RetryOnFailure within its interval, --force",
      retryUpgrades,
      listed("failed", "2", "2026-12-01 03:00:00 +0000 UTC"),
      { ...made, upgradeFailures: 1 },
      force,
      "upgrade",
    ],
    [
      "RetryOnFailure within its interval, --reset",
      retryUpgrades,
      listed("failed", "2", "2026-12-01 03:00:00 +0000 UTC"),
      { ...made, upgradeFailures: 1 },
      reset,
      "upgrade",
    ],
    // A locked release is unlocked first, forced or not.
    ["pending upgrade, --force", plain, listed("pending-upgrade"), made, force, "recover"],
  ];
  for (const [name, spec, current, prev, requests, action] of cases) {
    assert.equal(decide(spec, desired, current, prev, failedAt, requests).action, action, name);
  }
  const forced = decide(plain, desired, listed("deployed"), made, failedAt, force);
  assert.deepEqual(forced, {
    action: "upgrade",
    reason: "forced through reconcile.fluxcd.io/forceAt",
    forced: true,
  });
});

test("decide: a stall says how to try again the Flux way", () => {
  const stalled = decide(hr({}), desired, listed("failed"), { ...attempted, installFailures: 1 });
  assert.equal(stalled.action, "stalled");
  assert.match(
    (stalled as { message: string }).message,
    /^install retries exhausted \(1 failure\(s\), retries 0\): .*`flux reconcile helmrelease app -n apps --reset`/,
  );
});

test("failuresFor: a reset clears both counters, as helm-controller's ClearFailures", () => {
  const prev = { ...attempted, installFailures: 2, upgradeFailures: 3 };
  assert.deepEqual(failuresFor(hr({}), desired, prev), { install: 2, upgrade: 3 });
  assert.deepEqual(failuresFor(hr({}), desired, prev, true), { install: 0, upgrade: 0 });
});

test("stallAfterFailure: a failure that uses up the retries stalls at once, as in Flux", () => {
  const plain = hr({});
  const twoRetries = hr({
    install: { remediation: { retries: 2 } },
    upgrade: { remediation: { retries: 2 } },
  });
  const retrying = hr({ install: { strategy: { name: "RetryOnFailure" } } });
  const uninstalling = hr({ upgrade: { remediation: { retries: 1, strategy: "uninstall" } } });
  const cases: [string, ReturnType<typeof hr>, "install" | "upgrade", number, boolean][] = [
    ["first failed install, retries 0", plain, "install", 1, true],
    ["first failed upgrade, retries 0", plain, "upgrade", 1, true],
    ["second failure of three allowed", twoRetries, "install", 2, false],
    ["third failure, retries 2", twoRetries, "upgrade", 3, true],
    ["RetryOnFailure never stalls", retrying, "install", 9, false],
    // Uninstalled after a failed upgrade: the next pass installs it again.
    ["upgrade remediated by uninstall", uninstalling, "upgrade", 2, false],
  ];
  for (const [name, spec, verb, count, stalls] of cases) {
    const message = stallAfterFailure(spec, verb, count);
    assert.equal(message !== undefined, stalls, name);
    if (message) assert.match(message, new RegExp(`^${verb} retries exhausted \\(${count} `), name);
  }
});
