// `tether uninstall`: the agent goes, what it applied stays (unless asked), as `flux
// uninstall` keeps workloads. In order:
//   stop the agent (its Deployment) ─► workloads: strip Tether's labels, or delete them
//   (--prune-workloads: the Helm releases of its HelmReleases uninstalled first, as
//   Flux's finalizer does) ─► CRDs Tether installed that hold no objects ─► the agent's
//   cluster-wide RBAC ─► its namespace (records, Events, Leases, the Git Secret).
// What this agent owns is found from its records: each unit's name is the value of the
// `tether.dev/unit` label on what it applied, and a Flux Kustomization it applied is a
// unit of its own (unitOf), followed until no new unit appears. Other agents' objects
// (other units) are never touched.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isHelmRelease } from "../../shared/charts/reference.ts";
import type { KubeClient } from "../../shared/kube/client.ts";
import { KubeApiError } from "../../shared/kube/errors.ts";
import { isCrd, isNamespace } from "../../shared/manifests/kinds.ts";
import { describeRef, type KubeObject, refKey, refOf } from "../../shared/manifests/object.ts";
import { MANAGED_BY, MANAGED_BY_LABEL, RECORD_LABEL, UNIT_LABEL } from "../defaults.ts";
import { unitOf } from "../flux/kustomization.ts";
import { AGENT_DEPLOYMENT, AGENT_SERVICE_ACCOUNT } from "./folder.ts";

export interface UninstallOptions {
  namespace: string;
  pruneWorkloads: boolean;
  keepCrds: boolean;
  timeoutMs: number;
  /** For `helm uninstall` (default: what helm finds, as the client's). */
  kubeconfig?: string | undefined;
  helmBinary?: string | undefined;
}

export interface UninstallPlan {
  units: string[];
  /** The agent's own objects outside its namespace (cluster-wide RBAC). */
  own: KubeObject[];
  /** What the units applied, besides the agent itself. */
  workloads: KubeObject[];
}

const PART_OF = "app.kubernetes.io/part-of";

/** Namespaces that are the cluster's, never deleted even when a unit applied them. */
const SYSTEM_NAMESPACES = new Set(["default", "kube-system", "kube-public", "kube-node-lease"]);

/** The agent's own install: labelled part of Tether by its kustomization, or in its namespace. */
export function isOwnObject(object: KubeObject, namespace: string): boolean {
  return (
    object.metadata.labels?.[PART_OF] === "tether" ||
    object.metadata.namespace === namespace ||
    (isNamespace(object) && object.metadata.name === namespace)
  );
}

/** Splits what the units applied into the agent's own objects and the workloads. */
export function splitOwned(
  objects: readonly KubeObject[],
  namespace: string,
): { own: KubeObject[]; workloads: KubeObject[] } {
  const own = objects.filter((o) => isOwnObject(o, namespace));
  return { own, workloads: objects.filter((o) => !isOwnObject(o, namespace)) };
}

/** Order for deleting workloads: namespaced objects, then cluster-scoped, Namespaces and CRDs last. */
export function deletionOrder(objects: readonly KubeObject[]): KubeObject[] {
  const rank = (o: KubeObject) =>
    isCrd(o) ? 3 : isNamespace(o) ? 2 : o.metadata.namespace ? 0 : 1;
  return [...objects].sort((a, b) => rank(a) - rank(b));
}

/** A kind the uninstall may list and change. */
interface Listable {
  apiVersion: string;
  kind: string;
}

/** Every served kind that can be listed, patched and deleted (events aside). */
async function listableKinds(client: KubeClient): Promise<Listable[]> {
  const versions = ["v1"];
  const groups = await client.request<{
    groups: { preferredVersion: { groupVersion: string } }[];
  }>({ method: "GET", path: "/apis" });
  versions.push(...groups.groups.map((g) => g.preferredVersion.groupVersion));
  const kinds: Listable[] = [];
  for (const apiVersion of versions) {
    const path = apiVersion === "v1" ? "/api/v1" : `/apis/${apiVersion}`;
    const list = await client
      .request<{ resources: { name: string; kind: string; verbs: string[] }[] }>({
        method: "GET",
        path,
      })
      .catch(() => ({ resources: [] }));
    for (const r of list.resources) {
      if (r.name.includes("/") || r.kind === "Event") continue;
      if (!["list", "patch", "delete"].every((v) => r.verbs.includes(v))) continue;
      kinds.push({ apiVersion, kind: r.kind });
    }
  }
  return kinds;
}

/** Every object labelled with one of `units`, across all kinds. */
async function listUnitObjects(
  client: KubeClient,
  kinds: readonly Listable[],
  units: readonly string[],
): Promise<KubeObject[]> {
  if (units.length === 0) return [];
  const selector = `${UNIT_LABEL} in (${units.join(",")})`;
  const lists = await Promise.all(
    kinds.map((k) =>
      client.list(k.apiVersion, k.kind, { labelSelector: selector }).catch(() => []),
    ),
  );
  return lists.flat();
}

