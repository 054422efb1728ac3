// A chart folder's dependencies that are not in its charts/ folder, fetched as
// source-controller's dependency manager fetches them before packaging a chart from a
// Git source: Chart.lock's list when there is one (its versions are pinned), else
// Chart.yaml's; a dependency counts as present when charts/ holds a chart of its name
// (or alias). `file://` (or no repository) is a chart folder in the same source, its
// version checked against the range; an HTTP or OCI repository is read with the
// credentials of a HelmRepository of that URL in the HelmRelease's namespace, when there
// is one, else anonymously.
//
// A chart with nothing missing is returned as it is (same folder, same digest). One with
// something missing is copied under the cache with the dependencies in its charts/, and
// its digest covers theirs: a new dependency version upgrades the release.
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { copyFile, mkdir, readdir, readFile, stat } from "node:fs/promises";
import { join, resolve, sep } from "node:path";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import { confine } from "../util/confine.ts";
import { buildFolderOnce, copyChartFolder } from "./built-folder.ts";
import { ChartError } from "./errors.ts";
import { chartFromFolder, type FetchedChart } from "./pull.ts";
import { selectVersion } from "./select.ts";
import { chartPathOf } from "./unpack.ts";

export interface Dependency {
  name: string;
  version?: string | undefined;
  repository?: string | undefined;
  alias?: string | undefined;
}

/** How a missing remote dependency is fetched: by repository URL, chart name and range. */
export type PullDependency = (
  repository: string,
  chart: string,
  version: string | undefined,
) => Promise<FetchedChart>;

type Obj = Record<string, unknown>;
/** `yaml` loaded only when a chart folder is read: a pass without HelmReleases does not load it. */
const parse = async (text: string): Promise<unknown> => (await import("yaml")).parse(text);
const asObj = (v: unknown): Obj => (typeof v === "object" && v !== null ? (v as Obj) : {});

async function dependenciesIn(text: string | undefined): Promise<Dependency[]> {
  if (text === undefined || !text.includes("dependencies")) return [];
  const list = asObj(await parse(text)).dependencies;
  if (!Array.isArray(list)) return [];
  return list
    .map(asObj)
    .filter((d) => typeof d.name === "string" && d.name !== "")
    .map((d) => ({
      name: d.name as string,
      version: typeof d.version === "string" ? d.version : undefined,
      repository: typeof d.repository === "string" ? d.repository : undefined,
      alias: typeof d.alias === "string" && d.alias !== "" ? d.alias : undefined,
    }));
}

/** Whether two repository URLs name the same repository (trailing slashes aside). Pure. */
export function sameRepositoryUrl(a: string, b: string): boolean {
  const normal = (u: string) => u.trim().replace(/\/+$/, "");
  return normal(a) === normal(b);
}

/** Which of `wanted` are not among the chart names in charts/, as Flux counts them. Pure. */
export function missingDependencies(
  wanted: readonly Dependency[],
  present: readonly string[],
): Dependency[] {
  if (present.length === wanted.length) return [];
  return wanted.filter((d) => !present.includes(d.alias ?? d.name));
}

const isLocal = (d: Dependency) => !d.repository || d.repository.startsWith("file://");

/** What Helm accepts as a dependency's alias (Dependency.Validate). */
const ALIAS = /^[a-zA-Z0-9_-]+$/;

/** The name in a packaged chart's Chart.yaml (read from the archive), undefined if none. */
async function packagedName(path: string): Promise<string | undefined> {
  const { extract } = await import("tar-stream");
  const entries = extract();
  let name: string | undefined;
  const consume = async () => {
    for await (const entry of entries) {
      if (name === undefined && chartPathOf(entry.header.name) === "Chart.yaml") {
        const chunks: Buffer[] = [];
        for await (const chunk of entry) chunks.push(chunk as Buffer);
        const read = asObj(await parse(Buffer.concat(chunks).toString("utf8"))).name;
        name = typeof read === "string" ? read : "";
      } else entry.resume();
    }
  };
  // Both at once: a corrupt archive rejects the reading and the loop together.
  await Promise.all([pipeline(createReadStream(path), createGunzip(), entries), consume()]);
  return name;
}

/**
 * The names of the charts in a chart folder's charts/ (folders and packages), as Helm's
 * loader finds them: names starting with `_` or `.` skipped, a symlink followed while it
 * stays inside the source.
 */
async function chartsPresent(chartDir: string, sourceRoot: string): Promise<string[]> {
  const dir = join(chartDir, "charts");
  const entries = await readdir(dir).catch(() => []);
  const names: string[] = [];
  for (const entry of entries) {
    if (entry.startsWith("_") || entry.startsWith(".")) continue;
    const path = await confine(sourceRoot, join(dir, entry)).catch(() => undefined);
    const info = path ? await stat(path).catch(() => undefined) : undefined;
    if (!path || !info) continue;
    if (info.isDirectory()) {
      const text = await readFile(join(path, "Chart.yaml"), "utf8").catch(() => undefined);
      const name = text === undefined ? undefined : asObj(await parse(text)).name;
      if (typeof name === "string") names.push(name);
    } else if (entry.endsWith(".tgz")) {
      const name = await packagedName(path).catch(() => undefined);
      if (name) names.push(name);
    }
  }
  return names;
}

