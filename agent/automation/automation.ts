// One image automation pass over a repository: check it out, read its image
// configuration, ask the registries, rewrite the marked fields, commit and push. One
// writer at a time per repository (a process lock, and a Lease when a cluster is at
// hand).
import type { KubeClient } from "../../shared/kube/client.ts";
import { type RegistryAccess, registryAccess } from "../../shared/registry/access.ts";
import type { CreatedCache } from "../../shared/registry/created-cache.ts";
import {
  credentialsFor,
  type DockerConfig,
  dockerConfigFromSecret,
  loadDockerConfig,
} from "../../shared/registry/credentials.ts";
import { isLoopbackRegistry } from "../../shared/registry/reference.ts";
import type { GitSourceSpec } from "../source/git.ts";
import { commitAndPush, type WriteResult } from "./git-writer.ts";
import { acquireLease, leaseName, releaseLease, withProcessLock } from "./lease.ts";
import { renderMessage, TemplateError, templateData } from "./message.ts";
import {
  type PullRequestOutcome,
  type PullRequestProvider,
  syncPullRequest,
} from "./pull-request.ts";
import { type AutomationConfig, type ImageConfig, readImageConfig } from "./repo-config.ts";
import { type ScanOutcome, scan } from "./scan.ts";
import { commitMessage, pinnedDigests, planUpdates, type UpdatePlan } from "./update.ts";
import type { ListRow } from "./updater.ts";
import { IMAGE_UPDATERS } from "./updaters.ts";

export interface AutomationOptions {
  spec: GitSourceSpec;
  branch?: string | undefined;
  /** Where the image objects and annotations are read (and updated, unless an ImageUpdateAutomation says). */
  path: string;
  push: boolean;
  dryRun?: boolean;
  author?: { name?: string | undefined; email?: string | undefined };
  skipCi?: boolean;
  insecureRegistries?: readonly string[];
  /** A cluster for ImageRepository secretRefs and the writer Lease. */
  kube?: { client: KubeClient; namespace: string } | undefined;
  createdCache?: CreatedCache;
  /** Creation times by tag, kept between passes (see ScanOptions.tagTimes). */
  tagTimes?: Map<string, Date | null>;
  /** Pull-request mode: where to open the pull request for a separate push branch. */
  pullRequest?: PullRequestProvider | undefined;
}

export interface AutomationResult {
  plan?: WriteResult["plan"] | undefined;
  commit?: string | undefined;
  pushed?: boolean | undefined;
  attempts?: number | undefined;
  /** The branch pushed to (the checkout branch unless spec.git.push.branch differs). */
  branch?: string | undefined;
  upToDate?: boolean | undefined;
  othersCommits?: number | undefined;
  pullRequest?: PullRequestOutcome | undefined;
  outcome?: ScanOutcome | undefined;
  config?: ImageConfig | undefined;
  /** Another agent holds the writer Lease; nothing was done. */
  skippedByLease?: boolean;
  registryRequests: number;
}

/** Every updater's scan errors (one a policy or container), in the order a pass runs them. */
export function scanErrors(result: AutomationResult): string[] {
  const { outcome } = result;
  return outcome ? IMAGE_UPDATERS.flatMap((u) => u.errors(outcome)) : [];
}

/** `tether images list`: every updater's rows, policies first, then Flux v1 containers. */
export function listRows(result: AutomationResult): ListRow[] {
  const { outcome } = result;
  if (!outcome) return [];
  return IMAGE_UPDATERS.flatMap((u) => u.rows(outcome, result.config, result.plan));
}

/**
 * How a pass reaches registries (shared/registry/access.ts): an ImageRepository's
 * secretRef gives its credentials (read at each scan, kept in memory only), else the
 * Docker config; plain HTTP when the ImageRepository says `insecure: true`, the registry
 * is listed with --insecure-registry, or it is on loopback (as Docker does).
 */
