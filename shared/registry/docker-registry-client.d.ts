// Types for the part of docker-registry-client 3.4.0 (CommonJS, untyped) that
// shared/registry/drc.ts uses. Written from the library's lib/registry-client-v2.js.
declare module "docker-registry-client" {
  import type { IncomingMessage } from "node:http";
  import type { Readable } from "node:stream";

  export interface Logger {
    child(fields: object): Logger;
    trace(...args: unknown[]): boolean | undefined;
    debug(...args: unknown[]): boolean | undefined;
    info(...args: unknown[]): boolean | undefined;
    warn(...args: unknown[]): boolean | undefined;
    error(...args: unknown[]): boolean | undefined;
    fatal(...args: unknown[]): boolean | undefined;
  }

  export interface IndexInfo {
    name: string;
    official: boolean;
    scheme?: "http" | "https";
  }

  export interface RepoInfo {
    index: IndexInfo;
    official: boolean;
    remoteName: string;
    localName: string;
    canonicalName: string;
  }

  export interface ClientV2Options {
    repo: RepoInfo;
    username?: string;
    password?: string;
    token?: string;
    insecure?: boolean;
    scheme?: "http" | "https";
    acceptManifestLists?: boolean;
    /** Not read by 3.4.0 (OCI types are asked for with maxSchemaVersion 2); kept as asked. */
    acceptOCIManifests?: boolean;
    maxSchemaVersion?: number;
    log?: Logger;
    userAgent?: string;
  }

  /** restify-errors: an Error with the HTTP status, when there was an answer. */
  export interface RegistryLibraryError extends Error {
    statusCode?: number;
    code?: string;
    body?: unknown;
  }

  export type Callback<A extends unknown[]> = (
    err: RegistryLibraryError | null,
    ...rest: A
  ) => void;

  export interface RegistryClientV2 {
    getManifest(
      opts: { ref: string; acceptManifestLists?: boolean; maxSchemaVersion?: number },
      cb: Callback<
        [manifest: unknown, res: IncomingMessage | undefined, manifestStr: string | undefined]
      >,
    ): void;
    listTags(
      cb: Callback<
        [
          body: { name?: string; tags?: string[] | null } | undefined,
          res: IncomingMessage | undefined,
        ]
      >,
    ): void;
    headBlob(opts: { digest: string }, cb: Callback<[ress: IncomingMessage[] | undefined]>): void;
    createBlobReadStream(
      opts: { digest: string },
      cb: Callback<
        [stream: (Readable & IncomingMessage) | null, ress: IncomingMessage[] | undefined]
      >,
    ): void;
    blobUpload(
      opts: { digest: string; stream: Readable; contentLength: number; contentType?: string },
      cb: Callback<[res: IncomingMessage | undefined]>,
    ): void;
    close(): void;
  }

  const drc: {
    createClientV2(opts: ClientV2Options): RegistryClientV2;
  };
  export default drc;
}
