// Rewrites image references in YAML text without re-serialising it: every byte except
// the changed scalar stays as it was (comments, blank lines, quoting, block scalars,
// `---`, CRLF line endings, key order).
//
// Two ways to say which field to change:
// - Flux v2 setter markers: a line comment `# {"$imagepolicy": "<ns>:<name>"}` after a
//   scalar sets the whole image (`repo:tag`, `repo:tag@digest` when the policy has a
//   digest), `…:tag` only the tag, `…:name` only the repository, `…:digest` only the
//   digest. As in Flux (kyaml), the comment is "#" followed by a JSON object whose
//   values are all strings. Markers work on any scalar: Deployment `image:`, HelmRelease
//   values (`repository:`/`tag:`), Kustomize `images:` (`newName:`/`newTag:`), Flux
//   Kustomization `spec.images`.
// - Flux v1 annotations: setWorkloadImageTag sets the tag of a named container of a
//   workload, or of a HelmRelease values image (helm-operator conventions).
//
// The YAML is parsed (yaml package, CST source tokens) only to find the scalar a marker
// sits on and its byte range; the new value is spliced in with the scalar's quoting
// style. A plain scalar whose new value would read back as something else (a number
// like 1.10, true, a date) is written double-quoted instead; the change says so.
//
// Differences from Flux: Flux re-serialises every file it updates through kyaml, which
// can re-indent sequences and re-flow text; Tether changes the scalar only. Flux also
// reads a marker from a comment on the line above a sequence item (yaml.v3 head
// comment); Tether only honours the comment on the scalar's own line, as documented for
// Flux. A marker for a policy the caller does not know is left alone and reported in
// `skipped`, as is a marker that is not on a plain or quoted scalar.
import {
  type Document,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  Parser,
  parse,
  parseAllDocuments,
  type Scalar,
  visit,
  type YAMLMap,
} from "yaml";
import { SetterError } from "./errors.ts";

/** The latest image of one ImagePolicy, keyed by "<namespace>:<name>". */
export interface PolicyImage {
  /** Image repository as in the ImageRepository, e.g. `ghcr.io/org/app`. */
  readonly image: string;
  readonly tag: string;
  readonly digest?: string;
}

export type MarkerField = "image" | "tag" | "name" | "digest";

export interface SetterChange {
  /** 1-based line and column of the scalar. */
  readonly line: number;
  readonly column: number;
  /** The marker reference (e.g. `flux-system:app:tag`), or `tag.<container>` for v1. */
  readonly marker: string;
  readonly field: MarkerField;
  readonly old: string;
  readonly new: string;
  /** The scalar was plain and had to be quoted to keep the new value a string. */
  readonly requoted: boolean;
  /** The object (document) the scalar is in; empty strings where it has none. */
  readonly object?: ObjectRef;
}

export interface ObjectRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
}

const textAt = (doc: Document.Parsed, path: string[]): string => {
  const v = doc.getIn(path);
  return typeof v === "string" ? v : "";
};

/** apiVersion, kind, name and namespace of a document (empty strings when missing). */
export function objectOf(doc: Document.Parsed): ObjectRef {
  if (!isMap(doc.contents)) return { apiVersion: "", kind: "", name: "", namespace: "" };
  return {
    apiVersion: textAt(doc, ["apiVersion"]),
    kind: textAt(doc, ["kind"]),
    name: textAt(doc, ["metadata", "name"]),
    namespace: textAt(doc, ["metadata", "namespace"]),
  };
}

export interface SetterSkip {
  readonly line: number;
  readonly marker: string;
  readonly reason: string;
}

export interface SetterResult {
  readonly text: string;
  readonly changes: readonly SetterChange[];
  readonly skipped: readonly SetterSkip[];
}

export const MARKER_KEY = "$imagepolicy";

