#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  UsageError
} from "./chunk-7VFKBTEB.js";
import {
  UnsupportedKubernetesVersionError,
  resolveKubernetesVersion
} from "./chunk-RQEN7U5D.js";

// action/validate/options.ts
import { resolve } from "node:path";
var FORMATS = ["text", "json", "junit", "tap", "sarif", "github"];
function splitList(values) {
  return (values ?? []).flatMap((v) => v.split(",")).map((v) => v.trim()).filter((v) => v !== "");
}
function parseFormat(value, env) {
  const format = value ?? (env.GITHUB_ACTIONS === "true" ? "github" : "text");
  if (!FORMATS.includes(format)) {
    throw new UsageError(`-o ${format}: unknown format (use one of ${FORMATS.join(", ")})`);
  }
  return format;
}
function parseFailOn(flags) {
  if (flags.failOnWarning) return "warning";
  const value = flags.failOn ?? "error";
  if (value !== "error" && value !== "warning") {
    throw new UsageError(`--fail-on ${value}: use error or warning`);
  }
  return value;
}
function configFromFlags(paths, flags, cwd) {
  let kubernetesVersion;
  try {
    kubernetesVersion = resolveKubernetesVersion(flags.kubernetesVersion);
  } catch (error) {
    if (error instanceof UnsupportedKubernetesVersionError) throw new UsageError(error.message);
    throw error;
  }
  const regoVersion = flags.regoVersion ?? "v1";
  if (regoVersion !== "v0" && regoVersion !== "v1") {
    throw new UsageError(`--rego-version ${regoVersion}: use v0 or v1`);
  }
  const namespaces = splitList(flags.namespace);
  if (flags.allNamespaces && namespaces.length > 0) {
    throw new UsageError("--namespace and --all-namespaces exclude each other");
  }
  const policies = splitList(flags.policy);
  const regoOnly = [
    ["--namespace", namespaces.length > 0],
    ["--all-namespaces", flags.allNamespaces],
    ["--data", splitList(flags.data).length > 0],
    ["--gatekeeper-input", flags.gatekeeperInput],
    ["--parameters", flags.parameters !== void 0],
    ["--allow-builtin", splitList(flags.allowBuiltin).length > 0]
  ];
  const stray = regoOnly.filter(([, set]) => set).map(([name]) => name);
  if (policies.length === 0 && stray.length > 0) {
    throw new UsageError(`${stray.join(", ")} need --policy (a folder of Rego policies)`);
  }
  if (flags.parameters !== void 0 && !flags.gatekeeperInput) {
    throw new UsageError("--parameters is input.parameters of --gatekeeper-input; add that flag");
  }
  const root = resolve(cwd, flags.root ?? ".");
  const absolute = (list) => list.map((p) => resolve(cwd, p));
  return {
    root,
    cwd,
    paths: paths.length > 0 ? [...paths] : ["."],
    kubernetesVersion,
    strict: flags.strict ?? true,
    serverRules: flags.serverRules ?? true,
    crds: absolute(splitList(flags.crds)),
    ignoreMissingSchemas: flags.ignoreMissingSchemas ?? false,
    skipKinds: splitList(flags.skip),
    rejectKinds: splitList(flags.reject),
    policies: absolute(policies),
    namespaces: namespaces.length > 0 ? namespaces : ["main"],
    allNamespaces: flags.allNamespaces ?? false,
    data: absolute(splitList(flags.data)),
    regoVersion,
    gatekeeperInput: flags.gatekeeperInput ?? false,
    parameters: flags.parameters === void 0 ? void 0 : resolve(cwd, flags.parameters),
    // A path (with a slash) is taken from cwd; a bare name is looked up on PATH.
    opa: flags.opa?.includes("/") ? resolve(cwd, flags.opa) : flags.opa ?? "opa",
    allowBuiltins: splitList(flags.allowBuiltin),
    kustomize: flags.kustomize?.includes("/") ? resolve(cwd, flags.kustomize) : flags.kustomize,
    chartCache: flags.chartCache === void 0 ? void 0 : resolve(cwd, flags.chartCache),
    helmReleases: flags.helmReleases ?? true
  };
}
function parseChangedFiles(text) {
  return text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== "" && !l.startsWith("#")).map((l) => l.replace(/^\.\//, ""));
}

export {
  FORMATS,
  parseFormat,
  parseFailOn,
  configFromFlags,
  parseChangedFiles
};
