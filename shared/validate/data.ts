// The generated schema data, parsed on first use: the CLI pays for it only when it
// validates, and only once per process.
import { json as deprecationsJson } from "./schemas/data/deprecations.ts";
import { json as fluxJson } from "./schemas/data/flux.ts";
import { json as fluxCelJson } from "./schemas/data/flux-cel.ts";
import { json as kubernetesJson } from "./schemas/data/kubernetes.ts";
import type { DeprecationData, FluxData, KubernetesData } from "./schemas/types.ts";

let kubernetes: KubernetesData | undefined;
let flux: FluxData | undefined;
let deprecations: DeprecationData | undefined;
let fluxCel: FluxCelData | undefined;

/** Flux's CRD schemas pruned to their CEL rules (schemas/generate-cel.ts). */
export interface FluxCelData {
  source: string;
  /** Controllers whose CRDs could not be read: their kinds have no bundled CEL rules. */
  missing: string[];
  /** Keyed "apiVersion/kind". */
  kinds: Record<string, Record<string, unknown>>;
}

export function kubernetesData(): KubernetesData {
  kubernetes ??= JSON.parse(kubernetesJson) as KubernetesData;
  return kubernetes;
}

export function fluxData(): FluxData {
  flux ??= JSON.parse(fluxJson) as FluxData;
  return flux;
}

export function deprecationData(): DeprecationData {
  deprecations ??= JSON.parse(deprecationsJson) as DeprecationData;
  return deprecations;
}

export function fluxCelData(): FluxCelData {
  fluxCel ??= JSON.parse(fluxCelJson) as FluxCelData;
  return fluxCel;
}
