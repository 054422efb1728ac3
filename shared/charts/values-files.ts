// A HelmChart template's `valuesFiles`, as source-controller builds them into the chart:
// the files are merged in order (maps key by key, anything else replaced, the later
// file winning) and the result becomes the chart's values.yaml. The chart's own
// values.yaml counts only when it is listed. For a chart from a Git source the paths
// are in the source (`./charts/app/values-prod.yaml`); for a packaged chart
// (HelmRepository, HTTP or OCI) they are in the chart (`values-prod.yaml`). A missing
// file fails the chart unless `ignoreMissingValuesFiles`.
//
// The built chart is a folder under the cache, named by a digest of the chart and the
// merged values, which is also its new digest: a change to a values file upgrades the
// release, as a new chart does.
import { createHash } from "node:crypto";
import { lstat, readFile, writeFile } from "node:fs/promises";
import { join, posix, sep } from "node:path";
import { confine } from "../util/confine.ts";
import { buildFolderOnce, copyChartFolder } from "./built-folder.ts";
import { ChartError } from "./errors.ts";
import type { FetchedChart } from "./pull.ts";

export type Values = Record<string, unknown>;

export interface ValuesFiles {
  files: string[];
  ignoreMissing: boolean;
}

export const isMap = (v: unknown): v is Values =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Helm's coalescing of two value maps: maps merge key by key, anything else is replaced.
 * As Flux's MergeMaps, a map present on both sides is a new map, while any other value
 * of `over` (a map only it has, a list) is the same object in the result. Pure.
 */
export function mergeValues(base: Values, over: Values): Values {
  const out: Values = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    out[key] = isMap(current) && isMap(value) ? mergeValues(current, value) : value;
  }
  return out;
}

/**
 * The valuesFiles of a HelmChart template's spec (v2beta1's single `valuesFile` goes
 * first, as Flux lists it), undefined when there are none. Pure.
 */
export function valuesFilesOf(spec: Record<string, unknown>): ValuesFiles | undefined {
  const listed = Array.isArray(spec.valuesFiles)
    ? spec.valuesFiles.filter((f): f is string => typeof f === "string")
    : [];
  const single = typeof spec.valuesFile === "string" ? spec.valuesFile : "";
  const files = single && !listed.includes(single) ? [single, ...listed] : listed;
  if (files.length === 0) return undefined;
  return { files, ignoreMissing: spec.ignoreMissingValuesFiles === true };
}

/**
 * A values file's text as Helm reads values: YAML 1.1 (`"NO"` stays a string, `0755`
 * is octal), the first document of the file. Errors give the kind and place only.
 */
async function readValues(text: string, name: string): Promise<Values> {
  // Loaded only here: a pass without HelmReleases does not load `yaml`.
  const { LineCounter, parseAllDocuments } = await import("yaml");
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { version: "1.1", prettyErrors: false, lineCounter: lines });
  const first = Array.isArray(docs) ? docs[0] : undefined;
  const error = first?.errors[0];
  if (error) {
    const { line, col } = lines.linePos(error.pos[0]);
    throw new ChartError(
      "ValuesFilesError",
      `unmarshaling values from '${name}' failed: ${error.code.toLowerCase().replaceAll("_", " ")} at line ${line}, column ${col}`,
    );
  }
  const value: unknown = first?.toJS({ maxAliasCount: 100 });
  if (value === null || value === undefined) return {};
  if (!isMap(value)) {
    throw new ChartError("ValuesFilesError", `values file '${name}' is not a map of values`);
  }
  return value;
}

/** Files of a package that Helm keeps as the chart's Files (what valuesFiles can name). */
function isChartFile(name: string): boolean {
  if (name.startsWith("templates/") || name.startsWith("charts/")) return false;
  return ![
    "Chart.yaml",
    "Chart.lock",
    "values.schema.json",
    "requirements.yaml",
    "requirements.lock",
  ].includes(name);
}

/**
 * Where a listed values file is, or undefined when it is missing. In a Git source
 * (`root` is the checkout) the path is confined to the checkout, symlinks resolved; in a
 * package (`root` is the unpacked chart) it names one of the chart's Files, as Helm
 * loads them (`values.yaml` is read as the chart's values).
 */
async function locate(name: string, root: string, inGit: boolean): Promise<string | undefined> {
  let path: string;
  if (inGit) {
    try {
      path = await confine(root, name === "" ? "." : name, name);
    } catch (error) {
      throw new ChartError("ValuesFilesError", `values file ${(error as Error).message}`);
    }
  } else {
    const clean = posix.normalize(name);
    if (
      clean !== "values.yaml" &&
      (clean.startsWith("/") || clean.startsWith("../") || !isChartFile(clean))
    )
      return undefined;
    path = join(root, clean);
  }
  const info = await lstat(path).catch(() => undefined);
  if (!info) return undefined;
  // A folder is not a values file, missing-but-ignored or not (Flux: not a regular file).
  if (!info.isFile())
    throw new ChartError("ValuesFilesError", `no values file found at path '${name}'`);
  return path;
}

/**
 * The chart with its values.yaml replaced by the merge of `files`. `sourceRoot` is the
 * Git checkout a chart folder came from (paths are in it); without it the chart is a
 * package and paths are in the chart.
 */
export async function withValuesFiles(
  chart: FetchedChart,
  files: ValuesFiles,
  cacheDir: string,
  sourceRoot?: string,
): Promise<FetchedChart> {
  let chartDir = chart.path;
  if (!sourceRoot) {
    chartDir = join(cacheDir, "charts", "unpacked", chart.digest.replace(/^sha256:/, ""));
    // Loaded here, not at the top: zlib and the tar reader are not needed by a pass that
    // meets no chart package (0.5 MiB of the agent's idle RSS otherwise).
    const { unpackChart } = await import("./unpack.ts");
    await buildFolderOnce(chartDir, (dir) => unpackChart(chart.path, dir, chart.source));
  }
  const ownValues = join(chartDir, "values.yaml");
  if (!(await lstat(ownValues).catch(() => undefined))?.isFile()) {
    throw new ChartError("ValuesFilesError", `${chart.source}: the chart has no values.yaml`);
  }
  let merged: Values = {};
  const used: string[] = [];
  for (const name of files.files) {
    const path = await locate(name, sourceRoot ?? chartDir, sourceRoot !== undefined);
    if (!path) {
      if (files.ignoreMissing) continue;
      throw new ChartError("ValuesFilesError", `no values file found at path '${name}'`);
    }
    merged = mergeValues(merged, await readValues(await readFile(path, "utf8"), name));
    used.push(name);
  }
  const folderName = sourceRoot ? (chartDir.split(sep).at(-1) ?? "chart") : "chart";
  const digest = createHash("sha256")
    .update(`${chart.digest}\0${folderName}\0${JSON.stringify(used)}\0${JSON.stringify(merged)}`)
    .digest("hex");
  const out = join(cacheDir, "charts", "values-files", digest);
  await buildFolderOnce(out, async (dir) => {
    const copy = join(dir, folderName);
    await copyChartFolder(chartDir, copy, sourceRoot ?? chartDir);
    // JSON is YAML that every reader reads alike: no word of it changes type in Helm.
    await writeFile(
      join(copy, "values.yaml"),
      Object.keys(merged).length > 0 ? `${JSON.stringify(merged, null, 2)}\n` : "",
    );
  });
  return {
    ...chart,
    digest: `sha256:${digest}`,
    path: join(out, folderName),
    source: `${chart.source} with values files ${used.join(", ") || "(none found)"}`,
  };
}
