// Commit signing for ImageUpdateAutomation `spec.git.commit.signingKey`, as Flux does
// it. `type: gpg` (the default): the ASCII-armored OpenPGP private key in the Secret's
// `git.asc`, unlocked with its optional `passphrase`, signed with openpgp.js (no gpg
// binary, no keyring on disk). `type: ssh`: the OpenSSH private key in `identity`,
// unlocked with its optional `password`, signed as git signs with gpg.format=ssh
// (`ssh-keygen -Y sign -n git`). Either signature is made over the commit object git
// wrote and put in its `gpgsig` header, where `git verify-commit` looks for it.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decryptIdentity } from "../source/secret-credentials.ts";
import { runWithInput } from "../source/verify.ts";

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
 * A signer for an OpenSSH private key, unlocked with `password` when it has one
 * (`secret` names the Secret in errors). The key is written, decrypted, to a 0600 file
 * of a temporary folder for each signature and removed after; the password never goes
 * on a command line. The key is tried once here, so a wrong key or password refuses the
 * automation before anything is committed.
 */
export async function sshSigner(
  identity: string,
  password: string | undefined,
  secret: string,
): Promise<Signer> {
  // Keys written on Windows keep their CRs; OpenSSH reads them only without.
  const lf = identity.replaceAll("\r\n", "\n");
  const text = lf.endsWith("\n") ? lf : `${lf}\n`;
  // ssh-keygen never waits on a terminal here (-P, no tty), but is not trusted to finish.
  const keygen = (args: string[], input: string) =>
    runWithInput("ssh-keygen", args, input, undefined, 60_000);
  const sign: Signer = async (payload) => {
    const dir = await mkdtemp(join(tmpdir(), "tether-ssh-sign-"));
    const why = (stderr: string) => stderr.replaceAll(dir, "").trim().split("\n").at(-1) ?? "";
    try {
      const key = join(dir, "identity");
      if (password) await decryptIdentity(text, password, key, secret);
      else await writeFile(key, text, { mode: 0o600 });
      // Its public key beside it: ssh-keygen -Y sign reads a PEM key's from there only.
      const pub = await keygen(["-y", "-P", "", "-f", key], "");
      if (pub.code !== 0) {
        throw new Error(
          !password && /passphrase/.test(pub.stderr)
            ? "the identity is protected by a passphrase and the Secret has no password"
            : `ssh-keygen could not read the identity: ${why(pub.stderr)}`,
        );
      }
      await writeFile(`${key}.pub`, pub.stdout);
      const result = await keygen(["-Y", "sign", "-n", "git", "-f", key], payload);
      if (result.code !== 0)
        throw new Error(`ssh-keygen could not sign with the identity: ${why(result.stderr)}`);
      return result.stdout;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };
  await sign("tether: the signing key is tried before anything is committed\n");
  return sign;
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
