// A chart package (.tgz) unpacked to a folder as Helm's archive loader reads one: `\`
// read as `/`, the first component of every name taken off (a package holds one chart,
// whatever its top folder is called), only files written, none outside the folder, and
// at most 100 MiB unpacked (Helm's default limit), so a small package cannot fill the
// disk. Files are streamed to disk, not held in memory.
//
// tar-stream (already in the tree through @kubernetes/client-node): the agent image has
// no tar, and helm cannot unpack a package it did not pull. Loaded only here.
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import { dirname, join, posix } from "node:path";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import { ChartError } from "./errors.ts";

/** Helm's MaxDecompressedChartSize default. */
export const MAX_UNPACKED_BYTES = 100 * 1024 * 1024;

/** Where an entry of a package goes in the chart folder; undefined to skip it. Pure. */
export function chartPathOf(entryName: string): string | undefined {
  const parts = entryName.replaceAll("\\", "/").split("/");
  const rest = posix.normalize(parts.slice(1).join("/"));
  if (
    rest === "." ||
    rest === "" ||
    rest.startsWith("../") ||
    rest === ".." ||
    rest.startsWith("/")
  )
    return undefined;
  return rest;
}

/** Unpacks the package at `path` (named `source` in errors) into the folder `dir`. */
export async function unpackChart(path: string, dir: string, source: string): Promise<void> {
  const { extract } = await import("tar-stream");
  const entries = extract();
  let total = 0;
  const consume = async () => {
    for await (const entry of entries) {
      const name = entry.header.type === "file" ? chartPathOf(entry.header.name) : undefined;
      if (name === undefined) {
        entry.resume();
        continue;
      }
      total += entry.header.size ?? 0;
      if (total > MAX_UNPACKED_BYTES) {
        throw new ChartError(
          "ChartPullFailed",
          `${source}: the package unpacks to more than ${MAX_UNPACKED_BYTES / 1024 / 1024} MiB`,
        );
      }
      const target = join(dir, name);
      await mkdir(dirname(target), { recursive: true });
      await pipeline(entry, createWriteStream(target));
    }
  };
  try {
    // Both at once: a corrupt archive rejects the reading and the loop together.
    await Promise.all([pipeline(createReadStream(path), createGunzip(), entries), consume()]);
  } catch (error) {
    entries.destroy();
    if (error instanceof ChartError) throw error;
    throw new ChartError(
      "ChartPullFailed",
      `${source}: the package cannot be read (${(error as Error).message})`,
    );
  }
}
