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
import { type KubeObject, type Manifest, refKey, refOf } from "../manifests/object.ts";
import { ManifestError } from "../manifests/parse.ts";
import { hasSopsData, isSopsEncrypted } from "../sops/detect.ts";
import type { SopsKeys } from "../sops/keys.ts";

export interface DecryptResult {
  manifests: Manifest[];
  errors: ManifestError[];
  /**
   * Every object that was decrypted, by decryptedKey: never to be written to a disk
   * cache.
   */
  decrypted: Set<string>;
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
        decryptError(
          m,
          "is encrypted with SOPS; configure decryption (a Secret with the keys) to apply it",
        ),
      );
    }
    return result;
  }
  // The decryption code (and `yaml`, re2js) is loaded only for a render that needs it.
  const { decryptWithKeys } = await import("./decrypt-sops.ts");
  return decryptWithKeys(manifests, root, keys, result);
}

/**
 * An object's key in `decrypted`: group, kind and name, without the namespace, which
 * apply may still set (targetNamespace, default).
 */
export function decryptedKey(object: KubeObject): string {
  const { namespace: _, ...ref } = refOf(object);
  return refKey(ref);
}

export function decryptError(m: Manifest, message: string): ManifestError {
  return new ManifestError(m.source.file, m.source.line, message);
}
