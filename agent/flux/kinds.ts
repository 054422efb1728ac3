// Names Flux gives its objects, labels and annotations, in one place: every Flux
// module asks here whether an object is a Kustomization, a GitRepository, and so on.
import { groupOf, type KubeObject, type ObjectRef } from "../../shared/manifests/object.ts";

export const KUSTOMIZE_GROUP = "kustomize.toolkit.fluxcd.io";
export const SOURCE_GROUP = "source.toolkit.fluxcd.io";
export const SOURCE_EXTENSIONS_GROUP = "source.extensions.fluxcd.io";
export const HELM_GROUP = "helm.toolkit.fluxcd.io";
export const NOTIFICATION_GROUP = "notification.toolkit.fluxcd.io";

/** The versions Tether writes; v1beta2 Kustomizations are read and applied as v1. */
export const KUSTOMIZATION_API = `${KUSTOMIZE_GROUP}/v1`;
export const GIT_REPOSITORY_API = `${SOURCE_GROUP}/v1`;

/** Labels Flux puts on every object a Kustomization applies. */
export const FLUX_NAME_LABEL = `${KUSTOMIZE_GROUP}/name`;
export const FLUX_NAMESPACE_LABEL = `${KUSTOMIZE_GROUP}/namespace`;
export const SUBSTITUTE_ANNOTATION = `${KUSTOMIZE_GROUP}/substitute`;
export const REQUESTED_AT_ANNOTATION = "reconcile.fluxcd.io/requestedAt";
/** Label Flux's bootstrap puts on its own controllers (gotk-components.yaml). */
export const PART_OF_LABEL = "app.kubernetes.io/part-of";

type Like = Pick<KubeObject, "apiVersion" | "kind"> | Pick<ObjectRef, "apiVersion" | "kind">;

export const isKustomization = (o: Like) =>
  groupOf(o.apiVersion) === KUSTOMIZE_GROUP && o.kind === "Kustomization";
export const isGitRepository = (o: Like) =>
  groupOf(o.apiVersion) === SOURCE_GROUP && o.kind === "GitRepository";
export const isArtifactGenerator = (o: Like) =>
  groupOf(o.apiVersion) === SOURCE_EXTENSIONS_GROUP && o.kind === "ArtifactGenerator";

/** Whether objects a pass applied give the Flux step work: a Kustomization or a GitRepository. */
export const hasFluxWork = (applied: readonly Like[]) =>
  applied.some((o) => isKustomization(o) || isGitRepository(o));
export const isExternalArtifact = (o: Like) =>
  groupOf(o.apiVersion) === SOURCE_GROUP && o.kind === "ExternalArtifact";

export const isReceiver = (o: Like) =>
  groupOf(o.apiVersion) === NOTIFICATION_GROUP && o.kind === "Receiver";
export const isProvider = (o: Like) =>
  groupOf(o.apiVersion) === NOTIFICATION_GROUP && o.kind === "Provider";
export const isAlert = (o: Like) =>
  groupOf(o.apiVersion) === NOTIFICATION_GROUP && o.kind === "Alert";

/** Any object of a Flux API group (the ones whose CRDs Tether can install). */
export function isFluxObject(o: Like): boolean {
  const group = groupOf(o.apiVersion);
  return group.endsWith(".fluxcd.io");
}

/** `namespace/name` of an object, the key Flux uses in dependsOn and messages. */
export function nsName(o: { metadata: { name: string; namespace?: string } }): string {
  return `${o.metadata.namespace ?? "default"}/${o.metadata.name}`;
}

/** The revision as Flux writes it: `main@sha1:<sha>`, `v1.0@sha1:<sha>` or `sha1:<sha>`. */
export function fluxRevision(ref: string | undefined, sha: string): string {
  return ref ? `${ref}@sha1:${sha}` : `sha1:${sha}`;
}

/** Durations as Flux writes them (`1h`, `5m30s`, `500ms`), in milliseconds. */
export function parseFluxDuration(text: unknown, fallbackMs: number): number {
  if (typeof text !== "string" || text === "") return fallbackMs;
  const units: Record<string, number> = {
    h: 3_600_000,
    m: 60_000,
    s: 1000,
    ms: 1,
    us: 0.001,
    ns: 1e-6,
  };
  let total = 0;
  let matched = "";
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)(ms|us|ns|h|m|s)/g)) {
    total += Number(m[1]) * (units[m[2] as string] as number);
    matched += m[0];
  }
  return matched === text ? total : fallbackMs;
}
