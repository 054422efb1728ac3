// The Flux half of a sync pass, run after the agent's own units: the GitRepositories
// that are the agent's own source get Flux's status, and the Kustomizations the units
// applied are reconciled as a tree (tree.ts). A Kustomization that points at a unit's
// own path in the agent's repository (flux-system in gotk-sync.yaml) is the agent's
// entry point: the unit already applied it, so its status is the unit's result.
import type { KubeClient } from "../../shared/kube/client.ts";
import type { KubeObject, ObjectRef } from "../../shared/manifests/object.ts";
import type { IgnoreRules } from "../../shared/render/sourceignore.ts";
import { redactUrl } from "../../shared/util/redact.ts";
import { sameRepository } from "../source/git.ts";
import {
  ARTIFACT_GENERATOR_API,
  artifactGeneratorReconciler,
  reconcileGenerator,
} from "./artifacts.ts";
import { type FluxGitRef, selectsAgentRef } from "./git-ref.ts";
import {
  GIT_REPOSITORY_API,
  hasFluxWork,
  isArtifactGenerator,
  isGitRepository,
  isKustomization,
  KUSTOMIZATION_API,
} from "./kinds.ts";
import { type KustomizationReport, specOf } from "./kustomization.ts";
import type { Lockdown } from "./lockdown.ts";
import { registerReconciler } from "./registry.ts";
import type { FluxSchedule } from "./schedule.ts";
import {
  gitRepositoryStatus,
  isAgentCheckout,
  type OwnSource,
  type ResolvedSource,
  resolveSource,
  type SourceContext,
  treeDigest,
} from "./source.ts";
import { writeStatus } from "./status.ts";
import { reconcileTree } from "./tree.ts";

export interface RootUnit {
  path: string;
  ok: boolean;
  message: string;
  /** Objects the unit applied (or left unchanged). */
  applied: readonly ObjectRef[];
}

export interface FluxPassInput {
  client: KubeClient;
  own: OwnSource;
  units: readonly RootUnit[];
  cacheDir: string;
  dryRun: boolean;
  kustomize?: string | undefined;
  ignore?: IgnoreRules | undefined;
  note: (line: string) => void;
  /** The kubeconfig the agent was given (for helm). */
  kubeconfig?: string | undefined;
  onReport?: (report: KustomizationReport) => void;
  /** Flux's multi-tenancy lockdown (lockdown.ts). */
  lockdown?: Lockdown | undefined;
  /** The long-running agent's per-Kustomization clock (schedule.ts); none: reconcile all. */
  schedule?: FluxSchedule | undefined;
  /** The delete budget of Kustomizations' prunes, and its confirmation for this pass. */
  deleteBudget?: number | undefined;
  confirmPrune?: boolean | undefined;
}

export interface FluxPass {
  reports: KustomizationReport[];
  /** Every Kustomization that is not suspended ended Ready. */
  ok: boolean;
  /** The GitRepositories served this pass: the agent's own and those fetched (metrics). */
  sources?: SourceReport[];
}

export interface SourceReport {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
  ready: boolean;
  suspended: boolean;
  revision?: string | undefined;
  url?: string | undefined;
}

/** A GitRepository's report from the live object and how resolving it ended. */
function sourceReport(repo: KubeObject, outcome: { revision: string } | undefined): SourceReport {
  const spec = repo.spec as { url?: string; suspend?: boolean } | undefined;
  return {
    apiVersion: repo.apiVersion,
    kind: repo.kind,
    namespace: repo.metadata.namespace ?? "default",
    name: repo.metadata.name,
    ready: outcome !== undefined,
    suspended: spec?.suspend === true,
    revision: outcome?.revision,
    // A URL with credentials in it keeps them out of the series.
    url: spec?.url ? redactUrl(spec.url) : undefined,
  };
}

const normPath = (path: string | undefined) =>
  (path ?? "").replace(/^\.\/?/, "").replace(/\/+$/, "") || ".";

/**
 * A fetched GitRepository's status from how resolving it ended: Ready with its artifact
 * when it is new (the digest reads every file), or not Ready when an include failed.
 * Another failure leaves the status as it was (its Kustomizations say why).
 */
