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
