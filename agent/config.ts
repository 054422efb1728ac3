// The agent's configuration: where the repository is, and the units (paths) it keeps
// applied. Read from a YAML file (meant to live in a ConfigMap) or, for one or more
// paths, from flags. Everything is checked up front, dependency cycles included, so a
// bad configuration fails before anything touches the cluster: first the file's shape
// against its schema (config-schema.ts: every unknown key and wrong type at once, at
// file:line), then what a schema cannot say (durations, names, budgets, cycles).
import { constructFromEvents, type Event, parseEvents } from "js-yaml";
import { UsageError } from "../shared/command.ts";
import { EventPositions, LineIndex } from "../shared/manifests/positions.ts";
import { messageOf } from "../shared/util/message.ts";
import { pointerToPath } from "../shared/validate/findings.ts";
import { type AlertTarget, parseAlerts } from "./alerts.ts";
import { validate as validateShape } from "./config-validator.ts";
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
  /**
   * The delete budget of the Flux Kustomizations the units apply (the top-level
   * `deleteBudget`, which is also the units' default); undefined: the default, 50%.
   */
  deleteBudget?: number | undefined;
}

/** Refused input (exit 2): the configuration cannot be used as written; nothing was applied. */
export class ConfigError extends UsageError {
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

/** A field's value; null (a key without a value) is not set. Types: the schema checked them. */
function field<T>(obj: Record<string, unknown>, key: string): T | undefined {
  const value = obj[key];
  return value === undefined || value === null ? undefined : (value as T);
}

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
    throw new ConfigError(messageOf(error));
  }
}

/** One unit of the file, whose shape the schema checked. */
export function parseUnit(raw: unknown, index: number, defaults: UnitDefaults): UnitConfig {
  const where = `units[${index}]`;
  const obj = raw as Record<string, unknown>;
  const path = field<string>(obj, "path");
  if (!path) throw new ConfigError(`${where}.path is required`);
  const name = field<string>(obj, "name") ?? unitNameFromPath(path);
  if (!NAME.test(name) || name.length > 50) {
    throw new ConfigError(
      `${where}.name "${name}": use lowercase letters, digits and '-' (at most 50)`,
    );
  }
  const timeout = field<string>(obj, "timeout");
  const interval = field<string>(obj, "interval");
  return {
    name,
    path,
    prune: field<boolean>(obj, "prune") ?? defaults.prune,
    wait: field<boolean>(obj, "wait") ?? defaults.wait,
    timeoutMs:
      timeout === undefined ? defaults.timeoutMs : parseDuration(timeout, `${where}.timeout`),
    intervalMs:
      interval === undefined ? defaults.intervalMs : parseDuration(interval, `${where}.interval`),
    dependsOn: field<string[]>(obj, "dependsOn") ?? [],
    targetNamespace: field<string>(obj, "targetNamespace"),
    allowEmpty: field<boolean>(obj, "allowEmpty") ?? false,
    pruneCrdsAndNamespaces: field<boolean>(obj, "pruneCrdsAndNamespaces") ?? false,
    deleteBudget: budgetOf(
      field(obj, "deleteBudget"),
      `${where}.deleteBudget`,
      defaults.deleteBudget,
    ),
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

/**
 * Parses the YAML configuration file's text; `file` names it in errors (`file:line:`).
 * Throws one ConfigError listing every problem of the file's shape.
 */
export function parseAgentConfig(text: string, file?: string): AgentConfig {
  // Read with js-yaml's events (YAML 1.2's core schema, as `yaml` reads by default): the
  // parser of the manifests' fast path, already loaded, and its events give positions.
  // The agent does not load `yaml` for its configuration (see parse-yaml.ts).
  let events: Event[];
  let doc: unknown;
  try {
    events = parseEvents(text, {});
    const docs = constructFromEvents(events, { source: text, maxAliases: 100 });
    if (docs.length > 1) throw new Error("one document expected, found several (---)");
    doc = docs[0] ?? null;
  } catch (error) {
    throw new ConfigError(
      `${file ? `${file}: ` : ""}not valid YAML: ${error instanceof Error ? error.message.split("\n")[0] : error}`,
    );
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc))
    throw new ConfigError(`${file ? `${file}: ` : ""}expected a mapping at the top`);
  const problems = shapeProblems(doc, text, events, file);
  if (problems.length === 1) throw new ConfigError(problems[0] as string);
  if (problems.length > 1)
    throw new ConfigError(`${problems.length} problems:\n  ${problems.join("\n  ")}`);
  const top = doc as Record<string, unknown>;
  const git = field<Record<string, unknown>>(top, "git") ?? {};
  const interval = field<string>(top, "interval");
  const timeout = field<string>(top, "timeout");
  const defaults: UnitDefaults = {
    intervalMs: interval === undefined ? DEFAULTS.intervalMs : parseDuration(interval, "interval"),
    timeoutMs: timeout === undefined ? DEFAULTS.timeoutMs : parseDuration(timeout, "timeout"),
    prune: field<boolean>(top, "prune") ?? DEFAULTS.prune,
    wait: field<boolean>(top, "wait") ?? DEFAULTS.wait,
    deleteBudget: budgetOf(field(top, "deleteBudget"), "deleteBudget", DEFAULTS.deleteBudget),
  };
  const url = field<string>(git, "url") ?? "";
  return {
    namespace: field<string>(top, "namespace") ?? AGENT_NAMESPACE,
    git: {
      url,
      branch: field<string>(git, "branch"),
      tag: field<string>(git, "tag"),
      commit: field<string>(git, "commit"),
      secretDir: field<string>(git, "secretDir"),
      verifyKeysDir: field<string>(git, "verifyKeysDir"),
      verifyMode: field<string>(git, "verifyMode"),
      syncTag: field<string>(git, "syncTag") ?? SYNC_TAG,
      // Read-only unless asked: the sync path never writes to Git by default, so a
      // cluster needs only a read token (Flux v1 pushed its sync tag by default).
      readonly: field<boolean>(git, "readonly") ?? true,
    },
    units: (field<unknown[]>(top, "units") ?? []).map((u, i) => parseUnit(u, i, defaults)),
    cluster: field<string>(top, "cluster"),
    alerts: parseAlerts(top.alerts, process.env, url),
    decryption: decryptionOf(field(top, "decryption")),
    lockdown: {
      defaultServiceAccount: field<string>(top, "defaultServiceAccount"),
      noCrossNamespaceRefs: field<boolean>(top, "noCrossNamespaceRefs"),
    },
    deleteBudget: defaults.deleteBudget,
  };
}

/** `decryption: {provider: sops, secretRef: {name}}`, its shape checked as Flux's CRD checks it. */
function decryptionOf(raw: Record<string, unknown> | undefined): DecryptionSpec | undefined {
  if (raw === undefined) return undefined;
  const ref = field<Record<string, unknown>>(raw, "secretRef");
  const name = ref ? field<string>(ref, "name") : undefined;
  if (ref && !name) throw new ConfigError("decryption.secretRef.name is required");
  return { provider: "sops", secretRef: name ? { name } : undefined };
}

/** What Ajv reports of one problem (the fields used here). */
interface ShapeError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
}

