#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  splitPointer
} from "./chunk-OTIGXPIO.js";
import {
  require_dist
} from "./chunk-HPGUIRHG.js";
import {
  __toESM
} from "./chunk-3IQPLNQJ.js";

// shared/manifests/yaml-positions.ts
var import_yaml = __toESM(require_dist(), 1);
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

export {
  YamlPositions
};
