#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  IgnoreRules,
  readSourceIgnore
} from "./chunk-F6H36ORJ.js";
import {
  OutsideRootError,
  confine,
  resolveSymlinks
} from "./chunk-C4RKCN44.js";
import {
  DEFAULT_LIMITS,
  ManifestError,
  limitsFromEnv,
  parseManifests,
  readManifestText
} from "./chunk-K4EN55PN.js";

// shared/render/render.ts
const { existsSync: existsSync2 } = require("node:fs");
const { readFile, stat: stat2 } = require("node:fs/promises");
const { join: join5, relative: relative4, resolve: resolve2, sep: sep4 } = require("node:path");

// shared/charts/template.ts
const { execFile } = require("node:child_process");
const { mkdtemp, rm, writeFile } = require("node:fs/promises");
const { tmpdir } = require("node:os");
const { join } = require("node:path");
async function helmTemplate(chart, options) {
  const dir = await mkdtemp(join(tmpdir(), "tether-helm-template-"));
  try {
    const args = [
      "template",
      options.releaseName,
      chart,
      "--namespace",
      options.namespace,
      "--include-crds"
    ];
    if (options.values && Object.keys(options.values).length > 0) {
      const file = join(dir, "values.json");
      await writeFile(file, JSON.stringify(options.values), { mode: 384 });
      args.push("--values", file);
    }
    if (options.kubeVersion) args.push("--kube-version", options.kubeVersion);
    if (options.postRender) {
      const { postRenderBuild, postRendererFlags, postRenderFolders, writePostRenderFolders } = await import("./postrender-7KHLHJ32.js");
      const folders = postRenderFolders(options.postRender.spec);
      const postRenderDir = join(dir, "post-renderer");
      await writePostRenderFolders(postRenderDir, folders);
      args.push(
        ...postRendererFlags(postRenderBuild(postRenderDir, folders, options.postRender.kustomize))
      );
    }
    const output = await new Promise((done, fail) => {
      execFile(
        options.binary ?? "helm",
        args,
        {
          maxBuffer: 256 * 1024 * 1024,
          // Helm's caches go to the temporary folder, never to a home folder.
          env: {
            PATH: process.env.PATH,
            HOME: dir,
            HELM_CONFIG_HOME: join(dir, "config"),
            HELM_CACHE_HOME: join(dir, "cache"),
            HELM_DATA_HOME: join(dir, "data")
          }
        },
        (error, stdout, stderr) => {
          if (error && error.code === "ENOENT") {
            fail(
              new ManifestError(
                options.sourceOf(void 0),
                void 0,
                "helm is not installed (it must be on PATH)"
              )
            );
          } else if (error) {
            const text = (stderr.trim() || error.message).replace(/^Error: /, "");
            fail(
              new ManifestError(
                options.sourceOf(void 0),
                void 0,
                `helm template failed: ${text}`
              )
            );
          } else done(stdout);
        }
      );
    });
    return await withTemplateSources(output, options.sourceOf);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
async function withTemplateSources(output, sourceOf) {
  const lines = output.split("\n");
  const templateAt = [];
  let current;
  for (const line of lines) {
    const m = /^# Source: (.+)$/.exec(line);
    if (m) current = m[1]?.trim();
    templateAt.push(current);
  }
  return (await parseManifests(output, "helm template")).map((m) => {
    const template = m.source.line !== void 0 ? templateAt[m.source.line - 1] : void 0;
    return { object: m.object, source: { file: sourceOf(template) } };
  });
}

// shared/render/flux-dir.ts
const { readdir: readdir2, stat } = require("node:fs/promises");
const { join: join4, relative: relative3, sep: sep3 } = require("node:path");

// shared/render/kustomize.ts
const { execFile: execFile2 } = require("node:child_process");
const { existsSync } = require("node:fs");
const { dirname, join: join3, relative: relative2, resolve, sep: sep2 } = require("node:path");

// shared/render/mirror.ts
const { mkdir, mkdtemp: mkdtemp2, readdir, rm: rm2, symlink, writeFile: writeFile2 } = require("node:fs/promises");
const { tmpdir: tmpdir2 } = require("node:os");
const { join: join2, relative, sep } = require("node:path");
async function mirrorFolder(root, dir, files) {
  const mirrorRoot = await mkdtemp2(join2(tmpdir2(), "tether-mirror-"));
  const remove = () => rm2(mirrorRoot, { recursive: true, force: true });
  try {
    const steps = relative(root, dir).split(sep).filter(Boolean);
    let real = root;
    let mirrored = mirrorRoot;
    for (let depth = 0; ; depth++) {
      const next = steps[depth];
      const own = next === void 0 ? new Set(Object.keys(files)) : /* @__PURE__ */ new Set([next]);
      for (const entry of await readdir(real)) {
        if (!own.has(entry)) await symlink(join2(real, entry), join2(mirrored, entry));
      }
      if (next === void 0) break;
      real = join2(real, next);
      mirrored = join2(mirrored, next);
      await mkdir(mirrored);
    }
    for (const [name, text] of Object.entries(files)) {
      await writeFile2(join2(mirrored, name), text);
    }
    return { root: mirrorRoot, dir: mirrored, remove };
  } catch (error) {
    await remove();
    throw error;
  }
}

// shared/render/kustomize.ts
var KUSTOMIZATION_FILES = ["kustomization.yaml", "kustomization.yml", "Kustomization"];
function findKustomization(dir) {
  for (const name of KUSTOMIZATION_FILES) {
    const path = join3(dir, name);
    if (existsSync(path)) return path;
  }
  return void 0;
}
function isRemoteReference(ref, dir) {
  if (/^[a-z][a-z0-9+.-]*:/i.test(ref) && !/^[a-z]:[\\/]/i.test(ref)) return true;
  if (/^[^/]*@[^/]*:/.test(ref)) return true;
  if (/[?&](ref|version|timeout|submodules)=/i.test(ref)) return true;
  const first = ref.split("/")[0] ?? "";
  if (/^[^.][^/]*\.[a-z]{2,}$/i.test(first) && ref.includes("/") && !existsSync(resolve(dir, ref)))
    return true;
  return false;
}
var isObj = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
var strings = (v) => Array.isArray(v) ? v.filter((s) => typeof s === "string") : [];
var pathsOrInline = (v) => strings(v).filter((s) => !s.includes("\n"));
var field = (v, key) => isObj(v) && typeof v[key] === "string" ? [v[key]] : [];
function kustomizationReferences(doc) {
  const items = (key) => Array.isArray(doc[key]) ? doc[key] : [];
  const builds = [
    ...strings(doc.resources),
    ...strings(doc.bases),
    ...strings(doc.components),
    ...pathsOrInline(doc.generators),
    ...pathsOrInline(doc.transformers),
    ...pathsOrInline(doc.validators)
  ];
  const generatorFiles = [...items("configMapGenerator"), ...items("secretGenerator")].flatMap(
    (g) => isObj(g) ? [
      // `files` entries may be `key=path`.
      ...strings(g.files).map((f) => f.slice(f.indexOf("=") + 1)),
      ...strings(g.envs),
      ...field(g, "env")
    ] : []
  );
  const helm = items("helmCharts").flatMap((c) => [
    ...field(c, "repo"),
    ...field(c, "valuesFile"),
    ...isObj(c) ? strings(c.additionalValuesFiles) : []
  ]);
  const reads = [
    ...items("patches").flatMap((p) => field(p, "path")),
    ...items("patchesJson6902").flatMap((p) => field(p, "path")),
    ...pathsOrInline(doc.patchesStrategicMerge),
    ...items("replacements").flatMap((r) => field(r, "path")),
    ...strings(doc.crds),
    ...strings(doc.configurations),
    ...field(doc.openapi, "path"),
    ...field(doc.helmGlobals, "chartHome"),
    ...field(doc.helmGlobals, "configHome"),
    ...generatorFiles,
    ...helm
  ];
  return { builds, reads };
}
async function parseKustomization(text, name) {
  const { LineCounter, parseAllDocuments } = await import("./dist-E773PDCR.js");
  const { plainValue, syntaxError } = await import("./parse-yaml-5P5LSQEK.js");
  const lines = new LineCounter();
  const first = parseAllDocuments(text, { lineCounter: lines, uniqueKeys: true })[0];
  const problem = first && syntaxError(first, name);
  if (problem) throw problem;
  const parsed = (first && plainValue(first, lines, name)) ?? {};
  return isObj(parsed) ? parsed : {};
}
async function checkKustomizationTree(dir, root, options = {}, seen = /* @__PURE__ */ new Set()) {
  const file = findKustomization(dir);
  if (!file || seen.has(file)) return [];
  seen.add(file);
  const name = relative2(root, file).split(sep2).join("/");
  const doc = await parseKustomization(await readManifestText(file, name), name);
  return checkKustomization(doc, dir, name, root, options, seen);
}
async function checkKustomization(doc, dir, name, root, options, seen) {
  const { builds, reads } = kustomizationReferences(doc);
  const problems = [];
  for (const ref of [...builds, ...reads]) {
    if (isRemoteReference(ref, dir)) {
      if (!options.allowRemoteBases) problems.push(`${name}: ${ref} (a remote reference)`);
      continue;
    }
    let real;
    try {
      real = await confine(root, resolve(dir, ref), ref);
    } catch (error) {
      if (!(error instanceof OutsideRootError)) throw error;
      problems.push(`${name}: ${ref} (leaves the repository)`);
      continue;
    }
    if (builds.includes(ref) && findKustomization(real)) {
      problems.push(...await checkKustomizationTree(real, root, options, seen));
    }
  }
  return problems;
}
function refusal(name, problems) {
  return new ManifestError(
    name,
    void 0,
    `refused before building (remote bases are not allowed unless enabled explicitly; paths must stay in the repository): ${problems.join(", ")}`
  );
}
function offlineEnvironment() {
  const closed = "http://127.0.0.1:9";
  return {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: process.env.HOME ?? "/nonexistent",
    GIT_ALLOW_PROTOCOL: "none",
    GIT_TERMINAL_PROMPT: "0",
    HTTP_PROXY: closed,
    HTTPS_PROXY: closed,
    http_proxy: closed,
    https_proxy: closed,
    NO_PROXY: ""
  };
}
async function kustomizeBuild(dir, base, options = {}) {
  const kustomization = findKustomization(dir);
  const name = relative2(base, kustomization ?? dir).split(sep2).join("/");
  const problems = await checkKustomizationTree(dir, base, options);
  if (problems.length > 0) throw refusal(name, problems);
  return runKustomize(dir, name, options);
}
async function kustomizeBuildInstead(dir, root, kustomization, options = {}) {
  const name = kustomization.name ?? relative2(root, join3(dir, kustomization.file)).split(sep2).join("/");
  const doc = await parseKustomization(kustomization.text, name);
  const problems = await checkKustomization(doc, dir, name, root, options, /* @__PURE__ */ new Set());
  if (problems.length > 0) throw refusal(name, problems);
  const mirror = await mirrorFolder(root, dir, {
    ...kustomization.extraFiles,
    [kustomization.file]: kustomization.text
  });
  try {
    return await runKustomize(
      mirror.dir,
      name,
      { ...options, loadRestrictionsNone: true },
      (text) => text.replaceAll(mirror.root, root)
    );
  } finally {
    await mirror.remove();
  }
}
async function runKustomize(dir, name, options, shown = (message) => message) {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const output = await new Promise((done, fail) => {
    execFile2(
      options.binary ?? "kustomize",
      [
        "build",
        dir,
        ...options.loadRestrictionsNone ? ["--load-restrictor=LoadRestrictionsNone"] : []
      ],
      {
        maxBuffer: limits.maxRenderBytes,
        cwd: dirname(dir),
        env: options.allowRemoteBases ? process.env : offlineEnvironment()
      },
      (error, stdout, stderr) => {
        if (error && error.code === "ERR_CHILD_PROCESS_STDIO_MAXBUFFER") {
          fail(
            new ManifestError(
              name,
              void 0,
              `kustomize build output is more than the limit of ${limits.maxRenderBytes} bytes for one render (raise TETHER_MAX_RENDER_SIZE or split the unit)`
            )
          );
        } else if (error && error.code === "ENOENT") {
          fail(
            new ManifestError(name, void 0, "kustomize is not installed (it must be on PATH)")
          );
        } else if (error) {
          fail(
            new ManifestError(
              name,
              void 0,
              `kustomize build failed: ${shown(stderr.trim() || error.message)}`
            )
          );
        } else done(stdout);
      }
    );
  });
  return (await parseManifests(output, name, { limits })).map((m) => ({
    object: m.object,
    source: { file: name }
  }));
}

// shared/render/flux-dir.ts
var MANIFEST_FILE = /\.(ya?ml|json)$/i;
function isKustomizeConfig(object) {
  return typeof object.apiVersion === "string" && object.apiVersion.startsWith("kustomize.config.k8s.io/");
}
var toPosix = (path) => path.split(sep3).join("/");
async function listFluxDir(dir, root, ignore = IgnoreRules.defaults()) {
  let rules = ignore;
  const parts = toPosix(relative3(root, dir)).split("/").filter(Boolean);
  for (let i = 0; i < parts.length; i++) {
    const domain = parts.slice(0, i).join("/");
    rules = rules.with(await readSourceIgnore(join4(root, domain), domain));
  }
  const entries = [];
  const followed = /* @__PURE__ */ new Set();
  const walk = async (current, rules2) => {
    const domain = toPosix(relative3(root, current));
    const here = rules2.with(await readSourceIgnore(current, domain));
    const children = await readdir2(current, { withFileTypes: true });
    children.sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
    for (const child of children) {
      const path = join4(current, child.name);
      const rel = toPosix(relative3(root, path));
      if (child.name.startsWith(".")) continue;
      let isDirectory = child.isDirectory();
      let isFile = child.isFile();
      if (child.isSymbolicLink()) {
        const real = await confine(root, path, rel);
        const info = await stat(real).catch(() => void 0);
        if (info?.isDirectory()) {
          if (followed.has(real)) continue;
          followed.add(real);
        }
        isDirectory = info?.isDirectory() ?? false;
        isFile = info?.isFile() ?? false;
      }
      if (isDirectory) {
        if (here.ignores(rel, true)) continue;
        if (findKustomization(path)) entries.push({ type: "base", path });
        else await walk(path, here);
      } else if (isFile && MANIFEST_FILE.test(child.name) && !here.ignores(rel, false)) {
        entries.push({ type: "file", path });
      }
    }
  };
  await walk(dir, rules);
  return entries;
}
async function loadPlainFile(file, options) {
  return parsePlainFile(
    await readManifestText(file.path, file.name, options.limits),
    file,
    options
  );
}
function parsePlainFile(text, file, options) {
  return parseManifests(text, file.name, {
    skip: isKustomizeConfig,
    limits: options.limits,
    positions: options.positions
  });
}
async function renderFluxDir(dir, root, options = {}) {
  const result = { manifests: [], errors: [] };
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  let entries;
  try {
    entries = await listFluxDir(dir, root, options.ignore);
  } catch (error) {
    if (!(error instanceof OutsideRootError)) throw error;
    result.errors.push(new ManifestError(error.path, void 0, error.message));
    return result;
  }
  let total = 0;
  for (const entry of entries) if (entry.type === "file") total += (await stat(entry.path)).size;
  if (total > limits.maxRenderBytes) {
    const name = toPosix(relative3(root, dir)) || ".";
    result.errors.push(
      new ManifestError(
        name,
        void 0,
        `files of ${total} bytes, more than the limit of ${limits.maxRenderBytes} bytes for one render (raise TETHER_MAX_RENDER_SIZE or split the unit)`
      )
    );
    return result;
  }
  const fileOptions = { limits, positions: options.positions ?? false };
  const files = entries.flatMap(
    (e) => e.type === "file" ? [{ path: e.path, name: toPosix(relative3(root, e.path)) }] : []
  );
  const elsewhere = options.loadPlainFiles?.(files, fileOptions, total);
  for (const loading of elsewhere ?? []) loading.catch(() => {
  });
  let next = 0;
  for (const entry of entries) {
    try {
      if (entry.type === "base") {
        result.manifests.push(...await kustomizeBuild(entry.path, root, options));
      } else {
        const index = next++;
        result.manifests.push(
          ...await (elsewhere?.[index] ?? loadPlainFile(files[index], fileOptions))
        );
      }
    } catch (error) {
      if (error instanceof ManifestError) result.errors.push(error);
      else throw error;
    }
  }
  return result;
}

// shared/render/render.ts
async function renderPath(root, path, options = {}) {
  const limits = { ...limitsFromEnv(), ...options.limits };
  const name = relative4(root, resolve2(root, path)).split(sep4).join("/") || ".";
  let target;
  try {
    target = await confine(root, path, name.startsWith("..") ? path : name);
  } catch (error) {
    if (!(error instanceof OutsideRootError)) throw error;
    return {
      renderer: "plain",
      manifests: [],
      errors: [new ManifestError(error.path, void 0, error.message)]
    };
  }
  const realRoot = await resolveSymlinks(root);
  const info = await stat2(target).catch(() => void 0);
  if (!info) {
    return {
      renderer: "plain",
      manifests: [],
      errors: [new ManifestError(name, void 0, "the path does not exist")]
    };
  }
  let result;
  if (info.isFile()) {
    result = await renderOne(
      "file",
      () => readManifestText(target, name, {
        maxFileBytes: Math.min(limits.maxFileBytes, limits.maxRenderBytes)
      }).then(
        (text) => parseManifests(text, name, { limits, positions: options.positions ?? false })
      )
    );
  } else if (isChartFolder(target)) {
    result = await renderOne("helm", () => renderChartFolder(target, name, options.helm));
  } else if (findKustomization(target)) {
    result = await renderOne(
      "kustomize",
      () => kustomizeBuild(target, realRoot, { ...options, limits })
    );
  } else {
    const loaded = await renderFluxDir(target, realRoot, { ...options, limits });
    result = { renderer: "plain", manifests: loaded.manifests, errors: loaded.errors };
  }
  if (result.errors.length === 0 && result.manifests.length === 0 && !options.allowEmpty) {
    result.errors.push(
      new ManifestError(name, void 0, "renders no objects (set allowEmpty if that is intended)")
    );
  }
  return result;
}
async function renderOne(renderer, build) {
  try {
    return { renderer, manifests: await build(), errors: [] };
  } catch (error) {
    if (error instanceof ManifestError) return { renderer, manifests: [], errors: [error] };
    throw error;
  }
}
function isChartFolder(dir) {
  return existsSync2(join5(dir, "Chart.yaml"));
}
async function renderChartFolder(dir, name, binary) {
  const { parse } = await import("./dist-E773PDCR.js");
  const meta = parse(await readFile(join5(dir, "Chart.yaml"), "utf8")) ?? {};
  const chartName = typeof meta.name === "string" && meta.name ? meta.name : "release";
  return helmTemplate(dir, {
    binary,
    releaseName: chartName,
    namespace: "default",
    // "app-demo/templates/x.yaml" is the chart folder's templates/x.yaml.
    sourceOf: (template) => template ? `${name === "." ? "" : `${name}/`}${template.split("/").slice(1).join("/")}` : `${name}/Chart.yaml`
  });
}

export {
  helmTemplate,
  KUSTOMIZATION_FILES,
  findKustomization,
  isRemoteReference,
  kustomizeBuildInstead,
  loadPlainFile,
  renderPath,
  isChartFolder
};
