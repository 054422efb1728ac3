// Asks registries for tags and decides the latest image of every policy and Flux v1
// workload. The registry work (auth, retries, rate limits, pagination, creation times
// cached by digest) is the shared registry client's; this module only decides what to
// ask and what the answers mean.

import type { RegistryAccess, RepositoryHints } from "../../shared/registry/access.ts";
import type { RegistryClient } from "../../shared/registry/client.ts";
import { parseRepository } from "../../shared/registry/reference.ts";
import { compileGoRegexp } from "../../shared/tagpolicy/goregexp.ts";
import { selectTag } from "../../shared/tagpolicy/policy.ts";
import { selectTagV1, v1Candidates } from "../../shared/tagpolicy/policy-v1.ts";
import type { PolicyImage } from "../../shared/tagpolicy/setters.ts";
import { mapLimit } from "../../shared/util/pool.ts";
import type { ImageConfig, ImageRepositoryConfig, V1Workload } from "./repo-config.ts";
import { splitImage } from "./repo-config.ts";

export interface ScanOptions {
  /**
   * `<ns>:<name>|<tag>` -> the digest Git already holds for that tag (see markedDigests):
   * what `digestReflectionPolicy: IfNotPresent` keeps rather than asking again.
   */
  pinned?: ReadonlyMap<string, string>;
  /**
   * Creation time by `repository:tag`, kept between passes: a rescan asks only about
   * tags it has not seen. A tag moved to other content keeps its first time until the
   * agent restarts; release and env-sha tags are not moved.
   */
  tagTimes?: Map<string, Date | null>;
}

export interface PolicyOutcome {
  /** `namespace:name` of the ImagePolicy. */
  key: string;
  image?: PolicyImage;
  error?: string;
  candidates?: number;
}

export interface V1Outcome {
  workload: V1Workload;
  container: string;
  /** The image in Git and the one the filter selects. */
  current: string;
  latest?: string;
  error?: string;
}

export interface ScanOutcome {
  policies: PolicyOutcome[];
  v1: V1Outcome[];
  requests: number;
}

/** Tags minus those matching any exclusion expression (Go syntax, as in Flux). */
export function excludeTags(tags: readonly string[], exclusionList: readonly string[]): string[] {
  const patterns = exclusionList.map((p) => compileGoRegexp(p));
  return tags.filter((tag) => !patterns.some((re) => re.test(tag)));
}

async function clientFor(
  access: RegistryAccess,
  image: string,
  hints: RepositoryHints,
): Promise<{ client: RegistryClient; repository: string }> {
  const { registry, repository } = parseRepository(image);
  return { client: await access.client(registry, hints), repository };
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Scans every policy and Flux v1 workload. */
export async function scan(
  config: ImageConfig,
  access: RegistryAccess,
  options: ScanOptions = {},
): Promise<ScanOutcome> {
  const pinned = options.pinned ?? new Map<string, string>();
  const tagsByRepository = new Map<string, Promise<string[]>>();
  const clients = new Set<RegistryClient>();
  const clientOf = async (repo: ImageRepositoryConfig) => {
    const secret = repo.secretRef ? { namespace: repo.namespace, name: repo.secretRef } : undefined;
    const found = await clientFor(access, repo.image, { insecure: repo.insecure, secret });
    clients.add(found.client);
    return found;
  };
  // Flux's digestReflectionPolicy: Never (the default) writes no digest; IfNotPresent
  // the digest first seen for a tag (kept in Git); Always the tag's digest now, so a
  // moved tag (latest, a rebuilt release) is followed.
  const digestOf = async (
    key: string,
    repo: ImageRepositoryConfig,
    tag: string,
    reflection: "Always" | "IfNotPresent" | "Never" | undefined,
  ): Promise<string | undefined> => {
    if (reflection === undefined || reflection === "Never") return undefined;
    const kept = reflection === "IfNotPresent" ? pinned.get(`${key}|${tag}`) : undefined;
    if (kept !== undefined) return kept;
    const { client, repository } = await clientOf(repo);
    const head = await client.headManifest(repository, tag);
    if (head === undefined) throw new Error(`tag ${tag} has no manifest (deleted since listed?)`);
    return head.digest;
  };
  const tagsOf = (repo: ImageRepositoryConfig) => {
    const k = `${repo.namespace}:${repo.name}`;
    let tags = tagsByRepository.get(k);
    if (!tags) {
      tags = (async () => {
        const { client, repository } = await clientOf(repo);
        return excludeTags(await client.listTags(repository), repo.exclusionList);
      })();
      tagsByRepository.set(k, tags);
    }
    return tags;
  };

  const policies: PolicyOutcome[] = [];
  for (const [k, policy] of config.policies) {
    const ref = policy.spec.imageRepositoryRef;
    const repo = config.repositories.get(
      `${ref.namespace ?? policy.namespace ?? "flux-system"}:${ref.name}`,
    );
    if (!repo) {
      policies.push({
        key: k,
        error: `ImagePolicy ${k} refers to ImageRepository ${ref.name}, which is not in the repository`,
      });
      continue;
    }
    try {
      const selection = selectTag(policy.spec, await tagsOf(repo));
      const digest = await digestOf(k, repo, selection.tag, policy.spec.digestReflectionPolicy);
      policies.push({
        key: k,
        image: { image: repo.image, tag: selection.tag, ...(digest ? { digest } : {}) },
        candidates: selection.candidates,
      });
    } catch (error) {
      policies.push({ key: k, error: `${repo.image}: ${messageOf(error)}` });
    }
  }

  // Flux v1: glob and regex pick the newest by creation time; ask only about candidates.
  const v1: V1Outcome[] = [];
  for (const workload of config.workloads) {
    for (const container of workload.containers) {
      const { repository: image, tag } = splitImage(container.image);
      const outcome: V1Outcome = { workload, container: container.name, current: container.image };
      try {
        const { client, repository } = await clientFor(access, image, {});
        clients.add(client);
        const tags = excludeTags(await client.listTags(repository), ["^.*\\.sig$"]);
        const candidates = v1Candidates(container.filter, tags);
        const created = new Map<string, Date>();
        if (!container.filter.startsWith("semver:")) {
          // Bounded parallel: the registry client's rate limit still applies per host.
          await mapLimit(candidates, 8, async (candidate) => {
            const cacheKey = `${client.registry}/${repository}:${candidate}`;
            let when = options.tagTimes?.get(cacheKey);
            if (when === undefined) {
              when = (await client.imageCreated(repository, candidate)) ?? null;
              options.tagTimes?.set(cacheKey, when);
            }
            if (when) created.set(candidate, when);
          });
        }
        const selection = selectTagV1(container.filter, tags, created);
        if (selection.tag !== tag) outcome.latest = `${image}:${selection.tag}`;
        else outcome.latest = container.image;
      } catch (error) {
        outcome.error = `${workload.file}: ${workload.kind}/${workload.name} container ${container.name}: ${messageOf(error)}`;
      }
      v1.push(outcome);
    }
  }
  let requests = 0;
  for (const client of clients) requests += client.requests;
  return { policies, v1, requests };
}
