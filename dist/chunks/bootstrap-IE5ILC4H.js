#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  applyInstall,
  readGitSecret,
  renderInstall,
  waitForRollout,
  waitForSync,
  writeGitSecret
} from "./chunk-HD7A4TVA.js";
import {
  INSTALL_FOLDER,
  installFolderFiles,
  normalizeClusterPath
} from "./chunk-I5SLTBKL.js";
import {
  formatChange
} from "./chunk-CVK26UKQ.js";
import "./chunk-MQEAY646.js";
import "./chunk-I4VL4257.js";
import "./chunk-IN6JXKYM.js";
import "./chunk-F6H36ORJ.js";
import "./chunk-F7OZ6T2Y.js";
import {
  GitSourceError,
  describeFailure,
  gitEnvironment,
  gitIn,
  withoutUrlCredentials
} from "./chunk-XB2UJ6TZ.js";
import {
  redactUrl
} from "./chunk-KVDOGNFO.js";
import {
  UsageError
} from "./chunk-YPJ6XMAN.js";
import "./chunk-XVXAFQO7.js";
import "./chunk-WOA5VQJZ.js";
import "./chunk-75EKFM34.js";
import "./chunk-C4RKCN44.js";
import {
  messageOf
} from "./chunk-6SSSO5LC.js";
import "./chunk-ZIEZ6URX.js";
import "./chunk-XH5JYCWA.js";
import "./chunk-OMIHXC2B.js";
import "./chunk-Z62KHOJY.js";
import "./chunk-K4EN55PN.js";
import "./chunk-OTIGXPIO.js";
import "./chunk-XRGQOWGB.js";
import "./chunk-HPGUIRHG.js";
import "./chunk-3IQPLNQJ.js";

// agent/bootstrap/bootstrap.ts
const { execFileSync } = require("node:child_process");
const { mkdtempSync: mkdtempSync2, readFileSync: readFileSync2, rmSync: rmSync2, writeFileSync: writeFileSync2 } = require("node:fs");
const { tmpdir: tmpdir2 } = require("node:os");
const { join: join2 } = require("node:path");

