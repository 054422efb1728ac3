// Flux's `healthCheckExprs`: CEL expressions that say when a custom resource of one
// apiVersion + kind is healthy. As kustomize-controller evaluates them: the object's
// top-level fields are the variables (`status.conditions.filter(...)`), `inProgress`
// first, then `failed`, then `current`; the first that is true decides, and when none
// is the object is still in progress. Other kinds keep the built-in assessment.
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

function compile(expression: string): Program {
  const run = plan(celEnv(), parse(expression));
  return (bindings) => run(bindings as never);
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
      if (isCelError(result))
        throw new Error(
          `healthCheckExprs: ${text}: ${String((result as { message?: string }).message ?? result)}`,
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
      // An expression that cannot be evaluated (a field missing) keeps waiting, as in Flux.
      return { state: "progressing", message: (error as Error).message };
    }
    return { state: "progressing", message: "no expression is true yet" };
  };
}
