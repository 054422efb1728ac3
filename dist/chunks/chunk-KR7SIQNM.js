#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  EventPositions,
  LineIndex,
  MANIFEST_SCHEMA,
  YamlPositions,
  isPlainNull,
  skip
} from "./chunk-V3MCLGIM.js";
import {
  EVENT_ID,
  SCALAR_STYLE,
  constructFromEvents,
  getScalarValue,
  parseEvents
} from "./chunk-XRGQOWGB.js";
import {
  require_dist
} from "./chunk-A7TTBAJE.js";
import {
  __toESM
} from "./chunk-3IQPLNQJ.js";

// shared/manifests/limits.ts
var DEFAULT_LIMITS = {
  maxFileBytes: 4 * 1024 * 1024,
  maxRenderBytes: 8 * 1024 * 1024,
  maxAliasCount: 100,
  maxDepth: 100
};
var SIZE = /^(\d+)\s*(|k|ki|m|mi|g|gi)b?$/i;
var FACTORS = {
  "": 1,
  k: 1e3,
  ki: 1024,
  m: 1e3 ** 2,
  mi: 1024 ** 2,
  g: 1e3 ** 3,
  gi: 1024 ** 3
};
function parseSize(text, what) {
  const m = SIZE.exec(String(text).trim());
  if (!m) throw new Error(`${what}: "${text}" is not a size (use e.g. 4Mi, 500k, 1048576)`);
  return Number(m[1]) * FACTORS[(m[2] ?? "").toLowerCase()];
}
function limitsFromEnv(env = process.env) {
  return {
    ...DEFAULT_LIMITS,
    ...env.TETHER_MAX_FILE_SIZE ? { maxFileBytes: parseSize(env.TETHER_MAX_FILE_SIZE, "TETHER_MAX_FILE_SIZE") } : {},
    ...env.TETHER_MAX_RENDER_SIZE ? { maxRenderBytes: parseSize(env.TETHER_MAX_RENDER_SIZE, "TETHER_MAX_RENDER_SIZE") } : {}
  };
}

