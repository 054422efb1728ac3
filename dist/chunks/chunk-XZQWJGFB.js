#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  stageOf
} from "./chunk-BSED5ANB.js";
import {
  ensureNamespace
} from "./chunk-Q254XXVV.js";
import {
  ManifestError,
  confine
} from "./chunk-KR7SIQNM.js";
import {
  compileGoRegexp
} from "./chunk-PDAHEYPR.js";
import {
  require_dist
} from "./chunk-A7TTBAJE.js";
import {
  PART_OF_LABEL,
  isFluxObject
} from "./chunk-I5OBHQMC.js";
import {
  describeSource,
  refKey,
  refOf
} from "./chunk-Z62KHOJY.js";
import {
  __toESM
} from "./chunk-3IQPLNQJ.js";

// shared/sops/format.ts
var import_yaml = __toESM(require_dist(), 1);
import { createDecipheriv, createHash } from "node:crypto";
var SopsError = class extends Error {
  constructor(message) {
    super(message);
    this.name = "SopsError";
  }
};
var ENCRYPTED = /^ENC\[AES256_GCM,data:(.+),iv:(.+),tag:(.+),type:(.+)\]/;
var KEY_KINDS = ["kms", "gcp_kms", "azure_kv", "hc_vault", "hckms"];
function isSopsEncrypted(object) {
  if (typeof object !== "object" || object === null) return false;
  const sops = object.sops;
  return typeof sops === "object" && sops !== null && "mac" in sops;
}
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
  let plain2;
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, iv);
    decipher.setAAD(Buffer.from(additionalData, "utf8"));
    decipher.setAuthTag(tag);
    plain2 = Buffer.concat([decipher.update(data), decipher.final()]);
  } catch {
    throw new SopsError("a value does not decrypt with the file's data key (altered or moved)");
  }
  const s = plain2.toString("utf8");
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

// agent/decrypt.ts
async function loadDecryptionKeys(client, namespace, spec) {
  if (!spec) return void 0;
  if (spec.provider !== "sops")
    throw new Error(`decryption provider '${spec.provider ?? ""}' is not supported (use sops)`);
  const name = spec.secretRef?.name;
  if (!name) return { age: [], pgp: [] };
  const secret = await client.get({ apiVersion: "v1", kind: "Secret", namespace, name });
  if (!secret) throw new Error(`decryption Secret '${namespace}/${name}' not found`);
  const data = secret.data ?? {};
  return keysFromEntries(
    Object.entries(data).map(([key, value]) => [
      key,
      Buffer.from(value, "base64").toString("utf8")
    ])
  );
}

// agent/flux/bootstrap.ts
var FLUX_CONTROLLERS = ["source-controller", "kustomize-controller", "helm-controller"];
var HANDOVER_STEPS = [
  "Flux's controllers are running in this cluster; Tether will not reconcile Flux objects beside them.",
  "To hand over (objects, CRDs, inventories and the flux-system namespace stay in place):",
  "  1. kubectl -n flux-system scale deployment --all --replicas=0",
  "  2. run Tether again on the same repository path; it takes over each Kustomization's inventory",
  "  (do not `flux suspend` first: Tether honours spec.suspend too)"
].join("\n");
async function runningFluxControllers(client) {
  const deployments = await client.list("apps/v1", "Deployment", { labelSelector: `${PART_OF_LABEL}=flux` }).catch(() => []);
  return deployments.filter((d) => FLUX_CONTROLLERS.includes(d.metadata.name)).filter((d) => (d.spec?.replicas ?? 1) > 0).map((d) => `${d.metadata.namespace}/${d.metadata.name}`);
}
function isFluxComponent(m) {
  return m.object.metadata.labels?.[PART_OF_LABEL] === "flux" && stageOf(m.object) === 2;
}
async function serveFluxKinds(client, manifests, dryRun) {
  if (!manifests.some((m) => isFluxObject(m.object)))
    return { manifests: [...manifests], notes: [] };
  const { ensureFluxCrds, servedApiVersion } = await import("./crds-RWGWP5B2.js");
  const converted = manifests.map((m) => {
    if (!isFluxObject(m.object)) return m;
    const apiVersion = servedApiVersion(m.object.apiVersion, m.object.kind);
    return apiVersion === m.object.apiVersion ? m : { ...m, object: { ...m.object, apiVersion } };
  });
  if (dryRun) return { manifests: converted, notes: [] };
  const created = await ensureFluxCrds(
    client,
    converted.map((m) => m.object)
  );
  return {
    manifests: converted,
    notes: created.length > 0 ? [`installed CRDs: ${created.join(", ")}`] : []
  };
}
async function prepareFluxRender(client, manifests, dryRun) {
  const prepared = { manifests: [...manifests], errors: [], notes: [] };
  if (!manifests.some((m) => isFluxObject(m.object))) return prepared;
  const running = await runningFluxControllers(client);
  if (running.length > 0) {
    prepared.errors.push(`refused: ${running.join(", ")} running.
${HANDOVER_STEPS}`);
    return prepared;
  }
  const components = manifests.filter(isFluxComponent);
  if (components.length > 0) {
    prepared.manifests = manifests.filter((m) => !isFluxComponent(m));
    prepared.notes.push(
      `${components[0]?.source.file}: applied only the CRDs and namespace of Flux's components; skipped ${components.length} controller object(s), Tether reconciles Flux objects itself`
    );
  }
  const served = await serveFluxKinds(client, prepared.manifests, dryRun);
  prepared.manifests = served.manifests;
  prepared.notes.push(...served.notes);
  if (dryRun) return prepared;
  const declared = new Set(
    prepared.manifests.filter((m) => stageOf(m.object) === 1).map((m) => m.object.metadata.name)
  );
  const needed = new Set(
    prepared.manifests.filter((m) => isFluxObject(m.object) && m.object.metadata.namespace).map((m) => m.object.metadata.namespace)
  );
  for (const ns of needed) if (!declared.has(ns)) await ensureNamespace(client, ns);
  return prepared;
}

