// What `tether status` and `tether tree` show of Flux objects, read back from the
// cluster: the Kustomizations with their Ready condition, and the tree root →
// Kustomizations → objects from each one's inventory (as `flux tree` draws it).
import type { KubeClient } from "../../shared/kube/client.ts";
import { describeRef, type KubeObject, type ObjectRef } from "../../shared/manifests/object.ts";
import { isKustomization, KUSTOMIZATION_API } from "./kinds.ts";
import { inventoryOf, readyCondition, refOfEntry } from "./status.ts";

/** Every Kustomization in the cluster; none when its CRD is not installed. */
export async function listKustomizations(client: KubeClient): Promise<KubeObject[]> {
  if (!(await client.resourceFor(KUSTOMIZATION_API, "Kustomization").catch(() => undefined)))
    return [];
  const items = await client.list(KUSTOMIZATION_API, "Kustomization");
  return items.sort((a, b) =>
    `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(
      `${b.metadata.namespace}/${b.metadata.name}`,
    ),
  );
}

export function kustomizationRows(items: readonly KubeObject[]): string[][] {
  const rows = [
    ["NAMESPACE", "KUSTOMIZATION", "READY", "REASON", "REVISION", "SUSPENDED", "MESSAGE"],
  ];
  for (const k of items) {
    const ready = readyCondition(k);
    const status = (k.status ?? {}) as { lastAppliedRevision?: string };
    rows.push([
      k.metadata.namespace ?? "",
      k.metadata.name,
      ready?.status ?? "Unknown",
      ready?.reason ?? "",
      status.lastAppliedRevision ?? "",
      String((k.spec as { suspend?: boolean } | undefined)?.suspend === true),
      (ready?.message ?? "").split("\n")[0]?.slice(0, 100) ?? "",
    ]);
  }
  return rows;
}

const keyOf = (ref: { namespace?: string | undefined; name: string }) =>
  `${ref.namespace ?? ""}/${ref.name}`;

/** A node of `tether tree`: a unit, a Kustomization or an object, with what it applied. */
export interface TreeNode {
  kind: string;
  name: string;
  namespace?: string | undefined;
  apiVersion?: string | undefined;
  children?: TreeNode[] | undefined;
}

/** A unit of the agent and the objects its record lists. */
export interface UnitInventory {
  name: string;
  inventory: readonly ObjectRef[];
}

/**
 * The tree: each unit → the objects it applied, and under each Kustomization among
 * them the objects of its inventory (as `flux tree` draws it); then the Kustomizations
 * no unit or other Kustomization lists. `only` starts at one unit or Kustomization
 * (name or namespace/name).
 */
export function buildTree(
  items: readonly KubeObject[],
  units: readonly UnitInventory[] = [],
  only?: string,
): TreeNode[] {
  const byKey = new Map(items.map((k) => [keyOf(k.metadata), k]));
  const owned = new Set<string>();
  for (const refs of [
    ...items.map((k) => inventoryOf(k).map(refOfEntry)),
    ...units.map((u) => u.inventory),
  ])
    for (const ref of refs) if (isKustomization(ref)) owned.add(keyOf(ref));
  const expand = (ref: ObjectRef, seen: Set<string>): TreeNode => {
    const node: TreeNode = {
      apiVersion: ref.apiVersion,
      kind: ref.kind,
      name: ref.name,
      ...(ref.namespace ? { namespace: ref.namespace } : {}),
    };
    const child = isKustomization(ref) ? byKey.get(keyOf(ref)) : undefined;
    if (child && !seen.has(keyOf(ref))) {
      const next = new Set([...seen, keyOf(ref)]);
      node.children = inventoryOf(child)
        .map(refOfEntry)
        .map((r) => expand(r, next));
    }
    return node;
  };
  const unitRoots = units
    .filter((u) => !only || u.name === only)
    .map((u) => ({
      kind: "Unit",
      name: u.name,
      children: u.inventory.map((r) => expand(r, new Set())),
    }));
  const ksRoots = items
    .filter((k) =>
      only ? keyOf(k.metadata) === only || k.metadata.name === only : !owned.has(keyOf(k.metadata)),
    )
    .map((k) =>
      expand(
        {
          apiVersion: k.apiVersion,
          kind: k.kind,
          name: k.metadata.name,
          namespace: k.metadata.namespace ?? "",
        },
        new Set(),
      ),
    );
  return [...unitRoots, ...ksRoots];
}

/** The tree drawn as `flux tree` draws it. */
export function treeLines(roots: readonly TreeNode[]): string[] {
  const lines: string[] = [];
  const label = (n: TreeNode) =>
    n.kind === "Unit"
      ? `Unit/${n.name}`
      : describeRef({
          apiVersion: n.apiVersion ?? "",
          kind: n.kind,
          name: n.name,
          ...(n.namespace ? { namespace: n.namespace } : {}),
        });
  const walk = (children: readonly TreeNode[], prefix: string) => {
    children.forEach((child, i) => {
      const last = i === children.length - 1;
      lines.push(`${prefix}${last ? "└── " : "├── "}${label(child)}`);
      if (child.children) walk(child.children, `${prefix}${last ? "    " : "│   "}`);
    });
  };
  for (const root of roots) {
    lines.push(label(root));
    walk(root.children ?? [], "");
  }
  return lines;
}
