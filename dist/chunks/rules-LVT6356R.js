#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  Field,
  QUANTITY_ERROR,
  checkLabelSelector,
  checkLabels,
  checkObjectMeta,
  checkTemplateMeta,
  configKeyErrors,
  dns1035LabelErrors,
  dns1123LabelErrors,
  dns1123SubdomainErrors,
  intAt,
  isObject,
  labelValueErrors,
  listAt,
  maxLenError,
  nameIsDnsLabel,
  nameIsDnsSubdomain,
  objectAt,
  parseQuantity,
  pathSegmentErrors,
  percentOf,
  portNameErrors,
  portNumberErrors,
  qualifiedNameErrors,
  selectorIsEmpty,
  selectorMatches,
  stringAt,
  wildcardSubdomainErrors
} from "./chunk-GZ7M6IJ3.js";
import {
  CelScalar,
  DurationSchema,
  TimestampSchema,
  celEnv,
  celFunc,
  celList,
  celMap,
  celMethod,
  isCelError,
  isCelList,
  isCelMap,
  isCelType,
  isCelUint,
  isReflectMessage,
  listType,
  parse,
  plan,
  toJson
} from "./chunk-IUREBSFL.js";
import {
  joinPointer,
  pointerToPath
} from "./chunk-D4VEYYO7.js";
import {
  fluxCelData,
  fluxData
} from "./chunk-RJ6COGY3.js";
import "./chunk-3IQPLNQJ.js";

// node_modules/@bufbuild/cel/dist/esm/ext/strings.js
function charAt(index) {
  const i = Number(index);
  if (i < 0 || i > this.length) {
    throw indexOutOfBounds(i, this.length);
  }
  return this.charAt(i);
}
function indexOf(substr, startN) {
  if (startN === void 0) {
    return BigInt(this.indexOf(substr));
  }
  const start = Number(startN);
  if (start < 0 || start >= this.length) {
    throw indexOutOfBounds(start, this.length);
  }
  return BigInt(this.indexOf(substr, start));
}
function lastIndexOf(substr, startN) {
  if (startN === void 0) {
    return BigInt(this.lastIndexOf(substr));
  }
  const start = Number(startN);
  if (start < 0 || start >= this.length) {
    throw indexOutOfBounds(start, this.length);
  }
  return BigInt(this.lastIndexOf(substr, start));
}
function lowerAscii() {
  let result = "";
  for (let i = 0; i < this.length; i++) {
    const code = this.charCodeAt(i);
    if (code >= 65 && code <= 90) {
      result += String.fromCharCode(code + 32);
    } else {
      result += this.charAt(i);
    }
  }
  return result;
}
function upperAscii() {
  let result = "";
  for (let i = 0; i < this.length; i++) {
    const c = this.charCodeAt(i);
    if (c >= 97 && c <= 122) {
      result += String.fromCharCode(c - 32);
    } else {
      result += this.charAt(i);
    }
  }
  return result;
}
function replace(substr, repl, num) {
  const count = num === void 0 ? this.length : Number(num);
  let result = this;
  let offset = 0;
  let remaining = count;
  let index = result.indexOf(substr, offset);
  while (remaining > 0 && index !== -1) {
    result = result.substring(0, index) + repl + result.substring(index + substr.length);
    offset = index + repl.length;
    remaining--;
    index = result.indexOf(substr, offset);
  }
  return result;
}
function split(sep, num) {
  const count = num === void 0 ? void 0 : Number(num);
  if (count === 1) {
    return celList([this]);
  }
  return celList(this.split(sep, count));
}
function substring(start, end) {
  if (end === void 0) {
    const i2 = Number(start);
    if (i2 < 0 || i2 > this.length) {
      throw indexOutOfBounds(i2, this.length);
    }
    return this.substring(i2);
  }
  const i = Number(start);
  const j = Number(end);
  if (i < 0 || i > this.length) {
    throw indexOutOfBounds(i, this.length);
  }
  if (j < 0 || j > this.length) {
    throw indexOutOfBounds(j, this.length);
  }
  if (i > j) {
    throw invalidArgument("substring", "start > end");
  }
  return this.substring(i, j);
}
var WHITE_SPACE = /* @__PURE__ */ new Set([
  32,
  9,
  10,
  11,
  12,
  13,
  133,
  160,
  5760,
  8192,
  8193,
  8194,
  8195,
  8196,
  8197,
  8198,
  8199,
  8200,
  8201,
  8202,
  8232,
  8233,
  8239,
  8287,
  12288
]);
function trim() {
  let start = 0;
  let end = this.length - 1;
  while (start < this.length && WHITE_SPACE.has(this.charCodeAt(start))) {
    start++;
  }
  while (end > start && WHITE_SPACE.has(this.charCodeAt(end))) {
    end--;
  }
  return this.substring(start, end + 1);
}
function join(sep = "") {
  let result = "";
  for (let i = 0; i < this.size; i++) {
    const item = this.get(i);
    if (typeof item !== "string") {
      throw invalidArgument("join", "list contains non-string value");
    }
    if (i > 0) {
      result += sep;
    }
    result += item;
  }
  return result;
}
var QUOTE_MAP = /* @__PURE__ */ new Map([
  [0, "\\0"],
  [7, "\\a"],
  [8, "\\b"],
  [9, "\\t"],
  [10, "\\n"],
  [11, "\\v"],
  [12, "\\f"],
  [13, "\\r"],
  [34, '\\"'],
  [92, "\\\\"]
]);
function quote(str) {
  let result = '"';
  for (let i = 0; i < str.length; i++) {
    const c = str.charCodeAt(i);
    result += QUOTE_MAP.get(c) ?? str.charAt(i);
  }
  result += '"';
  return result;
}
function formatFloatString(val) {
  switch (val) {
    case "Infinity":
    case "-Infinity":
    case "NaN":
      return val;
    default:
      throw invalidArgument("format", "invalid floating point value");
  }
}
function formatFloating(val, precision) {
  switch (true) {
    case typeof val === "number":
      if (!Number.isFinite(val) || precision === void 0) {
        return val.toString();
      }
      return new Intl.NumberFormat("en-US", {
        maximumFractionDigits: precision,
        minimumFractionDigits: precision,
        notation: "standard",
        roundingMode: "halfEven",
        useGrouping: false
      }).format(val);
    case typeof val === "string":
      return formatFloatString(val);
    default:
      throw invalidArgument("format", "fixed-point clause can only be used on doubles");
  }
}
function formatExponent(val, precision) {
  switch (true) {
    case typeof val === "number":
      if (!Number.isFinite(val)) {
        return val.toString();
      }
      let str = val.toExponential(precision);
      const plusIdx = str.lastIndexOf("+");
      if (plusIdx === str.length - 2) {
        str = `${str.substring(0, plusIdx + 1)}0${str.substring(plusIdx + 1)}`;
      }
      return str;
    case typeof val === "string":
      return formatFloatString(val);
    default:
      throw invalidArgument("format", "scientific clause can only be used on doubles");
  }
}
function formatBinary(val) {
  switch (true) {
    case typeof val === "boolean":
      return val ? "1" : "0";
    case typeof val === "bigint":
      return val.toString(2);
    case isCelUint(val):
      return val.value.toString(2);
    default:
      throw invalidArgument("format", "only integers and bools can be formatted as binary");
  }
}
function formatOctal(val) {
  switch (true) {
    case typeof val === "bigint":
      return val.toString(8);
    case isCelUint(val):
      return val.value.toString(8);
    default:
      throw invalidArgument("format", "invalid integer value");
  }
}
function formatDecimal(val) {
  switch (true) {
    case typeof val === "bigint":
      return val.toString(10);
    case isCelUint(val):
      return val.value.toString(10);
    case (typeof val === "number" && !Number.isFinite(val)):
      return val.toString();
    default:
      throw invalidArgument("format", "invalid integer value");
  }
}
function formatHexBytes(val) {
  let result = "";
  for (let i = 0; i < val.length; i++) {
    result += val[i].toString(16).padStart(2, "0");
  }
  return result;
}
function formatHex(val) {
  switch (true) {
    case typeof val === "bigint":
      return val.toString(16);
    case isCelUint(val):
      return val.value.toString(16);
    case typeof val === "string":
      const encoder = new TextEncoder();
      return formatHexBytes(encoder.encode(val));
    case val instanceof Uint8Array:
      return formatHexBytes(val);
    default:
      throw invalidArgument("format", "only integers, byte buffers, and strings can be formatted as hex");
  }
}
function formatHeX(val) {
  const result = formatHex(val);
  if (typeof result !== "string") {
    return result;
  }
  return result.toUpperCase();
}
function formatList(val) {
  let result = "[";
  for (let i = 0; i < val.size; i++) {
    if (i > 0) {
      result += ", ";
    }
    result += formatString(val.get(i));
  }
  result += "]";
  return result;
}
function formatMap(val) {
  const formatted = new Array(val.size);
  let i = 0;
  for (const [key, value] of val) {
    formatted[i] = [formatString(key), formatString(value)];
    i++;
  }
  let result = "{";
  let delim = "";
  for (const [key, value] of formatted.sort((a, b) => a[0].localeCompare(b[0]))) {
    result += delim + key + ": " + value;
    delim = ", ";
  }
  result += "}";
  return result;
}
function formatString(val) {
  switch (typeof val) {
    case "boolean":
      return val ? "true" : "false";
    case "bigint":
      return formatDecimal(val);
    case "number":
      return formatFloating(val, void 0);
    case "string":
      return val;
    case "object":
      switch (true) {
        case val === null:
          return "null";
        case isCelType(val):
          return val.name;
        case isCelUint(val):
          return val.value.toString();
        case isReflectMessage(val, TimestampSchema):
          return toJson(TimestampSchema, val.message);
        case isReflectMessage(val, DurationSchema):
          return toJson(DurationSchema, val.message);
        case val instanceof Uint8Array:
          return new TextDecoder().decode(val);
        case isCelList(val):
          return formatList(val);
        case isCelMap(val):
          return formatMap(val);
      }
  }
  throw invalidArgument("format", "invalid string value");
}
function format(args) {
  let result = "";
  let i = 0;
  let j = 0;
  while (i < this.length) {
    if (this.charAt(i) !== "%") {
      result += this.charAt(i);
      i++;
      continue;
    }
    if (i + 1 >= this.length) {
      throw invalidArgument("format", "invalid format string");
    }
    let c = this.charAt(i + 1);
    i += 2;
    if (c === "%") {
      result += "%";
      continue;
    }
    let precision = 6;
    if (c === ".") {
      precision = 0;
      while (i < this.length && this.charAt(i) >= "0" && this.charAt(i) <= "9") {
        precision = precision * 10 + Number(this.charAt(i));
        i++;
      }
      if (i >= this.length) {
        throw invalidArgument("format", "invalid format string");
      }
      c = this.charAt(i);
      i++;
    }
    const val = args.get(j++);
    if (val === void 0) {
      throw invalidArgument("format", "too few arguments for format string");
    }
    result += formatPlaceholder(c, val, precision);
  }
  if (j < args.size) {
    throw invalidArgument("format", "too many arguments for format string");
  }
  return result;
}
function formatPlaceholder(c, val, precision) {
  switch (c) {
    case "e":
      return formatExponent(val, precision);
    case "f":
      return formatFloating(val, precision);
    case "b":
      return formatBinary(val);
    case "d":
      return formatDecimal(val);
    case "s":
      return formatString(val);
    case "x":
      return formatHex(val);
    case "X":
      return formatHeX(val);
    case "o":
      return formatOctal(val);
    default:
      throw invalidArgument("format", `could not parse formatting clause: unrecognized formatting clause: ${c}`);
  }
}
function invalidArgument(func, issue) {
  return new Error(`invalid argument to function ${func}: ${issue}`);
}
function indexOutOfBounds(index, length) {
  return new Error(`index ${index} out of bounds [0, ${length})`);
}
var { STRING, INT, DYN } = CelScalar;
var LIST_DYN = listType(DYN);
var LIST_STRING = listType(DYN);
var strings_default = [
  celFunc("strings.quote", [STRING], STRING, quote),
  celMethod("charAt", STRING, [INT], STRING, charAt),
  celMethod("indexOf", STRING, [STRING], INT, indexOf),
  celMethod("indexOf", STRING, [STRING, INT], INT, indexOf),
  celMethod("lastIndexOf", STRING, [STRING], INT, lastIndexOf),
  celMethod("lastIndexOf", STRING, [STRING, INT], INT, lastIndexOf),
  celMethod("lowerAscii", STRING, [], STRING, lowerAscii),
  celMethod("upperAscii", STRING, [], STRING, upperAscii),
  celMethod("replace", STRING, [STRING, STRING], STRING, replace),
  celMethod("replace", STRING, [STRING, STRING, INT], STRING, replace),
  celMethod("split", STRING, [STRING], LIST_STRING, split),
  celMethod("split", STRING, [STRING, INT], LIST_STRING, split),
  celMethod("substring", STRING, [INT], STRING, substring),
  celMethod("substring", STRING, [INT, INT], STRING, substring),
  celMethod("trim", STRING, [], STRING, trim),
  celMethod("join", LIST_STRING, [], STRING, join),
  celMethod("join", LIST_STRING, [STRING], STRING, join),
  celMethod("format", STRING, [LIST_DYN], STRING, format)
];

