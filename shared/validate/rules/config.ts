// ConfigMap and Secret data. Mirrors k8s.io/kubernetes
// pkg/apis/core/validation (ValidateConfigMap, ValidateSecret). ServiceAccounts and
// Namespaces have no rules beyond their names (index.ts). A Secret's data that is not base64 fails to decode before
// validation; the server's message is Go's base64 error.
import { type Field, type Obj, objectAt, stringAt } from "./field.ts";
import { configKeyErrors } from "./syntax.ts";

/** core.MaxSecretSize, also the ConfigMap limit. */
const MAX_DATA_SIZE = 1024 * 1024;

/** Where standard base64 stops being valid, as Go's encoding/base64 reports it. */
export function base64Error(value: string): string | undefined {
  const text = value.replace(/[\r\n]/g, "");
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (/[A-Za-z0-9+/]/.test(c)) continue;
    if (c === "=" && text.length % 4 === 0 && i >= text.length - 2 && /^=+$/.test(text.slice(i)))
      break;
    return `illegal base64 data at input byte ${i}`;
  }
  if (text.length % 4 !== 0)
    return `illegal base64 data at input byte ${text.length - (text.length % 4 === 1 ? 1 : 0)}`;
  return undefined;
}

/** `as` names the map in messages: a Secret's stringData is merged into data first. */
function checkKeys(data: Obj, at: Field, base64: boolean, as = at.shown): number {
  let size = 0;
  for (const [key, value] of Object.entries(data)) {
    at.key(key).named(`${as}[${key}]`).invalidEach(key, configKeyErrors(key));
    if (typeof value !== "string") continue;
    if (base64) {
      const error = base64Error(value);
      if (error) at.key(key).invalid("(not shown)", error);
      size += Math.floor((value.replace(/[\r\n=]/g, "").length * 3) / 4);
    } else size += Buffer.byteLength(value);
  }
  return size;
}

export function checkConfigMap(object: Obj, at: Field): void {
  const data = objectAt(object.data) ?? {};
  const binary = objectAt(object.binaryData) ?? {};
  let size = checkKeys(data, at.at("data"), false);
  size += checkKeys(binary, at.at("binaryData"), true);
  for (const key of Object.keys(binary))
    if (Object.hasOwn(data, key))
      at.at("data").key(key).invalid(key, "duplicate of key present in binaryData");
  if (size > MAX_DATA_SIZE) at.at("data").tooLong(MAX_DATA_SIZE);
}

/** Keys a Secret of each built-in type must hold (in data or stringData). */
const REQUIRED_KEYS: Record<string, string[]> = {
  "kubernetes.io/dockercfg": [".dockercfg"],
  "kubernetes.io/dockerconfigjson": [".dockerconfigjson"],
  "kubernetes.io/ssh-auth": ["ssh-privatekey"],
  "kubernetes.io/tls": ["tls.crt", "tls.key"],
};

export function checkSecret(object: Obj, at: Field): void {
  const data = objectAt(object.data) ?? {};
  const stringData = objectAt(object.stringData) ?? {};
  let size = checkKeys(data, at.at("data"), true);
  size += checkKeys(stringData, at.at("stringData"), false, "data");
  if (size > MAX_DATA_SIZE) at.at("data").tooLong(MAX_DATA_SIZE);
  const keys = new Set([...Object.keys(data), ...Object.keys(stringData)]);
  const type = stringAt(object.type) ?? "Opaque";
  for (const key of REQUIRED_KEYS[type] ?? [])
    if (!keys.has(key)) at.at("data").key(key).required();
  if (type === "kubernetes.io/basic-auth" && !keys.has("username") && !keys.has("password")) {
    at.at("data").key("username").required();
    at.at("data").key("password").required();
  }
  if (type === "kubernetes.io/service-account-token") {
    const annotations = objectAt(objectAt(object.metadata)?.annotations) ?? {};
    if (!stringAt(annotations["kubernetes.io/service-account.name"]))
      at.at("metadata", "annotations").key("kubernetes.io/service-account.name").required();
  }
  if (type === "kubernetes.io/dockerconfigjson" || type === "kubernetes.io/dockercfg") {
    const key = type === "kubernetes.io/dockercfg" ? ".dockercfg" : ".dockerconfigjson";
    const raw =
      stringData[key] ??
      (typeof data[key] === "string" && !base64Error(data[key] as string)
        ? Buffer.from(data[key] as string, "base64").toString()
        : undefined);
    if (typeof raw === "string") {
      try {
        JSON.parse(raw);
      } catch (error) {
        at.at("data")
          .key(key)
          .invalid("<secret contents redacted>", (error as Error).message);
      }
    }
  }
}
