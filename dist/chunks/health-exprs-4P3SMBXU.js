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
function compile(expression, variables) {
  const parsed = parse(expression);
  if (variables) {
    const unknown = freeVariables(parsed.expr).filter((v) => !variables.includes(v));
    if (unknown.length > 0)
      throw new Error(`undeclared reference to '${unknown.join("', '")}' in '${expression}'`);
  }
  const run = plan(celEnv(), parsed);
  return (bindings) => run(bindings);
}
function freeVariables(expr, bound = /* @__PURE__ */ new Set()) {
  const kind = expr?.exprKind;
  switch (kind?.case) {
    case "identExpr":
      return bound.has(kind.value.name) ? [] : [kind.value.name];
    case "selectExpr":
      return freeVariables(kind.value.operand, bound);
    case "callExpr":
      return [kind.value.target, ...kind.value.args].flatMap((e) => freeVariables(e, bound));
    case "listExpr":
      return kind.value.elements.flatMap((e) => freeVariables(e, bound));
    case "structExpr":
      return kind.value.entries.flatMap((entry) => [
        ...entry.keyKind.case === "mapKey" ? freeVariables(entry.keyKind.value, bound) : [],
        ...freeVariables(entry.value, bound)
      ]);
    case "comprehensionExpr": {
      const c = kind.value;
      const inner = new Set([...bound, c.iterVar, c.iterVar2, c.accuVar].filter(Boolean));
      return [
        ...freeVariables(c.iterRange, bound),
        ...freeVariables(c.accuInit, bound),
        ...[c.loopCondition, c.loopStep, c.result].flatMap((e) => freeVariables(e, inner))
      ];
    }
    default:
      return [];
  }
}
var errorText = (result) => String(result.message ?? result);
var readyExprs = /* @__PURE__ */ new Map();
function readyExprVerdict(expression, self, dep) {
  let program = readyExprs.get(expression);
  if (!program) {
    program = compile(expression, ["self", "dep"]);
    readyExprs.set(expression, program);
  }
  const result = program({ self, dep });
  if (isCelError(result)) return { ready: false, error: errorText(result) };
  if (typeof result !== "boolean")
    return { ready: false, error: `expected a bool result, got ${typeof result}` };
  return { ready: result };
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
      if (isCelError(result)) throw new Error(`healthCheckExprs: ${text}: ${errorText(result)}`);
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
  exprAssessment,
  readyExprVerdict
};
