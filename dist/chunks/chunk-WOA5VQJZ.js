#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  groupOf
} from "./chunk-Z62KHOJY.js";

// agent/flux/kinds.ts
var KUSTOMIZE_GROUP = "kustomize.toolkit.fluxcd.io";
var SOURCE_GROUP = "source.toolkit.fluxcd.io";
var SOURCE_EXTENSIONS_GROUP = "source.extensions.fluxcd.io";
var HELM_GROUP = "helm.toolkit.fluxcd.io";
var NOTIFICATION_GROUP = "notification.toolkit.fluxcd.io";
var KUSTOMIZATION_API = `${KUSTOMIZE_GROUP}/v1`;
var GIT_REPOSITORY_API = `${SOURCE_GROUP}/v1`;
var FLUX_NAME_LABEL = `${KUSTOMIZE_GROUP}/name`;
var FLUX_NAMESPACE_LABEL = `${KUSTOMIZE_GROUP}/namespace`;
var SUBSTITUTE_ANNOTATION = `${KUSTOMIZE_GROUP}/substitute`;
var REQUESTED_AT_ANNOTATION = "reconcile.fluxcd.io/requestedAt";
var PART_OF_LABEL = "app.kubernetes.io/part-of";
var isKustomization = (o) => groupOf(o.apiVersion) === KUSTOMIZE_GROUP && o.kind === "Kustomization";
var isGitRepository = (o) => groupOf(o.apiVersion) === SOURCE_GROUP && o.kind === "GitRepository";
var isArtifactGenerator = (o) => groupOf(o.apiVersion) === SOURCE_EXTENSIONS_GROUP && o.kind === "ArtifactGenerator";
var hasFluxWork = (applied) => applied.some((o) => isKustomization(o) || isGitRepository(o));
function isFluxObject(o) {
  const group = groupOf(o.apiVersion);
  return group.endsWith(".fluxcd.io");
}
function nsName(o) {
  return `${o.metadata.namespace ?? "default"}/${o.metadata.name}`;
}
function fluxRevision(ref, sha) {
  return ref ? `${ref}@sha1:${sha}` : `sha1:${sha}`;
}
function parseFluxDuration(text, fallbackMs) {
  if (typeof text !== "string" || text === "") return fallbackMs;
  const units = {
    h: 36e5,
    m: 6e4,
    s: 1e3,
    ms: 1,
    us: 1e-3,
    ns: 1e-6
  };
  let total = 0;
  let matched = "";
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)(ms|us|ns|h|m|s)/g)) {
    total += Number(m[1]) * units[m[2]];
    matched += m[0];
  }
  return matched === text ? total : fallbackMs;
}

export {
  KUSTOMIZE_GROUP,
  SOURCE_GROUP,
  SOURCE_EXTENSIONS_GROUP,
  HELM_GROUP,
  NOTIFICATION_GROUP,
  KUSTOMIZATION_API,
  GIT_REPOSITORY_API,
  FLUX_NAME_LABEL,
  FLUX_NAMESPACE_LABEL,
  SUBSTITUTE_ANNOTATION,
  REQUESTED_AT_ANNOTATION,
  PART_OF_LABEL,
  isKustomization,
  isGitRepository,
  isArtifactGenerator,
  hasFluxWork,
  isFluxObject,
  nsName,
  fluxRevision,
  parseFluxDuration
};
