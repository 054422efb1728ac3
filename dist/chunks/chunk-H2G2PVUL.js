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
  loadConnection
} from "./chunk-4N4YRRRI.js";

// shared/kube/client.ts
const { Agent, request: httpsRequest } = require("node:https");
const { createSecureContext } = require("node:tls");
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
