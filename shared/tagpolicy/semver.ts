// Semantic versions and ranges exactly as Flux evaluates them: Masterminds/semver v3.4
// constraints, with tags parsed like fluxcd/pkg/version (strict SemVer 2.0, optional
// leading "v") for ImagePolicy, and like Masterminds NewVersion (loose: "1", "1.2",
// leading zeros) for Flux v1 `semver:` filters.
//
// Why not the npm `semver` package: node-semver ranges differ from Masterminds in ways
// that change which tag is picked. It admits a pre-release only when a comparator has
// the same major.minor.patch (Masterminds: when any constraint of the AND group has a
// pre-release), it has no `!=` and no comma AND, `>1.x` and `<=1.2.x` wildcards mean
// different sets, and it trims whitespace and caps numbers at 2^53 when parsing tags.
// Translating ranges would need as much code as this parser plus a list of exceptions,
// so this module mirrors the Masterminds grammar and checks directly (numbers are
// BigInt, so the uint64 range Go allows is exact).
import { InvalidSemverRangeError } from "./errors.ts";

export interface Version {
  readonly major: bigint;
  readonly minor: bigint;
  readonly patch: bigint;
  /** Pre-release identifiers without the leading "-", "" when none. */
  readonly pre: string;
  /** Build metadata without the leading "+", "" when none (ignored when comparing). */
  readonly build: string;
}

const UINT64_MAX = (1n << 64n) - 1n;
const NUMERIC = /^[0-9]+$/;
const IDENT = /^[0-9A-Za-z-]+$/;

function uint64(digits: string): bigint | undefined {
  const n = BigInt(digits);
  return n <= UINT64_MAX ? n : undefined;
}

function validPrerelease(pre: string): boolean {
  return pre
    .split(".")
    .every((id) => IDENT.test(id) && !(NUMERIC.test(id) && id.length > 1 && id[0] === "0"));
}

function validBuild(build: string): boolean {
  return build.split(".").every((id) => IDENT.test(id));
}

const STRICT = /^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(?:-([^+]*))?(?:\+(.*))?$/s;

/**
 * Parses an image tag the way Flux's ImagePolicy does: strict SemVer 2.0 after removing
 * one leading "v". Returns undefined for tags that are not versions (Flux skips them).
 */
export function parseTagVersion(tag: string): Version | undefined {
  const m = STRICT.exec(tag.startsWith("v") ? tag.slice(1) : tag);
  if (m === null) return undefined;
  const [, ma = "", mi = "", pa = "", pre, build] = m;
  return makeVersion(ma, mi, pa, pre, build);
}

