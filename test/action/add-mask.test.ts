// The Action masks the registry password before any step can print it. GitHub's
// `::add-mask::` masks one line: a multi-line secret (a JSON key, a PEM) needs one
// command per line, or every line after the first is printed in clear.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { run } from "../helpers/run.ts";

const action = parse(
  readFileSync(fileURLToPath(new URL("../../action.yml", import.meta.url)), "utf8"),
) as { runs: { steps: { name?: string; run?: string; env?: Record<string, string> }[] } };

describe("action.yml masks secrets", () => {
  test("every line of a multi-line registry password is masked", async () => {
    const step = action.runs.steps.find((s) => /mask/i.test(s.name ?? ""));
    assert.ok(step?.run, "a masking step");
    const secret = "line-one\nline two\n\n  indented-three\r\nfour";
    const result = await run("bash", ["-c", step.run], {
      env: { PATH: process.env.PATH, P: secret },
    });
    assert.equal(result.code, 0, result.stderr);
    const masked = result.stdout
      .split("\n")
      .filter((l) => l.startsWith("::add-mask::"))
      .map((l) => l.slice("::add-mask::".length));
    for (const line of secret.split(/\r?\n/).filter((l) => l.trim() !== "")) {
      assert.ok(masked.includes(line), `${JSON.stringify(line)} is not masked: ${result.stdout}`);
    }
    assert.ok(!masked.includes(""), "no empty mask");
  });
});