/** Every departure of the file from its schema, as `file:line: field: problem`. */
function shapeProblems(
  value: unknown,
  text: string,
  events: Event[],
  file: string | undefined,
): string[] {
  if (validateShape(value)) return [];
  const errors = (validateShape as { errors?: ShapeError[] | null }).errors ?? [];
  // The positions are looked up only for a file that is wrong. The document's root is
  // the event after the document's own (registered under line 1, the only object).
  const positions = new EventPositions(text, events, new LineIndex(text));
  positions.addRoot(1, 1);
  const problems = errors.map((error) => {
    const { message, pointer } = describeShapeError(error, value);
    const line = positions.locate(1, pointer)?.line;
    const where = [file, line].filter((p) => p !== undefined).join(":");
    return where ? `${where}: ${message}` : message;
  });
  return [...new Set(problems)];
}

/** One schema error in the words of the other configuration errors, and where it points. */
function describeShapeError(
  error: ShapeError,
  value: unknown,
): { message: string; pointer: string } {
  const field = pointerToPath(error.instancePath);
  const at = (text: string) => (field ? `${field}: ${text}` : text);
  const pointer = error.instancePath;
  switch (error.keyword) {
    case "additionalProperties": {
      const key = String(error.params.additionalProperty);
      return { message: at(`unknown field "${key}"`), pointer: `${pointer}/${key}` };
    }
    case "required": {
      const key = String(error.params.missingProperty);
      return { message: `${field ? `${field}.` : ""}${key} is required`, pointer };
    }
    case "type":
      return {
        message: at(
          `expected ${typeName(error.params.type)}, got ${describe(valueAt(value, pointer))}`,
        ),
        pointer,
      };
    case "enum": {
      const allowed = (error.params.allowedValues as unknown[]).filter((v) => v !== null);
      return {
        message: at(
          `expected ${orList(allowed.map((v) => JSON.stringify(v)))}, got ${JSON.stringify(valueAt(value, pointer))}`,
        ),
        pointer,
      };
    }
    default:
      return { message: at(`does not match the schema (${error.keyword})`), pointer };
  }
}

function typeName(type: unknown): string {
  const names = (Array.isArray(type) ? type : [type]).map((t) =>
    t === "object" ? "a mapping" : t === "array" ? "a list" : String(t),
  );
  return orList(names);
}

function orList(names: readonly string[]): string {
  return names.length > 1
    ? `${names.slice(0, -1).join(", ")} or ${names.at(-1)}`
    : (names[0] ?? "");
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return "a list";
  if (v === null) return "null";
  if (typeof v === "object") return "a mapping";
  return `${typeof v} ${JSON.stringify(v)}`;
}

function valueAt(value: unknown, pointer: string): unknown {
  let v = value;
  for (const raw of pointer.split("/").slice(1)) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    v = (v as Record<string, unknown> | undefined)?.[key];
  }
  return v;
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
