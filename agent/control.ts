// Asking a running agent to do something: reconcile now, suspend, resume. As with Flux,
// the request is written on the object in the cluster (no connection to the agent is
// needed, so it works from any machine with kubectl rights): an annotation on the
// unit's record for the agent's own units, `reconcile.fluxcd.io/requestedAt` and
// `spec.suspend` on Flux objects. The agent reads the unit requests with one list of
// its records every few seconds (`pollRequests`); Flux objects are read every pass.
import type { KubeObject, ObjectRef } from "../shared/manifests/object.ts";
import { RECORD_LABEL, UNIT_LABEL } from "./defaults.ts";
import { recordName } from "./inventory.ts";

/** Flux's annotation, also used on Tether's records so one habit covers both. */
export const REQUESTED_AT = "reconcile.fluxcd.io/requestedAt";
/** On a unit's record: the agent skips the unit until it is removed. */
export const SUSPEND = "tether.dev/suspend";

export type ControlTarget =
  | { type: "unit"; name: string; ref: ObjectRef }
  | { type: "flux"; kind: "Kustomization" | "HelmRelease"; ref: ObjectRef };

const FLUX_KINDS: Record<string, { kind: "Kustomization" | "HelmRelease"; apiVersion: string }> = {
  kustomization: { kind: "Kustomization", apiVersion: "kustomize.toolkit.fluxcd.io/v1" },
  ks: { kind: "Kustomization", apiVersion: "kustomize.toolkit.fluxcd.io/v1" },
  helmrelease: { kind: "HelmRelease", apiVersion: "helm.toolkit.fluxcd.io/v2" },
  hr: { kind: "HelmRelease", apiVersion: "helm.toolkit.fluxcd.io/v2" },
};

/**
 * `apps` is a unit of the agent; `kustomization/apps` (or `ks/apps`) and
 * `helmrelease/podinfo` (`hr/…`) are Flux objects in `fluxNamespace`.
 */
export function parseTarget(
  text: string,
  agentNamespace: string,
  fluxNamespace: string,
): ControlTarget {
  const slash = text.indexOf("/");
  if (slash < 0) {
    return {
      type: "unit",
      name: text,
      ref: {
        apiVersion: "v1",
        kind: "ConfigMap",
        namespace: agentNamespace,
        name: recordName(text),
      },
    };
  }
  const flux = FLUX_KINDS[text.slice(0, slash).toLowerCase()];
  const name = text.slice(slash + 1);
  if (!flux || !name)
    throw new Error(`"${text}": give a unit name, kustomization/NAME or helmrelease/NAME`);
  return {
    type: "flux",
    kind: flux.kind,
    ref: { apiVersion: flux.apiVersion, kind: flux.kind, namespace: fluxNamespace, name },
  };
}

/** The merge patch that asks for a pass now (a fresh token, as `flux reconcile` writes). */
export function reconcilePatch(token: string): unknown {
  return { metadata: { annotations: { [REQUESTED_AT]: token } } };
}

/** The merge patch that suspends or resumes a target. */
export function suspendPatch(target: ControlTarget, suspend: boolean): unknown {
  if (target.type === "flux") return { spec: { suspend: suspend ? true : null } };
  return { metadata: { annotations: { [SUSPEND]: suspend ? "true" : null } } };
}

export interface UnitRequests {
  /** Units whose requestedAt changed since the last poll. */
  requested: string[];
  /** Units suspended now. */
  suspended: Set<string>;
}

/**
 * What the records ask for, against what was seen before (`seen`, updated in place).
 * The first sight of a token is only remembered: the agent runs every unit when it
 * starts anyway, and an old token must not trigger a pass after every restart.
 */
export function unitRequests(
  records: readonly KubeObject[],
  seen: Map<string, string>,
  first: boolean,
): UnitRequests {
  const requested: string[] = [];
  const suspended = new Set<string>();
  for (const record of records) {
    const unit = record.metadata.labels?.[UNIT_LABEL];
    if (!unit) continue;
    const annotations = record.metadata.annotations ?? {};
    if (annotations[SUSPEND] === "true") suspended.add(unit);
    const token = annotations[REQUESTED_AT];
    if (token !== undefined && seen.get(unit) !== token) {
      seen.set(unit, token);
      if (!first) requested.push(unit);
    }
  }
  return { requested, suspended };
}

/** The label selector of the records `unitRequests` reads. */
export const RECORDS_SELECTOR = `${RECORD_LABEL}=unit`;
