// The schema and deprecation pass over one rendered object, with shared/validate. A
// removed apiVersion also has no schema; only the removal is reported, as it says what
// to use instead.
import { checkApiVersion } from "../../shared/validate/deprecations.ts";
import type { Finding } from "../../shared/validate/findings.ts";
import { type CrdSchemas, validateObject } from "../../shared/validate/schema.ts";
import type { MessageSource } from "./report.ts";

/** A message before it has a place: `pointer` is the field in the rendered object. */
export interface PendingMessage {
  severity: Finding["severity"];
  source: MessageSource;
  rule?: string | undefined;
  message: string;
  pointer: string;
  field?: string | undefined;
  package?: string | undefined;
}

export interface SchemaOptions {
  kubernetesVersion: string;
  strict: boolean;
  crdSchemas: CrdSchemas;
  ignoreMissingSchemas: boolean;
  skipKinds: readonly string[];
  rejectKinds: readonly string[];
}

export interface SchemaCheck {
  skipped: boolean;
  messages: PendingMessage[];
}

function pending(source: MessageSource, f: Finding): PendingMessage {
  return {
    severity: f.severity,
    source,
    rule: f.rule,
    message: f.message,
    pointer: f.pointer,
    ...(f.path ? { field: f.path } : {}),
  };
}

export function checkSchema(object: Record<string, unknown>, options: SchemaOptions): SchemaCheck {
  const result = validateObject(object, options);
  if (result.status === "skipped" && result.findings.length === 0) {
    // --skip means not looked at; a missing schema that is ignored still gets the API check.
    const kind = String(object.kind);
    const apiVersion = String(object.apiVersion);
    const skippedByFlag = options.skipKinds.some(
      (k) => k.trim() === kind || k.trim() === `${apiVersion}/${kind}`,
    );
    if (skippedByFlag) return { skipped: true, messages: [] };
  }
  const deprecations =
    typeof object.apiVersion === "string" && typeof object.kind === "string"
      ? checkApiVersion(object.apiVersion, object.kind, options.kubernetesVersion)
      : [];
  const removed = deprecations.some((d) => d.rule === "removed-api");
  const schema = result.findings.filter((f) => !(removed && f.rule === "missing-schema"));
  return {
    skipped: result.status === "skipped",
    messages: [
      ...deprecations.map((d) => pending("deprecation", d)),
      ...schema.map((f) => pending("schema", f)),
    ],
  };
}
