// The Git source of the agent: asks the remote for the revision of a branch or tag
// first (`ls-remote`, one small request) and fetches only when it changed, shallow and
// single-branch, into a cache folder that survives restarts (into an empty one, both
// at once: checkoutCurrent).
//
// Credentials never appear on a command line, in a remote URL stored on disk, or in
// output: they are taken out of the URL and handed to git through environment config
// (an Authorization header for HTTP(S), a key file and known_hosts for SSH).
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { type SimpleGit, simpleGit } from "simple-git";
import { messageOf } from "../../shared/util/message.ts";
import { redactSecrets, redactUrl } from "../../shared/util/redact.ts";

export interface GitCredentials {
  username?: string | undefined;
  password?: string | undefined;
  /** SSH private key file, for ssh:// and scp-like URLs. */
  sshKeyFile?: string | undefined;
  /** known_hosts file; SSH refuses hosts not listed in it. */
  knownHostsFile?: string | undefined;
  /** Sent as `Authorization: Bearer` over HTTPS when there is no username or password. */
  bearerToken?: string | undefined;
  /** HTTPS: the CA certificates the server's certificate must chain to (instead of the system's). */
  caFile?: string | undefined;
  /** HTTPS: a client certificate and its key, for servers that ask for one. */
  certFile?: string | undefined;
  keyFile?: string | undefined;
}

export interface GitSourceSpec {
  url: string;
  branch?: string | undefined;
  tag?: string | undefined;
  commit?: string | undefined;
  /** A full reference (refs/heads/…, refs/pull/…/head); before tag and branch. */
  refName?: string | undefined;
  credentials?: GitCredentials | undefined;
  /**
   * Whose credentials these are (a Flux source's Secret, `namespace/name`): sources of
   * one URL fetched with different Secrets keep apart cache folders, so a source never
   * reads a checkout that another's credentials fetched.
   */
  credentialsOwner?: string | undefined;
  /**
   * What chose the ref, when not the spec itself (a semver range): its checkouts keep
   * folders apart from a source that names the same tag, so removing the range's old
   * picks never removes that source's folder.
   */
  chosenBy?: string | undefined;
}

export interface Checkout {
  dir: string;
  revision: string;
  /** false when the cached checkout was already at the remote revision. */
  fetched: boolean;
}

export class GitSourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GitSourceError";
  }
}

export function defaultCacheDir(): string {
  return join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "tether", "git");
}