/** What the agent of `namespace` owns, from its records. */
export async function planUninstall(client: KubeClient, namespace: string): Promise<UninstallPlan> {
  const records = await client
    .list("v1", "ConfigMap", { namespace, labelSelector: `${RECORD_LABEL}=unit` })
    .catch(() => []);
  const units = new Set(
    records.map((r) => r.metadata.labels?.[UNIT_LABEL]).filter((u): u is string => Boolean(u)),
  );
  const kinds = await listableKinds(client);
  const found = new Map<string, KubeObject>();
  // A Kustomization the units applied applies objects under its own unit name.
  for (let pending = [...units]; pending.length > 0; ) {
    const objects = await listUnitObjects(client, kinds, pending);
    pending = [];
    for (const o of objects) {
      found.set(refKey(refOf(o)), o);
      if (o.kind === "Kustomization" && o.apiVersion.startsWith("kustomize.toolkit.fluxcd.io/")) {
        const unit = unitOf(o);
        if (!units.has(unit)) {
          units.add(unit);
          pending.push(unit);
        }
      }
    }
  }
  const { own, workloads } = splitOwned([...found.values()], namespace);
  const ownOutside = new Map<string, KubeObject>();
  for (const o of [...own, ...(await clusterRbacOf(client, namespace))]) {
    if (!o.metadata.namespace && !(isNamespace(o) && o.metadata.name === namespace))
      ownOutside.set(refKey(refOf(o)), o);
  }
  return {
    units: [...units].sort(),
    own: [...ownOutside.values()],
    workloads: deletionOrder(workloads),
  };
}

/**
 * The agent's cluster-wide RBAC even when it never synced (no records yet): the
 * bindings of Tether's install that name its ServiceAccount, and the roles they grant.
 */
async function clusterRbacOf(client: KubeClient, namespace: string): Promise<KubeObject[]> {
  const selector = `${PART_OF}=tether`;
  const bindings = await client
    .list("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", { labelSelector: selector })
    .catch(() => [] as KubeObject[]);
  const subjectsOf = (b: KubeObject) =>
    (b.subjects as { kind: string; name: string; namespace?: string }[] | undefined) ?? [];
  const ours = bindings.filter((b) =>
    subjectsOf(b).some(
      (s) =>
        s.kind === "ServiceAccount" &&
        s.name === AGENT_SERVICE_ACCOUNT &&
        s.namespace === namespace,
    ),
  );
  // A role another agent's binding also grants stays.
  const roleOf = (b: KubeObject) => (b.roleRef as { kind: string; name: string }).name;
  const shared = new Set(bindings.filter((b) => !ours.includes(b)).map(roleOf));
  const roles = ours
    .map(roleOf)
    .filter((name) => !shared.has(name))
    .map(
      (name): KubeObject => ({
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "ClusterRole",
        metadata: { name },
      }),
    );
  // The members an aggregated role of ours gathers, when they are Tether's own
  // (tether-agent-apply-all); a role of the user's with the label stays.
  const members: KubeObject[] = [];
  for (const role of roles) {
    const live = await client.get(refOf(role)).catch(() => undefined);
    const selectors =
      (
        live?.aggregationRule as {
          clusterRoleSelectors?: { matchLabels?: Record<string, string> }[];
        }
      )?.clusterRoleSelectors ?? [];
    for (const { matchLabels } of selectors) {
      if (!matchLabels || Object.keys(matchLabels).length === 0) continue;
      const labels = Object.entries({ ...matchLabels, [PART_OF]: "tether" })
        .map(([k, v]) => `${k}=${v}`)
        .join(",");
      members.push(
        ...(await client
          .list("rbac.authorization.k8s.io/v1", "ClusterRole", { labelSelector: labels })
          .catch(() => [] as KubeObject[])),
      );
    }
  }
  return [...ours, ...roles, ...members];
}

async function waitGone(
  client: KubeClient,
  object: KubeObject,
  timeoutMs: number,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!(await client.get(refOf(object)))) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

/** Removes Tether's ownership labels (a JSON merge patch: only those two keys change). */
async function releaseObject(client: KubeClient, object: KubeObject): Promise<void> {
  const labels: Record<string, null> = { [UNIT_LABEL]: null };
  if (object.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY) labels[MANAGED_BY_LABEL] = null;
  await client.request({
    method: "PATCH",
    path: await client.pathOf(refOf(object)),
    body: { metadata: { labels } },
    contentType: "application/merge-patch+json",
  });
}

/** CRDs Tether installed for Flux and Helm kinds: labelled managed-by, never by a unit. */
function installedCrds(client: KubeClient): Promise<KubeObject[]> {
  return client.list("apiextensions.k8s.io/v1", "CustomResourceDefinition", {
    labelSelector: `${MANAGED_BY_LABEL}=${MANAGED_BY},!${UNIT_LABEL}`,
  });
}

