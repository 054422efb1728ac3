#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  ChartError
} from "./chunk-SGKLXC2P.js";

// shared/charts/unpack.ts
const { createReadStream, createWriteStream } = require("node:fs");
const { mkdir } = require("node:fs/promises");
const { dirname, join, posix } = require("node:path");
const { pipeline } = require("node:stream/promises");
const { createGunzip } = require("node:zlib");
var MAX_UNPACKED_BYTES = 100 * 1024 * 1024;
function chartPathOf(entryName) {
  const parts = entryName.replaceAll("\\", "/").split("/");
  const rest = posix.normalize(parts.slice(1).join("/"));
  if (rest === "." || rest === "" || rest.startsWith("../") || rest === ".." || rest.startsWith("/"))
    return void 0;
  return rest;
}
async function unpackChart(path, dir, source) {
  const { extract } = await import("./tar-stream-QKFSPZ2F.js");
  const entries = extract();
  let total = 0;
  const consume = async () => {
    for await (const entry of entries) {
      const name = entry.header.type === "file" ? chartPathOf(entry.header.name) : void 0;
      if (name === void 0) {
        entry.resume();
        continue;
      }
      total += entry.header.size ?? 0;
      if (total > MAX_UNPACKED_BYTES) {
        throw new ChartError(
          "ChartPullFailed",
          `${source}: the package unpacks to more than ${MAX_UNPACKED_BYTES / 1024 / 1024} MiB`
        );
      }
      const target = join(dir, name);
      await mkdir(dirname(target), { recursive: true });
      await pipeline(entry, createWriteStream(target));
    }
  };
  try {
    await Promise.all([pipeline(createReadStream(path), createGunzip(), entries), consume()]);
  } catch (error) {
    entries.destroy();
    if (error instanceof ChartError) throw error;
    throw new ChartError(
      "ChartPullFailed",
      `${source}: the package cannot be read (${error.message})`
    );
  }
}

export {
  MAX_UNPACKED_BYTES,
  chartPathOf,
  unpackChart
};
