// Flux's `healthCheckExprs`: CEL expressions that say when a custom resource of one
// apiVersion + kind is healthy. As kustomize-controller evaluates them: the object's
// top-level fields are the variables (`status.conditions.filter(...)`), `inProgress`
// first, then `failed`, then `current`; the first that is true decides, and when none
// is the object is still in progress. Other kinds keep the built-in assessment.
// And `dependsOn[].readyExpr`: whether a dependency lets its dependent proceed, with
// `self` (the dependent) and `dep` (the dependency) as the variables.
// Uses @bufbuild/cel, already the engine of CRD validation rules (shared/validate).
import { celEnv, isCelError, parse, plan } from "@bufbuild/cel";
import type { KubeObject } from "../../shared/manifests/object.ts";
import { assessHealth, type Health } from "../health.ts";

export interface HealthCheckExpr {
  apiVersion: string;
  kind: string;
  current: string;
  inProgress?: string;
  failed?: string;
}

type Program = (bindings: Record<string, unknown>) => unknown;
type Expr = ReturnType<typeof parse>["expr"];

/**
 * Compiles `expression`; throws when it does not parse or, given `variables`, names
 * another one (Flux declares its variables, so a typo fails when it compiles).
 */
function compile(expression: string, variables?: readonly string[]): Program {
  const parsed = parse(expression);
  if (variables) {
    const unknown = freeVariables(parsed.expr).filter((v) => !variables.includes(v));
    if (unknown.length > 0)
      throw new Error(`undeclared reference to '${unknown.join("', '")}' in '${expression}'`);
  }
  const run = plan(celEnv(), parsed);
  return (bindings) => run(bindings as never);
}

/** The variables an expression reads, less those its comprehensions (macros) bind. */
function freeVariables(expr: Expr | undefined, bound: ReadonlySet<string> = new Set()): string[] {
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
        ...(entry.keyKind.case === "mapKey" ? freeVariables(entry.keyKind.value, bound) : []),
        ...freeVariables(entry.value, bound),
      ]);
    case "comprehensionExpr": {
      const c = kind.value;
      const inner = new Set([...bound, c.iterVar, c.iterVar2, c.accuVar].filter(Boolean));
      return [
        ...freeVariables(c.iterRange, bound),
        ...freeVariables(c.accuInit, bound),
        ...[c.loopCondition, c.loopStep, c.result].flatMap((e) => freeVariables(e, inner)),
      ];
    }
    default:
      return [];
  }
}

const errorText = (result: unknown) => String((result as { message?: string }).message ?? result);

const readyExprs = new Map<string, Program>();

/**
 * Flux's `dependsOn[].readyExpr` for `self` depending on `dep`: ready when it is true;
 * false, or an error while evaluating it (a field not there yet), is not ready.
 * Throws when the expression does not compile.
 */
export function readyExprVerdict(
  expression: string,
  self: KubeObject,
  dep: KubeObject,
): { ready: boolean; error?: string } {
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

/** An assessment that applies `exprs` to their kinds; throws on an expression that does not parse. */
export function exprAssessment(exprs: readonly HealthCheckExpr[]): (object: KubeObject) => Health {
  const compiled = exprs.map((e) => ({
    e,
    inProgress: e.inProgress ? compile(e.inProgress) : undefined,
    failed: e.failed ? compile(e.failed) : undefined,
    current: compile(e.current),
  }));
  return (object) => {
    const match = compiled.find(
      (c) => c.e.apiVersion === object.apiVersion && c.e.kind === object.kind,
    );
    if (!match) return assessHealth(object);
    const bindings = { ...object } as Record<string, unknown>;
    const test = (program: Program | undefined, text: string | undefined): boolean => {
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
      // An expression that cannot be evaluated (a field missing) keeps waiting, as in Flux.
      return { state: "progressing", message: (error as Error).message };
    }
    return { state: "progressing", message: "no expression is true yet" };
  };
}
