// The decisions of `tether image build`, as pure functions: the platform list (arm64
// first), the OCI labels, the builder, and the exact command lines for buildah and
// docker buildx. build.ts runs them.
import { normalizePlatform } from "../../shared/registry/manifest.ts";
import { tagProblem } from "../../shared/registry/reference.ts";
import { isReleaseTag, releaseTag, releaseTagTime } from "./tags.ts";

export type Builder = "buildx" | "buildah";
export type BuilderChoice = Builder | "auto";

export const DEFAULT_PLATFORMS = ["linux/arm64"];

/**
 * Platforms from `linux/arm64,linux/amd64` (commas, spaces or new lines), normalized and
 * without duplicates, arm64 first: the edge boards are the first-class target, and
 * clients that take the first entry of an index get the arm64 image.
 */
export function parsePlatforms(list: string | undefined): string[] {
  const items = (list ?? "").split(/[\s,]+/).filter((p) => p !== "");
  if (items.length === 0) return [...DEFAULT_PLATFORMS];
  const seen = new Set<string>();
  const platforms: string[] = [];
  for (const item of items) {
    if (!/^[a-z0-9]+\/[a-z0-9_]+(?:\/[a-z0-9]+)?$/i.test(item)) {
      throw new Error(`platform "${item}" is not os/arch[/variant], e.g. linux/arm64`);
    }
    const platform = normalizePlatform(item);
    if (!seen.has(platform)) {
      seen.add(platform);
      platforms.push(platform);
    }
  }
  const isArm64 = (p: string) => p.split("/")[1] === "arm64";
  return [...platforms.filter(isArm64), ...platforms.filter((p) => !isArm64(p))];
}

/** RFC 3339 without fractions, as the OCI annotation examples write it. */
export function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

export interface LabelInputs {
  created: Date;
  revision?: string | undefined;
  source?: string | undefined;
  /** `key=value` from --label; they win over the computed ones. */
  extra?: readonly string[] | undefined;
}

