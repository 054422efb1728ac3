// Getting a chart package onto disk, one function per kind of source: an HTTP
// repository (index + package), an OCI repository (tags + manifest + chart layer), a
// folder (a GitRepository path or a local chart). Each answers the same FetchedChart,
// whose digest is what "the chart changed" means for a release.
import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, realpath, rename, stat, writeFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { parse } from "yaml";
import type { Credentials } from "../registry/credentials.ts";
import { redactUrl } from "../util/redact.ts";
import { ChartCache } from "./cache.ts";
import { ChartError } from "./errors.ts";
import { httpGet, type RepositoryAuth, statusError } from "./http.ts";
import { fetchIndex, fingerprintOf, readChartEntries } from "./index-file.ts";
import { selectVersion } from "./select.ts";

export interface FetchedChart {
  name: string;
  version: string;
  /** sha256 of the package (or of a folder's files): the release's chart identity. */
  digest: string;
  /** A .tgz package or a chart folder, as `helm` takes either. */
  path: string;
  /** Where it came from, for messages (never with credentials). */
  source: string;
  /** Set when the repository could not be read and the cached index and package were used. */
  fromCache?: string | undefined;
  /**
   * A Git chart under ChartVersion: the digest of its content, which Tether recorded for
   * it before the reconcileStrategy was served (strategy.ts), so that chart counts as
   * the same.
   */
  contentDigest?: string | undefined;
}

export interface HttpRepositoryRequest {
  url: string;
  chart: string;
  version?: string | undefined;
  auth?: RepositoryAuth | undefined;
  /** Send the credentials to package URLs on other hosts too (Flux's passCredentials). */
  passCredentials?: boolean | undefined;
  cacheDir: string;
}

/** A chart from a Helm HTTP repository: index, version by range, package (cached by digest). */
export async function pullFromRepository(req: HttpRepositoryRequest): Promise<FetchedChart> {
  const where = `${req.chart} in ${redactUrl(req.url)}`;
  const index = await fetchIndex(req.url, req.cacheDir, req.auth);
  const entry = selectVersion(await readChartEntries(index, req.chart), req.version, where);
  const cache = new ChartCache(req.cacheDir);
  const listed = entry.digest ? `sha256:${entry.digest.replace(/^sha256:/, "")}` : undefined;
  const cached = listed ? await cache.has(listed) : undefined;
  const base = {
    name: entry.name,
    version: entry.version,
    source: where,
    ...(index.unreachable
      ? {
          fromCache: `repository unreachable (${index.unreachable}); used the cached index and chart`,
        }
      : {}),
  };
  if (listed && cached) return { ...base, digest: listed, path: cached };
  if (index.unreachable) {
    throw new ChartError(
      "IndexFetchFailed",
      `${where}@${entry.version}: ${index.unreachable}; the cached index lists it, but its package is not in the cache`,
    );
  }
  const first = entry.urls[0];
  if (!first)
    throw new ChartError("ChartPullFailed", `${where}@${entry.version}: no URL in the index`);
  const url = new URL(first, index.url).toString();
  const sameHost = new URL(url).host === new URL(index.url).host;
  const res = await httpGet(url, {
    auth:
      sameHost || req.passCredentials
        ? req.auth
        : { ...req.auth, username: undefined, password: undefined },
  });
  if ((res.statusCode ?? 0) !== 200) throw statusError(url, res, "chart package");
  const stored = await cache.store(res);
  if (listed && stored.digest !== listed) {
    throw new ChartError(
      "DigestMismatch",
      `${where}@${entry.version}: the package's digest ${stored.digest} is not the index's ${listed}`,
    );
  }
  return { ...base, digest: stored.digest, path: stored.path };
}

const CHART_LAYER = "application/vnd.cncf.helm.chart.content.v1.tar+gzip";

