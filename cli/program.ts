// The `tether` program before any subcommand is registered: name, version, help and
// the exit code of Commander's own errors. cli.ts registers every command on it;
// agent-cli.ts only the agent's, so the long-running agent loads none of the rest.
import { Command } from "commander";
import { exitForCommander } from "../shared/command.ts";
import { version } from "./version.ts";

export function baseProgram(): Command {
  return (
    new Command("tether")
      .description(
        "GitOps for Kubernetes at the edge: validate, build and promote in CI; pull and apply on the cluster.",
      )
      .version(version, "-v, --version", "print the tether version")
      .showHelpAfterError()
      .configureHelp({ sortSubcommands: true })
      // Commander's own errors (unknown option, missing argument) are usage errors, exit 2
      // for every command; subcommands inherit this.
      .exitOverride((error) => process.exit(exitForCommander(error)))
  );
}
