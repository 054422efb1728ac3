#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);

// shared/registry/created-cache.ts
const { mkdir, readFile, rename, writeFile } = require("node:fs/promises");
const { dirname } = require("node:path");
var CreatedCache = class _CreatedCache {
  file;
  #entries = /* @__PURE__ */ new Map();
  #dirty = false;
  constructor(file) {
    this.file = file;
  }
  /** A cache backed by `file`, with whatever the file already holds (none if missing). */
  static async load(file) {
    const cache = new _CreatedCache(file);
    let text;
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      if (error.code === "ENOENT") return cache;
      throw error;
    }
    let parsed;
    try {
      parsed = JSON.parse(text);
    } catch {
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
  get(digest) {
    return this.#entries.get(digest);
  }
  set(digest, created) {
    if (this.#entries.get(digest) === created) return;
    this.#entries.set(digest, created);
    this.#dirty = true;
  }
  get size() {
    return this.#entries.size;
  }
  /** Writes the file (atomically: temp file then rename) when something changed. */
  async save() {
    if (!this.file || !this.#dirty) return;
    const data = { version: 1, created: Object.fromEntries(this.#entries) };
    await mkdir(dirname(this.file), { recursive: true });
    const temp = `${this.file}.${process.pid}.tmp`;
    await writeFile(temp, `${JSON.stringify(data)}
`);
    await rename(temp, this.file);
    this.#dirty = false;
  }
};

export {
  CreatedCache
};
