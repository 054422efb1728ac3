#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  compareVersions,
  parseLooseVersion,
  parseSemverRange,
  parseTagVersion,
  satisfies
} from "./chunk-ASGSV6PC.js";
import {
  confine
} from "./chunk-C4RKCN44.js";
import {
  compileGoRegexp,
  expandTemplate,
  templateRefs
} from "./chunk-BWGGLMG3.js";
import {
  InvalidImagePolicyError,
  InvalidNumberError,
  InvalidRegexError,
  InvalidSemverRangeError,
  MissingCreationTimeError,
  NoMatchingTagError,
  NoTagsError,
  SetterError
} from "./chunk-DYND6O65.js";
import {
  messageOf
} from "./chunk-6SSSO5LC.js";
import {
  require_dist
} from "./chunk-HPGUIRHG.js";
import {
  __toESM
} from "./chunk-3IQPLNQJ.js";

// agent/automation/repo-config.ts
var import_yaml = __toESM(require_dist(), 1);
const { readFile: readFile2 } = require("node:fs/promises");
const { relative: relative2, resolve, sep: sep2 } = require("node:path");

// shared/manifests/load.ts
const { readdir, readFile, stat } = require("node:fs/promises");
const { join, relative, sep } = require("node:path");
var MANIFEST_FILE = /\.(ya?ml|json)$/i;
async function listManifestFiles(dir, root = dir, visited = /* @__PURE__ */ new Set()) {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const files = [];
  for (const entry of entries) {
    if (entry.name.startsWith(".")) continue;
    const path = join(dir, entry.name);
    let isDirectory = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      const real = await confine(root, path, relative(root, path).split(sep).join("/"));
      const info = await stat(real).catch(() => void 0);
      if (info?.isDirectory() && visited.has(real)) continue;
      if (info?.isDirectory()) visited.add(real);
      isDirectory = info?.isDirectory() ?? false;
      isFile = info?.isFile() ?? false;
    }
    if (isDirectory) files.push(...await listManifestFiles(path, root, visited));
    else if (isFile && MANIFEST_FILE.test(entry.name)) files.push(path);
  }
  return files;
}

// shared/tagpolicy/decimal.ts
var D = "[0-9]+(?:_[0-9]+)*";
var DECIMAL = new RegExp(`^([+-]?)(?:(${D})(?:\\.(${D})?)?|\\.(${D}))(?:[eE]([+-]?${D}))?$`);
function parseDecimal(s) {
  const m = DECIMAL.exec(s);
  if (m === null) return void 0;
  const [, signText = "", intPart = "", fracPart = "", fracOnly, expText = "0"] = m.map(
    (g) => g?.replaceAll("_", "")
  );
  const whole = fracOnly === void 0 ? intPart + fracPart : fracOnly;
  const pointAt = fracOnly === void 0 ? intPart.length : 0;
  const lead = whole.length - whole.replace(/^0+/, "").length;
  const digits = whole.slice(lead).replace(/0+$/, "");
  if (digits === "") return { sign: 0, digits: "", exp: 0n };
  return {
    sign: signText === "-" ? -1 : 1,
    digits,
    exp: BigInt(pointAt - lead) + BigInt(expText)
  };
}
function compareDecimals(a, b) {
  if (a.sign !== b.sign) return a.sign < b.sign ? -1 : 1;
  if (a.sign === 0) return 0;
  let magnitude;
  if (a.exp !== b.exp) magnitude = a.exp < b.exp ? -1 : 1;
  else if (a.digits === b.digits) magnitude = 0;
  else magnitude = a.digits < b.digits ? -1 : 1;
  return magnitude * a.sign;
}

// shared/tagpolicy/order.ts
function compareBytes(a, b) {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xs = x >= 55296 && x <= 57343;
    const ys = y >= 55296 && y <= 57343;
    if (xs === ys) return x < y ? -1 : 1;
    return xs ? 1 : -1;
  }
  return a.length < b.length ? -1 : 1;
}
function pickLast(items, compare) {
  let best;
  for (const item of items) {
    if (best === void 0) {
      best = item;
      continue;
    }
    const d = compare(item, best);
    if (d > 0 || d === 0 && compareBytes(item.tag, best.tag) > 0) best = item;
  }
  return best;
}

