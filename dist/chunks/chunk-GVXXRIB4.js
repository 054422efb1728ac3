#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  RegistryClient
} from "./chunk-YWFEFF4K.js";
import {
  CreatedCache
} from "./chunk-IE7JZNQV.js";

// shared/registry/access.ts
function credentialsKey(credentials) {
  if (!credentials) return "";
  return `${credentials.username ?? ""}|${credentials.password ?? credentials.registryToken ?? ""}`;
}
function registryAccess(policy) {
  const clients = /* @__PURE__ */ new Map();
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
          ...policy.userAgent ? { userAgent: policy.userAgent } : {}
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
    }
  };
}

export {
  registryAccess
};
