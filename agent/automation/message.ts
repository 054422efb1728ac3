// Commit messages from an ImageUpdateAutomation's messageTemplate, with the data Flux
// 2.7 gives it (image-automation-controller's TemplateData):
//   .AutomationObject            namespace/name (.Name, .Namespace)
//   .Changed.FileChanges         file -> object -> changes (ranged in file order)
//   .Changed.Objects             object -> changes, whatever the file
//   .Changed.Changes             every change once: .OldValue .NewValue .Setter
//   .Values                      spec.git.commit.messageTemplateValues
// An object is .APIVersion .Kind .Name .Namespace. `.Updated` was removed in Flux 2.7:
// using it is an error that names the replacement.
//
// Flux renders Go templates with Sprig; Tether renders the part of that language
// messages use in practice: text with {{- -}} trimming, fields, variables ($, $x,
// $x.Field), {{range}} with or without `$k, $v :=` (and {{else}}), {{if}}/{{else}},
// print, println, printf (%s %v %d %q) and len. Anything else (pipes, Sprig functions,
// define/template) is a TemplateError. Where Flux stalls the automation on a template
// error, Tether deliberately still commits, with its default message, and reports the
// error: an image update is not held back by its commit message.
import type { FileChange } from "./update.ts";

export class TemplateError extends Error {
  override name = "TemplateError";
}

export class NamespacedName {
  readonly Namespace: string;
  readonly Name: string;
  constructor(namespace: string, name: string) {
    this.Namespace = namespace;
    this.Name = name;
  }
  toString(): string {
    return `${this.Namespace}/${this.Name}`;
  }
}

export class ObjectIdentifier {
  readonly APIVersion: string;
  readonly Kind: string;
  readonly Namespace: string;
  readonly Name: string;
  constructor(apiVersion: string, kind: string, namespace: string, name: string) {
    this.APIVersion = apiVersion;
    this.Kind = kind;
    this.Namespace = namespace;
    this.Name = name;
  }
  toString(): string {
    return `${this.Kind}/${this.Namespace ? `${this.Namespace}/` : ""}${this.Name}`;
  }
}

interface Change {
  OldValue: string;
  NewValue: string;
  Setter: string;
}

export interface TemplateData {
  AutomationObject: NamespacedName;
  Changed: {
    FileChanges: Map<string, Map<ObjectIdentifier, Change[]>>;
    Objects: Map<ObjectIdentifier, Change[]>;
    Changes: Change[];
  };
  Values: Map<string, string>;
}

export function templateData(
  automation: string,
  changes: readonly FileChange[],
  values: Readonly<Record<string, string>> = {},
): TemplateData {
  const [namespace = "", name = ""] = automation.split("/");
  const ids = new Map<string, ObjectIdentifier>();
  const idOf = (c: FileChange) => {
    const o = c.object ?? { apiVersion: "", kind: "", name: "", namespace: "" };
    const k = `${o.apiVersion}|${o.kind}|${o.namespace}|${o.name}`;
    let id = ids.get(k);
    if (!id) {
      id = new ObjectIdentifier(o.apiVersion, o.kind, o.namespace, o.name);
      ids.set(k, id);
    }
    return id;
  };
  const files = new Map<string, Map<ObjectIdentifier, Change[]>>();
  const objects = new Map<ObjectIdentifier, Change[]>();
  const all = new Map<string, Change>();
  for (const c of changes) {
    const change = { OldValue: c.old, NewValue: c.new, Setter: c.marker };
    const id = idOf(c);
    const byObject = files.get(c.file) ?? new Map<ObjectIdentifier, Change[]>();
    files.set(c.file, byObject);
    byObject.set(id, [...(byObject.get(id) ?? []), change]);
    objects.set(id, [...(objects.get(id) ?? []), change]);
    all.set(`${c.old}\0${c.new}\0${c.marker}`, change);
  }
  return {
    AutomationObject: new NamespacedName(namespace, name),
    Changed: { FileChanges: files, Objects: objects, Changes: [...all.values()] },
    Values: new Map(Object.entries(values)),
  };
}

// ---- parsing ---------------------------------------------------------------------------

type Node =
  | { t: "text"; s: string }
  | { t: "action"; expr: string }
  | { t: "range"; vars: string[]; expr: string; body: Node[]; otherwise: Node[] }
  | { t: "if"; expr: string; body: Node[]; otherwise: Node[] };

