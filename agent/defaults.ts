// Every name and number the agent uses by default, in one place: what it writes into
// the cluster (labels, field managers, record names) and what a user would otherwise
// have to pass (namespace, sync tag, port).

/** Namespace of the agent: its records, image status and the automation Lease. */
export const AGENT_NAMESPACE = "tether-system";

/** Flux v1 style tag moved to the last commit that synced fully. */
export const SYNC_TAG = "tether-sync";

/** Port of /healthz, /readyz and /metrics. */
export const HTTP_PORT = 9797;

/** Field manager of the objects applied from Git. */
export const FIELD_MANAGER = "tether";

/** Field manager of what the agent writes about itself (records, status, namespace). */
export const AGENT_FIELD_MANAGER = "tether-agent";

/** The unit that owns an applied object; prune deletes only what carries its own name. */
export const UNIT_LABEL = "tether.dev/unit";

export const MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
export const MANAGED_BY = "tether";

/** Marks the ConfigMaps that hold a unit's inventory and status. */
export const RECORD_LABEL = "tether.dev/record";

/** Annotations that keep an object from being pruned when set to `disabled`. */
export const PRUNE_ANNOTATIONS = ["tether.dev/prune", "kustomize.toolkit.fluxcd.io/prune"];

/** The field manager of Flux's kustomize-controller: what it applied, Tether takes over. */
export const FLUX_FIELD_MANAGER = "kustomize-controller";

/**
 * Flux's per-object apply controls (kustomize-controller's): `reconcile: disabled` and
 * `ssa: Ignore` keep an object from being applied or pruned, `ssa: IfNotPresent` only
 * creates it, `ssa: Merge` leaves what other managers set. Read as Flux reads them: on
 * a label or an annotation, the value in any case.
 */
export const FLUX_RECONCILE_KEY = "kustomize.toolkit.fluxcd.io/reconcile";
export const FLUX_SSA_KEY = "kustomize.toolkit.fluxcd.io/ssa";

/** The controls that keep an object from being applied (and pruned): key and value. */
export const FLUX_OPT_OUTS = [
  [FLUX_RECONCILE_KEY, "disabled"],
  [FLUX_SSA_KEY, "Ignore"],
] as const;
