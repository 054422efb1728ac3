// The one command runner: what a body answers or throws becomes the exit code, by one
// table for every command.
import assert from "node:assert/strict";
import { afterEach, describe, test } from "node:test";
import { Command } from "commander";
import { RefusedError, runner, UsageError } from "../../shared/command.ts";

/** Runs `body` as the action of a tiny program and answers exit code and stderr. */
async function outcome(
  body: Parameters<typeof runner<[Record<string, unknown>, Command]>>[0],
): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const program = new Command("t")
    .configureOutput({ writeOut: (s) => (out += s), writeErr: (s) => (err += s) })
    .action(runner(body));
  process.exitCode = undefined;
  await program.parseAsync([], { from: "user" });
  const code = Number(process.exitCode ?? 0);
  process.exitCode = undefined;
  return { code, out, err };
}

describe("runner", () => {
  afterEach(() => {
    process.exitCode = undefined;
  });

  const cases: [string, () => Promise<"success" | "failure" | undefined>, number, RegExp][] = [
    ["success", async () => "success", 0, /^$/],
    ["findings or a failed pass", async () => "failure", 1, /^$/],
    [
      "an error",
      async () => {
        throw new Error("the registry said 500");
      },
      1,
      /^error: the registry said 500\n$/,
    ],
    [
      "a usage error",
      async () => {
        throw new UsageError("--fail-on info: use error or warning");
      },
      2,
      /^error: --fail-on info/,
    ],
    [
      "refused input",
      async () => {
        throw new RefusedError("RELEASE tags are never moved");
      },
      2,
      /^refused: RELEASE tags are never moved\n$/,
    ],
  ];
  for (const [name, body, code, stderr] of cases) {
    test(`${name}: exit ${code}`, async () => {
      const result = await outcome(body);
      assert.equal(result.code, code);
      assert.match(result.err, stderr);
    });
  }

  test("the body writes through the io it is given", async () => {
    const result = await outcome(async (io) => {
      io.out("to stdout\n");
      io.err("to stderr\n");
      return "success";
    });
    assert.deepEqual([result.out, result.err], ["to stdout\n", "to stderr\n"]);
  });
});
