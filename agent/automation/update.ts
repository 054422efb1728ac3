// Rewrites image references in the files of a checkout: each image updater
// (updaters.ts: setter markers for policies, the named containers of Flux v1 automated
// workloads) plans its changes. Only the marked scalars change; the setters keep every
// other byte of a file.
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { listManifestFiles } from "../../shared/manifests/load.ts";
import { markedDigests, type ObjectRef } from "../../shared/tagpolicy/setters.ts";
import { confine, resolveSymlinks } from "../../shared/util/confine.ts";
import type { ScanOutcome } from "./scan.ts";
import type { Checkout } from "./updater.ts";
import { IMAGE_UPDATERS } from "./updaters.ts";

export interface FileChange {
  file: string;
  line: number;
  marker: string;
  old: string;
  new: string;
  /** The object the change is in (for the Flux 2.7 template's .Changed.Objects). */
  object?: ObjectRef | undefined;
}

export interface UpdatePlan {
  /** New text of every file that changes, by path relative to the checkout. */
  files: Map<string, string>;
  changes: FileChange[];
  /** Markers or workloads that could not be updated, and why. */
  skipped: string[];
}

/** The file changes every image updater (updaters.ts) plans for the scan's outcome. */
export async function planUpdates(
  root: string,
  updatePath: string,
  outcome: ScanOutcome,
): Promise<UpdatePlan> {
  const plan: UpdatePlan = { files: new Map(), changes: [], skipped: [] };
  // spec.update.path comes from Git: it must not lead out of the checkout, neither by
  // `..` nor through a symlink (resolved first), and neither may any file below it.
  const checkout: Checkout = {
    realRoot: await resolveSymlinks(root),
    updateDir: await confine(root, updatePath, `spec.update.path ${updatePath}`),
    text: async (file) => plan.files.get(file) ?? (await readFile(join(root, file), "utf8")),
  };
  for (const updater of IMAGE_UPDATERS) await updater.plan(checkout, outcome, plan);
  return plan;
}

/** Digests marked fields hold, as `<ns>:<name>|<tag>` -> digest (see markedDigests). */
export async function pinnedDigests(
  root: string,
  updatePath: string,
): Promise<Map<string, string>> {
  const pinned = new Map<string, string>();
  for (const abs of await listManifestFiles(resolve(root, updatePath))) {
    for (const d of markedDigests(await readFile(abs, "utf8")))
      if (!pinned.has(`${d.policy}|${d.tag}`)) pinned.set(`${d.policy}|${d.tag}`, d.digest);
  }
  return pinned;
}

/** The commit message: a subject, then one line per change `file: old -> new`. */
export function commitMessage(
  changes: readonly FileChange[],
  options: { subject?: string | undefined; skipCi?: boolean },
): string {
  const subject = `${options.subject ?? "Update images"}${options.skipCi ? " [skip ci]" : ""}`;
  const lines = [...new Set(changes.map((c) => `- ${c.file}: ${c.old} -> ${c.new}`))];
  return `${subject}\n\n${lines.join("\n")}\n`;
}
