// One image automation pass over a repository: read its image configuration on the
// agent's branch, then for each run (runs.ts: one per ImageUpdateAutomation) ask the
// registries, check out its ref, rewrite the marked fields, commit and push. One writer
// at a time per repository (a process lock, and a Lease when a cluster is at hand).
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
import { messageOf } from "../../shared/util/message.ts";
import type { GitSourceSpec } from "../source/git.ts";
import { commitAndPush, readBranch, type WriteResult } from "./git-writer.ts";
import { acquireLease, leaseName, releaseLease, withProcessLock } from "./lease.ts";
import { renderMessage, TemplateError, templateData } from "./message.ts";
import {
  type PullRequestOutcome,
  type PullRequestProvider,
  syncPullRequest,
} from "./pull-request.ts";
import { type AutomationConfig, type ImageConfig, readImageConfig } from "./repo-config.ts";
import { decideRuns, describeRef, type Run } from "./runs.ts";
import { type ScanOutcome, scan } from "./scan.ts";
import { openpgpSigner, type Signer, sshSigner } from "./signing.ts";
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

/** What one run (one ImageUpdateAutomation, or the default run) did. */
export interface RunResult {
  /** `namespace/name` of the ImageUpdateAutomation; undefined for the default run. */
  automation?: string | undefined;
  /** What the run checked out: a branch, `tag v1`, `commit abc…`. */
  base?: string | undefined;
  plan?: WriteResult["plan"] | undefined;
  commit?: string | undefined;
  pushed?: boolean | undefined;
  attempts?: number | undefined;
  /** The branch pushed to (the checkout branch unless spec.git.push.branch differs). */
  branch?: string | undefined;
  /** spec.git.push.refspec, when the commit was pushed with it too. */
  refspec?: string | undefined;
  upToDate?: boolean | undefined;
  othersCommits?: number | undefined;
  pullRequest?: PullRequestOutcome | undefined;
  outcome?: ScanOutcome | undefined;
  /** What the user should know (a suspended ImagePolicy). */
  notes: string[];
  /** The run did nothing on purpose (suspended, another repository): a note. */
  skipped?: string | undefined;
  /** The run was refused or failed: nothing of it was pushed. */
  error?: string | undefined;
}

export interface AutomationResult {
  /** One per ImageUpdateAutomation, in the order they were found; one default run without. */
  runs: RunResult[];
  config?: ImageConfig | undefined;
  /** Another agent holds the writer Lease; nothing was done. */
  skippedByLease?: boolean;
  registryRequests: number;
}

/** Every updater's scan errors (one a policy or container), each once, in the order runs ran. */
export function scanErrors(result: AutomationResult): string[] {
  const errors = result.runs.flatMap(({ outcome }) =>
    outcome ? IMAGE_UPDATERS.flatMap((u) => u.errors(outcome)) : [],
  );
  return [...new Set(errors)];
}

/**
 * `tether images list`: every updater's rows, policies first, then Flux v1 containers;
 * with several runs, each row names its automation.
 */
export function listRows(result: AutomationResult): ListRow[] {
  const many = result.runs.length > 1;
  return result.runs.flatMap((run) => {
    const { outcome } = run;
    if (!outcome) return [];
    const rows = IMAGE_UPDATERS.flatMap((u) => u.rows(outcome, result.config, run.plan));
    return many && run.automation
      ? rows.map((r) => ({ ...r, name: `${r.name} (${run.automation})` }))
      : rows;
  });
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
      if (!held) return { runs: [], skippedByLease: true, registryRequests: 0 };
    }
    let fallback: DockerConfig | undefined;
    try {
      fallback = await loadDockerConfig();
    } catch {
      fallback = undefined; // No usable config.json: anonymous unless a Secret says otherwise.
    }
    const access = automationAccess(options, fallback);
    try {
      // The image objects are read on the agent's branch (what the cluster runs, as Flux
      // reads them from the cluster); each run then checks out its own ref.
      const branch = options.branch ?? "main";
      const config = await readBranch(options.spec, branch, (dir) =>
        readImageConfig(dir, options.path),
      );
      const runs: RunResult[] = [];
      for (const decision of decideRuns(config, {
        url: options.spec.url,
        branch,
        path: options.path,
      })) {
        if ("run" in decision) runs.push(await runOne(decision.run, config, access, options));
        else if ("skipped" in decision)
          runs.push({ automation: decision.name, notes: [], skipped: decision.skipped });
        else runs.push({ automation: decision.name, notes: [], error: decision.refused });
      }
      const registryRequests = runs.reduce((n, r) => n + (r.outcome?.requests ?? 0), 0);
      return { runs, config, registryRequests };
    } finally {
      if (options.kube && lease && !options.dryRun)
        await releaseLease(options.kube.client, options.kube.namespace, lease);
    }
  });
}

