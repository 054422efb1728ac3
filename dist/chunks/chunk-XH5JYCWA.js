#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);

// shared/kube/api.ts
var CREATED_BY_APPLY = /* @__PURE__ */ Symbol("tether.createdByApply");
function createdByApply(answer) {
  return answer[CREATED_BY_APPLY];
}

export {
  CREATED_BY_APPLY,
  createdByApply
};
