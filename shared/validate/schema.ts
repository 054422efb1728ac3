// Offline schema validation of one Kubernetes object, kubeconform style: built-in kinds
// against the bundled OpenAPI schemas of the chosen Kubernetes version, custom resources
// against the CustomResourceDefinitions given, and Flux's kinds against the bundled Flux
// CRDs. Strict by default: a field the schema does not list is an error.
//
// Differences from kubeconform, on purpose: null for an optional field is accepted (the
// API server treats it as unset; kubeconform rejects e.g. `creationTimestamp: null`), and
// a custom resource's metadata is checked as ObjectMeta (as the API server does) where
// the CRD leaves it a free-form object.
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { fluxData, kubernetesData } from "./data.ts";
import { type Finding, joinPointer, pointerToPath } from "./findings.ts";
import { toJsonSchema } from "./jsonschema.ts";
import { precompiledIndex } from "./schemas/data/validators/index.ts";
import type { FluxKind, JsonObject } from "./schemas/types.ts";
import { resolveKubernetesVersion } from "./versions.ts";

/** OpenAPI v3 schemas of custom resources, keyed "apiVersion/kind" ("example.com/v1/Widget"). */
export type CrdSchemas = ReadonlyMap<string, JsonObject>;

export interface ValidateOptions {
  /** "1.36", "v1.36.2", ...; the newest bundled version when absent. */
  kubernetesVersion?: string;
  /** Reject fields a schema does not list (kubeconform -strict). Default true. */
  strict?: boolean;
  /** Schemas from CustomResourceDefinitions, see schemasFromCrds. */
  crdSchemas?: CrdSchemas;
  /** A kind with no schema is skipped instead of being an error. */
  ignoreMissingSchemas?: boolean;
  /** Kinds ("Secret") or apiVersion/kind ("apps/v1/Deployment") not to validate. */
  skipKinds?: readonly string[];
  /** Kinds or apiVersion/kind that are an error wherever they appear. */
  rejectKinds?: readonly string[];
}

export type ValidationStatus = "valid" | "invalid" | "skipped";

export interface ValidationResult {
  status: ValidationStatus;
  findings: Finding[];
  /** What the object was checked against, e.g. "Kubernetes 1.36", "CRD", "Flux v2.9.5". */
  schemaSource?: string;
}

type Obj = Record<string, unknown>;

