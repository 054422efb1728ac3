#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  EventPositions,
  LineIndex,
  MANIFEST_SCHEMA,
  isPlainNull,
  skip
} from "./chunk-OTIGXPIO.js";
import {
  EVENT_ID,
  SCALAR_STYLE,
  constructFromEvents,
  getScalarValue,
  parseEvents
} from "./chunk-XRGQOWGB.js";

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
const { readFileSync, statSync } = require("node:fs");
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
async function parseManifests(text, file, options = {}) {
  const fast = parseFast(text, file, options.limits ?? DEFAULT_LIMITS, options);
  if (fast) return fast;
  const { LazyYamlPositions, parseWithYaml } = await import("./parse-yaml-5P5LSQEK.js");
  const manifests = parseWithYaml(text, file, options);
  if (options.positions) {
    const positions = new LazyYamlPositions(text);
    for (const m of manifests) m.source.positions = positions;
  }
  return manifests;
}
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
  let walker;
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
      walker ??= positions ?? new EventPositions(text, events, lines);
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
function isList(value) {
  const v = value;
  return typeof v === "object" && typeof v.kind === "string" && v.kind.endsWith("List") && Array.isArray(v.items);
}

export {
  DEFAULT_LIMITS,
  limitsFromEnv,
  ManifestError,
  readManifestText,
  decodeUtf8,
  parseManifests,
  isList
};
