#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  redactUrl
} from "./chunk-KVDOGNFO.js";
import {
  confine
} from "./chunk-C4RKCN44.js";
import {
  ChartError
} from "./chunk-SGKLXC2P.js";

// shared/charts/strategy.ts
const { createHash } = require("node:crypto");
const { readFile, writeFile } = require("node:fs/promises");
const { basename: basename2, join: join2, sep } = require("node:path");

// shared/charts/built-folder.ts
const { cp, lstat, mkdir, mkdtemp, readdir, rename, rm, stat, utimes } = require("node:fs/promises");
const { basename, dirname, join } = require("node:path");
var building = /* @__PURE__ */ new Map();
var UNUSED_DAYS = 7;
var UNUSED_MS = UNUSED_DAYS * 24 * 3600 * 1e3;
var usedHere = /* @__PURE__ */ new Map();
var monotonicMs = () => Number(process.hrtime.bigint() / 1000000n);
var markUsed = (path) => usedHere.set(path, monotonicMs());
async function pruneUnused(kept) {
  const parent = dirname(kept);
  const before = Date.now() - UNUSED_MS;
  for (const name of await readdir(parent).catch(() => [])) {
    const path = join(parent, name);
    if (path === kept) continue;
    const used = usedHere.get(path);
    if (used !== void 0 && monotonicMs() - used < UNUSED_MS) continue;
    const info = await stat(path).catch(() => void 0);
    if (info && info.mtimeMs < before) {
      await rm(path, { recursive: true, force: true });
      usedHere.delete(path);
    }
  }
}
async function buildFolderOnce(final, build) {
  if (await stat(final).catch(() => void 0)) {
    markUsed(final);
    const now = /* @__PURE__ */ new Date();
    await utimes(final, now, now).catch(() => void 0);
    return;
  }
  const running = building.get(final);
  if (running) return running;
  const work = (async () => {
    await mkdir(dirname(final), { recursive: true });
    const partial = await mkdtemp(`${final}.partial-`);
    markUsed(partial);
    try {
      await build(partial);
      await rename(partial, final).catch((error) => {
        if (error.code !== "ENOTEMPTY" && error.code !== "EEXIST") throw error;
      });
      markUsed(final);
    } finally {
      usedHere.delete(partial);
      await rm(partial, { recursive: true, force: true });
    }
  })();
  building.set(final, work);
  try {
    await work;
  } finally {
    building.delete(final);
  }
  await pruneUnused(final);
}
async function copyChartFolder(from, to, sourceRoot) {
  await cp(from, to, {
    recursive: true,
    dereference: true,
    filter: async (source) => {
      if (!(await lstat(source)).isSymbolicLink()) return true;
      await confine(sourceRoot, source, `${basename(from)}/${source.slice(from.length + 1)}`).catch(
        (error) => {
          throw new ChartError("InvalidChartReference", error.message);
        }
      );
      return true;
    }
  });
}

