// One cluster path at one revision, rendered as the agent would apply it, offline: the
// path itself (plain folder, kustomize, chart: shared/render), then every Flux
// Kustomization found in what it applies, built by the agent's own build step
// (agent/flux/build.ts: Flux's directory rules, the spec's kustomize fields, labels,
// postBuild substitution), then every HelmRelease through its chart when the chart can
// be reached (the same expansion validate uses). Each object remembers which unit
// applies it and whether that unit prunes, so the comparison knows what prune deletes.
//
// Differences from the agent, because there is no cluster here: postBuild
// substituteFrom reads ConfigMaps and Secrets from the objects in the repository; one
// that exists only in the cluster is named in a note and its variables are left as
// written (`${var}`), where the agent would substitute the cluster's values. Sources
// other than this repository (another Git repository, OCI, buckets) are not fetched.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { buildKustomization } from "../../agent/flux/build.ts";
import { isKustomization } from "../../agent/flux/kinds.ts";
import { type FullSpec, resolveVars, specOf } from "../../agent/flux/kustomization.ts";
import { sameRepository } from "../../agent/source/git.ts";
import { isHelmRelease } from "../../shared/charts/reference.ts";
import {
  groupOf,
  type KubeObject,
  type Manifest,
  type ObjectRef,
  refKey,
  refOf,
} from "../../shared/manifests/object.ts";
import { renderPath } from "../../shared/render/render.ts";
import { redactUrl } from "../../shared/util/redact.ts";
import { expandHelmReleases } from "../validate/helm-releases.ts";
import type { RenderedUnit } from "../validate/render.ts";

/** Who applies an object, and whether it deletes the object when it leaves Git. */
export interface Owner {
  name: string;
  prune: boolean;
}

export interface RenderedObject extends Manifest {
  owner: Owner;
}

export interface ClusterRender {
  /** False when the path does not exist at this revision (a new or removed cluster). */
  exists: boolean;
  objects: RenderedObject[];
  /** What the preview could not do as the agent would (shown, never fatal). */
  notes: string[];
  /** Values of Secrets substituted into other objects (postBuild.substituteFrom): never shown. */
  secretValues: string[];
}

export interface ClusterRenderOptions {
  /** URLs of this repository (its remotes); a GitRepository with another URL is not read. */
  ownUrls: readonly string[];
  chartCache: string;
  /** Render HelmReleases through their charts (default true). */
  helmReleases?: boolean;
  kustomize?: string | undefined;
}

/** A render that failed: the agent would not apply this revision either. */
export class RenderError extends Error {}

/**
 * One repository written two ways (a checkout's https remote, Flux's ssh URL): host and
 * path compared, without scheme, user, port, `.git` or case.
 */
export function sameRepo(a: string, b: string): boolean {
  const norm = (url: string) => {
    const text = url.trim();
    const scp = /^(?:[^@/]+@)?([^:/]+):(?!\/)(.*)$/.exec(text);
    let host: string;
    let path: string;
    if (scp && !/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
      host = scp[1] as string;
      path = scp[2] as string;
    } else {
      try {
        const parsed = new URL(text);
        host = parsed.hostname;
        path = parsed.pathname;
      } catch {
        return text;
      }
    }
    return `${host.toLowerCase()}/${path
      .replace(/^\/+|\/+$/g, "")
      .replace(/\.git$/, "")
      .toLowerCase()}`;
  };
  return sameRepository(a, b) || norm(a) === norm(b);
}

const normPath = (path: string | undefined) =>
  (path ?? "").replace(/^\.\/?/, "").replace(/\/+$/, "") || ".";

/** Variables the repository cannot provide stay as written, where Flux would read the cluster. */
function keepUnknown(vars: Record<string, string>): Record<string, string> {
  return new Proxy(vars, {
    get: (target, name) =>
      typeof name === "string" && !(name in target) ? `\${${name}}` : Reflect.get(target, name),
  });
}

