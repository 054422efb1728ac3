// The SOPS file format, as the `sops` binary writes it, for YAML and JSON documents:
// every value it encrypts is `ENC[AES256_GCM,data:…,iv:…,tag:…,type:…]`, sealed with
// one 32-byte data key under AES-256-GCM with the value's path (`a:b:c:`) as
// additional data; the data key itself is wrapped for each recipient (age, OpenPGP…)
// in the `sops` mapping; `sops.mac` is a SHA-512 over every value of the file, in
// document order, sealed the same way with `lastmodified` as additional data. Checking
// that MAC is what keeps a value from being removed, reordered or replaced by another
// file's ciphertext without the owner of the key noticing.
//
// Pure functions over parsed trees: reading keys, files and Secrets is the caller's.
import { createDecipheriv, createHash } from "node:crypto";
import { isMap, isScalar, isSeq, parseAllDocuments } from "yaml";
import { compileGoRegexp } from "../tagpolicy/goregexp.ts";

/** A problem with an encrypted document; its message never holds a decrypted value. */
export class SopsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SopsError";
  }
}

/** A wrapped copy of the data key, for one recipient. */
export interface WrappedKey {
  type: "age" | "pgp";
  /** The armored age file or OpenPGP message holding the data key. */
  enc: string;
  /** age recipient or OpenPGP fingerprint, for messages. */
  recipient: string;
}

export interface SopsMetadata {
  keys: WrappedKey[];
  /** Recipients of kinds this agent cannot unwrap (KMS, Vault...), for messages. */
  otherKeyKinds: string[];
  lastModified: string;
  mac: string;
  unencryptedSuffix?: string | undefined;
  encryptedSuffix?: string | undefined;
  unencryptedRegex?: string | undefined;
  encryptedRegex?: string | undefined;
  /** The comment-regex modes decide per comment; values are then judged by their form. */
  byComments: boolean;
  macOnlyEncrypted: boolean;
}

/** A leaf as SOPS types it: a string, an integer (exact), a float, a boolean. */
export type Leaf = string | bigint | number | boolean;
/** A document as an ordered tree: mappings keep their key order (the MAC depends on it). */
export type Node = Leaf | null | Node[] | Map<string, Node>;

const ENCRYPTED = /^ENC\[AES256_GCM,data:(.+),iv:(.+),tag:(.+),type:(.+)\]/;
const KEY_KINDS = ["kms", "gcp_kms", "azure_kv", "hc_vault", "hckms"];

const text = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

function wrappedKeys(group: Record<string, unknown>): WrappedKey[] {
  const list = (v: unknown) => (Array.isArray(v) ? (v as Record<string, unknown>[]) : []);
  return [
    ...list(group.age).map((k) => ({
      type: "age" as const,
      enc: text(k.enc) ?? "",
      recipient: text(k.recipient) ?? "",
    })),
    ...list(group.pgp).map((k) => ({
      type: "pgp" as const,
      enc: text(k.enc) ?? "",
      recipient: text(k.fp) ?? "",
    })),
  ].filter((k) => k.enc !== "");
}

/** Reads the `sops` mapping of a document (a plain object, as parsed). */
export function readMetadata(raw: unknown): SopsMetadata {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw))
    throw new SopsError("the sops entry is not a mapping");
  const m = raw as Record<string, unknown>;
  const mac = text(m.mac);
  const lastModified = text(m.lastmodified);
  if (!mac || !lastModified) throw new SopsError("the sops entry has no mac or lastmodified");
  const groups = Array.isArray(m.key_groups) ? (m.key_groups as Record<string, unknown>[]) : [];
  // Shamir secret sharing splits the key over several groups: not supported here.
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
    macOnlyEncrypted: m.mac_only_encrypted === true,
  };
}

/**
 * Whether the value at `path` was encrypted, by the rules the file was written with
 * (sops' shouldBeEncrypted: suffixes and Go regular expressions on any key of the path).
 */
