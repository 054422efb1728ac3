#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  HELM_GROUP
} from "./chunk-WOA5VQJZ.js";
import {
  require_dist
} from "./chunk-HPGUIRHG.js";
import {
  __toESM
} from "./chunk-3IQPLNQJ.js";

// agent/helm/postrender.ts
var import_yaml = __toESM(require_dist(), 1);
import { createHash } from "node:crypto";
var HELM_NAME_LABEL = `${HELM_GROUP}/name`;
var HELM_NAMESPACE_LABEL = `${HELM_GROUP}/namespace`;
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
var sha256 = (text) => `sha256:${createHash("sha256").update(text).digest("hex")}`;
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
function releaseMetadata(spec) {
  return {
    labels: { ...spec.commonMetadata?.labels, ...originLabels(spec) },
    annotations: { ...spec.commonMetadata?.annotations }
  };
}
function stampMetadata(text, metadata) {
  const out = [];
  for (const doc of (0, import_yaml.parseAllDocuments)(text, { keepSourceTokens: false })) {
    if ((0, import_yaml.isMap)(doc.contents)) {
      for (const [key, value] of Object.entries(metadata.labels))
        doc.setIn(["metadata", "labels", key], value);
      for (const [key, value] of Object.entries(metadata.annotations))
        doc.setIn(["metadata", "annotations", key], value);
    }
    out.push(`---
${doc.toString({ lineWidth: 0 }).replace(/^---\n/, "")}`);
  }
  return out.join("");
}

export {
  originLabels,
  postRenderFolders,
  postRenderersDigest,
  commonMetadataDigest,
  releaseMetadata,
  stampMetadata
};
