#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  joinPointer,
  pointerToPath
} from "./chunk-D4VEYYO7.js";

// shared/validate/rules/field.ts
function isObject(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
function objectAt(value) {
  return isObject(value) ? value : void 0;
}
function listAt(value) {
  return Array.isArray(value) ? value : [];
}
function stringAt(value) {
  return typeof value === "string" ? value : void 0;
}
function intAt(value) {
  return typeof value === "number" && Number.isInteger(value) ? value : void 0;
}
function formatValue(value) {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (value === null || value === void 0) return "null";
  return JSON.stringify(value);
}
var Field = class _Field {
  sink;
  base;
  parent;
  step;
  constructor(sink, pointer, parent, step) {
    this.sink = sink;
    this.base = pointer;
    this.parent = parent;
    this.step = step;
  }
  /** A child field: a property name or a list index. */
  at(...keys) {
    let field = this;
    for (const key of keys) field = new _Field(this.sink, this.base, field, { key, how: "child" });
    return field;
  }
  /** A map value, named as the server names it: `requests[cpu]`. */
  key(key) {
    return new _Field(this.sink, this.base, this, { key, how: "key" });
  }
  /**
   * A map key or list item shown at itself but named by its container, as the server
   * names it (`metadata.labels: Invalid value: "bad key"`, `spec.accessModes: ...`).
   */
  entry(key) {
    return new _Field(this.sink, this.base, this, { key, how: "entry" });
  }
  /** A child the server leaves out of its path (a pod template's `metadata`). */
  through(key) {
    return new _Field(this.sink, this.base, this, { key, how: "through" });
  }
  /** The same place, named in messages by the path the server prints for it. */
  named(path) {
    const field = new _Field(this.sink, this.base, this.parent, this.step);
    field.override = path;
    return field;
  }
  override;
  path() {
    const steps = [];
    for (let f = this; f?.step; f = f.parent) steps.unshift(f.step);
    return steps;
  }
  get pointer() {
    let pointer = this.base;
    for (const step of this.path()) pointer = joinPointer(pointer, step.key);
    return pointer;
  }
  get shown() {
    if (this.override !== void 0) return this.override;
    let shown = pointerToPath(this.base);
    for (const { key, how } of this.path()) {
      if (how === "entry" || how === "through") continue;
      if (how === "key") shown = `${shown}[${key}]`;
      else shown = typeof key === "number" ? `${shown}[${key}]` : shown ? `${shown}.${key}` : key;
    }
    return shown;
  }
  /** `rule` is the error type as an identifier ("invalid-value", "required-value"). */
  report(rule, body) {
    const path = this.shown || "<object>";
    const pointer = this.pointer;
    this.sink.push({
      severity: "error",
      rule,
      message: `${path}: ${body}`,
      path: pointerToPath(pointer),
      pointer
    });
  }
  invalid(value, detail) {
    this.report("invalid-value", `Invalid value: ${formatValue(value)}: ${detail}`);
  }
  /** One finding per problem, as the server lists them. */
  invalidEach(value, details) {
    for (const detail of details) this.invalid(value, detail);
  }
  required(detail = "") {
    this.report("required-value", detail ? `Required value: ${detail}` : "Required value");
  }
  forbidden(detail) {
    this.report("forbidden", `Forbidden: ${detail}`);
  }
  unsupported(value, supported) {
    const list = supported.map((s) => JSON.stringify(s)).join(", ");
    this.report(
      "unsupported-value",
      `Unsupported value: ${formatValue(value)}: supported values: ${list}`
    );
  }
  duplicate(value) {
    this.report("duplicate-value", `Duplicate value: ${formatValue(value)}`);
  }
  notFound(value) {
    this.report("not-found", `Not found: ${formatValue(value)}`);
  }
  tooLong(max) {
    this.report("too-long", `Too long: may not be more than ${max} bytes`);
  }
  tooMany(max) {
    this.report("too-many", `Too many: must have at most ${max} items`);
  }
  /** An enum-like string: unset is fine (the server defaults it), anything else must be listed. */
  oneOf(value, supported) {
    if (typeof value === "string" && !supported.includes(value)) this.unsupported(value, supported);
  }
  /** An integer that must be at least `min` (validation.ValidateNonnegativeField and kin). */
  atLeast(value, min) {
    if (typeof value === "number" && value < min)
      this.invalid(value, `must be greater than or equal to ${min}`);
  }
};

// shared/validate/rules/syntax.ts
var DNS1123_LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
var DNS1123_SUBDOMAIN = `${DNS1123_LABEL}(\\.${DNS1123_LABEL})*`;
var DNS1035_LABEL = "[a-z]([-a-z0-9]*[a-z0-9])?";
var QUALIFIED_NAME = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
var LABEL_VALUE = `(${QUALIFIED_NAME})?`;
var CONFIG_KEY = "[-._a-zA-Z0-9]+";
var WILDCARD_DNS1123_SUBDOMAIN = `\\*\\.${DNS1123_SUBDOMAIN}`;
var full = (source) => new RegExp(`^(?:${source})$`);
var dns1123Label = full(DNS1123_LABEL);
var dns1123Subdomain = full(DNS1123_SUBDOMAIN);
var dns1035Label = full(DNS1035_LABEL);
var qualifiedName = full(QUALIFIED_NAME);
var labelValue = full(LABEL_VALUE);
var configKey = full(CONFIG_KEY);
var wildcardSubdomain = full(WILDCARD_DNS1123_SUBDOMAIN);
function regexError(message, regex, ...examples) {
  const e = examples.length === 0 ? "" : `e.g. ${examples.map((x) => `'${x}'`).join(",  or ")}, `;
  return `${message} (${e}regex used for validation is '${regex}')`;
}
var maxLenError = (n) => `must be no more than ${n} characters`;
function dns1123LabelErrors(value) {
  const errs = [];
  if (value.length > 63) errs.push(maxLenError(63));
  if (!dns1123Label.test(value))
    errs.push(
      regexError(
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
        DNS1123_LABEL,
        "my-name",
        "123-abc"
      )
    );
  return errs;
}
function dns1123SubdomainErrors(value) {
  const errs = [];
  if (value.length > 253) errs.push(maxLenError(253));
  if (!dns1123Subdomain.test(value))
    errs.push(
      regexError(
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
        DNS1123_SUBDOMAIN,
        "example.com"
      )
    );
  return errs;
}
function wildcardSubdomainErrors(value) {
  const errs = [];
  if (value.length > 253) errs.push(maxLenError(253));
  if (!wildcardSubdomain.test(value))
    errs.push(
      regexError(
        "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character",
        WILDCARD_DNS1123_SUBDOMAIN,
        "*.example.com"
      )
    );
  return errs;
}
function dns1035LabelErrors(value) {
  const errs = [];
  if (value.length > 63) errs.push(maxLenError(63));
  if (!dns1035Label.test(value))
    errs.push(
      regexError(
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
        DNS1035_LABEL,
        "my-name",
        "abc-123"
      )
    );
  return errs;
}
function qualifiedNameErrors(value) {
  const errs = [];
  const parts = value.split("/");
  let name;
  if (parts.length === 1) {
    name = value;
  } else if (parts.length === 2) {
    const prefix = parts[0] ?? "";
    name = parts[1] ?? "";
    if (prefix.length === 0) errs.push("prefix part must be non-empty");
    else errs.push(...dns1123SubdomainErrors(prefix).map((m) => `prefix part ${m}`));
  } else {
    return [
      `${regexError(
        "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
        QUALIFIED_NAME,
        "MyName",
        "my.name",
        "123-abc"
      )} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`
    ];
  }
  if (name.length === 0) errs.push("name part must be non-empty");
  else if (name.length > 63) errs.push(`name part ${maxLenError(63)}`);
  if (name.length > 0 && !qualifiedName.test(name))
    errs.push(
      `name part ${regexError(
        "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
        QUALIFIED_NAME,
        "MyName",
        "my.name",
        "123-abc"
      )}`
    );
  return errs;
}
function labelValueErrors(value) {
  const errs = [];
  if (value.length > 63) errs.push(maxLenError(63));
  if (!labelValue.test(value))
    errs.push(
      regexError(
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
        LABEL_VALUE,
        "MyValue",
        "my_value",
        "12345"
      )
    );
  return errs;
}
function configKeyErrors(value) {
  const errs = [];
  if (value.length > 253) errs.push(maxLenError(253));
  if (!configKey.test(value))
    errs.push(
      regexError(
        "a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
        CONFIG_KEY,
        "key.name",
        "KEY_NAME",
        "key-name"
      )
    );
  if (value === ".") errs.push("must not be '.'");
  else if (value === "..") errs.push("must not be '..'");
  else if (value.startsWith("..")) errs.push("must not start with '..'");
  return errs;
}
function portNumberErrors(port) {
  return port >= 1 && port <= 65535 ? [] : ["must be between 1 and 65535, inclusive"];
}
function portNameErrors(name) {
  const errs = [];
  if (name.length > 15) errs.push(maxLenError(15));
  if (!/^[-a-z0-9]+$/.test(name))
    errs.push("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
  if (name.includes("--")) errs.push("must not contain consecutive hyphens");
  if (/[a-z]/.test(name) === false) errs.push("must contain at least one letter (a-z)");
  if (name.startsWith("-") || name.endsWith("-")) errs.push("must not begin or end with a hyphen");
  return errs;
}
function pathSegmentErrors(name) {
  if (name === "." || name === "..") return [`may not be '${name}'`];
  const errs = [];
  for (const bad of ["/", "%"]) if (name.includes(bad)) errs.push(`may not contain '${bad}'`);
  return errs;
}
var QUANTITY = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;
var SUFFIXES = {
  "": 1,
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60
};
var QUANTITY_ERROR = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
function parseQuantity(value) {
  if (typeof value === "number") return Number.isFinite(value) ? value : void 0;
  if (typeof value !== "string") return void 0;
  const text = value.trim() === value ? value : "";
  const m = QUANTITY.exec(text);
  if (!m) return void 0;
  const [, number = "", suffix = ""] = m;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(number)) return void 0;
  let scale = SUFFIXES[suffix];
  if (scale === void 0) {
    const exp = /^[eE]([-+]?\d+)$/.exec(suffix);
    if (!exp) return void 0;
    scale = 10 ** Number(exp[1]);
  }
  return Number(number) * scale;
}
function percentOf(value) {
  const m = /^(\d+)%$/.exec(value);
  return m ? Number(m[1]) : void 0;
}

// shared/validate/rules/meta.ts
var TOTAL_ANNOTATION_SIZE = 256 * 1024;
function checkLabels(labels, at) {
  if (!isObject(labels)) return;
  for (const [key, value] of Object.entries(labels)) {
    at.entry(key).invalidEach(key, qualifiedNameErrors(key));
    if (typeof value === "string") at.entry(key).invalidEach(value, labelValueErrors(value));
  }
}
function checkAnnotations(annotations, at) {
  if (!isObject(annotations)) return;
  let size = 0;
  for (const [key, value] of Object.entries(annotations)) {
    at.entry(key).invalidEach(key, qualifiedNameErrors(key.toLowerCase()));
    size += Buffer.byteLength(key) + (typeof value === "string" ? Buffer.byteLength(value) : 0);
  }
  if (size > TOTAL_ANNOTATION_SIZE) at.tooLong(TOTAL_ANNOTATION_SIZE);
}
function checkObjectMeta(metadata, at, nameCheck, namespaced) {
  const meta = objectAt(metadata) ?? {};
  const name = stringAt(meta.name);
  const generateName = stringAt(meta.generateName);
  if (generateName && !name) {
    const prefix = generateName.endsWith("-") ? generateName.slice(0, -1) : generateName;
    if (prefix) at.at("generateName").invalidEach(generateName, nameCheck(prefix));
  } else if (!name) {
    at.at("name").required("name or generateName is required");
  } else {
    at.at("name").invalidEach(name, nameCheck(name));
  }
  const namespace = stringAt(meta.namespace);
  if (namespaced && namespace)
    at.at("namespace").invalidEach(namespace, dns1123LabelErrors(namespace));
  checkLabels(meta.labels, at.at("labels"));
  checkAnnotations(meta.annotations, at.at("annotations"));
}
function checkTemplateMeta(metadata, at) {
  const meta = objectAt(metadata) ?? {};
  checkLabels(meta.labels, at.at("labels"));
  checkAnnotations(meta.annotations, at.at("annotations"));
}
function checkLabelSelector(selector, at) {
  if (!isObject(selector)) return;
  checkLabels(selector.matchLabels, at.at("matchLabels"));
  listAt(selector.matchExpressions).forEach((raw, i) => {
    const e = objectAt(raw);
    if (!e) return;
    const here = at.at("matchExpressions", i);
    const values = listAt(e.values);
    const op = e.operator;
    if (op === "In" || op === "NotIn") {
      if (values.length === 0)
        here.at("values").required("must be specified when `operator` is 'In' or 'NotIn'");
    } else if (op === "Exists" || op === "DoesNotExist") {
      if (values.length > 0)
        here.at("values").forbidden("may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
    } else if (typeof op === "string") {
      here.at("operator").invalid(op, "not a valid selector operator");
    }
    if (typeof e.key === "string") here.at("key").invalidEach(e.key, qualifiedNameErrors(e.key));
    values.forEach((v, j) => {
      if (typeof v === "string") here.at("values", j).invalidEach(v, labelValueErrors(v));
    });
  });
}
function selectorMatches(selector, labels) {
  const matchLabels = objectAt(selector.matchLabels) ?? {};
  for (const [k, v] of Object.entries(matchLabels)) if (labels[k] !== v) return false;
  for (const raw of listAt(selector.matchExpressions)) {
    const e = objectAt(raw);
    if (!e || typeof e.key !== "string") continue;
    const has = Object.hasOwn(labels, e.key);
    const values = listAt(e.values);
    const value = labels[e.key];
    switch (e.operator) {
      case "In":
        if (!has || !values.includes(value)) return false;
        break;
      case "NotIn":
        if (has && values.includes(value)) return false;
        break;
      case "Exists":
        if (!has) return false;
        break;
      case "DoesNotExist":
        if (has) return false;
        break;
    }
  }
  return true;
}
function selectorIsEmpty(selector) {
  return Object.keys(objectAt(selector.matchLabels) ?? {}).length === 0 && listAt(selector.matchExpressions).length === 0;
}
var nameIsDnsSubdomain = dns1123SubdomainErrors;
var nameIsDnsLabel = dns1123LabelErrors;

export {
  isObject,
  objectAt,
  listAt,
  stringAt,
  intAt,
  Field,
  maxLenError,
  dns1123LabelErrors,
  dns1123SubdomainErrors,
  wildcardSubdomainErrors,
  dns1035LabelErrors,
  qualifiedNameErrors,
  labelValueErrors,
  configKeyErrors,
  portNumberErrors,
  portNameErrors,
  pathSegmentErrors,
  QUANTITY_ERROR,
  parseQuantity,
  percentOf,
  checkLabels,
  checkObjectMeta,
  checkTemplateMeta,
  checkLabelSelector,
  selectorMatches,
  selectorIsEmpty,
  nameIsDnsSubdomain,
  nameIsDnsLabel
};