// shared/validate/rules/cel-library.ts
var DYN2 = CelScalar.DYN;
var STRING2 = CelScalar.STRING;
var BOOL = CelScalar.BOOL;
var INT2 = CelScalar.INT;
var DOUBLE = CelScalar.DOUBLE;
var LIST = listType(DYN2);
var QUANTITY = "__quantity";
var URL_KEY = "__url";
var FORMAT = "__format";
var OPTIONAL = "__optional";
function marked(key, value) {
  return celMap(/* @__PURE__ */ new Map([[key, value]]));
}
function payload(value, key) {
  if (value === void 0 || !isCelMap(value)) return void 0;
  return value.get(key);
}
function fail(message) {
  throw new Error(message);
}
function quantityOf(value) {
  const text = payload(value, QUANTITY);
  if (typeof text !== "string") fail("no such overload: expected a quantity");
  return parseQuantity(text) ?? fail(`invalid quantity ${text}`);
}
function makeQuantity(text) {
  if (parseQuantity(text) === void 0) fail(`quantities must match the regular expression`);
  return marked(QUANTITY, text);
}
function quantityText(n) {
  return Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(15)));
}
function compare(a, b) {
  if (typeof a === "bigint" && typeof b === "bigint") return a < b ? -1 : a > b ? 1 : 0;
  if ((typeof a === "number" || typeof a === "bigint") && (typeof b === "number" || typeof b === "bigint"))
    return Number(a) - Number(b);
  if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === "boolean" && typeof b === "boolean") return Number(a) - Number(b);
  return fail("no such overload: list elements are not comparable");
}
function listOf(value) {
  if (!isCelList(value)) return fail("no such overload");
  return [...value];
}
function regex(pattern) {
  try {
    return new RegExp(pattern, "g");
  } catch (error) {
    return fail(`invalid regex ${pattern}: ${error.message}`);
  }
}
function parseUrl(text) {
  if (text.startsWith("/")) return new URL(text, "path-only:/");
  try {
    return new URL(text);
  } catch {
    return fail(`URL parse error during conversion from string: ${text}`);
  }
}
function urlOf(value) {
  const text = payload(value, URL_KEY);
  if (typeof text !== "string") fail("no such overload: expected a URL");
  return { text, url: parseUrl(text) };
}
var FORMATS = {
  dns1123Label: dns1123LabelErrors,
  dns1123Subdomain: dns1123SubdomainErrors,
  dns1035Label: dns1035LabelErrors,
  qualifiedName: qualifiedNameErrors,
  labelValue: labelValueErrors,
  dns1123LabelPrefix: (s) => dns1123LabelErrors(s.endsWith("-") ? s.slice(0, -1) : s),
  dns1123SubdomainPrefix: (s) => dns1123SubdomainErrors(s.endsWith("-") ? s.slice(0, -1) : s),
  dns1035LabelPrefix: (s) => dns1035LabelErrors(s.endsWith("-") ? s.slice(0, -1) : s),
  uri: (s) => {
    try {
      parseUrl(s);
      return [];
    } catch {
      return ["invalid URI"];
    }
  },
  uuid: (s) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s) ? [] : ["invalid UUID"],
  byte: (s) => /^[A-Za-z0-9+/]*={0,2}$/.test(s) && s.length % 4 === 0 ? [] : ["invalid base64"],
  date: (s) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(s)) ? [] : ["invalid date"],
  datetime: (s) => !Number.isNaN(Date.parse(s)) && /T/.test(s) ? [] : ["invalid datetime"]
};
function formatFunctions() {
  const out = [
    celFunc(
      "format.named",
      [STRING2],
      DYN2,
      (name) => marked(OPTIONAL, FORMATS[name] ? marked(FORMAT, name) : null)
    ),
    celMethod("validate", DYN2, [STRING2], DYN2, function(text) {
      const name = payload(this, FORMAT);
      const check = typeof name === "string" ? FORMATS[name] : void 0;
      if (!check) return fail("no such overload: validate");
      const errors = check(text);
      return marked(OPTIONAL, errors.length > 0 ? errors : null);
    }),
    celMethod("hasValue", DYN2, [], BOOL, function() {
      return payload(this, OPTIONAL) !== null && payload(this, OPTIONAL) !== void 0;
    }),
    celMethod("value", DYN2, [], DYN2, function() {
      const v = payload(this, OPTIONAL);
      return v ?? fail("optional.none() dereference");
    })
  ];
  for (const name of Object.keys(FORMATS)) {
    out.push(celFunc(`format.${name}`, [], DYN2, () => marked(FORMAT, name)));
  }
  return out;
}
function kubernetesCelFunctions() {
  return [
    ...strings_default,
    // lists.go
    celMethod("isSorted", LIST, [], BOOL, function() {
      const items = listOf(this);
      return items.every((v, i) => i === 0 || compare(items[i - 1], v) <= 0);
    }),
    celMethod("sum", LIST, [], DYN2, function() {
      const items = listOf(this);
      if (items.length === 0) return 0n;
      if (items.every((v) => typeof v === "bigint"))
        return items.reduce((a, b) => a + b, 0n);
      return items.reduce((a, b) => a + Number(b), 0);
    }),
    celMethod("min", LIST, [], DYN2, function() {
      const items = listOf(this);
      if (items.length === 0) fail("min called on empty list");
      return items.reduce((a, b) => compare(a, b) <= 0 ? a : b);
    }),
    celMethod("max", LIST, [], DYN2, function() {
      const items = listOf(this);
      if (items.length === 0) fail("max called on empty list");
      return items.reduce((a, b) => compare(a, b) >= 0 ? a : b);
    }),
    celMethod("indexOf", LIST, [DYN2], INT2, function(x) {
      return BigInt(listOf(this).findIndex((v) => compare(v, x) === 0));
    }),
    celMethod("lastIndexOf", LIST, [DYN2], INT2, function(x) {
      const items = listOf(this);
      for (let i = items.length - 1; i >= 0; i--) if (compare(items[i], x) === 0) return BigInt(i);
      return -1n;
    }),
    // regex.go
    celMethod("find", STRING2, [STRING2], STRING2, function(pattern) {
      return regex(pattern).exec(this)?.[0] ?? "";
    }),
    celMethod("findAll", STRING2, [STRING2], LIST, function(pattern) {
      return [...this.matchAll(regex(pattern))].map((m) => m[0]);
    }),
    celMethod("findAll", STRING2, [STRING2, INT2], LIST, function(pattern, n) {
      const all = [...this.matchAll(regex(pattern))].map((m) => m[0]);
      return n < 0n ? all : all.slice(0, Number(n));
    }),
    // urls.go
    celFunc("url", [STRING2], DYN2, (text) => {
      parseUrl(text);
      return marked(URL_KEY, text);
    }),
    celFunc("isURL", [STRING2], BOOL, (text) => {
      try {
        parseUrl(text);
        return true;
      } catch {
        return false;
      }
    }),
    celMethod("getScheme", DYN2, [], STRING2, function() {
      const { text, url } = urlOf(this);
      return text.startsWith("/") ? "" : url.protocol.replace(/:$/, "");
    }),
    celMethod("getHost", DYN2, [], STRING2, function() {
      const { text, url } = urlOf(this);
      return text.startsWith("/") ? "" : url.host;
    }),
    celMethod("getHostname", DYN2, [], STRING2, function() {
      const { text, url } = urlOf(this);
      return text.startsWith("/") ? "" : url.hostname.replace(/^\[|\]$/g, "");
    }),
    celMethod("getPort", DYN2, [], STRING2, function() {
      return urlOf(this).url.port;
    }),
    celMethod("getEscapedPath", DYN2, [], STRING2, function() {
      return urlOf(this).url.pathname;
    }),
    // quantity.go
    celFunc("quantity", [STRING2], DYN2, (text) => makeQuantity(text)),
    celFunc("isQuantity", [STRING2], BOOL, (text) => parseQuantity(text) !== void 0),
    celMethod("sign", DYN2, [], INT2, function() {
      return BigInt(Math.sign(quantityOf(this)));
    }),
    celMethod("isInteger", DYN2, [], BOOL, function() {
      return Number.isInteger(quantityOf(this));
    }),
    celMethod("asInteger", DYN2, [], INT2, function() {
      const n = quantityOf(this);
      if (!Number.isInteger(n)) fail("cannot convert value to integer");
      return BigInt(n);
    }),
    celMethod("asApproximateFloat", DYN2, [], DOUBLE, function() {
      return quantityOf(this);
    }),
    celMethod("isGreaterThan", DYN2, [DYN2], BOOL, function(other) {
      return quantityOf(this) > quantityOf(other);
    }),
    celMethod("isLessThan", DYN2, [DYN2], BOOL, function(other) {
      return quantityOf(this) < quantityOf(other);
    }),
    celMethod("compareTo", DYN2, [DYN2], INT2, function(other) {
      return BigInt(Math.sign(quantityOf(this) - quantityOf(other)));
    }),
    celMethod("add", DYN2, [DYN2], DYN2, function(other) {
      const o = typeof other === "bigint" ? Number(other) : quantityOf(other);
      return marked(QUANTITY, quantityText(quantityOf(this) + o));
    }),
    celMethod("sub", DYN2, [DYN2], DYN2, function(other) {
      const o = typeof other === "bigint" ? Number(other) : quantityOf(other);
      return marked(QUANTITY, quantityText(quantityOf(this) - o));
    }),
    ...formatFunctions()
  ];
}

