// The API server's own validation, offline: what `kubectl apply --dry-run=server` would
// refuse although the OpenAPI schema accepts it (names, label syntax, ports,
// quantities, selectors, cross-field rules). One table maps each hand-written kind to
// its name syntax and its rules; every rule module cites the upstream functions it
// mirrors. Custom resources get the checks the server applies to every object
// (metadata); their CEL rules are in cel.ts.
import type { Finding } from "../findings.ts";
import { checkConfigMap, checkSecret } from "./config.ts";
import { Field, isObject, type Obj } from "./field.ts";
import { checkObjectMeta, type NameCheck, nameIsDnsLabel, nameIsDnsSubdomain } from "./meta.ts";
import { checkIngress, checkNetworkPolicy, checkService } from "./network.ts";
import { checkHorizontalPodAutoscaler, checkPodDisruptionBudget } from "./policy.ts";
import { checkClusterRole, checkClusterRoleBinding, checkRole, checkRoleBinding } from "./rbac.ts";
import { checkPersistentVolumeClaim, checkStorageClass } from "./storage.ts";
import { dns1035LabelErrors, pathSegmentErrors } from "./syntax.ts";
import {
  checkCronJob,
  checkDaemonSet,
  checkDeployment,
  checkJob,
  checkPod,
  checkPodTemplateKind,
  checkReplicaSet,
  checkReplicationController,
  checkStatefulSet,
} from "./workloads.ts";

/**
 * ValidateStatefulSetName: a DNS subdomain without dots (its pods are named after it and
 * their hostnames must be DNS labels).
 */
function statefulSetName(name: string): string[] {
  const errs = nameIsDnsSubdomain(name);
  if (name.includes(".")) errs.push("must not contain dots");
  return errs;
}

interface KindRules {
  /** The name syntax of the kind (the nameFn its Validate<Kind> passes to ValidateObjectMeta). */
  name: NameCheck;
  namespaced: boolean;
  check?: (object: Obj, at: Field) => void;
}

const namespaced = (name: NameCheck, check?: KindRules["check"]): KindRules =>
  check ? { name, namespaced: true, check } : { name, namespaced: true };
const cluster = (name: NameCheck, check?: KindRules["check"]): KindRules =>
  check ? { name, namespaced: false, check } : { name, namespaced: false };

/** Keyed "group/Kind" ("" is the core group): every served version of the kind. */
const KINDS: Record<string, KindRules> = {
  "/Pod": namespaced(nameIsDnsSubdomain, checkPod),
  "/PodTemplate": namespaced(nameIsDnsSubdomain, checkPodTemplateKind),
  "/ReplicationController": namespaced(nameIsDnsSubdomain, checkReplicationController),
  "/Service": namespaced(dns1035LabelErrors, checkService),
  "/ConfigMap": namespaced(nameIsDnsSubdomain, checkConfigMap),
  "/Secret": namespaced(nameIsDnsSubdomain, checkSecret),
  "/ServiceAccount": namespaced(nameIsDnsSubdomain),
  "/PersistentVolumeClaim": namespaced(nameIsDnsSubdomain, checkPersistentVolumeClaim),
  "/Namespace": cluster(nameIsDnsLabel),
  "/LimitRange": namespaced(nameIsDnsSubdomain),
  "/ResourceQuota": namespaced(nameIsDnsSubdomain),
  "apps/Deployment": namespaced(nameIsDnsSubdomain, checkDeployment),
  "apps/ReplicaSet": namespaced(nameIsDnsSubdomain, checkReplicaSet),
  "apps/StatefulSet": namespaced(statefulSetName, checkStatefulSet),
  "apps/DaemonSet": namespaced(nameIsDnsSubdomain, checkDaemonSet),
  "batch/Job": namespaced(nameIsDnsSubdomain, checkJob),
  "batch/CronJob": namespaced(nameIsDnsSubdomain, checkCronJob),
  "networking.k8s.io/Ingress": namespaced(nameIsDnsSubdomain, checkIngress),
  "networking.k8s.io/IngressClass": cluster(nameIsDnsSubdomain),
  "networking.k8s.io/NetworkPolicy": namespaced(nameIsDnsSubdomain, checkNetworkPolicy),
  "autoscaling/HorizontalPodAutoscaler": namespaced(
    nameIsDnsSubdomain,
    checkHorizontalPodAutoscaler,
  ),
  "policy/PodDisruptionBudget": namespaced(nameIsDnsSubdomain, checkPodDisruptionBudget),
  "rbac.authorization.k8s.io/Role": namespaced(pathSegmentErrors, checkRole),
  "rbac.authorization.k8s.io/ClusterRole": cluster(pathSegmentErrors, checkClusterRole),
  "rbac.authorization.k8s.io/RoleBinding": namespaced(pathSegmentErrors, checkRoleBinding),
  "rbac.authorization.k8s.io/ClusterRoleBinding": cluster(
    pathSegmentErrors,
    checkClusterRoleBinding,
  ),
  "storage.k8s.io/StorageClass": cluster(nameIsDnsSubdomain, checkStorageClass),
  "scheduling.k8s.io/PriorityClass": cluster(nameIsDnsSubdomain),
};

export interface ServerRuleOptions {
  /**
   * Whether an apiVersion/kind is a custom resource (from a CRD or Flux): its metadata
   * is checked as the server checks every object's (names are DNS subdomains).
   */
  isCustomResource?: (apiVersion: string, kind: string) => boolean;
}

function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf("/");
  return slash < 0 ? "" : apiVersion.slice(0, slash);
}

/** Whether the built-in rules know this kind (the hand-written kinds listed above). */
export function hasServerRules(apiVersion: string, kind: string): boolean {
  return KINDS[`${groupOf(apiVersion)}/${kind}`] !== undefined;
}

/**
 * The findings the API server's validation would give for one parsed object (`pointer`
 * is where the object is in a `v1 List`, "" otherwise). Fields of the wrong type are
 * left to the schema check: these rules only read values of the type they expect.
 */
export function checkServerRules(
  object: unknown,
  options: ServerRuleOptions = {},
  pointer = "",
): Finding[] {
  const findings: Finding[] = [];
  if (!isObject(object)) return findings;
  const { apiVersion, kind } = object;
  if (typeof apiVersion !== "string" || typeof kind !== "string") return findings;
  if (apiVersion === "v1" && kind === "List" && Array.isArray(object.items)) {
    object.items.forEach((item, i) => {
      findings.push(...checkServerRules(item, options, `${pointer}/items/${i}`));
    });
    return findings;
  }
  const root = new Field(findings, pointer);
  const rules = KINDS[`${groupOf(apiVersion)}/${kind}`];
  if (rules) {
    checkObjectMeta(object.metadata, root.at("metadata"), rules.name, rules.namespaced);
    rules.check?.(object, root);
  } else if (options.isCustomResource?.(apiVersion, kind)) {
    checkObjectMeta(object.metadata, root.at("metadata"), nameIsDnsSubdomain, true);
  }
  return findings;
}
