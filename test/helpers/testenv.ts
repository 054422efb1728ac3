// Connection details of the local environment (`npm run testenv -- up`), read from the
// process environment when .testenv/env.sh was sourced, else from that file itself.
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export interface Testenv {
  kubeconfig: string;
  kubernetesVersion: string;
  /** PATH with the environment's tools folder first. */
  path: string;
  gitUrl: string;
  gitRoot: string;
  gitUser: string;
  gitPassword: string;
  /** ssh:// URL of the same repositories; key and known_hosts below. */
  /** https:// URL of the same repositories: server certificate signed by `ca`, client certificate required. */
  gitHttpsUrl: string;
  gitClientCert: string;
  gitClientKey: string;
  gitSshUrl: string;
  gitSshKey: string;
  gitSshKnownHosts: string;
  registry: string;
  registryAuth: string;
  registryUser: string;
  registryPassword: string;
}

export const envFile = fileURLToPath(new URL("../../.testenv/env.sh", import.meta.url));

function readEnvFile(): Record<string, string> {
  if (!existsSync(envFile)) return {};
  const vars: Record<string, string> = {};
  for (const line of readFileSync(envFile, "utf8").split("\n")) {
    const m = /^export ([A-Z_]+)='([^']*)'/.exec(line);
    if (m?.[1] !== undefined && m[2] !== undefined) vars[m[1]] = m[2];
  }
  return vars;
}

let cached: Testenv | undefined;

export function testenv(): Testenv {
  if (cached) return cached;
  const file = readEnvFile();
  const get = (name: string): string => {
    const value = process.env[name] ?? file[name];
    if (!value) {
      throw new Error(
        `${name} is not set: start the local environment with \`npm run testenv -- up\` (it writes ${envFile})`,
      );
    }
    return value;
  };
  const tools = get("TETHER_TEST_TOOLS");
  cached = {
    kubeconfig: get("KUBECONFIG"),
    kubernetesVersion: get("TETHER_TEST_KUBERNETES_VERSION"),
    path: `${tools}:${process.env.PATH ?? ""}`,
    gitUrl: get("TETHER_TEST_GIT_URL"),
    gitRoot: get("TETHER_TEST_GIT_ROOT"),
    gitUser: get("TETHER_TEST_GIT_USER"),
    gitPassword: get("TETHER_TEST_GIT_PASSWORD"),
    gitHttpsUrl: get("TETHER_TEST_GIT_HTTPS_URL"),
    gitClientCert: get("TETHER_TEST_GIT_CLIENT_CERT"),
    gitClientKey: get("TETHER_TEST_GIT_CLIENT_KEY"),
    gitSshUrl: get("TETHER_TEST_GIT_SSH_URL"),
    gitSshKey: get("TETHER_TEST_GIT_SSH_KEY"),
    gitSshKnownHosts: get("TETHER_TEST_GIT_SSH_KNOWN_HOSTS"),
    registry: get("TETHER_TEST_REGISTRY"),
    registryAuth: get("TETHER_TEST_REGISTRY_AUTH"),
    registryUser: get("TETHER_TEST_REGISTRY_USER"),
    registryPassword: get("TETHER_TEST_REGISTRY_PASSWORD"),
  };
  return cached;
}

export interface ChartsEnv {
  /** The chart repository over plain HTTP (basic auth), its index at /index.yaml. */
  url: string;
  /** The same repository over HTTPS, its certificate signed by `ca`. */
  tlsUrl: string;
  ca: string;
  user: string;
  password: string;
  /** oci://127.0.0.1:PORT/charts on the open registry (plain HTTP), same charts. */
  oci: string;
  /** The folder the repository serves (packaged charts and index.yaml). */
  dir: string;
}

/** The Helm chart repository of the local environment (same env file as `testenv()`). */
export function chartsEnv(): ChartsEnv {
  testenv();
  const file = readEnvFile();
  const get = (name: string): string => {
    const value = process.env[name] ?? file[name];
    if (!value) throw new Error(`${name} is not set: restart the local environment (testenv up)`);
    return value;
  };
  return {
    url: get("TETHER_TEST_CHARTS_URL"),
    tlsUrl: get("TETHER_TEST_CHARTS_TLS_URL"),
    ca: get("TETHER_TEST_CHARTS_CA"),
    user: get("TETHER_TEST_CHARTS_USER"),
    password: get("TETHER_TEST_CHARTS_PASSWORD"),
    oci: get("TETHER_TEST_CHARTS_OCI"),
    dir: get("TETHER_TEST_CHARTS_DIR"),
  };
}