const LOOSE =
  /^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?(\+([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?$/;

/**
 * Parses like Masterminds NewVersion: "1", "1.2", "v1.2.3", leading zeros allowed in
 * the numbers. Flux v1 `semver:` filters read tags this way.
 */
export function parseLooseVersion(s: string): Version | undefined {
  const m = LOOSE.exec(s);
  if (m === null) return undefined;
  const ma = m[1] ?? "";
  const mi = (m[2] ?? ".0").slice(1);
  const pa = (m[3] ?? ".0").slice(1);
  return makeVersion(ma, mi, pa, m[5], m[8]);
}

function makeVersion(
  ma: string,
  mi: string,
  pa: string,
  pre: string | undefined,
  build: string | undefined,
): Version | undefined {
  const major = uint64(ma);
  const minor = uint64(mi);
  const patch = uint64(pa);
  if (major === undefined || minor === undefined || patch === undefined) return undefined;
  if (pre !== undefined && !validPrerelease(pre)) return undefined;
  if (build !== undefined && !validBuild(build)) return undefined;
  return { major, minor, patch, pre: pre ?? "", build: build ?? "" };
}

function cmp(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// Masterminds compares an identifier as a number only when it fits uint64; bigger
// all-digit identifiers compare as text. Kept so ordering matches Flux exactly.
function comparePrePart(s: string, o: string): number {
  if (s === o) return 0;
  if (s === "") return -1;
  if (o === "") return 1;
  const sn = NUMERIC.test(s) ? uint64(s) : undefined;
  const on = NUMERIC.test(o) ? uint64(o) : undefined;
  if (sn === undefined && on === undefined) return s > o ? 1 : -1;
  if (on === undefined) return -1;
  if (sn === undefined) return 1;
  return sn > on ? 1 : -1;
}

function comparePrerelease(a: string, b: string): number {
  const as = a.split(".");
  const bs = b.split(".");
  for (let i = 0; i < Math.max(as.length, bs.length); i++) {
    const d = comparePrePart(as[i] ?? "", bs[i] ?? "");
    if (d !== 0) return d;
  }
  return 0;
}

/** SemVer precedence (build metadata ignored): -1, 0 or 1. */
export function compareVersions(a: Version, b: Version): number {
  const d = cmp(a.major, b.major) || cmp(a.minor, b.minor) || cmp(a.patch, b.patch);
  if (d !== 0) return d;
  if (a.pre === "" && b.pre === "") return 0;
  if (a.pre === "") return 1;
  if (b.pre === "") return -1;
  return comparePrerelease(a.pre, b.pre);
}

// ---- Ranges --------------------------------------------------------------------------

type Op = "" | "=" | "!=" | ">" | "<" | ">=" | "=>" | "<=" | "=<" | "~" | "~>" | "^";

interface Constraint {
  op: Op;
  con: Version;
  dirty: boolean;
  minorDirty: boolean;
  patchDirty: boolean;
}

/** A parsed range: OR of AND groups, with whether each group admits pre-releases. */
export interface SemverRange {
  readonly source: string;
  readonly groups: readonly {
    readonly constraints: readonly Constraint[];
    readonly includePre: boolean;
  }[];
}

// The Masterminds grammar, transliterated. Go's \s is [\t\n\f\r ], and "|" really is a
// member of the version character class there; both are kept so the same strings parse.
const S = "[\\t\\n\\f\\r ]";
const CV =
  "v?([0-9|xX*]+)(\\.[0-9|xX*]+)?(\\.[0-9|xX*]+)?" +
  "(-([0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*))?" +
  "(\\+([0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*))?";
const OPS = "=||!=|>|<|>=|=>|<=|=<|~|~>|\\^";
const CONSTRAINT_RE = new RegExp(`^${S}*(${OPS})${S}*(${CV})${S}*$`);
const RANGE_RE = new RegExp(`${S}*(${CV})${S}+-${S}+(${CV})${S}*`, "g");
const FIND_RE = new RegExp(`(${OPS})${S}*(${CV})`, "g");
const VALID_RE = new RegExp(
  `^(${S}*(${OPS})${S}*(${CV})${S}*)((?:${S}+|,${S}*)(${OPS})${S}*(${CV})${S}*)*$`,
);

const isX = (s: string): boolean => s === "x" || s === "X" || s === "*";

function rewriteHyphenRanges(s: string): string {
  let out = s;
  for (const m of s.matchAll(RANGE_RE)) {
    out = out.replace(m[0], () => `>= ${m[1] ?? ""}, <= ${m[11] ?? ""} `);
  }
  return out;
}

function parseConstraint(range: string, text: string): Constraint {
  const m = CONSTRAINT_RE.exec(text);
  if (m === null) throw new InvalidSemverRangeError(range, `improper constraint: ${text}`);
  const op = (m[1] ?? "") as Op;
  const major = m[3] ?? "";
  const minor = m[4] ?? "";
  const patch = m[5] ?? "";
  const pre = m[6] ?? "";
  let ver = m[2] ?? "";
  let dirty = false;
  let minorDirty = false;
  let patchDirty = false;
  if (isX(major)) {
    ver = `0.0.0${pre}`;
    dirty = true;
  } else if (minor === "" || isX(minor.slice(1))) {
    ver = `${major}.0.0${pre}`;
    dirty = minorDirty = true;
  } else if (patch === "" || isX(patch.slice(1))) {
    ver = `${major}${minor}.0${pre}`;
    dirty = patchDirty = true;
  }
  const con = parseLooseVersion(ver);
  if (con === undefined)
    throw new InvalidSemverRangeError(range, `improper version in constraint: ${text.trim()}`);
  return { op, con, dirty, minorDirty, patchDirty };
}

/** Parses a Masterminds v3 range; throws InvalidSemverRangeError. */
export function parseSemverRange(range: string): SemverRange {
  const groups = rewriteHyphenRanges(range)
    .split("||")
    .map((segment) => {
      if (!VALID_RE.test(segment)) {
        throw new InvalidSemverRangeError(
          range,
          segment.trim() === "" ? "empty constraint" : `improper constraint: ${segment.trim()}`,
        );
      }
      const constraints = [...segment.matchAll(FIND_RE)].map((m) => parseConstraint(range, m[0]));
      return { constraints, includePre: constraints.some((c) => c.con.pre !== "") };
    });
  return { source: range, groups };
}

/** Whether v satisfies the range (Masterminds Constraints.Check). */
export function satisfies(range: SemverRange, v: Version): boolean {
  return range.groups.some(
    (g) => (v.pre === "" || g.includePre) && g.constraints.every((c) => check(c, v)),
  );
}

function check(c: Constraint, v: Version): boolean {
  const { con } = c;
  switch (c.op) {
    case "":
    case "=":
      return c.dirty ? tilde(c, v) : compareVersions(v, con) === 0;
    case "!=":
      return notEqual(c, v);
    case ">":
      if (!c.dirty) return compareVersions(v, con) > 0;
      if (v.major !== con.major) return v.major > con.major;
      if (c.minorDirty) return false;
      if (c.patchDirty) return v.minor > con.minor;
      return compareVersions(v, con) > 0;
    case "<":
      return compareVersions(v, con) < 0;
    case ">=":
    case "=>":
      return compareVersions(v, con) >= 0;
    case "<=":
    case "=<":
      if (!c.dirty) return compareVersions(v, con) <= 0;
      if (v.major > con.major) return false;
      return !(v.major === con.major && v.minor > con.minor && !c.minorDirty);
    case "~":
    case "~>":
      return tilde(c, v);
    case "^":
      return caret(c, v);
  }
}

function notEqual(c: Constraint, v: Version): boolean {
  const { con } = c;
  if (c.dirty) {
    if (con.major !== v.major) return true;
    if (con.minor !== v.minor && !c.minorDirty) return true;
    if (c.minorDirty) return false;
    if (con.patch !== v.patch && !c.patchDirty) return true;
    if (c.patchDirty) {
      if (v.pre !== "" || con.pre !== "") return comparePrerelease(v.pre, con.pre) !== 0;
      return false;
    }
  }
  return compareVersions(v, con) !== 0;
}

function tilde(c: Constraint, v: Version): boolean {
  const { con } = c;
  if (compareVersions(v, con) < 0) return false;
  if (con.major === 0n && con.minor === 0n && con.patch === 0n && !c.minorDirty && !c.patchDirty) {
    return true;
  }
  if (v.major !== con.major) return false;
  return !(v.minor !== con.minor && !c.minorDirty);
}

function caret(c: Constraint, v: Version): boolean {
  const { con } = c;
  if (compareVersions(v, con) < 0) return false;
  if (con.major > 0n || c.minorDirty) return v.major === con.major;
  if (v.major > 0n) return false;
  if (con.minor > 0n || c.patchDirty) return v.minor === con.minor;
  if (v.minor > 0n) return false;
  return v.patch === con.patch;
}
