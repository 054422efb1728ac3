// The agent's configuration: where the repository is, and the units (paths) it keeps
// applied. Read from a YAML file (meant to live in a ConfigMap) or, for one or more
// paths, from flags. Everything is checked up front, dependency cycles included, so a
// bad configuration fails before anything touches the cluster.
import { parse } from "yaml";
import { type AlertTarget, parseAlerts } from "./alerts.ts";
import type { DecryptionSpec } from "./decrypt.ts";
import { AGENT_NAMESPACE, SYNC_TAG } from "./defaults.ts";
import { DEFAULT_DELETE_BUDGET, parseDeleteBudget } from "./delete-budget.ts";
import type { Lockdown } from "./flux/lockdown.ts";

export interface UnitConfig {
  name: string;
  path: string;
  prune: boolean;
  wait: boolean;
  timeoutMs: number;
  intervalMs: number;
  dependsOn: string[];
  targetNamespace?: string | undefined;
  allowEmpty: boolean;
  pruneCrdsAndNamespaces: boolean;
  /** Largest share of the inventory one pass may prune without confirmation (1: off). */
  deleteBudget: number;
}

export interface GitConfig {
  url: string;
  branch?: string | undefined;
  tag?: string | undefined;
  commit?: string | undefined;
  /** A mounted Secret: files username, password or token, identity, known_hosts. */
  secretDir?: string | undefined;
  /** Flux v1 style: after a fully successful sync, move this tag to the applied commit (only when readonly is false). */
  syncTag: string;
  readonly: boolean;
  /**
   * A folder of trusted keys (`*.pub` SSH public keys, `*.asc` OpenPGP public keys): the
   * commit to apply must be signed by one of them (Flux's GitRepository.spec.verify).
   */
  verifyKeysDir?: string | undefined;
  /** What must be signed (Flux's verify.mode): HEAD (default), Tag, TagAndHEAD. */
  verifyMode?: string | undefined;
}

export interface AgentConfig {
  namespace: string;
  git: GitConfig;
  units: UnitConfig[];
  /** The cluster's name in alerts and commit statuses (`tether/<cluster>`). */
  cluster?: string | undefined;
  /** Where events go (alerts.ts); none by default. */
  alerts?: AlertTarget[] | undefined;
  /**
   * SOPS decryption for the units (Flux's `spec.decryption`): `provider: sops` and a
   * `secretRef` to a Secret in the agent's namespace holding `*.agekey` / `*.asc` keys.
   */
  decryption?: DecryptionSpec | undefined;
  /**
   * Flux's multi-tenancy lockdown for the Kustomizations and HelmReleases the units
   * apply: `defaultServiceAccount`, `noCrossNamespaceRefs` (flags of the same names).
   */
  lockdown?: Lockdown | undefined;
}

