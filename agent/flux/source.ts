// Where a Kustomization's manifests come from (`spec.sourceRef`). A GitRepository
// whose URL is the agent's own (credentials ignored) is the agent's checkout at the
// pass's revision and uses the agent's credentials; another GitRepository is fetched
// with the Secret of its `secretRef`; an ExternalArtifact is an ArtifactGenerator's
// output (artifacts.ts). Each answer says which Flux revision the files are at.
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { KubeClient } from "../../shared/kube/client.ts";
import type { KubeObject } from "../../shared/manifests/object.ts";
import {
  checkoutCurrent,
  type GitCredentials,
  type GitSourceSpec,
  removeCheckouts,
  sameRepository,
  sparseDirectories,
  withoutUrlCredentials,
} from "../source/git.ts";
import { credentialsFromSecret } from "../source/secret-credentials.ts";
import {
  keysFromSecretEntries,
  parseVerifyMode,
  VerificationError,
  verifyRevision,
} from "../source/verify.ts";
import { type FluxGitRef, resolveFluxRef, selectsAgentRef, suspendedRevision } from "./git-ref.ts";
import { fluxRevision, GIT_REPOSITORY_API, isGitRepository, parseFluxDuration } from "./kinds.ts";

export interface OwnSource {
  /** The agent's repository URL, credentials taken out. */
  url: string;
  dir: string;
  /** Flux revision, e.g. `main@sha1:<sha>`. */
  revision: string;
  /** What the agent follows: its branch, tag or commit. */
  ref: FluxGitRef;
  /** The agent's credentials, for its repository at another ref. */
  credentials?: GitCredentials | undefined;
  /**
   * GitRepositories (`namespace/name`) that are the agent's entry point: the agent's
   * checkout whatever their ref (see flux/pass.ts).
   */
  entryPoints?: ReadonlySet<string> | undefined;
}

/**
 * A GitRepository is the agent's checkout when it is the agent's entry point (see
 * flux/pass.ts: whatever its URL and ref), or names the agent's repository at the ref
 * the agent follows. At another ref (a staging branch, a release tag of the same
 * repository) it is fetched, with the agent's credentials.
 */
export function isAgentCheckout(
  repo: KubeObject,
  own: Pick<OwnSource, "url" | "ref" | "entryPoints">,
): boolean {
  const spec = (repo.spec ?? {}) as GitCheckoutSpec & { url?: string; ref?: FluxGitRef };
  const key = `${repo.metadata.namespace ?? "default"}/${repo.metadata.name}`;
  if (own.entryPoints?.has(key)) return true;
  // The agent's checkout is whole and has no submodules: another shape is fetched.
  if (!plainCheckout(spec)) return false;
  return sameRepository(spec.url ?? "", own.url) && selectsAgentRef(spec.ref, own.ref);
}

/**
 * The fields of a GitRepository that shape its checkout, besides URL and ref: of any
 * type until gitCheckoutOptions checks them (a cluster whose CRD is missing or older
 * does not).
 */
interface GitCheckoutSpec {
  sparseCheckout?: unknown;
  recurseSubmodules?: unknown;
  timeout?: unknown;
}

/**
 * A checkout of the whole tree without submodules (what the agent's own checkout is):
 * the fields unset, null or empty. Any other value, of a wrong type too, is fetched, so
 * that gitCheckoutOptions refuses it rather than the agent's checkout serving it.
 */
function plainCheckout(spec: GitCheckoutSpec): boolean {
  const noSparse =
    spec.sparseCheckout == null ||
    (Array.isArray(spec.sparseCheckout) && spec.sparseCheckout.length === 0);
  return noSparse && (spec.recurseSubmodules == null || spec.recurseSubmodules === false);
}

/**
 * A GitRepository's sparseCheckout, recurseSubmodules and timeout, checked before
 * anything is fetched: folders as written and as folders of the repository
 * (sparseDirectories), whether submodules are fetched, the deadline. Unset or null is
 * none; a value of another type is refused (the CRD's validation, where the cluster has
 * none), never read as none: a full checkout would serve in a sparse one's place.
 */
