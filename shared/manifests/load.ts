// Reads a plain folder of manifests: every *.yaml, *.yml and *.json below it, in a
// stable (sorted) order, skipping hidden files and folders. All files are read even
// when one is broken, so a person sees every problem at once. Symlinks are followed
// when they stay inside the repository (as kubectl and kustomize do) and are an error
// when they leave it: skipping one silently would prune the objects it holds.
import { readdir, readFile, stat } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { confine, OutsideRootError } from "../util/confine.ts";
import type { Manifest } from "./object.ts";
import { ManifestError, parseManifests } from "./parse.ts";

const MANIFEST_FILE = /\.(ya?ml|json)$/i;

export interface LoadResult {
  manifests: Manifest[];
  errors: ManifestError[];
}

/**
 * Lists manifest files under `dir`, sorted, as absolute paths (a symlink keeps its own
 * path, the name a person sees in Git). Throws OutsideRootError for a symlink that
 * resolves outside `root` (by default `dir` itself).
 */
export async function listManifestFiles(
  dir: string,
  root: string = dir,
  visited = new Set<string>(),
): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const files: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith(".")) continue;
    const path = join(dir, entry.name);
    let isDirectory = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      const real = await confine(root, path, relative(root, path).split(sep).join("/"));
      const info = await stat(real).catch(() => undefined);
      // A link to a folder already listed (a loop, or a second way in) adds nothing.
      if (info?.isDirectory() && visited.has(real)) continue;
      if (info?.isDirectory()) visited.add(real);
      isDirectory = info?.isDirectory() ?? false;
      isFile = info?.isFile() ?? false;
    }
    if (isDirectory) files.push(...(await listManifestFiles(path, root, visited)));
    else if (isFile && MANIFEST_FILE.test(entry.name)) files.push(path);
  }
  return files;
}

/**
 * Loads every manifest under `dir`. File names in sources and errors are relative to
 * `base` (the repository root), so they match what a person sees in Git.
 */
export async function loadFolder(dir: string, base: string): Promise<LoadResult> {
  const result: LoadResult = { manifests: [], errors: [] };
  let files: string[];
  try {
    files = await listManifestFiles(dir, base);
  } catch (error) {
    if (!(error instanceof OutsideRootError)) throw error;
    result.errors.push(new ManifestError(error.path, undefined, error.message));
    return result;
  }
  for (const path of files) {
    const name = relative(base, path).split(sep).join("/");
    try {
      result.manifests.push(...(await parseManifests(await readFile(path, "utf8"), name)));
    } catch (error) {
      if (error instanceof ManifestError) result.errors.push(error);
      else throw error;
    }
  }
  return result;
}