function isObject(value: unknown): value is Obj {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The options every bundled or CRD schema is compiled with, here and by the generator of
 * the precompiled validators (schemas/generate-validators.ts), so both give the same code.
 */
export const AJV_OPTIONS = {
  allErrors: true,
  strict: false,
  logger: false,
  // The schemas are generated or come from CRDs the API server already accepted.
  validateSchema: false,
  // Formats (int32, date-time, byte) are not checked, as kubeconform does not.
  validateFormats: false,
  // Go patterns compile more often without the u flag.
  unicodeRegExp: false,
  // Compiling is most of the cost of a short run (about a third less without Ajv's
  // code optimisation passes); the validators run as fast either way.
  code: { optimize: false },
} as const;

let ajvInstance: Ajv | undefined;

function ajv(): Ajv {
  ajvInstance ??= new Ajv(AJV_OPTIONS);
  return ajvInstance;
}

/** Root schema ids already added, per Ajv instance. */
const registered = new WeakMap<Ajv, Set<string>>();

function register(into: Ajv, id: string, definitions: () => Obj): string {
  const ids = registered.get(into) ?? new Set<string>();
  registered.set(into, ids);
  if (ids.has(id)) return id;
  into.addSchema({ $id: id, definitions: definitions() });
  ids.add(id);
  return id;
}

/** Registers one Kubernetes version's definitions with Ajv; returns the schema id. */
function kubernetesRoot(into: Ajv, minor: string, strict: boolean): string {
  return register(into, `tether-k8s-${minor}-${strict ? "strict" : "loose"}`, () => {
    const data = kubernetesData();
    const version = data.versions[minor];
    if (!version) throw new Error(`no bundled schemas for Kubernetes ${minor}`);
    const definitions: Obj = {};
    version.defs.forEach((variant, i) => {
      const schema = data.variants[i]?.[variant];
      if (variant >= 0 && schema) {
        definitions[i] = toJsonSchema(schema, { strict, ref: (n) => `#/definitions/${n}` });
      }
    });
    return definitions;
  });
}

function fluxRoot(into: Ajv, strict: boolean): string {
  return register(into, `tether-flux-${strict ? "strict" : "loose"}`, () => {
    const definitions: Obj = {};
    fluxData().shared.forEach((schema, i) => {
      definitions[i] = toJsonSchema(schema, { strict, ref: (n) => `#/definitions/${n}` });
    });
    return definitions;
  });
}

/** The ref of a built-in kind's schema, its definitions registered with `into`. */
function kubernetesKindRef(into: Ajv, minor: string, strict: boolean, def: number): string {
  return `${kubernetesRoot(into, minor, strict)}#/definitions/${def}`;
}

/** A Flux kind's schema, with refs into Flux's shared subtrees and the version's ObjectMeta. */
function fluxKindSchema(into: Ajv, flux: FluxKind, minor: string, strict: boolean): JsonObject {
  const root = fluxRoot(into, strict);
  const converted = toJsonSchema(flux.schema, { strict, ref: (n) => `${root}#/definitions/${n}` });
  const objectMeta = kubernetesKindRef(into, minor, strict, kubernetesData().objectMeta);
  return asCustomResourceRoot(converted, objectMeta);
}

/**
 * Registers with `into` the schema of every kind Kubernetes `minor` serves and of every
 * Flux kind, and returns their refs keyed "apiVersion/kind": what the precompiled
 * validators are generated from (schemas/generate-validators.ts).
 */
export function bundledKindRefs(
  into: Ajv,
  minor: string,
  strict: boolean,
): { kubernetes: Record<string, string>; flux: Record<string, string> } {
  const kubernetes: Record<string, string> = {};
  const kinds = kubernetesData().versions[minor]?.kinds ?? {};
  for (const [apiVersion, byKind] of Object.entries(kinds)) {
    for (const [kind, def] of Object.entries(byKind)) {
      kubernetes[`${apiVersion}/${kind}`] = kubernetesKindRef(into, minor, strict, def);
    }
  }
  const flux: Record<string, string> = {};
  for (const k of fluxData().kinds) {
    // A flat id: a "/" in it would make the schema's refs relative to a folder.
    const id = `tether-flux-kind-${k.apiVersion.replace(/[./]/g, "-")}-${k.kind}`;
    into.addSchema(fluxKindSchema(into, k, minor, strict), id);
    flux[`${k.apiVersion}/${k.kind}`] = id;
  }
  return { kubernetes, flux };
}

/** Loaded modules of precompiled validators, by group (schemas/data/validators/). */
const precompiled = new Map<string, Readonly<Record<string, ValidateFunction>>>();

/** "apiVersion/kind" of an object and, for a v1 List, of its items. */
function kindKeys(object: unknown, into: Set<string>): void {
  if (!isObject(object)) return;
  into.add(`${String(object.apiVersion)}/${String(object.kind)}`);
  if (object.apiVersion === "v1" && object.kind === "List" && Array.isArray(object.items)) {
    for (const item of object.items) kindKeys(item, into);
  }
}

/**
 * Loads the validators generated ahead of time (schemas/generate-validators.ts) for the
 * kinds of `objects`, when they are for this version and mode: the default Kubernetes
 * version and the kinds Flux serves, strict. Compiling those schemas was the largest
 * fixed cost of a validate run (0.25 s for eight kinds); loading the generated code for
 * them takes a fifth of that. Without this call a kind's schema is compiled on first use,
 * into the same code; other versions, --strict=false and CRDs are always compiled.
 */
export async function loadPrecompiledValidators(
  objects: Iterable<unknown>,
  kubernetesVersion: string | undefined,
  strict = true,
): Promise<void> {
  if (!strict || resolveKubernetesVersion(kubernetesVersion) !== precompiledIndex.kubernetesVersion)
    return;
  const keys = new Set<string>();
  for (const object of objects) kindKeys(object, keys);
  const groups = new Set<string>();
  for (const key of keys) {
    const group = precompiledIndex.kubernetes[key] ?? precompiledIndex.flux[key];
    if (group !== undefined && !precompiled.has(group)) groups.add(group);
  }
  await Promise.all(
    [...groups].map(async (group) => {
      const loaded = (await import(`./schemas/data/validators/${group}.js`)) as {
        validators: Record<string, ValidateFunction>;
      };
      precompiled.set(group, loaded.validators);
    }),
  );
}

/** The generated validator for a kind, if loaded and generated for this version and mode. */
function precompiledValidator(
  table: "kubernetes" | "flux",
  key: string,
  minor: string,
  strict: boolean,
): ValidateFunction | undefined {
  if (!strict || precompiledIndex.kubernetesVersion !== minor) return undefined;
  const group = precompiledIndex[table][key];
  return group === undefined ? undefined : precompiled.get(group)?.[key];
}

/**
 * The API server validates apiVersion, kind and metadata of every custom resource itself,
 * whatever the CRD says about them. Exported for export.ts, which writes the same schemas
 * as files.
 */
export function asCustomResourceRoot(schema: JsonObject, objectMetaRef: string): JsonObject {
  const props = (isObject(schema.properties) ? schema.properties : {}) as Obj;
  props.apiVersion ??= { type: "string" };
  props.kind ??= { type: "string" };
  const metadata = props.metadata;
  if (!isObject(metadata) || !isObject(metadata.properties))
    props.metadata = { $ref: objectMetaRef };
  return { ...schema, properties: props } as JsonObject;
}

const kubernetesValidators = new Map<string, ValidateFunction>();
const fluxValidators = new Map<string, ValidateFunction>();
const crdValidators = new WeakMap<object, Map<string, ValidateFunction>>();
let fluxIndex: Map<string, FluxKind> | undefined;

function fluxKind(apiVersion: string, kind: string): FluxKind | undefined {
  fluxIndex ??= new Map(fluxData().kinds.map((k) => [`${k.apiVersion}/${k.kind}`, k]));
  return fluxIndex.get(`${apiVersion}/${kind}`);
}

interface Resolved {
  validate: ValidateFunction;
  source: string;
}

class SchemaCompileError extends Error {}

function resolveValidator(
  apiVersion: string,
  kind: string,
  minor: string,
  strict: boolean,
  crdSchemas: CrdSchemas | undefined,
): Resolved | undefined {
  const data = kubernetesData();
  const def = data.versions[minor]?.kinds[apiVersion]?.[kind];
  const mode = `${minor}|${strict}`;
  if (def !== undefined) {
    const key = `${mode}|${def}`;
    let validate = kubernetesValidators.get(key);
    if (!validate) {
      validate =
        precompiledValidator("kubernetes", `${apiVersion}/${kind}`, minor, strict) ??
        ajv().getSchema(kubernetesKindRef(ajv(), minor, strict, def));
      if (!validate) throw new Error(`bundled schema for ${apiVersion} ${kind} is missing`);
      kubernetesValidators.set(key, validate);
    }
    return { validate, source: `Kubernetes ${minor}` };
  }
  const crd = crdSchemas?.get(`${apiVersion}/${kind}`);
  if (crd) {
    const byMode = crdValidators.get(crd) ?? new Map<string, ValidateFunction>();
    crdValidators.set(crd, byMode);
    let validate = byMode.get(mode);
    if (!validate) {
      const objectMeta = kubernetesKindRef(ajv(), minor, strict, data.objectMeta);
      const schema = asCustomResourceRoot(toJsonSchema(crd, { strict }), objectMeta);
      try {
        validate = ajv().compile(schema);
      } catch (error) {
        throw new SchemaCompileError(
          `the CustomResourceDefinition schema for ${apiVersion} ${kind} cannot be used: ${(error as Error).message}`,
        );
      }
      byMode.set(mode, validate);
    }
    return { validate, source: "CRD" };
  }
  const flux = fluxKind(apiVersion, kind);
  if (flux) {
    const key = `${mode}|${apiVersion}/${kind}`;
    let validate = fluxValidators.get(key);
    if (!validate) {
      validate =
        precompiledValidator("flux", `${apiVersion}/${kind}`, minor, strict) ??
        ajv().compile(fluxKindSchema(ajv(), flux, minor, strict));
      fluxValidators.set(key, validate);
    }
    return { validate, source: `Flux ${fluxData().flux}` };
  }
  return undefined;
}

function matchesKind(
  list: readonly string[] | undefined,
  apiVersion: string,
  kind: string,
): boolean {
  if (!list) return false;
  return list.some((entry) => {
    const e = entry.trim();
    return e === kind || e === `${apiVersion}/${kind}`;
  });
}

/** Whether a null is anywhere in `value` (most objects have none and need no copy). */
function hasNull(value: unknown): boolean {
  if (value === null) return true;
  if (typeof value !== "object") return false;
  if (Array.isArray(value)) {
    for (const v of value) if (hasNull(v)) return true;
    return false;
  }
  for (const k in value) if (hasNull((value as Obj)[k])) return true;
  return false;
}

/** The object with null-valued fields removed: the API server reads null as "not set". */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (!isObject(value)) return value;
  const out: Obj = {};
  for (const [k, v] of Object.entries(value)) if (v !== null) out[k] = withoutNulls(v);
  return out;
}

