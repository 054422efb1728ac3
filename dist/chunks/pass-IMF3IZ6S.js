#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  gitHead,
  resolveChart,
  sameRepositoryUrl
} from "./chunk-NOP66P3V.js";
import {
  HELM_FIELD_MANAGER,
  applyChartCrds,
  getManifest,
  listReleases,
  releaseStatus,
  runHelm
} from "./chunk-GJG7ON5F.js";
import {
  dependencyVerdict
} from "./chunk-SX5OFGO5.js";
import {
  describeSecretYamlError,
  impersonationFor,
  parseSecretYaml,
  refusedReferences
} from "./chunk-3HMT455R.js";
import {
  mapLimit
} from "./chunk-F7OZ6T2Y.js";
import "./chunk-RFGLCAPQ.js";
import "./chunk-ZRNRZWX5.js";
import {
  resolveFluxRef,
  resolveSource,
  selectsAgentRef
} from "./chunk-O62GKC6U.js";
import {
  credentialsFromSecret
} from "./chunk-GE6VTMTN.js";
import "./chunk-ASGSV6PC.js";
import "./chunk-E74EIW4E.js";
import {
  checkoutCurrent,
  removeCheckouts,
  sameRepository,
  withoutUrlCredentials
} from "./chunk-XB2UJ6TZ.js";
import {
  originLabels,
  postRenderBuild,
  postRenderFolders,
  postRendererFlags,
  readPostRenderSpec,
  writePostRenderFolders
} from "./chunk-3QINMYF6.js";
import {
  HELM_RELEASE_V1,
  buildFolderOnce,
  chartReferenceOf,
  isHelmRelease,
  isMap,
  mergeValues
} from "./chunk-G2PVCOPF.js";
import "./chunk-KVDOGNFO.js";
import {
  ConfigError,
  parseDuration
} from "./chunk-OENG63DF.js";
import "./chunk-YPJ6XMAN.js";
import "./chunk-XVXAFQO7.js";
import "./chunk-D4VEYYO7.js";
import {
  REQUESTED_AT_ANNOTATION,
  fluxRevision
} from "./chunk-WOA5VQJZ.js";
import "./chunk-75EKFM34.js";
import "./chunk-C4RKCN44.js";
import {
  compileGoRegexp
} from "./chunk-BWGGLMG3.js";
import "./chunk-DYND6O65.js";
import "./chunk-6SSSO5LC.js";
import "./chunk-ZIEZ6URX.js";
import {
  describeRef,
  groupOf,
  refOf
} from "./chunk-Z62KHOJY.js";
import "./chunk-OTIGXPIO.js";
import "./chunk-XRGQOWGB.js";
import {
  require_dist
} from "./chunk-HPGUIRHG.js";
import "./chunk-PFUBHAN2.js";
import {
  ChartError
} from "./chunk-SGKLXC2P.js";
import {
  __toESM
} from "./chunk-3IQPLNQJ.js";

// agent/helm/pass.ts
const { join: join2 } = require("node:path");

// agent/helm/actions.ts
const { createHash } = require("node:crypto");
const { mkdir, rm, writeFile } = require("node:fs/promises");
const { join } = require("node:path");
var seconds = (ms) => `${Math.max(1, Math.ceil(ms / 1e3))}s`;
async function withValuesFile(options, values, use) {
  const dir = join(options.stateDir, "values");
  await mkdir(dir, { recursive: true, mode: 448 });
  const file = join(
    dir,
    `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.json`
  );
  await writeFile(file, JSON.stringify(values), { mode: 384 });
  try {
    return await use(file);
  } finally {
    await rm(file, { force: true });
  }
}
var claiming = Promise.resolve();
async function postRenderCommand(options, spec, kustomize = "kustomize") {
  const folders = postRenderFolders(spec);
  const hash = createHash("sha256");
  for (const folder of folders)
    for (const [name, text] of Object.entries(folder.files))
      hash.update(`${folder.name}/${name}\0${text}\0`);
  const dir = join(options.stateDir, "post-renderers", hash.digest("hex").slice(0, 16));
  const claim = claiming.then(
    () => buildFolderOnce(dir, (fresh) => writePostRenderFolders(fresh, folders))
  );
  claiming = claim.catch(() => void 0);
  await claim;
  return postRenderBuild(dir, folders, kustomize);
}
function waitArgs(options) {
  return [
    "--timeout",
    seconds(options.timeoutMs),
    ...options.disableWait ? [] : ["--wait"],
    // Helm waits for Jobs only while it waits at all (`--wait-for-jobs` needs `--wait`).
    ...options.disableWait || options.disableWaitForJobs ? [] : ["--wait-for-jobs"]
  ];
}
function releaseArgs(verb, input, options) {
  const { spec } = input;
  return {
    head: [
      verb,
      spec.releaseName,
      input.chartPath,
      "--namespace",
      spec.releaseNamespace,
      "--values",
      input.valuesFile,
      ...waitArgs(options)
    ],
    tail: [
      "--description",
      input.description,
      ...options.disableHooks ? ["--no-hooks"] : [],
      // Flux adopts objects that exist already without Helm's labels (made by hand, or
      // by another tool) instead of failing with "cannot be imported".
      ...options.disableTakeOwnership ? [] : ["--take-ownership"],
      ...postRendererFlags(input.postRenderer)
    ]
  };
}
function installArgs(input) {
  const { install } = input.spec;
  const { head, tail } = releaseArgs("install", input, install);
  return [
    ...head,
    ...tail,
    ...install.createNamespace ? ["--create-namespace"] : [],
    ...install.replace ? ["--replace"] : [],
    // Helm creates missing CRDs itself (Create); with CreateReplace Tether has applied
    // them before the install, existing ones updated, which Helm would leave alone.
    ...install.crds === "Skip" || install.crds === "CreateReplace" ? ["--skip-crds"] : []
  ];
}
function upgradeArgs(input) {
  const { spec } = input;
  const { head, tail } = releaseArgs("upgrade", input, spec.upgrade);
  return [
    ...head,
    // The values are the HelmRelease's, never the ones stored with the last revision,
    // unless preserveValues asks to keep those and merge the HelmRelease's over them.
    spec.upgrade.preserveValues ? "--reuse-values" : "--reset-values",
    "--history-max",
    String(spec.maxHistory),
    ...tail,
    ...spec.upgrade.force ? ["--force"] : [],
    ...spec.upgrade.cleanupOnFail ? ["--cleanup-on-fail"] : []
  ];
}
function rollbackArgs(spec, revision) {
  const { rollback: rollback2 } = spec;
  return [
    "rollback",
    spec.releaseName,
    ...revision ? [String(revision)] : [],
    "--namespace",
    spec.releaseNamespace,
    ...waitArgs(rollback2),
    "--history-max",
    String(spec.maxHistory),
    ...rollback2.disableHooks ? ["--no-hooks"] : [],
    ...rollback2.recreate ? ["--recreate-pods"] : [],
    ...rollback2.force ? ["--force"] : [],
    ...rollback2.cleanupOnFail ? ["--cleanup-on-fail"] : []
  ];
}
function rollback(options, spec, revision) {
  return runHelm(options, rollbackArgs(spec, revision), {
    timeoutMs: spec.rollback.timeoutMs + 6e4
  });
}
async function uninstall(options, release, spec, timeoutMs = 3e5) {
  try {
    await runHelm(options, [
      "uninstall",
      release.name,
      "--namespace",
      release.namespace,
      "--timeout",
      seconds(timeoutMs),
      "--cascade",
      spec?.deletionPropagation ?? "background",
      ...spec?.keepHistory ? ["--keep-history"] : [],
      ...spec?.disableHooks ? ["--no-hooks"] : [],
      ...spec?.disableWait === false ? ["--wait"] : []
    ]);
    return "uninstalled";
  } catch (error) {
    if (/not found/i.test(error.message)) return "absent";
    throw error;
  }
}

// agent/helm/release.ts
const { createHash: createHash5 } = require("node:crypto");

