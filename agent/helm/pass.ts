// HelmReleases in one unit's pass: after the unit's objects are applied, each
// HelmRelease found among them is reconciled (dependencies first), and a HelmRelease
// that left Git under a pruning unit has its release uninstalled before the object is
// deleted. Sources (HelmRepository, GitRepository, OCIRepository) are looked up in
// what the unit rendered, then in the cluster. A GitRepository's chart folder is in its
// artifact, read as Kustomizations read it (flux/source.ts: includes in, its sparse
// checkout, a suspended one's revision); Flux v1's chart.git is a checkout of its own.
import { join } from "node:path";
import { sameRepositoryUrl } from "../../shared/charts/dependencies.ts";
import { gitHead } from "../../shared/charts/git-head.ts";
import { isHelmRelease, type SourceKey } from "../../shared/charts/reference.ts";
import type { ChartContext } from "../../shared/charts/resolve.ts";
import type { KubeClient } from "../../shared/kube/client.ts";
import type { KubeObject, ObjectRef } from "../../shared/manifests/object.ts";
import { mapLimit } from "../../shared/util/pool.ts";
import { type FluxGitRef, resolveFluxRef, selectsAgentRef } from "../flux/git-ref.ts";
import { fluxRevision } from "../flux/kinds.ts";
import { impersonationFor, type Lockdown } from "../flux/lockdown.ts";
import { resolveSource, type SourceContext } from "../flux/source.ts";
import {
  checkoutCurrent,
  type GitCredentials,
  type GitSourceSpec,
  removeCheckouts,
  sameRepository,
  withoutUrlCredentials,
} from "../source/git.ts";
import { credentialsFromSecret } from "../source/secret-credentials.ts";
import { uninstall } from "./actions.ts";
import { type HelmOptions, listReleases } from "./cli.ts";
import { type HelmContext, type ReleaseOutcome, reconcileRelease, releaseOf } from "./release.ts";
import {
  type ReleaseSpec,
  readReleaseSpec,
  remoteClusterOf,
  remoteClusterRefusal,
} from "./spec.ts";

export interface HelmPassOptions {
  client: KubeClient;
  /** Charts, indexes, Git checkouts and helm's own state live under here. */
  cacheDir: string;
  kubeconfig?: string | undefined;
  helmBinary?: string | undefined;
  kustomize?: string | undefined;
  /** HelmReleases reconciled at once (helm-controller's default is 4). */
  concurrency?: number | undefined;
  /**
   * The agent's own repository: its URL (no credentials), checkout, the ref it follows
   * and its credentials (for the same repository at another ref).
   */
  own?:
    | {
        url: string;
        dir: string;
        ref: FluxGitRef;
        credentials?: GitCredentials | undefined;
        /** GitRepositories (`namespace/name`) that are the agent's entry point. */
        entryPoints?: ReadonlySet<string> | undefined;
      }
    | undefined;
  /** Flux's lockdown: who helm acts as, which references are refused. */
  lockdown?: Lockdown | undefined;
  /** The Flux pass's sources, when the HelmReleases are a Kustomization's (one artifact per source). */
  source?: SourceContext | undefined;
}

const SOURCE_API: Record<SourceKey["kind"], string> = {
  HelmRepository: "source.toolkit.fluxcd.io/v1",
  GitRepository: "source.toolkit.fluxcd.io/v1",
  OCIRepository: "source.toolkit.fluxcd.io/v1",
  HelmChart: "source.toolkit.fluxcd.io/v1",
  ExternalArtifact: "source.toolkit.fluxcd.io/v1",
};

export function helmOptions(options: HelmPassOptions): HelmOptions {
  return {
    binary: options.helmBinary,
    kubeconfig: options.kubeconfig,
    stateDir: join(options.cacheDir, "helm"),
  };
}

function decode(data: unknown, base64: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries((data ?? {}) as Record<string, string>)) {
    out[k] = base64 ? Buffer.from(v, "base64").toString("utf8") : v;
  }
  return out;
}

