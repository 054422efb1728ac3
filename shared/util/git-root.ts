// Where the repository of a path starts, read from the disk (no git process): the
// commands that take paths (render, validate) name files relative to it.
import { existsSync, lstatSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * The nearest folder at or above `path` holding `.git`, as git finds its work tree, but
 * never one reached through a symlink: a link in the path could otherwise make the
 * folder it leads to (another repository) the root, and let rendering leave this one.
 */
export function gitWorkTree(path: string): string | undefined {
  let found: string | undefined;
  for (let dir = path; ; dir = dirname(dir)) {
    if (lstatSync(dir, { throwIfNoEntry: false })?.isSymbolicLink()) found = undefined;
    else if (found === undefined && existsSync(join(dir, ".git"))) found = dir;
    if (dirname(dir) === dir) return found;
  }
}
