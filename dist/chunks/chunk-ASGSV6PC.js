#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  InvalidSemverRangeError
} from "./chunk-DYND6O65.js";

// shared/tagpolicy/semver.ts
var UINT64_MAX = (1n << 64n) - 1n;
var NUMERIC = /^[0-9]+$/;
var IDENT = /^[0-9A-Za-z-]+$/;
function uint64(digits) {
  const n = BigInt(digits);
  return n <= UINT64_MAX ? n : void 0;
}
function validPrerelease(pre) {
  return pre.split(".").every((id) => IDENT.test(id) && !(NUMERIC.test(id) && id.length > 1 && id[0] === "0"));
}
function validBuild(build) {
  return build.split(".").every((id) => IDENT.test(id));
}
var STRICT = /^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(?:-([^+]*))?(?:\+(.*))?$/s;
function parseTagVersion(tag) {
  const m = STRICT.exec(tag.startsWith("v") ? tag.slice(1) : tag);
  if (m === null) return void 0;
  const [, ma = "", mi = "", pa = "", pre, build] = m;
  return makeVersion(ma, mi, pa, pre, build);
}
var LOOSE = /^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?(\+([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?$/;
function parseLooseVersion(s) {
  const m = LOOSE.exec(s);
  if (m === null) return void 0;
  const ma = m[1] ?? "";
  const mi = (m[2] ?? ".0").slice(1);
  const pa = (m[3] ?? ".0").slice(1);
  return makeVersion(ma, mi, pa, m[5], m[8]);
}
function makeVersion(ma, mi, pa, pre, build) {
  const major = uint64(ma);
  const minor = uint64(mi);
  const patch = uint64(pa);
  if (major === void 0 || minor === void 0 || patch === void 0) return void 0;
  if (pre !== void 0 && !validPrerelease(pre)) return void 0;
  if (build !== void 0 && !validBuild(build)) return void 0;
  return { major, minor, patch, pre: pre ?? "", build: build ?? "" };
}
function cmp(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}
function comparePrePart(s, o) {
  if (s === o) return 0;
  if (s === "") return -1;
  if (o === "") return 1;
  const sn = NUMERIC.test(s) ? uint64(s) : void 0;
  const on = NUMERIC.test(o) ? uint64(o) : void 0;
  if (sn === void 0 && on === void 0) return s > o ? 1 : -1;
  if (on === void 0) return -1;
  if (sn === void 0) return 1;
  return sn > on ? 1 : -1;
}
function comparePrerelease(a, b) {
  const as = a.split(".");
  const bs = b.split(".");
  for (let i = 0; i < Math.max(as.length, bs.length); i++) {
    const d = comparePrePart(as[i] ?? "", bs[i] ?? "");
    if (d !== 0) return d;
  }
  return 0;
}
function compareVersions(a, b) {
  const d = cmp(a.major, b.major) || cmp(a.minor, b.minor) || cmp(a.patch, b.patch);
  if (d !== 0) return d;
  if (a.pre === "" && b.pre === "") return 0;
  if (a.pre === "") return 1;
  if (b.pre === "") return -1;
  return comparePrerelease(a.pre, b.pre);
}
var S = "[\\t\\n\\f\\r ]";
var CV = "v?([0-9|xX*]+)(\\.[0-9|xX*]+)?(\\.[0-9|xX*]+)?(-([0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*))?(\\+([0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*))?";
var OPS = "=||!=|>|<|>=|=>|<=|=<|~|~>|\\^";
var CONSTRAINT_RE = new RegExp(`^${S}*(${OPS})${S}*(${CV})${S}*$`);
var RANGE_RE = new RegExp(`${S}*(${CV})${S}+-${S}+(${CV})${S}*`, "g");
var FIND_RE = new RegExp(`(${OPS})${S}*(${CV})`, "g");
var VALID_RE = new RegExp(
  `^(${S}*(${OPS})${S}*(${CV})${S}*)((?:${S}+|,${S}*)(${OPS})${S}*(${CV})${S}*)*$`
);
var isX = (s) => s === "x" || s === "X" || s === "*";
function rewriteHyphenRanges(s) {
  let out = s;
  for (const m of s.matchAll(RANGE_RE)) {
    out = out.replace(m[0], () => `>= ${m[1] ?? ""}, <= ${m[11] ?? ""} `);
  }
  return out;
}
function parseConstraint(range, text) {
  const m = CONSTRAINT_RE.exec(text);
  if (m === null) throw new InvalidSemverRangeError(range, `improper constraint: ${text}`);
  const op = m[1] ?? "";
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
  if (con === void 0)
    throw new InvalidSemverRangeError(range, `improper version in constraint: ${text.trim()}`);
  return { op, con, dirty, minorDirty, patchDirty };
}
function parseSemverRange(range) {
  const groups = rewriteHyphenRanges(range).split("||").map((segment) => {
    if (!VALID_RE.test(segment)) {
      throw new InvalidSemverRangeError(
        range,
        segment.trim() === "" ? "empty constraint" : `improper constraint: ${segment.trim()}`
      );
    }
    const constraints = [...segment.matchAll(FIND_RE)].map((m) => parseConstraint(range, m[0]));
    return { constraints, includePre: constraints.some((c) => c.con.pre !== "") };
  });
  return { source: range, groups };
}
function satisfies(range, v) {
  return range.groups.some(
    (g) => (v.pre === "" || g.includePre) && g.constraints.every((c) => check(c, v))
  );
}
function check(c, v) {
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
function notEqual(c, v) {
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
function tilde(c, v) {
  const { con } = c;
  if (compareVersions(v, con) < 0) return false;
  if (con.major === 0n && con.minor === 0n && con.patch === 0n && !c.minorDirty && !c.patchDirty) {
    return true;
  }
  if (v.major !== con.major) return false;
  return !(v.minor !== con.minor && !c.minorDirty);
}
function caret(c, v) {
  const { con } = c;
  if (compareVersions(v, con) < 0) return false;
  if (con.major > 0n || c.minorDirty) return v.major === con.major;
  if (v.major > 0n) return false;
  if (con.minor > 0n || c.patchDirty) return v.minor === con.minor;
  if (v.minor > 0n) return false;
  return v.patch === con.patch;
}

export {
  parseTagVersion,
  parseLooseVersion,
  compareVersions,
  parseSemverRange,
  satisfies
};
