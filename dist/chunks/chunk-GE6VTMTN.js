#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  GitSourceError,
  isSsh
} from "./chunk-XB2UJ6TZ.js";

// agent/source/secret-credentials.ts
const { spawn } = require("node:child_process");
const { createHash } = require("node:crypto");
const { mkdtemp, readFile, rm, writeFile } = require("node:fs/promises");
const { tmpdir } = require("node:os");
const { join } = require("node:path");
const { rootCertificates } = require("node:tls");
async function credentialsFromSecret(url, data, secret) {
  if (secret && !data) throw new GitSourceError(`secret '${secret}' not found`);
  if (!isSsh(url)) return httpsCredentials(url, data, secret);
  if (!data) {
    throw new GitSourceError(
      "an SSH URL needs spec.secretRef: a Secret with identity and known_hosts (unknown hosts are refused)"
    );
  }
  const missing = ["identity", "known_hosts"].filter((key) => !data[key]?.trim());
  if (missing.length > 0) {
    throw new GitSourceError(
      `an SSH URL needs ${missing.join(" and ")} in Secret '${secret}' (identity: the private key; known_hosts: unknown hosts are refused)`
    );
  }
  const dir = await mkdtemp(join(tmpdir(), "tether-ssh-"));
  const dispose = () => rm(dir, { recursive: true, force: true });
  try {
    const knownHostsFile = join(dir, "known_hosts");
    await writeFile(knownHostsFile, withNewline(data.known_hosts), { mode: 384 });
    const sshKeyFile = join(dir, "identity");
    const identity = withNewline(data.identity);
    if (data.password) await decryptIdentity(identity, data.password, sshKeyFile, `${secret}`);
    else await writeFile(sshKeyFile, identity, { mode: 384 });
    return { credentials: { sshKeyFile, knownHostsFile }, dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}
var withNewline = (text) => text.endsWith("\n") ? text : `${text}
`;
var SYSTEM_BUNDLES = [
  "/etc/ssl/certs/ca-certificates.crt",
  "/etc/pki/tls/certs/ca-bundle.crt",
  "/etc/ssl/cert.pem"
];
async function trustedBundle() {
  const named = process.env.GIT_SSL_CAINFO || process.env.SSL_CERT_FILE;
  for (const file of named ? [named] : SYSTEM_BUNDLES) {
    const text = await readFile(file, "utf8").catch(() => void 0);
    if (text !== void 0) return text;
  }
  return rootCertificates.join("\n");
}
async function httpsCredentials(url, data, secret) {
  const none = { dispose: async () => {
  } };
  if (!data) return none;
  const credentials = {};
  if (data.username || data.password || data.bearerToken) {
    credentials.username = data.username;
    credentials.password = data.password;
    credentials.bearerToken = data.bearerToken;
  }
  const ca = data["ca.crt"] ?? data.caFile;
  const cert = data["tls.crt"];
  const key = data["tls.key"];
  if (Boolean(cert) !== Boolean(key)) {
    throw new GitSourceError(
      `Secret '${secret}' has ${cert ? "tls.crt without tls.key" : "tls.key without tls.crt"}: a client certificate needs both`
    );
  }
  if (!url.startsWith("https://") || !(ca || cert)) {
    return Object.keys(credentials).length > 0 ? { ...none, credentials } : none;
  }
  const dir = await mkdtemp(join(tmpdir(), "tether-tls-"));
  const dispose = () => rm(dir, { recursive: true, force: true });
  try {
    if (ca) {
      credentials.caFile = join(dir, "ca.crt");
      await writeFile(credentials.caFile, `${await trustedBundle()}
${withNewline(ca)}`, {
        mode: 384
      });
    }
    if (cert && key) {
      credentials.certFile = join(dir, "tls.crt");
      credentials.keyFile = join(dir, "tls.key");
      await writeFile(credentials.certFile, withNewline(cert), { mode: 384 });
      await writeFile(credentials.keyFile, withNewline(key), { mode: 384 });
    }
    return { credentials, dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}
var decrypted = /* @__PURE__ */ new Map();
var DECRYPTED_KEPT = 16;
async function decryptIdentity(identity, passphrase, file, secret) {
  const key = createHash("sha256").update(identity).update("\0").update(passphrase).digest("hex");
  const known = decrypted.get(key);
  if (known !== void 0) {
    decrypted.delete(key);
    decrypted.set(key, known);
    await writeFile(file, known, { mode: 384 });
    return;
  }
  await writeFile(file, identity, { mode: 384 });
  const stderr = await new Promise((done) => {
    const child = spawn("ssh-keygen", ["-p", "-f", file, "-N", ""], {
      detached: true,
      stdio: ["pipe", "ignore", "pipe"],
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin" },
      timeout: 6e4
    });
    let text = "";
    child.stderr.on("data", (chunk) => {
      text += chunk.toString("utf8");
    });
    child.on("error", (error) => done(error.message));
    child.on(
      "close",
      (code, signal) => done(
        code === 0 ? void 0 : signal ? "ssh-keygen did not finish within 60 s" : text || `ssh-keygen exited ${code}`
      )
    );
    child.stdin.on("error", () => void 0);
    child.stdin.end(`${passphrase}
`);
  });
  if (stderr !== void 0) {
    const reason = stderr.replace(/^.*?passphrase: /, "").replace(/^Failed to load key [^:]*: /, "");
    throw new GitSourceError(
      `the identity in Secret '${secret}' could not be decrypted with its password: ${reason.trim().split("\n")[0]}`
    );
  }
  decrypted.set(key, await readFile(file, "utf8"));
  for (const oldest of decrypted.keys()) {
    if (decrypted.size <= DECRYPTED_KEPT) break;
    decrypted.delete(oldest);
  }
}

export {
  credentialsFromSecret,
  decryptIdentity
};
