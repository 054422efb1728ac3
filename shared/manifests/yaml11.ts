// How plain (unquoted) scalars read, for the fast parser (js-yaml, parse.ts): exactly as
// the `yaml` library reads them with `version: "1.1"` minus timestamps and sexagesimal
// numbers, which is how manifests were always read here (and how kubectl reads them,
// through sigs.k8s.io/yaml): `0644` is octal 420, `yes`/`on`/`y` are true, `12:30` and
// `2001-12-14` stay strings. js-yaml's own YAML 1.1 tags differ in corners (`1e3`,
// `08`, `12:30`), so the rules are written out here, in the order `yaml` tries them.
// test/shared/manifests/parse.test.ts checks them against `yaml` value by value.
import { defineScalarTag, FAILSAFE_SCHEMA, NOT_RESOLVED, Schema } from "js-yaml";

const NULL = /^(?:~|[Nn]ull|NULL)?$/;
const TRUE = /^(?:Y|y|[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/;
const FALSE = /^(?:N|n|[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/;
const INT_BIN = /^[-+]?0b[0-1_]+$/;
const INT_OCT = /^[-+]?0[0-7_]+$/;
const INT_DEC = /^[-+]?[0-9][0-9_]*$/;
const INT_HEX = /^[-+]?0x[0-9a-fA-F_]+$/;
const FLOAT_NAN = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT_EXP = /^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?[eE][-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*$/;

/** `yaml`'s intResolve without BigInt: the digits after `offset` (past any sign) in `radix`. */
function int(text: string, offset: number, radix: number): number {
  const sign = text[0];
  const start = sign === "-" || sign === "+" ? offset + 1 : offset;
  const n = Number.parseInt(text.substring(start).replace(/_/g, ""), radix);
  return sign === "-" ? -1 * n : n;
}

const never = () => false;
const DIGITS = [..."0123456789"];
// First characters each type can start with: other scalars are strings without a test.

const nullTag = defineScalarTag("tag:yaml.org,2002:null", {
  implicit: true,
  implicitFirstChars: ["", "~", "n", "N"],
  resolve: (text) => (NULL.test(text) ? null : NOT_RESOLVED),
  identify: (value) => value === null,
});

const boolTag = defineScalarTag("tag:yaml.org,2002:bool", {
  implicit: true,
  implicitFirstChars: [..."yYnNtTfFoO"],
  resolve: (text) => (TRUE.test(text) ? true : FALSE.test(text) ? false : NOT_RESOLVED),
  identify: never,
});

const intTag = defineScalarTag("tag:yaml.org,2002:int", {
  implicit: true,
  implicitFirstChars: [...DIGITS, "-", "+"],
  resolve: (text) => {
    if (INT_BIN.test(text)) return int(text, 2, 2);
    if (INT_OCT.test(text)) return int(text, 1, 8);
    if (INT_DEC.test(text)) return int(text, 0, 10);
    if (INT_HEX.test(text)) return int(text, 2, 16);
    return NOT_RESOLVED;
  },
  identify: never,
});

const floatTag = defineScalarTag("tag:yaml.org,2002:float", {
  implicit: true,
  implicitFirstChars: [...DIGITS, "-", "+", ".", "e", "E"],
  resolve: (text) => {
    if (FLOAT_NAN.test(text)) {
      return text.slice(-3).toLowerCase() === "nan"
        ? Number.NaN
        : text[0] === "-"
          ? Number.NEGATIVE_INFINITY
          : Number.POSITIVE_INFINITY;
    }
    if (FLOAT_EXP.test(text) || FLOAT.test(text)) {
      return Number.parseFloat(text.replace(/_/g, ""));
    }
    return NOT_RESOLVED;
  },
  identify: never,
});

/** Strings, sequences, mappings and the four implicit scalar types above; nothing else. */
export const MANIFEST_SCHEMA = new Schema([
  ...FAILSAFE_SCHEMA.tags,
  nullTag,
  boolTag,
  intTag,
  floatTag,
]);

/** Whether a plain scalar's text reads as null (no other type resolves to null). */
export function isPlainNull(text: string): boolean {
  return NULL.test(text);
}

/**
 * The value of a plain scalar's text, as `yaml` 1.1 reads it (null, boolean, number or the
 * text itself). Positions use it to match keys as the parsed object spells them.
 */
export function plainScalar(text: string): unknown {
  for (const tag of [nullTag, boolTag, intTag, floatTag]) {
    const value = tag.resolve(text, false, tag.tagName);
    if (value !== NOT_RESOLVED) return value;
  }
  return text;
}
