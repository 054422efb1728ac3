// Image creation times keyed by manifest digest. A digest names immutable content, so an
// entry never goes stale: a rescan that finds the same digests reads no manifests or
// configs again. Unknown times are cached too (as null) for the same reason. The cache
// lives in memory and, when given a file, is loaded from and saved to JSON.
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";

interface CacheFile {
  version: 1;
  created: Record<string, string | null>;
}

export class CreatedCache {
  readonly file: string | undefined;
  #entries = new Map<string, string | null>();
  #dirty = false;

  constructor(file?: string) {
    this.file = file;
  }

  /** A cache backed by `file`, with whatever the file already holds (none if missing). */
  static async load(file: string): Promise<CreatedCache> {
    const cache = new CreatedCache(file);
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return cache;
      throw error;
    }
    let parsed: Partial<CacheFile>;
    try {
      parsed = JSON.parse(text) as Partial<CacheFile>;
    } catch {
      // A corrupt cache only costs requests: start empty rather than fail a scan.
      return cache;
    }
    if (parsed.version === 1 && typeof parsed.created === "object" && parsed.created !== null) {
      for (const [digest, value] of Object.entries(parsed.created)) {
        if (typeof value === "string" || value === null) cache.#entries.set(digest, value);
      }
    }
    return cache;
  }

  /** The cached time (ISO 8601), null when known to be unknown, undefined when not cached. */
  get(digest: string): string | null | undefined {
    return this.#entries.get(digest);
  }

  set(digest: string, created: string | null): void {
    if (this.#entries.get(digest) === created) return;
    this.#entries.set(digest, created);
    this.#dirty = true;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Writes the file (atomically: temp file then rename) when something changed. */
  async save(): Promise<void> {
    if (!this.file || !this.#dirty) return;
    const data: CacheFile = { version: 1, created: Object.fromEntries(this.#entries) };
    await mkdir(dirname(this.file), { recursive: true });
    const temp = `${this.file}.${process.pid}.tmp`;
    await writeFile(temp, `${JSON.stringify(data)}\n`);
    await rename(temp, this.file);
    this.#dirty = false;
  }
}
