// Rewrites image references in the files of a checkout: setter markers for policies,
// and the named containers of Flux v1 automated workloads. Only the marked scalars
// change; the setters keep every other byte of a file.
import { readFile } from "node:fs/promises";
import { join, relative, resolve, sep } from "node:path";
import { listManifestFiles } from "../../shared/manifests/load.ts";
import {
  applySetters,
  markedDigests,
  type ObjectRef,
  type PolicyImage,
  setWorkloadImageTag,
} from "../../shared/tagpolicy/setters.ts";
import { confine, resolveSymlinks } from "../../shared/util/confine.ts";
import { splitImage } from "./repo-config.ts";
import type { ScanOutcome } from "./scan.ts";

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

const MARKER = "$imagepolicy";

export async function planUpdates(
  root: string,
  updatePath: string,
  outcome: ScanOutcome,
): Promise<UpdatePlan> {
  const plan: UpdatePlan = { files: new Map(), changes: [], skipped: [] };
  const images = new Map<string, PolicyImage>();
  for (const p of outcome.policies) if (p.image) images.set(p.key, p.image);
  const textOf = async (file: string) =>
    plan.files.get(file) ?? (await readFile(join(root, file), "utf8"));

  // spec.update.path comes from Git: it must not lead out of the checkout, neither by
  // `..` nor through a symlink (resolved first), and neither may any file below it.
  const realRoot = await resolveSymlinks(root);
  const dir = await confine(root, updatePath, `spec.update.path ${updatePath}`);
  for (const abs of await listManifestFiles(dir, realRoot)) {
    // A symlinked file is changed where it really is, so Git records the change there.
    const file = relative(realRoot, await resolveSymlinks(abs))
      .split(sep)
      .join("/");
    const text = await textOf(file);
    if (!text.includes(MARKER)) continue;
    try {
      const result = applySetters(text, images);
      for (const s of result.skipped)
        plan.skipped.push(`${file}:${s.line}: ${s.marker}: ${s.reason}`);
      if (result.changes.length === 0) continue;
      plan.files.set(file, result.text);
      for (const c of result.changes)
        plan.changes.push({
          file,
          line: c.line,
          marker: c.marker,
          old: c.old,
          new: c.new,
          object: c.object,
        });
    } catch (error) {
      plan.skipped.push(`${file}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  for (const v1 of outcome.v1) {
    if (!v1.latest || v1.latest === v1.current) continue;
    const { tag } = splitImage(v1.latest);
    if (!tag) continue;
    const { workload } = v1;
    try {
      const result = setWorkloadImageTag(
        await textOf(workload.file),
        {
          kind: workload.kind,
          name: workload.name,
          ...(workload.namespace ? { namespace: workload.namespace } : {}),
        },
        v1.container,
        tag,
      );
      if (result.changes.length === 0) continue;
      plan.files.set(workload.file, result.text);
      for (const c of result.changes) {
        plan.changes.push({
          file: workload.file,
          line: c.line,
          marker: `${workload.kind}/${workload.name}:${v1.container}`,
          old: c.old,
          new: c.new,
          object: {
            apiVersion: workload.apiVersion ?? "",
            kind: workload.kind,
            name: workload.name,
            namespace: workload.namespace ?? "",
          },
        });
      }
    } catch (error) {
      plan.skipped.push(
        `${workload.file}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
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
