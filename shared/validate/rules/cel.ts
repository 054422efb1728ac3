// CRD validation rules (x-kubernetes-validations) evaluated offline with @bufbuild/cel,
// as k8s.io/apiextensions-apiserver pkg/apiserver/schema/cel (validation.go,
// Validator.Validate) runs them on create: schema defaults applied first, every rule of
// every schema node that has a value, `self` the node's value typed by the schema
// (integers are CEL ints), `message` or `messageExpression`, `fieldPath` and `reason`.
//
// Transition rules (those that read `oldSelf`) only run on update; a new object never
// has them evaluated, so they are skipped here too. A rule this evaluator cannot run (a
// function or syntax it lacks) is reported once as a note, never as a finding.
import { type CelEnv, celEnv, isCelError, parse, plan } from "@bufbuild/cel";
import { type Finding, joinPointer, pointerToPath } from "../findings.ts";
import { kubernetesCelFunctions } from "./cel-library.ts";
import { isObject, type Obj } from "./field.ts";

interface CelRule {
  rule: string;
  message?: string;
  messageExpression?: string;
  fieldPath?: string;
  reason?: string;
}

export interface CelCheck {
  findings: Finding[];
  /** Rules that were not evaluated, and why (each once per process). */
  notes: string[];
}

type Program = (bindings: Record<string, unknown>) => unknown;

let env: CelEnv | undefined;
const programs = new Map<string, Program | Error>();
const noted = new Set<string>();

function program(expression: string): Program | Error {
  let compiled = programs.get(expression);
  if (!compiled) {
    try {
      env ??= celEnv({ funcs: kubernetesCelFunctions() });
      const run = plan(env, parse(expression));
      compiled = (bindings) => run(bindings as never);
    } catch (error) {
      compiled = error as Error;
    }
    programs.set(expression, compiled);
  }
  return compiled;
}

function schemaType(schema: Obj): string {
  if (typeof schema.type === "string") return schema.type;
  if (schema["x-kubernetes-int-or-string"] === true) return "integer or string";
  return "object";
}

const frozenDefaults = new WeakSet<object>();

/**
 * A schema's default, shared by every object it is applied to rather than copied for
 * each (copies were a tenth of the CEL rules' time on 10,000 documents); frozen once, so
 * a rule that changed it would throw instead of changing it for the objects after.
 */
function frozen(value: unknown): unknown {
  if (typeof value !== "object" || value === null || frozenDefaults.has(value)) return value;
  for (const v of Object.values(value)) frozen(v);
  Object.freeze(value);
  frozenDefaults.add(value);
  return value;
}

/** Schema defaults, applied as the server does before validating (structural defaulting). */
function withDefaults(value: unknown, schema: Obj): unknown {
  if (Array.isArray(value)) {
    const items = isObject(schema.items) ? schema.items : undefined;
    return items ? value.map((v) => withDefaults(v, items)) : value;
  }
  if (!isObject(value)) return value;
  const out: Obj = { ...value };
  const properties = isObject(schema.properties) ? schema.properties : {};
  for (const [key, sub] of Object.entries(properties)) {
    if (!isObject(sub)) continue;
    if (out[key] === undefined && sub.default !== undefined) out[key] = frozen(sub.default);
    if (out[key] !== undefined) out[key] = withDefaults(out[key], sub);
  }
  const additional = isObject(schema.additionalProperties)
    ? schema.additionalProperties
    : undefined;
  if (additional) {
    for (const key of Object.keys(out))
      if (!Object.hasOwn(properties, key)) out[key] = withDefaults(out[key], additional);
  }
  return out;
}

function childSchema(schema: Obj, key: string): Obj {
  const properties = isObject(schema.properties) ? schema.properties : {};
  const own = properties[key];
  if (isObject(own)) return own;
  return isObject(schema.additionalProperties) ? schema.additionalProperties : {};
}

/** A JSON value as CEL sees it under this schema: integer fields are ints (bigint). */
function toCel(value: unknown, schema: Obj): unknown {
  if (typeof value === "number") {
    const integral =
      schema.type === "integer" || (schema.type !== "number" && Number.isInteger(value));
    return integral && Number.isSafeInteger(value) ? BigInt(value) : value;
  }
  if (Array.isArray(value)) {
    const items = isObject(schema.items) ? schema.items : {};
    return value.map((v) => toCel(v, items));
  }
  if (isObject(value)) {
    const out = new Map<string, unknown>();
    for (const [k, v] of Object.entries(value))
      if (v !== null) out.set(k, toCel(v, childSchema(schema, k)));
    return out;
  }
  return value;
}

