// Go regular expressions (RE2 syntax, as regexp.Compile accepts them) run on the
// JavaScript engine, and Go's replacement templates (Regexp.Expand).
//
// Flux compiles filterTags.pattern and v1 `regex:` filters with Go's regexp, so a
// pattern must mean the same here: `(?P<name>…)` groups, `(?i)` flags that last to the
// end of the group, `$` that only matches at the very end, `.` that matches "\r",
// POSIX classes, `\Q…\E`, and errors for what RE2 rejects (look-around,
// back-references). The pattern is parsed with Go's rules and re-emitted as an
// explicit JavaScript pattern (flag "u" only), so no JavaScript default leaks in:
// . \s \w \d and classes become code point ranges, (?m) anchors look for "\n" only,
// and case folding uses (?i:…) modifier groups (Node 24's V8). Matching is
// leftmost-first in both engines. Checked against Go's regexp on curated and fuzzed
// patterns: same compile errors, same groups, same Expand output.
//
// Not supported (an InvalidRegexError says so): a repetition operator directly after a
// `(?flags)` group (Go applies it to the atom before the flags), and `\p{…}` names that
// are not Unicode general categories, scripts, Any, ASCII or Assigned.
import { InvalidRegexError } from "./errors.ts";

export interface GoRegexp {
  /** The Go pattern as written. */
  readonly source: string;
  /** The equivalent JavaScript expression; capture groups are numbered as in Go. */
  readonly regexp: RegExp;
  readonly groupCount: number;
  /** Name of each capture group by number (index 0 is the whole match); "" if unnamed. */
  readonly groupNames: readonly string[];
}

interface Flags {
  i: boolean; // case folding
  m: boolean; // ^ and $ match at line boundaries
  s: boolean; // . matches \n
  U: boolean; // ungreedy: swap the meaning of x* and x*?
}

// Nested {n,m} repetitions, kept to apply Go's limit of 1000 copies.
interface RepTree {
  max: number | undefined; // defined for a {n,m} node
  subs: RepTree[];
}

interface Frame {
  flags: Flags;
  /** Case folding JavaScript applies at the start of this frame. */
  jsI: boolean;
  /** A (?i:…) / (?-i:…) opened by a mid-group (?flags) that must close at | and ). */
  modifier: boolean;
  out: string;
  reps: RepTree[];
  hasAtom: boolean;
  lastRep: RepTree | undefined;
  lastRepeat: string;
  flagsSinceAtom: boolean;
}

const MAX_RUNE = 0x10ffff;
type Range = [number, number];

const PERL: Record<string, Range[]> = {
  d: [[0x30, 0x39]],
  s: [
    [0x09, 0x0a],
    [0x0c, 0x0d],
    [0x20, 0x20],
  ],
  w: [
    [0x30, 0x39],
    [0x41, 0x5a],
    [0x5f, 0x5f],
    [0x61, 0x7a],
  ],
};

const POSIX: Record<string, Range[]> = {
  alnum: [
    [0x30, 0x39],
    [0x41, 0x5a],
    [0x61, 0x7a],
  ],
  alpha: [
    [0x41, 0x5a],
    [0x61, 0x7a],
  ],
  ascii: [[0x00, 0x7f]],
  blank: [
    [0x09, 0x09],
    [0x20, 0x20],
  ],
  cntrl: [
    [0x00, 0x1f],
    [0x7f, 0x7f],
  ],
  digit: [[0x30, 0x39]],
  graph: [[0x21, 0x7e]],
  lower: [[0x61, 0x7a]],
  print: [[0x20, 0x7e]],
  punct: [
    [0x21, 0x2f],
    [0x3a, 0x40],
    [0x5b, 0x60],
    [0x7b, 0x7e],
  ],
  space: [
    [0x09, 0x0d],
    [0x20, 0x20],
  ],
  upper: [[0x41, 0x5a]],
  word: PERL.w ?? [],
  xdigit: [
    [0x30, 0x39],
    [0x41, 0x46],
    [0x61, 0x66],
  ],
};

function negate(ranges: readonly Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: Range[] = [];
  let next = 0;
  for (const [lo, hi] of sorted) {
    if (lo > next) out.push([next, lo - 1]);
    next = Math.max(next, hi + 1);
  }
  if (next <= MAX_RUNE) out.push([next, MAX_RUNE]);
  return out;
}

