#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  AGENT_DEPLOYMENT,
  AGENT_SERVICE_ACCOUNT
} from "./chunk-I5SLTBKL.js";
import {
  unitOf
} from "./chunk-JP7YPOJ3.js";
import "./chunk-YUK5ZNS5.js";
import "./chunk-MQEAY646.js";
import "./chunk-3GQA4N5P.js";
import {
  isCrd,
  isNamespace
} from "./chunk-I4VL4257.js";
import "./chunk-IN6JXKYM.js";
import "./chunk-V3OBHZW3.js";
import "./chunk-VQR37QBH.js";
import "./chunk-F6H36ORJ.js";
import "./chunk-AMVUJONU.js";
import "./chunk-XLD4VZZ5.js";
import "./chunk-3HMT455R.js";
import "./chunk-F7OZ6T2Y.js";
import "./chunk-O62GKC6U.js";
import "./chunk-GE6VTMTN.js";
import "./chunk-ASGSV6PC.js";
import "./chunk-E74EIW4E.js";
import "./chunk-XB2UJ6TZ.js";
import "./chunk-DGWWLFJ6.js";
import {
  isHelmRelease
} from "./chunk-G2PVCOPF.js";
import "./chunk-KVDOGNFO.js";
import "./chunk-XVXAFQO7.js";
import "./chunk-WOA5VQJZ.js";
import {
  MANAGED_BY,
  MANAGED_BY_LABEL,
  RECORD_LABEL,
  UNIT_LABEL
} from "./chunk-75EKFM34.js";
import "./chunk-EMBC4T2D.js";
import "./chunk-C4RKCN44.js";
import "./chunk-DYND6O65.js";
import "./chunk-6SSSO5LC.js";
import "./chunk-ZIEZ6URX.js";
import "./chunk-XH5JYCWA.js";
import {
  KubeApiError
} from "./chunk-OMIHXC2B.js";
import {
  describeRef,
  refKey,
  refOf
} from "./chunk-Z62KHOJY.js";
import "./chunk-3R7UN4UR.js";
import "./chunk-UOZOTW6C.js";
import "./chunk-K4EN55PN.js";
import "./chunk-OTIGXPIO.js";
import "./chunk-XRGQOWGB.js";
import "./chunk-HPGUIRHG.js";
import "./chunk-SGKLXC2P.js";
import "./chunk-3IQPLNQJ.js";

