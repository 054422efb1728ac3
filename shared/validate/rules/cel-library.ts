// The Kubernetes CEL extension functions that CRD validation rules use, on top of
// @bufbuild/cel's standard library and its strings extension. Mirrors
// k8s.io/apiserver pkg/cel/library (lists.go, regex.go, urls.go, quantity.go,
// format.go). Values of the library's own types (a quantity, a URL, a format, an
// optional) are maps with one marker key, so they pass through the evaluator as they are.
import {
  type CelFunc,
  type CelInput,
  type CelMap,
  CelScalar,
  type CelValue,
  celFunc,
  celMap,
  celMethod,
  isCelList,
  isCelMap,
  listType,
} from "@bufbuild/cel";
import { strings } from "@bufbuild/cel/ext";
import {
  dns1035LabelErrors,
  dns1123LabelErrors,
  dns1123SubdomainErrors,
  labelValueErrors,
  parseQuantity,
  qualifiedNameErrors,
} from "./syntax.ts";

const DYN = CelScalar.DYN;
const STRING = CelScalar.STRING;
const BOOL = CelScalar.BOOL;
const INT = CelScalar.INT;
const DOUBLE = CelScalar.DOUBLE;
const LIST = listType(DYN);

const QUANTITY = "__quantity";
const URL_KEY = "__url";
const FORMAT = "__format";
const OPTIONAL = "__optional";

function marked(key: string, value: unknown): CelMap {
  return celMap(new Map([[key, value as CelInput]]));
}

/** The marked payload of a library value, or undefined for any other value. */
function payload(value: CelValue | undefined, key: string): unknown {
  if (value === undefined || !isCelMap(value)) return undefined;
  return value.get(key);
}

function fail(message: string): never {
  throw new Error(message);
}

function quantityOf(value: CelValue | undefined): number {
  const text = payload(value, QUANTITY);
  if (typeof text !== "string") fail("no such overload: expected a quantity");
  return parseQuantity(text) ?? fail(`invalid quantity ${text}`);
}

function makeQuantity(text: string): CelMap {
  if (parseQuantity(text) === undefined) fail(`quantities must match the regular expression`);
  return marked(QUANTITY, text);
}

/** A quantity's value as text, for add/sub results (exact enough for comparisons). */
function quantityText(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(15)));
}

function compare(a: unknown, b: unknown): number {
  if (typeof a === "bigint" && typeof b === "bigint") return a < b ? -1 : a > b ? 1 : 0;
  if (
    (typeof a === "number" || typeof a === "bigint") &&
    (typeof b === "number" || typeof b === "bigint")
  )
    return Number(a) - Number(b);
  if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === "boolean" && typeof b === "boolean") return Number(a) - Number(b);
  return fail("no such overload: list elements are not comparable");
}

function listOf(value: CelValue): unknown[] {
  if (!isCelList(value)) return fail("no such overload");
  return [...value];
}

function regex(pattern: string): RegExp {
  try {
    return new RegExp(pattern, "g");
  } catch (error) {
    return fail(`invalid regex ${pattern}: ${(error as Error).message}`);
  }
}

/** url(): absolute URLs and absolute paths, as Go's url.ParseRequestURI accepts them. */
function parseUrl(text: string): URL {
  if (text.startsWith("/")) return new URL(text, "path-only:/");
  try {
    return new URL(text);
  } catch {
    return fail(`URL parse error during conversion from string: ${text}`);
  }
}

function urlOf(value: CelValue | undefined): { text: string; url: URL } {
  const text = payload(value, URL_KEY);
  if (typeof text !== "string") fail("no such overload: expected a URL");
  return { text, url: parseUrl(text) };
}

/** The named formats of format.named(), each a validator returning its problems. */
const FORMATS: Record<string, (s: string) => string[]> = {
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
  uuid: (s) =>
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s)
      ? []
      : ["invalid UUID"],
  byte: (s) => (/^[A-Za-z0-9+/]*={0,2}$/.test(s) && s.length % 4 === 0 ? [] : ["invalid base64"]),
  date: (s) =>
    /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(s)) ? [] : ["invalid date"],
  datetime: (s) => (!Number.isNaN(Date.parse(s)) && /T/.test(s) ? [] : ["invalid datetime"]),
};

function formatFunctions(): CelFunc[] {
  const out: CelFunc[] = [
    celFunc("format.named", [STRING], DYN, (name) =>
      marked(OPTIONAL, FORMATS[name] ? marked(FORMAT, name) : null),
    ),
    celMethod("validate", DYN, [STRING], DYN, function (text) {
      const name = payload(this, FORMAT);
      const check = typeof name === "string" ? FORMATS[name] : undefined;
      if (!check) return fail("no such overload: validate");
      const errors = check(text);
      return marked(OPTIONAL, errors.length > 0 ? errors : null);
    }),
    celMethod("hasValue", DYN, [], BOOL, function () {
      return payload(this, OPTIONAL) !== null && payload(this, OPTIONAL) !== undefined;
    }),
    celMethod("value", DYN, [], DYN, function () {
      const v = payload(this, OPTIONAL);
      return (v ?? fail("optional.none() dereference")) as never;
    }),
  ];
  for (const name of Object.keys(FORMATS)) {
    out.push(celFunc(`format.${name}`, [], DYN, () => marked(FORMAT, name)));
  }
  return out;
}

