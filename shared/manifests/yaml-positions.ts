// Positions of fields from `yaml`'s syntax tree (see positions.ts): for files the fast
// parser leaves to `yaml` and for kustomize sources. Apart from positions.ts so that
// `yaml` is loaded only where it is needed (parse-yaml.ts).
import { isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseAllDocuments } from "yaml";
import { type FilePositions, type Located, type Position, splitPointer } from "./positions.ts";

/** One YAML text parsed once, for many lookups. */
export class YamlPositions implements FilePositions {
  private readonly lines = new LineCounter();
  /** Object nodes (documents and items of `kind: *List`) by the line they start on. */
  private readonly objects = new Map<number, Node>();

  constructor(text: string) {
    // Duplicate keys are reported by the loader; here the first one wins quietly.
    const docs = parseAllDocuments(text, { lineCounter: this.lines, uniqueKeys: false });
    const list = Array.isArray(docs) ? docs : [];
    for (const doc of list) {
      const node = doc.contents;
      if (!node?.range) continue;
      this.objects.set(this.lineOf(node.range[0]), node as Node);
      if (isMap(node)) {
        const items = node.get("items", true);
        if (isSeq(items)) {
          for (const item of items.items) {
            const n = item as Node | null;
            if (n?.range && isMap(n)) this.objects.set(this.lineOf(n.range[0]), n);
          }
        }
      }
    }
  }

  /** Lines on which an object (document or List item) starts. */
  objectLines(): number[] {
    return [...this.objects.keys()];
  }

  /**
   * Where `pointer` is in the object that starts on `line` (1-based, as Source.line).
   * Undefined when no object starts on that line.
   */
  locate(line: number, pointer: string): Located | undefined {
    const root = this.objects.get(line);
    if (!root?.range) return undefined;
    return walk(root, pointer, (offset) => this.position(offset));
  }

  /** The value node at `pointer` in the object on `line`, e.g. to read an inline patch. */
  nodeAt(line: number, pointer: string): Node | undefined {
    let node: unknown = this.objects.get(line);
    for (const segment of splitPointer(pointer)) {
      node = child(node, segment)?.value;
      if (node === undefined) return undefined;
    }
    return (node as Node | null) ?? undefined;
  }

  position(offset: number): Position {
    const { line, col } = this.lines.linePos(offset);
    return { line, column: col };
  }

  private lineOf(offset: number): number {
    return this.lines.linePos(offset).line;
  }
}

interface Step {
  /** Where to point for this step: the key of a mapping entry, or the sequence item. */
  at: number;
  value: unknown;
}

function child(node: unknown, segment: string): Step | undefined {
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const key = isScalar(pair.key) ? pair.key.value : pair.key;
      if (String(key) !== segment) continue;
      const keyNode = pair.key as Node | null;
      const at = keyNode?.range?.[0] ?? (pair.value as Node | null)?.range?.[0];
      if (at === undefined) return undefined;
      return { at, value: pair.value };
    }
    return undefined;
  }
  if (isSeq(node) && /^\d+$/.test(segment)) {
    const item = node.items[Number(segment)] as Node | null | undefined;
    if (!item?.range) return undefined;
    return { at: item.range[0], value: item };
  }
  return undefined;
}

function walk(root: Node, pointer: string, position: (offset: number) => Position): Located {
  let node: unknown = root;
  let at = (root.range as [number, number, number])[0];
  let exact = true;
  for (const segment of splitPointer(pointer)) {
    const step = child(node, segment);
    if (!step) {
      exact = false;
      break;
    }
    at = step.at;
    node = step.value;
  }
  return { ...position(at), exact };
}
