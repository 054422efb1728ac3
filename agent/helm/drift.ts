// Drift detection (spec.driftDetection), as helm-controller does it: each object of
// the release as Helm stored it is applied as a server-side dry run (our field manager,
// forced) and the server's answer compared with the live object. The answer is what a
// correction would leave, in the server's own form, so values it normalises or
// defaults (`cpu: 0.5` stored as `500m`, a port's protocol) are not drift; a field the
// answer holds differently, or an object that is gone, is. Paths in `ignore` rules are
// left out of both sides. In `enabled` mode the same object is applied for real, with
// no new Helm revision, as helm-controller corrects drift.
import { isDeepStrictEqual } from "node:util";
import { parseAllDocuments } from "yaml";
import type { KubeClient } from "../../shared/kube/client.ts";
import { describeRef, groupOf, type KubeObject, refOf } from "../../shared/manifests/object.ts";
import { getManifest, type HelmOptions } from "./cli.ts";
import { HELM_FIELD_MANAGER } from "./crds.ts";
import type { DriftIgnoreRule, ReleaseSpec } from "./spec.ts";

/** Pointers (RFC 6901) where `live` differs from what `desired` sets; pure. */
export function diffPaths(desired: unknown, live: unknown, path = ""): string[] {
  if (typeof desired !== "object" || desired === null) {
    // Numbers may come back as strings and vice versa only in quantities; compare as text.
    return isDeepStrictEqual(desired, live) || String(desired) === String(live)
      ? []
      : [path || "/"];
  }
  if (Array.isArray(desired)) {
    if (!Array.isArray(live) || live.length !== desired.length) return [path || "/"];
    return desired.flatMap((d, i) => diffPaths(d, live[i], `${path}/${i}`));
  }
  if (typeof live !== "object" || live === null || Array.isArray(live)) return [path || "/"];
  return Object.entries(desired as Record<string, unknown>).flatMap(([k, v]) =>
    v === null || v === undefined
      ? []
      : diffPaths(
          v,
          (live as Record<string, unknown>)[k],
          `${path}/${k.replaceAll("~", "~0").replaceAll("/", "~1")}`,
        ),
  );
}

/**
 * Pointers where the dry run's answer differs from the live object; pure. As
 * helm-controller: labels and annotations the answer sets differently (one the live
 * object has besides is not drift: other controllers add them), then everything but
 * metadata and status both ways (a field the answer drops is drift too). `ignore`
 * pointers are removed from both sides first, so an ignored field inside a list or
 * map that differs in size is still ignored.
 */
export function driftPaths(
  live: KubeObject,
  dryRun: KubeObject,
  ignore: readonly string[] = [],
): string[] {
  const was = withoutPaths(comparable(live), ignore);
  const would = withoutPaths(comparable(dryRun), ignore);
  // diffPaths skips what `desired` leaves undefined: here, the other side's metadata.
  const body = (o: Record<string, unknown>) => ({ ...o, metadata: undefined });
  const paths = [
    ...diffPaths({ metadata: would.metadata }, was),
    ...diffPaths(body(would), was),
    ...diffPaths(body(was), would),
  ];
  return [...new Set(paths)];
}

/** The fields drift is judged on: labels, annotations, and all but metadata and status. */
function comparable(object: KubeObject): Record<string, unknown> {
  const { metadata, status: _status, ...rest } = object;
  // An absent map and an empty one are the same map to the server.
  return {
    ...rest,
    metadata: { labels: metadata.labels ?? {}, annotations: metadata.annotations ?? {} },
  };
}

/** A copy of `object` without the values at `pointers` (RFC 6901; missing ones skipped); pure. */
export function withoutPaths<T>(object: T, pointers: readonly string[]): T {
  const copy = structuredClone(object);
  for (const pointer of pointers) {
    const keys = pointer
      .split("/")
      .slice(1)
      .map((k) => k.replaceAll("~1", "/").replaceAll("~0", "~"));
    const last = keys.pop();
    let parent: unknown = copy;
    for (const k of keys) parent = (parent as Record<string, unknown> | undefined)?.[k];
    if (last === undefined || typeof parent !== "object" || parent === null) continue;
    // Removed as a JSON patch `remove` would: a list closes up behind the element.
    if (Array.isArray(parent)) {
      if (/^\d+$/.test(last) && Number(last) < parent.length) parent.splice(Number(last), 1);
    } else delete (parent as Record<string, unknown>)[last];
  }
  return copy;
}

