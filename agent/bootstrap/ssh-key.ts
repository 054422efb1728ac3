// The agent's deploy key: an ed25519 key pair in OpenSSH's own formats, made with Node's
// crypto (no ssh-keygen on the machine needed, no dependency). Node generates ed25519
// keys but exports them only as PKCS#8/SPKI or JWK, and `ssh` and `git` read a private
// key only in the "openssh-key-v1" format, so that format is written here. It is small
// and fixed for an unencrypted key (PROTOCOL.key in OpenSSH's sources):
//
//   "openssh-key-v1\0"  string cipher "none"  string kdf "none"  string kdfoptions ""
//   uint32 1 (keys)     string public key blob
//   string private section: uint32 check, uint32 check (equal), string "ssh-ed25519",
//          string public (32), string seed||public (64), string comment, padding 1,2,3…
//          up to a multiple of 8
//
// A test checks the result with ssh-keygen and uses it against a real sshd.
import { generateKeyPairSync, randomBytes } from "node:crypto";

export interface SshKeyPair {
  /** The private key, "-----BEGIN OPENSSH PRIVATE KEY-----" PEM. */
  privateKey: string;
  /** One authorized_keys line: "ssh-ed25519 AAAA... comment". */
  publicKey: string;
}

const KEY_TYPE = "ssh-ed25519";

/** An SSH wire-format string: uint32 length, then the bytes. */
function sshString(data: Buffer | string): Buffer {
  const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

function uint32(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(value);
  return b;
}

/** The public key blob and the authorized_keys line of a raw 32-byte ed25519 key. */
export function publicKeyLine(publicKey: Buffer, comment: string): string {
  const blob = Buffer.concat([sshString(KEY_TYPE), sshString(publicKey)]);
  return `${KEY_TYPE} ${blob.toString("base64")}${comment ? ` ${comment}` : ""}`;
}

/** The unencrypted openssh-key-v1 PEM of an ed25519 key (`seed` and `publicKey`, 32 bytes each). */
export function opensshPrivateKey(
  seed: Buffer,
  publicKey: Buffer,
  comment: string,
  check = randomBytes(4).readUInt32BE(),
): string {
  const publicBlob = Buffer.concat([sshString(KEY_TYPE), sshString(publicKey)]);
  const unpadded = Buffer.concat([
    uint32(check),
    uint32(check),
    sshString(KEY_TYPE),
    sshString(publicKey),
    sshString(Buffer.concat([seed, publicKey])),
    sshString(comment),
  ]);
  const padLength = (8 - (unpadded.length % 8)) % 8;
  const padding = Buffer.from(Array.from({ length: padLength }, (_, i) => i + 1));
  const body = Buffer.concat([
    Buffer.from("openssh-key-v1\0", "latin1"),
    sshString("none"),
    sshString("none"),
    sshString(""),
    uint32(1),
    sshString(publicBlob),
    sshString(Buffer.concat([unpadded, padding])),
  ]);
  const lines = body.toString("base64").match(/.{1,70}/g) ?? [];
  return `-----BEGIN OPENSSH PRIVATE KEY-----\n${lines.join("\n")}\n-----END OPENSSH PRIVATE KEY-----\n`;
}

/** A new ed25519 key pair in OpenSSH formats. */
export function generateSshKey(comment: string): SshKeyPair {
  const { privateKey } = generateKeyPairSync("ed25519");
  const jwk = privateKey.export({ format: "jwk" });
  const seed = Buffer.from(jwk.d as string, "base64url");
  const pub = Buffer.from(jwk.x as string, "base64url");
  return {
    privateKey: opensshPrivateKey(seed, pub, comment),
    publicKey: publicKeyLine(pub, comment),
  };
}
