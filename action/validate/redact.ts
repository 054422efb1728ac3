// Secret values must not reach annotations, summaries, comments or logs: a schema message
// quotes the value it rejects, and a policy may print whatever it read. Every value of
// every Secret rendered (data, decoded too, and stringData) is masked in every message.
import type { KubeObject } from "../../shared/manifests/object.ts";
import { redactSecrets } from "../../shared/util/redact.ts";

export function secretValues(objects: Iterable<KubeObject>): string[] {
  const values = new Set<string>();
  for (const object of objects) {
    if (object.kind !== "Secret" || object.apiVersion !== "v1") continue;
    for (const field of ["data", "stringData"] as const) {
      const map = object[field];
      if (typeof map !== "object" || map === null) continue;
      for (const raw of Object.values(map as Record<string, unknown>)) {
        if (raw === null || typeof raw === "object") continue;
        const value = String(raw);
        if (value === "") continue;
        values.add(value);
        // As messages quote it: JSON-escaped, and cut after 37 characters (shared/validate).
        const escaped = JSON.stringify(value).slice(1, -1);
        values.add(escaped);
        if (escaped.length > 37) values.add(escaped.slice(0, 37));
        if (field === "data" && typeof raw === "string") {
          const decoded = Buffer.from(value, "base64").toString("utf8");
          if (decoded !== "" && !decoded.includes("\uFFFD")) values.add(decoded);
        }
      }
    }
  }
  // Longest first, so a value that contains another is masked whole.
  return [...values].sort((a, b) => b.length - a.length);
}

/** A schema message about a value under a Secret's data shows the type, never the value. */
export function hideSecretValue(message: string): string {
  return message.replace(/\b(got (?:integer|number|string|boolean))\b.*$/s, "$1 (value hidden)");
}

/** Masks the values; short ones only where quoted, as they would match ordinary words. */
export function redactMessage(message: string, secrets: readonly string[]): string {
  let out = redactSecrets(message, secrets);
  for (const secret of secrets) {
    if (secret.length >= 3) continue;
    const quoted = JSON.stringify(secret);
    if (out.includes(quoted)) out = out.split(quoted).join('"***"');
  }
  return out;
}
