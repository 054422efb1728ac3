// Flux's directory rules: a folder without a kustomization file is built the way
// kustomize-controller generates one for it. Every manifest file in it and below is a
// resource, in walk order; a subfolder holding a kustomization file is one base (built
// by kustomize, its files never read as plain manifests); kustomize configuration
// files are never objects; files excluded by `.sourceignore` or `spec.ignore` are not
// there at all. The agent, `tether render` and validate all read folders this way.
// Symlinks are followed while they stay inside the repository (as kubectl and
// kustomize do); one that leaves it is an error, never skipped (skipping it would
// prune the objects it holds).
import { readdir, stat } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { DEFAULT_LIMITS, type RenderLimits } from "../manifests/limits.ts";
import type { Manifest } from "../manifests/object.ts";
import { ManifestError, parseManifests, readManifestText } from "../manifests/parse.ts";
import { confine, OutsideRootError } from "../util/confine.ts";
import { findKustomization, type KustomizeOptions, kustomizeBuild } from "./kustomize.ts";
import { IgnoreRules, readSourceIgnore } from "./sourceignore.ts";

// Flux reads only .yaml and .yml; Tether also reads .json (a superset, see README).
const MANIFEST_FILE = /\.(ya?ml|json)$/i;

/** `kustomize.config.k8s.io` documents configure kustomize; they are never applied. */
export function isKustomizeConfig(object: { apiVersion?: unknown }): boolean {
  return (
    typeof object.apiVersion === "string" &&
    object.apiVersion.startsWith("kustomize.config.k8s.io/")
  );
}

export type FluxDirEntry = { type: "file"; path: string } | { type: "base"; path: string };

const toPosix = (path: string) => path.split(sep).join("/");

/**
 * The resources of a generated kustomization for `dir`, in walk order (absolute paths;
 * a symlink keeps its own path). Throws OutsideRootError for a symlink leaving `root`.
 */
export async function listFluxDir(
  dir: string,
  root: string,
  ignore: IgnoreRules = IgnoreRules.defaults(),
): Promise<FluxDirEntry[]> {
  // `.sourceignore` files between the source root and `dir` apply too.
  let rules = ignore;
  const parts = toPosix(relative(root, dir)).split("/").filter(Boolean);
  for (let i = 0; i < parts.length; i++) {
    const domain = parts.slice(0, i).join("/");
    rules = rules.with(await readSourceIgnore(join(root, domain), domain));
  }
  const entries: FluxDirEntry[] = [];
  const followed = new Set<string>();
  const walk = async (current: string, rules: IgnoreRules) => {
    const domain = toPosix(relative(root, current));
    const here = rules.with(await readSourceIgnore(current, domain));
    const children = await readdir(current, { withFileTypes: true });
    children.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const child of children) {
      const path = join(current, child.name);
      const rel = toPosix(relative(root, path));
      // Hidden files and folders are tool state (.git, .sourceignore), never manifests.
      if (child.name.startsWith(".")) continue;
      let isDirectory = child.isDirectory();
      let isFile = child.isFile();
      if (child.isSymbolicLink()) {
        const real = await confine(root, path, rel);
        const info = await stat(real).catch(() => undefined);
        // A folder reached twice through links (a loop) is walked once.
        if (info?.isDirectory()) {
          if (followed.has(real)) continue;
          followed.add(real);
        }
        isDirectory = info?.isDirectory() ?? false;
        isFile = info?.isFile() ?? false;
      }
      if (isDirectory) {
        if (here.ignores(rel, true)) continue;
        if (findKustomization(path)) entries.push({ type: "base", path });
        else await walk(path, here);
      } else if (isFile && MANIFEST_FILE.test(child.name) && !here.ignores(rel, false)) {
        entries.push({ type: "file", path });
      }
    }
  };
  await walk(dir, rules);
  return entries;
}

/** One plain manifest file of a folder: its path and its name in messages. */
export interface PlainFile {
  path: string;
  name: string;
}

export interface PlainFileOptions {
  limits: RenderLimits;
  /** Keep field positions (Source.positions). */
  positions: boolean;
}

/**
 * Loads a folder's plain files elsewhere (validate's worker threads): one promise per
 * file, in order, already started; undefined to load them here. `bytes` is their total.
 */
export type PlainFilesLoader = (
  files: readonly PlainFile[],
  options: PlainFileOptions,
  bytes: number,
) => Promise<Manifest[]>[] | undefined;

export interface FluxDirOptions extends KustomizeOptions {
  ignore?: IgnoreRules | undefined;
  /** Keep field positions (Source.positions). */
  positions?: boolean;
  loadPlainFiles?: PlainFilesLoader | undefined;
}

/** Reads and parses one plain file. */
export async function loadPlainFile(
  file: PlainFile,
  options: PlainFileOptions,
): Promise<Manifest[]> {
  return parsePlainFile(
    await readManifestText(file.path, file.name, options.limits),
    file,
    options,
  );
}

/** Parses one plain file's text; kustomize configuration documents are left out. */
export function parsePlainFile(
  text: string,
  file: PlainFile,
  options: PlainFileOptions,
): Promise<Manifest[]> {
  return parseManifests(text, file.name, {
    skip: isKustomizeConfig,
    limits: options.limits,
    positions: options.positions,
  });
}

/** Renders a folder without a kustomization file; every broken file is reported. */
export async function renderFluxDir(
  dir: string,
  root: string,
  options: FluxDirOptions = {},
): Promise<{ manifests: Manifest[]; errors: ManifestError[] }> {
  const result = { manifests: [] as Manifest[], errors: [] as ManifestError[] };
  const limits: RenderLimits = { ...DEFAULT_LIMITS, ...options.limits };
  let entries: FluxDirEntry[];
  try {
    entries = await listFluxDir(dir, root, options.ignore);
  } catch (error) {
    if (!(error instanceof OutsideRootError)) throw error;
    result.errors.push(new ManifestError(error.path, undefined, error.message));
    return result;
  }
  // The plain files are measured together before any is read or parsed.
  let total = 0;
  for (const entry of entries) if (entry.type === "file") total += (await stat(entry.path)).size;
  if (total > limits.maxRenderBytes) {
    const name = toPosix(relative(root, dir)) || ".";
    result.errors.push(
      new ManifestError(
        name,
        undefined,
        `files of ${total} bytes, more than the limit of ${limits.maxRenderBytes} bytes for one render (raise TETHER_MAX_RENDER_SIZE or split the unit)`,
      ),
    );
    return result;
  }
  const fileOptions: PlainFileOptions = { limits, positions: options.positions ?? false };
  const files: PlainFile[] = entries.flatMap((e) =>
    e.type === "file" ? [{ path: e.path, name: toPosix(relative(root, e.path)) }] : [],
  );
  const elsewhere = options.loadPlainFiles?.(files, fileOptions, total);
  // Each is awaited below, in order; a rejection before then is not unhandled.
  for (const loading of elsewhere ?? []) loading.catch(() => {});
  let next = 0;
  for (const entry of entries) {
    try {
      if (entry.type === "base") {
        result.manifests.push(...(await kustomizeBuild(entry.path, root, options)));
      } else {
        const index = next++;
        result.manifests.push(
          ...(await (elsewhere?.[index] ?? loadPlainFile(files[index] as PlainFile, fileOptions))),
        );
      }
    } catch (error) {
      if (error instanceof ManifestError) result.errors.push(error);
      else throw error;
    }
  }
  return result;
}
