#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);

// agent/delete-budget.ts
var CONFIRM_PRUNE_ANNOTATION = "tether.dev/confirm-prune";
var DEFAULT_DELETE_BUDGET = 0.5;
function deleteBudgetDecision(input) {
  const { owned, toPrune, budget, confirmed } = input;
  if (toPrune === 0 || confirmed || budget >= 1 || owned === 0) return { prune: true };
  if (toPrune / owned <= budget) return { prune: true };
  const through = input.throughKustomizations ? ` (${input.throughKustomizations} of them through the Flux Kustomizations it would delete)` : "";
  return {
    prune: false,
    message: `would prune ${toPrune} of ${owned} objects${through}, more than the delete budget of ${Math.round(budget * 100)}%: nothing pruned. Confirm this revision with ${input.confirmWith ?? `the annotation ${CONFIRM_PRUNE_ANNOTATION}=<revision> on the unit's record ConfigMap (or --confirm-prune with tether sync --once), or raise the unit's deleteBudget`}`
  };
}
function confirmsRevision(confirmation, revision) {
  const value = (confirmation ?? "").trim();
  return value.length >= 7 && revision.startsWith(value);
}
function parseDeleteBudget(value, where) {
  if (value === "off" || value === false) return 1;
  const text = String(value).trim();
  const m = /^(\d+(?:\.\d+)?)(%?)$/.exec(text);
  const share = m ? Number(m[1]) / (m[2] || Number(m[1]) > 1 ? 100 : 1) : Number.NaN;
  if (!(share >= 0 && share <= 1))
    throw new Error(`${where}: "${value}" is not a delete budget (use e.g. 50%, or off)`);
  return share;
}

export {
  CONFIRM_PRUNE_ANNOTATION,
  DEFAULT_DELETE_BUDGET,
  deleteBudgetDecision,
  confirmsRevision,
  parseDeleteBudget
};