// shared/validate/rules/cel.ts
var env;
var programs = /* @__PURE__ */ new Map();
var noted = /* @__PURE__ */ new Set();
function program(expression) {
  let compiled = programs.get(expression);
  if (!compiled) {
    try {
      env ??= celEnv({ funcs: kubernetesCelFunctions() });
      const run = plan(env, parse(expression));
      compiled = (bindings) => run(bindings);
    } catch (error) {
      compiled = error;
    }
    programs.set(expression, compiled);
  }
  return compiled;
}
function schemaType(schema) {
  if (typeof schema.type === "string") return schema.type;
  if (schema["x-kubernetes-int-or-string"] === true) return "integer or string";
  return "object";
}
var frozenDefaults = /* @__PURE__ */ new WeakSet();
function frozen(value) {
  if (typeof value !== "object" || value === null || frozenDefaults.has(value)) return value;
  for (const v of Object.values(value)) frozen(v);
  Object.freeze(value);
  frozenDefaults.add(value);
  return value;
}
function withDefaults(value, schema) {
  if (Array.isArray(value)) {
    const items = isObject(schema.items) ? schema.items : void 0;
    return items ? value.map((v) => withDefaults(v, items)) : value;
  }
  if (!isObject(value)) return value;
  const out = { ...value };
  const properties = isObject(schema.properties) ? schema.properties : {};
  for (const [key, sub] of Object.entries(properties)) {
    if (!isObject(sub)) continue;
    if (out[key] === void 0 && sub.default !== void 0) out[key] = frozen(sub.default);
    if (out[key] !== void 0) out[key] = withDefaults(out[key], sub);
  }
  const additional = isObject(schema.additionalProperties) ? schema.additionalProperties : void 0;
  if (additional) {
    for (const key of Object.keys(out))
      if (!Object.hasOwn(properties, key)) out[key] = withDefaults(out[key], additional);
  }
  return out;
}
function childSchema(schema, key) {
  const properties = isObject(schema.properties) ? schema.properties : {};
  const own = properties[key];
  if (isObject(own)) return own;
  return isObject(schema.additionalProperties) ? schema.additionalProperties : {};
}
function toCel(value, schema) {
  if (typeof value === "number") {
    const integral = schema.type === "integer" || schema.type !== "number" && Number.isInteger(value);
    return integral && Number.isSafeInteger(value) ? BigInt(value) : value;
  }
  if (Array.isArray(value)) {
    const items = isObject(schema.items) ? schema.items : {};
    return value.map((v) => toCel(v, items));
  }
  if (isObject(value)) {
    const out = /* @__PURE__ */ new Map();
    for (const [k, v] of Object.entries(value))
      if (v !== null) out.set(k, toCel(v, childSchema(schema, k)));
    return out;
  }
  return value;
}
function fieldPathKeys(fieldPath) {
  const keys = [];
  for (const m of fieldPath.matchAll(/\.([^.[\]]+)|\['((?:[^'\\]|\\.)*)'\]|\[(\d+)\]/g))
    keys.push(m[1] ?? m[2] ?? m[3] ?? "");
  return keys;
}
var REASONS = {
  FieldValueRequired: (shown, _t, message) => `${shown}: Required value: ${message}`,
  FieldValueForbidden: (shown, _t, message) => `${shown}: Forbidden: ${message}`,
  FieldValueDuplicate: (shown, _t, message) => `${shown}: Duplicate value: ${JSON.stringify(message)}`,
  FieldValueInvalid: (shown, type, message) => `${shown}: Invalid value: ${JSON.stringify(type)}: ${message}`
};
function note(notes, text) {
  if (noted.has(text)) return;
  noted.add(text);
  notes.push(text);
}
function evaluateRules(rules, value, schema, pointer, out, where) {
  const self = toCel(value, schema);
  for (const rule of rules) {
    if (typeof rule.rule !== "string") continue;
    if (/\boldSelf\b/.test(rule.rule)) continue;
    const compiled = program(rule.rule);
    if (compiled instanceof Error) {
      note(
        out.notes,
        `${where}: CEL rule not evaluated (${compiled.message.split("\n")[0]}): ${rule.rule}`
      );
      continue;
    }
    let result;
    try {
      result = compiled({ self });
    } catch (error) {
      note(
        out.notes,
        `${where}: CEL rule not evaluated (${error.message}): ${rule.rule}`
      );
      continue;
    }
    if (isCelError(result)) {
      if (/unbound function|no such overload|unsupported/i.test(result.message)) {
        note(out.notes, `${where}: CEL rule not evaluated (${result.message}): ${rule.rule}`);
        continue;
      }
    } else if (result === true) continue;
    let message = rule.message || `failed rule: ${rule.rule}`;
    if (isCelError(result)) message = result.message;
    else if (rule.messageExpression) {
      const expr = program(rule.messageExpression);
      const text = expr instanceof Error ? void 0 : safe(() => expr({ self }));
      if (typeof text === "string" && text.trim() !== "") message = text;
    }
    let target = pointer;
    if (rule.fieldPath)
      for (const key of fieldPathKeys(rule.fieldPath)) target = joinPointer(target, key);
    const shown = pointerToPath(target) || "<nil>";
    const format2 = REASONS[rule.reason ?? "FieldValueInvalid"] ?? REASONS.FieldValueInvalid;
    out.findings.push({
      severity: "error",
      rule: "x-kubernetes-validations",
      message: (format2 ?? ((s, t, m) => `${s}: Invalid value: "${t}": ${m}`))(
        shown,
        schemaType(schema),
        message
      ),
      path: pointerToPath(target),
      pointer: target
    });
  }
}
function safe(f) {
  try {
    return f();
  } catch {
    return void 0;
  }
}
function walk(value, schema, pointer, out, where) {
  if (value === void 0 || value === null) return;
  const rules = schema["x-kubernetes-validations"];
  if (Array.isArray(rules) && rules.length > 0)
    evaluateRules(
      rules.filter(isObject),
      value,
      schema,
      pointer,
      out,
      where
    );
  if (Array.isArray(value)) {
    const items = isObject(schema.items) ? schema.items : void 0;
    if (items)
      for (const [i, v] of value.entries()) walk(v, items, joinPointer(pointer, i), out, where);
  } else if (isObject(value)) {
    for (const [key, v] of Object.entries(value)) {
      const sub = childSchema(schema, key);
      if (Object.keys(sub).length > 0) walk(v, sub, joinPointer(pointer, key), out, where);
    }
  }
}
function hasCelRules(schema) {
  return JSON.stringify(schema).includes('"x-kubernetes-validations"');
}
function checkCelRules(object, schema, where = "", pointer = "") {
  const out = { findings: [], notes: [] };
  walk(withDefaults(object, schema), schema, pointer, out, where);
  return out;
}

// shared/validate/rules/config.ts
var MAX_DATA_SIZE = 1024 * 1024;
function base64Error(value) {
  const text = value.replace(/[\r\n]/g, "");
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (/[A-Za-z0-9+/]/.test(c)) continue;
    if (c === "=" && text.length % 4 === 0 && i >= text.length - 2 && /^=+$/.test(text.slice(i)))
      break;
    return `illegal base64 data at input byte ${i}`;
  }
  if (text.length % 4 !== 0)
    return `illegal base64 data at input byte ${text.length - (text.length % 4 === 1 ? 1 : 0)}`;
  return void 0;
}
function checkKeys(data, at, base64, as = at.shown) {
  let size = 0;
  for (const [key, value] of Object.entries(data)) {
    at.key(key).named(`${as}[${key}]`).invalidEach(key, configKeyErrors(key));
    if (typeof value !== "string") continue;
    if (base64) {
      const error = base64Error(value);
      if (error) at.key(key).invalid("(not shown)", error);
      size += Math.floor(value.replace(/[\r\n=]/g, "").length * 3 / 4);
    } else size += Buffer.byteLength(value);
  }
  return size;
}
function checkConfigMap(object, at) {
  const data = objectAt(object.data) ?? {};
  const binary = objectAt(object.binaryData) ?? {};
  let size = checkKeys(data, at.at("data"), false);
  size += checkKeys(binary, at.at("binaryData"), true);
  for (const key of Object.keys(binary))
    if (Object.hasOwn(data, key))
      at.at("data").key(key).invalid(key, "duplicate of key present in binaryData");
  if (size > MAX_DATA_SIZE) at.at("data").tooLong(MAX_DATA_SIZE);
}
var REQUIRED_KEYS = {
  "kubernetes.io/dockercfg": [".dockercfg"],
  "kubernetes.io/dockerconfigjson": [".dockerconfigjson"],
  "kubernetes.io/ssh-auth": ["ssh-privatekey"],
  "kubernetes.io/tls": ["tls.crt", "tls.key"]
};
function checkSecret(object, at) {
  const data = objectAt(object.data) ?? {};
  const stringData = objectAt(object.stringData) ?? {};
  let size = checkKeys(data, at.at("data"), true);
  size += checkKeys(stringData, at.at("stringData"), false, "data");
  if (size > MAX_DATA_SIZE) at.at("data").tooLong(MAX_DATA_SIZE);
  const keys = /* @__PURE__ */ new Set([...Object.keys(data), ...Object.keys(stringData)]);
  const type = stringAt(object.type) ?? "Opaque";
  for (const key of REQUIRED_KEYS[type] ?? [])
    if (!keys.has(key)) at.at("data").key(key).required();
  if (type === "kubernetes.io/basic-auth" && !keys.has("username") && !keys.has("password")) {
    at.at("data").key("username").required();
    at.at("data").key("password").required();
  }
  if (type === "kubernetes.io/service-account-token") {
    const annotations = objectAt(objectAt(object.metadata)?.annotations) ?? {};
    if (!stringAt(annotations["kubernetes.io/service-account.name"]))
      at.at("metadata", "annotations").key("kubernetes.io/service-account.name").required();
  }
  if (type === "kubernetes.io/dockerconfigjson" || type === "kubernetes.io/dockercfg") {
    const key = type === "kubernetes.io/dockercfg" ? ".dockercfg" : ".dockerconfigjson";
    const raw = stringData[key] ?? (typeof data[key] === "string" && !base64Error(data[key]) ? Buffer.from(data[key], "base64").toString() : void 0);
    if (typeof raw === "string") {
      try {
        JSON.parse(raw);
      } catch (error) {
        at.at("data").key(key).invalid("<secret contents redacted>", error.message);
      }
    }
  }
}

