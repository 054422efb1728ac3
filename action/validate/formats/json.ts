// `-o json`: the report as it is (see report.ts): `summary`, `units`, `results`.
import type { Report } from "../report.ts";

export function formatJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