/** A local dependency's folder: under the chart, not leaving the source (symlinks resolved). */
async function localFolder(chartDir: string, sourceRoot: string, dep: Dependency): Promise<string> {
  const relative = (dep.repository ?? "").replace(/^file:\/\//, "");
  try {
    return await confine(sourceRoot, resolve(chartDir, relative), `'${dep.repository}'`);
  } catch (error) {
    throw new ChartError(
      "InvalidChartReference",
      `failed to add local dependency '${dep.name}': ${(error as Error).message}`,
    );
  }
}

/**
 * The chart folder `chart` (from the Git checkout `sourceRoot`) with its missing
 * dependencies in charts/; the chart itself when none is missing.
 */
export async function withDependencies(
  chart: FetchedChart,
  sourceRoot: string,
  cacheDir: string,
  pull: PullDependency,
): Promise<FetchedChart> {
  const read = (name: string) => readFile(join(chart.path, name), "utf8").catch(() => undefined);
  // Helm's loader reads apiVersion v1's requirements.yaml/.lock as Chart.yaml/.lock.
  const lockText = (await read("Chart.lock")) ?? (await read("requirements.lock"));
  const lock = await dependenciesIn(lockText);
  const listed = await dependenciesIn(await read("Chart.yaml"));
  const wanted =
    lock.length > 0
      ? lock
      : listed.length > 0
        ? listed
        : await dependenciesIn(await read("requirements.yaml"));
  if (wanted.length === 0) return chart;
  const missing = missingDependencies(wanted, await chartsPresent(chart.path, sourceRoot));
  if (missing.length === 0) return chart;
  for (const dep of missing)
    if (dep.alias !== undefined && !ALIAS.test(dep.alias))
      throw new ChartError(
        "InvalidChartReference",
        `dependency '${dep.name}': alias '${dep.alias}' is not valid (letters, digits, _ and - only)`,
      );

  // Each missing dependency: a folder to copy or a package to place, and its digest.
  // Their names in charts/ are the build's own (Helm reads a subchart by its
  // Chart.yaml): no name from a repository or its index becomes a path.
  const added: { name: string; from: string; file: string; digest: string }[] = [];
  let fromCache: string | undefined;
  for (const dep of missing) {
    if (isLocal(dep)) {
      const folder = await localFolder(chart.path, sourceRoot, dep);
      const text = await readFile(join(folder, "Chart.yaml"), "utf8").catch(() => undefined);
      if (text === undefined) {
        throw new ChartError(
          "ChartNotFound",
          `failed to add local dependency '${dep.name}': no chart found at '${dep.repository}'`,
        );
      }
      const version = String(asObj(await parse(text)).version ?? "");
      selectVersion(
        [{ version }],
        dep.version,
        `local dependency '${dep.name}' at '${dep.repository}'`,
      );
      const local = await chartFromFolder(folder, `${dep.repository}`);
      added.push({
        name: dep.name,
        from: folder,
        file: `tether-dependency-${added.length}`,
        digest: local.digest,
      });
      continue;
    }
    let fetched: FetchedChart;
    try {
      fetched = await pull(dep.repository ?? "", dep.name, dep.version);
    } catch (error) {
      const reason = error instanceof ChartError ? error.reason : "ChartPullFailed";
      throw new ChartError(
        reason,
        `failed to add remote dependency '${dep.name}': ${(error as Error).message}`,
      );
    }
    added.push({
      name: dep.name,
      from: fetched.path,
      file: `tether-dependency-${added.length}.tgz`,
      digest: fetched.digest,
    });
    fromCache ??= fetched.fromCache;
  }

  const folderName = chart.path.split(sep).at(-1) ?? "chart";
  const hash = createHash("sha256").update(`${chart.digest}\0${folderName}`);
  for (const a of added) hash.update(`\0${a.file}\0${a.digest}`);
  const digest = hash.digest("hex");
  const out = join(cacheDir, "charts", "with-dependencies", digest);
  const built = join(out, folderName);
  await buildFolderOnce(out, async (dir) => {
    const copy = join(dir, folderName);
    await copyChartFolder(chart.path, copy, sourceRoot);
    await mkdir(join(copy, "charts"), { recursive: true });
    for (const a of added) {
      const target = join(copy, "charts", a.file);
      if (a.file.endsWith(".tgz")) await copyFile(a.from, target);
      else await copyChartFolder(a.from, target, sourceRoot);
    }
  });
  return {
    ...chart,
    digest: `sha256:${digest}`,
    path: built,
    ...(fromCache ? { fromCache } : {}),
  };
}
