#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  defaultChartCache,
  expandHelmReleases,
  valuesPointerOf
} from "./chunk-PORQVWGD.js";
import {
  buildReport,
  statusOf
} from "./chunk-PW6NO3M2.js";
import "./chunk-QAERNIXE.js";
import {
  KUSTOMIZATION_FILES,
  findKustomization,
  isChartFolder,
  isRemoteReference,
  loadPlainFile,
  renderPath
} from "./chunk-MQEAY646.js";
import {
  loadPrecompiledValidators,
  schemasFromCrds,
  validateObject
} from "./chunk-ONAEWK7X.js";
import {
  compareMinor,
  resolveKubernetesVersion
} from "./chunk-GU5OC4EN.js";
import "./chunk-F6H36ORJ.js";
import "./chunk-NOP66P3V.js";
import {
  mapLimit
} from "./chunk-F7OZ6T2Y.js";
import "./chunk-RFGLCAPQ.js";
import "./chunk-ZRNRZWX5.js";
import "./chunk-ASGSV6PC.js";
import "./chunk-3QINMYF6.js";
import "./chunk-G2PVCOPF.js";
import {
  redactSecrets
} from "./chunk-KVDOGNFO.js";
import {
  UsageError
} from "./chunk-YPJ6XMAN.js";
import "./chunk-D4VEYYO7.js";
import {
  deprecationData,
  fluxData,
  kubernetesData
} from "./chunk-RJ6COGY3.js";
import {
  confine,
  isInside,
  resolveSymlinks
} from "./chunk-C4RKCN44.js";
import "./chunk-DYND6O65.js";
import "./chunk-6SSSO5LC.js";
import {
  YamlPositions
} from "./chunk-UOZOTW6C.js";
import {
  ManifestError,
  decodeUtf8
} from "./chunk-K4EN55PN.js";
import {
  splitPointer
} from "./chunk-OTIGXPIO.js";
import "./chunk-XRGQOWGB.js";
import {
  require_dist
} from "./chunk-HPGUIRHG.js";
import "./chunk-PFUBHAN2.js";
import "./chunk-SGKLXC2P.js";
import {
  __toESM
} from "./chunk-3IQPLNQJ.js";

// action/validate/run.ts
const { availableParallelism } = require("node:os");
const { resolve: resolve6, sep: sep5 } = require("node:path");

// shared/validate/deprecations.ts
var index;
var byApiVersion;
function lifecycle(apiVersion, kind) {
  if (!index) {
    index = /* @__PURE__ */ new Map();
    byApiVersion = /* @__PURE__ */ new Map();
    for (const e of deprecationData().apis) {
      index.set(`${e.apiVersion} ${e.kind}`, e);
      const list = byApiVersion.get(e.apiVersion) ?? [];
      list.push(e);
      byApiVersion.set(e.apiVersion, list);
    }
  }
  return index.get(`${apiVersion} ${kind}`);
}
function served(minor, apiVersion, kind) {
  const kinds = kubernetesData().versions[minor]?.kinds[apiVersion];
  return kinds !== void 0 && (kind === void 0 || kinds[kind] !== void 0);
}
function finalReplacement(entry, minor) {
  let replacement = entry.replacement;
  for (let hops = 0; replacement && hops < 5; hops++) {
    const next = lifecycle(replacement.apiVersion, replacement.kind);
    if (!next?.removed || compareMinor(minor, next.removed) < 0 || !next.replacement) break;
    replacement = next.replacement;
  }
  return replacement;
}
function advice(entry, replacement) {
  if (replacement) return `; use ${replacement.apiVersion} ${replacement.kind}`;
  return entry.note ? `; ${entry.note}` : "";
}
function checkApiVersion(apiVersion, kind, kubernetesVersion) {
  const minor = resolveKubernetesVersion(kubernetesVersion);
  const key = `${minor}\0${apiVersion}\0${kind}`;
  let found = answers.get(key);
  if (!found) {
    found = findingsFor(apiVersion, kind, minor);
    answers.set(key, found);
  }
  return found.map((f) => ({ ...f }));
}
var answers = /* @__PURE__ */ new Map();
function findingsFor(apiVersion, kind, minor) {
  const at = { path: "apiVersion", pointer: "/apiVersion" };
  const flux = fluxFinding(apiVersion, kind);
  if (flux) return [{ ...flux, ...at }];
  const entry = lifecycle(apiVersion, kind);
  if (entry?.removed && compareMinor(minor, entry.removed) >= 0 && !served(minor, apiVersion, kind)) {
    const replacement = finalReplacement(entry, minor);
    const deprecated = entry.deprecated ? `deprecated in v${entry.deprecated}, ` : "";
    const f = {
      severity: "error",
      rule: "removed-api",
      message: `${apiVersion} ${kind} is not served by Kubernetes ${minor} (${deprecated}removed in v${entry.removed})${advice(entry, replacement)}`,
      ...at,
      removedIn: entry.removed
    };
    if (entry.deprecated) f.deprecatedIn = entry.deprecated;
    if (replacement) f.replacement = replacement;
    return [f];
  }
  if (entry?.deprecated && compareMinor(minor, entry.deprecated) >= 0) {
    const replacement = finalReplacement(entry, minor);
    const unavailable = entry.removed ? `, unavailable in v${entry.removed}+` : "";
    const f = {
      severity: "warning",
      rule: "deprecated-api",
      message: `${apiVersion} ${kind} is deprecated in v${entry.deprecated}+${unavailable}${advice(entry, replacement)}`,
      ...at,
      deprecatedIn: entry.deprecated
    };
    if (entry.removed) f.removedIn = entry.removed;
    if (replacement) f.replacement = replacement;
    return [f];
  }
  if (!entry && !served(minor, apiVersion)) {
    const known = byApiVersion?.get(apiVersion) ?? [];
    const removedIn = known.map((e) => e.removed).filter((r) => r !== void 0).sort(compareMinor).pop();
    if (known.length > 0 && removedIn && known.every((e) => e.removed) && compareMinor(minor, removedIn) >= 0) {
      return [
        {
          severity: "error",
          rule: "removed-api",
          message: `${apiVersion} is not served by Kubernetes ${minor} (removed by v${removedIn})`,
          ...at,
          removedIn
        }
      ];
    }
  }
  return [];
}
function fluxFinding(apiVersion, kind) {
  const data = fluxData();
  const k = data.kinds.find((f) => f.apiVersion === apiVersion && f.kind === kind);
  if (!k || k.served && !k.deprecated) return void 0;
  const replacement = { apiVersion: k.storage, kind };
  const why = k.served ? `is deprecated (${k.deprecated})` : `is no longer served by Flux ${data.flux}`;
  return {
    severity: "warning",
    rule: "deprecated-api",
    message: `${apiVersion} ${kind} ${why}; use ${replacement.apiVersion} ${replacement.kind}`,
    replacement
  };
}

// action/validate/schema.ts
function pending(source, f) {
  return {
    severity: f.severity,
    source,
    rule: f.rule,
    message: f.message,
    pointer: f.pointer,
    ...f.path ? { field: f.path } : {}
  };
}
function checkSchema(object, options) {
  const result = validateObject(object, options);
  if (result.status === "skipped" && result.findings.length === 0) {
    const kind = String(object.kind);
    const apiVersion = String(object.apiVersion);
    const skippedByFlag = options.skipKinds.some(
      (k) => k.trim() === kind || k.trim() === `${apiVersion}/${kind}`
    );
    if (skippedByFlag) return { skipped: true, messages: [] };
  }
  const deprecations = typeof object.apiVersion === "string" && typeof object.kind === "string" ? checkApiVersion(object.apiVersion, object.kind, options.kubernetesVersion) : [];
  const removed = deprecations.some((d) => d.rule === "removed-api");
  const schema = result.findings.filter((f) => !(removed && f.rule === "missing-schema"));
  return {
    skipped: result.status === "skipped",
    messages: [
      ...deprecations.map((d) => pending("deprecation", d)),
      ...schema.map((f) => pending("schema", f))
    ]
  };
}