export function gitCheckoutOptions(spec: GitCheckoutSpec): {
  sparse: { written: string; dir: string }[];
  recurseSubmodules: boolean;
  timeout: ReturnType<typeof gitTimeout>;
} {
  const written = spec.sparseCheckout ?? [];
  if (!Array.isArray(written) || written.some((entry) => typeof entry !== "string"))
    throw new SourceError(
      `spec.sparseCheckout must be a list of folders (e.g. [./apps]), not ${JSON.stringify(written)}`,
    );
  const recurse = spec.recurseSubmodules ?? false;
  if (typeof recurse !== "boolean")
    throw new SourceError(
      `spec.recurseSubmodules must be true or false, not ${JSON.stringify(recurse)}`,
    );
  return {
    sparse: sparseDirectories(written).map((dir, i) => ({ written: written[i] as string, dir })),
    recurseSubmodules: recurse,
    timeout: gitTimeout(spec.timeout),
  };
}

/** Flux's default `spec.timeout` (the CRD's default): Git operations of one fetch. */
export const DEFAULT_GIT_TIMEOUT = "60s";

/**
 * A GitRepository's `spec.timeout` in milliseconds, and how to name it in an error.
 * Durations as Flux writes them (`30s`, `1m30s`, `500ms`); another text is refused
 * rather than read as no limit.
 */
export function gitTimeout(text: unknown): { ms: number; label: string } {
  const written = text === undefined || text === null || text === "" ? DEFAULT_GIT_TIMEOUT : text;
  const ms = parseFluxDuration(written, Number.NaN);
  if (!(ms > 0))
    throw new SourceError(
      `spec.timeout ${JSON.stringify(written)} is not a duration (write e.g. 60s, 1m30s or 500ms)`,
    );
  return { ms, label: `${written} (spec.timeout)` };
}

export interface ResolvedSource {
  dir: string;
  revision: string;
  /** A GitRepository's `spec.ignore`, for the builds that read it. */
  ignore?: string | undefined;
  /** The source object, when it exists in the cluster. */
  object?: KubeObject | undefined;
  own: boolean;
  /** A GitRepository with `spec.include`: `dir` is its artifact with the includes in (include.ts). */
  included?: IncludedSource | undefined;
}

export interface IncludedSource {
  /** The content digest of the artifact, includes in. */
  digest: string;
  /** `status.includedArtifacts`, in the order of `spec.include`. */
  artifacts: Record<string, unknown>[];
}

export class SourceError extends Error {}

export interface SourceContext {
  client: KubeClient;
  own: OwnSource;
  cacheDir: string;
  /** Sources already resolved in this pass, by `kind/namespace/name`. */
  resolved?: Map<string, Promise<ResolvedSource>>;
}

function decode(data: Record<string, string> | undefined, key: string): string | undefined {
  const value = data?.[key];
  return value === undefined ? undefined : Buffer.from(value, "base64").toString("utf8");
}

