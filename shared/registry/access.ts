// The one way to reach registries, for the CI image commands (action/build) and the
// agent's image automation (agent/automation): one RegistryClient per host, plain-HTTP
// choice and credentials, so connections, tokens and the rate limit are shared; the
// requests of all of them counted; closed together. Where credentials come from and when
// plain HTTP is spoken is each caller's policy (its two functions): the image commands
// take the environment and the Docker config, the agent an ImageRepository's Secret.
import { RegistryClient } from "./client.ts";
import { CreatedCache } from "./created-cache.ts";
import type { Credentials } from "./credentials.ts";

/** What the caller knows about the repository it is about to reach. */
export interface RepositoryHints {
  /** Plain HTTP asked for by the repository's own settings (ImageRepository `insecure`). */
  insecure?: boolean | undefined;
  /** The Secret (a docker config) that holds its credentials (ImageRepository `secretRef`). */
  secret?: { namespace: string; name: string } | undefined;
}

export interface AccessPolicy {
  credentials(registry: string, hints: RepositoryHints): Promise<Credentials | undefined>;
  insecure(registry: string, hints: RepositoryHints): boolean;
  /** Creation times by digest, shared by every client (and kept between passes). */
  createdCache?: CreatedCache | undefined;
  userAgent?: string | undefined;
}

export interface RegistryAccess {
  /** The client for `registry` (host[:port]); one per host, plain-HTTP choice and credentials. */
  client(registry: string, hints?: RepositoryHints): Promise<RegistryClient>;
  /** Requests made by every client so far. */
  requests(): number;
  close(): void;
}

function credentialsKey(credentials: Credentials | undefined): string {
  if (!credentials) return "";
  return `${credentials.username ?? ""}|${credentials.password ?? credentials.registryToken ?? ""}`;
}

export function registryAccess(policy: AccessPolicy): RegistryAccess {
  const clients = new Map<string, RegistryClient>();
  const createdCache = policy.createdCache ?? new CreatedCache();
  return {
    async client(registry, hints = {}) {
      const insecure = policy.insecure(registry, hints);
      const credentials = await policy.credentials(registry, hints);
      const key = `${registry}|${insecure}|${credentialsKey(credentials)}`;
      let client = clients.get(key);
      if (!client) {
        client = new RegistryClient({
          registry,
          insecure,
          credentials,
          createdCache,
          ...(policy.userAgent ? { userAgent: policy.userAgent } : {}),
        });
        clients.set(key, client);
      }
      return client;
    },
    requests() {
      let total = 0;
      for (const client of clients.values()) total += client.requests;
      return total;
    },
    close() {
      for (const client of clients.values()) client.close();
    },
  };
}
