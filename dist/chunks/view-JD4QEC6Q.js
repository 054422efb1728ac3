#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  inventoryOf,
  readyCondition,
  refOfEntry
} from "./chunk-UIV6K4HG.js";
import {
  KUSTOMIZATION_API,
  isKustomization
} from "./chunk-QUMNNJCF.js";
import {
  describeRef
} from "./chunk-Z62KHOJY.js";
import "./chunk-VXZLQ2ES.js";

// agent/flux/view.ts
async function listKustomizations(client) {
  if (!await client.resourceFor(KUSTOMIZATION_API, "Kustomization").catch(() => void 0))
    return [];
  const items = await client.list(KUSTOMIZATION_API, "Kustomization");
  return items.sort(
    (a, b) => `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(
      `${b.metadata.namespace}/${b.metadata.name}`
    )
  );
}
function kustomizationRows(items) {
  const rows = [
    ["NAMESPACE", "KUSTOMIZATION", "READY", "REASON", "REVISION", "SUSPENDED", "MESSAGE"]
  ];
  for (const k of items) {
    const ready = readyCondition(k);
    const status = k.status ?? {};
    rows.push([
      k.metadata.namespace ?? "",
      k.metadata.name,
      ready?.status ?? "Unknown",
      ready?.reason ?? "",
      status.lastAppliedRevision ?? "",
      String(k.spec?.suspend === true),
      (ready?.message ?? "").split("\n")[0]?.slice(0, 100) ?? ""
    ]);
  }
  return rows;
}
var keyOf = (ref) => `${ref.namespace ?? ""}/${ref.name}`;
function treeLines(items, only) {
  const byKey = new Map(items.map((k) => [keyOf(k.metadata), k]));
  const owned = /* @__PURE__ */ new Set();
  for (const k of items) {
    for (const ref of inventoryOf(k).map(refOfEntry))
      if (isKustomization(ref)) owned.add(keyOf(ref));
  }
  const roots = items.filter(
    (k) => only ? keyOf(k.metadata) === only || k.metadata.name === only : !owned.has(keyOf(k.metadata))
  );
  const lines = [];
  const walk = (k, prefix, seen) => {
    const children = inventoryOf(k).map(refOfEntry);
    children.forEach((ref, i) => {
      const last = i === children.length - 1;
      lines.push(`${prefix}${last ? "\u2514\u2500\u2500 " : "\u251C\u2500\u2500 "}${describeRef(ref)}`);
      const child = isKustomization(ref) ? byKey.get(keyOf(ref)) : void 0;
      if (child && !seen.has(keyOf(ref))) {
        walk(child, `${prefix}${last ? "    " : "\u2502   "}`, /* @__PURE__ */ new Set([...seen, keyOf(ref)]));
      }
    });
  };
  for (const root of roots) {
    lines.push(
      describeRef({
        apiVersion: root.apiVersion,
        kind: root.kind,
        name: root.metadata.name,
        namespace: root.metadata.namespace ?? ""
      })
    );
    walk(root, "", /* @__PURE__ */ new Set([keyOf(root.metadata)]));
  }
  return lines;
}
export {
  kustomizationRows,
  listKustomizations,
  treeLines
};