const esc = (cp: number): string => `\\u{${cp.toString(16)}}`;
const rangesSource = (ranges: readonly Range[]): string =>
  ranges.map(([lo, hi]) => (lo === hi ? esc(lo) : `${esc(lo)}-${esc(hi)}`)).join("");
const ANY = "[\\s\\S]";

function literal(cp: number): string {
  return /^[A-Za-z0-9_]$/.test(String.fromCodePoint(cp)) ? String.fromCodePoint(cp) : esc(cp);
}

const isHex = (c: string | undefined): boolean => c !== undefined && /^[0-9A-Fa-f]$/.test(c);
const isOctal = (c: string | undefined): boolean => c !== undefined && c >= "0" && c <= "7";
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= "0" && c <= "9";
const isAlnum = (c: string): boolean => /^[A-Za-z0-9]$/.test(c);

function unicodeProperty(name: string, negated: boolean): string | undefined {
  const p = negated ? "P" : "p";
  const candidates =
    name === "Any" || name === "ASCII" || name === "Assigned"
      ? [name]
      : [`General_Category=${name}`, `Script=${name}`];
  for (const candidate of candidates) {
    const source = `\\${p}{${candidate}}`;
    try {
      new RegExp(source, "u");
      return source;
    } catch {
      // not this kind of name; try the next
    }
  }
  return undefined;
}

class Translator {
  private readonly pattern: string;
  private readonly chars: string[];
  private pos = 0;
  private groupCount = 0;
  private readonly names: string[] = [""];
  private readonly stack: Frame[] = [];

  constructor(pattern: string) {
    this.pattern = pattern;
    this.chars = Array.from(pattern);
  }

  private fail(code: string, expr: string): never {
    throw new InvalidRegexError(this.pattern, `${code}: \`${expr}\``);
  }

  private unsupported(what: string): never {
    throw new InvalidRegexError(this.pattern, `${what} is not supported by Tether`);
  }

  private rest(from = this.pos): string {
    return this.chars.slice(from).join("");
  }

  private get frame(): Frame {
    const f = this.stack[this.stack.length - 1];
    if (f === undefined) throw new Error("regexp translator: empty stack");
    return f;
  }

  private newFrame(flags: Flags, jsI: boolean): Frame {
    return {
      flags,
      jsI,
      modifier: false,
      out: "",
      reps: [],
      hasAtom: false,
      lastRep: undefined,
      lastRepeat: "",
      flagsSinceAtom: false,
    };
  }

  translate(): GoRegexp {
    for (const c of this.chars) {
      const code = c.codePointAt(0) ?? 0;
      if (code >= 0xd800 && code <= 0xdfff) this.fail("invalid UTF-8", this.pattern);
    }
    this.stack.push(this.newFrame({ i: false, m: false, s: false, U: false }, false));
    while (this.pos < this.chars.length) this.step();
    if (this.stack.length !== 1) this.fail("missing closing )", this.pattern);
    const root = this.frame;
    const source = root.out + (root.modifier ? ")" : "");
    let regexp: RegExp;
    try {
      regexp = new RegExp(source, "u");
    } catch (error) {
      throw new InvalidRegexError(this.pattern, `cannot be run: ${(error as Error).message}`);
    }
    return { source: this.pattern, regexp, groupCount: this.groupCount, groupNames: this.names };
  }

  private atom(source: string, rep?: RepTree): void {
    const f = this.frame;
    f.out += source;
    f.hasAtom = true;
    f.flagsSinceAtom = false;
    f.lastRep = rep;
    f.lastRepeat = "";
  }

