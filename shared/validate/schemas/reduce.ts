// Pure helpers of the schema generator, kept apart from its Go and file-system work so
// they can be tested: schema reduction, subtree sharing, lifecycle parsing, output text.
import { NUMERIC_KEYWORDS } from "../jsonschema.ts";
import type { ApiLifecycle, Json, JsonObject, MiniSchema } from "./types.ts";

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// Keywords whose value is one schema, or a list of schemas.
const SCHEMA_VALUED = new Set(["items", "not", "additionalProperties"]);
const SCHEMA_LISTS = new Set(["oneOf", "anyOf", "allOf"]);
// Keywords kept as they are. Everything else (descriptions, defaults, formats, patch and
// list-type hints, CEL rules) does not change what kubeconform-style validation accepts.
const PLAIN = new Set([
  "type",
  "required",
  "enum",
  "nullable",
  "pattern",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  ...NUMERIC_KEYWORDS,
  "uniqueItems",
  "x-kubernetes-preserve-unknown-fields",
  "x-kubernetes-int-or-string",
  "x-kubernetes-embedded-resource",
]);

/** Reduces an OpenAPI schema; `ref` maps a reference's target name to a number. */
export function minimize(node: Json, ref: (name: string) => number): MiniSchema {
  if (!isObject(node)) return {};
  const refTarget = (value: Json): number | undefined =>
    typeof value === "string" ? ref(value.slice(value.lastIndexOf("/") + 1)) : undefined;
  if (typeof node.$ref === "string") return { $ref: refTarget(node.$ref) ?? 0 };
  // OpenAPI v3 wraps a reference in allOf to give it siblings (default, description).
  const allOf = node.allOf;
  if (Array.isArray(allOf) && allOf.length === 1 && isObject(allOf[0]) && allOf[0].$ref) {
    return { $ref: refTarget(allOf[0].$ref) ?? 0 };
  }
  const out: MiniSchema = {};
  for (const key of Object.keys(node).sort()) {
    const value = node[key] as Json;
    if (key === "properties" && isObject(value)) {
      const props: JsonObject = {};
      for (const name of Object.keys(value).sort()) props[name] = minimize(value[name] ?? {}, ref);
      out.properties = props;
    } else if (SCHEMA_VALUED.has(key)) {
      out[key] = typeof value === "boolean" ? value : minimize(value, ref);
    } else if (SCHEMA_LISTS.has(key) && Array.isArray(value)) {
      out[key] = value.map((v) => minimize(v, ref));
    } else if (PLAIN.has(key)) {
      out[key] = value;
    }
  }
  return out;
}

/** Canonical JSON text: keys sorted, so equal schemas compare equal as strings. */
export function canonical(value: Json): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (isObject(value)) {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(value[k] as Json)}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}

/** Calls `visit` on every schema-position child of a schema (not on property maps). */
function mapChildren(schema: MiniSchema, visit: (child: MiniSchema) => MiniSchema): MiniSchema {
  const out: MiniSchema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === "properties" && isObject(value)) {
      const props: JsonObject = {};
      for (const [name, child] of Object.entries(value)) {
        props[name] = isObject(child) ? visit(child) : child;
      }
      out[key] = props;
    } else if (SCHEMA_VALUED.has(key) && isObject(value)) {
      out[key] = visit(value);
    } else if (SCHEMA_LISTS.has(key) && Array.isArray(value)) {
      out[key] = value.map((v) => (isObject(v) ? visit(v) : v));
    } else {
      out[key] = value;
    }
  }
  return out;
}

/**
 * Hoists subtrees that occur more than once (and are big enough to be worth a
 * reference) into a shared table: Flux's CRD versions repeat most of their structure.
 */
