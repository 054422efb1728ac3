// The registry client image promotion uses now and the image-automation scanner later.
// One instance per registry host: it owns that registry's authentication state, rate
// limit, retry policy, request count and the creation-time cache.
//
// Requests go through docker-registry-client (drc.ts) where the library can do them:
// GET of manifests and indexes, the first page of tags, blob HEAD, blob download and
// monolithic upload, each with the library's own ping-and-login. What it lacks is done
// here with fetch and the same credentials and token flow (auth.ts):
// - HEAD of manifests (it has none) and PUT of manifests and indexes (its putManifest
//   always sends the Docker schema-2 Content-Type, which a registry refuses for an OCI
//   manifest or any index);
// - tag pages after the first (it sends no `n`/`last` and follows no Link header);
// - cross-repository blob mounts (POST ?mount=&from=), and finishing the upload session
//   a refused mount opens (its blobUpload always starts a new one);
// - GET of manifests it refuses although they are valid: manifests with no layers
//   (artifacts) and indexes without a `mediaType` field.
import type { Readable } from "node:stream";
import { Authenticator, repositoryScope, type Scope, TokenRequestError } from "./auth.ts";
import { CreatedCache } from "./created-cache.ts";
import type { Credentials } from "./credentials.ts";
import { LibraryClient, type RegistryLibraryError } from "./drc.ts";
import {
  createdFromAnnotations,
  createdFromConfig,
  digestOf,
  isIndexMediaType,
  MANIFEST_ACCEPT,
  type ManifestJson,
  manifestMediaType,
  parseManifestJson,
  pickChildForCreated,
} from "./manifest.ts";
import { type RateLimit, RateLimiter } from "./rate-limit.ts";
import { apiHost, isDigest } from "./reference.ts";
import { decideRetry, defaultRetryPolicy, isRetryableStatus, type RetryPolicy } from "./retry.ts";
import { type HttpTrace, traced } from "./trace.ts";

export interface RegistryClientOptions {
  /** host[:port] as in image references; `docker.io` for Docker Hub. */
  registry: string;
  credentials?: Credentials | undefined;
  /** Plain HTTP (Flux's `spec.insecure`, `--insecure-registry`). */
  insecure?: boolean;
  rateLimit?: RateLimit | undefined;
  retry?: Partial<RetryPolicy>;
  createdCache?: CreatedCache;
  userAgent?: string;
  /** Injected by tests: the jitter source and the wait. */
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface Manifest {
  repository: string;
  digest: string;
  mediaType: string;
  bytes: Buffer;
  json: ManifestJson;
}

export interface ManifestHead {
  digest: string;
  mediaType: string;
  size: number;
}

export class RegistryError extends Error {
  readonly registry: string;
  readonly status: number | undefined;
  readonly url: string | undefined;
  constructor(registry: string, message: string, status?: number, url?: string) {
    super(message);
    this.name = new.target.name;
    this.registry = registry;
    this.status = status;
    this.url = url;
  }
}

export class NotFoundError extends RegistryError {}

export class AuthError extends RegistryError {}

/** The library refused a manifest it could not validate, although the registry served it. */
class ContentRejected extends Error {}

/** The `rel="next"` URL of a Link header, resolved against the request URL. */
export function nextPageUrl(link: string | null | undefined, base: string): URL | undefined {
  if (!link) return undefined;
  for (const part of link.split(",")) {
    const m = /<([^>]*)>\s*;(.*)$/.exec(part.trim());
    if (m && /(?:^|;)\s*rel="?next"?\s*(?:;|$)/.test(m[2] ?? "")) return new URL(m[1] ?? "", base);
  }
  return undefined;
}

const MAX_TAG_PAGES = 10_000;
const MAX_CONFIG_BYTES = 4 * 1024 * 1024;

type Body = Buffer | Readable | undefined;

interface SendOptions {
  headers?: Record<string, string>;
  /** Called per attempt, so a stream body can be opened again. */
  body?: () => Body | Promise<Body>;
  /** Scopes for the Authorization header; "none" for the token server itself. */
  scopes: Scope[] | "none";
}

export class RegistryClient {
  readonly registry: string;
  readonly baseUrl: string;
  readonly insecure: boolean;
  readonly createdCache: CreatedCache;
  readonly #credentials: Credentials | undefined;
  readonly #userAgent: string;
  readonly #auth: Authenticator;
  readonly #limiter: RateLimiter;
  readonly #policy: RetryPolicy;
  readonly #random: () => number;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #libraries = new Map<string, LibraryClient>();
  #libraryRequests = 0;
  #fetchRequests = 0;

