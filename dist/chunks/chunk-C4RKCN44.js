#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);

// shared/util/confine.ts
const { lstat, readlink, realpath } = require("node:fs/promises");
const { isAbsolute, join, relative, resolve, sep } = require("node:path");
var OutsideRootError = class extends Error {
  /** The path as it was given (relative to the root where it was relative). */
  path;
  /** Where it leads, after symlinks. */
  resolved;
  constructor(path, resolved) {
    super(`${path} leaves the repository (it resolves to ${resolved})`);
    this.name = "OutsideRootError";
    this.path = path;
    this.resolved = resolved;
  }
};
function isInside(path, dir) {
  const rel = relative(dir, path);
  return rel === "" || !rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel);
}
var MAX_LINKS = 40;
async function resolveSymlinks(path) {
  const whole = await realpath(path).catch(() => void 0);
  if (whole !== void 0) return whole;
  const parts = resolve(path).split(sep).filter(Boolean);
  let current = sep;
  let links = 0;
  while (parts.length > 0) {
    const part = parts.shift();
    const next = join(current, part);
    const info = await lstat(next).catch(() => void 0);
    if (!info) {
      return join(next, ...parts);
    }
    if (!info.isSymbolicLink()) {
      current = next;
      continue;
    }
    if (++links > MAX_LINKS) throw new Error(`${path}: too many levels of symbolic links`);
    const target = await readlink(next);
    const base = isAbsolute(target) ? sep : current;
    parts.unshift(...resolve(base, target).split(sep).filter(Boolean));
    current = sep;
  }
  return current;
}
async function confine(root, path, name = path) {
  const realRoot = await resolveSymlinks(root);
  const real = await resolveSymlinks(resolve(root, path));
  if (!isInside(real, realRoot)) throw new OutsideRootError(name, real);
  return real;
}

export {
  OutsideRootError,
  isInside,
  resolveSymlinks,
  confine
};
