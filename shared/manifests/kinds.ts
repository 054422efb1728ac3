// Kind checks, written once. A kind is only ever the kind of its API group: a custom
// resource called `Namespace` in some other group is not a Namespace.
import { groupOf } from "./object.ts";

type Typed = { apiVersion: string; kind: string };

export function isCrd(o: Typed): boolean {
  return groupOf(o.apiVersion) === "apiextensions.k8s.io" && o.kind === "CustomResourceDefinition";
}

export function isNamespace(o: Typed): boolean {
  return o.apiVersion === "v1" && o.kind === "Namespace";
}