export class ConfigError extends Error {
  constructor(message: string) {
    // The prefix tells the reader which input is wrong wherever the message ends up.
    super(`configuration: ${message}`);
    this.name = "ConfigError";
  }
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Go-style durations: "90s", "5m", "1h30m", "250ms". */
export function parseDuration(text: string, field: string): number {
  const trimmed = String(text).trim();
  const parts = [...trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join("") !== trimmed) {
    throw new ConfigError(`${field}: "${text}" is not a duration (use e.g. 30s, 5m, 1h30m)`);
  }
  return parts.reduce((sum, p) => sum + Number(p[1]) * (UNITS[p[2] as string] as number), 0);
}

/** A unit name from a path: `clusters/edge-1/apps` -> `clusters-edge-1-apps`. */
export function unitNameFromPath(path: string): string {
  const name = path
    .toLowerCase()
    .replace(/^\.?\/+|\/+$/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return (name || "root").slice(0, 50).replace(/-+$/, "");
}

const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function field<T>(
  obj: Record<string, unknown>,
  key: string,
  type: string,
  where: string,
): T | undefined {
  const value = obj[key];
  if (value === undefined || value === null) return undefined;
  const actual = Array.isArray(value) ? "array" : typeof value;
  if (actual !== type) throw new ConfigError(`${where}.${key}: expected ${type}, got ${actual}`);
  return value as T;
}

const UNIT_KEYS = new Set([
  "name",
  "path",
  "prune",
  "wait",
  "timeout",
  "interval",
  "dependsOn",
  "targetNamespace",
  "allowEmpty",
  "pruneCrdsAndNamespaces",
  "deleteBudget",
]);

export interface UnitDefaults {
  intervalMs: number;
  timeoutMs: number;
  prune: boolean;
  wait: boolean;
  deleteBudget: number;
}

export const DEFAULTS: UnitDefaults = {
  intervalMs: 60_000,
  timeoutMs: 300_000,
  prune: false,
  wait: false,
  deleteBudget: DEFAULT_DELETE_BUDGET,
};

function budgetOf(value: unknown, where: string, fallback: number): number {
  if (value === undefined) return fallback;
  try {
    return parseDeleteBudget(value, where);
  } catch (error) {
    throw new ConfigError(error instanceof Error ? error.message : String(error));
  }
}

export function parseUnit(raw: unknown, index: number, defaults: UnitDefaults): UnitConfig {
  const where = `units[${index}]`;
  if (typeof raw !== "object" || raw === null || Array.isArray(raw))
    throw new ConfigError(`${where}: expected a mapping`);
  const obj = raw as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    if (!UNIT_KEYS.has(key)) throw new ConfigError(`${where}: unknown field "${key}"`);
  }
  const path = field<string>(obj, "path", "string", where);
  if (!path) throw new ConfigError(`${where}.path is required`);
  const name = field<string>(obj, "name", "string", where) ?? unitNameFromPath(path);
  if (!NAME.test(name) || name.length > 50) {
    throw new ConfigError(
      `${where}.name "${name}": use lowercase letters, digits and '-' (at most 50)`,
    );
  }
  const dependsOn = field<unknown[]>(obj, "dependsOn", "array", where) ?? [];
  if (dependsOn.some((d) => typeof d !== "string"))
    throw new ConfigError(`${where}.dependsOn: expected unit names`);
  const timeout =
    obj.timeout === undefined ? undefined : parseDuration(String(obj.timeout), `${where}.timeout`);
  const interval =
    obj.interval === undefined
      ? undefined
      : parseDuration(String(obj.interval), `${where}.interval`);
  return {
    name,
    path,
    prune: field<boolean>(obj, "prune", "boolean", where) ?? defaults.prune,
    wait: field<boolean>(obj, "wait", "boolean", where) ?? defaults.wait,
    timeoutMs: timeout ?? defaults.timeoutMs,
    intervalMs: interval ?? defaults.intervalMs,
    dependsOn: dependsOn as string[],
    targetNamespace: field<string>(obj, "targetNamespace", "string", where),
    allowEmpty: field<boolean>(obj, "allowEmpty", "boolean", where) ?? false,
    pruneCrdsAndNamespaces:
      field<boolean>(obj, "pruneCrdsAndNamespaces", "boolean", where) ?? false,
    deleteBudget: budgetOf(obj.deleteBudget, `${where}.deleteBudget`, defaults.deleteBudget),
  };
}

/** Units in an order where every unit comes after the units it depends on. */
export function orderUnits(units: readonly UnitConfig[]): UnitConfig[] {
  const byName = new Map<string, UnitConfig>();
  for (const unit of units) {
    if (byName.has(unit.name)) throw new ConfigError(`two units are named "${unit.name}"`);
    byName.set(unit.name, unit);
  }
  for (const unit of units) {
    for (const dep of unit.dependsOn) {
      if (!byName.has(dep))
        throw new ConfigError(`unit "${unit.name}" depends on "${dep}", which is not a unit`);
    }
  }
  const ordered: UnitConfig[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (unit: UnitConfig, trail: string[]) => {
    const s = state.get(unit.name);
    if (s === "done") return;
    if (s === "visiting") {
      const cycle = [...trail.slice(trail.indexOf(unit.name)), unit.name];
      throw new ConfigError(`dependency cycle: ${cycle.join(" -> ")}`);
    }
    state.set(unit.name, "visiting");
    for (const dep of unit.dependsOn) visit(byName.get(dep) as UnitConfig, [...trail, unit.name]);
    state.set(unit.name, "done");
    ordered.push(unit);
  };
  for (const unit of units) visit(unit, []);
  return ordered;
}

const TOP_KEYS = new Set([
  "namespace",
  "git",
  "interval",
  "timeout",
  "prune",
  "wait",
  "deleteBudget",
  "units",
  "cluster",
  "alerts",
  "decryption",
  "defaultServiceAccount",
  "noCrossNamespaceRefs",
]);
const GIT_KEYS = new Set([
  "url",
  "branch",
  "tag",
  "commit",
  "secretDir",
  "syncTag",
  "readonly",
  "verifyKeysDir",
  "verifyMode",
]);

/** Parses the YAML configuration file's text. */
export function parseAgentConfig(text: string): AgentConfig {
  let doc: unknown;
  try {
    doc = parse(text, { uniqueKeys: true });
  } catch (error) {
    throw new ConfigError(
      `not valid YAML: ${error instanceof Error ? error.message.split("\n")[0] : error}`,
    );
  }
  if (typeof doc !== "object" || doc === null)
    throw new ConfigError("expected a mapping at the top");
  const top = doc as Record<string, unknown>;
  for (const key of Object.keys(top))
    if (!TOP_KEYS.has(key)) throw new ConfigError(`unknown field "${key}"`);
  const git = (top.git ?? {}) as Record<string, unknown>;
  for (const key of Object.keys(git))
    if (!GIT_KEYS.has(key)) throw new ConfigError(`git: unknown field "${key}"`);
  const defaults: UnitDefaults = {
    intervalMs:
      top.interval === undefined
        ? DEFAULTS.intervalMs
        : parseDuration(String(top.interval), "interval"),
    timeoutMs:
      top.timeout === undefined
        ? DEFAULTS.timeoutMs
        : parseDuration(String(top.timeout), "timeout"),
    prune: field<boolean>(top, "prune", "boolean", "config") ?? DEFAULTS.prune,
    wait: field<boolean>(top, "wait", "boolean", "config") ?? DEFAULTS.wait,
    deleteBudget: budgetOf(top.deleteBudget, "deleteBudget", DEFAULTS.deleteBudget),
  };
  const rawUnits = field<unknown[]>(top, "units", "array", "config") ?? [];
  const url = field<string>(git, "url", "string", "git") ?? "";
  return {
    namespace: field<string>(top, "namespace", "string", "config") ?? AGENT_NAMESPACE,
    git: {
      url,
      branch: field<string>(git, "branch", "string", "git"),
      tag: field<string>(git, "tag", "string", "git"),
      commit: field<string>(git, "commit", "string", "git"),
      secretDir: field<string>(git, "secretDir", "string", "git"),
      verifyKeysDir: field<string>(git, "verifyKeysDir", "string", "git"),
      verifyMode: verifyModeOf(field<string>(git, "verifyMode", "string", "git")),
      syncTag: field<string>(git, "syncTag", "string", "git") ?? SYNC_TAG,
      // Read-only unless asked: the sync path never writes to Git by default, so a
      // cluster needs only a read token (Flux v1 pushed its sync tag by default).
      readonly: field<boolean>(git, "readonly", "boolean", "git") ?? true,
    },
    units: rawUnits.map((u, i) => parseUnit(u, i, defaults)),
    cluster: field<string>(top, "cluster", "string", "config"),
    alerts: parseAlerts(top.alerts, process.env, url),
    decryption: parseDecryption(top.decryption),
    lockdown: {
      defaultServiceAccount: field<string>(top, "defaultServiceAccount", "string", "config"),
      noCrossNamespaceRefs: field<boolean>(top, "noCrossNamespaceRefs", "boolean", "config"),
    },
  };
}

function verifyModeOf(mode: string | undefined): string | undefined {
  if (mode !== undefined && !["HEAD", "Tag", "TagAndHEAD"].includes(mode))
    throw new ConfigError(`git.verifyMode: expected HEAD, Tag or TagAndHEAD, got "${mode}"`);
  return mode;
}

/** `decryption: {provider: sops, secretRef: {name}}`, checked as Flux's CRD checks it. */
function parseDecryption(raw: unknown): DecryptionSpec | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== "object" || Array.isArray(raw))
    throw new ConfigError("decryption: expected a mapping");
  const obj = raw as Record<string, unknown>;
  for (const key of Object.keys(obj))
    if (key !== "provider" && key !== "secretRef")
      throw new ConfigError(`decryption: unknown field "${key}"`);
  const provider = field<string>(obj, "provider", "string", "decryption");
  if (provider !== "sops") throw new ConfigError(`decryption.provider: expected "sops"`);
  const ref = field<Record<string, unknown>>(obj, "secretRef", "object", "decryption");
  const name = ref ? field<string>(ref, "name", "string", "decryption.secretRef") : undefined;
  if (ref && !name) throw new ConfigError("decryption.secretRef.name is required");
  return { provider, secretRef: name ? { name } : undefined };
}

/** Final checks once file and flags are merged. */
export function validateConfig(config: AgentConfig): AgentConfig {
  if (!config.git.url) throw new ConfigError("no Git URL (git.url in the file, or --git-url)");
  if (config.units.length === 0)
    throw new ConfigError("no units (units in the file, or --git-path)");
  if ([config.git.branch, config.git.tag, config.git.commit].filter(Boolean).length > 1) {
    throw new ConfigError("give one of branch, tag or commit");
  }
  // A commit is a hash, never a ref or an option: anything else reaching `git fetch`
  // could name another revision or be read as a flag.
  if (config.git.commit !== undefined && !/^[0-9a-f]{7,64}$/i.test(config.git.commit)) {
    throw new ConfigError(
      `commit ${JSON.stringify(config.git.commit)} is not a hexadecimal commit hash (7 to 64 digits)`,
    );
  }
  return { ...config, units: orderUnits(config.units) };
}
