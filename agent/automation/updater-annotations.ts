// Flux v1 image updates: workloads annotated `fluxcd.io/automated: "true"` with a
// `fluxcd.io/tag.<container>` filter (glob, semver or regex). Glob and regex pick the
// newest candidate by image creation time, asked only about candidates and cached by
// tag between passes; the container's image tag in the workload's file is rewritten.
import { selectTagV1, v1Candidates } from "../../shared/tagpolicy/policy-v1.ts";
import { setWorkloadImageTag } from "../../shared/tagpolicy/setters.ts";
import { messageOf } from "../../shared/util/message.ts";
import { mapLimit } from "../../shared/util/pool.ts";
import { splitImage, type V1Container, type V1Workload } from "./repo-config.ts";
import type { V1Outcome } from "./scan.ts";
import { excludeTags, type ImageUpdater, type ScanContext } from "./updater.ts";

export const annotationUpdater: ImageUpdater = {
  errors: (outcome) => outcome.v1.flatMap((v) => (v.error ? [v.error] : [])),

  rows: (outcome) =>
    outcome.v1.map((v) => ({
      name: `${v.workload.kind}/${v.workload.name}:${v.container}`,
      image: v.current.replace(/:[^:/]*$/, ""),
      latest: v.error ? `error: ${v.error}` : (v.latest?.replace(/^.*:/, "") ?? ""),
      inGit: v.current.replace(/^.*:/, ""),
      file: v.workload.file,
    })),

  async scan(config, registries, outcome) {
    for (const workload of config.workloads) {
      for (const container of workload.containers)
        outcome.v1.push(await selectContainer(workload, container, registries));
    }
  },

  async plan(checkout, outcome, plan) {
    for (const v1 of outcome.v1) {
      if (!v1.latest || v1.latest === v1.current) continue;
      const { tag } = splitImage(v1.latest);
      if (!tag) continue;
      const { workload } = v1;
      try {
        const result = setWorkloadImageTag(
          await checkout.text(workload.file),
          {
            kind: workload.kind,
            name: workload.name,
            ...(workload.namespace ? { namespace: workload.namespace } : {}),
          },
          v1.container,
          tag,
        );
        if (result.changes.length === 0) continue;
        plan.files.set(workload.file, result.text);
        for (const c of result.changes) {
          plan.changes.push({
            file: workload.file,
            line: c.line,
            marker: `${workload.kind}/${workload.name}:${v1.container}`,
            old: c.old,
            new: c.new,
            object: {
              apiVersion: workload.apiVersion ?? "",
              kind: workload.kind,
              name: workload.name,
              namespace: workload.namespace ?? "",
            },
          });
        }
      } catch (error) {
        plan.skipped.push(`${workload.file}: ${messageOf(error)}`);
      }
    }
  },
};

/** The image one container's filter selects (the one in Git when nothing is newer). */
async function selectContainer(
  workload: V1Workload,
  container: V1Container,
  registries: ScanContext,
): Promise<V1Outcome> {
  const { repository: image, tag } = splitImage(container.image);
  const outcome: V1Outcome = { workload, container: container.name, current: container.image };
  try {
    const { client, repository } = await registries.client(image, {});
    const tags = excludeTags(await client.listTags(repository), ["^.*\\.sig$"]);
    const candidates = v1Candidates(container.filter, tags);
    const created = new Map<string, Date>();
    if (!container.filter.startsWith("semver:")) {
      const tagTimes = registries.options.tagTimes;
      // Bounded parallel: the registry client's rate limit still applies per host.
      await mapLimit(candidates, 8, async (candidate) => {
        const cacheKey = `${client.registry}/${repository}:${candidate}`;
        let when = tagTimes?.get(cacheKey);
        if (when === undefined) {
          when = (await client.imageCreated(repository, candidate)) ?? null;
          tagTimes?.set(cacheKey, when);
        }
        if (when) created.set(candidate, when);
      });
    }
    const selection = selectTagV1(container.filter, tags, created);
    outcome.latest = selection.tag !== tag ? `${image}:${selection.tag}` : container.image;
  } catch (error) {
    outcome.error = `${workload.file}: ${workload.kind}/${workload.name} container ${container.name}: ${messageOf(error)}`;
  }
  return outcome;
}
