// A Helm repository's index.yaml: downloaded to disk (streamed, hashed while written,
// revalidated with ETag / If-None-Match), then read one chart at a time. Public
// indexes run to tens of MB (every version of every chart); the agent's memory budget
// cannot hold them parsed, so only the lines of the chart asked for are parsed.
//
// The cache is per repository *and credentials*: an index one Secret fetched is never
// served to another Secret, nor to none, not even offline. A refusal (401/403) fails;
// only an outage (network error, 5xx, ...) falls back to the copy on disk.
import { createHash, pbkdf2 } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { pipeline } from "node:stream/promises";
import { parse } from "yaml";
import { redactUrl } from "../util/redact.ts";
import { ChartError } from "./errors.ts";
import { httpGet, type RepositoryAuth, statusError } from "./http.ts";

export interface ChartVersionEntry {
  name: string;
  version: string;
  urls: string[];
  /** sha256 hex of the package, when the index has it. */
  digest?: string | undefined;
  appVersion?: string | undefined;
}

export interface CachedIndex {
  /** The index URL as asked for, user info and all: in memory only, never written. */
  url: string;
  file: string;
  /** sha256 of the index bytes: the HelmRepository artifact revision. */
  digest: string;
  etag?: string | undefined;
  /** false when the server answered 304 and the cached copy was used. */
  downloaded: boolean;
  /**
   * Why the repository could not be read, when the copy on disk was used instead (an
   * unreachable server, an HTTP error): what was fetched before is still served, as
   * source-controller keeps serving its last artifact.
   */
  unreachable?: string | undefined;
}

/** meta.json beside index.yaml. No URL: it may hold user info or a token. */
interface IndexMeta {
  digest: string;
  etag?: string;
}

/** The index URL of a repository URL (a trailing index.yaml is allowed, as Helm does). */
export function indexUrlOf(repositoryUrl: string): string {
  if (/\/index\.ya?ml$/.test(repositoryUrl)) return repositoryUrl;
  return `${repositoryUrl.replace(/\/+$/, "")}/index.yaml`;
}

/**
 * Indexes by URL + credentials (v2). Older versions wrote `indexes/`, keyed by the URL
 * alone, with the full URL (user info included) in meta.json: removed unread.
 */
const INDEXES = "indexes.v2";
const LEGACY_INDEXES = "indexes";

/**
 * Where the index of `url` fetched with `auth` is cached: a hash of the URL without its
 * secrets and of the credentials' fingerprint (empty when there are none, so public
 * repositories keep one copy).
 */
async function dirFor(cacheDir: string, url: string, auth?: RepositoryAuth): Promise<string> {
  const shown = redactUrl(url);
  const fingerprint = await fingerprintOf(shown, credentialsIn(url, auth));
  const name = createHash("sha256").update(`${shown}\n${fingerprint}`).digest("hex").slice(0, 32);
  return join(cacheDir, INDEXES, name);
}

/** What authenticates a request: user info or a token in the URL, basic auth, a client key. */
function credentialsIn(url: string, auth?: RepositoryAuth): string[] {
  const material = [
    redactUrl(url) === url ? "" : url,
    auth?.username ?? "",
    auth?.password ?? "",
    auth?.cert ?? "",
    auth?.key ?? "",
  ];
  return material.some(Boolean) ? material : [];
}

// Fingerprints computed, by a fast hash of what they are of (in memory only).
const fingerprints = new Map<string, Promise<string>>();

/**
 * A slow, salted hash of the credentials (PBKDF2, salted with the URL): the folder name
 * is on disk, and a fast hash of a weak password would give the password away.
 * Computed once per process and credentials.
 */