  private step(): void {
    const c = this.chars[this.pos] ?? "";
    const f = this.frame;
    switch (c) {
      case "(":
        this.openGroup();
        return;
      case ")":
        this.closeGroup();
        return;
      case "|":
        this.pos++;
        f.out += f.modifier ? `)|${f.flags.i ? "(?i:" : "(?-i:"}` : "|";
        f.hasAtom = false;
        f.lastRepeat = "";
        f.flagsSinceAtom = false;
        return;
      case "^":
        this.pos++;
        this.atom(f.flags.m ? "(?:^|(?<=\\n))" : "(?:^)");
        return;
      case "$":
        this.pos++;
        this.atom(f.flags.m ? "(?:$|(?=\\n))" : "(?:$)");
        return;
      case ".":
        this.pos++;
        this.atom(f.flags.s ? ANY : "[^\\n]");
        return;
      case "[":
        this.atom(this.parseClass());
        return;
      case "*":
      case "+":
      case "?":
        this.repeat(c, undefined);
        return;
      case "{": {
        const parsed = this.parseRepeat();
        if (parsed === undefined) {
          this.pos++;
          this.atom(literal(0x7b));
          return;
        }
        this.repeat(parsed.text, parsed);
        return;
      }
      case "\\":
        this.escape();
        return;
      default:
        this.pos++;
        this.atom(literal(c.codePointAt(0) ?? 0));
    }
  }

  private repeat(op: string, counts: { min: number; max: number; text: string } | undefined): void {
    const f = this.frame;
    const start = this.pos;
    this.pos += Array.from(op).length;
    let lazy = false;
    if (this.chars[this.pos] === "?") {
      lazy = true;
      this.pos++;
    }
    const text = this.chars.slice(start, this.pos).join("");
    if (f.lastRepeat !== "") this.fail("invalid nested repetition operator", f.lastRepeat + text);
    if (!f.hasAtom) this.fail("missing argument to repetition operator", text);
    if (f.flagsSinceAtom)
      this.unsupported(`a repetition operator right after a (?flags) group (${text})`);
    let rep = f.lastRep;
    if (counts !== undefined) {
      rep = { max: counts.max < 0 ? counts.min : counts.max, subs: rep === undefined ? [] : [rep] };
      if ((counts.min >= 2 || counts.max >= 2) && !repeatIsValid(rep, 1000)) {
        this.fail("invalid repeat count", text);
      }
      f.reps.push(rep);
    }
    const quantifier =
      counts === undefined
        ? op
        : counts.max < 0
          ? `{${counts.min},}`
          : counts.max === counts.min
            ? `{${counts.min}}`
            : `{${counts.min},${counts.max}}`;
    f.out += quantifier + (lazy !== f.flags.U ? "?" : "");
    f.lastRep = rep;
    f.lastRepeat = text;
  }

  private parseInt(at: number): { n: number; end: number } | undefined {
    if (!isDigit(this.chars[at])) return undefined;
    if (this.chars[at] === "0" && isDigit(this.chars[at + 1])) return undefined;
    let end = at;
    let n = 0;
    while (isDigit(this.chars[end])) {
      if (n >= 1e8) n = -1;
      else if (n >= 0) n = n * 10 + Number(this.chars[end]);
      end++;
    }
    return { n, end };
  }

  private parseRepeat(): { min: number; max: number; text: string } | undefined {
    const lo = this.parseInt(this.pos + 1);
    if (lo === undefined) return undefined;
    let min = lo.n;
    let max = min;
    let at = lo.end;
    if (this.chars[at] === ",") {
      at++;
      if (this.chars[at] === "}") max = -1;
      else {
        const hi = this.parseInt(at);
        if (hi === undefined) return undefined;
        max = hi.n;
        if (max < 0) min = -1;
        at = hi.end;
      }
    }
    if (this.chars[at] !== "}") return undefined;
    const text = this.chars.slice(this.pos, at + 1).join("");
    if (min < 0 || min > 1000 || max > 1000 || (max >= 0 && min > max)) {
      this.fail("invalid repeat count", text);
    }
    return { min, max, text };
  }

