#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  messageOf
} from "./chunk-6SSSO5LC.js";

// shared/command.ts
var UsageError = class extends Error {
  constructor(message) {
    super(message);
    this.name = "UsageError";
  }
};
var RefusedError = class extends Error {
  constructor(message) {
    super(message);
    this.name = "RefusedError";
  }
};
var EXIT = { success: 0, failure: 1, usage: 2 };
function exitFor(error) {
  if (error instanceof UsageError) return { code: EXIT.usage, label: "error" };
  if (error instanceof RefusedError) return { code: EXIT.usage, label: "refused" };
  return { code: EXIT.failure, label: "error" };
}
function exitForCommander(error) {
  return error.exitCode === 0 ? EXIT.success : EXIT.usage;
}
function lines(io) {
  return { out: (line) => io.out(`${line}
`), err: (line) => io.err(`${line}
`) };
}
function ioOf(command) {
  const output = command?.configureOutput();
  return {
    out: output?.writeOut ?? ((s) => process.stdout.write(s)),
    err: output?.writeErr ?? ((s) => process.stderr.write(s)),
    env: process.env,
    cwd: process.cwd()
  };
}
function runner(body) {
  return async (...args) => {
    const command = args.findLast((a) => isCommand(a));
    const io = ioOf(command);
    try {
      if (await body(io, ...args) === "failure") process.exitCode = EXIT.failure;
    } catch (error) {
      const { code, label } = exitFor(error);
      io.err(`${label}: ${messageOf(error)}
`);
      process.exitCode = code;
    }
  };
}
function isCommand(value) {
  return typeof value === "object" && value !== null && typeof value.configureOutput === "function";
}

export {
  UsageError,
  RefusedError,
  exitForCommander,
  lines,
  runner
};
