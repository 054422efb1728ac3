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

/** The tree as lines; roots are the Kustomizations no other one lists (or `only`). */
export function treeLines(items: readonly KubeObject[], only?: string): string[] {
  const byKey = new Map(items.map((k) => [keyOf(k.metadata), k]));
  const owned = new Set<string>();
  for (const k of items) {
    for (const ref of inventoryOf(k).map(refOfEntry))
      if (isKustomization(ref)) owned.add(keyOf(ref));
  }
  const roots = items.filter((k) =>
    only ? keyOf(k.metadata) === only || k.metadata.name === only : !owned.has(keyOf(k.metadata)),
  );
  const lines: string[] = [];
  const walk = (k: KubeObject, prefix: string, seen: Set<string>) => {
    const children = inventoryOf(k).map(refOfEntry);
    children.forEach((ref: ObjectRef, i) => {
      const last = i === children.length - 1;
      lines.push(`${prefix}${last ? "└── " : "├── "}${describeRef(ref)}`);
      const child = isKustomization(ref) ? byKey.get(keyOf(ref)) : undefined;
      if (child && !seen.has(keyOf(ref))) {
        walk(child, `${prefix}${last ? "    " : "│   "}`, new Set([...seen, keyOf(ref)]));
      }
    });
  };
  for (const root of roots) {
    lines.push(
      describeRef({
        apiVersion: root.apiVersion,
        kind: root.kind,
        name: root.metadata.name,
        namespace: root.metadata.namespace ?? "",
      }),
    );
    walk(root, "", new Set([keyOf(root.metadata)]));
  }
  return lines;
}
