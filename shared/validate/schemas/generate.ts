// Generates the offline schema data in ./data from upstream Go modules:
//
// - Kubernetes: the four newest minors of k8s.io/kubernetes on the Go module proxy (newest
//   patch of each that downloads), read from api/openapi-spec (v3, else v2 swagger.json).
// - API lifecycles: k8s.io/api's generated prerelease-lifecycle functions (what the API
//   server itself uses for deprecation warnings), GVK presence across the bundled
//   versions, "deprecated in v1.X" notes in the OpenAPI descriptions, and ./table.ts.
// - Flux: the controller API versions pinned by the newest github.com/fluxcd/flux2/v2,
//   with CRDs produced by controller-gen from the API modules (the same tool and version
//   Flux uses), so versions Flux has stopped serving are covered too. Where a controller's
//   own module is on the proxy, its committed CRD YAML is compared with ours.
//
// Run: node_modules/.bin/node shared/validate/schemas/generate.ts [--flux-only]
// Needs `go` on PATH and the Go module proxy; writes data/*.ts and prints their sizes, then
// the precompiled validators (generate-validators.ts).
import { spawnSync } from "node:child_process";
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";
import {
  apiVersionOf,
  canonical,
  compareMinor,
  dataModule,
  hoistShared,
  isObject,
  linedJson,
  minimize,
  parseLifecycles,
  stability,
} from "./reduce.ts";
import { lifecycleTable } from "./table.ts";
import type {
  ApiLifecycle,
  DeprecationData,
  FluxData,
  FluxKind,
  JsonObject,
  KubernetesData,
  KubernetesVersionData,
  MiniSchema,
} from "./types.ts";

const here = dirname(fileURLToPath(import.meta.url));
const dataDir = join(here, "data");
const MINORS = 4;
const FLUX_CONTROLLERS = [
  "source-controller",
  "kustomize-controller",
  "helm-controller",
  "image-reflector-controller",
  "image-automation-controller",
  "notification-controller",
];
// Used only when kustomize-controller's own Makefile cannot be read.
const DEFAULT_CONTROLLER_GEN = "v0.21.0";

const work = mkdtempSync(join(tmpdir(), "tether-schemas-"));
const goEnv = { ...process.env, GOFLAGS: "-mod=mod", GO111MODULE: "on", GOWORK: "off" };

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

function go(args: string[], cwd = work, env: NodeJS.ProcessEnv = goEnv) {
  const result = spawnSync("go", args, { cwd, env, encoding: "utf8", maxBuffer: 256 << 20 });
  if (result.error) throw new Error(`go ${args.join(" ")}: ${result.error.message}`);
  return { code: result.status ?? 1, stdout: result.stdout, stderr: result.stderr };
}

interface Semver {
  text: string;
  major: number;
  minor: number;
  patch: number;
}

function parseSemver(text: string): Semver | undefined {
  const m = /^v(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (!m) return undefined;
  return { text, major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]) };
}

function compareSemver(a: Semver, b: Semver): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

/** Released versions of a module, newest first (pre-releases skipped). */
function listVersions(module: string): Semver[] {
  const r = go(["list", "-m", "-versions", module]);
  if (r.code !== 0) throw new Error(`go list -m -versions ${module}: ${r.stderr.trim()}`);
  return r.stdout
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(parseSemver)
    .filter((v): v is Semver => v !== undefined)
    .sort((a, b) => compareSemver(b, a));
}

/** `go mod download`; undefined when the proxy or the toolchain refuses this version. */
function download(module: string, version: string): string | undefined {
  const r = go(["mod", "download", "-json", `${module}@${version}`]);
  let info: { Dir?: string; Error?: string } = {};
  try {
    info = JSON.parse(r.stdout) as typeof info;
  } catch {
    info = { Error: r.stderr.trim() };
  }
  if (r.code !== 0 || info.Error || !info.Dir) {
    log(`  ${module}@${version}: not usable (${(info.Error ?? r.stderr).trim().split("\n")[0]})`);
    return undefined;
  }
  return info.Dir;
}

