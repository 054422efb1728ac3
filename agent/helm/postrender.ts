// What Tether's post-renderer does to the objects a chart renders, as helm-controller's
// internal/postrender: each kustomize postRenderers entry in order, then
// spec.commonMetadata's labels and annotations, then the origin labels
// helm.toolkit.fluxcd.io/name and /namespace (the HelmRelease's own; they win over a
// common label of the same key). Only metadata.labels and metadata.annotations are
// touched, never selectors or pod templates. Helm pipes what it rendered to one
// `kustomize build` (no shell script, so the image needs no sh): the first kustomization
// reads /dev/stdin, each next one builds on the one before, and the last adds the
// metadata (kustomize runs `transformers` after a kustomization's patches and images).
// The helm 3 CLI does not post-render hooks. Pure: the files, and the digests that
// decide an upgrade; actions.ts writes them.
import { createHash } from "node:crypto";
import { stringify } from "yaml";
import { HELM_GROUP } from "../flux/kinds.ts";
import type { CommonMetadata, ReleaseSpec } from "./spec.ts";

/** The labels helm-controller puts on every object of a release (`kubectl get -l`, `flux tree`). */
export const HELM_NAME_LABEL = `${HELM_GROUP}/name`;
export const HELM_NAMESPACE_LABEL = `${HELM_GROUP}/namespace`;

type PostRenderSpec = Pick<ReleaseSpec, "name" | "namespace" | "postRenderers" | "commonMetadata">;

export function originLabels(
  spec: Pick<ReleaseSpec, "name" | "namespace">,
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

const sha256 = (text: string) => `sha256:${createHash("sha256").update(text).digest("hex")}`;

/**
 * status.observedPostRenderersDigest: the postRenderers and the origin labels, so a
 * change to either upgrades the release (and a release made before Tether added the
 * labels is upgraded once). Never empty: every release is post-rendered.
 */
export function postRenderersDigest(spec: PostRenderSpec): string {
  return sha256(
    JSON.stringify({ postRenderers: spec.postRenderers, originLabels: originLabels(spec) }),
  );
}

/** A string as Go's encoding/json writes it: `<`, `>`, `&`, U+2028 and U+2029 escaped. */
const goString = (text: string) =>
  JSON.stringify(text).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
const goMap = (map: Record<string, string>) =>
  `{${Object.keys(map)
    .sort()
    .map((key) => `${goString(key)}:${goString(map[key] as string)}`)
    .join(",")}}`;

/**
 * status.observedCommonMetadataDigest, as helm-controller computes it (the JSON Go
 * encodes: sorted keys, empty maps left out, a newline at the end), so the field means
 * the same to both; empty when the HelmRelease has no commonMetadata.
 */
export function commonMetadataDigest(common: CommonMetadata | undefined): string {
  if (!common) return "";
  const fields = [
    ...(Object.keys(common.annotations).length > 0
      ? [`"annotations":${goMap(common.annotations)}`]
      : []),
    ...(Object.keys(common.labels).length > 0 ? [`"labels":${goMap(common.labels)}`] : []),
  ];
  return sha256(`{${fields.join(",")}}\n`);
}
