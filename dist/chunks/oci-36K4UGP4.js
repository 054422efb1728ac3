#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  parseCredentialsJson
} from "./chunk-RFGLCAPQ.js";
import "./chunk-ZRNRZWX5.js";
import {
  SourceError
} from "./chunk-O62GKC6U.js";
import "./chunk-GE6VTMTN.js";
import "./chunk-ASGSV6PC.js";
import "./chunk-E74EIW4E.js";
import "./chunk-XB2UJ6TZ.js";
import "./chunk-KVDOGNFO.js";
import "./chunk-WOA5VQJZ.js";
import "./chunk-DYND6O65.js";
import "./chunk-6SSSO5LC.js";
import "./chunk-ZIEZ6URX.js";
import "./chunk-Z62KHOJY.js";
import "./chunk-3IQPLNQJ.js";

// agent/flux/oci.ts
const { spawn } = require("node:child_process");
const { existsSync } = require("node:fs");
const { mkdir, rename, rm } = require("node:fs/promises");
const { join } = require("node:path");
var OCI_REPOSITORY_API = "source.toolkit.fluxcd.io/v1";
var FLUX_CONTENT_LAYER = "application/vnd.cncf.flux.content.v1.tar+gzip";
var basic = (username, password) => ({
  ...username === void 0 ? {} : { username },
  ...password === void 0 ? {} : { password }
});
async function credentialsOf(client, namespace, name, registry) {
  const secret = await client.get({ apiVersion: "v1", kind: "Secret", namespace, name });
  if (!secret) throw new SourceError(`secret '${namespace}/${name}' not found`);
  const data = secret.data ?? {};
  const text = (key) => data[key] === void 0 ? void 0 : Buffer.from(data[key], "base64").toString("utf8");
  const config = text(".dockerconfigjson");
  if (config) {
    let parsed;
    try {
      parsed = parseCredentialsJson(
        config,
        `Secret ${namespace}/${name} key .dockerconfigjson`
      );
    } catch (error) {
      throw new SourceError(error.message);
    }
    const auths = parsed?.auths ?? {};
    const entry = auths[registry] ?? auths[`https://${registry}`] ?? auths[`http://${registry}`];
    if (entry?.auth) {
      const [username = "", ...rest] = Buffer.from(entry.auth, "base64").toString("utf8").split(":");
      return { username, password: rest.join(":") };
    }
    if (entry) return basic(entry.username, entry.password);
  }
  return basic(text("username"), text("password"));
}
function untar(archive, dir) {
  return new Promise((resolve, reject) => {
    const tar = spawn("tar", ["-xzf", "-", "-C", dir, "--no-same-owner", "--no-same-permissions"], {
      stdio: ["pipe", "ignore", "pipe"]
    });
    let stderr = "";
    tar.stderr.on("data", (d) => {
      stderr += d;
    });
    archive.on("error", reject);
    archive.pipe(tar.stdin);
    tar.on("error", reject);
    tar.on(
      "close",
      (code) => code === 0 ? resolve() : reject(new SourceError(`unpacking the artifact failed: ${stderr.trim()}`))
    );
  });
}
async function fetchOciRepository(repo, client, cacheDir) {
  const spec = repo.spec ?? {};
  const namespace = repo.metadata.namespace ?? "default";
  const m = /^oci:\/\/([^/]+)\/(.+?)\/*$/.exec(spec.url ?? "");
  if (!m)
    throw new SourceError(
      `OCIRepository ${namespace}/${repo.metadata.name}: spec.url is not an oci:// URL`
    );
  const [, registry = "", repository = ""] = m;
  if (spec.ref?.semver && !spec.ref.digest)
    throw new SourceError(
      "OCIRepository ref.semver is not served by Tether: use ref.tag or ref.digest"
    );
  const reference = spec.ref?.digest ?? spec.ref?.tag ?? "latest";
  const credentials = spec.secretRef ? await credentialsOf(client, namespace, spec.secretRef.name, registry) : void 0;
  const { RegistryClient } = await import("./client-3C7DAW7O.js");
  const registryClient = new RegistryClient({
    registry,
    credentials,
    insecure: spec.insecure === true
  });
  try {
    const manifest = await registryClient.getManifest(repository, reference);
    const layers = manifest.json.layers ?? [];
    const wanted = spec.layerSelector?.mediaType ?? FLUX_CONTENT_LAYER;
    const layer = spec.layerSelector?.mediaType ? layers.find((l) => l.mediaType === wanted) : layers[0];
    if (!layer?.digest)
      throw new SourceError(
        `oci://${registry}/${repository}:${reference}: no layer of type ${wanted}`
      );
    const dir = join(cacheDir, "oci", layer.digest.replace(":", "-"));
    if (!existsSync(dir)) {
      const staging = `${dir}.${process.pid}.tmp`;
      await rm(staging, { recursive: true, force: true });
      await mkdir(staging, { recursive: true });
      try {
        await untar(await registryClient.openBlob(repository, layer.digest), staging);
        await rename(staging, dir);
      } catch (error) {
        await rm(staging, { recursive: true, force: true });
        throw error;
      }
    }
    const revision = spec.ref?.digest ? manifest.digest : `${reference}@${manifest.digest}`;
    return { dir, revision, object: repo, own: false };
  } catch (error) {
    if (error instanceof SourceError) throw error;
    throw new SourceError(
      `oci://${registry}/${repository}:${reference}: ${error.message}`
    );
  } finally {
    registryClient.close();
  }
}
export {
  FLUX_CONTENT_LAYER,
  OCI_REPOSITORY_API,
  fetchOciRepository
};
