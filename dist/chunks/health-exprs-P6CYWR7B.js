#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  celEnv,
  isCelError,
  parse,
  plan
} from "./chunk-IUREBSFL.js";
import {
  assessHealth
} from "./chunk-XLD4VZZ5.js";
import "./chunk-Z62KHOJY.js";
import "./chunk-3IQPLNQJ.js";

// agent/flux/health-exprs.ts
function compile(expression) {
  const run = plan(celEnv(), parse(expression));
  return (bindings) => run(bindings);
}
function exprAssessment(exprs) {
  const compiled = exprs.map((e) => ({
    e,
    inProgress: e.inProgress ? compile(e.inProgress) : void 0,
    failed: e.failed ? compile(e.failed) : void 0,
    current: compile(e.current)
  }));
  return (object) => {
    const match = compiled.find(
      (c) => c.e.apiVersion === object.apiVersion && c.e.kind === object.kind
    );
    if (!match) return assessHealth(object);
    const bindings = { ...object };
    const test = (program, text) => {
      if (!program) return false;
      const result = program(bindings);
      if (isCelError(result))
        throw new Error(
          `healthCheckExprs: ${text}: ${String(result.message ?? result)}`
        );
      return result === true;
    };
    try {
      if (test(match.inProgress, match.e.inProgress))
        return { state: "progressing", message: "inProgress expression is true" };
      if (test(match.failed, match.e.failed))
        return { state: "failed", message: "failed expression is true" };
      if (test(match.current, match.e.current))
        return { state: "healthy", message: "current expression is true" };
    } catch (error) {
      return { state: "progressing", message: error.message };
    }
    return { state: "progressing", message: "no expression is true yet" };
  };
}
export {
  exprAssessment
};
