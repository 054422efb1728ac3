// The Action's step (action.yml runs `tether action`): its inputs are read here, in
// TypeScript, with @actions/core, and become the command line of the tether command they
// name, which then runs in the same process. One rule for every input:
//
//   - a value is trimmed;
//   - a list holds one value per line, each trimmed, blank lines dropped;
//   - a boolean is true|True|TRUE or false|False|FALSE (YAML 1.2 core, as core reads
//     it); empty is false; anything else is a usage error (exit code 2).
//
// A composite action gets no INPUT_* variables from the runner, so action.yml hands the
// step all of its inputs, defaults filled in, as one JSON object (TETHER_INPUTS:
// toJSON(inputs)); `loadInputs` turns it into the INPUT_* variables core reads. Input
// names are the Action's contract: they are only ever read here.
import * as core from "@actions/core";
import { UsageError } from "../shared/command.ts";

/** The three ways an input is read. */
export interface ActionInputs {
  text(name: string): string;
  list(name: string): string[];
  flag(name: string): boolean;
}

/** TETHER_INPUTS (a JSON object of the Action's inputs) as INPUT_* variables in `env`. */
export function loadInputs(env: NodeJS.ProcessEnv): void {
  const json = env.TETHER_INPUTS;
  if (json === undefined || json === "") return;
  let inputs: unknown;
  try {
    inputs = JSON.parse(json);
  } catch {
    throw new UsageError("TETHER_INPUTS is not JSON (action.yml passes toJSON(inputs))");
  }
  if (typeof inputs !== "object" || inputs === null || Array.isArray(inputs)) {
    throw new UsageError("TETHER_INPUTS is not a JSON object of inputs");
  }
  for (const [name, value] of Object.entries(inputs)) {
    // The name as core looks it up: spaces become _, upper case; hyphens stay.
    env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] = value == null ? "" : String(value);
  }
}

/** The inputs as @actions/core reads them from process.env, with the one rule above. */
export const coreInputs: ActionInputs = {
  text: (name) => core.getInput(name),
  list: (name) => core.getMultilineInput(name).filter((value) => value !== ""),
  flag: (name) => {
    if (core.getInput(name) === "") return false;
    try {
      return core.getBooleanInput(name);
    } catch {
      throw new UsageError(`input ${name}: use true or false, not "${core.getInput(name)}"`);
    }
  },
};

/** What the step runs: tether's arguments, and the variables the command reads. */
export interface StepCommand {
  argv: string[];
  env: Record<string, string>;
}

type CommandLine = (inputs: ActionInputs) => StepCommand;

/** A flag with a value, only when the input is not empty. */
function valueFlag(flag: string, value: string): string[] {
  return value === "" ? [] : [flag, value];
}

/** A flag repeated once for each value of a list input. */
function listFlag(flag: string, values: readonly string[]): string[] {
  return values.flatMap((value) => [flag, value]);
}

/** The registry credentials the image commands read (shared/registry/credentials.ts). */
function registryEnv(inputs: ActionInputs): Record<string, string> {
  const env: Record<string, string> = {};
  const username = inputs.text("registry-username");
  const password = inputs.text("registry-password");
  if (username !== "") env.TETHER_REGISTRY_USERNAME = username;
  if (password !== "") env.TETHER_REGISTRY_PASSWORD = password;
  return env;
}

function insecure(inputs: ActionInputs): string[] {
  return inputs.flag("insecure-registry") ? ["--insecure-registry"] : [];
}

const build: CommandLine = (inputs) => ({
  argv: [
    "image",
    "build",
    "--image",
    inputs.text("image"),
    "--context",
    inputs.text("context"),
    "--platform",
    inputs.text("platforms"),
    "--builder",
    inputs.text("builder"),
    ...valueFlag("--file", inputs.text("file")),
    ...valueFlag("--env", inputs.text("environment")),
    ...valueFlag("--sha", inputs.text("sha")),
    ...valueFlag("--timestamp", inputs.text("timestamp")),
    ...listFlag("--tag", inputs.list("tags")),
    ...(inputs.flag("push") ? ["--push"] : []),
    "--cache",
    inputs.text("cache"),
    ...valueFlag("--cache-ref", inputs.text("cache-ref")),
    ...(inputs.flag("provenance") ? ["--provenance"] : []),
    ...(inputs.flag("sbom") ? ["--sbom"] : []),
    ...insecure(inputs),
    ...inputs.list("args"),
  ],
  env: registryEnv(inputs),
});