// shared/charts/strategy.ts
function reconcileStrategyOf(spec, where) {
  const value = spec.reconcileStrategy;
  if (value === void 0 || value === "" || value === "ChartVersion") return "ChartVersion";
  if (value === "Revision") return "Revision";
  throw new ChartError(
    "InvalidChartReference",
    `${where}: reconcileStrategy ${JSON.stringify(value)} is not ChartVersion or Revision`
  );
}
var SEMVER = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;
function revisionVersion(version, revision, where) {
  const m = SEMVER.exec(version);
  if (!m) {
    throw new ChartError(
      "InvalidChartReference",
      `${where}: chart version '${version}' is not a SemVer, so reconcileStrategy Revision cannot add the revision to it`
    );
  }
  const core = `${Number(m[1])}.${Number(m[2] ?? 0)}.${Number(m[3] ?? 0)}`;
  return `${core}${m[4] ? `-${m[4]}` : ""}+${revision.slice(0, 12)}`;
}
function chartIdentity(strategy, chart, valuesFiles) {
  const parts = strategy === "Revision" ? [strategy, chart.name, chart.version, chart.digest] : [strategy, chart.name, chart.version, JSON.stringify(valuesFiles ?? null)];
  return `sha256:${createHash("sha256").update(parts.join("\0")).digest("hex")}`;
}
async function withStrategy(chart, strategy, revision, valuesFiles, cacheDir, sourceRoot) {
  const contentDigest = chart.digest;
  if (strategy === "ChartVersion") {
    return { ...chart, digest: chartIdentity(strategy, chart, valuesFiles), contentDigest };
  }
  const rev = revision ?? contentDigest.replace(/^sha256:/, "");
  const version = revisionVersion(chart.version, rev, chart.source);
  const folderName = basename2(chart.path);
  const key = createHash("sha256").update(`${contentDigest}\0${folderName}\0${version}`).digest("hex");
  const out = join2(cacheDir, "charts", "revision", key);
  const inside = sourceRoot && chart.path.startsWith(`${sourceRoot}${sep}`);
  await buildFolderOnce(out, async (dir) => {
    const copy = join2(dir, folderName);
    await copyChartFolder(chart.path, copy, inside ? sourceRoot : chart.path);
    const file = join2(copy, "Chart.yaml");
    const { parseDocument } = await import("./dist-E773PDCR.js");
    const doc = parseDocument(await readFile(file, "utf8"));
    doc.set("version", version);
    await writeFile(file, doc.toString());
  });
  const versioned = { ...chart, version, path: join2(out, folderName) };
  return { ...versioned, digest: chartIdentity(strategy, versioned, valuesFiles) };
}

