// CRDs a chart carries in its crds/ folder. `helm install` creates them (CRD policy
// Create, skipped with Skip); `helm upgrade` never touches them, so for the upgrade
// policies Create and CreateReplace Tether applies them itself, as helm-controller
// does: Create only adds missing ones, CreateReplace also updates existing ones. Those
// Tether applies carry the origin labels, as helm-controller's; those `helm install`
// creates do not (Helm applies no post-renderer to crds/).

import type { KubeClient } from "../../shared/kube/client.ts";
import { type KubeObject, refOf } from "../../shared/manifests/object.ts";
import { type HelmOptions, runHelm } from "./cli.ts";
import type { CrdPolicy } from "./spec.ts";

export const HELM_FIELD_MANAGER = "tether-helm";

/**
 * The CRD documents of `helm show crds` output. Helm prints each file of crds/ as it
 * is, one after the other, with no `---` between files that lack one, so a document
 * also ends where a top-level key it already has starts again (the next file's
 * `apiVersion:` or `kind:`).
 */
export async function crdDocuments(text: string): Promise<KubeObject[]> {
  const docs: string[][] = [[]];
  let keys = new Set<string>();
  for (const line of text.split("\n")) {
    if (/^---(\s|$)/.test(line)) {
      docs.push([]);
      keys = new Set();
      continue;
    }
    const key = /^([A-Za-z_][\w.-]*):/.exec(line)?.[1];
    if (key !== undefined) {
      if (keys.has(key)) {
        docs.push([]);
        keys = new Set();
      }
      keys.add(key);
    }
    (docs[docs.length - 1] as string[]).push(line);
  }
  // `yaml` loads here, with a chart's CRDs: an agent without charts does not hold it.
  const { parseDocument } = await import("yaml");
  return docs.flatMap((lines) => {
    const object = parseDocument(lines.join("\n")).toJS() as KubeObject | null;
    return object?.kind === "CustomResourceDefinition" ? [object] : [];
  });
}

/**
 * Applies the chart's CRDs per `policy`, with `labels` added (helm-controller gives
 * them the release's origin labels, not commonMetadata).
 */
export async function applyChartCrds(
  client: KubeClient,
  helm: HelmOptions,
  chartPath: string,
  policy: CrdPolicy,
  labels: Readonly<Record<string, string>> = {},
): Promise<number> {
  if (policy === "Skip") return 0;
  const text = await runHelm(helm, ["show", "crds", chartPath]);
  let applied = 0;
  for (const crd of await crdDocuments(text)) {
    if (policy === "Create" && (await client.get(refOf(crd)))) continue;
    crd.metadata.labels = { ...crd.metadata.labels, ...labels };
    await client.apply(crd, { fieldManager: HELM_FIELD_MANAGER, force: true });
    applied++;
  }
  return applied;
}
