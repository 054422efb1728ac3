// Setter markers as text edits and as findings, for `tether images mark` and
// `tether images lint`:
// - insertMarker adds `# {"$imagepolicy": "<ns>:<name>[:part]"}` after the image
//   field(s) of a workload container, a HelmRelease's values or a kustomization's
//   `images:`, and changes no other byte: the comment is inserted, nothing rewritten.
// - lintMarkers reports markers that can never work: inside a block scalar (the text is
//   a string there, not YAML, so neither Flux nor Tether sees a comment), not on the line
//   of a scalar, naming a policy that does not exist, malformed, or on a field whose
//   value is not what the marker writes (a `:tag` marker on a whole image reference).
//
// Which fields are image fields (the same conventions Flux's guide and helm charts use):
// - containers and initContainers `image` of Pod, CronJob and every kind with a pod
//   template at spec.template.spec;
// - HelmRelease spec.values: a string under a key ending in "image" (image, dockerImage,
//   sidecarImage) is a whole image; a map under such a key with `repository` and `tag`
//   gets `:name` and `:tag` (and `:digest` on a non-empty `digest`). When the map also
//   has `registry`, the repository is only part of the name, so only the tag is marked;
// - `images:` of a kustomization.yaml and a Flux Kustomization's spec.images:
//   `newName` (`:name`), `newTag` (`:tag`), `digest` (`:digest`).
import {
  type Document,
  isMap,
  isScalar,
  isSeq,
  type LineCounter,
  type Pair,
  type Scalar,
  visit,
  type YAMLMap,
} from "yaml";
import { isDigest, isValidTag, parseImageReference } from "../registry/reference.ts";
import { SetterError } from "./errors.ts";
import {
  commentTokens,
  editable,
  MARKER_KEY,
  type MarkerField,
  mapAt,
  markerAfter,
  parseMarker,
  parseYaml,
  scalarText,
} from "./setters.ts";

export class MarkError extends SetterError {}

/** One field that can carry a marker. */
export interface ImageField {
  /** What --container matches: a container name, a values path, a kustomize image name. */
  readonly label: string;
  readonly part: MarkerField;
  readonly node: Scalar;
  /** The field sits inside a flow collection ({...} or [...]). */
  readonly inFlow: boolean;
}

const NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

/** Checks `<namespace>:<name>` as Kubernetes names; throws MarkError. */
export function checkPolicyRef(ref: string): void {
  const parts = ref.split(":");
  if (parts.length !== 2 || !parts.every((p) => NAME.test(p) && p.length <= 253)) {
    throw new MarkError(
      "BAD_POLICY",
      `--policy must be NAMESPACE:NAME (lower-case Kubernetes names), not ${JSON.stringify(ref)}`,
    );
  }
}

const keyOf = (pair: Pair): string | undefined =>
  isScalar(pair.key) && typeof pair.key.value === "string" ? pair.key.value : undefined;

const scalarIn = (map: YAMLMap, key: string): Scalar | undefined => {
  const v = map.get(key, true);
  return isScalar(v) ? v : undefined;
};

const isImage = (value: unknown): boolean => {
  if (typeof value !== "string") return false;
  try {
    parseImageReference(value);
    return true;
  } catch {
    return false;
  }
};

function podSpecs(doc: Document.Parsed): YAMLMap[] {
  const kind = doc.get("kind");
  const paths =
    kind === "Pod"
      ? [["spec"]]
      : kind === "CronJob"
        ? [["spec", "jobTemplate", "spec", "template", "spec"]]
        : [["spec", "template", "spec"]];
  return paths.flatMap((p) => mapAt(doc.contents, p) ?? []);
}

function containerFields(doc: Document.Parsed): ImageField[] {
  const fields: ImageField[] = [];
  for (const spec of podSpecs(doc)) {
    for (const list of ["initContainers", "containers"]) {
      const items = spec.get(list, true);
      if (!isSeq(items)) continue;
      for (const item of items.items) {
        if (!isMap(item)) continue;
        const name = scalarIn(item, "name")?.value;
        const image = scalarIn(item, "image");
        if (typeof name !== "string" || image === undefined) continue;
        fields.push({
          label: name,
          part: "image",
          node: image,
          inFlow: item.flow === true || items.flow === true,
        });
      }
    }
  }
  return fields;
}

