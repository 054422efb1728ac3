#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  EVENT_ID,
  FAILSAFE_SCHEMA,
  NOT_RESOLVED,
  SCALAR_STYLE,
  Schema,
  constructFromEvents,
  defineScalarTag,
  getScalarValue,
  parseEvents
} from "./chunk-SRSIAQQV.js";
import {
  require_dist
} from "./chunk-ISAI2AEA.js";
import {
  __toESM
} from "./chunk-VXZLQ2ES.js";

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

// shared/manifests/positions.ts
var import_yaml = __toESM(require_dist(), 1);

// shared/manifests/yaml11.ts
var NULL = /^(?:~|[Nn]ull|NULL)?$/;
var TRUE = /^(?:Y|y|[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/;
var FALSE = /^(?:N|n|[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/;
var INT_BIN = /^[-+]?0b[0-1_]+$/;
var INT_OCT = /^[-+]?0[0-7_]+$/;
var INT_DEC = /^[-+]?[0-9][0-9_]*$/;
var INT_HEX = /^[-+]?0x[0-9a-fA-F_]+$/;
var FLOAT_NAN = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
var FLOAT_EXP = /^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?[eE][-+]?[0-9]+$/;
var FLOAT = /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*$/;
function int(text, offset, radix) {
  const sign = text[0];
  const start = sign === "-" || sign === "+" ? offset + 1 : offset;
  const n = Number.parseInt(text.substring(start).replace(/_/g, ""), radix);
  return sign === "-" ? -1 * n : n;
}
var never = () => false;
var DIGITS = [..."0123456789"];
var nullTag = defineScalarTag("tag:yaml.org,2002:null", {
  implicit: true,
  implicitFirstChars: ["", "~", "n", "N"],
  resolve: (text) => NULL.test(text) ? null : NOT_RESOLVED,
  identify: (value) => value === null
});
var boolTag = defineScalarTag("tag:yaml.org,2002:bool", {
  implicit: true,
  implicitFirstChars: [..."yYnNtTfFoO"],
  resolve: (text) => TRUE.test(text) ? true : FALSE.test(text) ? false : NOT_RESOLVED,
  identify: never
});
var intTag = defineScalarTag("tag:yaml.org,2002:int", {
  implicit: true,
  implicitFirstChars: [...DIGITS, "-", "+"],
  resolve: (text) => {
    if (INT_BIN.test(text)) return int(text, 2, 2);
    if (INT_OCT.test(text)) return int(text, 1, 8);
    if (INT_DEC.test(text)) return int(text, 0, 10);
    if (INT_HEX.test(text)) return int(text, 2, 16);
    return NOT_RESOLVED;
  },
  identify: never
});
var floatTag = defineScalarTag("tag:yaml.org,2002:float", {
  implicit: true,
  implicitFirstChars: [...DIGITS, "-", "+", ".", "e", "E"],
  resolve: (text) => {
    if (FLOAT_NAN.test(text)) {
      return text.slice(-3).toLowerCase() === "nan" ? Number.NaN : text[0] === "-" ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
    }
    if (FLOAT_EXP.test(text) || FLOAT.test(text)) {
      return Number.parseFloat(text.replace(/_/g, ""));
    }
    return NOT_RESOLVED;
  },
  identify: never
});
var MANIFEST_SCHEMA = new Schema([
  ...FAILSAFE_SCHEMA.tags,
  nullTag,
  boolTag,
  intTag,
  floatTag
]);
function plainScalar(text) {
  for (const tag of [nullTag, boolTag, intTag, floatTag]) {
    const value = tag.resolve(text, false, tag.tagName);
    if (value !== NOT_RESOLVED) return value;
  }
  return text;
}

// shared/manifests/positions.ts
var YamlPositions = class {
  lines = new import_yaml.LineCounter();
  /** Object nodes (documents and items of `kind: *List`) by the line they start on. */
  objects = /* @__PURE__ */ new Map();
  constructor(text) {
    const docs = (0, import_yaml.parseAllDocuments)(text, { lineCounter: this.lines, uniqueKeys: false });
    const list = Array.isArray(docs) ? docs : [];
    for (const doc of list) {
      const node = doc.contents;
      if (!node?.range) continue;
      this.objects.set(this.lineOf(node.range[0]), node);
      if ((0, import_yaml.isMap)(node)) {
        const items = node.get("items", true);
        if ((0, import_yaml.isSeq)(items)) {
          for (const item of items.items) {
            const n = item;
            if (n?.range && (0, import_yaml.isMap)(n)) this.objects.set(this.lineOf(n.range[0]), n);
          }
        }
      }
    }
  }
  /** Lines on which an object (document or List item) starts. */
  objectLines() {
    return [...this.objects.keys()];
  }
  /**
   * Where `pointer` is in the object that starts on `line` (1-based, as Source.line).
   * Undefined when no object starts on that line.
   */
  locate(line, pointer) {
    const root = this.objects.get(line);
    if (!root?.range) return void 0;
    return walk(root, pointer, (offset) => this.position(offset));
  }
  /** The value node at `pointer` in the object on `line`, e.g. to read an inline patch. */
  nodeAt(line, pointer) {
    let node = this.objects.get(line);
    for (const segment of splitPointer(pointer)) {
      node = child(node, segment)?.value;
      if (node === void 0) return void 0;
    }
    return node ?? void 0;
  }
  position(offset) {
    const { line, col } = this.lines.linePos(offset);
    return { line, column: col };
  }
  lineOf(offset) {
    return this.lines.linePos(offset).line;
  }
};
function splitPointer(pointer) {
  if (pointer === "" || pointer === "/") return [];
  return pointer.slice(1).split("/").map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}
function child(node, segment) {
  if ((0, import_yaml.isMap)(node)) {
    for (const pair of node.items) {
      if (!(0, import_yaml.isPair)(pair)) continue;
      const key = (0, import_yaml.isScalar)(pair.key) ? pair.key.value : pair.key;
      if (String(key) !== segment) continue;
      const keyNode = pair.key;
      const at = keyNode?.range?.[0] ?? pair.value?.range?.[0];
      if (at === void 0) return void 0;
      return { at, value: pair.value };
    }
    return void 0;
  }
  if ((0, import_yaml.isSeq)(node) && /^\d+$/.test(segment)) {
    const item = node.items[Number(segment)];
    if (!item?.range) return void 0;
    return { at: item.range[0], value: item };
  }
  return void 0;
}
function walk(root, pointer, position) {
  let node = root;
  let at = root.range[0];
  let exact = true;
  for (const segment of splitPointer(pointer)) {
    const step = child(node, segment);
    if (!step) {
      exact = false;
      break;
    }
    at = step.at;
    node = step.value;
  }
  return { ...position(at), exact };
}
var LineIndex = class {
  starts = [0];
  constructor(text) {
    for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) {
      this.starts.push(i + 1);
    }
  }
  position(offset) {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = low + high + 1 >> 1;
      if (this.starts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - this.starts[low] + 1 };
  }
};
var EventPositions = class {
  text;
  events;
  lines;
  /** Index of each object's root event (document or List item) by its 1-based line. */
  roots = /* @__PURE__ */ new Map();
  constructor(text, events, lines) {
    this.text = text;
    this.events = events;
    this.lines = lines;
  }
  addRoot(line, index) {
    this.roots.set(line, index);
  }
  locate(line, pointer) {
    let index = this.roots.get(line);
    if (index === void 0) return void 0;
    let at = startOf(this.events[index]);
    let exact = true;
    for (const segment of splitPointer(pointer)) {
      const step = this.child(index, segment);
      if (!step) {
        exact = false;
        break;
      }
      at = step.at;
      index = step.index;
    }
    return { ...this.lines.position(at), exact };
  }
  /** The event index of `segment` under the collection at `index`, and where to point. */
  child(index, segment) {
    const event = this.events[index];
    if (event?.type === EVENT_ID.MAPPING) {
      let i = index + 1;
      while (this.events[i] && this.events[i]?.type !== EVENT_ID.POP) {
        const key = this.events[i];
        const value = skip(this.events, i);
        if (key.type === EVENT_ID.SCALAR && this.keyText(key) === segment) {
          return { index: value, at: startOf(key) };
        }
        i = skip(this.events, value);
      }
      return void 0;
    }
    if (event?.type === EVENT_ID.SEQUENCE && /^\d+$/.test(segment)) {
      let i = index + 1;
      for (let n = Number(segment); n > 0; n--) {
        if (this.events[i]?.type === EVENT_ID.POP) return void 0;
        i = skip(this.events, i);
      }
      const item = this.events[i];
      if (!item || item.type === EVENT_ID.POP) return void 0;
      return { index: i, at: startOf(item) };
    }
    return void 0;
  }
  /** A key as the parsed object spells it (`yes:` is "true", `08:` is "8"). */
  keyText(key) {
    const raw = key.valueStart < 0 ? "" : getScalarValue(this.text, key);
    return key.style === 1 ? String(plainScalar(raw)) : raw;
  }
};
function startOf(event) {
  switch (event.type) {
    case EVENT_ID.MAPPING:
    case EVENT_ID.SEQUENCE:
      return event.start;
    case EVENT_ID.SCALAR:
      return event.style === 2 || event.style === 3 ? event.valueStart - 1 : event.valueStart;
    default:
      return 0;
  }
}
function skip(events, index) {
  const type = events[index]?.type;
  if (type !== EVENT_ID.MAPPING && type !== EVENT_ID.SEQUENCE && type !== EVENT_ID.DOCUMENT) {
    return index + 1;
  }
  let depth = 0;
  for (let i = index; i < events.length; i++) {
    const t = events[i].type;
    if (t === EVENT_ID.MAPPING || t === EVENT_ID.SEQUENCE || t === EVENT_ID.DOCUMENT) depth++;
    else if (t === EVENT_ID.POP && --depth === 0) return i + 1;
  }
  return events.length;
}

// shared/manifests/parse.ts
import { readFile, stat } from "node:fs/promises";
var import_yaml2 = __toESM(require_dist(), 1);
var ManifestError = class extends Error {
  file;
  line;
  constructor(file, line, message) {
    super(`${line === void 0 ? file : `${file}:${line}`}: ${message}`);
    this.name = "ManifestError";
    this.file = file;
    this.line = line;
  }
};
async function readManifestText(path, file, limits = DEFAULT_LIMITS) {
  const info = await stat(path);
  if (info.size > limits.maxFileBytes) {
    throw new ManifestError(
      file,
      void 0,
      `${info.size} bytes, larger than the limit of ${limits.maxFileBytes} bytes (raise TETHER_MAX_FILE_SIZE or split the file)`
    );
  }
  return decodeUtf8(await readFile(path), file);
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
    for (const child2 of Object.values(v)) stack.push([child2, depth + 1]);
  }
  return deepest;
}
function firstAliasLine(doc, lines) {
  let line;
  (0, import_yaml2.visit)(doc, {
    Alias(_, node) {
      if (node.range) line = lines.linePos(node.range[0]).line;
      return import_yaml2.visit.BREAK;
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
      if (isKey && event.style === SCALAR_STYLE.PLAIN) {
        const raw = event.valueStart < 0 ? "" : getScalarValue(text, event);
        if (plainScalar(raw) === null) return false;
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
  const lines = new import_yaml2.LineCounter();
  const docs = (0, import_yaml2.parseAllDocuments)(text, {
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
    if (isList(value) && (0, import_yaml2.isMap)(node)) {
      const items = node.get("items", true);
      const itemNodes = (0, import_yaml2.isSeq)(items) ? items.items : [];
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
  YamlPositions,
  splitPointer,
  ManifestError,
  readManifestText,
  plainValue,
  syntaxError,
  parseManifests,
  OutsideRootError,
  isInside,
  resolveSymlinks,
  confine
};
