// Folders the chart steps build under the cache (an unpacked package, a chart with its
// values files or dependencies), named by a digest of what they hold: each is built in a
// temporary folder of its own beside it and renamed into place, so a folder under its
// final name is always complete. Passes in one process that want the same folder share
// one build; a folder another process renamed first is kept (it holds the same).
// Each use marks a folder as used (its time); building a new one removes those of the
// same kind unused for UNUSED_DAYS, so the cache does not grow with every chart edit.
// Copies of chart folders follow a symlink only while it stays inside the source, as the
// rest of Tether reads a checkout (shared/util/confine.ts).
import { cp, lstat, mkdir, mkdtemp, readdir, rename, rm, stat, utimes } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { confine } from "../util/confine.ts";
import { ChartError } from "./errors.ts";

const building = new Map<string, Promise<void>>();
const UNUSED_DAYS = 7;
const UNUSED_MS = UNUSED_DAYS * 24 * 3600 * 1000;

/**
 * When this process last used each folder (or began building it), on the monotonic
 * clock. Times on disk are wall-clock: a board without a clock battery boots in the
 * past and NTP moves it forward later, so a folder used a minute ago (or a build in
 * progress) can look years old. One this process used within UNUSED_DAYS is never
 * pruned, whatever its time on disk says.
 */
const usedHere = new Map<string, number>();
const monotonicMs = () => Number(process.hrtime.bigint() / 1_000_000n);
const markUsed = (path: string) => usedHere.set(path, monotonicMs());

/** Removes the folders beside `kept` that no pass used for UNUSED_DAYS. */
async function pruneUnused(kept: string): Promise<void> {
  const parent = dirname(kept);
  const before = Date.now() - UNUSED_MS;
  for (const name of await readdir(parent).catch(() => [])) {
    const path = join(parent, name);
    if (path === kept) continue;
    const used = usedHere.get(path);
    if (used !== undefined && monotonicMs() - used < UNUSED_MS) continue;
    const info = await stat(path).catch(() => undefined);
    if (info && info.mtimeMs < before) {
      await rm(path, { recursive: true, force: true });
      usedHere.delete(path);
    }
  }
}

/** `final`, built by `build` into an empty folder when it is not there yet. */
export async function buildFolderOnce(
  final: string,
  build: (dir: string) => Promise<void>,
): Promise<void> {
  if (await stat(final).catch(() => undefined)) {
    markUsed(final);
    const now = new Date();
    await utimes(final, now, now).catch(() => undefined);
    return;
  }
  const running = building.get(final);
  if (running) return running;
  const work = (async () => {
    await mkdir(dirname(final), { recursive: true });
    const partial = await mkdtemp(`${final}.partial-`);
    markUsed(partial);
    try {
      await build(partial);
      await rename(partial, final).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== "ENOTEMPTY" && error.code !== "EEXIST") throw error;
      });
      markUsed(final);
    } finally {
      usedHere.delete(partial);
      await rm(partial, { recursive: true, force: true });
    }
  })();
  building.set(final, work);
  try {
    await work;
  } finally {
    building.delete(final);
  }
  await pruneUnused(final);
}

/**
 * Copies the chart folder `from` to `to`. A symlink in it is copied as what it points to
 * when that is inside `sourceRoot`; one that leaves is refused (a repository must not
 * read the agent's files through its chart).
 */
export async function copyChartFolder(from: string, to: string, sourceRoot: string): Promise<void> {
  await cp(from, to, {
    recursive: true,
    dereference: true,
    filter: async (source) => {
      if (!(await lstat(source)).isSymbolicLink()) return true;
      await confine(sourceRoot, source, `${basename(from)}/${source.slice(from.length + 1)}`).catch(
        (error: Error) => {
          throw new ChartError("InvalidChartReference", error.message);
        },
      );
      return true;
    },
  });
}