/** Every extension function the evaluator is given. */
export function kubernetesCelFunctions(): CelFunc[] {
  return [
    ...strings,
    // lists.go
    celMethod("isSorted", LIST, [], BOOL, function () {
      const items = listOf(this);
      return items.every((v, i) => i === 0 || compare(items[i - 1], v) <= 0);
    }),
    celMethod("sum", LIST, [], DYN, function () {
      const items = listOf(this);
      if (items.length === 0) return 0n;
      if (items.every((v) => typeof v === "bigint"))
        return (items as bigint[]).reduce((a, b) => a + b, 0n);
      return items.reduce((a: number, b) => a + Number(b), 0);
    }),
    celMethod("min", LIST, [], DYN, function () {
      const items = listOf(this);
      if (items.length === 0) fail("min called on empty list");
      return items.reduce((a, b) => (compare(a, b) <= 0 ? a : b)) as never;
    }),
    celMethod("max", LIST, [], DYN, function () {
      const items = listOf(this);
      if (items.length === 0) fail("max called on empty list");
      return items.reduce((a, b) => (compare(a, b) >= 0 ? a : b)) as never;
    }),
    celMethod("indexOf", LIST, [DYN], INT, function (x) {
      return BigInt(listOf(this).findIndex((v) => compare(v, x) === 0));
    }),
    celMethod("lastIndexOf", LIST, [DYN], INT, function (x) {
      const items = listOf(this);
      for (let i = items.length - 1; i >= 0; i--) if (compare(items[i], x) === 0) return BigInt(i);
      return -1n;
    }),
    // regex.go
    celMethod("find", STRING, [STRING], STRING, function (pattern) {
      return regex(pattern).exec(this)?.[0] ?? "";
    }),
    celMethod("findAll", STRING, [STRING], LIST, function (pattern) {
      return [...this.matchAll(regex(pattern))].map((m) => m[0]);
    }),
    celMethod("findAll", STRING, [STRING, INT], LIST, function (pattern, n) {
      const all = [...this.matchAll(regex(pattern))].map((m) => m[0]);
      return n < 0n ? all : all.slice(0, Number(n));
    }),
    // urls.go
    celFunc("url", [STRING], DYN, (text) => {
      parseUrl(text);
      return marked(URL_KEY, text);
    }),
    celFunc("isURL", [STRING], BOOL, (text) => {
      try {
        parseUrl(text);
        return true;
      } catch {
        return false;
      }
    }),
    celMethod("getScheme", DYN, [], STRING, function () {
      const { text, url } = urlOf(this);
      return text.startsWith("/") ? "" : url.protocol.replace(/:$/, "");
    }),
    celMethod("getHost", DYN, [], STRING, function () {
      const { text, url } = urlOf(this);
      return text.startsWith("/") ? "" : url.host;
    }),
    celMethod("getHostname", DYN, [], STRING, function () {
      const { text, url } = urlOf(this);
      return text.startsWith("/") ? "" : url.hostname.replace(/^\[|\]$/g, "");
    }),
    celMethod("getPort", DYN, [], STRING, function () {
      return urlOf(this).url.port;
    }),
    celMethod("getEscapedPath", DYN, [], STRING, function () {
      return urlOf(this).url.pathname;
    }),
    // quantity.go
    celFunc("quantity", [STRING], DYN, (text) => makeQuantity(text)),
    celFunc("isQuantity", [STRING], BOOL, (text) => parseQuantity(text) !== undefined),
    celMethod("sign", DYN, [], INT, function () {
      return BigInt(Math.sign(quantityOf(this)));
    }),
    celMethod("isInteger", DYN, [], BOOL, function () {
      return Number.isInteger(quantityOf(this));
    }),
    celMethod("asInteger", DYN, [], INT, function () {
      const n = quantityOf(this);
      if (!Number.isInteger(n)) fail("cannot convert value to integer");
      return BigInt(n);
    }),
    celMethod("asApproximateFloat", DYN, [], DOUBLE, function () {
      return quantityOf(this);
    }),
    celMethod("isGreaterThan", DYN, [DYN], BOOL, function (other) {
      return quantityOf(this) > quantityOf(other);
    }),
    celMethod("isLessThan", DYN, [DYN], BOOL, function (other) {
      return quantityOf(this) < quantityOf(other);
    }),
    celMethod("compareTo", DYN, [DYN], INT, function (other) {
      return BigInt(Math.sign(quantityOf(this) - quantityOf(other)));
    }),
    celMethod("add", DYN, [DYN], DYN, function (other) {
      const o = typeof other === "bigint" ? Number(other) : quantityOf(other);
      return marked(QUANTITY, quantityText(quantityOf(this) + o));
    }),
    celMethod("sub", DYN, [DYN], DYN, function (other) {
      const o = typeof other === "bigint" ? Number(other) : quantityOf(other);
      return marked(QUANTITY, quantityText(quantityOf(this) - o));
    }),
    ...formatFunctions(),
  ];
}
