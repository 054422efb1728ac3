// The shape every pipeline step passes along: a Kubernetes object and where it came
// from, so any message about it can point at the file and line a person edits.
import type { FilePositions } from "./positions.ts";

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [field: string]: unknown;
  };
  [field: string]: unknown;
}

export interface Source {
  /** Path relative to the repository (or the folder rendered), with forward slashes. */
  file: string;
  /** 1-based line of the document that defines the object, when known. */
  line?: number | undefined;
  /** Where the fields of the file's objects are, when the loader was asked to keep it. */
  positions?: FilePositions | undefined;
  /**
   * Set when the object was produced from the document at file:line rather than written
   * there (a HelmRelease's chart): says what produced it, e.g. "chart app-demo@0.1.1".
   */
  via?: string | undefined;
}

export interface Manifest {
  object: KubeObject;
  source: Source;
}

/** Identifies an object independently of its API version. */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf("/");
  return slash < 0 ? "" : apiVersion.slice(0, slash);
}

export function refOf(object: KubeObject): ObjectRef {
  const ref: ObjectRef = {
    apiVersion: object.apiVersion,
    kind: object.kind,
    name: object.metadata.name,
  };
  if (object.metadata.namespace) ref.namespace = object.metadata.namespace;
  return ref;
}

/** A key that stays the same when only the API version of a kind changes. */
export function refKey(ref: ObjectRef): string {
  return `${groupOf(ref.apiVersion)}/${ref.kind}/${ref.namespace ?? ""}/${ref.name}`;
}

/** How objects are named in messages: `Kind/namespace/name` or `Kind/name`. */
export function describeRef(ref: ObjectRef): string {
  return ref.namespace ? `${ref.kind}/${ref.namespace}/${ref.name}` : `${ref.kind}/${ref.name}`;
}

export function describeSource(source: Source): string {
  return source.line === undefined ? source.file : `${source.file}:${source.line}`;
}