  constructor(options: RegistryClientOptions) {
    this.registry = options.registry;
    this.insecure = options.insecure ?? false;
    this.baseUrl = `${this.insecure ? "http" : "https"}://${apiHost(options.registry)}`;
    this.#credentials = options.credentials;
    this.#userAgent = options.userAgent ?? "tether";
    this.#policy = { ...defaultRetryPolicy, ...options.retry };
    this.#limiter = new RateLimiter(options.rateLimit);
    this.#random = options.random ?? Math.random;
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.createdCache = options.createdCache ?? new CreatedCache();
    this.#auth = new Authenticator(options.credentials, (url, headers) =>
      this.#send("GET", url, { headers, scopes: "none" }),
    );
  }

  /** HTTP requests made so far, by the library and by fetch, token requests included. */
  get requests(): number {
    return this.#libraryRequests + this.#fetchRequests;
  }

  close(): void {
    for (const library of this.#libraries.values()) library.close();
    this.#libraries.clear();
  }

  // --- manifests

  /** A manifest or index by tag or digest, with its digest (of the bytes) and media type. */
  async getManifest(repository: string, reference: string): Promise<Manifest> {
    let bytes: Buffer;
    let contentType: string | undefined;
    try {
      const got = await this.#library(
        `GET manifest ${repository}:${reference}`,
        repository,
        (l) => l.getManifest(reference),
        true,
      );
      bytes = Buffer.from(got.text, "utf8");
      contentType = got.contentType;
    } catch (error) {
      if (!(error instanceof ContentRejected)) throw error;
      const response = await this.#expect(
        "GET",
        this.#url(repository, "manifests", reference),
        {
          headers: { accept: MANIFEST_ACCEPT.join(", ") },
          scopes: [repositoryScope(repository, "pull")],
        },
        [200],
        `manifest ${repository}:${reference}`,
      );
      bytes = Buffer.from(await response.arrayBuffer());
      contentType = response.headers.get("content-type") ?? undefined;
    }
    const digest = digestOf(bytes);
    if (isDigest(reference) && reference !== digest) {
      throw new RegistryError(
        this.registry,
        `${this.registry}/${repository}@${reference}: the registry served content whose digest is ${digest}`,
      );
    }
    const json = parseManifestJson(bytes, `manifest ${this.registry}/${repository}:${reference}`);
    return { repository, digest, mediaType: manifestMediaType(json, contentType), bytes, json };
  }

  /** Digest, media type and size of a manifest by tag or digest; undefined when absent. */
  async headManifest(repository: string, reference: string): Promise<ManifestHead | undefined> {
    const url = this.#url(repository, "manifests", reference);
    const response = await this.#send("HEAD", url, {
      headers: { accept: MANIFEST_ACCEPT.join(", ") },
      scopes: [repositoryScope(repository, "pull")],
    });
    if (response.status === 404) return undefined;
    this.#check(response, [200], "HEAD", url, `manifest ${repository}:${reference}`);
    const digest = response.headers.get("docker-content-digest");
    const mediaType = response.headers.get("content-type")?.split(";")[0]?.trim() ?? "";
    if (digest && isDigest(digest) && mediaType !== "") {
      return { digest, mediaType, size: Number(response.headers.get("content-length") ?? 0) };
    }
    // The header is a SHOULD in the specification; without it, hash the body.
    const manifest = await this.getManifest(repository, reference);
    return { digest: manifest.digest, mediaType: manifest.mediaType, size: manifest.bytes.length };
  }

  /** Stores a manifest or index under a tag or its digest; returns the digest. */
  async putManifest(
    repository: string,
    reference: string,
    bytes: Buffer,
    mediaType: string,
  ): Promise<string> {
    const url = this.#url(repository, "manifests", reference);
    const response = await this.#expect(
      "PUT",
      url,
      {
        headers: { "content-type": mediaType },
        body: () => bytes,
        scopes: [repositoryScope(repository, "pull", "push")],
      },
      [201, 200],
      `manifest ${repository}:${reference}`,
    );
    await response.body?.cancel();
    const expected = digestOf(bytes);
    const answered = response.headers.get("docker-content-digest");
    if (answered && answered !== expected) {
      throw new RegistryError(
        this.registry,
        `PUT ${url}: the registry stored digest ${answered}, not ${expected}`,
        response.status,
        url.href,
      );
    }
    return expected;
  }

  // --- tags

  /** Every tag of a repository, following Link headers across pages. */
  async listTags(repository: string): Promise<string[]> {
    const first = await this.#library(`list tags of ${repository}`, repository, (l) =>
      l.listTags(),
    );
    const tags = [...first.tags];
    let next = nextPageUrl(first.link, this.baseUrl);
    const seen = new Set<string>();
    while (next) {
      if (seen.has(next.href) || seen.size >= MAX_TAG_PAGES) {
        throw new RegistryError(
          this.registry,
          `tag pages of ${repository} do not end (at ${next.href})`,
        );
      }
      seen.add(next.href);
      const response = await this.#expect(
        "GET",
        next,
        { headers: { accept: "application/json" }, scopes: [repositoryScope(repository, "pull")] },
        [200],
        `tags of ${repository}`,
      );
      const body = (await response.json()) as { tags?: string[] | null };
      tags.push(...(body.tags ?? []));
      next = nextPageUrl(response.headers.get("link"), next.href);
    }
    return tags;
  }

  // --- blobs

  async blobExists(repository: string, digest: string): Promise<boolean> {
    return this.#library(`HEAD blob ${repository}@${digest}`, repository, (l) =>
      l.headBlob(digest),
    );
  }

  /**
   * Asks the registry to link a blob from another repository (no bytes move). Returns
   * `{ mounted: true }` (201), or the upload session the registry opened instead (202),
   * which uploadBlob can finish.
   */
  async mountBlob(
    repository: string,
    digest: string,
    from: string,
  ): Promise<{ mounted: true } | { mounted: false; location: string }> {
    const url = new URL(`${this.baseUrl}/v2/${repository}/blobs/uploads/`);
    url.searchParams.set("mount", digest);
    url.searchParams.set("from", from);
    const response = await this.#expect(
      "POST",
      url,
      { scopes: [repositoryScope(repository, "pull", "push"), repositoryScope(from, "pull")] },
      [201, 202],
      `mount of ${digest} from ${from} into ${repository}`,
    );
    await response.body?.cancel();
    if (response.status === 201) return { mounted: true };
    const location = response.headers.get("location");
    if (!location) {
      throw new RegistryError(
        this.registry,
        `POST ${url}: 202 without a Location header`,
        202,
        url.href,
      );
    }
    return { mounted: false, location: new URL(location, url).href };
  }

  /** A stream of a blob's bytes (the library checks digest and length as they flow). */
  openBlob(repository: string, digest: string): Promise<Readable> {
    return this.#library(`GET blob ${repository}@${digest}`, repository, (l) => l.openBlob(digest));
  }

  async readBlob(repository: string, digest: string, limit = MAX_CONFIG_BYTES): Promise<Buffer> {
    const stream = await this.openBlob(repository, digest);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of stream) {
      size += (chunk as Buffer).length;
      if (size > limit) {
        stream.destroy();
        throw new RegistryError(
          this.registry,
          `blob ${repository}@${digest} is larger than ${limit} bytes`,
        );
      }
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks);
  }

  /**
   * Uploads a blob from `open()`. With `session` (the Location of a refused mount) the
   * bytes go to that session in one PUT; otherwise, or if that fails, the library opens
   * a new session and uploads.
   */
  async uploadBlob(
    repository: string,
    blob: { digest: string; size: number; mediaType?: string },
    open: () => Promise<Readable>,
    session?: string,
  ): Promise<void> {
    if (session) {
      const url = new URL(session);
      url.searchParams.set("digest", blob.digest);
      try {
        const response = await this.#send("PUT", url, {
          headers: {
            "content-type": "application/octet-stream",
            "content-length": String(blob.size),
          },
          body: open,
          scopes: [repositoryScope(repository, "pull", "push")],
        });
        await response.body?.cancel();
        if (response.status === 201) return;
      } catch {
        // Fall through to a fresh upload; its errors are the ones reported.
      }
    }
    await this.#library(`upload of blob ${blob.digest} to ${repository}`, repository, async (l) =>
      l.uploadBlob(blob.digest, blob.size, await open()),
    );
  }

  // --- creation time

  /**
   * When an image was created: the `org.opencontainers.image.created` annotation of the
   * index or manifest, else that label in the config, else the config's `created`.
   * Cached by digest, so asking again about known content costs no request by digest and
   * one (the tag's manifest) by tag. Undefined when the image does not say.
   */
  async imageCreated(repository: string, reference: string): Promise<Date | undefined> {
    if (isDigest(reference)) {
      const cached = this.createdCache.get(reference);
      if (cached !== undefined) return cached === null ? undefined : new Date(cached);
    }
    const top = await this.getManifest(repository, reference);
    const cached = this.createdCache.get(top.digest);
    if (cached !== undefined) return cached === null ? undefined : new Date(cached);
    const created = await this.#createdOf(top);
    this.createdCache.set(top.digest, created ?? null);
    return created === undefined ? undefined : new Date(created);
  }

  async #createdOf(top: Manifest): Promise<string | undefined> {
    const fromTop = createdFromAnnotations(top.json);
    if (fromTop) return fromTop;
    let image = top;
    if (isIndexMediaType(top.mediaType)) {
      const child = pickChildForCreated(top.json);
      if (!child) return undefined;
      const cached = this.createdCache.get(child.digest);
      if (cached !== undefined) return cached ?? undefined;
      image = await this.getManifest(top.repository, child.digest);
      const fromChild = createdFromAnnotations(image.json);
      if (fromChild) return fromChild;
    }
    const config = image.json.config;
    if (!config?.digest) return undefined;
    const bytes = await this.readBlob(top.repository, config.digest);
    let parsed: unknown;
    try {
      parsed = JSON.parse(bytes.toString("utf8"));
    } catch {
      return undefined;
    }
    return createdFromConfig(parsed);
  }

  // --- plumbing

  #url(repository: string, kind: "manifests" | "blobs", reference: string): URL {
    return new URL(`${this.baseUrl}/v2/${repository}/${kind}/${encodeURIComponent(reference)}`);
  }

  #libraryFor(repository: string): LibraryClient {
    let library = this.#libraries.get(repository);
    if (!library) {
      library = new LibraryClient({
        registry: this.registry,
        repository,
        insecure: this.insecure,
        credentials: this.#credentials,
        userAgent: this.#userAgent,
      });
      this.#libraries.set(repository, library);
    }
    return library;
  }

  /**
   * A library call with the rate limit, counting, retries and readable errors. With
   * `rejectable`, an error after a 2xx answer (the library refusing what it got) becomes
   * ContentRejected so the caller can read the document with fetch instead.
   */
  async #library<T>(
    what: string,
    repository: string,
    call: (l: LibraryClient) => Promise<T>,
    rejectable = false,
  ): Promise<T> {
    const library = this.#libraryFor(repository);
    for (let attempt = 0; ; attempt++) {
      await this.#limiter.take();
      const trace: HttpTrace = { requests: 0 };
      try {
        return await traced(trace, () => call(library));
      } catch (error) {
        const err = error as RegistryLibraryError;
        // The status the registry really sent; the library reports a 401 on a manifest
        // as 404 and most errors without their headers.
        const status = trace.last?.status ?? err.statusCode;
        if (rejectable && status !== undefined && status >= 200 && status < 300) {
          throw new ContentRejected(err.message);
        }
        const retryAfter = trace.last?.headers["retry-after"];
        const decision = decideRetry({
          attempt,
          ...(status === undefined ? {} : { status }),
          retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
          now: Date.now(),
          random: this.#random(),
          policy: this.#policy,
        });
        if (decision.retry) {
          await this.#sleep(decision.delayMs);
          continue;
        }
        throw this.#error(what, status, err.message, decision.reason);
      } finally {
        this.#libraryRequests += trace.requests;
      }
    }
  }

  #error(
    what: string,
    status: number | undefined,
    detail: string,
    retryReason?: string,
  ): RegistryError {
    const where = `${this.baseUrl}: ${what}`;
    const said = detail.trim() === "" ? "" : ` (${detail.trim()})`;
    if (status === 401 || status === 403) {
      const next = this.#credentials
        ? `the registry refused the credentials for ${this.registry}: check them`
        : `the registry needs credentials for ${this.registry} and none were given: add them`;
      return new AuthError(
        this.registry,
        `${where}: ${status}${said}; ${next} (Docker config.json under DOCKER_CONFIG, the image pull Secret, or TETHER_REGISTRY_USERNAME/PASSWORD)`,
        status,
      );
    }
    if (status === 404) return new NotFoundError(this.registry, `${where}: not found${said}`, 404);
    const gaveUp =
      retryReason && (status === undefined || isRetryableStatus(status)) ? `; ${retryReason}` : "";
    const hint =
      status === undefined
        ? `; is the registry reachable${this.insecure ? "" : ", or does it need --insecure-registry (plain HTTP)"}?`
        : "";
    return new RegistryError(
      this.registry,
      `${where}: ${status ?? "no answer"}${said}${gaveUp}${hint}`,
      status,
    );
  }

  async #expect(
    method: string,
    url: URL,
    options: SendOptions,
    ok: number[],
    what: string,
  ): Promise<Response> {
    const response = await this.#send(method, url, options);
    return this.#check(response, ok, method, url, what);
  }

  #check(response: Response, ok: number[], method: string, url: URL, what: string): Response {
    if (ok.includes(response.status)) return response;
    void response.body?.cancel();
    throw this.#error(
      `${method} ${what}`,
      response.status,
      `${method} ${url.pathname}${url.search}`,
    );
  }

  /**
   * One fetch with the rate limit, counting, Authorization (renewed once after a 401)
   * and retries of 429/5xx and network failures. Returns the final answer as it is.
   */
  async #send(method: string, url: URL, options: SendOptions): Promise<Response> {
    let renewedAuth = false;
    for (let attempt = 0; ; ) {
      await this.#limiter.take();
      const headers: Record<string, string> = { "user-agent": this.#userAgent, ...options.headers };
      if (options.scopes !== "none") {
        let authorization: string | undefined;
        try {
          authorization = await this.#auth.header(options.scopes);
        } catch (error) {
          if (!(error instanceof TokenRequestError)) throw error;
          throw this.#error(`${method} ${url.pathname}`, error.status, error.message);
        }
        if (authorization) headers.authorization = authorization;
      }
      const body = options.body ? await options.body() : undefined;
      let response: Response | undefined;
      let failure: unknown;
      try {
        this.#fetchRequests++;
        response = await fetch(url, {
          method,
          headers,
          ...(body === undefined ? {} : { body, duplex: "half" }),
        } as RequestInit);
      } catch (error) {
        failure = error;
      }
      // A stream body that was not taken whole is useless now: close its source.
      if (!response?.ok) discard(body);
      if (response?.status === 401 && options.scopes !== "none" && !renewedAuth) {
        renewedAuth = true;
        const challenge = response.headers.get("www-authenticate");
        if (this.#auth.unauthorized(challenge, options.scopes)) {
          await response.body?.cancel();
          continue;
        }
      }
      const decision = decideRetry({
        attempt,
        ...(response ? { status: response.status } : {}),
        retryAfter: response?.headers.get("retry-after"),
        now: Date.now(),
        random: this.#random(),
        policy: this.#policy,
      });
      if (!decision.retry) {
        if (response && !isRetryableStatus(response.status)) return response;
        const detail = response
          ? `${method} ${url.pathname}${url.search}`
          : failure instanceof Error
            ? ((failure.cause as Error | undefined)?.message ?? failure.message)
            : String(failure);
        await response?.body?.cancel();
        throw this.#error(`${method} ${url.pathname}`, response?.status, detail, decision.reason);
      }
      await response?.body?.cancel();
      await this.#sleep(decision.delayMs);
      attempt++;
    }
  }
}

function discard(body: Body): void {
  if (body && !Buffer.isBuffer(body) && !body.destroyed) body.destroy();
}
