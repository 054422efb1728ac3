// Go regular expressions (RE2 syntax, as regexp.Compile accepts them) and Go's
// replacement templates (Regexp.Expand).
//
// Flux compiles filterTags.pattern and v1 `regex:` filters with Go's regexp, which runs
// in time linear in the input. Patterns come from Git and the registry's tags from
// anyone who can push an image, so a backtracking engine would let one tag stall the
// agent (`^([a-z0-9]+-?)+$` on 33 characters took a minute with JavaScript's RegExp).
// Patterns are therefore compiled by re2js, a maintained port of RE2/J (the same
// automata as Go's regexp, linear time): same syntax, same leftmost-first matches, same
// compile errors as Go. Go's rules hold as Go has them: `.` matches "\r", `$` only
// the very end, `\w`/`\d`/`\s` are ASCII, `(?P<name>…)`, `\Q…\E`, POSIX classes; no
// look-around or back-references.
//
// Differences from Go, deliberate or inherited (checked against Go's regexp):
// - Inputs are JavaScript strings (UTF-16); a tag is ASCII by the OCI grammar, so this
//   never changes a result on a real tag.
import { RE2JS } from "re2js";
import { messageOf } from "../util/message.ts";
import { InvalidRegexError } from "./errors.ts";

/** A match: the whole match at 0, then each group by number (undefined: did not take part). */
export type GoMatch = readonly (string | undefined)[];

export interface GoRegexp {
  /** The Go pattern as written. */
  readonly source: string;
  readonly groupCount: number;
  /** Name of each capture group by number (index 0 is the whole match); "" if unnamed. */
  readonly groupNames: readonly string[];
  /** The leftmost-first match anywhere in `input` (Go's FindStringSubmatch), or null. */
  exec(input: string): GoMatch | null;
  /** Whether the pattern matches anywhere in `input` (Go's MatchString). */
  test(input: string): boolean;
}

function compile(pattern: string): GoRegexp {
  let re: RE2JS;
  try {
    re = RE2JS.compile(pattern);
  } catch (error) {
    const message = messageOf(error);
    throw new InvalidRegexError(pattern, message.replace(/^error parsing regexp: /, ""));
  }
  const groupCount = re.groupCount();
  const groupNames: string[] = Array.from({ length: groupCount + 1 }, () => "");
  for (const [name, index] of Object.entries(re.namedGroups())) groupNames[index] = name;
  return {
    source: pattern,
    groupCount,
    groupNames,
    exec(input) {
      const m = re.matcher(input);
      if (!m.find()) return null;
      return Array.from({ length: groupCount + 1 }, (_, g) => m.group(g) ?? undefined);
    },
    test: (input) => re.matcher(input).find(),
  };
}

const compiled = new Map<string, GoRegexp>();

/** Compiles a Go regular expression; throws InvalidRegexError. Results are cached. */
export function compileGoRegexp(pattern: string): GoRegexp {
  let re = compiled.get(pattern);
  if (re === undefined) {
    re = compile(pattern);
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
export function expandTemplate(re: GoRegexp, template: string, match: GoMatch): string {
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
