#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  YamlPositions
} from "./chunk-UOZOTW6C.js";
import {
  DEFAULT_LIMITS,
  ManifestError,
  isList
} from "./chunk-K4EN55PN.js";
import {
  require_dist
} from "./chunk-HPGUIRHG.js";
import {
  __toESM
} from "./chunk-3IQPLNQJ.js";

// shared/manifests/parse-yaml.ts
var import_yaml = __toESM(require_dist(), 1);
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

export {
  plainValue,
  syntaxError,
  parseWithYaml,
  LazyYamlPositions
};
