// The Helm step as a reconciler of Flux's registry: HelmReleases a Kustomization
// applies are released (all of one Kustomization together, four at a time), and a
// HelmRelease the Kustomization prunes has its release uninstalled first, as Flux's
// finalizer does.
import { HELM_RELEASE_V1, HELM_RELEASE_V2 } from "../../shared/charts/reference.ts";
import { type KubeObject, refOf } from "../../shared/manifests/object.ts";
import {
  type FluxObjectContext,
  type FluxObjectReconciler,
  type FluxObjectResult,
  registerReconciler,
} from "../flux/registry.ts";
import { defaultCacheDir } from "../source/git.ts";
// The Helm pass itself (charts, helm CLI) loads only when a Kustomization has HelmReleases.
import type { HelmPassOptions } from "./pass.ts";

function optionsOf(ctx: FluxObjectContext): HelmPassOptions {
  return {
    client: ctx.client,
    cacheDir: ctx.cacheDir ?? defaultCacheDir(),
    kubeconfig: ctx.kubeconfig,
    own: ctx.own
      ? {
          url: ctx.own.url,
          dir: ctx.own.dir,
          ref: ctx.own.ref,
          credentials: ctx.own.credentials,
          entryPoints: ctx.own.entryPoints,
        }
      : undefined,
    lockdown: ctx.lockdown,
    source: ctx.source,
  };
}

async function reconcileAll(
  objects: KubeObject[],
  ctx: FluxObjectContext,
): Promise<FluxObjectResult[]> {
  const { reconcileHelmReleases } = await import("./pass.ts");
  const outcomes = await reconcileHelmReleases(objects, optionsOf(ctx));
  // Outcomes come in dependency order: answer in the order asked.
  return objects.map((o) => {
    const found = outcomes.find(
      (x) =>
        x.ref.name === o.metadata.name && x.ref.namespace === (o.metadata.namespace ?? "default"),
    );
    if (!found) return { ready: false, message: "not reconciled" };
    return {
      ready: found.ready || found.action === "suspended",
      message: `helm ${found.action}${found.detail ? `: ${found.detail}` : ""}`,
    };
  });
}

const helmRelease = (group: string): FluxObjectReconciler => ({
  group,
  kind: "HelmRelease",
  reconcileAll,
  async reconcile(live, ctx) {
    const [result] = await reconcileAll([live], ctx);
    return result ?? { ready: false, message: "not reconciled" };
  },
  async finalize(live, ctx) {
    const { uninstallReleases } = await import("./pass.ts");
    const [result] = await uninstallReleases([refOf(live)], optionsOf(ctx));
    return { ready: result?.ok ?? true, message: `helm ${result?.detail ?? "no release"}` };
  },
});

let registered = false;

/** Registers the HelmRelease reconcilers (v2 and Flux v1) once. */
export function registerHelmReconcilers(): void {
  if (registered) return;
  registered = true;
  registerReconciler(helmRelease(HELM_RELEASE_V2));
  registerReconciler(helmRelease(HELM_RELEASE_V1));
}
