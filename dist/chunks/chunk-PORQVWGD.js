#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  gitWorkTree
} from "./chunk-QAERNIXE.js";
import {
  helmTemplate
} from "./chunk-MQEAY646.js";
import {
  UnsupportedKubernetesVersionError,
  resolveKubernetesVersion
} from "./chunk-GU5OC4EN.js";
import {
  gitHead,
  resolveChart,
  sameRepositoryUrl
} from "./chunk-NOP66P3V.js";
import {
  readPostRenderSpec
} from "./chunk-3QINMYF6.js";
import {
  chartReferenceOf,
  describeChartReference,
  isHelmRelease
} from "./chunk-G2PVCOPF.js";
import {
  UsageError
} from "./chunk-YPJ6XMAN.js";
import {
  ManifestError
} from "./chunk-K4EN55PN.js";
import {
  ChartError
} from "./chunk-SGKLXC2P.js";

// action/validate/helm-releases.ts
const { join } = require("node:path");
var asObj = (v) => typeof v === "object" && v !== null && !Array.isArray(v) ? v : {};
function releaseNameOf(hr) {
  const spec = asObj(hr.spec);
  if (typeof spec.releaseName === "string" && spec.releaseName) return spec.releaseName;
  if (hr.apiVersion.startsWith("helm.fluxcd.io/"))
    return `${hr.metadata.namespace ?? "default"}-${hr.metadata.name}`;
  const target = typeof spec.targetNamespace === "string" ? spec.targetNamespace : "";
  return (target ? `${target}-${hr.metadata.name}` : hr.metadata.name).slice(0, 53);
}
async function expandHelmReleases(units, options) {
  const notes = [];
  const sources = /* @__PURE__ */ new Map();
  const sourceKey = (kind, namespace, name) => `${kind}\0${namespace}\0${name}`;
  for (const unit of units) {
    for (const { object: o } of unit.manifests) {
      if (!o.apiVersion.startsWith("source.toolkit.fluxcd.io/")) continue;
      const key = sourceKey(o.kind, o.metadata.namespace ?? "default", o.metadata.name);
      if (!sources.has(key)) sources.set(key, o);
    }
  }
  const ctx = {
    cacheDir: options.cacheDir,
    async getSource(key) {
      return sources.get(sourceKey(key.kind, key.namespace, key.name));
    },
    async helmRepositoryFor(namespace, url) {
      for (const o of sources.values())
        if (o.kind === "HelmRepository" && (o.metadata.namespace ?? "default") === namespace && sameRepositoryUrl(String(o.spec?.url ?? ""), url))
          return o;
      return void 0;
    },
    // A pull request sees the repository it validates: Git charts are read from it.
    async gitFolder() {
      return options.root;
    },
    // reconcileStrategy Revision: the version carries the commit validated, when there is one.
    gitRevision: /* @__PURE__ */ (() => {
      let head;
      return () => {
        head ??= gitHead(options.root);
        return head;
      };
    })()
  };
  for (const unit of units) {
    const added = [];
    for (const manifest of unit.manifests) {
      const hr = manifest.object;
      if (!isHelmRelease(hr)) continue;
      const where = { file: manifest.source.file, line: manifest.source.line };
      const namespace = hr.metadata.namespace ?? "default";
      let described = `HelmRelease ${namespace}/${hr.metadata.name}`;
      let ref;
      try {
        ref = chartReferenceOf(hr);
      } catch (error) {
        notes.push(`${described}: not rendered, ${error.message}`);
        continue;
      }
      try {
        described = `chart ${describeChartReference(ref)}`;
        const chart = await resolveChart(ctx, ref, namespace);
        if (chart.fromCache) notes.push(`${described}: ${chart.fromCache}`);
        const spec = asObj(hr.spec);
        if (Array.isArray(spec.valuesFrom) && spec.valuesFrom.length > 0) {
          unit.warnings.push({
            ...where,
            message: `HelmRelease ${namespace}/${hr.metadata.name}: valuesFrom is read from the cluster; rendered with spec.values only`
          });
        }
        const rendered = await helmTemplate(chart.path, {
          binary: options.helm,
          releaseName: releaseNameOf(hr),
          namespace: typeof spec.targetNamespace === "string" ? spec.targetNamespace : namespace,
          values: asObj(spec.values),
          kubeVersion: options.kubernetesVersion,
          sourceOf: () => manifest.source.file,
          postRender: { spec: readPostRenderSpec(hr), kustomize: options.kustomize }
        });
        const via = `chart ${chart.name}@${chart.version} of HelmRelease ${namespace}/${hr.metadata.name}`;
        for (const m of rendered) added.push({ object: m.object, source: { ...where, via } });
      } catch (error) {
        if (error instanceof ChartError && error.reason === "SourceNotFound") {
          notes.push(`${described}: not rendered, its source is not in the validated paths`);
          continue;
        }
        if (error instanceof ChartError || error instanceof ManifestError) {
          const text = error instanceof ManifestError ? error.message.replace(/^[^:]*: /, "") : error.message;
          unit.warnings.push({ ...where, message: `${described} not rendered: ${text}` });
          continue;
        }
        unit.warnings.push({
          ...where,
          message: `${described} not rendered: ${error.message}`
        });
      }
    }
    unit.manifests.push(...added);
  }
  return notes;
}
var escapePointer = (key) => key.replaceAll("~", "~0").replaceAll("/", "~1");
function valuesPointerOf(values, rendered) {
  if (typeof rendered !== "string" && typeof rendered !== "number") return void 0;
  const text = String(rendered);
  if (text === "") return void 0;
  const leaves = [];
  const visit = (node, at) => {
    if (Array.isArray(node)) {
      for (const [i, v] of node.entries()) visit(v, `${at}/${i}`);
    } else if (typeof node === "object" && node !== null)
      for (const [k, v] of Object.entries(node)) visit(v, `${at}/${escapePointer(k)}`);
    else if (typeof node === "string" || typeof node === "number") leaves.push([at, String(node)]);
  };
  visit(values, "");
  const equal = leaves.filter(([, v]) => v === text);
  if (equal.length > 0) return equal.length === 1 ? equal[0]?.[0] : void 0;
  const inside = leaves.filter(([, v]) => v.length >= 3 && text.includes(v));
  return inside.length === 1 ? inside[0]?.[0] : void 0;
}
function defaultChartCache(env = process.env) {
  if (env.TETHER_CHART_CACHE) return env.TETHER_CHART_CACHE;
  const base = env.XDG_CACHE_HOME || join(env.HOME || "/tmp", ".cache");
  return join(base, "tether", "charts");
}

