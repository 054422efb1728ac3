// How the image commands reach registries: one RegistryClient per registry host, with
// credentials from TETHER_REGISTRY_USERNAME/PASSWORD (the Action's inputs) or else the
// Docker config (DOCKER_CONFIG, ~/.docker/config.json), and the same credentials handed
// to buildah as an auth file.

import { existsSync } from "node:fs";
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RegistryClient } from "../../shared/registry/client.ts";
import {
  type Credentials,
  credentialsFor,
  credentialsFromEnv,
  dockerConfigPath,
  loadDockerConfig,
} from "../../shared/registry/credentials.ts";

export interface Access {
  client(registry: string): Promise<RegistryClient>;
  /** An auth file for buildah (--authfile), if there are credentials to give it. */
  authFile(registries: readonly string[]): Promise<string | undefined>;
  /** Requests made by every client so far. */
  requests(): number;
  close(): Promise<void>;
}

export function registryAccess(options: { insecure: boolean; env?: NodeJS.ProcessEnv }): Access {
  const env = options.env ?? process.env;
  const clients = new Map<string, RegistryClient>();
  const temps: string[] = [];
  const fromEnv = credentialsFromEnv(env);
  const configPath = dockerConfigPath(env);
  const credentials = async (registry: string): Promise<Credentials | undefined> =>
    fromEnv ?? credentialsFor(await loadDockerConfig(configPath), registry);
  return {
    async client(registry) {
      let client = clients.get(registry);
      if (!client) {
        client = new RegistryClient({
          registry,
          credentials: await credentials(registry),
          insecure: options.insecure,
          userAgent: "tether-image",
        });
        clients.set(registry, client);
      }
      return client;
    },
    async authFile(registries) {
      if (!fromEnv) return existsSync(configPath) ? configPath : undefined;
      // Written to a private temp file: a password on buildah's command line would be
      // visible to every process on the runner.
      const dir = await mkdtemp(join(tmpdir(), "tether-auth-"));
      temps.push(dir);
      const file = join(dir, "auth.json");
      const auth = Buffer.from(`${fromEnv.username}:${fromEnv.password}`).toString("base64");
      await writeFile(
        file,
        JSON.stringify({ auths: Object.fromEntries(registries.map((r) => [r, { auth }])) }),
        { mode: 0o600 },
      );
      await chmod(file, 0o600);
      return file;
    },
    requests() {
      let total = 0;
      for (const client of clients.values()) total += client.requests;
      return total;
    },
    async close() {
      for (const client of clients.values()) client.close();
      for (const dir of temps) await rm(dir, { recursive: true, force: true });
    },
  };
}