/** The newest of `versions` that downloads, with its directory. */
function newestDownloadable(module: string, versions: Semver[]): [Semver, string] | undefined {
  for (const v of versions) {
    const dir = download(module, v.text);
    if (dir) return [v, dir];
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------
// Kubernetes

interface Spec {
  release: string;
  defs: Map<string, JsonObject>;
  /** apiVersion -> kind -> definition name. */
  kinds: Map<string, Map<string, string>>;
}

function readSpec(dir: string, release: string): Spec {
  const spec: Spec = { release, defs: new Map(), kinds: new Map() };
  const addKind = (apiVersion: string, kind: string, name: string) => {
    const kinds = spec.kinds.get(apiVersion) ?? new Map<string, string>();
    spec.kinds.set(apiVersion, kinds);
    kinds.set(kind, name);
  };
  const v3 = join(dir, "api/openapi-spec/v3");
  if (existsSync(v3)) {
    for (const file of readdirSync(v3).sort()) {
      const doc = JSON.parse(readFileSync(join(v3, file), "utf8")) as JsonObject;
      const components = doc.components;
      const schemas =
        isObject(components) && isObject(components.schemas) ? components.schemas : {};
      // apis__apps__v1_openapi.json serves apps/v1; api__v1_openapi.json serves core v1.
      const m = /^(?:apis__(.+)__|api__)(v\d+(?:(?:alpha|beta)\d+)?)_openapi\.json$/.exec(file);
      for (const [name, def] of Object.entries(schemas)) {
        if (!isObject(def)) continue;
        spec.defs.set(name, def);
        const gvks = def["x-kubernetes-group-version-kind"];
        // DeleteOptions and WatchEvent list every group; they are not kinds of their own.
        if (!m || !Array.isArray(gvks) || gvks.length !== 1 || !isObject(gvks[0])) continue;
        const { group, version, kind } = gvks[0];
        if ((group ?? "") === (m[1] ?? "") && version === m[2] && typeof kind === "string") {
          addKind(apiVersionOf(String(group ?? ""), String(version)), kind, name);
        }
      }
    }
    return spec;
  }
  const swagger = JSON.parse(
    readFileSync(join(dir, "api/openapi-spec/swagger.json"), "utf8"),
  ) as JsonObject;
  for (const [name, def] of Object.entries(
    isObject(swagger.definitions) ? swagger.definitions : {},
  )) {
    if (!isObject(def)) continue;
    spec.defs.set(name, def);
    const gvks = def["x-kubernetes-group-version-kind"];
    if (Array.isArray(gvks) && gvks.length === 1 && isObject(gvks[0])) {
      const { group, version, kind } = gvks[0];
      addKind(apiVersionOf(String(group ?? ""), String(version)), String(kind), name);
    }
  }
  return spec;
}

function minorOf(v: Semver): string {
  return `${v.major}.${v.minor}`;
}

function pickKubernetes(): Array<[Semver, string]> {
  const byMinor = new Map<string, Semver[]>();
  for (const v of listVersions("k8s.io/kubernetes")) {
    const list = byMinor.get(minorOf(v)) ?? [];
    list.push(v);
    byMinor.set(minorOf(v), list);
  }
  const picked: Array<[Semver, string]> = [];
  for (const versions of byMinor.values()) {
    if (picked.length === MINORS) break;
    const got = newestDownloadable("k8s.io/kubernetes", versions);
    if (got) {
      log(`k8s.io/kubernetes ${minorOf(got[0])}: ${got[0].text}`);
      picked.push(got);
    }
  }
  if (picked.length < MINORS)
    throw new Error(`only ${picked.length} Kubernetes minors could be downloaded`);
  return picked;
}

function buildKubernetes(specs: Spec[]): KubernetesData {
  const nameSet = new Set<string>();
  for (const s of specs) for (const n of s.defs.keys()) nameSet.add(n);
  const names = [...nameSet].sort();
  const ids = new Map(names.map((n, i) => [n, i]));
  const ref = (name: string): number => {
    const id = ids.get(name);
    if (id === undefined) throw new Error(`reference to unknown definition ${name}`);
    return id;
  };
  const variants: MiniSchema[][] = names.map(() => []);
  const variantKeys: string[][] = names.map(() => []);
  const versions: Record<string, KubernetesVersionData> = {};
  const minors: string[] = [];
  for (const spec of specs) {
    const minor = spec.release.replace(/^v(\d+\.\d+)\..*$/, "$1");
    minors.push(minor);
    const defs = names.map(() => -1);
    for (const [name, def] of spec.defs) {
      const id = ref(name);
      const mini = minimize(def, ref);
      const key = canonical(mini);
      const keys = variantKeys[id] as string[];
      let v = keys.indexOf(key);
      if (v < 0) {
        v = keys.length;
        keys.push(key);
        (variants[id] as MiniSchema[]).push(mini);
      }
      defs[id] = v;
    }
    const kinds: Record<string, Record<string, number>> = {};
    for (const apiVersion of [...spec.kinds.keys()].sort()) {
      const byKind: Record<string, number> = {};
      const entries = spec.kinds.get(apiVersion) ?? new Map<string, string>();
      for (const kind of [...entries.keys()].sort()) byKind[kind] = ref(entries.get(kind) ?? "");
      kinds[apiVersion] = byKind;
    }
    versions[minor] = { release: spec.release, defs, kinds };
  }
  return {
    source: `k8s.io/kubernetes ${specs.map((s) => s.release).join(", ")} api/openapi-spec`,
    minors,
    names,
    variants,
    objectMeta: ref("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"),
    versions,
  };
}

// ---------------------------------------------------------------------------------------
// API lifecycles

function walkFiles(dir: string, name: string, found: string[] = []): string[] {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) walkFiles(path, name, found);
    else if (entry === name) found.push(path);
  }
  return found;
}

