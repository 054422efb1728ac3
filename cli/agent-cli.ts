// `tether agent ...`: the program with the agent's commands only. The agent runs for
// months within a 64 MiB budget; the Action's commands (validate, build, preview) and
// their dependencies are never loaded into it.
import type { Command } from "commander";
import { registerAgentCommands } from "../agent/commands.ts";
import { baseProgram } from "./program.ts";

export function createAgentProgram(): Command {
  const program = baseProgram();
  registerAgentCommands(program);
  return program;
}
