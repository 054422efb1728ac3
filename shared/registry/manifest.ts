// What Tether needs to know about manifests and indexes, OCI and Docker v2 alike: which
// kind a document is, what it references (child manifests, blobs), its platforms, and
// the image creation time. Pure functions over parsed JSON.
import { createHash } from "node:crypto";

export const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
export const OCI_INDEX = "application/vnd.oci.image.index.v1+json";
export const DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
export const DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";

/** Everything Tether reads, indexes included, in the order of preference. */
export const MANIFEST_ACCEPT = [OCI_INDEX, DOCKER_MANIFEST_LIST, OCI_MANIFEST, DOCKER_MANIFEST];

export const CREATED_ANNOTATION = "org.opencontainers.image.created";

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: Platform;
  annotations?: Record<string, string>;
}

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

export interface ManifestJson {
  schemaVersion?: number;
  mediaType?: string;
  config?: Descriptor;
  layers?: Descriptor[];
  manifests?: Descriptor[];
  annotations?: Record<string, string>;
}

export function digestOf(bytes: Uint8Array | string): string {
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}

export function isIndexMediaType(mediaType: string): boolean {
  return mediaType === OCI_INDEX || mediaType === DOCKER_MANIFEST_LIST;
}

/**
 * The media type of a manifest document: its own `mediaType` field, else the response's
 * Content-Type, else OCI by shape (`mediaType` is optional in OCI documents).
 */
export function manifestMediaType(json: ManifestJson, contentType?: string | null): string {
  if (typeof json.mediaType === "string" && json.mediaType !== "") return json.mediaType;
  const fromHeader = contentType?.split(";")[0]?.trim();
  if (fromHeader && MANIFEST_ACCEPT.includes(fromHeader)) return fromHeader;
  return Array.isArray(json.manifests) ? OCI_INDEX : OCI_MANIFEST;
}

export function parseManifestJson(bytes: Uint8Array, where: string): ManifestJson {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(bytes).toString("utf8"));
  } catch (error) {
    throw new Error(`${where} is not JSON: ${(error as Error).message}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new Error(`${where} is not a JSON object`);
  }
  return value as ManifestJson;
}

/** The child manifests of an index (empty for an image manifest). */
export function childManifests(json: ManifestJson): Descriptor[] {
  return Array.isArray(json.manifests) ? json.manifests : [];
}

/** The blobs an image manifest references: its config, then its layers. */
export function referencedBlobs(json: ManifestJson): Descriptor[] {
  const blobs: Descriptor[] = [];
  if (json.config?.digest) blobs.push(json.config);
  for (const layer of json.layers ?? []) {
    // Foreign layers (Windows base images) live elsewhere and cannot be copied.
    if (!layer.mediaType?.includes("foreign")) blobs.push(layer);
  }
  return blobs;
}

export function formatPlatform(p: Platform): string {
  return `${p.os}/${p.architecture}${p.variant ? `/${p.variant}` : ""}`;
}

/** Normalizes `linux/arm64/v8` to `linux/arm64` (v8 is arm64's only variant). */
export function normalizePlatform(platform: string): string {
  const [os = "", arch = "", variant] = platform.trim().toLowerCase().split("/");
  if (arch === "arm64" && (variant === undefined || variant === "v8")) return `${os}/arm64`;
  if (arch === "amd64" && variant === undefined) return `${os}/amd64`;
  return variant ? `${os}/${arch}/${variant}` : `${os}/${arch}`;
}

/** The platforms an index lists, normalized; attestation entries (unknown/unknown) skipped. */
export function indexPlatforms(json: ManifestJson): string[] {
  return childManifests(json)
    .filter((d) => d.platform && d.platform.os !== "unknown")
    .map((d) => normalizePlatform(formatPlatform(d.platform as Platform)));
}

/** A valid RFC 3339 time, or undefined: labels are free text and may hold anything. */
function validTime(value: unknown): string | undefined {
  if (typeof value !== "string" || value === "") return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

export function createdFromAnnotations(json: ManifestJson): string | undefined {
  return validTime(json.annotations?.[CREATED_ANNOTATION]);
}

/**
 * Creation time from an image config blob: the `org.opencontainers.image.created` label
 * (what CI sets to the release time) before the config's own `created` (the build time).
 */
export function createdFromConfig(config: unknown): string | undefined {
  if (typeof config !== "object" || config === null) return undefined;
  const c = config as { created?: unknown; config?: { Labels?: Record<string, unknown> } };
  return validTime(c.config?.Labels?.[CREATED_ANNOTATION]) ?? validTime(c.created);
}

/** Which child of an index to read the creation time from: linux/arm64 first, else the first. */
export function pickChildForCreated(json: ManifestJson): Descriptor | undefined {
  const children = childManifests(json).filter((d) => d.platform?.os !== "unknown");
  return (
    children.find(
      (d) => d.platform && normalizePlatform(formatPlatform(d.platform)) === "linux/arm64",
    ) ?? children[0]
  );
}
