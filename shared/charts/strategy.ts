// A HelmChart's `reconcileStrategy` for a chart folder in a Git source: what counts as
// a new chart (and so a Helm upgrade), and the version the chart carries. Flux applies
// it to GitRepository and Bucket sources only (a HelmRepository's versions are
// immutable). As source-controller builds the chart:
// - ChartVersion (the default): a new chart only when Chart.yaml's version changes. An
//   edit to the folder, its dependencies or its values files under the same version is
//   not one: source-controller keeps the chart it built for that version.
// - Revision: a new chart on every new source revision, its version's build metadata
//   set to the first 12 hex of the commit (`0.1.0+0123456789ab`), so Helm records it.
// The decisions are pure; withStrategy is the thin step that writes the versioned copy.
import { createHash } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { basename, join, sep } from "node:path";
import { buildFolderOnce, copyChartFolder } from "./built-folder.ts";
import { ChartError } from "./errors.ts";
import type { FetchedChart } from "./pull.ts";
import type { ValuesFiles } from "./values-files.ts";

export type ReconcileStrategy = "ChartVersion" | "Revision";

/** A HelmChart spec's reconcileStrategy (ChartVersion when unset). Pure. */
export function reconcileStrategyOf(
  spec: Record<string, unknown>,
  where: string,
): ReconcileStrategy {
  const value = spec.reconcileStrategy;
  if (value === undefined || value === "" || value === "ChartVersion") return "ChartVersion";
  if (value === "Revision") return "Revision";
  throw new ChartError(
    "InvalidChartReference",
    `${where}: reconcileStrategy ${JSON.stringify(value)} is not ChartVersion or Revision`,
  );
}

const SEMVER = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

/**
 * `version` with its build metadata replaced by the first 12 characters of `revision`,
 * as source-controller sets it (a SemVer it normalises: `v1.2` is `1.2.0`). Pure.
 */
export function revisionVersion(version: string, revision: string, where: string): string {
  const m = SEMVER.exec(version);
  if (!m) {
    throw new ChartError(
      "InvalidChartReference",
      `${where}: chart version '${version}' is not a SemVer, so reconcileStrategy Revision cannot add the revision to it`,
    );
  }
  const core = `${Number(m[1])}.${Number(m[2] ?? 0)}.${Number(m[3] ?? 0)}`;
  return `${core}${m[4] ? `-${m[4]}` : ""}+${revision.slice(0, 12)}`;
}

/**
 * The chart's identity, the digest that decides an upgrade: under ChartVersion its name,
 * version and values-files list (what makes source-controller build anew); under
 * Revision also its content, though the version already changes with every revision.
 * Pure.
 */
export function chartIdentity(
  strategy: ReconcileStrategy,
  chart: { name: string; version: string; digest: string },
  valuesFiles: ValuesFiles | undefined,
): string {
  const parts =
    strategy === "Revision"
      ? [strategy, chart.name, chart.version, chart.digest]
      : [strategy, chart.name, chart.version, JSON.stringify(valuesFiles ?? null)];
  return `sha256:${createHash("sha256").update(parts.join("\0")).digest("hex")}`;
}

/**
 * The chart of a Git folder under `strategy`: its identity as digest, and under
 * Revision a copy whose Chart.yaml carries the suffixed version. `revision` is the
 * source's commit; without one (a folder that is not a checkout) the content digest
 * stands in, as a Bucket's digest does in Flux. `sourceRoot` is the checkout the chart
 * may be a folder of (its symlinks stay inside it). Under ChartVersion the digest before
 * this step is kept as `contentDigest`: Tether recorded it for the same chart before it
 * served the strategy, and a release made so is not upgraded for the new identity alone
 * (under Revision it is, once, to carry the suffixed version).
 */
export async function withStrategy(
  chart: FetchedChart,
  strategy: ReconcileStrategy,
  revision: string | undefined,
  valuesFiles: ValuesFiles | undefined,
  cacheDir: string,
  sourceRoot: string | undefined,
): Promise<FetchedChart> {
  const contentDigest = chart.digest;
  if (strategy === "ChartVersion") {
    return { ...chart, digest: chartIdentity(strategy, chart, valuesFiles), contentDigest };
  }
  const rev = revision ?? contentDigest.replace(/^sha256:/, "");
  const version = revisionVersion(chart.version, rev, chart.source);
  const folderName = basename(chart.path);
  const key = createHash("sha256")
    .update(`${contentDigest}\0${folderName}\0${version}`)
    .digest("hex");
  const out = join(cacheDir, "charts", "revision", key);
  const inside = sourceRoot && chart.path.startsWith(`${sourceRoot}${sep}`);
  await buildFolderOnce(out, async (dir) => {
    const copy = join(dir, folderName);
    await copyChartFolder(chart.path, copy, inside ? sourceRoot : chart.path);
    const file = join(copy, "Chart.yaml");
    // Loaded only here: most passes never version a chart.
    const { parseDocument } = await import("yaml");
    const doc = parseDocument(await readFile(file, "utf8"));
    doc.set("version", version);
    await writeFile(file, doc.toString());
  });
  const versioned = { ...chart, version, path: join(out, folderName) };
  return { ...versioned, digest: chartIdentity(strategy, versioned, valuesFiles) };
}
