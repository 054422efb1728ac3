// Deprecated and removed API versions for a target Kubernetes version, worded like the
// API server's own warnings ("... is deprecated in v1.33+, unavailable in v1.36+; use
// ..."). Removed is an error (the cluster would reject the object), deprecated a warning.
// Flux API versions that the bundled Flux release no longer serves are warnings: Tether
// itself still reads them.
import { deprecationData, fluxData, kubernetesData } from "./data.ts";
import type { Finding } from "./findings.ts";
import type { ApiLifecycle } from "./schemas/types.ts";
import { compareMinor, resolveKubernetesVersion } from "./versions.ts";

export interface DeprecationFinding extends Finding {
  /** The apiVersion and kind to move to, where there is one. */
  replacement?: { apiVersion: string; kind: string };
  /** Kubernetes minor the API was deprecated in ("1.14"). */
  deprecatedIn?: string;
  /** Kubernetes minor the API stopped being served in ("1.22"). */
  removedIn?: string;
}

let index: Map<string, ApiLifecycle> | undefined;
let byApiVersion: Map<string, ApiLifecycle[]> | undefined;

function lifecycle(apiVersion: string, kind: string): ApiLifecycle | undefined {
  if (!index) {
    index = new Map();
    byApiVersion = new Map();
    for (const e of deprecationData().apis) {
      index.set(`${e.apiVersion} ${e.kind}`, e);
      const list = byApiVersion.get(e.apiVersion) ?? [];
      list.push(e);
      byApiVersion.set(e.apiVersion, list);
    }
  }
  return index.get(`${apiVersion} ${kind}`);
}

function served(minor: string, apiVersion: string, kind?: string): boolean {
  const kinds = kubernetesData().versions[minor]?.kinds[apiVersion];
  return kinds !== undefined && (kind === undefined || kinds[kind] !== undefined);
}

/** Follows replacements that are themselves gone by `minor` (flowcontrol v1beta1 -> v1beta3 -> v1). */
function finalReplacement(entry: ApiLifecycle, minor: string): ApiLifecycle["replacement"] {
  let replacement = entry.replacement;
  for (let hops = 0; replacement && hops < 5; hops++) {
    const next = lifecycle(replacement.apiVersion, replacement.kind);
    if (!next?.removed || compareMinor(minor, next.removed) < 0 || !next.replacement) break;
    replacement = next.replacement;
  }
  return replacement;
}

function advice(entry: ApiLifecycle, replacement: ApiLifecycle["replacement"]): string {
  if (replacement) return `; use ${replacement.apiVersion} ${replacement.kind}`;
  return entry.note ? `; ${entry.note}` : "";
}

/**
 * Findings for one apiVersion + kind on the target Kubernetes version ("1.36", "v1.36.2";
 * the newest bundled when absent): a removed-api error, a deprecated-api warning, or none.
 * Throws UnsupportedKubernetesVersionError for a version that is not bundled.
 */
export function checkApiVersion(
  apiVersion: string,
  kind: string,
  kubernetesVersion?: string,
): DeprecationFinding[] {
  const minor = resolveKubernetesVersion(kubernetesVersion);
  // The same few kinds come back thousands of times in a large repository.
  const key = `${minor}\0${apiVersion}\0${kind}`;
  let found = answers.get(key);
  if (!found) {
    found = findingsFor(apiVersion, kind, minor);
    answers.set(key, found);
  }
  return found.map((f) => ({ ...f }));
}

const answers = new Map<string, DeprecationFinding[]>();

function findingsFor(apiVersion: string, kind: string, minor: string): DeprecationFinding[] {
  const at = { path: "apiVersion", pointer: "/apiVersion" };
  const flux = fluxFinding(apiVersion, kind);
  if (flux) return [{ ...flux, ...at }];

  const entry = lifecycle(apiVersion, kind);
  if (
    entry?.removed &&
    compareMinor(minor, entry.removed) >= 0 &&
    !served(minor, apiVersion, kind)
  ) {
    const replacement = finalReplacement(entry, minor);
    const deprecated = entry.deprecated ? `deprecated in v${entry.deprecated}, ` : "";
    const f: DeprecationFinding = {
      severity: "error",
      rule: "removed-api",
      message: `${apiVersion} ${kind} is not served by Kubernetes ${minor} (${deprecated}removed in v${entry.removed})${advice(entry, replacement)}`,
      ...at,
      removedIn: entry.removed,
    };
    if (entry.deprecated) f.deprecatedIn = entry.deprecated;
    if (replacement) f.replacement = replacement;
    return [f];
  }
  if (entry?.deprecated && compareMinor(minor, entry.deprecated) >= 0) {
    const replacement = finalReplacement(entry, minor);
    const unavailable = entry.removed ? `, unavailable in v${entry.removed}+` : "";
    const f: DeprecationFinding = {
      severity: "warning",
      rule: "deprecated-api",
      message: `${apiVersion} ${kind} is deprecated in v${entry.deprecated}+${unavailable}${advice(entry, replacement)}`,
      ...at,
      deprecatedIn: entry.deprecated,
    };
    if (entry.removed) f.removedIn = entry.removed;
    if (replacement) f.replacement = replacement;
    return [f];
  }
  // A kind the lifecycle data does not list, in an apiVersion that is gone entirely
  // (extensions/v1beta1 PodPreset): the apiVersion itself is the problem.
  if (!entry && !served(minor, apiVersion)) {
    const known = byApiVersion?.get(apiVersion) ?? [];
    const removedIn = known
      .map((e) => e.removed)
      .filter((r): r is string => r !== undefined)
      .sort(compareMinor)
      .pop();
    if (
      known.length > 0 &&
      removedIn &&
      known.every((e) => e.removed) &&
      compareMinor(minor, removedIn) >= 0
    ) {
      return [
        {
          severity: "error",
          rule: "removed-api",
          message: `${apiVersion} is not served by Kubernetes ${minor} (removed by v${removedIn})`,
          ...at,
          removedIn,
        },
      ];
    }
  }
  return [];
}

function fluxFinding(
  apiVersion: string,
  kind: string,
): Omit<DeprecationFinding, "path" | "pointer"> | undefined {
  const data = fluxData();
  const k = data.kinds.find((f) => f.apiVersion === apiVersion && f.kind === kind);
  if (!k || (k.served && !k.deprecated)) return undefined;
  const replacement = { apiVersion: k.storage, kind };
  const why = k.served
    ? `is deprecated (${k.deprecated})`
    : `is no longer served by Flux ${data.flux}`;
  return {
    severity: "warning",
    rule: "deprecated-api",
    message: `${apiVersion} ${kind} ${why}; use ${replacement.apiVersion} ${replacement.kind}`,
    replacement,
  };
}
