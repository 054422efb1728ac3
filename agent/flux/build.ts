// Builds a Kustomization's objects from its source, in Flux's order: the path, with the
// spec's kustomize fields (targetNamespace, namePrefix/nameSuffix, patches, images,
// components) merged into its kustomization and built once by the kustomize binary
// (merge-spec.ts); then decryption, postBuild substitution, and last commonMetadata and
// Flux's own labels, which Flux sets when applying.
import { existsSync } from "node:fs";
import { stat } from "node:fs/promises";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { stringify } from "yaml";
import { limitsFromEnv } from "../../shared/manifests/limits.ts";
import type { KubeObject, Manifest } from "../../shared/manifests/object.ts";
import { ManifestError, readManifestText } from "../../shared/manifests/parse.ts";
import {
  findKustomization,
  isRemoteReference,
  type KustomizeOptions,
  kustomizeBuildInstead,
} from "../../shared/render/kustomize.ts";
import { renderPath } from "../../shared/render/render.ts";
import type { IgnoreRules } from "../../shared/render/sourceignore.ts";
import { confine, OutsideRootError, resolveSymlinks } from "../../shared/util/confine.ts";
import { FLUX_NAME_LABEL, FLUX_NAMESPACE_LABEL } from "./kinds.ts";
import { mergeSpec, mergesIntoKustomization } from "./merge-spec.ts";
import type { FailureReason } from "./status.ts";
import { SubstituteError, substituteObject } from "./substitute.ts";

export interface KustomizationSpec {
  path?: string;
  targetNamespace?: string;
  namePrefix?: string;
  nameSuffix?: string;
  patches?: { patch: string; target?: Record<string, string> }[];
  images?: { name: string; newName?: string; newTag?: string; digest?: string }[];
  components?: string[];
  ignoreMissingComponents?: boolean;
  commonMetadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
}

export type BuildResult =
  | { ok: true; manifests: Manifest[] }
  | { ok: false; reason: FailureReason; message: string };

export interface BuildOptions {
  /** The Kustomization's name and namespace, for Flux's labels. */
  name: string;
  namespace: string;
  /** postBuild variables; undefined when the spec asks for no substitution. */
  vars?: Readonly<Record<string, string>> | undefined;
  kustomize?: string | undefined;
  ignore?: IgnoreRules | undefined;
  /**
   * spec.decryption: decrypts SOPS-encrypted objects in memory after kustomize and
   * before postBuild (Flux's order: substitution sees clear values); its errors fail
   * the build.
   */
  decrypt?:
    | ((manifests: Manifest[]) => Promise<{ manifests: Manifest[]; errors: string[] }>)
    | undefined;
}

/**
 * The spec's components as Flux takes them: local and relative to the path (anything
 * else fails the build), and left out when missing if ignoreMissingComponents is set.
 */
function specComponents(spec: KustomizationSpec, dir: string, name: string): string[] {
  return (spec.components ?? []).filter((component) => {
    if (isAbsolute(component) || isRemoteReference(component, dir)) {
      throw new ManifestError(
        name,
        undefined,
        `component path '${component}' must be local and relative`,
      );
    }
    return !spec.ignoreMissingComponents || existsSync(join(dir, component));
  });
}

// A folder without a kustomization: Flux generates one listing its files. Tether reads
// those files by the same rules (renderPath), so the generated file lists their objects,
// written beside it under this name (hidden: never a manifest of the folder itself).
const RENDERED_OBJECTS = ".tether-rendered-objects.yaml";

type Built = { manifests: Manifest[]; errors: string[] };

/**
 * The path built with the spec's kustomize fields merged into its kustomization, once,
 * as Flux does (merge-spec.ts); kustomize runs on a mirror, never in the checkout.
 */
async function buildMerged(
  spec: KustomizationSpec,
  sourceDir: string,
  path: string,
  options: BuildOptions,
): Promise<Built> {
  const root = await resolveSymlinks(sourceDir);
  let target: string;
  try {
    target = await confine(root, path);
  } catch (error) {
    if (!(error instanceof OutsideRootError)) throw error;
    return { manifests: [], errors: [error.message] };
  }
  const kustomize = {
    ...(options.kustomize ? { binary: options.kustomize } : {}),
    limits: limitsFromEnv(),
  };
  const isFolder = (await stat(target)).isDirectory();
  const own = isFolder ? findKustomization(target) : undefined;
  if (own) {
    const name = toPosix(relative(root, own));
    const text = mergeSpec(
      await readManifestText(own, name),
      name,
      spec,
      specComponents(spec, target, name),
    );
    const standIn = { file: basename(own), text };
    return { manifests: await kustomizeBuildInstead(target, root, standIn, kustomize), errors: [] };
  }
  const dir = isFolder ? target : dirname(target);
  return buildGenerated(spec, sourceDir, path, options, { dir, root }, kustomize);
}

