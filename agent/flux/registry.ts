// Which Flux kinds Tether reconciles itself, beyond applying them. A Kustomization
// applies its objects; every applied object whose kind has a reconciler here is then
// reconciled (before health checks, so `wait` sees its Ready condition). Kustomizations
// are not in the registry: the tree walk (tree.ts) orders them by dependsOn.
// A module that serves a kind registers it once, e.g. HelmRelease:
//   registerReconciler({ group: "helm.toolkit.fluxcd.io", kind: "HelmRelease", reconcile })
import type { KubeClient } from "../../shared/kube/client.ts";
import { groupOf, type KubeObject } from "../../shared/manifests/object.ts";
import type { Lockdown } from "./lockdown.ts";
import type { OwnSource, SourceContext } from "./source.ts";

export interface FluxObjectContext {
  client: KubeClient;
  /** The checkout of the Kustomization's source and its Flux revision. */
  sourceDir: string;
  revision: string;
  dryRun: boolean;
  /** Where messages for the person running Tether go (one line each). */
  note: (line: string) => void;
  /** The agent's own repository and cache folder (charts, indexes, helm's state). */
  own?: OwnSource | undefined;
  cacheDir?: string | undefined;
  /** The kubeconfig the agent was given, for tools it runs (helm). */
  kubeconfig?: string | undefined;
  /** Flux's multi-tenancy lockdown, for the objects' own impersonation (HelmRelease). */
  lockdown?: Lockdown | undefined;
  /**
   * The pass's sources (resolved once per pass): a HelmRelease's chart folder in a
   * GitRepository is read from the same artifact as the Kustomizations of that source.
   */
  source?: SourceContext | undefined;
}

export interface FluxObjectResult {
  ready: boolean;
  message: string;
}

export interface FluxObjectReconciler {
  group: string;
  kind: string;
  /** Reconciles the live object; writes its status; says whether it is Ready. */
  reconcile(live: KubeObject, ctx: FluxObjectContext): Promise<FluxObjectResult>;
  /** Optional: all objects of the kind a Kustomization applied, in one call (results in order). */
  reconcileAll?(live: KubeObject[], ctx: FluxObjectContext): Promise<FluxObjectResult[]>;
  /**
   * Optional: runs before an object of the kind is pruned, as Flux's finalizers do
   * (a HelmRelease uninstalls its release). Not ready: the object is kept this pass.
   */
  finalize?(live: KubeObject, ctx: FluxObjectContext): Promise<FluxObjectResult>;
}

const reconcilers = new Map<string, FluxObjectReconciler>();

export function registerReconciler(reconciler: FluxObjectReconciler): void {
  reconcilers.set(`${reconciler.group}/${reconciler.kind}`, reconciler);
}

export function reconcilerFor(o: {
  apiVersion: string;
  kind: string;
}): FluxObjectReconciler | undefined {
  return reconcilers.get(`${groupOf(o.apiVersion)}/${o.kind}`);
}
