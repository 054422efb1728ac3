// How Flux (kustomize-controller 1.7, Flux 2.7) combines a Kustomization's kustomize
// fields with the kustomization it builds: they are written INTO the path's
// kustomization file (or the one generated for a folder without one) and kustomize runs
// once, so the spec's fields act alongside the file's, not over its output:
// - targetNamespace, namePrefix and nameSuffix replace the file's namespace/prefix/suffix;
// - patches and components are added after the file's own (a patch sees the objects'
//   names before any prefix; a component resolves from the path);
// - an images entry replaces the file's entry of the same name whole, else is added.
// commonMetadata is not merged: Flux sets it on the built objects when applying.
// The file's own text is kept as written (its scalars are never re-read as another
// YAML version would read them); only the merged fields are new nodes.
import { Document, isMap, isScalar, isSeq, type Node, parseAllDocuments, visit } from "yaml";
import { ManifestError } from "../../shared/manifests/parse.ts";
import { syntaxError } from "../../shared/manifests/parse-yaml.ts";
import type { KustomizationSpec } from "./build.ts";

/** Whether the spec has any field Flux merges into the kustomization. */
export function mergesIntoKustomization(spec: KustomizationSpec): boolean {
  return Boolean(
    spec.targetNamespace ||
      spec.namePrefix ||
      spec.nameSuffix ||
      spec.patches?.length ||
      spec.images?.length ||
      spec.components?.length,
  );
}

/**
 * `text` (the kustomization file `name`) with the spec's fields merged in. `components`
 * are the spec's, already judged (local, and present unless missing ones are ignored).
 */
export function mergeSpec(
  text: string,
  name: string,
  spec: KustomizationSpec,
  components: readonly string[],
): string {
  // The failsafe schema reads every scalar as its text, so the file is written back as
  // it was; kustomize reads it with its own YAML rules, as it would the original.
  const options = { schema: "failsafe", uniqueKeys: true } as const;
  const doc: Document = parseAllDocuments(text, options)[0] ?? new Document(null, options);
  const problem = syntaxError(doc, name);
  if (problem) throw problem;
  if (isNull(doc.contents)) doc.contents = doc.createNode({});
  if (!isMap(doc.contents)) {
    throw new ManifestError(name, undefined, "is not a kustomization (not a mapping)");
  }
  if (spec.targetNamespace) doc.set("namespace", fresh(doc, spec.targetNamespace));
  if (spec.namePrefix) doc.set("namePrefix", fresh(doc, spec.namePrefix));
  if (spec.nameSuffix) doc.set("nameSuffix", fresh(doc, spec.nameSuffix));
  for (const patch of spec.patches ?? []) {
    const entry = patch.target
      ? { patch: patch.patch, target: patch.target }
      : { patch: patch.patch };
    list(doc, "patches", name).items.push(fresh(doc, entry));
  }
  for (const component of components) {
    list(doc, "components", name).items.push(fresh(doc, component));
  }
  for (const image of spec.images ?? []) {
    // Only the fields the spec sets: an entry replaced keeps nothing of the file's.
    const entry = Object.fromEntries(Object.entries(image).filter(([, value]) => value));
    const images = list(doc, "images", name);
    const same = images.items.findIndex((item) => isMap(item) && item.get("name") === image.name);
    if (same >= 0) images.items[same] = fresh(doc, entry);
    else images.items.push(fresh(doc, entry));
  }
  return doc.toString({ lineWidth: 0 });
}

/** An empty document or value (`key:`, `key: ~`, `key: null`), read as failsafe text. */
function isNull(node: unknown): boolean {
  if (node === null || node === undefined) return true;
  if (!isScalar(node)) return false;
  const value = node.value;
  return (
    value === null ||
    (node.type === "PLAIN" && ["", "~", "null", "Null", "NULL"].includes(String(value)))
  );
}

/** A new node for `value`, every value in it double-quoted: no YAML reads it otherwise. */
function fresh(doc: Document, value: unknown): Node {
  const node = doc.createNode(value);
  visit(node, {
    Scalar(key, scalar) {
      if (key !== "key") scalar.type = "QUOTE_DOUBLE";
    },
  });
  return node;
}

/** The file's list under `key`, created when the file has none. */
function list(doc: Document, key: string, name: string) {
  const node = doc.get(key, true);
  if (isSeq(node)) return node;
  if (!isNull(node)) {
    throw new ManifestError(name, undefined, `${key} is not a list`);
  }
  const created = doc.createNode([]);
  doc.set(key, created);
  return created;
}