// shared/manifests/parse.ts
import { readFileSync, statSync } from "node:fs";
var import_yaml = __toESM(require_dist(), 1);
var ManifestError = class extends Error {
  file;
  line;
  /** The message without its place, as given (to make the same error elsewhere). */
  detail;
  constructor(file, line, message) {
    super(`${line === void 0 ? file : `${file}:${line}`}: ${message}`);
    this.name = "ManifestError";
    this.file = file;
    this.line = line;
    this.detail = message;
  }
};
async function readManifestText(path, file, limits = DEFAULT_LIMITS) {
  const info = statSync(path);
  if (info.size > limits.maxFileBytes) {
    throw new ManifestError(
      file,
      void 0,
      `${info.size} bytes, larger than the limit of ${limits.maxFileBytes} bytes (raise TETHER_MAX_FILE_SIZE or split the file)`
    );
  }
  return decodeUtf8(readFileSync(path), file);
}
function decodeUtf8(bytes, file) {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    const lossy = new TextDecoder("utf-8").decode(bytes);
    const at = lossy.indexOf("\uFFFD");
    const line = at < 0 ? void 0 : lossy.slice(0, at).split("\n").length;
    throw new ManifestError(file, line, "not valid UTF-8");
  }
}
function depthOf(value, limit) {
  let deepest = 0;
  const stack = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop();
    if (typeof v !== "object" || v === null) continue;
    deepest = Math.max(deepest, depth);
    if (deepest > limit) return deepest;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return deepest;
}
function firstAliasLine(doc, lines) {
  let line;
  (0, import_yaml.visit)(doc, {
    Alias(_, node) {
      if (node.range) line = lines.linePos(node.range[0]).line;
      return import_yaml.visit.BREAK;
    }
  });
  return line;
}
function plainValue(doc, lines, file, limits = DEFAULT_LIMITS) {
  try {
    return doc.toJS({ maxAliasCount: limits.maxAliasCount });
  } catch (error) {
    if (error instanceof ReferenceError && /alias/i.test(error.message)) {
      const start = doc.contents?.range ? lines.linePos(doc.contents.range[0]).line : void 0;
      throw new ManifestError(
        file,
        firstAliasLine(doc, lines) ?? start,
        `YAML aliases expand past the limit of ${limits.maxAliasCount} (an alias bomb?); write the objects out instead`
      );
    }
    throw error;
  }
}
function syntaxError(doc, file) {
  const error = doc.errors[0];
  if (!error) return void 0;
  const line = error.linePos?.[0].line;
  if (/call stack/i.test(error.message))
    return new ManifestError(file, line, "nesting too deep to read");
  return new ManifestError(file, line, `invalid YAML: ${firstLine(error.message)}`);
}
function parseManifests(text, file, options = {}) {
  const fast = parseFast(text, file, options.limits ?? DEFAULT_LIMITS, options);
  if (fast) return fast;
  const manifests = parseWithYaml(text, file, options);
  if (options.positions) {
    const positions = new LazyYamlPositions(text);
    for (const m of manifests) m.source.positions = positions;
  }
  return manifests;
}
function parseWithYaml(text, file, options = {}) {
  try {
    return parseDocuments(text, file, options.limits ?? DEFAULT_LIMITS, options);
  } catch (error) {
    if (error instanceof ManifestError) throw error;
    if (error instanceof RangeError)
      throw new ManifestError(file, void 0, "nesting too deep to read");
    throw error;
  }
}
var LazyYamlPositions = class {
  text;
  parsed;
  constructor(text) {
    this.text = text;
  }
  locate(line, pointer) {
    this.parsed ??= new YamlPositions(this.text);
    return this.parsed.locate(line, pointer);
  }
};
function parseFast(text, file, limits, options) {
  if (text.includes("<<")) return void 0;
  let events;
  let values;
  try {
    events = parseEvents(text, { maxDepth: limits.maxDepth + 1 });
    if (!plainEvents(text, events, limits.maxDepth)) return void 0;
    values = constructFromEvents(events, { source: text, schema: MANIFEST_SCHEMA, maxAliases: 0 });
    if (!options.positions) values = structuredClone(values);
  } catch {
    return void 0;
  }
  const lines = new LineIndex(text);
  const positions = options.positions ? new EventPositions(text, events, lines) : void 0;
  const lineOf = (index) => {
    const event = events[index];
    const offset = event.type === EVENT_ID.MAPPING || event.type === EVENT_ID.SEQUENCE ? event.start : event.type === EVENT_ID.SCALAR ? event.valueStart : -1;
    return offset < 0 ? void 0 : lines.position(offset).line;
  };
  const manifests = [];
  let doc = 0;
  for (let i = 0; i < events.length; i = skip(events, i)) {
    if (events[i]?.type !== EVENT_ID.DOCUMENT) return void 0;
    const root = i + 1;
    const value = values[doc++];
    if (value === null || value === void 0) continue;
    if (options.skip && typeof value === "object" && options.skip(value))
      continue;
    const line = lineOf(root);
    if (line === void 0) return void 0;
    const add = (object, at, objectLine) => {
      if (!isManifestObject(object)) return false;
      positions?.addRoot(objectLine, at);
      const source = { file, line: objectLine };
      if (positions) source.positions = positions;
      manifests.push({ object, source });
      return true;
    };
    if (isList(value) && events[root]?.type === EVENT_ID.MAPPING) {
      const walker = positions ?? new EventPositions(text, events, lines);
      const items = walker.child(root, "items");
      for (const [n, item] of value.items.entries()) {
        const at = items ? walker.child(items.index, String(n)) : void 0;
        if (!at || !add(item, at.index, lines.position(at.at).line)) return void 0;
      }
      continue;
    }
    if (!add(value, root, line)) return void 0;
  }
  return manifests;
}
function plainEvents(text, events, maxDepth) {
  const open = [];
  for (const event of events) {
    if (event.type === EVENT_ID.POP) {
      open.pop();
      continue;
    }
    if (event.type === EVENT_ID.DOCUMENT) {
      open.push({ mapping: false, keyNext: false });
      continue;
    }
    if (event.type === EVENT_ID.ALIAS) return false;
    if (event.anchorStart >= 0 || event.tagStart >= 0) return false;
    const parent = open[open.length - 1];
    const isKey = parent?.mapping === true && parent.keyNext;
    if (parent?.mapping) parent.keyNext = !parent.keyNext;
    if (event.type === EVENT_ID.SCALAR) {
      const long = event.fast && event.valueEnd - event.valueStart > 4;
      if (isKey && event.style === SCALAR_STYLE.PLAIN && !long) {
        const raw = event.valueStart < 0 ? "" : getScalarValue(text, event);
        if (isPlainNull(raw)) return false;
      }
    } else {
      open.push({ mapping: event.type === EVENT_ID.MAPPING, keyNext: true });
      if (open.length - 1 > maxDepth) return false;
    }
  }
  return true;
}
function isManifestObject(value) {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const v = value;
  const metadata = v.metadata;
  return typeof v.apiVersion === "string" && v.apiVersion !== "" && typeof v.kind === "string" && v.kind !== "" && typeof metadata === "object" && metadata !== null && typeof metadata.name === "string" && metadata.name !== "";
}
function parseDocuments(text, file, limits, options) {
  const lines = new import_yaml.LineCounter();
  const docs = (0, import_yaml.parseAllDocuments)(text, {
    lineCounter: lines,
    uniqueKeys: true,
    // kubectl and the API server read manifests as YAML 1.1 (sigs.k8s.io/yaml):
    // `0644` is octal 420 and `on`/`yes` are booleans there, so they are here too.
    // Like Go's YAML, unquoted times (12:30) and dates stay strings.
    version: "1.1",
    customTags: (tags) => tags.filter((t) => {
      const tag = t;
      return tag.format !== "TIME" && tag.tag !== "tag:yaml.org,2002:timestamp";
    })
  });
  const manifests = [];
  for (const doc of docs) {
    const error = syntaxError(doc, file);
    if (error) throw error;
    const node = doc.contents;
    if (node === null) continue;
    const line = node.range ? lines.linePos(node.range[0]).line : void 0;
    const value = structuredClone(plainValue(doc, lines, file, limits));
    if (depthOf(value, limits.maxDepth) > limits.maxDepth) {
      throw new ManifestError(file, line, `nesting deeper than ${limits.maxDepth} levels`);
    }
    if (value === null || value === void 0) continue;
    if (options.skip && typeof value === "object" && options.skip(value))
      continue;
    if (isList(value) && (0, import_yaml.isMap)(node)) {
      const items = node.get("items", true);
      const itemNodes = (0, import_yaml.isSeq)(items) ? items.items : [];
      value.items.forEach((item, i) => {
        const itemNode = itemNodes[i];
        const itemLine = itemNode?.range ? lines.linePos(itemNode.range[0]).line : line;
        manifests.push({
          object: asObject(item, file, itemLine),
          source: { file, line: itemLine }
        });
      });
      continue;
    }
    manifests.push({
      object: asObject(value, file, line),
      source: line === void 0 ? { file } : { file, line }
    });
  }
  return manifests;
}
function isList(value) {
  const v = value;
  return typeof v === "object" && typeof v.kind === "string" && v.kind.endsWith("List") && Array.isArray(v.items);
}
function asObject(value, file, line) {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ManifestError(file, line, "a document must be a Kubernetes object (a mapping)");
  }
  const v = value;
  if (typeof v.apiVersion !== "string" || v.apiVersion === "") {
    throw new ManifestError(file, line, "apiVersion is missing");
  }
  if (typeof v.kind !== "string" || v.kind === "") {
    throw new ManifestError(file, line, "kind is missing");
  }
  const metadata = v.metadata;
  if (typeof metadata !== "object" || metadata === null || typeof metadata.name !== "string" || metadata.name === "") {
    throw new ManifestError(file, line, `${v.kind}: metadata.name is missing`);
  }
  return v;
}
function firstLine(message) {
  return (message.split("\n")[0] ?? message).replace(/ at line \d+, column \d+:?$/, "");
}