export function fingerprintOf(salt: string, material: string[]): Promise<string> {
  if (material.length === 0) return Promise.resolve("");
  const key = createHash("sha256")
    .update(JSON.stringify([salt, material]))
    .digest("hex");
  let fingerprint = fingerprints.get(key);
  if (!fingerprint) {
    if (fingerprints.size >= 256) fingerprints.clear();
    fingerprint = new Promise((done, fail) =>
      pbkdf2(JSON.stringify(material), salt, 100_000, 32, "sha256", (error, bytes) =>
        error ? fail(error) : done(bytes.toString("hex")),
      ),
    );
    fingerprints.set(key, fingerprint);
  }
  return fingerprint;
}

// Cache folders whose older-version index folder was removed (once per process).
const legacyRemoved = new Map<string, Promise<void>>();

function removeLegacyIndexes(cacheDir: string): Promise<void> {
  let removing = legacyRemoved.get(cacheDir);
  if (!removing) {
    removing = rm(join(cacheDir, LEGACY_INDEXES), { recursive: true, force: true }).catch(
      () => undefined,
    );
    legacyRemoved.set(cacheDir, removing);
  }
  return removing;
}

// Fetches in flight, by URL and credentials: HelmReleases of one repository reconciled
// at once share one request and one write of the file (two writers of the same
// temporary file made one of them fail with ENOENT on rename).
const inFlight = new Map<string, Promise<CachedIndex>>();

/** Fetches the index of `repositoryUrl` into `cacheDir`, revalidating a cached copy. */
export function fetchIndex(
  repositoryUrl: string,
  cacheDir: string,
  auth?: RepositoryAuth,
): Promise<CachedIndex> {
  const url = indexUrlOf(repositoryUrl);
  // A key in memory only: a fetch with other credentials (or CA) is not shared.
  const key = createHash("sha256")
    .update(JSON.stringify([cacheDir, url, auth ?? null]))
    .digest("hex");
  const running = inFlight.get(key);
  if (running) return running;
  const fetching = (async () => {
    await removeLegacyIndexes(cacheDir);
    return download(url, await dirFor(cacheDir, url, auth), auth);
  })().finally(() => inFlight.delete(key));
  inFlight.set(key, fetching);
  return fetching;
}

async function download(url: string, dir: string, auth?: RepositoryAuth): Promise<CachedIndex> {
  const file = join(dir, "index.yaml");
  const meta = await readFile(join(dir, "meta.json"), "utf8")
    .then((t) => JSON.parse(t) as IndexMeta)
    .catch(() => undefined);
  const cached = (unreachable?: string): CachedIndex | undefined =>
    meta
      ? { url, file, digest: meta.digest, etag: meta.etag, downloaded: false, unreachable }
      : undefined;
  let res: Awaited<ReturnType<typeof httpGet>>;
  try {
    res = await httpGet(url, {
      auth,
      headers: meta?.etag ? { "if-none-match": meta.etag } : {},
    });
  } catch (error) {
    const offline = await usable(cached((error as Error).message));
    if (offline) return offline;
    throw error;
  }
  if (res.statusCode === 304 && meta) {
    res.resume();
    return cached() as CachedIndex;
  }
  if ((res.statusCode ?? 0) < 200 || (res.statusCode ?? 0) > 299) {
    const error = statusError(url, res, "index of");
    // A refusal (401/403) is the server's answer to these credentials, not an outage:
    // what was cached before is not served to them.
    if (error.reason === "AuthenticationFailed") throw error;
    const offline = await usable(cached(error.message));
    if (offline) return offline;
    throw error;
  }
  await mkdir(dir, { recursive: true });
  const hash = createHash("sha256");
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  res.on("data", (chunk: Buffer) => hash.update(chunk));
  try {
    await pipeline(res, createWriteStream(tmp));
  } catch (error) {
    await rm(tmp, { force: true });
    throw new ChartError(
      "IndexFetchFailed",
      `index of ${redactUrl(url)}: ${(error as Error).message}`,
    );
  }
  const digest = `sha256:${hash.digest("hex")}`;
  await rename(tmp, file);
  const etag = typeof res.headers.etag === "string" ? res.headers.etag : undefined;
  const written: IndexMeta = { digest, ...(etag ? { etag } : {}) };
  await writeFile(join(dir, "meta.json"), JSON.stringify(written));
  entriesMemo.clear();
  return { url, file, digest, etag, downloaded: true };
}

