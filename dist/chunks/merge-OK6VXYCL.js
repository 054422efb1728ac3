#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  decidePromotion
} from "./chunk-BAHDLIS7.js";
import "./chunk-LCUR7MG5.js";
import "./chunk-YWFEFF4K.js";
import {
  OCI_INDEX,
  digestOf,
  isIndexMediaType
} from "./chunk-NZUFSULI.js";
import "./chunk-IE7JZNQV.js";
import "./chunk-F5JPSHJQ.js";
import "./chunk-F7OZ6T2Y.js";
import {
  formatRepository,
  parseRepository
} from "./chunk-ZRNRZWX5.js";
import {
  RefusedError
} from "./chunk-YPJ6XMAN.js";
import "./chunk-6SSSO5LC.js";
import "./chunk-3IQPLNQJ.js";

// action/build/merge.ts
function indexFor(children) {
  const seen = /* @__PURE__ */ new Set();
  for (const c of children) {
    const p = `${c.platform.os}/${c.platform.architecture}${c.platform.variant ? `/${c.platform.variant}` : ""}`;
    if (seen.has(p)) throw new Error(`two images are for ${p}; give one digest per platform`);
    seen.add(p);
  }
  return Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_INDEX,
      manifests: children.map((c) => ({ ...c.descriptor, platform: c.platform }))
    })
  );
}
async function merge(options, access) {
  if (options.digests.length === 0) throw new Error("give at least one --digest");
  if (options.tags.length === 0) throw new Error("give at least one --tag");
  const repo = parseRepository(options.image);
  const client = await access.client(repo.registry);
  const children = [];
  for (const digest2 of options.digests) {
    const manifest = await client.getManifest(repo.repository, digest2);
    if (isIndexMediaType(manifest.mediaType))
      throw new Error(`${digest2} is already an index; give single-platform images`);
    if (!manifest.json.config) throw new Error(`${digest2} has no config`);
    const config = JSON.parse(
      (await client.readBlob(repo.repository, manifest.json.config.digest)).toString("utf8")
    );
    if (!config.os || !config.architecture)
      throw new Error(`${digest2}: its config names no os/architecture`);
    children.push({
      descriptor: {
        mediaType: manifest.mediaType,
        digest: manifest.digest,
        size: manifest.bytes.length
      },
      platform: {
        os: config.os,
        architecture: config.architecture,
        ...config.variant ? { variant: config.variant } : {}
      }
    });
  }
  const body = indexFor(children);
  const digest = digestOf(body);
  for (const tag of options.tags) {
    const current = await client.headManifest(repo.repository, tag);
    const decision = decidePromotion({
      target: formatRepository(repo),
      targetTag: tag,
      sourceDigest: digest,
      targetDigest: current?.digest,
      force: options.force
    });
    if (decision.action === "refuse") throw new RefusedError(decision.reason);
  }
  for (const tag of options.tags) await client.putManifest(repo.repository, tag, body, OCI_INDEX);
  return {
    image: formatRepository(repo),
    digest,
    platforms: children.map(
      (c) => `${c.platform.os}/${c.platform.architecture}${c.platform.variant ? `/${c.platform.variant}` : ""}`
    ),
    requests: access.requests()
  };
}
export {
  indexFor,
  merge
};