/** Fetches a GitRepository that is not the agent's checkout. */
async function fetchGitRepository(repo: KubeObject, ctx: SourceContext): Promise<ResolvedSource> {
  const spec = (repo.spec ?? {}) as {
    url?: string;
    ref?: FluxGitRef;
    secretRef?: { name: string };
    verify?: { mode?: string; secretRef?: { name?: string } };
    suspend?: boolean;
  } & GitCheckoutSpec;
  if (!spec.url) throw new SourceError(`GitRepository ${repo.metadata.name} has no spec.url`);
  const where = `GitRepository ${repo.metadata.namespace ?? "default"}/${repo.metadata.name}`;
  const git: GitSourceSpec = { url: spec.url };
  // Decided before anything is fetched: a wrong path, type or duration fetches nothing.
  let options: ReturnType<typeof gitCheckoutOptions>;
  try {
    options = gitCheckoutOptions(spec);
  } catch (error) {
    throw new SourceError(`${where}: ${(error as Error).message}`);
  }
  const { sparse, timeout } = options;
  if (sparse.length > 0) git.sparseCheckout = sparse.map((s) => s.dir);
  if (options.recurseSubmodules) git.recurseSubmodules = true;
  // Suspended (`flux suspend source git`): its last artifact is served, nothing newer.
  let pinned: ReturnType<typeof suspendedRevision> | undefined;
  try {
    pinned = spec.suspend ? suspendedRevision(repo) : undefined;
  } catch (error) {
    throw new SourceError((error as Error).message);
  }
  // The agent's repository at another ref is read with the agent's credentials, as its
  // checkout is: the secretRef of a GitRepository of the agent's URL is not read.
  const agentRepository = sameRepository(spec.url, ctx.own.url);
  // Fetched by the agent's own URL, as the agent fetches it: its credentials go only
  // where they already go (the GitRepository may name another scheme or port).
  if (agentRepository) git.url = ctx.own.url;
  let data: Record<string, string> | undefined;
  if (spec.secretRef && !agentRepository) {
    const secret = await ctx.client.get({
      apiVersion: "v1",
      kind: "Secret",
      namespace: repo.metadata.namespace ?? "default",
      name: spec.secretRef.name,
    });
    if (!secret)
      throw new SourceError(
        `secret '${repo.metadata.namespace ?? "default"}/${spec.secretRef.name}' not found`,
      );
    data = {};
    for (const [key, value] of Object.entries((secret.data ?? {}) as Record<string, string>))
      data[key] = Buffer.from(value, "base64").toString("utf8");
  }
  const secretName =
    spec.secretRef &&
    !agentRepository &&
    `${repo.metadata.namespace ?? "default"}/${spec.secretRef.name}`;
  const secret = agentRepository
    ? { credentials: ctx.own.credentials, dispose: async () => {} }
    : await credentialsFromSecret(spec.url, data, secretName || undefined).catch((error: Error) => {
        throw new SourceError(error.message);
      });
  // Credentials written in the URL (https://user:token@…) leave it, so they are never
  // on git's command line; they stand when the Secret gives none.
  const bare = withoutUrlCredentials(git);
  git.url = bare.url;
  git.credentials = secret.credentials ?? bare.credentials;
  git.credentialsOwner = secretName || undefined;
  let label: string | undefined;
  let dir: string;
  let sha: string;
  // spec.timeout bounds the Git operations of this fetch (listing tags included), as
  // source-controller bounds its clone; the pass goes on with the other sources.
  git.deadline = { signal: AbortSignal.timeout(timeout.ms), label: timeout.label };
  try {
    // A semver range lists the remote's tags first, with the same credentials.
    const resolved = pinned
      ? { ref: { commit: pinned.sha }, label: pinned.label }
      : await resolveFluxRef(spec.ref ?? {}, git);
    Object.assign(git, resolved.ref);
    label = resolved.label;
    ({ dir, revision: sha } = await checkoutCurrent(git, ctx.cacheDir));
    const superseded = (resolved.superseded ?? []).map((tag) => ({ ...git, tag }));
    await removeCheckouts(ctx.cacheDir, superseded);
  } finally {
    await secret.dispose();
  }
  // As source-controller: each sparse folder must be in the commit, or nothing is served.
  const absent = sparse.find((s) => !existsSync(join(dir, s.dir)));
  if (absent)
    throw new SourceError(
      `${where}: sparse checkout dir '${absent.written}' does not exist in repository at ${fluxRevision(label, sha)}`,
    );
  // spec.verify: the revision (head commit, tag, or both) must be signed by a key from
  // the Secret in the GitRepository's namespace, or nothing from it is applied.
  // A suspended source serves a revision checked when it was stored: not again (its tag
  // is not fetched with the commit).
  if (spec.verify && !pinned) await verifySource(repo, spec.verify, dir, sha, git.tag, ctx);
  return {
    dir,
    revision: fluxRevision(label, sha),
    object: repo,
    own: false,
    ignore: (repo.spec as { ignore?: string } | undefined)?.ignore,
  };
}

