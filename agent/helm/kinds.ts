// The CRDs of the kinds the Helm step serves, installed when a unit renders one of
// them and the cluster does not know it (a cluster without Flux). They keep Flux's
// group, names, versions and printer columns, so `kubectl get helmreleases -A` shows
// READY and STATUS as with Flux; their schemas accept any spec (Tether validates the
// spec itself, with the bundled Flux schemas, in `tether validate`).
import type { KubeClient } from "../../shared/kube/client.ts";
import type { KubeObject } from "../../shared/manifests/object.ts";
import { HELM_FIELD_MANAGER } from "./crds.ts";

interface KindSpec {
  group: string;
  kind: string;
  plural: string;
  singular: string;
  shortNames: string[];
  /** Served versions, the storage version first. */
  versions: string[];
}

export const HELM_KINDS: readonly KindSpec[] = [
  {
    group: "helm.toolkit.fluxcd.io",
    kind: "HelmRelease",
    plural: "helmreleases",
    singular: "helmrelease",
    shortNames: ["hr"],
    versions: ["v2", "v2beta2", "v2beta1"],
  },
  {
    group: "helm.fluxcd.io",
    kind: "HelmRelease",
    plural: "helmreleases",
    singular: "helmrelease",
    shortNames: ["hr", "hrs"],
    versions: ["v1"],
  },
  {
    group: "source.toolkit.fluxcd.io",
    kind: "HelmRepository",
    plural: "helmrepositories",
    singular: "helmrepository",
    shortNames: ["helmrepo"],
    versions: ["v1", "v1beta2"],
  },
  {
    group: "source.toolkit.fluxcd.io",
    kind: "OCIRepository",
    plural: "ocirepositories",
    singular: "ocirepository",
    shortNames: ["ocirepo"],
    versions: ["v1", "v1beta2"],
  },
];

const READY_COLUMNS = [
  { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" },
  { name: "Ready", type: "string", jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
  { name: "Status", type: "string", jsonPath: '.status.conditions[?(@.type=="Ready")].message' },
];

export function crdOf(spec: KindSpec): KubeObject {
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: {
      name: `${spec.plural}.${spec.group}`,
      labels: { "app.kubernetes.io/managed-by": "tether" },
    },
    spec: {
      group: spec.group,
      names: {
        kind: spec.kind,
        listKind: `${spec.kind}List`,
        plural: spec.plural,
        singular: spec.singular,
        shortNames: spec.shortNames,
      },
      scope: "Namespaced",
      versions: spec.versions.map((name, i) => ({
        name,
        served: true,
        storage: i === 0,
        subresources: { status: {} },
        additionalPrinterColumns: READY_COLUMNS,
        schema: {
          openAPIV3Schema: {
            type: "object",
            properties: {
              apiVersion: { type: "string" },
              kind: { type: "string" },
              metadata: { type: "object" },
              spec: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
              status: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
            },
          },
        },
      })),
    },
  };
}

/** Installs the CRDs of helm kinds present in `objects` that the cluster lacks; waits until served. */
export async function ensureHelmCrds(
  client: KubeClient,
  objects: readonly KubeObject[],
  timeoutMs = 30_000,
): Promise<string[]> {
  const installed: string[] = [];
  for (const spec of HELM_KINDS) {
    const used = objects.some(
      (o) => o.kind === spec.kind && o.apiVersion.startsWith(`${spec.group}/`),
    );
    if (!used) continue;
    const crd = crdOf(spec);
    const exists = await client.get({
      apiVersion: crd.apiVersion,
      kind: crd.kind,
      name: crd.metadata.name,
    });
    if (exists) continue;
    await client.apply(crd, { fieldManager: HELM_FIELD_MANAGER, force: true });
    installed.push(crd.metadata.name);
    const deadline = Date.now() + timeoutMs;
    const apiVersion = `${spec.group}/${spec.versions[0]}`;
    while (!(await client.resourceFor(apiVersion, spec.kind))) {
      if (Date.now() > deadline)
        throw new Error(`CRD ${crd.metadata.name} was not served within ${timeoutMs / 1000}s`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return installed;
}
