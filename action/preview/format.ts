// What `tether preview` prints: text for a terminal, JSON for scripts (the contract:
// `{clusters: [{path, added, changed, removed, images}]}`, nothing more), and Markdown
// for the job summary and the pull request comment: one collapsible section per
// cluster. Pure. Everything from the repository is text to show, never Markdown to
// render: names go in code spans, diffs in fenced blocks longer than any fence inside.
import { cell, codeCell } from "../validate/formats/github.ts";
import { type ClusterPreview, countChanges, type ObjectId } from "./compare.ts";

export interface PreviewReport {
  base: string;
  head: string;
  clusters: ClusterPreview[];
}

export function formatJson(report: PreviewReport): string {
  const clusters = report.clusters.map((c) => ({
    path: c.path,
    added: c.added,
    changed: c.changed,
    removed: c.removed,
    images: c.images,
  }));
  return `${JSON.stringify({ clusters }, null, 2)}\n`;
}

const describe = (id: ObjectId) => `${id.kind} ${id.namespace ? `${id.namespace}/` : ""}${id.name}`;

export function counts(c: ClusterPreview): string {
  if (countChanges(c) === 0) return "no changes";
  const parts = [
    `${c.added.length} added`,
    `${c.changed.length} changed`,
    `${c.removed.length} removed`,
  ];
  if (c.images.length > 0) parts.push(`${c.images.length} image${c.images.length > 1 ? "s" : ""}`);
  return parts.join(", ");
}

export function formatText(report: PreviewReport): string {
  const out: string[] = [`preview ${report.base.slice(0, 12)} → ${report.head.slice(0, 12)}`];
  for (const c of report.clusters) {
    out.push("", `${c.path}: ${counts(c)}`);
    for (const i of c.images) out.push(`  image ${i.from} → ${i.to}`);
    for (const id of c.added) out.push(`  + ${describe(id)}`);
    for (const ch of c.changed) {
      out.push(`  ~ ${describe(ch)}`);
      for (const line of ch.diff.split("\n")) out.push(`      ${line}`);
    }
    for (const id of c.removed) out.push(`  - ${describe(id)} (pruned)`);
    for (const k of c.kept) out.push(`  = ${describe(k)} left in the cluster: ${k.reason}`);
    for (const n of c.notes) out.push(`  note: ${n}`);
  }
  return `${out.join("\n")}\n`;
}

/** Text inside HTML (a summary line), where Markdown is not rendered. */
const html = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** A fenced block that nothing inside can close. */
function fenced(text: string, info = ""): string[] {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  return [`${fence}${info}`, ...text.split("\n"), fence];
}

export interface MarkdownOptions {
  marker?: string;
  /** Leave out the field diffs (the size cap). */
  withoutDiffs?: boolean;
  /** At most this many objects listed per section. */
  maxItems?: number;
  /** A line at the end (where the full report is). */
  footer?: string;
}

function list(items: readonly ObjectId[], max: number): string[] {
  const lines = items.slice(0, max).map((id) => `- \`${codeCell(describe(id))}\``);
  if (items.length > max) lines.push(`- … and ${items.length - max} more`);
  return lines;
}

export function formatMarkdown(report: PreviewReport, options: MarkdownOptions = {}): string {
  const max = options.maxItems ?? Number.POSITIVE_INFINITY;
  const out: string[] = [];
  if (options.marker) out.push(options.marker);
  const changed = report.clusters.filter((c) => countChanges(c) > 0).length;
  out.push(
    `### Tether preview: ${changed} of ${report.clusters.length} cluster${report.clusters.length === 1 ? "" : "s"} change`,
    "",
    `\`${report.base.slice(0, 12)}\` → \`${report.head.slice(0, 12)}\``,
  );
  for (const c of report.clusters) {
    out.push("", "<details>", `<summary><b>${html(c.path)}</b>: ${counts(c)}</summary>`, "");
    if (c.images.length > 0) {
      out.push("Images:", "", "| from | to |", "|---|---|");
      for (const i of c.images.slice(0, max))
        out.push(`| \`${codeCell(i.from)}\` | \`${codeCell(i.to)}\` |`);
      out.push("");
    }
    if (c.added.length > 0) out.push("Added:", "", ...list(c.added, max), "");
    if (c.changed.length > 0) {
      out.push("Changed:", "");
      for (const ch of c.changed.slice(0, max)) {
        out.push(`- \`${codeCell(describe(ch))}\``);
        if (!options.withoutDiffs) out.push("", ...fenced(ch.diff, "diff").map((l) => `  ${l}`));
      }
      if (c.changed.length > max) out.push(`- … and ${c.changed.length - max} more`);
      out.push("");
    }
    if (c.removed.length > 0) out.push("Removed (pruned):", "", ...list(c.removed, max), "");
    if (c.kept.length > 0) {
      out.push("Gone from Git, left in the cluster:", "");
      for (const k of c.kept.slice(0, max))
        out.push(`- \`${codeCell(describe(k))}\`: ${cell(k.reason)}`);
      out.push("");
    }
    for (const n of c.notes.slice(0, max)) out.push(`> ${cell(n)}`);
    out.push("</details>");
  }
  if (options.footer) out.push("", options.footer);
  return `${out.join("\n")}\n`;
}

/** GitHub rejects comments over 65,536 characters. */
export const COMMENT_LIMIT = 65_000;

/**
 * The comment: the whole report when it fits, else without diffs, else fewer objects
 * per section; a shortened one says where the full report is (`fullReport`: Markdown
 * the caller writes, not repository text).
 */
export function commentMarkdown(
  report: PreviewReport,
  marker: string,
  fullReport: string,
  limit = COMMENT_LIMIT,
): { body: string; shortened: boolean } {
  const whole = formatMarkdown(report, { marker });
  if (whole.length <= limit) return { body: whole, shortened: false };
  const footer = `Shortened to fit a comment: ${fullReport}.`;
  for (const maxItems of [Number.POSITIVE_INFINITY, 100, 20, 5, 0]) {
    const body = formatMarkdown(report, { marker, withoutDiffs: true, maxItems, footer });
    if (body.length <= limit) return { body, shortened: true };
  }
  return { body: `${marker}\nTether preview: ${footer}\n`, shortened: true };
}