function parse(tokens: string[]): Node[] {
  let i = 0;
  const list = (inBlock: boolean): { nodes: Node[]; stop: "end" | "else" | "eof" } => {
    const nodes: Node[] = [];
    while (i < tokens.length) {
      const token = tokens[i] as string;
      if (i % 2 === 0) {
        if (token !== "") nodes.push({ t: "text", s: token });
        i++;
        continue;
      }
      i++;
      const action = token
        .trim()
        .replace(/^-\s*|\s*-$/g, "")
        .trim();
      if (action.startsWith("/*")) continue;
      if (action === "end" || action === "else") {
        if (!inBlock) throw new TemplateError(`{{${action}}} without {{range}} or {{if}}`);
        return { nodes, stop: action };
      }
      const range = /^range\s+(?:(\$\w*)\s*(?:,\s*(\$\w*)\s*)?:=\s*)?(.+)$/.exec(action);
      const cond = /^if\s+(.+)$/.exec(action);
      if (range || cond) {
        const body = list(true);
        let otherwise: Node[] = [];
        if (body.stop === "else") {
          const rest = list(true);
          if (rest.stop !== "end") throw new TemplateError("{{else}} without {{end}}");
          otherwise = rest.nodes;
        } else if (body.stop !== "end") {
          throw new TemplateError(`{{${action}}} without {{end}}`);
        }
        if (range) {
          const vars = [range[1], range[2]].filter((v): v is string => v !== undefined);
          nodes.push({ t: "range", vars, expr: range[3] as string, body: body.nodes, otherwise });
        } else {
          nodes.push({
            t: "if",
            expr: (cond as RegExpExecArray)[1] as string,
            body: body.nodes,
            otherwise,
          });
        }
        continue;
      }
      if (/^(define|template|block|with|break|continue)\b/.test(action))
        throw new TemplateError(`{{${action.split(/\s/)[0]}}} is not supported`);
      nodes.push({ t: "action", expr: action });
    }
    return { nodes, stop: "eof" };
  };
  const top = list(false);
  return top.nodes;
}

// ---- evaluation ------------------------------------------------------------------------

interface Scope {
  dot: unknown;
  root: TemplateData;
  vars: Map<string, unknown>;
  budget: Budget;
}

// The template comes from Git: nested ranges multiply (20 changes, 8 levels: 20^8
// bodies), which Go renders for hours. Rendering stops at a limit no real commit
// message comes near, so a hostile template is an error, not a stalled loop.
const MAX_STEPS = 100_000;
const MAX_MESSAGE = 1024 * 1024;

interface Budget {
  steps: number;
  length: number;
}

function spend(budget: Budget, text: string): void {
  budget.length += text.length;
  if (++budget.steps > MAX_STEPS) {
    throw new TemplateError(`the template does too much work (over ${MAX_STEPS} steps)`);
  }
  if (budget.length > MAX_MESSAGE) {
    throw new TemplateError(`the message would be longer than ${MAX_MESSAGE} characters`);
  }
}

const REMOVED: Record<string, string> = {
  Updated:
    "the .Updated template field was removed in Flux 2.7; use .Changed (.Changed.Changes, .Changed.FileChanges, .Changed.Objects)",
};

function field(value: unknown, name: string, path: string): unknown {
  if (value instanceof Map) {
    if (!value.has(name)) throw new TemplateError(`no key ${name} in ${path}`);
    return value.get(name);
  }
  if (value !== null && typeof value === "object" && name in value)
    return (value as Record<string, unknown>)[name];
  throw new TemplateError(REMOVED[name] ?? `unknown field ${path}`);
}

function term(word: string, scope: Scope): unknown {
  if (/^".*"$/.test(word)) return JSON.parse(word);
  if (/^-?\d+$/.test(word)) return Number(word);
  if (word === "true" || word === "false") return word === "true";
  const m = /^(\$\w*|\.)?((?:\.\w+)*)$/.exec(word);
  if (!m || (m[1] === undefined && m[2] === ""))
    throw new TemplateError(`unsupported term ${word}`);
  let value: unknown;
  const head = m[1];
  if (head === undefined || head === ".") value = scope.dot;
  else if (head === "$") value = scope.root;
  else if (scope.vars.has(head)) value = scope.vars.get(head);
  else throw new TemplateError(`undefined variable ${head}`);
  const parts = (m[2] ?? "").split(".").filter(Boolean);
  let path = head === undefined || head === "." ? "" : head;
  for (const part of parts) {
    path += `.${part}`;
    value = field(value, part, path);
  }
  return value;
}

