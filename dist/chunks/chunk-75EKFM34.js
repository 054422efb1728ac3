#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);

// agent/defaults.ts
var AGENT_NAMESPACE = "tether-system";
var SYNC_TAG = "tether-sync";
var HTTP_PORT = 9797;
var FIELD_MANAGER = "tether";
var AGENT_FIELD_MANAGER = "tether-agent";
var UNIT_LABEL = "tether.dev/unit";
var MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
var MANAGED_BY = "tether";
var RECORD_LABEL = "tether.dev/record";
var PRUNE_ANNOTATIONS = ["tether.dev/prune", "kustomize.toolkit.fluxcd.io/prune"];
var FLUX_FIELD_MANAGER = "kustomize-controller";
var FLUX_RECONCILE_KEY = "kustomize.toolkit.fluxcd.io/reconcile";
var FLUX_SSA_KEY = "kustomize.toolkit.fluxcd.io/ssa";
var FLUX_OPT_OUTS = [
  [FLUX_RECONCILE_KEY, "disabled"],
  [FLUX_SSA_KEY, "Ignore"]
];

export {
  AGENT_NAMESPACE,
  SYNC_TAG,
  HTTP_PORT,
  FIELD_MANAGER,
  AGENT_FIELD_MANAGER,
  UNIT_LABEL,
  MANAGED_BY_LABEL,
  MANAGED_BY,
  RECORD_LABEL,
  PRUNE_ANNOTATIONS,
  FLUX_FIELD_MANAGER,
  FLUX_SSA_KEY,
  FLUX_OPT_OUTS
};
