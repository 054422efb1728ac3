// The one vocabulary of what happened to an object: counts and printed lines are
// derived from changes, never typed a second time.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  type Change,
  countChanges,
  formatChange,
  formatCounts,
  isShown,
} from "../../agent/changes.ts";

const cm = { apiVersion: "v1", kind: "ConfigMap", namespace: "apps", name: "settings" };
const ns = { apiVersion: "v1", kind: "Namespace", name: "apps" };

describe("changes", () => {
  test("counts come from the actions, drift from the flag", () => {
    const changes: Change[] = [
      { ref: ns, action: "created" },
      { ref: cm, action: "configured", drifted: true },
      { ref: cm, action: "configured" },
      { ref: cm, action: "unchanged" },
      { ref: cm, action: "failed", error: "boom" },
      { ref: cm, action: "pruned" },
      { ref: cm, action: "kept", detail: "annotated" },
      { ref: cm, action: "gone" },
      { ref: cm, action: "prune-failed", error: "forbidden" },
      { ref: cm, action: "unhealthy", detail: "0 of 1 replicas available" },
    ];
    assert.deepEqual(countChanges(changes), {
      created: 1,
      configured: 2,
      unchanged: 1,
      pruned: 1,
      drifted: 1,
      failed: 1,
    });
    assert.equal(
      formatCounts(countChanges(changes)),
      "1 created, 2 configured, 1 unchanged, 1 pruned, 1 drifted, 1 failed",
    );
  });

  const lines: [string, Change, string | undefined][] = [
    ["created", { ref: ns, action: "created" }, "Namespace/apps created"],
    [
      "a failed apply names its source and the error",
      { ref: cm, action: "failed", detail: "apps/cm.yaml:3", error: "denied" },
      "ConfigMap/apps/settings failed: apps/cm.yaml:3: denied",
    ],
    [
      "kept says why",
      { ref: cm, action: "kept", detail: "annotated tether.dev/prune: disabled" },
      "ConfigMap/apps/settings kept: annotated tether.dev/prune: disabled",
    ],
    [
      "a failed prune says the error",
      { ref: cm, action: "prune-failed", error: "forbidden" },
      "ConfigMap/apps/settings prune-failed: forbidden",
    ],
    ["an object already gone is not printed", { ref: cm, action: "gone" }, undefined],
    [
      "health goes to the errors, not to the object lines",
      { ref: cm, action: "unhealthy", detail: "not Ready" },
      undefined,
    ],
  ];
  for (const [name, change, line] of lines) {
    test(`printed line: ${name}`, () => {
      assert.equal(isShown(change) ? formatChange(change) : undefined, line);
    });
  }
});
