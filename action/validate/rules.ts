// The server-side rules over one rendered object (shared/validate/rules): what the API
// server's validation and a CRD's x-kubernetes-validations (from the paths, --crds, or
// the bundled Flux CRDs) would refuse although the schema accepts it. Takes the parsed object, returns messages with JSON pointers; the
// run places them like schema messages.
import { fluxCelData, fluxData } from "../../shared/validate/data.ts";
import { checkCelRules, hasCelRules } from "../../shared/validate/rules/cel.ts";
import { checkServerRules } from "../../shared/validate/rules/index.ts";
import type { CrdSchemas } from "../../shared/validate/schema.ts";
import type { PendingMessage } from "./schema.ts";

export interface ServerRulesCheck {
  messages: PendingMessage[];
  /** Rules that could not be evaluated offline, for stderr. */
  notes: string[];
}

let fluxKinds: Set<string> | undefined;

function isFluxKind(apiVersion: string, kind: string): boolean {
  fluxKinds ??= new Set(fluxData().kinds.map((k) => `${k.apiVersion}/${k.kind}`));
  return fluxKinds.has(`${apiVersion}/${kind}`);
}

const withRules = new WeakMap<object, boolean>();

export function checkServerSide(
  object: Record<string, unknown>,
  crdSchemas: CrdSchemas,
): ServerRulesCheck {
  const key = `${String(object.apiVersion)}/${String(object.kind)}`;
  // A CRD given in the paths or --crds wins over the bundled Flux rules, as for schemas.
  const crd = crdSchemas.get(key) ?? fluxCelData().kinds[key];
  const findings = checkServerRules(object, {
    isCustomResource: (apiVersion, kind) =>
      crdSchemas.has(`${apiVersion}/${kind}`) || isFluxKind(apiVersion, kind),
  });
  const notes: string[] = [];
  if (crd) {
    let has = withRules.get(crd);
    if (has === undefined) {
      has = hasCelRules(crd);
      withRules.set(crd, has);
    }
    if (has) {
      const name = (object.metadata as { name?: unknown } | undefined)?.name;
      const cel = checkCelRules(object, crd, `${String(object.kind)}/${String(name)}`);
      findings.push(...cel.findings);
      notes.push(...cel.notes);
    }
  }
  return {
    messages: findings.map((f) => ({
      severity: f.severity,
      // The report's sources are a fixed list (schema, deprecation, policy, render): these
      // are schema findings in the wide sense, told apart by their rule ids.
      source: "schema",
      rule: f.rule,
      message: f.message,
      pointer: f.pointer,
      ...(f.path ? { field: f.path } : {}),
    })),
    notes,
  };
}