const merge: CommandLine = (inputs) => ({
  argv: [
    "image",
    "merge",
    "--image",
    inputs.text("image"),
    ...listFlag("--digest", inputs.list("digests")),
    ...listFlag("--tag", inputs.list("tags")),
    ...(inputs.flag("force") ? ["--force"] : []),
    ...insecure(inputs),
    ...inputs.list("args"),
  ],
  env: registryEnv(inputs),
});

const promote: CommandLine = (inputs) => ({
  argv: [
    "image",
    "promote",
    "--image",
    inputs.text("image"),
    "--from",
    inputs.text("from"),
    "--to-tag",
    inputs.text("to-tag"),
    ...valueFlag("--to-image", inputs.text("to-image")),
    ...(inputs.flag("force") ? ["--force"] : []),
    ...insecure(inputs),
    ...inputs.list("args"),
  ],
  env: registryEnv(inputs),
});

/** The Rego flags only mean something with policies; without them they are not passed. */
function regoFlags(inputs: ActionInputs): string[] {
  const policies = inputs.list("policy");
  if (policies.length === 0) return [];
  return [
    ...listFlag("--policy", policies),
    ...listFlag("--namespace", inputs.list("namespace")),
    ...(inputs.flag("all-namespaces") ? ["--all-namespaces"] : []),
    ...listFlag("--data", inputs.list("data")),
    ...valueFlag("--rego-version", inputs.text("rego-version")),
    ...(inputs.flag("gatekeeper-input") ? ["--gatekeeper-input"] : []),
    ...valueFlag("--parameters", inputs.text("parameters")),
  ];
}

// The report goes out as annotations, a job summary and step outputs (-o github); the
// paths come last, after `--`, so a path is never read as a flag.
const validate: CommandLine = (inputs) => ({
  argv: [
    "validate",
    "-o",
    "github",
    ...valueFlag("--kubernetes-version", inputs.text("kubernetes-version")),
    ...(inputs.flag("strict") ? [] : ["--no-strict"]),
    ...listFlag("--crds", inputs.list("crds")),
    ...listFlag("--skip", inputs.list("skip")),
    ...listFlag("--reject", inputs.list("reject")),
    ...(inputs.flag("ignore-missing-schemas") ? ["--ignore-missing-schemas"] : []),
    ...regoFlags(inputs),
    ...(inputs.flag("changed-only") ? ["--changed-only"] : []),
    ...(inputs.flag("comment") ? [] : ["--no-comment"]),
    ...valueFlag("--comment-key", inputs.text("comment-key")),
    ...valueFlag("--fail-on", inputs.text("fail-on")),
    ...inputs.list("args"),
    "--",
    ...inputs.list("paths"),
  ],
  // The token reaches the pull request comment and the changed files (validate/github.ts).
  env: inputs.text("token") === "" ? {} : { GITHUB_TOKEN: inputs.text("token") },
});

// What each cluster will apply, change and prune: the report goes to the job summary,
// the sticky comment and a file the next step uploads as an artifact (-o github).
const preview: CommandLine = (inputs) => {
  const base = inputs.text("base");
  if (base === "") {
    throw new UsageError(
      "input base: empty outside a pull request; set it to the commit the clusters run now (on a push, github.event.before)",
    );
  }
  return {
    argv: [
      "preview",
      "-o",
      "github",
      "--base",
      base,
      ...valueFlag("--head", inputs.text("head")),
      ...(inputs.flag("comment") ? [] : ["--no-comment"]),
      ...valueFlag("--comment-key", inputs.text("comment-key")),
      ...inputs.list("args"),
      "--",
      ...inputs.list("clusters"),
    ],
    env: inputs.text("token") === "" ? {} : { GITHUB_TOKEN: inputs.text("token") },
  };
};

/**
 * The commands the `command` input names, each with its own inputs and then `args`;
 * any other value is a tether command line of its own.
 */
const COMMANDS: Record<string, CommandLine> = { build, merge, promote, validate, preview };

/** The step's command from the Action's inputs: `command`, its inputs, then `args`. */
export function stepCommand(inputs: ActionInputs): StepCommand {
  const name = inputs.text("command");
  if (name === "")
    throw new UsageError("input command: empty (build, merge, promote, validate, preview)");
  const named = COMMANDS[name];
  if (named !== undefined) return named(inputs);
  // e.g. "image tags": the words of the command, then its arguments one per line.
  return { argv: [...name.split(/\s+/), ...inputs.list("args")], env: registryEnv(inputs) };
}