// action/validate/options.ts
const { existsSync, statSync } = require("node:fs");
const { dirname, resolve, sep } = require("node:path");
var FORMATS = ["text", "json", "junit", "tap", "sarif", "github"];
function splitList(values) {
  return (values ?? []).flatMap((v) => v.split(",")).map((v) => v.trim()).filter((v) => v !== "");
}
function parseFormat(value, env) {
  const format = value ?? (env.GITHUB_ACTIONS === "true" ? "github" : "text");
  if (!FORMATS.includes(format)) {
    throw new UsageError(`-o ${format}: unknown format (use one of ${FORMATS.join(", ")})`);
  }
  return format;
}
function parseFailOn(flags) {
  if (flags.failOnWarning) return "warning";
  const value = flags.failOn ?? "error";
  if (value !== "error" && value !== "warning") {
    throw new UsageError(`--fail-on ${value}: use error or warning`);
  }
  return value;
}
function defaultRoot(cwd, paths) {
  const first = paths[0] ?? ".";
  const segments = first.split(/[\\/]/);
  const fixed = segments.findIndex((s) => /[*?[\]{}]/.test(s));
  const target = resolve(cwd, fixed < 0 ? first : segments.slice(0, fixed).join("/") || ".");
  let start = target;
  while (!existsSync(start) && dirname(start) !== start) start = dirname(start);
  const work = gitWorkTree(start);
  if (work) return work;
  if (target === cwd || target.startsWith(`${cwd}${sep}`)) return cwd;
  return statSync(start).isDirectory() ? start : dirname(start);
}
function configFromFlags(paths, flags, cwd) {
  let kubernetesVersion;
  try {
    kubernetesVersion = resolveKubernetesVersion(flags.kubernetesVersion);
  } catch (error) {
    if (error instanceof UnsupportedKubernetesVersionError) throw new UsageError(error.message);
    throw error;
  }
  const regoVersion = flags.regoVersion ?? "v1";
  if (regoVersion !== "v0" && regoVersion !== "v1") {
    throw new UsageError(`--rego-version ${regoVersion}: use v0 or v1`);
  }
  const namespaces = splitList(flags.namespace);
  if (flags.allNamespaces && namespaces.length > 0) {
    throw new UsageError("--namespace and --all-namespaces exclude each other");
  }
  const policies = splitList(flags.policy);
  const regoOnly = [
    ["--namespace", namespaces.length > 0],
    ["--all-namespaces", flags.allNamespaces],
    ["--data", splitList(flags.data).length > 0],
    ["--gatekeeper-input", flags.gatekeeperInput],
    ["--parameters", flags.parameters !== void 0],
    ["--allow-builtin", splitList(flags.allowBuiltin).length > 0]
  ];
  const stray = regoOnly.filter(([, set]) => set).map(([name]) => name);
  if (policies.length === 0 && stray.length > 0) {
    throw new UsageError(`${stray.join(", ")} need --policy (a folder of Rego policies)`);
  }
  if (flags.parameters !== void 0 && !flags.gatekeeperInput) {
    throw new UsageError("--parameters is input.parameters of --gatekeeper-input; add that flag");
  }
  const root = flags.root !== void 0 ? resolve(cwd, flags.root) : defaultRoot(cwd, paths);
  const absolute = (list) => list.map((p) => resolve(cwd, p));
  return {
    root,
    cwd,
    paths: paths.length > 0 ? [...paths] : ["."],
    kubernetesVersion,
    strict: flags.strict ?? true,
    serverRules: flags.serverRules ?? true,
    crds: absolute(splitList(flags.crds)),
    ignoreMissingSchemas: flags.ignoreMissingSchemas ?? false,
    skipKinds: splitList(flags.skip),
    rejectKinds: splitList(flags.reject),
    policies: absolute(policies),
    namespaces: namespaces.length > 0 ? namespaces : ["main"],
    allNamespaces: flags.allNamespaces ?? false,
    data: absolute(splitList(flags.data)),
    regoVersion,
    gatekeeperInput: flags.gatekeeperInput ?? false,
    parameters: flags.parameters === void 0 ? void 0 : resolve(cwd, flags.parameters),
    // A path (with a slash) is taken from cwd; a bare name is looked up on PATH.
    opa: flags.opa?.includes("/") ? resolve(cwd, flags.opa) : flags.opa ?? "opa",
    allowBuiltins: splitList(flags.allowBuiltin),
    kustomize: flags.kustomize?.includes("/") ? resolve(cwd, flags.kustomize) : flags.kustomize,
    chartCache: flags.chartCache === void 0 ? void 0 : resolve(cwd, flags.chartCache),
    helmReleases: flags.helmReleases ?? true
  };
}
function parseChangedFiles(text) {
  return text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== "" && !l.startsWith("#")).map((l) => l.replace(/^\.\//, ""));
}

export {
  expandHelmReleases,
  valuesPointerOf,
  defaultChartCache,
  FORMATS,
  parseFormat,
  parseFailOn,
  configFromFlags,
  parseChangedFiles
};
