#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);

// shared/registry/manifest.ts
const { createHash } = require("node:crypto");
var OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
var OCI_INDEX = "application/vnd.oci.image.index.v1+json";
var DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
var DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
var MANIFEST_ACCEPT = [OCI_INDEX, DOCKER_MANIFEST_LIST, OCI_MANIFEST, DOCKER_MANIFEST];
var CREATED_ANNOTATION = "org.opencontainers.image.created";
function digestOf(bytes) {
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}
function isIndexMediaType(mediaType) {
  return mediaType === OCI_INDEX || mediaType === DOCKER_MANIFEST_LIST;
}
function manifestMediaType(json, contentType) {
  if (typeof json.mediaType === "string" && json.mediaType !== "") return json.mediaType;
  const fromHeader = contentType?.split(";")[0]?.trim();
  if (fromHeader && MANIFEST_ACCEPT.includes(fromHeader)) return fromHeader;
  return Array.isArray(json.manifests) ? OCI_INDEX : OCI_MANIFEST;
}
function parseManifestJson(bytes, where) {
  let value;
  try {
    value = JSON.parse(Buffer.from(bytes).toString("utf8"));
  } catch (error) {
    throw new Error(`${where} is not JSON: ${error.message}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new Error(`${where} is not a JSON object`);
  }
  return value;
}
function childManifests(json) {
  return Array.isArray(json.manifests) ? json.manifests : [];
}
function referencedBlobs(json) {
  const blobs = [];
  if (json.config?.digest) blobs.push(json.config);
  for (const layer of json.layers ?? []) {
    if (!layer.mediaType?.includes("foreign")) blobs.push(layer);
  }
  return blobs;
}
function formatPlatform(p) {
  return `${p.os}/${p.architecture}${p.variant ? `/${p.variant}` : ""}`;
}
function normalizePlatform(platform) {
  const [os = "", arch = "", variant] = platform.trim().toLowerCase().split("/");
  if (arch === "arm64" && (variant === void 0 || variant === "v8")) return `${os}/arm64`;
  if (arch === "amd64" && variant === void 0) return `${os}/amd64`;
  return variant ? `${os}/${arch}/${variant}` : `${os}/${arch}`;
}
function indexPlatforms(json) {
  return childManifests(json).filter((d) => d.platform && d.platform.os !== "unknown").map((d) => normalizePlatform(formatPlatform(d.platform)));
}
function validTime(value) {
  if (typeof value !== "string" || value === "") return void 0;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? void 0 : new Date(ms).toISOString();
}
function createdFromAnnotations(json) {
  return validTime(json.annotations?.[CREATED_ANNOTATION]);
}
function createdFromConfig(config) {
  if (typeof config !== "object" || config === null) return void 0;
  const c = config;
  return validTime(c.config?.Labels?.[CREATED_ANNOTATION]) ?? validTime(c.created);
}
function pickChildForCreated(json) {
  const children = childManifests(json).filter((d) => d.platform?.os !== "unknown");
  return children.find(
    (d) => d.platform && normalizePlatform(formatPlatform(d.platform)) === "linux/arm64"
  ) ?? children[0];
}

export {
  OCI_INDEX,
  MANIFEST_ACCEPT,
  digestOf,
  isIndexMediaType,
  manifestMediaType,
  parseManifestJson,
  childManifests,
  referencedBlobs,
  normalizePlatform,
  indexPlatforms,
  createdFromAnnotations,
  createdFromConfig,
  pickChildForCreated
};
