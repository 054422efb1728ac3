// Entry point of the `tether` command: the one file both the Action and the agent run.
// Each half registers its own subcommands; this file only wires them together.
import { Command } from "commander";
import pkg from "../package.json" with { type: "json" };

export function createProgram(): Command {
  const program = new Command("tether")
    .description(
      "GitOps for Kubernetes at the edge: validate, build and promote in CI; pull and apply on the cluster.",
    )
    .version(pkg.version, "-v, --version", "print the tether version")
    .showHelpAfterError()
    .configureHelp({ sortSubcommands: true });
  return program;
}

if (import.meta.main) {
  await createProgram().parseAsync(process.argv);
}
