// The private keys that unwrap a SOPS data key, as Flux reads them from a decryption
// Secret: entries ending in `.agekey` hold age identities (one `AGE-SECRET-KEY-…` per
// line, `#` comments allowed), entries ending in `.asc` hold armored OpenPGP private
// keys. Keys stay in memory; nothing here logs or writes them.
//
// age and OpenPGP are loaded only when a file needs them (measured on Node 24:
// age-encryption adds about 21 MiB of RSS, openpgp about 8 MiB), so an agent that
// decrypts nothing stays within its idle budget.
import { SopsError, type SopsMetadata } from "./format.ts";

export interface SopsKeys {
  /** age identities (`AGE-SECRET-KEY-1…`). */
  age: string[];
  /** Armored OpenPGP private keys (one armor block may hold several keys). */
  pgp: string[];
}

export const AGE_KEY_SUFFIX = ".agekey";
export const PGP_KEY_SUFFIX = ".asc";

/** Keys from a Secret's entries (names and decoded values), by Flux's file suffixes. */
export function keysFromEntries(entries: Iterable<[string, string]>): SopsKeys {
  const keys: SopsKeys = { age: [], pgp: [] };
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

/**
 * The file's data key, unwrapped with the first key that opens one of its recipients
 * (age first, then OpenPGP, sops' own order). Throws SopsError naming the recipients.
 */
export async function unwrapDataKey(meta: SopsMetadata, keys: SopsKeys): Promise<Uint8Array> {
  for (const wrapped of meta.keys.filter((k) => k.type === "age")) {
    if (keys.age.length === 0) break;
    const age = await import("age-encryption");
    const decrypter = new age.Decrypter();
    for (const identity of keys.age) decrypter.addIdentity(identity);
    try {
      const key = await decrypter.decrypt(age.armor.decode(wrapped.enc), "uint8array");
      if (key.length === 32) return key;
    } catch {
      // Not one of ours: try the next recipient.
    }
  }
  for (const wrapped of meta.keys.filter((k) => k.type === "pgp")) {
    if (keys.pgp.length === 0) break;
    const openpgp = await import("openpgp");
    try {
      const decryptionKeys = (
        await Promise.all(keys.pgp.map((armoredKeys) => openpgp.readPrivateKeys({ armoredKeys })))
      ).flat();
      const message = await openpgp.readMessage({ armoredMessage: wrapped.enc });
      const { data } = await openpgp.decrypt({ message, decryptionKeys, format: "binary" });
      const key = data as Uint8Array;
      if (key.length === 32) return key;
    } catch {
      // Not one of ours: try the next recipient.
    }
  }
  const recipients = [
    ...meta.keys.map((k) => `${k.type} ${k.recipient}`),
    ...meta.otherKeyKinds.map((k) => `${k} (not supported)`),
  ];
  const have = `${keys.age.length} age and ${keys.pgp.length} OpenPGP key(s)`;
  throw new SopsError(
    `no decryption key opens the data key (recipients: ${recipients.join(", ") || "none"}; have ${have})`,
  );
}
