// The Git source of the agent: asks the remote for the revision of a branch or tag
// first (`ls-remote`, one small request) and fetches only when it changed, shallow and
// single-branch, into a cache folder that survives restarts (into an empty one, both
// at once: checkoutCurrent). A Flux source may ask for its folders alone (sparse), its
// submodules too (fetched only over the network, its credentials only to its own host)
// and a deadline for all of it.
//
// Credentials never appear on a command line, in a remote URL stored on disk, or in
// output: they are taken out of the URL and handed to git through environment config
// (an Authorization header for HTTP(S), a key file and known_hosts for SSH).
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join, posix } from "node:path";
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
  /**
   * Folders checked out alone (a GitRepository's `spec.sparseCheckout`, normalized by
   * sparseDirectories): the checkout holds nothing else, in a cache folder of its own.
   */
  sparseCheckout?: readonly string[] | undefined;
  /** Submodules checked out too (`spec.recurseSubmodules`), with these credentials. */
  recurseSubmodules?: boolean | undefined;
  /**
   * Every git process of the fetch ends when `signal` aborts (a GitRepository's
   * `spec.timeout`); `label` says so in the error, e.g. `60s (spec.timeout)`.
   */
  deadline?: { signal: AbortSignal; label: string } | undefined;
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

/**
 * The origin (`scheme://host:port/`) a URL's credentials are scoped to when submodules
 * are fetched: git sends an `http.<origin>.extraHeader` only to URLs under it, so a
 * submodule on another host is fetched without them, never with a token it was not
 * given for.
 */