// shared/util/confine.ts
import { lstat, readlink, realpath } from "node:fs/promises";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
var OutsideRootError = class extends Error {
  /** The path as it was given (relative to the root where it was relative). */
  path;
  /** Where it leads, after symlinks. */
  resolved;
  constructor(path, resolved) {
    super(`${path} leaves the repository (it resolves to ${resolved})`);
    this.name = "OutsideRootError";
    this.path = path;
    this.resolved = resolved;
  }
};
function isInside(path, dir) {
  const rel = relative(dir, path);
  return rel === "" || !rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel);
}
var MAX_LINKS = 40;
async function resolveSymlinks(path) {
  const whole = await realpath(path).catch(() => void 0);
  if (whole !== void 0) return whole;
  const parts = resolve(path).split(sep).filter(Boolean);
  let current = sep;
  let links = 0;
  while (parts.length > 0) {
    const part = parts.shift();
    const next = join(current, part);
    const info = await lstat(next).catch(() => void 0);
    if (!info) {
      return join(next, ...parts);
    }
    if (!info.isSymbolicLink()) {
      current = next;
      continue;
    }
    if (++links > MAX_LINKS) throw new Error(`${path}: too many levels of symbolic links`);
    const target = await readlink(next);
    const base = isAbsolute(target) ? sep : current;
    parts.unshift(...resolve(base, target).split(sep).filter(Boolean));
    current = sep;
  }
  return current;
}
async function confine(root, path, name = path) {
  const realRoot = await resolveSymlinks(root);
  const real = await resolveSymlinks(resolve(root, path));
  if (!isInside(real, realRoot)) throw new OutsideRootError(name, real);
  return real;
}

export {
  DEFAULT_LIMITS,
  limitsFromEnv,
  ManifestError,
  readManifestText,
  decodeUtf8,
  plainValue,
  syntaxError,
  parseManifests,
  OutsideRootError,
  isInside,
  resolveSymlinks,
  confine
};