export interface OciRequest {
  /** oci://host[:port]/path (the HelmRepository URL, or the full chart URL when `chart` is empty). */
  url: string;
  chart?: string | undefined;
  version?: string | undefined;
  /** A tag or digest to take as it is (OCIRepository ref.tag / ref.digest). */
  tag?: string | undefined;
  credentials?: Credentials | undefined;
  /**
   * The Secret the credentials come from (`namespace/name`): the offline record is kept
   * per Secret, so a rotated login still finds what was pulled with the one before.
   */
  credentialsFrom?: string | undefined;
  /** Plain HTTP (HelmRepository / OCIRepository spec.insecure). */
  insecure?: boolean | undefined;
  cacheDir: string;
}

/**
 * What an OCI repository answered before, kept beside the cached charts: the chart
 * layer digest of each tag pulled. When the registry cannot be reached, a
 * version pulled before is served from the cache, as source-controller keeps serving
 * its last artifact, and the chart says so (`fromCache`).
 */
interface OciRecord {
  layers: Record<string, string>;
}

/**
 * Where what a tag or range chose is recorded, for the offline fallback: per URL and
 * login, so a chart pulled with one Secret's login is never served offline to a caller
 * without it. A login from a Secret counts by the Secret's name (a rotated token still
 * finds what the one before pulled); one without a Secret by its slow fingerprint, as
 * the index cache keeps them.
 */
async function ociRecordFile(cacheDir: string, where: string, req: OciRequest): Promise<string> {
  const c = req.credentials;
  const login = c && (c.username || c.password || c.registryToken);
  const material = !login
    ? []
    : req.credentialsFrom
      ? [`secret ${req.credentialsFrom}`]
      : [c.username ?? "", c.password ?? "", c.registryToken ?? ""];
  const fingerprint = await fingerprintOf(where, material);
  const name = createHash("sha256").update(`${where}\n${fingerprint}`).digest("hex").slice(0, 32);
  return join(cacheDir, "oci", `${name}.json`);
}

async function readOciRecord(file: string): Promise<OciRecord> {
  try {
    const r = JSON.parse(await readFile(file, "utf8")) as Partial<OciRecord>;
    return { layers: r.layers ?? {} };
  } catch {
    return { layers: {} };
  }
}

async function writeOciRecord(file: string, update: (r: OciRecord) => OciRecord): Promise<void> {
  const next = update(await readOciRecord(file));
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  await writeFile(tmp, JSON.stringify(next));
  await rename(tmp, file);
}

/** Errors that say the registry could not be reached (network, 429, 5xx), not a refusal. */
function unreachable(error: unknown, isRetryable: (status: number) => boolean): boolean {
  if (error instanceof ChartError) return false;
  const status = (error as { status?: unknown }).status;
  const name = (error as Error).name;
  if (name === "NotFoundError" || name === "AuthError") return false;
  return typeof status !== "number" || isRetryable(status);
}