  private openGroup(): void {
    const outer = this.frame;
    const start = this.pos;
    const t = this.rest();
    if (t.startsWith("(?P<") || t.startsWith("(?<")) {
      const exprStart = t.startsWith("(?P<") ? 4 : 3;
      const end = t.indexOf(">");
      if (end < 0) this.fail("invalid named capture", t);
      const name = t.slice(exprStart, end);
      if (!/^[A-Za-z0-9_]+$/.test(name)) this.fail("invalid named capture", t.slice(0, end + 1));
      this.pos += Array.from(t.slice(0, end + 1)).length;
      this.groupCount++;
      this.names.push(name);
      outer.out += "(";
      this.stack.push(this.newFrame({ ...outer.flags }, outer.flags.i));
      return;
    }
    if (this.chars[this.pos + 1] !== "?") {
      this.pos++;
      this.groupCount++;
      this.names.push("");
      outer.out += "(";
      this.stack.push(this.newFrame({ ...outer.flags }, outer.flags.i));
      return;
    }
    // Flags and non-capturing groups: (?flags) (?flags:re) (?-flags) (?:re)
    this.pos += 2;
    const flags = { ...outer.flags };
    let negative = false;
    let sawFlag = false;
    while (this.pos < this.chars.length) {
      const c = this.chars[this.pos++] ?? "";
      if (c === "i" || c === "m" || c === "s" || c === "U") {
        flags[c] = !negative;
        sawFlag = true;
      } else if (c === "-" && !negative) {
        negative = true;
        sawFlag = false;
      } else if (c === ":" || c === ")") {
        if (negative && !sawFlag) break;
        if (c === ":") {
          const needsModifier = flags.i !== outer.flags.i;
          outer.out += needsModifier ? (flags.i ? "(?i:" : "(?-i:") : "(?:";
          this.stack.push(this.newFrame(flags, flags.i));
        } else {
          this.setFlags(flags);
        }
        return;
      } else {
        break;
      }
    }
    this.fail("invalid or unsupported Perl syntax", this.chars.slice(start, this.pos).join(""));
  }

  // A (?flags) in the middle of a group: Go keeps the flags until the group closes,
  // across later | alternatives too, which (?i:…) per alternative reproduces.
  private setFlags(flags: Flags): void {
    const f = this.frame;
    if (flags.i !== f.flags.i) {
      if (f.modifier) f.out += ")";
      f.modifier = flags.i !== f.jsI;
      if (f.modifier) f.out += flags.i ? "(?i:" : "(?-i:";
    }
    f.flags = flags;
    f.lastRepeat = "";
    if (f.hasAtom) f.flagsSinceAtom = true;
  }

  private closeGroup(): void {
    if (this.stack.length === 1) this.fail("unexpected )", this.pattern);
    this.pos++;
    const inner = this.stack.pop() as Frame;
    const source = `${inner.out}${inner.modifier ? ")" : ""})`;
    const rep: RepTree | undefined =
      inner.reps.length > 0 ? { max: undefined, subs: inner.reps } : undefined;
    if (rep !== undefined) this.frame.reps.push(rep);
    this.atom(source, rep);
  }

  private escape(): void {
    switch (this.chars[this.pos + 1]) {
      case "A":
        this.pos += 2;
        this.atom("(?:^)");
        return;
      case "z":
        this.pos += 2;
        this.atom("(?:$)");
        return;
      case "b":
        this.pos += 2;
        this.atom("(?:\\b)");
        return;
      case "B":
        this.pos += 2;
        this.atom("(?:\\B)");
        return;
      case "C":
        this.fail("invalid escape sequence", "\\C");
        break;
      case "Q": {
        const body = this.rest(this.pos + 2);
        const end = body.indexOf("\\E");
        const text = end < 0 ? body : body.slice(0, end);
        this.pos += 2 + Array.from(text).length + (end < 0 ? 0 : 2);
        for (const ch of text) this.atom(literal(ch.codePointAt(0) ?? 0));
        return;
      }
    }
    const unicode = this.parseUnicodeClass();
    if (unicode !== undefined) {
      this.atom(unicode.negated ? `[^${unicode.source}]` : `[${unicode.source}]`);
      return;
    }
    const perl = this.parsePerlClass();
    this.atom(perl !== undefined ? `[${rangesSource(perl)}]` : literal(this.parseEscape()));
  }

  // \d \D \s \S \w \W, ASCII only as in Go.
  private parsePerlClass(): Range[] | undefined {
    const letter = this.chars[this.pos + 1] ?? "";
    const base = PERL[letter.toLowerCase()];
    if (base === undefined || !/^[dswDSW]$/.test(letter)) return undefined;
    this.pos += 2;
    return letter === letter.toLowerCase() ? base : negate(base);
  }