export function shouldBeEncrypted(
  meta: SopsMetadata,
  path: readonly string[],
  value: Node,
): boolean {
  // With comment rules the decision needs the comments; a value then says it itself.
  if (meta.byComments) return typeof value === "string" && ENCRYPTED.test(value);
  let encrypted = true;
  if (meta.unencryptedSuffix && path.some((p) => p.endsWith(meta.unencryptedSuffix as string)))
    encrypted = false;
  if (meta.encryptedSuffix)
    encrypted = path.some((p) => p.endsWith(meta.encryptedSuffix as string));
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

/** Decrypts one `ENC[...]` value with the data key; `path` is its additional data. */
export function decryptValue(value: string, key: Uint8Array, additionalData: string): Leaf | null {
  if (value === "") return "";
  const m = ENCRYPTED.exec(value);
  if (!m) throw new SopsError("a value is not in sops' encrypted format");
  const [data, iv, tag] = [m[1], m[2], m[3]].map((b) => Buffer.from(b as string, "base64"));
  let plain: Buffer;
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, iv as Buffer);
    decipher.setAAD(Buffer.from(additionalData, "utf8"));
    decipher.setAuthTag(tag as Buffer);
    plain = Buffer.concat([decipher.update(data as Buffer), decipher.final()]);
  } catch {
    // Wrong key, altered ciphertext, or a value moved to another path.
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

/** Go's strconv.FormatFloat(f, 'f', -1, 64): shortest digits, never an exponent. */
export function goFloat(n: number): string {
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
  const body =
    point <= 0
      ? `0.${"0".repeat(-point)}${digits}`
      : point >= digits.length
        ? digits + "0".repeat(point - digits.length)
        : `${digits.slice(0, point)}.${digits.slice(point)}`;
  return (negative ? "-" : "") + body;
}

/** The bytes a value adds to the MAC (sops' ToBytes). */
function macBytes(v: Leaf): string {
  if (typeof v === "boolean") return v ? "True" : "False";
  if (typeof v === "number") return goFloat(v);
  return String(v);
}

/**
 * Decrypts a whole file's documents (sops' Tree.Decrypt) and checks its MAC; returns
 * the documents with their values in clear. Throws SopsError on any mismatch.
 */
export function decryptTree(docs: Node[], meta: SopsMetadata, key: Uint8Array): Node[] {
  const hash = createHash("sha512");
  // sops starts the hash with a fixed sequence when only encrypted values count, so
  // the two modes never produce the same MAC.
  if (meta.macOnlyEncrypted) hash.update(MAC_ONLY_ENCRYPTED_INIT);
  const walk = (node: Node, path: string[]): Node => {
    if (node === null) return null;
    if (Array.isArray(node)) return node.map((n) => walk(n, path));
    if (node instanceof Map) {
      const out = new Map<string, Node>();
      for (const [k, v] of node) out.set(k, walk(v, [...path, k]));
      return out;
    }
    const encrypted = shouldBeEncrypted(meta, path, node);
    let value: Leaf | null = node;
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
  let stored: Leaf | null;
  try {
    stored = decryptValue(meta.mac, key, meta.lastModified);
  } catch {
    throw new SopsError("the MAC does not decrypt with the file's data key");
  }
  if (stored !== computed)
    throw new SopsError("MAC mismatch: the file was changed after it was encrypted");
  return out;
}

const MAC_ONLY_ENCRYPTED_INIT = Buffer.from([
  0x8a, 0x3f, 0xd2, 0xad, 0x54, 0xce, 0x66, 0x52, 0x7b, 0x10, 0x34, 0xf3, 0xd1, 0x47, 0xbe, 0x0b,
  0x0b, 0x97, 0x5b, 0x3b, 0xf4, 0x4f, 0x72, 0xc6, 0xfd, 0xad, 0xec, 0x81, 0x76, 0xf2, 0x7d, 0x69,
]);

/**
 * A YAML or JSON file's documents as SOPS sees them (yaml.v3 / encoding/json decoding:
 * integers exact, timestamps stay strings), its metadata (from the first document, as
 * sops reads it), and each document without its `sops` entry.
 */
export function parseEncryptedFile(content: string): { docs: Node[]; meta: SopsMetadata } {
  const parsed = parseAllDocuments(content, { intAsBigInt: true, uniqueKeys: true });
  if (!Array.isArray(parsed)) throw new SopsError("not a YAML or JSON document");
  const docs: Node[] = [];
  let meta: SopsMetadata | undefined;
  for (const [i, doc] of parsed.entries()) {
    if (doc.errors.length > 0)
      throw new SopsError(`not valid YAML: ${doc.errors[0]?.message.split("\n")[0]}`);
    if (!isMap(doc.contents)) {
      if (doc.contents === null) continue;
      throw new SopsError("a document is not a mapping");
    }
    const node = toNode(doc.contents) as Map<string, Node>;
    const sops = doc.get("sops");
    if (sops !== undefined && i === 0) meta = readMetadata(doc.toJS({ maxAliasCount: 100 }).sops);
    node.delete("sops");
    docs.push(node);
  }
  if (!meta) throw new SopsError("no sops metadata in the first document");
  return { docs, meta };
}

function toNode(value: unknown): Node {
  if (isMap(value)) {
    const out = new Map<string, Node>();
    for (const pair of value.items) {
      const key = isScalar(pair.key) ? pair.key.value : pair.key;
      out.set(String(key), toNode(pair.value));
    }
    return out;
  }
  if (isSeq(value)) return value.items.map(toNode);
  if (isScalar(value)) return toNode(value.value);
  if (value === null || value === undefined) return null;
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean")
    return value;
  if (typeof value === "bigint") return value;
  // Binary and other tagged scalars: as their text.
  return String(value);
}

/**
 * Decrypts the values of one object as rendered (plain JavaScript, possibly changed
 * by kustomize after the file was verified): every value on an encrypted path that is
 * in sops' form is replaced by its clear value; the `sops` entry is removed. The MAC
 * is checked on the file instead (decryptTree), where it still holds.
 */
export function decryptObject<T extends Record<string, unknown>>(
  object: T,
  meta: SopsMetadata,
  key: Uint8Array,
): T {
  const walk = (value: unknown, path: string[]): unknown => {
    if (Array.isArray(value)) return value.map((v) => walk(v, path));
    if (typeof value === "object" && value !== null) {
      const out: Record<string, unknown> = {};
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
  return walk(object, []) as T;
}

const COMMENT = Symbol("comment");