function show(value: unknown): string {
  if (typeof value === "string") return value;
  if (value instanceof NamespacedName || value instanceof ObjectIdentifier) return value.toString();
  if (Array.isArray(value)) return `[${value.map(show).join(" ")}]`;
  if (value instanceof Map)
    return `map[${[...value].map(([k, v]) => `${show(k)}:${show(v)}`).join(" ")}]`;
  if (value !== null && typeof value === "object")
    return `{${Object.values(value).map(show).join(" ")}}`;
  return String(value);
}

function words(expr: string): string[] {
  const out: string[] = expr.match(/"(?:[^"\\]|\\.)*"|[^\s]+/g) ?? [];
  if (out.includes("|")) throw new TemplateError(`pipelines are not supported: ${expr}`);
  return out;
}

function printf(format: string, args: unknown[]): string {
  let n = 0;
  return format.replace(/%([svdq%])/g, (_m, verb: string) => {
    if (verb === "%") return "%";
    const arg = args[n++];
    return verb === "q" ? JSON.stringify(show(arg)) : show(arg);
  });
}

function evaluate(expr: string, scope: Scope): unknown {
  const [first, ...rest] = words(expr);
  if (first === undefined) throw new TemplateError("empty action");
  const args = () => rest.map((w) => term(w, scope));
  switch (first) {
    case "print":
      // Go's print adds spaces only between operands that are not strings.
      return args().map(show).join("");
    case "println":
      return `${args().map(show).join(" ")}\n`;
    case "printf": {
      const [format, ...values] = args();
      return printf(String(format), values);
    }
    case "len": {
      const [v] = args();
      if (Array.isArray(v) || typeof v === "string") return v.length;
      if (v instanceof Map) return v.size;
      throw new TemplateError(`len of ${show(v)}`);
    }
    default:
      if (rest.length > 0) throw new TemplateError(`unsupported function ${first}`);
      return term(first, scope);
  }
}

const truthy = (v: unknown) =>
  !(
    v === undefined ||
    v === null ||
    v === false ||
    v === 0 ||
    v === "" ||
    (Array.isArray(v) && v.length === 0) ||
    (v instanceof Map && v.size === 0)
  );

function entries(value: unknown, expr: string): [unknown, unknown][] {
  if (Array.isArray(value)) return value.map((v, i) => [i, v]);
  if (value instanceof Map) {
    const list = [...value.entries()];
    // Go visits maps with basic keys in sorted key order; others in file order here.
    return list.every(([k]) => typeof k === "string")
      ? list.sort(([a], [b]) => ((a as string) < (b as string) ? -1 : 1))
      : list;
  }
  if (value === undefined || value === null) return [];
  throw new TemplateError(`range over ${expr}, which is not a list or map`);
}

function render(nodes: readonly Node[], scope: Scope): string {
  let out = "";
  for (const node of nodes) {
    spend(scope.budget, "");
    if (node.t === "text") {
      spend(scope.budget, node.s);
      out += node.s;
    } else if (node.t === "action") {
      const text = show(evaluate(node.expr, scope));
      spend(scope.budget, text);
      out += text;
    } else if (node.t === "if") {
      out += render(truthy(evaluate(node.expr, scope)) ? node.body : node.otherwise, scope);
    } else {
      const list = entries(evaluate(node.expr, scope), node.expr);
      if (list.length === 0) out += render(node.otherwise, scope);
      for (const [k, v] of list) {
        const vars = new Map(scope.vars);
        if (node.vars.length === 1) vars.set(node.vars[0] as string, v);
        if (node.vars.length === 2) {
          vars.set(node.vars[0] as string, k);
          vars.set(node.vars[1] as string, v);
        }
        out += render(node.body, { dot: v, root: scope.root, vars, budget: scope.budget });
      }
    }
  }
  return out;
}

/** Renders `template`; throws TemplateError for what it does not support. */
export function renderMessage(template: string, data: TemplateData): string {
  // Even tokens are text, odd ones the insides of {{ }}.
  const tokens = template.split(/\{\{(.*?)\}\}/s);
  // Go's trim markers: "{{- " trims the text before, " -}}" the text after.
  for (let i = 1; i < tokens.length; i += 2) {
    const action = tokens[i] as string;
    if (/^-\s/.test(action)) tokens[i - 1] = (tokens[i - 1] as string).trimEnd();
    if (/\s-$/.test(action)) tokens[i + 1] = (tokens[i + 1] ?? "").trimStart();
  }
  return render(parse(tokens), {
    dot: data,
    root: data,
    vars: new Map([["$", data]]),
    budget: { steps: 0, length: 0 },
  });
}
