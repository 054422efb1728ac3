#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  REQUESTED_AT_ANNOTATION
} from "./chunk-WOA5VQJZ.js";
import {
  groupOf,
  refOf
} from "./chunk-Z62KHOJY.js";

// agent/flux/status.ts
function inventoryEntry(ref) {
  return {
    id: `${ref.namespace ?? ""}_${ref.name}_${groupOf(ref.apiVersion)}_${ref.kind}`,
    v: ref.apiVersion.includes("/") ? ref.apiVersion.split("/")[1] : ref.apiVersion
  };
}
function refOfEntry(entry) {
  const [namespace = "", name = "", group = "", kind = ""] = entry.id.split("_");
  const ref = { apiVersion: group ? `${group}/${entry.v}` : entry.v, kind, name };
  if (namespace) ref.namespace = namespace;
  return ref;
}
function inventoryOf(live) {
  const status = live.status ?? {};
  return status.inventory?.entries ?? [];
}
function conditionsOf(live) {
  return live.status?.conditions ?? [];
}
function readyCondition(live) {
  return conditionsOf(live).find((c) => c.type === "Ready");
}
function isReady(live) {
  const status = live.status ?? {};
  const generation = live.metadata.generation;
  return readyCondition(live)?.status === "True" && (generation === void 0 || status.observedGeneration === generation);
}
function condition(previous, type, status, reason, message, generation) {
  const old = previous.find((c) => c.type === type);
  return {
    type,
    status,
    reason,
    // The API server caps condition messages at 32 KiB.
    message: message.slice(0, 32e3),
    lastTransitionTime: old && old.status === status ? old.lastTransitionTime : (/* @__PURE__ */ new Date()).toISOString().replace(/\.\d+Z$/, "Z"),
    ...generation === void 0 ? {} : { observedGeneration: generation }
  };
}
function healthyCondition(previous, health, generation) {
  if (health === null) return [];
  if (health === void 0) return previous.filter((c) => c.type === "Healthy");
  return [
    condition(
      previous,
      "Healthy",
      health.healthy ? "True" : "False",
      health.healthy ? "Succeeded" : "HealthCheckFailed",
      health.message,
      generation
    )
  ];
}
function statusFor(live, outcome, revision) {
  const previous = conditionsOf(live);
  const old = live.status ?? {};
  const generation = live.metadata.generation;
  const status = { ...old };
  const requestedAt = live.metadata.annotations?.[REQUESTED_AT_ANNOTATION];
  if (requestedAt) status.lastHandledReconcileAt = requestedAt;
  if (revision) status.lastAttemptedRevision = revision;
  if (outcome.kind === "progressing") {
    status.conditions = [
      condition(previous, "Reconciling", "True", "Progressing", outcome.message, generation),
      condition(previous, "Ready", "Unknown", "Progressing", outcome.message, generation),
      ...healthyCondition(previous, void 0, generation)
    ];
    return status;
  }
  if (outcome.inventory) status.inventory = { entries: outcome.inventory };
  status.observedGeneration = generation;
  if (outcome.kind === "ready") {
    if (revision) status.lastAppliedRevision = revision;
    status.conditions = [
      condition(previous, "Ready", "True", "ReconciliationSucceeded", outcome.message, generation),
      ...healthyCondition(previous, outcome.health, generation)
    ];
    return status;
  }
  const conditions = [
    condition(previous, "Ready", "False", outcome.reason, outcome.message, generation),
    ...healthyCondition(previous, outcome.health, generation)
  ];
  if (outcome.stalled) {
    conditions.push(
      condition(previous, "Stalled", "True", outcome.reason, outcome.message, generation)
    );
  } else {
    conditions.push(
      condition(
        previous,
        "Reconciling",
        "True",
        "ProgressingWithRetry",
        outcome.message,
        generation
      )
    );
  }
  status.conditions = conditions;
  return status;
}
async function writeStatus(client, live, status) {
  const path = `${await client.pathOf(refOf(live))}/status`;
  return client.request({
    method: "PATCH",
    path,
    body: { status },
    contentType: "application/merge-patch+json"
  });
}

export {
  inventoryEntry,
  refOfEntry,
  inventoryOf,
  readyCondition,
  isReady,
  statusFor,
  writeStatus
};