// shared/tagpolicy/policy-v1.ts
function parseV1Filter(filter) {
  if (filter.startsWith("semver:")) {
    return {
      kind: "semver",
      source: filter,
      range: parseSemverRange(filter.slice("semver:".length))
    };
  }
  for (const prefix of ["regexp:", "regex:"]) {
    if (filter.startsWith(prefix)) {
      return { kind: "regex", source: filter, re: compileGoRegexp(filter.slice(prefix.length)) };
    }
  }
  const pattern = filter.startsWith("glob:") ? filter.slice("glob:".length) : filter;
  return { kind: "glob", source: filter, pattern };
}
function glob(pattern, subject) {
  if (pattern === "") return subject === "";
  if (pattern === "*") return true;
  const parts = pattern.split("*");
  if (parts.length === 1) return subject === pattern;
  const leading = pattern.startsWith("*");
  const trailing = pattern.endsWith("*");
  const end = parts.length - 1;
  let rest = subject;
  for (let i = 0; i < end; i++) {
    const part = parts[i] ?? "";
    const idx = rest.indexOf(part);
    if (i === 0 ? !leading && idx !== 0 : idx < 0) return false;
    rest = rest.slice(idx + part.length);
  }
  return trailing || rest.endsWith(parts[end] ?? "");
}
function matches(f, tag) {
  switch (f.kind) {
    case "glob":
      return glob(f.pattern, tag);
    case "regex":
      return f.re.test(tag);
    case "semver": {
      const v = parseLooseVersion(tag);
      return v !== void 0 && satisfies(f.range, v);
    }
  }
}
function v1Candidates(filter, tags) {
  const f = typeof filter === "string" ? parseV1Filter(filter) : filter;
  return [...new Set(tags)].filter((tag) => matches(f, tag));
}
function selectTagV1(filter, tags, createdAt = /* @__PURE__ */ new Map()) {
  if (tags.length === 0) throw new NoTagsError();
  const f = parseV1Filter(filter);
  const matching = v1Candidates(f, tags);
  if (matching.length === 0) {
    throw new NoMatchingTagError(
      `none of the ${new Set(tags).size} tag(s) matches ${JSON.stringify(filter)}`,
      0
    );
  }
  if (f.kind === "semver") {
    const versions = matching.flatMap((tag) => {
      const v = parseLooseVersion(tag);
      return v === void 0 ? [] : [{ tag, v }];
    });
    const best2 = pickLast(versions, (a, b) => compareVersions(a.v, b.v));
    if (best2 === void 0)
      throw new NoMatchingTagError(`no tag matches ${JSON.stringify(filter)}`, 0);
    return { tag: best2.tag, value: best2.tag, candidates: versions.length };
  }
  const timed = matching.flatMap((tag) => {
    const t = createdAt.get(tag)?.getTime();
    return t === void 0 || Number.isNaN(t) ? [] : [{ tag, t }];
  });
  if (timed.length === 0) throw new MissingCreationTimeError(filter, matching);
  let best = timed[0];
  for (const c of timed) {
    if (c.t > best.t || c.t === best.t && compareBytes(c.tag, best.tag) < 0) best = c;
  }
  return { tag: best.tag, value: best.tag, candidates: matching.length };
}
var V1_DEFAULT_FILTER = "glob:*";
var V1_PREFIXES = ["flux.weave.works/", "fluxcd.io/"];
function readV1Annotations(annotations) {
  const values = /* @__PURE__ */ new Map();
  for (const prefix of V1_PREFIXES) {
    for (const [key2, value] of Object.entries(annotations ?? {})) {
      if (key2.startsWith(prefix) && typeof value === "string")
        values.set(key2.slice(prefix.length), value);
    }
  }
  const tagFilters = /* @__PURE__ */ new Map();
  for (const [key2, value] of values) {
    if (key2.startsWith("tag.")) tagFilters.set(key2.slice("tag.".length), value);
  }
  return {
    automated: values.get("automated") === "true",
    locked: values.get("locked") === "true",
    ignore: values.get("ignore") === "true",
    tagFilters
  };
}

