// Where an object that kustomize rendered comes from, best effort: kustomize output has no
// positions, so the kustomization tree is read again (resources, bases, components,
// patches, generators) and each rendered object is matched by kind and name to the
// document that defines it and the patches that change it. A field is then placed on
// the last patch that sets it, else on the defining document.
import { existsSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { relative, resolve, sep } from "node:path";
import { isMap, isScalar, isSeq, LineCounter, parseDocument, Scalar } from "yaml";
import type { Located } from "../manifests/positions.ts";
import { YamlPositions } from "../manifests/yaml-positions.ts";
import { confine } from "../util/confine.ts";
import { findKustomization, isRemoteReference } from "./kustomize.ts";

export interface SourcePosition {
  /** Relative to the root, forward slashes. */
  file: string;
  line: number;
  column?: number | undefined;
}

type Role = "resource" | "patch" | "json6902" | "generator";

/** One document of the tree: a resource, a patch, or a generator entry. */
interface TreeDoc {
  role: Role;
  file: string;
  /** Line the document starts on, in its own text (the file, or the inline patch). */
  line: number;
  kind?: string | undefined;
  name?: string | undefined;
  namespace?: string | undefined;
  /** For patches with a `target`: which objects it applies to. */
  target?: { kind?: string; name?: string } | undefined;
  text: YamlPositions;
  /** An inline patch: its text starts at this line and is indented by this much in `file`. */
  inline?: { line: number; indent: number } | undefined;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((s): s is string => typeof s === "string") : [];

interface ParsedKustomization {
  file: string;
  doc: Obj;
  /** The syntax tree, for the lines of entries and inline patches. */
  tree: ReturnType<typeof parseDocument>;
  lines: LineCounter;
  text: string;
}

async function readKustomization(dir: string): Promise<ParsedKustomization | undefined> {
  const file = findKustomization(dir);
  if (!file) return undefined;
  const text = await readFile(file, "utf8");
  const lines = new LineCounter();
  const tree = parseDocument(text, { lineCounter: lines, uniqueKeys: false });
  // A broken or hostile kustomization is reported by the render; here it is empty.
  let doc: unknown;
  try {
    doc = tree.errors.length > 0 ? {} : (tree.toJS({ maxAliasCount: 100 }) as unknown);
  } catch {
    doc = {};
  }
  return { file, doc: isObj(doc) ? doc : {}, tree, lines, text };
}

export interface KustomizationRefs {
  /** Folders with a kustomization that this one builds on directly (absolute). */
  dirs: string[];
  /** `kind: Component`: only built as part of another kustomization. */
  component: boolean;
}

/** What the kustomization in `dir` builds on, without reading anything further. */
export async function readKustomizationRefs(dir: string): Promise<KustomizationRefs> {
  const k = await readKustomization(dir).catch(() => undefined);
  if (!k) return { dirs: [], component: false };
  const refs = [...strings(k.doc.resources), ...strings(k.doc.bases), ...strings(k.doc.components)];
  return {
    dirs: refs
      .filter((r) => !isRemoteReference(r, dir))
      .map((r) => resolve(dir, r))
      .filter((p) => findKustomization(p) !== undefined),
    component: k.doc.kind === "Component",
  };
}

export class KustomizeTree {
  /** Every kustomization folder reached (absolute), the unit's own first. */
  readonly dirs: string[] = [];
  /** Every file read (relative to the root): kustomizations, resources, patches. */
  readonly files: string[] = [];
  private readonly docs: TreeDoc[] = [];
  private readonly root: string;
  private readonly kustomizationFile: string;

  private constructor(root: string, kustomizationFile: string) {
    this.root = root;
    this.kustomizationFile = kustomizationFile;
  }

  /** Reads the tree of the kustomization in `dir`; names are relative to `root`. */
  static async read(dir: string, root: string): Promise<KustomizeTree> {
    const file = findKustomization(dir) ?? resolve(dir, "kustomization.yaml");
    const tree = new KustomizeTree(root, rel(root, file));
    await tree.walk(resolve(dir), new Set());
    return tree;
  }

  /** The unit's kustomization file, where anything not found is reported. */
  get kustomization(): string {
    return this.kustomizationFile;
  }

  private async walk(dir: string, seen: Set<string>): Promise<void> {
    if (seen.has(dir) || !(await this.inside(dir))) return;
    seen.add(dir);
    const k = await readKustomization(dir).catch(() => undefined);
    if (!k) return;
    this.dirs.push(dir);
    this.files.push(rel(this.root, k.file));
    const entries = [...strings(k.doc.resources), ...strings(k.doc.bases)];
    for (const ref of [...entries, ...strings(k.doc.components)]) {
      if (isRemoteReference(ref, dir)) continue;
      const target = resolve(dir, ref);
      if (findKustomization(target)) await this.walk(target, seen);
      else if (isFile(target)) await this.addFile(target, "resource");
    }
    this.addGenerators(k);
    // Patches of this layer apply after everything below it, so they come later.
    await this.addPatches(dir, k);
  }

  /** Files outside the repository are never read, not even for positions. */
  private async inside(path: string): Promise<boolean> {
    return confine(this.root, path).then(
      () => true,
      () => false,
    );
  }

  private async addFile(path: string, role: Role, target?: TreeDoc["target"]): Promise<void> {
    if (!(await this.inside(path))) return;
    const text = await readFile(path, "utf8").catch(() => undefined);
    if (text === undefined) return;
    const file = rel(this.root, path);
    if (!this.files.includes(file)) this.files.push(file);
    this.addText(new YamlPositions(text), file, role, target, undefined);
  }

  private addText(
    positions: YamlPositions,
    file: string,
    role: Role,
    target: TreeDoc["target"],
    inline: TreeDoc["inline"],
  ): void {
    for (const line of positions.objectLines()) {
      const node = positions.nodeAt(line, "");
      const value = node && "toJSON" in node ? (node.toJSON() as unknown) : undefined;
      // A JSON 6902 patch is a list of operations.
      const docRole: Role = Array.isArray(value) ? "json6902" : role;
      const v = isObj(value) ? value : {};
      const metadata = isObj(v.metadata) ? v.metadata : {};
      this.docs.push({
        role: docRole,
        file,
        line,
        kind: typeof v.kind === "string" ? v.kind : undefined,
        name: typeof metadata.name === "string" ? metadata.name : undefined,
        namespace: typeof metadata.namespace === "string" ? metadata.namespace : undefined,
        target,
        text: positions,
        inline,
      });
    }
  }

  private addGenerators(k: ParsedKustomization): void {
    const file = rel(this.root, k.file);
    const positions = new YamlPositions(k.text);
    for (const [key, kind] of [
      ["configMapGenerator", "ConfigMap"],
      ["secretGenerator", "Secret"],
    ] as const) {
      const list = k.tree.get(key, true);
      if (!isSeq(list)) continue;
      list.items.forEach((item) => {
        if (!isMap(item) || !item.range) return;
        const name = item.get("name");
        if (typeof name !== "string") return;
        const start = k.lines.linePos(item.range[0]);
        this.docs.push({
          role: "generator",
          file,
          line: start.line,
          kind,
          name,
          text: positions,
          inline: undefined,
        });
      });
    }
  }

  private async addPatches(dir: string, k: ParsedKustomization): Promise<void> {
    const file = rel(this.root, k.file);
    const inlineOf = (node: unknown) => inlineText(node, k.text, k.lines);
    const smp = k.tree.get("patchesStrategicMerge", true);
    if (isSeq(smp)) {
      for (const item of smp.items) {
        if (!isScalar(item) || typeof item.value !== "string") continue;
        const path = resolve(dir, item.value);
        if (!item.value.includes("\n") && isFile(path)) await this.addFile(path, "patch");
        else this.addInline(inlineOf(item), file, "patch", undefined);
      }
    }
    for (const key of ["patches", "patchesJson6902"]) {
      const list = k.tree.get(key, true);
      if (!isSeq(list)) continue;
      for (const item of list.items) {
        if (!isMap(item)) continue;
        const value = item.toJSON() as Obj;
        const t = isObj(value.target) ? value.target : undefined;
        const target = t
          ? {
              ...(typeof t.kind === "string" ? { kind: t.kind } : {}),
              ...(typeof t.name === "string" ? { name: t.name } : {}),
            }
          : undefined;
        const role: Role = key === "patchesJson6902" ? "json6902" : "patch";
        if (typeof value.path === "string") {
          const path = resolve(dir, value.path);
          if (isFile(path)) await this.addFile(path, role, target);
        } else if (typeof value.patch === "string") {
          this.addInline(inlineOf(item.get("patch", true)), file, role, target);
        }
      }
    }
  }

  private addInline(
    inline: { text: string; line: number; indent: number } | undefined,
    file: string,
    role: Role,
    target: TreeDoc["target"],
  ): void {
    if (!inline) return;
    this.addText(new YamlPositions(inline.text), file, role, target, {
      line: inline.line,
      indent: inline.indent,
    });
  }

  /** Documents that define an object of this kind rendered under this name, best first. */
  private definitions(kind: string, name: string, namespace?: string): TreeDoc[] {
    return this.docs
      .filter(
        (d) =>
          (d.role === "resource" || d.role === "generator") &&
          d.kind === kind &&
          d.name !== undefined &&
          // namePrefix, nameSuffix and generator hashes only add to the name.
          name.includes(d.name),
      )
      .sort((a, b) => score(b, name, namespace) - score(a, name, namespace));
  }

  private patchesOf(kind: string, name: string, definition: TreeDoc | undefined): TreeDoc[] {
    const original = definition?.name;
    const names = (n: string | undefined) =>
      n !== undefined && (n === original || n === name || name.includes(n));
    return this.docs.filter((d) => {
      if (d.role !== "patch" && d.role !== "json6902") return false;
      if (d.target) {
        if (d.target.kind !== undefined && d.target.kind !== kind) return false;
        if (d.target.name === undefined) return true;
        return matchesTargetName(d.target.name, original) || matchesTargetName(d.target.name, name);
      }
      return d.kind === kind && names(d.name);
    });
  }

  /**
   * The best place for `pointer` ("" for the object itself) of the rendered object
   * `kind`/`name` (in `namespace`, which breaks ties): the last patch that has the field, else the defining document (the
   * field, or its deepest parent there), else the unit's kustomization.
   */
  locate(kind: string, name: string, pointer: string, namespace?: string): SourcePosition {
    const [definition] = this.definitions(kind, name, namespace);
    if (pointer !== "") {
      const patches = this.patchesOf(kind, name, definition);
      for (let i = patches.length - 1; i >= 0; i--) {
        const patch = patches[i] as TreeDoc;
        const found =
          patch.role === "json6902" ? locateInJson6902(patch, pointer) : locateIn(patch, pointer);
        if (found?.exact) return toFile(patch, found);
      }
    }
    if (definition) {
      if (definition.role === "generator") return { file: definition.file, line: definition.line };
      const found = locateIn(definition, pointer);
      if (found) return toFile(definition, found);
      return { file: definition.file, line: definition.line };
    }
    return { file: this.kustomizationFile, line: 1 };
  }
}

function score(doc: TreeDoc, name: string, namespace: string | undefined): number {
  const sameNamespace = namespace !== undefined && doc.namespace === namespace ? 1 : 0;
  return (doc.name === name ? 1000 : 0) + (doc.name?.length ?? 0) * 2 + sameNamespace;
}

function matchesTargetName(pattern: string, name: string | undefined): boolean {
  if (name === undefined) return false;
  try {
    // kustomize matches target names as anchored regular expressions.
    return new RegExp(`^(?:${pattern})$`).test(name);
  } catch {
    return pattern === name;
  }
}

function locateIn(doc: TreeDoc, pointer: string): Located | undefined {
  return doc.text.locate(doc.line, pointer);
}

/** The operation of a JSON 6902 patch that sets `pointer` (or a parent of it), last one wins. */
function locateInJson6902(doc: TreeDoc, pointer: string): Located | undefined {
  const ops = doc.text.nodeAt(doc.line, "");
  if (!isSeq(ops)) return undefined;
  for (let i = ops.items.length - 1; i >= 0; i--) {
    const op = ops.items[i];
    if (!isMap(op)) continue;
    const kind = op.get("op");
    const path = op.get("path");
    if (typeof path !== "string" || kind === "remove" || kind === "test") continue;
    if (pointer !== path && !pointer.startsWith(`${path}/`)) continue;
    const rest = pointer.slice(path.length);
    const base = `/${i}`;
    const inValue = rest === "" ? undefined : doc.text.locate(doc.line, `${base}/value${rest}`);
    if (inValue?.exact) return inValue;
    const at = doc.text.locate(
      doc.line,
      `${base}/${rest === "" && op.has("value") ? "value" : "path"}`,
    );
    if (at) return { ...at, exact: true };
  }
  return undefined;
}

function toFile(doc: TreeDoc, at: Located): SourcePosition {
  if (!doc.inline) return { file: doc.file, line: at.line, column: at.column };
  return {
    file: doc.file,
    line: doc.inline.line + at.line - 1,
    column: doc.inline.indent + at.column,
  };
}

/** The text of an inline patch, and the line and indentation it has in the kustomization. */
function inlineText(
  node: unknown,
  source: string,
  lines: LineCounter,
): { text: string; line: number; indent: number } | undefined {
  if (!isScalar(node) || typeof node.value !== "string" || !node.range) return undefined;
  const start = node.range[0];
  const block = node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED;
  if (!block) {
    const pos = lines.linePos(start);
    return { text: node.value, line: pos.line, indent: pos.col - 1 };
  }
  // A block scalar's content starts on the line after its `|` or `>` header.
  const newline = source.indexOf("\n", start);
  if (newline < 0) return undefined;
  const firstLine = source.slice(newline + 1).split("\n", 1)[0] ?? "";
  const indent = firstLine.length - firstLine.trimStart().length;
  return { text: node.value, line: lines.linePos(newline + 1).line, indent };
}

function isFile(path: string): boolean {
  try {
    return existsSync(path) && statSync(path).isFile();
  } catch {
    return false;
  }
}

function rel(root: string, path: string): string {
  return relative(root, path).split(sep).join("/");
}
