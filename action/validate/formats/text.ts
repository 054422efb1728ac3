// `-o text`: one line per problem, `file:line:col: severity: message`, as compilers print
// them (editors and terminals link them), then a summary line. A problem found through
// several overlays is printed once, with the units it was found in.
import {
  describeEntry,
  describePosition,
  groupMessages,
  isResource,
  type Report,
  ruleId,
} from "../report.ts";

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

export function formatText(report: Report, options: { verbose?: boolean } = {}): string {
  const lines: string[] = [];
  for (const group of groupMessages(report)) {
    const m = group.message;
    const what = [...new Set(group.entries.map(describeEntry))].join(", ");
    const units = group.units.length > 1 ? `; units ${group.units.join(", ")}` : "";
    lines.push(
      `${describePosition(m)}: ${m.severity}: ${m.message} [${ruleId(m)}] (${what}${units})`,
    );
  }
  if (options.verbose) {
    for (const entry of report.results.filter(isResource)) {
      if (entry.status === "invalid") continue;
      lines.push(
        `${describePosition(entry)}: ${entry.status}: ${describeEntry(entry)} (${entry.unit})`,
      );
    }
  }
  const s = report.summary;
  const exceptions = s.exceptions > 0 ? `, ${plural(s.exceptions, "exception")}` : "";
  lines.push(
    `${plural(s.resources, "resource")} in ${plural(s.units, "unit")} (Kubernetes ${report.kubernetesVersion}): ${s.valid} valid, ${s.invalid} invalid, ${s.skipped} skipped; ${plural(s.errors, "error")}, ${plural(s.warnings, "warning")}${exceptions}`,
  );
  return `${lines.join("\n")}\n`;
}