// shared/tagpolicy/policy.ts
var IMAGE_POLICY_API_VERSIONS = [
  "image.toolkit.fluxcd.io/v1beta2",
  "image.toolkit.fluxcd.io/v1"
];
function compileTagFilter(filter) {
  const pattern = filter.pattern ?? "";
  const extract = filter.extract ?? "";
  const re = compileGoRegexp(pattern);
  const problems = [];
  for (const ref of templateRefs(extract)) {
    if (ref.kind === "number" && ref.number > re.groupCount) {
      problems.push({
        path: "spec.filterTags.extract",
        message: `$${ref.number} refers to group ${ref.number}, but the pattern has ${re.groupCount} group(s)`
      });
    } else if (ref.kind === "name" && !re.groupNames.includes(ref.name)) {
      const hint = /^[0-9]/.test(ref.name) ? ` (Go reads "$${ref.name}" as a group name; write \${N} for a number)` : "";
      problems.push({
        path: "spec.filterTags.extract",
        message: `refers to group "${ref.name}", which the pattern does not define${hint}`
      });
    }
  }
  if (problems.length > 0) throw new InvalidImagePolicyError(problems);
  return { re, pattern, extract };
}
function applyFilter(filter, tags) {
  if (filter === void 0) return tags.map((tag) => ({ tag, value: tag }));
  const { re, pattern, extract } = compileTagFilter(filter);
  const out = [];
  for (const tag of tags) {
    const m = re.exec(tag);
    if (m === null) continue;
    out.push({ tag, value: extract === "" ? tag : expandTemplate(re, extract, m) });
  }
  if (out.length === 0) {
    throw new NoMatchingTagError(
      `none of the ${tags.length} tag(s) matches filterTags.pattern ${JSON.stringify(pattern)}`,
      0
    );
  }
  return out;
}
function checkOrder(order, path) {
  if (order === void 0) return "asc";
  if (order === "asc" || order === "desc") return order;
  throw new InvalidImagePolicyError([
    { path, message: `must be "asc" or "desc", not ${JSON.stringify(order)}` }
  ]);
}
function selectTag(spec, tags) {
  const unique = [...new Set(tags)];
  if (unique.length === 0) throw new NoTagsError();
  const { policy } = spec;
  const choices = ["semver", "alphabetical", "numerical"].filter((k) => k in policy);
  if (choices.length !== 1) {
    throw new InvalidImagePolicyError([
      { path: "spec.policy", message: "set exactly one of semver, alphabetical or numerical" }
    ]);
  }
  const candidates = applyFilter(spec.filterTags, unique);
  if ("semver" in policy) {
    const range = parseSemverRange(policy.semver.range);
    const versions = [];
    for (const c of candidates) {
      const v = parseTagVersion(c.value);
      if (v !== void 0 && satisfies(range, v)) versions.push({ ...c, v });
    }
    const best2 = pickLast(versions, (a, b) => compareVersions(a.v, b.v));
    if (best2 === void 0) {
      const notVersions = candidates.filter((c) => parseTagVersion(c.value) === void 0).length;
      throw new NoMatchingTagError(
        `no tag satisfies semver range ${JSON.stringify(policy.semver.range)} (${candidates.length} candidate(s), ${notVersions} of them not versions)`,
        candidates.length
      );
    }
    return { tag: best2.tag, value: best2.value, candidates: versions.length };
  }
  if ("alphabetical" in policy) {
    const sign2 = checkOrder(policy.alphabetical.order, "spec.policy.alphabetical.order") === "asc" ? 1 : -1;
    const best2 = pickLast(candidates, (a, b) => sign2 * compareBytes(a.value, b.value));
    if (best2 === void 0) throw new NoMatchingTagError("no tag to order", 0);
    return { tag: best2.tag, value: best2.value, candidates: candidates.length };
  }
  const sign = checkOrder(policy.numerical.order, "spec.policy.numerical.order") === "asc" ? 1 : -1;
  const numbers = [];
  for (const c of candidates) {
    const n = parseDecimal(c.value);
    if (n === void 0) throw new InvalidNumberError(c.tag, c.value);
    numbers.push({ ...c, n });
  }
  const best = pickLast(numbers, (a, b) => sign * compareDecimals(a.n, b.n));
  if (best === void 0) throw new NoMatchingTagError("no tag to order", 0);
  return { tag: best.tag, value: best.value, candidates: numbers.length };
}
var isObj = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
var Checker = class {
  problems = [];
  add(path, message) {
    this.problems.push({ path, message });
  }
  object(v, path, keys) {
    if (!isObj(v)) {
      this.add(path, v === void 0 || v === null ? "is required" : "must be a mapping");
      return void 0;
    }
    for (const key2 of Object.keys(v)) {
      if (!keys.includes(key2))
        this.add(`${path}.${key2}`, `unknown field (known: ${keys.join(", ")})`);
    }
    return v;
  }
  string(v, path, required) {
    if (v === void 0 || v === null) {
      if (required) this.add(path, "is required");
      return void 0;
    }
    if (typeof v !== "string") {
      this.add(path, `must be a string, not ${JSON.stringify(v)} (quote it in YAML)`);
      return void 0;
    }
    if (required && v === "") this.add(path, "must not be empty");
    return v;
  }
  order(v, path) {
    const order = this.string(v?.order, `${path}.order`, false);
    if (order === void 0) return void 0;
    if (order !== "asc" && order !== "desc") {
      this.add(`${path}.order`, `must be "asc" or "desc", not ${JSON.stringify(order)}`);
      return void 0;
    }
    return order;
  }
};
var SPEC_KEYS = [
  "imageRepositoryRef",
  "policy",
  "filterTags",
  "digestReflectionPolicy",
  "interval",
  "suspend"
];
var INTERVAL = /^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$/;
function errorReason(error) {
  if (error instanceof InvalidRegexError || error instanceof InvalidSemverRangeError)
    return error.reason;
  return messageOf(error);
}
function parseImagePolicy(doc) {
  const c = new Checker();
  if (!isObj(doc))
    throw new InvalidImagePolicyError([{ path: "(document)", message: "must be a mapping" }]);
  const apiVersion = c.string(doc.apiVersion, "apiVersion", true);
  const supported = IMAGE_POLICY_API_VERSIONS;
  if (apiVersion !== void 0 && !supported.includes(apiVersion)) {
    c.add(
      "apiVersion",
      `must be one of ${supported.join(", ")}, not ${JSON.stringify(apiVersion)}`
    );
  }
  const kind = c.string(doc.kind, "kind", true);
  if (kind !== void 0 && kind !== "ImagePolicy")
    c.add("kind", `must be ImagePolicy, not ${JSON.stringify(kind)}`);
  const metadata = isObj(doc.metadata) ? doc.metadata : void 0;
  if (metadata === void 0) c.add("metadata", "is required");
  const name = c.string(metadata?.name, "metadata.name", true);
  const namespace = c.string(metadata?.namespace, "metadata.namespace", false);
  const spec = c.object(doc.spec, "spec", SPEC_KEYS);
  const ref = c.object(spec?.imageRepositoryRef, "spec.imageRepositoryRef", ["name", "namespace"]);
  const refName = c.string(ref?.name, "spec.imageRepositoryRef.name", true);
  const refNamespace = c.string(ref?.namespace, "spec.imageRepositoryRef.namespace", false);
  let policy;
  const choice = c.object(spec?.policy, "spec.policy", ["semver", "alphabetical", "numerical"]);
  if (choice !== void 0) {
    const set = ["semver", "alphabetical", "numerical"].filter((k) => choice[k] != null);
    if (set.length !== 1) {
      c.add(
        "spec.policy",
        `set exactly one of semver, alphabetical or numerical (found ${set.length})`
      );
    } else if (set[0] === "semver") {
      const semver = c.object(choice.semver, "spec.policy.semver", ["range"]);
      const range = c.string(semver?.range, "spec.policy.semver.range", true);
      if (range !== void 0 && range !== "") {
        try {
          parseSemverRange(range);
          policy = { semver: { range } };
        } catch (error) {
          c.add("spec.policy.semver.range", errorReason(error));
        }
      }
    } else {
      const which = set[0] === "alphabetical" ? "alphabetical" : "numerical";
      const body = c.object(choice[which], `spec.policy.${which}`, ["order"]);
      const order = c.order(body, `spec.policy.${which}`);
      const inner = order === void 0 ? {} : { order };
      policy = which === "alphabetical" ? { alphabetical: inner } : { numerical: inner };
    }
  }
  let filterTags;
  if (spec?.filterTags != null) {
    const f = c.object(spec.filterTags, "spec.filterTags", ["pattern", "extract"]);
    const pattern = c.string(f?.pattern, "spec.filterTags.pattern", false);
    const extract = c.string(f?.extract, "spec.filterTags.extract", false);
    filterTags = {
      ...pattern === void 0 ? {} : { pattern },
      ...extract === void 0 ? {} : { extract }
    };
    try {
      compileTagFilter(filterTags);
    } catch (error) {
      if (error instanceof InvalidImagePolicyError) c.problems.push(...error.problems);
      else c.add("spec.filterTags.pattern", errorReason(error));
    }
  }
  const drp = c.string(spec?.digestReflectionPolicy, "spec.digestReflectionPolicy", false);
  if (drp !== void 0 && drp !== "Always" && drp !== "IfNotPresent" && drp !== "Never") {
    c.add(
      "spec.digestReflectionPolicy",
      `must be Always, IfNotPresent or Never, not ${JSON.stringify(drp)}`
    );
  }
  const interval = c.string(spec?.interval, "spec.interval", false);
  if (interval !== void 0 && !INTERVAL.test(interval)) {
    c.add(
      "spec.interval",
      `must be a duration such as 10m or 1h30m, not ${JSON.stringify(interval)}`
    );
  }
  if (interval !== void 0 && drp !== "Always") {
    c.add("spec.interval", "is only accepted when spec.digestReflectionPolicy is Always");
  }
  if (drp === "Always" && interval === void 0) {
    c.add("spec.interval", "must be set when spec.digestReflectionPolicy is Always");
  }
  const suspend = spec?.suspend;
  if (suspend !== void 0 && suspend !== null && typeof suspend !== "boolean") {
    c.add("spec.suspend", "must be true or false");
  }
  const label = name === void 0 ? void 0 : `${namespace === void 0 ? "" : `${namespace}/`}${name}`;
  if (c.problems.length > 0 || policy === void 0 || refName === void 0 || name === void 0) {
    throw new InvalidImagePolicyError(c.problems, label);
  }
  return {
    apiVersion,
    kind: "ImagePolicy",
    name,
    ...namespace === void 0 ? {} : { namespace },
    spec: {
      imageRepositoryRef: {
        name: refName,
        ...refNamespace === void 0 ? {} : { namespace: refNamespace }
      },
      policy,
      ...filterTags === void 0 ? {} : { filterTags },
      ...drp === void 0 ? {} : { digestReflectionPolicy: drp },
      ...interval === void 0 ? {} : { interval },
      ...typeof suspend === "boolean" ? { suspend } : {}
    }
  };
}