async function writeSourceStatus(
  input: Pick<FluxPassInput, "client" | "note">,
  repo: KubeObject,
  resolving: Promise<ResolvedSource>,
): Promise<ResolvedSource | undefined> {
  const key = `${repo.metadata.namespace}/${repo.metadata.name}`;
  const resolved = await resolving.catch(async (error: Error) => {
    const { IncludeError, includeFailedStatus } = await import("./include.ts");
    if (error instanceof IncludeError)
      await writeStatus(input.client, repo, includeFailedStatus(repo, error)).catch((e: Error) =>
        input.note(`GitRepository ${key}: status not written: ${e.message}`),
      );
    return undefined;
  });
  if (!resolved) return undefined;
  const status = repo.status as
    | {
        artifact?: { revision?: string; digest?: string };
        includedArtifacts?: unknown;
        conditions?: { type: string; status: string }[];
      }
    | undefined;
  // Not Ready (an include failed before): written again, whatever the revision.
  const ready = status !== undefined && isReady(status);
  const changed = resolved.included
    ? status?.artifact?.digest !== resolved.included.digest
    : status?.artifact?.revision !== resolved.revision || status?.includedArtifacts;
  if (!changed && ready) return resolved;
  await (resolved.included ? Promise.resolve(resolved.included.digest) : treeDigest(resolved.dir))
    .then((digest) =>
      writeStatus(
        input.client,
        repo,
        gitRepositoryStatus(repo, resolved.revision, digest, resolved.included),
      ),
    )
    .catch((error: Error) =>
      input.note(`GitRepository ${key}: status not written: ${error.message}`),
    );
  return resolved;
}

// Entry-point GitRepositories told about already: the note describes how the agent is
// set up, which a pass does not change, so the long-running agent says it once per
// process (not on every pass, where it would bury what each pass did).
const includeNoted = new Set<string>();

const isReady = (status: { conditions?: { type: string; status: string }[] }) =>
  status.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;