// agent/bootstrap/repo.ts
const { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } = require("node:fs");
const { tmpdir } = require("node:os");
const { dirname, join } = require("node:path");
var REJECTED = /\[rejected\]|non-fast-forward|\(fetch first\)/;
async function commitFolder(request) {
  const attempts = request.attempts ?? 3;
  for (let attempt = 1; ; attempt++) {
    const dir = mkdtempSync(join(tmpdir(), "tether-bootstrap-"));
    try {
      const result = await commitOnce(request, dir);
      if (result !== "rejected") return result;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    if (attempt >= attempts) {
      throw new GitSourceError(
        `branch ${request.source.branch} of ${redactUrl(request.source.url)} moved while pushing, ${attempts} times; nothing was forced: run bootstrap again`
      );
    }
  }
}
async function commitOnce(request, dir) {
  const { source } = request;
  const env = {
    ...gitEnvironment(source),
    GIT_AUTHOR_NAME: request.author.name,
    GIT_AUTHOR_EMAIL: request.author.email,
    GIT_COMMITTER_NAME: request.author.name,
    GIT_COMMITTER_EMAIL: request.author.email
  };
  const git = gitIn(dir, env);
  const ref = `refs/heads/${source.branch}`;
  let exists;
  try {
    await git.init(["--initial-branch", source.branch]).addRemote("origin", source.url);
    exists = (await git.listRemote(["origin", ref])).trim() !== "";
    if (exists) {
      await git.fetch(["--depth", "1", "--no-tags", "origin", ref]);
      await git.raw(["checkout", "--quiet", "-B", source.branch, "FETCH_HEAD"]);
    }
  } catch (error) {
    throw describeFailure("clone of", source, error);
  }
  const folder = join(dir, request.folder);
  const existing = (name) => {
    try {
      return readFileSync(join(folder, name), "utf8");
    } catch {
      return void 0;
    }
  };
  for (const [name, text] of Object.entries(request.files(existing))) {
    mkdirSync(dirname(join(folder, name)), { recursive: true });
    writeFileSync(join(folder, name), text);
  }
  await git.add(["--all", "--", request.folder]);
  const staged = (await git.raw(["diff", "--cached", "--name-only"])).trim();
  if (!staged) {
    return { revision: (await git.revparse(["HEAD"])).trim(), committed: false };
  }
  await git.commit(request.message);
  const revision = (await git.revparse(["HEAD"])).trim();
  try {
    await git.raw(["push", "origin", `HEAD:${ref}`]);
  } catch (error) {
    const text = messageOf(error);
    if (REJECTED.test(text)) return "rejected";
    throw describeFailure("push to", source, error);
  }
  return { revision, committed: true };
}

// agent/bootstrap/ssh-key.ts
const { generateKeyPairSync, randomBytes } = require("node:crypto");
var KEY_TYPE = "ssh-ed25519";
function sshString(data) {
  const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}
function uint32(value) {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(value);
  return b;
}
function publicKeyLine(publicKey, comment) {
  const blob = Buffer.concat([sshString(KEY_TYPE), sshString(publicKey)]);
  return `${KEY_TYPE} ${blob.toString("base64")}${comment ? ` ${comment}` : ""}`;
}
function opensshPrivateKey(seed, publicKey, comment, check = randomBytes(4).readUInt32BE()) {
  const publicBlob = Buffer.concat([sshString(KEY_TYPE), sshString(publicKey)]);
  const unpadded = Buffer.concat([
    uint32(check),
    uint32(check),
    sshString(KEY_TYPE),
    sshString(publicKey),
    sshString(Buffer.concat([seed, publicKey])),
    sshString(comment)
  ]);
  const padLength = (8 - unpadded.length % 8) % 8;
  const padding = Buffer.from(Array.from({ length: padLength }, (_, i) => i + 1));
  const body = Buffer.concat([
    Buffer.from("openssh-key-v1\0", "latin1"),
    sshString("none"),
    sshString("none"),
    sshString(""),
    uint32(1),
    sshString(publicBlob),
    sshString(Buffer.concat([unpadded, padding]))
  ]);
  const lines = body.toString("base64").match(/.{1,70}/g) ?? [];
  return `-----BEGIN OPENSSH PRIVATE KEY-----
${lines.join("\n")}
-----END OPENSSH PRIVATE KEY-----
`;
}
function generateSshKey(comment) {
  const { privateKey } = generateKeyPairSync("ed25519");
  const jwk = privateKey.export({ format: "jwk" });
  const seed = Buffer.from(jwk.d, "base64url");
  const pub = Buffer.from(jwk.x, "base64url");
  return {
    privateKey: opensshPrivateKey(seed, pub, comment),
    publicKey: publicKeyLine(pub, comment)
  };
}

// agent/bootstrap/bootstrap.ts
var isSshUrl = (url) => url.startsWith("ssh://") || /^[\w.-]+@[\w.-]+:/.test(url);
function sshHostOf(url) {
  if (url.startsWith("ssh://")) {
    const parsed = new URL(url);
    return { host: parsed.hostname.replace(/^\[|\]$/g, ""), port: Number(parsed.port || 22) };
  }
  const match = /^[\w.-]+@([\w.-]+):/.exec(url);
  if (!match?.[1]) throw new UsageError(`cannot read the host of ${url}`);
  return { host: match[1], port: 22 };
}
function knownHosts(url, file) {
  let text;
  if (file) text = readFileSync2(file, "utf8");
  else {
    const { host, port } = sshHostOf(url);
    try {
      text = execFileSync("ssh-keyscan", ["-p", String(port), "-T", "10", host], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"]
      });
    } catch (error) {
      throw new Error(
        `ssh-keyscan of ${host}:${port} failed (${error.message.split("\n")[0]}); give --known-hosts FILE`
      );
    }
  }
  const lines = text.split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#")).sort();
  if (lines.length === 0) throw new Error(`no host keys for ${redactUrl(url)}`);
  return `${lines.join("\n")}
`;
}
async function secretFor(client, options, url) {
  if (options.auth === "token") {
    return { data: { username: options.username ?? "git", password: options.password ?? "" } };
  }
  const current = await readGitSecret(client, options.namespace);
  const key = current?.identity && current["identity.pub"] ? { privateKey: current.identity, publicKey: current["identity.pub"].trim() } : generateSshKey(`tether-${options.namespace}`);
  return {
    data: {
      identity: key.privateKey,
      "identity.pub": `${key.publicKey}
`,
      known_hosts: knownHosts(url, options.knownHostsFile)
    },
    publicKey: key.publicKey
  };
}
async function bootstrap(client, options, say) {
  const path = normalizeClusterPath(options.path);
  const plain = withoutUrlCredentials({ url: options.gitUrl });
  const url = plain.url;
  if (options.auth === "ssh" && !isSshUrl(url))
    throw new UsageError(
      `--ssh needs an SSH Git URL (ssh://\u2026 or user@host:path), not ${redactUrl(url)}`
    );
  if (options.auth === "token" && isSshUrl(url))
    throw new UsageError("--token-auth needs an HTTPS Git URL; use --ssh for an SSH URL");
  if (options.auth === "token" && !options.password)
    throw new UsageError(
      "--token-auth reads the token from TETHER_GIT_PASSWORD (and the user from TETHER_GIT_USERNAME); it is not set"
    );
  const secret = await secretFor(client, options, url);
  if (secret.publicKey) {
    say(`deploy key (give it read access to ${redactUrl(url)}): ${secret.publicKey}`);
  }
  const scratch = mkdtempSync2(join2(tmpdir2(), "tether-bootstrap-ssh-"));
  let pushed;
  try {
    let source;
    if (options.auth === "ssh") {
      const knownHostsFile = join2(scratch, "known_hosts");
      writeFileSync2(knownHostsFile, secret.data.known_hosts ?? "", { mode: 384 });
      source = {
        url,
        branch: options.branch,
        credentials: { sshKeyFile: options.privateKeyFile, knownHostsFile }
      };
    } else {
      source = {
        url,
        branch: options.branch,
        credentials: {
          username: options.username ?? plain.credentials?.username ?? "git",
          password: options.password ?? plain.credentials?.password
        }
      };
    }
    const folder = `${path}/${INSTALL_FOLDER}`;
    let files = {};
    const result2 = await commitFolder({
      source,
      folder,
      files: (existing) => {
        files = installFolderFiles(
          {
            gitUrl: url,
            branch: options.branch,
            path,
            image: options.image,
            namespace: options.namespace
          },
          existing
        );
        return files;
      },
      message: `tether bootstrap: the agent for ${path} (${options.image})`,
      author: options.author
    });
    pushed = { ...result2, files };
  } finally {
    rmSync2(scratch, { recursive: true, force: true });
  }
  say(
    pushed.committed ? `committed ${path}/${INSTALL_FOLDER} to ${options.branch} at ${pushed.revision.slice(0, 12)}` : `${path}/${INSTALL_FOLDER} is up to date on ${options.branch} at ${pushed.revision.slice(0, 12)}: no commit`
  );
  const manifests = await renderInstall(pushed.files);
  const changes = await applyInstall(
    client,
    manifests,
    () => writeGitSecret(client, options.namespace, secret.data)
  );
  for (const change of changes) say(`  ${formatChange(change)}`);
  const result = {
    revision: pushed.revision,
    committed: pushed.committed,
    changes,
    publicKey: secret.publicKey
  };
  if (!options.wait) return result;
  say(`agent: ${await waitForRollout(client, options.namespace, options.timeoutMs)}`);
  const sync = await waitForSync(client, options.namespace, pushed.revision, options.syncTimeoutMs);
  result.synced = sync.synced;
  say(
    sync.synced ? `agent: ${sync.message}` : `warning: the agent is ready but has not recorded a sync of ${pushed.revision.slice(0, 12)} within ${options.syncTimeoutMs / 1e3}s: ${sync.message} (tether status -n ${options.namespace})`
  );
  return result;
}
export {
  bootstrap,
  sshHostOf
};
