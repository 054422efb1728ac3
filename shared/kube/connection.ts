// Where the API server is and how to authenticate to it, found as client-go and
// @kubernetes/client-node find it: the KUBECONFIG files, else ~/.kube/config, else the
// Pod's ServiceAccount (in-cluster). Read here with `yaml` and plain files because
// @kubernetes/client-node costs about 30 MiB of the agent's 64 MiB budget once loaded;
// it is still loaded, lazily, for what only it does: exec and auth-provider plugins.
import { readFileSync } from "node:fs";
import { access, readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { delimiter, dirname, isAbsolute, join } from "node:path";
import { load } from "js-yaml";

export const SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

/** Tokens read from a file are read again after this long (client-go does the same). */
const TOKEN_FILE_REFRESH_MS = 60_000;

export interface Connection {
  /** https://host:port, without a trailing slash. */
  server: string;
  tls: {
    ca?: string | Buffer | undefined;
    cert?: string | Buffer | undefined;
    key?: string | Buffer | undefined;
    rejectUnauthorized?: boolean | undefined;
    servername?: string | undefined;
  };
  /** The Authorization header of the next request (tokens rotate), if any. */
  authorization(): Promise<string | undefined>;
}

export interface ConnectionOptions {
  /** A kubeconfig file; default: KUBECONFIG, ~/.kube/config or in-cluster. */
  kubeconfig?: string | undefined;
  /** For tests: the environment and the ServiceAccount folder of in-cluster config. */
  env?: NodeJS.ProcessEnv;
  serviceAccountDir?: string;
}

interface NamedEntry<T> {
  name: string;
  [key: string]: unknown;
  value?: T;
}

interface KubeconfigCluster {
  server?: string;
  "certificate-authority"?: string;
  "certificate-authority-data"?: string;
  "insecure-skip-tls-verify"?: boolean;
  "tls-server-name"?: string;
}

interface KubeconfigUser {
  token?: string;
  tokenFile?: string;
  username?: string;
  password?: string;
  "client-certificate"?: string;
  "client-certificate-data"?: string;
  "client-key"?: string;
  "client-key-data"?: string;
  exec?: unknown;
  "auth-provider"?: unknown;
}

/** One kubeconfig file as parsed, with the folder its relative paths start from. */
interface KubeconfigFile {
  dir: string;
  currentContext?: string | undefined;
  clusters: NamedEntry<KubeconfigCluster>[];
  users: NamedEntry<KubeconfigUser>[];
  contexts: NamedEntry<{ cluster?: string; user?: string }>[];
}

export async function loadConnection(options: ConnectionOptions = {}): Promise<Connection> {
  const env = options.env ?? process.env;
  const home = join(env.HOME ?? homedir(), ".kube", "config");
  const files = options.kubeconfig
    ? [options.kubeconfig]
    : env.KUBECONFIG
      ? env.KUBECONFIG.split(delimiter).filter(Boolean)
      : (await exists(home))
        ? [home]
        : [];
  if (files.length > 0) return fromKubeconfig(files);
  if (env.KUBERNETES_SERVICE_HOST) {
    return inCluster(env, options.serviceAccountDir ?? SERVICE_ACCOUNT_DIR);
  }
  throw new Error(
    "no Kubernetes connection: set KUBECONFIG, write ~/.kube/config or run in a Pod with a ServiceAccount",
  );
}

/** In a Pod: the API server from the Service environment, the ServiceAccount's token and CA. */
async function inCluster(env: NodeJS.ProcessEnv, dir: string): Promise<Connection> {
  const host = env.KUBERNETES_SERVICE_HOST as string;
  const port = env.KUBERNETES_SERVICE_PORT ?? "443";
  return {
    server: `https://${host.includes(":") ? `[${host}]` : host}:${port}`,
    tls: { ca: await readFile(join(dir, "ca.crt")) },
    authorization: bearerFromFile(join(dir, "token")),
  };
}

function bearerFromFile(path: string): () => Promise<string> {
  let token = "";
  let readAt = 0;
  return async () => {
    if (!token || Date.now() - readAt > TOKEN_FILE_REFRESH_MS) {
      token = (await readFile(path, "utf8")).trim();
      readAt = Date.now();
    }
    return `Bearer ${token}`;
  };
}

function readKubeconfig(path: string): KubeconfigFile {
  return parseKubeconfig(readFileSync(path, "utf8"), dirname(path));
}

function parseKubeconfig(text: string, dir: string): KubeconfigFile {
  // js-yaml, the manifests' parser: an agent run with a kubeconfig does not load `yaml`.
  const doc = (load(text) ?? {}) as Record<string, unknown>;
  const list = <T>(key: string, field: string): NamedEntry<T>[] =>
    ((doc[key] as Record<string, unknown>[] | undefined) ?? []).map((e) => ({
      name: String(e.name),
      value: (e[field] ?? {}) as T,
    }));
  return {
    dir,
    currentContext: doc["current-context"] as string | undefined,
    clusters: list("clusters", "cluster"),
    users: list("users", "user"),
    contexts: list("contexts", "context"),
  };
}

async function fromKubeconfig(paths: string[]): Promise<Connection> {
  // Several files merge as kubectl merges them: the first one to define a name wins.
  const files = paths.map(readKubeconfig);
  const find = <T>(pick: (f: KubeconfigFile) => NamedEntry<T>[], name: string | undefined) => {
    for (const f of files) {
      const hit = pick(f).find((e) => e.name === name);
      if (hit) return { value: hit.value ?? ({} as T), dir: f.dir };
    }
    return undefined;
  };
  const contextName = files.find((f) => f.currentContext)?.currentContext;
  const context = find((f) => f.contexts, contextName);
  if (!context) throw new Error(`the kubeconfig has no current context (${paths.join(", ")})`);
  const cluster = find((f) => f.clusters, context.value.cluster);
  if (!cluster?.value.server) throw new Error("the kubeconfig has no current cluster");
  const user = find((f) => f.users, context.value.user) ?? { value: {}, dir: files[0]?.dir ?? "" };
  const u = user.value;
  if (u.exec || u["auth-provider"]) return withPlugin(paths);

  const path = (dir: string, p: string) => (isAbsolute(p) ? p : join(dir, p));
  const data = (inline: string | undefined, file: string | undefined, dir: string) =>
    inline ? Buffer.from(inline, "base64") : file ? readFileSync(path(dir, file)) : undefined;
  const c = cluster.value;
  const basic =
    u.username !== undefined
      ? `Basic ${Buffer.from(`${u.username}:${u.password ?? ""}`).toString("base64")}`
      : undefined;
  return {
    server: (c.server as string).replace(/\/+$/, ""),
    tls: {
      ca: data(c["certificate-authority-data"], c["certificate-authority"], cluster.dir),
      cert: data(u["client-certificate-data"], u["client-certificate"], user.dir),
      key: data(u["client-key-data"], u["client-key"], user.dir),
      rejectUnauthorized: c["insecure-skip-tls-verify"] === true ? false : undefined,
      servername: c["tls-server-name"],
    },
    authorization: u.token
      ? async () => `Bearer ${u.token}`
      : u.tokenFile
        ? bearerFromFile(path(user.dir, u.tokenFile))
        : async () => basic,
  };
}

/** What a self-contained kubeconfig may not hold, in each cluster and user entry. */
const LOCAL_FIELDS = {
  cluster: ["certificate-authority"],
  user: ["tokenFile", "client-certificate", "client-key", "exec", "auth-provider"],
} as const;

/**
 * A connection from the text of a kubeconfig that must be self-contained (a remote
 * cluster's, read from a Secret): credentials and certificates inline. Any entry that
 * names a file (`certificate-authority`, `tokenFile`, `client-certificate`,
 * `client-key`) or a plugin (`exec`, `auth-provider`) is refused, so whoever writes the
 * kubeconfig cannot make this process read its own files or run a command. As
 * kustomize-controller without `--insecure-kubeconfig-tls`, `insecure-skip-tls-verify`
 * is ignored: the server's certificate is verified. Error messages never quote values.
 */
export function selfContainedConnection(text: string): Connection {
  let file: KubeconfigFile;
  try {
    file = parseKubeconfig(text, "");
  } catch (error) {
    // The parser's message quotes the text around the problem: it may hold a token.
    const line = (error as { mark?: { line?: number } }).mark?.line;
    throw new Error(
      `the kubeconfig is not valid YAML of a kubeconfig${line !== undefined ? ` (line ${line + 1})` : ""}`,
    );
  }
  for (const [key, fields] of [
    ["cluster", LOCAL_FIELDS.cluster],
    ["user", LOCAL_FIELDS.user],
  ] as const) {
    const entries = key === "cluster" ? file.clusters : file.users;
    for (const entry of entries) {
      const found = fields.find((f) => (entry.value as Record<string, unknown>)?.[f]);
      if (found === undefined) continue;
      const what =
        found === "exec" || found === "auth-provider"
          ? "would run a command (a credential plugin)"
          : "would read a file on the agent's machine";
      throw new Error(
        `${key} '${entry.name}' of the kubeconfig has ${found}, which ${what}: only inline credentials and certificates are accepted (token, client-certificate-data, client-key-data, certificate-authority-data)`,
      );
    }
  }
  const context = file.contexts.find((c) => c.name === file.currentContext)?.value;
  if (!context) throw new Error("the kubeconfig has no current context");
  const cluster = file.clusters.find((c) => c.name === context.cluster)?.value;
  if (!cluster?.server) throw new Error("the kubeconfig's current context has no cluster server");
  const u = file.users.find((e) => e.name === context.user)?.value ?? {};
  const inline = (data: string | undefined) => (data ? Buffer.from(data, "base64") : undefined);
  const basic =
    u.username !== undefined
      ? `Basic ${Buffer.from(`${u.username}:${u.password ?? ""}`).toString("base64")}`
      : undefined;
  const authorization = u.token ? `Bearer ${u.token}` : basic;
  return {
    server: String(cluster.server).replace(/\/+$/, ""),
    tls: {
      ca: inline(cluster["certificate-authority-data"]),
      cert: inline(u["client-certificate-data"]),
      key: inline(u["client-key-data"]),
      servername: cluster["tls-server-name"],
    },
    authorization: async () => authorization,
  };
}

/** exec and auth-provider plugins: @kubernetes/client-node runs them (loaded only here). */
async function withPlugin(paths: string[]): Promise<Connection> {
  // client-node's HTTP stack (undici) needs zlib's zstd, which Node 20 lacks.
  const { KubeConfig } = await import("./kubeconfig-plugins.ts").catch((error: Error) => {
    throw new Error(
      `the kubeconfig's exec or auth-provider plugin needs Node 22.15 or newer (this is ${process.version}): ${error.message}`,
    );
  });
  const config = new KubeConfig();
  if (paths.length === 1) config.loadFromFile(paths[0] as string);
  else config.loadFromDefault();
  const cluster = config.getCurrentCluster();
  if (!cluster) throw new Error("the kubeconfig has no current cluster");
  const tls: Connection["tls"] & { headers?: unknown } = {};
  await config.applyToHTTPSOptions(tls);
  return {
    server: cluster.server.replace(/\/+$/, ""),
    tls: {
      ca: tls.ca,
      cert: tls.cert,
      key: tls.key,
      rejectUnauthorized: tls.rejectUnauthorized,
      servername: tls.servername,
    },
    authorization: async () => {
      const auth: { headers?: Record<string, string> } = {};
      await config.applyToHTTPSOptions(auth);
      return auth.headers?.Authorization;
    },
  };
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
