// Renders each unit with the agent's renderer (shared/render), so what a pull request
// validates is what the agent applies. Render problems stay results: a broken file or a
// failing kustomize build is reported on its file, and the other units go on.
import { dirname, relative, resolve, sep } from "node:path";
import type { Manifest } from "../../shared/manifests/object.ts";
import type { ManifestError } from "../../shared/manifests/parse.ts";
import type { PlainFilesLoader } from "../../shared/render/flux-dir.ts";
import { KustomizeTree } from "../../shared/render/origins.ts";
import { type RenderResult, renderPath } from "../../shared/render/render.ts";
import { mapLimit } from "../../shared/util/pool.ts";
import type { Unit, UnitArea } from "./discover.ts";
import { UsageError } from "./options.ts";

export interface RenderedUnit {
  unit: Unit;
  renderer: RenderResult["renderer"];
  manifests: Manifest[];
  errors: ManifestError[];
  /** For kustomize units: the tree read back, to place findings on the files edited. */
  tree?: KustomizeTree | undefined;
  area: UnitArea;
  /** Things that did not stop the render but should be seen (a chart that was not reached). */
  warnings: { file: string; line?: number | undefined; message: string }[];
}

export interface RenderOptions {
  kustomize?: string | undefined;
  /** kustomize builds run in parallel up to this many. */
  concurrency?: number;
  /** Large plain folders' files are parsed in worker threads (workers.ts). */
  loadPlainFiles?: PlainFilesLoader | undefined;
}

async function renderUnit(
  root: string,
  unit: Unit,
  { kustomize: binary, loadPlainFiles }: RenderOptions,
): Promise<RenderedUnit> {
  // Positions come from the parse that loads the objects (plain files; kustomize output
  // is placed through its sources, shared/render/origins.ts).
  const options = { positions: true, loadPlainFiles, ...(binary ? { binary } : {}) };
  if (unit.kind === "kustomize") {
    const path = unit.paths[0] as string;
    const [result, tree] = await Promise.all([
      renderPath(root, path, options),
      KustomizeTree.read(resolve(root, path), root),
    ]);
    const dirs = tree.dirs.map((d) => relative(root, d).split(sep).join("/") || ".");
    return { unit, ...result, tree, area: { dirs, files: tree.files }, warnings: [] };
  }
  if (unit.kind === "chart") {
    const path = unit.paths[0] as string;
    const result = await renderPath(root, path, options);
    return { unit, ...result, area: { dirs: [path], files: [] }, warnings: [] };
  }
  const results = await Promise.all(unit.paths.map((p) => renderPath(root, p, options)));
  const single = unit.kind === "plain" && unit.paths.length === 1;
  return {
    unit,
    renderer: unit.kind === "file" ? "file" : "plain",
    manifests: results.flatMap((r) => r.manifests),
    errors: results.flatMap((r) => r.errors),
    area: single ? { dirs: [...unit.paths], files: [] } : { dirs: [], files: [...unit.paths] },
    warnings: [],
  };
}

export function renderUnits(
  root: string,
  units: readonly Unit[],
  options: RenderOptions = {},
): Promise<RenderedUnit[]> {
  return mapLimit(units, options.concurrency ?? 4, (unit) => renderUnit(root, unit, options));
}

/** Objects from --crds paths (files, folders or kustomizations); a broken one is a usage error. */
export async function loadCrdPaths(
  root: string,
  paths: readonly string[],
  binary?: string,
): Promise<unknown[]> {
  const objects: unknown[] = [];
  for (const path of paths) {
    // CRDs may live outside the repository (a shared folder); they are only read.
    const base = relative(root, resolve(root, path)).startsWith("..")
      ? dirname(resolve(root, path))
      : root;
    const result = await renderPath(base, path, binary ? { binary } : {});
    if (result.errors.length > 0) {
      throw new UsageError(`--crds ${path}: ${result.errors.map((e) => e.message).join("; ")}`);
    }
    objects.push(...result.manifests.map((m) => m.object));
  }
  return objects;
}
