// `-o tap`: TAP version 13, one test point per resource, the messages in its YAML block.
import { stringify } from "yaml";
import { describeEntry, describePosition, isResource, type Report } from "../report.ts";

export function formatTap(report: Report): string {
  const lines = ["TAP version 13", `1..${report.results.length}`];
  report.results.forEach((entry, i) => {
    const what = isResource(entry)
      ? `${describeEntry(entry)} ${describePosition(entry)}`
      : describePosition(entry);
    // A newline or "#" in a description would end it early.
    const description = `${what} (${entry.unit})`.replace(/[\r\n]+/g, " ").replace(/#/g, "\\#");
    const ok = entry.status !== "invalid";
    const directive = entry.status === "skipped" ? " # SKIP no schema checked" : "";
    lines.push(`${ok ? "ok" : "not ok"} ${i + 1} - ${description}${directive}`);
    if (entry.messages.length > 0) {
      const block = stringify({
        messages: entry.messages.map((m) => ({
          severity: m.severity,
          source: m.source,
          ...(m.rule ? { rule: m.rule } : {}),
          message: m.message,
          at: describePosition(m),
        })),
      });
      lines.push(
        "  ---",
        ...block
          .trimEnd()
          .split("\n")
          .map((l) => `  ${l}`),
        "  ...",
      );
    }
  });
  return `${lines.join("\n")}\n`;
}