  // \pL \p{Greek} \P{L} \p{^Greek}
  private parseUnicodeClass(): { source: string; negated: boolean } | undefined {
    const p = this.chars[this.pos + 1];
    if (p !== "p" && p !== "P") return undefined;
    let negated = p === "P";
    const start = this.pos;
    let name: string;
    if (this.chars[this.pos + 2] === "{") {
      const t = this.rest(this.pos);
      const end = t.indexOf("}");
      if (end < 0) this.fail("invalid character class range", t);
      name = t.slice(3, end);
      this.pos += Array.from(t.slice(0, end + 1)).length;
    } else {
      const letter = this.chars[this.pos + 2];
      if (letter === undefined) this.fail("invalid character class range", this.rest(start));
      name = letter;
      this.pos += 3;
    }
    const seq = this.chars.slice(start, this.pos).join("");
    if (name.startsWith("^")) {
      negated = !negated;
      name = name.slice(1);
    }
    const source = unicodeProperty(name, false);
    if (source === undefined) this.fail("invalid character class range", seq);
    return { source, negated };
  }

  // A single escaped character (Go parseEscape); the caller handled classes.
  private parseEscape(): number {
    const start = this.pos;
    this.pos++;
    const c = this.chars[this.pos++];
    if (c === undefined) this.fail("trailing backslash at end of expression", "");
    const bad = (): never =>
      this.fail("invalid escape sequence", this.chars.slice(start, this.pos).join(""));
    const code = c.codePointAt(0) ?? 0;
    if (code < 0x80 && !isAlnum(c)) return code;
    if (c >= "1" && c <= "7" && !isOctal(this.chars[this.pos])) return bad();
    if (c >= "0" && c <= "7") {
      let r = Number(c);
      for (let i = 1; i < 3 && isOctal(this.chars[this.pos]); i++)
        r = r * 8 + Number(this.chars[this.pos++]);
      return r;
    }
    switch (c) {
      case "x": {
        if (this.chars[this.pos] === "{") {
          this.pos++;
          let r = 0;
          let n = 0;
          for (;;) {
            const h = this.chars[this.pos++];
            if (h === undefined) return bad();
            if (h === "}") break;
            if (!isHex(h)) return bad();
            r = r * 16 + Number.parseInt(h, 16);
            if (r > MAX_RUNE) return bad();
            n++;
          }
          return n === 0 ? bad() : r;
        }
        const h1 = this.chars[this.pos++];
        const h2 = this.chars[this.pos++];
        if (!isHex(h1) || !isHex(h2)) return bad();
        return Number.parseInt(`${h1}${h2}`, 16);
      }
      case "a":
        return 7;
      case "f":
        return 12;
      case "n":
        return 10;
      case "r":
        return 13;
      case "t":
        return 9;
      case "v":
        return 11;
    }
    return bad();
  }

  private parseClass(): string {
    const start = this.pos;
    const whole = (): string => this.rest(start);
    this.pos++;
    let negated = false;
    if (this.chars[this.pos] === "^") {
      negated = true;
      this.pos++;
    }
    const ranges: Range[] = [];
    const props: string[] = [];
    let first = true;
    while (this.chars[this.pos] !== "]" || first) {
      if (this.pos >= this.chars.length) this.fail("missing closing ]", whole());
      first = false;
      if (this.chars[this.pos] === "[" && this.chars[this.pos + 1] === ":") {
        const t = this.rest();
        const end = t.indexOf(":]", 2);
        if (end >= 0) {
          const name = t.slice(0, end + 2);
          const inner = name.slice(2, -2);
          const neg = inner.startsWith("^");
          const group = POSIX[neg ? inner.slice(1) : inner];
          if (group === undefined) this.fail("invalid character class range", name);
          ranges.push(...(neg ? negate(group) : group));
          this.pos += Array.from(name).length;
          continue;
        }
      }
      if (this.chars[this.pos] === "\\") {
        const unicode = this.parseUnicodeClass();
        if (unicode !== undefined) {
          props.push(unicode.negated ? unicode.source.replace("\\p{", "\\P{") : unicode.source);
          continue;
        }
        const perl = this.parsePerlClass();
        if (perl !== undefined) {
          ranges.push(...perl);
          continue;
        }
      }
      const rangeStart = this.pos;
      const lo = this.classChar(whole);
      let hi = lo;
      if (
        this.chars[this.pos] === "-" &&
        this.chars[this.pos + 1] !== "]" &&
        this.pos + 1 < this.chars.length
      ) {
        this.pos++;
        hi = this.classChar(whole);
        if (hi < lo)
          this.fail(
            "invalid character class range",
            this.chars.slice(rangeStart, this.pos).join(""),
          );
      }
      ranges.push([lo, hi]);
    }
    this.pos++;
    return `[${negated ? "^" : ""}${rangesSource(ranges)}${props.join("")}]`;
  }

