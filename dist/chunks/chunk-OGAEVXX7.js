#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  CREATED_BY_APPLY
} from "./chunk-XH5JYCWA.js";
import {
  KubeApiError
} from "./chunk-OMIHXC2B.js";
import {
  groupOf,
  refOf
} from "./chunk-Z62KHOJY.js";
import {
  load
} from "./chunk-XRGQOWGB.js";

// shared/kube/client.ts
const { Agent, request: httpsRequest } = require("node:https");
const { createSecureContext } = require("node:tls");

// shared/kube/connection.ts
const { readFileSync } = require("node:fs");
const { access, readFile } = require("node:fs/promises");
const { homedir } = require("node:os");
const { delimiter, dirname, isAbsolute, join } = require("node:path");
var SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";
var TOKEN_FILE_REFRESH_MS = 6e4;
async function loadConnection(options = {}) {
  const env = options.env ?? process.env;
  const home = join(env.HOME ?? homedir(), ".kube", "config");
  const files = options.kubeconfig ? [options.kubeconfig] : env.KUBECONFIG ? env.KUBECONFIG.split(delimiter).filter(Boolean) : await exists(home) ? [home] : [];
  if (files.length > 0) return fromKubeconfig(files);
  if (env.KUBERNETES_SERVICE_HOST) {
    return inCluster(env, options.serviceAccountDir ?? SERVICE_ACCOUNT_DIR);
  }
  throw new Error(
    "no Kubernetes connection: set KUBECONFIG, write ~/.kube/config or run in a Pod with a ServiceAccount"
  );
}
async function inCluster(env, dir) {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT ?? "443";
  return {
    server: `https://${host.includes(":") ? `[${host}]` : host}:${port}`,
    tls: { ca: await readFile(join(dir, "ca.crt")) },
    authorization: bearerFromFile(join(dir, "token"))
  };
}
function bearerFromFile(path) {
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
function readKubeconfig(path) {
  const doc = load(readFileSync(path, "utf8")) ?? {};
  const list = (key, field) => (doc[key] ?? []).map((e) => ({
    name: String(e.name),
    value: e[field] ?? {}
  }));
  return {
    dir: dirname(path),
    currentContext: doc["current-context"],
    clusters: list("clusters", "cluster"),
    users: list("users", "user"),
    contexts: list("contexts", "context")
  };
}
async function fromKubeconfig(paths) {
  const files = paths.map(readKubeconfig);
  const find = (pick, name) => {
    for (const f of files) {
      const hit = pick(f).find((e) => e.name === name);
      if (hit) return { value: hit.value ?? {}, dir: f.dir };
    }
    return void 0;
  };
  const contextName = files.find((f) => f.currentContext)?.currentContext;
  const context = find((f) => f.contexts, contextName);
  if (!context) throw new Error(`the kubeconfig has no current context (${paths.join(", ")})`);
  const cluster = find((f) => f.clusters, context.value.cluster);
  if (!cluster?.value.server) throw new Error("the kubeconfig has no current cluster");
  const user = find((f) => f.users, context.value.user) ?? { value: {}, dir: files[0]?.dir ?? "" };
  const u = user.value;
  if (u.exec || u["auth-provider"]) return withPlugin(paths);
  const path = (dir, p) => isAbsolute(p) ? p : join(dir, p);
  const data = (inline, file, dir) => inline ? Buffer.from(inline, "base64") : file ? readFileSync(path(dir, file)) : void 0;
  const c = cluster.value;
  const basic = u.username !== void 0 ? `Basic ${Buffer.from(`${u.username}:${u.password ?? ""}`).toString("base64")}` : void 0;
  return {
    server: c.server.replace(/\/+$/, ""),
    tls: {
      ca: data(c["certificate-authority-data"], c["certificate-authority"], cluster.dir),
      cert: data(u["client-certificate-data"], u["client-certificate"], user.dir),
      key: data(u["client-key-data"], u["client-key"], user.dir),
      rejectUnauthorized: c["insecure-skip-tls-verify"] === true ? false : void 0,
      servername: c["tls-server-name"]
    },
    authorization: u.token ? async () => `Bearer ${u.token}` : u.tokenFile ? bearerFromFile(path(user.dir, u.tokenFile)) : async () => basic
  };
}
async function withPlugin(paths) {
  const { KubeConfig } = await import("./kubeconfig-plugins-AUR2AL7L.js").catch((error) => {
    throw new Error(
      `the kubeconfig's exec or auth-provider plugin needs Node 22.15 or newer (this is ${process.version}): ${error.message}`
    );
  });
  const config = new KubeConfig();
  if (paths.length === 1) config.loadFromFile(paths[0]);
  else config.loadFromDefault();
  const cluster = config.getCurrentCluster();
  if (!cluster) throw new Error("the kubeconfig has no current cluster");
  const tls = {};
  await config.applyToHTTPSOptions(tls);
  return {
    server: cluster.server.replace(/\/+$/, ""),
    tls: {
      ca: tls.ca,
      cert: tls.cert,
      key: tls.key,
      rejectUnauthorized: tls.rejectUnauthorized,
      servername: tls.servername
    },
    authorization: async () => {
      const auth = {};
      await config.applyToHTTPSOptions(auth);
      return auth.headers?.Authorization;
    }
  };
}
async function exists(path) {
  return access(path).then(
    () => true,
    () => false
  );
}

// shared/kube/client.ts
var KubeClient = class _KubeClient {
  server;
  /** Requests sent and bytes of bodies sent and received (benchmarks report them). */
  requests = 0;
  bytesSent = 0;
  bytesReceived = 0;
  connection;
  agent;
  discovery = /* @__PURE__ */ new Map();
  /** Set on a view made by `impersonating`: requests act as this user. */
  impersonateUser;
  constructor(connection, maxSockets) {
    this.connection = connection;
    this.server = connection.server;
    const tls = connection.tls;
    this.agent = new Agent({
      keepAlive: true,
      maxSockets,
      // One TLS context for every connection: given ca, cert and key instead, Node
      // builds a context (certificate store, key) for each new socket.
      secureContext: createSecureContext({
        ...tls.ca ? { ca: tls.ca } : {},
        ...tls.cert ? { cert: tls.cert } : {},
        ...tls.key ? { key: tls.key } : {}
      }),
      ...tls.rejectUnauthorized === false ? { rejectUnauthorized: false } : {},
      ...tls.servername ? { servername: tls.servername } : {}
    });
  }
  static async connect(options = {}) {
    const connection = options.connection ?? await loadConnection({ kubeconfig: options.kubeconfig });
    return new _KubeClient(connection, options.maxSockets ?? 16);
  }
  /**
   * The same connection acting as `user` (e.g. `system:serviceaccount:ns:name`): the
   * API server checks that user's rights, and the agent's own account needs the
   * `impersonate` verb for it.
   */
  impersonating(user) {
    const view = Object.create(this);
    view.impersonateUser = user;
    return view;
  }
  close() {
    this.agent.destroy();
  }
  async request(spec) {
    return (await this.exchange(spec)).body;
  }
  /** The server's URL for `path`, with the query's defined values. */
  urlOf(path, query = {}) {
    const url = new URL(this.server + path);
    for (const [key, value] of Object.entries(query)) {
      if (value !== void 0) url.searchParams.set(key, value);
    }
    return url;
  }
  /** Accept, credentials and impersonation, for one request. */
  async headers(accept) {
    const authorization = await this.connection.authorization();
    const headers = { accept };
    if (authorization) headers.authorization = authorization;
    if (this.impersonateUser) headers["impersonate-user"] = this.impersonateUser;
    return headers;
  }
  /** A request and its answer's HTTP status (2xx; anything else throws KubeApiError). */
  async exchange(spec) {
    const url = this.urlOf(spec.path, spec.query);
    const body = spec.body === void 0 ? void 0 : Buffer.from(JSON.stringify(spec.body));
    const headers = await this.headers(spec.accept ?? "application/json");
    if (body) {
      headers["content-type"] = spec.contentType ?? "application/json";
      headers["content-length"] = String(body.length);
    }
    this.requests++;
    this.bytesSent += body?.length ?? 0;
    const { status, text } = await new Promise((done, fail) => {
      const req = httpsRequest(url, { method: spec.method, agent: this.agent, headers }, (res) => {
        const chunks = [];
        res.on("data", (chunk) => chunks.push(chunk));
        res.on("end", () => {
          const all = Buffer.concat(chunks);
          this.bytesReceived += all.length;
          done({ status: res.statusCode ?? 0, text: all.toString("utf8") });
        });
        res.on("error", fail);
      });
      req.on("error", fail);
      req.end(body);
    });
    const parsed = text ? safeJson(text) : void 0;
    if (status < 200 || status > 299) throw statusError(status, parsed, text);
    return { status, body: parsed };
  }
  /** The resources served for an apiVersion; fetched once, again when a kind is missing. */
  async resourceFor(apiVersion, kind) {
    const cached = this.discovery.get(apiVersion);
    if (cached) {
      const hit = (await cached.catch(() => [])).find((r) => r.kind === kind);
      if (hit) return hit;
    }
    const fresh = this.fetchResources(apiVersion);
    this.discovery.set(apiVersion, fresh);
    return (await fresh).find((r) => r.kind === kind);
  }
  async fetchResources(apiVersion) {
    const path = apiVersion.includes("/") ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    try {
      const list = await this.request({ method: "GET", path });
      return list.resources.filter((r) => !r.name.includes("/"));
    } catch (error) {
      if (error instanceof KubeApiError && error.status === 404) return [];
      throw error;
    }
  }
  /** The REST path of an object (or of its collection when `name` is omitted). */
  async pathOf(ref) {
    const resource = await this.resourceFor(ref.apiVersion, ref.kind);
    if (!resource) {
      throw new KubeApiError(
        404,
        "NoKindMatch",
        `the server does not know ${ref.kind} in ${ref.apiVersion}`,
        void 0
      );
    }
    const base = groupOf(ref.apiVersion) === "" ? `/api/${ref.apiVersion}` : `/apis/${ref.apiVersion}`;
    const ns = resource.namespaced && ref.namespace ? `/namespaces/${encodeURIComponent(ref.namespace)}` : "";
    const name = ref.name === void 0 ? "" : `/${encodeURIComponent(ref.name)}`;
    return `${base}${ns}/${resource.name}${name}`;
  }
  async get(ref) {
    try {
      return await this.request({ method: "GET", path: await this.pathOf(ref) });
    } catch (error) {
      if (error instanceof KubeApiError && error.status === 404 && error.reason !== "NoKindMatch")
        return void 0;
      throw error;
    }
  }
  async list(apiVersion, kind, options = {}) {
    return (await this.listAt(apiVersion, kind, options)).items;
  }
  /** A list and the resourceVersion it was read at, to watch from (see watch). */
  async listAt(apiVersion, kind, options = {}) {
    const path = await this.collectionPath(apiVersion, kind, options);
    const items = [];
    let next;
    let resourceVersion = "";
    do {
      const page = await this.request({
        method: "GET",
        path,
        query: { labelSelector: options.labelSelector, limit: "500", continue: next },
        ...options.metadataOnly ? { accept: METADATA_LIST } : {}
      });
      for (const item of page.items ?? []) items.push({ ...item, apiVersion, kind });
      next = page.metadata.continue || void 0;
      resourceVersion = page.metadata.resourceVersion ?? resourceVersion;
    } while (next);
    return { items, resourceVersion };
  }
  /**
   * Watches a kind from `resourceVersion` (a listAt's) and calls `onEvent` for each
   * change, until the server ends the watch (after `timeoutSeconds`) or `signal`
   * aborts it. Resolves with the last resourceVersion seen, bookmarks included, to
   * watch on from; an ERROR event throws its KubeApiError (410: too old, list again).
   */
  async watch(apiVersion, kind, options, onEvent) {
    const url = this.urlOf(await this.collectionPath(apiVersion, kind, options), {
      watch: "1",
      allowWatchBookmarks: "true",
      resourceVersion: options.resourceVersion,
      timeoutSeconds: String(options.timeoutSeconds),
      labelSelector: options.labelSelector
    });
    const headers = await this.headers(options.metadataOnly ? METADATA_ITEM : "application/json");
    let resourceVersion = options.resourceVersion;
    this.requests++;
    await new Promise((done, fail) => {
      const req = httpsRequest(url, { method: "GET", agent: this.agent, headers }, (res) => {
        const status = res.statusCode ?? 0;
        let pending = "";
        res.setEncoding("utf8");
        res.on("data", (chunk) => {
          this.bytesReceived += Buffer.byteLength(chunk);
          pending += chunk;
          if (status < 200 || status > 299) return;
          for (let end = pending.indexOf("\n"); end >= 0; end = pending.indexOf("\n")) {
            const line = pending.slice(0, end);
            pending = pending.slice(end + 1);
            if (!line.trim()) continue;
            const event = safeJson(line);
            const object = event?.object;
            if (event?.type === "ERROR" || !object) {
              req.destroy();
              fail(statusError(410, object));
              return;
            }
            resourceVersion = object.metadata?.resourceVersion ?? resourceVersion;
            if (event.type !== "ADDED" && event.type !== "MODIFIED" && event.type !== "DELETED")
              continue;
            try {
              onEvent(event.type, { ...object, apiVersion, kind });
            } catch (error) {
              req.destroy();
              fail(error);
              return;
            }
          }
        });
        res.on(
          "end",
          () => status < 200 || status > 299 ? fail(statusError(status, safeJson(pending))) : done()
        );
        res.on("error", fail);
      });
      const abort = () => {
        req.destroy();
        done();
      };
      if (options.signal.aborted) abort();
      options.signal.addEventListener("abort", abort, { once: true });
      req.on("error", (error) => options.signal.aborted ? done() : fail(error));
      req.on("close", () => options.signal.removeEventListener("abort", abort));
      req.end();
    });
    return resourceVersion;
  }
  async collectionPath(apiVersion, kind, options) {
    return this.pathOf({
      apiVersion,
      kind,
      ...options.namespace ? { namespace: options.namespace } : {}
    });
  }
  /** Server-side apply with strict field validation. */
  async apply(object, options) {
    const { status, body } = await this.exchange({
      method: "PATCH",
      path: await this.pathOf(refOf(object)),
      query: {
        fieldManager: options.fieldManager,
        force: options.force ? "true" : void 0,
        dryRun: options.dryRun ? "All" : void 0,
        fieldValidation: "Strict"
      },
      body: object,
      contentType: "application/apply-patch+yaml"
    });
    if (!options.dryRun) Object.defineProperty(body, CREATED_BY_APPLY, { value: status === 201 });
    return body;
  }
  /** Deletes an object; answers false when it was already gone. */
  async delete(ref, propagationPolicy = "Background") {
    try {
      await this.request({
        method: "DELETE",
        path: await this.pathOf(ref),
        body: { kind: "DeleteOptions", apiVersion: "v1", propagationPolicy }
      });
      return true;
    } catch (error) {
      if (error instanceof KubeApiError && error.status === 404) return false;
      throw error;
    }
  }
};
var METADATA_LIST = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json";
var METADATA_ITEM = "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json";
function statusError(status, parsed, text = "") {
  const st = parsed ?? {};
  const code = st.code ?? status;
  return new KubeApiError(
    code,
    st.reason ?? String(code),
    st.message ?? (text.slice(0, 500) || `HTTP ${code}`),
    st.details
  );
}
function safeJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return void 0;
  }
}

export {
  KubeClient
};