/** The cached index when its file is still on disk. */
async function usable(index: CachedIndex | undefined): Promise<CachedIndex | undefined> {
  if (!index) return undefined;
  return (await stat(index.file).catch(() => undefined))?.isFile() ? index : undefined;
}

// Entries read per (index digest, chart): 100 HelmReleases of one chart scan the file once.
const entriesMemo = new Map<string, ChartVersionEntry[]>();
const MEMO_LIMIT = 64;

/** The versions of `chart` listed in the index file (empty when it has none). */
export async function readChartEntries(
  index: Pick<CachedIndex, "file" | "digest">,
  chart: string,
): Promise<ChartVersionEntry[]> {
  const key = `${index.digest}\0${chart}`;
  const hit = entriesMemo.get(key);
  if (hit) return hit;
  const entries = await scanEntries(index.file, chart);
  if (entriesMemo.size >= MEMO_LIMIT) entriesMemo.delete(entriesMemo.keys().next().value as string);
  entriesMemo.set(key, entries);
  return entries;
}

const unquote = (s: string) => s.replace(/^(["'])(.*)\1$/, "$2");

/**
 * Line scan of `entries:` for one chart, as `helm repo index` and chart servers write
 * it (block YAML, one key per chart at a fixed indent). Anything else (a JSON index,
 * flow style) is parsed whole: correct, only not frugal.
 */
async function scanEntries(file: string, chart: string): Promise<ChartVersionEntry[]> {
  const lines = createInterface({ input: createReadStream(file, "utf8"), crlfDelay: Infinity });
  let inEntries = false;
  let sawEntries = false;
  let chartIndent = -1;
  let collecting = false;
  const block: string[] = [];
  for await (const line of lines) {
    if (line.trim() === "" || line.trimStart().startsWith("#")) {
      if (collecting) block.push(line);
      continue;
    }
    const indent = line.length - line.trimStart().length;
    if (indent === 0) {
      if (collecting) break;
      inEntries = /^entries:\s*$/.test(line);
      sawEntries ||= inEntries;
      if (/^entries:\s*\S/.test(line)) return parseWhole(file, chart);
      continue;
    }
    if (!inEntries) continue;
    if (chartIndent < 0) chartIndent = indent;
    if (indent === chartIndent && !line.trimStart().startsWith("-")) {
      if (collecting) break;
      const m = /^\s*(.+?):\s*$/.exec(line);
      if (!m) return parseWhole(file, chart);
      collecting = unquote(m[1] ?? "") === chart;
      continue;
    }
    if (collecting) block.push(line);
  }
  if (!sawEntries) return parseWhole(file, chart);
  if (block.length === 0) return [];
  return toEntries(parse(`x:\n${block.join("\n")}`)?.x, chart);
}

async function parseWhole(file: string, chart: string): Promise<ChartVersionEntry[]> {
  const doc = parse(await readFile(file, "utf8")) as { entries?: Record<string, unknown> } | null;
  return toEntries(doc?.entries?.[chart], chart);
}

function toEntries(raw: unknown, chart: string): ChartVersionEntry[] {
  if (!Array.isArray(raw)) return [];
  const out: ChartVersionEntry[] = [];
  for (const item of raw) {
    if (typeof item !== "object" || item === null) continue;
    const e = item as Record<string, unknown>;
    if (e.version === undefined || !Array.isArray(e.urls)) continue;
    out.push({
      name: typeof e.name === "string" ? e.name : chart,
      version: String(e.version),
      urls: e.urls.map(String),
      ...(typeof e.digest === "string" && e.digest ? { digest: e.digest } : {}),
      ...(e.appVersion !== undefined ? { appVersion: String(e.appVersion) } : {}),
    });
  }
  return out;
}