// agent/helm/decide.ts
var FORCE_AT_ANNOTATION = "reconcile.fluxcd.io/forceAt";
var RESET_AT_ANNOTATION = "reconcile.fluxcd.io/resetAt";
function requestsOf(annotations, prev) {
  const requestedAt = annotations?.[REQUESTED_AT_ANNOTATION];
  const asks = (token, lastHandled) => token !== void 0 && token === requestedAt && prev.lastHandledReconcileAt !== requestedAt && lastHandled !== token;
  const forceAt = annotations?.[FORCE_AT_ANNOTATION];
  const resetAt = annotations?.[RESET_AT_ANNOTATION];
  return {
    force: asks(forceAt, prev.lastHandledForceAt),
    reset: asks(resetAt, prev.lastHandledResetAt),
    handled: {
      ...forceAt !== void 0 ? { lastHandledForceAt: forceAt } : {},
      ...resetAt !== void 0 ? { lastHandledResetAt: resetAt } : {}
    }
  };
}
function helmTime(text) {
  const m = /^(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d:\d\d)(\.\d+)?\s*(Z|[+-]\d\d:?\d\d)?/.exec(text ?? "");
  if (!m) return void 0;
  const offset = (m[4] ?? "Z").replace(/^([+-]\d\d)(\d\d)$/, "$1:$2");
  const time = Date.parse(`${m[1]}T${m[2]}${(m[3] ?? "").slice(0, 4)}${offset}`);
  return Number.isNaN(time) ? void 0 : time;
}
function findRelease(releases, name, namespace) {
  return releases.find((r) => r.name === name && r.namespace === namespace);
}
function namesChart(digest, desired) {
  return digest !== void 0 && (digest === desired.chartDigest || digest === desired.earlierChartDigest);
}
function sameAttempt(spec, desired, prev) {
  return prev.lastAttemptedGeneration === spec.generation && prev.lastAttemptedConfigDigest === desired.configDigest && namesChart(prev.lastAttemptedRevisionDigest, desired);
}
function chartIdentityUpdate(desired, prev) {
  const earlier = desired.earlierChartDigest;
  if (earlier === void 0 || earlier === desired.chartDigest) return void 0;
  const history = prev.history ?? [];
  const renamed = history.some((h) => h.ociDigest === earlier);
  const attempted = prev.lastAttemptedRevisionDigest === earlier;
  if (!renamed && !attempted) return void 0;
  return {
    ...renamed ? {
      history: history.map(
        (h) => h.ociDigest === earlier ? { ...h, ociDigest: desired.chartDigest } : h
      )
    } : {},
    ...attempted ? { lastAttemptedRevisionDigest: desired.chartDigest } : {}
  };
}
function failuresFor(spec, desired, prev, reset = false) {
  const same = sameAttempt(spec, desired, prev) && !reset;
  return {
    install: same ? prev.installFailures ?? 0 : 0,
    upgrade: same ? prev.upgradeFailures ?? 0 : 0
  };
}
function retryingInstall(current, prev) {
  return current?.status === "failed" && !(prev.history ?? []).some((h) => h.status === "deployed");
}
function stalledMessage(spec, verb, count) {
  const retries = verb === "install" ? spec.install.retries : spec.upgrade.retries;
  return `${verb} retries exhausted (${count} failure(s), retries ${retries}): change the HelmRelease, or run \`flux reconcile helmrelease ${spec.name} -n ${spec.namespace} --reset\` (or --force for one attempt), to try again`;
}
function stallAfterFailure(spec, verb, count) {
  const policy = verb === "install" ? spec.install : spec.upgrade;
  if (policy.retryOnFailure || count <= policy.retries) return void 0;
  const uninstalled = verb === "upgrade" && spec.upgrade.strategy === "uninstall" && policy.remediateLastFailure;
  return uninstalled ? void 0 : stalledMessage(spec, verb, count);
}
var FORCED = `forced through ${FORCE_AT_ANNOTATION}`;
function decide(spec, desired, current, prev, now = Date.now(), requests = {}) {
  const last = prev.history?.[0];
  if (last?.name && last.namespace && (last.name !== spec.releaseName || last.namespace !== spec.releaseNamespace) && last.status !== "uninstalled") {
    return { action: "replace", old: { name: last.name, namespace: last.namespace } };
  }
  const failures = failuresFor(spec, desired, prev, requests.reset);
  const force = requests.force === true;
  if (!current || current.status === "uninstalled") {
    if (failures.install > spec.install.retries && !spec.install.retryOnFailure) {
      if (force) return { action: "install", reason: FORCED, forced: true };
      return { action: "stalled", message: stalledMessage(spec, "install", failures.install) };
    }
    return {
      action: "install",
      reason: last ? "the release is missing from Helm's storage" : "no release yet"
    };
  }
  if (current.status === "pending-install")
    return { action: "recover", from: current.status, next: "install" };
  if (current.status === "pending-upgrade" || current.status === "pending-rollback")
    return { action: "recover", from: current.status, next: "upgrade" };
  const installing = retryingInstall(current, prev);
  const verb = installing ? "install" : "upgrade";
  const policy = installing ? spec.install : spec.upgrade;
  const count = installing ? failures.install : failures.upgrade;
  if (count > policy.retries && !policy.retryOnFailure) {
    if (force) return { action: "upgrade", reason: FORCED, forced: true };
    return { action: "stalled", message: stalledMessage(spec, verb, count) };
  }
  const failedAt = current.status === "failed" && count > 0 ? helmTime(current.updated) : void 0;
  if (policy.retryOnFailure && failedAt !== void 0 && now < failedAt + policy.retryIntervalMs) {
    if (force) return { action: "upgrade", reason: FORCED, forced: true };
    const next = new Date(failedAt + policy.retryIntervalMs).toISOString();
    return {
      action: "wait",
      message: `RetryOnFailure: the failed ${verb} is tried again after ${next} (retryInterval ${Math.round(policy.retryIntervalMs / 1e3)}s)`
    };
  }
  if (current.status !== "deployed")
    return { action: "upgrade", reason: `the release is ${current.status}` };
  const ours = last && String(last.version) === String(current.revision);
  if (!ours)
    return {
      action: "upgrade",
      reason: "the release in Helm's storage was not made by this HelmRelease's last sync"
    };
  if (!namesChart(last.ociDigest, desired))
    return { action: "upgrade", reason: "the chart changed" };
  if (last.configDigest !== desired.configDigest)
    return { action: "upgrade", reason: "the values changed" };
  if ((prev.observedPostRenderersDigest ?? "") !== desired.postRenderersDigest)
    return { action: "upgrade", reason: "the post-renderers changed" };
  if ((prev.observedCommonMetadataDigest ?? "") !== (desired.commonMetadataDigest ?? ""))
    return { action: "upgrade", reason: "the common metadata changed" };
  if (force) return { action: "upgrade", reason: FORCED, forced: true };
  return { action: "none" };
}

