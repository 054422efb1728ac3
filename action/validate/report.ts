// The report of one run: one entry per rendered resource (and one per problem that is
// not about a resource, like a file that does not parse), each message with the file,
// line and column a person edits. Every output format is made from this, and `-o json`
// prints it as it is.
import type { Outcome } from "../../shared/command.ts";
import type { Severity } from "../../shared/validate/findings.ts";

export type MessageSource = "schema" | "deprecation" | "policy" | "render";
export type ResultStatus = "valid" | "invalid" | "skipped";

export interface Message {
  severity: Severity;
  source: MessageSource;
  /** The rule that produced it: "unknown-field", "removed-api", "deny_privileged", ... */
  rule?: string | undefined;
  message: string;
  file: string;
  line?: number | undefined;
  column?: number | undefined;
  /** The field it is about, as a dotted path ("spec.template.spec.containers[0].image"). */
  field?: string | undefined;
  /** For policy messages: the Rego package (conftest namespace) of the rule. */
  package?: string | undefined;
}

export interface Exception {
  package: string;
  rule: string;
}

export interface ResultEntry {
  /** The unit that rendered it (an overlay, a folder, a file). */
  unit: string;
  file: string;
  line?: number | undefined;
  /** Empty for entries that are not a resource (render and policy load errors). */
  kind: string;
  apiVersion: string;
  name: string;
  namespace?: string | undefined;
  status: ResultStatus;
  messages: Message[];
  /** Policy rules that matched but were excepted (conftest `exception`). */
  exceptions?: Exception[] | undefined;
}

/** What a unit, and the whole report, count. */
export interface Counts {
  resources: number;
  valid: number;
  invalid: number;
  skipped: number;
  errors: number;
  warnings: number;
}

export interface UnitSummary extends Counts {
  name: string;
  renderer: string;
}

export interface Summary extends Counts {
  exceptions: number;
  units: number;
}

export interface Report {
  kubernetesVersion: string;
  summary: Summary;
  units: UnitSummary[];
  results: ResultEntry[];
}

export function isResource(entry: ResultEntry): boolean {
  return entry.kind !== "";
}

/** invalid when any error, else skipped when the schema pass skipped it, else valid. */
export function statusOf(messages: readonly Message[], skipped: boolean): ResultStatus {
  if (messages.some((m) => m.severity === "error")) return "invalid";
  return skipped ? "skipped" : "valid";
}

function count(entries: readonly ResultEntry[]) {
  const resources = entries.filter(isResource);
  const messages = entries.flatMap((e) => e.messages);
  return {
    resources: resources.length,
    valid: resources.filter((e) => e.status === "valid").length,
    invalid: resources.filter((e) => e.status === "invalid").length,
    skipped: resources.filter((e) => e.status === "skipped").length,
    errors: messages.filter((m) => m.severity === "error").length,
    warnings: messages.filter((m) => m.severity === "warning").length,
  };
}

export function buildReport(
  kubernetesVersion: string,
  units: readonly { name: string; renderer: string }[],
  results: ResultEntry[],
): Report {
  const perUnit = units.map((u) => ({
    name: u.name,
    renderer: u.renderer,
    ...count(results.filter((r) => r.unit === u.name)),
  }));
  return {
    kubernetesVersion,
    summary: {
      ...count(results),
      exceptions: results.reduce((n, r) => n + (r.exceptions?.length ?? 0), 0),
      units: units.length,
    },
    units: perUnit,
    results,
  };
}

/** Exit code: 1 when anything fails at the chosen level, else 0. */
export function outcomeOf(report: Report, failOn: "error" | "warning"): Outcome {
  if (report.summary.errors > 0) return "failure";
  if (failOn === "warning" && report.summary.warnings > 0) return "failure";
  return "success";
}

/** How an entry is named in messages: `Kind/namespace/name`, or its file. */
export function describeEntry(entry: ResultEntry): string {
  if (!isResource(entry)) return entry.file;
  return entry.namespace
    ? `${entry.kind}/${entry.namespace}/${entry.name}`
    : `${entry.kind}/${entry.name}`;
}

export function describePosition(p: {
  file: string;
  line?: number | undefined;
  column?: number | undefined;
}): string {
  if (p.line === undefined) return p.file;
  return p.column === undefined ? `${p.file}:${p.line}` : `${p.file}:${p.line}:${p.column}`;
}

/** All messages with the entry they belong to, errors first, then by file and line. */
export function orderedMessages(report: Report): { entry: ResultEntry; message: Message }[] {
  const all = report.results.flatMap((entry) =>
    entry.messages.map((message) => ({ entry, message })),
  );
  return all.sort(
    (a, b) =>
      (a.message.severity === b.message.severity ? 0 : a.message.severity === "error" ? -1 : 1) ||
      (a.message.file < b.message.file ? -1 : a.message.file > b.message.file ? 1 : 0) ||
      (a.message.line ?? 0) - (b.message.line ?? 0) ||
      (a.message.column ?? 0) - (b.message.column ?? 0),
  );
}

/** One message as shown once, with every entry (and unit) it was found in. */
export interface MessageGroup {
  message: Message;
  entries: ResultEntry[];
  units: string[];
}

/**
 * Messages with the same place and text are one: a broken base shows up in every overlay
 * that builds on it, but is one line to fix. Errors first, then by file and line.
 */
export function groupMessages(report: Report): MessageGroup[] {
  const groups = new Map<string, MessageGroup>();
  for (const { entry, message } of orderedMessages(report)) {
    const key = [
      message.severity,
      message.source,
      message.rule ?? "",
      message.file,
      message.line ?? "",
      message.column ?? "",
      message.message,
    ].join("\0");
    const group = groups.get(key);
    if (group) {
      group.entries.push(entry);
      if (!group.units.includes(entry.unit)) group.units.push(entry.unit);
    } else {
      groups.set(key, { message, entries: [entry], units: [entry.unit] });
    }
  }
  return [...groups.values()];
}

/** "schema/unknown-field", "policy/deny_privileged", "render". */
export function ruleId(message: Message): string {
  return message.rule ? `${message.source}/${message.rule}` : message.source;
}
