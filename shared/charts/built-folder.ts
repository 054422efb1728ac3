// Folders the chart steps build under the cache (an unpacked package, a chart with its
// values files or dependencies), named by a digest of what they hold: each is built in a
// temporary folder of its own beside it and renamed into place, so a folder under its
// final name is always complete. Passes in one process that want the same folder share
// one build; a folder another process renamed first is kept (it holds the same).
// Copies of chart folders follow a symlink only while it stays inside the source, as the
// rest of Tether reads a checkout (shared/util/confine.ts).
import { cp, lstat, mkdir, mkdtemp, rename, rm, stat } from "node:fs/promises";
import { basename, dirname } from "node:path";
import { confine } from "../util/confine.ts";
import { ChartError } from "./errors.ts";

const building = new Map<string, Promise<void>>();

/** `final`, built by `build` into an empty folder when it is not there yet. */
export async function buildFolderOnce(
  final: string,
  build: (dir: string) => Promise<void>,
): Promise<void> {
  if (await stat(final).catch(() => undefined)) return;
  const running = building.get(final);
  if (running) return running;
  const work = (async () => {
    await mkdir(dirname(final), { recursive: true });
    const partial = await mkdtemp(`${final}.partial-`);
    try {
      await build(partial);
      await rename(partial, final).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== "ENOTEMPTY" && error.code !== "EEXIST") throw error;
      });
    } finally {
      await rm(partial, { recursive: true, force: true });
    }
  })();
  building.set(final, work);
  try {
    await work;
  } finally {
    building.delete(final);
  }
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
