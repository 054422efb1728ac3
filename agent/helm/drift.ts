// Drift detection (spec.driftDetection): the objects of the release as Helm stored
// them, compared with the live objects. A field the manifest sets that the cluster
// holds differently, or an object that is gone, is drift; paths in `ignore` rules are
// skipped. In `enabled` mode the manifest's fields are applied again (server-side,
// forced), without a new Helm revision, as helm-controller corrects drift.
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

/** Whether an ignore rule covers `pointer` of `object`; pure. */
export function ignored(
  rules: readonly DriftIgnoreRule[],
  object: KubeObject,
  pointer: string,
): boolean {
  return rules.some((rule) => {
    const t = rule.target;
    if (t?.kind && t.kind !== object.kind) return false;
    if (t?.name && t.name !== object.metadata.name) return false;
    if (t?.namespace && t.namespace !== object.metadata.namespace) return false;
    if (t?.group !== undefined && t.group !== groupOf(object.apiVersion)) return false;
    return rule.paths.some((p) => pointer === p || pointer.startsWith(`${p}/`));
  });
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
  for (const doc of parseAllDocuments(text)) {
    const object = doc.toJS() as KubeObject | null;
    if (!object?.kind || !object.metadata?.name) continue;
    const resource = await client.resourceFor(object.apiVersion, object.kind);
    if (resource?.namespaced && !object.metadata.namespace)
      object.metadata.namespace = spec.releaseNamespace;
    const live = await client.get(refOf(object));
    const paths = live
      ? diffPaths(
          {
            metadata: { labels: object.metadata.labels, annotations: object.metadata.annotations },
            ...without(object, ["metadata", "status"]),
          },
          live,
        ).filter((p) => !ignored(spec.drift.ignore, object, p))
      : ["(deleted)"];
    if (paths.length === 0) continue;
    result.drifted.push(`${describeRef(refOf(object))} ${paths[0]}`);
    if (spec.drift.mode !== "enabled") continue;
    try {
      await client.apply(
        {
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
        },
        { fieldManager: HELM_FIELD_MANAGER, force: true },
      );
    } catch (error) {
      result.errors.push(`${describeRef(refOf(object))}: ${(error as Error).message}`);
    }
  }
  void revision;
  return result;
}

function without(object: KubeObject, keys: string[]): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...object };
  for (const k of keys) delete copy[k];
  return copy;
}
