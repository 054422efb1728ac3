// What marks an object or a file as encrypted by SOPS. Checked on every pass, so apart
// from the decryption code (format.ts, files.ts and shared/render/decrypt-sops.ts), which
// loads only when something is encrypted: an agent with no secrets in its repository
// does not hold it, nor `yaml` and re2js, which it uses.

import type { KubeObject } from "../manifests/object.ts";

export type FileFormat = "dotenv" | "ini" | "yaml" | "json" | "binary";

/** Whether a parsed object carries SOPS metadata (a `sops` mapping with a MAC). */
export function isSopsEncrypted(object: unknown): boolean {
  if (typeof object !== "object" || object === null) return false;
  const sops = (object as Record<string, unknown>).sops;
  return typeof sops === "object" && sops !== null && "mac" in sops;
}

/** The format a file was encrypted in, from the marks sops leaves (Flux's marker bytes). */
export function encryptedFormatOf(text: string): FileFormat | undefined {
  if (text.includes("sops_mac=ENC[")) return "dotenv";
  if (/^\[sops\]\s*$/m.test(text) && /^mac\s*=\s*ENC\[/m.test(text)) return "ini";
  if (/"mac": "ENC\[/.test(text)) return "json";
  if (/^\s*mac: ENC\[/m.test(text)) return "yaml";
  return undefined;
}

export const decoded = (value: unknown) =>
  typeof value === "string" ? Buffer.from(value, "base64").toString("utf8") : "";

/** A Secret whose data holds files or dotenv values encrypted by sops (a generator's output). */
export function hasSopsData(object: KubeObject): boolean {
  if (object.kind !== "Secret" || !object.data || typeof object.data !== "object") return false;
  const data = object.data as Record<string, unknown>;
  return "sops_mac" in data || Object.values(data).some((v) => encryptedFormatOf(decoded(v)));
}
