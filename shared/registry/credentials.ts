// Registry credentials from the two places users keep them: a Docker `config.json`
// (`docker login` writes it; CI runners and buildah read it) and a Kubernetes
// `kubernetes.io/dockerconfigjson` Secret (what `ImageRepository.spec.secretRef` names).
// Parsing and lookup are pure; only loadDockerConfig touches the filesystem.
import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { DOCKER_HUB } from "./reference.ts";

export interface Credentials {
  username?: string;
  password?: string;
  /** A bearer token for the registry itself (`registrytoken` in config.json). */
  registryToken?: string;
  /** An OAuth refresh token (`identitytoken`); kept so errors can say it is unsupported. */
  identityToken?: string;
}

export interface DockerConfig {
  /** Keyed by normalized registry host (see registryKey). */
  auths: Record<string, Credentials>;
  /** Set when the file delegates to a credential helper, which Tether does not run. */
  credsStore?: string;
}

const DOCKER_HUB_ALIASES = new Set([
  "docker.io",
  "index.docker.io",
  "registry-1.docker.io",
  "registry.hub.docker.com",
]);

/**
 * The host a config.json key or registry name refers to: keys are written as
 * `https://index.docker.io/v1/`, `ghcr.io`, `http://127.0.0.1:5000/v2/` and so on.
 */
export function registryKey(keyOrHost: string): string {
  let host = keyOrHost.trim().replace(/^[a-z]+:\/\//i, "");
  const slash = host.indexOf("/");
  if (slash !== -1) host = host.slice(0, slash);
  host = host.toLowerCase();
  return DOCKER_HUB_ALIASES.has(host) ? DOCKER_HUB : host;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function entryCredentials(entry: Record<string, unknown>, where: string): Credentials {
  const creds: Credentials = {};
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

function parseAuths(auths: Record<string, unknown>, source: string): Record<string, Credentials> {
  const out: Record<string, Credentials> = {};
  for (const [key, value] of Object.entries(auths)) {
    const entry = asRecord(value);
    if (!entry) throw new Error(`${source}: auths["${key}"] is not an object`);
    out[registryKey(key)] = entryCredentials(entry, `${source}: auths["${key}"]`);
  }
  return out;
}

/**
 * JSON.parse for text that holds credentials (a `.dockerconfigjson`, a config.json).
 * Node's own error quotes the text around the fault (`..."password":s3cret"...`) and
 * errors reach statuses and logs: this one names `what` and, when Node says it, the
 * position, never the content.
 */
export function parseCredentialsJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    // Node says "at position 43 (line 1 column 44)" for some faults: numbers only.
    const m = /at position (\d+)(?: \(line (\d+) column (\d+)\))?/.exec((error as Error).message);
    const at = !m ? "" : m[2] ? ` (at line ${m[2]} column ${m[3]})` : ` (at position ${m[1]})`;
    throw new Error(`${what} is not valid JSON${at}`);
  }
}

/** Parses the text of a Docker config.json; `source` names it in errors. */
export function parseDockerConfig(text: string, source = "config.json"): DockerConfig {
  const value = parseCredentialsJson(text, source);
  const root = asRecord(value);
  if (!root) throw new Error(`${source} is not a JSON object`);
  const auths = root.auths === undefined ? {} : asRecord(root.auths);
  if (!auths) throw new Error(`${source}: "auths" is not an object`);
  const config: DockerConfig = { auths: parseAuths(auths, source) };
  if (typeof root.credsStore === "string" && root.credsStore !== "") {
    config.credsStore = root.credsStore;
  }
  return config;
}

/**
 * Reads a `kubernetes.io/dockerconfigjson` Secret (as returned by the API or read from
 * YAML): `data[".dockerconfigjson"]` base64, or `stringData` in a manifest. The legacy
 * `kubernetes.io/dockercfg` type (the auths map itself under `.dockercfg`) works too.
 */
export function dockerConfigFromSecret(secret: unknown): DockerConfig {
  const obj = asRecord(secret);
  const meta = asRecord(obj?.metadata);
  const namespace = typeof meta?.namespace === "string" ? `${meta.namespace}/` : "";
  const name = typeof meta?.name === "string" ? `Secret ${namespace}${meta.name}` : "the Secret";
  if (!obj) throw new Error(`${name} is not an object`);
  const data = asRecord(obj.data) ?? {};
  const stringData = asRecord(obj.stringData) ?? {};
  const pick = (key: string): string | undefined => {
    if (typeof stringData[key] === "string") return stringData[key] as string;
    if (typeof data[key] === "string") {
      return Buffer.from(data[key] as string, "base64").toString("utf8");
    }
    return undefined;
  };
  const json = pick(".dockerconfigjson");
  if (json !== undefined) return parseDockerConfig(json, `${name} key .dockerconfigjson`);
  const legacy = pick(".dockercfg");
  if (legacy !== undefined) {
    const auths = asRecord(parseCredentialsJson(legacy, `${name} key .dockercfg`));
    if (!auths) throw new Error(`${name}: .dockercfg is not a JSON object`);
    return { auths: parseAuths(auths, `${name} key .dockercfg`) };
  }
  throw new Error(
    `${name} has no .dockerconfigjson key: create it with \`kubectl create secret docker-registry\``,
  );
}

/** The credentials stored for a registry host, if any. */
export function credentialsFor(config: DockerConfig, registry: string): Credentials | undefined {
  return config.auths[registryKey(registry)];
}

/** Where docker (and buildah, as a fallback) look for config.json. */
export function dockerConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  const dir = env.DOCKER_CONFIG ? env.DOCKER_CONFIG : join(homedir(), ".docker");
  return join(dir, "config.json");
}

/** Loads config.json from `path` (default: dockerConfigPath); a missing file is empty. */
export async function loadDockerConfig(path = dockerConfigPath()): Promise<DockerConfig> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { auths: {} };
    throw error;
  }
  return parseDockerConfig(text, path);
}

/** Credentials from TETHER_REGISTRY_USERNAME / TETHER_REGISTRY_PASSWORD, when both are set. */
export function credentialsFromEnv(env: NodeJS.ProcessEnv = process.env): Credentials | undefined {
  const username = env.TETHER_REGISTRY_USERNAME;
  const password = env.TETHER_REGISTRY_PASSWORD;
  return username && password ? { username, password } : undefined;
}
