// The values a release is made with: each valuesFrom entry in order (ConfigMap or
// Secret, a key, optionally placed at a targetPath), then spec.values over them, as
// helm-controller merges them. The merge and the digest are pure; reading the
// referenced objects is the one I/O function at the bottom.
import { createHash } from "node:crypto";
import { LineCounter, parseDocument, type YAMLError } from "yaml";
import type { ValuesReference } from "./spec.ts";

export type Values = Record<string, unknown>;

const isMap = (v: unknown): v is Values => typeof v === "object" && v !== null && !Array.isArray(v);

/** Helm's coalescing of two value maps: maps merge key by key, anything else is replaced. */
export function mergeValues(base: Values, over: Values): Values {
  const out: Values = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    out[key] = isMap(current) && isMap(value) ? mergeValues(current, value) : value;
  }
  return out;
}

/** A `--set` scalar: booleans, null and integers are typed, the rest stays a string. */
function typed(text: string): unknown {
  if (text === "true") return true;
  if (text === "false") return false;
  if (text === "null") return null;
  if (/^-?(0|[1-9][0-9]{0,15})$/.test(text)) return Number(text);
  return text;
}

/**
 * Sets `value` at a Helm `--set` style path: `a.b.c`, `list[0].name`, `\.` for a dot
 * inside a key. The value is typed like `--set` (Flux's targetPath does the same).
 */
export function setAtPath(values: Values, path: string, value: string): Values {
  const keys: (string | number)[] = [];
  let current = "";
  for (let i = 0; i < path.length; i++) {
    const c = path[i] as string;
    if (c === "\\" && i + 1 < path.length) {
      current += path[++i];
    } else if (c === ".") {
      if (current) keys.push(current);
      current = "";
    } else if (c === "[") {
      const end = path.indexOf("]", i);
      if (current) keys.push(current);
      current = "";
      keys.push(Number(path.slice(i + 1, end)));
      i = end;
    } else current += c;
  }
  if (current) keys.push(current);
  const root: Values = structuredClone(values);
  let node: Record<string | number, unknown> = root;
  for (const [i, key] of keys.entries()) {
    const last = i === keys.length - 1;
    // Helm pads a list set past its end with nulls.
    if (Array.isArray(node) && typeof key === "number") while (node.length < key) node.push(null);
    if (last) {
      node[key] = typed(value);
      break;
    }
    const nextIsIndex = typeof keys[i + 1] === "number";
    const existing = node[key];
    if (nextIsIndex ? !Array.isArray(existing) : !isMap(existing))
      node[key] = nextIsIndex ? [] : {};
    node = node[key] as Record<string | number, unknown>;
  }
  return root;
}

/** The data of a referenced ConfigMap or Secret (decoded), undefined when it does not exist. */
export type ReadValuesSource = (
  kind: "ConfigMap" | "Secret",
  namespace: string,
  name: string,
) => Promise<Record<string, string> | undefined>;

export class ValuesError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ValuesError";
  }
}

/**
 * What is wrong and where, from the error's code and position only. The library's
 * message can quote the text (a tag, an escape, and with prettyErrors the whole line):
 * a Secret's values must never reach the HelmRelease's status or the logs. A ConfigMap
 * is told the same way: one rule, and the line and column are enough to find it.
 */
function notYaml(error: YAMLError, lines: LineCounter): string {
  const { line, col } = lines.linePos(error.pos[0]);
  return `${error.code.toLowerCase().replaceAll("_", " ")} at line ${line}, column ${col}`;
}

/** Merges valuesFrom (in order) then the inline values; throws ValuesError. */
export async function composeValues(
  refs: readonly ValuesReference[],
  inline: Values,
  namespace: string,
  read: ReadValuesSource,
): Promise<Values> {
  let result: Values = {};
  for (const ref of refs) {
    const data = await read(ref.kind, namespace, ref.name);
    const text = data?.[ref.valuesKey];
    if (text === undefined) {
      if (ref.optional) continue;
      throw new ValuesError(
        data === undefined
          ? `could not find ${ref.kind} '${namespace}/${ref.name}'`
          : `missing key '${ref.valuesKey}' in ${ref.kind} '${namespace}/${ref.name}'`,
      );
    }
    if (ref.targetPath) {
      result = setAtPath(result, ref.targetPath, text.trimEnd());
      continue;
    }
    // parseDocument, not parse: parse prints the library's warnings (with the line they
    // are about) to stderr, and its errors quote the line too (see notYaml).
    const lines = new LineCounter();
    const doc = parseDocument(text, { prettyErrors: false, lineCounter: lines });
    const error = doc.errors[0];
    if (error) {
      throw new ValuesError(
        `key '${ref.valuesKey}' in ${ref.kind} '${namespace}/${ref.name}' is not YAML: ${notYaml(error, lines)}`,
      );
    }
    const parsed: unknown = doc.toJS();
    if (parsed !== null && parsed !== undefined && !isMap(parsed))
      throw new ValuesError(
        `key '${ref.valuesKey}' in ${ref.kind} '${namespace}/${ref.name}' is not a map of values`,
      );
    result = mergeValues(result, (parsed as Values | null) ?? {});
  }
  return mergeValues(result, inline);
}

/** Canonical JSON (sorted keys): equal values give equal digests whatever the key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (isMap(value)) {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** The digest of merged values (Flux's configDigest): what "the values changed" means. */
export function valuesDigest(values: Values): string {
  return `sha256:${createHash("sha256").update(canonical(values)).digest("hex")}`;
}