export function hoistShared(
  schemas: MiniSchema[],
  minSize = 160,
): { shared: MiniSchema[]; out: MiniSchema[] } {
  const counts = new Map<string, number>();
  const count = (s: MiniSchema): MiniSchema => {
    mapChildren(s, count);
    const key = canonical(s);
    counts.set(key, (counts.get(key) ?? 0) + 1);
    return s;
  };
  for (const s of schemas) count(s);
  const shared: MiniSchema[] = [];
  const index = new Map<string, number>();
  const intern = (s: MiniSchema, root: boolean): MiniSchema => {
    const key = canonical(s);
    const reduced = mapChildren(s, (c) => intern(c, false));
    if (root || (counts.get(key) ?? 0) < 2 || key.length < minSize) return reduced;
    let i = index.get(key);
    if (i === undefined) {
      i = shared.length;
      shared.push(reduced);
      index.set(key, i);
    }
    return { $ref: i };
  };
  return { shared, out: schemas.map((s) => intern(s, true)) };
}

/** Orders API versions by maturity: v2 > v1 > v1beta2 > v1beta1 > v1alpha1. */
export function stability(apiVersion: string): number {
  const m = /v(\d+)(?:(alpha|beta)(\d+))?$/.exec(apiVersion);
  if (!m) return 0;
  const level = m[2] === "alpha" ? 0 : m[2] === "beta" ? 1 : 2;
  return level * 10000 + Number(m[1]) * 100 + Number(m[3] ?? 0);
}

/**
 * JSON with one line per element down to `depth` levels, so regenerated data diffs line
 * by line, and compact below that.
 */
export function linedJson(value: unknown, depth: number): string {
  if (depth === 0 || value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) {
    return `[\n${value.map((v) => linedJson(v, depth - 1)).join(",\n")}\n]`;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(
    ([, v]) => v !== undefined,
  );
  return `{\n${entries.map(([k, v]) => `${JSON.stringify(k)}:${linedJson(v, depth - 1)}`).join(",\n")}\n}`;
}

export function apiVersionOf(group: string, version: string): string {
  return group ? `${group}/${version}` : version;
}

/**
 * The deprecated/removed/replacement facts of one zz_generated.prerelease-lifecycle.go
 * (the functions the API server calls to word its deprecation warnings). List kinds are
 * left out: they follow their item kind.
 */
export function parseLifecycles(text: string, apiVersion: string): ApiLifecycle[] {
  const entries = new Map<string, ApiLifecycle>();
  const entry = (kind: string): ApiLifecycle => {
    const e = entries.get(kind) ?? { apiVersion, kind, source: "k8s.io/api" };
    entries.set(kind, e);
    return e;
  };
  const version =
    /func \(in \*(\w+)\) APILifecycle(Deprecated|Removed)\(\) \(major, minor int\) \{\s*return (\d+), (\d+)/g;
  for (const m of text.matchAll(version)) {
    const e = entry(m[1] as string);
    if (m[2] === "Deprecated") e.deprecated = `${m[3]}.${m[4]}`;
    else e.removed = `${m[3]}.${m[4]}`;
  }
  const replacement =
    /func \(in \*(\w+)\) APILifecycleReplacement\(\) schema\.GroupVersionKind \{\s*return schema\.GroupVersionKind\{Group: "([^"]*)", Version: "([^"]*)", Kind: "([^"]*)"\}/g;
  for (const m of text.matchAll(replacement)) {
    const kind = m[1] as string;
    let replacementKind = m[4] as string;
    // Upstream names IngressClassList as IngressClass's replacement; a kind is replaced by a kind.
    if (replacementKind.endsWith("List") && !kind.endsWith("List")) {
      replacementKind = replacementKind.slice(0, -4);
    }
    entry(kind).replacement = {
      apiVersion: apiVersionOf(m[2] as string, m[3] as string),
      kind: replacementKind,
    };
  }
  return [...entries.values()].filter(
    (e) => !e.kind.endsWith("List") && (e.deprecated || e.removed),
  );
}

export function compareMinor(a: string, b: string): number {
  const [am = 0, an = 0] = a.split(".").map(Number);
  const [bm = 0, bn = 0] = b.split(".").map(Number);
  return am - bm || an - bn;
}

/**
 * The TypeScript module that carries a data file's JSON text in a template literal (the
 * text is escaped so the literal evaluates to exactly the JSON).
 */
export function dataModule(jsonText: string): string {
  const body = jsonText.replace(/\\|`|\$\{/g, (m) => `\\${m}`);
  return `// Generated by shared/validate/schemas/generate.ts; do not edit.\nexport const json = \`${body}\`;\n`;
}