export function ociLabels(inputs: LabelInputs): Record<string, string> {
  const labels: Record<string, string> = {
    "org.opencontainers.image.created": rfc3339(inputs.created),
  };
  if (inputs.revision) labels["org.opencontainers.image.revision"] = inputs.revision;
  if (inputs.source) labels["org.opencontainers.image.source"] = inputs.source;
  for (const item of inputs.extra ?? []) {
    const eq = item.indexOf("=");
    if (eq <= 0) throw new Error(`label "${item}" is not key=value`);
    labels[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return labels;
}

/** `https://github.com/owner/repo` from GITHUB_SERVER_URL and GITHUB_REPOSITORY. */
export function sourceUrl(env: NodeJS.ProcessEnv): string | undefined {
  if (!env.GITHUB_REPOSITORY) return undefined;
  return `${(env.GITHUB_SERVER_URL || "https://github.com").replace(/\/$/, "")}/${env.GITHUB_REPOSITORY}`;
}

/**
 * The image timestamp when tags are given explicitly: --timestamp, else the time of the
 * RELEASE tag among them. Both given and different is a mistake worth stopping for.
 */
export function timestampFromTags(
  tags: readonly string[],
  flag: Date | undefined,
): Date | undefined {
  const release = tags.find(isReleaseTag);
  const fromTag = release === undefined ? undefined : releaseTagTime(release);
  if (release !== undefined && fromTag === undefined) {
    throw new Error(
      `tag "${release}" starts with RELEASE. but is not RELEASE.YYYY-MM-DDTHH-MM-SSZ`,
    );
  }
  if (flag && fromTag && releaseTag(flag) !== release) {
    throw new Error(`--timestamp ${rfc3339(flag)} disagrees with tag ${release}`);
  }
  return flag ?? fromTag;
}

export function checkTags(tags: readonly string[]): string[] {
  for (const tag of tags) {
    const problem = tagProblem(tag);
    if (problem) throw new Error(problem);
  }
  return [...new Set(tags)];
}

export function chooseBuilder(
  requested: BuilderChoice,
  available: { buildx: boolean; buildah: boolean },
): Builder {
  if (requested === "buildx" || requested === "buildah") {
    if (!available[requested]) {
      throw new Error(
        requested === "buildx"
          ? "--builder buildx: `docker buildx` is not usable here (no buildx plugin or no Docker engine)"
          : "--builder buildah: `buildah` is not installed (Debian: apt-get install buildah)",
      );
    }
    return requested;
  }
  // buildx where Docker is (GitHub-hosted runners), buildah where it is not.
  if (available.buildx) return "buildx";
  if (available.buildah) return "buildah";
  throw new Error("no image builder: install buildah, or Docker with the buildx plugin");
}

export interface BuildSpec {
  context: string;
  file?: string | undefined;
  platforms: readonly string[];
  labels: Record<string, string>;
  buildArgs: readonly string[];
  target?: string | undefined;
  timestamp: Date;
  insecure: boolean;
  authFile?: string | undefined;
  /** Build cache: none (default), gha (GitHub Actions cache) or registry (`cacheRef`). */
  cache?: CacheChoice | undefined;
  cacheRef?: string | undefined;
  /** Attestations; off by default so the index lists only the platforms. */
  provenance?: boolean | undefined;
  sbom?: boolean | undefined;
}

export type CacheChoice = "none" | "gha" | "registry";

/**
 * Cache import and export flags for buildx. A failed export (a full cache, a registry
 * that refuses the cache image) must not fail the build, hence ignore-error.
 */
export function buildxCacheArgs(cache: CacheChoice | undefined, ref: string | undefined): string[] {
  if (!cache || cache === "none") return [];
  if (cache === "gha")
    return ["--cache-from", "type=gha", "--cache-to", "type=gha,mode=max,ignore-error=true"];
  if (!ref) throw new Error("--cache registry needs --cache-ref REPO:TAG");
  return [
    "--cache-from",
    `type=registry,ref=${ref}`,
    "--cache-to",
    `type=registry,ref=${ref},mode=max,ignore-error=true`,
  ];
}

/** buildah only has a registry cache of layers, and no attestations. */
export function buildahCacheArgs(spec: Pick<BuildSpec, "cache" | "cacheRef">): string[] {
  if (!spec.cache || spec.cache === "none") return [];
  if (spec.cache === "gha")
    throw new Error(
      "buildah has no GitHub Actions cache: use --cache registry or --builder buildx",
    );
  if (!spec.cacheRef) throw new Error("--cache registry needs --cache-ref REPO:TAG");
  return ["--layers", "--cache-from", spec.cacheRef, "--cache-to", spec.cacheRef];
}

const epoch = (date: Date) => String(Math.floor(date.getTime() / 1000));

// buildah as root without a daemon: vfs storage (no overlay mounts needed in containers
// and CI sandboxes) and chroot isolation (no runc, no user namespaces).
const BUILDAH_GLOBAL = ["--storage-driver", "vfs"];

/**
 * One platform's build, added to the manifest list. Platforms are built one call each,
 * in order: given several at once, buildah adds them to the list in the order they
 * finish, so the index (and its digest) would change from run to run.
 */
export function buildahBuildArgs(
  spec: BuildSpec,
  manifestList: string,
  platform: string,
): string[] {
  return [
    ...BUILDAH_GLOBAL,
    "build",
    "--isolation",
    "chroot",
    "--platform",
    platform,
    "--manifest",
    manifestList,
    // Created time and file times from the release timestamp: a re-run of the same
    // commit builds the same bytes, so the RELEASE tag keeps its digest.
    "--timestamp",
    epoch(spec.timestamp),
    ...Object.entries(spec.labels).flatMap(([k, v]) => ["--label", `${k}=${v}`]),
    ...spec.buildArgs.flatMap((a) => ["--build-arg", a]),
    ...(spec.target ? ["--target", spec.target] : []),
    ...(spec.file ? ["--file", spec.file] : []),
    // For base images pulled from a plain-HTTP registry.
    ...(spec.insecure ? ["--tls-verify=false"] : []),
    ...(spec.authFile ? ["--authfile", spec.authFile] : []),
    ...buildahCacheArgs(spec),
    spec.context,
  ];
}

/** Pushes the manifest list and every image in it, in OCI formats. */
const BUILDAH_PUSH_ALL = [...BUILDAH_GLOBAL, "manifest", "push", "--all", "--format", "oci"];

/** Writes the manifest list and its images to an OCI layout, to learn the digest offline. */
export function buildahLayoutArgs(manifestList: string, dir: string): string[] {
  return [...BUILDAH_PUSH_ALL, manifestList, `oci:${dir}`];
}

export function buildahPushArgs(
  manifestList: string,
  destination: string,
  digestFile: string,
  options: { insecure: boolean; authFile?: string | undefined },
): string[] {
  return [
    ...BUILDAH_PUSH_ALL,
    "--digestfile",
    digestFile,
    ...(options.insecure ? ["--tls-verify=false"] : []),
    ...(options.authFile ? ["--authfile", options.authFile] : []),
    manifestList,
    `docker://${destination}`,
  ];
}

export function buildahRemoveListArgs(manifestList: string): string[] {
  return [...BUILDAH_GLOBAL, "manifest", "rm", manifestList];
}

/**
 * docker buildx writing an OCI layout (pushed afterwards by Tether's registry client, so
 * both builders push the same way). Provenance and SBOM are off unless asked for: they
 * add `unknown/unknown` entries to the index.
 */
export function buildxArgs(spec: BuildSpec, layoutDir: string): string[] {
  return [
    "buildx",
    "build",
    "--platform",
    spec.platforms.join(","),
    `--provenance=${spec.provenance === true}`,
    `--sbom=${spec.sbom === true}`,
    ...buildxCacheArgs(spec.cache, spec.cacheRef),
    "--build-arg",
    `SOURCE_DATE_EPOCH=${epoch(spec.timestamp)}`,
    ...Object.entries(spec.labels).flatMap(([k, v]) => ["--label", `${k}=${v}`]),
    ...spec.buildArgs.flatMap((a) => ["--build-arg", a]),
    ...(spec.target ? ["--target", spec.target] : []),
    ...(spec.file ? ["--file", spec.file] : []),
    "--output",
    `type=oci,dest=${layoutDir},tar=false`,
    spec.context,
  ];
}

/** Requested platforms the pushed index lacks (normalized comparison). */
export function missingPlatforms(requested: readonly string[], found: readonly string[]): string[] {
  const have = new Set(found.map(normalizePlatform));
  return requested.filter((p) => !have.has(normalizePlatform(p)));
}
