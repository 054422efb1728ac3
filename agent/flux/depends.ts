// Whether an object may proceed past one of its `dependsOn`, for Kustomizations
// (tree.ts) and HelmReleases (agent/helm/release.ts): the built-in Ready check, or
// Flux's `readyExpr` in its place (as without the AdditiveCELDependencyCheck gate).
// Pure but for loading the CEL module, which only an object with a readyExpr needs.
import type { KubeObject } from "../../shared/manifests/object.ts";

export interface Dependency {
  /** How messages name it: `namespace/name`, or `HelmRelease/namespace/name`. */
  key: string;
  readyExpr?: string | undefined;
}

export type DependencyVerdict =
  | { reason: "DependencyNotReady" | "InvalidCELExpression"; message: string; stalled?: true }
  | undefined;

/**
 * Why `self` may not proceed past `dep` (whose object is `object`, Ready by the built-in
 * check or not), or undefined when it may. A readyExpr replaces the built-in check, as in
 * Flux without its AdditiveCELDependencyCheck gate; one that does not compile stalls `self`.
 */
export async function dependencyVerdict(
  self: KubeObject,
  dep: Dependency,
  object: KubeObject | undefined,
  builtinReady: boolean,
): Promise<DependencyVerdict> {
  if (!object)
    return {
      reason: "DependencyNotReady",
      message: `unable to get '${dep.key}' dependency: not found`,
    };
  if (!dep.readyExpr) {
    return builtinReady
      ? undefined
      : { reason: "DependencyNotReady", message: `dependency '${dep.key}' is not ready` };
  }
  // CEL costs about 26 MiB of RSS: loaded only for objects that use it.
  const { readyExprVerdict } = await import("./health-exprs.ts");
  let verdict: ReturnType<typeof readyExprVerdict>;
  try {
    verdict = readyExprVerdict(dep.readyExpr, self, object);
  } catch (error) {
    return {
      reason: "InvalidCELExpression",
      message: `readyExpr of dependency '${dep.key}' does not compile: ${(error as Error).message}`,
      stalled: true,
    };
  }
  if (verdict.ready) return undefined;
  return {
    reason: "DependencyNotReady",
    message: verdict.error
      ? `dependency '${dep.key}' is not ready: readyExpr: ${verdict.error}`
      : `dependency '${dep.key}' is not ready according to readyExpr eval`,
  };
}
