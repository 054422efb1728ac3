// Git credentials from a Flux source's Secret (a GitRepository's `spec.secretRef`), read
// as Flux reads them: `username` and `password` (basic), or `bearerToken` (sent as
// `Authorization: Bearer`), for HTTPS; `identity` and `known_hosts`, both required, for
// SSH (`identity.pub` is not needed). SSH takes the key
// and the known hosts as files: they are written to a private temporary folder that
// lives only as long as the Git commands, never to the cache folder (no secret in a
// cache file).
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
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
  const none = { dispose: async () => {} };
  if (secret && !data) throw new GitSourceError(`secret '${secret}' not found`);
  if (!isSsh(url)) {
    if (!data || !(data.username || data.password || data.bearerToken)) return none;
    return {
      ...none,
      credentials: {
        username: data.username,
        password: data.password,
        bearerToken: data.bearerToken,
      },
    };
  }
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
  if (data.password) {
    // ssh runs without a terminal (BatchMode) and cannot be given a passphrase.
    throw new GitSourceError(
      `Secret '${secret}' has a passphrase (password) for its identity: Tether takes SSH keys without a passphrase; store the key decrypted (ssh-keygen -p -N "")`,
    );
  }
  const dir = await mkdtemp(join(tmpdir(), "tether-ssh-"));
  const dispose = () => rm(dir, { recursive: true, force: true });
  try {
    const knownHostsFile = join(dir, "known_hosts");
    await writeFile(knownHostsFile, withNewline(data.known_hosts as string), { mode: 0o600 });
    const sshKeyFile = join(dir, "identity");
    // OpenSSH refuses a key file without its last newline ("invalid format").
    await writeFile(sshKeyFile, withNewline(data.identity as string), { mode: 0o600 });
    return { credentials: { sshKeyFile, knownHostsFile }, dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}

const withNewline = (text: string) => (text.endsWith("\n") ? text : `${text}\n`);
