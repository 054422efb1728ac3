// Which units to validate, found the way the agent renders a path: a folder with a
// kustomization is built, a folder without one is read as plain manifests, a file is
// parsed as it is. A folder that only holds kustomizations further down (a repository
// laid out as base + one overlay per environment) is split: each kustomization that no
// other one builds on is a unit (the overlays; bases are validated through them), and
// manifest files outside every kustomization tree are read as plain files.
import * as fsp from "node:fs/promises";
import { readdir, stat } from "node:fs/promises";
import { basename, dirname, relative, resolve, sep } from "node:path";
import { findKustomization, KUSTOMIZATION_FILES } from "../../shared/render/kustomize.ts";
import { readKustomizationRefs } from "../../shared/render/origins.ts";
import { isChartFolder } from "../../shared/render/render.ts";
import { isInside, resolveSymlinks } from "../../shared/util/confine.ts";
import { UsageError } from "./options.ts";

export type UnitKind = "kustomize" | "plain" | "file" | "chart";

export interface Unit {
  /** The name in reports: its path relative to the root ("." for the root itself). */
  name: string;
  kind: UnitKind;
  /**
   * What is rendered, relative to the root: the folder or file, or (for manifest files
   * beside kustomizations) the files themselves.
   */
  paths: string[];
}

const MANIFEST_FILE = /\.(ya?ml|json)$/i;
const GLOB = /[*?[\]{}]/;

const toName = (root: string, path: string) => relative(root, path).split(sep).join("/") || ".";

/**
 * Expands globs and checks that every path exists and is inside the root (file names in
 * reports are relative to it). Relative paths and globs start from `cwd`.
 */
export async function expandPaths(
  root: string,
  cwd: string,
  patterns: readonly string[],
): Promise<string[]> {
  const out: string[] = [];
  const realRoot = await resolveSymlinks(root);
  for (const pattern of patterns) {
    let found: string[];
    if (GLOB.test(pattern)) {
      found = [];
      // fs.glob is Node 22+; read through the namespace so the bundle still loads on
      // older Node (where --help and the other commands keep working).
      if (typeof fsp.glob !== "function")
        throw new Error(`globs need Node 22 or later: ${pattern}`);
      for await (const match of fsp.glob(pattern, { cwd })) found.push(resolve(cwd, match));
      if (found.length === 0) throw new UsageError(`${pattern}: the pattern matches nothing`);
      found.sort();
    } else {
      const path = resolve(cwd, pattern);
      if (!(await stat(path).catch(() => undefined))) {
        throw new UsageError(`${pattern}: no such file or folder`);
      }
      found = [path];
    }
    for (const path of found) {
      // Judged after symlinks, as everything read from the repository is.
      if (!isInside(await resolveSymlinks(path), realRoot)) {
        throw new UsageError(`${pattern}: outside the repository root ${root} (see --root)`);
      }
    }
    out.push(...found);
  }
  return out;
}

interface Walked {
  kustomizations: string[];
  files: string[];
  /** The real root, and the symlinked folders already followed (against loops). */
  root: string;
  links: Set<string>;
  /** Chart folders (Chart.yaml): rendered with helm, their templates never read as YAML. */
  charts: string[];
}

async function walk(dir: string, skip: (path: string) => boolean, into: Walked): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (entries.some((e) => e.isFile() && e.name === "Chart.yaml")) {
    into.charts.push(dir);
    return;
  }
  if (entries.some((e) => e.isFile() && KUSTOMIZATION_FILES.includes(e.name))) {
    into.kustomizations.push(dir);
  }
  for (const entry of entries) {
    // Hidden folders (.git, .github) and dependencies are never manifests.
    if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
    const path = resolve(dir, entry.name);
    if (skip(path)) continue;
    if (entry.isDirectory()) await walk(path, skip, into);
    else if (entry.isFile() && MANIFEST_FILE.test(entry.name)) into.files.push(path);
    else if (entry.isSymbolicLink()) {
      // Followed where it stays in the repository; one that leaves is still listed, so
      // rendering reports it (never skipped silently).
      const info = await stat(path).catch(() => undefined);
      if (info?.isDirectory() && !into.links.has(path)) {
        into.links.add(path);
        if (isInside(await resolveSymlinks(path), into.root)) await walk(path, skip, into);
        else into.files.push(path);
      } else if (MANIFEST_FILE.test(entry.name) || info === undefined) into.files.push(path);
    }
  }
}

