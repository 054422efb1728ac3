// `tether bootstrap`: one command from an empty cluster to an agent that keeps itself
// and the cluster in sync with a repository folder, as `flux bootstrap git` does:
//   credentials ─► commit clusters/<name>/tether-system ─► push ─► apply it (Namespace,
//   Git Secret, the rest) ─► wait for the rollout ─► wait for the agent's record of the
//   commit.
// Idempotent: the same options give the same files (no commit), the same Secret and the
// same objects (the apply step writes nothing unchanged). A newer --image is a new
// commit and a rollout: that is the upgrade.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UsageError } from "../../shared/command.ts";
import type { KubeApi } from "../../shared/kube/api.ts";
import { redactUrl } from "../../shared/util/redact.ts";
import { type Change, formatChange } from "../changes.ts";
import { type GitSourceSpec, withoutUrlCredentials } from "../source/git.ts";
import {
  applyInstall,
  readGitSecret,
  renderInstall,
  type SecretData,
  waitForRollout,
  waitForSync,
  writeGitSecret,
} from "./cluster.ts";
import { INSTALL_FOLDER, installFolderFiles, normalizeClusterPath } from "./folder.ts";
import { commitFolder } from "./repo.ts";
import { generateSshKey } from "./ssh-key.ts";

export interface BootstrapOptions {
  gitUrl: string;
  branch: string;
  path: string;
  auth: "ssh" | "token";
  image: string;
  namespace: string;
  /** Token mode: the credentials the agent gets and bootstrap pushes with. */
  username?: string | undefined;
  password?: string | undefined;
  /** SSH mode: bootstrap's own key for the push (default: ssh's), and known hosts. */
  privateKeyFile?: string | undefined;
  knownHostsFile?: string | undefined;
  author: { name: string; email: string };
  wait: boolean;
  timeoutMs: number;
  syncTimeoutMs: number;
}

export interface BootstrapResult {
  revision: string;
  committed: boolean;
  changes: Change[];
  publicKey?: string | undefined;
  /** Set when waiting: whether the agent's record showed the commit synced. */
  synced?: boolean | undefined;
}

const isSshUrl = (url: string) => url.startsWith("ssh://") || /^[\w.-]+@[\w.-]+:/.test(url);

/** Host and port of an SSH Git URL (ssh://user@host:port/path or user@host:path). */
export function sshHostOf(url: string): { host: string; port: number } {
  if (url.startsWith("ssh://")) {
    const parsed = new URL(url);
    return { host: parsed.hostname.replace(/^\[|\]$/g, ""), port: Number(parsed.port || 22) };
  }
  const match = /^[\w.-]+@([\w.-]+):/.exec(url);
  if (!match?.[1]) throw new UsageError(`cannot read the host of ${url}`);
  return { host: match[1], port: 22 };
}

/**
 * The host keys the agent trusts: the file given, else what the server offers now
 * (ssh-keyscan, trust on first use as `flux bootstrap` does), sorted so that a second
 * run writes the same Secret.
 */
function knownHosts(url: string, file: string | undefined): string {
  let text: string;
  if (file) text = readFileSync(file, "utf8");
  else {
    const { host, port } = sshHostOf(url);
    try {
      text = execFileSync("ssh-keyscan", ["-p", String(port), "-T", "10", host], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
      });
    } catch (error) {
      throw new Error(
        `ssh-keyscan of ${host}:${port} failed (${(error as Error).message.split("\n")[0]}); give --known-hosts FILE`,
      );
    }
  }
  const lines = text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"))
    .sort();
  if (lines.length === 0) throw new Error(`no host keys for ${redactUrl(url)}`);
  return `${lines.join("\n")}\n`;
}

/** The agent's Secret: a token, or a deploy key (kept from the cluster when there is one). */
async function secretFor(
  client: KubeApi,
  options: BootstrapOptions,
  url: string,
): Promise<{ data: SecretData; publicKey?: string }> {
  if (options.auth === "token") {
    return { data: { username: options.username ?? "git", password: options.password ?? "" } };
  }
  const current = await readGitSecret(client, options.namespace);
  const key =
    current?.identity && current["identity.pub"]
      ? { privateKey: current.identity, publicKey: current["identity.pub"].trim() }
      : generateSshKey(`tether-${options.namespace}`);
  return {
    data: {
      identity: key.privateKey,
      "identity.pub": `${key.publicKey}\n`,
      known_hosts: knownHosts(url, options.knownHostsFile),
    },
    publicKey: key.publicKey,
  };
}

