// Commit messages from an ImageUpdateAutomation's messageTemplate. Flux renders Go
// templates; Tether renders the part of that language such templates use in practice
// (text, {{.AutomationObject}}, {{range}} over .Updated.Images, .Changed.Changes and
// .Changed.FileChanges with {{.}}, {{print}}/{{println}} and field access) and refuses
// the rest, so a template it cannot render exactly falls back to the default message.
import type { FileChange } from "./update.ts";

export class TemplateError extends Error {}

interface Data {
  AutomationObject: string;
  Updated: { Images: string[]; Files: string[] };
  Changed: {
    Changes: { OldValue: string; NewValue: string; Setter: string }[];
    FileChanges: { File: string; Changes: { OldValue: string; NewValue: string }[] }[];
  };
}

export function templateData(automation: string, changes: readonly FileChange[]): Data {
  const files = [...new Set(changes.map((c) => c.file))];
  return {
    AutomationObject: automation,
    // Whole-image changes name the image; tag-only changes the tag.
    Updated: { Images: [...new Set(changes.map((c) => c.new))], Files: files },
    Changed: {
      Changes: changes.map((c) => ({ OldValue: c.old, NewValue: c.new, Setter: c.marker })),
      FileChanges: files.map((file) => ({
        File: file,
        Changes: changes
          .filter((c) => c.file === file)
          .map((c) => ({ OldValue: c.old, NewValue: c.new })),
      })),
    },
  };
}

type Scope = unknown;

function lookup(path: string, dot: Scope, root: Data): unknown {
  if (path === ".") return dot;
  let value: unknown = path.startsWith("$") ? root : dot;
  for (const part of path.replace(/^\$/, "").split(".").filter(Boolean)) {
    if (value === null || typeof value !== "object" || !(part in (value as object))) {
      throw new TemplateError(`unknown field ${path}`);
    }
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

const show = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));

function evalAction(action: string, dot: Scope, root: Data): string {
  const m = /^(print|println)\s+(.+)$/.exec(action);
  if (m) {
    const args = (m[2] as string)
      .split(/\s+/)
      .map((a) => (/^".*"$/.test(a) ? JSON.parse(a) : show(lookup(a, dot, root))));
    return m[1] === "println" ? `${args.join(" ")}\n` : args.join("");
  }
  if (/^\$?\.[\w.]*$|^\.$/.test(action)) return show(lookup(action, dot, root));
  throw new TemplateError(`unsupported template action {{${action}}}`);
}

function renderTokens(
  tokens: string[],
  start: number,
  dot: Scope,
  root: Data,
  untilEnd: boolean,
): { out: string; next: number } {
  let out = "";
  let i = start;
  while (i < tokens.length) {
    const token = tokens[i] as string;
    if (i % 2 === 0) {
      out += token;
      i++;
      continue;
    }
    const action = token.trim().replace(/^-\s*|\s*-$/g, "");
    if (action === "end") {
      if (!untilEnd) throw new TemplateError("{{end}} without {{range}}");
      return { out, next: i + 1 };
    }
    const range = /^range\s+(\S+)$/.exec(action);
    if (range) {
      const list = lookup(range[1] as string, dot, root);
      if (!Array.isArray(list))
        throw new TemplateError(`range over ${range[1]}, which is not a list`);
      let next = i + 1;
      if (list.length === 0) next = renderTokens(tokens, i + 1, undefined, root, true).next;
      for (const item of list) next = renderTokens(tokens, i + 1, item, root, true).next;
      out += list.map((item) => renderTokens(tokens, i + 1, item, root, true).out).join("");
      i = next;
      continue;
    }
    out += evalAction(action, dot, root);
    i++;
  }
  if (untilEnd) throw new TemplateError("{{range}} without {{end}}");
  return { out, next: i };
}

/** Renders `template`; throws TemplateError for what it does not support. */
export function renderMessage(template: string, data: Data): string {
  // Even tokens are text, odd ones the insides of {{ }}.
  const tokens = template.split(/\{\{(.*?)\}\}/s);
  // Go's trim markers: "{{- " trims the text before, " -}}" the text after.
  for (let i = 1; i < tokens.length; i += 2) {
    const action = tokens[i] as string;
    if (/^-\s/.test(action)) tokens[i - 1] = (tokens[i - 1] as string).trimEnd();
    if (/\s-$/.test(action)) tokens[i + 1] = (tokens[i + 1] ?? "").trimStart();
  }
  return renderTokens(tokens, 0, data, data, false).out;
}