async function verifySource(
  repo: KubeObject,
  verify: { mode?: string; secretRef?: { name?: string } },
  dir: string,
  sha: string,
  tag: string | undefined,
  ctx: SourceContext,
): Promise<void> {
  const namespace = repo.metadata.namespace ?? "default";
  const name = verify.secretRef?.name;
  if (!name)
    throw new SourceError(
      `GitRepository ${namespace}/${repo.metadata.name}: verify.secretRef is required`,
    );
  const secret = await ctx.client.get({ apiVersion: "v1", kind: "Secret", namespace, name });
  if (!secret) throw new SourceError(`verification secret '${namespace}/${name}' not found`);
  const data = (secret.data ?? {}) as Record<string, string>;
  try {
    const keys = keysFromSecretEntries(
      Object.keys(data).map((k) => [k, decode(data, k) ?? ""] as [string, string]),
    );
    await verifyRevision(dir, sha, keys, parseVerifyMode(verify.mode), tag);
  } catch (error) {
    if (!(error instanceof VerificationError)) throw error;
    throw new SourceError(
      `GitRepository ${namespace}/${repo.metadata.name}: signature verification failed: ${error.message}`,
    );
  }
}

/**
 * Resolves `spec.sourceRef` of a Kustomization in namespace `namespace`. With
 * `ctx.resolved`, a source is read (and fetched) once per pass however many
 * Kustomizations share it.
 */
export function resolveSource(
  sourceRef: { kind?: string; name?: string; namespace?: string; apiVersion?: string },
  namespace: string,
  ctx: SourceContext,
): Promise<ResolvedSource> {
  if (!ctx.resolved) return resolveUncached(sourceRef, namespace, ctx);
  const key = `${sourceRef.kind}/${sourceRef.namespace ?? namespace}/${sourceRef.name}`;
  let resolved = ctx.resolved.get(key);
  if (!resolved) {
    resolved = resolveUncached(sourceRef, namespace, ctx);
    ctx.resolved.set(key, resolved);
  }
  return resolved;
}

async function resolveUncached(
  sourceRef: { kind?: string; name?: string; namespace?: string; apiVersion?: string },
  namespace: string,
  ctx: SourceContext,
): Promise<ResolvedSource> {
  const ns = sourceRef.namespace ?? namespace;
  const kind = sourceRef.kind ?? "";
  const name = sourceRef.name ?? "";
  if (kind === "GitRepository") {
    const repo = await ctx.client.get({
      apiVersion: GIT_REPOSITORY_API,
      kind,
      namespace: ns,
      name,
    });
    if (!repo || !isGitRepository(repo))
      throw new SourceError(`Source '${kind}/${ns}/${name}' not found`);
    const ignore = (repo.spec as { ignore?: string } | undefined)?.ignore;
    const base: ResolvedSource = isAgentCheckout(repo, ctx.own)
      ? { dir: ctx.own.dir, revision: ctx.own.revision, object: repo, own: true, ignore }
      : await fetchGitRepository(repo, ctx);
    if (!(repo.spec as { include?: unknown[] } | undefined)?.include?.length) return base;
    // spec.include: loaded on use, as only repositories that include others need it.
    const { withIncludes } = await import("./include.ts");
    return withIncludes(repo, base, ctx);
  }
  if (kind === "OCIRepository") {
    const repo = await ctx.client
      .get({ apiVersion: "source.toolkit.fluxcd.io/v1", kind, namespace: ns, name })
      .catch(() => undefined);
    if (!repo) throw new SourceError(`Source '${kind}/${ns}/${name}' not found`);
    const { fetchOciRepository } = await import("./oci.ts");
    return fetchOciRepository(repo, ctx.client, ctx.cacheDir);
  }
  if (kind === "ExternalArtifact") {
    // Loaded on use: only repositories with an ArtifactGenerator need it.
    const { resolveExternalArtifact } = await import("./artifacts.ts");
    return resolveExternalArtifact({ name, namespace: ns }, ctx);
  }
  throw new SourceError(
    `source kind ${kind || "(none)"} is not served by Tether (GitRepository, OCIRepository and ExternalArtifact are)`,
  );
}

/**
 * A digest of the files of a checkout (paths and contents, `.git` left out): Tether
 * keeps no artifact archive, so this stands for the digest of the artifact's content.
 */