// shared/render/decrypt.ts
import { readdir, readFile, stat } from "node:fs/promises";
import { join, relative, sep } from "node:path";

// shared/sops/files.ts
var import_yaml2 = __toESM(require_dist(), 1);
function formatForName(name) {
  if (/\.env$/i.test(name)) return "dotenv";
  if (/\.ini$/i.test(name)) return "ini";
  if (/\.ya?ml$/i.test(name)) return "yaml";
  if (/\.json$/i.test(name) || name.endsWith(".dockerconfigjson")) return "json";
  return "binary";
}
function encryptedFormatOf(text2) {
  if (text2.includes("sops_mac=ENC[")) return "dotenv";
  if (/^\[sops\]\s*$/m.test(text2) && /^mac\s*=\s*ENC\[/m.test(text2)) return "ini";
  if (/"mac": "ENC\[/.test(text2)) return "json";
  if (/^\s*mac: ENC\[/m.test(text2)) return "yaml";
  return void 0;
}
function unflatten(flat) {
  const root = {};
  for (const [key, raw] of flat) {
    const value = raw === "true" ? true : raw === "false" ? false : raw.replaceAll("\\n", "\n");
    const [first = "", ...rest] = key.split(/(?=__list_\d+|__map_)/);
    const path = [first];
    for (const part of rest) {
      const list = /^__list_(\d+)$/.exec(part);
      path.push(list ? Number(list[1]) : part.slice("__map_".length));
    }
    let at = root;
    for (const [i, step] of path.entries()) {
      if (i === path.length - 1) {
        at[step] = value;
        break;
      }
      const next = path[i + 1];
      at[step] ??= typeof next === "number" ? [] : {};
      at = at[step];
    }
  }
  return root;
}
function parseDotenv(text2) {
  const tree = /* @__PURE__ */ new Map();
  const meta = /* @__PURE__ */ new Map();
  for (const line of text2.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const at = line.indexOf("=");
    if (at < 0) throw new SopsError("a dotenv line has no '='");
    const key = line.slice(0, at);
    const value = line.slice(at + 1);
    if (key.startsWith("sops_")) meta.set(key.slice("sops_".length), value);
    else tree.set(key, value.replaceAll("\\n", "\n"));
  }
  return { tree, meta };
}
function parseIni(text2) {
  const tree = /* @__PURE__ */ new Map();
  const meta = /* @__PURE__ */ new Map();
  let section;
  for (const raw of text2.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith(";") || line.startsWith("#")) continue;
    const header = /^\[(.*)\]$/.exec(line);
    if (header) {
      const name = header[1];
      if (name === "sops") section = meta;
      else {
        section = /* @__PURE__ */ new Map();
        tree.set(name, section);
      }
      continue;
    }
    const at = line.indexOf("=");
    if (at < 0) throw new SopsError("an INI line has no '='");
    if (!section) {
      section = /* @__PURE__ */ new Map();
      tree.set("DEFAULT", section);
    }
    section.set(line.slice(0, at).trim(), line.slice(at + 1).trim());
  }
  return { tree, meta };
}
function parseEncrypted(text2, format) {
  if (format === "yaml" || format === "json" || format === "binary")
    return parseEncryptedFile(text2);
  const { tree, meta } = format === "dotenv" ? parseDotenv(text2) : parseIni(text2);
  if (!meta.has("mac")) throw new SopsError(`no sops metadata in the ${format} file`);
  return { docs: [tree], meta: readMetadata(unflatten(meta)) };
}
var plain = (node) => node === null || node === void 0 ? "" : String(node);
function emit(docs, format) {
  const tree = docs[0] instanceof Map ? docs[0] : /* @__PURE__ */ new Map();
  switch (format) {
    case "dotenv":
      return [...tree].map(([k, v]) => `${k}=${plain(v).replaceAll("\n", "\\n")}
`).join("");
    case "ini":
      return [...tree].map(([name, section]) => {
        const entries = section instanceof Map ? [...section] : [];
        return `[${name}]
${entries.map(([k, v]) => `${k} = ${plain(v)}
`).join("")}`;
      }).join("\n");
    case "binary":
      if (typeof tree.get("data") === "string") return plain(tree.get("data"));
      return `${JSON.stringify(toJs(tree), null, "	")}
`;
    case "json":
      return `${JSON.stringify(toJs(tree), null, "	")}
`;
    case "yaml":
      return docs.map((d) => (0, import_yaml2.stringify)(toJs(d))).join("---\n");
  }
}
function toJs(node) {
  if (node instanceof Map) return Object.fromEntries([...node].map(([k, v]) => [k, toJs(v)]));
  if (Array.isArray(node)) return node.map(toJs);
  return typeof node === "bigint" ? Number(node) : node;
}
function decryptFile(text2, outputName, key) {
  const input = encryptedFormatOf(text2);
  if (!input) throw new SopsError("not a file encrypted by sops");
  const { docs, meta } = parseEncrypted(text2, input);
  return key(meta).then(
    (dataKey) => emit(decryptTree(docs, meta, dataKey), formatForName(outputName))
  );
}

// shared/render/decrypt.ts
var MAX_ENCRYPTED_FILE = 5 << 20;
var MANIFEST_FILE = /\.(ya?ml|json|env|ini)$/i;
async function decryptManifests(manifests, root, keys) {
  const result = { manifests: [], errors: [], decrypted: /* @__PURE__ */ new Set() };
  const encrypted = manifests.filter((m) => isSopsEncrypted(m.object) || hasSopsData(m.object));
  if (encrypted.length === 0) return { ...result, manifests };
  if (!keys) {
    for (const m of encrypted) {
      result.errors.push(
        error(
          m,
          "is encrypted with SOPS; configure decryption (a Secret with the keys) to apply it"
        )
      );
    }
    return result;
  }
  const files = new FileFinder(root);
  const opened = /* @__PURE__ */ new Map();
  for (const m of manifests) {
    if (hasSopsData(m.object) && !isSopsEncrypted(m.object)) {
      try {
        const object = await decryptSecretData(m, files, keys);
        result.manifests.push({ ...m, object });
        result.decrypted.add(decryptedKey(object));
      } catch (e) {
        if (!(e instanceof SopsError)) throw e;
        result.errors.push(error(m, e.message));
      }
      continue;
    }
    if (!isSopsEncrypted(m.object)) {
      result.manifests.push(m);
      continue;
    }
    let meta;
    try {
      meta = readMetadata(m.object.sops);
    } catch (e) {
      result.errors.push(error(m, e.message));
      continue;
    }
    let open = opened.get(meta.mac);
    if (!open) {
      open = openFile(files, m, meta, keys);
      opened.set(meta.mac, open);
    }
    try {
      const { meta: fileMeta, key } = await open;
      const object = decryptObject(m.object, fileMeta, key);
      result.manifests.push({ ...m, object });
      result.decrypted.add(decryptedKey(object));
    } catch (e) {
      if (!(e instanceof SopsError)) throw e;
      result.errors.push(error(m, e.message));
    }
  }
  return result;
}
function decryptedKey(object) {
  const { namespace: _, ...ref } = refOf(object);
  return refKey(ref);
}
var decoded = (value) => typeof value === "string" ? Buffer.from(value, "base64").toString("utf8") : "";
function hasSopsData(object) {
  if (object.kind !== "Secret" || !object.data || typeof object.data !== "object") return false;
  const data = object.data;
  return "sops_mac" in data || Object.values(data).some((v) => encryptedFormatOf(decoded(v)));
}
async function decryptSecretData(m, files, keys) {
  const data = { ...m.object.data };
  const mac = data.sops_mac === void 0 ? void 0 : decoded(data.sops_mac);
  for (const [name, value] of Object.entries(data)) {
    if (name.startsWith("sops_") && mac !== void 0) continue;
    const text2 = decoded(value);
    if (!encryptedFormatOf(text2)) continue;
    try {
      const clear = await decryptFile(text2, name, (meta) => unwrapDataKey(meta, keys));
      data[name] = Buffer.from(clear, "utf8").toString("base64");
    } catch (e) {
      if (!(e instanceof SopsError)) throw e;
      const sealed = /(?:^|[\s"_])mac"?\s*[:=]\s*"?(ENC\[[^\]]+\])/m.exec(text2)?.[1];
      const file = sealed ? await files.holding(m.source.file, sealed) : void 0;
      throw new SopsError(`${file ? `${file.name}, ` : ""}Secret key '${name}': ${e.message}`);
    }
  }
  if (mac !== void 0) {
    const file = await files.holding(m.source.file, mac);
    if (!file)
      throw new SopsError(
        "its keys come from a dotenv file encrypted by sops that is not in the repository (sops_mac matches no file)"
      );
    let meta;
    let key;
    try {
      const parsed = parseEncrypted(file.text, "dotenv");
      meta = parsed.meta;
      key = await unwrapDataKey(meta, keys);
      decryptTree(parsed.docs, meta, key);
    } catch (e) {
      if (!(e instanceof SopsError)) throw e;
      throw new SopsError(`${file.name}: ${e.message}`);
    }
    for (const name of Object.keys(data)) {
      if (name.startsWith("sops_")) {
        delete data[name];
        continue;
      }
      const value = decoded(data[name]);
      if (!ENCRYPTED_VALUE.test(value) || !shouldBeEncrypted(meta, [name], value)) continue;
      const clear = decryptValue(value, key, `${name}:`);
      data[name] = Buffer.from(clear === null ? "" : String(clear), "utf8").toString("base64");
    }
  }
  return { ...m.object, data };
}
var ENCRYPTED_VALUE = /^ENC\[AES256_GCM,data:/;
function error(m, message) {
  return new ManifestError(m.source.file, m.source.line, message);
}
async function openFile(files, m, meta, keys) {
  const file = await files.holding(m.source.file, meta.mac);
  if (!file) {
    const key = await unwrapDataKey(meta, keys);
    const { docs } = parseEncryptedFile(JSON.stringify(m.object));
    decryptTree(docs, meta, key);
    return { file: describeSource(m.source), meta, key };
  }
  try {
    const { docs, meta: fileMeta } = parseEncryptedFile(file.text);
    const key = await unwrapDataKey(fileMeta, keys);
    decryptTree(docs, fileMeta, key);
    return { file: file.name, meta: fileMeta, key };
  } catch (e) {
    if (!(e instanceof SopsError)) throw e;
    throw new SopsError(file.name === m.source.file ? e.message : `${file.name}: ${e.message}`);
  }
}
var FileFinder = class {
  all;
  root;
  constructor(root) {
    this.root = root;
  }
  async holding(named, mac) {
    const first = await this.read(named);
    if (first?.includes(mac)) return { name: named, text: first };
    this.all ??= await this.list(this.root);
    for (const name of this.all) {
      if (name === named) continue;
      const text2 = await this.read(name);
      if (text2?.includes(mac)) return { name, text: text2 };
    }
    return void 0;
  }
  async read(name) {
    try {
      const path = await confine(this.root, name);
      const info = await stat(path);
      if (!info.isFile() || info.size > MAX_ENCRYPTED_FILE) return void 0;
      return await readFile(path, "utf8");
    } catch {
      return void 0;
    }
  }
  /** Manifest files below the root, hidden folders (.git) left out. */
  async list(dir) {
    const out = [];
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const entry of entries.sort((a, b) => a.name < b.name ? -1 : 1)) {
      if (entry.name.startsWith(".") && !(entry.isFile() && entry.name.startsWith(".env")))
        continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) out.push(...await this.list(path));
      else if (entry.isFile() && (MANIFEST_FILE.test(entry.name) || entry.name.startsWith(".env")))
        out.push(relative(this.root, path).split(sep).join("/"));
    }
    return out;
  }
};

export {
  loadDecryptionKeys,
  serveFluxKinds,
  prepareFluxRender,
  decryptManifests,
  decryptedKey
};
