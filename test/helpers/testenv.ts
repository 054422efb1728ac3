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