// agent/automation/repo-config.ts
var IMAGE_GROUP = "image.toolkit.fluxcd.io/";
var SOURCE_GROUP = "source.toolkit.fluxcd.io/";
var DEFAULT_NAMESPACE = "flux-system";
var key = (namespace, name) => `${namespace ?? DEFAULT_NAMESPACE}:${name}`;
var str = (v) => typeof v === "string" && v !== "" ? v : void 0;
var stringMap = (v) => typeof v === "object" && v !== null && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, String(x)])) : void 0;
var POD_SPEC = {
  Deployment: ["spec", "template", "spec"],
  StatefulSet: ["spec", "template", "spec"],
  DaemonSet: ["spec", "template", "spec"],
  ReplicaSet: ["spec", "template", "spec"],
  Job: ["spec", "template", "spec"],
  CronJob: ["spec", "jobTemplate", "spec", "template", "spec"],
  Pod: ["spec"]
};
function podSpecOf(doc) {
  const path = POD_SPEC[String(doc.kind)];
  if (!path) return void 0;
  let node = doc;
  for (const part of path) node = node?.[part];
  return typeof node === "object" && node !== null ? node : void 0;
}
function readWorkload(doc, file) {
  const automation = readV1Annotations(doc.metadata?.annotations);
  if (!automation.automated || automation.locked || automation.ignore) return void 0;
  const pod = podSpecOf(doc);
  if (!pod) return void 0;
  const containers = [];
  for (const list of ["initContainers", "containers"]) {
    for (const c of pod[list] ?? []) {
      const name = str(c.name);
      const image = str(c.image);
      if (!name || !image) continue;
      containers.push({
        name,
        image,
        filter: automation.tagFilters.get(name) ?? V1_DEFAULT_FILTER
      });
    }
  }
  return {
    file,
    apiVersion: str(doc.apiVersion),
    kind: String(doc.kind),
    name: String(doc.metadata?.name),
    namespace: str(doc.metadata?.namespace),
    containers
  };
}
async function readImageConfig(root, path = ".") {
  const config = {
    repositories: /* @__PURE__ */ new Map(),
    policies: /* @__PURE__ */ new Map(),
    automations: [],
    gitRepositories: /* @__PURE__ */ new Map(),
    workloads: [],
    problems: []
  };
  const dir = resolve(root, path);
  let check;
  const schemaProblem = async (doc) => {
    if (!check) {
      const { validateObject } = await import("./schema-QSHYTVQA.js");
      check = (d) => {
        const result = validateObject(d, { ignoreMissingSchemas: true });
        if (result.status !== "invalid") return void 0;
        return result.findings.map((f) => f.message).join("; ");
      };
    }
    return check(doc);
  };
  for (const abs of await listManifestFiles(dir)) {
    const file = relative2(root, abs).split(sep2).join("/");
    const text = await readFile2(abs, "utf8");
    if (!text.includes(IMAGE_GROUP) && !text.includes(SOURCE_GROUP) && !text.includes("fluxcd.io/automated") && !text.includes("flux.weave.works/automated")) {
      continue;
    }
    for (const parsed of (0, import_yaml.parseAllDocuments)(text)) {
      if (parsed.errors.length > 0) {
        config.problems.push(
          `${file}: not valid YAML, skipped: ${parsed.errors[0]?.message.split("\n")[0]}`
        );
        break;
      }
      const doc = parsed.toJS();
      if (!doc || typeof doc !== "object") continue;
      const apiVersion = String(doc.apiVersion ?? "");
      const name = str(doc.metadata?.name);
      const namespace = str(doc.metadata?.namespace);
      try {
        if (apiVersion.startsWith(IMAGE_GROUP) && name) {
          const problem = await schemaProblem(doc);
          if (problem) {
            const line = text.slice(0, parsed.contents?.range?.[0] ?? parsed.range[0]).split("\n").length;
            config.problems.push(`${file}:${line}: ${doc.kind} ${name}: ${problem}`);
            if (doc.kind === "ImageUpdateAutomation")
              config.automations.push(invalidAutomation(name, namespace, file));
            continue;
          }
          const spec = doc.spec ?? {};
          if (doc.kind === "ImageRepository") {
            const image = str(spec.image);
            if (!image) throw new Error(`ImageRepository ${name}: spec.image is missing`);
            config.repositories.set(key(namespace, name), {
              name,
              namespace: namespace ?? DEFAULT_NAMESPACE,
              image,
              insecure: spec.insecure === true,
              secretRef: str(spec.secretRef?.name),
              exclusionList: Array.isArray(spec.exclusionList) ? spec.exclusionList.map(String) : ["^.*\\.sig$"],
              file
            });
          } else if (doc.kind === "ImagePolicy") {
            config.policies.set(key(namespace, name), {
              ...parseImagePolicy(doc),
              file,
              labels: stringMap(doc.metadata?.labels) ?? {}
            });
          } else if (doc.kind === "ImageUpdateAutomation") {
            try {
              config.automations.push(readAutomation(name, namespace, spec, file));
            } catch (error) {
              config.automations.push(invalidAutomation(name, namespace, file));
              throw new Error(`ImageUpdateAutomation ${name}: ${messageOf(error)}`);
            }
          }
        } else if (apiVersion.startsWith(SOURCE_GROUP) && doc.kind === "GitRepository" && name) {
          const url = str(doc.spec?.url);
          if (url)
            config.gitRepositories.set(key(namespace, name), {
              name,
              namespace: namespace ?? DEFAULT_NAMESPACE,
              url,
              ref: readRef(doc.spec?.ref),
              file
            });
        } else if (name) {
          const workload = readWorkload(doc, file);
          if (workload) config.workloads.push(workload);
        }
      } catch (error) {
        config.problems.push(`${file}: ${messageOf(error)}`);
      }
    }
  }
  return config;
}
function readRef(v) {
  if (typeof v !== "object" || v === null) return void 0;
  const ref = v;
  return {
    branch: str(ref.branch),
    tag: str(ref.tag),
    semver: str(ref.semver),
    name: str(ref.name),
    commit: str(ref.commit)
  };
}
var OPERATORS = ["In", "NotIn", "Exists", "DoesNotExist"];
function readSelector(v) {
  if (typeof v !== "object" || v === null) return void 0;
  const selector = v;
  const expressions = Array.isArray(selector.matchExpressions) ? selector.matchExpressions : [];
  return {
    matchLabels: stringMap(selector.matchLabels) ?? {},
    matchExpressions: expressions.map((raw, i) => {
      const at = `spec.policySelector.matchExpressions[${i}]`;
      const operator = String(raw?.operator);
      const values = Array.isArray(raw?.values) ? raw.values.map(String) : [];
      if (!OPERATORS.includes(operator))
        throw new Error(
          `${at}.operator ${JSON.stringify(raw?.operator)} is not ${OPERATORS.join(", ")}`
        );
      if ((operator === "In" || operator === "NotIn") !== values.length > 0)
        throw new Error(
          `${at}.values must be ${values.length > 0 ? "empty" : "given"} with operator ${operator}`
        );
      return { key: String(raw?.key), operator, values };
    })
  };
}
function readAutomation(name, namespace, spec, file) {
  const ns = namespace ?? DEFAULT_NAMESPACE;
  const git = spec.git ?? {};
  const commit = git.commit ?? {};
  const author = commit.author ?? {};
  const signingKey = commit.signingKey;
  const sourceRef = spec.sourceRef ?? {};
  const update = spec.update ?? {};
  return {
    name,
    namespace: ns,
    suspend: spec.suspend === true,
    sourceRef: {
      kind: str(sourceRef.kind) ?? "GitRepository",
      name: String(sourceRef.name ?? ""),
      namespace: str(sourceRef.namespace) ?? ns
    },
    checkout: readRef(git.checkout?.ref),
    pushBranch: str(git.push?.branch),
    pushRefspec: str(git.push?.refspec),
    pushOptions: stringMap(git.push?.options),
    signingKey: signingKey ? {
      secretName: String(signingKey.secretRef?.name ?? ""),
      type: str(signingKey.type) ?? "gpg"
    } : void 0,
    policySelector: readSelector(spec.policySelector),
    authorName: str(author.name),
    authorEmail: str(author.email),
    messageTemplate: str(commit.messageTemplate),
    messageTemplateValues: stringMap(commit.messageTemplateValues),
    updatePath: str(update.path) ?? ".",
    file
  };
}
var invalidAutomation = (name, namespace, file) => ({
  name,
  namespace: namespace ?? DEFAULT_NAMESPACE,
  suspend: false,
  sourceRef: { kind: "GitRepository", name: "", namespace: namespace ?? DEFAULT_NAMESPACE },
  updatePath: ".",
  file,
  invalid: true
});
function splitImage(image) {
  const at = image.indexOf("@");
  const base = at < 0 ? image : image.slice(0, at);
  const colon = base.lastIndexOf(":");
  if (colon > base.lastIndexOf("/"))
    return { repository: base.slice(0, colon), tag: base.slice(colon + 1) };
  return { repository: base };
}