/** Reads a setter marker from a YAML comment (with its leading "#"), as kyaml does. */
export function parseMarker(comment: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(comment.replace(/^#+/, ""));
  } catch {
    return undefined;
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return undefined;
  const values = Object.values(parsed);
  if (!values.every((v) => typeof v === "string")) return undefined;
  const ref = (parsed as Record<string, string>)[MARKER_KEY];
  return ref === undefined || ref === "" ? undefined : ref;
}

interface Edit {
  start: number;
  end: number;
  text: string;
  change: SetterChange;
}

export interface Parsed {
  docs: Document.Parsed[];
  lines: LineCounter;
}

/**
 * The setter marker in the comment after a scalar (`value # {"$imagepolicy": ...}`),
 * with the comment's offset and line; undefined when there is none. The one walk from a
 * scalar to its marker, for setting (applySetters), checking (markers.ts) and reading
 * digests (markedDigests).
 */
export function markerAfter(
  node: unknown,
  lines: LineCounter,
): { ref: string; offset: number; line: number } | undefined {
  if (!isScalar(node)) return undefined;
  const token = node.srcToken;
  if (token === undefined || !("end" in token) || token.end === undefined) return undefined;
  const comment = token.end.find((t) => t.type === "comment");
  if (comment === undefined) return undefined;
  const ref = parseMarker(comment.source);
  if (ref === undefined) return undefined;
  return { ref, offset: comment.offset, line: lines.linePos(comment.offset).line };
}

export function parseYaml(text: string): Parsed {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, {
    keepSourceTokens: true,
    lineCounter: lines,
    uniqueKeys: false,
  });
  for (const doc of docs) {
    const error = doc.errors[0];
    if (error !== undefined) {
      throw new SetterError(
        "YAML_SYNTAX",
        `not valid YAML: ${error.message.split("\n")[0]}`,
        error.linePos?.[0].line,
      );
    }
  }
  return { docs: [...docs], lines };
}

// Whether `value` written as a plain scalar reads back as the same string under YAML
// 1.2 (this parser) and 1.1 (Go's yaml.v2 behind Helm and Kubernetes: yes/no/on/off,
// 1_000, 0o17 and friends).
function plainSafe(value: string, inFlow: boolean): boolean {
  if (value === "" || value !== value.trim() || /[\n\r\t]/.test(value)) return false;
  if (
    /^[-?:,[\]{}#&*!|>'"%@`]/.test(value) ||
    value.includes(": ") ||
    value.includes(" #") ||
    value.endsWith(":")
  ) {
    return false;
  }
  if (inFlow && /[,[\]{}]/.test(value)) return false;
  try {
    return parse(value) === value && parse(value, { version: "1.1" }) === value;
  } catch {
    return false;
  }
}

function encode(
  value: string,
  type: Scalar["type"],
  inFlow: boolean,
): { text: string; requoted: boolean } {
  if (type === "QUOTE_SINGLE" && /^[\x20-\x7e\u00a0-\uffff]*$/.test(value)) {
    return { text: `'${value.replaceAll("'", "''")}'`, requoted: false };
  }
  if (type === "PLAIN" && plainSafe(value, inFlow)) return { text: value, requoted: false };
  return { text: JSON.stringify(value), requoted: type === "PLAIN" };
}

export function scalarText(node: Scalar, text: string): string {
  if (typeof node.value === "string") return node.value;
  const range = node.range;
  return range ? text.slice(range[0], range[1]) : String(node.value);
}

const FLOW_TYPES = new Set(["scalar", "single-quoted-scalar", "double-quoted-scalar"]);

// A scalar that can be replaced in place: plain or quoted, with its source range.
export function editable(
  node: Scalar,
): { start: number; end: number; type: Scalar["type"] } | undefined {
  const token = node.srcToken;
  if (token === undefined || !FLOW_TYPES.has(token.type) || !node.range) return undefined;
  return { start: node.range[0], end: node.range[1], type: node.type };
}

function makeEdit(
  node: Scalar,
  text: string,
  lines: LineCounter,
  marker: string,
  field: MarkerField,
  value: string,
  inFlow: boolean,
): Edit | undefined {
  const at = editable(node);
  if (at === undefined) return undefined;
  const old = scalarText(node, text);
  const { text: replacement, requoted } = encode(value, at.type, inFlow);
  if (old === value && !requoted) return undefined;
  const pos = lines.linePos(at.start);
  return {
    start: at.start,
    end: at.end,
    text: replacement,
    change: { line: pos.line, column: pos.col, marker, field, old, new: value, requoted },
  };
}

function applyEdits(text: string, edits: readonly Edit[]): string {
  let out = text;
  for (const edit of [...edits].sort((a, b) => b.start - a.start)) {
    out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  }
  // Read the result back: every changed scalar must now hold its new value.
  const check = parseAllDocuments(out, { uniqueKeys: false });
  let shift = 0;
  for (const edit of [...edits].sort((a, b) => a.start - b.start)) {
    const start = edit.start + shift;
    shift += edit.text.length - (edit.end - edit.start);
    let found: unknown;
    for (const doc of check) {
      visit(doc, {
        Scalar(_key, node) {
          if (node.range?.[0] === start) found = node.value;
        },
      });
    }
    if (found !== edit.change.new) {
      throw new SetterError(
        "SETTER_VERIFY",
        `writing ${JSON.stringify(edit.change.new)} did not read back as that string; file left unchanged`,
        edit.change.line,
      );
    }
  }
  return out;
}

export function commentTokens(text: string): { offset: number; source: string }[] {
  const found: { offset: number; source: string }[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const v of value) walk(v);
    } else if (typeof value === "object" && value !== null) {
      const token = value as { type?: unknown; offset?: unknown; source?: unknown };
      if (
        token.type === "comment" &&
        typeof token.offset === "number" &&
        typeof token.source === "string"
      ) {
        found.push({ offset: token.offset, source: token.source });
        return;
      }
      for (const v of Object.values(value)) walk(v);
    }
  };
  for (const token of new Parser().parse(text)) walk(token);
  return found;
}