// action/validate/check.ts
function checkOptions(config) {
  return {
    kubernetesVersion: config.kubernetesVersion,
    strict: config.strict,
    ignoreMissingSchemas: config.ignoreMissingSchemas,
    skipKinds: config.skipKinds,
    rejectKinds: config.rejectKinds,
    serverRules: config.serverRules
  };
}
async function objectChecker(options, crdSchemas) {
  const rules = options.serverRules ? (await import("./rules-LVT6356R.js")).checkServerSide : void 0;
  const schemaOptions = { ...options, crdSchemas };
  return (object) => {
    const { skipped, messages } = checkSchema(object, schemaOptions);
    if (skipped || !rules) return { skipped, messages, notes: [] };
    const found = rules(object, crdSchemas);
    return { skipped, messages: [...messages, ...found.messages], notes: found.notes };
  };
}
function prepareChecks(options, objects) {
  return loadPrecompiledValidators(objects, options.kubernetesVersion, options.strict);
}
function dependsOnCrds(object, crdSchemas) {
  if (crdSchemas.size === 0) return false;
  if (crdSchemas.has(`${String(object.apiVersion)}/${String(object.kind)}`)) return true;
  return Array.isArray(object.items) && object.items.some(
    (item) => typeof item === "object" && item !== null && dependsOnCrds(item, crdSchemas)
  );
}

// action/validate/discover.ts
const fsp = require("node:fs/promises");
const { readdir, stat } = require("node:fs/promises");
const { basename, dirname, relative: relative2, resolve: resolve2, sep: sep2 } = require("node:path");

// shared/render/origins.ts
var import_yaml = __toESM(require_dist(), 1);
const { existsSync, statSync } = require("node:fs");
const { readFile } = require("node:fs/promises");
const { relative, resolve, sep } = require("node:path");
var isObj = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
var strings = (v) => Array.isArray(v) ? v.filter((s) => typeof s === "string") : [];
async function readKustomization(dir) {
  const file = findKustomization(dir);
  if (!file) return void 0;
  const text = await readFile(file, "utf8");
  const lines = new import_yaml.LineCounter();
  const tree = (0, import_yaml.parseDocument)(text, { lineCounter: lines, uniqueKeys: false });
  let doc;
  try {
    doc = tree.errors.length > 0 ? {} : tree.toJS({ maxAliasCount: 100 });
  } catch {
    doc = {};
  }
  return { file, doc: isObj(doc) ? doc : {}, tree, lines, text };
}
async function readKustomizationRefs(dir) {
  const k = await readKustomization(dir).catch(() => void 0);
  if (!k) return { dirs: [], component: false };
  const refs = [...strings(k.doc.resources), ...strings(k.doc.bases), ...strings(k.doc.components)];
  return {
    dirs: refs.filter((r) => !isRemoteReference(r, dir)).map((r) => resolve(dir, r)).filter((p) => findKustomization(p) !== void 0),
    component: k.doc.kind === "Component"
  };
}
var KustomizeTree = class _KustomizeTree {
  /** Every kustomization folder reached (absolute), the unit's own first. */
  dirs = [];
  /** Every file read (relative to the root): kustomizations, resources, patches. */
  files = [];
  docs = [];
  root;
  kustomizationFile;
  constructor(root, kustomizationFile) {
    this.root = root;
    this.kustomizationFile = kustomizationFile;
  }
  /** Reads the tree of the kustomization in `dir`; names are relative to `root`. */
  static async read(dir, root) {
    const file = findKustomization(dir) ?? resolve(dir, "kustomization.yaml");
    const tree = new _KustomizeTree(root, rel(root, file));
    await tree.walk(resolve(dir), /* @__PURE__ */ new Set());
    return tree;
  }
  /** The unit's kustomization file, where anything not found is reported. */
  get kustomization() {
    return this.kustomizationFile;
  }
  async walk(dir, seen) {
    if (seen.has(dir) || !await this.inside(dir)) return;
    seen.add(dir);
    const k = await readKustomization(dir).catch(() => void 0);
    if (!k) return;
    this.dirs.push(dir);
    this.files.push(rel(this.root, k.file));
    const entries = [...strings(k.doc.resources), ...strings(k.doc.bases)];
    for (const ref of [...entries, ...strings(k.doc.components)]) {
      if (isRemoteReference(ref, dir)) continue;
      const target = resolve(dir, ref);
      if (findKustomization(target)) await this.walk(target, seen);
      else if (isFile(target)) await this.addFile(target, "resource");
    }
    this.addGenerators(k);
    await this.addPatches(dir, k);
  }
  /** Files outside the repository are never read, not even for positions. */
  async inside(path) {
    return confine(this.root, path).then(
      () => true,
      () => false
    );
  }
  async addFile(path, role, target) {
    if (!await this.inside(path)) return;
    const text = await readFile(path, "utf8").catch(() => void 0);
    if (text === void 0) return;
    const file = rel(this.root, path);
    if (!this.files.includes(file)) this.files.push(file);
    this.addText(new YamlPositions(text), file, role, target, void 0);
  }
  addText(positions, file, role, target, inline) {
    for (const line of positions.objectLines()) {
      const node = positions.nodeAt(line, "");
      const value = node && "toJSON" in node ? node.toJSON() : void 0;
      const docRole = Array.isArray(value) ? "json6902" : role;
      const v = isObj(value) ? value : {};
      const metadata = isObj(v.metadata) ? v.metadata : {};
      this.docs.push({
        role: docRole,
        file,
        line,
        kind: typeof v.kind === "string" ? v.kind : void 0,
        name: typeof metadata.name === "string" ? metadata.name : void 0,
        namespace: typeof metadata.namespace === "string" ? metadata.namespace : void 0,
        target,
        text: positions,
        inline
      });
    }
  }
  addGenerators(k) {
    const file = rel(this.root, k.file);
    const positions = new YamlPositions(k.text);
    for (const [key, kind] of [
      ["configMapGenerator", "ConfigMap"],
      ["secretGenerator", "Secret"]
    ]) {
      const list = k.tree.get(key, true);
      if (!(0, import_yaml.isSeq)(list)) continue;
      list.items.forEach((item) => {
        if (!(0, import_yaml.isMap)(item) || !item.range) return;
        const name = item.get("name");
        if (typeof name !== "string") return;
        const start = k.lines.linePos(item.range[0]);
        this.docs.push({
          role: "generator",
          file,
          line: start.line,
          kind,
          name,
          text: positions,
          inline: void 0
        });
      });
    }
  }
  async addPatches(dir, k) {
    const file = rel(this.root, k.file);
    const inlineOf = (node) => inlineText(node, k.text, k.lines);
    const smp = k.tree.get("patchesStrategicMerge", true);
    if ((0, import_yaml.isSeq)(smp)) {
      for (const item of smp.items) {
        if (!(0, import_yaml.isScalar)(item) || typeof item.value !== "string") continue;
        const path = resolve(dir, item.value);
        if (!item.value.includes("\n") && isFile(path)) await this.addFile(path, "patch");
        else this.addInline(inlineOf(item), file, "patch", void 0);
      }
    }
    for (const key of ["patches", "patchesJson6902"]) {
      const list = k.tree.get(key, true);
      if (!(0, import_yaml.isSeq)(list)) continue;
      for (const item of list.items) {
        if (!(0, import_yaml.isMap)(item)) continue;
        const value = item.toJSON();
        const t = isObj(value.target) ? value.target : void 0;
        const target = t ? {
          ...typeof t.kind === "string" ? { kind: t.kind } : {},
          ...typeof t.name === "string" ? { name: t.name } : {}
        } : void 0;
        const role = key === "patchesJson6902" ? "json6902" : "patch";
        if (typeof value.path === "string") {
          const path = resolve(dir, value.path);
          if (isFile(path)) await this.addFile(path, role, target);
        } else if (typeof value.patch === "string") {
          this.addInline(inlineOf(item.get("patch", true)), file, role, target);
        }
      }
    }
  }
  addInline(inline, file, role, target) {
    if (!inline) return;
    this.addText(new YamlPositions(inline.text), file, role, target, {
      line: inline.line,
      indent: inline.indent
    });
  }
  /** Documents that define an object of this kind rendered under this name, best first. */
  definitions(kind, name, namespace) {
    return this.docs.filter(
      (d) => (d.role === "resource" || d.role === "generator") && d.kind === kind && d.name !== void 0 && // namePrefix, nameSuffix and generator hashes only add to the name.
      name.includes(d.name)
    ).sort((a, b) => score(b, name, namespace) - score(a, name, namespace));
  }
  patchesOf(kind, name, definition) {
    const original = definition?.name;
    const names = (n) => n !== void 0 && (n === original || n === name || name.includes(n));
    return this.docs.filter((d) => {
      if (d.role !== "patch" && d.role !== "json6902") return false;
      if (d.target) {
        if (d.target.kind !== void 0 && d.target.kind !== kind) return false;
        if (d.target.name === void 0) return true;
        return matchesTargetName(d.target.name, original) || matchesTargetName(d.target.name, name);
      }
      return d.kind === kind && names(d.name);
    });
  }
  /**
   * The best place for `pointer` ("" for the object itself) of the rendered object
   * `kind`/`name` (in `namespace`, which breaks ties): the last patch that has the field, else the defining document (the
   * field, or its deepest parent there), else the unit's kustomization.
   */
  locate(kind, name, pointer, namespace) {
    const [definition] = this.definitions(kind, name, namespace);
    if (pointer !== "") {
      const patches = this.patchesOf(kind, name, definition);
      for (let i = patches.length - 1; i >= 0; i--) {
        const patch = patches[i];
        const found = patch.role === "json6902" ? locateInJson6902(patch, pointer) : locateIn(patch, pointer);
        if (found?.exact) return toFile(patch, found);
      }
    }
    if (definition) {
      if (definition.role === "generator") return { file: definition.file, line: definition.line };
      const found = locateIn(definition, pointer);
      if (found) return toFile(definition, found);
      return { file: definition.file, line: definition.line };
    }
    return { file: this.kustomizationFile, line: 1 };
  }
};
function score(doc, name, namespace) {
  const sameNamespace = namespace !== void 0 && doc.namespace === namespace ? 1 : 0;
  return (doc.name === name ? 1e3 : 0) + (doc.name?.length ?? 0) * 2 + sameNamespace;
}
function matchesTargetName(pattern, name) {
  if (name === void 0) return false;
  try {
    return new RegExp(`^(?:${pattern})$`).test(name);
  } catch {
    return pattern === name;
  }
}
function locateIn(doc, pointer) {
  return doc.text.locate(doc.line, pointer);
}
function locateInJson6902(doc, pointer) {
  const ops = doc.text.nodeAt(doc.line, "");
  if (!(0, import_yaml.isSeq)(ops)) return void 0;
  for (let i = ops.items.length - 1; i >= 0; i--) {
    const op = ops.items[i];
    if (!(0, import_yaml.isMap)(op)) continue;
    const kind = op.get("op");
    const path = op.get("path");
    if (typeof path !== "string" || kind === "remove" || kind === "test") continue;
    if (pointer !== path && !pointer.startsWith(`${path}/`)) continue;
    const rest = pointer.slice(path.length);
    const base = `/${i}`;
    const inValue = rest === "" ? void 0 : doc.text.locate(doc.line, `${base}/value${rest}`);
    if (inValue?.exact) return inValue;
    const at = doc.text.locate(
      doc.line,
      `${base}/${rest === "" && op.has("value") ? "value" : "path"}`
    );
    if (at) return { ...at, exact: true };
  }
  return void 0;
}
function toFile(doc, at) {
  if (!doc.inline) return { file: doc.file, line: at.line, column: at.column };
  return {
    file: doc.file,
    line: doc.inline.line + at.line - 1,
    column: doc.inline.indent + at.column
  };
}
function inlineText(node, source, lines) {
  if (!(0, import_yaml.isScalar)(node) || typeof node.value !== "string" || !node.range) return void 0;
  const start = node.range[0];
  const block = node.type === import_yaml.Scalar.BLOCK_LITERAL || node.type === import_yaml.Scalar.BLOCK_FOLDED;
  if (!block) {
    const pos = lines.linePos(start);
    return { text: node.value, line: pos.line, indent: pos.col - 1 };
  }
  const newline = source.indexOf("\n", start);
  if (newline < 0) return void 0;
  const firstLine = source.slice(newline + 1).split("\n", 1)[0] ?? "";
  const indent = firstLine.length - firstLine.trimStart().length;
  return { text: node.value, line: lines.linePos(newline + 1).line, indent };
}
function isFile(path) {
  try {
    return existsSync(path) && statSync(path).isFile();
  } catch {
    return false;
  }
}
function rel(root, path) {
  return relative(root, path).split(sep).join("/");
}

