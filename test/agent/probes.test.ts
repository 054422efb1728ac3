// What /healthz and /readyz answer, from the loop's state alone.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { liveness, livenessWindow, readiness } from "../../agent/probes.ts";

describe("liveness: a watchdog on passes starting", () => {
  const window = livenessWindow([60_000, 30_000], [0, 120_000]);
  test("three of the longest interval plus the longest health wait, at least a minute", () => {
    assert.equal(window, 3 * 60_000 + 120_000);
    assert.equal(livenessWindow([1_000], [0]), 60_000);
  });
  test("live while passes start; dead when none started for the window", () => {
    assert.equal(liveness(1_000_000, 0, 1_000_000 - window, window).ok, true);
    const dead = liveness(1_000_000, 0, 1_000_000 - window - 1_000, window);
    assert.equal(dead.ok, false);
    assert.match(dead.body, /no pass started for 301s \(limit 300s\)/);
  });
  test("before the first pass the clock starts at the agent's start", () => {
    assert.equal(liveness(10_000, 0, undefined, window).ok, true);
    assert.equal(liveness(window + 1, 0, undefined, window).ok, false);
  });
});

describe("readiness: every unit's last pass succeeded and the source is fresh", () => {
  const fresh = { lastFetch: 1_000, staleAfterMs: 600_000 };
  test("ready", () => {
    assert.deepEqual(readiness(2_000, [{ name: "a", ok: true }], fresh), {
      ok: true,
      body: "ok\n",
    });
  });
  test("not ready before a first pass, or after a failed one (with its error)", () => {
    assert.match(readiness(2_000, [{ name: "a", ok: undefined }], fresh).body, /a: first pass/);
    const failed = readiness(
      2_000,
      [
        { name: "a", ok: true },
        { name: "b", ok: false, lastError: "x.yaml:3: bad" },
      ],
      fresh,
    );
    assert.equal(failed.ok, false);
    assert.match(failed.body, /b: last pass failed: x\.yaml:3: bad/);
  });
  test("not ready when Git has not answered for longer than the limit", () => {
    const stale = readiness(1_000 + 600_001, [{ name: "a", ok: true }], fresh);
    assert.equal(stale.ok, false);
    assert.match(stale.body, /source stale/);
  });
});