/** Percent-decoded text, or the text as written when it is not valid encoding (`p%ss`). */
function decodeOrKeep(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Splits user info out of an http(s) URL; the rest of the spec is kept. */
export function withoutUrlCredentials(spec: GitSourceSpec): GitSourceSpec {
  let parsed: URL;
  try {
    parsed = new URL(spec.url);
  } catch {
    // git would get the URL as written, password and all, on its command line.
    if (/^ssh:\/\//i.test(spec.url)) {
      // Often ssh://git@host:org/repo.git, scp-like syntax written as a URL.
      throw new GitSourceError(
        `the Git URL ${redactUrl(spec.url)} cannot be parsed: an ssh:// URL takes a port after the host's colon (ssh://git@host/org/repo.git); or write it scp-like (git@host:org/repo.git)`,
      );
    }
    if (/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*@/i.test(spec.url)) {
      throw new GitSourceError(
        `the Git URL ${redactUrl(spec.url)} cannot be parsed; give the credentials in the Secret (username, password) instead of the URL, or percent-encode them`,
      );
    }
    return spec;
  }
  if (!/^https?:$/.test(parsed.protocol) || (!parsed.username && !parsed.password)) return spec;
  const username = decodeOrKeep(parsed.username);
  const password = decodeOrKeep(parsed.password);
  parsed.username = "";
  parsed.password = "";
  return {
    ...spec,
    url: parsed.toString(),
    credentials: { ...spec.credentials, username: username || "git", password },
  };
}

/** Credentials from the environment or a mounted Secret folder (files username, password). */
export function credentialsFrom(env: NodeJS.ProcessEnv, secretDir?: string): GitCredentials {
  const fromFile = (name: string) => {
    const path = secretDir ? join(secretDir, name) : undefined;
    return path && existsSync(path) ? readFileSync(path, "utf8").trim() : undefined;
  };
  const username = env.TETHER_GIT_USERNAME ?? fromFile("username");
  const password =
    env.TETHER_GIT_PASSWORD ?? env.TETHER_GIT_TOKEN ?? fromFile("password") ?? fromFile("token");
  const sshKeyFile =
    env.TETHER_GIT_SSH_KEY_FILE ??
    (secretDir && existsSync(join(secretDir, "identity"))
      ? join(secretDir, "identity")
      : undefined);
  const knownHostsFile =
    env.TETHER_GIT_KNOWN_HOSTS_FILE ??
    (secretDir && existsSync(join(secretDir, "known_hosts"))
      ? join(secretDir, "known_hosts")
      : undefined);
  return { username, password, sshKeyFile, knownHostsFile };
}

/**
 * Whether two URLs name one repository, the way a person means them: the host (any
 * case), its port unless it is the scheme's default, and the path (no `.git`, no
 * slashes at either end), whatever the scheme and user: ssh://git@github.com/org/fleet,
 * git@github.com:org/fleet.git and https://github.com/org/fleet are one repository;
 * http://github.com:8080/org/fleet is another. Paths keep their case (plain Git servers
 * tell org/Fleet from org/fleet). Other forms (a local path) compare as written.
 */
export function sameRepository(a: string, b: string): boolean {
  return repositoryKey(a) === repositoryKey(b);
}

const DEFAULT_PORTS: Record<string, string> = { "http:": "80", "https:": "443", "ssh:": "22" };

function repositoryKey(url: string): string {
  const text = url.trim();
  const scp = /^[\w.-]+@([\w.-]+):(?!\/\/)(.+)$/.exec(text);
  let host: string;
  let path: string;
  if (scp) {
    host = (scp[1] as string).toLowerCase();
    path = scp[2] as string;
  } else {
    try {
      const parsed = new URL(text);
      if (parsed.protocol === "file:") return text.replace(/\/+$/, "").replace(/\.git$/, "");
      const port =
        parsed.port && parsed.port !== DEFAULT_PORTS[parsed.protocol] ? `:${parsed.port}` : "";
      host = `${parsed.hostname.toLowerCase()}${port}`;
      path = decodeURIComponent(parsed.pathname);
    } catch {
      return text.replace(/\/+$/, "").replace(/\.git$/, "");
    }
  }
  return `${host}/${path.replace(/^\/+|\/+$/g, "").replace(/\.git$/, "")}`;
}

/** ssh:// and scp-like (git@host:path) URLs. */
export function isSsh(url: string): boolean {
  return url.startsWith("ssh://") || /^[\w.-]+@[\w.-]+:/.test(url);
}

/** `text` as one shell word: single quotes, with each `'` written as `'\\''`. */
function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`;
}

/**
 * What git may see of the agent's own environment: enough to run (PATH, HOME, locale),
 * reach the remote (proxies, CA bundles) and nothing that changes what git does (an
 * EDITOR or PAGER, GIT_DIR or other GIT_* left by a caller such as npm or a hook).
 */
const INHERITED =
  /^(PATH|HOME|USER|LOGNAME|LANG|LC_[A-Z]+|TZ|TMPDIR|XDG_CONFIG_HOME|(HTTPS?|NO|ALL)_PROXY|(https?|no|all)_proxy|SSL_CERT_(FILE|DIR)|GIT_SSL_CAINFO|GIT_SSL_CAPATH)$/;

export function inheritedEnvironment(source: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(source).filter(([key]) => INHERITED.test(key)));
}

/**
 * Seconds a Git connection may stall (no byte moving) before git gives up: a link that
 * drops packets without closing fails the pass, and the next pass retries, instead of
 * the pass waiting for TCP to notice (many minutes; the liveness probe restarts the agent
 * first). TETHER_GIT_STALL_SECONDS sets another (a slow satellite link), at least 1.
 */
export function stallSeconds(env: NodeJS.ProcessEnv = process.env): number {
  const value = Number(env.TETHER_GIT_STALL_SECONDS);
  return Number.isInteger(value) && value >= 1 ? value : 60;
}

export function gitEnvironment(spec: GitSourceSpec): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...inheritedEnvironment(),
    GIT_TERMINAL_PROMPT: "0",
    GIT_CONFIG_NOSYSTEM: "1",
  };
  const stall = stallSeconds();
  // HTTP(S): under a byte a second for that long is a stall (curl's low-speed limit); a
  // slow link still moves more, and so do a server's keepalives while it packs.
  const config: [string, string][] = [
    ["http.lowSpeedLimit", "1"],
    ["http.lowSpeedTime", String(stall)],
  ];
  const creds = spec.credentials ?? {};
  if (/^https?:/.test(spec.url) && (creds.username || creds.password)) {
    const basic = Buffer.from(`${creds.username ?? "git"}:${creds.password ?? ""}`).toString(
      "base64",
    );
    config.push(["http.extraHeader", `Authorization: Basic ${basic}`]);
  } else if (/^https?:/.test(spec.url) && creds.bearerToken) {
    config.push(["http.extraHeader", `Authorization: Bearer ${creds.bearerToken}`]);
  }
  if (/^https:/.test(spec.url)) {
    // Variables, not http.ssl* settings: an inherited GIT_SSL_CAINFO would win over those.
    if (creds.caFile) env.GIT_SSL_CAINFO = creds.caFile;
    if (creds.certFile) env.GIT_SSL_CERT = creds.certFile;
    if (creds.keyFile) env.GIT_SSL_KEY = creds.keyFile;
  }
  if (isSsh(spec.url)) {
    if (!creds.knownHostsFile) {
      throw new GitSourceError(
        "an SSH Git URL needs a known_hosts file (TETHER_GIT_KNOWN_HOSTS_FILE or known_hosts in the secret folder): unknown hosts are refused",
      );
    }
    const parts = [
      "ssh",
      "-F",
      "/dev/null",
      "-o",
      "StrictHostKeyChecking=yes",
      "-o",
      `UserKnownHostsFile=${creds.knownHostsFile}`,
      "-o",
      "BatchMode=yes",
      // A dead peer is noticed after the stall time: keepalives every stall/4 seconds,
      // four unanswered end the connection; connecting gets the stall time too.
      "-o",
      `ConnectTimeout=${stall}`,
      "-o",
      `ServerAliveInterval=${Math.max(1, Math.floor(stall / 4))}`,
      "-o",
      "ServerAliveCountMax=4",
    ];
    if (creds.sshKeyFile) parts.push("-o", "IdentitiesOnly=yes", "-i", creds.sshKeyFile);
    // An ssh:// URL that names no user logs in as git, as Flux does (ssh alone would take
    // the name of the user the agent runs as).
    if (/^ssh:\/\/[^/@]*(\/|$)/.test(spec.url)) parts.push("-o", "User=git");
    // git runs this through `sh -c`: every part single-quoted, so a `$`, a quote or a
    // space in a path is a character of the path, never shell syntax.
    env.GIT_SSH_COMMAND = parts.map(shellQuote).join(" ");
  }
  env.GIT_CONFIG_COUNT = String(config.length);
  config.forEach(([key, value], i) => {
    env[`GIT_CONFIG_KEY_${i}`] = key;
    env[`GIT_CONFIG_VALUE_${i}`] = value;
  });
  return env;
}

/**
 * A simple-git instance that passes the environment above. simple-git guards GIT_*
 * variables, GIT_CONFIG_* and GIT_SSH_COMMAND to protect callers that forward user
 * input; here the environment is the agent's own plus what this module builds.
 */
export function gitIn(dir: string | undefined, env: NodeJS.ProcessEnv): SimpleGit {
  const options = {
    unsafe: { allowUnsafeConfigEnvCount: true, allowUnsafeSshCommand: true },
    allowEnvironment: Object.keys(env),
    ...(dir ? { baseDir: dir } : {}),
  };
  return simpleGit(options).env(env);
}

function refOf(spec: GitSourceSpec): string {
  if (spec.refName) return spec.refName;
  if (spec.tag) return `refs/tags/${spec.tag}`;
  return `refs/heads/${spec.branch ?? "main"}`;
}

function secretsOf(spec: GitSourceSpec): string[] {
  const c = spec.credentials ?? {};
  const values = [
    c.password,
    c.bearerToken,
    c.username && c.password
      ? Buffer.from(`${c.username}:${c.password}`).toString("base64")
      : undefined,
    // git quotes the URL in its messages without the user info but with the query, where
    // some hosts take a token (`?token=…`): those values go too, as redactUrl drops them.
    ...queryValues(spec.url),
  ];
  return values.filter((v): v is string => Boolean(v));
}

/** The values of a URL's query, as written and decoded. */
function queryValues(url: string): string[] {
  const query = /\?([^#]*)/.exec(url)?.[1];
  if (!query) return [];
  return query.split("&").flatMap((pair) => {
    const raw = pair.slice(pair.indexOf("=") + 1);
    if (!pair.includes("=") || raw === "") return [];
    return [raw, decodeOrKeep(raw)];
  });
}

export function describeFailure(
  action: string,
  spec: GitSourceSpec,
  error: unknown,
): GitSourceError {
  const message = messageOf(error);
  // git's generic closing lines say nothing the first line did not; keep the cause.
  const generic =
    /^(fatal: Could not read from remote repository\.|Please make sure you have the correct access rights|and the repository exists\.)/;
  const clean = redactSecrets(message, secretsOf(spec))
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && !generic.test(line))
    .join(" ")
    .slice(0, 500);
  return new GitSourceError(`${action} ${redactUrl(spec.url)} failed: ${clean}`);
}

/** The commit the remote branch or tag points at now (one ls-remote). */
export async function remoteRevision(spec: GitSourceSpec): Promise<string> {
  if (spec.commit) return spec.commit;
  const git = gitIn(undefined, gitEnvironment(spec));
  const ref = refOf(spec);
  let out: string;
  try {
    out = await git.listRemote([spec.url, ref, `${ref}^{}`]);
  } catch (error) {
    throw describeFailure("ls-remote", spec, error);
  }
  // An annotated tag lists the tag object and, with ^{}, the commit: take the commit.
  const lines = out
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((l) => l.split("\t"));
  const peeled =
    lines.find(([, name]) => name === `${ref}^{}`) ?? lines.find(([, name]) => name === ref);
  if (!peeled?.[0]) {
    throw new GitSourceError(
      `${redactUrl(spec.url)} has no ${spec.refName ? `reference ${spec.refName}` : spec.tag ? `tag ${spec.tag}` : `branch ${spec.branch ?? "main"}`}`,
    );
  }
  return peeled[0];
}

/** The remote's tags and the commits they point at (annotated tags peeled), one ls-remote. */
export async function remoteTags(spec: GitSourceSpec): Promise<{ name: string; commit: string }[]> {
  const git = gitIn(undefined, gitEnvironment(spec));
  let out: string;
  try {
    out = await git.listRemote(["--tags", spec.url]);
  } catch (error) {
    throw describeFailure("ls-remote", spec, error);
  }
  const commits = new Map<string, string>();
  for (const line of out.split("\n")) {
    const [sha, ref] = line.trim().split("\t");
    if (!sha || !ref?.startsWith("refs/tags/")) continue;
    const peeled = ref.endsWith("^{}");
    const name = ref.slice("refs/tags/".length, peeled ? -3 : undefined);
    // The ^{} line (the commit) wins over the tag object's line, whichever comes first.
    if (peeled || !commits.has(name)) commits.set(name, sha);
  }
  return [...commits].map(([name, commit]) => ({ name, commit }));
}

/** The cache folder of one source (URL without credentials + ref, and whose credentials). */
export function checkoutDir(cacheDir: string, spec: GitSourceSpec): string {
  const owner =
    (spec.credentialsOwner ? `\n${spec.credentialsOwner}` : "") +
    (spec.chosenBy ? `\nchosen by ${spec.chosenBy}` : "");
  const key = createHash("sha256")
    .update(`${spec.url}\n${refOf(spec)}\n${spec.commit ?? ""}${owner}`)
    .digest("hex")
    .slice(0, 16);
  return join(cacheDir, key);
}

/**
 * Makes the cache folder hold `revision` (from remoteRevision), fetching only when it
 * does not already. The working tree is reset to exactly that commit.
 */
export async function checkout(
  spec: GitSourceSpec,
  revision: string,
  cacheDir: string,
): Promise<Checkout> {
  const dir = checkoutDir(cacheDir, spec);
  const env = gitEnvironment(spec);
  const fresh = !existsSync(join(dir, ".git"));
  if (!fresh) {
    const cached = gitIn(dir, env);
    const head = await cached.revparse(["HEAD"]).catch(() => "");
    if (head.trim() === revision) {
      // A clean tree at the wanted commit needs no fetch; anything else is reset below.
      const status = await cached.status().catch(() => undefined);
      if (status?.isClean()) return { dir, revision, fetched: false };
    }
  }
  return expectRevision(spec, dir, await fetchInto(dir, spec, env, fresh), revision);
}

/**
 * The remote's current revision, checked out in the cache folder: remoteRevision, then
 * checkout. Into an empty cache folder (a first sync, an agent with a new volume) the
 * fetch by name runs beside the ls-remote instead of after it, 60-70 ms sooner; a
 * push between the two shows as another commit fetched than listed, and fails as
 * checkout does.
 */
export function checkoutCurrent(spec: GitSourceSpec, cacheDir: string): Promise<Checkout> {
  const dir = checkoutDir(cacheDir, spec);
  // Two sources of one folder at once (HelmReleases of one chart run side by side): two
  // git processes in one folder fail on each other's lock files. With the same
  // credentials they share one fetch; with others (a token in one URL and not in the
  // other) the second waits, then lists the remote with its own.
  const fingerprint = fingerprintOf(spec);
  const running = underWay.get(dir);
  if (running?.fingerprint === fingerprint) return running.checkout;
  const started = (running?.checkout.catch(() => undefined) ?? Promise.resolve())
    .then(() => checkoutCurrentInto(dir, spec, cacheDir))
    .finally(() => {
      if (underWay.get(dir)?.checkout === started) underWay.delete(dir);
    });
  underWay.set(dir, { fingerprint, checkout: started });
  return started;
}

/**
 * Removes the cache folders of `specs` (checkouts that are no longer wanted, such as the
 * tags a semver range picked before), except any with a checkout under way.
 */
export async function removeCheckouts(
  cacheDir: string,
  specs: readonly GitSourceSpec[],
): Promise<void> {
  for (const spec of specs) {
    const dir = checkoutDir(cacheDir, spec);
    if (underWay.has(dir) || !existsSync(dir)) continue;
    await rm(dir, { recursive: true, force: true });
  }
}

/** Checkouts under way, by cache folder, with whose credentials they fetch. */
const underWay = new Map<string, { fingerprint: string; checkout: Promise<Checkout> }>();

/**
 * Whose credentials: the Secret they come from (its SSH key is a new temporary file on
 * every call), else a hash of them, in memory only (never part of a name on disk).
 */
function fingerprintOf(spec: GitSourceSpec): string {
  if (spec.credentialsOwner) return `secret ${spec.credentialsOwner}`;
  const c = spec.credentials ?? {};
  return createHash("sha256")
    .update(JSON.stringify([c.username, c.password, c.bearerToken, c.sshKeyFile, c.knownHostsFile]))
    .digest("hex");
}

async function checkoutCurrentInto(
  dir: string,
  spec: GitSourceSpec,
  cacheDir: string,
): Promise<Checkout> {
  if (spec.commit || existsSync(join(dir, ".git")))
    return checkout(spec, await remoteRevision(spec), cacheDir);
  // Before either starts: a refused environment (SSH without known_hosts) throws here,
  // not after the ls-remote is under way with nobody left to hear how it ends.
  const env = gitEnvironment(spec);
  const [listed, fetched] = await Promise.allSettled([
    remoteRevision(spec),
    fetchInto(dir, spec, env, true),
  ]);
  // The ls-remote's failure first: it says best what is wrong with the remote.
  if (listed.status === "rejected") throw listed.reason;
  if (fetched.status === "rejected") throw fetched.reason;
  return expectRevision(spec, dir, fetched.value, listed.value);
}

function expectRevision(
  spec: GitSourceSpec,
  dir: string,
  head: string,
  revision: string,
): Checkout {
  if (head !== revision) {
    throw new GitSourceError(
      `fetched ${head} from ${redactUrl(spec.url)} but expected ${revision}`,
    );
  }
  return { dir, revision, fetched: true };
}

/**
 * Fetches the spec's branch, tag or commit into `dir` (a new folder when `fresh`, else
 * an earlier checkout) and checks it out; answers the commit checked out. The folder
 * has no remote: every fetch and push names the URL, so a cache folder reaches only
 * the remote its name is made of (and no silent `git remote add`, which simple-git
 * ends 50 ms late).
 */
async function fetchInto(
  dir: string,
  spec: GitSourceSpec,
  env: NodeJS.ProcessEnv,
  fresh: boolean,
): Promise<string> {
  try {
    return await fetchOnce(dir, spec, env, fresh);
  } catch (error) {
    // A git killed in this folder (a restart, an OOM kill, a power cut) left its lock
    // files, and the folder outlives restarts: every later fetch would fail on them. No
    // other git runs here (checkoutCurrent serializes the folder), so it starts afresh.
    if (fresh || !/\.lock'?: File exists/.test(messageOf(error))) throw error;
    return fetchOnce(dir, spec, env, true);
  }
}

async function fetchOnce(
  dir: string,
  spec: GitSourceSpec,
  env: NodeJS.ProcessEnv,
  fresh: boolean,
): Promise<string> {
  if (fresh) {
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    await gitIn(dir, env).init();
  }
  const git = gitIn(dir, env);
  try {
    await git.fetch(["--depth", "1", "--no-tags", spec.url, spec.commit ?? refOf(spec)]);
    await git.raw(["checkout", "--force", "--detach", "FETCH_HEAD"]);
    // A new clone has nothing to clean (one git process less on a first sync).
    if (!fresh) await git.raw(["clean", "-ffdx"]);
  } catch (error) {
    throw describeFailure("fetch", spec, error);
  }
  return (await git.revparse(["HEAD"])).trim();
}

/**
 * Points `tag` at `revision` on the remote, as Flux v1's sync tag does, so people can
 * see what the cluster runs. The tag belongs to the agent, so it is moved with a
 * forced tag update; branches are never forced.
 */
export async function moveSyncTag(
  spec: GitSourceSpec,
  dir: string,
  revision: string,
  tag: string,
): Promise<void> {
  try {
    await gitIn(dir, gitEnvironment(spec)).raw([
      "push",
      "--force",
      spec.url,
      `${revision}:refs/tags/${tag}`,
    ]);
  } catch (error) {
    throw describeFailure(`moving tag ${tag} on`, spec, error);
  }
}
