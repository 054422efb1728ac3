#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);

// shared/manifests/object.ts
function groupOf(apiVersion) {
  const slash = apiVersion.indexOf("/");
  return slash < 0 ? "" : apiVersion.slice(0, slash);
}
function refOf(object) {
  const ref = {
    apiVersion: object.apiVersion,
    kind: object.kind,
    name: object.metadata.name
  };
  if (object.metadata.namespace) ref.namespace = object.metadata.namespace;
  return ref;
}
function refKey(ref) {
  return `${groupOf(ref.apiVersion)}/${ref.kind}/${ref.namespace ?? ""}/${ref.name}`;
}
function describeRef(ref) {
  return ref.namespace ? `${ref.kind}/${ref.namespace}/${ref.name}` : `${ref.kind}/${ref.name}`;
}
function describeSource(source) {
  return source.line === void 0 ? source.file : `${source.file}:${source.line}`;
}

export {
  groupOf,
  refOf,
  refKey,
  describeRef,
  describeSource
};
