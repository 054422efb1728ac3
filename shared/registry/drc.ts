// A promise API over docker-registry-client's v2 client, one per repository. Only this
// file imports the library. It does the requests the library does well: its own
// ping-and-login (anonymous, Basic, or the Bearer token flow), GET of manifests and
// indexes, the first page of tags, blob HEAD, blob download streams (digest checked)
// and monolithic blob uploads. Retries, counting and the gaps are client.ts's.
import type { IncomingMessage } from "node:http";
import type { Readable } from "node:stream";
import drc, {
  type Logger,
  type RegistryClientV2,
  type RegistryLibraryError,
} from "docker-registry-client";
import type { Credentials } from "./credentials.ts";
import { DOCKER_HUB } from "./reference.ts";

export type { RegistryLibraryError };

// Without a logger the library makes a bunyan one that prints to stdout, which would mix
// with the command's own output (the build prints its digest on the last line).
const silent: Logger = {
  child: () => silent,
  trace: () => false,
  debug: () => false,
  info: () => false,
  warn: () => false,
  error: () => false,
  fatal: () => false,
};

export interface LibraryRepository {
  /** host[:port]; `docker.io` for Docker Hub (the library maps it to its API host). */
  registry: string;
  repository: string;
  insecure: boolean;
  credentials: Credentials | undefined;
  userAgent: string;
}

export interface LibraryManifest {
  text: string;
  contentType: string | undefined;
  digestHeader: string | undefined;
}

function settle<T>(run: (done: (err: RegistryLibraryError | null, value?: T) => void) => void) {
  return new Promise<T>((resolve, reject) => {
    run((err, value) => (err ? reject(err) : resolve(value as T)));
  });
}

function header(res: IncomingMessage | undefined, name: string): string | undefined {
  const value = res?.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export class LibraryClient {
  readonly #client: RegistryClientV2;

  constructor(repo: LibraryRepository) {
    const official = repo.registry === DOCKER_HUB;
    const creds = repo.credentials;
    const scheme = repo.insecure ? "http" : "https";
    this.#client = drc.createClientV2({
      // Given as an object: the library's name parser refuses one-letter namespaces.
      repo: {
        index: official
          ? { name: DOCKER_HUB, official: true }
          : { name: repo.registry, official: false, scheme },
        official,
        remoteName: repo.repository,
        localName: `${repo.registry}/${repo.repository}`,
        canonicalName: `${repo.registry}/${repo.repository}`,
      },
      ...(creds?.username !== undefined && creds.password !== undefined
        ? { username: creds.username, password: creds.password }
        : {}),
      ...(creds?.registryToken ? { token: creds.registryToken } : {}),
      // `insecure` here means "do not verify TLS"; plain HTTP comes from the scheme.
      insecure: repo.insecure,
      // 3.4.0 asks for OCI manifests whenever maxSchemaVersion is 2 and for indexes
      // (OCI and Docker lists) with acceptManifestLists; acceptOCIManifests is passed for
      // versions that read it.
      maxSchemaVersion: 2,
      acceptManifestLists: true,
      acceptOCIManifests: true,
      log: silent,
      userAgent: repo.userAgent,
    });
  }

  getManifest(ref: string): Promise<LibraryManifest> {
    return new Promise((resolve, reject) => {
      this.#client.getManifest({ ref }, (err, _manifest, res, text) => {
        if (err) return reject(err);
        resolve({
          text: text ?? "",
          contentType: header(res, "content-type"),
          digestHeader: header(res, "docker-content-digest"),
        });
      });
    });
  }

  /** One page of tags (the library sends no `n`/`last`) and the Link header, if any. */
  listTags(): Promise<{ tags: string[]; link: string | undefined }> {
    return new Promise((resolve, reject) => {
      this.#client.listTags((err, body, res) => {
        if (err) return reject(err);
        resolve({ tags: body?.tags ?? [], link: header(res, "link") });
      });
    });
  }

  /** HEAD of a blob: true when present, false on 404; other failures reject. */
  async headBlob(digest: string): Promise<boolean> {
    try {
      await settle<IncomingMessage[] | undefined>((done) =>
        this.#client.headBlob({ digest }, (err, ress) => done(err, ress)),
      );
      return true;
    } catch (error) {
      if ((error as RegistryLibraryError).statusCode === 404) return false;
      throw error;
    }
  }

  /** A readable stream of the blob; the library checks its digest and length as it flows. */
  openBlob(digest: string): Promise<Readable> {
    return new Promise((resolve, reject) => {
      this.#client.createBlobReadStream({ digest }, (err, stream) => {
        if (err || !stream) return reject(err ?? new Error(`no stream for blob ${digest}`));
        resolve(stream);
      });
    });
  }

  /** Uploads a blob in one request after opening an upload session (POST, then PUT). */
  uploadBlob(digest: string, size: number, stream: Readable, contentType?: string): Promise<void> {
    return settle<IncomingMessage | undefined>((done) =>
      this.#client.blobUpload(
        { digest, stream, contentLength: size, ...(contentType ? { contentType } : {}) },
        (err, res) => done(err, res),
      ),
    ).then(() => undefined);
  }

  close(): void {
    this.#client.close();
  }
}