// shared/validate/rules/network.ts
const { isIP } = require("node:net");

// shared/validate/rules/pod.ts
var RESTART_POLICIES = ["Always", "OnFailure", "Never"];
var PULL_POLICIES = ["Always", "IfNotPresent", "Never"];
var PROTOCOLS = ["TCP", "UDP", "SCTP"];
var DNS_POLICIES = ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"];
var TERMINATION_MESSAGE_POLICIES = ["File", "FallbackToLogsOnError"];
var TOLERATION_OPERATORS = ["Exists", "Equal"];
var TAINT_EFFECTS = ["NoSchedule", "PreferNoSchedule", "NoExecute"];
var PROBE_HANDLERS = ["exec", "httpGet", "tcpSocket", "grpc"];
function isStandardContainerResource(name) {
  return ["cpu", "memory", "ephemeral-storage"].includes(name) || name.startsWith("hugepages-");
}
function resourceNameErrors(name) {
  const qualified = qualifiedNameErrors(name);
  if (qualified.length > 0) return qualified;
  if (!name.includes("/")) {
    if (!isStandardContainerResource(name))
      return [
        "must be a standard resource type or fully qualified",
        "must be a standard resource for containers"
      ];
  } else if (name.startsWith("kubernetes.io/") || name.startsWith("requests.")) {
    return ["must be a standard resource for containers"];
  }
  return [];
}
function checkQuantity(value, at) {
  if (value === void 0 || value === null) return void 0;
  const parsed = parseQuantity(value);
  if (parsed === void 0) {
    at.invalid(value, QUANTITY_ERROR);
    return void 0;
  }
  if (parsed < 0) at.invalid(value, "must be greater than or equal to 0");
  return parsed;
}
function checkResources(resources, at) {
  const res = objectAt(resources);
  if (!res) return;
  const limits = /* @__PURE__ */ new Map();
  for (const [name, value] of Object.entries(objectAt(res.limits) ?? {})) {
    at.at("limits").key(name).invalidEach(name, resourceNameErrors(name));
    const q = checkQuantity(value, at.at("limits").key(name));
    if (q !== void 0) limits.set(name, q);
  }
  for (const [name, value] of Object.entries(objectAt(res.requests) ?? {})) {
    at.at("requests").key(name).invalidEach(name, resourceNameErrors(name));
    const q = checkQuantity(value, at.at("requests").key(name));
    const limit = limits.get(name);
    if (q !== void 0 && limit !== void 0 && q > limit) {
      const raw = objectAt(res.limits)?.[name];
      at.at("requests").entry(name).invalid(value, `must be less than or equal to ${name} limit of ${String(raw)}`);
    }
  }
}
function checkContainerPorts(ports, at) {
  const names = /* @__PURE__ */ new Set();
  listAt(ports).forEach((raw, i) => {
    const port = objectAt(raw);
    if (!port) return;
    const here = at.at(i);
    const name = stringAt(port.name);
    if (name) {
      here.at("name").invalidEach(name, portNameErrors(name));
      if (names.has(name)) here.at("name").duplicate(name);
      names.add(name);
    }
    const containerPort = intAt(port.containerPort);
    if (containerPort === 0) here.at("containerPort").required();
    else if (containerPort !== void 0)
      here.at("containerPort").invalidEach(containerPort, portNumberErrors(containerPort));
    const hostPort = intAt(port.hostPort);
    if (hostPort !== void 0 && hostPort !== 0)
      here.at("hostPort").invalidEach(hostPort, portNumberErrors(hostPort));
    here.at("protocol").oneOf(port.protocol, PROTOCOLS);
  });
}
function checkEnv(container, at) {
  listAt(container.env).forEach((raw, i) => {
    const env2 = objectAt(raw);
    if (!env2) return;
    const here = at.at("env", i);
    const name = stringAt(env2.name);
    if (!name) here.at("name").required();
    else if (!/^[\x20-\x7e]+$/.test(name) || name.includes("="))
      here.at("name").invalid(
        name,
        "a valid environment variable name must consist only of printable ASCII characters other than '='"
      );
    const from = objectAt(env2.valueFrom);
    if (!from) return;
    if (typeof env2.value === "string" && env2.value !== "")
      here.at("valueFrom").invalid("", "may not be specified when `value` is not empty");
    const sources = [
      "fieldRef",
      "resourceFieldRef",
      "configMapKeyRef",
      "secretKeyRef",
      "fileKeyRef"
    ];
    const set = sources.filter((s) => from[s] !== void 0 && from[s] !== null);
    if (set.length === 0)
      here.at("valueFrom").invalid(
        "",
        "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`"
      );
    else if (set.length > 1)
      here.at("valueFrom").invalid("", "may not have more than one field specified at a time");
    for (const kind of ["configMapKeyRef", "secretKeyRef"]) {
      const ref = objectAt(from[kind]);
      if (!ref) continue;
      const refAt = here.at("valueFrom", kind);
      if (!stringAt(ref.name)) refAt.at("name").required();
      const key = stringAt(ref.key);
      if (!key) refAt.at("key").required();
      else refAt.at("key").invalidEach(key, configKeyErrors(key));
    }
  });
  listAt(container.envFrom).forEach((raw, i) => {
    const from = objectAt(raw);
    if (!from) return;
    const here = at.at("envFrom", i);
    const refs = ["configMapRef", "secretRef"].filter((r) => isObject(from[r]));
    if (refs.length > 1) here.invalid("", "may not have more than one field specified at a time");
    for (const r of refs) {
      const name = stringAt(objectAt(from[r])?.name);
      if (!name) here.at(r, "name").required();
      else here.at(r, "name").invalidEach(name, dns1123SubdomainErrors(name));
    }
  });
}
function checkProbe(probe, at, mustSucceedOnce) {
  const p = objectAt(probe);
  if (!p) return;
  const handlers = PROBE_HANDLERS.filter((h) => isObject(p[h]));
  if (handlers.length === 0) at.required("must specify a handler type");
  else if (handlers.length > 1)
    at.at(handlers[1] ?? "").forbidden("may not specify more than 1 handler type");
  for (const field of [
    "initialDelaySeconds",
    "timeoutSeconds",
    "periodSeconds",
    "successThreshold",
    "failureThreshold"
  ])
    at.at(field).atLeast(p[field], 0);
  const success = intAt(p.successThreshold);
  if (mustSucceedOnce && success !== void 0 && success !== 1)
    at.at("successThreshold").invalid(success, "must be 1");
  for (const h of ["httpGet", "tcpSocket"]) {
    const handler = objectAt(p[h]);
    if (!handler) continue;
    checkPortReference(handler.port, at.at(h, "port"));
  }
}
function checkPortReference(port, at) {
  if (typeof port === "number") at.invalidEach(port, portNumberErrors(port));
  else if (typeof port === "string") {
    if (port === "") at.required();
    else if (/^\d+$/.test(port)) at.invalidEach(port, portNumberErrors(Number(port)));
    else at.invalidEach(port, portNameErrors(port));
  }
}
function checkContainer(container, at, volumes, names, init) {
  const name = stringAt(container.name);
  if (!name) at.at("name").required();
  else {
    at.at("name").invalidEach(name, dns1123LabelErrors(name));
    if (names.has(name)) at.at("name").duplicate(name);
    names.add(name);
  }
  if (!stringAt(container.image)) at.at("image").required();
  at.at("imagePullPolicy").oneOf(container.imagePullPolicy, PULL_POLICIES);
  at.at("terminationMessagePolicy").oneOf(
    container.terminationMessagePolicy,
    TERMINATION_MESSAGE_POLICIES
  );
  checkContainerPorts(container.ports, at.at("ports"));
  checkEnv(container, at);
  checkResources(container.resources, at.at("resources"));
  const mountPaths = /* @__PURE__ */ new Set();
  listAt(container.volumeMounts).forEach((raw, i) => {
    const mount = objectAt(raw);
    if (!mount) return;
    const here = at.at("volumeMounts", i);
    const volume = stringAt(mount.name);
    if (!volume) here.at("name").required();
    else if (!volumes.has(volume)) here.at("name").notFound(volume);
    const path = stringAt(mount.mountPath);
    if (!path) here.at("mountPath").required();
    else {
      if (mountPaths.has(path)) here.at("mountPath").invalid(path, "must be unique");
      mountPaths.add(path);
    }
  });
  if (init) {
    const sidecar = container.restartPolicy === "Always";
    at.at("restartPolicy").oneOf(container.restartPolicy, RESTART_POLICIES);
    if (!sidecar) {
      for (const probe of ["livenessProbe", "readinessProbe", "startupProbe"])
        if (isObject(container[probe]))
          at.at(probe).forbidden("may not be set for init containers without restartPolicy=Always");
    }
  } else if (container.restartPolicy !== void 0 && container.restartPolicy !== null) {
    at.at("restartPolicy").forbidden("may not be set for non-init containers");
  }
  checkProbe(container.livenessProbe, at.at("livenessProbe"), true);
  checkProbe(container.startupProbe, at.at("startupProbe"), true);
  checkProbe(container.readinessProbe, at.at("readinessProbe"), false);
}
function checkVolumes(volumes, at) {
  const names = /* @__PURE__ */ new Set();
  listAt(volumes).forEach((raw, i) => {
    const volume = objectAt(raw);
    if (!volume) return;
    const here = at.at(i);
    const name = stringAt(volume.name);
    if (!name) here.at("name").required();
    else {
      here.at("name").invalidEach(name, dns1123LabelErrors(name));
      if (names.has(name)) here.at("name").duplicate(name);
      names.add(name);
    }
    const sources = Object.keys(volume).filter((k) => k !== "name" && volume[k] != null);
    if (sources.length > 1)
      here.at(sources[1] ?? "").forbidden("may not specify more than 1 volume type");
    const configMap = objectAt(volume.configMap);
    if (configMap && !stringAt(configMap.name)) here.at("configMap", "name").required();
    const secret = objectAt(volume.secret);
    if (secret && !stringAt(secret.secretName)) here.at("secret", "secretName").required();
    const claim = objectAt(volume.persistentVolumeClaim);
    if (claim && !stringAt(claim.claimName))
      here.at("persistentVolumeClaim", "claimName").required();
  });
  return names;
}
function checkTolerations(tolerations, at) {
  listAt(tolerations).forEach((raw, i) => {
    const t = objectAt(raw);
    if (!t) return;
    const here = at.at(i);
    const key = stringAt(t.key);
    if (key) here.at("key").invalidEach(key, qualifiedNameErrors(key));
    if (!key && t.operator !== "Exists")
      here.at("operator").invalid(
        t.operator ?? "",
        'operator must be Exists when `key` is empty, which means "match all values and all keys"'
      );
    here.at("operator").oneOf(t.operator, TOLERATION_OPERATORS);
    if (t.operator === "Exists" && typeof t.value === "string" && t.value !== "")
      here.at("operator").invalid(t.value, "value must be empty when `operator` is 'Exists'");
    here.at("effect").oneOf(t.effect, TAINT_EFFECTS);
  });
}
function checkPodSpec(spec, at, restartPolicies = RESTART_POLICIES) {
  const s = objectAt(spec);
  if (!s) return;
  const volumes = checkVolumes(s.volumes, at.at("volumes"));
  const names = /* @__PURE__ */ new Set();
  const containers = listAt(s.containers);
  if (containers.length === 0) at.at("containers").required();
  containers.forEach((c, i) => {
    if (isObject(c)) checkContainer(c, at.at("containers", i), volumes, names, false);
  });
  listAt(s.initContainers).forEach((c, i) => {
    if (isObject(c)) checkContainer(c, at.at("initContainers", i), volumes, names, true);
  });
  const restart = s.restartPolicy ?? "Always";
  if (typeof restart === "string" && !restartPolicies.includes(restart))
    at.at("restartPolicy").unsupported(restart, restartPolicies);
  at.at("dnsPolicy").oneOf(s.dnsPolicy, DNS_POLICIES);
  if (s.dnsPolicy === "None" && listAt(objectAt(s.dnsConfig)?.nameservers).length === 0)
    at.at("dnsConfig", "nameservers").required(
      "must provide at least one DNS nameserver when `dnsPolicy` is None"
    );
  for (const field of ["serviceAccountName", "serviceAccount"]) {
    const value = stringAt(s[field]);
    if (value) at.at(field).invalidEach(value, dns1123SubdomainErrors(value));
  }
  for (const field of ["hostname", "subdomain"]) {
    const value = stringAt(s[field]);
    if (value) at.at(field).invalidEach(value, dns1123LabelErrors(value));
  }
  checkLabels(s.nodeSelector, at.at("nodeSelector"));
  const deadline = intAt(s.activeDeadlineSeconds);
  if (deadline !== void 0 && deadline < 1)
    at.at("activeDeadlineSeconds").invalid(deadline, "must be between 1 and 2147483647, inclusive");
  checkTolerations(s.tolerations, at.at("tolerations"));
}

