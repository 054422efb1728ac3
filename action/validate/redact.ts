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

/**
 * redactMessage for many messages against one list of secrets. A large repository has
 * thousands of Secret values; each message is checked only against those whose first
 * three characters occur in it, and takes the full pass only when one of them is there.
 */
export function messageRedactor(secrets: readonly string[]): (message: string) => string {
  const byHead = new Map<string, string[]>();
  const short: string[] = [];
  for (const secret of secrets) {
    if (secret.length < 3) {
      short.push(secret);
      continue;
    }
    const head = secret.slice(0, 3);
    const list = byHead.get(head);
    if (list) list.push(secret);
    else byHead.set(head, [secret]);
  }
  return (message) => {
    for (let i = 0; i + 3 <= message.length; i++) {
      const list = byHead.get(message.slice(i, i + 3));
      if (list?.some((secret) => message.includes(secret))) return redactMessage(message, secrets);
    }
    // No secret of three characters or more is in it: only the quoted short ones remain.
    return short.length === 0 ? message : redactMessage(message, short);
  };
}
