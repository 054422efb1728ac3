#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  groupOf
} from "./chunk-Z62KHOJY.js";

// agent/flux/registry.ts
var reconcilers = /* @__PURE__ */ new Map();
function registerReconciler(reconciler) {
  reconcilers.set(`${reconciler.group}/${reconciler.kind}`, reconciler);
}
function reconcilerFor(o) {
  return reconcilers.get(`${groupOf(o.apiVersion)}/${o.kind}`);
}

export {
  registerReconciler,
  reconcilerFor
};