// shared/validate/rules/network.ts
var PROTOCOLS2 = ["TCP", "UDP", "SCTP"];
var SERVICE_TYPES = ["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"];
var NODE_PORTS = { min: 3e4, max: 32767 };
function checkService(object, at) {
  const spec = objectAt(object.spec);
  if (!spec) return;
  const here = at.at("spec");
  const type = stringAt(spec.type) ?? "ClusterIP";
  here.at("type").oneOf(spec.type, SERVICE_TYPES);
  const headless = spec.clusterIP === "None";
  const ports = listAt(spec.ports);
  if (ports.length === 0 && !headless && type !== "ExternalName") here.at("ports").required();
  const names = /* @__PURE__ */ new Set();
  const pairs = /* @__PURE__ */ new Set();
  ports.forEach((raw, i) => {
    const port = objectAt(raw);
    if (!port) return;
    const p = here.at("ports", i);
    const name = stringAt(port.name);
    if (!name) {
      if (ports.length > 1) p.at("name").required();
    } else {
      p.at("name").invalidEach(name, dns1123LabelErrors(name));
      if (names.has(name)) p.at("name").duplicate(name);
      names.add(name);
    }
    const number = intAt(port.port);
    if (number !== void 0) p.at("port").invalidEach(number, portNumberErrors(number));
    p.at("protocol").oneOf(port.protocol, PROTOCOLS2);
    const target = port.targetPort;
    if (typeof target === "number" && target !== 0)
      p.at("targetPort").invalidEach(target, portNumberErrors(target));
    else if (typeof target === "string" && target !== "") {
      if (/^\d+$/.test(target))
        p.at("targetPort").invalidEach(target, portNumberErrors(Number(target)));
      else p.at("targetPort").invalidEach(target, portNameErrors(target));
    }
    const nodePort = intAt(port.nodePort);
    if (nodePort !== void 0 && nodePort !== 0) {
      if (type === "ClusterIP" || type === "ExternalName")
        p.at("nodePort").forbidden(`may not be used when \`type\` is '${type}'`);
      else if (nodePort < NODE_PORTS.min || nodePort > NODE_PORTS.max)
        p.at("nodePort").invalid(
          nodePort,
          `provided port is not in the valid range. The range of valid ports is ${NODE_PORTS.min}-${NODE_PORTS.max}`
        );
    }
    const pair = `${number}/${stringAt(port.protocol) ?? "TCP"}`;
    if (number !== void 0 && pairs.has(pair)) p.duplicate(pair);
    pairs.add(pair);
  });
  if (type === "ExternalName") {
    const externalName = stringAt(spec.externalName);
    if (!externalName) here.at("externalName").required();
    else
      here.at("externalName").invalidEach(externalName, dns1123SubdomainErrors(externalName.replace(/\.$/, "")));
  }
  const clusterIP = stringAt(spec.clusterIP);
  if (clusterIP && clusterIP !== "None" && isIP(clusterIP) === 0)
    here.at("clusterIP").named("spec.clusterIPs[0]").invalid(clusterIP, "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)");
  checkLabels(spec.selector, here.at("selector"));
  here.at("sessionAffinity").oneOf(spec.sessionAffinity, ["None", "ClientIP"]);
  here.at("externalTrafficPolicy").oneOf(spec.externalTrafficPolicy, ["Cluster", "Local"]);
  here.at("internalTrafficPolicy").oneOf(spec.internalTrafficPolicy, ["Cluster", "Local"]);
  if (spec.externalTrafficPolicy && type !== "NodePort" && type !== "LoadBalancer")
    here.at("externalTrafficPolicy").invalid(
      spec.externalTrafficPolicy,
      "may only be set when `type` is 'NodePort' or 'LoadBalancer'"
    );
  here.at("ipFamilyPolicy").oneOf(spec.ipFamilyPolicy, ["SingleStack", "PreferDualStack", "RequireDualStack"]);
}
function checkHost(host, at) {
  if (isIP(host) !== 0) at.invalid(host, "must be a DNS name, not an IP address");
  else if (host.startsWith("*")) at.invalidEach(host, wildcardSubdomainErrors(host));
  else at.invalidEach(host, dns1123SubdomainErrors(host));
}
function checkIngressBackend(backend, at) {
  const b = objectAt(backend);
  if (!b) return;
  const service = objectAt(b.service);
  const resource = objectAt(b.resource);
  if (service && resource) at.invalid("", "cannot set both resource and service backends");
  else if (!service && !resource)
    at.invalid("", "one backend (`service` or `resource`) must be specified");
  if (service) {
    const name = stringAt(service.name);
    if (!name) at.at("service", "name").required();
    else at.at("service", "name").invalidEach(name, dns1035LabelErrors(name));
    const port = objectAt(service.port) ?? {};
    const portName = stringAt(port.name);
    const number = intAt(port.number);
    if (portName && number !== void 0 && number !== 0)
      at.at("service", "port").named(at.shown).invalid("", "cannot set both port name & port number");
    else if (portName)
      at.at("service", "port", "name").invalidEach(portName, portNameErrors(portName));
    else if (number !== void 0 && number !== 0)
      at.at("service", "port", "number").invalidEach(number, portNumberErrors(number));
    else at.at("service", "port").named(at.shown).required("port name or number is required");
  }
  if (resource) {
    if (!stringAt(resource.kind)) at.at("resource", "kind").required();
    if (!stringAt(resource.name)) at.at("resource", "name").required();
  }
}
var PATH_TYPES = ["Exact", "Prefix", "ImplementationSpecific"];
var INVALID_PATH_SEQUENCES = ["//", "/./", "/../", "%2f", "%2F"];
var INVALID_PATH_SUFFIXES = ["/..", "/."];
function checkIngressPath(raw, at) {
  const p = objectAt(raw);
  if (!p) return;
  const path = stringAt(p.path) ?? "";
  if (p.pathType === void 0 || p.pathType === null)
    at.at("pathType").required("pathType must be specified");
  else if (typeof p.pathType === "string" && !PATH_TYPES.includes(p.pathType))
    at.at("pathType").unsupported(p.pathType, PATH_TYPES);
  else if (p.pathType === "Exact" || p.pathType === "Prefix") {
    if (!path.startsWith("/")) at.at("path").invalid(path, "must be an absolute path");
    else {
      for (const seq of INVALID_PATH_SEQUENCES)
        if (path.includes(seq)) at.at("path").invalid(path, `must not contain '${seq}'`);
      for (const suffix of INVALID_PATH_SUFFIXES)
        if (path.endsWith(suffix)) at.at("path").invalid(path, `cannot end with '${suffix}'`);
    }
  } else if (path !== "" && !path.startsWith("/")) {
    at.at("path").invalid(path, "must be an absolute path");
  }
  checkIngressBackend(p.backend, at.at("backend"));
}
function checkIngress(object, at) {
  const spec = objectAt(object.spec);
  if (!spec) return;
  const here = at.at("spec");
  const rules = listAt(spec.rules);
  if (rules.length === 0 && !isObject(spec.defaultBackend))
    here.invalid("", "either `defaultBackend` or `rules` must be specified");
  checkIngressBackend(spec.defaultBackend, here.at("defaultBackend"));
  const className = stringAt(spec.ingressClassName);
  if (className)
    here.at("ingressClassName").invalidEach(className, dns1123SubdomainErrors(className));
  rules.forEach((raw, i) => {
    const rule = objectAt(raw);
    if (!rule) return;
    const r = here.at("rules", i);
    const host = stringAt(rule.host);
    if (host) checkHost(host, r.at("host"));
    const http = objectAt(rule.http);
    if (!http) return;
    const paths = listAt(http.paths);
    if (paths.length === 0) r.at("http", "paths").required();
    for (const [j, p] of paths.entries()) checkIngressPath(p, r.at("http", "paths", j));
  });
  listAt(spec.tls).forEach((raw, i) => {
    listAt(objectAt(raw)?.hosts).forEach((host, j) => {
      if (typeof host === "string") checkHost(host, here.at("tls", i, "hosts", j));
    });
  });
}
function cidrError(value) {
  const [ip = "", bits, ...rest] = value.split("/");
  const family = isIP(ip);
  const max = family === 4 ? 32 : 128;
  if (family === 0 || bits === void 0 || rest.length > 0 || !/^\d+$/.test(bits) || Number(bits) > max)
    return "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)";
  return void 0;
}
function checkPeers(peers, at) {
  listAt(peers).forEach((raw, i) => {
    const peer = objectAt(raw);
    if (!peer) return;
    const here = at.at(i);
    const set = ["podSelector", "namespaceSelector", "ipBlock"].filter((k) => isObject(peer[k]));
    if (set.length === 0) here.required("must specify a peer");
    else if (set.includes("ipBlock") && set.length > 1)
      here.forbidden("may not specify both ipBlock and another peer");
    checkLabelSelector(peer.podSelector, here.at("podSelector"));
    checkLabelSelector(peer.namespaceSelector, here.at("namespaceSelector"));
    const block = objectAt(peer.ipBlock);
    if (block) {
      const cidr = stringAt(block.cidr);
      if (!cidr) here.at("ipBlock", "cidr").required();
      else {
        const error = cidrError(cidr);
        if (error) here.at("ipBlock", "cidr").invalid(cidr, error);
      }
      listAt(block.except).forEach((e, j) => {
        if (typeof e !== "string") return;
        const error = cidrError(e);
        if (error) here.at("ipBlock", "except", j).invalid(e, error);
      });
    }
  });
}
function checkPolicyPorts(ports, at) {
  listAt(ports).forEach((raw, i) => {
    const port = objectAt(raw);
    if (!port) return;
    const here = at.at(i);
    here.at("protocol").oneOf(port.protocol, PROTOCOLS2);
    checkPortReference(port.port, here.at("port"));
    const end = intAt(port.endPort);
    if (end === void 0) return;
    if (port.port === void 0 || port.port === null)
      here.at("endPort").required("may not be specified when `port` is not specified");
    else if (typeof port.port === "string")
      here.at("endPort").forbidden("may not be specified when `port` is non-numeric");
    else if (typeof port.port === "number" && end < port.port)
      here.at("endPort").invalid(end, "must be greater than or equal to `port`");
  });
}
function checkNetworkPolicy(object, at) {
  const spec = objectAt(object.spec);
  if (!spec) return;
  const here = at.at("spec");
  checkLabelSelector(spec.podSelector, here.at("podSelector"));
  listAt(spec.ingress).forEach((raw, i) => {
    const rule = objectAt(raw);
    if (!rule) return;
    checkPolicyPorts(rule.ports, here.at("ingress", i, "ports"));
    checkPeers(rule.from, here.at("ingress", i, "from"));
  });
  listAt(spec.egress).forEach((raw, i) => {
    const rule = objectAt(raw);
    if (!rule) return;
    checkPolicyPorts(rule.ports, here.at("egress", i, "ports"));
    checkPeers(rule.to, here.at("egress", i, "to"));
  });
  const types = listAt(spec.policyTypes);
  for (const [i, t] of types.entries()) here.at("policyTypes", i).oneOf(t, ["Ingress", "Egress"]);
  if (types.length > 2)
    here.at("policyTypes").invalid(types, "may not specify more than two policyTypes");
}

