// Places findings on the file, line and column a person edits. Plain files are exact: the
// object's own document (Source.line) and, for a field, that field's key in the YAML.
// Kustomize objects are best effort: the last patch that sets the field, else the
// document that defines the object (shared/render/origins.ts).
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import type { Manifest } from "../../shared/manifests/object.ts";
import { splitPointer } from "../../shared/manifests/positions.ts";
import { YamlPositions } from "../../shared/manifests/yaml-positions.ts";
import type { KustomizeTree } from "../../shared/render/origins.ts";
import { valuesPointerOf } from "./helm-releases.ts";

export interface Place {
  file: string;
  line?: number | undefined;
  column?: number | undefined;
}

/** The value at `pointer` in a rendered object. */
function valueAt(object: unknown, pointer: string): unknown {
  let node = object;
  for (const key of splitPointer(pointer)) {
    if (typeof node !== "object" || node === null) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

export class Positions {
  private readonly root: string;
  private readonly texts = new Map<string, Promise<YamlPositions | undefined>>();

  constructor(root: string) {
    this.root = root;
  }

  private parsed(file: string): Promise<YamlPositions | undefined> {
    let entry = this.texts.get(file);
    if (!entry) {
      entry = readFile(resolve(this.root, file), "utf8").then(
        (text) => new YamlPositions(text),
        () => undefined,
      );
      this.texts.set(file, entry);
    }
    return entry;
  }

  /** Where `pointer` ("" for the object) of a rendered manifest is in the sources. */
  async place(manifest: Manifest, pointer: string, tree?: KustomizeTree): Promise<Place> {
    if (tree) {
      const { kind, metadata } = manifest.object;
      const at = tree.locate(kind, metadata.name, pointer, metadata.namespace);
      return pointer === "" ? { file: at.file, line: at.line } : at;
    }
    const { file, line } = manifest.source;
    if (line === undefined) return { file };
    // The object itself is where the loader says; fields are where the loader's parse
    // saw them (a file loaded without positions is parsed again).
    if (pointer === "") return { file, line };
    // Produced by a HelmRelease's chart: the field is not in the file; the values are
    // what the author edits there.
    const positions = manifest.source.positions ?? (await this.parsed(file));
    if (manifest.source.via) {
      // The value's own line when the rendered value is traced to one values key,
      // else the values block, else the HelmRelease.
      const tree = await this.parsed(file);
      const from = valuesPointerOf(
        tree?.nodeAt(line, "/spec/values")?.toJSON(),
        valueAt(manifest.object, pointer),
      );
      const traced =
        from === undefined ? undefined : positions?.locate(line, `/spec/values${from}`);
      if (traced?.exact) return { file, line: traced.line, column: traced.column };
      const values = positions?.locate(line, "/spec/values");
      return values ? { file, line: values.line, column: values.column } : { file, line };
    }
    const found = positions?.locate(line, pointer);
    if (!found) return { file, line };
    return { file, line: found.line, column: found.column };
  }

  /**
   * Where a kustomize build error is best shown: the line of the first kustomization in
   * the tree that mentions a path quoted in the message (a missing resource), if any.
   */
  async placeBuildError(message: string, tree: KustomizeTree): Promise<Place> {
    const quoted = [...message.matchAll(/'([^']+)'|"([^"]+)"/g)].map((m) => m[1] ?? m[2] ?? "");
    for (const file of tree.files) {
      if (!/(^|\/)(kustomization\.ya?ml|Kustomization)$/.test(file)) continue;
      const text = await readFile(resolve(this.root, file), "utf8").catch(() => "");
      const lines = text.split("\n");
      for (const q of quoted) {
        const tail = q.split("/").pop() ?? q;
        if (tail.length < 2) continue;
        const index = lines.findIndex((l) => !l.trimStart().startsWith("#") && l.includes(tail));
        if (index >= 0) return { file, line: index + 1 };
      }
    }
    return { file: tree.kustomization };
  }
}