// action/validate/discover.ts
var MANIFEST_FILE = /\.(ya?ml|json)$/i;
var GLOB = /[*?[\]{}]/;
var toName = (root, path) => relative2(root, path).split(sep2).join("/") || ".";
async function expandPaths(root, cwd, patterns) {
  const out = [];
  const realRoot = await resolveSymlinks(root);
  for (const pattern of patterns) {
    let found;
    if (GLOB.test(pattern)) {
      found = [];
      if (typeof fsp.glob !== "function")
        throw new Error(`globs need Node 22 or later: ${pattern}`);
      for await (const match of fsp.glob(pattern, { cwd })) found.push(resolve2(cwd, match));
      if (found.length === 0) throw new UsageError(`${pattern}: the pattern matches nothing`);
      found.sort();
    } else {
      const path = resolve2(cwd, pattern);
      if (!await stat(path).catch(() => void 0)) {
        throw new UsageError(`${pattern}: no such file or folder`);
      }
      found = [path];
    }
    for (const path of found) {
      if (!isInside(await resolveSymlinks(path), realRoot)) {
        throw new UsageError(`${pattern}: outside the repository root ${root} (see --root)`);
      }
    }
    out.push(...found);
  }
  return out;
}
async function walk(dir, skip, into) {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  if (entries.some((e) => e.isFile() && e.name === "Chart.yaml")) {
    into.charts.push(dir);
    return;
  }
  if (entries.some((e) => e.isFile() && KUSTOMIZATION_FILES.includes(e.name))) {
    into.kustomizations.push(dir);
  }
  for (const entry of entries) {
    if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
    const path = resolve2(dir, entry.name);
    if (skip(path)) continue;
    if (entry.isDirectory()) await walk(path, skip, into);
    else if (entry.isFile() && MANIFEST_FILE.test(entry.name)) into.files.push(path);
    else if (entry.isSymbolicLink()) {
      const info = await stat(path).catch(() => void 0);
      if (info?.isDirectory() && !into.links.has(path)) {
        into.links.add(path);
        if (isInside(await resolveSymlinks(path), into.root)) await walk(path, skip, into);
        else into.files.push(path);
      } else if (MANIFEST_FILE.test(entry.name) || info === void 0) into.files.push(path);
    }
  }
}
async function discoverUnits(root, paths, exclude = []) {
  const units = /* @__PURE__ */ new Map();
  const add = (unit) => {
    const key = `${unit.kind}:${unit.name}`;
    if (!units.has(key)) units.set(key, unit);
  };
  const skip = (path) => exclude.some((e) => isInside(path, e));
  for (const path of paths) {
    const info = await stat(path);
    if (info.isFile()) {
      if (KUSTOMIZATION_FILES.includes(basename(path))) {
        const dir = dirname(path);
        add({ name: toName(root, dir), kind: "kustomize", paths: [toName(root, dir)] });
      } else {
        add({ name: toName(root, path), kind: "file", paths: [toName(root, path)] });
      }
      continue;
    }
    if (isChartFolder(path)) {
      add({ name: toName(root, path), kind: "chart", paths: [toName(root, path)] });
      continue;
    }
    if (findKustomization(path)) {
      add({ name: toName(root, path), kind: "kustomize", paths: [toName(root, path)] });
      continue;
    }
    const found = {
      kustomizations: [],
      files: [],
      root: await resolveSymlinks(root),
      links: /* @__PURE__ */ new Set(),
      charts: []
    };
    await walk(path, skip, found);
    for (const chart of found.charts) {
      add({ name: toName(root, chart), kind: "chart", paths: [toName(root, chart)] });
    }
    if (found.kustomizations.length === 0 && found.charts.length === 0) {
      add({ name: toName(root, path), kind: "plain", paths: [toName(root, path)] });
      continue;
    }
    for (const unit of await splitFolder(root, found)) add(unit);
  }
  return [...units.values()];
}
async function splitFolder(root, found) {
  const units = [];
  const builtOn = /* @__PURE__ */ new Set();
  const components = /* @__PURE__ */ new Set();
  for (const dir of found.kustomizations) {
    const refs = await readKustomizationRefs(dir);
    for (const ref of refs.dirs) builtOn.add(ref);
    if (refs.component) components.add(dir);
  }
  for (const dir of found.kustomizations) {
    if (builtOn.has(dir) || components.has(dir)) continue;
    units.push({ name: toName(root, dir), kind: "kustomize", paths: [toName(root, dir)] });
  }
  const loose = /* @__PURE__ */ new Map();
  for (const file of found.files) {
    if (found.kustomizations.some((dir2) => isInside(file, dir2))) continue;
    const dir = toName(root, dirname(file));
    loose.set(dir, [...loose.get(dir) ?? [], toName(root, file)]);
  }
  for (const [dir, files] of loose) units.push({ name: dir, kind: "plain", paths: files });
  return units;
}
function isTouched(area, changed) {
  return changed.some(
    (file) => area.files.includes(file) || area.dirs.some((dir) => dir === "." || file === dir || file.startsWith(`${dir}/`))
  );
}

