// Copies an image (a manifest or an index with its child manifests) into a repository
// through the registry API, without pulling layers when they can be mounted: within one
// registry every blob is mounted from the source repository (POST ?mount=&from=); a
// refused mount, or a copy between registries or from an OCI layout, streams the bytes.
// Only what the target lacks moves. The caller puts the tag afterwards, so nothing is
// tagged until everything it references is present.
import { createReadStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { mapLimit } from "../util/pool.ts";
import type { Manifest, RegistryClient } from "./client.ts";
import {
  childManifests,
  type Descriptor,
  digestOf,
  isIndexMediaType,
  manifestMediaType,
  parseManifestJson,
  referencedBlobs,
} from "./manifest.ts";

/** Where content is copied from: a repository of a registry, or an OCI image layout. */
export interface ContentSource {
  describe: string;
  /** Set for a registry repository: the target can mount blobs from it on the same registry. */
  registry?: { name: string; repository: string };
  manifest(reference: string): Promise<Manifest>;
  blob(digest: string): Promise<Readable>;
}

export function registrySource(client: RegistryClient, repository: string): ContentSource {
  return {
    describe: `${client.registry}/${repository}`,
    registry: { name: client.registry, repository },
    manifest: (reference) => client.getManifest(repository, reference),
    blob: (digest) => client.openBlob(repository, digest),
  };
}

/** An OCI image layout directory (what `buildah manifest push oci:DIR` and buildx write). */
export async function layoutSource(dir: string): Promise<ContentSource & { top: Manifest }> {
  const blobPath = (digest: string) => {
    const [algorithm, hex] = digest.split(":");
    if (!algorithm || !hex || !/^[a-f0-9]+$/.test(hex)) throw new Error(`bad digest ${digest}`);
    return join(dir, "blobs", algorithm, hex);
  };
  const read = async (digest: string): Promise<Manifest> => {
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
  const top = await read((entries[0] as Descriptor).digest);
  return {
    describe: `OCI layout ${dir}`,
    top,
    manifest: read,
    blob: async (digest) => createReadStream(blobPath(digest)),
  };
}

export interface CopyStats {
  /** Child manifests put into the target. */
  manifests: number;
  /** Blobs linked by a cross-repository mount. */
  mounted: number;
  /** Blobs whose bytes were streamed. */
  uploaded: number;
  /** Blobs and child manifests the target already had. */
  present: number;
}

export function emptyStats(): CopyStats {
  return { manifests: 0, mounted: 0, uploaded: 0, present: 0 };
}

export interface CopyTarget {
  client: RegistryClient;
  repository: string;
}

const CONCURRENCY = 4;

/**
 * Makes everything `manifest` references (child manifests, config and layer blobs)
 * present in the target repository. Nothing to do within one repository.
 */
export async function copyReferenced(
  source: ContentSource,
  target: CopyTarget,
  manifest: Manifest,
  stats: CopyStats = emptyStats(),
): Promise<CopyStats> {
  if (
    source.registry?.name === target.client.registry &&
    source.registry.repository === target.repository
  ) {
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
        image.mediaType,
      );
      stats.manifests++;
    });
  } else {
    await copyBlobs(source, target, referencedBlobs(manifest.json), stats);
  }
  return stats;
}

async function copyBlobs(
  source: ContentSource,
  target: CopyTarget,
  blobs: Descriptor[],
  stats: CopyStats,
): Promise<void> {
  await mapLimit(blobs, CONCURRENCY, async (blob) => {
    const open = () => source.blob(blob.digest);
    if (source.registry?.name === target.client.registry) {
      // A mount answers 201 also when the target already has the blob, so no HEAD first.
      const mount = await target.client.mountBlob(
        target.repository,
        blob.digest,
        source.registry.repository,
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