// shared/validate/rules/policy.ts
var METRIC_SOURCES = {
  Object: "object",
  Pods: "pods",
  Resource: "resource",
  External: "external",
  ContainerResource: "containerResource"
};
var TARGET_TYPES = ["Utilization", "Value", "AverageValue"];
function checkMetricTarget(target, at) {
  const t = objectAt(target);
  if (!t) return;
  if (!stringAt(t.type)) at.at("type").required("must specify a metric target type");
  else at.at("type").oneOf(t.type, TARGET_TYPES);
  const utilization = intAt(t.averageUtilization);
  if (utilization !== void 0 && utilization <= 0)
    at.at("averageUtilization").invalid(utilization, "must be greater than 0");
  for (const field of ["value", "averageValue"]) {
    const q = checkQuantity(t[field], at.at(field));
    if (q !== void 0 && q <= 0) at.at(field).invalid(t[field], "must be positive");
  }
  if (t.type === "Utilization" && utilization === void 0)
    at.at("averageUtilization").required(
      "must set either a target raw value or a target utilization"
    );
  if (t.type === "Value" && t.value === void 0)
    at.at("value").required("must set either a target value for metric or a per-pod target");
  if (t.type === "AverageValue" && t.averageValue === void 0)
    at.at("averageValue").required("must set either a target value for metric or a per-pod target");
}
function checkHorizontalPodAutoscaler(object, at) {
  const spec = objectAt(object.spec);
  if (!spec) return;
  const here = at.at("spec");
  const ref = objectAt(spec.scaleTargetRef) ?? {};
  const kind = stringAt(ref.kind);
  if (!kind) here.at("scaleTargetRef", "kind").required();
  else here.at("scaleTargetRef", "kind").invalidEach(kind, pathSegmentErrors(kind));
  const name = stringAt(ref.name);
  if (!name) here.at("scaleTargetRef", "name").required();
  else here.at("scaleTargetRef", "name").invalidEach(name, pathSegmentErrors(name));
  const min = intAt(spec.minReplicas);
  const max = intAt(spec.maxReplicas);
  if (min !== void 0 && min < 1)
    here.at("minReplicas").invalid(min, "must be greater than or equal to 1");
  if (max !== void 0 && max < 1) here.at("maxReplicas").invalid(max, "must be greater than 0");
  else if (max !== void 0 && min !== void 0 && max < min)
    here.at("maxReplicas").invalid(max, "must be greater than or equal to `minReplicas`");
  listAt(spec.metrics).forEach((raw, i) => {
    const metric = objectAt(raw);
    if (!metric) return;
    const m = here.at("metrics", i);
    const type = stringAt(metric.type);
    if (!type) {
      m.at("type").required("must specify a metric source type");
      return;
    }
    const source = METRIC_SOURCES[type];
    if (!source) {
      m.at("type").unsupported(type, Object.keys(METRIC_SOURCES));
      return;
    }
    const populated = Object.values(METRIC_SOURCES).filter((s) => isObject(metric[s]));
    if (!populated.includes(source))
      m.at(source).required("must populate information for the given metric source");
    if (populated.length > 1) m.at("type").forbidden("must populate the given metric source only");
    const body = objectAt(metric[source]);
    if (body) checkMetricTarget(body.target, m.at(source, "target"));
  });
}
function checkIntOrPercent(value, at) {
  if (typeof value === "number") at.atLeast(value, 0);
  else if (typeof value === "string") {
    const percent = percentOf(value);
    if (percent === void 0)
      at.invalid(
        value,
        "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"
      );
    else if (percent > 100) at.invalid(value, "must not be greater than 100%");
  }
}
function checkPodDisruptionBudget(object, at) {
  const spec = objectAt(object.spec);
  if (!spec) return;
  const here = at.at("spec");
  const hasMin = spec.minAvailable !== void 0 && spec.minAvailable !== null;
  const hasMax = spec.maxUnavailable !== void 0 && spec.maxUnavailable !== null;
  if (hasMin && hasMax) here.invalid(spec, "minAvailable and maxUnavailable cannot be both set");
  checkIntOrPercent(spec.minAvailable, here.at("minAvailable"));
  checkIntOrPercent(spec.maxUnavailable, here.at("maxUnavailable"));
  checkLabelSelector(spec.selector, here.at("selector"));
  here.at("unhealthyPodEvictionPolicy").oneOf(spec.unhealthyPodEvictionPolicy, ["IfHealthyBudget", "AlwaysAllow"]);
}

// shared/validate/rules/rbac.ts
var RBAC_GROUP = "rbac.authorization.k8s.io";
var isDefaulted = (group) => group === void 0 || group === "" || group === RBAC_GROUP;
function checkRules(rules, at, namespaced2) {
  listAt(rules).forEach((raw, i) => {
    const rule = objectAt(raw);
    if (!rule) return;
    const here = at.at(i);
    if (listAt(rule.verbs).length === 0)
      here.at("verbs").required("verbs must contain at least one value");
    const nonResource = listAt(rule.nonResourceURLs);
    if (nonResource.length > 0) {
      if (namespaced2)
        here.at("nonResourceURLs").invalid(nonResource, "namespaced rules cannot apply to non-resource URLs");
      if (listAt(rule.apiGroups).length > 0 || listAt(rule.resources).length > 0)
        here.at("nonResourceURLs").invalid(
          nonResource,
          "rules cannot apply to both regular resources and non-resource URLs"
        );
      return;
    }
    if (listAt(rule.apiGroups).length === 0)
      here.at("apiGroups").required("resource rules must supply at least one api group");
    if (listAt(rule.resources).length === 0)
      here.at("resources").required("resource rules must supply at least one resource");
  });
}
function checkRole(object, at) {
  checkRules(object.rules, at.at("rules"), true);
}
function checkClusterRole(object, at) {
  checkRules(object.rules, at.at("rules"), false);
  const aggregation = objectAt(object.aggregationRule);
  if (aggregation) {
    const selectors = listAt(aggregation.clusterRoleSelectors);
    if (selectors.length === 0)
      at.at("aggregationRule", "clusterRoleSelectors").required(
        "at least one clusterRoleSelector required if aggregationRule is non-nil"
      );
    for (const [i, s] of selectors.entries())
      checkLabelSelector(s, at.at("aggregationRule", "clusterRoleSelectors", i));
  }
}
function checkBinding(object, at, namespaced2) {
  const ref = objectAt(object.roleRef) ?? {};
  const refAt = at.at("roleRef");
  if (!isDefaulted(ref.apiGroup))
    refAt.at("apiGroup").unsupported(ref.apiGroup ?? "", [RBAC_GROUP]);
  const kinds = namespaced2 ? ["Role", "ClusterRole"] : ["ClusterRole"];
  if (typeof ref.kind === "string" && !kinds.includes(ref.kind))
    refAt.at("kind").unsupported(ref.kind, kinds);
  const name = stringAt(ref.name);
  if (!name) refAt.at("name").required();
  else refAt.at("name").invalidEach(name, pathSegmentErrors(name));
  listAt(object.subjects).forEach((raw, i) => {
    const subject = objectAt(raw);
    if (!subject) return;
    const here = at.at("subjects", i);
    const subjectName = stringAt(subject.name);
    if (!subjectName) here.at("name").required();
    switch (subject.kind) {
      case "ServiceAccount":
        if (subjectName)
          here.at("name").invalidEach(subjectName, dns1123SubdomainErrors(subjectName));
        if (subject.apiGroup !== void 0 && subject.apiGroup !== "")
          here.at("apiGroup").unsupported(subject.apiGroup, [""]);
        if (!namespaced2 && !stringAt(subject.namespace)) here.at("namespace").required();
        break;
      case "User":
      case "Group":
        if (!isDefaulted(subject.apiGroup))
          here.at("apiGroup").unsupported(subject.apiGroup ?? "", [RBAC_GROUP]);
        break;
      default:
        here.at("kind").unsupported(subject.kind ?? "", ["ServiceAccount", "User", "Group"]);
    }
  });
}
function checkRoleBinding(object, at) {
  checkBinding(object, at, true);
}
function checkClusterRoleBinding(object, at) {
  checkBinding(object, at, false);
}

