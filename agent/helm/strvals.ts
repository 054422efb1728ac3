// Helm's `--set` syntax (helm.sh/helm/v3/pkg/strvals), which helm-controller uses to
// place a valuesFrom value at a targetPath: the text `path=value` is read as one
// `--set` argument and written into the values in place. Reading the same text the
// same way matters: it decides the values, and so the release and its digest.
//
//   a.b=v          maps, created as needed          a\.b=v     a dot inside a key
//   list[2]=v      a list item, nulls before it     {x,y}      a list of two values
//   x=1,y=2        two assignments                  \,         a comma in a value
//
// Values are typed as `--set` types them (true/false/null in any case, integers not
// starting with 0), or all kept as strings (`--set-string`). Pure; errors name what is
// wrong but never quote the text, which may come from a Secret.
import type { Values } from "../../shared/charts/values-files.ts";

export class SetSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SetSyntaxError";
  }
}

/** Helm's limits: list indexes and key nesting. */
const MAX_INDEX = 65536;
const MAX_NESTING = 30;

type List = unknown[];
const isMap = (v: unknown): v is Values => typeof v === "object" && v !== null && !Array.isArray(v);

/** A cursor over the characters (code points) of one `--set` line. */
class Reader {
  private readonly chars: string[];
  private at = 0;
  constructor(text: string) {
    this.chars = Array.from(text);
  }

  /** The next character, consumed; undefined at the end. */
  next(): string | undefined {
    return this.chars[this.at++];
  }

  /** Gives back the character `next` just read. */
  back(): void {
    this.at--;
  }

  /**
   * The text up to the first of `stops` (consumed and returned as `stop`; undefined when
   * the line ended first). A backslash makes the next character plain text.
   */
  until(stops: string): { text: string; stop: string | undefined } {
    let text = "";
    for (let c = this.next(); c !== undefined; c = this.next()) {
      if (stops.includes(c)) return { text, stop: c };
      if (c === "\\") {
        const escaped = this.next();
        if (escaped === undefined) break;
        text += escaped;
      } else text += c;
    }
    return { text, stop: undefined };
  }
}

/** Whether the line goes on after an assignment ("more") or has ended ("end"). */
type Next = "more" | "end";

class SetParser {
  private readonly input: Reader;
  private readonly asString: boolean;
  constructor(line: string, asString: boolean) {
    this.input = new Reader(line);
    this.asString = asString;
  }

  /** Every assignment of the line, into `values`. */
  parse(values: Values): void {
    while (this.key(values, 0) === "more");
  }

  private typed(text: string): unknown {
    if (this.asString) return text;
    const lower = text.toLowerCase();
    if (lower === "true") return true;
    if (lower === "false") return false;
    if (lower === "null") return null;
    if (text === "0") return 0;
    // Go's ParseInt: an optional sign, decimal digits, 64 bits. An integer past what a
    // JavaScript number holds exactly stays text (Helm would keep every digit).
    if (/^[+-]?[0-9]+$/.test(text) && !text.startsWith("0")) {
      const n = Number(text);
      if (Number.isSafeInteger(n)) return n;
    }
    return text;
  }

  /** One `key…=value` into `data`: a plain key, a map key (`.`) or a list item (`[`). */
  private key(data: Values, nesting: number): Next {
    const { text: key, stop } = this.input.until("=[,.");
    if (stop === undefined) {
      if (key === "") return "end";
      throw new SetSyntaxError("a key has no value");
    }
    if (stop === ",") throw new SetSyntaxError("a key has no value (a comma after it)");
    if (stop === "=") {
      const value = this.value();
      if (value === undefined) {
        set(data, key, "");
        return "end";
      }
      set(data, key, value);
      return "more";
    }
    if (stop === "[") {
      const index = this.index();
      const existing = Object.hasOwn(data, key) ? data[key] : [];
      if (!Array.isArray(existing))
        throw new SetSyntaxError("a key indexed as a list is not a list");
      const { list, next } = this.listItem(existing, index, nesting);
      set(data, key, list);
      return next;
    }
    // stop === ".": a key of a map, which is written into where it exists already.
    if (++nesting > MAX_NESTING)
      throw new SetSyntaxError(`keys are nested deeper than ${MAX_NESTING} levels`);
    const existing = Object.hasOwn(data, key) ? data[key] : {};
    if (!isMap(existing)) throw new SetSyntaxError("a key used as a map is not a map");
    const next = this.key(existing, nesting);
    const empty = Object.keys(existing).length === 0;
    if (next === "more" && empty) throw new SetSyntaxError("a map key has no value");
    if (!empty) set(data, key, existing);
    return next;
  }