/** The chart context for a unit: render first, then cluster; Secrets from the cluster. */
export function chartContext(
  rendered: readonly KubeObject[],
  options: HelmPassOptions,
): ChartContext {
  const { client } = options;
  const getSecret = async (namespace: string, name: string) => {
    const secret = await client.get({ apiVersion: "v1", kind: "Secret", namespace, name });
    return secret
      ? { ...decode(secret.data, true), ...decode(secret.stringData, false) }
      : undefined;
  };
  // One checkout per Flux v1 chart.git for the unit's HelmReleases: they all read one
  // revision, and none fetches a newer one into the folder while helm reads the chart.
  const checkedOut = new Map<string, Promise<string>>();
  const gitDir = (url: string, ref: FluxGitRef): Promise<string> => {
    const key = JSON.stringify([url, ref.branch, ref.commit]);
    let dir = checkedOut.get(key);
    if (!dir) {
      dir = checkoutGitSource(url, ref);
      checkedOut.set(key, dir);
    }
    return dir;
  };
  const checkoutGitSource = async (url: string, ref: FluxGitRef) => {
    // The agent's repository: its checkout at the ref it follows; at another ref, fetched
    // with the agent's credentials.
    const agents = options.own && sameRepository(url, options.own.url) ? options.own : undefined;
    if (agents && selectsAgentRef(ref, agents.ref)) return agents.dir;
    // Checked before any key is written anywhere: this may refuse the URL.
    // The agent's repository by the agent's own URL: its credentials go only where they
    // already go (the chart may name another scheme or port).
    const spec: GitSourceSpec = withoutUrlCredentials({ url: agents ? agents.url : url });
    const credentials = agents
      ? { credentials: agents.credentials, dispose: async () => {} }
      : await credentialsFromSecret(spec.url, undefined, undefined);
    // Credentials in the URL (https://user:token@…) stand for another repository.
    spec.credentials = credentials.credentials ?? spec.credentials;
    try {
      const resolved = await resolveFluxRef(ref, spec);
      Object.assign(spec, resolved.ref);
      const cache = join(options.cacheDir, "helm-git");
      const { dir } = await checkoutCurrent(spec, cache);
      await removeCheckouts(
        cache,
        (resolved.superseded ?? []).map((tag) => ({ ...spec, tag })),
      );
      return dir;
    } finally {
      await credentials.dispose();
    }
  };
  // GitRepositories: resolved once for the unit's HelmReleases, as a Flux pass resolves
  // them; the commit of each folder (an artifact with includes in is no checkout).
  let sources: Promise<SourceContext> | undefined;
  const revisions = new Map<string, string>();
  // A checkout stays at one commit for the pass: asked once per folder.
  const heads = new Map<string, Promise<string | undefined>>();
  return {
    cacheDir: join(options.cacheDir, "helm-charts"),
    gitRevision(dir) {
      const sha = revisions.get(dir)?.split(":").pop();
      if (sha && /^[0-9a-f]{40}$/.test(sha)) return Promise.resolve(sha);
      let head = heads.get(dir);
      if (!head) {
        head = gitHead(dir);
        heads.set(dir, head);
      }
      return head;
    },
    async getSource(key) {
      const local = rendered.find(
        (o) =>
          o.kind === key.kind &&
          o.metadata.name === key.name &&
          (o.metadata.namespace ?? "default") === key.namespace &&
          o.apiVersion.startsWith("source.toolkit.fluxcd.io/"),
      );
      if (local) return local;
      return client.get({
        apiVersion: SOURCE_API[key.kind],
        kind: key.kind,
        namespace: key.namespace,
        name: key.name,
      });
    },
    async helmRepositoryFor(namespace, url) {
      const matches = (o: KubeObject) =>
        o.kind === "HelmRepository" &&
        (o.metadata.namespace ?? "default") === namespace &&
        sameRepositoryUrl(String((o.spec as { url?: unknown } | undefined)?.url ?? ""), url);
      const local = rendered.find(
        (o) => matches(o) && o.apiVersion.startsWith("source.toolkit.fluxcd.io/"),
      );
      if (local) return local;
      const listed = await client.list(SOURCE_API.HelmRepository, "HelmRepository", { namespace });
      return listed.find(matches);
    },
    getSecret,
    async gitFolder(source) {
      if ("apiVersion" in source) {
        sources ??= options.source ? Promise.resolve(options.source) : gitSourceContext(options);
        const resolved = await resolveSource(
          { kind: "GitRepository", name: source.metadata.name },
          source.metadata.namespace ?? "default",
          await sources,
        );
        revisions.set(resolved.dir, resolved.revision);
        return resolved.dir;
      }
      const ref = source.ref;
      return gitDir(
        source.url,
        ref && /^[0-9a-f]{40}$/.test(ref) ? { commit: ref } : { branch: ref ?? "master" },
      );
    },
  };
}

