// CustomResourceDefinitions for the Flux kinds Tether reads, made from the schemas
// bundled for validation (the same Flux release), and installed only when the cluster
// lacks them: a cluster that has Flux's own CRDs keeps them untouched.
import type { KubeClient } from "../../shared/kube/client.ts";
import { groupOf, type KubeObject } from "../../shared/manifests/object.ts";
import { fluxData } from "../../shared/validate/data.ts";
import type { Json, JsonObject, MiniSchema } from "../../shared/validate/schemas/types.ts";
import { FIELD_MANAGER, MANAGED_BY, MANAGED_BY_LABEL } from "../defaults.ts";
import { SOURCE_EXTENSIONS_GROUP } from "./kinds.ts";

function plural(kind: string): string {
  const lower = kind.toLowerCase();
  return lower.endsWith("y") ? `${lower.slice(0, -1)}ies` : `${lower}s`;
}

/** The bundled schema with its shared subtrees put back in place. */
function expand(node: Json, shared: readonly MiniSchema[]): Json {
  if (Array.isArray(node)) return node.map((n) => expand(n, shared));
  if (typeof node !== "object" || node === null) return node;
  if (typeof node.$ref === "number") return expand(shared[node.$ref] as Json, shared);
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) out[key] = expand(value as Json, shared);
  return out;
}

const READY_COLUMNS = [
  { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" },
  { name: "Ready", type: "string", jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
  { name: "Status", type: "string", jsonPath: '.status.conditions[?(@.type=="Ready")].message' },
];

const OPEN_SCHEMA: Json = {
  type: "object",
  properties: {
    spec: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
    status: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
  },
};

/**
 * Kinds that are not among the bundled schemas, with their spec kept open: the
 * ArtifactGenerator (Flux 2.7). Versions: storage first, then older ones still served.
 */
const OPEN_KINDS: Record<string, string[]> = {
  [`${SOURCE_EXTENSIONS_GROUP}/ArtifactGenerator`]: ["v1beta1"],
};

function openCrd(group: string, kind: string): KubeObject | undefined {
  const versions = OPEN_KINDS[`${group}/${kind}`];
  if (!versions) return undefined;
  return crd(
    group,
    kind,
    versions.map((name, i) => ({ name, served: true, storage: i === 0, schema: OPEN_SCHEMA })),
  );
}

function crd(
  group: string,
  kind: string,
  versions: { name: string; served: boolean; storage: boolean; schema: Json }[],
): KubeObject {
  const plural_ = plural(kind);
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: `${plural_}.${group}`, labels: { [MANAGED_BY_LABEL]: MANAGED_BY } },
    spec: {
      group,
      scope: "Namespaced",
      names: { kind, listKind: `${kind}List`, plural: plural_, singular: kind.toLowerCase() },
      versions: versions.map((v) => ({
        name: v.name,
        served: v.served,
        storage: v.storage,
        schema: { openAPIV3Schema: v.schema },
        subresources: { status: {} },
        additionalPrinterColumns: READY_COLUMNS,
      })),
    },
  };
}

/**
 * The version an object is applied as: its own when Flux serves it, else the storage
 * version of its kind. Flux 2.7's CRDs keep v1beta2/v2beta1 versions unserved, so a
 * repository written for an older Flux (`flux create ... --export` of its day, as in
 * the image automation guides) would fail to apply; Tether reads those objects as the
 * served version, whose fields are the same for what they use (fields removed since
 * are pruned by the API server). Flux instead asks for `flux migrate`. See README.
 */
export function servedApiVersion(apiVersion: string, kind: string): string {
  // Only alpha and beta versions were ever retired: others never load the schemas.
  if (!/(alpha|beta)\d*$/.test(apiVersion)) return apiVersion;
  const known = fluxData().kinds.find((k) => k.apiVersion === apiVersion && k.kind === kind);
  return known && !known.served ? known.storage : apiVersion;
}

/** The CRD for `group/kind` at the bundled versions, or undefined when Tether has none. */
export function crdFor(group: string, kind: string): KubeObject | undefined {
  const open = openCrd(group, kind);
  if (open) return open;
  const data = fluxData();
  const kinds = data.kinds.filter(
    (k) => groupOf(k.apiVersion) === group && k.kind === kind && k.served,
  );
  if (kinds.length === 0) return undefined;
  return crd(
    group,
    kind,
    kinds.map((k) => {
      const schema = expand(k.schema as Json, data.shared) as JsonObject;
      const properties = { ...((schema.properties as JsonObject | undefined) ?? {}) };
      // The API server owns metadata's schema in a CRD.
      properties.metadata = { type: "object" };
      return {
        name: k.apiVersion.split("/")[1] as string,
        served: true,
        storage: k.apiVersion === k.storage,
        schema: { ...schema, type: "object", properties },
      };
    }),
  );
}

/**
 * Installs the CRDs for the Flux kinds among `objects` that the cluster does not serve
 * yet, and waits until they are Established. Answers the CRD names it created.
 */
export async function ensureFluxCrds(
  client: KubeClient,
  objects: readonly KubeObject[],
  timeoutMs = 60_000,
): Promise<string[]> {
  // By CRD name first: the cluster is asked before a definition is built, so a pass
  // where every CRD exists never loads the bundled schemas (about 32 MiB).
  const wanted = new Map<string, { group: string; kind: string }>();
  for (const o of objects) {
    const group = groupOf(o.apiVersion);
    if (!group.endsWith(".fluxcd.io")) continue;
    wanted.set(`${plural(o.kind)}.${group}`, { group, kind: o.kind });
  }
  const created: string[] = [];
  for (const [name, { group, kind }] of wanted) {
    const ref = { apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition", name };
    if (await client.get(ref)) continue;
    const definition = crdFor(group, kind);
    if (!definition) continue;
    await client.apply(definition, { fieldManager: FIELD_MANAGER });
    created.push(definition.metadata.name);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const live = await client.get(ref);
      const conditions =
        (live?.status as { conditions?: { type: string; status: string }[] } | undefined)
          ?.conditions ?? [];
      if (conditions.some((c) => c.type === "Established" && c.status === "True")) break;
      if (Date.now() > deadline)
        throw new Error(
          `CRD ${definition.metadata.name} not Established after ${timeoutMs / 1000}s`,
        );
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return created;
}
