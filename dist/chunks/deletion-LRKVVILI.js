#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  pruneObjects
} from "./chunk-3GQA4N5P.js";
import "./chunk-I4VL4257.js";
import "./chunk-IN6JXKYM.js";
import {
  appliedRoot
} from "./chunk-V3OBHZW3.js";
import "./chunk-F7OZ6T2Y.js";
import "./chunk-DGWWLFJ6.js";
import "./chunk-XVXAFQO7.js";
import {
  KUSTOMIZATION_API,
  isKustomization
} from "./chunk-WOA5VQJZ.js";
import "./chunk-75EKFM34.js";
import "./chunk-6SSSO5LC.js";
import "./chunk-XH5JYCWA.js";
import "./chunk-OMIHXC2B.js";
import {
  describeRef,
  refKey
} from "./chunk-Z62KHOJY.js";
import "./chunk-3IQPLNQJ.js";

// agent/flux/deletion.ts
const { readdir, readFile, rm } = require("node:fs/promises");
const { join } = require("node:path");
function deletionAction(policy, prune, suspended = false) {
  if (suspended) return "orphan";
  switch (policy) {
    case "Delete":
      return "delete";
    case "WaitForTermination":
      return "delete-and-wait";
    case "Orphan":
      return "orphan";
    default:
      return prune ? "delete" : "orphan";
  }
}
var actionOf = (record) => deletionAction(record.deletionPolicy, record.prune === true, record.suspended === true);
async function cascadeSize(cacheDir, refs) {
  const counted = new Set(refs.map(refKey));
  const expanded = /* @__PURE__ */ new Set();
  let total = 0;
  const expand = async (list) => {
    for (const ref of list) {
      const key = refKey(ref);
      if (!isKustomization(ref) || expanded.has(key)) continue;
      expanded.add(key);
      const path = join(appliedRoot(cacheDir), ref.namespace ?? "default", `${ref.name}.json`);
      const record = await readFile(path, "utf8").then((text) => JSON.parse(text)).catch(() => void 0);
      if (!record || actionOf(record) === "orphan") continue;
      const objects = record.objects ?? [];
      for (const object of objects) {
        if (counted.has(refKey(object))) continue;
        counted.add(refKey(object));
        total++;
      }
      await expand(objects);
    }
  };
  await expand(refs);
  return total;
}
async function budgetCounts(cacheDir, owned, stale) {
  const through = cacheDir && stale.some(isKustomization) ? await cascadeSize(cacheDir, stale) : 0;
  return {
    owned: owned.length + (cacheDir && through > 0 ? await cascadeSize(cacheDir, owned) : 0),
    toPrune: stale.length + through,
    throughKustomizations: through
  };
}
async function finalizeDeleted(client, cacheDir, note, timeoutMs = 5 * 6e4) {
  const root = appliedRoot(cacheDir);
  const changes = [];
  const namespaces = await readdir(root).catch(() => []);
  for (const namespace of namespaces) {
    for (const file of await readdir(join(root, namespace)).catch(() => [])) {
      if (!file.endsWith(".json")) continue;
      const name = file.slice(0, -5);
      const path = join(root, namespace, file);
      let record;
      try {
        record = JSON.parse(await readFile(path, "utf8"));
      } catch {
        continue;
      }
      const live = await client.get({ apiVersion: KUSTOMIZATION_API, kind: "Kustomization", namespace, name }).catch(() => null);
      if (live === null || live && live.metadata.uid === record.uid) continue;
      if (live) {
        await rm(path, { force: true });
        continue;
      }
      const action = actionOf(record);
      const key = `${namespace}/${name}`;
      if (action === "orphan" || !record.unit) {
        const why = record.suspended ? "suspended" : `deletionPolicy ${record.deletionPolicy}`;
        note(`kustomization ${key} deleted: its objects are left in place (${why})`);
        await rm(path, { force: true });
        continue;
      }
      let target = client;
      let remote;
      if (record.kubeConfig && (record.objects ?? []).length > 0) {
        const { connectRemote, KubeconfigSecretMissing } = await import("./remote-YYXCE3X6.js");
        try {
          remote = await connectRemote(client, record.kubeConfig, namespace);
          target = remote;
        } catch (error) {
          const gone = error instanceof KubeconfigSecretMissing;
          note(
            `kustomization ${key} deleted: its objects on the remote cluster are ${gone ? "left in place" : "not deleted yet (tried again next pass)"}: ${error.message}`
          );
          if (gone) await rm(path, { force: true });
          continue;
        }
      }
      let pruned;
      try {
        pruned = await deleteObjects(target, record, action === "delete-and-wait", timeoutMs);
      } finally {
        remote?.close();
      }
      changes.push(...pruned);
      const failed = pruned.filter((p) => p.action === "prune-failed");
      note(
        `kustomization ${key} deleted: ${pruned.filter((p) => p.action === "pruned").length} object(s) deleted${remote ? " on the remote cluster" : ""} (deletionPolicy ${record.deletionPolicy})${failed.length ? `; failed: ${failed.map((f) => `${describeRef(f.ref)}: ${f.error}`).join(", ")}` : ""}`
      );
      if (failed.length === 0) await rm(path, { force: true });
    }
  }
  return changes;
}
async function deleteObjects(client, record, wait, timeoutMs) {
  const pruned = await pruneObjects(client, record.objects ?? [], { unit: record.unit });
  if (wait && !pruned.some((p) => p.action === "prune-failed")) {
    const deadline = Date.now() + timeoutMs;
    const deleted = pruned.filter((p) => p.action === "pruned").map((p) => p.ref);
    for (const ref of deleted) {
      while (await client.get(ref).catch(() => void 0) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 500));
    }
  }
  return pruned;
}
export {
  budgetCounts,
  cascadeSize,
  deletionAction,
  finalizeDeleted
};
