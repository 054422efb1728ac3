// postBuild variable substitution as kustomize-controller does it: `${var}` in each
// object's YAML is replaced after the build, with bash-like forms `${var:=default}`,
// `${var:-default}`, `${var:position}`, `${var:position:length}` and
// `${var/from/to}`; `$var` (no braces) is left alone and `$${var}` writes `${var}`.
// Undefined variables without a default become empty (Flux's default, non-strict).
// Objects labelled or annotated `kustomize.toolkit.fluxcd.io/substitute: disabled`
// are left as they are.
//
// Values may come from Secrets (substituteFrom) and the objects may have been decrypted
// (SOPS), so a substituted object that no longer parses is reported by the place and
// the names of the variables, never with its text.
import { stringify } from "yaml";
import { describeRef, type KubeObject, refOf } from "../../shared/manifests/object.ts";
import {
  describeSecretYamlError,
  parseSecretYaml,
  type SecretYamlError,
} from "../../shared/util/secret-yaml.ts";
import { SUBSTITUTE_ANNOTATION } from "./kinds.ts";

const NAME = /^[_a-zA-Z][_a-zA-Z0-9]*/;

export class SubstituteError extends Error {}

/** What a postBuild variable's name must be, as kustomize-controller checks it. */
const VARIABLE_NAME = /^[_a-zA-Z][_a-zA-Z0-9]*$/;

/**
 * A name that is not a shell name (`app.name`, from a ConfigMap key) fails the build,
 * as in Flux: checked for each object that is substituted, so a Kustomization whose
 * objects all opt out builds.
 */
function checkNames(vars: Readonly<Record<string, string>>): void {
  for (const name of Object.keys(vars))
    if (!VARIABLE_NAME.test(name))
      throw new SubstituteError(
        `'${name}' var name is invalid, must match '^[_[:alpha:]][_[:alpha:][:digit:]]*$'`,
      );
}

function expand(expr: string, vars: Readonly<Record<string, string>>): string {
  const name = NAME.exec(expr)?.[0];
  // Neither message quotes the expression: it may be in decrypted (SOPS) data.
  if (!name)
    throw new SubstituteError("invalid variable expression: `${` is not followed by a name");
  const rest = expr.slice(name.length);
  // `vars` has no prototype (postBuildVariables): `constructor` is a variable like any other.
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
  throw new SubstituteError(
    `unsupported variable expression for ${name} (served: \${${name}}, :=, :-, =, -, /from/to, :offset:length)`,
  );
}

/** A variable substituted into a text: its name, and where its value is in the result. */
interface Substituted {
  name: string;
  start: number;
  end: number;
}

/** Substitutes variables in a text, noting where each value went. */
function substituteTracked(
  text: string,
  vars: Readonly<Record<string, string>>,
): { text: string; substituted: Substituted[] } {
  const substituted: Substituted[] = [];
  let shift = 0; // how much longer the result is than the text, up to the current match
  const out = text.replace(
    /\$\$\{|\$\{([^}]*)\}/g,
    (match: string, expr: string | undefined, offset: number) => {
      const value = expr === undefined ? "${" : expand(expr, vars);
      if (expr !== undefined) {
        const start = offset + shift;
        // expand has checked that the expression starts with a name.
        substituted.push({ name: NAME.exec(expr)?.[0] ?? "", start, end: start + value.length });
      }
      shift += value.length - match.length;
      return value;
    },
  );
  return { text: out, substituted };
}

/** Substitutes variables in a text. */
export function substituteText(text: string, vars: Readonly<Record<string, string>>): string {
  return substituteTracked(text, vars).text;
}

/**
 * Why a substituted object does not parse, without its text: the error's kind and
 * place (the library's message can quote the line, values included), and the names of
 * the variables substituted on that line, else of all those substituted in the object.
 */
function brokenBySubstitution(
  object: KubeObject,
  error: SecretYamlError,
  substituted: readonly Substituted[],
): string {
  const { line } = error;
  // A value spans lines when it holds line breaks: it counts on each of them.
  const onLine = substituted.filter(
    (s) => error.lineOf(s.start) <= line && line <= error.lineOf(s.end),
  );
  const names = (list: readonly Substituted[]) => [...new Set(list.map((s) => s.name))].join(", ");
  const which =
    onLine.length > 0
      ? `substituted on that line: ${names(onLine)}`
      : `substituted in the object: ${names(substituted)}`;
  return `${describeRef(refOf(object))}: no longer parses as YAML after postBuild substitution (${describeSecretYamlError(error)} of the object as substituted; ${which})`;
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
  checkNames(vars);
  const text = stringify(object, { lineWidth: 0 });
  if (!text.includes("${")) return object;
  const { text: out, substituted } = substituteTracked(text, vars);
  const read = parseSecretYaml(out, { version: "1.1" });
  if (read.error) throw new SubstituteError(brokenBySubstitution(object, read.error, substituted));
  return read.value as KubeObject;
}
