// Flux's multi-tenancy lockdown, as decisions over one object: `--no-cross-namespace-refs`
// refuses a Kustomization or HelmRelease that reads from another namespace (its source,
// its dependencies), and `--default-service-account` makes every one of them without a
// `serviceAccountName` act as that ServiceAccount of its own namespace, so a tenant
// gets what its namespace's RBAC grants and nothing of the agent's own rights.
// The agent's own units (its configuration, the cluster's admin) are not tenants and
// stay outside both, as the flux-system Kustomization's own RBAC in Flux's lockdown.
import type { KubeObject } from "../../shared/manifests/object.ts";

export interface Lockdown {
  /** ServiceAccount (in the object's namespace) for objects that name none. */
  defaultServiceAccount?: string | undefined;
  /** Refuse references to another namespace. */
  noCrossNamespaceRefs?: boolean | undefined;
}

interface Ref {
  kind?: string;
  name?: string;
  namespace?: string;
}

/** The references an object makes that name a namespace, with what they are. */
function referencesOf(object: KubeObject): { what: string; ref: Ref }[] {
  const spec = (object.spec ?? {}) as {
    sourceRef?: Ref;
    dependsOn?: Ref[];
    chart?: { spec?: { sourceRef?: Ref } };
    chartRef?: Ref;
  };
  const out: { what: string; ref: Ref }[] = [];
  if (spec.sourceRef) out.push({ what: spec.sourceRef.kind ?? "source", ref: spec.sourceRef });
  const chartSource = spec.chart?.spec?.sourceRef;
  if (chartSource) out.push({ what: chartSource.kind ?? "source", ref: chartSource });
  if (spec.chartRef) out.push({ what: spec.chartRef.kind ?? "source", ref: spec.chartRef });
  for (const dep of spec.dependsOn ?? []) out.push({ what: `${object.kind} dependency`, ref: dep });
  return out;
}

/**
 * Why an object may not be reconciled under `lockdown` (Flux's AccessDenied message for
 * each reference to another namespace); empty when it may.
 */
export function refusedReferences(object: KubeObject, lockdown: Lockdown | undefined): string[] {
  if (!lockdown?.noCrossNamespaceRefs) return [];
  const own = object.metadata.namespace ?? "default";
  return referencesOf(object)
    .filter(({ ref }) => ref.namespace && ref.namespace !== own)
    .map(
      ({ what, ref }) =>
        `can't access '${what}/${ref.namespace}/${ref.name}', cross-namespace references have been blocked`,
    );
}

/** The user an object's changes are made as, or undefined for the agent's own identity. */
export function impersonationFor(
  object: KubeObject,
  lockdown: Lockdown | undefined,
): string | undefined {
  const named = (object.spec as { serviceAccountName?: string } | undefined)?.serviceAccountName;
  const account = named || lockdown?.defaultServiceAccount;
  if (!account) return undefined;
  return `system:serviceaccount:${object.metadata.namespace ?? "default"}:${account}`;
}
