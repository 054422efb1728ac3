// One object's checks, the same on the main thread and in a worker thread (worker.ts):
// its schema and deprecated APIs (schema.ts) and, unless --no-server-rules, the API
// server's rules and CEL rules (rules.ts). rules.ts is loaded only when they run: its
// CEL library is the largest part of validate's start.
import { type CrdSchemas, loadPrecompiledValidators } from "../../shared/validate/schema.ts";
import type { ValidateConfig } from "./options.ts";
import { checkSchema, type PendingMessage, type SchemaOptions } from "./schema.ts";

/** What the checks depend on besides the object and the CRD schemas (plain data). */
export interface CheckOptions extends Omit<SchemaOptions, "crdSchemas"> {
  serverRules: boolean;
}

export interface ObjectCheck {
  skipped: boolean;
  /** Schema and deprecation messages first, then the server rules'. */
  messages: PendingMessage[];
  /** Rules that could not be evaluated offline, for stderr. */
  notes: string[];
}

export type ObjectChecker = (object: Record<string, unknown>) => ObjectCheck;

export function checkOptions(config: ValidateConfig): CheckOptions {
  return {
    kubernetesVersion: config.kubernetesVersion,
    strict: config.strict,
    ignoreMissingSchemas: config.ignoreMissingSchemas,
    skipKinds: config.skipKinds,
    rejectKinds: config.rejectKinds,
    serverRules: config.serverRules,
  };
}

/** The checks of one run; the server rules' module is loaded here when they are on. */
export async function objectChecker(
  options: CheckOptions,
  crdSchemas: CrdSchemas,
): Promise<ObjectChecker> {
  const rules = options.serverRules ? (await import("./rules.ts")).checkServerSide : undefined;
  const schemaOptions: SchemaOptions = { ...options, crdSchemas };
  return (object) => {
    const { skipped, messages } = checkSchema(object, schemaOptions);
    // A skipped object (--skip, an ignored missing schema) gets no server rules either.
    if (skipped || !rules) return { skipped, messages, notes: [] };
    const found = rules(object, crdSchemas);
    return { skipped, messages: [...messages, ...found.messages], notes: found.notes };
  };
}

/**
 * Loads ahead what checking `objects` uses that loads asynchronously: the validators
 * generated for their kinds (without it, their schemas are compiled, into the same code).
 */
export function prepareChecks(options: CheckOptions, objects: Iterable<unknown>): Promise<void> {
  return loadPrecompiledValidators(objects, options.kubernetesVersion, options.strict);
}

/**
 * Whether the CRD schemas can change the checks of `object`: they are looked up by its
 * own apiVersion and kind (its schema, CEL rules, custom resource metadata), and those of
 * the items of a `v1 List`, which are checked one by one.
 */
export function dependsOnCrds(object: Record<string, unknown>, crdSchemas: CrdSchemas): boolean {
  if (crdSchemas.size === 0) return false;
  if (crdSchemas.has(`${String(object.apiVersion)}/${String(object.kind)}`)) return true;
  return (
    Array.isArray(object.items) &&
    object.items.some(
      (item) => typeof item === "object" && item !== null && dependsOnCrds(item, crdSchemas),
    )
  );
}
