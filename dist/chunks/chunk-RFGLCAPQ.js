#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  DOCKER_HUB
} from "./chunk-ZRNRZWX5.js";

// shared/registry/credentials.ts
const { readFile } = require("node:fs/promises");
const { homedir } = require("node:os");
const { join } = require("node:path");
var DOCKER_HUB_ALIASES = /* @__PURE__ */ new Set([
  "docker.io",
  "index.docker.io",
  "registry-1.docker.io",
  "registry.hub.docker.com"
]);
function registryKey(keyOrHost) {
  let host = keyOrHost.trim().replace(/^[a-z]+:\/\//i, "");
  const slash = host.indexOf("/");
  if (slash !== -1) host = host.slice(0, slash);
  host = host.toLowerCase();
  return DOCKER_HUB_ALIASES.has(host) ? DOCKER_HUB : host;
}
function asRecord(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? value : void 0;
}
function entryCredentials(entry, where) {
  const creds = {};
  const auth = entry.auth;
  if (typeof auth === "string" && auth !== "") {
    const decoded = Buffer.from(auth, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon === -1) throw new Error(`${where}: "auth" is not base64 of "user:password"`);
    creds.username = decoded.slice(0, colon);
    creds.password = decoded.slice(colon + 1);
  } else {
    if (typeof entry.username === "string") creds.username = entry.username;
    if (typeof entry.password === "string") creds.password = entry.password;
  }
  if (typeof entry.registrytoken === "string" && entry.registrytoken !== "") {
    creds.registryToken = entry.registrytoken;
  }
  if (typeof entry.identitytoken === "string" && entry.identitytoken !== "") {
    creds.identityToken = entry.identitytoken;
  }
  return creds;
}
function parseAuths(auths, source) {
  const out = {};
  for (const [key, value] of Object.entries(auths)) {
    const entry = asRecord(value);
    if (!entry) throw new Error(`${source}: auths["${key}"] is not an object`);
    out[registryKey(key)] = entryCredentials(entry, `${source}: auths["${key}"]`);
  }
  return out;
}
function parseCredentialsJson(text, what) {
  try {
    return JSON.parse(text);
  } catch (error) {
    const m = /at position (\d+)(?: \(line (\d+) column (\d+)\))?/.exec(error.message);
    const at = !m ? "" : m[2] ? ` (at line ${m[2]} column ${m[3]})` : ` (at position ${m[1]})`;
    throw new Error(`${what} is not valid JSON${at}`);
  }
}
function parseDockerConfig(text, source = "config.json") {
  const value = parseCredentialsJson(text, source);
  const root = asRecord(value);
  if (!root) throw new Error(`${source} is not a JSON object`);
  const auths = root.auths === void 0 ? {} : asRecord(root.auths);
  if (!auths) throw new Error(`${source}: "auths" is not an object`);
  const config = { auths: parseAuths(auths, source) };
  if (typeof root.credsStore === "string" && root.credsStore !== "") {
    config.credsStore = root.credsStore;
  }
  return config;
}
function dockerConfigFromSecret(secret) {
  const obj = asRecord(secret);
  const meta = asRecord(obj?.metadata);
  const namespace = typeof meta?.namespace === "string" ? `${meta.namespace}/` : "";
  const name = typeof meta?.name === "string" ? `Secret ${namespace}${meta.name}` : "the Secret";
  if (!obj) throw new Error(`${name} is not an object`);
  const data = asRecord(obj.data) ?? {};
  const stringData = asRecord(obj.stringData) ?? {};
  const pick = (key) => {
    if (typeof stringData[key] === "string") return stringData[key];
    if (typeof data[key] === "string") {
      return Buffer.from(data[key], "base64").toString("utf8");
    }
    return void 0;
  };
  const json = pick(".dockerconfigjson");
  if (json !== void 0) return parseDockerConfig(json, `${name} key .dockerconfigjson`);
  const legacy = pick(".dockercfg");
  if (legacy !== void 0) {
    const auths = asRecord(parseCredentialsJson(legacy, `${name} key .dockercfg`));
    if (!auths) throw new Error(`${name}: .dockercfg is not a JSON object`);
    return { auths: parseAuths(auths, `${name} key .dockercfg`) };
  }
  throw new Error(
    `${name} has no .dockerconfigjson key: create it with \`kubectl create secret docker-registry\``
  );
}
function credentialsFor(config, registry) {
  return config.auths[registryKey(registry)];
}
function dockerConfigPath(env = process.env) {
  const dir = env.DOCKER_CONFIG ? env.DOCKER_CONFIG : join(homedir(), ".docker");
  return join(dir, "config.json");
}
async function loadDockerConfig(path = dockerConfigPath()) {
  let text;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if (error.code === "ENOENT") return { auths: {} };
    throw error;
  }
  return parseDockerConfig(text, path);
}
function credentialsFromEnv(env = process.env) {
  const username = env.TETHER_REGISTRY_USERNAME;
  const password = env.TETHER_REGISTRY_PASSWORD;
  return username && password ? { username, password } : void 0;
}

export {
  registryKey,
  parseCredentialsJson,
  dockerConfigFromSecret,
  credentialsFor,
  dockerConfigPath,
  loadDockerConfig,
  credentialsFromEnv
};
