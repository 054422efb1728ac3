// Shapes of the generated data in ./data. The generator writes them and the validator
// reads them; both import these types so the two cannot drift apart.

export type Json = null | boolean | number | string | Json[] | JsonObject;
export interface JsonObject {
  [key: string]: Json;
}

/**
 * An OpenAPI v3 schema reduced to the keywords validation needs (no descriptions,
 * defaults or patch hints). `$ref` is a number: an index into the file's own table
 * (definition names for Kubernetes, shared subtrees for Flux).
 */
export type MiniSchema = JsonObject;

export interface KubernetesVersionData {
  /** The exact module version the schemas came from, e.g. "v1.36.3". */
  release: string;
  /** Per definition name (same index as `names`), which variant this version uses; -1 if absent. */
  defs: number[];
  /** apiVersion -> kind -> definition index, for the kinds this version serves. */
  kinds: Record<string, Record<string, number>>;
}

export interface KubernetesData {
  /** Where the data came from, for humans. */
  source: string;
  /** Bundled minors, newest first, e.g. ["1.37", "1.36", ...]. */
  minors: string[];
  /** Definition names, e.g. "io.k8s.api.apps.v1.Deployment". */
  names: string[];
  /** Per definition name, its distinct schemas across the bundled versions. */
  variants: MiniSchema[][];
  /** Index of io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta, used for custom resources. */
  objectMeta: number;
  versions: Record<string, KubernetesVersionData>;
}

export interface FluxKind {
  apiVersion: string;
  kind: string;
  /** False for versions the Go types still carry but Flux's CRDs no longer serve. */
  served: boolean;
  /** Set when the CRD marks the version deprecated. */
  deprecated?: string;
  /** The version Flux stores, the one to migrate to. */
  storage: string;
  schema: MiniSchema;
}

export interface FluxData {
  source: string;
  /** Flux distribution version whose controller versions were used, e.g. "v2.9.5". */
  flux: string;
  /** Controller module -> version used. */
  controllers: Record<string, string>;
  /** Subtrees that occur more than once, referenced as {"$ref": index}. */
  shared: MiniSchema[];
  kinds: FluxKind[];
}

export interface ApiLifecycle {
  apiVersion: string;
  kind: string;
  /** Kubernetes minor ("1.19") the API was deprecated in. */
  deprecated?: string;
  /** Kubernetes minor the API stopped being served in. */
  removed?: string;
  replacement?: { apiVersion: string; kind: string };
  /** Extra advice when there is no direct replacement. */
  note?: string;
  /** Where the facts came from: "k8s.io/api", "openapi" or "table". */
  source: string;
}

export interface DeprecationData {
  source: string;
  /** Kubernetes API lifecycles, one per apiVersion + kind. */
  apis: ApiLifecycle[];
}
