// Parses YAML or JSON text into Kubernetes objects, each with the line its document
// starts on. Multi-document files and `kind: List` are expanded; duplicate keys and
// documents that are not Kubernetes objects are errors that name the file and line.
//
// Two parsers, one result. js-yaml's event parser is the fast path (about 30 times
// faster than `yaml` on manifests): its events give the values and, kept, the positions
// of fields (positions.ts), so a file is parsed once. Anything it does not handle the
// way `yaml` does goes to `yaml`, which has always defined what a manifest means here:
// anchors, aliases, tags, merge keys, null keys, and every file with a problem (so
// error messages stay `yaml`'s). That path is parse-yaml.ts, loaded when a file needs it.

import { readFileSync, statSync } from "node:fs";
import {
  constructFromEvents,
  EVENT_ID,
  type Event,
  getScalarValue,
  parseEvents,
  SCALAR_STYLE,
} from "js-yaml";
import { DEFAULT_LIMITS, type RenderLimits } from "./limits.ts";
import type { KubeObject, Manifest } from "./object.ts";
import { EventPositions, LineIndex, skip } from "./positions.ts";
import { isPlainNull, MANIFEST_SCHEMA } from "./yaml11.ts";

export class ManifestError extends Error {
  readonly file: string;
  readonly line: number | undefined;
  /** The message without its place, as given (to make the same error elsewhere). */
  readonly detail: string;
  constructor(file: string, line: number | undefined, message: string) {
    super(`${line === undefined ? file : `${file}:${line}`}: ${message}`);
    this.name = "ManifestError";
    this.file = file;
    this.line = line;
    this.detail = message;
  }
}

/**
 * Reads a manifest file as UTF-8, refusing it before reading when it is larger than
 * the limit and after reading when its bytes are not valid UTF-8 (as kubeconform does;
 * a silent U+FFFD would change the object that gets applied).
 */
export async function readManifestText(
  path: string,
  file: string,
  limits: Pick<RenderLimits, "maxFileBytes"> = DEFAULT_LIMITS,
): Promise<string> {
  // Synchronous: a render reads its files one after another and parses each at once, so
  // the thread pool's round trips only added waits (tether validate of 10,000 documents in
  // 200 files: median 1.71 -> 1.48 s, eight runs each).
  const info = statSync(path);
  if (info.size > limits.maxFileBytes) {
    throw new ManifestError(
      file,
      undefined,
      `${info.size} bytes, larger than the limit of ${limits.maxFileBytes} bytes (raise TETHER_MAX_FILE_SIZE or split the file)`,
    );
  }
  return decodeUtf8(readFileSync(path), file);
}

/** The bytes as text; invalid UTF-8 is a ManifestError on the line of the first bad byte. */
export function decodeUtf8(bytes: Uint8Array, file: string): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    const lossy = new TextDecoder("utf-8").decode(bytes);
    const at = lossy.indexOf("\uFFFD");
    const line = at < 0 ? undefined : lossy.slice(0, at).split("\n").length;
    throw new ManifestError(file, line, "not valid UTF-8");
  }
}

export interface ParseOptions {
  /** Documents to leave out before they are checked (e.g. kustomize's own config files). */
  skip?: (document: Record<string, unknown>) => boolean;
  limits?: RenderLimits | undefined;
  /**
   * Keep what the parse knows about field positions (Source.positions), for messages on
   * a field's line. Off by default: the agent does not hold that past the load.
   */
  positions?: boolean;
}

/** Parses every document in `text`; throws ManifestError on the first problem. */
export async function parseManifests(
  text: string,
  file: string,
  options: ParseOptions = {},
): Promise<Manifest[]> {
  const fast = parseFast(text, file, options.limits ?? DEFAULT_LIMITS, options);
  if (fast) return fast;
  const { LazyYamlPositions, parseWithYaml } = await import("./parse-yaml.ts");
  const manifests = parseWithYaml(text, file, options);
  if (options.positions) {
    // Rare (see the header): the syntax tree is built only if a field is looked up.
    const positions = new LazyYamlPositions(text);
    for (const m of manifests) m.source.positions = positions;
  }
  return manifests;
}

/**
 * The fast path; undefined when the file is `yaml`'s to read: it does not parse, has a
 * problem, or uses what only `yaml` reads as manifests always were.
 */
