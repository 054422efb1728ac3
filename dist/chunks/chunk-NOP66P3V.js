#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  parseCredentialsJson
} from "./chunk-RFGLCAPQ.js";
import {
  compareVersions,
  parseLooseVersion,
  parseSemverRange,
  satisfies
} from "./chunk-ASGSV6PC.js";
import {
  buildFolderOnce,
  copyChartFolder,
  helmChartReference,
  withStrategy,
  withValuesFiles
} from "./chunk-G2PVCOPF.js";
import {
  redactUrl
} from "./chunk-KVDOGNFO.js";
import {
  confine
} from "./chunk-C4RKCN44.js";
import {
  require_dist
} from "./chunk-HPGUIRHG.js";
import {
  chartPathOf
} from "./chunk-PFUBHAN2.js";
import {
  ChartError
} from "./chunk-SGKLXC2P.js";
import {
  __toESM
} from "./chunk-3IQPLNQJ.js";

// shared/charts/dependencies.ts
const { createHash: createHash4 } = require("node:crypto");
const { createReadStream: createReadStream2 } = require("node:fs");
const { copyFile, mkdir: mkdir4, readdir: readdir2, readFile: readFile3, stat: stat4 } = require("node:fs/promises");
const { join: join4, resolve, sep } = require("node:path");
const { pipeline: pipeline3 } = require("node:stream/promises");
const { createGunzip } = require("node:zlib");

// shared/charts/pull.ts
var import_yaml2 = __toESM(require_dist(), 1);
const { createHash: createHash3 } = require("node:crypto");
const { mkdir: mkdir3, readdir, readFile: readFile2, realpath, rename: rename3, stat: stat3, writeFile: writeFile2 } = require("node:fs/promises");
const { dirname, join: join3, relative } = require("node:path");

// shared/charts/cache.ts
const { createHash } = require("node:crypto");
const { createWriteStream } = require("node:fs");
const { mkdir, rename, rm, stat } = require("node:fs/promises");
const { join } = require("node:path");
const { pipeline } = require("node:stream/promises");
var ChartCache = class {
  dir;
  constructor(cacheDir) {
    this.dir = join(cacheDir, "charts");
  }
  pathOf(digest) {
    return join(this.dir, `${digest.replace(":", "-")}.tgz`);
  }
  async has(digest) {
    const path = this.pathOf(digest);
    return (await stat(path).catch(() => void 0))?.isFile() ? path : void 0;
  }
  /** Writes `body` and answers its digest and path. */
  async store(body) {
    await mkdir(this.dir, { recursive: true });
    const tmp = join(
      this.dir,
      `.${process.pid}.${Date.now()}.${Math.random().toString(36).slice(2)}`
    );
    const hash = createHash("sha256");
    body.on("data", (chunk) => hash.update(chunk));
    try {
      await pipeline(body, createWriteStream(tmp));
    } catch (error) {
      await rm(tmp, { force: true });
      throw error;
    }
    const digest = `sha256:${hash.digest("hex")}`;
    const path = this.pathOf(digest);
    await rename(tmp, path);
    return { digest, path };
  }
};

// shared/charts/http.ts
const { request: httpsRequest } = require("node:https");
var { request: httpRequest } = process.getBuiltinModule("node:http");
var MAX_REDIRECTS = 5;
function httpGet(url, options = {}, hops = 0) {
  const target = new URL(url);
  const auth = options.auth;
  const headers = { "user-agent": "tether", ...options.headers };
  if (auth?.username !== void 0 && auth.password !== void 0) {
    headers.authorization = `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString("base64")}`;
  }
  const send = target.protocol === "https:" ? httpsRequest : httpRequest;
  const tls = target.protocol === "https:" ? {
    ...auth?.ca ? { ca: auth.ca } : {},
    ...auth?.cert ? { cert: auth.cert } : {},
    ...auth?.key ? { key: auth.key } : {},
    ...auth?.insecureSkipVerify ? { rejectUnauthorized: false } : {}
  } : {};
  return new Promise((done, fail) => {
    const req = send(target, { method: "GET", headers, ...tls }, (res) => {
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      if (status >= 300 && status < 400 && status !== 304 && location) {
        res.resume();
        if (hops >= MAX_REDIRECTS) {
          fail(new ChartError("IndexFetchFailed", `${redactUrl(url)}: too many redirects`));
          return;
        }
        const next = new URL(location, target);
        const same = next.host === target.host;
        done(httpGet(next.toString(), same ? options : { ...options, auth: void 0 }, hops + 1));
        return;
      }
      done(res);
    });
    req.setTimeout(
      options.timeoutMs ?? 6e4,
      () => req.destroy(new Error(`timed out after ${(options.timeoutMs ?? 6e4) / 1e3}s`))
    );
    req.on(
      "error",
      (error) => fail(new ChartError("IndexFetchFailed", `GET ${redactUrl(url)}: ${error.message}`))
    );
    req.end();
  });
}
function statusError(url, res, what) {
  res.resume();
  const status = res.statusCode ?? 0;
  const reason = status === 401 || status === 403 ? "AuthenticationFailed" : "IndexFetchFailed";
  const hint = status === 401 || status === 403 ? " (check the credentials in the secretRef)" : "";
  return new ChartError(reason, `${what} ${redactUrl(url)}: HTTP ${status}${hint}`);
}

