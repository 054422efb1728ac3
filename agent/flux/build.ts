// Builds a Kustomization's objects from its source, in Flux's order: the path (Flux's
// directory rules), then the spec's kustomize fields as an overlay (targetNamespace,
// namePrefix/nameSuffix, patches, images, components) built by the kustomize binary,
// then commonMetadata and Flux's own labels, then postBuild substitution.
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { stringify } from "yaml";
import type { KubeObject, Manifest } from "../../shared/manifests/object.ts";
import { ManifestError } from "../../shared/manifests/parse.ts";
import { kustomizeBuild } from "../../shared/render/kustomize.ts";
import { renderPath } from "../../shared/render/render.ts";
import type { IgnoreRules } from "../../shared/render/sourceignore.ts";
import { FLUX_NAME_LABEL, FLUX_NAMESPACE_LABEL } from "./kinds.ts";
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

function needsOverlay(spec: KustomizationSpec): boolean {
  return Boolean(
    spec.targetNamespace ||
      spec.namePrefix ||
      spec.nameSuffix ||
      spec.patches?.length ||
      spec.images?.length ||
      spec.components?.length,
  );
}

/** The spec's kustomize fields applied over the rendered objects, by kustomize itself. */
async function overlay(
  manifests: Manifest[],
  spec: KustomizationSpec,
  target: string,
  kustomize: string | undefined,
): Promise<Manifest[]> {
  const dir = await mkdtemp(join(tmpdir(), "tether-overlay-"));
  try {
    await writeFile(
      join(dir, "resources.yaml"),
      manifests.map((m) => `---\n${stringify(m.object, { lineWidth: 0 })}`).join(""),
    );
    const components = (spec.components ?? [])
      .map((c) => resolve(target, c))
      .filter((c) => existsSync(c) || !spec.ignoreMissingComponents)
      .map((c) => relative(dir, c));
    const kustomization: Record<string, unknown> = {
      apiVersion: "kustomize.config.k8s.io/v1beta1",
      kind: "Kustomization",
      resources: ["resources.yaml"],
    };
    if (spec.targetNamespace) kustomization.namespace = spec.targetNamespace;
    if (spec.namePrefix) kustomization.namePrefix = spec.namePrefix;
    if (spec.nameSuffix) kustomization.nameSuffix = spec.nameSuffix;
    if (spec.patches?.length) kustomization.patches = spec.patches;
    if (spec.images?.length) kustomization.images = spec.images;
    if (components.length) kustomization.components = components;
    await writeFile(join(dir, "kustomization.yaml"), stringify(kustomization));
    const built = await kustomizeBuild(dir, dir, {
      ...(kustomize ? { binary: kustomize } : {}),
      loadRestrictionsNone: true,
    });
    // Objects keep pointing at the file they came from when kustomize kept them whole.
    const sources = new Map(
      manifests.map((m) => [`${m.object.kind}/${m.object.metadata.name}`, m.source]),
    );
    return built.map((m) => ({
      object: m.object,
      source: sources.get(`${m.object.kind}/${m.object.metadata.name}`) ?? { file: target },
    }));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
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
  const rendered = await renderPath(sourceDir, path, {
    allowEmpty: true,
    ignore: options.ignore,
    ...(options.kustomize ? { binary: options.kustomize } : {}),
  });
  if (rendered.errors.length > 0) {
    return {
      ok: false,
      reason: "BuildFailed",
      message: rendered.errors.map((e) => e.message).join("; "),
    };
  }
  let manifests = rendered.manifests;
  try {
    if (needsOverlay(spec)) manifests = await overlay(manifests, spec, target, options.kustomize);
    if (options.decrypt) {
      const decrypted = await options.decrypt(manifests);
      if (decrypted.errors.length > 0)
        return { ok: false, reason: "BuildFailed", message: decrypted.errors.join("; ") };
      manifests = decrypted.manifests;
    }
    manifests = manifests.map((m) => {
      let object = withMetadata(m.object, spec, options);
      if (options.vars) object = substituteObject(object, options.vars);
      return { object, source: m.source };
    });
  } catch (error) {
    if (error instanceof ManifestError || error instanceof SubstituteError) {
      return { ok: false, reason: "BuildFailed", message: error.message };
    }
    throw error;
  }
  return { ok: true, manifests };
}