export async function treeDigest(dir: string): Promise<string> {
  const hash = createHash("sha256");
  const walk = async (current: string, prefix: string) => {
    const entries = await readdir(current, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name === ".git") continue;
      const rel = `${prefix}${entry.name}`;
      if (entry.isDirectory()) await walk(join(current, entry.name), `${rel}/`);
      else if (entry.isFile()) {
        hash.update(`${rel}\0`);
        hash.update(await readFile(join(current, entry.name)));
        hash.update("\0");
      }
    }
  };
  await walk(dir, "");
  return `sha256:${hash.digest("hex")}`;
}

/**
 * A GitRepository's artifact as its status names it. Tether keeps no artifact server:
 * it names the revision and the content digest of the checkout the Kustomizations were
 * built from.
 */
export function gitRepositoryArtifact(
  namespace: string | undefined,
  name: string,
  revision: string,
  digest: string,
  lastUpdateTime: string,
): Record<string, unknown> {
  const sha = revision.split(":").pop() ?? revision;
  return {
    path: `gitrepository/${namespace}/${name}/${sha}.tar.gz`,
    url: `tether://gitrepository/${namespace}/${name}/${sha}.tar.gz`,
    revision,
    digest,
    lastUpdateTime,
  };
}

/**
 * Status Flux's source-controller writes on a GitRepository once its artifact is ready;
 * with `included`, the includes it holds (`spec.include`).
 */
export function gitRepositoryStatus(
  repo: KubeObject,
  revision: string,
  digest: string,
  included?: IncludedSource,
): Record<string, unknown> {
  const now = new Date().toISOString().replace(/\.\d+Z$/, "Z");
  const message = `stored artifact for revision '${revision}'`;
  const old = (
    (repo.status as { conditions?: { type: string; status: string; lastTransitionTime: string }[] })
      ?.conditions ?? []
  ).find((c) => c.type === "Ready");
  return {
    observedGeneration: repo.metadata.generation,
    conditions: [
      {
        type: "Ready",
        status: "True",
        reason: "Succeeded",
        message,
        lastTransitionTime: old?.status === "True" ? old.lastTransitionTime : now,
        observedGeneration: repo.metadata.generation,
      },
      {
        type: "ArtifactInStorage",
        status: "True",
        reason: "Succeeded",
        message,
        lastTransitionTime: old?.status === "True" ? old.lastTransitionTime : now,
        observedGeneration: repo.metadata.generation,
      },
    ],
    artifact: gitRepositoryArtifact(
      repo.metadata.namespace,
      repo.metadata.name,
      revision,
      digest,
      now,
    ),
    ...includeFields(repo, included),
    ...checkoutFields(repo),
  };
}

/**
 * `observedSparseCheckout` and `observedRecurseSubmodules`, as source-controller writes
 * them with an artifact; null (merge-patch) takes away an earlier one's.
 */
function checkoutFields(repo: KubeObject): Record<string, unknown> {
  const spec = (repo.spec ?? {}) as GitCheckoutSpec;
  const status = (repo.status ?? {}) as {
    observedSparseCheckout?: unknown;
    observedRecurseSubmodules?: unknown;
  };
  const fields: Record<string, unknown> = {};
  // Written only with an artifact, so of the types gitCheckoutOptions let through.
  if (Array.isArray(spec.sparseCheckout) && spec.sparseCheckout.length)
    fields.observedSparseCheckout = spec.sparseCheckout;
  else if (status.observedSparseCheckout) fields.observedSparseCheckout = null;
  if (spec.recurseSubmodules === true) fields.observedRecurseSubmodules = true;
  else if (status.observedRecurseSubmodules) fields.observedRecurseSubmodules = null;
  return fields;
}

/** `includedArtifacts` and `observedInclude`; null (merge-patch) takes away an earlier one's. */
function includeFields(repo: KubeObject, included: IncludedSource | undefined) {
  if (included)
    return {
      includedArtifacts: included.artifacts,
      observedInclude: (repo.spec as { include?: unknown }).include,
    };
  const status = repo.status as { includedArtifacts?: unknown } | undefined;
  return status?.includedArtifacts ? { includedArtifacts: null, observedInclude: null } : {};
}
