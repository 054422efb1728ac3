// Which objects get Flux's gotk_* series and what they say, derived from a pass's
// reports (pure; metrics.ts keeps the series). Flux exports one set per object it
// reconciles; Tether exports them for:
// - each unit, as kind `Unit` (group `tether.dev`, no version: there is no such API
//   object) in the agent's namespace; its revision is the last applied commit;
// - each Kustomization it reconciled (its Ready condition as written, spec.suspend,
//   status.lastAppliedRevision, source_name, and the reconcile's duration);
// - each HelmRelease released by a unit or a Kustomization (Ready from the Helm step;
//   no revision or duration: releases of one Kustomization are made together);
// - each GitRepository it served (the agent's own and those Kustomizations fetched:
//   Ready, revision, url);
// - each ImagePolicy of image automation (Ready when its tag was selected).
// Flux objects a unit or a Kustomization pruned are `Deleted`, as Flux's controllers
// said of deleted objects.
import { groupOf, type KubeObject } from "../shared/manifests/object.ts";
import type { ImageStatus } from "./automation/status.ts";
import type { Change } from "./changes.ts";
import type { SourceReport } from "./flux/pass.ts";
import type { SyncPass } from "./sync.ts";

export const READY_STATUSES = ["True", "False", "Unknown", "Deleted"] as const;
export type ReadyStatus = (typeof READY_STATUSES)[number];

/** The group and kind of a unit's series. */
export const UNIT_GROUP = "tether.dev";
export const UNIT_KIND = "Unit";

export interface ResourceState {
  group: string;
  version?: string | undefined;
  kind: string;
  namespace: string;
  name: string;
  ready: ReadyStatus;
  suspended?: boolean | undefined;
  revision?: string | undefined;
  /** Labels of Flux's kube-state-metrics configuration for the kind (source_name, url). */
  labels?: Record<string, string> | undefined;
  /** How long the reconcile took, when it was measured. */
  seconds?: number | undefined;
}

export const resourceKey = (s: { kind: string; namespace: string; name: string }) =>
  `${s.kind}/${s.namespace}/${s.name}`;

export function unitResource(name: string, namespace: string): ResourceState {
  return { group: UNIT_GROUP, kind: UNIT_KIND, namespace, name, ready: "Unknown" };
}

const FLUX_KINDS: Record<string, string> = {
  Kustomization: "kustomize.toolkit.fluxcd.io",
  HelmRelease: "helm.toolkit.fluxcd.io",
  GitRepository: "source.toolkit.fluxcd.io",
};

const versionOf = (apiVersion: string) => apiVersion.split("/").pop();

function isFluxKind(ref: { apiVersion: string; kind: string }): boolean {
  return FLUX_KINDS[ref.kind] === groupOf(ref.apiVersion);
}

/** Ready of a Flux object as its status says, True/False/Unknown. */
function readyOf(object: KubeObject, fallback: boolean): ReadyStatus {
  const conditions = (object.status as { conditions?: { type: string; status: string }[] })
    ?.conditions;
  const status = conditions?.find((c) => c.type === "Ready")?.status;
  return status === "True" || status === "False" || status === "Unknown"
    ? status
    : fallback
      ? "True"
      : "False";
}

/** HelmReleases released or uninstalled, and Flux objects pruned, among changes. */
function changedFluxObjects(changes: readonly Change[]): ResourceState[] {
  const states: ResourceState[] = [];
  for (const c of changes) {
    if (!isFluxKind(c.ref)) continue;
    const base = {
      group: groupOf(c.ref.apiVersion),
      version: versionOf(c.ref.apiVersion),
      kind: c.ref.kind,
      namespace: c.ref.namespace ?? "default",
      name: c.ref.name,
    };
    if (c.action === "pruned" || c.action === "gone") states.push({ ...base, ready: "Deleted" });
    else if (c.ref.kind === "HelmRelease" && (c.action === "ready" || c.action === "not-ready")) {
      const detail = c.detail ?? "";
      if (detail.startsWith("helm uninstalled")) states.push({ ...base, ready: "Deleted" });
      else
        states.push({
          ...base,
          ready: c.action === "ready" ? "True" : "False",
          suspended: detail.startsWith("helm suspended"),
        });
    }
  }
  return states;
}

function kustomizationState(report: {
  object: KubeObject;
  ready: boolean;
  suspended: boolean;
  seconds?: number | undefined;
}): ResourceState {
  const o = report.object;
  const spec = o.spec as { sourceRef?: { name?: string } } | undefined;
  const status = o.status as { lastAppliedRevision?: string } | undefined;
  return {
    group: groupOf(o.apiVersion),
    version: versionOf(o.apiVersion),
    kind: o.kind,
    namespace: o.metadata.namespace ?? "default",
    name: o.metadata.name,
    ready: readyOf(o, report.ready),
    suspended: report.suspended,
    revision: status?.lastAppliedRevision,
    labels: spec?.sourceRef?.name ? { source_name: spec.sourceRef.name } : undefined,
    seconds: report.seconds,
  };
}

function sourceState(source: SourceReport): ResourceState {
  return {
    group: groupOf(source.apiVersion),
    version: versionOf(source.apiVersion),
    kind: source.kind,
    namespace: source.namespace,
    name: source.name,
    ready: source.ready ? "True" : "False",
    suspended: source.suspended,
    revision: source.revision,
    labels: source.url ? { url: source.url } : undefined,
  };
}

/**
 * Everything a pass says about units and Flux objects, in the order it happened
 * (a later state of the same object wins).
 */
export function passResources(pass: SyncPass, namespace: string): ResourceState[] {
  const states: ResourceState[] = [];
  for (const r of pass.reports) {
    states.push({
      ...unitResource(r.unit, namespace),
      ready: r.ok ? "True" : "False",
      revision: r.status.lastAppliedRevision,
      seconds: r.seconds,
    });
    states.push(...changedFluxObjects(r.changes));
  }
  for (const source of pass.flux?.sources ?? []) states.push(sourceState(source));
  // Kustomizations not due this pass are reported as their live status stands.
  for (const k of pass.flux?.reports ?? []) {
    states.push(kustomizationState(k));
    states.push(...changedFluxObjects(k.changes));
  }
  return states;
}

/** Each ImagePolicy (`namespace:name`) of an image automation run. */
export function imagePolicyResources(
  status: ImageStatus,
  fallbackNamespace: string,
): ResourceState[] {
  return status.policies.map((p) => {
    const [namespace, name] = p.policy.includes(":")
      ? p.policy.split(":", 2)
      : [fallbackNamespace, p.policy];
    return {
      group: "image.toolkit.fluxcd.io",
      kind: "ImagePolicy",
      namespace: namespace || fallbackNamespace,
      name: name || p.policy,
      ready: p.error ? "False" : "True",
      revision: p.latest || undefined,
    };
  });
}
