// What a repository bootstrapped by Flux carries besides the user's objects, and how
// Tether takes it over: `flux-system/gotk-components.yaml` holds Flux's controllers
// (only its CRDs and Namespace are applied, never the controllers: Tether does their
// work), Flux's kinds need their CRDs, the namespaces of Flux objects must exist, and
// a cluster where Flux's controllers still run is refused (two controllers would fight
// over the same objects).
import type { KubeClient } from "../../shared/kube/client.ts";
import type { Manifest } from "../../shared/manifests/object.ts";
import { stageOf } from "../apply.ts";
import { ensureNamespace } from "../inventory.ts";
import { isFluxObject, PART_OF_LABEL } from "./kinds.ts";

/** Flux's controllers; any of them running means Flux is still in charge. */
export const FLUX_CONTROLLERS = ["source-controller", "kustomize-controller", "helm-controller"];

export const HANDOVER_STEPS = [
  "Flux's controllers are running in this cluster; Tether will not reconcile Flux objects beside them.",
  "To hand over (objects, CRDs, inventories and the flux-system namespace stay in place):",
  "  1. kubectl -n flux-system scale deployment --all --replicas=0",
  "  2. run Tether again on the same repository path; it takes over each Kustomization's inventory",
  "  (do not `flux suspend` first: Tether honours spec.suspend too)",
].join("\n");

/** Flux controllers found running (`namespace/name`), none when Flux is not installed. */
export async function runningFluxControllers(client: KubeClient): Promise<string[]> {
  const deployments = await client
    .list("apps/v1", "Deployment", { labelSelector: `${PART_OF_LABEL}=flux` })
    .catch(() => []);
  return deployments
    .filter((d) => FLUX_CONTROLLERS.includes(d.metadata.name))
    .filter((d) => ((d.spec as { replicas?: number } | undefined)?.replicas ?? 1) > 0)
    .map((d) => `${d.metadata.namespace}/${d.metadata.name}`);
}

/** Flux's own controllers from gotk-components.yaml: everything but CRDs and Namespaces. */
export function isFluxComponent(m: Manifest): boolean {
  return m.object.metadata.labels?.[PART_OF_LABEL] === "flux" && stageOf(m.object) === 2;
}

/**
 * Flux objects made ready to apply: versions Flux no longer serves (v1beta2
 * Kustomizations, v2beta1 HelmReleases, ...) read as the served one (the fields in use
 * are the same) and the CRDs of Flux kinds installed when
 * the cluster lacks them. Runs on every render, the units' and each Kustomization's.
 */
export async function serveFluxKinds(
  client: KubeClient,
  manifests: readonly Manifest[],
  dryRun: boolean,
): Promise<{ manifests: Manifest[]; notes: string[] }> {
  if (!manifests.some((m) => isFluxObject(m.object)))
    return { manifests: [...manifests], notes: [] };
  // Loaded only here: the bundled schemas cost memory a plain repository never needs.
  const { ensureFluxCrds, servedApiVersion } = await import("./crds.ts");
  const converted = manifests.map((m) => {
    if (!isFluxObject(m.object)) return m;
    const apiVersion = servedApiVersion(m.object.apiVersion, m.object.kind);
    return apiVersion === m.object.apiVersion ? m : { ...m, object: { ...m.object, apiVersion } };
  });
  if (dryRun) return { manifests: converted, notes: [] };
  const created = await ensureFluxCrds(
    client,
    converted.map((m) => m.object),
  );
  return {
    manifests: converted,
    notes: created.length > 0 ? [`installed CRDs: ${created.join(", ")}`] : [],
  };
}

export interface Prepared {
  manifests: Manifest[];
  errors: string[];
  notes: string[];
}

/** Prepares a render that holds Flux objects for the agent to apply. */
export async function prepareFluxRender(
  client: KubeClient,
  manifests: readonly Manifest[],
  dryRun: boolean,
): Promise<Prepared> {
  const prepared: Prepared = { manifests: [...manifests], errors: [], notes: [] };
  if (!manifests.some((m) => isFluxObject(m.object))) return prepared;
  const running = await runningFluxControllers(client);
  if (running.length > 0) {
    prepared.errors.push(`refused: ${running.join(", ")} running.\n${HANDOVER_STEPS}`);
    return prepared;
  }
  const components = manifests.filter(isFluxComponent);
  if (components.length > 0) {
    prepared.manifests = manifests.filter((m) => !isFluxComponent(m));
    prepared.notes.push(
      `${components[0]?.source.file}: applied only the CRDs and namespace of Flux's components; skipped ${components.length} controller object(s), Tether reconciles Flux objects itself`,
    );
  }
  const served = await serveFluxKinds(client, prepared.manifests, dryRun);
  prepared.manifests = served.manifests;
  prepared.notes.push(...served.notes);
  if (dryRun) return prepared;
  // Namespaces of Flux objects that no file declares (the canonical example keeps
  // gotk-components.yaml as an empty placeholder, so flux-system is declared nowhere).
  const declared = new Set(
    prepared.manifests.filter((m) => stageOf(m.object) === 1).map((m) => m.object.metadata.name),
  );
  const needed = new Set(
    prepared.manifests
      .filter((m) => isFluxObject(m.object) && m.object.metadata.namespace)
      .map((m) => m.object.metadata.namespace as string),
  );
  for (const ns of needed) if (!declared.has(ns)) await ensureNamespace(client, ns);
  return prepared;
}
