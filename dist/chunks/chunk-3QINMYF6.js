#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  HELM_RELEASE_V1,
  HELM_RELEASE_V2
} from "./chunk-G2PVCOPF.js";
import {
  require_dist
} from "./chunk-HPGUIRHG.js";
import {
  __toESM
} from "./chunk-3IQPLNQJ.js";

// shared/charts/postrender.ts
var import_yaml = __toESM(require_dist(), 1);
const { mkdir, writeFile } = require("node:fs/promises");
const { join } = require("node:path");
var HELM_NAME_LABEL = `${HELM_RELEASE_V2}/name`;
var HELM_NAMESPACE_LABEL = `${HELM_RELEASE_V2}/namespace`;
var isObj = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
var asObj = (v) => isObj(v) ? v : {};
var asArr = (v) => Array.isArray(v) ? v : [];
function stringMap(v, where, invalid) {
  const out = {};
  for (const [key, value] of Object.entries(asObj(v))) {
    if (typeof value !== "string") throw invalid(`${where}.${key} must be a string`);
    out[key] = value;
  }
  return out;
}
function kustomizePostRenderer(raw) {
  const pick = (o, keys) => Object.fromEntries(keys.filter((k) => o[k] !== void 0).map((k) => [k, o[k]]));
  return {
    patches: asArr(raw.patches).map(
      (x) => pick(asObj(x), ["patch", "target"])
    ),
    images: asArr(raw.images).map((x) => pick(asObj(x), ["name", "newName", "newTag", "digest"]))
  };
}
function readPostRenderSpec(object, invalid = (message) => new Error(message)) {
  const namespace = object.metadata.namespace ?? "default";
  const name = object.metadata.name;
  const where = `HelmRelease ${namespace}/${name}`;
  const spec = asObj(object.spec);
  const common = object.apiVersion.startsWith(`${HELM_RELEASE_V1}/`) ? void 0 : spec.commonMetadata;
  return {
    namespace,
    name,
    postRenderers: asArr(spec.postRenderers).flatMap((p) => {
      const k = asObj(asObj(p).kustomize);
      return Object.keys(k).length === 0 ? [] : [kustomizePostRenderer(k)];
    }),
    commonMetadata: isObj(common) ? {
      labels: stringMap(common.labels, `${where}: commonMetadata.labels`, invalid),
      annotations: stringMap(
        common.annotations,
        `${where}: commonMetadata.annotations`,
        invalid
      )
    } : void 0
  };
}
function originLabels(spec) {
  return { [HELM_NAME_LABEL]: spec.name, [HELM_NAMESPACE_LABEL]: spec.namespace };
}
function metadataTransformer(kind, name, field, values) {
  return (0, import_yaml.stringify)({
    apiVersion: "builtin",
    kind,
    metadata: { name },
    [field]: values,
    fieldSpecs: [{ path: `metadata/${field}`, create: true }]
  });
}
function postRenderFolders(spec) {
  const metadata = {};
  const common = spec.commonMetadata;
  if (common && Object.keys(common.labels).length > 0)
    metadata["common-labels.yaml"] = metadataTransformer(
      "LabelTransformer",
      "helm-toolkit-common-labels",
      "labels",
      common.labels
    );
  if (common && Object.keys(common.annotations).length > 0)
    metadata["common-annotations.yaml"] = metadataTransformer(
      "AnnotationsTransformer",
      "helm-toolkit-common-annotations",
      "annotations",
      common.annotations
    );
  metadata["origin-labels.yaml"] = metadataTransformer(
    "LabelTransformer",
    "helm-toolkit-origin-labels",
    "labels",
    originLabels(spec)
  );
  const steps = spec.postRenderers.length > 0 ? spec.postRenderers : [{ patches: [], images: [] }];
  return steps.map((renderer, i) => {
    const last = i === steps.length - 1;
    const kustomization = {
      apiVersion: "kustomize.config.k8s.io/v1beta1",
      kind: "Kustomization",
      resources: [i === 0 ? "/dev/stdin" : `../k${i - 1}`],
      ...renderer.patches.length > 0 ? { patches: renderer.patches } : {},
      ...renderer.images.length > 0 ? { images: renderer.images } : {},
      ...last ? { transformers: Object.keys(metadata) } : {},
      // Helm's order, as Flux's kustomize post-renderer keeps it (no legacy sort).
      sortOptions: { order: "fifo" }
    };
    return {
      name: `k${i}`,
      files: { "kustomization.yaml": (0, import_yaml.stringify)(kustomization), ...last ? metadata : {} }
    };
  });
}
async function writePostRenderFolders(dir, folders) {
  for (const folder of folders) {
    await mkdir(join(dir, folder.name), { recursive: true });
    for (const [name, text] of Object.entries(folder.files))
      await writeFile(join(dir, folder.name, name), text);
  }
}
function postRenderBuild(dir, folders, kustomize = "kustomize") {
  const last = folders[folders.length - 1]?.name ?? "k0";
  return {
    binary: kustomize,
    args: ["build", join(dir, last), "--load-restrictor=LoadRestrictionsNone"]
  };
}
function postRendererFlags(command) {
  if (!command) return [];
  return [
    "--post-renderer",
    command.binary,
    ...command.args.map((arg) => `--post-renderer-args=${arg}`)
  ];
}

export {
  HELM_NAME_LABEL,
  HELM_NAMESPACE_LABEL,
  readPostRenderSpec,
  originLabels,
  postRenderFolders,
  writePostRenderFolders,
  postRenderBuild,
  postRendererFlags
};
