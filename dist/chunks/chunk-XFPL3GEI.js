#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  compileGoRegexp
} from "./chunk-BWGGLMG3.js";
import {
  require_dist
} from "./chunk-HPGUIRHG.js";
import {
  __toESM
} from "./chunk-3IQPLNQJ.js";

// shared/sops/format.ts
var import_yaml = __toESM(require_dist(), 1);
const { createDecipheriv, createHash } = require("node:crypto");
var SopsError = class extends Error {
  constructor(message) {
    super(message);
    this.name = "SopsError";
  }
};
var ENCRYPTED = /^ENC\[AES256_GCM,data:(.+),iv:(.+),tag:(.+),type:(.+)\]/;
var KEY_KINDS = ["kms", "gcp_kms", "azure_kv", "hc_vault", "hckms"];
var text = (v) => typeof v === "string" ? v : void 0;
function wrappedKeys(group) {
  const list = (v) => Array.isArray(v) ? v : [];
  return [
    ...list(group.age).map((k) => ({
      type: "age",
      enc: text(k.enc) ?? "",
      recipient: text(k.recipient) ?? ""
    })),
    ...list(group.pgp).map((k) => ({
      type: "pgp",
      enc: text(k.enc) ?? "",
      recipient: text(k.fp) ?? ""
    }))
  ].filter((k) => k.enc !== "");
}
function readMetadata(raw) {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw))
    throw new SopsError("the sops entry is not a mapping");
  const m = raw;
  const mac = text(m.mac);
  const lastModified = text(m.lastmodified);
  if (!mac || !lastModified) throw new SopsError("the sops entry has no mac or lastmodified");
  const groups = Array.isArray(m.key_groups) ? m.key_groups : [];
  if (groups.length > 1)
    throw new SopsError("key groups (Shamir secret sharing) are not supported; use one group");
  const top = groups[0] ?? m;
  return {
    keys: wrappedKeys(top),
    otherKeyKinds: KEY_KINDS.filter((k) => Array.isArray(top[k]) && top[k].length > 0),
    lastModified,
    mac,
    unencryptedSuffix: text(m.unencrypted_suffix),
    encryptedSuffix: text(m.encrypted_suffix),
    unencryptedRegex: text(m.unencrypted_regex),
    encryptedRegex: text(m.encrypted_regex),
    byComments: Boolean(m.unencrypted_comment_regex || m.encrypted_comment_regex),
    macOnlyEncrypted: m.mac_only_encrypted === true
  };
}
function shouldBeEncrypted(meta, path, value) {
  if (meta.byComments) return typeof value === "string" && ENCRYPTED.test(value);
  let encrypted = true;
  if (meta.unencryptedSuffix && path.some((p) => p.endsWith(meta.unencryptedSuffix)))
    encrypted = false;
  if (meta.encryptedSuffix)
    encrypted = path.some((p) => p.endsWith(meta.encryptedSuffix));
  if (meta.unencryptedRegex) {
    const re = compileGoRegexp(meta.unencryptedRegex);
    if (path.some((p) => re.test(p))) encrypted = false;
  }
  if (meta.encryptedRegex) {
    const re = compileGoRegexp(meta.encryptedRegex);
    encrypted = path.some((p) => re.test(p));
  }
  return encrypted;
}
function decryptValue(value, key, additionalData) {
  if (value === "") return "";
  const m = ENCRYPTED.exec(value);
  if (!m) throw new SopsError("a value is not in sops' encrypted format");
  const [data, iv, tag] = [m[1], m[2], m[3]].map((b) => Buffer.from(b, "base64"));
  let plain;
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, iv);
    decipher.setAAD(Buffer.from(additionalData, "utf8"));
    decipher.setAuthTag(tag);
    plain = Buffer.concat([decipher.update(data), decipher.final()]);
  } catch {
    throw new SopsError("a value does not decrypt with the file's data key (altered or moved)");
  }
  const s = plain.toString("utf8");
  switch (m[4]) {
    case "str":
    case "bytes":
      return s;
    case "int":
    case "int64":
      return BigInt(s);
    case "float":
      return Number(s);
    case "bool":
      return /^(1|t|T|TRUE|true|True)$/.test(s);
    case "comment":
      return null;
    default:
      throw new SopsError(`a value has an unknown sops type '${m[4]}'`);
  }
}
function goFloat(n) {
  if (Number.isNaN(n)) return "NaN";
  if (n === Number.POSITIVE_INFINITY) return "+Inf";
  if (n === Number.NEGATIVE_INFINITY) return "-Inf";
  if (Object.is(n, -0)) return "-0";
  const s = String(n);
  const e = s.indexOf("e");
  if (e < 0) return s;
  const negative = s.startsWith("-");
  const mantissa = s.slice(negative ? 1 : 0, e);
  const [whole = "", fraction = ""] = mantissa.split(".");
  const digits = whole + fraction;
  const point = whole.length + Number(s.slice(e + 1));
  const body = point <= 0 ? `0.${"0".repeat(-point)}${digits}` : point >= digits.length ? digits + "0".repeat(point - digits.length) : `${digits.slice(0, point)}.${digits.slice(point)}`;
  return (negative ? "-" : "") + body;
}
function macBytes(v) {
  if (typeof v === "boolean") return v ? "True" : "False";
  if (typeof v === "number") return goFloat(v);
  return String(v);
}
function decryptTree(docs, meta, key) {
  const hash = createHash("sha512");
  if (meta.macOnlyEncrypted) hash.update(MAC_ONLY_ENCRYPTED_INIT);
  const walk = (node, path) => {
    if (node === null) return null;
    if (Array.isArray(node)) return node.map((n) => walk(n, path));
    if (node instanceof Map) {
      const out2 = /* @__PURE__ */ new Map();
      for (const [k, v] of node) out2.set(k, walk(v, [...path, k]));
      return out2;
    }
    const encrypted = shouldBeEncrypted(meta, path, node);
    let value = node;
    if (encrypted) {
      if (typeof node !== "string")
        throw new SopsError(`${path.join(".")}: expected an encrypted value`);
      value = decryptValue(node, key, `${path.join(":")}:`);
    }
    if (value !== null && (!meta.macOnlyEncrypted || encrypted)) hash.update(macBytes(value));
    return value;
  };
  const out = docs.map((d) => walk(d, []));
  const computed = hash.digest("hex").toUpperCase();
  let stored;
  try {
    stored = decryptValue(meta.mac, key, meta.lastModified);
  } catch {
    throw new SopsError("the MAC does not decrypt with the file's data key");
  }
  if (stored !== computed)
    throw new SopsError("MAC mismatch: the file was changed after it was encrypted");
  return out;
}
var MAC_ONLY_ENCRYPTED_INIT = Buffer.from([
  138,
  63,
  210,
  173,
  84,
  206,
  102,
  82,
  123,
  16,
  52,
  243,
  209,
  71,
  190,
  11,
  11,
  151,
  91,
  59,
  244,
  79,
  114,
  198,
  253,
  173,
  236,
  129,
  118,
  242,
  125,
  105
]);
function parseEncryptedFile(content) {
  const parsed = (0, import_yaml.parseAllDocuments)(content, { intAsBigInt: true, uniqueKeys: true });
  if (!Array.isArray(parsed)) throw new SopsError("not a YAML or JSON document");
  const docs = [];
  let meta;
  for (const [i, doc] of parsed.entries()) {
    if (doc.errors.length > 0)
      throw new SopsError(`not valid YAML: ${doc.errors[0]?.message.split("\n")[0]}`);
    if (!(0, import_yaml.isMap)(doc.contents)) {
      if (doc.contents === null) continue;
      throw new SopsError("a document is not a mapping");
    }
    const node = toNode(doc.contents);
    const sops = doc.get("sops");
    if (sops !== void 0 && i === 0) meta = readMetadata(doc.toJS({ maxAliasCount: 100 }).sops);
    node.delete("sops");
    docs.push(node);
  }
  if (!meta) throw new SopsError("no sops metadata in the first document");
  return { docs, meta };
}
function toNode(value) {
  if ((0, import_yaml.isMap)(value)) {
    const out = /* @__PURE__ */ new Map();
    for (const pair of value.items) {
      const key = (0, import_yaml.isScalar)(pair.key) ? pair.key.value : pair.key;
      out.set(String(key), toNode(pair.value));
    }
    return out;
  }
  if ((0, import_yaml.isSeq)(value)) return value.items.map(toNode);
  if ((0, import_yaml.isScalar)(value)) return toNode(value.value);
  if (value === null || value === void 0) return null;
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean")
    return value;
  if (typeof value === "bigint") return value;
  return String(value);
}
function decryptObject(object, meta, key) {
  const walk = (value, path) => {
    if (Array.isArray(value)) return value.map((v) => walk(v, path));
    if (typeof value === "object" && value !== null) {
      const out = {};
      for (const [k, v] of Object.entries(value)) {
        if (path.length === 0 && k === "sops") continue;
        const next = walk(v, [...path, k]);
        if (next !== COMMENT) out[k] = next;
      }
      return out;
    }
    if (typeof value !== "string" || !ENCRYPTED.test(value)) return value;
    if (!shouldBeEncrypted(meta, path, value)) return value;
    const clear = decryptValue(value, key, `${path.join(":")}:`);
    if (clear === null) return COMMENT;
    return typeof clear === "bigint" ? Number(clear) : clear;
  };
  return walk(object, []);
}
var COMMENT = /* @__PURE__ */ Symbol("comment");

