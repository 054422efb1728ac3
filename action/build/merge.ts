// Merges single-platform images, pushed by digest from a matrix of native runners
// (an arm64 runner and an amd64 runner), into one OCI index under the release and
// environment tags. Nothing is rebuilt or pulled: each platform is read from its
// manifest's config, and only the index is written.

import { RefusedError } from "../../shared/command.ts";
import {
  type Descriptor,
  digestOf,
  isIndexMediaType,
  OCI_INDEX,
  type Platform,
} from "../../shared/registry/manifest.ts";
import { formatRepository, parseRepository } from "../../shared/registry/reference.ts";
import { decidePromotion } from "./promote.ts";
import type { Access } from "./registry-access.ts";

export interface MergeOptions {
  image: string;
  digests: string[];
  tags: string[];
  force: boolean;
}

export interface MergeResult {
  image: string;
  digest: string;
  platforms: string[];
  requests: number;
}

/** The index body: children in the order given (put arm64 first), platforms from configs. */
export function indexFor(children: { descriptor: Descriptor; platform: Platform }[]): Buffer {
  const seen = new Set<string>();
  for (const c of children) {
    const p = `${c.platform.os}/${c.platform.architecture}${c.platform.variant ? `/${c.platform.variant}` : ""}`;
    if (seen.has(p)) throw new Error(`two images are for ${p}; give one digest per platform`);
    seen.add(p);
  }
  return Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_INDEX,
      manifests: children.map((c) => ({ ...c.descriptor, platform: c.platform })),
    }),
  );
}

export async function merge(options: MergeOptions, access: Access): Promise<MergeResult> {
  if (options.digests.length === 0) throw new Error("give at least one --digest");
  if (options.tags.length === 0) throw new Error("give at least one --tag");
  const repo = parseRepository(options.image);
  const client = await access.client(repo.registry);
  const children: { descriptor: Descriptor; platform: Platform }[] = [];
  for (const digest of options.digests) {
    const manifest = await client.getManifest(repo.repository, digest);
    if (isIndexMediaType(manifest.mediaType))
      throw new Error(`${digest} is already an index; give single-platform images`);
    if (!manifest.json.config) throw new Error(`${digest} has no config`);
    const config = JSON.parse(
      (await client.readBlob(repo.repository, manifest.json.config.digest)).toString("utf8"),
    ) as {
      os?: string;
      architecture?: string;
      variant?: string;
    };
    if (!config.os || !config.architecture)
      throw new Error(`${digest}: its config names no os/architecture`);
    children.push({
      descriptor: {
        mediaType: manifest.mediaType,
        digest: manifest.digest,
        size: manifest.bytes.length,
      },
      platform: {
        os: config.os,
        architecture: config.architecture,
        ...(config.variant ? { variant: config.variant } : {}),
      },
    });
  }
  const body = indexFor(children);
  const digest = digestOf(body);
  // Check every tag before writing any, so a refusal changes nothing.
  for (const tag of options.tags) {
    const current = await client.headManifest(repo.repository, tag);
    const decision = decidePromotion({
      target: formatRepository(repo),
      targetTag: tag,
      sourceDigest: digest,
      targetDigest: current?.digest,
      force: options.force,
    });
    if (decision.action === "refuse") throw new RefusedError(decision.reason);
  }
  for (const tag of options.tags) await client.putManifest(repo.repository, tag, body, OCI_INDEX);
  return {
    image: formatRepository(repo),
    digest,
    platforms: children.map(
      (c) =>
        `${c.platform.os}/${c.platform.architecture}${c.platform.variant ? `/${c.platform.variant}` : ""}`,
    ),
    requests: access.requests(),
  };
}
