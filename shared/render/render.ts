// Turns a path of a repository into the objects to apply: a folder with a
// kustomization is built with kustomize, a chart folder (Chart.yaml) with `helm template`
// and its values.yaml, any other folder by Flux's directory rules (flux-dir.ts), and a
// single file is parsed as it is. The same function serves the agent and the
// Action, so what a pull request validates is what the agent applies.
import { existsSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { join, relative, resolve, sep } from "node:path";
import { helmTemplate } from "../charts/template.ts";
import { limitsFromEnv, type RenderLimits } from "../manifests/limits.ts";
import type { Manifest } from "../manifests/object.ts";
import { ManifestError, parseManifests, readManifestText } from "../manifests/parse.ts";
import { confine, OutsideRootError, resolveSymlinks } from "../util/confine.ts";
import { type PlainFilesLoader, renderFluxDir } from "./flux-dir.ts";
import { findKustomization, type KustomizeOptions, kustomizeBuild } from "./kustomize.ts";
import type { IgnoreRules } from "./sourceignore.ts";

export interface RenderOptions extends KustomizeOptions {
  /** A path that renders no objects is an error unless this is set. */
  allowEmpty?: boolean;
  /** Files left out of plain folders (Flux's defaults and `.sourceignore` when unset). */
  ignore?: IgnoreRules | undefined;
  /** Keep field positions of plain files (Source.positions), as validate reports them. */
  positions?: boolean;
  /** The helm binary for chart folders; default `helm` on PATH. */
  helm?: string | undefined;
  /** Plain folders' files loaded elsewhere (validate's worker threads). */
  loadPlainFiles?: PlainFilesLoader | undefined;
}

export interface RenderResult {
  renderer: "kustomize" | "plain" | "file" | "helm";
  manifests: Manifest[];
  /** Every problem found; a render with errors must not be applied or pruned against. */
  errors: ManifestError[];
}

/**
 * Renders `path` (relative to `root`, the repository checkout). `options.limits`
 * overrides the size and structure limits (default: limitsFromEnv()).
 */
export async function renderPath(
  root: string,
  path: string,
  options: RenderOptions = {},
): Promise<RenderResult> {
  const limits: RenderLimits = { ...limitsFromEnv(), ...options.limits };
  const name = relative(root, resolve(root, path)).split(sep).join("/") || ".";
  // Judged after symlinks: a unit path that is a link out of the repository is refused.
  let target: string;
  try {
    target = await confine(root, path, name.startsWith("..") ? path : name);
  } catch (error) {
    if (!(error instanceof OutsideRootError)) throw error;
    return {
      renderer: "plain",
      manifests: [],
      errors: [new ManifestError(error.path, undefined, error.message)],
    };
  }
  const realRoot = await resolveSymlinks(root);
  const info = await stat(target).catch(() => undefined);
  if (!info) {
    return {
      renderer: "plain",
      manifests: [],
      errors: [new ManifestError(name, undefined, "the path does not exist")],
    };
  }
  let result: RenderResult;
  if (info.isFile()) {
    result = await renderOne("file", () =>
      readManifestText(target, name, {
        maxFileBytes: Math.min(limits.maxFileBytes, limits.maxRenderBytes),
      }).then((text) =>
        parseManifests(text, name, { limits, positions: options.positions ?? false }),
      ),
    );
  } else if (isChartFolder(target)) {
    result = await renderOne("helm", () => renderChartFolder(target, name, options.helm));
  } else if (findKustomization(target)) {
    result = await renderOne("kustomize", () =>
      kustomizeBuild(target, realRoot, { ...options, limits }),
    );
  } else {
    // Flux's directory rules: subfolders with a kustomization are bases.
    const loaded = await renderFluxDir(target, realRoot, { ...options, limits });
    result = { renderer: "plain", manifests: loaded.manifests, errors: loaded.errors };
  }
  if (result.errors.length === 0 && result.manifests.length === 0 && !options.allowEmpty) {
    result.errors.push(
      new ManifestError(name, undefined, "renders no objects (set allowEmpty if that is intended)"),
    );
  }
  return result;
}

async function renderOne(
  renderer: RenderResult["renderer"],
  build: () => Promise<Manifest[]>,
): Promise<RenderResult> {
  try {
    return { renderer, manifests: await build(), errors: [] };
  } catch (error) {
    if (error instanceof ManifestError) return { renderer, manifests: [], errors: [error] };
    throw error;
  }
}

export function isChartFolder(dir: string): boolean {
  return existsSync(join(dir, "Chart.yaml"));
}

/**
 * A chart folder as `helm template` renders it with its own values.yaml: release name
 * the chart's name, namespace default. Objects are named by their template file.
 */
async function renderChartFolder(dir: string, name: string, binary?: string): Promise<Manifest[]> {
  const { parse } = await import("yaml");
  const meta = (parse(await readFile(join(dir, "Chart.yaml"), "utf8")) ?? {}) as { name?: unknown };
  const chartName = typeof meta.name === "string" && meta.name ? meta.name : "release";
  return helmTemplate(dir, {
    binary,
    releaseName: chartName,
    namespace: "default",
    // "app-demo/templates/x.yaml" is the chart folder's templates/x.yaml.
    sourceOf: (template) =>
      template
        ? `${name === "." ? "" : `${name}/`}${template.split("/").slice(1).join("/")}`
        : `${name}/Chart.yaml`,
  });
}