// shared/sops/keys.ts
var AGE_KEY_SUFFIX = ".agekey";
var PGP_KEY_SUFFIX = ".asc";
function keysFromEntries(entries) {
  const keys = { age: [], pgp: [] };
  for (const [name, value] of entries) {
    if (name.endsWith(AGE_KEY_SUFFIX)) {
      for (const line of value.split(/\r?\n/)) {
        const trimmed = line.trim();
        if (trimmed && !trimmed.startsWith("#")) keys.age.push(trimmed);
      }
    } else if (name.endsWith(PGP_KEY_SUFFIX)) {
      keys.pgp.push(value);
    }
  }
  return keys;
}
async function unwrapDataKey(meta, keys) {
  for (const wrapped of meta.keys.filter((k) => k.type === "age")) {
    if (keys.age.length === 0) break;
    const age = await import("./dist-QQGEVSZV.js");
    const decrypter = new age.Decrypter();
    for (const identity of keys.age) decrypter.addIdentity(identity);
    try {
      const key = await decrypter.decrypt(age.armor.decode(wrapped.enc), "uint8array");
      if (key.length === 32) return key;
    } catch {
    }
  }
  for (const wrapped of meta.keys.filter((k) => k.type === "pgp")) {
    if (keys.pgp.length === 0) break;
    const openpgp = await import("./openpgp-ODX6BB4O.js");
    try {
      const decryptionKeys = (await Promise.all(keys.pgp.map((armoredKeys) => openpgp.readPrivateKeys({ armoredKeys })))).flat();
      const message = await openpgp.readMessage({ armoredMessage: wrapped.enc });
      const { data } = await openpgp.decrypt({ message, decryptionKeys, format: "binary" });
      const key = data;
      if (key.length === 32) return key;
    } catch {
    }
  }
  const recipients = [
    ...meta.keys.map((k) => `${k.type} ${k.recipient}`),
    ...meta.otherKeyKinds.map((k) => `${k} (not supported)`)
  ];
  const have = `${keys.age.length} age and ${keys.pgp.length} OpenPGP key(s)`;
  throw new SopsError(
    `no decryption key opens the data key (recipients: ${recipients.join(", ") || "none"}; have ${have})`
  );
}

export {
  SopsError,
  readMetadata,
  shouldBeEncrypted,
  decryptValue,
  decryptTree,
  parseEncryptedFile,
  decryptObject,
  AGE_KEY_SUFFIX,
  PGP_KEY_SUFFIX,
  keysFromEntries,
  unwrapDataKey
};
