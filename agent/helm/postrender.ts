// The digests of a release's post-renderer that decide an upgrade (status
// observedPostRenderersDigest and observedCommonMetadataDigest). What the post-renderer
// does is shared/charts/postrender.ts, the same for validate; actions.ts writes its
// folders. The helm 3 CLI does not post-render hooks. Pure.
import { createHash } from "node:crypto";
import {
  type CommonMetadata,
  originLabels,
  type PostRenderSpec,
} from "../../shared/charts/postrender.ts";

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
