#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  isReleaseTag
} from "./chunk-LCUR7MG5.js";
import {
  NotFoundError
} from "./chunk-YWFEFF4K.js";
import {
  childManifests,
  digestOf,
  isIndexMediaType,
  manifestMediaType,
  parseManifestJson,
  referencedBlobs
} from "./chunk-NZUFSULI.js";
import {
  mapLimit
} from "./chunk-F7OZ6T2Y.js";
import {
  formatRepository,
  isDigest,
  parseRepository,
  tagProblem
} from "./chunk-ZRNRZWX5.js";
import {
  RefusedError
} from "./chunk-YPJ6XMAN.js";

// shared/registry/copy.ts
const { createReadStream } = require("node:fs");
const { readFile } = require("node:fs/promises");
const { join } = require("node:path");
function registrySource(client, repository) {
  return {
    describe: `${client.registry}/${repository}`,
    registry: { name: client.registry, repository },
    manifest: (reference) => client.getManifest(repository, reference),
    blob: (digest) => client.openBlob(repository, digest)
  };
}
async function layoutSource(dir) {
  const blobPath = (digest) => {
    const [algorithm, hex] = digest.split(":");
    if (!algorithm || !hex || !/^[a-f0-9]+$/.test(hex)) throw new Error(`bad digest ${digest}`);
    return join(dir, "blobs", algorithm, hex);
  };
  const read = async (digest) => {
    const bytes = await readFile(blobPath(digest));
    if (digestOf(bytes) !== digest)
      throw new Error(`${blobPath(digest)} does not match its digest`);
    const json = parseManifestJson(bytes, blobPath(digest));
    return { repository: dir, digest, mediaType: manifestMediaType(json), bytes, json };
  };
  const index = parseManifestJson(await readFile(join(dir, "index.json")), `${dir}/index.json`);
  const entries = childManifests(index);
  if (entries.length !== 1) {
    throw new Error(`${dir}/index.json lists ${entries.length} images; expected exactly one`);
  }
  const top = await read(entries[0].digest);
  return {
    describe: `OCI layout ${dir}`,
    top,
    manifest: read,
    blob: async (digest) => createReadStream(blobPath(digest))
  };
}
function emptyStats() {
  return { manifests: 0, mounted: 0, uploaded: 0, present: 0 };
}
var CONCURRENCY = 4;
async function copyReferenced(source, target, manifest, stats = emptyStats()) {
  if (source.registry?.name === target.client.registry && source.registry.repository === target.repository) {
    return stats;
  }
  if (isIndexMediaType(manifest.mediaType)) {
    await mapLimit(childManifests(manifest.json), CONCURRENCY, async (child) => {
      if (await target.client.headManifest(target.repository, child.digest)) {
        stats.present++;
        return;
      }
      const image = await source.manifest(child.digest);
      await copyBlobs(source, target, referencedBlobs(image.json), stats);
      await target.client.putManifest(
        target.repository,
        child.digest,
        image.bytes,
        image.mediaType
      );
      stats.manifests++;
    });
  } else {
    await copyBlobs(source, target, referencedBlobs(manifest.json), stats);
  }
  return stats;
}
async function copyBlobs(source, target, blobs, stats) {
  await mapLimit(blobs, CONCURRENCY, async (blob) => {
    const open = () => source.blob(blob.digest);
    if (source.registry?.name === target.client.registry) {
      const mount = await target.client.mountBlob(
        target.repository,
        blob.digest,
        source.registry.repository
      );
      if (mount.mounted) {
        stats.mounted++;
        return;
      }
      await target.client.uploadBlob(target.repository, blob, open, mount.location);
      stats.uploaded++;
      return;
    }
    if (await target.client.blobExists(target.repository, blob.digest)) {
      stats.present++;
      return;
    }
    await target.client.uploadBlob(target.repository, blob, open);
    stats.uploaded++;
  });
}

// action/build/promote.ts
function decidePromotion(input) {
  const { targetDigest, sourceDigest } = input;
  if (targetDigest === void 0) return { action: "put", moves: false };
  if (targetDigest === sourceDigest) return { action: "none" };
  const where = `${input.target}:${input.targetTag} points at ${targetDigest}, not ${sourceDigest}`;
  if (isReleaseTag(input.targetTag)) {
    return {
      action: "refuse",
      reason: `${where}; RELEASE.* tags are never moved (not even with --force): promote to an environment tag instead`
    };
  }
  if (!input.force) {
    return { action: "refuse", reason: `${where}; pass --force to move it` };
  }
  return { action: "put", moves: true };
}
async function promote(options, access) {
  const source = parseRepository(options.image);
  const target = options.toImage ? parseRepository(options.toImage) : source;
  const problem = tagProblem(options.toTag);
  if (problem) throw new Error(`--to-tag: ${problem}`);
  if (!isDigest(options.from)) {
    const fromProblem = tagProblem(options.from);
    if (fromProblem) throw new Error(`--from: ${fromProblem}`);
  }
  const sourceClient = await access.client(source.registry);
  const targetClient = await access.client(target.registry);
  const src = `${formatRepository(source)}:${options.from}`;
  let manifest;
  try {
    manifest = await sourceClient.getManifest(source.repository, options.from);
  } catch (error) {
    if (error instanceof NotFoundError) {
      throw new Error(`${src} does not exist: check --image and --from (${error.message})`);
    }
    throw error;
  }
  const current = await targetClient.headManifest(target.repository, options.toTag);
  const decision = decidePromotion({
    target: formatRepository(target),
    targetTag: options.toTag,
    sourceDigest: manifest.digest,
    targetDigest: current?.digest,
    force: options.force
  });
  if (decision.action === "refuse") throw new RefusedError(decision.reason);
  const stats = emptyStats();
  if (decision.action === "put") {
    await copyReferenced(
      registrySource(sourceClient, source.repository),
      { client: targetClient, repository: target.repository },
      manifest,
      stats
    );
    await targetClient.putManifest(
      target.repository,
      options.toTag,
      manifest.bytes,
      manifest.mediaType
    );
  }
  const now = await targetClient.headManifest(target.repository, options.toTag);
  if (now?.digest !== manifest.digest) {
    throw new Error(
      `${formatRepository(target)}:${options.toTag} points at ${now?.digest ?? "nothing"} after the push, not ${manifest.digest}`
    );
  }
  return {
    source,
    target,
    digest: manifest.digest,
    mediaType: manifest.mediaType,
    outcome: decision.action === "none" ? "unchanged" : decision.moves ? "moved" : "created",
    stats,
    requests: access.requests()
  };
}

export {
  layoutSource,
  copyReferenced,
  decidePromotion,
  promote
};
