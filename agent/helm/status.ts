// HelmRelease status as helm-controller writes it: conditions Ready, Released,
// Remediated (and Stalled, Reconciling), history snapshots newest first,
// lastAttempted*, observedGeneration, failure counters. `kubectl get helmreleases`
// shows READY and STATUS from the Ready condition. Building the status is pure;
// writing it is one merge patch of the status subresource.
import type { KubeClient } from "../../shared/kube/client.ts";
import type { KubeObject } from "../../shared/manifests/object.ts";
import type { PreviousStatus } from "./decide.ts";

export interface Condition {
  type: string;
  status: "True" | "False" | "Unknown";
  reason: string;
  message: string;
  observedGeneration: number;
  lastTransitionTime: string;
}

export type HelmReleaseStatus = PreviousStatus & {
  conditions?: Condition[] | undefined;
  observedGeneration?: number | undefined;
  lastAttemptedRevision?: string | undefined;
  lastAttemptedReleaseAction?: "install" | "upgrade" | undefined;
  lastAppliedRevision?: string | undefined;
  storageNamespace?: string | undefined;
  helmChart?: string | undefined;
  [field: string]: unknown;
};

export type ConditionInput = Pick<Condition, "type" | "status" | "reason" | "message">;

/** Sets conditions, keeping lastTransitionTime where the status did not flip. */
export function setConditions(
  previous: readonly Condition[] | undefined,
  updates: readonly ConditionInput[],
  generation: number,
  now: string,
): Condition[] {
  const out = [...(previous ?? [])];
  for (const u of updates) {
    const i = out.findIndex((c) => c.type === u.type);
    const old = i >= 0 ? out[i] : undefined;
    const next: Condition = {
      ...u,
      message: u.message.slice(0, 32_000),
      observedGeneration: generation,
      lastTransitionTime: old && old.status === u.status ? old.lastTransitionTime : now,
    };
    if (i >= 0) out[i] = next;
    else out.push(next);
  }
  // Ready first, as Flux orders them.
  return out.sort((a, b) => (a.type === "Ready" ? -1 : b.type === "Ready" ? 1 : 0));
}

export function removeConditions(conditions: Condition[], types: readonly string[]): Condition[] {
  return conditions.filter((c) => !types.includes(c.type));
}

export function readyOf(object: KubeObject | undefined): Condition | undefined {
  const status = (object?.status ?? {}) as HelmReleaseStatus;
  return status.conditions?.find((c) => c.type === "Ready");
}

/** Writes `status` to the HelmRelease's status subresource. */
export async function writeStatus(
  client: KubeClient,
  release: KubeObject,
  status: HelmReleaseStatus,
): Promise<void> {
  const path = `${await client.pathOf({
    apiVersion: release.apiVersion,
    kind: release.kind,
    name: release.metadata.name,
    ...(release.metadata.namespace ? { namespace: release.metadata.namespace } : {}),
  })}/status`;
  await client.request({
    method: "PATCH",
    path,
    body: { status },
    contentType: "application/merge-patch+json",
  });
}
