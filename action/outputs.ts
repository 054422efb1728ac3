// Step outputs for GitHub Actions, written one way by every command: @actions/core's
// setOutput, into the file GITHUB_OUTPUT names (name<<delimiter, value, delimiter), so
// the composite action needs no parsing of stdout. Outside a workflow nothing is
// written: without GITHUB_OUTPUT, core would print the deprecated ::set-output command.
import * as core from "@actions/core";

export function writeOutputs(values: Record<string, string | number>): void {
  if (!process.env.GITHUB_OUTPUT) return;
  for (const [name, value] of Object.entries(values)) core.setOutput(name, value);
}
