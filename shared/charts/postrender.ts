// What a HelmRelease's post-renderer does to the objects its chart renders, as
// helm-controller's internal/postrender: each kustomize postRenderers entry in order,
// then spec.commonMetadata's labels and annotations, then the origin labels
// helm.toolkit.fluxcd.io/name and /namespace (the HelmRelease's own; they win over a
// common label of the same key). Only metadata.labels and metadata.annotations are
// touched, never selectors or pod templates. Helm pipes what it rendered to one
// `kustomize build` (no shell script, so the image needs no sh): the first kustomization
// reads /dev/stdin, each next one builds on the one before, and the last adds the
// metadata (kustomize runs `transformers` after a kustomization's patches and images).
// One implementation for the agent's install/upgrade (agent/helm/actions.ts) and for
// validate's `helm template` (template.ts), so a pull request validates what is applied.
// Pure, except writePostRenderFolders.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { stringify } from "yaml";
import type { KubeObject } from "../manifests/object.ts";
import { HELM_RELEASE_V1, HELM_RELEASE_V2 } from "./reference.ts";

/** The labels helm-controller puts on every object of a release (`kubectl get -l`, `flux tree`). */
export const HELM_NAME_LABEL = `${HELM_RELEASE_V2}/name`;
export const HELM_NAMESPACE_LABEL = `${HELM_RELEASE_V2}/namespace`;

export interface PostRenderer {
  patches: { patch: string; target?: Record<string, unknown> }[];
  images: Record<string, unknown>[];
}

/** `spec.commonMetadata`: labels and annotations for every object the chart renders. */
export interface CommonMetadata {
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/** What the post-renderer of a HelmRelease depends on: the HelmRelease's own name and namespace. */
export interface PostRenderSpec {
  namespace: string;
  name: string;
  postRenderers: PostRenderer[];
  /** Undefined when the HelmRelease has none (always for Flux v1's). */
  commonMetadata: CommonMetadata | undefined;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const asObj = (v: unknown): Obj => (isObj(v) ? v : {});
const asArr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** A map of strings (commonMetadata's labels or annotations); anything else is refused. */
function stringMap(v: unknown, where: string, invalid: (message: string) => Error) {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(asObj(v))) {
    if (typeof value !== "string") throw invalid(`${where}.${key} must be a string`);
    out[key] = value;
  }
  return out;
}

/**
 * Only the fields of Flux's API: a patch and its target, an image's name, newName,
 * newTag and digest. Anything else (a kustomize `path`, which would read a file) is
 * dropped, as helm-controller's types drop it.
 */
function kustomizePostRenderer(raw: Obj): PostRenderer {
  const pick = (o: Obj, keys: readonly string[]) =>
    Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]));
  return {
    patches: asArr(raw.patches).map(
      (x) => pick(asObj(x), ["patch", "target"]) as PostRenderer["patches"][number],
    ),
    images: asArr(raw.images).map((x) => pick(asObj(x), ["name", "newName", "newTag", "digest"])),
  };
}

/**
 * The post-render fields of a HelmRelease (v2 or Flux v1, whose commonMetadata is never
 * read); `invalid` makes the error for a commonMetadata value that is not a string.
 */
export function readPostRenderSpec(
  object: KubeObject,
  invalid: (message: string) => Error = (message) => new Error(message),
): PostRenderSpec {
  const namespace = object.metadata.namespace ?? "default";
  const name = object.metadata.name;
  const where = `HelmRelease ${namespace}/${name}`;
  const spec = asObj(object.spec);
  const common = object.apiVersion.startsWith(`${HELM_RELEASE_V1}/`)
    ? undefined
    : spec.commonMetadata;
  return {
    namespace,
    name,
    postRenderers: asArr(spec.postRenderers).flatMap((p) => {
      const k = asObj(asObj(p).kustomize);
      return Object.keys(k).length === 0 ? [] : [kustomizePostRenderer(k)];
    }),
    commonMetadata: isObj(common)
      ? {
          labels: stringMap(common.labels, `${where}: commonMetadata.labels`, invalid),
          annotations: stringMap(
            common.annotations,
            `${where}: commonMetadata.annotations`,
            invalid,
          ),
        }
      : undefined,
  };
}

