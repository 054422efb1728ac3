// Every command answers a usage mistake the same way: exit 2 and a message, by the
// one table in shared/command.ts (README "Exit codes").
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Command } from "commander";
import { createProgram } from "../../cli/cli.ts";
import { tether } from "../helpers/tether.ts";

/** Every command that runs something: `sync`, `image build`, `images select`, ... */
function leaves(command: Command, path: string[] = []): string[][] {
  const subs = command.commands.filter((c) => c.name() !== "help");
  if (subs.length === 0) return [path];
  return subs.flatMap((c) => leaves(c, [...path, c.name()]));
}

class Exited extends Error {
  readonly code: number | undefined;
  constructor(code: number | undefined) {
    super(`exit ${code}`);
    this.code = code;
  }
}

/** Parses `args` with the real program in this process; answers the exit code and stderr. */
async function parse(args: string[]): Promise<{ code: number | undefined; err: string }> {
  let err = "";
  const program = createProgram();
  const quiet = (c: Command) => {
    c.configureOutput({ writeOut: () => {}, writeErr: (s) => (err += s) });
    c.commands.forEach(quiet);
  };
  quiet(program);
  // The program ends a usage error with process.exit; stop there and keep the code.
  const exit = process.exit;
  process.exit = ((code?: number) => {
    throw new Exited(code);
  }) as typeof process.exit;
  try {
    await program.parseAsync(args, { from: "user" });
    return { code: undefined, err };
  } catch (error) {
    if (error instanceof Exited) return { code: error.code, err };
    throw error;
  } finally {
    process.exit = exit;
  }
}

describe("exit codes", () => {
  const commands = leaves(createProgram());

  test("the program has the commands the contracts name", () => {
    const names = commands.map((c) => c.join(" "));
    for (const name of ["sync", "agent", "render", "diff", "status", "validate"])
      assert.ok(names.includes(name), name);
    for (const name of ["image tags", "image build", "image promote", "images select"])
      assert.ok(names.includes(name), name);
  });

  test("an unknown option is exit 2 for every command", async () => {
    for (const command of commands) {
      const args = [...command, "--no-such-flag"];
      // Commands with required options report the first missing one; either is usage.
      const result = await parse(args);
      assert.equal(result.code, 2, `${args.join(" ")}: ${result.err}`);
      assert.match(result.err, /unknown option|required option/, args.join(" "));
    }
  });

  test("help is exit 0", async () => {
    for (const command of commands) {
      const result = await parse([...command, "--help"]);
      assert.equal(result.code, 0, `${command.join(" ")} --help: ${result.err}`);
    }
  });

  test("the bundle entry exits as the table says", async () => {
    const usage = await tether(["render"], { exit: 2 });
    assert.match(usage.stderr, /missing required argument 'path'/);
    await tether(["--version"], { exit: 0 });
  });
});