  private classChar(whole: () => string): number {
    const c = this.chars[this.pos];
    if (c === undefined) this.fail("missing closing ]", whole());
    if (c === "\\") return this.parseEscape();
    this.pos++;
    return c.codePointAt(0) ?? 0;
  }
}

function repeatIsValid(re: RepTree, n: number): boolean {
  let limit = n;
  if (re.max !== undefined) {
    const m = re.max;
    if (m === 0) return true;
    if (m > limit) return false;
    if (m > 0) limit = Math.floor(limit / m);
  }
  return re.subs.every((sub) => repeatIsValid(sub, limit));
}

const compiled = new Map<string, GoRegexp>();

/** Compiles a Go regular expression; throws InvalidRegexError. Results are cached. */
export function compileGoRegexp(pattern: string): GoRegexp {
  let re = compiled.get(pattern);
  if (re === undefined) {
    re = new Translator(pattern).translate();
    if (compiled.size > 256) compiled.clear();
    compiled.set(pattern, re);
  }
  return re;
}

// ---- Templates (Regexp.Expand) -----------------------------------------------------

export type TemplateRef = { kind: "number"; number: number } | { kind: "name"; name: string };

type Piece = { text: string } | { ref: TemplateRef };

const NAME_CHAR = /^[\p{L}\p{Nd}_]$/u;

// Go's extract(): a name of letters, digits and "_" after "$" or in "${…}". All-ASCII
// digits (no leading zero, below 1e8) make a group number, so "$1x" names group "1x".
function parseTemplate(template: string): Piece[] {
  const pieces: Piece[] = [];
  let text = "";
  const chars = Array.from(template);
  let i = 0;
  while (i < chars.length) {
    const c = chars[i] ?? "";
    if (c !== "$") {
      text += c;
      i++;
      continue;
    }
    if (chars[i + 1] === "$") {
      text += "$";
      i += 2;
      continue;
    }
    let j = i + 1;
    const brace = chars[j] === "{";
    if (brace) j++;
    const nameStart = j;
    while (j < chars.length && NAME_CHAR.test(chars[j] ?? "")) j++;
    const name = chars.slice(nameStart, j).join("");
    if (name === "" || (brace && chars[j] !== "}")) {
      text += "$"; // malformed: the "$" is literal text
      i++;
      continue;
    }
    if (brace) j++;
    if (text !== "") pieces.push({ text });
    text = "";
    let num = 0;
    for (const d of name) {
      if (d < "0" || d > "9" || num >= 1e8) {
        num = -1;
        break;
      }
      num = num * 10 + Number(d);
    }
    if (name.length > 1 && name[0] === "0") num = -1;
    pieces.push({ ref: num >= 0 ? { kind: "number", number: num } : { kind: "name", name } });
    i = j;
  }
  if (text !== "") pieces.push({ text });
  return pieces;
}

/** The group references in a template, in order. */
export function templateRefs(template: string): TemplateRef[] {
  return parseTemplate(template).flatMap((p) => ("ref" in p ? [p.ref] : []));
}

/** Go's Regexp.Expand: fills a template from a match of re. */
export function expandTemplate(re: GoRegexp, template: string, match: RegExpExecArray): string {
  let out = "";
  for (const piece of parseTemplate(template)) {
    if ("text" in piece) {
      out += piece.text;
      continue;
    }
    const { ref } = piece;
    if (ref.kind === "number") {
      out += ref.number <= re.groupCount ? (match[ref.number] ?? "") : "";
      continue;
    }
    for (let g = 1; g <= re.groupCount; g++) {
      const value = match[g];
      if (re.groupNames[g] === ref.name && value !== undefined) {
        out += value;
        break;
      }
    }
  }
  return out;
}