// agent/helm/drift.ts
var import_yaml = __toESM(require_dist(), 1);
const { isDeepStrictEqual } = require("node:util");
function diffPaths(desired, live, path = "") {
  if (typeof desired !== "object" || desired === null) {
    return isDeepStrictEqual(desired, live) || String(desired) === String(live) ? [] : [path || "/"];
  }
  if (Array.isArray(desired)) {
    if (!Array.isArray(live) || live.length !== desired.length) return [path || "/"];
    return desired.flatMap((d, i) => diffPaths(d, live[i], `${path}/${i}`));
  }
  if (typeof live !== "object" || live === null || Array.isArray(live)) return [path || "/"];
  return Object.entries(desired).flatMap(
    ([k, v]) => v === null || v === void 0 ? [] : diffPaths(
      v,
      live[k],
      `${path}/${k.replaceAll("~", "~0").replaceAll("/", "~1")}`
    )
  );
}
function driftPaths(live, dryRun, ignore = []) {
  const was = withoutPaths(comparable(live), ignore);
  const would = withoutPaths(comparable(dryRun), ignore);
  const body = (o) => ({ ...o, metadata: void 0 });
  const paths = [
    ...diffPaths({ metadata: would.metadata }, was),
    ...diffPaths(body(would), was),
    ...diffPaths(body(was), would)
  ];
  return [...new Set(paths)];
}
function comparable(object) {
  const { metadata, status: _status, ...rest } = object;
  return {
    ...rest,
    metadata: { labels: metadata.labels ?? {}, annotations: metadata.annotations ?? {} }
  };
}
function withoutPaths(object, pointers) {
  const copy = structuredClone(object);
  for (const pointer of pointers) {
    const keys = pointer.split("/").slice(1).map((k) => k.replaceAll("~1", "/").replaceAll("~0", "~"));
    const last = keys.pop();
    let parent = copy;
    for (const k of keys) parent = parent?.[k];
    if (last === void 0 || typeof parent !== "object" || parent === null) continue;
    if (Array.isArray(parent)) {
      if (/^\d+$/.test(last) && Number(last) < parent.length) parent.splice(Number(last), 1);
    } else delete parent[last];
  }
  return copy;
}
var KEY = "[A-Za-z0-9](?:[-A-Za-z0-9_./]*[A-Za-z0-9])?";
var WORD = "[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?";
var VALUE = `(?:${WORD})?`;
var FORMS = [
  [new RegExp(`^!\\s*(${KEY})$`), ([, key]) => ({ key, op: "absent", values: [] })],
  [new RegExp(`^(${KEY})$`), ([, key]) => ({ key, op: "exists", values: [] })],
  [
    new RegExp(`^(${KEY})\\s*(==|=|!=)\\s*(${VALUE})$`),
    ([, key, op, value]) => ({
      key,
      op: op === "!=" ? "notin" : "in",
      values: [value]
    })
  ],
  [
    new RegExp(`^(${KEY})\\s+(in|notin)\\s*\\(\\s*(${WORD}(?:\\s*,\\s*${WORD})*)\\s*\\)$`),
    ([, key, op, list]) => ({
      key,
      op,
      values: list.split(",").map((v) => v.trim())
    })
  ],
  [
    new RegExp(`^(${KEY})\\s*([<>])\\s*(\\d+)$`),
    ([, key, op, n]) => ({
      key,
      op: op === ">" ? "gt" : "lt",
      values: [n]
    })
  ]
];
function parseSelector(expression) {
  const parts = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i <= expression.length; i++) {
    const c = expression[i];
    if (c === "(") depth++;
    else if (c === ")") depth--;
    else if (c === "," && depth === 0 || c === void 0) {
      parts.push(expression.slice(start, i).trim());
      start = i + 1;
    }
  }
  return parts.map((part) => {
    for (const [form, make] of FORMS) {
      const m = form.exec(part);
      if (m) return make(m);
    }
    throw new Error(`invalid selector requirement "${part}" in "${expression}"`);
  });
}
function meets(requirements, map = {}) {
  return requirements.every(({ key, op, values }) => {
    const has = Object.hasOwn(map, key);
    const value = map[key] ?? "";
    switch (op) {
      case "exists":
        return has;
      case "absent":
        return !has;
      case "in":
        return has && values.includes(value);
      case "notin":
        return !has || !values.includes(value);
      default:
        return has && /^-?\d+$/.test(value) && (op === "gt" ? Number(value) > Number(values[0]) : Number(value) < Number(values[0]));
    }
  });
}
var PATTERN_FIELDS = ["group", "version", "kind", "name", "namespace"];
function compileTarget(target) {
  const tests = [];
  const at = (field, compile) => {
    try {
      tests.push(compile());
    } catch (error) {
      throw new Error(`${field}: ${error.message}`);
    }
  };
  for (const field of PATTERN_FIELDS) {
    const pattern = target[field];
    if (!pattern) continue;
    at(field, () => {
      const regex = compileGoRegexp(`^(?:${pattern})$`);
      return (object) => regex.test(fieldOf(object, field));
    });
  }
  if (target.labelSelector) {
    const selector = target.labelSelector;
    at("labelSelector", () => {
      const requirements = parseSelector(selector);
      return (object) => meets(requirements, object.metadata.labels);
    });
  }
  if (target.annotationSelector) {
    const selector = target.annotationSelector;
    at("annotationSelector", () => {
      const requirements = parseSelector(selector);
      return (object) => meets(requirements, object.metadata.annotations);
    });
  }
  return (object) => tests.every((test) => test(object));
}
function fieldOf(object, field) {
  if (field === "group") return groupOf(object.apiVersion);
  if (field === "version") return object.apiVersion.split("/").pop() ?? "";
  if (field === "kind") return object.kind;
  return object.metadata[field] ?? "";
}
function ignoreRuleErrors(rules) {
  return rules.flatMap((rule, i) => {
    try {
      if (rule.target) compileTarget(rule.target);
      return [];
    } catch (error) {
      return [`ignore[${i}].target.${error.message}`];
    }
  });
}
var DRIFT_DETECTION_KEY = "helm.toolkit.fluxcd.io/driftDetection";
function optedOut(object) {
  const { labels, annotations } = object?.metadata ?? {};
  return [labels?.[DRIFT_DETECTION_KEY], annotations?.[DRIFT_DETECTION_KEY]].some(
    (v) => typeof v === "string" && v.toLowerCase() === "disabled"
  );
}
function ignoredPaths(rules, object) {
  return rules.filter((rule) => !rule.target || compileTarget(rule.target)(object)).flatMap((rule) => rule.paths);
}
function owned(object, spec) {
  return {
    ...object,
    metadata: {
      ...object.metadata,
      annotations: {
        ...object.metadata.annotations,
        "meta.helm.sh/release-name": spec.releaseName,
        "meta.helm.sh/release-namespace": spec.releaseNamespace
      },
      labels: { ...object.metadata.labels, "app.kubernetes.io/managed-by": "Helm" }
    }
  };
}
async function detectDrift(client, helm, spec, revision) {
  const result = { drifted: [], errors: [], unknown: [] };
  const invalid = ignoreRuleErrors(spec.drift.ignore);
  if (invalid.length > 0) return { ...result, unknown: invalid.map((e) => `driftDetection.${e}`) };
  const text = await getManifest(helm, spec.releaseName, spec.releaseNamespace);
  const apply = { fieldManager: HELM_FIELD_MANAGER, force: true };
  for (const doc of (0, import_yaml.parseAllDocuments)(text)) {
    const manifest = doc.toJS();
    if (!manifest?.kind || !manifest.metadata?.name) continue;
    const resource = await client.resourceFor(manifest.apiVersion, manifest.kind);
    if (resource?.namespaced && !manifest.metadata.namespace)
      manifest.metadata.namespace = spec.releaseNamespace;
    const object = owned(manifest, spec);
    const ignore = ignoredPaths(spec.drift.ignore, object);
    if (optedOut(object) || ignore.includes("")) continue;
    const ref = describeRef(refOf(object));
    let paths = ["(deleted)"];
    try {
      const live = await client.get(refOf(object));
      if (optedOut(live)) continue;
      if (live)
        paths = driftPaths(live, await client.apply(object, { ...apply, dryRun: true }), ignore);
    } catch (error) {
      result.unknown.push(`${ref}: ${error.message}`);
      continue;
    }
    if (paths.length === 0) continue;
    result.drifted.push(`${ref} ${paths[0]}`);
    if (spec.drift.mode !== "enabled") continue;
    try {
      await client.apply(object, apply);
    } catch (error) {
      result.errors.push(`${ref}: ${error.message}`);
    }
  }
  void revision;
  return result;
}

