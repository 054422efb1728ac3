#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  decoded,
  decryptError,
  decryptedKey,
  encryptedFormatOf,
  hasSopsData,
  isSopsEncrypted
} from "./chunk-EMBC4T2D.js";
import {
  confine
} from "./chunk-C4RKCN44.js";
import {
  SopsError,
  decryptObject,
  decryptTree,
  decryptValue,
  parseEncryptedFile,
  readMetadata,
  shouldBeEncrypted,
  unwrapDataKey
} from "./chunk-XFPL3GEI.js";
import "./chunk-BWGGLMG3.js";
import "./chunk-DYND6O65.js";
import "./chunk-6SSSO5LC.js";
import {
  describeSource
} from "./chunk-Z62KHOJY.js";
import "./chunk-K4EN55PN.js";
import "./chunk-OTIGXPIO.js";
import "./chunk-XRGQOWGB.js";
import {
  require_dist
} from "./chunk-HPGUIRHG.js";
import {
  __toESM
} from "./chunk-3IQPLNQJ.js";

// shared/render/decrypt-sops.ts
const { readdir, readFile, stat } = require("node:fs/promises");
const { join, relative, sep } = require("node:path");

// shared/sops/files.ts
var import_yaml = __toESM(require_dist(), 1);
function formatForName(name) {
  if (/\.env$/i.test(name)) return "dotenv";
  if (/\.ini$/i.test(name)) return "ini";
  if (/\.ya?ml$/i.test(name)) return "yaml";
  if (/\.json$/i.test(name) || name.endsWith(".dockerconfigjson")) return "json";
  return "binary";
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
function parseDotenv(text) {
  const tree = /* @__PURE__ */ new Map();
  const meta = /* @__PURE__ */ new Map();
  for (const line of text.split("\n")) {
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
function parseIni(text) {
  const tree = /* @__PURE__ */ new Map();
  const meta = /* @__PURE__ */ new Map();
  let section;
  for (const raw of text.split("\n")) {
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
function parseEncrypted(text, format) {
  if (format === "yaml" || format === "json" || format === "binary")
    return parseEncryptedFile(text);
  const { tree, meta } = format === "dotenv" ? parseDotenv(text) : parseIni(text);
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
      return docs.map((d) => (0, import_yaml.stringify)(toJs(d))).join("---\n");
  }
}
function toJs(node) {
  if (node instanceof Map) return Object.fromEntries([...node].map(([k, v]) => [k, toJs(v)]));
  if (Array.isArray(node)) return node.map(toJs);
  return typeof node === "bigint" ? Number(node) : node;
}
function decryptFile(text, outputName, key) {
  const input = encryptedFormatOf(text);
  if (!input) throw new SopsError("not a file encrypted by sops");
  const { docs, meta } = parseEncrypted(text, input);
  return key(meta).then(
    (dataKey) => emit(decryptTree(docs, meta, dataKey), formatForName(outputName))
  );
}

// shared/render/decrypt-sops.ts
var MAX_ENCRYPTED_FILE = 5 << 20;
var MANIFEST_FILE = /\.(ya?ml|json|env|ini)$/i;
async function decryptWithKeys(manifests, root, keys, result) {
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
        result.errors.push(decryptError(m, e.message));
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
      result.errors.push(decryptError(m, e.message));
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
      result.errors.push(decryptError(m, e.message));
    }
  }
  return result;
}
async function decryptSecretData(m, files, keys) {
  const data = { ...m.object.data };
  const mac = data.sops_mac === void 0 ? void 0 : decoded(data.sops_mac);
  for (const [name, value] of Object.entries(data)) {
    if (name.startsWith("sops_") && mac !== void 0) continue;
    const text = decoded(value);
    if (!encryptedFormatOf(text)) continue;
    try {
      const clear = await decryptFile(text, name, (meta) => unwrapDataKey(meta, keys));
      data[name] = Buffer.from(clear, "utf8").toString("base64");
    } catch (e) {
      if (!(e instanceof SopsError)) throw e;
      const sealed = /(?:^|[\s"_])mac"?\s*[:=]\s*"?(ENC\[[^\]]+\])/m.exec(text)?.[1];
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
      const text = await this.read(name);
      if (text?.includes(mac)) return { name, text };
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
  decryptWithKeys
};