/** The prerelease-lifecycle facts generated into k8s.io/api, keyed "apiVersion kind". */
function readLifecycles(apiDir: string, into: Map<string, ApiLifecycle>): void {
  for (const file of walkFiles(apiDir, "zz_generated.prerelease-lifecycle.go")) {
    const pkg = dirname(file);
    let group: string | undefined;
    for (const f of readdirSync(pkg).filter((n) => n.endsWith(".go"))) {
      const m = /GroupName\s*=\s*"([^"]*)"/.exec(readFileSync(join(pkg, f), "utf8"));
      if (m) group = m[1];
    }
    if (group === undefined) continue;
    const apiVersion = apiVersionOf(group, basename(pkg));
    for (const e of parseLifecycles(readFileSync(file, "utf8"), apiVersion)) {
      into.set(`${apiVersion} ${e.kind}`, e);
    }
  }
}

function buildDeprecations(specs: Spec[], apiDirs: string[]): DeprecationData {
  const lifecycles = new Map<string, ApiLifecycle>();
  // Oldest first, so the newest k8s.io/api has the last word.
  for (const dir of [...apiDirs].reverse()) readLifecycles(dir, lifecycles);
  const newest = specs[0] as Spec;
  // Deprecation notes in the descriptions of GA kinds ("This API is deprecated in v1.33+").
  for (const [apiVersion, kinds] of newest.kinds) {
    for (const [kind, name] of kinds) {
      if (kind.endsWith("List")) continue;
      const description = newest.defs.get(name)?.description;
      const m =
        typeof description === "string"
          ? /This API is deprecated in v(\d+\.\d+)\+/i.exec(description)
          : null;
      const key = `${apiVersion} ${kind}`;
      if (m && !lifecycles.get(key)?.deprecated) {
        lifecycles.set(key, {
          ...lifecycles.get(key),
          apiVersion,
          kind,
          deprecated: m[1] as string,
          source: "openapi",
        });
      }
    }
  }
  // A kind one bundled version serves and a newer one does not was removed in the newer.
  const oldestFirst = [...specs].reverse();
  for (let i = 1; i < oldestFirst.length; i++) {
    const before = oldestFirst[i - 1] as Spec;
    const after = oldestFirst[i] as Spec;
    const minor = after.release.replace(/^v(\d+\.\d+)\..*$/, "$1");
    for (const [apiVersion, kinds] of before.kinds) {
      for (const kind of kinds.keys()) {
        if (kind.endsWith("List") || after.kinds.get(apiVersion)?.has(kind)) continue;
        const key = `${apiVersion} ${kind}`;
        const known = lifecycles.get(key);
        if (known?.removed && compareMinor(known.removed, minor) <= 0) continue;
        lifecycles.set(key, {
          ...known,
          apiVersion,
          kind,
          removed: minor,
          source: known?.source ?? "openapi",
        });
      }
    }
  }
  for (const row of lifecycleTable) {
    const key = `${row.apiVersion} ${row.kind}`;
    const known = lifecycles.get(key);
    if (!known) {
      lifecycles.set(key, { ...row, source: "table" });
      continue;
    }
    // The table only fills what upstream leaves open.
    if (!known.deprecated && row.deprecated) known.deprecated = row.deprecated;
    if (!known.removed && row.removed) known.removed = row.removed;
    if (!known.replacement && row.replacement) known.replacement = row.replacement;
    if (!known.note && row.note) known.note = row.note;
  }
  // Where no replacement is recorded, a GA version of the same group and kind served by
  // the newest bundled release is the one to move to.
  for (const e of lifecycles.values()) {
    if (e.replacement || e.note) continue;
    const group = e.apiVersion.includes("/")
      ? e.apiVersion.slice(0, e.apiVersion.indexOf("/"))
      : "";
    const candidates = [...newest.kinds.entries()]
      .filter(
        ([av, kinds]) =>
          av !== e.apiVersion &&
          kinds.has(e.kind) &&
          (av.includes("/") ? av.slice(0, av.indexOf("/")) : "") === group,
      )
      .map(([av]) => av)
      .sort((a, b) => stability(b) - stability(a));
    const best = candidates[0];
    if (best && stability(best) > stability(e.apiVersion))
      e.replacement = { apiVersion: best, kind: e.kind };
  }
  for (const e of lifecycles.values()) {
    // Alpha APIs can disappear before the date their lifecycle gives for deprecation.
    if (e.deprecated && e.removed && compareMinor(e.deprecated, e.removed) > 0) delete e.deprecated;
  }
  const apis = [...lifecycles.values()].sort(
    (a, b) => a.apiVersion.localeCompare(b.apiVersion) || a.kind.localeCompare(b.kind),
  );
  return {
    source: `k8s.io/api prerelease lifecycles (${apiDirs.map((d) => basename(d).replace("api@", "")).join(", ")}), OpenAPI presence and descriptions, shared/validate/schemas/table.ts`,
    apis: apis.map((e) => {
      // Fixed key order keeps the generated file stable.
      const out: ApiLifecycle = { apiVersion: e.apiVersion, kind: e.kind, source: e.source };
      if (e.deprecated) out.deprecated = e.deprecated;
      if (e.removed) out.removed = e.removed;
      if (e.replacement) out.replacement = e.replacement;
      if (e.note) out.note = e.note;
      return out;
    }),
  };
}

