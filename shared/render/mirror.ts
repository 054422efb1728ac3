// A private stand-in for one folder of a repository, to build it with files of our own
// (Flux's merged kustomization) without writing into the checkout, which other passes
// read at the same time. The mirror holds real folders only along the way from the
// repository's root down to that folder; every other entry on the way is a symlink to
// the real one. A relative reference from the folder (`deploy.yaml`, `../comp`,
// `../../base`) therefore reaches the same file as it would from the real folder, and
// creating the mirror costs one symlink per entry of those few folders, not a copy.
import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";

export interface Mirror {
  /** The mirror of the repository's root. */
  root: string;
  /** The mirror of the folder, holding the given files. */
  dir: string;
  remove(): Promise<void>;
}

/**
 * Mirrors `root` down to `dir` (both real paths, `dir` inside `root`) in a temporary
 * folder, with `files` (name → text) written in the mirrored `dir` in place of entries
 * of the same names. The caller removes it.
 */
export async function mirrorFolder(
  root: string,
  dir: string,
  files: Record<string, string>,
): Promise<Mirror> {
  const mirrorRoot = await mkdtemp(join(tmpdir(), "tether-mirror-"));
  const remove = () => rm(mirrorRoot, { recursive: true, force: true });
  try {
    const steps = relative(root, dir).split(sep).filter(Boolean);
    let real = root;
    let mirrored = mirrorRoot;
    for (let depth = 0; ; depth++) {
      const next = steps[depth];
      // The next folder on the way is mirrored itself; the files replace their names.
      const own = next === undefined ? new Set(Object.keys(files)) : new Set([next]);
      for (const entry of await readdir(real)) {
        if (!own.has(entry)) await symlink(join(real, entry), join(mirrored, entry));
      }
      if (next === undefined) break;
      real = join(real, next);
      mirrored = join(mirrored, next);
      await mkdir(mirrored);
    }
    for (const [name, text] of Object.entries(files)) {
      await writeFile(join(mirrored, name), text);
    }
    return { root: mirrorRoot, dir: mirrored, remove };
  } catch (error) {
    await remove();
    throw error;
  }
}
