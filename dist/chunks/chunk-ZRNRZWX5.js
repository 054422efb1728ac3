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

export {
  DOCKER_HUB,
  isValidTag,
  isDigest,
  tagProblem,
  parseImageReference,
  parseRepository,
  formatRepository,
  apiHost,
  isLoopbackRegistry
};
