#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  GitSourceError,
  isSsh
} from "./chunk-QQAM4JBJ.js";

// agent/source/secret-credentials.ts
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
async function credentialsFromSecret(url, data, secret) {
  const none = { dispose: async () => {
  } };
  if (secret && !data) throw new GitSourceError(`secret '${secret}' not found`);
  if (!isSsh(url)) {
    if (!data || !(data.username || data.password || data.bearerToken)) return none;
    return {
      ...none,
      credentials: {
        username: data.username,
        password: data.password,
        bearerToken: data.bearerToken
      }
    };
  }
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
  credentialsFromSecret
};
