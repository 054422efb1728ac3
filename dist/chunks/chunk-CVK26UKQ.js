#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  describeRef
} from "./chunk-Z62KHOJY.js";

// agent/changes.ts
var COUNTED = [
  "created",
  "configured",
  "unchanged",
  "pruned",
  "drifted",
  "failed"
];
function emptyCounts() {
  return { created: 0, configured: 0, unchanged: 0, pruned: 0, drifted: 0, failed: 0 };
}
function countChanges(changes) {
  const counts = emptyCounts();
  for (const c of changes) {
    if (c.action === "created" || c.action === "configured" || c.action === "unchanged")
      counts[c.action]++;
    else if (c.action === "failed") counts.failed++;
    else if (c.action === "pruned") counts.pruned++;
    if (c.drifted) counts.drifted++;
  }
  return counts;
}
function isApplied(change) {
  return change.action === "created" || change.action === "configured" || change.action === "unchanged";
}
function isShown(change) {
  return change.action !== "gone" && change.action !== "unhealthy";
}
function formatChange(change) {
  const why = [change.detail, change.error].filter((s) => s).join(": ");
  return `${describeRef(change.ref)} ${change.action}${why ? `: ${why}` : ""}`;
}
function formatCounts(counts) {
  return COUNTED.map((action) => `${counts[action]} ${action}`).join(", ");
}

export {
  COUNTED,
  emptyCounts,
  countChanges,
  isApplied,
  isShown,
  formatChange,
  formatCounts
};