// ---------------------------------------------------------------------------------------
// Flux

interface CrdVersion {
  name: string;
  storage?: boolean;
  deprecated?: boolean;
  deprecationWarning?: string;
  schema?: { openAPIV3Schema?: JsonObject };
}

interface Crd {
  spec: { group: string; names: { kind: string }; versions: CrdVersion[] };
}

function readCrds(dir: string): Crd[] {
  const crds: Crd[] = [];
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .sort()) {
    for (const doc of parseAllDocuments(readFileSync(join(dir, file), "utf8"))) {
      const value = doc.toJS() as { kind?: string } | null;
      if (value?.kind === "CustomResourceDefinition") crds.push(value as unknown as Crd);
    }
  }
  return crds;
}

function goFiles(dir: string, found: string[] = []): string[] {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) goFiles(path, found);
    else if (entry.endsWith(".go")) found.push(path);
  }
  return found;
}

/**
 * The newest Flux release whose pinned controller API modules all download (a newer
 * release may need a newer Go than the one at hand).
 */
function pickFlux(): {
  version: string;
  controllers: Record<string, string>;
  apiDirs: Map<string, string>;
} {
  for (const candidate of listVersions("github.com/fluxcd/flux2/v2")) {
    const fluxDir = download("github.com/fluxcd/flux2/v2", candidate.text);
    if (!fluxDir) continue;
    const gomod = readFileSync(join(fluxDir, "go.mod"), "utf8");
    const controllers: Record<string, string> = {};
    const apiDirs = new Map<string, string>();
    for (const name of FLUX_CONTROLLERS) {
      const m = new RegExp(`github\\.com/fluxcd/${name}/api (v[^\\s]+)`).exec(gomod);
      const dir = m ? download(`github.com/fluxcd/${name}/api`, m[1] as string) : undefined;
      if (!m || !dir) break;
      controllers[name] = m[1] as string;
      apiDirs.set(name, dir);
    }
    if (apiDirs.size === FLUX_CONTROLLERS.length)
      return { version: candidate.text, controllers, apiDirs };
  }
  throw new Error("no github.com/fluxcd/flux2/v2 release with downloadable controller API modules");
}

