#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  groupOf
} from "./chunk-Z62KHOJY.js";

// shared/manifests/kinds.ts
function isCrd(o) {
  return groupOf(o.apiVersion) === "apiextensions.k8s.io" && o.kind === "CustomResourceDefinition";
}
function isNamespace(o) {
  return o.apiVersion === "v1" && o.kind === "Namespace";
}

export {
  isCrd,
  isNamespace
};