function markerValue(
  ref: string,
  policies: ReadonlyMap<string, PolicyImage>,
): { field: MarkerField; value: string } | string {
  const parts = ref.split(":");
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => p === "")) {
    return `malformed marker; expected "<namespace>:<name>" with an optional :tag, :name or :digest`;
  }
  const key = `${parts[0]}:${parts[1]}`;
  const policy = policies.get(key);
  const suffix = parts[2];
  if (suffix !== undefined && suffix !== "tag" && suffix !== "name" && suffix !== "digest") {
    return `unknown marker suffix ":${suffix}"; use :tag, :name or :digest`;
  }
  if (policy === undefined) return `no ImagePolicy ${key} is known; left unchanged`;
  switch (suffix) {
    case undefined:
      return {
        field: "image",
        value: `${policy.image}:${policy.tag}${policy.digest === undefined ? "" : `@${policy.digest}`}`,
      };
    case "tag":
      return { field: "tag", value: policy.tag };
    case "name":
      return { field: "name", value: policy.image };
    default:
      return policy.digest === undefined
        ? `ImagePolicy ${key} has no digest (set spec.digestReflectionPolicy); left unchanged`
        : { field: "digest", value: policy.digest };
  }
}

/**
 * Applies `$imagepolicy` setter markers. `policies` maps "<namespace>:<name>" to the
 * policy's latest image. Throws SetterError when the text is not valid YAML.
 */
export function applySetters(
  text: string,
  policies: ReadonlyMap<string, PolicyImage>,
): SetterResult {
  if (!text.includes(MARKER_KEY)) return { text, changes: [], skipped: [] };
  const { docs, lines } = parseYaml(text);
  const edits: Edit[] = [];
  const skipped: SetterSkip[] = [];
  const used = new Set<number>();

  for (const doc of docs) {
    visit(doc, {
      Scalar(key, node, path) {
        if (key === "key") return;
        const marker = markerAfter(node, lines);
        if (marker === undefined) return;
        const { ref, line } = marker;
        used.add(marker.offset);
        const target = markerValue(ref, policies);
        if (typeof target === "string") {
          skipped.push({ line, marker: ref, reason: target });
          return;
        }
        const parent = [...path].reverse().find((p) => isMap(p) || isSeq(p));
        const inFlow = (isMap(parent) || isSeq(parent)) && parent.flow === true;
        const edit = makeEdit(node, text, lines, ref, target.field, target.value, inFlow);
        if (edit !== undefined)
          edits.push({ ...edit, change: { ...edit.change, object: objectOf(doc) } });
      },
    });
  }

  for (const comment of commentTokens(text)) {
    if (used.has(comment.offset)) continue;
    const ref = parseMarker(comment.source);
    if (ref === undefined) continue;
    skipped.push({
      line: lines.linePos(comment.offset).line,
      marker: ref,
      reason:
        "the marker is not on the same line as a plain or quoted scalar value; left unchanged",
    });
  }

  skipped.sort((a, b) => a.line - b.line);
  const changes = edits.map((e) => e.change).sort((a, b) => a.line - b.line || a.column - b.column);
  return { text: edits.length === 0 ? text : applyEdits(text, edits), changes, skipped };
}

// ---- Flux v1: set a container's tag ------------------------------------------------------

export interface WorkloadTarget {
  readonly kind: string;
  readonly name: string;
  /** When given, a document with a different metadata.namespace is not the target. */
  readonly namespace?: string;
}

