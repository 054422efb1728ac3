// The decryption step between render and apply: objects that carry SOPS metadata (a
// `sops` entry) are decrypted in memory with keys from a Secret, as Flux's
// `Kustomization.spec.decryption` does. Unlike Flux, the MAC is always checked:
// kustomize may have changed the object since it was written (namespace, labels),
// so the MAC is checked on the file the object came from, found by its sealed MAC
// (unique to each encryption), and the object's own values are then decrypted with
// that file's data key, each value still authenticated by AES-GCM with its path.
//
// A file that cannot be decrypted (no key, altered, MAC mismatch) is an error naming
// the file: the pass fails, nothing is applied or pruned. Messages never hold a value.
// Objects with SOPS metadata and no decryption configured are refused the same way
// (Flux: "configuring decryption is required").
//
// A kustomize secretGenerator reads its `envs` and `files` as they are in Git, so a
// Secret it generates from files sops encrypted carries them still encrypted: a `files`
// entry holds a whole encrypted file (dotenv, INI, YAML, JSON or binary, told apart by
// sops' marks), decrypted and written in the format its key names, as Flux does; an
// `envs` entry spreads a dotenv file over the Secret's keys (its `sops_*` keys among
// them), so that file is found in the checkout by its MAC, verified, and each value
// decrypted with its key as additional data. Both stay in memory.
import { readdir, readFile, stat } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import {
  describeSource,
  type KubeObject,
  type Manifest,
  refKey,
  refOf,
} from "../manifests/object.ts";
import { ManifestError } from "../manifests/parse.ts";
import { decryptFile, encryptedFormatOf, parseEncrypted } from "../sops/files.ts";
import {
  decryptObject,
  decryptTree,
  decryptValue,
  isSopsEncrypted,
  parseEncryptedFile,
  readMetadata,
  SopsError,
  type SopsMetadata,
  shouldBeEncrypted,
} from "../sops/format.ts";
import { type SopsKeys, unwrapDataKey } from "../sops/keys.ts";
import { confine } from "../util/confine.ts";

export interface DecryptResult {
  manifests: Manifest[];
  errors: ManifestError[];
  /**
   * Every object that was decrypted, by decryptedKey: never to be written to a disk
   * cache.
   */
  decrypted: Set<string>;
}

/** Encrypted files larger than this are refused (Flux's limit too). */
const MAX_ENCRYPTED_FILE = 5 << 20;
const MANIFEST_FILE = /\.(ya?ml|json|env|ini)$/i;

/** A verified file: its metadata and unwrapped data key. */
interface Opened {
  file: string;
  meta: SopsMetadata;
  key: Uint8Array;
}

/**
 * Decrypts every object with SOPS metadata in `manifests`. `root` is the checkout the
 * sources' file names are relative to; `keys` undefined means no decryption is
 * configured.
 */
export async function decryptManifests(
  manifests: Manifest[],
  root: string,
  keys: SopsKeys | undefined,
): Promise<DecryptResult> {
  const result: DecryptResult = { manifests: [], errors: [], decrypted: new Set() };
  const encrypted = manifests.filter((m) => isSopsEncrypted(m.object) || hasSopsData(m.object));
  if (encrypted.length === 0) return { ...result, manifests };
  if (!keys) {
    for (const m of encrypted) {
      result.errors.push(
        error(
          m,
          "is encrypted with SOPS; configure decryption (a Secret with the keys) to apply it",
        ),
      );
    }
    return result;
  }
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

/**
 * An object's key in `decrypted`: group, kind and name, without the namespace, which
 * apply may still set (targetNamespace, default).
 */
export function decryptedKey(object: KubeObject): string {
  const { namespace: _, ...ref } = refOf(object);
  return refKey(ref);
}

const decoded = (value: unknown) =>
  typeof value === "string" ? Buffer.from(value, "base64").toString("utf8") : "";

/** A Secret whose data holds files or dotenv values encrypted by sops (a generator's output). */
function hasSopsData(object: KubeObject): boolean {
  if (object.kind !== "Secret" || !object.data || typeof object.data !== "object") return false;
  const data = object.data as Record<string, unknown>;
  return "sops_mac" in data || Object.values(data).some((v) => encryptedFormatOf(decoded(v)));
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

function error(m: Manifest, message: string): ManifestError {
  return new ManifestError(m.source.file, m.source.line, message);
}

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