/** The image objects one run uses: its policies, and the Flux v1 workloads if it updates them. */
function scopedConfig(config: ImageConfig, run: Run): ImageConfig {
  return {
    ...config,
    policies: new Map([...config.policies].filter(([k]) => run.policies.has(k))),
    workloads: run.v1 ? config.workloads : [],
  };
}

/** One run: scan its policies, plan on its checkout, commit (signed if asked) and push. */
async function runOne(
  run: Run,
  config: ImageConfig,
  access: RegistryAccess,
  options: AutomationOptions,
): Promise<RunResult> {
  const { automation } = run;
  const result: RunResult = {
    automation: run.name,
    base: describeRef(run.checkout),
    notes: [...run.notes],
  };
  let outcome: ScanOutcome | undefined;
  try {
    // A dry run commits nothing, so needs no key.
    const sign =
      automation?.signingKey && !options.dryRun ? await signerOf(automation, options) : undefined;
    const scoped = scopedConfig(config, run);
    const plan = async (dir: string): Promise<UpdatePlan> => {
      // Registries are asked once per run; a retry after a rejected push re-plans the
      // same answers on top of the new remote commit.
      outcome ??= await scan(scoped, access, {
        pinned: await pinnedDigests(dir, run.updatePath),
        tagTimes: options.tagTimes ?? new Map(),
        notApplied: run.notApplied,
      });
      return planUpdates(dir, run.updatePath, outcome);
    };
    const base = "branch" in run.checkout ? run.checkout.branch : undefined;
    const written = await commitAndPush({
      spec: options.spec,
      branch: base ?? run.pushBranch,
      checkout: "branch" in run.checkout ? undefined : run.checkout,
      pushBranch: run.pushBranch,
      refspec: run.pushRefspec,
      pushOptions: run.pushOptions,
      automation: () => run.name,
      author: () => authorOf(options, automation),
      message: (p) => messageFor(p, automation, options.skipCi ?? false),
      plan,
      push: options.push,
      dryRun: options.dryRun ?? false,
      sign,
    });
    let pullRequest: PullRequestOutcome | undefined;
    // Someone else's commits on the push branch are theirs to propose; with nothing of
    // ours pending there, the pull request is left as it is.
    const othersOnly = (written.othersCommits ?? 0) > 0 && written.plan.changes.length === 0;
    if (
      options.pullRequest &&
      base !== undefined &&
      written.branch !== base &&
      options.push &&
      !options.dryRun &&
      !othersOnly
    ) {
      pullRequest = await syncPullRequest(options.pullRequest, {
        automation: run.name ?? written.branch,
        head: written.branch,
        base,
        changes: written.plan.changes,
      });
    }
    return { ...result, ...written, outcome, pullRequest };
  } catch (error) {
    return { ...result, outcome, error: messageOf(error) };
  }
}

/**
 * The signer of spec.git.commit.signingKey: the OpenPGP key in the Secret's `git.asc`
 * (optional `passphrase`), in the automation's namespace. Throws (the run is refused,
 * never committed unsigned) when it cannot be had.
 */
async function signerOf(automation: AutomationConfig, options: AutomationOptions): Promise<Signer> {
  const secret = `${automation.namespace}/${automation.signingKey?.secretName}`;
  const refuse = (why: string) =>
    new Error(`spec.git.commit.signingKey: ${why}; nothing is committed unsigned`);
  if (!options.kube) throw refuse(`reading Secret ${secret} needs a cluster (--kubeconfig)`);
  const found = await options.kube.client.get({
    apiVersion: "v1",
    kind: "Secret",
    namespace: automation.namespace,
    name: automation.signingKey?.secretName ?? "",
  });
  if (!found) throw refuse(`Secret ${secret} does not exist`);
  const data = (found.data ?? {}) as Record<string, string>;
  const field = (k: string) =>
    data[k] === undefined ? undefined : Buffer.from(data[k], "base64").toString("utf8");
  if (automation.signingKey?.type === "ssh") {
    const identity = field("identity");
    if (!identity) throw refuse(`Secret ${secret} has no identity`);
    try {
      return await sshSigner(identity, field("password"), secret);
    } catch (error) {
      throw refuse(`Secret ${secret}: identity: ${messageOf(error)}`);
    }
  }
  const armored = field("git.asc");
  if (!armored) throw refuse(`Secret ${secret} has no git.asc`);
  try {
    return await openpgpSigner(armored, field("passphrase"));
  } catch (error) {
    throw refuse(`Secret ${secret}: git.asc: ${messageOf(error)}`);
  }
}
