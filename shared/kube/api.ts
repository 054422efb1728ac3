// The Kubernetes operations the reconcile steps need, and nothing more. KubeClient
// implements them over HTTP; a step that takes a KubeApi runs in-process in a test
// against the local environment, or against anything else that answers these five.
import type { KubeObject, ObjectRef } from "../manifests/object.ts";

export interface ApiResource {
  name: string;
  kind: string;
  namespaced: boolean;
  verbs: string[];
}

export interface ApplyOptions {
  fieldManager: string;
  force?: boolean;
  dryRun?: boolean;
}

/**
 * Set on an apply's answer (non-enumerable: invisible to JSON and to comparisons) when
 * that apply created the object (HTTP 201), so a first apply needs no read before it.
 */
export const CREATED_BY_APPLY: unique symbol = Symbol("tether.createdByApply");

/** True or false when the client said whether the apply created the object, else undefined. */
export function createdByApply(answer: KubeObject): boolean | undefined {
  return (answer as { [CREATED_BY_APPLY]?: boolean })[CREATED_BY_APPLY];
}

export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
  /**
   * Each item's metadata only (the server answers a PartialObjectMetadataList), for a
   * caller that reads names, labels and annotations: the rest is neither sent nor parsed.
   */
  metadataOnly?: boolean;
}

export interface KubeApi {
  /** The live object, or undefined when there is none (an unknown kind is an error). */
  get(ref: ObjectRef): Promise<KubeObject | undefined>;
  /** Every object of a kind, with apiVersion and kind filled in on each item. */
  list(apiVersion: string, kind: string, options?: ListOptions): Promise<KubeObject[]>;
  /** Server-side apply with strict field validation; answers what the server stored. */
  apply(object: KubeObject, options: ApplyOptions): Promise<KubeObject>;
  /** Deletes an object; answers false when it was already gone. */
  delete(ref: ObjectRef, propagationPolicy?: "Background" | "Foreground"): Promise<boolean>;
  /** The served resource of a kind (its plural name and scope), undefined when not served. */
  resourceFor(apiVersion: string, kind: string): Promise<ApiResource | undefined>;
}