  /** The value after `=`: a `{a,b}` list or one typed value; undefined when nothing follows. */
  private value(): unknown {
    const first = this.input.next();
    if (first === undefined) return undefined;
    if (first !== "{") {
      this.input.back();
      return this.typed(this.input.until(",").text);
    }
    const list: List = [];
    for (;;) {
      const { text, stop } = this.input.until(",}");
      if (stop === undefined) throw new SetSyntaxError("a list must end with '}'");
      list.push(this.typed(text));
      if (stop === "}") {
        // A comma after the list separates it from the next assignment.
        if (this.input.next() !== ",") this.input.back();
        return list;
      }
    }
  }

  /** The number in `[n]` (the `[` already read). */
  private index(): number {
    const { text, stop } = this.input.until("]");
    if (stop === undefined || !/^[+-]?[0-9]+$/.test(text))
      throw new SetSyntaxError("a list index is not a number");
    const index = Number(text);
    if (index < 0) throw new SetSyntaxError("a list index is negative");
    if (index > MAX_INDEX) throw new SetSyntaxError(`a list index is above ${MAX_INDEX}`);
    return index;
  }

  /** What follows `[index]`: `=value`, another `[index]` or `.key`. */
  private listItem(list: List, index: number, nesting: number): { list: List; next: Next } {
    const { text, stop } = this.input.until("[.=");
    if (text !== "") throw new SetSyntaxError("unexpected text after a list index");
    if (stop === undefined) return { list, next: "end" };
    if (stop === "=") {
      const value = this.value();
      return { list: setIndex(list, index, value === undefined ? "" : value), next: "more" };
    }
    if (stop === "[") {
      const inner = index < list.length ? (list[index] ?? []) : [];
      if (!Array.isArray(inner)) throw new SetSyntaxError("a key indexed as a list is not a list");
      const item = this.listItem(inner, this.index(), nesting);
      if (item.next === "end") return { list, next: "end" };
      return { list: setIndex(list, index, item.list), next: "more" };
    }
    // stop === ".": a map in the list; an item that is not a map is replaced by one.
    let inner: Values = {};
    if (index < list.length) {
      const existing = list[index];
      if (isMap(existing)) inner = existing;
      else list[index] = inner;
    }
    const next = this.key(inner, nesting);
    if (next === "end") return { list, next };
    return { list: setIndex(list, index, inner), next };
  }
}

/** Helm ignores an empty key. Defined, not assigned: `__proto__` is a key like any other. */
function set(data: Values, key: string, value: unknown): void {
  if (key === "") return;
  Object.defineProperty(data, key, { value, writable: true, enumerable: true, configurable: true });
}

/**
 * Sets a list item in place; past the end, a new, longer list (padded with nulls) is
 * returned instead, so a list shared with other values is never lengthened.
 */
function setIndex(list: List, index: number, value: unknown): List {
  const out = index < list.length ? list : [...list, ...Array(index + 1 - list.length).fill(null)];
  out[index] = value;
  return out;
}

/** Helm's `--set line` (typed) or `--set-string line` (strings), written into `values`. */
export function parseSetInto(line: string, values: Values, asString = false): void {
  new SetParser(line, asString).parse(values);
}

/**
 * Flux's targetPath: `text` set at `path` in `values` (in place) as `--set path=text`;
 * text in single or double quotes is a string (`--set-string`), the quotes removed.
 */
export function setAtTargetPath(values: Values, path: string, text: string): void {
  const quoted =
    (text.startsWith('"') && text.endsWith('"')) || (text.startsWith("'") && text.endsWith("'"));
  if (quoted) parseSetInto(`${path}=${text.replace(/^['"]+|['"]+$/g, "")}`, values, true);
  else parseSetInto(`${path}=${text}`, values);
}
