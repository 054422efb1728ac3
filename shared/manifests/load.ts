// Reads a plain folder of manifests: every *.yaml, *.yml and *.json below it, in a
// stable (sorted) order, skipping hidden files and folders. All files are read even
// when one is broken, so a person sees every problem at once.
import { readdir, readFile } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import type { Manifest } from "./object.ts";
import { ManifestError, parseManifests } from "./parse.ts";

const MANIFEST_FILE = /\.(ya?ml|json)$/i;

export interface LoadResult {
  manifests: Manifest[];
  errors: ManifestError[];
}

/** Lists manifest files under `dir`, sorted, as absolute paths. */
export async function listManifestFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const files: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith(".")) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await listManifestFiles(path)));
    else if (entry.isFile() && MANIFEST_FILE.test(entry.name)) files.push(path);
  }
  return files;
}

/**
 * Loads every manifest under `dir`. File names in sources and errors are relative to
 * `base` (the repository root), so they match what a person sees in Git.
 */
export async function loadFolder(dir: string, base: string): Promise<LoadResult> {
  const result: LoadResult = { manifests: [], errors: [] };
  for (const path of await listManifestFiles(dir)) {
    const name = relative(base, path).split(sep).join("/");
    try {
      result.manifests.push(...parseManifests(await readFile(path, "utf8"), name));
    } catch (error) {
      if (error instanceof ManifestError) result.errors.push(error);
      else throw error;
    }
  }
  return result;
}
