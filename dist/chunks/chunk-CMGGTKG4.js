#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  GitSourceError,
  isSsh
} from "./chunk-7QWDAKBU.js";

// agent/source/secret-credentials.ts
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
async function credentialsFromSecret(url, data, secret) {
  const none = { dispose: async () => {
  } };
  if (secret && !data) throw new GitSourceError(`secret '${secret}' not found`);
  if (!isSsh(url)) {
    if (!data) return none;
    const token = data.bearerToken;
    return {
      ...none,
      credentials: {
        username: data.username ?? (token ? "git" : void 0),
        password: data.password ?? token
      }
    };
  }
  if (!data) {
    throw new GitSourceError(
      "an SSH URL needs spec.secretRef: a Secret with identity and known_hosts (unknown hosts are refused)"
    );
  }
  if (!data.known_hosts?.trim()) {
    throw new GitSourceError(
      `an SSH URL needs known_hosts in Secret '${secret}' (unknown hosts are refused)`
    );
  }
  if (data.identity && data.password) {
    throw new GitSourceError(
      `Secret '${secret}' has a passphrase (password) for its identity: Tether takes SSH keys without a passphrase; store the key decrypted (ssh-keygen -p -N "")`
    );
  }
  const dir = await mkdtemp(join(tmpdir(), "tether-ssh-"));
  const dispose = () => rm(dir, { recursive: true, force: true });
  try {
    const knownHostsFile = join(dir, "known_hosts");
    await writeFile(knownHostsFile, withNewline(data.known_hosts), { mode: 384 });
    let sshKeyFile;
    if (data.identity) {
      sshKeyFile = join(dir, "identity");
      await writeFile(sshKeyFile, withNewline(data.identity), { mode: 384 });
    }
    return { credentials: { sshKeyFile, knownHostsFile }, dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}
var withNewline = (text) => text.endsWith("\n") ? text : `${text}
`;

export {
  credentialsFromSecret
};
