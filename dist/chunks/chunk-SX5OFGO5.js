#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);

// agent/flux/depends.ts
async function dependencyVerdict(self, dep, object, builtinReady) {
  if (!object)
    return {
      reason: "DependencyNotReady",
      message: `unable to get '${dep.key}' dependency: not found`
    };
  if (!dep.readyExpr) {
    return builtinReady ? void 0 : { reason: "DependencyNotReady", message: `dependency '${dep.key}' is not ready` };
  }
  const { readyExprVerdict } = await import("./health-exprs-4P3SMBXU.js");
  let verdict;
  try {
    verdict = readyExprVerdict(dep.readyExpr, self, object);
  } catch (error) {
    return {
      reason: "InvalidCELExpression",
      message: `readyExpr of dependency '${dep.key}' does not compile: ${error.message}`,
      stalled: true
    };
  }
  if (verdict.ready) return void 0;
  return {
    reason: "DependencyNotReady",
    message: verdict.error ? `dependency '${dep.key}' is not ready: readyExpr: ${verdict.error}` : `dependency '${dep.key}' is not ready according to readyExpr eval`
  };
}

export {
  dependencyVerdict
};