function buildFlux(): FluxData {
  const { version: fluxVersion, controllers, apiDirs } = pickFlux();
  log(`flux ${fluxVersion}`);

  // The controllers' own modules (when the proxy has them) carry the committed CRD YAML
  // and the controller-gen version Flux used.
  const upstream = new Map<string, string>();
  let controllerGen = DEFAULT_CONTROLLER_GEN;
  for (const name of FLUX_CONTROLLERS) {
    const dir = download(`github.com/fluxcd/${name}`, controllers[name] as string);
    if (!dir) {
      log(`  ${name}: no controller module on the proxy; its CRDs are not cross-checked`);
      continue;
    }
    upstream.set(name, join(dir, "config/crd/bases"));
    const m = /CONTROLLER_GEN_VERSION \?= (v[\d.]+)/.exec(
      readFileSync(join(dir, "Makefile"), "utf8"),
    );
    if (m && name === "kustomize-controller") controllerGen = m[1] as string;
  }
  log(`controller-gen ${controllerGen}`);
  const bin = join(work, "bin");
  const install = go(
    ["install", `sigs.k8s.io/controller-tools/cmd/controller-gen@${controllerGen}`],
    work,
    {
      ...goEnv,
      GOBIN: bin,
    },
  );
  if (install.code !== 0) throw new Error(`installing controller-gen: ${install.stderr}`);

  const kinds: FluxKind[] = [];
  for (const name of FLUX_CONTROLLERS) {
    const moduleDir = apiDirs.get(name) as string;
    const src = join(work, name);
    cpSync(moduleDir, src, { recursive: true });
    chmodRecursive(src);
    // Versions Flux keeps as Go types but no longer serves are marked skipversion;
    // dropping the marker lets controller-gen emit their schemas as well.
    const unserved = new Set<string>();
    for (const file of goFiles(src)) {
      const text = readFileSync(file, "utf8");
      if (!text.includes("+kubebuilder:skipversion")) continue;
      unserved.add(basename(dirname(file)));
      writeFileSync(file, text.replace(/^\s*\/\/ ?\+kubebuilder:skipversion\s*$/gm, ""));
    }
    const out = join(work, `${name}-crds`);
    const r = spawnSync(
      join(bin, "controller-gen"),
      ["crd:crdVersions=v1", "paths=./...", `output:crd:artifacts:config=${out}`],
      {
        cwd: src,
        env: goEnv,
        encoding: "utf8",
      },
    );
    if (r.status !== 0) throw new Error(`controller-gen in ${name}/api: ${r.stderr}`);
    const crds = readCrds(out);
    const upstreamDir = upstream.get(name);
    if (upstreamDir) compareWithUpstream(name, crds, readCrds(upstreamDir), unserved);
    for (const crd of crds) {
      const storage = crd.spec.versions.find((v) => v.storage)?.name ?? "";
      for (const v of crd.spec.versions) {
        const schema = v.schema?.openAPIV3Schema;
        if (!schema) continue;
        const kind: FluxKind = {
          apiVersion: `${crd.spec.group}/${v.name}`,
          kind: crd.spec.names.kind,
          served: !unserved.has(v.name),
          storage: `${crd.spec.group}/${storage}`,
          schema: minimize(schema, () => {
            throw new Error("CRD schemas have no references");
          }),
        };
        if (v.deprecated) kind.deprecated = v.deprecationWarning ?? "deprecated";
        kinds.push(kind);
      }
    }
  }
  kinds.sort((a, b) => a.apiVersion.localeCompare(b.apiVersion) || a.kind.localeCompare(b.kind));
  const { shared, out } = hoistShared(kinds.map((k) => k.schema));
  kinds.forEach((k, i) => {
    k.schema = out[i] as MiniSchema;
  });
  return {
    source: `github.com/fluxcd/flux2/v2 ${fluxVersion}: controller API modules through controller-gen ${controllerGen} (crd:crdVersions=v1)`,
    flux: fluxVersion,
    controllers,
    shared,
    kinds,
  };
}

