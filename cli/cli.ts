// Entry point of the `tether` command: the one file both the Action and the agent run.
// Each half registers its own subcommands; this file only wires them together.
import type { Command } from "commander";
import { registerImageCommands } from "../action/build/commands.ts";
import { registerPreviewCommand } from "../action/preview/command.ts";
import { registerValidateCommand } from "../action/validate/command.ts";
import { registerSchemasCommand } from "../action/validate/schemas-command.ts";
import { registerImagesCommands } from "../agent/automation/commands.ts";
import { registerImagesMarkers } from "../agent/automation/marker-commands.ts";
import { registerImagesSelect } from "../agent/automation/select-command.ts";
import { registerInstallCommands } from "../agent/bootstrap/commands.ts";
import { registerAgentCommands } from "../agent/commands.ts";
import { registerControlCommands } from "../agent/control-commands.ts";
import { runner } from "../shared/command.ts";
import { baseProgram } from "./program.ts";

export function createProgram(): Command {
  const program = baseProgram();
  registerAgentCommands(program);
  registerInstallCommands(program);
  registerControlCommands(program);
  registerImageCommands(program);
  registerValidateCommand(program);
  registerPreviewCommand(program);
  registerSchemasCommand(program);
  const images = program
    .command("images")
    .description("image automation: select tags by policy, update image references in Git");
  registerImagesSelect(images);
  registerImagesCommands(images);
  registerImagesMarkers(images);
  registerActionCommand(program);
  return program;
}

// `tether action`: the GitHub Action's one step (action.yml). It reads the Action's
// inputs (action/inputs.ts) and runs the command they name, in this process, through a
// fresh program: the same parsing, defaults and exit codes as on a command line.
function registerActionCommand(program: Command): void {
  program
    .command("action", { hidden: true })
    .description("the GitHub Action's step: run the command the Action's inputs name")
    .action(
      runner(async () => {
        const { coreInputs, loadInputs, stepCommand } = await import("../action/inputs.ts");
        loadInputs(process.env);
        const { argv, env } = stepCommand(coreInputs);
        Object.assign(process.env, env);
        await createProgram().parseAsync(argv, { from: "user" });
        return undefined;
      }),
    );
}