function valuesFields(map: YAMLMap, path: string, inFlow: boolean, out: ImageField[]): void {
  for (const pair of map.items) {
    const key = keyOf(pair);
    if (key === undefined) continue;
    const label = path === "" ? key : `${path}.${key}`;
    const value = pair.value;
    const flow = inFlow || map.flow === true;
    const imageKey = /image$/i.test(key);
    if (imageKey && isScalar(value) && isImage(value.value)) {
      out.push({ label, part: "image", node: value, inFlow: flow });
    } else if (imageKey && isMap(value) && value.has("tag")) {
      const inner = flow || value.flow === true;
      const repository = scalarIn(value, "repository");
      if (repository !== undefined && !value.has("registry"))
        out.push({ label, part: "name", node: repository, inFlow: inner });
      const tag = scalarIn(value, "tag");
      if (tag !== undefined) out.push({ label, part: "tag", node: tag, inFlow: inner });
      const digest = scalarIn(value, "digest");
      if (digest !== undefined && typeof digest.value === "string" && digest.value !== "")
        out.push({ label, part: "digest", node: digest, inFlow: inner });
    } else if (isMap(value)) {
      valuesFields(value, label, flow, out);
    }
  }
}

function kustomizeFields(images: unknown): ImageField[] {
  if (!isSeq(images)) return [];
  const fields: ImageField[] = [];
  for (const item of images.items) {
    if (!isMap(item)) continue;
    const name = scalarIn(item, "name")?.value;
    if (typeof name !== "string") continue;
    const inFlow = item.flow === true || images.flow === true;
    for (const [key, part] of [
      ["newName", "name"],
      ["newTag", "tag"],
      ["digest", "digest"],
    ] as const) {
      const node = scalarIn(item, key);
      if (node !== undefined) fields.push({ label: name, part, node, inFlow });
    }
  }
  return fields;
}

/** Every image field of every document in `docs`, in document order. */
export function imageFields(docs: readonly Document.Parsed[]): ImageField[] {
  const fields: ImageField[] = [];
  for (const doc of docs) {
    if (!isMap(doc.contents)) continue;
    const kind = doc.get("kind");
    const apiVersion = String(doc.get("apiVersion") ?? "");
    if (kind === "HelmRelease") {
      const values = mapAt(doc.contents, ["spec", "values"]);
      if (values !== undefined) valuesFields(values, "", false, fields);
    } else if (kind === "Kustomization" && apiVersion.startsWith("kustomize.toolkit.fluxcd.io/")) {
      fields.push(...kustomizeFields(mapAt(doc.contents, ["spec"])?.get("images", true)));
    } else if (kind === undefined || kind === "Kustomization" || kind === "Component") {
      fields.push(...kustomizeFields(doc.contents.get("images", true)));
    } else {
      fields.push(...containerFields(doc));
    }
  }
  return fields;
}

const suffix = (part: MarkerField) => (part === "image" ? "" : `:${part}`);

/** The comment Flux reads, exactly as `flux` documents it. */
export const markerComment = (ref: string) => `# {"${MARKER_KEY}": "${ref}"}`;

interface Insertion {
  offset: number;
  text: string;
}

