// The comparison of one cluster's two renders, object by object (identity: refKey, with
// the API group). Pure. What it answers:
//   added    objects only the head renders
//   changed  objects whose fields differ, with one line per field path (old → new)
//   removed  objects only the base renders that prune would delete: not those annotated
//            `<prefix>/prune: disabled` (agent/defaults.ts), nor those of a Flux
//            Kustomization without `prune: true` (both are left in the cluster: `kept`)
//   images   container images that change, each pair once, listed first by the formats
// Secrets are compared by a hash of each value and never shown: a changed value reads
// `(hidden, changed)`, in data and stringData alike; a Secret's value substituted into
// another object (postBuild.substituteFrom) reads `***` there.
import { createHash } from "node:crypto";
import { PRUNE_ANNOTATIONS } from "../../agent/defaults.ts";
import { groupOf, type KubeObject, refKey, refOf } from "../../shared/manifests/object.ts";
import { redactSecrets } from "../../shared/util/redact.ts";
import type { ClusterRender, RenderedObject } from "./render.ts";

export interface ObjectId {
  kind: string;
  /** "" for cluster-scoped objects. */
  namespace: string;
  name: string;
}

export interface ChangedObject extends ObjectId {
  /** One line per changed field: `~ path: old → new`, `+ path: new`, `- path: old`. */
  diff: string;
}

export interface ImageChange {
  from: string;
  to: string;
}

export interface ClusterPreview {
  path: string;
  added: ObjectId[];
  changed: ChangedObject[];
  removed: ObjectId[];
  images: ImageChange[];
  /** Objects gone from Git that stay in the cluster, and why (not part of the JSON contract). */
  kept: (ObjectId & { reason: string })[];
  notes: string[];
}

const idOf = (object: KubeObject): ObjectId => ({
  kind: object.kind,
  namespace: object.metadata.namespace ?? "",
  name: object.metadata.name,
});

const order = (a: ObjectId, b: ObjectId) =>
  a.kind.localeCompare(b.kind) ||
  a.namespace.localeCompare(b.namespace) ||
  a.name.localeCompare(b.name);

const isSecret = (o: KubeObject) => groupOf(o.apiVersion) === "" && o.kind === "Secret";

const hash = (value: unknown) => createHash("sha256").update(JSON.stringify(value)).digest("hex");

/** Both sides of a Secret with every value replaced by what may be shown of it. */
function hideSecrets(base: KubeObject, head: KubeObject): [KubeObject, KubeObject] {
  const a = structuredClone(base);
  const b = structuredClone(head);
  for (const field of ["data", "stringData"]) {
    const was = (base[field] ?? {}) as Record<string, unknown>;
    const is = (head[field] ?? {}) as Record<string, unknown>;
    if (a[field]) a[field] = Object.fromEntries(Object.keys(was).map((k) => [k, "(hidden)"]));
    if (b[field]) {
      b[field] = Object.fromEntries(
        Object.keys(is).map((k) => [
          k,
          k in was && hash(was[k]) !== hash(is[k]) ? "(hidden, changed)" : "(hidden)",
        ]),
      );
    }
  }
  return [a, b];
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? "undefined";
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** Items of a list keyed by their `name` when every item has one (containers, ports). */
function keyed(list: unknown[]): Map<string, unknown> | undefined {
  const map = new Map<string, unknown>();
  for (const item of list) {
    const name = isPlainObject(item) ? item.name : undefined;
    if (typeof name !== "string" || map.has(name)) return undefined;
    map.set(name, item);
  }
  return map;
}

/** Field-level differences as lines, depth first, in the order the fields appear. */
export function fieldDiff(old: unknown, now: unknown, path = ""): string[] {
  const at = (key: string) => (path ? `${path}.${key}` : key);
  if (isPlainObject(old) && isPlainObject(now)) {
    const keys = [...new Set([...Object.keys(old), ...Object.keys(now)])];
    return keys.flatMap((k) => fieldDiff(old[k], now[k], at(k)));
  }
  if (Array.isArray(old) && Array.isArray(now)) {
    const a = keyed(old);
    const b = keyed(now);
    if (a && b) {
      const names = [...new Set([...a.keys(), ...b.keys()])];
      return names.flatMap((n) => fieldDiff(a.get(n), b.get(n), `${path}[${n}]`));
    }
    if (old.length === now.length)
      return old.flatMap((item, i) => fieldDiff(item, now[i], `${path}[${i}]`));
  }
  if (old === undefined && now === undefined) return [];
  if (old === undefined) return [`+ ${path}: ${show(now)}`];
  if (now === undefined) return [`- ${path}: ${show(old)}`];
  if (JSON.stringify(old) === JSON.stringify(now)) return [];
  return [`~ ${path}: ${show(old)} → ${show(now)}`];
}

/** Container images by `<list>[<name>]` path, anywhere in the object (pod templates, CronJobs). */
export function imagesOf(value: unknown, path = "", out = new Map<string, string>()) {
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) imagesOf(v, `${path}[${i}]`, out);
  } else if (isPlainObject(value)) {
    for (const [key, v] of Object.entries(value)) {
      if (/^(initContainers|containers|ephemeralContainers)$/.test(key) && Array.isArray(v)) {
        for (const c of v) {
          if (isPlainObject(c) && typeof c.image === "string")
            out.set(`${path}.${key}[${String(c.name)}]`, c.image);
        }
      } else imagesOf(v, `${path}.${key}`, out);
    }
  }
  return out;
}