export async function renderCluster(
  dir: string,
  path: string,
  options: ClusterRenderOptions,
): Promise<ClusterRender> {
  const notes: string[] = [];
  const secretValues: string[] = [];
  if (!existsSync(join(dir, path))) return { exists: false, objects: [], notes, secretValues };
  const root = await renderPath(dir, path, {
    allowEmpty: true,
    ...(options.kustomize ? { binary: options.kustomize } : {}),
  });
  if (root.errors.length > 0) {
    throw new RenderError(root.errors.map((e) => e.message).join("; "));
  }
  const objects: RenderedObject[] = root.manifests.map((m) => ({
    ...m,
    // The agent's own unit: whether it prunes is its configuration, not in Git; the
    // preview shows what pruning would delete.
    owner: { name: path, prune: true },
  }));

  // A ConfigMap or Secret of the repository by reference (postBuild substituteFrom).
  const find = (ref: ObjectRef) =>
    objects.find(
      (o) =>
        groupOf(o.object.apiVersion) === "" &&
        o.object.kind === ref.kind &&
        o.object.metadata.name === ref.name &&
        (o.object.metadata.namespace ?? "default") === (ref.namespace ?? "default"),
    )?.object;

  const ownUrls = [...options.ownUrls];
  const seen = new Set<string>();
  for (let i = 0; i < objects.length; i++) {
    const ks = (objects[i] as RenderedObject).object;
    if (!isKustomization(ks)) continue;
    const namespace = ks.metadata.namespace ?? "default";
    const key = `${namespace}/${ks.metadata.name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const spec = specOf(ks);
    const name = `Kustomization ${key}`;
    if (spec.suspend) {
      notes.push(`${name} is suspended: the agent applies nothing of it`);
      continue;
    }
    const sourceKind = spec.sourceRef?.kind ?? "GitRepository";
    if (sourceKind !== "GitRepository") {
      notes.push(`${name}: its source is a ${sourceKind}, not previewed`);
      continue;
    }
    const repo = objects.find(
      (o) =>
        o.object.kind === "GitRepository" &&
        o.object.metadata.name === spec.sourceRef?.name &&
        (o.object.metadata.namespace ?? "default") === (spec.sourceRef?.namespace ?? namespace),
    )?.object;
    const url = (repo?.spec as { url?: string } | undefined)?.url;
    // The Kustomization that points back at the cluster path (flux-system) is the agent's
    // entry point: the unit above already applied that path, and its source is this
    // repository whatever URL it is written with.
    if (normPath(spec.path) === normPath(path)) {
      if (url) ownUrls.push(url);
      continue;
    }
    if (url && ownUrls.length > 0 && !ownUrls.some((u) => sameRepo(u, url))) {
      notes.push(`${name}: its source is another repository (${redactUrl(url)}), not previewed`);
      continue;
    }

    const missing: string[] = [];
    const withSources: FullSpec = structuredClone(spec);
    for (const from of withSources.postBuild?.substituteFrom ?? []) {
      const found = find({ apiVersion: "v1", kind: from.kind, namespace, name: from.name });
      if (found && from.kind === "Secret") {
        for (const value of Object.values((found.data ?? {}) as Record<string, string>)) {
          const text = Buffer.from(value, "base64").toString("utf8");
          // As substituted: Flux takes the line breaks out of a variable's value.
          secretValues.push(text, text.replaceAll("\n", ""));
        }
      }
      if (found) continue;
      if (!from.optional) missing.push(`${from.kind} ${namespace}/${from.name}`);
      from.optional = true;
    }
    let vars = await resolveVars({ get: async (ref) => find(ref) }, withSources, namespace);
    if (missing.length > 0) {
      notes.push(
        `${name}: postBuild.substituteFrom ${missing.join(", ")} is not in the repository; its variables are shown as written`,
      );
      if (vars) vars = keepUnknown(vars);
    }
    const built = await buildKustomization(spec, dir, {
      name: ks.metadata.name,
      namespace,
      vars,
      kustomize: options.kustomize,
    });
    if (!built.ok) throw new RenderError(`${name}: ${built.message}`);
    const owner = { name, prune: spec.prune === true };
    for (const m of built.manifests) objects.push({ ...m, owner });
  }

  if (options.helmReleases !== false)
    objects.push(...(await chartObjects(objects, dir, options, notes)));

  // One object per identity: a later unit applying the same object takes it over.
  const byKey = new Map<string, RenderedObject>();
  for (const o of objects) {
    const key = refKey(refOf(o.object));
    if (byKey.has(key)) notes.push(`${describe(o.object)} is applied twice; the last one counts`);
    byKey.delete(key);
    byKey.set(key, o);
  }
  return { exists: true, objects: [...byKey.values()], notes, secretValues };
}

/** Kinds Helm leaves without a namespace; others get the release's (as `helm install` does). */
const CLUSTER_SCOPED = new Set([
  "APIService",
  "ClusterRole",
  "ClusterRoleBinding",
  "CustomResourceDefinition",
  "IngressClass",
  "MutatingWebhookConfiguration",
  "Namespace",
  "PersistentVolume",
  "PriorityClass",
  "RuntimeClass",
  "StorageClass",
  "ValidatingWebhookConfiguration",
]);

/** The objects each HelmRelease's chart renders (validate's expansion, one release at a time). */
async function chartObjects(
  objects: readonly RenderedObject[],
  dir: string,
  options: ClusterRenderOptions,
  notes: string[],
): Promise<RenderedObject[]> {
  const unitOf = (name: string, manifests: Manifest[]): RenderedUnit => ({
    unit: { name, kind: "plain", paths: [name] },
    renderer: "plain",
    manifests,
    errors: [],
    area: { dirs: [], files: [] },
    warnings: [],
  });
  const releases = objects.filter((o) => isHelmRelease(o.object));
  if (releases.length === 0) return [];
  // Sources (HelmRepository, OCIRepository) are looked up in every unit given.
  const sources = unitOf(
    "sources",
    objects.filter((o) => !isHelmRelease(o.object)),
  );
  const units = releases.map((r) =>
    unitOf(describe(r.object), [{ object: r.object, source: r.source }]),
  );
  notes.push(
    ...(await expandHelmReleases([sources, ...units], {
      cacheDir: options.chartCache,
      root: dir,
      kustomize: options.kustomize,
    })),
  );
  const out: RenderedObject[] = [];
  units.forEach((unit, i) => {
    const hr = (releases[i] as RenderedObject).object;
    const spec = (hr.spec ?? {}) as { targetNamespace?: string };
    const namespace = spec.targetNamespace || hr.metadata.namespace || "default";
    for (const w of unit.warnings) notes.push(w.message);
    // Helm deletes what a chart no longer renders on the next upgrade: it prunes.
    const owner = { name: describe(hr), prune: true };
    for (const m of unit.manifests.slice(1)) {
      const object = structuredClone(m.object);
      if (!object.metadata.namespace && !CLUSTER_SCOPED.has(object.kind))
        object.metadata.namespace = namespace;
      out.push({ object, source: m.source, owner });
    }
  });
  return out;
}

function describe(object: KubeObject): string {
  const ns = object.metadata.namespace;
  return `${object.kind} ${ns ? `${ns}/` : ""}${object.metadata.name}`;
}