// action/validate/positions.ts
const { readFile: readFile2 } = require("node:fs/promises");
const { resolve: resolve3 } = require("node:path");
function valueAt(object, pointer) {
  let node = object;
  for (const key of splitPointer(pointer)) {
    if (typeof node !== "object" || node === null) return void 0;
    node = node[key];
  }
  return node;
}
var Positions = class {
  root;
  texts = /* @__PURE__ */ new Map();
  constructor(root) {
    this.root = root;
  }
  parsed(file) {
    let entry = this.texts.get(file);
    if (!entry) {
      entry = readFile2(resolve3(this.root, file), "utf8").then(
        (text) => new YamlPositions(text),
        () => void 0
      );
      this.texts.set(file, entry);
    }
    return entry;
  }
  /** Where `pointer` ("" for the object) of a rendered manifest is in the sources. */
  async place(manifest, pointer, tree) {
    if (tree) {
      const { kind, metadata } = manifest.object;
      const at = tree.locate(kind, metadata.name, pointer, metadata.namespace);
      return pointer === "" ? { file: at.file, line: at.line } : at;
    }
    const { file, line } = manifest.source;
    if (line === void 0) return { file };
    if (pointer === "") return { file, line };
    const positions = manifest.source.positions ?? await this.parsed(file);
    if (manifest.source.via) {
      const tree2 = await this.parsed(file);
      const from = valuesPointerOf(
        tree2?.nodeAt(line, "/spec/values")?.toJSON(),
        valueAt(manifest.object, pointer)
      );
      const traced = from === void 0 ? void 0 : positions?.locate(line, `/spec/values${from}`);
      if (traced?.exact) return { file, line: traced.line, column: traced.column };
      const values = positions?.locate(line, "/spec/values");
      return values ? { file, line: values.line, column: values.column } : { file, line };
    }
    const found = positions?.locate(line, pointer);
    if (!found) return { file, line };
    return { file, line: found.line, column: found.column };
  }
  /**
   * Where a kustomize build error is best shown: the line of the first kustomization in
   * the tree that mentions a path quoted in the message (a missing resource), if any.
   */
  async placeBuildError(message, tree) {
    const quoted = [...message.matchAll(/'([^']+)'|"([^"]+)"/g)].map((m) => m[1] ?? m[2] ?? "");
    for (const file of tree.files) {
      if (!/(^|\/)(kustomization\.ya?ml|Kustomization)$/.test(file)) continue;
      const text = await readFile2(resolve3(this.root, file), "utf8").catch(() => "");
      const lines = text.split("\n");
      for (const q of quoted) {
        const tail = q.split("/").pop() ?? q;
        if (tail.length < 2) continue;
        const index2 = lines.findIndex((l) => !l.trimStart().startsWith("#") && l.includes(tail));
        if (index2 >= 0) return { file, line: index2 + 1 };
      }
    }
    return { file: tree.kustomization };
  }
};

// action/validate/redact.ts
function secretValues(objects) {
  const values = /* @__PURE__ */ new Set();
  for (const object of objects) {
    if (object.kind !== "Secret" || object.apiVersion !== "v1") continue;
    for (const field of ["data", "stringData"]) {
      const map = object[field];
      if (typeof map !== "object" || map === null) continue;
      for (const raw of Object.values(map)) {
        if (raw === null || typeof raw === "object") continue;
        const value = String(raw);
        if (value === "") continue;
        values.add(value);
        const escaped = JSON.stringify(value).slice(1, -1);
        values.add(escaped);
        if (escaped.length > 37) values.add(escaped.slice(0, 37));
        if (field === "data" && typeof raw === "string") {
          const decoded = Buffer.from(value, "base64").toString("utf8");
          if (decoded !== "" && !decoded.includes("\uFFFD")) values.add(decoded);
        }
      }
    }
  }
  return [...values].sort((a, b) => b.length - a.length);
}
function hideSecretValue(message) {
  return message.replace(/\b(got (?:integer|number|string|boolean))\b.*$/s, "$1 (value hidden)");
}
function redactMessage(message, secrets) {
  let out = redactSecrets(message, secrets);
  for (const secret of secrets) {
    if (secret.length >= 3) continue;
    const quoted = JSON.stringify(secret);
    if (out.includes(quoted)) out = out.split(quoted).join('"***"');
  }
  return out;
}
function messageRedactor(secrets) {
  const byHead = /* @__PURE__ */ new Map();
  const short = [];
  for (const secret of secrets) {
    if (secret.length < 3) {
      short.push(secret);
      continue;
    }
    const head = secret.slice(0, 3);
    const list = byHead.get(head);
    if (list) list.push(secret);
    else byHead.set(head, [secret]);
  }
  return (message) => {
    for (let i = 0; i + 3 <= message.length; i++) {
      const list = byHead.get(message.slice(i, i + 3));
      if (list?.some((secret) => message.includes(secret))) return redactMessage(message, secrets);
    }
    return short.length === 0 ? message : redactMessage(message, short);
  };
}

