// Commit signature verification, as Flux's GitRepository.spec.verify does it: the
// signature of the commit about to be applied must be made by one of the trusted keys,
// or the revision is not applied and the error says why. OpenPGP signatures are
// checked with openpgp.js; SSH signatures with `ssh-keygen -Y verify` (OpenSSH's own
// verifier, namespace "git" as git writes them). Reusable by any source (the agent's
// own Git source, Flux GitRepositories).
import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { messageOf } from "../../shared/util/message.ts";

export interface TrustedKeys {
  /** ASCII-armored OpenPGP public keys (one or more per entry). */
  openpgp?: readonly string[];
  /** SSH public keys, one `type base64 [comment]` line each. */
  ssh?: readonly string[];
}

export class VerificationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "VerificationError";
  }
}

/** A commit object split into its signature (`gpgsig`) and the signed payload. */
export function splitSignedCommit(raw: string): {
  signature?: string | undefined;
  payload: string;
} {
  const end = raw.indexOf("\n\n");
  const header = end === -1 ? raw : raw.slice(0, end);
  const body = end === -1 ? "" : raw.slice(end);
  const lines = header.split("\n");
  const kept: string[] = [];
  let signature: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (!line.startsWith("gpgsig ") && !line.startsWith("gpgsig-sha256 ")) {
      kept.push(line);
      continue;
    }
    // The header's value continues on lines that start with one space.
    const value = [line.slice(line.indexOf(" ") + 1)];
    while (lines[i + 1]?.startsWith(" ")) value.push((lines[++i] as string).slice(1));
    signature ??= `${value.join("\n")}\n`;
  }
  return { signature, payload: `${kept.join("\n")}${body}` };
}

/**
 * Runs `command` with `input` on its standard input and only PATH in its environment,
 * killed after `timeoutMs` (none by default).
 */
export function runWithInput(
  command: string,
  args: string[],
  input: string,
  cwd?: string,
  timeoutMs = 0,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      command,
      args,
      {
        cwd,
        env: { PATH: process.env.PATH ?? "/usr/bin:/bin" },
        maxBuffer: 64 * 1024 * 1024,
        timeout: timeoutMs,
      },
      (error, stdout, stderr) =>
        resolve({
          code: error ? (typeof error.code === "number" ? error.code : 1) : 0,
          stdout,
          stderr,
        }),
    );
    child.stdin?.on("error", () => undefined);
    child.stdin?.end(input);
  });
}

