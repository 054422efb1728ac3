// Flux v2 image updates: ImagePolicies select a tag from their ImageRepository's tags,
// and setter markers (`# {"$imagepolicy": "<ns>:<name>"}`, `:tag`, `:name`) in the
// files below spec.update.path take it. Only the marked scalars change.
import { relative, sep } from "node:path";
import { listManifestFiles } from "../../shared/manifests/load.ts";
import { type ImagePolicySpec, selectTag } from "../../shared/tagpolicy/policy.ts";
import { applySetters, type PolicyImage } from "../../shared/tagpolicy/setters.ts";
import { resolveSymlinks } from "../../shared/util/confine.ts";
import { messageOf } from "../../shared/util/message.ts";
import type { ImageRepositoryConfig } from "./repo-config.ts";
import type { PolicyOutcome } from "./scan.ts";
import { excludeTags, type ImageUpdater, type ScanContext } from "./updater.ts";

const MARKER = "$imagepolicy";

type Reflection = ImagePolicySpec["digestReflectionPolicy"];

/** How an ImageRepository is reached: its own `insecure` and `secretRef`. */
const hintsOf = (repo: ImageRepositoryConfig) => ({
  insecure: repo.insecure,
  secret: repo.secretRef ? { namespace: repo.namespace, name: repo.secretRef } : undefined,
});

export const markerUpdater: ImageUpdater = {
  errors: (outcome) => outcome.policies.flatMap((p) => (p.error ? [p.error] : [])),

  rows(outcome, config, plan) {
    return outcome.policies.map((p) => {
      const inGit = (plan?.changes ?? [])
        .filter((c) => c.marker.startsWith(p.key))
        .map((c) => c.old);
      return {
        name: p.key,
        image: p.image?.image ?? "",
        latest: p.error ? `error: ${p.error}` : (p.image?.tag ?? ""),
        inGit: inGit.length > 0 ? [...new Set(inGit)].join(", ") : p.error ? "" : "up to date",
        file: config?.policies.get(p.key)?.file ?? "",
      };
    });
  },

  async scan(config, registries, outcome) {
    const tagsByRepository = new Map<string, Promise<string[]>>();
    // One tag list per ImageRepository, however many policies select from it.
    const tagsOf = (repo: ImageRepositoryConfig) => {
      const k = `${repo.namespace}:${repo.name}`;
      let tags = tagsByRepository.get(k);
      if (!tags) {
        tags = (async () => {
          const { client, repository } = await registries.client(repo.image, hintsOf(repo));
          return excludeTags(await client.listTags(repository), repo.exclusionList);
        })();
        tagsByRepository.set(k, tags);
      }
      return tags;
    };
    for (const [k, policy] of config.policies) {
      const ref = policy.spec.imageRepositoryRef;
      const repo = config.repositories.get(
        `${ref.namespace ?? policy.namespace ?? "flux-system"}:${ref.name}`,
      );
      if (!repo) {
        outcome.policies.push({
          key: k,
          error: `ImagePolicy ${k} refers to ImageRepository ${ref.name}, which is not in the repository`,
        });
        continue;
      }
      outcome.policies.push(await selectPolicy(k, policy.spec, repo, registries, tagsOf));
    }
  },

  async plan(checkout, outcome, plan) {
    const images = new Map<string, PolicyImage>();
    for (const p of outcome.policies) if (p.image) images.set(p.key, p.image);
    for (const abs of await listManifestFiles(checkout.updateDir, checkout.realRoot)) {
      // A symlinked file is changed where it really is, so Git records the change there.
      const file = relative(checkout.realRoot, await resolveSymlinks(abs))
        .split(sep)
        .join("/");
      const text = await checkout.text(file);
      if (!text.includes(MARKER)) continue;
      try {
        const result = applySetters(text, images);
        // A policy this pass does not apply is known: its markers are not a mistake.
        const policyOf = (marker: string) => marker.split(":").slice(0, 2).join(":");
        for (const s of result.skipped)
          if (!outcome.notApplied?.has(policyOf(s.marker)))
            plan.skipped.push(`${file}:${s.line}: ${s.marker}: ${s.reason}`);
        if (result.changes.length === 0) continue;
        plan.files.set(file, result.text);
        for (const c of result.changes)
          plan.changes.push({
            file,
            line: c.line,
            marker: c.marker,
            old: c.old,
            new: c.new,
            object: c.object,
          });
      } catch (error) {
        plan.skipped.push(`${file}: ${messageOf(error)}`);
      }
    }
  },
};

/** The tag (and with digest reflection, the digest) one policy selects. */
async function selectPolicy(
  key: string,
  spec: ImagePolicySpec,
  repo: ImageRepositoryConfig,
  registries: ScanContext,
  tagsOf: (repo: ImageRepositoryConfig) => Promise<string[]>,
): Promise<PolicyOutcome> {
  try {
    const selection = selectTag(spec, await tagsOf(repo));
    const digest = await reflectDigest(
      key,
      repo,
      selection.tag,
      spec.digestReflectionPolicy,
      registries,
    );
    return {
      key,
      image: { image: repo.image, tag: selection.tag, ...(digest ? { digest } : {}) },
      candidates: selection.candidates,
    };
  } catch (error) {
    return { key, error: `${repo.image}: ${messageOf(error)}` };
  }
}

// Flux's digestReflectionPolicy: Never (the default) writes no digest; IfNotPresent the
// digest first seen for a tag (kept in Git); Always the tag's digest now, so a moved tag
// (latest, a rebuilt release) is followed.
async function reflectDigest(
  key: string,
  repo: ImageRepositoryConfig,
  tag: string,
  reflection: Reflection,
  registries: ScanContext,
): Promise<string | undefined> {
  if (reflection === undefined || reflection === "Never") return undefined;
  const kept =
    reflection === "IfNotPresent" ? registries.options.pinned?.get(`${key}|${tag}`) : undefined;
  if (kept !== undefined) return kept;
  const { client, repository } = await registries.client(repo.image, hintsOf(repo));
  const head = await client.headManifest(repository, tag);
  if (head === undefined) throw new Error(`tag ${tag} has no manifest (deleted since listed?)`);
  return head.digest;
}
