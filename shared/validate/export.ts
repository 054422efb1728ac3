// Tether's bundled schemas as standalone JSON Schema files in kubeconform's layout, so
// that kubeconform can judge the same files against the same schema content offline:
//
//   kubeconform -strict -schema-location 'DIR/{{ .ResourceKind }}{{ .KindSuffix }}.json' FILES
//
// Every file is made with the conversion the validator uses (jsonschema.ts, and for
// custom resources schema.ts's ObjectMeta rule), so with `strict` (the default) it is what
// kubeconform's "-strict" schema variants are: every object that lists its properties has
// `additionalProperties: false`. A file is self-contained: the definitions it references
// are under `definitions` (draft-07, as Ajv reads them in the validator), no other file or
// URL is needed. Two differences from Tether cannot be written into a schema and stay
// differences (see README.md): Tether reads `null` as an unset optional field, and it checks
// `format` nowhere (the files carry no `format`, so kubeconform does not either).
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fluxData, kubernetesData } from "./data.ts";
import { toJsonSchema } from "./jsonschema.ts";
import { asCustomResourceRoot, type CrdSchemas } from "./schema.ts";
import type { JsonObject } from "./schemas/types.ts";
import { resolveKubernetesVersion } from "./versions.ts";

/** kubeconform's file naming, to append to the export folder in `-schema-location`. */
export const KUBECONFORM_FILE_TEMPLATE = "{{ .ResourceKind }}{{ .KindSuffix }}.json";

const DRAFT_07 = "http://json-schema.org/draft-07/schema#";

export interface ExportOptions {
  /** "1.36", "v1.36.2", ...; the newest bundled version when absent. */
  kubernetesVersion?: string;
  /** `Kind` or `apiVersion/Kind` ("Deployment", "apps/v1/Deployment"); every kind when absent. */
  kinds?: readonly string[];
  /** `additionalProperties: false` where the validator rejects unknown fields. Default true. */
  strict?: boolean;
  /** Custom resources, as schemasFromCrds gives them; exported after the built-in kinds. */
  crdSchemas?: CrdSchemas;
  /** The bundled Flux kinds too (served or not, as the validator checks them). Default true. */
  flux?: boolean;
  /**
   * How a custom resource's (CRD or Flux) `metadata` is written: "object-meta" (default) is
   * what Tether checks, ObjectMeta as the API server does; "as-declared" keeps what the CRD
   * says (mostly a free-form object), which is what kubeconform's own CRD conversion gives.
   */
  customResourceMetadata?: "object-meta" | "as-declared";
}

export interface ExportedSchema {
  apiVersion: string;
  kind: string;
  /** The file name kubeconform looks for, e.g. "deployment-apps-v1.json". */
  file: string;
  /** What the schema came from: "Kubernetes 1.36", "CRD", "Flux v2.9.5". */
  source: string;
  schema: JsonObject;
}

export interface SchemaExport {
  /** The bundled minor used ("1.36"). */
  kubernetesVersion: string;
  strict: boolean;
  schemas: ExportedSchema[];
  /**
   * Kinds left out because a kind earlier in the validator's lookup order (built-in, CRD,
   * Flux) has the same file name: kubeconform's naming keeps only the first label of the
   * group, so it cannot tell them apart.
   */
  shadowed: { apiVersion: string; kind: string; file: string; by: string }[];
}

type Obj = Record<string, unknown>;