// shared/validate/rules/storage.ts
var ACCESS_MODES = ["ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"];
function checkPvcSpec(spec, at, template = false) {
  const s = objectAt(spec);
  if (!s) {
    if (!template) at.at("accessModes").required("at least 1 access mode is required");
    return;
  }
  const modes = listAt(s.accessModes);
  if (modes.length === 0) at.at("accessModes").required("at least 1 access mode is required");
  for (const [i, mode] of modes.entries()) at.at("accessModes").entry(i).oneOf(mode, ACCESS_MODES);
  if (modes.includes("ReadWriteOncePod") && modes.length > 1)
    at.at("accessModes").forbidden("may not use ReadWriteOncePod with other access modes");
  checkLabelSelector(s.selector, at.at("selector"));
  at.at("volumeMode").oneOf(s.volumeMode, ["Block", "Filesystem"]);
  const className = stringAt(s.storageClassName);
  if (className)
    at.at("storageClassName").invalidEach(className, dns1123SubdomainErrors(className));
  const dataSource = objectAt(s.dataSource);
  if (dataSource) {
    if (!stringAt(dataSource.name)) at.at("dataSource", "name").required();
    if (!stringAt(dataSource.kind)) at.at("dataSource", "kind").required();
  }
  const resources = objectAt(s.resources);
  const storage = objectAt(resources?.requests)?.storage;
  const storageAt = at.at("resources").key("storage");
  if (storage === void 0 || storage === null) {
    if (!dataSource) storageAt.required();
  } else {
    const q = checkQuantity(storage, storageAt);
    if (q !== void 0 && q <= 0) storageAt.invalid(storage, "must be greater than zero");
  }
}
function checkPersistentVolumeClaim(object, at) {
  checkPvcSpec(object.spec, at.at("spec"));
}
var RECLAIM = ["Delete", "Retain"];
var BINDING = ["Immediate", "WaitForFirstConsumer"];
function checkStorageClass(object, at) {
  const provisioner = stringAt(object.provisioner);
  if (!provisioner) at.at("provisioner").required();
  else
    at.at("provisioner").invalidEach(provisioner, qualifiedNameErrors(provisioner.toLowerCase()));
  at.at("reclaimPolicy").oneOf(object.reclaimPolicy, RECLAIM);
  at.at("volumeBindingMode").oneOf(object.volumeBindingMode, BINDING);
  const parameters = objectAt(object.parameters) ?? {};
  const keys = Object.keys(parameters);
  if (keys.length > 512) at.at("parameters").tooMany(512);
  let size = 0;
  for (const [k, v] of Object.entries(parameters)) {
    if (k === "") at.at("parameters").invalid(k, "field can not be empty.");
    size += k.length + (typeof v === "string" ? v.length : 0);
  }
  if (size > 256 * 1024) at.at("parameters").tooLong(256 * 1024);
}

// shared/validate/rules/cron.ts
var MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
var DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
var FIELDS = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: Object.fromEntries(MONTHS.map((m, i) => [m, i + 1])) },
  { min: 0, max: 6, names: Object.fromEntries(DAYS.map((d, i) => [d, i])) }
];
var DESCRIPTORS = [
  "@yearly",
  "@annually",
  "@monthly",
  "@weekly",
  "@daily",
  "@midnight",
  "@hourly"
];
function parseNumber(text, bounds) {
  const named = bounds.names?.[text.toLowerCase()];
  if (named !== void 0) return named;
  if (!/^\d+$/.test(text))
    return `failed to parse int from ${text}: strconv.Atoi: parsing ${JSON.stringify(text)}: invalid syntax`;
  return Number(text);
}
function rangeError(expr, bounds) {
  const [range = "", step, ...extraSlash] = expr.split("/");
  if (extraSlash.length > 0) return `too many slashes: ${expr}`;
  const [low = "", high, ...extraHyphen] = range.split("-");
  if (extraHyphen.length > 0) return `too many hyphens: ${expr}`;
  let start;
  let end;
  if (low === "*" || low === "?") {
    start = bounds.min;
    end = bounds.max;
    if (high !== void 0) return `too many hyphens: ${expr}`;
  } else {
    const s = parseNumber(low, bounds);
    if (typeof s === "string") return s;
    start = s;
    end = s;
    if (high !== void 0) {
      const e = parseNumber(high, bounds);
      if (typeof e === "string") return e;
      end = e;
    }
  }
  if (step !== void 0) {
    const n = parseNumber(step, { min: 0, max: 0 });
    if (typeof n === "string") return n;
    if (n <= 0) return `step of range should be a positive number: ${expr}`;
  }
  if (start < bounds.min)
    return `beginning of range (${start}) below minimum (${bounds.min}): ${expr}`;
  if (end > bounds.max) return `end of range (${end}) above maximum (${bounds.max}): ${expr}`;
  if (start > end) return `beginning of range (${start}) beyond end of range (${end}): ${expr}`;
  return void 0;
}
function cronScheduleError(schedule) {
  let spec = schedule.trim();
  if (/^(CRON_)?TZ=/.test(spec)) spec = spec.slice(spec.indexOf(" ") + 1).trim();
  if (spec.startsWith("@")) {
    if (DESCRIPTORS.includes(spec)) return void 0;
    if (spec.startsWith("@every ")) {
      const duration = spec.slice(7).trim();
      return /^([0-9]*(\.[0-9]*)?(ns|us|µs|ms|s|m|h))+$/.test(duration) && /\d/.test(duration) ? void 0 : `failed to parse duration @every ${duration}: time: invalid duration ${JSON.stringify(duration)}`;
    }
    return `unrecognized descriptor: ${spec}`;
  }
  const fields = spec.split(/\s+/).filter((f) => f !== "");
  if (fields.length !== 5) return `expected exactly 5 fields, found ${fields.length}: ${spec}`;
  for (const [i, field] of fields.entries()) {
    const bounds = FIELDS[i];
    if (!bounds) continue;
    for (const expr of field.split(",")) {
      const error = rangeError(expr, bounds);
      if (error) return error;
    }
  }
  return void 0;
}