function parseFast(
  text: string,
  file: string,
  limits: RenderLimits,
  options: ParseOptions,
): Manifest[] | undefined {
  // Merge keys: `yaml` 1.1 merges or rejects them in ways js-yaml does not.
  if (text.includes("<<")) return undefined;
  let events: Event[];
  let values: unknown[];
  try {
    // One level more than the limit: deeper files are `yaml`'s to refuse with its message.
    events = parseEvents(text, { maxDepth: limits.maxDepth + 1 });
    if (!plainEvents(text, events, limits.maxDepth)) return undefined;
    values = constructFromEvents(events, { source: text, schema: MANIFEST_SCHEMA, maxAliases: 0 });
    // Without positions the text is not kept: copy the values so that no string sliced
    // from it keeps the whole file alive in the agent.
    if (!options.positions) values = structuredClone(values);
  } catch {
    return undefined;
  }
  const lines = new LineIndex(text);
  const positions = options.positions ? new EventPositions(text, events, lines) : undefined;
  const lineOf = (index: number) => {
    const event = events[index] as Event;
    const offset =
      event.type === EVENT_ID.MAPPING || event.type === EVENT_ID.SEQUENCE
        ? event.start
        : event.type === EVENT_ID.SCALAR
          ? event.valueStart
          : -1;
    return offset < 0 ? undefined : lines.position(offset).line;
  };
  const manifests: Manifest[] = [];
  let walker: EventPositions | undefined;
  let doc = 0;
  for (let i = 0; i < events.length; i = skip(events, i)) {
    if (events[i]?.type !== EVENT_ID.DOCUMENT) return undefined;
    const root = i + 1;
    const value = values[doc++];
    if (value === null || value === undefined) continue;
    if (options.skip && typeof value === "object" && options.skip(value as Record<string, unknown>))
      continue;
    const line = lineOf(root);
    if (line === undefined) return undefined;
    /** False when the object is not one: `yaml`'s path says what is wrong. */
    const add = (object: unknown, at: number, objectLine: number): boolean => {
      if (!isManifestObject(object)) return false;
      positions?.addRoot(objectLine, at);
      const source: Manifest["source"] = { file, line: objectLine };
      if (positions) source.positions = positions;
      manifests.push({ object, source });
      return true;
    };
    if (isList(value) && events[root]?.type === EVENT_ID.MAPPING) {
      // One walker for the file: it copies the file's events when made.
      walker ??= positions ?? new EventPositions(text, events, lines);
      const items = walker.child(root, "items");
      for (const [n, item] of value.items.entries()) {
        const at = items ? walker.child(items.index, String(n)) : undefined;
        if (!at || !add(item, at.index, lines.position(at.at).line)) return undefined;
      }
      continue;
    }
    if (!add(value, root, line)) return undefined;
  }
  return manifests;
}

/**
 * No anchors, aliases or tags, no plain mapping key that `yaml` reads as null (its key
 * is "", js-yaml's "null"), and no nesting past the limit: the events mean what `yaml`
 * would read.
 */
function plainEvents(text: string, events: readonly Event[], maxDepth: number): boolean {
  // One frame per open document or collection; in a mapping, whether a key comes next.
  const open: { mapping: boolean; keyNext: boolean }[] = [];
  for (const event of events) {
    if (event.type === EVENT_ID.POP) {
      open.pop();
      continue;
    }
    if (event.type === EVENT_ID.DOCUMENT) {
      open.push({ mapping: false, keyNext: false });
      continue;
    }
    if (event.type === EVENT_ID.ALIAS) return false;
    if (event.anchorStart >= 0 || event.tagStart >= 0) return false;
    const parent = open[open.length - 1];
    const isKey = parent?.mapping === true && parent.keyNext;
    if (parent?.mapping) parent.keyNext = !parent.keyNext;
    if (event.type === EVENT_ID.SCALAR) {
      // Only null matters here (testing every type for each key was a tenth of the parse),
      // and a key that is its own text and longer than "null" is not null.
      const long = event.fast && event.valueEnd - event.valueStart > 4;
      if (isKey && event.style === SCALAR_STYLE.PLAIN && !long) {
        const raw = event.valueStart < 0 ? "" : getScalarValue(text, event);
        if (isPlainNull(raw)) return false;
      }
    } else {
      open.push({ mapping: event.type === EVENT_ID.MAPPING, keyNext: true });
      // The document's own frame is not a level.
      if (open.length - 1 > maxDepth) return false;
    }
  }
  return true;
}

/** What asObject accepts, without throwing: anything else is `yaml`'s to report. */
function isManifestObject(value: unknown): value is KubeObject {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  const metadata = v.metadata as Record<string, unknown> | null | undefined;
  return (
    typeof v.apiVersion === "string" &&
    v.apiVersion !== "" &&
    typeof v.kind === "string" &&
    v.kind !== "" &&
    typeof metadata === "object" &&
    metadata !== null &&
    typeof metadata.name === "string" &&
    metadata.name !== ""
  );
}

export function isList(value: unknown): value is { kind: string; items: unknown[] } {
  const v = value as { kind?: unknown; items?: unknown };
  return (
    typeof v === "object" &&
    typeof v.kind === "string" &&
    v.kind.endsWith("List") &&
    Array.isArray(v.items)
  );
}