async function crdIsEmpty(client: KubeClient, crd: KubeObject): Promise<boolean> {
  const spec = crd.spec as {
    group: string;
    names: { kind: string };
    versions: { name: string; served: boolean }[];
  };
  const version = spec.versions.find((v) => v.served)?.name;
  if (!version) return true;
  const items = await client
    .list(`${spec.group}/${version}`, spec.names.kind)
    .catch(() => [] as KubeObject[]);
  return items.length === 0;
}

/**
 * Deletes the CRDs among `crds` that hold no object: deleting a CRD deletes every
 * object of its kind, so one still in use (workloads kept, another agent) stays.
 */
export async function removeInstalledCrds(
  client: KubeClient,
  crds: readonly KubeObject[],
  say: (line: string) => void,
): Promise<void> {
  for (const crd of crds) {
    if (!(await crdIsEmpty(client, crd))) {
      say(`kept CustomResourceDefinition/${crd.metadata.name}: objects of it remain`);
      continue;
    }
    await client.delete(refOf(crd));
    say(`deleted CustomResourceDefinition/${crd.metadata.name}`);
  }
}

/**
 * `helm uninstall` for the releases of the HelmReleases among `workloads`, dependents
 * first. Deleting a HelmRelease alone would leave its release and everything the chart
 * installed (nothing else carries the unit's label), with no controller left to remove
 * them. Throws before anything else is deleted when one fails: the records are still
 * there, so running uninstall again picks up where this stopped.
 */
async function uninstallHelmReleases(
  client: KubeClient,
  workloads: readonly KubeObject[],
  options: UninstallOptions,
  say: (line: string) => void,
): Promise<void> {
  const releases = workloads.filter(isHelmRelease);
  if (releases.length === 0) return;
  const { orderByDependencies, uninstallReleases } = await import("../helm/pass.ts");
  // Helm's own config and cache only; a release's state is in the cluster.
  const cacheDir = await mkdtemp(join(tmpdir(), "tether-uninstall-"));
  try {
    const ordered = orderByDependencies(releases).reverse();
    const results = await uninstallReleases(
      ordered.map((r) => refOf(r)),
      { client, cacheDir, kubeconfig: options.kubeconfig, helmBinary: options.helmBinary },
    );
    const failed = results.filter((r) => !r.ok);
    for (const r of results) say(`${r.ok ? "" : "failed: "}${describeRef(r.ref)}: ${r.detail}`);
    if (failed.length > 0)
      throw new Error(
        `${failed.length} Helm release(s) could not be uninstalled, so nothing else was deleted (the agent is stopped; run uninstall again once helm can reach them, or without --prune-workloads to keep them)`,
      );
  } finally {
    await rm(cacheDir, { recursive: true, force: true });
  }
}

export async function uninstall(
  client: KubeClient,
  options: UninstallOptions,
  say: (line: string) => void,
): Promise<void> {
  const plan = await planUninstall(client, options.namespace);
  const deployment: KubeObject = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: AGENT_DEPLOYMENT, namespace: options.namespace },
  };
  // The agent stops first, so it cannot apply again what is being removed.
  if (await client.delete(refOf(deployment), "Foreground")) {
    await waitGone(client, deployment, options.timeoutMs);
    say(`deleted ${describeRef(refOf(deployment))}`);
  } else say(`no agent Deployment in ${options.namespace}`);

  if (options.pruneWorkloads) {
    await uninstallHelmReleases(client, plan.workloads, options, say);
    for (const object of plan.workloads) {
      if (isNamespace(object) && SYSTEM_NAMESPACES.has(object.metadata.name)) {
        await releaseObject(client, object);
        say(`kept ${describeRef(refOf(object))} (a system namespace), removed Tether's labels`);
        continue;
      }
      await client.delete(refOf(object));
      say(`deleted ${describeRef(refOf(object))}`);
    }
  } else {
    for (const object of plan.workloads) {
      await releaseObject(client, object).catch((error: unknown) => {
        if (!(error instanceof KubeApiError && error.status === 404)) throw error;
      });
    }
    if (plan.workloads.length > 0) {
      say(
        `kept ${plan.workloads.length} workload object(s) the agent applied, and removed Tether's labels (${UNIT_LABEL}, ${MANAGED_BY_LABEL}) from them (--prune-workloads deletes them instead):`,
      );
      for (const object of plan.workloads) say(`  ${describeRef(refOf(object))}`);
    }
  }

  if (options.keepCrds) say("kept the CRDs Tether installed (--keep-crds)");
  else await removeInstalledCrds(client, await installedCrds(client), say);

  for (const object of plan.own) {
    if (await client.delete(refOf(object))) say(`deleted ${describeRef(refOf(object))}`);
  }
  const namespace: KubeObject = {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name: options.namespace },
  };
  if (await client.delete(refOf(namespace))) {
    if (!(await waitGone(client, namespace, options.timeoutMs)))
      throw new Error(
        `namespace ${options.namespace} is still terminating after ${options.timeoutMs / 1000}s (kubectl get namespace ${options.namespace} -o yaml shows what holds it)`,
      );
    say(
      `deleted Namespace/${options.namespace} (the agent's records, Events, Leases and Git Secret)`,
    );
  } else say(`no namespace ${options.namespace}`);
}
