// The settings of one `tether validate` run, checked before anything is read: every
// mistake a person can make on the command line is a UsageError (exit code 2), so that
// exit code 1 always means "the manifests are not valid".
import { existsSync, statSync } from "node:fs";
import { dirname, resolve, sep } from "node:path";
import { UsageError } from "../../shared/command.ts";
import { gitWorkTree } from "../../shared/util/git-root.ts";
import {
  resolveKubernetesVersion,
  UnsupportedKubernetesVersionError,
} from "../../shared/validate/versions.ts";

export const FORMATS = ["text", "json", "junit", "tap", "sarif", "github"] as const;
export type Format = (typeof FORMATS)[number];

export { UsageError };

export interface ValidateConfig {
  /** The repository checkout; every file name in a report is relative to it. */
  root: string;
  /** Where relative paths and globs on the command line start from. */
  cwd: string;
  /** Paths or globs, relative to cwd; they must be inside the root. */
  paths: string[];
  /** The bundled minor ("1.36"). */
  kubernetesVersion: string;
  strict: boolean;
  /** The API server's own validation and CRD CEL rules (`--no-server-rules` turns them off). */
  serverRules: boolean;
  /** Files or folders with CustomResourceDefinitions, besides those in the paths (absolute). */
  crds: string[];
  ignoreMissingSchemas: boolean;
  skipKinds: string[];
  rejectKinds: string[];
  /** Rego: policy files or folders (absolute); none means no Rego pass (and no opa needed). */
  policies: string[];
  namespaces: string[];
  allNamespaces: boolean;
  data: string[];
  regoVersion: "v0" | "v1";
  gatekeeperInput: boolean;
  /** A YAML or JSON file given to policies as input.parameters (with gatekeeperInput). */
  parameters?: string | undefined;
  opa: string;
  /**
   * Builtins withheld from policies by default (opa.runtime, http.send, net.*) that this
   * run gives back, by name or as "all": an explicit opt-in, see README "Security".
   */
  allowBuiltins: string[];
  kustomize?: string | undefined;
  /** Where HelmRelease charts and repository indexes are cached (offline once filled). */
  chartCache?: string | undefined;
  /** Render HelmReleases whose charts can be reached (default true). */
  helmReleases?: boolean | undefined;
  /** Only units touched by these files (relative to the root) are validated. */
  changedFiles?: string[] | undefined;
}

/** Raw flags as commander gives them. */
export interface ValidateFlags {
  root?: string;
  output?: string;
  kubernetesVersion?: string;
  strict?: boolean;
  serverRules?: boolean;
  crds?: string[];
  ignoreMissingSchemas?: boolean;
  skip?: string[];
  reject?: string[];
  policy?: string[];
  namespace?: string[];
  allNamespaces?: boolean;
  data?: string[];
  regoVersion?: string;
  gatekeeperInput?: boolean;
  parameters?: string;
  opa?: string;
  allowBuiltin?: string[];
  kustomize?: string;
  chartCache?: string;
  helmReleases?: boolean;
  changedFiles?: string;
  changedOnly?: boolean;
  failOn?: string;
  failOnWarning?: boolean;
  report?: string;
  comment?: boolean;
  commentKey?: string;
  verbose?: boolean;
}

/** "a,b" and repeated flags alike give ["a", "b"]. */
export function splitList(values: readonly string[] | undefined): string[] {
  return (values ?? [])
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter((v) => v !== "");
}

export function parseFormat(value: string | undefined, env: NodeJS.ProcessEnv): Format {
  // In a workflow the default is annotations; anywhere else, text for a person.
  const format = value ?? (env.GITHUB_ACTIONS === "true" ? "github" : "text");
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`-o ${format}: unknown format (use one of ${FORMATS.join(", ")})`);
  }
  return format as Format;
}

export function parseFailOn(flags: ValidateFlags): "error" | "warning" {
  if (flags.failOnWarning) return "warning";
  const value = flags.failOn ?? "error";
  if (value !== "error" && value !== "warning") {
    throw new UsageError(`--fail-on ${value}: use error or warning`);
  }
  return value;
}

/**
 * The root when --root is not given: the Git work tree around the first path (report
 * paths are then the repository's, as GitHub shows them); outside Git the working
 * folder when the path is inside it, else the path's own folder.
 */
export function defaultRoot(cwd: string, paths: readonly string[]): string {
  const first = paths[0] ?? ".";
  // A glob's fixed part: the folders before the first segment with a pattern character.
  const segments = first.split(/[\\/]/);
  const fixed = segments.findIndex((s) => /[*?[\]{}]/.test(s));
  const target = resolve(cwd, fixed < 0 ? first : segments.slice(0, fixed).join("/") || ".");
  let start = target;
  while (!existsSync(start) && dirname(start) !== start) start = dirname(start);
  const work = gitWorkTree(start);
  if (work) return work;
  if (target === cwd || target.startsWith(`${cwd}${sep}`)) return cwd;
  return statSync(start).isDirectory() ? start : dirname(start);
}

/** Checks the flags; the changed files are read by the caller (they may come from GitHub). */
export function configFromFlags(
  paths: readonly string[],
  flags: ValidateFlags,
  cwd: string,
): ValidateConfig {
  let kubernetesVersion: string;
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
    ["--parameters", flags.parameters !== undefined],
    ["--allow-builtin", splitList(flags.allowBuiltin).length > 0],
  ] as const;
  const stray = regoOnly.filter(([, set]) => set).map(([name]) => name);
  if (policies.length === 0 && stray.length > 0) {
    throw new UsageError(`${stray.join(", ")} need --policy (a folder of Rego policies)`);
  }
  if (flags.parameters !== undefined && !flags.gatekeeperInput) {
    throw new UsageError("--parameters is input.parameters of --gatekeeper-input; add that flag");
  }
  const root = flags.root !== undefined ? resolve(cwd, flags.root) : defaultRoot(cwd, paths);
  const absolute = (list: string[]) => list.map((p) => resolve(cwd, p));
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
    parameters: flags.parameters === undefined ? undefined : resolve(cwd, flags.parameters),
    // A path (with a slash) is taken from cwd; a bare name is looked up on PATH.
    opa: flags.opa?.includes("/") ? resolve(cwd, flags.opa) : (flags.opa ?? "opa"),
    allowBuiltins: splitList(flags.allowBuiltin),
    kustomize: flags.kustomize?.includes("/") ? resolve(cwd, flags.kustomize) : flags.kustomize,
    chartCache: flags.chartCache === undefined ? undefined : resolve(cwd, flags.chartCache),
    helmReleases: flags.helmReleases ?? true,
  };
}

/** A list of changed files, one per line (as `git diff --name-only` prints it). */
export function parseChangedFiles(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"))
    .map((l) => l.replace(/^\.\//, ""));
}
