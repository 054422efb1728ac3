// Keeps file access inside one folder (the repository checkout). Paths are compared only
// after every symlink in them is resolved, as securejoin does: comparing the text of a
// path lets `unit -> /etc` or `base/../../x` through. A symlink that stays inside is
// followed (as kubectl and kustomize do); one that leaves is an error, never skipped.
import { lstat, readlink, realpath } from "node:fs/promises";
import { isAbsolute, join, relative, resolve, sep } from "node:path";

/** A path that resolves outside the folder it must stay in. */
export class OutsideRootError extends Error {
  /** The path as it was given (relative to the root where it was relative). */
  readonly path: string;
  /** Where it leads, after symlinks. */
  readonly resolved: string;
  constructor(path: string, resolved: string) {
    super(`${path} leaves the repository (it resolves to ${resolved})`);
    this.name = "OutsideRootError";
    this.path = path;
    this.resolved = resolved;
  }
}

/** Whether `path` is `dir` or below it (both absolute, already resolved). */
export function isInside(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return rel === "" || (!rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel));
}

// Linux's limit on symlinks followed while resolving one path.
const MAX_LINKS = 40;

/**
 * The real path of `path`: every symlink resolved, component by component. Unlike
 * `realpath`, a path (or a dangling link) that does not exist still resolves: its missing
 * part is appended as text, so a link to a file not yet created is judged by its target.
 */
export async function resolveSymlinks(path: string): Promise<string> {
  const whole = await realpath(path).catch(() => undefined);
  if (whole !== undefined) return whole;
  const parts = resolve(path).split(sep).filter(Boolean);
  let current: string = sep;
  let links = 0;
  while (parts.length > 0) {
    const part = parts.shift() as string;
    const next = join(current, part);
    const info = await lstat(next).catch(() => undefined);
    if (!info) {
      // Nothing more exists below: the rest is text.
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

/**
 * Resolves `path` (absolute, or relative to `root`) with its symlinks and returns the
 * result; throws OutsideRootError when it is not inside `root` (itself resolved).
 * `name` is how the path is named in the error (defaults to `path`).
 */
export async function confine(root: string, path: string, name = path): Promise<string> {
  const realRoot = await resolveSymlinks(root);
  const real = await resolveSymlinks(resolve(root, path));
  if (!isInside(real, realRoot)) throw new OutsideRootError(name, real);
  return real;
}
