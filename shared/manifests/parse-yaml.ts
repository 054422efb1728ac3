// How the `yaml` library reads manifests: the reference for what a manifest means and
// for its error messages, and the reader of every file the fast path (parse.ts) leaves to
// it. A module of its own, loaded on first need: an agent whose files are plain never
// loads `yaml` (1-2 MiB of its idle memory, test/bench/sync.ts).

import { type Document, isMap, isSeq, LineCounter, parseAllDocuments, visit } from "yaml";
import { DEFAULT_LIMITS, type RenderLimits } from "./limits.ts";
import type { KubeObject, Manifest } from "./object.ts";
import { isList, ManifestError, type ParseOptions } from "./parse.ts";
import type { FilePositions, Located } from "./positions.ts";
import { YamlPositions } from "./yaml-positions.ts";

/** Deepest nesting of arrays and objects in `value`, counted without recursion. */
function depthOf(value: unknown, limit: number): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop() as [unknown, number];
    if (typeof v !== "object" || v === null) continue;
    deepest = Math.max(deepest, depth);
    if (deepest > limit) return deepest;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/** The line of the document's first alias: where an alias bomb is reported. */
function firstAliasLine(doc: Document, lines: LineCounter): number | undefined {
  let line: number | undefined;
  visit(doc, {
    Alias(_, node) {
      if (node.range) line = lines.linePos(node.range[0]).line;
      return visit.BREAK;
    },
  });
  return line;
}

/** A parsed document's value, within the alias limit; an alias bomb is a ManifestError. */
export function plainValue(
  doc: Document,
  lines: LineCounter,
  file: string,
  limits: Pick<RenderLimits, "maxAliasCount"> = DEFAULT_LIMITS,
): unknown {
  try {
    return doc.toJS({ maxAliasCount: limits.maxAliasCount });
  } catch (error) {
    // `yaml` refuses documents whose aliases expand past the count (alias bombs).
    if (error instanceof ReferenceError && /alias/i.test(error.message)) {
      const start = doc.contents?.range ? lines.linePos(doc.contents.range[0]).line : undefined;
      throw new ManifestError(
        file,
        firstAliasLine(doc, lines) ?? start,
        `YAML aliases expand past the limit of ${limits.maxAliasCount} (an alias bomb?); write the objects out instead`,
      );
    }
    throw error;
  }
}

/** The first syntax error of a document as a ManifestError, if it has one. */
export function syntaxError(doc: Document, file: string): ManifestError | undefined {
  const error = doc.errors[0];
  if (!error) return undefined;
  const line = error.linePos?.[0].line;
  // The YAML library recurses per nesting level and reports the stack overflow.
  if (/call stack/i.test(error.message))
    return new ManifestError(file, line, "nesting too deep to read");
  return new ManifestError(file, line, `invalid YAML: ${firstLine(error.message)}`);
}

/** The `yaml` path: the reference for what a manifest means, and its error messages (exported for the tests that hold the fast path to it). */
export function parseWithYaml(text: string, file: string, options: ParseOptions = {}): Manifest[] {
  try {
    return parseDocuments(text, file, options.limits ?? DEFAULT_LIMITS, options);
  } catch (error) {
    if (error instanceof ManifestError) throw error;
    // The YAML library recurses per nesting level: a deep enough document overflows
    // the stack before any depth check can run.
    if (error instanceof RangeError)
      throw new ManifestError(file, undefined, "nesting too deep to read");
    throw error;
  }
}

export class LazyYamlPositions implements FilePositions {
  private text: string;
  private parsed: YamlPositions | undefined;
  constructor(text: string) {
    this.text = text;
  }
  locate(line: number, pointer: string): Located | undefined {
    this.parsed ??= new YamlPositions(this.text);
    return this.parsed.locate(line, pointer);
  }
}

function parseDocuments(
  text: string,
  file: string,
  limits: RenderLimits,
  options: ParseOptions,
): Manifest[] {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, {
    lineCounter: lines,
    uniqueKeys: true,
    // kubectl and the API server read manifests as YAML 1.1 (sigs.k8s.io/yaml):
    // `0644` is octal 420 and `on`/`yes` are booleans there, so they are here too.
    // Like Go's YAML, unquoted times (12:30) and dates stay strings.
    version: "1.1",
    customTags: (tags) =>
      tags.filter((t) => {
        const tag = t as { format?: string; tag?: string };
        return tag.format !== "TIME" && tag.tag !== "tag:yaml.org,2002:timestamp";
      }),
  });
  const manifests: Manifest[] = [];
  for (const doc of docs) {
    const error = syntaxError(doc, file);
    if (error) throw error;
    const node = doc.contents;
    if (node === null) continue; // an empty document, e.g. a trailing `---`
    const line = node.range ? lines.linePos(node.range[0]).line : undefined;
    // A copy: values straight from `yaml` keep slices of the source text and its
    // parse state alive (about 25 KB per small object); the copy keeps only the data.
    const value: unknown = structuredClone(plainValue(doc, lines, file, limits));
    if (depthOf(value, limits.maxDepth) > limits.maxDepth) {
      throw new ManifestError(file, line, `nesting deeper than ${limits.maxDepth} levels`);
    }
    if (value === null || value === undefined) continue;
    if (options.skip && typeof value === "object" && options.skip(value as Record<string, unknown>))
      continue;
    if (isList(value) && isMap(node)) {
      const items = node.get("items", true);
      const itemNodes = isSeq(items) ? items.items : [];
      value.items.forEach((item, i) => {
        const itemNode = itemNodes[i] as { range?: [number, number, number] } | undefined;
        const itemLine = itemNode?.range ? lines.linePos(itemNode.range[0]).line : line;
        manifests.push({
          object: asObject(item, file, itemLine),
          source: { file, line: itemLine },
        });
      });
      continue;
    }
    manifests.push({
      object: asObject(value, file, line),
      source: line === undefined ? { file } : { file, line },
    });
  }
  return manifests;
}

function asObject(value: unknown, file: string, line: number | undefined): KubeObject {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ManifestError(file, line, "a document must be a Kubernetes object (a mapping)");
  }
  const v = value as Record<string, unknown>;
  if (typeof v.apiVersion !== "string" || v.apiVersion === "") {
    throw new ManifestError(file, line, "apiVersion is missing");
  }
  if (typeof v.kind !== "string" || v.kind === "") {
    throw new ManifestError(file, line, "kind is missing");
  }
  const metadata = v.metadata as Record<string, unknown> | undefined;
  if (
    typeof metadata !== "object" ||
    metadata === null ||
    typeof metadata.name !== "string" ||
    metadata.name === ""
  ) {
    throw new ManifestError(file, line, `${v.kind}: metadata.name is missing`);
  }
  return v as unknown as KubeObject;
}

/** The message without the position and code frame that `yaml` appends. */
function firstLine(message: string): string {
  return (message.split("\n")[0] ?? message).replace(/ at line \d+, column \d+:?$/, "");
}
