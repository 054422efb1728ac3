// The one way a `tether` command ends. Every command's action runs through `runner`:
// the body answers whether the work succeeded, or throws; the error's type picks the
// exit code from one table, the same for every command (README "Exit codes"):
//
//   0  success
//   1  failure: the work failed, or found problems (invalid manifests, a failed sync)
//   2  usage or refused input: the command line or a configuration file is wrong
//      (UsageError and its kinds, commander's own errors), or the command refused to
//      act to protect something (RefusedError: a tag would move); nothing was changed
import type { Command, CommanderError } from "commander";
import { messageOf } from "./util/message.ts";

/** A mistake on the command line: a flag, a value, a path that cannot be used. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** The command would have destroyed or moved something it must not; nothing changed. */
export class RefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RefusedError";
  }
}

export const EXIT = { success: 0, failure: 1, usage: 2 } as const;

export type Outcome = "success" | "failure";

/** Where a command writes, and what it reads from its surroundings. */
export interface CommandIo {
  /** Writes `text` as it is (add the newline yourself). */
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** The exit code of an error a command threw, and the word its message starts with. */
export function exitFor(error: unknown): { code: number; label: string } {
  if (error instanceof UsageError) return { code: EXIT.usage, label: "error" };
  if (error instanceof RefusedError) return { code: EXIT.usage, label: "refused" };
  return { code: EXIT.failure, label: "error" };
}

/** Commander's own exits: help and version are success, any parse error is usage. */
export function exitForCommander(error: CommanderError): number {
  return error.exitCode === 0 ? EXIT.success : EXIT.usage;
}

/** Line writers over a CommandIo: each call writes one line. */
export function lines(io: CommandIo): { out(line: string): void; err(line: string): void } {
  return { out: (line) => io.out(`${line}\n`), err: (line) => io.err(`${line}\n`) };
}

function ioOf(command: Command | undefined): CommandIo {
  // Commander's configured output, so a program embedding the commands can capture it.
  const output = command?.configureOutput();
  return {
    out: output?.writeOut ?? ((s) => process.stdout.write(s)),
    err: output?.writeErr ?? ((s) => process.stderr.write(s)),
    env: process.env,
    cwd: process.cwd(),
  };
}

/**
 * Wraps a command body for `.action()`. The body gets the io and commander's
 * arguments (positional arguments, then the flags); what it answers or throws becomes
 * `process.exitCode` and, for an error, one `error: ...` or `refused: ...` line.
 */
export function runner<A extends unknown[]>(
  body: (io: CommandIo, ...args: A) => Promise<Outcome | undefined>,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    // Commander passes the Command itself last.
    const command = args.findLast((a): a is Command => isCommand(a));
    const io = ioOf(command);
    try {
      if ((await body(io, ...args)) === "failure") process.exitCode = EXIT.failure;
    } catch (error) {
      const { code, label } = exitFor(error);
      io.err(`${label}: ${messageOf(error)}\n`);
      process.exitCode = code;
    }
  };
}

function isCommand(value: unknown): value is Command {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { configureOutput?: unknown }).configureOutput === "function"
  );
}
