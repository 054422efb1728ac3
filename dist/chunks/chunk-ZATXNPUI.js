#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);

// shared/registry/reference.ts
var DOCKER_HUB = "docker.io";
var DOCKER_HUB_API = "registry-1.docker.io";
var TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
var DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[A-Fa-f0-9]{32,}$/;
var SHA256 = /^sha256:[a-f0-9]{64}$/;
var PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
var DOMAIN = /^(?:localhost|(?:[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9])(?:\.(?:[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9]))*)(?::[0-9]+)?$/;
function isValidTag(tag) {
  return TAG.test(tag);
}
function isDigest(ref) {
  return DIGEST.test(ref) && (!ref.startsWith("sha256:") || SHA256.test(ref));
}
function tagProblem(tag) {
  if (tag === "") return "a tag cannot be empty";
  if (tag.length > 128) return `tag "${tag}" is ${tag.length} characters long; the limit is 128`;
  if (!TAG.test(tag)) {
    return `tag "${tag}" is not valid: use letters, digits, "_", "." and "-", not starting with "." or "-"`;
  }
  return void 0;
}
function looksLikeRegistry(component) {
  return component.includes(".") || component.includes(":") || component === "localhost";
}
function splitRegistry(name) {
  const slash = name.indexOf("/");
  const first = slash === -1 ? "" : name.slice(0, slash);
  let registry = DOCKER_HUB;
  let path = name;
  if (slash !== -1 && looksLikeRegistry(first)) {
    if (!DOMAIN.test(first)) throw new Error(`"${first}" is not a valid registry host`);
    registry = first.toLowerCase();
    path = name.slice(slash + 1);
  }
  if (registry === "index.docker.io" || registry === DOCKER_HUB_API) registry = DOCKER_HUB;
  if (path === "") throw new Error(`"${name}" has no repository path`);
  for (const component of path.split("/")) {
    if (!PATH_COMPONENT.test(component)) {
      throw new Error(
        `"${component}" in "${name}" is not a valid repository path component: use lower-case letters, digits and single separators (".", "_", "__", "-")`
      );
    }
  }
  if (registry === DOCKER_HUB && !path.includes("/")) path = `library/${path}`;
  if (`${registry}/${path}`.length > 255)
    throw new Error(`"${name}" is longer than 255 characters`);
  return { registry, repository: path };
}
function parseImageReference(input) {
  const text = input.trim();
  if (text === "") throw new Error("an image reference cannot be empty");
  let rest = text;
  let digest;
  const at = rest.indexOf("@");
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!isDigest(digest)) throw new Error(`"${digest}" in "${text}" is not a valid digest`);
  }
  let tag;
  const lastSlash = rest.lastIndexOf("/");
  const colon = rest.indexOf(":", lastSlash + 1);
  if (colon !== -1) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    const problem = tagProblem(tag);
    if (problem) throw new Error(`${problem} (in "${text}")`);
  }
  const repo = splitRegistry(rest);
  return {
    ...repo,
    ...tag === void 0 ? {} : { tag },
    ...digest === void 0 ? {} : { digest }
  };
}
function parseRepository(input) {
  const ref = parseImageReference(input);
  if (ref.tag !== void 0 || ref.digest !== void 0) {
    throw new Error(
      `"${input}" names a tag or digest; give the repository only (the tags come from other options)`
    );
  }
  return { registry: ref.registry, repository: ref.repository };
}
function formatRepository(repo) {
  return `${repo.registry}/${repo.repository}`;
}
function apiHost(registry) {
  return registry === DOCKER_HUB ? DOCKER_HUB_API : registry;
}
function isLoopbackRegistry(registry) {
  const host = registry.startsWith("[") ? registry.slice(1, registry.indexOf("]")) : registry.includes("::") ? registry : registry.replace(/:\d+$/, "");
  if (host === "localhost" || host === "::1") return true;
  const octets = host.split(".");
  return octets.length === 4 && octets[0] === "127" && octets.every((o) => /^\d{1,3}$/.test(o) && Number(o) <= 255);
}

// shared/registry/manifest.ts
import { createHash } from "node:crypto";
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
  DOCKER_HUB,
  isValidTag,
  isDigest,
  tagProblem,
  parseImageReference,
  parseRepository,
  formatRepository,
  apiHost,
  isLoopbackRegistry,
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
