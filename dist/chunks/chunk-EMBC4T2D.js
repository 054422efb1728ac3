#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  refKey,
  refOf
} from "./chunk-Z62KHOJY.js";
import {
  ManifestError
} from "./chunk-K4EN55PN.js";

// shared/sops/detect.ts
function isSopsEncrypted(object) {
  if (typeof object !== "object" || object === null) return false;
  const sops = object.sops;
  return typeof sops === "object" && sops !== null && "mac" in sops;
}
function encryptedFormatOf(text) {
  if (text.includes("sops_mac=ENC[")) return "dotenv";
  if (/^\[sops\]\s*$/m.test(text) && /^mac\s*=\s*ENC\[/m.test(text)) return "ini";
  if (/"mac": "ENC\[/.test(text)) return "json";
  if (/^\s*mac: ENC\[/m.test(text)) return "yaml";
  return void 0;
}
var decoded = (value) => typeof value === "string" ? Buffer.from(value, "base64").toString("utf8") : "";
function hasSopsData(object) {
  if (object.kind !== "Secret" || !object.data || typeof object.data !== "object") return false;
  const data = object.data;
  return "sops_mac" in data || Object.values(data).some((v) => encryptedFormatOf(decoded(v)));
}

// shared/render/decrypt.ts
async function decryptManifests(manifests, root, keys) {
  const result = { manifests: [], errors: [], decrypted: /* @__PURE__ */ new Set() };
  const encrypted = manifests.filter((m) => isSopsEncrypted(m.object) || hasSopsData(m.object));
  if (encrypted.length === 0) return { ...result, manifests };
  if (!keys) {
    for (const m of encrypted) {
      result.errors.push(
        decryptError(
          m,
          "is encrypted with SOPS; configure decryption (a Secret with the keys) to apply it"
        )
      );
    }
    return result;
  }
  const { decryptWithKeys } = await import("./decrypt-sops-DMVBAJRW.js");
  return decryptWithKeys(manifests, root, keys, result);
}
function decryptedKey(object) {
  const { namespace: _, ...ref } = refOf(object);
  return refKey(ref);
}
function decryptError(m, message) {
  return new ManifestError(m.source.file, m.source.line, message);
}

export {
  isSopsEncrypted,
  encryptedFormatOf,
  decoded,
  hasSopsData,
  decryptManifests,
  decryptedKey,
  decryptError
};
