// Turns Kubernetes OpenAPI v3 schemas (built-in definitions, CRD openAPIV3Schema) into
// JSON Schema for Ajv, with kubeconform's notion of strict: an object that lists its
// properties rejects any other, unless the schema opts out with additionalProperties or
// x-kubernetes-preserve-unknown-fields. Objects without properties (RawExtension, JSON,
// free-form maps) stay open.
import type { JsonObject } from "./schemas/types.ts";

export interface ConvertOptions {
  /** Reject properties a schema does not list. */
  strict: boolean;
  /** Turns a numeric `$ref` (an index into the data's own table) into an Ajv reference. */
  ref?: (index: number) => string;
}

type Schema = Record<string, unknown>;

function isObject(value: unknown): value is Schema {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Bounds that mean the same in OpenAPI v3 and JSON Schema, copied as they are. */
export const NUMERIC_KEYWORDS = [
  "minLength",
  "maxLength",
  "minItems",
  "maxItems",
  "minProperties",
  "maxProperties",
  "multipleOf",
] as const;

/** A branch of oneOf/anyOf that only says "this type". */
function bareType(schema: unknown): string | undefined {
  if (!isObject(schema)) return undefined;
  const keys = Object.keys(schema);
  return keys.length === 1 && typeof schema.type === "string" ? schema.type : undefined;
}

export function toJsonSchema(input: unknown, options: ConvertOptions): JsonObject {
  return convert(input, options, options.strict) as JsonObject;
}

function convert(input: unknown, options: ConvertOptions, close: boolean): Schema {
  if (!isObject(input)) return {};
  if (input.$ref !== undefined) {
    if (typeof input.$ref === "number" && options.ref) return { $ref: options.ref(input.$ref) };
    // A CRD schema cannot reference anything; treat a stray $ref as "anything goes".
    return {};
  }
  const out: Schema = {};
  const preserve = input["x-kubernetes-preserve-unknown-fields"] === true;

  let types: string[] | undefined;
  if (input["x-kubernetes-int-or-string"] === true) types = ["integer", "string"];
  else if (typeof input.type === "string") types = [input.type];
  for (const key of ["oneOf", "anyOf"] as const) {
    const branches = input[key];
    if (!Array.isArray(branches) || branches.length === 0) continue;
    const bare = branches.map(bareType);
    if (bare.every((t) => t !== undefined)) {
      // IntOrString and Quantity: "string or integer" reads better as one type keyword.
      types = [...new Set([...(types ?? []), ...(bare as string[])])];
    } else {
      // Value validations (oneOf: [{required: [a]}, {required: [b]}]) constrain, they
      // do not declare fields, so nothing inside them closes an object.
      out[key] = branches.map((b) => convert(b, options, false));
    }
  }
  if (types && input.nullable === true) types.push("null");
  if (types) out.type = types.length === 1 ? types[0] : types;

  const properties = isObject(input.properties) ? input.properties : undefined;
  if (properties || input["x-kubernetes-embedded-resource"] === true) {
    const props: Schema = {};
    for (const [name, child] of Object.entries(properties ?? {}))
      props[name] = convert(child, options, close);
    // An embedded object is a whole resource: apiVersion, kind and metadata are implied.
    if (input["x-kubernetes-embedded-resource"] === true) {
      props.apiVersion ??= { type: "string" };
      props.kind ??= { type: "string" };
      props.metadata ??= { type: "object" };
    }
    if (properties) out.properties = props;
    else if (!preserve) out.properties = props;
  }
  if (Array.isArray(input.required)) {
    out.required = input.required.filter((r) => typeof r === "string");
  }
  const additional = input.additionalProperties;
  if (typeof additional === "boolean") out.additionalProperties = additional;
  else if (isObject(additional)) out.additionalProperties = convert(additional, options, close);
  else if (close && out.properties && !preserve) out.additionalProperties = false;

  if (isObject(input.items)) out.items = convert(input.items, options, close);
  if (Array.isArray(input.allOf)) out.allOf = input.allOf.map((b) => convert(b, options, false));
  if (isObject(input.not)) out.not = convert(input.not, options, false);

  if (Array.isArray(input.enum)) out.enum = input.enum;
  if (typeof input.pattern === "string" && compiles(input.pattern)) out.pattern = input.pattern;
  // OpenAPI 3.0 has boolean exclusiveMinimum/Maximum; JSON Schema wants the bound itself.
  if (typeof input.minimum === "number") {
    out[input.exclusiveMinimum === true ? "exclusiveMinimum" : "minimum"] = input.minimum;
  }
  if (typeof input.maximum === "number") {
    out[input.exclusiveMaximum === true ? "exclusiveMaximum" : "maximum"] = input.maximum;
  }
  for (const key of NUMERIC_KEYWORDS) if (typeof input[key] === "number") out[key] = input[key];
  if (input.uniqueItems === true) out.uniqueItems = true;
  return out;
}

/**
 * Go's RE2 syntax is mostly a subset of JavaScript's; a pattern JavaScript cannot
 * compile is dropped rather than failing every object that uses the schema.
 */
function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}
