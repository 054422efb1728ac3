// The generated schema data, parsed on first use: the CLI pays for it only when it
// validates, and only once per process.
import { json as deprecationsJson } from "./schemas/data/deprecations.ts";
import { json as fluxJson } from "./schemas/data/flux.ts";
import { json as kubernetesJson } from "./schemas/data/kubernetes.ts";
import type { DeprecationData, FluxData, KubernetesData } from "./schemas/types.ts";

let kubernetes: KubernetesData | undefined;
let flux: FluxData | undefined;
let deprecations: DeprecationData | undefined;

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
