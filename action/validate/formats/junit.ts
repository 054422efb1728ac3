// `-o junit`: one test suite per unit and one test case per resource, as CI systems that
// read JUnit XML show them. Errors are the failure; warnings go to system-out.
import {
  describeEntry,
  describePosition,
  isResource,
  type Report,
  type ResultEntry,
  ruleId,
} from "../report.ts";

/** Escapes text for XML and drops characters XML 1.0 cannot hold. */
export function xmlEscape(text: string): string {
  return (
    text
      // biome-ignore lint/suspicious/noControlCharactersInRegex: these are what XML forbids
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, "")
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;")
      .replace(/'/g, "&apos;")
  );
}

function testcase(entry: ResultEntry): string {
  const name = isResource(entry)
    ? `${describeEntry(entry)} (${describePosition(entry)})`
    : describePosition(entry);
  const attrs = [
    `classname="${xmlEscape(entry.unit)}"`,
    `name="${xmlEscape(name)}"`,
    `file="${xmlEscape(entry.file)}"`,
    ...(entry.line !== undefined ? [`line="${entry.line}"`] : []),
  ].join(" ");
  const errors = entry.messages.filter((m) => m.severity === "error");
  const warnings = entry.messages.filter((m) => m.severity === "warning");
  const body: string[] = [];
  const first = errors[0];
  if (first) {
    const text = errors
      .map((m) => `${describePosition(m)}: ${m.message} [${ruleId(m)}]`)
      .join("\n");
    body.push(
      `      <failure message="${xmlEscape(first.message)}" type="${xmlEscape(ruleId(first))}">${xmlEscape(text)}</failure>`,
    );
  } else if (entry.status === "skipped") {
    body.push(`      <skipped message="no schema checked"/>`);
  }
  if (warnings.length > 0) {
    const text = warnings
      .map((m) => `warning: ${describePosition(m)}: ${m.message} [${ruleId(m)}]`)
      .join("\n");
    body.push(`      <system-out>${xmlEscape(text)}</system-out>`);
  }
  if (body.length === 0) return `    <testcase ${attrs}/>`;
  return `    <testcase ${attrs}>\n${body.join("\n")}\n    </testcase>`;
}

export function formatJunit(report: Report): string {
  const units = [...new Set(report.results.map((r) => r.unit))];
  const suites = units.map((unit) => {
    const cases = report.results.filter((r) => r.unit === unit);
    const failures = cases.filter((c) => c.status === "invalid").length;
    const skipped = cases.filter((c) => c.status === "skipped").length;
    return [
      `  <testsuite name="${xmlEscape(unit)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}">`,
      ...cases.map(testcase),
      "  </testsuite>",
    ].join("\n");
  });
  const total = report.results.length;
  const failures = report.results.filter((r) => r.status === "invalid").length;
  const skipped = report.results.filter((r) => r.status === "skipped").length;
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="tether validate" tests="${total}" failures="${failures}" errors="0" skipped="${skipped}">`,
    ...suites,
    "</testsuites>",
    "",
  ].join("\n");
}
