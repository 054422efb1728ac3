// A worker thread of `tether validate` (workers.ts starts it on this module's own file,
// which in the bundle is the chunk holding it, so the same code serves the sources and
// dist/). It reads and parses plain manifest files as the main thread would
// (loadPlainFile) and sends each file's objects; it keeps what the parse knows of field
// positions, and answers where the fields that messages name are. Objects cross the
// thread boundary once; the positions never do.
import { isMainThread, type MessagePort, parentPort, workerData } from "node:worker_threads";
import type { KubeObject, Manifest, Source } from "../../shared/manifests/object.ts";
import { ManifestError } from "../../shared/manifests/parse.ts";
import type { Located } from "../../shared/manifests/positions.ts";
import {
  loadPlainFile,
  type PlainFile,
  type PlainFileOptions,
} from "../../shared/render/flux-dir.ts";

export const WORKER_ROLE = "tether-validate";

/** The script a worker starts on: this module's file, or the bundle chunk it is in. */
export const workerScript = new URL(import.meta.url);

export type Request =
  | { type: "parse"; id: number; file: PlainFile; options: PlainFileOptions }
  /** Where `pointers[i]` are in the object `keys[i]`. */
  | { type: "locate"; id: number; keys: number[]; pointers: string[][] };

/** An object as it crosses: `key` names it in a "locate" request. */
export interface ParsedManifest {
  key: number;
  object: KubeObject;
  source: Omit<Source, "positions">;
}

export type Reply =
  | { type: "parsed"; id: number; manifests: ParsedManifest[] }
  | { type: "refused"; id: number; file: string; line: number | undefined; detail: string }
  | { type: "located"; id: number; places: (Located | undefined)[][] }
  | { type: "failed"; id: number; message: string };

function serve(port: MessagePort): void {
  /** Each object's line and its file's positions, by key. */
  const kept = new Map<number, Source>();
  let nextKey = 0;
  const reply = (message: Reply) => port.postMessage(message);

  async function parse(id: number, file: PlainFile, options: PlainFileOptions): Promise<void> {
    const manifests: Manifest[] = await loadPlainFile(file, options);
    const parsed = manifests.map(({ object, source }): ParsedManifest => {
      const key = nextKey++;
      if (source.positions) kept.set(key, source);
      const { positions: _, ...rest } = source;
      return { key, object, source: rest };
    });
    reply({ type: "parsed", id, manifests: parsed });
  }

  function locate(id: number, keys: number[], pointers: string[][]): void {
    const places = keys.map((key, i) => {
      const source = kept.get(key);
      const line = source?.line;
      return (pointers[i] ?? []).map((pointer) =>
        line === undefined ? undefined : source?.positions?.locate(line, pointer),
      );
    });
    reply({ type: "located", id, places });
  }

  // Files one after another, in the order sent (all of them may be sent at once).
  let parsing = Promise.resolve();
  port.on("message", (request: Request) => {
    const work =
      request.type === "parse"
        ? parsing.then(() => parse(request.id, request.file, request.options))
        : Promise.resolve().then(() => locate(request.id, request.keys, request.pointers));
    // A refused file is answered below; the next one is parsed all the same.
    if (request.type === "parse") parsing = work.catch(() => {});
    work.catch((error: unknown) => {
      if (error instanceof ManifestError) {
        const { file, line, detail } = error;
        reply({ type: "refused", id: request.id, file, line, detail });
      } else {
        reply({
          type: "failed",
          id: request.id,
          message: (error as Error)?.stack ?? String(error),
        });
      }
    });
  });
}

if (!isMainThread && parentPort && (workerData as { role?: unknown })?.role === WORKER_ROLE) {
  serve(parentPort);
}
