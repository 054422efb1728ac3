// `tether image promote`: give an existing image another tag, in the same repository or
// another one, through the registry API. The source tag is resolved to its digest once;
// that exact manifest or index is written under the target tag (with its child manifests
// and blobs first when the repository differs: mounted, not pulled), and the target tag
// is read back to check it now names the source digest. No rebuild, no layer pulls.
import { RefusedError } from "../../shared/command.ts";
import type { RegistryClient } from "../../shared/registry/client.ts";
import { NotFoundError } from "../../shared/registry/client.ts";
import {
  type CopyStats,
  copyReferenced,
  emptyStats,
  registrySource,
} from "../../shared/registry/copy.ts";
import {
  formatRepository,
  isDigest,
  parseRepository,
  type Repository,
  tagProblem,
} from "../../shared/registry/reference.ts";
import type { Access } from "./registry-access.ts";
import { isReleaseTag } from "./tags.ts";

export type PromoteDecision =
  | { action: "put"; moves: boolean }
  | { action: "none" }
  | { action: "refuse"; reason: string };

/** Whether to write the target tag, given where it points now (pure). */
export function decidePromotion(input: {
  target: string;
  targetTag: string;
  sourceDigest: string;
  /** The target tag's digest now; undefined when the tag does not exist. */
  targetDigest: string | undefined;
  force: boolean;
}): PromoteDecision {
  const { targetDigest, sourceDigest } = input;
  if (targetDigest === undefined) return { action: "put", moves: false };
  if (targetDigest === sourceDigest) return { action: "none" };
  const where = `${input.target}:${input.targetTag} points at ${targetDigest}, not ${sourceDigest}`;
  if (isReleaseTag(input.targetTag)) {
    return {
      action: "refuse",
      reason: `${where}; RELEASE.* tags are never moved (not even with --force): promote to an environment tag instead`,
    };
  }
  if (!input.force) {
    return { action: "refuse", reason: `${where}; pass --force to move it` };
  }
  return { action: "put", moves: true };
}

export interface PromoteOptions {
  image: string;
  from: string;
  toTag: string;
  toImage?: string | undefined;
  force: boolean;
}

export interface PromoteResult {
  source: Repository;
  target: Repository;
  digest: string;
  mediaType: string;
  /** "created", "moved" or "unchanged" (the tag already named the digest). */
  outcome: "created" | "moved" | "unchanged";
  stats: CopyStats;
  requests: number;
}

export async function promote(options: PromoteOptions, access: Access): Promise<PromoteResult> {
  const source = parseRepository(options.image);
  const target = options.toImage ? parseRepository(options.toImage) : source;
  const problem = tagProblem(options.toTag);
  if (problem) throw new Error(`--to-tag: ${problem}`);
  if (!isDigest(options.from)) {
    const fromProblem = tagProblem(options.from);
    if (fromProblem) throw new Error(`--from: ${fromProblem}`);
  }
  const sourceClient = await access.client(source.registry);
  const targetClient: RegistryClient = await access.client(target.registry);
  const src = `${formatRepository(source)}:${options.from}`;

  let manifest: Awaited<ReturnType<RegistryClient["getManifest"]>>;
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
    force: options.force,
  });
  if (decision.action === "refuse") throw new RefusedError(decision.reason);

  const stats = emptyStats();
  if (decision.action === "put") {
    await copyReferenced(
      registrySource(sourceClient, source.repository),
      { client: targetClient, repository: target.repository },
      manifest,
      stats,
    );
    await targetClient.putManifest(
      target.repository,
      options.toTag,
      manifest.bytes,
      manifest.mediaType,
    );
  }
  // Read the tag back: exit 0 means the registry now answers the source digest for it.
  const now = await targetClient.headManifest(target.repository, options.toTag);
  if (now?.digest !== manifest.digest) {
    throw new Error(
      `${formatRepository(target)}:${options.toTag} points at ${now?.digest ?? "nothing"} after the push, not ${manifest.digest}`,
    );
  }
  return {
    source,
    target,
    digest: manifest.digest,
    mediaType: manifest.mediaType,
    outcome: decision.action === "none" ? "unchanged" : decision.moves ? "moved" : "created",
    stats,
    requests: access.requests(),
  };
}
