// Roles and bindings. Mirrors k8s.io/kubernetes pkg/apis/rbac/validation
// (ValidateRole, ValidateClusterRole, ValidatePolicyRule, ValidateRoleBinding,
// ValidateClusterRoleBinding, ValidateRoleBindingSubject). Their names are path
// segments (ValidateRBACName), so capitals and colons are fine.
import { type Field, listAt, type Obj, objectAt, stringAt } from "./field.ts";
import { checkLabelSelector } from "./meta.ts";
import { dns1123SubdomainErrors, pathSegmentErrors } from "./syntax.ts";

const RBAC_GROUP = "rbac.authorization.k8s.io";

const isDefaulted = (group: unknown) => group === undefined || group === "" || group === RBAC_GROUP;

function checkRules(rules: unknown, at: Field, namespaced: boolean): void {
  listAt(rules).forEach((raw, i) => {
    const rule = objectAt(raw);
    if (!rule) return;
    const here = at.at(i);
    if (listAt(rule.verbs).length === 0)
      here.at("verbs").required("verbs must contain at least one value");
    const nonResource = listAt(rule.nonResourceURLs);
    if (nonResource.length > 0) {
      if (namespaced)
        here
          .at("nonResourceURLs")
          .invalid(nonResource, "namespaced rules cannot apply to non-resource URLs");
      if (listAt(rule.apiGroups).length > 0 || listAt(rule.resources).length > 0)
        here
          .at("nonResourceURLs")
          .invalid(
            nonResource,
            "rules cannot apply to both regular resources and non-resource URLs",
          );
      return;
    }
    if (listAt(rule.apiGroups).length === 0)
      here.at("apiGroups").required("resource rules must supply at least one api group");
    if (listAt(rule.resources).length === 0)
      here.at("resources").required("resource rules must supply at least one resource");
  });
}

export function checkRole(object: Obj, at: Field): void {
  checkRules(object.rules, at.at("rules"), true);
}

export function checkClusterRole(object: Obj, at: Field): void {
  checkRules(object.rules, at.at("rules"), false);
  const aggregation = objectAt(object.aggregationRule);
  if (aggregation) {
    const selectors = listAt(aggregation.clusterRoleSelectors);
    if (selectors.length === 0)
      at.at("aggregationRule", "clusterRoleSelectors").required(
        "at least one clusterRoleSelector required if aggregationRule is non-nil",
      );
    for (const [i, s] of selectors.entries())
      checkLabelSelector(s, at.at("aggregationRule", "clusterRoleSelectors", i));
  }
}

function checkBinding(object: Obj, at: Field, namespaced: boolean): void {
  const ref = objectAt(object.roleRef) ?? {};
  const refAt = at.at("roleRef");
  // An empty apiGroup (roleRef or User/Group subject) is defaulted to the RBAC group.
  if (!isDefaulted(ref.apiGroup))
    refAt.at("apiGroup").unsupported(ref.apiGroup ?? "", [RBAC_GROUP]);
  const kinds = namespaced ? ["Role", "ClusterRole"] : ["ClusterRole"];
  if (typeof ref.kind === "string" && !kinds.includes(ref.kind))
    refAt.at("kind").unsupported(ref.kind, kinds);
  const name = stringAt(ref.name);
  if (!name) refAt.at("name").required();
  else refAt.at("name").invalidEach(name, pathSegmentErrors(name));
  listAt(object.subjects).forEach((raw, i) => {
    const subject = objectAt(raw);
    if (!subject) return;
    const here = at.at("subjects", i);
    const subjectName = stringAt(subject.name);
    if (!subjectName) here.at("name").required();
    switch (subject.kind) {
      case "ServiceAccount":
        if (subjectName)
          here.at("name").invalidEach(subjectName, dns1123SubdomainErrors(subjectName));
        if (subject.apiGroup !== undefined && subject.apiGroup !== "")
          here.at("apiGroup").unsupported(subject.apiGroup, [""]);
        if (!namespaced && !stringAt(subject.namespace)) here.at("namespace").required();
        break;
      case "User":
      case "Group":
        if (!isDefaulted(subject.apiGroup))
          here.at("apiGroup").unsupported(subject.apiGroup ?? "", [RBAC_GROUP]);
        break;
      default:
        here.at("kind").unsupported(subject.kind ?? "", ["ServiceAccount", "User", "Group"]);
    }
  });
}

export function checkRoleBinding(object: Obj, at: Field): void {
  checkBinding(object, at, true);
}

export function checkClusterRoleBinding(object: Obj, at: Field): void {
  checkBinding(object, at, false);
}
