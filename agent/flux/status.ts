// Status as Flux's controllers write it, so `kubectl get kustomizations` shows READY
// and the message, and tools that read Flux conditions (kstatus, `flux get`) work:
// Ready / Reconciling / Stalled / Healthy conditions with Flux's reasons, observedGeneration,
// lastAppliedRevision / lastAttemptedRevision, lastHandledReconcileAt, inventory.
import type { KubeClient } from "../../shared/kube/client.ts";
import { groupOf, type KubeObject, type ObjectRef, refOf } from "../../shared/manifests/object.ts";
import { REQUESTED_AT_ANNOTATION } from "./kinds.ts";

/** Flux's reasons for Ready=False on a Kustomization (kustomize-controller's API). */
export type FailureReason =
  | "ArtifactFailed"
  | "BuildFailed"
  | "DependencyNotReady"
  | "InvalidCELExpression"
  | "HealthCheckFailed"
  | "PruneFailed"
  | "ReconciliationFailed"
  | "AccessDenied";

export interface Condition {
  type: string;
  status: "True" | "False" | "Unknown";
  reason: string;
  message: string;
  lastTransitionTime: string;
  observedGeneration?: number;
}

export interface InventoryEntry {
  /** `<namespace>_<name>_<group>_<kind>`, as Flux writes it. */
  id: string;
  /** The API version. */
  v: string;
}

export function inventoryEntry(ref: ObjectRef): InventoryEntry {
  return {
    id: `${ref.namespace ?? ""}_${ref.name}_${groupOf(ref.apiVersion)}_${ref.kind}`,
    v: ref.apiVersion.includes("/") ? (ref.apiVersion.split("/")[1] as string) : ref.apiVersion,
  };
}

export function refOfEntry(entry: InventoryEntry): ObjectRef {
  const [namespace = "", name = "", group = "", kind = ""] = entry.id.split("_");
  const ref: ObjectRef = { apiVersion: group ? `${group}/${entry.v}` : entry.v, kind, name };
  if (namespace) ref.namespace = namespace;
  return ref;
}

export function inventoryOf(live: KubeObject): InventoryEntry[] {
  const status = (live.status ?? {}) as { inventory?: { entries?: InventoryEntry[] } };
  return status.inventory?.entries ?? [];
}

export function conditionsOf(live: KubeObject): Condition[] {
  return ((live.status as { conditions?: Condition[] } | undefined)?.conditions ??
    []) as Condition[];
}

export function readyCondition(live: KubeObject): Condition | undefined {
  return conditionsOf(live).find((c) => c.type === "Ready");
}

/** Ready=True and observed at the current generation (what dependsOn waits for). */
export function isReady(live: KubeObject): boolean {
  const status = (live.status ?? {}) as { observedGeneration?: number };
  const generation = live.metadata.generation as number | undefined;
  return (
    readyCondition(live)?.status === "True" &&
    (generation === undefined || status.observedGeneration === generation)
  );
}

/** A condition, keeping lastTransitionTime when the status did not change. */
function condition(
  previous: readonly Condition[],
  type: string,
  status: Condition["status"],
  reason: string,
  message: string,
  generation: number | undefined,
): Condition {
  const old = previous.find((c) => c.type === type);
  return {
    type,
    status,
    reason,
    // The API server caps condition messages at 32 KiB.
    message: message.slice(0, 32_000),
    lastTransitionTime:
      old && old.status === status
        ? old.lastTransitionTime
        : new Date().toISOString().replace(/\.\d+Z$/, "Z"),
    ...(generation === undefined ? {} : { observedGeneration: generation }),
  };
}

/**
 * The result of a Kustomization's health checks: passed or failed with a message, or
 * `null` when there was nothing to check (the condition is taken away). Undefined
 * (a reconcile that ended before its checks) keeps the condition as it was.
 */
export type HealthResult = { healthy: boolean; message: string } | null;

export type Outcome =
  | { kind: "progressing"; message: string }
  | {
      kind: "ready";
      message: string;
      inventory?: InventoryEntry[] | undefined;
      health?: HealthResult | undefined;
    }
  | {
      kind: "failed";
      reason: FailureReason;
      message: string;
      /** Stalled: retrying cannot help until the spec changes. */
      stalled?: boolean;
      inventory?: InventoryEntry[] | undefined;
      health?: HealthResult | undefined;
    };

/** The Healthy condition after `health`, as kustomize-controller writes it. */
function healthyCondition(
  previous: readonly Condition[],
  health: HealthResult | undefined,
  generation: number | undefined,
): Condition[] {
  if (health === null) return [];
  if (health === undefined) return previous.filter((c) => c.type === "Healthy");
  return [
    condition(
      previous,
      "Healthy",
      health.healthy ? "True" : "False",
      health.healthy ? "Succeeded" : "HealthCheckFailed",
      health.message,
      generation,
    ),
  ];
}

/** The status to write for an outcome of a reconcile of `live` at `revision`. */
export function statusFor(
  live: KubeObject,
  outcome: Outcome,
  revision: string | undefined,
): Record<string, unknown> {
  const previous = conditionsOf(live);
  const old = (live.status ?? {}) as Record<string, unknown>;
  const generation = live.metadata.generation as number | undefined;
  const status: Record<string, unknown> = { ...old };
  const requestedAt = live.metadata.annotations?.[REQUESTED_AT_ANNOTATION];
  if (requestedAt) status.lastHandledReconcileAt = requestedAt;
  if (revision) status.lastAttemptedRevision = revision;
  if (outcome.kind === "progressing") {
    status.conditions = [
      condition(previous, "Reconciling", "True", "Progressing", outcome.message, generation),
      condition(previous, "Ready", "Unknown", "Progressing", outcome.message, generation),
      ...healthyCondition(previous, undefined, generation),
    ];
    return status;
  }
  if (outcome.inventory) status.inventory = { entries: outcome.inventory };
  status.observedGeneration = generation;
  if (outcome.kind === "ready") {
    if (revision) status.lastAppliedRevision = revision;
    status.conditions = [
      condition(previous, "Ready", "True", "ReconciliationSucceeded", outcome.message, generation),
      ...healthyCondition(previous, outcome.health, generation),
    ];
    return status;
  }
  const conditions = [
    condition(previous, "Ready", "False", outcome.reason, outcome.message, generation),
    ...healthyCondition(previous, outcome.health, generation),
  ];
  if (outcome.stalled) {
    conditions.push(
      condition(previous, "Stalled", "True", outcome.reason, outcome.message, generation),
    );
  } else {
    // Flux keeps Reconciling=True with ProgressingWithRetry while it will try again.
    conditions.push(
      condition(
        previous,
        "Reconciling",
        "True",
        "ProgressingWithRetry",
        outcome.message,
        generation,
      ),
    );
  }
  status.conditions = conditions;
  return status;
}

/** Writes `status` through the status subresource (one request, whole conditions list). */
export async function writeStatus(
  client: KubeClient,
  live: KubeObject,
  status: Record<string, unknown>,
): Promise<KubeObject> {
  const path = `${await client.pathOf(refOf(live))}/status`;
  return client.request<KubeObject>({
    method: "PATCH",
    path,
    body: { status },
    contentType: "application/merge-patch+json",
  });
}
