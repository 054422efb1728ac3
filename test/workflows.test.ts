// The workflows and the action's metadata are checked by actionlint (built from Go
// modules into the environment's tools): it also reads action.yml, because a workflow
// uses the action with `uses: ./`.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { mustRun, run } from "./helpers/run.ts";
import { testenv } from "./helpers/testenv.ts";

const root = fileURLToPath(new URL("..", import.meta.url));

function actionlint(cwd: string) {
  return run("actionlint", ["-no-color", "-oneline"], {
    cwd,
    env: { ...process.env, PATH: testenv().path },
  });
}

describe("GitHub workflows and action.yml", () => {
  test("actionlint finds nothing in .github/workflows", async () => {
    const result = await actionlint(root);
    assert.equal(result.code, 0, result.stdout + result.stderr);
  });

  test("actionlint catches an input the action does not declare", async () => {
    // The same check on a copy with a bad input shows the action metadata is really read.
    const dir = mkdtempSync(join(tmpdir(), "tether-actionlint-"));
    try {
      mkdirSync(join(dir, ".github/workflows"), { recursive: true });
      writeFileSync(join(dir, "action.yml"), readFileSync(join(root, "action.yml")));
      writeFileSync(
        join(dir, ".github/workflows/use.yml"),
        "on: push\njobs:\n  t:\n    runs-on: ubuntu-24.04\n    steps:\n      - uses: actions/checkout@v4\n      - uses: ./\n        with:\n          command: --version\n          no-such-input: x\n",
      );
      await mustRun("git", ["init", "-q", dir]); // actionlint looks for the repository root
      const result = await actionlint(dir);
      assert.notEqual(result.code, 0);
      assert.match(result.stdout, /no-such-input/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("action.yml is a composite action on Node 24 whose run steps declare a shell", () => {
    const action = parse(readFileSync(join(root, "action.yml"), "utf8"));
    assert.equal(action.runs.using, "composite");
    const steps: { run?: string; shell?: string; uses?: string; with?: Record<string, unknown> }[] =
      action.runs.steps;
    for (const step of steps.filter((s) => s.run))
      assert.ok(step.shell, `step without shell: ${step.run}`);
    const setupNode = steps.find((s) => s.uses?.startsWith("actions/setup-node@"));
    assert.equal(setupNode?.with?.["node-version"], 24);
    // Every input the steps read is declared.
    const used = [...JSON.stringify(steps).matchAll(/inputs\.([a-z0-9_-]+)/g)].map((m) => m[1]);
    for (const name of used) assert.ok(name && name in action.inputs, `undeclared input ${name}`);
  });
});