function isObject(value: unknown): value is Obj {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The file kubeconform's `{{ .ResourceKind }}{{ .KindSuffix }}.json` names for an
 * apiVersion and kind: the kind lowercased, then "-" and the group's first label and "-"
 * and the version ("apps/v1" Deployment: "deployment-apps-v1.json",
 * "networking.k8s.io/v1" Ingress: "ingress-networking-v1.json"), or for the core group
 * "-" and the version ("configmap-v1.json").
 */
export function kubeconformFileName(apiVersion: string, kind: string): string {
  const groupParts = apiVersion.split("/");
  const first = (groupParts[0] ?? "").split(".")[0] ?? "";
  let suffix = `-${first.toLowerCase()}`;
  if (groupParts.length > 1) suffix += `-${(groupParts[1] ?? "").toLowerCase()}`;
  return `${kind.toLowerCase()}${suffix}.json`;
}

/** `DIR/{{ .ResourceKind }}{{ .KindSuffix }}.json`, the `-schema-location` for an export folder. */
export function kubeconformSchemaLocation(dir: string): string {
  return `${dir.replace(/\/+$/, "")}/${KUBECONFORM_FILE_TEMPLATE}`;
}

/**
 * One schema document: the referenced definitions are converted as they are reached and
 * collected under `definitions`, keyed by Kubernetes definition name (Flux's shared
 * subtrees as "flux-N").
 */
class Document {
  readonly definitions: Record<string, JsonObject> = {};
  private readonly minor: string;
  private readonly strict: boolean;

  constructor(minor: string, strict: boolean) {
    this.minor = minor;
    this.strict = strict;
  }

  kubernetesRef = (index: number): string => {
    const data = kubernetesData();
    const name = data.names[index];
    const variant = data.versions[this.minor]?.defs[index];
    const schema = variant !== undefined ? data.variants[index]?.[variant] : undefined;
    if (name === undefined || variant === undefined || variant < 0 || !schema) {
      throw new Error(`bundled schema ${index} is missing for Kubernetes ${this.minor}`);
    }
    if (!(name in this.definitions)) {
      // Set before converting: definitions refer to themselves (JSONSchemaProps).
      this.definitions[name] = {};
      this.definitions[name] = toJsonSchema(schema, {
        strict: this.strict,
        ref: this.kubernetesRef,
      });
    }
    return `#/definitions/${name}`;
  };

  fluxRef = (index: number): string => {
    const key = `flux-${index}`;
    const schema = fluxData().shared[index];
    if (!schema) throw new Error(`bundled Flux schema ${index} is missing`);
    if (!(key in this.definitions)) {
      this.definitions[key] = {};
      this.definitions[key] = toJsonSchema(schema, { strict: this.strict, ref: this.fluxRef });
    }
    return `#/definitions/${key}`;
  };

  objectMetaRef(): string {
    return this.kubernetesRef(kubernetesData().objectMeta);
  }

  finish(root: JsonObject, comment: string): JsonObject {
    const out: JsonObject = { $schema: DRAFT_07, $comment: comment, ...root };
    if (Object.keys(this.definitions).length > 0) out.definitions = this.definitions;
    return out;
  }
}

/** A CRD's schema with apiVersion and kind implied, metadata left as the CRD declares it. */
function withDeclaredMetadata(schema: JsonObject): JsonObject {
  const props = (isObject(schema.properties) ? { ...schema.properties } : {}) as Obj;
  props.apiVersion ??= { type: "string" };
  props.kind ??= { type: "string" };
  props.metadata ??= { type: "object" };
  return { ...schema, properties: props } as JsonObject;
}

interface Candidate {
  apiVersion: string;
  kind: string;
  source: string;
  build(doc: Document): JsonObject;
}

/**
 * The schemas of the chosen Kubernetes version's built-in kinds, then the given CRDs'
 * kinds, then Flux's (the validator's lookup order; an apiVersion/kind found earlier is
 * not exported again), as kubeconform reads them. Throws when `kinds` names a kind that
 * has no schema, and UnsupportedKubernetesVersionError for a version that is not bundled.
 */
export function exportSchemas(options: ExportOptions = {}): SchemaExport {
  const minor = resolveKubernetesVersion(options.kubernetesVersion);
  const strict = options.strict ?? true;
  const declared = options.customResourceMetadata === "as-declared";
  const customRoot = (converted: JsonObject, doc: Document) =>
    declared
      ? withDeclaredMetadata(converted)
      : asCustomResourceRoot(converted, doc.objectMetaRef());

  const candidates: Candidate[] = [];
  const data = kubernetesData();
  const version = data.versions[minor];
  for (const [apiVersion, kinds] of Object.entries(version?.kinds ?? {})) {
    for (const [kind, def] of Object.entries(kinds)) {
      candidates.push({
        apiVersion,
        kind,
        source: `Kubernetes ${minor}`,
        build: (doc) => {
          // The root is the kind's own definition, inlined; what it references is in definitions.
          const variant = version?.defs[def] ?? -1;
          const schema = data.variants[def]?.[variant];
          if (!schema) throw new Error(`bundled schema for ${apiVersion} ${kind} is missing`);
          return toJsonSchema(schema, { strict, ref: doc.kubernetesRef });
        },
      });
    }
  }
  for (const [key, crd] of options.crdSchemas ?? []) {
    const slash = key.lastIndexOf("/");
    candidates.push({
      apiVersion: key.slice(0, slash),
      kind: key.slice(slash + 1),
      source: "CRD",
      build: (doc) => customRoot(toJsonSchema(crd, { strict }), doc),
    });
  }
  if (options.flux ?? true) {
    const flux = fluxData();
    for (const k of flux.kinds) {
      candidates.push({
        apiVersion: k.apiVersion,
        kind: k.kind,
        source: `Flux ${flux.flux}`,
        build: (doc) => customRoot(toJsonSchema(k.schema, { strict, ref: doc.fluxRef }), doc),
      });
    }
  }

  const wanted = options.kinds?.map((k) => k.trim()).filter((k) => k !== "");
  const matched = new Set<string>();
  const selected = candidates.filter((c) => {
    if (!wanted) return true;
    const hits = wanted.filter((w) => w === c.kind || w === `${c.apiVersion}/${c.kind}`);
    for (const h of hits) matched.add(h);
    return hits.length > 0;
  });
  const unmatched = (wanted ?? []).filter((w) => !matched.has(w));
  if (unmatched.length > 0) {
    throw new Error(
      `no schema for ${unmatched.join(", ")} in Kubernetes ${minor}${options.crdSchemas?.size ? ", the CRDs given" : ""}${options.flux === false ? "" : ` or Flux ${fluxData().flux}`}`,
    );
  }

  const byKey = new Set<string>();
  const byFile = new Map<string, string>();
  const schemas: ExportedSchema[] = [];
  const shadowed: SchemaExport["shadowed"] = [];
  for (const c of selected) {
    const key = `${c.apiVersion}/${c.kind}`;
    if (byKey.has(key)) continue;
    byKey.add(key);
    const file = kubeconformFileName(c.apiVersion, c.kind);
    const first = byFile.get(file);
    if (first !== undefined) {
      shadowed.push({ apiVersion: c.apiVersion, kind: c.kind, file, by: first });
      continue;
    }
    byFile.set(file, key);
    const doc = new Document(minor, strict);
    const root = c.build(doc);
    const comment = `${c.apiVersion} ${c.kind} from ${c.source === `Kubernetes ${minor}` ? `Kubernetes ${data.versions[minor]?.release ?? minor}` : c.source}, exported by tether${strict ? " (strict)" : ""}`;
    schemas.push({
      apiVersion: c.apiVersion,
      kind: c.kind,
      file,
      source: c.source,
      schema: doc.finish(root, comment),
    });
  }
  return { kubernetesVersion: minor, strict, schemas, shadowed };
}

/**
 * Writes exportSchemas' files into `dir` (created if needed); returns what was written.
 * Point kubeconform at them with `-schema-location kubeconformSchemaLocation(dir)`.
 */
export async function writeSchemas(
  dir: string,
  options: ExportOptions = {},
): Promise<SchemaExport & { files: string[] }> {
  const result = exportSchemas(options);
  await mkdir(dir, { recursive: true });
  const files: string[] = [];
  for (const s of result.schemas) {
    const path = join(dir, s.file);
    await writeFile(path, `${JSON.stringify(s.schema)}\n`);
    files.push(path);
  }
  return { ...result, files };
}
