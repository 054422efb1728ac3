// How the image commands reach registries (shared/registry/access.ts), with credentials
// per host as docker keeps them. TETHER_REGISTRY_USERNAME/PASSWORD (the
// Action's inputs) belong to the registry of --image only: a promote to another
// registry must not hand that registry the first one's password. Every other host gets
// its own entry from the Docker config (DOCKER_CONFIG, ~/.docker/config.json), or none.
// buildah gets the same, per host, as an auth file.

import { existsSync } from "node:fs";
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type RegistryAccess, registryAccess } from "../../shared/registry/access.ts";
import {
  credentialsFor,
  credentialsFromEnv,
  dockerConfigPath,
  loadDockerConfig,
  registryKey,
} from "../../shared/registry/credentials.ts";
import { parseRepository } from "../../shared/registry/reference.ts";

export interface Access extends RegistryAccess {
  /** An auth file for buildah (--authfile), if there are credentials to give it. */
  authFile(registries: readonly string[]): Promise<string | undefined>;
  /** Closes the clients and removes the auth files. */
  close(): Promise<void>;
}

/** The registry host of an --image value; undefined when it does not parse (reported later). */
function registryOf(image: string | undefined): string | undefined {
  if (image === undefined) return undefined;
  try {
    return registryKey(parseRepository(image).registry);
  } catch {
    return undefined;
  }
}

export function imageCommandAccess(options: {
  insecure: boolean;
  /** The --image the command works on: the environment's credentials are for its registry. */
  image?: string | undefined;
  env?: NodeJS.ProcessEnv;
}): Access {
  const env = options.env ?? process.env;
  const temps: string[] = [];
  const fromEnv = credentialsFromEnv(env);
  const home = registryOf(options.image);
  const configPath = dockerConfigPath(env);
  const envFor = (registry: string) =>
    fromEnv && home !== undefined && registryKey(registry) === home ? fromEnv : undefined;
  const access = registryAccess({
    credentials: async (registry) =>
      envFor(registry) ?? credentialsFor(await loadDockerConfig(configPath), registry),
    insecure: () => options.insecure,
    userAgent: "tether-image",
  });
  return {
    client: access.client,
    requests: access.requests,
    async authFile(registries) {
      if (!fromEnv) return existsSync(configPath) ? configPath : undefined;
      // Written to a private temp file: a password on buildah's command line would be
      // visible to every process on the runner.
      const dir = await mkdtemp(join(tmpdir(), "tether-auth-"));
      temps.push(dir);
      const file = join(dir, "auth.json");
      const config = await loadDockerConfig(configPath);
      const auths: Record<string, { auth: string }> = {};
      for (const registry of registries) {
        const creds = envFor(registry) ?? credentialsFor(config, registry);
        if (creds?.username === undefined || creds.password === undefined) continue;
        auths[registry] = {
          auth: Buffer.from(`${creds.username}:${creds.password}`).toString("base64"),
        };
      }
      await writeFile(file, JSON.stringify({ auths }), { mode: 0o600 });
      await chmod(file, 0o600);
      return file;
    },
    async close() {
      access.close();
      for (const dir of temps) await rm(dir, { recursive: true, force: true });
    },
  };
}