/** Whether an ignore rule's target (kind, name, namespace, group) selects `object`; pure. */
function targets(rule: DriftIgnoreRule, object: KubeObject): boolean {
  const t = rule.target;
  if (t?.kind && t.kind !== object.kind) return false;
  if (t?.name && t.name !== object.metadata.name) return false;
  if (t?.namespace && t.namespace !== object.metadata.namespace) return false;
  if (t?.group !== undefined && t.group !== groupOf(object.apiVersion)) return false;
  return true;
}

/** The pointers `rules` ignore in `object` ("" ignores all of it); pure. */
export function ignoredPaths(rules: readonly DriftIgnoreRule[], object: KubeObject): string[] {
  return rules.filter((rule) => targets(rule, object)).flatMap((rule) => rule.paths);
}

/** Whether an ignore rule covers `pointer` of `object`; pure. */
export function ignored(
  rules: readonly DriftIgnoreRule[],
  object: KubeObject,
  pointer: string,
): boolean {
  return ignoredPaths(rules, object).some((p) => pointer === p || pointer.startsWith(`${p}/`));
}

/** The object as Helm leaves it, with the ownership metadata Helm sets when it creates it. */
function owned(object: KubeObject, spec: ReleaseSpec): KubeObject {
  return {
    ...object,
    metadata: {
      ...object.metadata,
      annotations: {
        ...object.metadata.annotations,
        "meta.helm.sh/release-name": spec.releaseName,
        "meta.helm.sh/release-namespace": spec.releaseNamespace,
      },
      labels: { ...object.metadata.labels, "app.kubernetes.io/managed-by": "Helm" },
    },
  };
}

export interface DriftResult {
  /** `Kind/ns/name` (and the first drifted path) for each drifted object. */
  drifted: string[];
  errors: string[];
}

export async function detectDrift(
  client: KubeClient,
  helm: HelmOptions,
  spec: ReleaseSpec,
  revision: string,
): Promise<DriftResult> {
  const text = await getManifest(helm, spec.releaseName, spec.releaseNamespace);
  const result: DriftResult = { drifted: [], errors: [] };
  const apply = { fieldManager: HELM_FIELD_MANAGER, force: true };
  for (const doc of parseAllDocuments(text)) {
    const manifest = doc.toJS() as KubeObject | null;
    if (!manifest?.kind || !manifest.metadata?.name) continue;
    const resource = await client.resourceFor(manifest.apiVersion, manifest.kind);
    if (resource?.namespaced && !manifest.metadata.namespace)
      manifest.metadata.namespace = spec.releaseNamespace;
    const ignore = ignoredPaths(spec.drift.ignore, manifest);
    if (ignore.includes("")) continue;
    // What the dry run and the correction apply: the same object, so no drift found
    // means none a correction would change.
    const object = owned(manifest, spec);
    const ref = describeRef(refOf(object));
    const live = await client.get(refOf(object));
    let paths = ["(deleted)"];
    if (live) {
      try {
        paths = driftPaths(live, await client.apply(object, { ...apply, dryRun: true }), ignore);
      } catch (error) {
        // Refused (invalid, immutable field, no rights): reported, never forced.
        result.drifted.push(`${ref} (dry run refused)`);
        result.errors.push(`${ref}: ${(error as Error).message}`);
        continue;
      }
    }
    if (paths.length === 0) continue;
    result.drifted.push(`${ref} ${paths[0]}`);
    if (spec.drift.mode !== "enabled") continue;
    try {
      await client.apply(object, apply);
    } catch (error) {
      result.errors.push(`${ref}: ${(error as Error).message}`);
    }
  }
  void revision;
  return result;
}
