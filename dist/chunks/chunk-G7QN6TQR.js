#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  EVENT_ID,
  FAILSAFE_SCHEMA,
  NOT_RESOLVED,
  Schema,
  defineScalarTag,
  getScalarValue
} from "./chunk-XRGQOWGB.js";

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
function isPlainNull(text) {
  return NULL.test(text);
}
function plainScalar(text) {
  for (const tag of [nullTag, boolTag, intTag, floatTag]) {
    const value = tag.resolve(text, false, tag.tagName);
    if (value !== NOT_RESOLVED) return value;
  }
  return text;
}

// shared/manifests/positions.ts
function splitPointer(pointer) {
  if (pointer === "" || pointer === "/") return [];
  return pointer.slice(1).split("/").map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
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

export {
  MANIFEST_SCHEMA,
  isPlainNull,
  splitPointer,
  LineIndex,
  EventPositions,
  skip
};
