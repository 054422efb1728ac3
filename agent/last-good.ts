// The last good state of each unit on disk: the objects of the last revision that was
// fully applied, so that an agent restarted while Git is unreachable (a power cut on
// a poor link) still corrects drift. Written atomically (temporary file, fsync,
// rename) with a checksum; a file that fails the checksum or does not parse is
// removed and rebuilt by the next good pass. It is never a source for pruning: what
// it holds may be older than the cluster's inventory.
//
// Secrets are left out: they would be plain text in a cache file. While Git is
// unreachable, Secrets are not re-applied (the cluster keeps what it has).
import { createHash } from "node:crypto";
import { mkdir, open, readFile, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import type { KubeObject } from "../shared/manifests/object.ts";

export interface LastGood {
  unit: string;
  revision: string;
  /** When it was written (ISO). */
  savedAt: string;
  objects: KubeObject[];
}

const FORMAT = 1;

export function lastGoodFile(dir: string, unit: string): string {
  return join(dir, `${unit}.json`);
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** Writes the unit's last good state; throws when the folder is not writable. */
export async function saveLastGood(dir: string, state: LastGood): Promise<void> {
  const payload = JSON.stringify({
    ...state,
    objects: state.objects.filter((o) => !(o.apiVersion === "v1" && o.kind === "Secret")),
  });
  const text = `${JSON.stringify({ format: FORMAT, sha256: sha256(payload), payload })}\n`;
  await mkdir(dir, { recursive: true });
  const file = lastGoodFile(dir, state.unit);
  const temporary = `${file}.${process.pid}.tmp`;
  const handle = await open(temporary, "w", 0o600);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, file);
}

export interface LoadResult {
  /** undefined when none was saved yet, or it was damaged. */
  state?: LastGood | undefined;
  /** Why a saved state could not be used. */
  problem?: string | undefined;
}

/** The unit's last good state; a damaged file is removed and reported as a problem. */
export async function loadLastGood(dir: string, unit: string): Promise<LoadResult> {
  const file = lastGoodFile(dir, unit);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
    return { problem: `last good state ${file} cannot be read: ${(error as Error).message}` };
  }
  try {
    const outer = JSON.parse(text) as { format?: number; sha256?: string; payload?: string };
    if (outer.format !== FORMAT || typeof outer.payload !== "string")
      throw new Error("unknown format");
    if (sha256(outer.payload) !== outer.sha256) throw new Error("checksum mismatch");
    const state = JSON.parse(outer.payload) as LastGood;
    if (state.unit !== unit || !Array.isArray(state.objects)) throw new Error("not this unit's");
    return { state };
  } catch (error) {
    await rm(file, { force: true }).catch(() => undefined);
    return {
      problem: `last good state ${file} was damaged (${(error as Error).message}); removed, rebuilt by the next good pass`,
    };
  }
}