// shared/charts/values-files.ts
const { createHash: createHash2 } = require("node:crypto");
const { lstat: lstat2, readFile: readFile2, writeFile: writeFile2 } = require("node:fs/promises");
const { join: join3, posix, sep: sep2 } = require("node:path");
var isMap = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
function mergeValues(base, over) {
  const out = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    out[key] = isMap(current) && isMap(value) ? mergeValues(current, value) : value;
  }
  return out;
}
function valuesFilesOf(spec) {
  const listed = Array.isArray(spec.valuesFiles) ? spec.valuesFiles.filter((f) => typeof f === "string") : [];
  const single = typeof spec.valuesFile === "string" ? spec.valuesFile : "";
  const files = single && !listed.includes(single) ? [single, ...listed] : listed;
  if (files.length === 0) return void 0;
  return { files, ignoreMissing: spec.ignoreMissingValuesFiles === true };
}
async function readValues(text, name) {
  const { LineCounter, parseAllDocuments } = await import("./dist-E773PDCR.js");
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { version: "1.1", prettyErrors: false, lineCounter: lines });
  const first = Array.isArray(docs) ? docs[0] : void 0;
  const error = first?.errors[0];
  if (error) {
    const { line, col } = lines.linePos(error.pos[0]);
    throw new ChartError(
      "ValuesFilesError",
      `unmarshaling values from '${name}' failed: ${error.code.toLowerCase().replaceAll("_", " ")} at line ${line}, column ${col}`
    );
  }
  const value = first?.toJS({ maxAliasCount: 100 });
  if (value === null || value === void 0) return {};
  if (!isMap(value)) {
    throw new ChartError("ValuesFilesError", `values file '${name}' is not a map of values`);
  }
  return value;
}
function isChartFile(name) {
  if (name.startsWith("templates/") || name.startsWith("charts/")) return false;
  return ![
    "Chart.yaml",
    "Chart.lock",
    "values.schema.json",
    "requirements.yaml",
    "requirements.lock"
  ].includes(name);
}
async function locate(name, root, inGit) {
  let path;
  if (inGit) {
    try {
      path = await confine(root, name === "" ? "." : name, name);
    } catch (error) {
      throw new ChartError("ValuesFilesError", `values file ${error.message}`);
    }
  } else {
    const clean = posix.normalize(name);
    if (clean !== "values.yaml" && (clean.startsWith("/") || clean.startsWith("../") || !isChartFile(clean)))
      return void 0;
    path = join3(root, clean);
  }
  const info = await lstat2(path).catch(() => void 0);
  if (!info) return void 0;
  if (!info.isFile())
    throw new ChartError("ValuesFilesError", `no values file found at path '${name}'`);
  return path;
}
async function withValuesFiles(chart, files, cacheDir, sourceRoot) {
  let chartDir = chart.path;
  if (!sourceRoot) {
    chartDir = join3(cacheDir, "charts", "unpacked", chart.digest.replace(/^sha256:/, ""));
    const { unpackChart } = await import("./unpack-BCCMSYS4.js");
    await buildFolderOnce(chartDir, (dir) => unpackChart(chart.path, dir, chart.source));
  }
  const ownValues = join3(chartDir, "values.yaml");
  if (!(await lstat2(ownValues).catch(() => void 0))?.isFile()) {
    throw new ChartError("ValuesFilesError", `${chart.source}: the chart has no values.yaml`);
  }
  let merged = {};
  const used = [];
  for (const name of files.files) {
    const path = await locate(name, sourceRoot ?? chartDir, sourceRoot !== void 0);
    if (!path) {
      if (files.ignoreMissing) continue;
      throw new ChartError("ValuesFilesError", `no values file found at path '${name}'`);
    }
    merged = mergeValues(merged, await readValues(await readFile2(path, "utf8"), name));
    used.push(name);
  }
  const folderName = sourceRoot ? chartDir.split(sep2).at(-1) ?? "chart" : "chart";
  const digest = createHash2("sha256").update(`${chart.digest}\0${folderName}\0${JSON.stringify(used)}\0${JSON.stringify(merged)}`).digest("hex");
  const out = join3(cacheDir, "charts", "values-files", digest);
  await buildFolderOnce(out, async (dir) => {
    const copy = join3(dir, folderName);
    await copyChartFolder(chartDir, copy, sourceRoot ?? chartDir);
    await writeFile2(
      join3(copy, "values.yaml"),
      Object.keys(merged).length > 0 ? `${JSON.stringify(merged, null, 2)}
` : ""
    );
  });
  return {
    ...chart,
    digest: `sha256:${digest}`,
    path: join3(out, folderName),
    source: `${chart.source} with values files ${used.join(", ") || "(none found)"}`
  };
}

