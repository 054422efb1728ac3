// Parses YAML or JSON text into Kubernetes objects, each with the line its document
// starts on. Multi-document files and `kind: List` are expanded; duplicate keys and
// documents that are not Kubernetes objects are errors that name the file and line.
import { isMap, isSeq, LineCounter, parseAllDocuments } from "yaml";
import type { KubeObject, Manifest } from "./object.ts";

export class ManifestError extends Error {
  readonly file: string;
  readonly line: number | undefined;
  constructor(file: string, line: number | undefined, message: string) {
    super(`${line === undefined ? file : `${file}:${line}`}: ${message}`);
    this.name = "ManifestError";
    this.file = file;
    this.line = line;
  }
}

export interface ParseOptions {
  /** Documents to leave out before they are checked (e.g. kustomize's own config files). */
  skip?: (document: Record<string, unknown>) => boolean;
}

/** Parses every document in `text`; throws ManifestError on the first problem. */
export function parseManifests(text: string, file: string, options: ParseOptions = {}): Manifest[] {
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
    const error = doc.errors[0];
    if (error) {
      const line = error.linePos?.[0].line;
      throw new ManifestError(file, line, `invalid YAML: ${firstLine(error.message)}`);
    }
    const node = doc.contents;
    if (node === null) continue; // an empty document, e.g. a trailing `---`
    const line = node.range ? lines.linePos(node.range[0]).line : undefined;
    const value: unknown = doc.toJS({ maxAliasCount: 100 });
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

function isList(value: unknown): value is { kind: string; items: unknown[] } {
  const v = value as { kind?: unknown; items?: unknown };
  return (
    typeof v === "object" &&
    typeof v.kind === "string" &&
    v.kind.endsWith("List") &&
    Array.isArray(v.items)
  );
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
