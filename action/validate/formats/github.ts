// `-o github`: workflow commands that GitHub turns into annotations on file:line, and
// the Markdown of the job summary and the sticky pull request comment. Pure: the
// runtime side (writing the summary, the comment, outputs) is in ../github.ts.
//
// GitHub shows at most 10 error and 10 warning annotations per step; the problems past
// that are listed in the job summary instead, so none is lost.
import {
  describeEntry,
  describePosition,
  groupMessages,
  type MessageGroup,
  type Report,
  ruleId,
} from "../report.ts";

export const ANNOTATION_LIMIT = { error: 10, warning: 10 } as const;

export function planAnnotations(
  groups: readonly MessageGroup[],
  limit: { error: number; warning: number } = ANNOTATION_LIMIT,
): { annotated: MessageGroup[]; overflow: MessageGroup[] } {
  const used = { error: 0, warning: 0 };
  const annotated: MessageGroup[] = [];
  const overflow: MessageGroup[] = [];
  for (const g of groups) {
    const severity = g.message.severity;
    if (used[severity] < limit[severity]) {
      used[severity]++;
      annotated.push(g);
    } else overflow.push(g);
  }
  return { annotated, overflow };
}

// The escaping of @actions/core's workflow commands.
export function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

function what(group: MessageGroup): string {
  return [...new Set(group.entries.map(describeEntry))].join(", ");
}

/** `::error file=PATH,line=N,col=C,title=...::MESSAGE` (properties in that order). */
export function annotationCommand(group: MessageGroup): string {
  const m = group.message;
  const props: string[] = [`file=${escapeProperty(m.file)}`];
  if (m.line !== undefined) props.push(`line=${m.line}`);
  if (m.column !== undefined) props.push(`col=${m.column}`);
  props.push(`title=${escapeProperty(`${ruleId(m)}: ${what(group)}`)}`);
  const units = group.units.length > 1 ? ` (units ${group.units.join(", ")})` : "";
  return `::${m.severity} ${props.join(",")}::${escapeData(`${m.message}${units}`)}`;
}

// Zero-width space: breaks a mention, an autolink or an issue reference without
// changing what a person reads.
const ZWSP = "\u200B";

/**
 * Text for a Markdown table cell, from manifests and policies (anyone who opens a pull
 * request): rendered as text only. No HTML, no link or image (Markdown punctuation is
 * escaped), no @mention, #reference or autolink (broken by a zero-width space), no
 * pipe to end the cell, one line.
 */
export function cell(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/[\\`*_[\]()!#~|]/g, "\\$&")
    .replace(/@/g, `@${ZWSP}`)
    .replace(/:\/\//g, `:${ZWSP}//`)
    .replace(/\bwww\./gi, (m) => `${m.slice(0, 3)}${ZWSP}.`)
    .replace(/\r?\n/g, "<br>");
}

/** Text inside a `code span` of a table cell: shown as written, but no backtick to end
 * the span and no pipe to end the cell. */
export function codeCell(text: string): string {
  return text.replace(/`/g, "'").replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

export interface MarkdownOptions {
  title?: string;
  /** Problems not annotated (over GitHub's cap): listed with a note. */
  overflow?: readonly MessageGroup[];
  /** At most this many problem rows (the comment has a size limit). */
  maxRows?: number;
  /** A marker to find the comment again (an HTML comment, invisible). */
  marker?: string;
  /** Link to the workflow run. */
  runUrl?: string | undefined;
}

function problemRows(groups: readonly MessageGroup[], maxRows: number): string[] {
  const rows = ["| | Where | Resource | Problem | Rule |", "|---|---|---|---|---|"];
  for (const g of groups.slice(0, maxRows)) {
    const m = g.message;
    const units = g.units.length > 1 ? ` (${g.units.join(", ")})` : ` (${g.units[0]})`;
    rows.push(
      `| ${m.severity === "error" ? "❌" : "⚠️"} | \`${codeCell(describePosition(m))}\` | ${cell(what(g))}${cell(units)} | ${cell(m.message)} | \`${codeCell(ruleId(m))}\` |`,
    );
  }
  if (groups.length > maxRows) rows.push("", `… and ${groups.length - maxRows} more.`);
  return rows;
}

/** The job summary and the comment: a table per unit, then the problems. */
export function markdownReport(report: Report, options: MarkdownOptions = {}): string {
  const s = report.summary;
  const ok = s.errors === 0;
  const out: string[] = [];
  if (options.marker) out.push(options.marker);
  out.push(`### ${options.title ?? "Tether validate"}: ${ok ? "passed" : "failed"}`, "");
  out.push(
    `${s.resources} resources in ${s.units} units against Kubernetes ${report.kubernetesVersion}: ${s.valid} valid, ${s.invalid} invalid, ${s.skipped} skipped; ${s.errors} errors, ${s.warnings} warnings${s.exceptions > 0 ? `, ${s.exceptions} exceptions` : ""}.`,
    "",
    "| Unit | Renderer | Resources | Valid | Invalid | Skipped | Errors | Warnings |",
    "|---|---|---:|---:|---:|---:|---:|---:|",
  );
  for (const u of report.units) {
    out.push(
      `| \`${codeCell(u.name)}\` | ${u.renderer} | ${u.resources} | ${u.valid} | ${u.invalid} | ${u.skipped} | ${u.errors} | ${u.warnings} |`,
    );
  }
  const groups = groupMessages(report);
  const maxRows = options.maxRows ?? 200;
  if (groups.length > 0) out.push("", "#### Problems", "", ...problemRows(groups, maxRows));
  if (options.overflow && options.overflow.length > 0) {
    out.push(
      "",
      `#### Not annotated (GitHub shows at most ${ANNOTATION_LIMIT.error} errors and ${ANNOTATION_LIMIT.warning} warnings per step)`,
      "",
      ...problemRows(options.overflow, maxRows),
    );
  }
  if (options.runUrl) out.push("", `[Workflow run](${options.runUrl})`);
  return `${out.join("\n")}\n`;
}

export function commentMarker(key: string): string {
  return `<!-- tether-validate:${key.replace(/--/g, "-")} -->`;
}

/** GitHub rejects comments over 65,536 characters; fewer rows until it fits. */
export function commentBody(report: Report, key: string, runUrl?: string): string {
  for (const maxRows of [200, 100, 50, 20, 0]) {
    const body = markdownReport(report, { marker: commentMarker(key), maxRows, runUrl });
    if (body.length <= 65_000) return body;
  }
  return `${commentMarker(key)}\nTether validate: ${report.summary.errors} errors, ${report.summary.warnings} warnings (details in the job summary).\n`;
}

/** What `-o github` prints: the annotation commands, then one summary line. */
export function formatGithub(report: Report): { text: string; overflow: MessageGroup[] } {
  const { annotated, overflow } = planAnnotations(groupMessages(report));
  const lines = annotated.map(annotationCommand);
  if (overflow.length > 0) {
    lines.push(
      `${overflow.length} more problem(s) are listed in the job summary (GitHub's annotation cap).`,
    );
  }
  const s = report.summary;
  lines.push(
    `tether validate: ${s.resources} resources, ${s.invalid} invalid; ${s.errors} errors, ${s.warnings} warnings`,
  );
  return { text: `${lines.join("\n")}\n`, overflow };
}