function chmodRecursive(dir: string): void {
  chmodSync(dir, 0o755);
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) chmodRecursive(path);
    else chmodSync(path, 0o644);
  }
}

function compareWithUpstream(
  name: string,
  ours: Crd[],
  theirs: Crd[],
  unserved: Set<string>,
): void {
  const key = (crd: Crd, v: CrdVersion) => `${crd.spec.group}/${v.name}/${crd.spec.names.kind}`;
  const theirSchemas = new Map<string, string>();
  for (const crd of theirs) {
    for (const v of crd.spec.versions)
      theirSchemas.set(key(crd, v), canonical(v.schema?.openAPIV3Schema ?? {}));
  }
  let same = 0;
  for (const crd of ours) {
    for (const v of crd.spec.versions) {
      if (unserved.has(v.name)) continue;
      const upstream = theirSchemas.get(key(crd, v));
      if (upstream === canonical(v.schema?.openAPIV3Schema ?? {})) same++;
      else log(`  warning: ${key(crd, v)} differs from ${name}'s committed CRD YAML`);
    }
  }
  log(`  ${name}: ${same} served CRD version(s) identical to the committed YAML`);
}

// ---------------------------------------------------------------------------------------

// The data ships as a TypeScript module holding the JSON text: esbuild inlines it into
// dist/cli.js like a JSON import would, but Biome leaves a string alone (it would
// re-indent a .json file to about 1.6 times the size) and tsc does not infer a type for
// 300 KiB of schemas (a JSON import adds seconds to every typecheck).
function writeData(file: string, data: unknown, depth: number): number {
  const module = dataModule(linedJson(data, depth));
  writeFileSync(join(dataDir, file), module);
  return Buffer.byteLength(module);
}

// `--flux-only`: regenerate flux.ts alone (a Flux release or controller added), leaving
// the Kubernetes and deprecation data as they are.
function writeFluxOnly(): void {
  const flux = buildFlux();
  log(`flux.ts: ${(writeData("flux.ts", flux, 2) / 1024).toFixed(1)} KiB`);
  log(
    `Flux ${flux.flux}: ${Object.entries(flux.controllers)
      .map(([n, v]) => `${n} ${v}`)
      .join(", ")}`,
  );
}

try {
  mkdirSync(dataDir, { recursive: true });
  if (process.argv.includes("--flux-only")) writeFluxOnly();
  else writeAll();
  // The precompiled validators follow the data (a new process: this one has not read it).
  const validators = spawnSync(process.execPath, [join(here, "generate-validators.ts")], {
    stdio: "inherit",
  });
  if (validators.status !== 0) throw new Error("generate-validators.ts failed");
} finally {
  rmSync(work, { recursive: true, force: true });
}

function writeAll(): void {
  const picked = pickKubernetes();
  const specs = picked.map(([v, dir]) => readSpec(dir, v.text));
  const apiDirs: string[] = [];
  const apiVersions = listVersions("k8s.io/api");
  for (const [v] of picked) {
    // k8s.io/api v0.Y.Z is the staging copy of k8s.io/kubernetes v1.Y.Z.
    const versions = apiVersions.filter((a) => a.minor === v.minor && a.major === 0);
    const exact = versions.filter((a) => a.patch === v.patch);
    const got = newestDownloadable("k8s.io/api", [
      ...exact,
      ...versions.filter((a) => a.patch !== v.patch),
    ]);
    if (got) apiDirs.push(got[1]);
  }
  const kubernetes = buildKubernetes(specs);
  const deprecations = buildDeprecations(specs, apiDirs);
  const flux = buildFlux();
  const sizes = {
    "kubernetes.ts": writeData("kubernetes.ts", kubernetes, 3),
    "deprecations.ts": writeData("deprecations.ts", deprecations, 2),
    "flux.ts": writeData("flux.ts", flux, 2),
  };
  const total = Object.values(sizes).reduce((a, b) => a + b, 0);
  for (const [file, size] of Object.entries(sizes)) log(`${file}: ${(size / 1024).toFixed(1)} KiB`);
  log(`total: ${(total / 1024).toFixed(1)} KiB`);
  log(`Kubernetes: ${specs.map((s) => s.release).join(", ")}`);
  log(
    `Flux ${flux.flux}: ${Object.entries(flux.controllers)
      .map(([n, v]) => `${n} ${v}`)
      .join(", ")}`,
  );
}
