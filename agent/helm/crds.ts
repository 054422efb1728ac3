// CRDs a chart carries in its crds/ folder. `helm install` creates them (CRD policy
// Create, skipped with Skip); `helm upgrade` never touches them, so for the upgrade
// policies Create and CreateReplace Tether applies them itself, as helm-controller
// does: Create only adds missing ones, CreateReplace also updates existing ones.

import { parseAllDocuments } from "yaml";
import type { KubeClient } from "../../shared/kube/client.ts";
import { type KubeObject, refOf } from "../../shared/manifests/object.ts";
import { type HelmOptions, runHelm } from "./cli.ts";
import type { CrdPolicy } from "./spec.ts";

export const HELM_FIELD_MANAGER = "tether-helm";

export async function applyChartCrds(
  client: KubeClient,
  helm: HelmOptions,
  chartPath: string,
  policy: CrdPolicy,
): Promise<number> {
  if (policy === "Skip") return 0;
  const text = await runHelm(helm, ["show", "crds", chartPath]);
  let applied = 0;
  for (const doc of parseAllDocuments(text)) {
    const crd = doc.toJS() as KubeObject | null;
    if (!crd?.kind || crd.kind !== "CustomResourceDefinition") continue;
    if (policy === "Create" && (await client.get(refOf(crd)))) continue;
    await client.apply(crd, { fieldManager: HELM_FIELD_MANAGER, force: true });
    applied++;
  }
  return applied;
}