function insertionFor(
  text: string,
  lines: LineCounter,
  field: ImageField,
  ref: string,
): Insertion | undefined {
  const line = field.node.range ? lines.linePos(field.node.range[0]).line : undefined;
  const where = `${field.label} (${field.part})`;
  if (field.inFlow) {
    throw new MarkError(
      "FLOW_STYLE",
      `${where} is inside a flow collection ({...} or [...]); a marker must end its line, so write that part in block style first`,
      line,
    );
  }
  const at = editable(field.node);
  if (at === undefined) {
    throw new MarkError(
      "NOT_A_SCALAR",
      `${where} is a block scalar or an alias; markers work on plain or quoted values only`,
      line,
    );
  }
  if (text.slice(at.start, at.end).includes("\n")) {
    throw new MarkError("MULTI_LINE", `${where} spans several lines`, line);
  }
  const newline = text.indexOf("\n", at.end);
  const rest = text.slice(at.end, newline === -1 ? text.length : newline).trim();
  if (rest === "") return { offset: at.end, text: ` ${markerComment(ref)}` };
  if (rest.startsWith("#")) {
    const existing = parseMarker(rest);
    if (existing === ref) return undefined; // Already marked: nothing to do.
    throw new MarkError(
      "HAS_COMMENT",
      existing === undefined
        ? `${where} already has a line comment (${rest}); a marker must be the line's comment`
        : `${where} is already marked for ${existing}`,
      line,
    );
  }
  throw new MarkError("NOT_LINE_END", `${where} does not end its line`, line);
}

export interface MarkResult {
  readonly text: string;
  /** The fields marked now (none when they already carried the marker). */
  readonly marked: readonly { label: string; part: MarkerField; line: number }[];
}

/**
 * Adds the `policy` marker to the image field(s) of the one image in `text`, or of the
 * one named `container` (container name, values path, kustomize image name). Throws
 * MarkError when there is no such field, several and no choice, or the field cannot
 * carry a marker. Only the marker comments are inserted; every other byte stays.
 */
export function insertMarker(
  text: string,
  policy: string,
  options: { container?: string | undefined } = {},
): MarkResult {
  checkPolicyRef(policy);
  const { docs, lines } = parseYaml(text);
  const all = imageFields(docs);
  const labels = [...new Set(all.map((f) => f.label))];
  if (all.length === 0) {
    throw new MarkError(
      "NO_IMAGE_FIELD",
      "no image field found (container images, HelmRelease values ending in image, kustomize images)",
    );
  }
  const { container } = options;
  const chosen = container === undefined ? all : all.filter((f) => f.label === container);
  if (container !== undefined && chosen.length === 0) {
    throw new MarkError(
      "NO_SUCH_CONTAINER",
      `no image field named ${container} (found: ${labels.join(", ")})`,
    );
  }
  const chosenLabels = new Set(chosen.map((f) => f.label));
  if (chosenLabels.size > 1) {
    throw new MarkError(
      "AMBIGUOUS",
      `${labels.length} image fields (${labels.join(", ")}); choose one with --container`,
    );
  }
  const insertions: Insertion[] = [];
  const marked: { label: string; part: MarkerField; line: number }[] = [];
  for (const field of chosen) {
    const insertion = insertionFor(text, lines, field, `${policy}${suffix(field.part)}`);
    if (insertion === undefined) continue;
    insertions.push(insertion);
    marked.push({
      label: field.label,
      part: field.part,
      line: lines.linePos(field.node.range?.[0] ?? 0).line,
    });
  }
  let out = text;
  for (const i of insertions.sort((a, b) => b.offset - a.offset))
    out = out.slice(0, i.offset) + i.text + out.slice(i.offset);
  return { text: out, marked };
}

// ---- lint --------------------------------------------------------------------------------

export interface MarkerFinding {
  readonly line: number;
  /** The marker's reference as written, or "" when it could not be read. */
  readonly marker: string;
  readonly message: string;
}

/** Why `value` cannot be what a marker for `part` writes, or undefined when it can. */
function valueProblem(part: MarkerField, node: Scalar, text: string): string | undefined {
  const value = typeof node.value === "string" ? node.value : scalarText(node, text);
  switch (part) {
    case "image":
      if (typeof node.value !== "string")
        return `the value ${JSON.stringify(value)} is not an image reference`;
      try {
        parseImageReference(value);
      } catch (error) {
        return `${JSON.stringify(value)} is not an image reference (${(error as Error).message})`;
      }
      return undefined;
    case "tag":
      if (isValidTag(value)) return undefined;
      return isImage(value) && /[/:@]/.test(value)
        ? `${JSON.stringify(value)} is a whole image reference; a :tag marker would replace it with the tag alone (use the marker without :tag)`
        : `${JSON.stringify(value)} is not a tag`;
    case "name":
      try {
        const ref = parseImageReference(value);
        if (ref.tag !== undefined || ref.digest !== undefined)
          return `${JSON.stringify(value)} has a tag or digest; a :name marker would drop it (use the marker without :name)`;
      } catch {
        return `${JSON.stringify(value)} is not an image name`;
      }
      return undefined;
    default:
      return isDigest(value) ? undefined : `${JSON.stringify(value)} is not a digest`;
  }
}