export function originLabels(
  spec: Pick<PostRenderSpec, "name" | "namespace">,
): Record<string, string> {
  return { [HELM_NAME_LABEL]: spec.name, [HELM_NAMESPACE_LABEL]: spec.namespace };
}

/** One kustomization folder: its name and its files (kustomization.yaml first). */
export interface KustomizationFolder {
  name: string;
  files: Record<string, string>;
}

/** A kustomize builtin transformer setting `values` on metadata.<field> only, as Flux's. */
function metadataTransformer(
  kind: "LabelTransformer" | "AnnotationsTransformer",
  name: string,
  field: "labels" | "annotations",
  values: Record<string, string>,
): string {
  return stringify({
    apiVersion: "builtin",
    kind,
    metadata: { name },
    [field]: values,
    fieldSpecs: [{ path: `metadata/${field}`, create: true }],
  });
}

/** The kustomizations of the post-renderer, in build order: Helm's is built from the last. */
export function postRenderFolders(spec: PostRenderSpec): KustomizationFolder[] {
  const metadata: Record<string, string> = {};
  const common = spec.commonMetadata;
  if (common && Object.keys(common.labels).length > 0)
    metadata["common-labels.yaml"] = metadataTransformer(
      "LabelTransformer",
      "helm-toolkit-common-labels",
      "labels",
      common.labels,
    );
  if (common && Object.keys(common.annotations).length > 0)
    metadata["common-annotations.yaml"] = metadataTransformer(
      "AnnotationsTransformer",
      "helm-toolkit-common-annotations",
      "annotations",
      common.annotations,
    );
  metadata["origin-labels.yaml"] = metadataTransformer(
    "LabelTransformer",
    "helm-toolkit-origin-labels",
    "labels",
    originLabels(spec),
  );
  const steps = spec.postRenderers.length > 0 ? spec.postRenderers : [{ patches: [], images: [] }];
  return steps.map((renderer, i) => {
    const last = i === steps.length - 1;
    const kustomization = {
      apiVersion: "kustomize.config.k8s.io/v1beta1",
      kind: "Kustomization",
      resources: [i === 0 ? "/dev/stdin" : `../k${i - 1}`],
      ...(renderer.patches.length > 0 ? { patches: renderer.patches } : {}),
      ...(renderer.images.length > 0 ? { images: renderer.images } : {}),
      ...(last ? { transformers: Object.keys(metadata) } : {}),
      // Helm's order, as Flux's kustomize post-renderer keeps it (no legacy sort).
      sortOptions: { order: "fifo" },
    };
    return {
      name: `k${i}`,
      files: { "kustomization.yaml": stringify(kustomization), ...(last ? metadata : {}) },
    };
  });
}

/** Writes the folders under `dir` (which the caller made or will rename into place). */
export async function writePostRenderFolders(
  dir: string,
  folders: readonly KustomizationFolder[],
): Promise<void> {
  for (const folder of folders) {
    await mkdir(join(dir, folder.name), { recursive: true });
    for (const [name, text] of Object.entries(folder.files))
      await writeFile(join(dir, folder.name, name), text);
  }
}

/** The post-renderer Helm runs (`--post-renderer` and its `--post-renderer-args`). */
export interface PostRenderCommand {
  binary: string;
  args: string[];
}

/**
 * The command Helm runs on what it rendered, the folders written under `dir`: one
 * `kustomize build` of the last kustomization. The first reads /dev/stdin (Helm writes
 * to a pipe), outside its folder, which kustomize's default restriction refuses. Every
 * path in the files is Tether's own: a postRenderers patch is inline (no `path` is kept).
 */
export function postRenderBuild(
  dir: string,
  folders: readonly KustomizationFolder[],
  kustomize = "kustomize",
): PostRenderCommand {
  const last = folders[folders.length - 1]?.name ?? "k0";
  return {
    binary: kustomize,
    args: ["build", join(dir, last), "--load-restrictor=LoadRestrictionsNone"],
  };
}

/** Helm's flags that run `command` on what it rendered (install, upgrade, template). */
export function postRendererFlags(command: PostRenderCommand | undefined): string[] {
  if (!command) return [];
  return [
    "--post-renderer",
    command.binary,
    ...command.args.map((arg) => `--post-renderer-args=${arg}`),
  ];
}
