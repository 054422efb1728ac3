// A thin Kubernetes REST client: requests go out as plain JSON over one keep-alive
// agent, to the server and with the credentials connection.ts found. No typed object
// API: client libraries serialize known kinds through their models, which silently
// drops fields they do not know, and Tether must send exactly what the repository says.
import { Agent, request as httpsRequest } from "node:https";
import { createSecureContext } from "node:tls";
import { groupOf, type KubeObject, type ObjectRef, refOf } from "../manifests/object.ts";
import {
  type ApiResource,
  type ApplyOptions,
  CREATED_BY_APPLY,
  type KubeApi,
  type ListOptions,
} from "./api.ts";
import { type Connection, loadConnection } from "./connection.ts";
import { KubeApiError } from "./errors.ts";

export type { ApiResource, KubeApi };
export { KubeApiError };

export interface RequestSpec {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: string;
  query?: Record<string, string | undefined>;
  body?: unknown;
  contentType?: string;
  /** The Accept header; default application/json. */
  accept?: string;
}

export interface ClientOptions {
  /** Path of a kubeconfig file; default: KUBECONFIG, ~/.kube/config or in-cluster. */
  kubeconfig?: string | undefined;
  /** Most requests in flight at once. */
  maxSockets?: number;
  /** A connection found beforehand (tests of in-cluster config); default: loadConnection. */
  connection?: Connection;
}

export class KubeClient implements KubeApi {
  readonly server: string;
  /** Requests sent and bytes of bodies sent and received (benchmarks report them). */
  requests = 0;
  bytesSent = 0;
  bytesReceived = 0;
  private readonly connection: Connection;
  private readonly agent: Agent;
  private readonly discovery = new Map<string, Promise<ApiResource[]>>();
  /** Set on a view made by `impersonating`: requests act as this user. */
  private impersonateUser: string | undefined;

  private constructor(connection: Connection, maxSockets: number) {
    this.connection = connection;
    this.server = connection.server;
    const tls = connection.tls;
    this.agent = new Agent({
      keepAlive: true,
      maxSockets,
      // One TLS context for every connection: given ca, cert and key instead, Node
      // builds a context (certificate store, key) for each new socket.
      secureContext: createSecureContext({
        ...(tls.ca ? { ca: tls.ca } : {}),
        ...(tls.cert ? { cert: tls.cert } : {}),
        ...(tls.key ? { key: tls.key } : {}),
      }),
      ...(tls.rejectUnauthorized === false ? { rejectUnauthorized: false } : {}),
      ...(tls.servername ? { servername: tls.servername } : {}),
    });
  }

  static async connect(options: ClientOptions = {}): Promise<KubeClient> {
    const connection =
      options.connection ?? (await loadConnection({ kubeconfig: options.kubeconfig }));
    return new KubeClient(connection, options.maxSockets ?? 16);
  }

  /**
   * The same connection acting as `user` (e.g. `system:serviceaccount:ns:name`): the
   * API server checks that user's rights, and the agent's own account needs the
   * `impersonate` verb for it.
   */
  impersonating(user: string): KubeClient {
    const view = Object.create(this) as KubeClient;
    view.impersonateUser = user;
    return view;
  }

  close(): void {
    this.agent.destroy();
  }

  async request<T>(spec: RequestSpec): Promise<T> {
    return (await this.exchange<T>(spec)).body;
  }

