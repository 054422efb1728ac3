#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  messageOf
} from "./chunk-6SSSO5LC.js";

// agent/source/verify.ts
const { execFile } = require("node:child_process");
const { mkdtemp, readdir, readFile, rm, writeFile } = require("node:fs/promises");
const { tmpdir } = require("node:os");
const { join } = require("node:path");
var VerificationError = class extends Error {
  constructor(message) {
    super(message);
    this.name = "VerificationError";
  }
};
function splitSignedCommit(raw) {
  const end = raw.indexOf("\n\n");
  const header = end === -1 ? raw : raw.slice(0, end);
  const body = end === -1 ? "" : raw.slice(end);
  const lines = header.split("\n");
  const kept = [];
  let signature;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!line.startsWith("gpgsig ") && !line.startsWith("gpgsig-sha256 ")) {
      kept.push(line);
      continue;
    }
    const value = [line.slice(line.indexOf(" ") + 1)];
    while (lines[i + 1]?.startsWith(" ")) value.push(lines[++i].slice(1));
    signature ??= `${value.join("\n")}
`;
  }
  return { signature, payload: `${kept.join("\n")}${body}` };
}
function runWithInput(command, args, input, cwd, timeoutMs = 0) {
  return new Promise((resolve) => {
    const child = execFile(
      command,
      args,
      {
        cwd,
        env: { PATH: process.env.PATH ?? "/usr/bin:/bin" },
        maxBuffer: 64 * 1024 * 1024,
        timeout: timeoutMs
      },
      (error, stdout, stderr) => resolve({
        code: error ? typeof error.code === "number" ? error.code : 1 : 0,
        stdout,
        stderr
      })
    );
    child.stdin?.on("error", () => void 0);
    child.stdin?.end(input);
  });
}
async function verifySsh(payload, signature, keys) {
  if (keys.length === 0)
    throw new VerificationError("the commit has an SSH signature and no SSH key is trusted");
  const dir = await mkdtemp(join(tmpdir(), "tether-verify-"));
  try {
    const allowed = join(dir, "allowed_signers");
    await writeFile(allowed, keys.map((k) => `tether namespaces="git" ${k.trim()}
`).join(""));
    const sig = join(dir, "commit.sig");
    await writeFile(sig, signature);
    const result = await runWithInput(
      "ssh-keygen",
      ["-Y", "verify", "-f", allowed, "-I", "tether", "-n", "git", "-s", sig],
      payload
    );
    if (result.code !== 0) {
      throw new VerificationError(
        `the SSH signature is not from a trusted key: ${(result.stderr || result.stdout).trim().split("\n")[0]}`
      );
    }
    const key = /with (\S+) key (SHA256:\S+)/.exec(`${result.stdout}${result.stderr}`);
    return key ? `SSH ${key[1]} key ${key[2]}` : "a trusted SSH key";
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
async function verifyOpenpgp(payload, signature, armoredKeys) {
  if (armoredKeys.length === 0) {
    throw new VerificationError(
      "the commit has an OpenPGP signature and no OpenPGP key is trusted"
    );
  }
  const openpgp = await import("./openpgp-ODX6BB4O.js");
  const verificationKeys = (await Promise.all(armoredKeys.map((armoredKeys2) => openpgp.readKeys({ armoredKeys: armoredKeys2 })))).flat();
  const message = await openpgp.createMessage({ binary: Buffer.from(payload, "utf8") });
  const result = await openpgp.verify({
    message,
    signature: await openpgp.readSignature({ armoredSignature: signature }),
    verificationKeys,
    expectSigned: false
  });
  for (const s of result.signatures) {
    try {
      await s.verified;
      return `OpenPGP key ${s.keyID.toHex().toUpperCase()}`;
    } catch {
    }
  }
  throw new VerificationError("the OpenPGP signature is not from a trusted key");
}
async function verifyCommit(dir, revision, keys) {
  if (!/^[0-9a-f]{7,64}$/i.test(revision))
    throw new VerificationError(`${revision} is not a commit hash`);
  const object = await runWithInput("git", ["cat-file", "commit", revision], "", dir);
  if (object.code !== 0)
    throw new VerificationError(`cannot read commit ${revision}: ${object.stderr.trim()}`);
  const { signature, payload } = splitSignedCommit(object.stdout);
  return checkSignature(`commit ${revision.slice(0, 12)}`, payload, signature, keys);
}
async function checkSignature(what, payload, signature, keys) {
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
function splitSignedTag(raw) {
  const start = raw.search(/^-----BEGIN (PGP|SSH) SIGNATURE-----$/m);
  if (start === -1) return { payload: raw };
  return { signature: raw.slice(start), payload: raw.slice(0, start) };
}
async function verifyTag(dir, tag, revision, keys) {
  const head = await runWithInput("git", ["rev-parse", "FETCH_HEAD"], "", dir);
  const objectId = head.stdout.trim();
  const type = await runWithInput("git", ["cat-file", "-t", objectId], "", dir);
  if (head.code !== 0 || type.stdout.trim() !== "tag")
    throw new VerificationError(`tag ${tag} is not an annotated tag, so it cannot be signed`);
  const object = await runWithInput("git", ["cat-file", "tag", objectId], "", dir);
  const target = /^object ([0-9a-f]+)$/m.exec(object.stdout)?.[1];
  const name = /^tag (.+)$/m.exec(object.stdout)?.[1];
  if (target !== revision || name !== tag)
    throw new VerificationError(`tag ${tag} fetched does not point at ${revision.slice(0, 12)}`);
  const { signature, payload } = splitSignedTag(object.stdout);
  return checkSignature(`tag ${tag}`, payload, signature, keys);
}
function parseVerifyMode(mode) {
  const value = mode ?? "HEAD";
  if (value === "HEAD" || value === "Tag" || value === "TagAndHEAD") return value;
  throw new VerificationError(`verify.mode '${value}' is not one of HEAD, Tag, TagAndHEAD`);
}
async function verifyRevision(dir, revision, keys, mode, tag) {
  const signed = [];
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
function keysFromSecretEntries(entries) {
  const ssh = [];
  const openpgp = [];
  for (const [name, text] of entries) {
    if (name.endsWith(".pub"))
      ssh.push(...text.split("\n").filter((l) => l.trim() !== "" && !l.startsWith("#")));
    else openpgp.push(text);
  }
  if (ssh.length === 0 && openpgp.length === 0)
    throw new VerificationError("the verification Secret holds no key");
  return { ssh, openpgp };
}
async function readTrustedKeys(dir) {
  const ssh = [];
  const openpgp = [];
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

export {
  VerificationError,
  runWithInput,
  parseVerifyMode,
  verifyRevision,
  keysFromSecretEntries,
  readTrustedKeys
};