function valueAt(root: unknown, pointer: string): unknown {
  if (pointer === "") return root;
  let node = root;
  for (const raw of pointer.slice(1).split("/")) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (Array.isArray(node)) node = node[Number(key)];
    else if (isObject(node)) node = node[key];
    else return undefined;
  }
  return node;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "object") return "object";
  const text = JSON.stringify(value);
  const shown = text.length > 40 ? `${text.slice(0, 37)}...` : text;
  if (typeof value === "number")
    return `${Number.isInteger(value) ? "integer" : "number"} ${shown}`;
  return `${typeof value} ${shown}`;
}

function finding(rule: string, pointer: string, message: string): Finding {
  return { severity: "error", rule, message, path: pointerToPath(pointer), pointer };
}

function translate(errors: readonly ErrorObject[], data: unknown, prefix: string): Finding[] {
  const out: Finding[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    // Inside a failed oneOf/anyOf every branch reports; the oneOf/anyOf error says it once.
    if (/\/(?:oneOf|anyOf)\/\d+\//.test(e.schemaPath)) continue;
    const at = prefix + e.instancePath;
    const where = (pointer: string) => pointerToPath(pointer) || "(object)";
    const value = valueAt(data, e.instancePath);
    let f: Finding;
    switch (e.keyword) {
      case "additionalProperties": {
        const pointer = joinPointer(at, String(e.params.additionalProperty));
        f = finding("unknown-field", pointer, `unknown field "${pointerToPath(pointer)}"`);
        break;
      }
      case "required": {
        const pointer = joinPointer(at, String(e.params.missingProperty));
        f = finding("required", pointer, `missing required field "${pointerToPath(pointer)}"`);
        break;
      }
      case "type": {
        const expected = String(e.params.type).split(",").join(" or ");
        f = finding("type", at, `${where(at)}: expected ${expected}, got ${describe(value)}`);
        break;
      }
      case "enum": {
        const allowed = (e.params.allowedValues as unknown[])
          .map((v) => JSON.stringify(v))
          .join(", ");
        f = finding("enum", at, `${where(at)}: ${describe(value)} is not one of ${allowed}`);
        break;
      }
      case "pattern":
        f = finding(
          "pattern",
          at,
          `${where(at)}: ${describe(value)} does not match ${String(e.params.pattern)}`,
        );
        break;
      default:
        f = finding(e.keyword, at, `${where(at)}: ${e.message ?? "is invalid"}`);
    }
    const key = `${f.pointer}\0${f.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(f);
    }
  }
  return out;
}

/**
 * Validates one parsed object (a YAML document) against its schema. A `v1 List` is
 * validated item by item. Throws UnsupportedKubernetesVersionError for a version that is
 * not bundled; everything about the object itself is reported as findings.
 */
export function validateObject(obj: unknown, options: ValidateOptions = {}): ValidationResult {
  const minor = resolveKubernetesVersion(options.kubernetesVersion);
  return validateAt(obj, options, minor, "");
}

function validateAt(
  obj: unknown,
  options: ValidateOptions,
  minor: string,
  prefix: string,
): ValidationResult {
  if (!isObject(obj)) {
    return {
      status: "invalid",
      findings: [
        finding(
          "not-an-object",
          prefix,
          `${pointerToPath(prefix) || "document"}: expected a Kubernetes object, got ${describe(obj)}`,
        ),
      ],
    };
  }
  const { apiVersion, kind } = obj;
  const findings: Finding[] = [];
  const required = [
    ["apiVersion", apiVersion, "v1"],
    ["kind", kind, "ConfigMap"],
  ] as const;
  for (const [field, value, example] of required) {
    if (typeof value === "string" && value !== "") continue;
    findings.push(
      finding(
        `missing-${field.toLowerCase()}`,
        joinPointer(prefix, field),
        `missing ${field}: every object needs one (e.g. ${field}: ${example})`,
      ),
    );
  }
  if (typeof apiVersion !== "string" || typeof kind !== "string" || findings.length > 0) {
    return { status: "invalid", findings };
  }
  if (matchesKind(options.rejectKinds, apiVersion, kind)) {
    const pointer = joinPointer(prefix, "kind");
    return {
      status: "invalid",
      findings: [
        finding(
          "rejected-kind",
          pointer,
          `${apiVersion} ${kind} is rejected by configuration (--reject)`,
        ),
      ],
    };
  }
  if (matchesKind(options.skipKinds, apiVersion, kind)) return { status: "skipped", findings };
  if (apiVersion === "v1" && kind === "List" && Array.isArray(obj.items)) {
    obj.items.forEach((item, i) => {
      findings.push(
        ...validateAt(item, options, minor, joinPointer(joinPointer(prefix, "items"), i)).findings,
      );
    });
    return { status: findings.some((f) => f.severity === "error") ? "invalid" : "valid", findings };
  }
  const strict = options.strict ?? true;
  let resolved: Resolved | undefined;
  try {
    resolved = resolveValidator(apiVersion, kind, minor, strict, options.crdSchemas);
  } catch (error) {
    if (!(error instanceof SchemaCompileError)) throw error;
    return { status: "invalid", findings: [finding("invalid-crd-schema", prefix, error.message)] };
  }
  if (!resolved) {
    if (options.ignoreMissingSchemas) return { status: "skipped", findings };
    const pointer = joinPointer(prefix, "apiVersion");
    return {
      status: "invalid",
      findings: [finding("missing-schema", pointer, missingSchemaMessage(apiVersion, kind, minor))],
    };
  }
  const data = hasNull(obj) ? withoutNulls(obj) : obj;
  const valid = resolved.validate(data);
  if (!valid) findings.push(...translate(resolved.validate.errors ?? [], data, prefix));
  return { status: valid ? "valid" : "invalid", findings, schemaSource: resolved.source };
}

function missingSchemaMessage(apiVersion: string, kind: string, minor: string): string {
  const data = kubernetesData();
  const hints: string[] = [];
  const elsewhere = Object.entries(data.versions[minor]?.kinds ?? {})
    .filter(([, kinds]) => kinds[kind] !== undefined)
    .map(([av]) => av);
  if (elsewhere.length > 0)
    hints.push(`Kubernetes ${minor} serves ${kind} as ${elsewhere.join(", ")}`);
  const otherVersions = data.minors.filter(
    (m) => m !== minor && data.versions[m]?.kinds[apiVersion]?.[kind] !== undefined,
  );
  if (otherVersions.length > 0)
    hints.push(`${apiVersion} ${kind} is in Kubernetes ${otherVersions.join(", ")}`);
  if (hints.length === 0) {
    hints.push("pass its CustomResourceDefinition (--crds) or use --ignore-missing-schemas");
  }
  return `no schema for ${apiVersion} ${kind} in Kubernetes ${minor}, its CRDs or Flux ${fluxData().flux}: ${hints.join("; ")}`;
}

/**
 * Schemas of the custom resources the given CustomResourceDefinitions define, per served
 * version, keyed "apiVersion/kind". Objects that are not CRDs are ignored, so every
 * parsed document of a repository can be passed.
 */
export function schemasFromCrds(objects: Iterable<unknown>): Map<string, JsonObject> {
  const out = new Map<string, JsonObject>();
  for (const obj of objects) {
    if (!isObject(obj) || obj.kind !== "CustomResourceDefinition") continue;
    if (typeof obj.apiVersion !== "string" || !obj.apiVersion.startsWith("apiextensions.k8s.io/"))
      continue;
    const spec = obj.spec;
    if (!isObject(spec) || typeof spec.group !== "string" || !isObject(spec.names)) continue;
    const kind = spec.names.kind;
    if (typeof kind !== "string") continue;
    // v1beta1 CRDs could give one schema for all versions.
    const shared = isObject(spec.validation) ? spec.validation.openAPIV3Schema : undefined;
    const versions: Obj[] = Array.isArray(spec.versions)
      ? spec.versions.filter(isObject)
      : typeof spec.version === "string"
        ? [{ name: spec.version, served: true }]
        : [];
    for (const version of versions) {
      if (typeof version.name !== "string" || version.served === false) continue;
      const own = isObject(version.schema) ? version.schema.openAPIV3Schema : undefined;
      const schema = isObject(own) ? own : isObject(shared) ? shared : undefined;
      // No schema: the API server keeps whatever is sent.
      const value = (schema ?? {
        type: "object",
        "x-kubernetes-preserve-unknown-fields": true,
      }) as JsonObject;
      out.set(`${spec.group}/${version.name}/${kind}`, value);
    }
  }
  return out;
}