function keptReason(o: RenderedObject): string | undefined {
  const annotations = o.object.metadata.annotations ?? {};
  const optOut = PRUNE_ANNOTATIONS.find((a) => annotations[a] === "disabled");
  if (optOut) return `annotated ${optOut}: disabled`;
  if (!o.owner.prune) return `${o.owner.name} does not prune`;
  return undefined;
}

export function compareRenders(
  path: string,
  base: ClusterRender,
  head: ClusterRender,
): ClusterPreview {
  const before = new Map(base.objects.map((o) => [refKey(refOf(o.object)), o]));
  const after = new Map(head.objects.map((o) => [refKey(refOf(o.object)), o]));
  const preview: ClusterPreview = {
    path,
    added: [],
    changed: [],
    removed: [],
    images: [],
    kept: [],
    notes: [...new Set([...base.notes.map((n) => `base: ${n}`), ...head.notes])],
  };
  const images = new Map<string, ImageChange>();
  const secrets = [...base.secretValues, ...head.secretValues];
  for (const [key, now] of after) {
    const old = before.get(key);
    if (!old) {
      preview.added.push(idOf(now.object));
      continue;
    }
    const [a, b] = isSecret(now.object)
      ? hideSecrets(old.object, now.object)
      : [old.object, now.object];
    // A Secret's value substituted into another object is hidden there too.
    const lines = fieldDiff(a, b).map((line) => redactSecrets(line, secrets));
    if (lines.length === 0) continue;
    preview.changed.push({ ...idOf(now.object), diff: lines.join("\n") });
    const oldImages = imagesOf(old.object);
    for (const [where, image] of imagesOf(now.object)) {
      const was = oldImages.get(where);
      if (was !== undefined && was !== image)
        images.set(`${was} ${image}`, { from: was, to: image });
    }
  }
  for (const [key, old] of before) {
    if (after.has(key)) continue;
    const reason = keptReason(old);
    if (reason) preview.kept.push({ ...idOf(old.object), reason });
    else preview.removed.push(idOf(old.object));
  }
  preview.added.sort(order);
  preview.changed.sort(order);
  preview.removed.sort(order);
  preview.kept.sort(order);
  preview.images = [...images.values()];
  return preview;
}

export const countChanges = (p: ClusterPreview) =>
  p.added.length + p.changed.length + p.removed.length;