/**
 * The units under `paths` (already expanded, absolute). `exclude` are paths that are
 * configuration, not manifests (policy and data folders).
 */
export async function discoverUnits(
  root: string,
  paths: readonly string[],
  exclude: readonly string[] = [],
): Promise<Unit[]> {
  const units = new Map<string, Unit>();
  const add = (unit: Unit) => {
    const key = `${unit.kind}:${unit.name}`;
    if (!units.has(key)) units.set(key, unit);
  };
  const skip = (path: string) => exclude.some((e) => isInside(path, e));
  for (const path of paths) {
    const info = await stat(path);
    if (info.isFile()) {
      // A kustomization file named directly stands for its folder.
      if (KUSTOMIZATION_FILES.includes(basename(path))) {
        const dir = dirname(path);
        add({ name: toName(root, dir), kind: "kustomize", paths: [toName(root, dir)] });
      } else {
        add({ name: toName(root, path), kind: "file", paths: [toName(root, path)] });
      }
      continue;
    }
    if (isChartFolder(path)) {
      add({ name: toName(root, path), kind: "chart", paths: [toName(root, path)] });
      continue;
    }
    if (findKustomization(path)) {
      add({ name: toName(root, path), kind: "kustomize", paths: [toName(root, path)] });
      continue;
    }
    const found: Walked = {
      kustomizations: [],
      files: [],
      root: await resolveSymlinks(root),
      links: new Set(),
      charts: [],
    };
    await walk(path, skip, found);
    for (const chart of found.charts) {
      add({ name: toName(root, chart), kind: "chart", paths: [toName(root, chart)] });
    }
    if (found.kustomizations.length === 0 && found.charts.length === 0) {
      // What the agent does with this folder: read every manifest below it.
      add({ name: toName(root, path), kind: "plain", paths: [toName(root, path)] });
      continue;
    }
    for (const unit of await splitFolder(root, found)) add(unit);
  }
  return [...units.values()];
}

async function splitFolder(root: string, found: Walked): Promise<Unit[]> {
  const units: Unit[] = [];
  const builtOn = new Set<string>();
  const components = new Set<string>();
  for (const dir of found.kustomizations) {
    const refs = await readKustomizationRefs(dir);
    for (const ref of refs.dirs) builtOn.add(ref);
    if (refs.component) components.add(dir);
  }
  for (const dir of found.kustomizations) {
    if (builtOn.has(dir) || components.has(dir)) continue;
    units.push({ name: toName(root, dir), kind: "kustomize", paths: [toName(root, dir)] });
  }
  // Manifest files beside the kustomization trees, grouped by folder.
  const loose = new Map<string, string[]>();
  for (const file of found.files) {
    if (found.kustomizations.some((dir) => isInside(file, dir))) continue;
    const dir = toName(root, dirname(file));
    loose.set(dir, [...(loose.get(dir) ?? []), toName(root, file)]);
  }
  for (const [dir, files] of loose) units.push({ name: dir, kind: "plain", paths: files });
  return units;
}

/** Folders and files a unit is made of, relative to the root, to match changed files. */
export interface UnitArea {
  dirs: string[];
  files: string[];
}

/**
 * Whether a change to any of `changed` (paths relative to the root) can change what the
 * unit renders. Deleted files count: removing a patch changes the overlay.
 */
export function isTouched(area: UnitArea, changed: readonly string[]): boolean {
  return changed.some(
    (file) =>
      area.files.includes(file) ||
      area.dirs.some((dir) => dir === "." || file === dir || file.startsWith(`${dir}/`)),
  );
}