/** A rule's fieldPath (".spec.x", "['a.b']", "[0]") as pointer keys. */
function fieldPathKeys(fieldPath: string): string[] {
  const keys: string[] = [];
  for (const m of fieldPath.matchAll(/\.([^.[\]]+)|\['((?:[^'\\]|\\.)*)'\]|\[(\d+)\]/g))
    keys.push(m[1] ?? m[2] ?? m[3] ?? "");
  return keys;
}

const REASONS: Record<string, (shown: string, type: string, message: string) => string> = {
  FieldValueRequired: (shown, _t, message) => `${shown}: Required value: ${message}`,
  FieldValueForbidden: (shown, _t, message) => `${shown}: Forbidden: ${message}`,
  FieldValueDuplicate: (shown, _t, message) =>
    `${shown}: Duplicate value: ${JSON.stringify(message)}`,
  FieldValueInvalid: (shown, type, message) =>
    `${shown}: Invalid value: ${JSON.stringify(type)}: ${message}`,
};

function note(notes: string[], text: string): void {
  if (noted.has(text)) return;
  noted.add(text);
  notes.push(text);
}

function evaluateRules(
  rules: CelRule[],
  value: unknown,
  schema: Obj,
  pointer: string,
  out: CelCheck,
  where: string,
): void {
  const self = toCel(value, schema);
  for (const rule of rules) {
    if (typeof rule.rule !== "string") continue;
    // Transition rules compare with the stored object: not evaluated on create.
    if (/\boldSelf\b/.test(rule.rule)) continue;
    const compiled = program(rule.rule);
    if (compiled instanceof Error) {
      note(
        out.notes,
        `${where}: CEL rule not evaluated (${compiled.message.split("\n")[0]}): ${rule.rule}`,
      );
      continue;
    }
    let result: unknown;
    try {
      result = compiled({ self });
    } catch (error) {
      note(
        out.notes,
        `${where}: CEL rule not evaluated (${(error as Error).message}): ${rule.rule}`,
      );
      continue;
    }
    if (isCelError(result)) {
      // Missing functions are this evaluator's gap; other errors are the server's too.
      if (/unbound function|no such overload|unsupported/i.test(result.message)) {
        note(out.notes, `${where}: CEL rule not evaluated (${result.message}): ${rule.rule}`);
        continue;
      }
    } else if (result === true) continue;
    let message = rule.message || `failed rule: ${rule.rule}`;
    if (isCelError(result)) message = result.message;
    else if (rule.messageExpression) {
      const expr = program(rule.messageExpression);
      const text = expr instanceof Error ? undefined : safe(() => expr({ self }));
      if (typeof text === "string" && text.trim() !== "") message = text;
    }
    let target = pointer;
    if (rule.fieldPath)
      for (const key of fieldPathKeys(rule.fieldPath)) target = joinPointer(target, key);
    const shown = pointerToPath(target) || "<nil>";
    const format = REASONS[rule.reason ?? "FieldValueInvalid"] ?? REASONS.FieldValueInvalid;
    out.findings.push({
      severity: "error",
      rule: "x-kubernetes-validations",
      message: (format ?? ((s, t, m) => `${s}: Invalid value: "${t}": ${m}`))(
        shown,
        schemaType(schema),
        message,
      ),
      path: pointerToPath(target),
      pointer: target,
    });
  }
}

function safe(f: () => unknown): unknown {
  try {
    return f();
  } catch {
    return undefined;
  }
}

function walk(value: unknown, schema: Obj, pointer: string, out: CelCheck, where: string): void {
  if (value === undefined || value === null) return;
  const rules = schema["x-kubernetes-validations"];
  if (Array.isArray(rules) && rules.length > 0)
    evaluateRules(
      rules.filter(isObject) as unknown as CelRule[],
      value,
      schema,
      pointer,
      out,
      where,
    );
  if (Array.isArray(value)) {
    const items = isObject(schema.items) ? schema.items : undefined;
    if (items)
      for (const [i, v] of value.entries()) walk(v, items, joinPointer(pointer, i), out, where);
  } else if (isObject(value)) {
    for (const [key, v] of Object.entries(value)) {
      const sub = childSchema(schema, key);
      if (Object.keys(sub).length > 0) walk(v, sub, joinPointer(pointer, key), out, where);
    }
  }
}

/** Whether a CRD schema has any CEL rule (so objects of kinds without one cost nothing). */
export function hasCelRules(schema: unknown): boolean {
  return JSON.stringify(schema).includes('"x-kubernetes-validations"');
}

/**
 * The findings of every x-kubernetes-validations rule of `schema` (a CRD version's
 * openAPIV3Schema) on a new custom resource. `where` names the object in notes.
 */
export function checkCelRules(object: unknown, schema: Obj, where = "", pointer = ""): CelCheck {
  const out: CelCheck = { findings: [], notes: [] };
  walk(withDefaults(object, schema), schema, pointer, out, where);
  return out;
}