// shared/validate/rules/workloads.ts
function checkPodTemplate(template, at, restartPolicies) {
  const t = objectAt(template) ?? {};
  checkTemplateMeta(t.metadata, at.through("metadata"));
  checkPodSpec(t.spec, at.at("spec"), restartPolicies);
  return t;
}
function templateLabels(template) {
  return objectAt(objectAt(template.metadata)?.labels) ?? {};
}
function checkSelectorAndTemplate(spec, at, kind) {
  const selector = objectAt(spec.selector);
  if (selector) {
    checkLabelSelector(selector, at.at("selector"));
    if (selectorIsEmpty(selector))
      at.at("selector").invalid(selector, `empty selector is invalid for ${kind}`);
  }
  const template = checkPodTemplate(spec.template, at.at("template"), ["Always"]);
  if (selector && !selectorIsEmpty(selector) && isObject(spec.template)) {
    const labels = templateLabels(template);
    if (!selectorMatches(selector, labels))
      at.at("template", "metadata", "labels").invalid(
        labels,
        "`selector` does not match template `labels`"
      );
  }
  const podSpec = objectAt(template.spec);
  if (podSpec && podSpec.activeDeadlineSeconds !== void 0 && podSpec.activeDeadlineSeconds !== null)
    at.at("template", "spec", "activeDeadlineSeconds").forbidden(
      `activeDeadlineSeconds in ${kind === "statefulset" || kind === "daemonset" ? kind : "ReplicaSet"} is not Supported`
    );
}
function checkIntOrPercent2(value, at, maxPercent) {
  if (typeof value === "number") {
    at.atLeast(value, 0);
    return value;
  }
  if (typeof value !== "string") return void 0;
  const percent = percentOf(value);
  if (percent === void 0) {
    at.invalid(
      value,
      "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"
    );
    return void 0;
  }
  if (maxPercent !== void 0 && percent > maxPercent)
    at.invalid(value, `must not be greater than ${maxPercent}%`);
  return percent;
}
function checkRollingUpdate(rolling, at) {
  const r = objectAt(rolling);
  if (!r) return;
  const unavailable = checkIntOrPercent2(r.maxUnavailable, at.at("maxUnavailable"), 100);
  const surge = checkIntOrPercent2(r.maxSurge, at.at("maxSurge"));
  if (unavailable === 0 && surge === 0)
    at.at("maxUnavailable").invalid(r.maxUnavailable, "may not be 0 when `maxSurge` is 0");
}
function checkReplicaCounts(spec, at) {
  for (const field of ["replicas", "minReadySeconds", "revisionHistoryLimit"])
    at.at(field).atLeast(spec[field], 0);
}
function checkDeployment(object, at) {
  const spec = objectAt(object.spec);
  if (!spec) return;
  const here = at.at("spec");
  checkReplicaCounts(spec, here);
  checkSelectorAndTemplate(spec, here, "deployment");
  const strategy = objectAt(spec.strategy);
  if (strategy) {
    here.at("strategy").entry("type").oneOf(strategy.type, ["Recreate", "RollingUpdate"]);
    if (strategy.type === "Recreate" && isObject(strategy.rollingUpdate))
      here.at("strategy", "rollingUpdate").forbidden("may not be specified when strategy `type` is 'Recreate'");
    else checkRollingUpdate(strategy.rollingUpdate, here.at("strategy", "rollingUpdate"));
  }
  const deadline = intAt(spec.progressDeadlineSeconds);
  const minReady = intAt(spec.minReadySeconds) ?? 0;
  if (deadline !== void 0) {
    here.at("progressDeadlineSeconds").atLeast(deadline, 0);
    if (deadline >= 0 && deadline <= minReady)
      here.at("progressDeadlineSeconds").invalid(deadline, "must be greater than minReadySeconds");
  }
}
function checkReplicaSet(object, at) {
  const spec = objectAt(object.spec);
  if (!spec) return;
  checkReplicaCounts(spec, at.at("spec"));
  checkSelectorAndTemplate(spec, at.at("spec"), "replicaset");
}
function checkStatefulSet(object, at) {
  const spec = objectAt(object.spec);
  if (!spec) return;
  const here = at.at("spec");
  checkReplicaCounts(spec, here);
  here.at("podManagementPolicy").oneOf(spec.podManagementPolicy, ["OrderedReady", "Parallel"]);
  const strategy = objectAt(spec.updateStrategy);
  if (strategy) {
    if (typeof strategy.type === "string" && !["RollingUpdate", "OnDelete"].includes(strategy.type))
      here.at("updateStrategy").entry("type").invalid(strategy.type, "must be 'RollingUpdate' or 'OnDelete'");
    if (strategy.type === "OnDelete" && isObject(strategy.rollingUpdate))
      here.at("updateStrategy", "rollingUpdate").forbidden("only allowed for updateStrategy 'RollingUpdate'");
    const rolling = objectAt(strategy.rollingUpdate);
    if (rolling) {
      here.at("updateStrategy", "rollingUpdate", "partition").atLeast(rolling.partition, 0);
      const unavailable = checkIntOrPercent2(
        rolling.maxUnavailable,
        here.at("updateStrategy", "rollingUpdate", "maxUnavailable"),
        100
      );
      if (unavailable === 0)
        here.at("updateStrategy", "rollingUpdate", "maxUnavailable").invalid(rolling.maxUnavailable, "must be greater than 0");
    }
  }
  const retention = objectAt(spec.persistentVolumeClaimRetentionPolicy);
  if (retention) {
    for (const field of ["whenDeleted", "whenScaled"])
      here.at("persistentVolumeClaimRetentionPolicy", field).oneOf(retention[field], ["Retain", "Delete"]);
  }
  checkSelectorAndTemplate(spec, here, "statefulset");
  listAt(spec.volumeClaimTemplates).forEach((raw, i) => {
    const claim = objectAt(raw);
    if (claim) checkPvcSpec(claim.spec, here.at("volumeClaimTemplates", i, "spec"), true);
  });
}
function checkDaemonSet(object, at) {
  const spec = objectAt(object.spec);
  if (!spec) return;
  const here = at.at("spec");
  for (const field of ["minReadySeconds", "revisionHistoryLimit"])
    here.at(field).atLeast(spec[field], 0);
  checkSelectorAndTemplate(spec, here, "daemonset");
  const strategy = objectAt(spec.updateStrategy);
  if (strategy) {
    here.at("updateStrategy").entry("type").oneOf(strategy.type, ["RollingUpdate", "OnDelete"]);
    if (strategy.type !== "OnDelete") {
      const r = objectAt(strategy.rollingUpdate);
      if (r) {
        const unavailable = checkIntOrPercent2(
          r.maxUnavailable,
          here.at("updateStrategy", "rollingUpdate", "maxUnavailable"),
          100
        );
        const surge = checkIntOrPercent2(
          r.maxSurge,
          here.at("updateStrategy", "rollingUpdate", "maxSurge"),
          100
        );
        if (unavailable === 0 && (surge ?? 0) === 0)
          here.at("updateStrategy", "rollingUpdate", "maxUnavailable").invalid(r.maxUnavailable, "may not be 0 when `maxSurge` is 0");
      }
    }
  }
}
function checkReplicationController(object, at) {
  const spec = objectAt(object.spec);
  if (!spec) return;
  const here = at.at("spec");
  checkReplicaCounts(spec, here);
  const template = checkPodTemplate(spec.template, here.at("template"), ["Always"]);
  const selector = objectAt(spec.selector);
  if (selector && Object.keys(selector).length > 0) {
    const labels = templateLabels(template);
    if (Object.entries(selector).some(([k, v]) => labels[k] !== v))
      here.at("template", "metadata", "labels").invalid(labels, "`selector` does not match template `labels`");
  }
}
function checkPod(object, at) {
  checkPodSpec(object.spec, at.at("spec"));
}
function checkPodTemplateKind(object, at) {
  checkPodTemplate(object.template, at.at("template"));
}
var JOB_RESTART = ["OnFailure", "Never"];
function checkJobSpec(spec, at, inCronJob) {
  for (const field of ["parallelism", "completions", "backoffLimit", "ttlSecondsAfterFinished"])
    at.at(field).atLeast(spec[field], 0);
  at.at("activeDeadlineSeconds").atLeast(spec.activeDeadlineSeconds, 0);
  at.at("completionMode").oneOf(spec.completionMode, ["NonIndexed", "Indexed"]);
  const selector = objectAt(spec.selector);
  const template = checkPodTemplate(spec.template, at.at("template"), JOB_RESTART);
  if (inCronJob) {
    if (spec.manualSelector === true) at.at("manualSelector").unsupported(true, []);
    if (selector) at.at("selector").invalid(selector, "`selector` will be auto-generated");
  } else if (spec.manualSelector === true) {
    if (!selector) at.at("selector").required();
    else {
      checkLabelSelector(selector, at.at("selector"));
      if (!selectorMatches(selector, templateLabels(template)))
        at.at("template", "metadata", "labels").invalid(
          templateLabels(template),
          "`selector` does not match template `labels`"
        );
    }
  } else if (selector) {
    at.at("selector").invalid(selector, "`selector` not auto-generated");
  }
}
function checkJob(object, at) {
  const name = stringAt(objectAt(object.metadata)?.name);
  if (name && name.length > 63 && labelValueErrors(name).length > 0)
    at.at("metadata", "name").named("spec.template.labels").invalid(name, maxLenError(63));
  const spec = objectAt(object.spec);
  if (spec) checkJobSpec(spec, at.at("spec"), false);
}
function checkCronJob(object, at) {
  const name = stringAt(objectAt(object.metadata)?.name);
  if (name && name.length > 52) at.at("metadata", "name").invalid(name, maxLenError(52));
  const spec = objectAt(object.spec);
  if (!spec) return;
  const here = at.at("spec");
  const schedule = stringAt(spec.schedule);
  if (schedule === void 0 || schedule === "") here.at("schedule").required();
  else {
    if (/^\s*(CRON_)?TZ=/.test(schedule))
      here.at("schedule").invalid(schedule, "cannot use TZ or CRON_TZ in schedule, use timeZone field instead");
    else {
      const error = cronScheduleError(schedule);
      if (error) here.at("schedule").invalid(schedule, error);
    }
  }
  here.at("concurrencyPolicy").oneOf(spec.concurrencyPolicy, ["Allow", "Forbid", "Replace"]);
  for (const field of [
    "startingDeadlineSeconds",
    "successfulJobsHistoryLimit",
    "failedJobsHistoryLimit"
  ])
    here.at(field).atLeast(spec[field], 0);
  const timeZone = stringAt(spec.timeZone);
  if (timeZone !== void 0 && !validTimeZone(timeZone))
    here.at("timeZone").invalid(timeZone, `unknown time zone ${timeZone}`);
  const jobSpec = objectAt(objectAt(spec.jobTemplate)?.spec);
  if (jobSpec) checkJobSpec(jobSpec, here.at("jobTemplate", "spec"), true);
}
var zones;
function validTimeZone(zone) {
  if (zone === "" || zone === "Local") return false;
  if (zone === "UTC") return true;
  zones ??= new Set(Intl.supportedValuesOf("timeZone"));
  if (zones.has(zone)) return true;
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

// shared/validate/rules/index.ts
function statefulSetName(name) {
  const errs = nameIsDnsSubdomain(name);
  if (name.includes(".")) errs.push("must not contain dots");
  return errs;
}
var namespaced = (name, check) => check ? { name, namespaced: true, check } : { name, namespaced: true };
var cluster = (name, check) => check ? { name, namespaced: false, check } : { name, namespaced: false };
var KINDS = {
  "/Pod": namespaced(nameIsDnsSubdomain, checkPod),
  "/PodTemplate": namespaced(nameIsDnsSubdomain, checkPodTemplateKind),
  "/ReplicationController": namespaced(nameIsDnsSubdomain, checkReplicationController),
  "/Service": namespaced(dns1035LabelErrors, checkService),
  "/ConfigMap": namespaced(nameIsDnsSubdomain, checkConfigMap),
  "/Secret": namespaced(nameIsDnsSubdomain, checkSecret),
  "/ServiceAccount": namespaced(nameIsDnsSubdomain),
  "/PersistentVolumeClaim": namespaced(nameIsDnsSubdomain, checkPersistentVolumeClaim),
  "/Namespace": cluster(nameIsDnsLabel),
  "/LimitRange": namespaced(nameIsDnsSubdomain),
  "/ResourceQuota": namespaced(nameIsDnsSubdomain),
  "apps/Deployment": namespaced(nameIsDnsSubdomain, checkDeployment),
  "apps/ReplicaSet": namespaced(nameIsDnsSubdomain, checkReplicaSet),
  "apps/StatefulSet": namespaced(statefulSetName, checkStatefulSet),
  "apps/DaemonSet": namespaced(nameIsDnsSubdomain, checkDaemonSet),
  "batch/Job": namespaced(nameIsDnsSubdomain, checkJob),
  "batch/CronJob": namespaced(nameIsDnsSubdomain, checkCronJob),
  "networking.k8s.io/Ingress": namespaced(nameIsDnsSubdomain, checkIngress),
  "networking.k8s.io/IngressClass": cluster(nameIsDnsSubdomain),
  "networking.k8s.io/NetworkPolicy": namespaced(nameIsDnsSubdomain, checkNetworkPolicy),
  "autoscaling/HorizontalPodAutoscaler": namespaced(
    nameIsDnsSubdomain,
    checkHorizontalPodAutoscaler
  ),
  "policy/PodDisruptionBudget": namespaced(nameIsDnsSubdomain, checkPodDisruptionBudget),
  "rbac.authorization.k8s.io/Role": namespaced(pathSegmentErrors, checkRole),
  "rbac.authorization.k8s.io/ClusterRole": cluster(pathSegmentErrors, checkClusterRole),
  "rbac.authorization.k8s.io/RoleBinding": namespaced(pathSegmentErrors, checkRoleBinding),
  "rbac.authorization.k8s.io/ClusterRoleBinding": cluster(
    pathSegmentErrors,
    checkClusterRoleBinding
  ),
  "storage.k8s.io/StorageClass": cluster(nameIsDnsSubdomain, checkStorageClass),
  "scheduling.k8s.io/PriorityClass": cluster(nameIsDnsSubdomain)
};
function groupOf(apiVersion) {
  const slash = apiVersion.indexOf("/");
  return slash < 0 ? "" : apiVersion.slice(0, slash);
}
function checkServerRules(object, options = {}, pointer = "") {
  const findings = [];
  if (!isObject(object)) return findings;
  const { apiVersion, kind } = object;
  if (typeof apiVersion !== "string" || typeof kind !== "string") return findings;
  if (apiVersion === "v1" && kind === "List" && Array.isArray(object.items)) {
    object.items.forEach((item, i) => {
      findings.push(...checkServerRules(item, options, `${pointer}/items/${i}`));
    });
    return findings;
  }
  const root = new Field(findings, pointer);
  const rules = KINDS[`${groupOf(apiVersion)}/${kind}`];
  if (rules) {
    checkObjectMeta(object.metadata, root.at("metadata"), rules.name, rules.namespaced);
    rules.check?.(object, root);
  } else if (options.isCustomResource?.(apiVersion, kind)) {
    checkObjectMeta(object.metadata, root.at("metadata"), nameIsDnsSubdomain, true);
  }
  return findings;
}

// action/validate/rules.ts
var fluxKinds;
function isFluxKind(apiVersion, kind) {
  fluxKinds ??= new Set(fluxData().kinds.map((k) => `${k.apiVersion}/${k.kind}`));
  return fluxKinds.has(`${apiVersion}/${kind}`);
}
var withRules = /* @__PURE__ */ new WeakMap();
function checkServerSide(object, crdSchemas) {
  const key = `${String(object.apiVersion)}/${String(object.kind)}`;
  const crd = crdSchemas.get(key) ?? fluxCelData().kinds[key];
  const findings = checkServerRules(object, {
    isCustomResource: (apiVersion, kind) => crdSchemas.has(`${apiVersion}/${kind}`) || isFluxKind(apiVersion, kind)
  });
  const notes = [];
  if (crd) {
    let has = withRules.get(crd);
    if (has === void 0) {
      has = hasCelRules(crd);
      withRules.set(crd, has);
    }
    if (has) {
      const name = object.metadata?.name;
      const cel = checkCelRules(object, crd, `${String(object.kind)}/${String(name)}`);
      findings.push(...cel.findings);
      notes.push(...cel.notes);
    }
  }
  return {
    messages: findings.map((f) => ({
      severity: f.severity,
      // The report's sources are a fixed list (schema, deprecation, policy, render): these
      // are schema findings in the wide sense, told apart by their rule ids.
      source: "schema",
      rule: f.rule,
      message: f.message,
      pointer: f.pointer,
      ...f.path ? { field: f.path } : {}
    })),
    notes
  };
}
export {
  checkServerSide
};