function refProblem(ref: string, policies: ReadonlySet<string> | undefined): string | undefined {
  const parts = ref.split(":");
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => p === ""))
    return `malformed marker; expected "<namespace>:<name>" with an optional :tag, :name or :digest`;
  const part = parts[2];
  if (part !== undefined && !["tag", "name", "digest"].includes(part))
    return `unknown marker suffix ":${part}"; use :tag, :name or :digest`;
  const key = `${parts[0]}:${parts[1]}`;
  if (policies !== undefined && !policies.has(key))
    return `no ImagePolicy ${key} is defined${policies.size === 0 ? " (none found)" : ""}`;
  return undefined;
}

// A marker-looking text inside a string: `{"$imagepolicy": "..."}` with any spacing.
const EMBEDDED = /\{\s*"\$imagepolicy"\s*:\s*"([^"]*)"\s*\}/g;

/**
 * Markers in `text` that cannot work. `policies` holds the known `<namespace>:<name>`
 * ImagePolicies; without it, policy names are not checked.
 */
export function lintMarkers(text: string, policies?: ReadonlySet<string>): MarkerFinding[] {
  if (!text.includes(MARKER_KEY)) return [];
  let parsed: ReturnType<typeof parseYaml>;
  try {
    parsed = parseYaml(text);
  } catch (error) {
    const line = error instanceof SetterError ? (error.line ?? 1) : 1;
    return [{ line, marker: "", message: (error as Error).message.replace(/^line \d+: /, "") }];
  }
  const { docs, lines } = parsed;
  const findings: MarkerFinding[] = [];
  const used = new Set<number>();
  for (const doc of docs) {
    visit(doc, {
      Scalar(key, node) {
        const range = node.range;
        if (range && (node.type === "BLOCK_LITERAL" || node.type === "BLOCK_FOLDED")) {
          const source = text.slice(range[0], range[1]);
          for (const m of source.matchAll(EMBEDDED)) {
            findings.push({
              line: lines.linePos(range[0] + (m.index ?? 0)).line,
              marker: m[1] ?? "",
              message:
                "inside a block scalar (| or >): there the marker is part of a string, not a YAML comment, so it is never applied; put the image in a plain YAML field (for HelmRelease values, spec.values rather than a values file in a string)",
            });
          }
        }
        const marker = markerAfter(node, lines);
        if (marker === undefined) return;
        const { ref, line } = marker;
        used.add(marker.offset);
        const problem =
          (key === "key" ? "the marker is on a mapping key, not its value" : undefined) ??
          refProblem(ref, policies) ??
          (editable(node) === undefined
            ? "the marked value is an alias or block scalar; markers work on plain or quoted values only"
            : undefined) ??
          valueProblem((ref.split(":")[2] as MarkerField | undefined) ?? "image", node, text);
        if (problem !== undefined) findings.push({ line, marker: ref, message: problem });
      },
    });
  }
  for (const comment of commentTokens(text)) {
    if (used.has(comment.offset)) continue;
    const ref = parseMarker(comment.source);
    if (ref === undefined) {
      if (comment.source.includes(MARKER_KEY)) {
        findings.push({
          line: lines.linePos(comment.offset).line,
          marker: "",
          message: `not a marker: the comment must be # followed by a JSON object of strings, e.g. ${markerComment("flux-system:app")}`,
        });
      }
      continue;
    }
    findings.push({
      line: lines.linePos(comment.offset).line,
      marker: ref,
      message:
        "not on the same line as a plain or quoted scalar value, so it is never applied (a marker on a line of its own, or after a key whose value is a mapping or list)",
    });
  }
  return findings.sort((a, b) => a.line - b.line);
}