export async function runFluxPass(input: FluxPassInput): Promise<FluxPass> {
  const applied = input.units.flatMap((u) => u.applied);
  const roots = applied.filter(isKustomization);
  if (!hasFluxWork(applied)) return { reports: [], ok: true };
  // ArtifactGenerators that Kustomizations apply are reconciled right after their apply.
  registerReconciler(artifactGeneratorReconciler);

  // The entry point's GitRepositories (flux-system of gotk-sync.yaml): the sources of
  // the Kustomizations a unit applied at its own path, when that unit applied the
  // GitRepository too, and it names the agent's repository or is flux-system. They are
  // the agent's checkout whatever their ref (main where the agent is on a trial branch)
  // and, for flux-system, URL (a local mirror): the unit is what Flux's flux-system
  // Kustomization was, at the agent's revision (and its signature check).
  const entryRepos = new Set<string>();
  for (const unit of input.units) {
    for (const ref of unit.applied.filter(isKustomization)) {
      const ks = await input.client
        .get({ ...ref, apiVersion: KUSTOMIZATION_API })
        .catch(() => undefined);
      const spec = ks ? specOf(ks) : undefined;
      if (!ks || spec?.sourceRef?.kind !== "GitRepository") continue;
      if (normPath(unit.path) !== normPath(spec.path)) continue;
      const namespace = spec.sourceRef.namespace ?? ks.metadata.namespace;
      const applied = unit.applied.some(
        (a) =>
          a.kind === "GitRepository" &&
          a.namespace === namespace &&
          a.name === spec.sourceRef?.name,
      );
      if (!applied) continue;
      // And it names the agent's repository (by another scheme, say), or it is the one
      // flux bootstrap writes (flux-system), whatever URL it names (a local mirror): not a
      // tenant's repository that happens to use the same path.
      const repo = await input.client
        .get({
          apiVersion: GIT_REPOSITORY_API,
          kind: "GitRepository",
          namespace: namespace ?? "default",
          name: spec.sourceRef.name ?? "",
        })
        .catch(() => undefined);
      const url = (repo?.spec as { url?: string } | undefined)?.url ?? "";
      if (sameRepository(url, input.own.url) || spec.sourceRef.name === "flux-system")
        entryRepos.add(`${namespace}/${spec.sourceRef.name}`);
    }
  }
  const own: OwnSource = { ...input.own, entryPoints: entryRepos };

  const sourceContext: SourceContext = {
    client: input.client,
    own,
    cacheDir: input.cacheDir,
    resolved: new Map(),
  };

  // The agent's own GitRepositories: Ready with the pass's revision, as source-controller writes it.
  const ownRepos = new Set<string>();
  const sources = new Map<string, SourceReport>();
  let digest: string | undefined;
  for (const ref of applied.filter(isGitRepository)) {
    const repo = await input.client.get({ ...ref, apiVersion: GIT_REPOSITORY_API });
    if (!repo || !isAgentCheckout(repo, own)) continue;
    const key = `${repo.metadata.namespace}/${repo.metadata.name}`;
    const repoRef = (repo.spec as { ref?: FluxGitRef } | undefined)?.ref;
    const repoUrl = (repo.spec as { url?: string } | undefined)?.url ?? "";
    if (entryRepos.has(key) && !selectsAgentRef(repoRef, own.ref)) {
      input.note(
        `GitRepository ${key} names ${JSON.stringify(repoRef ?? {})}, the agent follows ${JSON.stringify(own.ref)}: as the agent's entry point it is served from the agent's checkout`,
      );
    }
    if (entryRepos.has(key) && !sameRepository(repoUrl, own.url)) {
      input.note(
        `GitRepository ${key} names ${redactUrl(repoUrl)}, the agent reads ${redactUrl(own.url)}: as the agent's entry point it is served from the agent's checkout`,
      );
    }
    ownRepos.add(`${repo.metadata.namespace}/${repo.metadata.name}`);
    sources.set(`${repo.metadata.namespace}/${repo.metadata.name}`, sourceReport(repo, input.own));
    if (input.dryRun) continue;
    // With spec.include, its artifact is the checkout with the includes in (include.ts).
    if ((repo.spec as { include?: unknown[] } | undefined)?.include?.length) {
      // The entry point's path is applied by the unit, from the agent's checkout.
      if (entryRepos.has(key) && !includeNoted.has(key)) {
        includeNoted.add(key);
        input.note(
          `GitRepository ${key}: its spec.include is not in the agent's entry point (applied from the agent's checkout); its other Kustomizations read it`,
        );
      }
      const resolving = resolveSource(
        { kind: "GitRepository", name: repo.metadata.name },
        repo.metadata.namespace ?? "default",
        sourceContext,
      );
      // Ready only when its includes are: they are part of its artifact.
      sources.set(key, sourceReport(repo, await writeSourceStatus(input, repo, resolving)));
      continue;
    }
    digest ??= await treeDigest(input.own.dir);
    await writeStatus(input.client, repo, gitRepositoryStatus(repo, input.own.revision, digest));
  }

  // ArtifactGenerators the units applied, before the Kustomizations that read their artifacts.
  for (const ref of input.dryRun ? [] : applied.filter(isArtifactGenerator)) {
    const generator = await input.client.get({ ...ref, apiVersion: ARTIFACT_GENERATOR_API });
    if (!generator) continue;
    const result = await reconcileGenerator(generator, sourceContext);
    input.note(
      `artifactgenerator ${ref.namespace}/${ref.name}: ${result.ready ? "" : "not ready: "}${result.message}`,
    );
  }

  const entryPoint = async (ks: KubeObject) => {
    const spec = specOf(ks);
    if (spec.sourceRef?.kind !== "GitRepository") return undefined;
    const key = `${spec.sourceRef.namespace ?? ks.metadata.namespace}/${spec.sourceRef.name}`;
    if (!ownRepos.has(key)) return undefined;
    const unit = input.units.find((u) => normPath(u.path) === normPath(spec.path));
    return unit
      ? {
          ready: unit.ok,
          message: unit.message,
          revision: input.own.revision,
          applied: unit.applied,
        }
      : undefined;
  };

  const reports = await reconcileTree(
    roots,
    {
      client: input.client,
      source: sourceContext,
      dryRun: input.dryRun,
      kustomize: input.kustomize,
      kubeconfig: input.kubeconfig,
      ignore: input.ignore,
      note: input.note,
      lockdown: input.lockdown,
      deleteBudget: input.deleteBudget,
      confirmPrune: input.confirmPrune,
    },
    {
      entryPoint,
      schedule: input.schedule,
      // The agent's own source is at the pass's revision: a Kustomization that has not
      // tried it yet is due now, as Flux reacts to a new GitRepository artifact.
      sourceRevision: (ks) => {
        const ref = specOf(ks).sourceRef;
        const key = `${ref?.namespace ?? ks.metadata.namespace}/${ref?.name}`;
        return ref?.kind === "GitRepository" && ownRepos.has(key) ? input.own.revision : undefined;
      },
      ...(input.onReport ? { onReport: input.onReport } : {}),
    },
  );
  // Kustomizations gone since their last apply: their deletionPolicy (deletion.ts).
  if (!input.dryRun) {
    const { finalizeDeleted } = await import("./deletion.ts");
    await finalizeDeleted(input.client, input.cacheDir, input.note);
  }
  // Other GitRepositories the Kustomizations fetched: Ready when the fetch succeeded, with
  // an artifact naming the revision (what a suspended one keeps serving).
  for (const [key, resolving] of sourceContext.resolved ?? []) {
    if (!key.startsWith("GitRepository/")) continue;
    const resolved = await resolving.catch(() => undefined);
    const [, namespace, name] = key.split("/");
    if (!namespace || !name || sources.has(`${namespace}/${name}`)) continue;
    const repo =
      resolved?.object ??
      (await input.client
        .get({ apiVersion: GIT_REPOSITORY_API, kind: "GitRepository", namespace, name })
        .catch(() => undefined));
    if (!repo) continue;
    sources.set(`${namespace}/${name}`, sourceReport(repo, resolved));
    if (!input.dryRun) await writeSourceStatus(input, repo, resolving);
  }
  return {
    reports,
    ok: reports.every((r) => r.suspended || r.ready),
    sources: [...sources.values()],
  };
}
