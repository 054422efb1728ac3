#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  getBooleanInput,
  getInput,
  getMultilineInput
} from "./chunk-6RBBS2HI.js";
import "./chunk-FSJZUE2Y.js";
import {
  UsageError
} from "./chunk-YPJ6XMAN.js";
import "./chunk-6SSSO5LC.js";
import "./chunk-3IQPLNQJ.js";

// action/inputs.ts
function loadInputs(env) {
  const json = env.TETHER_INPUTS;
  if (json === void 0 || json === "") return;
  let inputs;
  try {
    inputs = JSON.parse(json);
  } catch {
    throw new UsageError("TETHER_INPUTS is not JSON (action.yml passes toJSON(inputs))");
  }
  if (typeof inputs !== "object" || inputs === null || Array.isArray(inputs)) {
    throw new UsageError("TETHER_INPUTS is not a JSON object of inputs");
  }
  for (const [name, value] of Object.entries(inputs)) {
    env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] = value == null ? "" : String(value);
  }
}
var coreInputs = {
  text: (name) => getInput(name),
  list: (name) => getMultilineInput(name).filter((value) => value !== ""),
  flag: (name) => {
    if (getInput(name) === "") return false;
    try {
      return getBooleanInput(name);
    } catch {
      throw new UsageError(`input ${name}: use true or false, not "${getInput(name)}"`);
    }
  }
};
function valueFlag(flag, value) {
  return value === "" ? [] : [flag, value];
}
function listFlag(flag, values) {
  return values.flatMap((value) => [flag, value]);
}
function registryEnv(inputs) {
  const env = {};
  const username = inputs.text("registry-username");
  const password = inputs.text("registry-password");
  if (username !== "") env.TETHER_REGISTRY_USERNAME = username;
  if (password !== "") env.TETHER_REGISTRY_PASSWORD = password;
  return env;
}
function insecure(inputs) {
  return inputs.flag("insecure-registry") ? ["--insecure-registry"] : [];
}
var build = (inputs) => ({
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
    ...inputs.flag("push") ? ["--push"] : [],
    "--cache",
    inputs.text("cache"),
    ...valueFlag("--cache-ref", inputs.text("cache-ref")),
    ...inputs.flag("provenance") ? ["--provenance"] : [],
    ...inputs.flag("sbom") ? ["--sbom"] : [],
    ...insecure(inputs),
    ...inputs.list("args")
  ],
  env: registryEnv(inputs)
});
var merge = (inputs) => ({
  argv: [
    "image",
    "merge",
    "--image",
    inputs.text("image"),
    ...listFlag("--digest", inputs.list("digests")),
    ...listFlag("--tag", inputs.list("tags")),
    ...inputs.flag("force") ? ["--force"] : [],
    ...insecure(inputs),
    ...inputs.list("args")
  ],
  env: registryEnv(inputs)
});
var promote = (inputs) => ({
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
    ...inputs.flag("force") ? ["--force"] : [],
    ...insecure(inputs),
    ...inputs.list("args")
  ],
  env: registryEnv(inputs)
});
function regoFlags(inputs) {
  const policies = inputs.list("policy");
  if (policies.length === 0) return [];
  return [
    ...listFlag("--policy", policies),
    ...listFlag("--namespace", inputs.list("namespace")),
    ...inputs.flag("all-namespaces") ? ["--all-namespaces"] : [],
    ...listFlag("--data", inputs.list("data")),
    ...valueFlag("--rego-version", inputs.text("rego-version")),
    ...inputs.flag("gatekeeper-input") ? ["--gatekeeper-input"] : [],
    ...valueFlag("--parameters", inputs.text("parameters"))
  ];
}
var validate = (inputs) => ({
  argv: [
    "validate",
    "-o",
    "github",
    ...valueFlag("--kubernetes-version", inputs.text("kubernetes-version")),
    ...inputs.flag("strict") ? [] : ["--no-strict"],
    ...listFlag("--crds", inputs.list("crds")),
    ...listFlag("--skip", inputs.list("skip")),
    ...listFlag("--reject", inputs.list("reject")),
    ...inputs.flag("ignore-missing-schemas") ? ["--ignore-missing-schemas"] : [],
    ...regoFlags(inputs),
    ...inputs.flag("changed-only") ? ["--changed-only"] : [],
    ...inputs.flag("comment") ? [] : ["--no-comment"],
    ...valueFlag("--comment-key", inputs.text("comment-key")),
    ...valueFlag("--fail-on", inputs.text("fail-on")),
    ...inputs.list("args"),
    "--",
    ...inputs.list("paths")
  ],
  // The token reaches the pull request comment and the changed files (validate/github.ts).
  env: inputs.text("token") === "" ? {} : { GITHUB_TOKEN: inputs.text("token") }
});
var preview = (inputs) => {
  const base = inputs.text("base");
  if (base === "") {
    throw new UsageError(
      "input base: empty outside a pull request; set it to the commit the clusters run now (on a push, github.event.before)"
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
      ...inputs.flag("comment") ? [] : ["--no-comment"],
      ...valueFlag("--comment-key", inputs.text("comment-key")),
      ...inputs.list("args"),
      "--",
      ...inputs.list("clusters")
    ],
    env: inputs.text("token") === "" ? {} : { GITHUB_TOKEN: inputs.text("token") }
  };
};
var COMMANDS = { build, merge, promote, validate, preview };
function stepCommand(inputs) {
  const name = inputs.text("command");
  if (name === "")
    throw new UsageError("input command: empty (build, merge, promote, validate, preview)");
  const named = COMMANDS[name];
  if (named !== void 0) return named(inputs);
  return { argv: [...name.split(/\s+/), ...inputs.list("args")], env: registryEnv(inputs) };
}
export {
  coreInputs,
  loadInputs,
  stepCommand
};