// action/validate/rego.ts
var import_yaml2 = __toESM(require_dist(), 1);
const { execFile } = require("node:child_process");
const { mkdtemp, readdir: readdir2, readFile: readFile3, rm, stat: stat2, writeFile } = require("node:fs/promises");
const { tmpdir } = require("node:os");
const { dirname: dirname2, join, relative: relative3, resolve: resolve4, sep: sep3 } = require("node:path");
var FAILURE = /^(deny|violation)(_[a-zA-Z0-9]+)*$/;
var WARNING = /^warn(_[a-zA-Z0-9]+)*$/;
var RULE_HEAD = /^((?:deny|violation|warn)(?:_[a-zA-Z0-9]+)*)(?=\s*(?:\[|\{|contains\b|if\b|:?=(?!=)|$))/gm;
var EXCEPTION_HEAD = /^exception(?=\s*(?:\[|\{|contains\b|if\b|:?=(?!=)|$))/m;
var PACKAGE = /^\s*package\s+([^\s#]+)/m;
var WRAPPER_PACKAGE = "tether_validate_wrapper";
function scanPolicy(text) {
  const pkg = PACKAGE.exec(text)?.[1];
  const rules = [...new Set([...text.matchAll(RULE_HEAD)].map((m) => m[1]))];
  return { package: pkg, rules, exception: EXCEPTION_HEAD.test(text) };
}
function planNamespaces(scans, namespaces, all) {
  const byPackage = /* @__PURE__ */ new Map();
  for (const scan of scans) {
    if (!scan.package) continue;
    const ns = byPackage.get(scan.package) ?? { name: scan.package, rules: [], exception: false };
    for (const rule of scan.rules) if (!ns.rules.includes(rule)) ns.rules.push(rule);
    ns.exception ||= scan.exception;
    byPackage.set(scan.package, ns);
  }
  const chosen = all ? [...byPackage.keys()].sort() : namespaces;
  return chosen.map((name) => byPackage.get(name) ?? { name, rules: [], exception: false });
}
function exceptionNames(rule) {
  const stripped = rule.replace(/^(violation|deny|warn)_/, "");
  return stripped === rule ? ["", rule] : [stripped];
}
function wrapperModule(plan) {
  const out = [`package ${WRAPPER_PACKAGE}`, "", "import rego.v1", ""];
  const withs = "with input as doc with data.conftest.file as input.files[i]";
  plan.forEach((ns, n) => {
    if (ns.exception) {
      out.push(
        `exceptions_${n} contains [i, name] if {`,
        "	some i, doc in input.documents",
        `	found := data.${ns.name}.exception ${withs}`,
        "	some names in found",
        "	some name in names",
        "}",
        ""
      );
    }
    ns.rules.forEach((rule, r) => {
      const excepted = ns.exception ? `[name | some name in ${JSON.stringify(exceptionNames(rule))}; exceptions_${n}[[i, name]]]` : "[]";
      out.push(
        `results contains {"d": i, "n": ${n}, "r": ${r}, "v": v, "x": x} if {`,
        "	some i, doc in input.documents",
        `	found := data.${ns.name}.${rule} ${withs}`,
        "	some v in found",
        `	x := ${excepted}`,
        "}",
        ""
      );
    });
  });
  return out.join("\n");
}
async function listFiles(root, paths, ext) {
  const out = [];
  const visit = async (path, top) => {
    const info = await stat2(path).catch(() => void 0);
    if (!info) {
      if (top) throw new UsageError(`${relative3(root, path) || path}: no such file or folder`);
      return;
    }
    if (info.isFile()) {
      if (top || ext.test(path)) out.push(path);
      return;
    }
    const entries = await readdir2(path, { withFileTypes: true });
    for (const e of entries.sort((a, b) => a.name < b.name ? -1 : 1)) {
      if (e.name.startsWith(".")) continue;
      await visit(join(path, e.name), false);
    }
  };
  for (const p of paths) await visit(resolve4(root, p), true);
  return out;
}
async function policyFiles(root, policies) {
  return listFiles(root, policies, /\.rego$/);
}
async function dataFiles(root, data) {
  return listFiles(root, data, /\.(json|ya?ml)$/i);
}
function gatekeeperInput(object, parameters) {
  const [group, version] = object.apiVersion.includes("/") ? object.apiVersion.split("/", 2) : ["", object.apiVersion];
  return {
    review: {
      kind: { group, version, kind: object.kind },
      name: object.metadata.name,
      namespace: object.metadata.namespace ?? "",
      operation: "CREATE",
      object
    },
    parameters
  };
}
var WITHHELD = [/^opa\.runtime$/, /^http\.send$/, /^net\./];
function restrictCapabilities(capabilities, allow = []) {
  if (allow.includes("all")) return capabilities;
  const allowed = (name) => allow.some((a) => a === name || a.endsWith(".*") && name.startsWith(a.slice(0, -1)));
  const builtins = (capabilities.builtins ?? []).filter(
    (b) => allowed(b.name) || !WITHHELD.some((w) => w.test(b.name))
  );
  const network = builtins.some((b) => b.name === "http.send" || b.name.startsWith("net."));
  const restricted = { ...capabilities, builtins };
  if (!network) restricted.allow_net = [];
  return restricted;
}
var opaEnvironment = () => ({ PATH: process.env.PATH ?? "/usr/bin:/bin" });
async function writeCapabilities(binary, allow, file) {
  const run = await runOpa(binary, ["capabilities", "--current"], "");
  let current;
  try {
    current = JSON.parse(run.stdout);
  } catch {
    throw new UsageError(
      `${binary} capabilities --current failed (exit ${run.code}): ${run.stderr.trim().slice(0, 500)}; OPA v1.x is required`
    );
  }
  await writeFile(file, JSON.stringify(restrictCapabilities(current, allow)));
}
function runOpa(binary, args, input) {
  return new Promise((done, fail) => {
    const child = execFile(
      binary,
      args,
      { maxBuffer: 1024 * 1024 * 1024, env: opaEnvironment() },
      (error, stdout, stderr) => {
        if (error && error.code === "ENOENT") {
          fail(
            new UsageError(
              `${binary} was not found: install OPA (the pinned version is v1.22.2) or pass --opa PATH`
            )
          );
          return;
        }
        const code = error ? typeof error.code === "number" ? error.code : 1 : 0;
        done({ stdout, stderr, code });
      }
    );
    child.stdin?.on("error", () => {
    });
    child.stdin?.end(input);
  });
}
async function evaluatePolicies(documents, options) {
  const root = options.root;
  const files = await policyFiles(root, options.policies);
  if (files.length === 0) {
    throw new UsageError(`--policy ${options.policies.join(", ")}: no .rego files found`);
  }
  const scans = await Promise.all(files.map(async (f) => scanPolicy(await readFile3(f, "utf8"))));
  const plan = planNamespaces(scans, options.namespaces, options.allNamespaces);
  const outcome = { documents: /* @__PURE__ */ new Map(), problems: [], notes: [] };
  for (const ns of plan) {
    if (ns.rules.length === 0) {
      outcome.notes.push(`no deny, violation or warn rules in the Rego package ${ns.name}`);
    }
  }
  const data = await dataFiles(root, options.data);
  let parameters = {};
  if (options.parameters !== void 0) {
    const path = resolve4(root, options.parameters);
    const text = await readFile3(path, "utf8").catch(() => {
      throw new UsageError(`--parameters ${options.parameters}: cannot be read`);
    });
    parameters = (0, import_yaml2.parse)(text) ?? {};
  }
  if (documents.length === 0 || plan.every((ns) => ns.rules.length === 0)) return outcome;
  const work = await mkdtemp(join(tmpdir(), "tether-rego-"));
  try {
    const wrapper = join(work, "wrapper.rego");
    await writeFile(wrapper, wrapperModule(plan));
    const capabilities = join(work, "capabilities.json");
    await writeCapabilities(options.opa, options.allowBuiltins ?? [], capabilities);
    const input = JSON.stringify({
      documents: documents.map(
        (d) => options.gatekeeperInput ? gatekeeperInput(d.object, parameters) : d.object
      ),
      files: documents.map((d) => ({ name: d.file, dir: dirname2(resolve4(root, d.file)) }))
    });
    const args = [
      "eval",
      "--format",
      "json",
      "--stdin-input",
      "--capabilities",
      capabilities,
      ...options.regoVersion === "v0" ? ["--v0-compatible"] : [],
      ...files.flatMap((f) => ["--data", f]),
      ...data.flatMap((f) => ["--data", f]),
      "--data",
      wrapper,
      `data.${WRAPPER_PACKAGE}.results`
    ];
    const run = await runOpa(options.opa, args, input);
    let parsed;
    try {
      parsed = JSON.parse(run.stdout);
    } catch {
      outcome.problems.push({
        file: relName(root, files[0]),
        message: `opa eval failed (exit ${run.code}): ${(run.stderr || run.stdout).trim().slice(0, 2e3)}`
      });
      return outcome;
    }
    if (parsed.errors && parsed.errors.length > 0) {
      for (const e of parsed.errors) outcome.problems.push(problemOf(e, root, wrapper, files));
      return outcome;
    }
    const raw = parsed.result?.[0]?.expressions?.[0]?.value ?? [];
    interpret(raw, plan, outcome);
    return outcome;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
function relName(root, path) {
  return relative3(root, path).split(sep3).join("/");
}
function problemOf(e, root, wrapper, files) {
  const message = `${e.code ? `${e.code}: ` : ""}${e.message ?? "unknown error"}`;
  const file = e.location?.file;
  if (!file || resolve4(root, file) === wrapper || file === wrapper) {
    return { file: relName(root, files[0]), message };
  }
  return {
    file: relName(root, resolve4(file)),
    line: e.location?.row,
    column: e.location?.col,
    message
  };
}
function interpret(raw, plan, outcome) {
  const sorted = [...raw].sort((a, b) => a.d - b.d || a.n - b.n || a.r - b.r);
  for (const result of sorted) {
    const ns = plan[result.n];
    const rule = ns?.rules[result.r];
    if (!ns || !rule) continue;
    const doc = outcome.documents.get(result.d) ?? { messages: [], exceptions: [] };
    outcome.documents.set(result.d, doc);
    if (result.x.length > 0) {
      if (!doc.exceptions.some((e) => e.package === ns.name && e.rule === rule)) {
        doc.exceptions.push({ package: ns.name, rule });
      }
      continue;
    }
    const severity = FAILURE.test(rule) ? "error" : WARNING.test(rule) ? "warning" : void 0;
    if (!severity) continue;
    const v = result.v;
    const text = typeof v === "string" ? v : typeof v === "object" && v !== null && typeof v.msg === "string" ? v.msg : void 0;
    doc.messages.push({
      severity: text === void 0 ? "error" : severity,
      source: "policy",
      rule,
      package: ns.name,
      pointer: "",
      message: text ?? `the rule returned ${JSON.stringify(v).slice(0, 200)}; conftest rules return a string or an object with a "msg" string`
    });
  }
}

// action/validate/render.ts
const { dirname: dirname3, relative: relative4, resolve: resolve5, sep: sep4 } = require("node:path");
async function renderUnit(root, unit, { kustomize: binary, loadPlainFiles }) {
  const options = { positions: true, loadPlainFiles, ...binary ? { binary } : {} };
  if (unit.kind === "kustomize") {
    const path = unit.paths[0];
    const [result, tree] = await Promise.all([
      renderPath(root, path, options),
      KustomizeTree.read(resolve5(root, path), root)
    ]);
    const dirs = tree.dirs.map((d) => relative4(root, d).split(sep4).join("/") || ".");
    return { unit, ...result, tree, area: { dirs, files: tree.files }, warnings: [] };
  }
  if (unit.kind === "chart") {
    const path = unit.paths[0];
    const result = await renderPath(root, path, options);
    return { unit, ...result, area: { dirs: [path], files: [] }, warnings: [] };
  }
  const results = await Promise.all(unit.paths.map((p) => renderPath(root, p, options)));
  const single = unit.kind === "plain" && unit.paths.length === 1;
  return {
    unit,
    renderer: unit.kind === "file" ? "file" : "plain",
    manifests: results.flatMap((r) => r.manifests),
    errors: results.flatMap((r) => r.errors),
    area: single ? { dirs: [...unit.paths], files: [] } : { dirs: [], files: [...unit.paths] },
    warnings: []
  };
}
function renderUnits(root, units, options = {}) {
  return mapLimit(units, options.concurrency ?? 4, (unit) => renderUnit(root, unit, options));
}
async function loadCrdPaths(root, paths, binary) {
  const objects = [];
  for (const path of paths) {
    const base = relative4(root, resolve5(root, path)).startsWith("..") ? dirname3(resolve5(root, path)) : root;
    const result = await renderPath(base, path, binary ? { binary } : {});
    if (result.errors.length > 0) {
      throw new UsageError(`--crds ${path}: ${result.errors.map((e) => e.message).join("; ")}`);
    }
    objects.push(...result.manifests.map((m) => m.object));
  }
  return objects;
}

// action/validate/workers.ts
const { readFileSync } = require("node:fs");
const { getCompileCacheDir } = require("node:module");
const { Worker } = require("node:worker_threads");

// action/validate/worker.ts
const { isMainThread, parentPort, workerData } = require("node:worker_threads");
var WORKER_ROLE = "tether-validate";
var workerScript = new URL(import.meta.url);
function serve(port) {
  const kept = /* @__PURE__ */ new Map();
  let nextKey = 0;
  const reply = (message) => port.postMessage(message);
  async function parse2(id, file, options) {
    const manifests = await loadPlainFile(file, options);
    const parsed = manifests.map(({ object, source }) => {
      const key = nextKey++;
      if (source.positions) kept.set(key, source);
      const { positions: _, ...rest } = source;
      return { key, object, source: rest };
    });
    reply({ type: "parsed", id, manifests: parsed });
  }
  function locate(id, keys, pointers) {
    const places = keys.map((key, i) => {
      const source = kept.get(key);
      const line = source?.line;
      return (pointers[i] ?? []).map(
        (pointer) => line === void 0 ? void 0 : source?.positions?.locate(line, pointer)
      );
    });
    reply({ type: "located", id, places });
  }
  let parsing = Promise.resolve();
  port.on("message", (request) => {
    const work = request.type === "parse" ? parsing.then(() => parse2(request.id, request.file, request.options)) : Promise.resolve().then(() => locate(request.id, request.keys, request.pointers));
    if (request.type === "parse") parsing = work.catch(() => {
    });
    work.catch((error) => {
      if (error instanceof ManifestError) {
        const { file, line, detail } = error;
        reply({ type: "refused", id: request.id, file, line, detail });
      } else {
        reply({
          type: "failed",
          id: request.id,
          message: error?.stack ?? String(error)
        });
      }
    });
  });
}
if (!isMainThread && parentPort && workerData?.role === WORKER_ROLE) {
  serve(parentPort);
}

// action/validate/workers.ts
var WORKERS_FROM_BYTES = 1024 * 1024;
function workerPlan(setting, parallelism) {
  if (setting !== void 0 && setting.trim() !== "") {
    const workers2 = Number(setting);
    if (!Number.isInteger(workers2) || workers2 < 0) {
      throw new Error(`TETHER_VALIDATE_WORKERS: "${setting}" is not a number of workers`);
    }
    return { workers: workers2, fromBytes: 0 };
  }
  const workers = Math.min(parallelism - 2, 3);
  return { workers: Math.max(0, workers), fromBytes: WORKERS_FROM_BYTES };
}
var PlacedPositions = class {
  places = /* @__PURE__ */ new Map();
  again;
  file;
  constructor(file) {
    this.file = file;
  }
  add(line, pointer, at) {
    this.places.set(`${line}\0${pointer}`, at);
  }
  locate(line, pointer) {
    const key = `${line}\0${pointer}`;
    if (this.places.has(key)) return this.places.get(key);
    this.again ??= loadedPositions(this.file);
    return this.again?.locate(line, pointer);
  }
};
function loadedPositions(file) {
  try {
    return new YamlPositions(decodeUtf8(readFileSync(file.path), file.name));
  } catch {
    return void 0;
  }
}
var Lane = class {
  stopped = false;
  /** Parse requests among `waiting`. */
  files = 0;
  waiting = /* @__PURE__ */ new Map();
  worker;
  constructor(worker) {
    this.worker = worker;
  }
};
var BOOT = `const { workerData } = require("node:worker_threads");
if (workerData.cache) require("node:module").enableCompileCache(workerData.cache);
import(workerData.script);`;
var ValidateWorkers = class {
  lanes = [];
  queue = [];
  owners = /* @__PURE__ */ new WeakMap();
  early = /* @__PURE__ */ new WeakMap();
  plan;
  checkOptions;
  checker;
  checking = Promise.resolve();
  offered = 0;
  nextId = 0;
  parsingHere = false;
  /** With `precheck`, objects are checked as they come (no CRD schemas: see above). */
  constructor(plan, precheck) {
    this.plan = plan;
    this.checkOptions = precheck;
  }
  /** For renderPath: a large folder's files go to the workers. */
  loadPlainFiles = (files, options, bytes) => {
    this.offered += bytes;
    if (this.plan.workers === 0 || this.offered < this.plan.fromBytes) return void 0;
    this.start();
    const loading = files.map(
      (file) => new Promise((done, fail) => {
        this.queue.push({
          file,
          options,
          done: (manifests) => {
            this.precheckLater(manifests);
            done(manifests);
          },
          fail
        });
      })
    );
    this.dispatch();
    return loading;
  };
  /** Whether a worker parsed this manifest (and so knows where its fields are). */
  owns(manifest) {
    return this.owners.has(manifest);
  }
  /** The check made as the manifest came (without CRD schemas), once all are made. */
  async prechecks() {
    await this.checking;
    return (manifest) => this.early.get(manifest);
  }
  /** Asks the workers where the fields that messages name are, for the report. */
  async place(messages) {
    const byLane = /* @__PURE__ */ new Map();
    for (const { manifest, pointers } of messages) {
      const owner = this.owners.get(manifest);
      const wanted = pointers.filter((p) => p !== "");
      if (!owner || wanted.length === 0 || !(manifest.source.positions instanceof PlacedPositions))
        continue;
      const list = byLane.get(owner.lane) ?? [];
      list.push({ manifest, key: owner.key, pointers: wanted });
      byLane.set(owner.lane, list);
    }
    await Promise.all(
      [...byLane].map(async ([lane, list]) => {
        const reply = await this.request(lane, {
          type: "locate",
          keys: list.map((m) => m.key),
          pointers: list.map((m) => m.pointers)
        });
        if (reply.type !== "located") throw new Error(`validate worker: ${reply.type} to locate`);
        list.forEach(({ manifest, pointers }, i) => {
          const { line, positions } = manifest.source;
          if (line === void 0 || !(positions instanceof PlacedPositions)) return;
          for (const [j, pointer] of pointers.entries()) {
            positions.add(line, pointer, reply.places[i]?.[j]);
          }
        });
      })
    );
  }
  /** Stops the workers (they hold the files' positions). */
  close() {
    for (const lane of this.lanes) {
      lane.stopped = true;
      void lane.worker.terminate();
    }
  }
  start() {
    if (this.lanes.length > 0) return;
    if (this.checkOptions) this.earlyChecker(this.checkOptions).catch(() => {
    });
    for (let i = 0; i < this.plan.workers; i++) {
      const worker = new Worker(BOOT, {
        eval: true,
        workerData: { role: WORKER_ROLE, script: workerScript.href, cache: getCompileCacheDir() }
      });
      const lane = new Lane(worker);
      worker.on("message", (reply) => this.answer(lane, reply));
      worker.on("error", (error) => this.stopped(lane, error));
      worker.on(
        "exit",
        (code) => this.stopped(lane, new Error(`validate worker stopped (exit code ${code})`))
      );
      this.lanes.push(lane);
    }
  }
  /** A worker that stops: its files go back to the queue, anything else fails. */
  stopped(lane, error) {
    lane.stopped = true;
    lane.files = 0;
    for (const waiting of lane.waiting.values()) {
      if (waiting.job) this.queue.unshift(waiting.job);
      else waiting.fail(error);
    }
    lane.waiting.clear();
    this.dispatch();
    void this.parseHere();
  }
  answer(lane, reply) {
    const waiting = lane.waiting.get(reply.id);
    lane.waiting.delete(reply.id);
    if (waiting?.job) lane.files--;
    if (reply.type === "failed") waiting?.fail(new Error(reply.message));
    else waiting?.done(reply);
  }
  request(lane, request, job) {
    const id = this.nextId++;
    return new Promise((done, fail) => {
      lane.waiting.set(id, { done, fail, job });
      lane.worker.postMessage({ ...request, id });
    });
  }
  /**
   * Every queued file to the worker with the fewest, at once: a worker parses its files
   * one after another, in order (worker.ts), and never waits for this thread, which is
   * busy checking (the first objects' checks compile their schemas: with 32 files in
   * flight and more sent as answers were read, a worker was idle half of the time).
   */
  dispatch() {
    const alive = this.lanes.filter((lane) => !lane.stopped);
    while (alive.length > 0 && this.queue.length > 0) {
      const lane = alive.reduce((a, b) => b.files < a.files ? b : a);
      const job = this.queue.shift();
      lane.files++;
      this.request(lane, { type: "parse", file: job.file, options: job.options }, job).then((reply) => this.received(lane, reply, job)).then(job.done, job.fail);
    }
  }
  received(lane, reply, job) {
    if (reply.type === "refused") throw new ManifestError(reply.file, reply.line, reply.detail);
    if (reply.type !== "parsed") throw new Error(`validate worker: ${reply.type} to a parse`);
    const positions = job.options.positions ? new PlacedPositions(job.file) : void 0;
    return reply.manifests.map(({ key, object, source }) => {
      const manifest = { object, source: positions ? { ...source, positions } : source };
      this.owners.set(manifest, { lane, key });
      return manifest;
    });
  }
  /**
   * Files no worker can parse (all of them stopped) are parsed here. While they work,
   * this thread parses nothing: it checks, and a thread that parses pays the parser's
   * warm-up in the JIT again (measured: more CPU and a slower run, at 10,000 and at
   * 50,000 documents, when this thread also parsed whenever it had nothing to check).
   */
  async parseHere() {
    if (this.parsingHere) return;
    this.parsingHere = true;
    try {
      while (this.queue.length > 0 && this.lanes.every((lane) => lane.stopped)) {
        const job = this.queue.shift();
        await loadPlainFile(job.file, job.options).then(job.done, job.fail);
      }
    } finally {
      this.parsingHere = false;
    }
  }
  earlyChecker(options) {
    this.checker ??= objectChecker(options, /* @__PURE__ */ new Map());
    return this.checker;
  }
  /** Checks the objects of one file after the messages waiting (a worker's next file first). */
  precheckLater(manifests) {
    const options = this.checkOptions;
    if (!options) return;
    this.checking = this.checking.then(async () => {
      const check = await this.earlyChecker(options);
      await prepareChecks(
        options,
        manifests.map((m) => m.object)
      );
      await new Promise((next) => setImmediate(next));
      for (const manifest of manifests) this.early.set(manifest, check(manifest.object));
    });
    this.checking.catch(() => {
    });
  }
};

// action/validate/run.ts
function under(root, file, paths) {
  const abs = resolve6(root, file);
  return paths.some((p) => abs === p || abs.startsWith(`${p}${sep5}`));
}
function stopwatch() {
  const timings = {};
  let started = performance.now();
  return {
    timings,
    lap(name) {
      const now = performance.now();
      timings[name] = (now - started) / 1e3;
      started = now;
    }
  };
}
async function runValidation(config) {
  const workers = new ValidateWorkers(
    workerPlan(process.env.TETHER_VALIDATE_WORKERS, availableParallelism()),
    config.changedFiles ? void 0 : checkOptions(config)
  );
  try {
    return await validate(config, workers);
  } finally {
    workers.close();
  }
}
async function validate(config, workers) {
  const { timings, lap } = stopwatch();
  const notes = [];
  const root = config.root;
  const configPaths = [
    ...config.policies,
    ...config.data,
    ...config.parameters ? [config.parameters] : []
  ];
  const paths = await expandPaths(root, config.cwd, config.paths);
  const units = await discoverUnits(root, paths, configPaths);
  lap("discover");
  const { rendered, extraCrds } = await renderAll(config, units, notes, workers);
  lap("render");
  const crdSchemas = schemasFromCrds([
    ...rendered.flatMap((u) => u.manifests.map((m) => m.object)),
    ...extraCrds
  ]);
  const selected = selectChanged(config, rendered, configPaths, notes);
  const checked = await checkObjects(config, selected, crdSchemas, workers);
  for (const c of checked) notes.push(...c.notes);
  await workers.place(
    checked.map((c) => ({ manifest: c.manifest, pointers: c.messages.map((m) => m.pointer) }))
  );
  lap("schema");
  lap("rules");
  const policyProblems = await checkPolicies(config, checked, notes);
  lap("rego");
  const positions = new Positions(root);
  const secrets = secretValues(rendered.flatMap((u) => u.manifests.map((m) => m.object)));
  const clean = messageRedactor(secrets);
  const results = [];
  for (const unit of selected) results.push(...await unitProblems(unit, positions, clean));
  for (const c of checked) results.push(await objectEntry(c, positions, clean));
  results.push(
    ...policyProblems.map((e) => ({
      ...e,
      messages: e.messages.map((m) => ({ ...m, message: clean(m.message) }))
    }))
  );
  lap("report");
  const unitRows = selected.map((u) => ({
    name: u.unit.name,
    renderer: u.renderer
  }));
  if (policyProblems.length > 0) unitRows.push({ name: "(policies)", renderer: "rego" });
  return { report: buildReport(config.kubernetesVersion, unitRows, results), notes, timings };
}
async function renderAll(config, units, notes, workers) {
  const rendered = await renderUnits(config.root, units, {
    kustomize: config.kustomize,
    loadPlainFiles: workers.loadPlainFiles
  });
  if (config.helmReleases !== false) {
    const helmNotes = await expandHelmReleases(rendered, {
      cacheDir: config.chartCache ?? defaultChartCache(),
      root: config.root,
      kustomize: config.kustomize,
      kubernetesVersion: config.kubernetesVersion
    });
    notes.push(...helmNotes);
  }
  const extraCrds = await loadCrdPaths(config.root, config.crds, config.kustomize);
  return { rendered, extraCrds };
}
function selectChanged(config, rendered, configPaths, notes) {
  const changed = config.changedFiles;
  if (!changed) return rendered;
  const global = changed.some((f) => under(config.root, f, [...configPaths, ...config.crds]));
  const selected = global ? rendered : rendered.filter((u) => isTouched(u.area, changed));
  notes.push(
    `${selected.length} of ${rendered.length} unit(s) touched by ${changed.length} changed file(s)`
  );
  return selected;
}
async function checkObjects(config, selected, crdSchemas, workers) {
  const early = await workers.prechecks();
  await prepareChecks(
    checkOptions(config),
    selected.flatMap((unit) => unit.manifests.map((m) => m.object))
  );
  let check;
  const checked = [];
  for (const unit of selected) {
    for (const manifest of unit.manifests) {
      let result = early(manifest);
      if (!result || dependsOnCrds(manifest.object, crdSchemas)) {
        check ??= await objectChecker(checkOptions(config), crdSchemas);
        result = check(manifest.object);
      }
      checked.push({ unit, manifest, ...result, exceptions: [] });
    }
  }
  return checked;
}
async function checkPolicies(config, checked, notes) {
  if (config.policies.length === 0) return [];
  const documents = checked.map((c) => ({
    object: c.manifest.object,
    file: c.manifest.source.file
  }));
  const outcome = await evaluatePolicies(documents, config);
  notes.push(...outcome.notes);
  for (const [index2, found] of outcome.documents) {
    const target = checked[index2];
    if (!target) continue;
    target.messages.push(...found.messages);
    target.exceptions.push(...found.exceptions);
  }
  return outcome.problems.map((p) => problemEntry("(policies)", p, "policy", p.message));
}
async function unitProblems(unit, positions, clean) {
  const results = [];
  for (const error of unit.errors) {
    let place = { file: error.file, line: error.line };
    if (error.line === void 0 && unit.tree) {
      place = await positions.placeBuildError(error.message, unit.tree);
    }
    const prefix = `${error.line === void 0 ? error.file : `${error.file}:${error.line}`}: `;
    const text = error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
    results.push(problemEntry(unit.unit.name, place, "render", clean(text)));
  }
  for (const warning of unit.warnings) {
    const entry = problemEntry(unit.unit.name, warning, "render", clean(warning.message));
    results.push({
      ...entry,
      status: "valid",
      messages: entry.messages.map((m) => ({ ...m, severity: "warning" }))
    });
  }
  return results;
}
async function objectEntry(c, positions, clean) {
  const object = c.manifest.object;
  const at = await positions.place(c.manifest, "", c.unit.tree);
  const isSecret = object.kind === "Secret" && object.apiVersion === "v1";
  const messages = [];
  for (const m of c.messages) {
    const place = m.pointer === "" ? at : await positions.place(c.manifest, m.pointer, c.unit.tree);
    const text = isSecret && /^\/(data|stringData)\//.test(m.pointer) ? hideSecretValue(m.message) : m.message;
    messages.push({
      severity: m.severity,
      source: m.source,
      ...m.rule ? { rule: m.rule } : {},
      message: clean(c.manifest.source.via ? `${c.manifest.source.via}: ${text}` : text),
      file: place.file,
      ...place.line !== void 0 ? { line: place.line } : {},
      ...place.column !== void 0 ? { column: place.column } : {},
      ...m.field ? { field: m.field } : {},
      ...m.package ? { package: m.package } : {}
    });
  }
  messages.sort(
    (a, b) => (a.file === b.file ? 0 : a.file === at.file ? -1 : b.file === at.file ? 1 : 0) || (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0)
  );
  return {
    unit: c.unit.unit.name,
    file: at.file,
    ...at.line !== void 0 ? { line: at.line } : {},
    kind: object.kind,
    apiVersion: object.apiVersion,
    name: object.metadata.name,
    ...object.metadata.namespace ? { namespace: object.metadata.namespace } : {},
    status: statusOf(messages, c.skipped),
    messages,
    ...c.exceptions.length > 0 ? { exceptions: c.exceptions } : {}
  };
}
function problemEntry(unit, place, source, message) {
  return {
    unit,
    file: place.file,
    ...place.line !== void 0 ? { line: place.line } : {},
    kind: "",
    apiVersion: "",
    name: "",
    status: "invalid",
    messages: [
      {
        severity: "error",
        source,
        message,
        file: place.file,
        ...place.line !== void 0 ? { line: place.line } : {},
        ...place.column !== void 0 ? { column: place.column } : {}
      }
    ]
  };
}
export {
  runValidation
};