// shared/charts/index-file.ts
var import_yaml = __toESM(require_dist(), 1);
const { createHash: createHash2, pbkdf2 } = require("node:crypto");
const { createReadStream, createWriteStream: createWriteStream2 } = require("node:fs");
const { mkdir: mkdir2, readFile, rename: rename2, rm: rm2, stat: stat2, writeFile } = require("node:fs/promises");
const { join: join2 } = require("node:path");
const { createInterface } = require("node:readline");
const { pipeline: pipeline2 } = require("node:stream/promises");
function indexUrlOf(repositoryUrl) {
  if (/\/index\.ya?ml$/.test(repositoryUrl)) return repositoryUrl;
  return `${repositoryUrl.replace(/\/+$/, "")}/index.yaml`;
}
var INDEXES = "indexes.v2";
var LEGACY_INDEXES = "indexes";
async function dirFor(cacheDir, url, auth) {
  const shown = redactUrl(url);
  const fingerprint = await fingerprintOf(shown, credentialsIn(url, auth));
  const name = createHash2("sha256").update(`${shown}
${fingerprint}`).digest("hex").slice(0, 32);
  return join2(cacheDir, INDEXES, name);
}
function credentialsIn(url, auth) {
  const material = [
    redactUrl(url) === url ? "" : url,
    auth?.username ?? "",
    auth?.password ?? "",
    auth?.cert ?? "",
    auth?.key ?? ""
  ];
  return material.some(Boolean) ? material : [];
}
var fingerprints = /* @__PURE__ */ new Map();
function fingerprintOf(salt, material) {
  if (material.length === 0) return Promise.resolve("");
  const key = createHash2("sha256").update(JSON.stringify([salt, material])).digest("hex");
  let fingerprint = fingerprints.get(key);
  if (!fingerprint) {
    if (fingerprints.size >= 256) fingerprints.clear();
    fingerprint = new Promise(
      (done, fail) => pbkdf2(
        JSON.stringify(material),
        salt,
        1e5,
        32,
        "sha256",
        (error, bytes) => error ? fail(error) : done(bytes.toString("hex"))
      )
    );
    fingerprints.set(key, fingerprint);
  }
  return fingerprint;
}
var legacyRemoved = /* @__PURE__ */ new Map();
function removeLegacyIndexes(cacheDir) {
  let removing = legacyRemoved.get(cacheDir);
  if (!removing) {
    removing = rm2(join2(cacheDir, LEGACY_INDEXES), { recursive: true, force: true }).catch(
      () => void 0
    );
    legacyRemoved.set(cacheDir, removing);
  }
  return removing;
}
var inFlight = /* @__PURE__ */ new Map();
function fetchIndex(repositoryUrl, cacheDir, auth) {
  const url = indexUrlOf(repositoryUrl);
  const key = createHash2("sha256").update(JSON.stringify([cacheDir, url, auth ?? null])).digest("hex");
  const running = inFlight.get(key);
  if (running) return running;
  const fetching = (async () => {
    await removeLegacyIndexes(cacheDir);
    return download(url, await dirFor(cacheDir, url, auth), auth);
  })().finally(() => inFlight.delete(key));
  inFlight.set(key, fetching);
  return fetching;
}
async function download(url, dir, auth) {
  const file = join2(dir, "index.yaml");
  const meta = await readFile(join2(dir, "meta.json"), "utf8").then((t) => JSON.parse(t)).catch(() => void 0);
  const cached = (unreachable2) => meta ? { url, file, digest: meta.digest, etag: meta.etag, downloaded: false, unreachable: unreachable2 } : void 0;
  let res;
  try {
    res = await httpGet(url, {
      auth,
      headers: meta?.etag ? { "if-none-match": meta.etag } : {}
    });
  } catch (error) {
    const offline = await usable(cached(error.message));
    if (offline) return offline;
    throw error;
  }
  if (res.statusCode === 304 && meta) {
    res.resume();
    return cached();
  }
  if ((res.statusCode ?? 0) < 200 || (res.statusCode ?? 0) > 299) {
    const error = statusError(url, res, "index of");
    if (error.reason === "AuthenticationFailed") throw error;
    const offline = await usable(cached(error.message));
    if (offline) return offline;
    throw error;
  }
  await mkdir2(dir, { recursive: true });
  const hash = createHash2("sha256");
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  res.on("data", (chunk) => hash.update(chunk));
  try {
    await pipeline2(res, createWriteStream2(tmp));
  } catch (error) {
    await rm2(tmp, { force: true });
    throw new ChartError(
      "IndexFetchFailed",
      `index of ${redactUrl(url)}: ${error.message}`
    );
  }
  const digest = `sha256:${hash.digest("hex")}`;
  await rename2(tmp, file);
  const etag = typeof res.headers.etag === "string" ? res.headers.etag : void 0;
  const written = { digest, ...etag ? { etag } : {} };
  await writeFile(join2(dir, "meta.json"), JSON.stringify(written));
  entriesMemo.clear();
  return { url, file, digest, etag, downloaded: true };
}
async function usable(index) {
  if (!index) return void 0;
  return (await stat2(index.file).catch(() => void 0))?.isFile() ? index : void 0;
}
var entriesMemo = /* @__PURE__ */ new Map();
var MEMO_LIMIT = 64;
async function readChartEntries(index, chart) {
  const key = `${index.digest}\0${chart}`;
  const hit = entriesMemo.get(key);
  if (hit) return hit;
  const entries = await scanEntries(index.file, chart);
  if (entriesMemo.size >= MEMO_LIMIT) entriesMemo.delete(entriesMemo.keys().next().value);
  entriesMemo.set(key, entries);
  return entries;
}
var unquote = (s) => s.replace(/^(["'])(.*)\1$/, "$2");
async function scanEntries(file, chart) {
  const lines = createInterface({ input: createReadStream(file, "utf8"), crlfDelay: Infinity });
  let inEntries = false;
  let sawEntries = false;
  let chartIndent = -1;
  let collecting = false;
  const block = [];
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
  return toEntries((0, import_yaml.parse)(`x:
${block.join("\n")}`)?.x, chart);
}
async function parseWhole(file, chart) {
  const doc = (0, import_yaml.parse)(await readFile(file, "utf8"));
  return toEntries(doc?.entries?.[chart], chart);
}
function toEntries(raw, chart) {
  if (!Array.isArray(raw)) return [];
  const out = [];
  for (const item of raw) {
    if (typeof item !== "object" || item === null) continue;
    const e = item;
    if (e.version === void 0 || !Array.isArray(e.urls)) continue;
    out.push({
      name: typeof e.name === "string" ? e.name : chart,
      version: String(e.version),
      urls: e.urls.map(String),
      ...typeof e.digest === "string" && e.digest ? { digest: e.digest } : {},
      ...e.appVersion !== void 0 ? { appVersion: String(e.appVersion) } : {}
    });
  }
  return out;
}

// shared/charts/select.ts
function selectVersion(candidates, range, what) {
  const wanted = (range ?? "").trim() || "*";
  const exact = candidates.find((c) => c.version === wanted);
  if (exact) return exact;
  let parsed;
  try {
    parsed = parseSemverRange(wanted);
  } catch (error) {
    throw new ChartError(
      "InvalidChartReference",
      `${what}: version "${wanted}" is not a valid range: ${error.message}`
    );
  }
  let best;
  for (const item of candidates) {
    const version = parseLooseVersion(item.version);
    if (!version || !satisfies(parsed, version)) continue;
    if (!best || compareVersions(version, best.version) > 0) best = { item, version };
  }
  if (!best) {
    throw new ChartError(
      candidates.length === 0 ? "ChartNotFound" : "VersionNotFound",
      candidates.length === 0 ? `${what}: no such chart` : `${what}: no version matches "${wanted}" (${candidates.length} listed)`
    );
  }
  return best.item;
}

// shared/charts/pull.ts
async function pullFromRepository(req) {
  const where = `${req.chart} in ${redactUrl(req.url)}`;
  const index = await fetchIndex(req.url, req.cacheDir, req.auth);
  const entry = selectVersion(await readChartEntries(index, req.chart), req.version, where);
  const cache = new ChartCache(req.cacheDir);
  const listed = entry.digest ? `sha256:${entry.digest.replace(/^sha256:/, "")}` : void 0;
  const cached = listed ? await cache.has(listed) : void 0;
  const base = {
    name: entry.name,
    version: entry.version,
    source: where,
    ...index.unreachable ? {
      fromCache: `repository unreachable (${index.unreachable}); used the cached index and chart`
    } : {}
  };
  if (listed && cached) return { ...base, digest: listed, path: cached };
  if (index.unreachable) {
    throw new ChartError(
      "IndexFetchFailed",
      `${where}@${entry.version}: ${index.unreachable}; the cached index lists it, but its package is not in the cache`
    );
  }
  const first = entry.urls[0];
  if (!first)
    throw new ChartError("ChartPullFailed", `${where}@${entry.version}: no URL in the index`);
  const url = new URL(first, index.url).toString();
  const sameHost = new URL(url).host === new URL(index.url).host;
  const res = await httpGet(url, {
    auth: sameHost || req.passCredentials ? req.auth : { ...req.auth, username: void 0, password: void 0 }
  });
  if ((res.statusCode ?? 0) !== 200) throw statusError(url, res, "chart package");
  const stored = await cache.store(res);
  if (listed && stored.digest !== listed) {
    throw new ChartError(
      "DigestMismatch",
      `${where}@${entry.version}: the package's digest ${stored.digest} is not the index's ${listed}`
    );
  }
  return { ...base, digest: stored.digest, path: stored.path };
}
var CHART_LAYER = "application/vnd.cncf.helm.chart.content.v1.tar+gzip";
async function ociRecordFile(cacheDir, where, req) {
  const c = req.credentials;
  const login = c && (c.username || c.password || c.registryToken);
  const material = !login ? [] : req.credentialsFrom ? [`secret ${req.credentialsFrom}`] : [c.username ?? "", c.password ?? "", c.registryToken ?? ""];
  const fingerprint = await fingerprintOf(where, material);
  const name = createHash3("sha256").update(`${where}
${fingerprint}`).digest("hex").slice(0, 32);
  return join3(cacheDir, "oci", `${name}.json`);
}
async function readOciRecord(file) {
  try {
    const r = JSON.parse(await readFile2(file, "utf8"));
    return { layers: r.layers ?? {} };
  } catch {
    return { layers: {} };
  }
}
async function writeOciRecord(file, update) {
  const next = update(await readOciRecord(file));
  await mkdir3(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  await writeFile2(tmp, JSON.stringify(next));
  await rename3(tmp, file);
}
function unreachable(error, isRetryable) {
  if (error instanceof ChartError) return false;
  const status = error.status;
  const name = error.name;
  if (name === "NotFoundError" || name === "AuthError") return false;
  return typeof status !== "number" || isRetryable(status);
}
async function pullFromOci(req) {
  const m = /^oci:\/\/([^/]+)\/?(.*)$/.exec(req.url.replace(/\/+$/, ""));
  if (!m) throw new ChartError("InvalidChartReference", `${req.url}: not an oci:// URL`);
  const registry = m[1];
  const repository = [m[2], req.chart].filter(Boolean).join("/");
  const where = `oci://${registry}/${repository}`;
  const name = req.chart || repository.split("/").pop() || repository;
  const cache = new ChartCache(req.cacheDir);
  const recordFile = await ociRecordFile(req.cacheDir, where, req);
  const { RegistryClient } = await import("./client-3C7DAW7O.js");
  const { isRetryableStatus } = await import("./retry-23GILQ24.js");
  const client = new RegistryClient({
    registry,
    credentials: req.credentials,
    insecure: req.insecure ?? false
  });
  try {
    let tag = req.tag;
    if (!tag) {
      const tags = (await client.listTags(repository)).map((t) => ({
        tag: t,
        version: t.replaceAll("_", "+")
      }));
      tag = selectVersion(tags, req.version, where).tag;
    }
    const manifest = await client.getManifest(repository, tag);
    const layers = manifest.json.layers;
    const layer = layers?.find((l) => l.mediaType === CHART_LAYER);
    if (!layer?.digest) {
      throw new ChartError(
        "ChartPullFailed",
        `${where}:${tag}: no Helm chart layer in the artifact`
      );
    }
    const cached = await cache.has(layer.digest);
    const path = cached ?? (await cache.store(await client.openBlob(repository, layer.digest))).path;
    const pulled = tag;
    await writeOciRecord(recordFile, (r) => ({
      layers: { ...r.layers, [pulled]: layer.digest }
    })).catch(() => void 0);
    return { name, version: tag.replaceAll("_", "+"), digest: layer.digest, path, source: where };
  } catch (error) {
    const message = error.message;
    if (unreachable(error, isRetryableStatus)) {
      const offline = await cachedOci(req, where, name, await readOciRecord(recordFile), cache);
      if (offline)
        return {
          ...offline,
          fromCache: `registry unreachable (${message}); used the cached chart`
        };
    }
    if (error instanceof ChartError) throw error;
    throw new ChartError("ChartPullFailed", `${where}: ${message}`);
  } finally {
    client.close();
  }
}
async function cachedOci(req, where, name, record, cache) {
  const present = [];
  for (const [tag, digest] of Object.entries(record.layers)) {
    const path = await cache.has(digest);
    if (path) present.push({ tag, version: tag.replaceAll("_", "+"), path, digest });
  }
  let chosen;
  if (req.tag) chosen = present.find((p) => p.tag === req.tag);
  else {
    try {
      chosen = selectVersion(present, req.version, where);
    } catch {
      return void 0;
    }
  }
  if (!chosen) return void 0;
  return { name, version: chosen.version, digest: chosen.digest, path: chosen.path, source: where };
}
async function chartFromFolder(dir, source) {
  const text = await readFile2(join3(dir, "Chart.yaml"), "utf8").catch(() => void 0);
  if (text === void 0) {
    throw new ChartError("ChartNotFound", `${source}: no Chart.yaml in the folder`);
  }
  const meta = (0, import_yaml2.parse)(text) ?? {};
  const hash = createHash3("sha256");
  for (const file of await listFiles(dir)) {
    hash.update(`${relative(dir, file)}\0`);
    hash.update(await readFile2(file));
    hash.update("\0");
  }
  return {
    name: String(meta.name ?? ""),
    version: String(meta.version ?? ""),
    digest: `sha256:${hash.digest("hex")}`,
    path: dir,
    source
  };
}
async function listFiles(dir, seen = /* @__PURE__ */ new Set()) {
  const real = await realpath(dir);
  if (seen.has(real)) return [];
  seen.add(real);
  const out = [];
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  for (const e of entries) {
    const path = join3(dir, e.name);
    const info = e.isSymbolicLink() ? await stat3(path).catch(() => void 0) : e;
    if (info?.isDirectory()) out.push(...await listFiles(path, seen));
    else if (info?.isFile()) out.push(path);
  }
  return out;
}

// shared/charts/dependencies.ts
var parse3 = async (text) => (await import("./dist-E773PDCR.js")).parse(text);
var asObj = (v) => typeof v === "object" && v !== null ? v : {};
async function dependenciesIn(text) {
  if (text === void 0 || !text.includes("dependencies")) return [];
  const list = asObj(await parse3(text)).dependencies;
  if (!Array.isArray(list)) return [];
  return list.map(asObj).filter((d) => typeof d.name === "string" && d.name !== "").map((d) => ({
    name: d.name,
    version: typeof d.version === "string" ? d.version : void 0,
    repository: typeof d.repository === "string" ? d.repository : void 0,
    alias: typeof d.alias === "string" && d.alias !== "" ? d.alias : void 0
  }));
}
function sameRepositoryUrl(a, b) {
  const normal = (u) => u.trim().replace(/\/+$/, "");
  return normal(a) === normal(b);
}
function missingDependencies(wanted, present) {
  if (present.length === wanted.length) return [];
  return wanted.filter((d) => !present.includes(d.alias ?? d.name));
}
var isLocal = (d) => !d.repository || d.repository.startsWith("file://");
var ALIAS = /^[a-zA-Z0-9_-]+$/;
async function packagedName(path) {
  const { extract } = await import("./tar-stream-QKFSPZ2F.js");
  const entries = extract();
  let name;
  const consume = async () => {
    for await (const entry of entries) {
      if (name === void 0 && chartPathOf(entry.header.name) === "Chart.yaml") {
        const chunks = [];
        for await (const chunk of entry) chunks.push(chunk);
        const read = asObj(await parse3(Buffer.concat(chunks).toString("utf8"))).name;
        name = typeof read === "string" ? read : "";
      } else entry.resume();
    }
  };
  await Promise.all([pipeline3(createReadStream2(path), createGunzip(), entries), consume()]);
  return name;
}
async function chartsPresent(chartDir, sourceRoot) {
  const dir = join4(chartDir, "charts");
  const entries = await readdir2(dir).catch(() => []);
  const names = [];
  for (const entry of entries) {
    if (entry.startsWith("_") || entry.startsWith(".")) continue;
    const path = await confine(sourceRoot, join4(dir, entry)).catch(() => void 0);
    const info = path ? await stat4(path).catch(() => void 0) : void 0;
    if (!path || !info) continue;
    if (info.isDirectory()) {
      const text = await readFile3(join4(path, "Chart.yaml"), "utf8").catch(() => void 0);
      const name = text === void 0 ? void 0 : asObj(await parse3(text)).name;
      if (typeof name === "string") names.push(name);
    } else if (entry.endsWith(".tgz")) {
      const name = await packagedName(path).catch(() => void 0);
      if (name) names.push(name);
    }
  }
  return names;
}
async function localFolder(chartDir, sourceRoot, dep) {
  const relative2 = (dep.repository ?? "").replace(/^file:\/\//, "");
  try {
    return await confine(sourceRoot, resolve(chartDir, relative2), `'${dep.repository}'`);
  } catch (error) {
    throw new ChartError(
      "InvalidChartReference",
      `failed to add local dependency '${dep.name}': ${error.message}`
    );
  }
}
async function withDependencies(chart, sourceRoot, cacheDir, pull) {
  const read = (name) => readFile3(join4(chart.path, name), "utf8").catch(() => void 0);
  const lockText = await read("Chart.lock") ?? await read("requirements.lock");
  const lock = await dependenciesIn(lockText);
  const listed = await dependenciesIn(await read("Chart.yaml"));
  const wanted = lock.length > 0 ? lock : listed.length > 0 ? listed : await dependenciesIn(await read("requirements.yaml"));
  if (wanted.length === 0) return chart;
  const missing = missingDependencies(wanted, await chartsPresent(chart.path, sourceRoot));
  if (missing.length === 0) return chart;
  for (const dep of missing)
    if (dep.alias !== void 0 && !ALIAS.test(dep.alias))
      throw new ChartError(
        "InvalidChartReference",
        `dependency '${dep.name}': alias '${dep.alias}' is not valid (letters, digits, _ and - only)`
      );
  const added = [];
  let fromCache;
  for (const dep of missing) {
    if (isLocal(dep)) {
      const folder = await localFolder(chart.path, sourceRoot, dep);
      const text = await readFile3(join4(folder, "Chart.yaml"), "utf8").catch(() => void 0);
      if (text === void 0) {
        throw new ChartError(
          "ChartNotFound",
          `failed to add local dependency '${dep.name}': no chart found at '${dep.repository}'`
        );
      }
      const version = String(asObj(await parse3(text)).version ?? "");
      selectVersion(
        [{ version }],
        dep.version,
        `local dependency '${dep.name}' at '${dep.repository}'`
      );
      const local = await chartFromFolder(folder, `${dep.repository}`);
      added.push({
        name: dep.name,
        from: folder,
        file: `tether-dependency-${added.length}`,
        digest: local.digest
      });
      continue;
    }
    let fetched;
    try {
      fetched = await pull(dep.repository ?? "", dep.name, dep.version);
    } catch (error) {
      const reason = error instanceof ChartError ? error.reason : "ChartPullFailed";
      throw new ChartError(
        reason,
        `failed to add remote dependency '${dep.name}': ${error.message}`
      );
    }
    added.push({
      name: dep.name,
      from: fetched.path,
      file: `tether-dependency-${added.length}.tgz`,
      digest: fetched.digest
    });
    fromCache ??= fetched.fromCache;
  }
  const folderName = chart.path.split(sep).at(-1) ?? "chart";
  const hash = createHash4("sha256").update(`${chart.digest}\0${folderName}`);
  for (const a of added) hash.update(`\0${a.file}\0${a.digest}`);
  const digest = hash.digest("hex");
  const out = join4(cacheDir, "charts", "with-dependencies", digest);
  const built = join4(out, folderName);
  await buildFolderOnce(out, async (dir) => {
    const copy = join4(dir, folderName);
    await copyChartFolder(chart.path, copy, sourceRoot);
    await mkdir4(join4(copy, "charts"), { recursive: true });
    for (const a of added) {
      const target = join4(copy, "charts", a.file);
      if (a.file.endsWith(".tgz")) await copyFile(a.from, target);
      else await copyChartFolder(a.from, target, sourceRoot);
    }
  });
  return {
    ...chart,
    digest: `sha256:${digest}`,
    path: built,
    ...fromCache ? { fromCache } : {}
  };
}

// shared/charts/git-head.ts
const { execFile } = require("node:child_process");
function gitHead(dir) {
  return new Promise((resolve3) => {
    execFile(
      "git",
      ["rev-parse", "--verify", "HEAD"],
      { cwd: dir, env: { ...process.env, GIT_TERMINAL_PROMPT: "0" } },
      (error, stdout) => resolve3(error ? void 0 : stdout.trim() || void 0)
    );
  });
}

// shared/charts/resolve.ts
const { resolve: resolve2, sep: sep2 } = require("node:path");
var asObj2 = (v) => typeof v === "object" && v !== null ? v : {};
var str = (v) => typeof v === "string" && v !== "" ? v : void 0;
async function secretOf(ctx, namespace, ref, what) {
  const name = str(asObj2(ref).name);
  if (!name) return void 0;
  if (!ctx.getSecret) return void 0;
  const data = await ctx.getSecret(namespace, name);
  if (!data) {
    throw new ChartError("AuthenticationFailed", `${what}: Secret ${namespace}/${name} not found`);
  }
  return data;
}
async function repositoryAuth(ctx, repo, what) {
  const spec = asObj2(repo.spec);
  const ns = repo.metadata.namespace ?? "default";
  const secret = await secretOf(ctx, ns, spec.secretRef, what);
  const certs = await secretOf(ctx, ns, spec.certSecretRef, what) ?? secret;
  if (!secret && !certs) return spec.insecure === true ? { insecureSkipVerify: false } : void 0;
  return {
    username: secret?.username,
    password: secret?.password,
    // certSecretRef keys; secretRef's caFile/certFile/keyFile are the deprecated names.
    ca: certs?.["ca.crt"] ?? secret?.caFile,
    cert: certs?.["tls.crt"] ?? secret?.certFile,
    key: certs?.["tls.key"] ?? secret?.keyFile
  };
}
function registryCredentials(data, host, secret) {
  if (!data) return void 0;
  if (data.username && data.password) return { username: data.username, password: data.password };
  const config = data[".dockerconfigjson"];
  if (!config) return void 0;
  let parsed;
  try {
    parsed = parseCredentialsJson(config, `Secret ${secret} key .dockerconfigjson`);
  } catch (error) {
    throw new ChartError("AuthenticationFailed", error.message);
  }
  const auths = asObj2(asObj2(parsed).auths);
  const entry = asObj2(auths[host] ?? auths[`https://${host}`] ?? auths[`http://${host}`]);
  if (str(entry.username) && str(entry.password))
    return { username: entry.username, password: entry.password };
  if (str(entry.auth)) {
    const [username = "", ...rest] = Buffer.from(entry.auth, "base64").toString("utf8").split(":");
    return { username, password: rest.join(":") };
  }
  return void 0;
}
function ociLogin(data, host, secret) {
  const credentials = registryCredentials(data, host, secret);
  return credentials ? { credentials, credentialsFrom: secret } : {};
}
async function requireSource(ctx, key) {
  const found = await ctx.getSource(key);
  if (!found) {
    throw new ChartError(
      "SourceNotFound",
      `${key.kind}/${key.namespace}/${key.name} not found (neither in the repository nor in the cluster)`
    );
  }
  return found;
}
function ociHost(url) {
  return /^oci:\/\/([^/]+)/.exec(url)?.[1] ?? "";
}
async function pullOci(ctx, spec, namespace) {
  const what = redactUrl(spec.url);
  const secret = await secretOf(ctx, namespace, spec.secretRef, what);
  const ref = spec.ref ?? {};
  return pullFromOci({
    url: spec.url,
    version: ref.semver,
    tag: ref.digest ?? (ref.semver ? void 0 : ref.tag ?? "latest"),
    ...ociLogin(secret, ociHost(spec.url), `${namespace}/${spec.secretRef?.name}`),
    insecure: spec.insecure,
    cacheDir: ctx.cacheDir
  });
}
async function pullDependency(ctx, namespace, url, chart, version) {
  if (!/^(https?|oci):\/\//.test(url)) {
    throw new ChartError(
      "InvalidChartReference",
      `repository '${redactUrl(url)}' is not a URL: dependencies are resolved by repository URL (http, https, oci or file)`
    );
  }
  if (url.startsWith("oci://") && /^oci:\/\/[^/]*@/.test(url)) {
    throw new ChartError(
      "InvalidChartReference",
      `repository '${redactUrl(url)}' has a login in its URL: put it in the Secret of a HelmRepository of that URL`
    );
  }
  const repo = await ctx.helmRepositoryFor?.(namespace, url);
  const spec = asObj2(repo?.spec);
  const what = repo ? `HelmRepository/${repo.metadata.namespace ?? namespace}/${repo.metadata.name}` : redactUrl(url);
  if (url.startsWith("oci://")) {
    const secret = repo ? await secretOf(ctx, namespace, spec.secretRef, what) : void 0;
    return pullFromOci({
      url,
      chart,
      version,
      ...ociLogin(secret, ociHost(url), `${namespace}/${str(asObj2(spec.secretRef).name)}`),
      insecure: spec.insecure === true,
      cacheDir: ctx.cacheDir
    });
  }
  return pullFromRepository({
    url,
    chart,
    version,
    auth: repo ? await repositoryAuth(ctx, repo, what) : void 0,
    passCredentials: spec.passCredentials === true,
    cacheDir: ctx.cacheDir
  });
}
function inside(dir, path) {
  const target = resolve2(dir, path);
  if (target !== dir && !target.startsWith(`${dir}${sep2}`)) {
    throw new ChartError("InvalidChartReference", `${path}: the chart path leaves the repository`);
  }
  return target;
}
async function resolveChart(ctx, ref, namespace) {
  if (ref.from === "HelmChart") {
    const helmChart = await requireSource(ctx, ref.source);
    return resolveChart(ctx, helmChartReference(helmChart), ref.source.namespace);
  }
  const fetched = await fetchChart(ctx, ref, namespace);
  const valuesFiles = "valuesFiles" in ref ? ref.valuesFiles : void 0;
  const chart = valuesFiles ? await withValuesFiles(fetched.chart, valuesFiles, ctx.cacheDir, fetched.sourceRoot) : fetched.chart;
  if (ref.from !== "GitRepository") return chart;
  const revision = fetched.sourceRoot ? await ctx.gitRevision?.(fetched.sourceRoot) : void 0;
  return withStrategy(
    chart,
    ref.strategy ?? "ChartVersion",
    revision,
    valuesFiles,
    ctx.cacheDir,
    fetched.sourceRoot
  );
}
async function fetchChart(ctx, ref, namespace) {
  const chart = (c) => ({ chart: c });
  switch (ref.from) {
    case "HelmRepository": {
      const repo = await requireSource(ctx, ref.source);
      const spec = asObj2(repo.spec);
      const url = str(spec.url) ?? "";
      const what = `HelmRepository/${ref.source.namespace}/${ref.source.name}`;
      if (spec.type === "oci" || url.startsWith("oci://")) {
        const secret = await secretOf(ctx, ref.source.namespace, spec.secretRef, what);
        return chart(
          await pullFromOci({
            url,
            chart: ref.chart,
            version: ref.version,
            ...ociLogin(
              secret,
              ociHost(url),
              `${ref.source.namespace}/${str(asObj2(spec.secretRef).name)}`
            ),
            insecure: spec.insecure === true,
            cacheDir: ctx.cacheDir
          })
        );
      }
      return chart(
        await pullFromRepository({
          url,
          chart: ref.chart,
          version: ref.version,
          auth: await repositoryAuth(ctx, repo, what),
          passCredentials: spec.passCredentials === true,
          cacheDir: ctx.cacheDir
        })
      );
    }
    case "OCIRepository": {
      if (ref.spec) return chart(await pullOci(ctx, ref.spec, namespace));
      const source = ref.source;
      const repo = await requireSource(ctx, source);
      const spec = asObj2(repo.spec);
      return chart(
        await pullOci(
          ctx,
          {
            url: str(spec.url) ?? "",
            ref: asObj2(spec.ref),
            insecure: spec.insecure === true,
            ...str(asObj2(spec.secretRef).name) ? { secretRef: { name: str(asObj2(spec.secretRef).name) } } : {}
          },
          source.namespace
        )
      );
    }
    case "GitRepository": {
      const repo = await requireSource(ctx, ref.source);
      if (!ctx.gitFolder) {
        throw new ChartError("SourceNotFound", `${ref.path}: Git sources cannot be read here`);
      }
      const dir = await ctx.gitFolder(repo);
      const folder = await chartFromFolder(
        inside(dir, ref.path),
        `${ref.path} in GitRepository/${ref.source.namespace}/${ref.source.name}`
      );
      return {
        chart: await withDependencies(
          folder,
          dir,
          ctx.cacheDir,
          (url, chart2, version) => pullDependency(ctx, ref.source.namespace, url, chart2, version)
        ),
        sourceRoot: dir
      };
    }
    case "git": {
      if (!ctx.gitFolder) {
        throw new ChartError("SourceNotFound", `${ref.path}: Git sources cannot be read here`);
      }
      const dir = await ctx.gitFolder({ url: ref.url, ref: ref.ref });
      const folder = await chartFromFolder(
        inside(dir, ref.path),
        `${ref.path} in ${redactUrl(ref.url)}`
      );
      return chart(
        await withDependencies(
          folder,
          dir,
          ctx.cacheDir,
          (url, name, version) => pullDependency(ctx, namespace, url, name, version)
        )
      );
    }
    case "HelmChart":
      throw new ChartError("InvalidChartReference", "a HelmChart is resolved by resolveChart");
    case "url":
      return chart(
        await pullFromRepository({
          url: ref.url,
          chart: ref.chart,
          version: ref.version,
          cacheDir: ctx.cacheDir
        })
      );
  }
}

export {
  sameRepositoryUrl,
  gitHead,
  resolveChart
};
