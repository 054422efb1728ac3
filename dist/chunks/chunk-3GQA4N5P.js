#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  fluxLabelledUnit,
  isCrd,
  isNamespace,
  optOutOf
} from "./chunk-I4VL4257.js";
import {
  PRUNE_ANNOTATIONS,
  UNIT_LABEL
} from "./chunk-75EKFM34.js";
import {
  messageOf
} from "./chunk-6SSSO5LC.js";

// agent/prune.ts
function keepReason(ref, live, options) {
  const annotations = live.metadata.annotations ?? {};
  const optOut = PRUNE_ANNOTATIONS.find((a) => annotations[a] === "disabled");
  if (optOut) return `annotated ${optOut}: disabled`;
  const notApplied = optOutOf(live);
  if (notApplied) return `marked ${notApplied}`;
  const owner = live.metadata.labels?.[UNIT_LABEL];
  const fromFlux = owner === void 0 && fluxLabelledUnit(live) === options.unit;
  if (owner !== options.unit && !fromFlux)
    return owner ? `now owned by unit ${owner}` : "no longer labelled as this unit's";
  if ((isCrd(ref) || isNamespace(ref)) && !options.allowCrdsAndNamespaces) {
    return `${ref.kind}s are pruned only when the unit sets pruneCrdsAndNamespaces`;
  }
  return void 0;
}
async function deletable(client, candidates, options) {
  const out = [];
  for (const ref of candidates) {
    const live = await client.get(ref);
    if (live && keepReason(ref, live, options) === void 0) out.push(ref);
  }
  return out;
}
function deleteOrder(ref) {
  if (isCrd(ref)) return 3;
  if (isNamespace(ref)) return 2;
  return ref.namespace ? 0 : 1;
}
async function pruneObjects(client, candidates, options) {
  const ordered = [...candidates].sort((a, b) => deleteOrder(a) - deleteOrder(b));
  const results = [];
  for (const ref of ordered) {
    try {
      const live = await client.get(ref);
      if (!live) {
        results.push({ ref, action: "gone" });
        continue;
      }
      const reason = keepReason(ref, live, options);
      if (reason) {
        results.push({ ref, action: "kept", detail: reason });
        continue;
      }
      if (!options.dryRun) {
        await options.beforeDelete?.(live);
        await client.delete(ref);
      }
      results.push({ ref, action: "pruned" });
    } catch (error) {
      results.push({
        ref,
        action: "prune-failed",
        error: messageOf(error)
      });
    }
  }
  return results;
}

export {
  keepReason,
  deletable,
  pruneObjects
};