// shared/charts/reference.ts
var HELM_RELEASE_V2 = "helm.toolkit.fluxcd.io";
var HELM_RELEASE_V1 = "helm.fluxcd.io";
function isHelmRelease(object) {
  return object.kind === "HelmRelease" && (object.apiVersion.startsWith(`${HELM_RELEASE_V2}/`) || object.apiVersion.startsWith(`${HELM_RELEASE_V1}/`));
}
var asObj = (v) => typeof v === "object" && v !== null ? v : {};
var str = (v) => typeof v === "string" && v !== "" ? v : void 0;
function chartReferenceOf(release) {
  const spec = asObj(release.spec);
  const namespace = release.metadata.namespace ?? "default";
  const name = `HelmRelease ${namespace}/${release.metadata.name}`;
  if (release.apiVersion.startsWith(`${HELM_RELEASE_V1}/`)) {
    const chart = asObj(spec.chart);
    const git = str(chart.git);
    if (git) {
      return { from: "git", url: git, path: str(chart.path) ?? ".", ref: str(chart.ref) };
    }
    const url = str(chart.repository);
    const chartName = str(chart.name);
    if (url && chartName)
      return { from: "url", url, chart: chartName, version: str(chart.version) };
    throw new ChartError(
      "InvalidChartReference",
      `${name}: spec.chart needs git or repository + name`
    );
  }
  const chartRef = asObj(spec.chartRef);
  if (str(chartRef.kind)) {
    const kind = str(chartRef.kind);
    const source = {
      kind,
      namespace: str(chartRef.namespace) ?? namespace,
      name: str(chartRef.name) ?? ""
    };
    if (kind === "OCIRepository") return { from: "OCIRepository", source };
    if (kind === "HelmChart") return { from: "HelmChart", source };
    throw new ChartError(
      "InvalidChartReference",
      `${name}: chartRef kind ${kind} is not supported (use OCIRepository or HelmChart, or spec.chart)`
    );
  }
  const template = asObj(spec.chart);
  const tspec = asObj(template.spec);
  if (str(template.kind) === "OCIRepository") {
    const url = str(tspec.url);
    if (!url)
      throw new ChartError("InvalidChartReference", `${name}: spec.chart.spec.url is required`);
    return {
      from: "OCIRepository",
      spec: {
        url,
        ref: asObj(tspec.ref),
        insecure: tspec.insecure === true,
        ...str(asObj(tspec.secretRef).name) ? { secretRef: { name: str(asObj(tspec.secretRef).name) } } : {}
      }
    };
  }
  return chartSpecReference(
    tspec,
    str(asObj(tspec.sourceRef).namespace) ?? namespace,
    `${name}: spec.chart.spec`
  );
}
function helmChartReference(helmChart) {
  const namespace = helmChart.metadata.namespace ?? "default";
  return chartSpecReference(
    asObj(helmChart.spec),
    namespace,
    `HelmChart ${namespace}/${helmChart.metadata.name}: spec`
  );
}
function chartSpecReference(spec, sourceNamespace, where) {
  const chart = str(spec.chart);
  const sourceRef = asObj(spec.sourceRef);
  const kind = str(sourceRef.kind);
  if (!chart || !kind || !str(sourceRef.name)) {
    throw new ChartError(
      "InvalidChartReference",
      `${where} needs chart and sourceRef (or use spec.chartRef)`
    );
  }
  const source = {
    kind,
    namespace: sourceNamespace,
    name: str(sourceRef.name)
  };
  const files = valuesFilesOf(spec);
  const valuesFiles = files ? { valuesFiles: files } : {};
  if (kind === "HelmRepository")
    return { from: "HelmRepository", source, chart, version: str(spec.version), ...valuesFiles };
  if (kind === "GitRepository")
    return {
      from: "GitRepository",
      source,
      path: chart,
      ...valuesFiles,
      strategy: reconcileStrategyOf(spec, where)
    };
  throw new ChartError(
    "InvalidChartReference",
    `${where}: charts from a ${kind} are not supported (HelmRepository, GitRepository or OCIRepository)`
  );
}
function describeChartReference(ref) {
  switch (ref.from) {
    case "HelmRepository":
      return `${ref.chart}@${ref.version ?? "*"} from HelmRepository/${ref.source.namespace}/${ref.source.name}`;
    case "GitRepository":
      return `${ref.path} from GitRepository/${ref.source.namespace}/${ref.source.name}`;
    case "HelmChart":
      return `HelmChart/${ref.source.namespace}/${ref.source.name}`;
    case "OCIRepository":
      return ref.source ? `OCIRepository/${ref.source.namespace}/${ref.source.name}` : ref.spec ? redactUrl(ref.spec.url) : "?";
    case "url":
      return `${ref.chart}@${ref.version ?? "*"} from ${redactUrl(ref.url)}`;
    case "git":
      return `${ref.path} from ${redactUrl(ref.url)}${ref.ref ? `@${ref.ref}` : ""}`;
  }
}

export {
  buildFolderOnce,
  copyChartFolder,
  withStrategy,
  isMap,
  mergeValues,
  withValuesFiles,
  HELM_RELEASE_V2,
  HELM_RELEASE_V1,
  isHelmRelease,
  chartReferenceOf,
  helmChartReference,
  describeChartReference
};
