#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  inventoryOf,
  readyCondition,
  refOfEntry
} from "./chunk-AMVUJONU.js";
import {
  KUSTOMIZATION_API,
  isKustomization
} from "./chunk-WOA5VQJZ.js";
import {
  describeRef
} from "./chunk-Z62KHOJY.js";
import "./chunk-3IQPLNQJ.js";

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
function buildTree(items, units = [], only) {
  const byKey = new Map(items.map((k) => [keyOf(k.metadata), k]));
  const owned = /* @__PURE__ */ new Set();
  for (const refs of [
    ...items.map((k) => inventoryOf(k).map(refOfEntry)),
    ...units.map((u) => u.inventory)
  ])
    for (const ref of refs) if (isKustomization(ref)) owned.add(keyOf(ref));
  const expand = (ref, seen) => {
    const node = {
      apiVersion: ref.apiVersion,
      kind: ref.kind,
      name: ref.name,
      ...ref.namespace ? { namespace: ref.namespace } : {}
    };
    const child = isKustomization(ref) ? byKey.get(keyOf(ref)) : void 0;
    if (child && !seen.has(keyOf(ref))) {
      const next = /* @__PURE__ */ new Set([...seen, keyOf(ref)]);
      node.children = inventoryOf(child).map(refOfEntry).map((r) => expand(r, next));
    }
    return node;
  };
  const unitRoots = units.filter((u) => !only || u.name === only).map((u) => ({
    kind: "Unit",
    name: u.name,
    children: u.inventory.map((r) => expand(r, /* @__PURE__ */ new Set()))
  }));
  const ksRoots = items.filter(
    (k) => only ? keyOf(k.metadata) === only || k.metadata.name === only : !owned.has(keyOf(k.metadata))
  ).map(
    (k) => expand(
      {
        apiVersion: k.apiVersion,
        kind: k.kind,
        name: k.metadata.name,
        namespace: k.metadata.namespace ?? ""
      },
      /* @__PURE__ */ new Set()
    )
  );
  return [...unitRoots, ...ksRoots];
}
function treeLines(roots) {
  const lines = [];
  const label = (n) => n.kind === "Unit" ? `Unit/${n.name}` : describeRef({
    apiVersion: n.apiVersion ?? "",
    kind: n.kind,
    name: n.name,
    ...n.namespace ? { namespace: n.namespace } : {}
  });
  const walk = (children, prefix) => {
    children.forEach((child, i) => {
      const last = i === children.length - 1;
      lines.push(`${prefix}${last ? "\u2514\u2500\u2500 " : "\u251C\u2500\u2500 "}${label(child)}`);
      if (child.children) walk(child.children, `${prefix}${last ? "    " : "\u2502   "}`);
    });
  };
  for (const root of roots) {
    lines.push(label(root));
    walk(root.children ?? [], "");
  }
  return lines;
}
export {
  buildTree,
  kustomizationRows,
  listKustomizations,
  treeLines
};
