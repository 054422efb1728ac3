#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  registryAccess
} from "./chunk-GVXXRIB4.js";
import "./chunk-YWFEFF4K.js";
import "./chunk-NZUFSULI.js";
import "./chunk-IE7JZNQV.js";
import "./chunk-F5JPSHJQ.js";
import {
  credentialsFor,
  credentialsFromEnv,
  dockerConfigPath,
  loadDockerConfig,
  registryKey
} from "./chunk-RFGLCAPQ.js";
import {
  parseRepository
} from "./chunk-ZRNRZWX5.js";
import "./chunk-3IQPLNQJ.js";

// action/build/registry-access.ts
const { existsSync } = require("node:fs");
const { chmod, mkdtemp, rm, writeFile } = require("node:fs/promises");
const { tmpdir } = require("node:os");
const { join } = require("node:path");
function registryOf(image) {
  if (image === void 0) return void 0;
  try {
    return registryKey(parseRepository(image).registry);
  } catch {
    return void 0;
  }
}
function imageCommandAccess(options) {
  const env = options.env ?? process.env;
  const temps = [];
  const fromEnv = credentialsFromEnv(env);
  const home = registryOf(options.image);
  const configPath = dockerConfigPath(env);
  const envFor = (registry) => fromEnv && home !== void 0 && registryKey(registry) === home ? fromEnv : void 0;
  const access = registryAccess({
    credentials: async (registry) => envFor(registry) ?? credentialsFor(await loadDockerConfig(configPath), registry),
    insecure: () => options.insecure,
    userAgent: "tether-image"
  });
  return {
    client: access.client,
    requests: access.requests,
    async authFile(registries) {
      if (!fromEnv) return existsSync(configPath) ? configPath : void 0;
      const dir = await mkdtemp(join(tmpdir(), "tether-auth-"));
      temps.push(dir);
      const file = join(dir, "auth.json");
      const config = await loadDockerConfig(configPath);
      const auths = {};
      for (const registry of registries) {
        const creds = envFor(registry) ?? credentialsFor(config, registry);
        if (creds?.username === void 0 || creds.password === void 0) continue;
        auths[registry] = {
          auth: Buffer.from(`${creds.username}:${creds.password}`).toString("base64")
        };
      }
      await writeFile(file, JSON.stringify({ auths }), { mode: 384 });
      await chmod(file, 384);
      return file;
    },
    async close() {
      access.close();
      for (const dir of temps) await rm(dir, { recursive: true, force: true });
    }
  };
}
export {
  imageCommandAccess
};
