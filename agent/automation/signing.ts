// Commit signing for ImageUpdateAutomation `spec.git.commit.signingKey`, as Flux does
// it: the ASCII-armored OpenPGP private key in the Secret's `git.asc`, unlocked with its
// optional `passphrase`. The signature is made with openpgp.js (no gpg binary, no
// keyring on disk) over the commit object git wrote, and put in its `gpgsig` header,
// where `git verify-commit` looks for it.

/** Signs a commit's payload; returns an ASCII-armored detached signature. */
export type Signer = (payload: string) => Promise<string>;

/** A signer for the armored private key; throws when the key cannot be read or unlocked. */
export async function openpgpSigner(armoredKey: string, passphrase?: string): Promise<Signer> {
  // Loaded only by an automation that signs (openpgp costs memory an agent should not pay).
  const openpgp = await import("openpgp");
  let key = await openpgp.readPrivateKey({ armoredKey });
  if (!key.isDecrypted()) {
    if (passphrase === undefined) throw new Error("the key is locked and no passphrase is given");
    key = await openpgp.decryptKey({ privateKey: key, passphrase });
  }
  const signingKey = key;
  return async (payload) => {
    // Binary, as git signs: the signature covers the commit's exact bytes.
    const message = await openpgp.createMessage({ binary: new TextEncoder().encode(payload) });
    return openpgp.sign({ message, signingKeys: signingKey, detached: true });
  };
}

/**
 * The commit object with `signature` in a `gpgsig` header, where git puts it: after the
 * other headers, each line after the first indented by one space.
 */
export function withSignature(commit: string, signature: string): string {
  const end = commit.indexOf("\n\n");
  if (end < 0) throw new Error("not a commit object: no end of headers");
  const lines = signature.replace(/\n+$/, "").split("\n");
  const header = `gpgsig ${lines.join("\n ")}\n`;
  return `${commit.slice(0, end + 1)}${header}${commit.slice(end + 1)}`;
}