export function credentialOrigin(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return /^https?:$/.test(parsed.protocol) ? `${parsed.protocol}//${parsed.host}/` : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Config for `git submodule update`: only network transports (a `file://` URL or a
 * local path, at any depth of nesting, is refused by git itself: it would read the
 * agent's disk, other sources' checkouts included).
 */
export const SUBMODULE_PROTOCOLS: readonly [string, string][] = [
  ["protocol.allow", "never"],
  ["protocol.https.allow", "always"],
  ["protocol.http.allow", "always"],
  ["protocol.ssh.allow", "always"],
];

export function gitEnvironment(
  spec: GitSourceSpec,
  options: { submodules?: boolean } = {},
): NodeJS.ProcessEnv {
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
  // Fetching submodules, the header goes only to the repository's own origin.
  const origin = options.submodules ? credentialOrigin(spec.url) : undefined;
  const header = origin ? `http.${origin}.extraHeader` : "http.extraHeader";
  if (/^https?:/.test(spec.url) && (creds.username || creds.password)) {
    const basic = Buffer.from(`${creds.username ?? "git"}:${creds.password ?? ""}`).toString(
      "base64",
    );
    config.push([header, `Authorization: Basic ${basic}`]);
  } else if (/^https?:/.test(spec.url) && creds.bearerToken) {
    config.push([header, `Authorization: Bearer ${creds.bearerToken}`]);
  }
  if (options.submodules) config.push(...SUBMODULE_PROTOCOLS);
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
export function gitIn(
  dir: string | undefined,
  env: NodeJS.ProcessEnv,
  signal?: AbortSignal,
): SimpleGit {
  const options = {
    // protocol.* is set only to narrow what a submodule may use (SUBMODULE_PROTOCOLS).
    unsafe: {
      allowUnsafeConfigEnvCount: true,
      allowUnsafeSshCommand: true,
      allowUnsafeProtocolOverride: true,
    },
    allowEnvironment: Object.keys(env),
    ...(dir ? { baseDir: dir } : {}),
    // spec.timeout: simple-git kills the running git when the deadline passes.
    ...(signal ? { abort: signal } : {}),
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
  if (spec.deadline?.signal.aborted)
    return new GitSourceError(
      `${action} ${redactUrl(spec.url)} timed out after ${spec.deadline.label}`,
    );
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
  const git = gitIn(undefined, gitEnvironment(spec), spec.deadline?.signal);
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
  const git = gitIn(undefined, gitEnvironment(spec), spec.deadline?.signal);
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

/**
 * The cache folder of one source (URL without credentials + ref, and whose credentials;
 * sparse folders and submodules, when asked for): a sparse checkout never serves a
 * reader of the whole repository, nor one without submodules one with them.
 */
export function checkoutDir(cacheDir: string, spec: GitSourceSpec): string {
  const sparse = spec.sparseCheckout?.length
    ? `\nsparse ${[...new Set(spec.sparseCheckout)].sort().join("\0")}`
    : "";
  const owner =
    (spec.credentialsOwner ? `\n${spec.credentialsOwner}` : "") +
    (spec.chosenBy ? `\nchosen by ${spec.chosenBy}` : "") +
    sparse +
    (spec.recurseSubmodules ? "\nsubmodules" : "");
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
    const cached = gitIn(dir, env, spec.deadline?.signal);
    const head = await cached.revparse(["HEAD"]).catch(() => "");
    // Submodules count only when their update finished for this commit (an update
    // cut short leaves a clean-looking tree without them).
    if (head.trim() === revision && (await submodulesDone(dir, spec, revision))) {
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
  // Another timeout waits too: a short spec.timeout never cuts short a longer one's fetch.
  const fingerprint = `${fingerprintOf(spec)}\n${spec.deadline?.label ?? ""}`;
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
  try {
    return await checkoutCurrentSteps(dir, spec, cacheDir);
  } catch (error) {
    // A git step killed at the deadline says so, whichever it was.
    if (spec.deadline?.signal.aborted && !(error instanceof GitSourceError))
      throw describeFailure("fetch", spec, error);
    throw error;
  }
}

async function checkoutCurrentSteps(
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
  const signal = spec.deadline?.signal;
  if (fresh) {
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    await gitIn(dir, env, signal).init();
  }
  const git = gitIn(dir, env, signal);
  try {
    await rm(join(dir, ".git", SUBMODULES_DONE), { force: true });
    // Before the checkout, so the folders left out are never written.
    if (spec.sparseCheckout?.length) {
      await git.raw(["config", "core.sparseCheckout", "true"]);
      await mkdir(join(dir, ".git", "info"), { recursive: true });
      await writeFile(
        join(dir, ".git", "info", "sparse-checkout"),
        sparsePatterns(spec.sparseCheckout),
      );
    }
    await git.fetch(["--depth", "1", "--no-tags", spec.url, spec.commit ?? refOf(spec)]);
    await git.raw(["checkout", "--force", "--detach", "FETCH_HEAD"]);
    // A new clone has nothing to clean (one git process less on a first sync).
    if (!fresh) await git.raw(["clean", "-ffdx"]);
  } catch (error) {
    throw describeFailure("fetch", spec, error);
  }
  const head = (await git.revparse(["HEAD"])).trim();
  if (spec.recurseSubmodules) await updateSubmodules(dir, spec, head);
  return head;
}

/** Written in `.git` once the submodules of a commit are checked out: its SHA. */
const SUBMODULES_DONE = "tether-submodules";

async function submodulesDone(dir: string, spec: GitSourceSpec, revision: string) {
  if (!spec.recurseSubmodules) return true;
  const done = await readFile(join(dir, ".git", SUBMODULES_DONE), "utf8").catch(() => "");
  return done.trim() === revision;
}

/**
 * `git submodule update --init --recursive` of the submodules of `.gitmodules` (those in
 * the sparse folders, with a sparse checkout), each URL resolved against the
 * repository's own first (submoduleUrl: a relative one, a local one refused), with the
 * repository's credentials for its own origin only (gitEnvironment).
 */
async function updateSubmodules(dir: string, spec: GitSourceSpec, head: string): Promise<void> {
  const signal = spec.deadline?.signal;
  const git = gitIn(dir, gitEnvironment(spec), signal);
  let declared: Submodule[];
  try {
    // Read from the commit: a sparse checkout may leave .gitmodules out of the tree. git
    // lists it (--null: names and values exactly as git reads them, any character in them).
    const present = await git.raw(["ls-tree", "--name-only", "HEAD", ".gitmodules"]);
    declared = present.trim()
      ? parseGitmodules(await git.raw(["config", "--blob", "HEAD:.gitmodules", "--null", "--list"]))
      : [];
  } catch (error) {
    throw describeFailure("reading .gitmodules of", spec, error);
  }
  const wanted = declared.filter((m) => insideSparse(m.path, spec.sparseCheckout));
  for (const module of wanted) {
    // After `--`: neither the name nor the URL is ever read as an option.
    const url = submoduleUrl(spec.url, module);
    await git.raw(["config", "--", `submodule.${module.name}.url`, url]);
  }
  if (wanted.length > 0) {
    try {
      await gitIn(dir, gitEnvironment(spec, { submodules: true }), signal).raw([
        "submodule",
        "update",
        "--init",
        "--recursive",
        "--checkout",
        "--depth",
        "1",
        "--",
        ...wanted.map((m) => m.path),
      ]);
    } catch (error) {
      throw describeFailure("submodule update of", spec, error);
    }
  }
  await writeFile(join(dir, ".git", SUBMODULES_DONE), head);
}

export interface Submodule {
  name: string;
  path: string;
  url: string;
}

/**
 * The submodules of `git config --null --list` over .gitmodules: entries `key\nvalue\0`,
 * the key `submodule.<name>.<variable>` (the name, between the first dot and the last,
 * may hold dots, spaces, anything but a newline; git lowercases the rest). Other
 * sections and variables are not read; of a repeated key the last wins, as in git.
 * What it cannot take as git would (a submodule without a path or URL, a name git
 * refuses, two at one path, output of another form) is refused, naming .gitmodules:
 * a submodule is never left out, its folder empty.
 */
export function parseGitmodules(output: string): Submodule[] {
  const found = new Map<string, Partial<Submodule>>();
  for (const entry of output.split("\0")) {
    if (!entry) continue;
    const newline = entry.indexOf("\n");
    const key = newline < 0 ? entry : entry.slice(0, newline);
    const value = newline < 0 ? undefined : entry.slice(newline + 1);
    const dot = key.lastIndexOf(".");
    // git prints section and variable names lowercased, the variable alphanumeric.
    if (dot < 1 || !/^[a-z][a-z0-9-]*$/.test(key.slice(dot + 1)))
      throw new GitSourceError(
        `.gitmodules cannot be read: ${JSON.stringify(entry.slice(0, 80))} is not an entry as git config --null --list writes one`,
      );
    const variable = key.slice(dot + 1);
    if (!key.startsWith("submodule.") || dot <= "submodule".length) continue;
    if (variable !== "url" && variable !== "path") continue;
    const name = key.slice("submodule.".length, dot);
    if (value === undefined)
      throw new GitSourceError(`submodule '${name}' in .gitmodules: ${variable} has no value`);
    const module = found.get(name) ?? { name };
    module[variable] = value;
    found.set(name, module);
  }
  const byPath = new Map<string, string>();
  return [...found.values()].map((module) => {
    const name = module.name as string;
    if (!module.path) throw new GitSourceError(`submodule '${name}' in .gitmodules has no path`);
    if (!module.url) throw new GitSourceError(`submodule '${name}' in .gitmodules has no url`);
    // As git's check_submodule_name: a name is a folder under .git/modules.
    if (name.split(/[/\\]/).includes(".."))
      throw new GitSourceError(
        `submodule '${name}' in .gitmodules: git refuses its name (a .. step)`,
      );
    const path = module.path.replace(/^(\.\/)+|\/+$/g, "");
    const other = byPath.get(path);
    if (other !== undefined)
      throw new GitSourceError(
        `submodules '${other}' and '${name}' in .gitmodules have one path (${path})`,
      );
    byPath.set(path, name);
    return module as Submodule;
  });
}

/** Whether a submodule at `path` is inside the sparse folders (all are, without them). */
export function insideSparse(path: string, sparse: readonly string[] | undefined): boolean {
  if (!sparse?.length) return true;
  const clean = path.replace(/^\.\/+|\/+$/g, "");
  return sparse.some((dir) => clean === dir || clean.startsWith(`${dir}/`));
}

/**
 * The URL a submodule is fetched from, decided before git sees it. A relative URL
 * (`../other.git`) is resolved against the repository's own URL, as git resolves it
 * against the remote (the cache folder has none: git would take it as a path on the
 * agent's disk). http(s), ssh and scp-like URLs stand. A `file://` URL, a local path and
 * any other transport are refused: they would read the agent's disk (other sources'
 * checkouts, mounted Secrets) or run a program.
 */
export function submoduleUrl(parentUrl: string, module: Pick<Submodule, "name" | "url">): string {
  const url = module.url.trim();
  const refuse = (why: string) =>
    new GitSourceError(
      `submodule '${module.name}' URL ${redactUrl(url)} refused: ${why}; a submodule is fetched over http(s) or ssh, by an absolute URL or one relative to the repository's`,
    );
  if (url.startsWith("./") || url.startsWith("../")) {
    const scp = /^([\w.-]+@[\w.-]+):(?!\/\/)(.*)$/.exec(parentUrl);
    if (scp) {
      const path = posix.normalize(posix.join(scp[2] as string, url));
      if (path.startsWith("..")) throw refuse("it leaves the host's paths");
      return `${scp[1]}:${path}`;
    }
    let base: URL;
    try {
      base = new URL(`${parentUrl.replace(/\/+$/, "")}/`);
    } catch {
      throw refuse("the repository's own URL is not a URL to resolve it against");
    }
    if (!/^(https?|ssh):$/.test(base.protocol)) throw refuse("the repository is not remote");
    const resolved = new URL(url, base);
    resolved.username = base.username;
    resolved.password = "";
    return resolved.toString().replace(/\/+$/, "");
  }
  // git reads a user or host that begins with `-` as an option of ssh.
  if (/^-|^[^/]*@-|^ssh:\/\/([^/]*@)?-/i.test(url)) throw refuse("it would be read as an option");
  if (/^[\w.-]+@[\w.-]+:(?!\/\/)/.test(url)) return url;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw refuse("it is a path on the agent's disk");
  }
  if (parsed.protocol === "file:") throw refuse("it is a path on the agent's disk");
  if (!/^(https?|ssh):$/.test(parsed.protocol))
    throw refuse(`the ${parsed.protocol.replace(/:$/, "")} transport is not allowed`);
  return url;
}

/**
 * A GitRepository's `spec.sparseCheckout` as folders of the repository: `./apps/` is
 * `apps` (Flux trims the `./`); a path that is not a folder below the root (empty, `.`,
 * a `..` step) is refused, with the path as written.
 */
export function sparseDirectories(list: readonly unknown[]): string[] {
  return list.map((entry) => {
    const text = typeof entry === "string" ? entry : "";
    const clean = text
      .trim()
      .replace(/^(\.\/)+/, "")
      .replace(/\/{2,}/g, "/")
      .replace(/^\/+|\/+$/g, "");
    const steps = clean.split("/");
    if (!clean || steps.some((step) => step === "." || step === ".."))
      throw new GitSourceError(
        `sparse checkout dir '${String(entry)}' is not a folder inside the repository (write e.g. ./apps)`,
      );
    return clean;
  });
}

/**
 * The `.git/info/sparse-checkout` of folders: each folder and what is below it, nothing
 * at the root (as Flux's artifact holds only those folders). Glob characters in a name
 * are escaped, so a folder is matched by its name alone.
 */
export function sparsePatterns(dirs: readonly string[]): string {
  return dirs.map((dir) => `/${dir.replace(/[*?[\\]/g, "\\$&")}/\n`).join("");
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