// agent/bootstrap/uninstall.ts
const { mkdtemp, rm } = require("node:fs/promises");
const { tmpdir } = require("node:os");
const { join } = require("node:path");
var PART_OF = "app.kubernetes.io/part-of";
var SYSTEM_NAMESPACES = /* @__PURE__ */ new Set(["default", "kube-system", "kube-public", "kube-node-lease"]);
function isOwnObject(object, namespace) {
  return object.metadata.labels?.[PART_OF] === "tether" || object.metadata.namespace === namespace || isNamespace(object) && object.metadata.name === namespace;
}
function splitOwned(objects, namespace) {
  const own = objects.filter((o) => isOwnObject(o, namespace));
  return { own, workloads: objects.filter((o) => !isOwnObject(o, namespace)) };
}
function deletionOrder(objects) {
  const rank = (o) => isCrd(o) ? 3 : isNamespace(o) ? 2 : o.metadata.namespace ? 0 : 1;
  return [...objects].sort((a, b) => rank(a) - rank(b));
}
async function listableKinds(client) {
  const versions = ["v1"];
  const groups = await client.request({ method: "GET", path: "/apis" });
  versions.push(...groups.groups.map((g) => g.preferredVersion.groupVersion));
  const kinds = [];
  for (const apiVersion of versions) {
    const path = apiVersion === "v1" ? "/api/v1" : `/apis/${apiVersion}`;
    const list = await client.request({
      method: "GET",
      path
    }).catch(() => ({ resources: [] }));
    for (const r of list.resources) {
      if (r.name.includes("/") || r.kind === "Event") continue;
      if (!["list", "patch", "delete"].every((v) => r.verbs.includes(v))) continue;
      kinds.push({ apiVersion, kind: r.kind });
    }
  }
  return kinds;
}
async function listUnitObjects(client, kinds, units) {
  if (units.length === 0) return [];
  const selector = `${UNIT_LABEL} in (${units.join(",")})`;
  const lists = await Promise.all(
    kinds.map(
      (k) => client.list(k.apiVersion, k.kind, { labelSelector: selector }).catch(() => [])
    )
  );
  return lists.flat();
}
async function planUninstall(client, namespace) {
  const records = await client.list("v1", "ConfigMap", { namespace, labelSelector: `${RECORD_LABEL}=unit` }).catch(() => []);
  const units = new Set(
    records.map((r) => r.metadata.labels?.[UNIT_LABEL]).filter((u) => Boolean(u))
  );
  const kinds = await listableKinds(client);
  const found = /* @__PURE__ */ new Map();
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
  const ownOutside = /* @__PURE__ */ new Map();
  for (const o of [...own, ...await clusterRbacOf(client, namespace)]) {
    if (!o.metadata.namespace && !(isNamespace(o) && o.metadata.name === namespace))
      ownOutside.set(refKey(refOf(o)), o);
  }
  return {
    units: [...units].sort(),
    own: [...ownOutside.values()],
    workloads: deletionOrder(workloads)
  };
}
async function clusterRbacOf(client, namespace) {
  const selector = `${PART_OF}=tether`;
  const bindings = await client.list("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", { labelSelector: selector }).catch(() => []);
  const subjectsOf = (b) => b.subjects ?? [];
  const ours = bindings.filter(
    (b) => subjectsOf(b).some(
      (s) => s.kind === "ServiceAccount" && s.name === AGENT_SERVICE_ACCOUNT && s.namespace === namespace
    )
  );
  const roleOf = (b) => b.roleRef.name;
  const shared = new Set(bindings.filter((b) => !ours.includes(b)).map(roleOf));
  const roles = ours.map(roleOf).filter((name) => !shared.has(name)).map(
    (name) => ({
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: { name }
    })
  );
  const members = [];
  for (const role of roles) {
    const live = await client.get(refOf(role)).catch(() => void 0);
    const selectors = live?.aggregationRule?.clusterRoleSelectors ?? [];
    for (const { matchLabels } of selectors) {
      if (!matchLabels || Object.keys(matchLabels).length === 0) continue;
      const labels = Object.entries({ ...matchLabels, [PART_OF]: "tether" }).map(([k, v]) => `${k}=${v}`).join(",");
      members.push(
        ...await client.list("rbac.authorization.k8s.io/v1", "ClusterRole", { labelSelector: labels }).catch(() => [])
      );
    }
  }
  return [...ours, ...roles, ...members];
}
async function waitGone(client, object, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!await client.get(refOf(object))) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}
async function releaseObject(client, object) {
  const labels = { [UNIT_LABEL]: null };
  if (object.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY) labels[MANAGED_BY_LABEL] = null;
  await client.request({
    method: "PATCH",
    path: await client.pathOf(refOf(object)),
    body: { metadata: { labels } },
    contentType: "application/merge-patch+json"
  });
}
function installedCrds(client) {
  return client.list("apiextensions.k8s.io/v1", "CustomResourceDefinition", {
    labelSelector: `${MANAGED_BY_LABEL}=${MANAGED_BY},!${UNIT_LABEL}`
  });
}
async function crdIsEmpty(client, crd) {
  const spec = crd.spec;
  const version = spec.versions.find((v) => v.served)?.name;
  if (!version) return true;
  const items = await client.list(`${spec.group}/${version}`, spec.names.kind).catch(() => []);
  return items.length === 0;
}
async function removeInstalledCrds(client, crds, say) {
  for (const crd of crds) {
    if (!await crdIsEmpty(client, crd)) {
      say(`kept CustomResourceDefinition/${crd.metadata.name}: objects of it remain`);
      continue;
    }
    await client.delete(refOf(crd));
    say(`deleted CustomResourceDefinition/${crd.metadata.name}`);
  }
}
async function uninstallHelmReleases(client, workloads, options, say) {
  const releases = workloads.filter(isHelmRelease);
  if (releases.length === 0) return;
  const { orderByDependencies, uninstallReleases } = await import("./pass-IMF3IZ6S.js");
  const cacheDir = await mkdtemp(join(tmpdir(), "tether-uninstall-"));
  try {
    const ordered = orderByDependencies(releases).reverse();
    const results = await uninstallReleases(
      ordered.map((r) => refOf(r)),
      { client, cacheDir, kubeconfig: options.kubeconfig, helmBinary: options.helmBinary }
    );
    const failed = results.filter((r) => !r.ok);
    for (const r of results) say(`${r.ok ? "" : "failed: "}${describeRef(r.ref)}: ${r.detail}`);
    if (failed.length > 0)
      throw new Error(
        `${failed.length} Helm release(s) could not be uninstalled, so nothing else was deleted (the agent is stopped; run uninstall again once helm can reach them, or without --prune-workloads to keep them)`
      );
  } finally {
    await rm(cacheDir, { recursive: true, force: true });
  }
}
async function uninstall(client, options, say) {
  const plan = await planUninstall(client, options.namespace);
  const deployment = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: AGENT_DEPLOYMENT, namespace: options.namespace }
  };
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
      await releaseObject(client, object).catch((error) => {
        if (!(error instanceof KubeApiError && error.status === 404)) throw error;
      });
    }
    if (plan.workloads.length > 0) {
      say(
        `kept ${plan.workloads.length} workload object(s) the agent applied, and removed Tether's labels (${UNIT_LABEL}, ${MANAGED_BY_LABEL}) from them (--prune-workloads deletes them instead):`
      );
      for (const object of plan.workloads) say(`  ${describeRef(refOf(object))}`);
    }
  }
  if (options.keepCrds) say("kept the CRDs Tether installed (--keep-crds)");
  else await removeInstalledCrds(client, await installedCrds(client), say);
  for (const object of plan.own) {
    if (await client.delete(refOf(object))) say(`deleted ${describeRef(refOf(object))}`);
  }
  const namespace = {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name: options.namespace }
  };
  if (await client.delete(refOf(namespace))) {
    if (!await waitGone(client, namespace, options.timeoutMs))
      throw new Error(
        `namespace ${options.namespace} is still terminating after ${options.timeoutMs / 1e3}s (kubectl get namespace ${options.namespace} -o yaml shows what holds it)`
      );
    say(
      `deleted Namespace/${options.namespace} (the agent's records, Events, Leases and Git Secret)`
    );
  } else say(`no namespace ${options.namespace}`);
}
export {
  deletionOrder,
  isOwnObject,
  planUninstall,
  removeInstalledCrds,
  splitOwned,
  uninstall
};
