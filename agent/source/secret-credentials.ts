// Git credentials from a Flux source's Secret (a GitRepository's `spec.secretRef`), read
// as Flux reads them: `username` and `password` (basic), or `bearerToken` (sent as
// `Authorization: Bearer`), and `ca.crt` (or the older `caFile`), `tls.crt` and
// `tls.key` (a client certificate), for HTTPS; `identity` and `known_hosts`, both required, for
// SSH (`identity.pub` is not needed), with `password` as the key's passphrase. SSH takes the key
// and the known hosts as files: they are written to a private temporary folder that
// lives only as long as the Git commands, never to the cache folder (no secret in a
// cache file).
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { rootCertificates } from "node:tls";
import { type GitCredentials, GitSourceError, isSsh } from "./git.ts";

export interface SecretCredentials {
  credentials?: GitCredentials | undefined;
  /** Removes the files written for SSH; safe to call more than once. */
  dispose(): Promise<void>;
}

/**
 * Credentials for `url` from the Secret's decoded `data` (`secret` is its
 * `namespace/name`, undefined when the source has no secretRef; `data` undefined with a
 * name: the Secret does not exist). An SSH URL needs identity and known_hosts, as Flux
 * requires: a host not listed is refused, never trusted on first use.
 */
export async function credentialsFromSecret(
  url: string,
  data: Readonly<Record<string, string | undefined>> | undefined,
  secret: string | undefined,
): Promise<SecretCredentials> {
  if (secret && !data) throw new GitSourceError(`secret '${secret}' not found`);
  if (!isSsh(url)) return httpsCredentials(url, data, secret);
  if (!data) {
    throw new GitSourceError(
      "an SSH URL needs spec.secretRef: a Secret with identity and known_hosts (unknown hosts are refused)",
    );
  }
  // Both, as Flux requires: without known_hosts a host would be trusted unseen; without
  // identity ssh would offer whatever keys the agent's own home holds.
  const missing = ["identity", "known_hosts"].filter((key) => !data[key]?.trim());
  if (missing.length > 0) {
    throw new GitSourceError(
      `an SSH URL needs ${missing.join(" and ")} in Secret '${secret}' (identity: the private key; known_hosts: unknown hosts are refused)`,
    );
  }
  const dir = await mkdtemp(join(tmpdir(), "tether-ssh-"));
  const dispose = () => rm(dir, { recursive: true, force: true });
  try {
    const knownHostsFile = join(dir, "known_hosts");
    await writeFile(knownHostsFile, withNewline(data.known_hosts as string), { mode: 0o600 });
    const sshKeyFile = join(dir, "identity");
    // OpenSSH refuses a key file without its last newline ("invalid format").
    const identity = withNewline(data.identity as string);
    if (data.password) await decryptIdentity(identity, data.password, sshKeyFile, `${secret}`);
    else await writeFile(sshKeyFile, identity, { mode: 0o600 });
    return { credentials: { sshKeyFile, knownHostsFile }, dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}

const withNewline = (text: string) => (text.endsWith("\n") ? text : `${text}\n`);

/** Where the machine keeps the CA certificates it trusts (Debian, Fedora, Alpine/macOS). */
const SYSTEM_BUNDLES = [
  "/etc/ssl/certs/ca-certificates.crt",
  "/etc/pki/tls/certs/ca-bundle.crt",
  "/etc/ssl/cert.pem",
];

/**
 * The CAs git would trust without a ca.crt: the bundle GIT_SSL_CAINFO or SSL_CERT_FILE
 * names, else the system's, else Node's own list (an image without a bundle).
 */
async function trustedBundle(): Promise<string> {
  const named = process.env.GIT_SSL_CAINFO || process.env.SSL_CERT_FILE;
  for (const file of named ? [named] : SYSTEM_BUNDLES) {
    const text = await readFile(file, "utf8").catch(() => undefined);
    if (text !== undefined) return text;
  }
  return rootCertificates.join("\n");
}

/** Username and password or a bearer token; over https, the CA and a client certificate as files. */
async function httpsCredentials(
  url: string,
  data: Readonly<Record<string, string | undefined>> | undefined,
  secret: string | undefined,
): Promise<SecretCredentials> {
  const none = { dispose: async () => {} };
  if (!data) return none;
  const credentials: GitCredentials = {};
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
      `Secret '${secret}' has ${cert ? "tls.crt without tls.key" : "tls.key without tls.crt"}: a client certificate needs both`,
    );
  }
  if (!url.startsWith("https://") || !(ca || cert)) {
    return Object.keys(credentials).length > 0 ? { ...none, credentials } : none;
  }
  const dir = await mkdtemp(join(tmpdir(), "tether-tls-"));
  const dispose = () => rm(dir, { recursive: true, force: true });
  try {
    if (ca) {
      // Added to the CAs git trusts already, as Flux adds it to the system's pool: a
      // private CA for one server must not make every public certificate untrusted.
      credentials.caFile = join(dir, "ca.crt");
      await writeFile(credentials.caFile, `${await trustedBundle()}\n${withNewline(ca)}`, {
        mode: 0o600,
      });
    }
    if (cert && key) {
      credentials.certFile = join(dir, "tls.crt");
      credentials.keyFile = join(dir, "tls.key");
      await writeFile(credentials.certFile, withNewline(cert), { mode: 0o600 });
      await writeFile(credentials.keyFile, withNewline(key), { mode: 0o600 });
    }
    return { credentials, dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}

/**
 * Keys decrypted lately, by a hash of key and passphrase, in memory only: ssh-keygen
 * runs once per key, not on every pass (OpenSSH's bcrypt rounds take about a second on
 * a small ARM board). The oldest go first past DECRYPTED_KEPT: keys rotated or whose
 * Secret is gone are not held for the process's life.
 */
const decrypted = new Map<string, string>();
const DECRYPTED_KEPT = 16;

/**
 * Writes `identity`, decrypted with `passphrase`, to `file` (0600). ssh runs without a
 * terminal and cannot be given a passphrase, so the key is decrypted first, by ssh-keygen
 * (OpenSSH's own key formats; Node's crypto reads only PEM). ssh-keygen reads the old
 * passphrase from its standard input when it has no terminal: it runs in a session of
 * its own (detached), which has none, so the passphrase is never on a command line.
 */
export async function decryptIdentity(
  identity: string,
  passphrase: string,
  file: string,
  secret: string,
): Promise<void> {
  const key = createHash("sha256").update(identity).update("\0").update(passphrase).digest("hex");
  const known = decrypted.get(key);
  if (known !== undefined) {
    // Used again: now the newest.
    decrypted.delete(key);
    decrypted.set(key, known);
    await writeFile(file, known, { mode: 0o600 });
    return;
  }
  await writeFile(file, identity, { mode: 0o600 });
  const stderr = await new Promise<string | undefined>((done) => {
    const child = spawn("ssh-keygen", ["-p", "-f", file, "-N", ""], {
      detached: true,
      stdio: ["pipe", "ignore", "pipe"],
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin" },
      timeout: 60_000,
    });
    let text = "";
    child.stderr.on("data", (chunk: Buffer) => {
      text += chunk.toString("utf8");
    });
    child.on("error", (error) => done(error.message));
    child.on("close", (code, signal) =>
      done(
        code === 0
          ? undefined
          : signal
            ? "ssh-keygen did not finish within 60 s"
            : text || `ssh-keygen exited ${code}`,
      ),
    );
    child.stdin.on("error", () => undefined);
    child.stdin.end(`${passphrase}\n`);
  });
  if (stderr !== undefined) {
    // "Enter old passphrase: Failed to load key /tmp/…/identity: incorrect passphrase…"
    const reason = stderr
      .replace(/^.*?passphrase: /, "")
      .replace(/^Failed to load key [^:]*: /, "");
    throw new GitSourceError(
      `the identity in Secret '${secret}' could not be decrypted with its password: ${reason.trim().split("\n")[0]}`,
    );
  }
  decrypted.set(key, await readFile(file, "utf8"));
  for (const oldest of decrypted.keys()) {
    if (decrypted.size <= DECRYPTED_KEPT) break;
    decrypted.delete(oldest);
  }
}