async function verifySsh(
  payload: string,
  signature: string,
  keys: readonly string[],
): Promise<string> {
  if (keys.length === 0)
    throw new VerificationError("the commit has an SSH signature and no SSH key is trusted");
  const dir = await mkdtemp(join(tmpdir(), "tether-verify-"));
  try {
    const allowed = join(dir, "allowed_signers");
    await writeFile(allowed, keys.map((k) => `tether namespaces="git" ${k.trim()}\n`).join(""));
    const sig = join(dir, "commit.sig");
    await writeFile(sig, signature);
    const result = await runWithInput(
      "ssh-keygen",
      ["-Y", "verify", "-f", allowed, "-I", "tether", "-n", "git", "-s", sig],
      payload,
    );
    if (result.code !== 0) {
      throw new VerificationError(
        `the SSH signature is not from a trusted key: ${(result.stderr || result.stdout).trim().split("\n")[0]}`,
      );
    }
    const key = /with (\S+) key (SHA256:\S+)/.exec(`${result.stdout}${result.stderr}`);
    return key ? `SSH ${key[1]} key ${key[2]}` : "a trusted SSH key";
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function verifyOpenpgp(
  payload: string,
  signature: string,
  armoredKeys: readonly string[],
): Promise<string> {
  if (armoredKeys.length === 0) {
    throw new VerificationError(
      "the commit has an OpenPGP signature and no OpenPGP key is trusted",
    );
  }
  // openpgp.js costs ~22 MiB: loaded only when an OpenPGP signature is checked.
  const openpgp = await import("openpgp");
  const verificationKeys = (
    await Promise.all(armoredKeys.map((armoredKeys) => openpgp.readKeys({ armoredKeys })))
  ).flat();
  const message = await openpgp.createMessage({ binary: Buffer.from(payload, "utf8") });
  const result = await openpgp.verify({
    message,
    signature: await openpgp.readSignature({ armoredSignature: signature }),
    verificationKeys,
    expectSigned: false,
  });
  for (const s of result.signatures) {
    try {
      await s.verified;
      return `OpenPGP key ${s.keyID.toHex().toUpperCase()}`;
    } catch {
      // Try the next signature; none verified is the error below.
    }
  }
  throw new VerificationError("the OpenPGP signature is not from a trusted key");
}

/**
 * Checks the signature of `revision` in the Git checkout `dir` against `keys`; returns
 * who signed it. An unsigned commit, or one signed by any other key, is a
 * VerificationError that says so.
 */
export async function verifyCommit(
  dir: string,
  revision: string,
  keys: TrustedKeys,
): Promise<string> {
  if (!/^[0-9a-f]{7,64}$/i.test(revision))
    throw new VerificationError(`${revision} is not a commit hash`);
  const object = await runWithInput("git", ["cat-file", "commit", revision], "", dir);
  if (object.code !== 0)
    throw new VerificationError(`cannot read commit ${revision}: ${object.stderr.trim()}`);
  const { signature, payload } = splitSignedCommit(object.stdout);
  return checkSignature(`commit ${revision.slice(0, 12)}`, payload, signature, keys);
}

/** Who made `signature` over `payload`, among `keys`; `what` names the signed object. */
async function checkSignature(
  what: string,
  payload: string,
  signature: string | undefined,
  keys: TrustedKeys,
): Promise<string> {
  if (!signature) throw new VerificationError(`${what} is not signed`);
  try {
    if (signature.startsWith("-----BEGIN SSH SIGNATURE-----")) {
      return await verifySsh(payload, signature, keys.ssh ?? []);
    }
    if (signature.startsWith("-----BEGIN PGP SIGNATURE-----")) {
      return await verifyOpenpgp(payload, signature, keys.openpgp ?? []);
    }
    throw new VerificationError("the signature is neither OpenPGP nor SSH");
  } catch (error) {
    const why = messageOf(error);
    throw new VerificationError(`${what}: ${why}`);
  }
}

/**
 * An annotated tag object split into its signature and the signed payload: git
 * appends the signature to the tag's message, so the payload is everything before it.
 */
export function splitSignedTag(raw: string): { signature?: string | undefined; payload: string } {
  const start = raw.search(/^-----BEGIN (PGP|SSH) SIGNATURE-----$/m);
  if (start === -1) return { payload: raw };
  return { signature: raw.slice(start), payload: raw.slice(0, start) };
}

/**
 * Checks the signature of the annotated tag `tag` fetched last into the checkout
 * (FETCH_HEAD, as the source fetches a tag), which must point at `revision`.
 */
export async function verifyTag(
  dir: string,
  tag: string,
  revision: string,
  keys: TrustedKeys,
): Promise<string> {
  const head = await runWithInput("git", ["rev-parse", "FETCH_HEAD"], "", dir);
  const objectId = head.stdout.trim();
  const type = await runWithInput("git", ["cat-file", "-t", objectId], "", dir);
  if (head.code !== 0 || type.stdout.trim() !== "tag")
    throw new VerificationError(`tag ${tag} is not an annotated tag, so it cannot be signed`);
  const object = await runWithInput("git", ["cat-file", "tag", objectId], "", dir);
  // The tag checked must be the one that names the revision applied.
  const target = /^object ([0-9a-f]+)$/m.exec(object.stdout)?.[1];
  const name = /^tag (.+)$/m.exec(object.stdout)?.[1];
  if (target !== revision || name !== tag)
    throw new VerificationError(`tag ${tag} fetched does not point at ${revision.slice(0, 12)}`);
  const { signature, payload } = splitSignedTag(object.stdout);
  return checkSignature(`tag ${tag}`, payload, signature, keys);
}

/** Flux's `GitRepository.spec.verify.mode`: what must be signed. */
export type VerifyMode = "HEAD" | "Tag" | "TagAndHEAD";

export function parseVerifyMode(mode: string | undefined): VerifyMode {
  const value = mode ?? "HEAD";
  if (value === "HEAD" || value === "Tag" || value === "TagAndHEAD") return value;
  throw new VerificationError(`verify.mode '${value}' is not one of HEAD, Tag, TagAndHEAD`);
}

/**
 * Verifies a checked-out revision as `mode` asks: the head commit, the tag it was
 * fetched by, or both. Tag modes need the source to follow a tag (Flux's rule).
 * Returns who signed what, for a message.
 */
export async function verifyRevision(
  dir: string,
  revision: string,
  keys: TrustedKeys,
  mode: VerifyMode,
  tag: string | undefined,
): Promise<string> {
  const signed: string[] = [];
  if (mode !== "HEAD") {
    if (!tag)
      throw new VerificationError(`verify.mode ${mode} needs ref.tag: the source follows no tag`);
    signed.push(`tag ${tag} by ${await verifyTag(dir, tag, revision, keys)}`);
  }
  if (mode !== "Tag") {
    signed.push(`commit ${revision.slice(0, 12)} by ${await verifyCommit(dir, revision, keys)}`);
  }
  return signed.join(", ");
}

/**
 * Trusted keys from a Secret's entries (Flux's `verify.secretRef`): entries ending in
 * `.pub` hold SSH public keys, one per line; any other entry an armored OpenPGP key.
 */
export function keysFromSecretEntries(entries: Iterable<[string, string]>): TrustedKeys {
  const ssh: string[] = [];
  const openpgp: string[] = [];
  for (const [name, text] of entries) {
    if (name.endsWith(".pub"))
      ssh.push(...text.split("\n").filter((l) => l.trim() !== "" && !l.startsWith("#")));
    else openpgp.push(text);
  }
  if (ssh.length === 0 && openpgp.length === 0)
    throw new VerificationError("the verification Secret holds no key");
  return { ssh, openpgp };
}

/**
 * Trusted keys from a folder (a mounted Secret): `*.pub` files hold SSH public keys, one
 * per line; `*.asc`, `*.gpg` and `*.pgp` files hold ASCII-armored OpenPGP public keys.
 * A folder with no key is an error: verification that trusts nobody is a mistake.
 */
export async function readTrustedKeys(dir: string): Promise<TrustedKeys> {
  const ssh: string[] = [];
  const openpgp: string[] = [];
  for (const name of (await readdir(dir)).sort()) {
    if (name.startsWith(".")) continue;
    const text = await readFile(join(dir, name), "utf8");
    if (name.endsWith(".pub")) {
      ssh.push(...text.split("\n").filter((l) => l.trim() !== "" && !l.startsWith("#")));
    } else if (/\.(asc|gpg|pgp)$/.test(name)) openpgp.push(text);
  }
  if (ssh.length === 0 && openpgp.length === 0) {
    throw new VerificationError(`${dir} holds no trusted key (*.pub for SSH, *.asc for OpenPGP)`);
  }
  return { ssh, openpgp };
}
