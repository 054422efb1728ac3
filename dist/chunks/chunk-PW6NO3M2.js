#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);

// action/validate/report.ts
function isResource(entry) {
  return entry.kind !== "";
}
function statusOf(messages, skipped) {
  if (messages.some((m) => m.severity === "error")) return "invalid";
  return skipped ? "skipped" : "valid";
}
function count(entries) {
  const resources = entries.filter(isResource);
  const messages = entries.flatMap((e) => e.messages);
  return {
    resources: resources.length,
    valid: resources.filter((e) => e.status === "valid").length,
    invalid: resources.filter((e) => e.status === "invalid").length,
    skipped: resources.filter((e) => e.status === "skipped").length,
    errors: messages.filter((m) => m.severity === "error").length,
    warnings: messages.filter((m) => m.severity === "warning").length
  };
}
function buildReport(kubernetesVersion, units, results) {
  const perUnit = units.map((u) => ({
    name: u.name,
    renderer: u.renderer,
    ...count(results.filter((r) => r.unit === u.name))
  }));
  return {
    kubernetesVersion,
    summary: {
      ...count(results),
      exceptions: results.reduce((n, r) => n + (r.exceptions?.length ?? 0), 0),
      units: units.length
    },
    units: perUnit,
    results
  };
}
function outcomeOf(report, failOn) {
  if (report.summary.errors > 0) return "failure";
  if (failOn === "warning" && report.summary.warnings > 0) return "failure";
  return "success";
}
function describeEntry(entry) {
  if (!isResource(entry)) return entry.file;
  return entry.namespace ? `${entry.kind}/${entry.namespace}/${entry.name}` : `${entry.kind}/${entry.name}`;
}
function describePosition(p) {
  if (p.line === void 0) return p.file;
  return p.column === void 0 ? `${p.file}:${p.line}` : `${p.file}:${p.line}:${p.column}`;
}
function orderedMessages(report) {
  const all = report.results.flatMap(
    (entry) => entry.messages.map((message) => ({ entry, message }))
  );
  return all.sort(
    (a, b) => (a.message.severity === b.message.severity ? 0 : a.message.severity === "error" ? -1 : 1) || (a.message.file < b.message.file ? -1 : a.message.file > b.message.file ? 1 : 0) || (a.message.line ?? 0) - (b.message.line ?? 0) || (a.message.column ?? 0) - (b.message.column ?? 0)
  );
}
function groupMessages(report) {
  const groups = /* @__PURE__ */ new Map();
  for (const { entry, message } of orderedMessages(report)) {
    const key = [
      message.severity,
      message.source,
      message.rule ?? "",
      message.file,
      message.line ?? "",
      message.column ?? "",
      message.message
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
function ruleId(message) {
  return message.rule ? `${message.source}/${message.rule}` : message.source;
}

export {
  isResource,
  statusOf,
  buildReport,
  outcomeOf,
  describeEntry,
  describePosition,
  groupMessages,
  ruleId
};