/**
 * Where the helm step reads GitRepositories when no Flux pass gave it its own (the
 * HelmReleases of a unit): built as the Flux pass builds its context (flux/pass.ts), in
 * a cache folder of its own, as a Flux pass may be reading its own folders meanwhile.
 */
async function gitSourceContext(options: HelmPassOptions): Promise<SourceContext> {
  const own = options.own;
  // The agent's commit: it names an artifact built from the agent's checkout (includes).
  const head = own ? await gitHead(own.dir) : undefined;
  return {
    client: options.client,
    cacheDir: join(options.cacheDir, "helm-git"),
    resolved: new Map(),
    own: {
      url: own?.url ?? "",
      dir: own?.dir ?? "",
      revision: head ? fluxRevision(undefined, head) : "",
      ref: own?.ref ?? {},
      credentials: own?.credentials,
      entryPoints: own?.entryPoints,
    },
  };
}

/** Dependencies first (dependsOn inside the list); the rest in the order given. */
export function orderByDependencies(releases: readonly KubeObject[]): KubeObject[] {
  const key = (ns: string, name: string) => `${ns}/${name}`;
  const byKey = new Map(
    releases.map((r) => [key(r.metadata.namespace ?? "default", r.metadata.name), r]),
  );
  const out: KubeObject[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (r: KubeObject) => {
    const k = key(r.metadata.namespace ?? "default", r.metadata.name);
    if (state.get(k)) return; // done, or a cycle (the dependency check reports it)
    state.set(k, "visiting");
    const deps =
      (r.spec as { dependsOn?: { name?: string; namespace?: string }[] } | undefined)?.dependsOn ??
      [];
    for (const d of deps) {
      const dep = byKey.get(key(d.namespace ?? r.metadata.namespace ?? "default", d.name ?? ""));
      if (dep) visit(dep);
    }
    state.set(k, "done");
    out.push(r);
  };
  for (const r of releases) visit(r);
  return out;
}

/** Reconciles every HelmRelease among `applied` (objects as applied, namespaces set). */
export async function reconcileHelmReleases(
  applied: readonly KubeObject[],
  options: HelmPassOptions,
): Promise<ReleaseOutcome[]> {
  const releases = applied.filter(isHelmRelease);
  if (releases.length === 0) return [];
  const helm = helmOptions(options);
  const ctx: HelmContext = {
    client: options.client,
    helm,
    charts: chartContext(applied, options),
    releases: await listReleases(helm),
    kustomize: options.kustomize,
    lockdown: options.lockdown,
    readValues: async (kind, namespace, name) => {
      const object = await options.client.get({ apiVersion: "v1", kind, namespace, name });
      if (!object) return undefined;
      return kind === "Secret"
        ? decode(object.data, true)
        : { ...decode(object.data, false), ...decode(object.binaryData, true) };
    },
  };
  // Several releases at once, as helm-controller's workers do; a release waits for the
  // releases it depends on in this pass (they come earlier in the order, so a waiting
  // task never waits on one that has not started; a cycle is left to the Ready check).
  const ordered = orderByDependencies(releases);
  const done = new Map<string, Promise<ReleaseOutcome>>();
  const keyOf = (ns: string, name: string) => `${ns}/${name}`;
  const settle = new Map<string, (o: ReleaseOutcome) => void>();
  for (const r of ordered) {
    const key = keyOf(r.metadata.namespace ?? "default", r.metadata.name);
    done.set(key, new Promise((resolve) => settle.set(key, resolve)));
  }
  return mapLimit(ordered, options.concurrency ?? 4, async (release, index) => {
    const namespace = release.metadata.namespace ?? "default";
    const ref: ObjectRef = {
      apiVersion: release.apiVersion,
      kind: release.kind,
      name: release.metadata.name,
      namespace,
    };
    const deps = (
      (release.spec as { dependsOn?: { name?: string; namespace?: string }[] } | undefined)
        ?.dependsOn ?? []
    )
      .map((d) => keyOf(d.namespace ?? namespace, d.name ?? ""))
      .filter((k) =>
        ordered
          .slice(0, index)
          .some((o) => keyOf(o.metadata.namespace ?? "default", o.metadata.name) === k),
      );
    await Promise.all(deps.map((k) => done.get(k)));
    let outcome: ReleaseOutcome;
    try {
      // The live object: its status holds what earlier passes did.
      const live = (await options.client.get(ref)) ?? release;
      outcome = await reconcileRelease(live, ctx);
    } catch (error) {
      outcome = { ref, action: "failed", ready: false, detail: (error as Error).message };
    }
    settle.get(keyOf(namespace, release.metadata.name))?.(outcome);
    return outcome;
  });
}

/** A HelmRelease's uninstall options; helm's defaults when its spec does not read. */
function uninstallSpecOf(live: KubeObject): ReleaseSpec["uninstall"] | undefined {
  try {
    return readReleaseSpec(live).uninstall;
  } catch {
    return undefined;
  }
}

/**
 * Before HelmRelease objects are pruned: uninstall their releases, as Flux's
 * finalizer does. A release that is already gone is fine; a failed uninstall keeps
 * the object (it is reported, and pruned on a later pass). A suspended HelmRelease, or
 * one for a remote cluster (spec.kubeConfig), has nothing uninstalled here.
 */
export async function uninstallReleases(
  refs: readonly ObjectRef[],
  options: HelmPassOptions,
): Promise<{ ref: ObjectRef; ok: boolean; detail: string }[]> {
  const helm = helmOptions(options);
  const out: { ref: ObjectRef; ok: boolean; detail: string }[] = [];
  for (const ref of refs) {
    const live = await options.client.get(ref).catch(() => undefined);
    const release = live ? releaseOf(live) : undefined;
    if (!live || !release) {
      out.push({ ref, ok: true, detail: "no release" });
      continue;
    }
    try {
      const spec = (live.spec ?? {}) as { suspend?: boolean };
      if (spec.suspend === true) {
        out.push({ ref, ok: true, detail: "suspended: release kept" });
        continue;
      }
      // Its release is on a remote cluster Tether does not serve: none here is its own.
      const remote = remoteClusterOf(live);
      if (remote) {
        out.push({
          ref,
          ok: true,
          detail: remoteClusterRefusal(remote, "nothing was uninstalled"),
        });
        continue;
      }
      // Uninstalled as the HelmRelease's ServiceAccount, with its uninstall options
      // (history, propagation, hooks, wait, timeout), as Flux's finalizer does.
      const user = impersonationFor(live, options.lockdown);
      const how = uninstallSpecOf(live);
      const result = await uninstall(
        user ? { ...helm, kubeAsUser: user } : helm,
        release,
        how,
        how?.timeoutMs,
      );
      out.push({ ref, ok: true, detail: `release ${release.namespace}/${release.name} ${result}` });
    } catch (error) {
      out.push({
        ref,
        ok: false,
        detail: `uninstall of ${release.namespace}/${release.name}: ${(error as Error).message}`,
      });
    }
  }
  return out;
}
