// The values a release is made with: each valuesFrom entry in order (ConfigMap or
// Secret, a key, optionally placed at a targetPath as `--set` would, see strvals.ts),
// then spec.values over them, as helm-controller merges them. The merge and the digest are pure; reading the
// referenced objects is the one I/O function at the bottom.
import { createHash } from "node:crypto";
import { isMap, mergeValues, type Values } from "../../shared/charts/values-files.ts";
import { describeSecretYamlError, parseSecretYaml } from "../../shared/util/secret-yaml.ts";
import type { ValuesReference } from "./spec.ts";
import { SetSyntaxError, setAtTargetPath } from "./strvals.ts";

/** The data of a referenced ConfigMap or Secret (decoded), undefined when it does not exist. */
export type ReadValuesSource = (
  kind: "ConfigMap" | "Secret",
  namespace: string,
  name: string,
) => Promise<Record<string, string> | undefined>;

export class ValuesError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ValuesError";
  }
}

/** Merges valuesFrom (in order) then the inline values; throws ValuesError. */
export async function composeValues(
  refs: readonly ValuesReference[],
  specValues: Values,
  namespace: string,
  read: ReadValuesSource,
): Promise<Values> {
  // A targetPath value may be written into these (below): a copy, as Flux reads
  // spec.values afresh for every reconciliation.
  const inline = structuredClone(specValues);
  let result: Values = {};
  for (const ref of refs) {
    const data = await read(ref.kind, namespace, ref.name);
    const text = data?.[ref.valuesKey];
    if (text === undefined) {
      if (ref.optional) continue;
      throw new ValuesError(
        data === undefined
          ? `could not find ${ref.kind} '${namespace}/${ref.name}'`
          : `missing key '${ref.valuesKey}' in ${ref.kind} '${namespace}/${ref.name}'`,
      );
    }
    if (ref.targetPath) {
      // helm-controller's order: spec.values merged in first, then the text set in place
      // as `--set` would. The merge shares, not copies, the maps and lists only
      // spec.values had: a value set inside one lands in spec.values too and so outlasts
      // the final merge below (Flux's "targetPath takes precedence"). A map both sides
      // had is a new copy, so there, and for a top-level key, spec.values keeps the last
      // word: Flux's behaviour too, kept so a HelmRelease gets the values it gets there.
      result = mergeValues(result, inline);
      try {
        setAtTargetPath(result, ref.targetPath, text);
      } catch (error) {
        if (!(error instanceof SetSyntaxError)) throw error;
        throw new ValuesError(
          `key '${ref.valuesKey}' in ${ref.kind} '${namespace}/${ref.name}' cannot be set at targetPath '${ref.targetPath}': ${error.message}`,
        );
      }
      continue;
    }
    // Told by place only, never quoted: a Secret's values must not reach the status or
    // the logs (a ConfigMap's are told the same way: one rule).
    const yaml = parseSecretYaml(text);
    if (yaml.error) {
      throw new ValuesError(
        `key '${ref.valuesKey}' in ${ref.kind} '${namespace}/${ref.name}' is not YAML: ${describeSecretYamlError(yaml.error)}`,
      );
    }
    const parsed = yaml.value;
    if (parsed !== null && parsed !== undefined && !isMap(parsed))
      throw new ValuesError(
        `key '${ref.valuesKey}' in ${ref.kind} '${namespace}/${ref.name}' is not a map of values`,
      );
    result = mergeValues(result, (parsed as Values | null) ?? {});
  }
  return mergeValues(result, inline);
}

/** Canonical JSON (sorted keys): equal values give equal digests whatever the key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (isMap(value)) {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** The digest of merged values (Flux's configDigest): what "the values changed" means. */
export function valuesDigest(values: Values): string {
  return `sha256:${createHash("sha256").update(canonical(values)).digest("hex")}`;
}