// shared/tagpolicy/setters.ts
var import_yaml2 = __toESM(require_dist(), 1);
var textAt = (doc, path) => {
  const v = doc.getIn(path);
  return typeof v === "string" ? v : "";
};
function objectOf(doc) {
  if (!(0, import_yaml2.isMap)(doc.contents)) return { apiVersion: "", kind: "", name: "", namespace: "" };
  return {
    apiVersion: textAt(doc, ["apiVersion"]),
    kind: textAt(doc, ["kind"]),
    name: textAt(doc, ["metadata", "name"]),
    namespace: textAt(doc, ["metadata", "namespace"])
  };
}
var MARKER_KEY = "$imagepolicy";
function parseMarker(comment) {
  let parsed;
  try {
    parsed = JSON.parse(comment.replace(/^#+/, ""));
  } catch {
    return void 0;
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return void 0;
  const values = Object.values(parsed);
  if (!values.every((v) => typeof v === "string")) return void 0;
  const ref = parsed[MARKER_KEY];
  return ref === void 0 || ref === "" ? void 0 : ref;
}
function markerAfter(node, lines) {
  if (!(0, import_yaml2.isScalar)(node)) return void 0;
  const token = node.srcToken;
  if (token === void 0 || !("end" in token) || token.end === void 0) return void 0;
  const comment = token.end.find((t) => t.type === "comment");
  if (comment === void 0) return void 0;
  const ref = parseMarker(comment.source);
  if (ref === void 0) return void 0;
  return { ref, offset: comment.offset, line: lines.linePos(comment.offset).line };
}
function parseYaml(text) {
  const lines = new import_yaml2.LineCounter();
  const docs = (0, import_yaml2.parseAllDocuments)(text, {
    keepSourceTokens: true,
    lineCounter: lines,
    uniqueKeys: false
  });
  for (const doc of docs) {
    const error = doc.errors[0];
    if (error !== void 0) {
      throw new SetterError(
        "YAML_SYNTAX",
        `not valid YAML: ${error.message.split("\n")[0]}`,
        error.linePos?.[0].line
      );
    }
  }
  return { docs: [...docs], lines };
}
function plainSafe(value, inFlow) {
  if (value === "" || value !== value.trim() || /[\n\r\t]/.test(value)) return false;
  if (/^[-?:,[\]{}#&*!|>'"%@`]/.test(value) || value.includes(": ") || value.includes(" #") || value.endsWith(":")) {
    return false;
  }
  if (inFlow && /[,[\]{}]/.test(value)) return false;
  try {
    return (0, import_yaml2.parse)(value) === value && (0, import_yaml2.parse)(value, { version: "1.1" }) === value;
  } catch {
    return false;
  }
}
function encode(value, type, inFlow) {
  if (type === "QUOTE_SINGLE" && /^[\x20-\x7e\u00a0-\uffff]*$/.test(value)) {
    return { text: `'${value.replaceAll("'", "''")}'`, requoted: false };
  }
  if (type === "PLAIN" && plainSafe(value, inFlow)) return { text: value, requoted: false };
  return { text: JSON.stringify(value), requoted: type === "PLAIN" };
}
function scalarText(node, text) {
  if (typeof node.value === "string") return node.value;
  const range = node.range;
  return range ? text.slice(range[0], range[1]) : String(node.value);
}
var FLOW_TYPES = /* @__PURE__ */ new Set(["scalar", "single-quoted-scalar", "double-quoted-scalar"]);
function editable(node) {
  const token = node.srcToken;
  if (token === void 0 || !FLOW_TYPES.has(token.type) || !node.range) return void 0;
  return { start: node.range[0], end: node.range[1], type: node.type };
}
function makeEdit(node, text, lines, marker, field, value, inFlow) {
  const at = editable(node);
  if (at === void 0) return void 0;
  const old = scalarText(node, text);
  const { text: replacement, requoted } = encode(value, at.type, inFlow);
  if (old === value && !requoted) return void 0;
  const pos = lines.linePos(at.start);
  return {
    start: at.start,
    end: at.end,
    text: replacement,
    change: { line: pos.line, column: pos.col, marker, field, old, new: value, requoted }
  };
}
function applyEdits(text, edits) {
  let out = text;
  for (const edit of [...edits].sort((a, b) => b.start - a.start)) {
    out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  }
  const check = (0, import_yaml2.parseAllDocuments)(out, { uniqueKeys: false });
  let shift = 0;
  for (const edit of [...edits].sort((a, b) => a.start - b.start)) {
    const start = edit.start + shift;
    shift += edit.text.length - (edit.end - edit.start);
    let found;
    for (const doc of check) {
      (0, import_yaml2.visit)(doc, {
        Scalar(_key, node) {
          if (node.range?.[0] === start) found = node.value;
        }
      });
    }
    if (found !== edit.change.new) {
      throw new SetterError(
        "SETTER_VERIFY",
        `writing ${JSON.stringify(edit.change.new)} did not read back as that string; file left unchanged`,
        edit.change.line
      );
    }
  }
  return out;
}
function commentTokens(text) {
  const found = [];
  const walk = (value) => {
    if (Array.isArray(value)) {
      for (const v of value) walk(v);
    } else if (typeof value === "object" && value !== null) {
      const token = value;
      if (token.type === "comment" && typeof token.offset === "number" && typeof token.source === "string") {
        found.push({ offset: token.offset, source: token.source });
        return;
      }
      for (const v of Object.values(value)) walk(v);
    }
  };
  for (const token of new import_yaml2.Parser().parse(text)) walk(token);
  return found;
}
function markerValue(ref, policies) {
  const parts = ref.split(":");
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => p === "")) {
    return `malformed marker; expected "<namespace>:<name>" with an optional :tag, :name or :digest`;
  }
  const key2 = `${parts[0]}:${parts[1]}`;
  const policy = policies.get(key2);
  const suffix = parts[2];
  if (suffix !== void 0 && suffix !== "tag" && suffix !== "name" && suffix !== "digest") {
    return `unknown marker suffix ":${suffix}"; use :tag, :name or :digest`;
  }
  if (policy === void 0) return `no ImagePolicy ${key2} is known; left unchanged`;
  switch (suffix) {
    case void 0:
      return {
        field: "image",
        value: `${policy.image}:${policy.tag}${policy.digest === void 0 ? "" : `@${policy.digest}`}`
      };
    case "tag":
      return { field: "tag", value: policy.tag };
    case "name":
      return { field: "name", value: policy.image };
    default:
      return policy.digest === void 0 ? `ImagePolicy ${key2} has no digest (set spec.digestReflectionPolicy); left unchanged` : { field: "digest", value: policy.digest };
  }
}
function applySetters(text, policies) {
  if (!text.includes(MARKER_KEY)) return { text, changes: [], skipped: [] };
  const { docs, lines } = parseYaml(text);
  const edits = [];
  const skipped = [];
  const used = /* @__PURE__ */ new Set();
  for (const doc of docs) {
    (0, import_yaml2.visit)(doc, {
      Scalar(key2, node, path) {
        if (key2 === "key") return;
        const marker = markerAfter(node, lines);
        if (marker === void 0) return;
        const { ref, line } = marker;
        used.add(marker.offset);
        const target = markerValue(ref, policies);
        if (typeof target === "string") {
          skipped.push({ line, marker: ref, reason: target });
          return;
        }
        const parent = [...path].reverse().find((p) => (0, import_yaml2.isMap)(p) || (0, import_yaml2.isSeq)(p));
        const inFlow = ((0, import_yaml2.isMap)(parent) || (0, import_yaml2.isSeq)(parent)) && parent.flow === true;
        const edit = makeEdit(node, text, lines, ref, target.field, target.value, inFlow);
        if (edit !== void 0)
          edits.push({ ...edit, change: { ...edit.change, object: objectOf(doc) } });
      }
    });
  }
  for (const comment of commentTokens(text)) {
    if (used.has(comment.offset)) continue;
    const ref = parseMarker(comment.source);
    if (ref === void 0) continue;
    skipped.push({
      line: lines.linePos(comment.offset).line,
      marker: ref,
      reason: "the marker is not on the same line as a plain or quoted scalar value; left unchanged"
    });
  }
  skipped.sort((a, b) => a.line - b.line);
  const changes = edits.map((e) => e.change).sort((a, b) => a.line - b.line || a.column - b.column);
  return { text: edits.length === 0 ? text : applyEdits(text, edits), changes, skipped };
}
function withTag(image, tag) {
  const at = image.indexOf("@");
  const base = at < 0 ? image : image.slice(0, at);
  const colon = base.lastIndexOf(":");
  const repo = colon > base.lastIndexOf("/") ? base.slice(0, colon) : base;
  return `${repo}:${tag}`;
}
var POD_SPEC_PATHS = {
  Pod: [["spec"]],
  CronJob: [["spec", "jobTemplate", "spec", "template", "spec"]]
};
var DEFAULT_POD_SPEC_PATHS = [["spec", "template", "spec"]];
function findDocument(docs, target) {
  const matches2 = docs.filter((doc) => {
    if (!(0, import_yaml2.isMap)(doc.contents)) return false;
    const ns = doc.getIn(["metadata", "namespace"]);
    return doc.get("kind") === target.kind && doc.getIn(["metadata", "name"]) === target.name && (target.namespace === void 0 || ns === void 0 || ns === target.namespace);
  });
  const label = `${target.kind} ${target.namespace === void 0 ? "" : `${target.namespace}/`}${target.name}`;
  if (matches2.length === 0) throw new SetterError("WORKLOAD_NOT_FOUND", `no ${label} in this file`);
  if (matches2.length > 1)
    throw new SetterError("WORKLOAD_AMBIGUOUS", `${matches2.length} documents are ${label}`);
  return matches2[0];
}
function scalarAt(node, path) {
  let current = node;
  for (const key2 of path) {
    if (!(0, import_yaml2.isMap)(current)) return void 0;
    current = current.get(key2, true);
  }
  return (0, import_yaml2.isScalar)(current) ? current : void 0;
}
function mapAt(node, path) {
  let current = node;
  for (const key2 of path) {
    if (!(0, import_yaml2.isMap)(current)) return void 0;
    current = current.get(key2, true);
  }
  return (0, import_yaml2.isMap)(current) ? current : void 0;
}
var str2 = (s) => typeof s?.value === "string" ? s.value : void 0;
function containerTarget(doc, kind, container) {
  const seen = [];
  for (const path of POD_SPEC_PATHS[kind] ?? DEFAULT_POD_SPEC_PATHS) {
    const podSpec = mapAt(doc.contents, path);
    for (const list of ["containers", "initContainers"]) {
      const items = podSpec?.get(list, true);
      if (!(0, import_yaml2.isSeq)(items)) continue;
      for (const item of items.items) {
        const name = str2(scalarAt(item, ["name"]));
        if (name === void 0) continue;
        seen.push(name);
        if (name !== container) continue;
        const image = scalarAt(item, ["image"]);
        if (image === void 0) return `container ${container} has no image`;
        return { node: image, holds: "image" };
      }
    }
  }
  return `no container or initContainer named ${container} (found: ${seen.join(", ") || "none"})`;
}
function helmReleaseTarget(doc, container) {
  const values = mapAt(doc.contents, ["spec", "values"]);
  if (values === void 0) return "the HelmRelease has no spec.values";
  const annotations = mapAt(doc.contents, ["metadata", "annotations"]);
  const mapped = (prefix) => {
    const path = str2(annotations?.get(`${prefix}${container}`, true));
    return path === void 0 ? void 0 : path.split(".");
  };
  const tagPath = mapped("tag.fluxcd.io/");
  const repoPath = mapped("repository.fluxcd.io/");
  if (tagPath !== void 0 || repoPath !== void 0) {
    const tag = tagPath === void 0 ? void 0 : scalarAt(values, tagPath);
    if (tag !== void 0) return { node: tag, holds: "tag" };
    const repo = repoPath === void 0 ? void 0 : scalarAt(values, repoPath);
    if (repo !== void 0) return { node: repo, holds: "image" };
    return `the values paths annotated for ${container} do not exist`;
  }
  const holder = container === "chart-image" ? values : mapAt(values, [container]);
  if (holder === void 0) return `no values.${container} in the HelmRelease`;
  const image = holder.get("image", true);
  const where = container === "chart-image" ? "values" : `values.${container}`;
  if ((0, import_yaml2.isScalar)(image)) {
    const tag = scalarAt(holder, ["tag"]);
    return tag !== void 0 ? { node: tag, holds: "tag" } : { node: image, holds: "image" };
  }
  if ((0, import_yaml2.isMap)(image)) {
    const tag = scalarAt(image, ["tag"]);
    if (tag !== void 0) return { node: tag, holds: "tag" };
    const repo = scalarAt(image, ["repository"]);
    if (repo !== void 0) return { node: repo, holds: "image" };
  }
  return `no image at ${where}.image`;
}
function setWorkloadImageTag(text, target, container, tag) {
  const { docs, lines } = parseYaml(text);
  const doc = findDocument(docs, target);
  const found = target.kind === "HelmRelease" ? helmReleaseTarget(doc, container) : containerTarget(doc, target.kind, container);
  if (typeof found === "string")
    throw new SetterError("CONTAINER_NOT_FOUND", `${target.kind} ${target.name}: ${found}`);
  const { node, holds } = found;
  const old = scalarText(node, text);
  const value = holds === "tag" ? tag : withTag(old, tag);
  const marker = `tag.${container}`;
  const at = editable(node);
  if (at === void 0) {
    const line = node.range ? lines.linePos(node.range[0]).line : void 0;
    throw new SetterError(
      "UNSUPPORTED_SCALAR",
      `the image of ${container} is a block scalar or alias`,
      line
    );
  }
  const edit = makeEdit(node, text, lines, marker, holds === "tag" ? "tag" : "image", value, false);
  if (edit === void 0) return { text, changes: [], skipped: [] };
  return { text: applyEdits(text, [edit]), changes: [edit.change], skipped: [] };
}
function markedDigests(text) {
  if (!text.includes(MARKER_KEY)) return [];
  let parsed;
  try {
    parsed = parseYaml(text);
  } catch {
    return [];
  }
  const found = [];
  for (const doc of parsed.docs) {
    (0, import_yaml2.visit)(doc, {
      Map(_key, map) {
        const parts = /* @__PURE__ */ new Map();
        for (const pair of map.items) {
          const ref = markerAfter(pair.value, parsed.lines)?.ref;
          const value = (0, import_yaml2.isScalar)(pair.value) ? String(pair.value.value) : void 0;
          if (ref === void 0 || value === void 0) continue;
          const [ns, name, part] = ref.split(":");
          const policy = `${ns}:${name}`;
          if (part === void 0) {
            const at = value.indexOf("@");
            const colon = value.lastIndexOf(":", at < 0 ? void 0 : at);
            if (at > 0 && colon > value.lastIndexOf("/", at))
              found.push({ policy, tag: value.slice(colon + 1, at), digest: value.slice(at + 1) });
          } else if (part === "tag" || part === "digest") {
            const entry = parts.get(policy) ?? {};
            entry[part] = value;
            parts.set(policy, entry);
          }
        }
        for (const [policy, { tag, digest }] of parts)
          if (tag !== void 0 && digest !== void 0 && digest !== "")
            found.push({ policy, tag, digest });
      }
    });
  }
  return found;
}

export {
  listManifestFiles,
  v1Candidates,
  selectTagV1,
  selectTag,
  parseImagePolicy,
  key,
  readImageConfig,
  splitImage,
  MARKER_KEY,
  parseMarker,
  markerAfter,
  parseYaml,
  scalarText,
  editable,
  commentTokens,
  applySetters,
  mapAt,
  setWorkloadImageTag,
  markedDigests
};
