// `tether uninstall` asks in a terminal: run under `script`, which gives it a
// pseudo-terminal and types what the test pipes in. The namespace does not exist, so
// a yes changes nothing either (and --keep-crds keeps the shared cluster's CRDs).
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { run } from "../../helpers/run.ts";
import { kubectlEnv } from "../../helpers/tether.ts";

const entry = fileURLToPath(new URL("../../../cli/bin.ts", import.meta.url));
const ns = `bs-none-${randomBytes(3).toString("hex")}`;

const inTerminal = (answer: string) =>
  run(
    "script",
    ["-qec", `${process.execPath} ${entry} uninstall --keep-crds --namespace ${ns}`, "/dev/null"],
    { env: kubectlEnv(), input: `${answer}\n` },
  );

test("in a terminal, uninstall asks; anything but yes changes nothing (exit 2)", async () => {
  const result = await inTerminal("n");
  assert.match(
    result.stdout,
    /Uninstall Tether from namespace .*: delete the agent \(the objects it applied stay\)\? \[y\/N\]/,
  );
  assert.match(result.stdout, /refused: not confirmed; nothing changed/);
  assert.equal(result.code, 2);
});

test("in a terminal, yes goes ahead", async () => {
  const result = await inTerminal("y");
  assert.equal(result.code, 0, result.stdout);
  assert.match(result.stdout, new RegExp(`no agent Deployment in ${ns}`));
  assert.match(result.stdout, new RegExp(`no namespace ${ns}`));
});