// agent/helm/postrender.ts
const { createHash: createHash2 } = require("node:crypto");
var sha256 = (text) => `sha256:${createHash2("sha256").update(text).digest("hex")}`;
function postRenderersDigest(spec) {
  return sha256(
    JSON.stringify({ postRenderers: spec.postRenderers, originLabels: originLabels(spec) })
  );
}
var goString = (text) => JSON.stringify(text).replace(
  /[<>&\u2028\u2029]/g,
  (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`
);
var goMap = (map) => `{${Object.keys(map).sort().map((key) => `${goString(key)}:${goString(map[key])}`).join(",")}}`;
function commonMetadataDigest(common) {
  if (!common) return "";
  const fields = [
    ...Object.keys(common.annotations).length > 0 ? [`"annotations":${goMap(common.annotations)}`] : [],
    ...Object.keys(common.labels).length > 0 ? [`"labels":${goMap(common.labels)}`] : []
  ];
  return sha256(`{${fields.join(",")}}
`);
}

// agent/helm/spec.ts
const { createHash: createHash3 } = require("node:crypto");
var DRIFT_TARGET_FIELDS = [
  "group",
  "version",
  "kind",
  "name",
  "namespace",
  "labelSelector",
  "annotationSelector"
];
var isObj = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
var asObj = (v) => isObj(v) ? v : {};
var asArr = (v) => Array.isArray(v) ? v : [];
var str = (v) => typeof v === "string" && v !== "" ? v : void 0;
var num = (v, d) => typeof v === "number" && Number.isFinite(v) ? v : d;
function defaultReleaseName(name, targetNamespace) {
  const full = targetNamespace ? `${targetNamespace}-${name}` : name;
  if (full.length <= 53) return full;
  return `${full.slice(0, 40)}-${createHash3("sha256").update(full).digest("hex").slice(0, 12)}`;
}
function crdPolicy(v, fallback, where) {
  if (v === void 0) return fallback;
  if (v === "Skip" || v === "Create" || v === "CreateReplace") return v;
  throw new ConfigError(`${where}: crds must be Skip, Create or CreateReplace, not ${String(v)}`);
}
function remediation(raw, action) {
  const r = asObj(raw);
  const retries = num(r.retries, 0);
  return {
    // A negative count retries forever, as in Flux.
    retries: retries < 0 ? Number.POSITIVE_INFINITY : retries,
    // Flux keeps a last failed install for debugging unless told otherwise; an upgrade's
    // last failure is remediated by default when retries were asked for.
    remediateLastFailure: typeof r.remediateLastFailure === "boolean" ? r.remediateLastFailure : action === "upgrade" && retries > 0,
    strategy: r.strategy === "uninstall" ? "uninstall" : "rollback"
  };
}
function actionTimeout(raw, fallbackMs, where) {
  const text = str(raw.timeout);
  return text ? parseDuration(text, where) : fallbackMs;
}
function strategy(raw, where) {
  const s = asObj(raw);
  const name = s.name ?? "RemediateOnFailure";
  if (name !== "RemediateOnFailure" && name !== "RetryOnFailure")
    throw new ConfigError(
      `${where}.strategy.name must be RemediateOnFailure or RetryOnFailure, not ${String(name)}`
    );
  const interval = str(s.retryInterval);
  if (interval && name !== "RetryOnFailure")
    throw new ConfigError(`${where}.strategy.retryInterval can only be used with RetryOnFailure`);
  return {
    retryOnFailure: name === "RetryOnFailure",
    retryIntervalMs: interval ? parseDuration(interval, `${where}.strategy.retryInterval`) : 3e5
  };
}
function remoteClusterOf(object) {
  const ref = object.spec?.kubeConfig;
  if (ref === void 0 || ref === null) return void 0;
  const namespace = object.metadata.namespace ?? "default";
  const named = (field, kind) => {
    const name = ref[field]?.name;
    return typeof name === "string" ? `${kind} '${namespace}/${name}'` : void 0;
  };
  return named("secretRef", "kubeconfig Secret") ?? named("configMapRef", "ConfigMap") ?? "spec.kubeConfig";
}
function remoteClusterRefusal(where, done) {
  return `spec.kubeConfig (a remote cluster) is not served by Tether: ${done} on this cluster (${where}); run Flux's helm-controller for it, or remove spec.kubeConfig to release on this cluster`;
}
function readReleaseSpec(object) {
  const namespace = object.metadata.namespace ?? "default";
  const name = object.metadata.name;
  const where = `HelmRelease ${namespace}/${name}`;
  const spec = asObj(object.spec);
  const v1 = object.apiVersion.startsWith(`${HELM_RELEASE_V1}/`);
  const targetNamespace = str(spec.targetNamespace);
  const storageNamespace = str(spec.storageNamespace);
  const releaseNamespace = targetNamespace ?? namespace;
  if (storageNamespace && storageNamespace !== releaseNamespace) {
    throw new ConfigError(
      `${where}: storageNamespace ${storageNamespace} differs from the target namespace ${releaseNamespace}; Tether releases through the helm CLI, which stores a release where it deploys it`
    );
  }
  const install = asObj(spec.install);
  const upgrade = asObj(spec.upgrade);
  const uninstall2 = asObj(spec.uninstall);
  const rollback2 = asObj(spec.rollback);
  const installStrategy = strategy(install.strategy, `${where}: install`);
  const upgradeStrategy = strategy(upgrade.strategy, `${where}: upgrade`);
  const installRem = remediation(install.remediation, "install");
  const upgradeRem = remediation(upgrade.remediation, "upgrade");
  const timeoutText = str(spec.timeout);
  const timeoutMs = v1 ? num(spec.timeout, 300) * 1e3 : timeoutText ? parseDuration(timeoutText, `${where}: spec.timeout`) : 3e5;
  const ownTimeout = (raw, field) => v1 ? timeoutMs : actionTimeout(raw, timeoutMs, `${where}: spec.${field}.timeout`);
  const valuesFrom = [];
  for (const [i, raw] of asArr(spec.valuesFrom).entries()) {
    const r = asObj(raw);
    if (v1) {
      const cm = asObj(r.configMapKeyRef);
      const sec = asObj(r.secretKeyRef);
      const ref = str(cm.name) ? cm : sec;
      if (!str(ref.name)) continue;
      valuesFrom.push({
        kind: str(cm.name) ? "ConfigMap" : "Secret",
        name: ref.name,
        valuesKey: str(ref.key) ?? "values.yaml",
        optional: ref.optional === true
      });
      continue;
    }
    const kind = r.kind;
    if (kind !== "ConfigMap" && kind !== "Secret")
      throw new ConfigError(`${where}: valuesFrom[${i}].kind must be ConfigMap or Secret`);
    if (!str(r.name)) throw new ConfigError(`${where}: valuesFrom[${i}].name is required`);
    valuesFrom.push({
      kind,
      name: r.name,
      valuesKey: str(r.valuesKey) ?? "values.yaml",
      targetPath: str(r.targetPath),
      optional: r.optional === true
    });
  }
  const { postRenderers, commonMetadata } = readPostRenderSpec(
    object,
    (message) => new ConfigError(message)
  );
  const drift = asObj(spec.driftDetection);
  const mode = drift.mode === "enabled" || drift.mode === "warn" ? drift.mode : "disabled";
  return {
    ref: { apiVersion: object.apiVersion, kind: "HelmRelease", namespace, name },
    namespace,
    name,
    generation: num(object.metadata.generation, 0),
    releaseName: str(spec.releaseName) ?? (v1 ? `${namespace}-${name}` : defaultReleaseName(name, targetNamespace)),
    releaseNamespace,
    chart: chartReferenceOf(object),
    values: asObj(spec.values),
    valuesFrom,
    install: {
      createNamespace: install.createNamespace === true,
      crds: crdPolicy(
        install.crds,
        v1 && spec.skipCRDs === true ? "Skip" : "Create",
        `${where}: install`
      ),
      retries: installRem.retries,
      remediateLastFailure: installRem.remediateLastFailure,
      ...installStrategy,
      replace: install.replace === true,
      disableWait: install.disableWait === true || v1 && spec.wait !== true,
      disableWaitForJobs: install.disableWaitForJobs === true || v1,
      disableHooks: install.disableHooks === true,
      disableTakeOwnership: install.disableTakeOwnership === true,
      timeoutMs: ownTimeout(install, "install")
    },
    upgrade: {
      crds: crdPolicy(upgrade.crds, "Skip", `${where}: upgrade`),
      retries: v1 && rollback2.enable === true ? 0 : upgradeRem.retries,
      remediateLastFailure: v1 ? rollback2.enable === true : upgradeRem.remediateLastFailure,
      strategy: upgradeRem.strategy,
      ...upgradeStrategy,
      force: upgrade.force === true,
      cleanupOnFail: upgrade.cleanupOnFail === true,
      disableWait: upgrade.disableWait === true || v1 && spec.wait !== true,
      disableWaitForJobs: upgrade.disableWaitForJobs === true || v1,
      disableHooks: upgrade.disableHooks === true,
      disableTakeOwnership: upgrade.disableTakeOwnership === true,
      preserveValues: upgrade.preserveValues === true,
      timeoutMs: ownTimeout(upgrade, "upgrade")
    },
    rollback: v1 ? {
      disableWait: spec.wait !== true,
      disableWaitForJobs: true,
      disableHooks: false,
      recreate: false,
      force: false,
      cleanupOnFail: false,
      timeoutMs
    } : {
      disableWait: rollback2.disableWait === true,
      disableWaitForJobs: rollback2.disableWaitForJobs === true,
      disableHooks: rollback2.disableHooks === true,
      recreate: rollback2.recreate === true,
      force: rollback2.force === true,
      cleanupOnFail: rollback2.cleanupOnFail === true,
      timeoutMs: ownTimeout(rollback2, "rollback")
    },
    uninstall: {
      keepHistory: uninstall2.keepHistory === true,
      disableHooks: uninstall2.disableHooks === true,
      disableWait: uninstall2.disableWait === true,
      deletionPropagation: str(uninstall2.deletionPropagation) ?? "background",
      timeoutMs: actionTimeout(uninstall2, timeoutMs, `${where}: spec.uninstall.timeout`)
    },
    timeoutMs,
    maxHistory: num(spec.maxHistory, 5),
    dependsOn: asArr(spec.dependsOn).flatMap((d) => {
      const o = asObj(d);
      return str(o.name) ? [
        {
          namespace: str(o.namespace) ?? namespace,
          name: o.name,
          ...str(o.readyExpr) ? { readyExpr: o.readyExpr } : {}
        }
      ] : [];
    }),
    suspend: spec.suspend === true,
    postRenderers,
    commonMetadata,
    drift: {
      mode,
      ignore: asArr(drift.ignore).map((r) => {
        const o = asObj(r);
        const t = asObj(o.target);
        const target = Object.fromEntries(
          DRIFT_TARGET_FIELDS.flatMap((f) => str(t[f]) ? [[f, t[f]]] : [])
        );
        return {
          paths: asArr(o.paths).map(String),
          ...Object.keys(target).length > 0 ? { target } : {}
        };
      })
    }
  };
}

// agent/helm/status.ts
function setConditions(previous, updates, generation, now) {
  const out = [...previous ?? []];
  for (const u of updates) {
    const i = out.findIndex((c) => c.type === u.type);
    const old = i >= 0 ? out[i] : void 0;
    const next = {
      ...u,
      message: u.message.slice(0, 32e3),
      observedGeneration: generation,
      lastTransitionTime: old && old.status === u.status ? old.lastTransitionTime : now
    };
    if (i >= 0) out[i] = next;
    else out.push(next);
  }
  return out.sort((a, b) => a.type === "Ready" ? -1 : b.type === "Ready" ? 1 : 0);
}
function removeConditions(conditions, types) {
  return conditions.filter((c) => !types.includes(c.type));
}
function readyOf(object) {
  const status = object?.status ?? {};
  return status.conditions?.find((c) => c.type === "Ready");
}
async function writeStatus(client, release, status) {
  const path = `${await client.pathOf({
    apiVersion: release.apiVersion,
    kind: release.kind,
    name: release.metadata.name,
    ...release.metadata.namespace ? { namespace: release.metadata.namespace } : {}
  })}/status`;
  await client.request({
    method: "PATCH",
    path,
    body: { status },
    contentType: "application/merge-patch+json"
  });
}

// agent/helm/values.ts
const { createHash: createHash4 } = require("node:crypto");

// agent/helm/strvals.ts
var SetSyntaxError = class extends Error {
  constructor(message) {
    super(message);
    this.name = "SetSyntaxError";
  }
};
var MAX_INDEX = 65536;
var MAX_NESTING = 30;
var isMap2 = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
var Reader = class {
  chars;
  at = 0;
  constructor(text) {
    this.chars = Array.from(text);
  }
  /** The next character, consumed; undefined at the end. */
  next() {
    return this.chars[this.at++];
  }
  /** Gives back the character `next` just read. */
  back() {
    this.at--;
  }
  /**
   * The text up to the first of `stops` (consumed and returned as `stop`; undefined when
   * the line ended first). A backslash makes the next character plain text.
   */
  until(stops) {
    let text = "";
    for (let c = this.next(); c !== void 0; c = this.next()) {
      if (stops.includes(c)) return { text, stop: c };
      if (c === "\\") {
        const escaped = this.next();
        if (escaped === void 0) break;
        text += escaped;
      } else text += c;
    }
    return { text, stop: void 0 };
  }
};
var SetParser = class {
  input;
  asString;
  constructor(line, asString) {
    this.input = new Reader(line);
    this.asString = asString;
  }
  /** Every assignment of the line, into `values`. */
  parse(values) {
    while (this.key(values, 0) === "more") ;
  }
  typed(text) {
    if (this.asString) return text;
    const lower = text.toLowerCase();
    if (lower === "true") return true;
    if (lower === "false") return false;
    if (lower === "null") return null;
    if (text === "0") return 0;
    if (/^[+-]?[0-9]+$/.test(text) && !text.startsWith("0")) {
      const n = Number(text);
      if (Number.isSafeInteger(n)) return n;
    }
    return text;
  }
  /** One `key…=value` into `data`: a plain key, a map key (`.`) or a list item (`[`). */
  key(data, nesting) {
    const { text: key, stop } = this.input.until("=[,.");
    if (stop === void 0) {
      if (key === "") return "end";
      throw new SetSyntaxError("a key has no value");
    }
    if (stop === ",") throw new SetSyntaxError("a key has no value (a comma after it)");
    if (stop === "=") {
      const value = this.value();
      if (value === void 0) {
        set(data, key, "");
        return "end";
      }
      set(data, key, value);
      return "more";
    }
    if (stop === "[") {
      const index = this.index();
      const existing2 = Object.hasOwn(data, key) ? data[key] : [];
      if (!Array.isArray(existing2))
        throw new SetSyntaxError("a key indexed as a list is not a list");
      const { list, next: next2 } = this.listItem(existing2, index, nesting);
      set(data, key, list);
      return next2;
    }
    if (++nesting > MAX_NESTING)
      throw new SetSyntaxError(`keys are nested deeper than ${MAX_NESTING} levels`);
    const existing = Object.hasOwn(data, key) ? data[key] : {};
    if (!isMap2(existing)) throw new SetSyntaxError("a key used as a map is not a map");
    const next = this.key(existing, nesting);
    const empty = Object.keys(existing).length === 0;
    if (next === "more" && empty) throw new SetSyntaxError("a map key has no value");
    if (!empty) set(data, key, existing);
    return next;
  }
  /** The value after `=`: a `{a,b}` list or one typed value; undefined when nothing follows. */
  value() {
    const first = this.input.next();
    if (first === void 0) return void 0;
    if (first !== "{") {
      this.input.back();
      return this.typed(this.input.until(",").text);
    }
    const list = [];
    for (; ; ) {
      const { text, stop } = this.input.until(",}");
      if (stop === void 0) throw new SetSyntaxError("a list must end with '}'");
      list.push(this.typed(text));
      if (stop === "}") {
        if (this.input.next() !== ",") this.input.back();
        return list;
      }
    }
  }
  /** The number in `[n]` (the `[` already read). */
  index() {
    const { text, stop } = this.input.until("]");
    if (stop === void 0 || !/^[+-]?[0-9]+$/.test(text))
      throw new SetSyntaxError("a list index is not a number");
    const index = Number(text);
    if (index < 0) throw new SetSyntaxError("a list index is negative");
    if (index > MAX_INDEX) throw new SetSyntaxError(`a list index is above ${MAX_INDEX}`);
    return index;
  }
  /** What follows `[index]`: `=value`, another `[index]` or `.key`. */
  listItem(list, index, nesting) {
    const { text, stop } = this.input.until("[.=");
    if (text !== "") throw new SetSyntaxError("unexpected text after a list index");
    if (stop === void 0) return { list, next: "end" };
    if (stop === "=") {
      const value = this.value();
      return { list: setIndex(list, index, value === void 0 ? "" : value), next: "more" };
    }
    if (stop === "[") {
      const inner2 = index < list.length ? list[index] ?? [] : [];
      if (!Array.isArray(inner2)) throw new SetSyntaxError("a key indexed as a list is not a list");
      const item = this.listItem(inner2, this.index(), nesting);
      if (item.next === "end") return { list, next: "end" };
      return { list: setIndex(list, index, item.list), next: "more" };
    }
    let inner = {};
    if (index < list.length) {
      const existing = list[index];
      if (isMap2(existing)) inner = existing;
      else list[index] = inner;
    }
    const next = this.key(inner, nesting);
    if (next === "end") return { list, next };
    return { list: setIndex(list, index, inner), next };
  }
};
function set(data, key, value) {
  if (key === "") return;
  Object.defineProperty(data, key, { value, writable: true, enumerable: true, configurable: true });
}
function setIndex(list, index, value) {
  const out = index < list.length ? list : [...list, ...Array(index + 1 - list.length).fill(null)];
  out[index] = value;
  return out;
}
function parseSetInto(line, values, asString = false) {
  new SetParser(line, asString).parse(values);
}
function setAtTargetPath(values, path, text) {
  const quoted = text.startsWith('"') && text.endsWith('"') || text.startsWith("'") && text.endsWith("'");
  if (quoted) parseSetInto(`${path}=${text.replace(/^['"]+|['"]+$/g, "")}`, values, true);
  else parseSetInto(`${path}=${text}`, values);
}

// agent/helm/values.ts
var ValuesError = class extends Error {
  constructor(message) {
    super(message);
    this.name = "ValuesError";
  }
};
async function composeValues(refs, specValues, namespace, read) {
  const inline = structuredClone(specValues);
  let result = {};
  for (const ref of refs) {
    const data = await read(ref.kind, namespace, ref.name);
    const text = data?.[ref.valuesKey];
    if (text === void 0) {
      if (ref.optional) continue;
      throw new ValuesError(
        data === void 0 ? `could not find ${ref.kind} '${namespace}/${ref.name}'` : `missing key '${ref.valuesKey}' in ${ref.kind} '${namespace}/${ref.name}'`
      );
    }
    if (ref.targetPath) {
      result = mergeValues(result, inline);
      try {
        setAtTargetPath(result, ref.targetPath, text);
      } catch (error) {
        if (!(error instanceof SetSyntaxError)) throw error;
        throw new ValuesError(
          `key '${ref.valuesKey}' in ${ref.kind} '${namespace}/${ref.name}' cannot be set at targetPath '${ref.targetPath}': ${error.message}`
        );
      }
      continue;
    }
    const yaml = parseSecretYaml(text);
    if (yaml.error) {
      throw new ValuesError(
        `key '${ref.valuesKey}' in ${ref.kind} '${namespace}/${ref.name}' is not YAML: ${describeSecretYamlError(yaml.error)}`
      );
    }
    const parsed = yaml.value;
    if (parsed !== null && parsed !== void 0 && !isMap(parsed))
      throw new ValuesError(
        `key '${ref.valuesKey}' in ${ref.kind} '${namespace}/${ref.name}' is not a map of values`
      );
    result = mergeValues(result, parsed ?? {});
  }
  return mergeValues(result, inline);
}
function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (isMap(value)) {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
function valuesDigest(values) {
  return `sha256:${createHash4("sha256").update(canonical(values)).digest("hex")}`;
}

// agent/helm/release.ts
async function refresh(ctx, spec) {
  const fresh = await releaseStatus(ctx.helm, spec.releaseName, spec.releaseNamespace);
  const others = ctx.releases.filter(
    (r) => !(r.name === spec.releaseName && r.namespace === spec.releaseNamespace)
  );
  ctx.releases = fresh ? [...others, fresh] : others;
}
var relName = (spec, revision) => `${spec.releaseNamespace}/${spec.releaseName}${revision ? `.v${revision}` : ""}`;
async function reconcileRelease(live, ctx) {
  const now = ctx.now ?? (() => (/* @__PURE__ */ new Date()).toISOString());
  const ref = {
    apiVersion: live.apiVersion,
    kind: live.kind,
    name: live.metadata.name,
    namespace: live.metadata.namespace ?? "default"
  };
  const prev = live.status ?? {} ?? {};
  const generation = Number(live.metadata.generation ?? 0);
  const requestedAt = live.metadata.annotations?.[REQUESTED_AT_ANNOTATION];
  let handled = requestedAt !== void 0 ? { lastHandledReconcileAt: requestedAt } : {};
  const handledChanged = () => Object.entries(handled).some(([field, token]) => prev[field] !== token);
  let renamed;
  const recordHandled = async (outcome) => {
    if (handledChanged() || renamed)
      await writeStatus(ctx.client, live, { ...renamed, ...handled });
    return outcome;
  };
  const finish = async (outcome, conditions, extra = {}, drop = []) => {
    const status = {
      ...extra,
      ...handled,
      observedGeneration: generation,
      conditions: setConditions(
        removeConditions(prev.conditions ?? [], drop),
        conditions,
        generation,
        now()
      )
    };
    await writeStatus(ctx.client, live, status);
    return { ref, ...outcome };
  };
  const notReady = (reason, message, extra = {}) => finish(
    { action: "failed", ready: false, detail: message },
    [{ type: "Ready", status: "False", reason, message }],
    extra
  );
  let spec;
  try {
    spec = readReleaseSpec(live);
  } catch (error) {
    return notReady("InvalidChartReference", error.message);
  }
  if (spec.suspend) return { ref, action: "suspended", ready: readyOf(live)?.status === "True" };
  const remote = remoteClusterOf(live);
  if (remote)
    return notReady("RESTClientError", remoteClusterRefusal(remote, "nothing was installed"));
  const refused = refusedReferences(live, ctx.lockdown);
  if (refused.length > 0) return notReady("AccessDenied", refused.join("; "));
  const user = impersonationFor(live, ctx.lockdown);
  const helm = user ? { ...ctx.helm, kubeAsUser: user } : ctx.helm;
  const client = user ? ctx.client.impersonating(user) : ctx.client;
  const actingAs = user ? ` (acting as ServiceAccount ${user.replace(/^system:serviceaccount:/, "").replace(":", "/")})` : "";
  for (const dep of spec.dependsOn) {
    const other = await ctx.client.get({
      apiVersion: live.apiVersion,
      kind: "HelmRelease",
      namespace: dep.namespace,
      name: dep.name
    });
    const ready = readyOf(other);
    const current2 = ready?.status === "True" && ready.observedGeneration === Number(other?.metadata.generation ?? 0);
    const blocked = await dependencyVerdict(
      live,
      { key: `HelmRelease/${dep.namespace}/${dep.name}`, readyExpr: dep.readyExpr },
      other,
      current2
    );
    if (blocked) {
      const { reason, message, stalled: stalled2 } = blocked;
      return finish({ action: stalled2 ? "failed" : "waiting", ready: false, detail: message }, [
        { type: "Ready", status: "False", reason, message },
        ...stalled2 ? [{ type: "Stalled", status: "True", reason, message }] : []
      ]);
    }
  }
  let chart;
  try {
    chart = await resolveChart(ctx.charts, spec.chart, spec.namespace);
  } catch (error) {
    const message = error instanceof ChartError ? error.message : `chart: ${error.message}`;
    return notReady("ArtifactFailed", message);
  }
  let values;
  try {
    values = await composeValues(spec.valuesFrom, spec.values, spec.namespace, ctx.readValues);
  } catch (error) {
    return notReady("InitFailed", error.message);
  }
  const desired = {
    chartDigest: chart.digest,
    earlierChartDigest: chart.contentDigest,
    configDigest: valuesDigest(values),
    postRenderersDigest: postRenderersDigest(spec),
    commonMetadataDigest: commonMetadataDigest(spec.commonMetadata)
  };
  const chartText = `${chart.name}@${chart.version}`;
  const attempted = {
    lastAttemptedGeneration: generation,
    lastAttemptedRevision: chart.version,
    lastAttemptedRevisionDigest: chart.digest,
    lastAttemptedConfigDigest: desired.configDigest,
    observedPostRenderersDigest: desired.postRenderersDigest,
    observedCommonMetadataDigest: desired.commonMetadataDigest || null,
    storageNamespace: spec.releaseNamespace,
    helmChart: chart.source
  };
  const requests = requestsOf(live.metadata.annotations, prev);
  handled = { ...handled, ...requests.handled };
  let current = findRelease(ctx.releases, spec.releaseName, spec.releaseNamespace);
  let decision = decide(spec, desired, current, prev, Date.now(), requests);
  const failures = failuresFor(spec, desired, prev, requests.reset);
  renamed = chartIdentityUpdate(desired, prev);
  const history = renamed?.history ?? prev.history;
  const keep = {
    history,
    installFailures: failures.install,
    upgradeFailures: failures.upgrade
  };
  if (decision.action === "stalled") {
    return finish(
      { action: "failed", ready: false, detail: decision.message },
      [
        { type: "Ready", status: "False", reason: "RetriesExceeded", message: decision.message },
        { type: "Stalled", status: "True", reason: "RetriesExceeded", message: decision.message }
      ],
      { ...attempted, ...keep }
    );
  }
  if (decision.action === "wait") {
    return recordHandled({ ref, action: "waiting", ready: false, detail: decision.message });
  }
  if (decision.action === "replace") {
    await uninstall(helm, decision.old, spec.uninstall, spec.uninstall.timeoutMs).catch(
      () => void 0
    );
    await refresh(ctx, spec);
    current = void 0;
    decision = { action: "install", reason: "the release name or namespace changed" };
  }
  if (decision.action === "recover") {
    try {
      if (decision.from === "pending-install")
        await uninstall(helm, { name: spec.releaseName, namespace: spec.releaseNamespace });
      else await rollback(helm, spec);
    } catch (error) {
      return notReady(
        "RecoveryFailed",
        `release ${relName(spec)} was left ${decision.from} and could not be unlocked: ${error.message}`,
        { ...attempted, ...keep }
      );
    }
    await refresh(ctx, spec);
    current = findRelease(ctx.releases, spec.releaseName, spec.releaseNamespace);
    decision = {
      action: current && current.status !== "uninstalled" ? "upgrade" : "install",
      reason: `recovered from ${decision.from}`
    };
  }
  if (decision.action === "none") {
    if (spec.drift.mode !== "disabled" && current) {
      const drift = await detectDrift(client, helm, spec, current.revision);
      if (drift.drifted.length === 0 && drift.unknown.length > 0) {
        return notReady(
          "StateError",
          `Could not determine release state: unable to determine cluster state: ${drift.unknown.join("; ")}`,
          { ...attempted, ...keep }
        );
      }
      if (drift.drifted.length > 0) {
        const list = drift.drifted.slice(0, 10).join(", ");
        const unknown = drift.unknown.length ? `; state unknown: ${drift.unknown.join("; ")}` : "";
        if (spec.drift.mode === "warn") {
          return recordHandled({
            ref,
            action: "drifted",
            ready: true,
            detail: `drift detected (warn): ${list}${unknown}`
          });
        }
        return recordHandled({
          ref,
          action: drift.errors.length > 0 ? "failed" : "drift-corrected",
          ready: drift.errors.length === 0,
          detail: `drift corrected: ${list}${drift.errors.length ? `; ${drift.errors.join("; ")}` : ""}${unknown}`
        });
      }
    }
    const ready = readyOf(live);
    const unchanged = { action: "unchanged", ready: true, detail: chart.fromCache };
    if (ready?.status === "True" && prev.observedGeneration === generation && ready.message === withCacheNote(ready.message, chart.fromCache) && !handledChanged() && !renamed) {
      return { ref, ...unchanged };
    }
    return finish(
      unchanged,
      [
        {
          type: "Ready",
          status: "True",
          reason: ready?.reason === "UpgradeSucceeded" ? "UpgradeSucceeded" : "InstallSucceeded",
          message: withCacheNote(
            ready?.status === "True" ? ready.message : `Helm release ${relName(spec, current?.revision)} with chart ${chartText} is up to date`,
            chart.fromCache
          )
        }
      ],
      { ...attempted, ...keep },
      ["Stalled"]
    );
  }
  const isInstall = decision.action === "install";
  const verb = isInstall ? "install" : "upgrade";
  const forced = (decision.action === "install" || decision.action === "upgrade") && decision.forced ? `; ${decision.reason}` : "";
  const postRenderer = await postRenderCommand(ctx.helm, spec, ctx.kustomize);
  let actionError;
  try {
    if (!isInstall && spec.upgrade.crds !== "Skip") {
      await applyChartCrds(client, helm, chart.path, spec.upgrade.crds, originLabels(spec));
    }
    if (isInstall && spec.install.crds === "CreateReplace") {
      await applyChartCrds(client, helm, chart.path, "CreateReplace", originLabels(spec));
    }
    await withValuesFile(helm, values, (valuesFile) => {
      const input = {
        spec,
        chartPath: chart.path,
        valuesFile,
        postRenderer,
        description: `Tether ${verb} of ${chartText}`
      };
      return runHelm(helm, isInstall ? installArgs(input) : upgradeArgs(input), {
        timeoutMs: (isInstall ? spec.install : spec.upgrade).timeoutMs + 6e4
      });
    });
  } catch (error) {
    actionError = error;
  }
  await refresh(ctx, spec);
  const after = findRelease(ctx.releases, spec.releaseName, spec.releaseNamespace);
  if (!actionError && after?.status === "deployed") {
    const released = [
      {
        name: spec.releaseName,
        namespace: spec.releaseNamespace,
        version: Number(after.revision),
        chartName: chart.name,
        chartVersion: chart.version,
        appVersion: after.app_version,
        configDigest: desired.configDigest,
        ociDigest: chart.digest,
        // Flux's digest is of the release object in Helm's storage; Tether's is of
        // what made the release (name, revision, chart and values), which is as stable.
        digest: `sha256:${createHash5("sha256").update(
          `${spec.releaseNamespace}/${spec.releaseName}.v${after.revision}\0${chart.digest}\0${desired.configDigest}`
        ).digest("hex")}`,
        status: "deployed",
        firstDeployed: !isInstall && history?.[0]?.firstDeployed || after.updated || now(),
        lastDeployed: now()
      },
      ...(history ?? []).slice(0, Math.max(0, (spec.maxHistory || 10) - 1))
    ];
    const message = `Helm ${verb} succeeded for release ${relName(spec, after.revision)} with chart ${chartText}`;
    const reason = isInstall ? "InstallSucceeded" : "UpgradeSucceeded";
    return finish(
      {
        action: isInstall ? "installed" : "upgraded",
        ready: true,
        detail: `${relName(spec, after.revision)} ${chartText}${chart.fromCache ? `; ${chart.fromCache}` : ""}${forced}`
      },
      [
        { type: "Ready", status: "True", reason, message: withCacheNote(message, chart.fromCache) },
        { type: "Released", status: "True", reason, message }
      ],
      {
        ...attempted,
        history: released,
        installFailures: 0,
        upgradeFailures: 0,
        lastAttemptedReleaseAction: verb,
        lastAppliedRevision: chart.version
      },
      ["Stalled", "Remediated"]
    );
  }
  const failureText = `Helm ${verb} failed for release ${relName(spec)} with chart ${chartText}${actingAs}: ${actionError?.message ?? `the release is ${after?.status ?? "missing"}`}`;
  const asInstall = isInstall || retryingInstall(current, prev);
  const counts = {
    installFailures: failures.install + (asInstall ? 1 : 0),
    upgradeFailures: failures.upgrade + (asInstall ? 0 : 1)
  };
  const count = asInstall ? counts.installFailures : counts.upgradeFailures;
  const policy = asInstall ? spec.install : spec.upgrade;
  const remediate = !policy.retryOnFailure && (count <= policy.retries || policy.remediateLastFailure);
  const failedReason = isInstall ? "InstallFailed" : "UpgradeFailed";
  const base = {
    ...attempted,
    ...counts,
    history,
    lastAttemptedReleaseAction: verb
  };
  const stall = stallAfterFailure(spec, asInstall ? "install" : "upgrade", count);
  const stalled = stall ? [{ type: "Stalled", status: "True", reason: "RetriesExceeded", message: stall }] : [];
  const unstall = stall ? [] : ["Stalled"];
  const failed = [
    { type: "Ready", status: "False", reason: failedReason, message: failureText },
    { type: "Released", status: "False", reason: failedReason, message: failureText }
  ];
  if (!remediate) {
    const detail = policy.retryOnFailure ? `${failureText}; RetryOnFailure: tried again after ${Math.round(policy.retryIntervalMs / 1e3)}s` : failureText;
    return finish(
      { action: "failed", ready: false, detail: `${detail}${forced}` },
      [...failed, ...stalled],
      base,
      unstall
    );
  }
  try {
    if (asInstall || spec.upgrade.strategy === "uninstall") {
      await uninstall(
        helm,
        { name: spec.releaseName, namespace: spec.releaseNamespace },
        spec.uninstall,
        spec.uninstall.timeoutMs
      );
      await refresh(ctx, spec);
      const message2 = `Helm uninstall succeeded for release ${relName(spec, after?.revision)} with chart ${chartText}`;
      return finish(
        { action: "failed", ready: false, detail: `${failureText}; uninstalled${forced}` },
        [
          ...failed,
          { type: "Remediated", status: "True", reason: "UninstallSucceeded", message: message2 },
          ...stalled
        ],
        base,
        unstall
      );
    }
    const lastGood = (history ?? []).find((h) => h.status === "deployed" && h.version);
    await rollback(helm, spec, lastGood?.version);
    await refresh(ctx, spec);
    const back = findRelease(ctx.releases, spec.releaseName, spec.releaseNamespace);
    const message = `Helm rollback to previous release ${relName(spec, lastGood?.version)} with chart ${lastGood?.chartVersion ? `${chart.name}@${lastGood.chartVersion}` : chartText} succeeded`;
    const rolledBack = back && lastGood ? [
      { ...lastGood, version: Number(back.revision), status: "deployed" },
      ...(history ?? []).slice(0, Math.max(0, spec.maxHistory - 1))
    ] : history;
    return finish(
      {
        action: "rolled-back",
        ready: false,
        detail: `${failureText}; rolled back to ${relName(spec, back?.revision)}${forced}`
      },
      [
        ...failed,
        { type: "Remediated", status: "True", reason: "RollbackSucceeded", message },
        ...stalled
      ],
      { ...base, history: rolledBack },
      unstall
    );
  } catch (error) {
    const reason = asInstall || spec.upgrade.strategy === "uninstall" ? "UninstallFailed" : "RollbackFailed";
    return finish(
      {
        action: "failed",
        ready: false,
        detail: `${failureText}; remediation failed: ${error.message}${forced}`
      },
      [
        ...failed,
        { type: "Remediated", status: "False", reason, message: error.message }
      ],
      base,
      ["Stalled"]
    );
  }
}
var CACHE_NOTE = "; chart from cache: ";
function withCacheNote(message, fromCache) {
  const at = message.indexOf(CACHE_NOTE);
  const base = at < 0 ? message : message.slice(0, at);
  return fromCache ? `${base}${CACHE_NOTE}${fromCache}` : base;
}
function releaseOf(object) {
  const last = (object.status ?? {}).history?.[0];
  if (last?.name && last.namespace) return { name: last.name, namespace: last.namespace };
  try {
    const spec = readReleaseSpec(object);
    return { name: spec.releaseName, namespace: spec.releaseNamespace };
  } catch {
    return void 0;
  }
}

// agent/helm/pass.ts
var SOURCE_API = {
  HelmRepository: "source.toolkit.fluxcd.io/v1",
  GitRepository: "source.toolkit.fluxcd.io/v1",
  OCIRepository: "source.toolkit.fluxcd.io/v1",
  HelmChart: "source.toolkit.fluxcd.io/v1",
  ExternalArtifact: "source.toolkit.fluxcd.io/v1"
};
function helmOptions(options) {
  return {
    binary: options.helmBinary,
    kubeconfig: options.kubeconfig,
    stateDir: join2(options.cacheDir, "helm")
  };
}
function decode(data, base64) {
  const out = {};
  for (const [k, v] of Object.entries(data ?? {})) {
    out[k] = base64 ? Buffer.from(v, "base64").toString("utf8") : v;
  }
  return out;
}
function chartContext(rendered, options) {
  const { client } = options;
  const getSecret = async (namespace, name) => {
    const secret = await client.get({ apiVersion: "v1", kind: "Secret", namespace, name });
    return secret ? { ...decode(secret.data, true), ...decode(secret.stringData, false) } : void 0;
  };
  const checkedOut = /* @__PURE__ */ new Map();
  const gitDir = (url, ref) => {
    const key = JSON.stringify([url, ref.branch, ref.commit]);
    let dir = checkedOut.get(key);
    if (!dir) {
      dir = checkoutGitSource(url, ref);
      checkedOut.set(key, dir);
    }
    return dir;
  };
  const checkoutGitSource = async (url, ref) => {
    const agents = options.own && sameRepository(url, options.own.url) ? options.own : void 0;
    if (agents && selectsAgentRef(ref, agents.ref)) return agents.dir;
    const spec = withoutUrlCredentials({ url: agents ? agents.url : url });
    const credentials = agents ? { credentials: agents.credentials, dispose: async () => {
    } } : await credentialsFromSecret(spec.url, void 0, void 0);
    spec.credentials = credentials.credentials ?? spec.credentials;
    try {
      const resolved = await resolveFluxRef(ref, spec);
      Object.assign(spec, resolved.ref);
      const cache = join2(options.cacheDir, "helm-git");
      const { dir } = await checkoutCurrent(spec, cache);
      await removeCheckouts(
        cache,
        (resolved.superseded ?? []).map((tag) => ({ ...spec, tag }))
      );
      return dir;
    } finally {
      await credentials.dispose();
    }
  };
  let sources;
  const revisions = /* @__PURE__ */ new Map();
  const heads = /* @__PURE__ */ new Map();
  return {
    cacheDir: join2(options.cacheDir, "helm-charts"),
    gitRevision(dir) {
      const sha = revisions.get(dir)?.split(":").pop();
      if (sha && /^[0-9a-f]{40}$/.test(sha)) return Promise.resolve(sha);
      let head = heads.get(dir);
      if (!head) {
        head = gitHead(dir);
        heads.set(dir, head);
      }
      return head;
    },
    async getSource(key) {
      const local = rendered.find(
        (o) => o.kind === key.kind && o.metadata.name === key.name && (o.metadata.namespace ?? "default") === key.namespace && o.apiVersion.startsWith("source.toolkit.fluxcd.io/")
      );
      if (local) return local;
      return client.get({
        apiVersion: SOURCE_API[key.kind],
        kind: key.kind,
        namespace: key.namespace,
        name: key.name
      });
    },
    async helmRepositoryFor(namespace, url) {
      const matches = (o) => o.kind === "HelmRepository" && (o.metadata.namespace ?? "default") === namespace && sameRepositoryUrl(String(o.spec?.url ?? ""), url);
      const local = rendered.find(
        (o) => matches(o) && o.apiVersion.startsWith("source.toolkit.fluxcd.io/")
      );
      if (local) return local;
      const listed = await client.list(SOURCE_API.HelmRepository, "HelmRepository", { namespace });
      return listed.find(matches);
    },
    getSecret,
    async gitFolder(source) {
      if ("apiVersion" in source) {
        sources ??= options.source ? Promise.resolve(options.source) : gitSourceContext(options);
        const resolved = await resolveSource(
          { kind: "GitRepository", name: source.metadata.name },
          source.metadata.namespace ?? "default",
          await sources
        );
        revisions.set(resolved.dir, resolved.revision);
        return resolved.dir;
      }
      const ref = source.ref;
      return gitDir(
        source.url,
        ref && /^[0-9a-f]{40}$/.test(ref) ? { commit: ref } : { branch: ref ?? "master" }
      );
    }
  };
}
async function gitSourceContext(options) {
  const own = options.own;
  const head = own ? await gitHead(own.dir) : void 0;
  return {
    client: options.client,
    cacheDir: join2(options.cacheDir, "helm-git"),
    resolved: /* @__PURE__ */ new Map(),
    own: {
      url: own?.url ?? "",
      dir: own?.dir ?? "",
      revision: head ? fluxRevision(void 0, head) : "",
      ref: own?.ref ?? {},
      credentials: own?.credentials,
      entryPoints: own?.entryPoints
    }
  };
}
function orderByDependencies(releases) {
  const key = (ns, name) => `${ns}/${name}`;
  const byKey = new Map(
    releases.map((r) => [key(r.metadata.namespace ?? "default", r.metadata.name), r])
  );
  const out = [];
  const state = /* @__PURE__ */ new Map();
  const visit = (r) => {
    const k = key(r.metadata.namespace ?? "default", r.metadata.name);
    if (state.get(k)) return;
    state.set(k, "visiting");
    const deps = r.spec?.dependsOn ?? [];
    for (const d of deps) {
      const dep = byKey.get(key(d.namespace ?? r.metadata.namespace ?? "default", d.name ?? ""));
      if (dep) visit(dep);
    }
    state.set(k, "done");
    out.push(r);
  };
  for (const r of releases) visit(r);
  return out;
}
async function reconcileHelmReleases(applied, options) {
  const releases = applied.filter(isHelmRelease);
  if (releases.length === 0) return [];
  const helm = helmOptions(options);
  const ctx = {
    client: options.client,
    helm,
    charts: chartContext(applied, options),
    releases: await listReleases(helm),
    kustomize: options.kustomize,
    lockdown: options.lockdown,
    readValues: async (kind, namespace, name) => {
      const object = await options.client.get({ apiVersion: "v1", kind, namespace, name });
      if (!object) return void 0;
      return kind === "Secret" ? decode(object.data, true) : { ...decode(object.data, false), ...decode(object.binaryData, true) };
    }
  };
  const ordered = orderByDependencies(releases);
  const done = /* @__PURE__ */ new Map();
  const keyOf = (ns, name) => `${ns}/${name}`;
  const settle = /* @__PURE__ */ new Map();
  for (const r of ordered) {
    const key = keyOf(r.metadata.namespace ?? "default", r.metadata.name);
    done.set(key, new Promise((resolve) => settle.set(key, resolve)));
  }
  return mapLimit(ordered, options.concurrency ?? 4, async (release, index) => {
    const namespace = release.metadata.namespace ?? "default";
    const ref = {
      apiVersion: release.apiVersion,
      kind: release.kind,
      name: release.metadata.name,
      namespace
    };
    const deps = (release.spec?.dependsOn ?? []).map((d) => keyOf(d.namespace ?? namespace, d.name ?? "")).filter(
      (k) => ordered.slice(0, index).some((o) => keyOf(o.metadata.namespace ?? "default", o.metadata.name) === k)
    );
    await Promise.all(deps.map((k) => done.get(k)));
    let outcome;
    try {
      const live = await options.client.get(ref) ?? release;
      outcome = await reconcileRelease(live, ctx);
    } catch (error) {
      outcome = { ref, action: "failed", ready: false, detail: error.message };
    }
    settle.get(keyOf(namespace, release.metadata.name))?.(outcome);
    return outcome;
  });
}
function uninstallSpecOf(live) {
  try {
    return readReleaseSpec(live).uninstall;
  } catch {
    return void 0;
  }
}
async function uninstallReleases(refs, options) {
  const helm = helmOptions(options);
  const out = [];
  for (const ref of refs) {
    const live = await options.client.get(ref).catch(() => void 0);
    const release = live ? releaseOf(live) : void 0;
    if (!live || !release) {
      out.push({ ref, ok: true, detail: "no release" });
      continue;
    }
    try {
      const spec = live.spec ?? {};
      if (spec.suspend === true) {
        out.push({ ref, ok: true, detail: "suspended: release kept" });
        continue;
      }
      const remote = remoteClusterOf(live);
      if (remote) {
        out.push({
          ref,
          ok: true,
          detail: remoteClusterRefusal(remote, "nothing was uninstalled")
        });
        continue;
      }
      const user = impersonationFor(live, options.lockdown);
      const how = uninstallSpecOf(live);
      const result = await uninstall(
        user ? { ...helm, kubeAsUser: user } : helm,
        release,
        how,
        how?.timeoutMs
      );
      out.push({ ref, ok: true, detail: `release ${release.namespace}/${release.name} ${result}` });
    } catch (error) {
      out.push({
        ref,
        ok: false,
        detail: `uninstall of ${release.namespace}/${release.name}: ${error.message}`
      });
    }
  }
  return out;
}
export {
  chartContext,
  helmOptions,
  orderByDependencies,
  reconcileHelmReleases,
  uninstallReleases
};