/** A chart pushed with `helm push`: tags listed, version by range, chart layer (cached by digest). */
export async function pullFromOci(req: OciRequest): Promise<FetchedChart> {
  const m = /^oci:\/\/([^/]+)\/?(.*)$/.exec(req.url.replace(/\/+$/, ""));
  if (!m) throw new ChartError("InvalidChartReference", `${req.url}: not an oci:// URL`);
  const registry = m[1] as string;
  const repository = [m[2], req.chart].filter(Boolean).join("/");
  const where = `oci://${registry}/${repository}`;
  const name = req.chart || repository.split("/").pop() || repository;
  const cache = new ChartCache(req.cacheDir);
  const recordFile = await ociRecordFile(req.cacheDir, where, req);
  // The registry client loads only when an OCI chart is asked for.
  const { RegistryClient } = await import("../registry/client.ts");
  const { isRetryableStatus } = await import("../registry/retry.ts");
  const client = new RegistryClient({
    registry,
    credentials: req.credentials,
    insecure: req.insecure ?? false,
  });
  try {
    let tag = req.tag;
    if (!tag) {
      // OCI tags cannot hold "+": helm push writes build metadata as "_".
      const tags = (await client.listTags(repository)).map((t) => ({
        tag: t,
        version: t.replaceAll("_", "+"),
      }));
      tag = selectVersion(tags, req.version, where).tag;
    }
    const manifest = await client.getManifest(repository, tag);
    const layers = (manifest.json as { layers?: { mediaType?: string; digest?: string }[] }).layers;
    const layer = layers?.find((l) => l.mediaType === CHART_LAYER);
    if (!layer?.digest) {
      throw new ChartError(
        "ChartPullFailed",
        `${where}:${tag}: no Helm chart layer in the artifact`,
      );
    }
    const cached = await cache.has(layer.digest);
    const path =
      cached ?? (await cache.store(await client.openBlob(repository, layer.digest))).path;
    const pulled = tag;
    await writeOciRecord(recordFile, (r) => ({
      layers: { ...r.layers, [pulled]: layer.digest as string },
    })).catch(() => undefined); // only the offline fallback needs it
    return { name, version: tag.replaceAll("_", "+"), digest: layer.digest, path, source: where };
  } catch (error) {
    const message = (error as Error).message;
    if (unreachable(error, isRetryableStatus)) {
      const offline = await cachedOci(req, where, name, await readOciRecord(recordFile), cache);
      if (offline)
        return {
          ...offline,
          fromCache: `registry unreachable (${message}); used the cached chart`,
        };
    }
    if (error instanceof ChartError) throw error;
    throw new ChartError("ChartPullFailed", `${where}: ${message}`);
  } finally {
    client.close();
  }
}

/** The chart a tag or range chose when the registry was last read, if it is still cached. */
async function cachedOci(
  req: OciRequest,
  where: string,
  name: string,
  record: OciRecord,
  cache: ChartCache,
): Promise<FetchedChart | undefined> {
  const present: { tag: string; version: string; path: string; digest: string }[] = [];
  for (const [tag, digest] of Object.entries(record.layers)) {
    const path = await cache.has(digest);
    if (path) present.push({ tag, version: tag.replaceAll("_", "+"), path, digest });
  }
  let chosen: (typeof present)[number] | undefined;
  if (req.tag) chosen = present.find((p) => p.tag === req.tag);
  else {
    try {
      chosen = selectVersion(present, req.version, where);
    } catch {
      return undefined;
    }
  }
  if (!chosen) return undefined;
  return { name, version: chosen.version, digest: chosen.digest, path: chosen.path, source: where };
}

/** A chart folder (a GitRepository path, a local chart): its Chart.yaml and a digest of its files. */
export async function chartFromFolder(dir: string, source: string): Promise<FetchedChart> {
  const text = await readFile(join(dir, "Chart.yaml"), "utf8").catch(() => undefined);
  if (text === undefined) {
    throw new ChartError("ChartNotFound", `${source}: no Chart.yaml in the folder`);
  }
  const meta = (parse(text) ?? {}) as { name?: unknown; version?: unknown };
  const hash = createHash("sha256");
  for (const file of await listFiles(dir)) {
    hash.update(`${relative(dir, file)}\0`);
    hash.update(await readFile(file));
    hash.update("\0");
  }
  return {
    name: String(meta.name ?? ""),
    version: String(meta.version ?? ""),
    digest: `sha256:${hash.digest("hex")}`,
    path: dir,
    source,
  };
}

/**
 * The files of a chart folder, in name order, through symlinked folders too (Helm reads
 * them, so their files are the chart's): each real folder once, so a link loop ends.
 */
async function listFiles(dir: string, seen = new Set<string>()): Promise<string[]> {
  const real = await realpath(dir);
  if (seen.has(real)) return [];
  seen.add(real);
  const out: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const path = join(dir, e.name);
    const info = e.isSymbolicLink() ? await stat(path).catch(() => undefined) : e;
    if (info?.isDirectory()) out.push(...(await listFiles(path, seen)));
    else if (info?.isFile()) out.push(path);
  }
  return out;
}
