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
import { createReadStream } from "node:fs";
import { cp, mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join, posix, resolve, sep } from "node:path";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import { stringify } from "yaml";
import { describeSecretYamlError, parseSecretYaml } from "../util/secret-yaml.ts";
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
    ? spec.valuesFiles.filter((f): f is string => typeof f === "string" && f !== "")
    : [];
  const single = typeof spec.valuesFile === "string" ? spec.valuesFile : "";
  const files = single && !listed.includes(single) ? [single, ...listed] : listed;
  if (files.length === 0) return undefined;
  return { files, ignoreMissing: spec.ignoreMissingValuesFiles === true };
}

/** `path` under `root`; a path that leaves it is refused. */
function inside(root: string, path: string, what: string): string {
  const target = resolve(root, path.replace(/^\/+/, ""));
  if (target !== root && !target.startsWith(`${root}${sep}`)) {
    throw new ChartError("ValuesFilesError", `values file '${path}' leaves the ${what}`);
  }
  return target;
}

const fileAt = async (path: string) =>
  (await stat(path).catch(() => undefined))?.isFile() ? path : undefined;

function readValues(text: string, name: string): Values {
  const read = parseSecretYaml(text);
  if (read.error) {
    throw new ChartError(
      "ValuesFilesError",
      `unmarshaling values from '${name}' failed: ${describeSecretYamlError(read.error)}`,
    );
  }
  if (read.value === null || read.value === undefined) return {};
  if (!isMap(read.value)) {
    throw new ChartError("ValuesFilesError", `values file '${name}' is not a map of values`);
  }
  return read.value;
}

/**
 * The folder of a packaged chart, unpacked once under the cache (by the package's
 * digest). Only files and folders are written, and none outside the folder.
 */
async function unpacked(chart: FetchedChart, cacheDir: string): Promise<string> {
  const dir = join(cacheDir, "charts", "unpacked", chart.digest.replace(/^sha256:/, ""));
  if (!(await stat(dir).catch(() => undefined))) {
    const partial = `${dir}.${process.pid}.partial`;
    await rm(partial, { recursive: true, force: true });
    await mkdir(partial, { recursive: true });
    // tar-stream (already in the tree through @kubernetes/client-node): the image has
    // no tar, and Helm cannot unpack a package it did not pull. Loaded only here.
    const { extract } = await import("tar-stream");
    const entries = extract();
    const reading = pipeline(createReadStream(chart.path), createGunzip(), entries);
    for await (const entry of entries) {
      const name = posix.normalize(entry.header.name);
      if (name.startsWith("../") || name.startsWith("/") || name === "..") {
        entry.resume();
        continue;
      }
      const target = join(partial, name);
      if (entry.header.type === "directory") await mkdir(target, { recursive: true });
      if (entry.header.type === "file") {
        await mkdir(dirname(target), { recursive: true });
        const chunks: Buffer[] = [];
        for await (const chunk of entry) chunks.push(chunk as Buffer);
        await writeFile(target, Buffer.concat(chunks));
      } else entry.resume();
    }
    await reading;
    await rename(partial, dir).catch(async (error: NodeJS.ErrnoException) => {
      // Another pass unpacked it first: theirs is the same.
      await rm(partial, { recursive: true, force: true });
      if (error.code !== "ENOTEMPTY" && error.code !== "EEXIST") throw error;
    });
  }
  // A package holds one folder, the chart's.
  const top = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory());
  if (top.length !== 1 || !top[0]) {
    throw new ChartError("ChartPullFailed", `${chart.source}: the package holds no chart folder`);
  }
  return join(dir, top[0].name);
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
  const chartDir = sourceRoot ? chart.path : await unpacked(chart, cacheDir);
  const ownValues = join(chartDir, "values.yaml");
  if (!(await fileAt(ownValues))) {
    throw new ChartError("ValuesFilesError", `${chart.source}: the chart has no values.yaml`);
  }
  let merged: Values = {};
  const used: string[] = [];
  for (const name of files.files) {
    const path = sourceRoot
      ? inside(sourceRoot, name, "source")
      : posix.normalize(name) === "values.yaml"
        ? ownValues
        : inside(chartDir, posix.normalize(name), "chart");
    if (!(await fileAt(path))) {
      if (files.ignoreMissing) continue;
      throw new ChartError("ValuesFilesError", `no values file found at path '${name}'`);
    }
    merged = mergeValues(merged, readValues(await readFile(path, "utf8"), name));
    used.push(name);
  }
  const hash = createHash("sha256")
    .update(`${chart.digest}\0${JSON.stringify(used)}\0${JSON.stringify(merged)}`)
    .digest("hex");
  const out = join(cacheDir, "charts", "values-files", hash);
  const built = join(out, chartDir.split(sep).at(-1) ?? "chart");
  if (!(await stat(built).catch(() => undefined))) {
    const partial = `${out}.${process.pid}.partial`;
    await rm(partial, { recursive: true, force: true });
    const copy = join(partial, chartDir.split(sep).at(-1) ?? "chart");
    await cp(chartDir, copy, { recursive: true });
    await writeFile(
      join(copy, "values.yaml"),
      Object.keys(merged).length > 0 ? stringify(merged) : "",
    );
    await mkdir(dirname(out), { recursive: true });
    await rename(partial, out).catch(async (error: NodeJS.ErrnoException) => {
      await rm(partial, { recursive: true, force: true });
      if (error.code !== "ENOTEMPTY" && error.code !== "EEXIST") throw error;
    });
  }
  return {
    ...chart,
    digest: `sha256:${hash}`,
    path: built,
    source: `${chart.source} with values files ${used.join(", ") || "(none found)"}`,
  };
}
