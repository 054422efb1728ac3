// Field errors worded as the API server words them (k8s.io/apimachinery
// pkg/util/validation/field, errors.go: `<field>: <type>: <value>: <detail>`), so a
// finding reads like what `kubectl apply` would print. `Fields` walks an object by JSON
// pointer and collects findings; the rule modules only decide.
import { type Finding, joinPointer, pointerToPath } from "../findings.ts";

export type Obj = Record<string, unknown>;

export function isObject(value: unknown): value is Obj {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function objectAt(value: unknown): Obj | undefined {
  return isObject(value) ? value : undefined;
}

export function listAt(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function stringAt(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** An integer field as the server decodes it (a YAML int, never a string). */
export function intAt(value: unknown): number | undefined {
  return typeof value === "number" && Number.isInteger(value) ? value : undefined;
}

/** How field.Error prints a value: strings quoted (Go %q), numbers and booleans as they are. */
export function formatValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (value === null || value === undefined) return "null";
  return JSON.stringify(value);
}

type Step = { key: string | number; how: "child" | "key" | "entry" | "through" };

/**
 * One place in an object: its JSON pointer (where the finding is shown in the file) and
 * the field path the server would name in its message (`resources.requests[cpu]`; for a
 * bad label key the map itself, `metadata.labels`). Both are built only when a finding
 * is reported: the rules walk far more fields than they report on.
 */
export class Field {
  private readonly sink: Finding[];
  private readonly base: string;
  private readonly parent: Field | undefined;
  private readonly step: Step | undefined;

  constructor(sink: Finding[], pointer: string, parent?: Field, step?: Step) {
    this.sink = sink;
    this.base = pointer;
    this.parent = parent;
    this.step = step;
  }

  /** A child field: a property name or a list index. */
  at(...keys: (string | number)[]): Field {
    let field: Field = this;
    for (const key of keys) field = new Field(this.sink, this.base, field, { key, how: "child" });
    return field;
  }

  /** A map value, named as the server names it: `requests[cpu]`. */
  key(key: string): Field {
    return new Field(this.sink, this.base, this, { key, how: "key" });
  }

  /**
   * A map key or list item shown at itself but named by its container, as the server
   * names it (`metadata.labels: Invalid value: "bad key"`, `spec.accessModes: ...`).
   */
  entry(key: string | number): Field {
    return new Field(this.sink, this.base, this, { key, how: "entry" });
  }

  /** A child the server leaves out of its path (a pod template's `metadata`). */
  through(key: string): Field {
    return new Field(this.sink, this.base, this, { key, how: "through" });
  }

  /** The same place, named in messages by the path the server prints for it. */
  named(path: string): Field {
    const field = new Field(this.sink, this.base, this.parent, this.step);
    field.override = path;
    return field;
  }

  private override: string | undefined;

  private path(): Step[] {
    const steps: Step[] = [];
    for (let f: Field | undefined = this; f?.step; f = f.parent) steps.unshift(f.step);
    return steps;
  }

  get pointer(): string {
    let pointer = this.base;
    for (const step of this.path()) pointer = joinPointer(pointer, step.key);
    return pointer;
  }

  get shown(): string {
    if (this.override !== undefined) return this.override;
    let shown = pointerToPath(this.base);
    for (const { key, how } of this.path()) {
      if (how === "entry" || how === "through") continue;
      if (how === "key") shown = `${shown}[${key}]`;
      else shown = typeof key === "number" ? `${shown}[${key}]` : shown ? `${shown}.${key}` : key;
    }
    return shown;
  }

  /** `rule` is the error type as an identifier ("invalid-value", "required-value"). */
  private report(rule: string, body: string): void {
    const path = this.shown || "<object>";
    const pointer = this.pointer;
    this.sink.push({
      severity: "error",
      rule,
      message: `${path}: ${body}`,
      path: pointerToPath(pointer),
      pointer,
    });
  }

  invalid(value: unknown, detail: string): void {
    this.report("invalid-value", `Invalid value: ${formatValue(value)}: ${detail}`);
  }

  /** One finding per problem, as the server lists them. */
  invalidEach(value: unknown, details: readonly string[]): void {
    for (const detail of details) this.invalid(value, detail);
  }

  required(detail = ""): void {
    this.report("required-value", detail ? `Required value: ${detail}` : "Required value");
  }

  forbidden(detail: string): void {
    this.report("forbidden", `Forbidden: ${detail}`);
  }

  unsupported(value: unknown, supported: readonly string[]): void {
    const list = supported.map((s) => JSON.stringify(s)).join(", ");
    this.report(
      "unsupported-value",
      `Unsupported value: ${formatValue(value)}: supported values: ${list}`,
    );
  }

  duplicate(value: unknown): void {
    this.report("duplicate-value", `Duplicate value: ${formatValue(value)}`);
  }

  notFound(value: unknown): void {
    this.report("not-found", `Not found: ${formatValue(value)}`);
  }

  tooLong(max: number): void {
    this.report("too-long", `Too long: may not be more than ${max} bytes`);
  }

  tooMany(max: number): void {
    this.report("too-many", `Too many: must have at most ${max} items`);
  }

  /** An enum-like string: unset is fine (the server defaults it), anything else must be listed. */
  oneOf(value: unknown, supported: readonly string[]): void {
    if (typeof value === "string" && !supported.includes(value)) this.unsupported(value, supported);
  }

  /** An integer that must be at least `min` (validation.ValidateNonnegativeField and kin). */
  atLeast(value: unknown, min: number): void {
    if (typeof value === "number" && value < min)
      this.invalid(value, `must be greater than or equal to ${min}`);
  }
}
