#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  isReleaseTag,
  releaseTag,
  releaseTagTime
} from "./chunk-LCUR7MG5.js";
import {
  normalizePlatform
} from "./chunk-NZUFSULI.js";
import {
  tagProblem
} from "./chunk-ZRNRZWX5.js";

// action/build/build-plan.ts
var DEFAULT_PLATFORMS = ["linux/arm64"];
function parsePlatforms(list) {
  const items = (list ?? "").split(/[\s,]+/).filter((p) => p !== "");
  if (items.length === 0) return [...DEFAULT_PLATFORMS];
  const seen = /* @__PURE__ */ new Set();
  const platforms = [];
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
  const isArm64 = (p) => p.split("/")[1] === "arm64";
  return [...platforms.filter(isArm64), ...platforms.filter((p) => !isArm64(p))];
}
function rfc3339(date) {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}
function ociLabels(inputs) {
  const labels = {
    "org.opencontainers.image.created": rfc3339(inputs.created)
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
function sourceUrl(env) {
  if (!env.GITHUB_REPOSITORY) return void 0;
  return `${(env.GITHUB_SERVER_URL || "https://github.com").replace(/\/$/, "")}/${env.GITHUB_REPOSITORY}`;
}
function timestampFromTags(tags, flag) {
  const release = tags.find(isReleaseTag);
  const fromTag = release === void 0 ? void 0 : releaseTagTime(release);
  if (release !== void 0 && fromTag === void 0) {
    throw new Error(
      `tag "${release}" starts with RELEASE. but is not RELEASE.YYYY-MM-DDTHH-MM-SSZ`
    );
  }
  if (flag && fromTag && releaseTag(flag) !== release) {
    throw new Error(`--timestamp ${rfc3339(flag)} disagrees with tag ${release}`);
  }
  return flag ?? fromTag;
}
function checkTags(tags) {
  for (const tag of tags) {
    const problem = tagProblem(tag);
    if (problem) throw new Error(problem);
  }
  return [...new Set(tags)];
}
function chooseBuilder(requested, available) {
  if (requested === "buildx" || requested === "buildah") {
    if (!available[requested]) {
      throw new Error(
        requested === "buildx" ? "--builder buildx: `docker buildx` is not usable here (no buildx plugin or no Docker engine)" : "--builder buildah: `buildah` is not installed (Debian: apt-get install buildah)"
      );
    }
    return requested;
  }
  if (available.buildx) return "buildx";
  if (available.buildah) return "buildah";
  throw new Error("no image builder: install buildah, or Docker with the buildx plugin");
}
function buildxCacheArgs(cache, ref) {
  if (!cache || cache === "none") return [];
  if (cache === "gha")
    return ["--cache-from", "type=gha", "--cache-to", "type=gha,mode=max,ignore-error=true"];
  if (!ref) throw new Error("--cache registry needs --cache-ref REPO:TAG");
  return [
    "--cache-from",
    `type=registry,ref=${ref}`,
    "--cache-to",
    `type=registry,ref=${ref},mode=max,ignore-error=true`
  ];
}
function buildahCacheArgs(spec) {
  if (!spec.cache || spec.cache === "none") return [];
  if (spec.cache === "gha")
    throw new Error(
      "buildah has no GitHub Actions cache: use --cache registry or --builder buildx"
    );
  if (!spec.cacheRef) throw new Error("--cache registry needs --cache-ref REPO:TAG");
  return ["--layers", "--cache-from", spec.cacheRef, "--cache-to", spec.cacheRef];
}
var epoch = (date) => String(Math.floor(date.getTime() / 1e3));
var BUILDAH_GLOBAL = ["--storage-driver", "vfs"];
function buildahBuildArgs(spec, manifestList, platform) {
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
    ...spec.target ? ["--target", spec.target] : [],
    ...spec.file ? ["--file", spec.file] : [],
    // For base images pulled from a plain-HTTP registry.
    ...spec.insecure ? ["--tls-verify=false"] : [],
    ...spec.authFile ? ["--authfile", spec.authFile] : [],
    ...buildahCacheArgs(spec),
    spec.context
  ];
}
var BUILDAH_PUSH_ALL = [...BUILDAH_GLOBAL, "manifest", "push", "--all", "--format", "oci"];
function buildahLayoutArgs(manifestList, dir) {
  return [...BUILDAH_PUSH_ALL, manifestList, `oci:${dir}`];
}
function buildahPushArgs(manifestList, destination, digestFile, options) {
  return [
    ...BUILDAH_PUSH_ALL,
    "--digestfile",
    digestFile,
    ...options.insecure ? ["--tls-verify=false"] : [],
    ...options.authFile ? ["--authfile", options.authFile] : [],
    manifestList,
    `docker://${destination}`
  ];
}
function buildahRemoveListArgs(manifestList) {
  return [...BUILDAH_GLOBAL, "manifest", "rm", manifestList];
}
function buildxArgs(spec, layoutDir) {
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
    ...spec.target ? ["--target", spec.target] : [],
    ...spec.file ? ["--file", spec.file] : [],
    "--output",
    `type=oci,dest=${layoutDir},tar=false`,
    spec.context
  ];
}
function missingPlatforms(requested, found) {
  const have = new Set(found.map(normalizePlatform));
  return requested.filter((p) => !have.has(normalizePlatform(p)));
}

export {
  parsePlatforms,
  rfc3339,
  ociLabels,
  sourceUrl,
  timestampFromTags,
  checkTags,
  chooseBuilder,
  buildahBuildArgs,
  buildahLayoutArgs,
  buildahPushArgs,
  buildahRemoveListArgs,
  buildxArgs,
  missingPlatforms
};
