#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  describeEntry,
  describePosition,
  groupMessages,
  ruleId
} from "./chunk-PW6NO3M2.js";

// action/validate/formats/github.ts
var ANNOTATION_LIMIT = { error: 10, warning: 10 };
function planAnnotations(groups, limit = ANNOTATION_LIMIT) {
  const used = { error: 0, warning: 0 };
  const annotated = [];
  const overflow = [];
  for (const g of groups) {
    const severity = g.message.severity;
    if (used[severity] < limit[severity]) {
      used[severity]++;
      annotated.push(g);
    } else overflow.push(g);
  }
  return { annotated, overflow };
}
function escapeData(text) {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}
function escapeProperty(text) {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}
function what(group) {
  return [...new Set(group.entries.map(describeEntry))].join(", ");
}
function annotationCommand(group) {
  const m = group.message;
  const props = [`file=${escapeProperty(m.file)}`];
  if (m.line !== void 0) props.push(`line=${m.line}`);
  if (m.column !== void 0) props.push(`col=${m.column}`);
  props.push(`title=${escapeProperty(`${ruleId(m)}: ${what(group)}`)}`);
  const units = group.units.length > 1 ? ` (units ${group.units.join(", ")})` : "";
  return `::${m.severity} ${props.join(",")}::${escapeData(`${m.message}${units}`)}`;
}
var ZWSP = "\u200B";
function cell(text) {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/[\\`*_[\]()!#~|]/g, "\\$&").replace(/@/g, `@${ZWSP}`).replace(/:\/\//g, `:${ZWSP}//`).replace(/\bwww\./gi, (m) => `${m.slice(0, 3)}${ZWSP}.`).replace(/\r?\n/g, "<br>");
}
function codeCell(text) {
  return text.replace(/`/g, "'").replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}
function problemRows(groups, maxRows) {
  const rows = ["| | Where | Resource | Problem | Rule |", "|---|---|---|---|---|"];
  for (const g of groups.slice(0, maxRows)) {
    const m = g.message;
    const units = g.units.length > 1 ? ` (${g.units.join(", ")})` : ` (${g.units[0]})`;
    rows.push(
      `| ${m.severity === "error" ? "\u274C" : "\u26A0\uFE0F"} | \`${codeCell(describePosition(m))}\` | ${cell(what(g))}${cell(units)} | ${cell(m.message)} | \`${codeCell(ruleId(m))}\` |`
    );
  }
  if (groups.length > maxRows) rows.push("", `\u2026 and ${groups.length - maxRows} more.`);
  return rows;
}
function markdownReport(report, options = {}) {
  const s = report.summary;
  const ok = s.errors === 0;
  const out = [];
  if (options.marker) out.push(options.marker);
  out.push(`### ${options.title ?? "Tether validate"}: ${ok ? "passed" : "failed"}`, "");
  out.push(
    `${s.resources} resources in ${s.units} units against Kubernetes ${report.kubernetesVersion}: ${s.valid} valid, ${s.invalid} invalid, ${s.skipped} skipped; ${s.errors} errors, ${s.warnings} warnings${s.exceptions > 0 ? `, ${s.exceptions} exceptions` : ""}.`,
    "",
    "| Unit | Renderer | Resources | Valid | Invalid | Skipped | Errors | Warnings |",
    "|---|---|---:|---:|---:|---:|---:|---:|"
  );
  for (const u of report.units) {
    out.push(
      `| \`${codeCell(u.name)}\` | ${u.renderer} | ${u.resources} | ${u.valid} | ${u.invalid} | ${u.skipped} | ${u.errors} | ${u.warnings} |`
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
      ...problemRows(options.overflow, maxRows)
    );
  }
  if (options.runUrl) out.push("", `[Workflow run](${options.runUrl})`);
  return `${out.join("\n")}
`;
}
function commentMarker(key) {
  return `<!-- tether-validate:${key.replace(/--/g, "-")} -->`;
}
function commentBody(report, key, runUrl) {
  for (const maxRows of [200, 100, 50, 20, 0]) {
    const body = markdownReport(report, { marker: commentMarker(key), maxRows, runUrl });
    if (body.length <= 65e3) return body;
  }
  return `${commentMarker(key)}
Tether validate: ${report.summary.errors} errors, ${report.summary.warnings} warnings (details in the job summary).
`;
}
function formatGithub(report) {
  const { annotated, overflow } = planAnnotations(groupMessages(report));
  const lines = annotated.map(annotationCommand);
  if (overflow.length > 0) {
    lines.push(
      `${overflow.length} more problem(s) are listed in the job summary (GitHub's annotation cap).`
    );
  }
  const s = report.summary;
  lines.push(
    `tether validate: ${s.resources} resources, ${s.invalid} invalid; ${s.errors} errors, ${s.warnings} warnings`
  );
  return { text: `${lines.join("\n")}
`, overflow };
}

export {
  cell,
  codeCell,
  markdownReport,
  commentMarker,
  commentBody,
  formatGithub
};
