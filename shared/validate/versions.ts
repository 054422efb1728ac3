// Which Kubernetes version to validate against. Schemas are bundled per minor, so any
// patch of a bundled minor selects that minor's schemas.
import { kubernetesData } from "./data.ts";

export class UnsupportedKubernetesVersionError extends Error {
  readonly requested: string;
  readonly supported: readonly string[];
  constructor(requested: string, supported: readonly string[], reason: string) {
    super(
      `--kubernetes-version ${JSON.stringify(requested)}: ${reason}; bundled schemas cover ${supported.join(", ")} (use one of these, or regenerate with shared/validate/schemas/generate.ts)`,
    );
    this.name = "UnsupportedKubernetesVersionError";
    this.requested = requested;
    this.supported = supported;
  }
}

/** Bundled minors, newest first ("1.37", "1.36", ...). */
export function supportedKubernetesVersions(): readonly string[] {
  return kubernetesData().minors;
}

/** The newest bundled minor; the default when no version is asked for. */
export function defaultKubernetesVersion(): string {
  return supportedKubernetesVersions()[0] as string;
}

/**
 * The bundled minor for a requested version: "1.36", "v1.36" and "1.36.2" all give
 * "1.36"; no version gives the newest. Anything else throws
 * UnsupportedKubernetesVersionError, which names the versions that are bundled.
 */
export function resolveKubernetesVersion(requested?: string): string {
  if (requested === undefined) return defaultKubernetesVersion();
  // Asked once per object and per check of a large repository: the answers are kept.
  const known = resolved.get(requested);
  if (known !== undefined) return known;
  const minor = resolveUncached(requested);
  resolved.set(requested, minor);
  return minor;
}

const resolved = new Map<string, string>();

function resolveUncached(requested: string): string {
  const supported = supportedKubernetesVersions();
  if (requested.trim() === "") return defaultKubernetesVersion();
  const m = /^v?(\d+)\.(\d+)(?:\.\d+)?$/.exec(requested.trim());
  if (!m) {
    throw new UnsupportedKubernetesVersionError(
      requested,
      supported,
      "not a version (expected MAJOR.MINOR, e.g. 1.36)",
    );
  }
  const minor = `${Number(m[1])}.${Number(m[2])}`;
  if (!supported.includes(minor)) {
    throw new UnsupportedKubernetesVersionError(
      requested,
      supported,
      `Kubernetes ${minor} is not bundled`,
    );
  }
  return minor;
}

/** Compares two "MAJOR.MINOR" versions. */
export function compareMinor(a: string, b: string): number {
  const [am = 0, an = 0] = a.split(".").map(Number);
  const [bm = 0, bn = 0] = b.split(".").map(Number);
  return am - bm || an - bn;
}