export async function bootstrap(
  client: KubeApi,
  options: BootstrapOptions,
  say: (line: string) => void,
): Promise<BootstrapResult> {
  const path = normalizeClusterPath(options.path);
  // The agent's config keeps the URL without credentials; they go in the Secret.
  const plain = withoutUrlCredentials({ url: options.gitUrl });
  const url = plain.url;
  if (options.auth === "ssh" && !isSshUrl(url))
    throw new UsageError(
      `--ssh needs an SSH Git URL (ssh://… or user@host:path), not ${redactUrl(url)}`,
    );
  if (options.auth === "token" && isSshUrl(url))
    throw new UsageError("--token-auth needs an HTTPS Git URL; use --ssh for an SSH URL");
  if (options.auth === "token" && !options.password)
    throw new UsageError(
      "--token-auth reads the token from TETHER_GIT_PASSWORD (and the user from TETHER_GIT_USERNAME); it is not set",
    );

  const secret = await secretFor(client, options, url);
  if (secret.publicKey) {
    say(`deploy key (give it read access to ${redactUrl(url)}): ${secret.publicKey}`);
  }

  // Bootstrap pushes with its own credentials: the token, or the user's SSH key.
  const scratch = mkdtempSync(join(tmpdir(), "tether-bootstrap-ssh-"));
  let pushed: { revision: string; committed: boolean; files: Record<string, string> };
  try {
    let source: GitSourceSpec & { branch: string };
    if (options.auth === "ssh") {
      const knownHostsFile = join(scratch, "known_hosts");
      writeFileSync(knownHostsFile, secret.data.known_hosts ?? "", { mode: 0o600 });
      source = {
        url,
        branch: options.branch,
        credentials: { sshKeyFile: options.privateKeyFile, knownHostsFile },
      };
    } else {
      source = {
        url,
        branch: options.branch,
        credentials: {
          username: options.username ?? plain.credentials?.username ?? "git",
          password: options.password ?? plain.credentials?.password,
        },
      };
    }
    const folder = `${path}/${INSTALL_FOLDER}`;
    let files: Record<string, string> = {};
    const result = await commitFolder({
      source,
      folder,
      files: (existing) => {
        files = installFolderFiles(
          {
            gitUrl: url,
            branch: options.branch,
            path,
            image: options.image,
            namespace: options.namespace,
          },
          existing,
        );
        return files;
      },
      message: `tether bootstrap: the agent for ${path} (${options.image})`,
      author: options.author,
    });
    pushed = { ...result, files };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  say(
    pushed.committed
      ? `committed ${path}/${INSTALL_FOLDER} to ${options.branch} at ${pushed.revision.slice(0, 12)}`
      : `${path}/${INSTALL_FOLDER} is up to date on ${options.branch} at ${pushed.revision.slice(0, 12)}: no commit`,
  );

  const manifests = await renderInstall(pushed.files);
  const changes = await applyInstall(client, manifests, () =>
    writeGitSecret(client, options.namespace, secret.data),
  );
  for (const change of changes) say(`  ${formatChange(change)}`);

  const result: BootstrapResult = {
    revision: pushed.revision,
    committed: pushed.committed,
    changes,
    publicKey: secret.publicKey,
  };
  if (!options.wait) return result;

  // The agent's readiness probe passes only once every unit synced, so a finished
  // rollout already means the new agent applied this commit (or a later one); the
  // record it writes says so in so many words, and is waited for too.
  say(`agent: ${await waitForRollout(client, options.namespace, options.timeoutMs)}`);
  const sync = await waitForSync(client, options.namespace, pushed.revision, options.syncTimeoutMs);
  result.synced = sync.synced;
  say(
    sync.synced
      ? `agent: ${sync.message}`
      : `warning: the agent is ready but has not recorded a sync of ${pushed.revision.slice(0, 12)} within ${options.syncTimeoutMs / 1000}s: ${sync.message} (tether status -n ${options.namespace})`,
  );
  return result;
}
