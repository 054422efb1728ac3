// postBuild variable substitution as kustomize-controller does it: `${var}` in each
// object's YAML is replaced after the build, with bash-like forms `${var:=default}`,
// `${var:-default}`, `${var:position}`, `${var:position:length}` and
// `${var/from/to}`; `$var` (no braces) is left alone and `$${var}` writes `${var}`.
// Undefined variables without a default become empty (Flux's default, non-strict).
// Objects labelled or annotated `kustomize.toolkit.fluxcd.io/substitute: disabled`
// are left as they are.
import { parse, stringify } from "yaml";
import type { KubeObject } from "../../shared/manifests/object.ts";
import { SUBSTITUTE_ANNOTATION } from "./kinds.ts";

const NAME = /^[_a-zA-Z][_a-zA-Z0-9]*/;

export class SubstituteError extends Error {}

function expand(expr: string, vars: Readonly<Record<string, string>>): string {
  const name = NAME.exec(expr)?.[0];
  if (!name) throw new SubstituteError(`invalid variable expression \${${expr}}`);
  const rest = expr.slice(name.length);
  const value = vars[name];
  if (rest === "") return value ?? "";
  if (rest.startsWith(":=") || rest.startsWith(":-")) return value ? value : rest.slice(2);
  if (rest.startsWith("=") || rest.startsWith("-")) return value ?? rest.slice(1);
  if (rest.startsWith("/")) {
    const [from = "", to = ""] = rest.slice(1).split("/");
    return (value ?? "").replace(from, to);
  }
  const slice = /^:(-?\d+)(?::(\d+))?$/.exec(rest);
  if (slice) {
    const text = value ?? "";
    const start = Number(slice[1]);
    const from = start < 0 ? Math.max(0, text.length + start) : start;
    return slice[2] === undefined ? text.slice(from) : text.slice(from, from + Number(slice[2]));
  }
  throw new SubstituteError(`unsupported variable expression \${${expr}}`);
}

/** Substitutes variables in a text. */
export function substituteText(text: string, vars: Readonly<Record<string, string>>): string {
  return text.replace(/\$\$\{|\$\{([^}]*)\}/g, (_match, expr: string | undefined) =>
    expr === undefined ? "${" : expand(expr, vars),
  );
}

export function substitutionDisabled(object: KubeObject): boolean {
  const flag = (v: string | undefined) => v?.toLowerCase() === "disabled";
  return (
    flag(object.metadata.annotations?.[SUBSTITUTE_ANNOTATION]) ||
    flag(object.metadata.labels?.[SUBSTITUTE_ANNOTATION])
  );
}

/** The object with its variables substituted, read back from the substituted YAML. */
export function substituteObject(
  object: KubeObject,
  vars: Readonly<Record<string, string>>,
): KubeObject {
  if (substitutionDisabled(object)) return object;
  const text = stringify(object, { lineWidth: 0 });
  if (!text.includes("${")) return object;
  return parse(substituteText(text, vars), { version: "1.1" }) as KubeObject;
}