export function automationAccess(
  options: AutomationOptions,
  fallback: DockerConfig | undefined,
): RegistryAccess {
  const secret = async (namespace: string, name: string) => {
    if (!options.kube) return fallback;
    const found = await options.kube.client.get({
      apiVersion: "v1",
      kind: "Secret",
      namespace,
      name,
    });
    if (!found)
      throw new Error(`Secret ${namespace}/${name} (ImageRepository secretRef) does not exist`);
    return dockerConfigFromSecret(found);
  };
  const insecureRegistries = options.insecureRegistries ?? [];
  return registryAccess({
    async credentials(registry, hints) {
      const config = hints.secret
        ? await secret(hints.secret.namespace, hints.secret.name)
        : fallback;
      return config ? credentialsFor(config, registry) : undefined;
    },
    insecure: (registry, hints) =>
      hints.insecure === true ||
      insecureRegistries.includes(registry) ||
      isLoopbackRegistry(registry),
    createdCache: options.createdCache,
  });
}

function authorOf(options: AutomationOptions, automation: AutomationConfig | undefined) {
  return {
    name: options.author?.name ?? automation?.authorName ?? "tether",
    email: options.author?.email ?? automation?.authorEmail ?? "tether@localhost",
  };
}

/**
 * The ImageUpdateAutomation's messageTemplate when Tether can render it exactly, else
 * the default message (a subject and one `file: old -> new` line per change).
 */
export function messageFor(
  plan: UpdatePlan,
  automation: AutomationConfig | undefined,
  skipCi: boolean,
): string {
  if (automation?.messageTemplate) {
    try {
      const text = renderMessage(
        automation.messageTemplate,
        templateData(
          `${automation.namespace}/${automation.name}`,
          plan.changes,
          automation.messageTemplateValues,
        ),
      );
      if (text.trim()) return skipCi ? `${text.trimEnd()}\n\n[skip ci]\n` : text;
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error;
      plan.skipped.push(
        `${automation.file}: messageTemplate: ${error.message}; the default message is used`,
      );
    }
  }
  return commitMessage(plan.changes, { skipCi });
}

export async function runAutomation(options: AutomationOptions): Promise<AutomationResult> {
  return withProcessLock(options.spec.url, async () => {
    const lease = options.kube ? leaseName(options.spec.url) : undefined;
    if (options.kube && lease && !options.dryRun) {
      const held = await acquireLease(options.kube.client, options.kube.namespace, lease);
      if (!held) return { skippedByLease: true, registryRequests: 0 };
    }
    let fallback: DockerConfig | undefined;
    try {
      fallback = await loadDockerConfig();
    } catch {
      fallback = undefined; // No usable config.json: anonymous unless a Secret says otherwise.
    }
    const access = automationAccess(options, fallback);
    let outcome: ScanOutcome | undefined;
    let config: ImageConfig | undefined;
    let automation: AutomationConfig | undefined;
    try {
      const plan = async (dir: string): Promise<UpdatePlan> => {
        config = await readImageConfig(dir, options.path);
        automation = config.automations[0];
        // Registries are asked once per pass; a retry after a rejected push re-plans
        // the same answers on top of the new remote commit.
        outcome ??= await scan(config, access, {
          pinned: await pinnedDigests(dir, automation?.updatePath ?? options.path),
          tagTimes: options.tagTimes ?? new Map(),
        });
        return planUpdates(dir, automation?.updatePath ?? options.path, outcome);
      };
      const base = options.branch ?? "main";
      const automationName = () =>
        automation ? `${automation.namespace}/${automation.name}` : undefined;
      const written = await commitAndPush({
        spec: options.spec,
        branch: base,
        pushBranch: () => automation?.pushBranch,
        automation: automationName,
        author: () => authorOf(options, automation),
        message: (p) => messageFor(p, automation, options.skipCi ?? false),
        plan,
        push: options.push,
        dryRun: options.dryRun ?? false,
      });
      let pullRequest: PullRequestOutcome | undefined;
      // Someone else's commits on the push branch are theirs to propose; with nothing of
      // ours pending there, the pull request is left as it is.
      const othersOnly = (written.othersCommits ?? 0) > 0 && written.plan.changes.length === 0;
      if (
        options.pullRequest &&
        written.branch !== base &&
        options.push &&
        !options.dryRun &&
        !othersOnly
      ) {
        pullRequest = await syncPullRequest(options.pullRequest, {
          automation: automationName() ?? written.branch,
          head: written.branch,
          base,
          changes: written.plan.changes,
        });
      }
      return {
        ...written,
        outcome,
        config,
        pullRequest,
        registryRequests: outcome?.requests ?? 0,
      };
    } finally {
      if (options.kube && lease && !options.dryRun)
        await releaseLease(options.kube.client, options.kube.namespace, lease);
    }
  });
}