  /** The server's URL for `path`, with the query's defined values. */
  private urlOf(path: string, query: Record<string, string | undefined> = {}): URL {
    const url = new URL(this.server + path);
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined) url.searchParams.set(key, value);
    }
    return url;
  }

  /** Accept, credentials and impersonation, for one request. */
  private async headers(accept: string): Promise<Record<string, string>> {
    // Credentials are asked per request: tokens from files and exec plugins rotate.
    const authorization = await this.connection.authorization();
    const headers: Record<string, string> = { accept };
    if (authorization) headers.authorization = authorization;
    if (this.impersonateUser) headers["impersonate-user"] = this.impersonateUser;
    return headers;
  }

  /** A request and its answer's HTTP status (2xx; anything else throws KubeApiError). */
  private async exchange<T>(spec: RequestSpec): Promise<{ status: number; body: T }> {
    const url = this.urlOf(spec.path, spec.query);
    const body = spec.body === undefined ? undefined : Buffer.from(JSON.stringify(spec.body));
    const headers = await this.headers(spec.accept ?? "application/json");
    if (body) {
      headers["content-type"] = spec.contentType ?? "application/json";
      headers["content-length"] = String(body.length);
    }
    this.requests++;
    this.bytesSent += body?.length ?? 0;
    const { status, text } = await new Promise<{ status: number; text: string }>((done, fail) => {
      const req = httpsRequest(url, { method: spec.method, agent: this.agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
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
    const parsed = text ? safeJson(text) : undefined;
    if (status < 200 || status > 299) throw statusError(status, parsed, text);
    return { status, body: parsed as T };
  }

  /** The resources served for an apiVersion; fetched once, again when a kind is missing. */
  async resourceFor(apiVersion: string, kind: string): Promise<ApiResource | undefined> {
    const cached = this.discovery.get(apiVersion);
    if (cached) {
      const hit = (await cached.catch(() => [])).find((r) => r.kind === kind);
      if (hit) return hit;
    }
    // A kind missing from the cache may have been added since (a CRD just established).
    const fresh = this.fetchResources(apiVersion);
    this.discovery.set(apiVersion, fresh);
    return (await fresh).find((r) => r.kind === kind);
  }

  private async fetchResources(apiVersion: string): Promise<ApiResource[]> {
    const path = apiVersion.includes("/") ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    try {
      const list = await this.request<{ resources: ApiResource[] }>({ method: "GET", path });
      return list.resources.filter((r) => !r.name.includes("/"));
    } catch (error) {
      if (error instanceof KubeApiError && error.status === 404) return [];
      throw error;
    }
  }

  /** The REST path of an object (or of its collection when `name` is omitted). */
  async pathOf(ref: Omit<ObjectRef, "name"> & { name?: string }): Promise<string> {
    const resource = await this.resourceFor(ref.apiVersion, ref.kind);
    if (!resource) {
      throw new KubeApiError(
        404,
        "NoKindMatch",
        `the server does not know ${ref.kind} in ${ref.apiVersion}`,
        undefined,
      );
    }
    const base =
      groupOf(ref.apiVersion) === "" ? `/api/${ref.apiVersion}` : `/apis/${ref.apiVersion}`;
    const ns =
      resource.namespaced && ref.namespace
        ? `/namespaces/${encodeURIComponent(ref.namespace)}`
        : "";
    const name = ref.name === undefined ? "" : `/${encodeURIComponent(ref.name)}`;
    return `${base}${ns}/${resource.name}${name}`;
  }

  async get(ref: ObjectRef): Promise<KubeObject | undefined> {
    try {
      return await this.request<KubeObject>({ method: "GET", path: await this.pathOf(ref) });
    } catch (error) {
      if (error instanceof KubeApiError && error.status === 404 && error.reason !== "NoKindMatch")
        return undefined;
      throw error;
    }
  }

  async list(apiVersion: string, kind: string, options: ListOptions = {}): Promise<KubeObject[]> {
    return (await this.listAt(apiVersion, kind, options)).items;
  }

  /** A list and the resourceVersion it was read at, to watch from (see watch). */
  async listAt(
    apiVersion: string,
    kind: string,
    options: ListOptions = {},
  ): Promise<{ items: KubeObject[]; resourceVersion: string }> {
    const path = await this.collectionPath(apiVersion, kind, options);
    const items: KubeObject[] = [];
    let next: string | undefined;
    let resourceVersion = "";
    do {
      const page = await this.request<{
        items: KubeObject[] | null;
        metadata: { continue?: string; resourceVersion?: string };
      }>({
        method: "GET",
        path,
        query: { labelSelector: options.labelSelector, limit: "500", continue: next },
        ...(options.metadataOnly ? { accept: METADATA_LIST } : {}),
      });
      // Lists omit apiVersion and kind on items; put them back for callers. An empty
      // PartialObjectMetadataList has items null.
      for (const item of page.items ?? []) items.push({ ...item, apiVersion, kind });
      next = page.metadata.continue || undefined;
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
  async watch(
    apiVersion: string,
    kind: string,
    options: ListOptions & { resourceVersion: string; timeoutSeconds: number; signal: AbortSignal },
    onEvent: (type: "ADDED" | "MODIFIED" | "DELETED", object: KubeObject) => void,
  ): Promise<string> {
    const url = this.urlOf(await this.collectionPath(apiVersion, kind, options), {
      watch: "1",
      allowWatchBookmarks: "true",
      resourceVersion: options.resourceVersion,
      timeoutSeconds: String(options.timeoutSeconds),
      labelSelector: options.labelSelector,
    });
    const headers = await this.headers(options.metadataOnly ? METADATA_ITEM : "application/json");
    let resourceVersion = options.resourceVersion;
    this.requests++;
    await new Promise<void>((done, fail) => {
      const req = httpsRequest(url, { method: "GET", agent: this.agent, headers }, (res) => {
        const status = res.statusCode ?? 0;
        let pending = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          this.bytesReceived += Buffer.byteLength(chunk);
          pending += chunk;
          if (status < 200 || status > 299) return;
          // One JSON event per line.
          for (let end = pending.indexOf("\n"); end >= 0; end = pending.indexOf("\n")) {
            const line = pending.slice(0, end);
            pending = pending.slice(end + 1);
            if (!line.trim()) continue;
            const event = safeJson(line) as { type?: string; object?: KubeObject } | undefined;
            const object = event?.object;
            // An ERROR event (or a line that is not one): the caller lists again.
            if (event?.type === "ERROR" || !object) {
              req.destroy();
              fail(statusError(410, object));
              return;
            }
            resourceVersion =
              (object.metadata?.resourceVersion as string | undefined) ?? resourceVersion;
            if (event.type !== "ADDED" && event.type !== "MODIFIED" && event.type !== "DELETED")
              continue;
            try {
              onEvent(event.type, { ...object, apiVersion, kind });
            } catch (error) {
              // The caller's failure ends the watch as the caller's error, not a crash.
              req.destroy();
              fail(error);
              return;
            }
          }
        });
        res.on("end", () =>
          status < 200 || status > 299 ? fail(statusError(status, safeJson(pending))) : done(),
        );
        res.on("error", fail);
      });
      const abort = () => {
        req.destroy();
        done();
      };
      if (options.signal.aborted) abort();
      options.signal.addEventListener("abort", abort, { once: true });
      req.on("error", (error) => (options.signal.aborted ? done() : fail(error)));
      req.on("close", () => options.signal.removeEventListener("abort", abort));
      req.end();
    });
    return resourceVersion;
  }

  private async collectionPath(
    apiVersion: string,
    kind: string,
    options: ListOptions,
  ): Promise<string> {
    return this.pathOf({
      apiVersion,
      kind,
      ...(options.namespace ? { namespace: options.namespace } : {}),
    });
  }

  /** Server-side apply with strict field validation. */
  async apply(object: KubeObject, options: ApplyOptions): Promise<KubeObject> {
    const { status, body } = await this.exchange<KubeObject>({
      method: "PATCH",
      path: await this.pathOf(refOf(object)),
      query: {
        fieldManager: options.fieldManager,
        force: options.force ? "true" : undefined,
        dryRun: options.dryRun ? "All" : undefined,
        fieldValidation: "Strict",
      },
      body: object,
      contentType: "application/apply-patch+yaml",
    });
    if (!options.dryRun) Object.defineProperty(body, CREATED_BY_APPLY, { value: status === 201 });
    return body;
  }

  /** Deletes an object; answers false when it was already gone. */
  async delete(
    ref: ObjectRef,
    propagationPolicy: "Background" | "Foreground" = "Background",
  ): Promise<boolean> {
    try {
      await this.request({
        method: "DELETE",
        path: await this.pathOf(ref),
        body: { kind: "DeleteOptions", apiVersion: "v1", propagationPolicy },
      });
      return true;
    } catch (error) {
      if (error instanceof KubeApiError && error.status === 404) return false;
      throw error;
    }
  }
}

/** Metadata only, when the server serves it (all do since 1.15), else the objects. */
const METADATA_LIST =
  "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json";
const METADATA_ITEM =
  "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json";

/** The API server's Status answer (or a watch's ERROR event) as a KubeApiError. */
function statusError(status: number, parsed: unknown, text = ""): KubeApiError {
  const st = (parsed ?? {}) as {
    code?: number;
    reason?: string;
    message?: string;
    details?: unknown;
  };
  const code = st.code ?? status;
  return new KubeApiError(
    code,
    st.reason ?? String(code),
    st.message ?? (text.slice(0, 500) || `HTTP ${code}`),
    st.details,
  );
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