/** Replaces the tag of an image reference, dropping any digest: `repo[:tag][@digest]`. */
export function withTag(image: string, tag: string): string {
  const at = image.indexOf("@");
  const base = at < 0 ? image : image.slice(0, at);
  const colon = base.lastIndexOf(":");
  const repo = colon > base.lastIndexOf("/") ? base.slice(0, colon) : base;
  return `${repo}:${tag}`;
}

const POD_SPEC_PATHS: Record<string, readonly string[][]> = {
  Pod: [["spec"]],
  CronJob: [["spec", "jobTemplate", "spec", "template", "spec"]],
};
const DEFAULT_POD_SPEC_PATHS = [["spec", "template", "spec"]];

function findDocument(docs: Document.Parsed[], target: WorkloadTarget): Document.Parsed {
  const matches = docs.filter((doc) => {
    if (!isMap(doc.contents)) return false;
    const ns = doc.getIn(["metadata", "namespace"]);
    return (
      doc.get("kind") === target.kind &&
      doc.getIn(["metadata", "name"]) === target.name &&
      (target.namespace === undefined || ns === undefined || ns === target.namespace)
    );
  });
  const label = `${target.kind} ${target.namespace === undefined ? "" : `${target.namespace}/`}${target.name}`;
  if (matches.length === 0) throw new SetterError("WORKLOAD_NOT_FOUND", `no ${label} in this file`);
  if (matches.length > 1)
    throw new SetterError("WORKLOAD_AMBIGUOUS", `${matches.length} documents are ${label}`);
  return matches[0] as Document.Parsed;
}

function scalarAt(node: unknown, path: readonly string[]): Scalar | undefined {
  let current: unknown = node;
  for (const key of path) {
    if (!isMap(current)) return undefined;
    current = (current as YAMLMap).get(key, true);
  }
  return isScalar(current) ? current : undefined;
}

/** The mapping at `path` (keys) below `node`, if every step is a mapping. */
export function mapAt(node: unknown, path: readonly string[]): YAMLMap | undefined {
  let current: unknown = node;
  for (const key of path) {
    if (!isMap(current)) return undefined;
    current = (current as YAMLMap).get(key, true);
  }
  return isMap(current) ? (current as YAMLMap) : undefined;
}

const str = (s: Scalar | undefined): string | undefined =>
  typeof s?.value === "string" ? s.value : undefined;

interface TagTarget {
  node: Scalar;
  /** The scalar holds a whole image reference (set the tag inside it) or only a tag. */
  holds: "image" | "tag";
}

function containerTarget(
  doc: Document.Parsed,
  kind: string,
  container: string,
): TagTarget | string {
  const seen: string[] = [];
  for (const path of POD_SPEC_PATHS[kind] ?? DEFAULT_POD_SPEC_PATHS) {
    const podSpec = mapAt(doc.contents, path);
    for (const list of ["containers", "initContainers"]) {
      const items = podSpec?.get(list, true);
      if (!isSeq(items)) continue;
      for (const item of items.items) {
        const name = str(scalarAt(item, ["name"]));
        if (name === undefined) continue;
        seen.push(name);
        if (name !== container) continue;
        const image = scalarAt(item, ["image"]);
        if (image === undefined) return `container ${container} has no image`;
        return { node: image, holds: "image" };
      }
    }
  }
  return `no container or initContainer named ${container} (found: ${seen.join(", ") || "none"})`;
}

// Flux v1 helm-operator conventions: "chart-image" is `values.image`, any other name is
// `values.<name>.image`; an image is a string (with an optional sibling `tag:`) or a map
// with `repository:` and optional `tag:`. `tag.fluxcd.io/<name>` and
// `repository.fluxcd.io/<name>` annotations map a container to other values paths.
function helmReleaseTarget(doc: Document.Parsed, container: string): TagTarget | string {
  const values = mapAt(doc.contents, ["spec", "values"]);
  if (values === undefined) return "the HelmRelease has no spec.values";
  const annotations = mapAt(doc.contents, ["metadata", "annotations"]);
  const mapped = (prefix: string): string[] | undefined => {
    const path = str(annotations?.get(`${prefix}${container}`, true) as Scalar | undefined);
    return path === undefined ? undefined : path.split(".");
  };
  const tagPath = mapped("tag.fluxcd.io/");
  const repoPath = mapped("repository.fluxcd.io/");
  if (tagPath !== undefined || repoPath !== undefined) {
    const tag = tagPath === undefined ? undefined : scalarAt(values, tagPath);
    if (tag !== undefined) return { node: tag, holds: "tag" };
    const repo = repoPath === undefined ? undefined : scalarAt(values, repoPath);
    if (repo !== undefined) return { node: repo, holds: "image" };
    return `the values paths annotated for ${container} do not exist`;
  }
  const holder = container === "chart-image" ? values : mapAt(values, [container]);
  if (holder === undefined) return `no values.${container} in the HelmRelease`;
  const image = holder.get("image", true);
  const where = container === "chart-image" ? "values" : `values.${container}`;
  if (isScalar(image)) {
    const tag = scalarAt(holder, ["tag"]);
    return tag !== undefined ? { node: tag, holds: "tag" } : { node: image, holds: "image" };
  }
  if (isMap(image)) {
    const tag = scalarAt(image, ["tag"]);
    if (tag !== undefined) return { node: tag, holds: "tag" };
    const repo = scalarAt(image, ["repository"]);
    if (repo !== undefined) return { node: repo, holds: "image" };
  }
  return `no image at ${where}.image`;
}