/**
 * A path without a kustomization: its objects (Flux's directory rules, or a chart or a
 * file as Tether renders them) in a generated kustomization with the spec merged in.
 */
async function buildGenerated(
  spec: KustomizationSpec,
  sourceDir: string,
  path: string,
  options: BuildOptions,
  where: { dir: string; root: string },
  kustomize: KustomizeOptions,
): Promise<Built> {
  const { dir, root } = where;
  const rendered = await render(sourceDir, path, options);
  if (rendered.errors.length > 0) return rendered;
  const folder = toPosix(relative(root, dir)) || ".";
  const name = `${folder}/kustomization.yaml (generated)`;
  const generated = stringify({
    apiVersion: "kustomize.config.k8s.io/v1beta1",
    kind: "Kustomization",
    resources: [RENDERED_OBJECTS],
  });
  const standIn = {
    file: "kustomization.yaml",
    name,
    text: mergeSpec(generated, name, spec, specComponents(spec, dir, name)),
    // JSON documents: read the same by every YAML version.
    extraFiles: {
      [RENDERED_OBJECTS]: rendered.manifests
        .map((m) => `---\n${JSON.stringify(m.object)}\n`)
        .join(""),
    },
  };
  const built = await kustomizeBuildInstead(dir, root, standIn, kustomize);
  // Objects keep pointing at the file they came from when kustomize kept their name.
  const key = (object: KubeObject) => `${object.kind}/${object.metadata.name}`;
  const sources = new Map(rendered.manifests.map((m) => [key(m.object), m.source]));
  return {
    manifests: built.map((m) => ({
      object: m.object,
      source: sources.get(key(m.object)) ?? { file: folder },
    })),
    errors: [],
  };
}

const toPosix = (path: string) => path.split(sep).join("/");

/** The path rendered alone, as renderPath reads any path. */
async function render(sourceDir: string, path: string, options: BuildOptions): Promise<Built> {
  const rendered = await renderPath(sourceDir, path, {
    allowEmpty: true,
    ignore: options.ignore,
    // Flux builds every kustomization with LoadRestrictionsNone; the checks keep every
    // path in the repository.
    loadRestrictionsNone: true,
    ...(options.kustomize ? { binary: options.kustomize } : {}),
  });
  return { manifests: rendered.manifests, errors: rendered.errors.map((e) => e.message) };
}

/** Labels and annotations every applied object gets: commonMetadata, then Flux's own. */
function withMetadata(
  object: KubeObject,
  spec: KustomizationSpec,
  options: BuildOptions,
): KubeObject {
  const copy = structuredClone(object);
  copy.metadata.labels = {
    ...copy.metadata.labels,
    ...spec.commonMetadata?.labels,
    [FLUX_NAME_LABEL]: options.name,
    [FLUX_NAMESPACE_LABEL]: options.namespace,
  };
  if (spec.commonMetadata?.annotations) {
    copy.metadata.annotations = {
      ...copy.metadata.annotations,
      ...spec.commonMetadata.annotations,
    };
  }
  return copy;
}

export async function buildKustomization(
  spec: KustomizationSpec,
  sourceDir: string,
  options: BuildOptions,
): Promise<BuildResult> {
  const path = (spec.path ?? "").replace(/^\.\/?/, "") || ".";
  const target = resolve(sourceDir, path);
  if (!target.startsWith(resolve(sourceDir)) || !existsSync(target)) {
    return {
      ok: false,
      reason: "ArtifactFailed",
      message: `kustomization path not found: ${spec.path ?? "."}`,
    };
  }
  let manifests: Manifest[];
  try {
    const built = mergesIntoKustomization(spec)
      ? await buildMerged(spec, sourceDir, path, options)
      : await render(sourceDir, path, options);
    if (built.errors.length > 0) {
      return { ok: false, reason: "BuildFailed", message: built.errors.join("; ") };
    }
    manifests = built.manifests;
    if (options.decrypt) {
      const decrypted = await options.decrypt(manifests);
      if (decrypted.errors.length > 0)
        return { ok: false, reason: "BuildFailed", message: decrypted.errors.join("; ") };
      manifests = decrypted.manifests;
    }
    // Substitution first: Flux sets commonMetadata and its own labels when applying, on
    // the objects it built, so ${...} in commonMetadata is never substituted.
    manifests = manifests.map((m) => {
      const object = options.vars ? substituteObject(m.object, options.vars) : m.object;
      return { object: withMetadata(object, spec, options), source: m.source };
    });
  } catch (error) {
    if (error instanceof ManifestError || error instanceof SubstituteError) {
      return { ok: false, reason: "BuildFailed", message: error.message };
    }
    throw error;
  }
  return { ok: true, manifests };
}
