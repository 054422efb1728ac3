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
var FIELDS = 6;
var TYPE = 0;
var START = 1;
var VALUE_END = 2;
var STYLE = 3;
var INDENT = 4;
var CHOMPING = 5;
var EventPositions = class {
  text;
  events;
  lines;
  /** Index of each object's root event (document or List item) by its 1-based line. */
  roots = /* @__PURE__ */ new Map();
  constructor(text, events, lines) {
    this.text = text;
    this.lines = lines;
    this.events = new Int32Array(events.length * FIELDS);
    for (let i = 0; i < events.length; i++) {
      const event = events[i];
      const at = i * FIELDS;
      this.events[at + TYPE] = event.type;
      if (event.type === EVENT_ID.MAPPING || event.type === EVENT_ID.SEQUENCE) {
        this.events[at + START] = event.start;
      } else if (event.type === EVENT_ID.SCALAR) {
        this.events[at + START] = event.valueStart;
        this.events[at + VALUE_END] = event.valueEnd;
        this.events[at + STYLE] = event.style;
        this.events[at + INDENT] = event.indent;
        this.events[at + CHOMPING] = event.chomping | (event.fast ? 8 : 0);
      }
    }
  }
  addRoot(line, index) {
    this.roots.set(line, index);
  }
  locate(line, pointer) {
    let index = this.roots.get(line);
    if (index === void 0) return void 0;
    let at = this.startOf(index);
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
    const count = this.events.length / FIELDS;
    const type = this.typeOf(index);
    if (type === EVENT_ID.MAPPING) {
      let i = index + 1;
      while (i < count && this.typeOf(i) !== EVENT_ID.POP) {
        const value = this.skip(i);
        if (this.typeOf(i) === EVENT_ID.SCALAR && this.keyText(i) === segment) {
          return { index: value, at: this.startOf(i) };
        }
        i = this.skip(value);
      }
      return void 0;
    }
    if (type === EVENT_ID.SEQUENCE && /^\d+$/.test(segment)) {
      let i = index + 1;
      for (let n = Number(segment); n > 0; n--) {
        if (i >= count || this.typeOf(i) === EVENT_ID.POP) return void 0;
        i = this.skip(i);
      }
      if (i >= count || this.typeOf(i) === EVENT_ID.POP) return void 0;
      return { index: i, at: this.startOf(i) };
    }
    return void 0;
  }
  typeOf(index) {
    return this.events[index * FIELDS + TYPE];
  }
  /** Where the node starts in the text (a quoted scalar: at its opening quote). */
  startOf(index) {
    const at = index * FIELDS;
    const start = this.events[at + START];
    switch (this.events[at + TYPE]) {
      case EVENT_ID.MAPPING:
      case EVENT_ID.SEQUENCE:
        return start;
      case EVENT_ID.SCALAR: {
        const style = this.events[at + STYLE];
        return style === 2 || style === 3 ? start - 1 : start;
      }
      default:
        return 0;
    }
  }
  /** The index just past the node that starts at `index`. */
  skip(index) {
    const count = this.events.length / FIELDS;
    let depth = 0;
    for (let i = index; i < count; i++) {
      const t = this.typeOf(i);
      if (t === EVENT_ID.MAPPING || t === EVENT_ID.SEQUENCE || t === EVENT_ID.DOCUMENT) depth++;
      else if (t === EVENT_ID.POP) depth--;
      if (depth <= 0) return i + 1;
    }
    return count;
  }
  /** A key as the parsed object spells it (`yes:` is "true", `08:` is "8"). */
  keyText(index) {
    const at = index * FIELDS;
    const flags = this.events[at + CHOMPING];
    const key = {
      type: EVENT_ID.SCALAR,
      valueStart: this.events[at + START],
      valueEnd: this.events[at + VALUE_END],
      anchorStart: -1,
      anchorEnd: -1,
      tagStart: -1,
      tagEnd: -1,
      style: this.events[at + STYLE],
      chomping: flags & 7,
      indent: this.events[at + INDENT],
      fast: (flags & 8) !== 0
    };
    const raw = key.valueStart < 0 ? "" : getScalarValue(this.text, key);
    return key.style === 1 ? String(plainScalar(raw)) : raw;
  }
};
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