/**
 * Sets the tag of one container's image in a workload document (Flux v1 automation):
 * Deployment, StatefulSet, DaemonSet, Job, ReplicaSet (spec.template.spec), CronJob,
 * Pod, or a HelmRelease's values. Any digest on the image is dropped. Throws
 * SetterError when the document or container is not found.
 */
export function setWorkloadImageTag(
  text: string,
  target: WorkloadTarget,
  container: string,
  tag: string,
): SetterResult {
  const { docs, lines } = parseYaml(text);
  const doc = findDocument(docs, target);
  const found =
    target.kind === "HelmRelease"
      ? helmReleaseTarget(doc, container)
      : containerTarget(doc, target.kind, container);
  if (typeof found === "string")
    throw new SetterError("CONTAINER_NOT_FOUND", `${target.kind} ${target.name}: ${found}`);
  const { node, holds } = found;
  const old = scalarText(node, text);
  const value = holds === "tag" ? tag : withTag(old, tag);
  const marker = `tag.${container}`;
  const at = editable(node);
  if (at === undefined) {
    const line = node.range ? lines.linePos(node.range[0]).line : undefined;
    throw new SetterError(
      "UNSUPPORTED_SCALAR",
      `the image of ${container} is a block scalar or alias`,
      line,
    );
  }
  const edit = makeEdit(node, text, lines, marker, holds === "tag" ? "tag" : "image", value, false);
  if (edit === undefined) return { text, changes: [], skipped: [] };
  return { text: applyEdits(text, [edit]), changes: [edit.change], skipped: [] };
}

// ---- digests already in Git ---------------------------------------------------------------

/** A digest a file pins for a policy's tag: `<ns>:<name>` and tag -> digest. */
export interface MarkedDigest {
  readonly policy: string;
  readonly tag: string;
  readonly digest: string;
}

/**
 * The digests marked fields already hold: a whole-image marker on `repo:tag@digest`, or
 * a `:digest` marker next to a `:tag` marker of the same policy in the same mapping.
 * ImagePolicy `digestReflectionPolicy: IfNotPresent` keeps these instead of asking the
 * registry again (Flux keeps them in the ImagePolicy's status; Tether's status is Git).
 */
export function markedDigests(text: string): MarkedDigest[] {
  if (!text.includes(MARKER_KEY)) return [];
  let parsed: Parsed;
  try {
    parsed = parseYaml(text);
  } catch {
    return [];
  }
  const found: MarkedDigest[] = [];
  for (const doc of parsed.docs) {
    visit(doc, {
      Map(_key, map) {
        const parts = new Map<string, { tag?: string; digest?: string }>();
        for (const pair of map.items) {
          const ref = markerAfter(pair.value, parsed.lines)?.ref;
          const value = isScalar(pair.value) ? String(pair.value.value) : undefined;
          if (ref === undefined || value === undefined) continue;
          const [ns, name, part] = ref.split(":");
          const policy = `${ns}:${name}`;
          if (part === undefined) {
            const at = value.indexOf("@");
            const colon = value.lastIndexOf(":", at < 0 ? undefined : at);
            if (at > 0 && colon > value.lastIndexOf("/", at))
              found.push({ policy, tag: value.slice(colon + 1, at), digest: value.slice(at + 1) });
          } else if (part === "tag" || part === "digest") {
            const entry = parts.get(policy) ?? {};
            entry[part] = value;
            parts.set(policy, entry);
          }
        }
        for (const [policy, { tag, digest }] of parts)
          if (tag !== undefined && digest !== undefined && digest !== "")
            found.push({ policy, tag, digest });
      },
    });
  }
  return found;
}
