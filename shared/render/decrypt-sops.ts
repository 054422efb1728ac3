// The decryption itself (see decrypt.ts): loaded only when a render has encrypted objects.
import { readdir, readFile, stat } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { describeSource, type KubeObject, type Manifest } from "../manifests/object.ts";
import { decoded, encryptedFormatOf, hasSopsData, isSopsEncrypted } from "../sops/detect.ts";
import { decryptFile, parseEncrypted } from "../sops/files.ts";
import {
  decryptObject,
  decryptTree,
  decryptValue,
  parseEncryptedFile,
  readMetadata,
  SopsError,
  type SopsMetadata,
  shouldBeEncrypted,
} from "../sops/format.ts";
import { type SopsKeys, unwrapDataKey } from "../sops/keys.ts";
import { confine } from "../util/confine.ts";
import { type DecryptResult, decryptedKey, decryptError as error } from "./decrypt.ts";

/** Encrypted files larger than this are refused (Flux's limit too). */
const MAX_ENCRYPTED_FILE = 5 << 20;
const MANIFEST_FILE = /\.(ya?ml|json|env|ini)$/i;

/** A verified file: its metadata and unwrapped data key. */
interface Opened {
  file: string;
  meta: SopsMetadata;
  key: Uint8Array;
}

/** Decrypts the objects of `manifests` with `keys` into `result`. */
export async function decryptWithKeys(
  manifests: Manifest[],
  root: string,
  keys: SopsKeys,
  result: DecryptResult,
): Promise<DecryptResult> {
  const files = new FileFinder(root);
  // One verification per encryption (a multi-document file shares one MAC).
  const opened = new Map<string, Promise<Opened>>();
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
    let meta: SopsMetadata;
    try {
      meta = readMetadata(m.object.sops);
    } catch (e) {
      result.errors.push(error(m, (e as Error).message));
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

/** The Secret with its data decrypted: whole files by their key's format, dotenv values by key. */
async function decryptSecretData(
  m: Manifest,
  files: FileFinder,
  keys: SopsKeys,
): Promise<KubeObject> {
  const data = { ...(m.object.data as Record<string, string>) };
  const mac = data.sops_mac === undefined ? undefined : decoded(data.sops_mac);
  for (const [name, value] of Object.entries(data)) {
    if (name.startsWith("sops_") && mac !== undefined) continue;
    const text = decoded(value);
    if (!encryptedFormatOf(text)) continue;
    try {
      const clear = await decryptFile(text, name, (meta) => unwrapDataKey(meta, keys));
      data[name] = Buffer.from(clear, "utf8").toString("base64");
    } catch (e) {
      if (!(e instanceof SopsError)) throw e;
      // The file it came from, found by its sealed MAC, is where it can be fixed.
      const sealed = /(?:^|[\s"_])mac"?\s*[:=]\s*"?(ENC\[[^\]]+\])/m.exec(text)?.[1];
      const file = sealed ? await files.holding(m.source.file, sealed) : undefined;
      throw new SopsError(`${file ? `${file.name}, ` : ""}Secret key '${name}': ${e.message}`);
    }
  }
  if (mac !== undefined) {
    // An env file spread over the keys: its MAC is checked on the file it came from.
    const file = await files.holding(m.source.file, mac);
    if (!file)
      throw new SopsError(
        "its keys come from a dotenv file encrypted by sops that is not in the repository (sops_mac matches no file)",
      );
    let meta: SopsMetadata;
    let key: Uint8Array;
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

const ENCRYPTED_VALUE = /^ENC\[AES256_GCM,data:/;

/** Finds the object's file, unwraps the data key and checks the file's MAC. */
async function openFile(
  files: FileFinder,
  m: Manifest,
  meta: SopsMetadata,
  keys: SopsKeys,
): Promise<Opened> {
  const file = await files.holding(m.source.file, meta.mac);
  if (!file) {
    // Produced, not read from a file here (a generator): its own tree must hold the MAC.
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
    // The message names the file that holds the encryption, where it can be fixed.
    throw new SopsError(file.name === m.source.file ? e.message : `${file.name}: ${e.message}`);
  }
}

/**
 * Reads files of the checkout to find the one an encrypted object came from: first
 * the file the render names, else any manifest file holding the object's sealed MAC.
 * Every path is confined to the checkout (symlinks resolved).
 */
class FileFinder {
  private all: string[] | undefined;
  private readonly root: string;
  constructor(root: string) {
    this.root = root;
  }

  async holding(named: string, mac: string): Promise<{ name: string; text: string } | undefined> {
    const first = await this.read(named);
    if (first?.includes(mac)) return { name: named, text: first };
    this.all ??= await this.list(this.root);
    for (const name of this.all) {
      if (name === named) continue;
      const text = await this.read(name);
      if (text?.includes(mac)) return { name, text };
    }
    return undefined;
  }

  private async read(name: string): Promise<string | undefined> {
    try {
      const path = await confine(this.root, name);
      const info = await stat(path);
      if (!info.isFile() || info.size > MAX_ENCRYPTED_FILE) return undefined;
      return await readFile(path, "utf8");
    } catch {
      return undefined;
    }
  }

  /** Manifest files below the root, hidden folders (.git) left out. */
  private async list(dir: string): Promise<string[]> {
    const out: string[] = [];
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      // Hidden folders (.git) are left out; a `.env…` file is a usual dotenv name.
      if (entry.name.startsWith(".") && !(entry.isFile() && entry.name.startsWith(".env")))
        continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) out.push(...(await this.list(path)));
      else if (entry.isFile() && (MANIFEST_FILE.test(entry.name) || entry.name.startsWith(".env")))
        out.push(relative(this.root, path).split(sep).join("/"));
    }
    return out;
  }
}
