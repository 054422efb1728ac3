// ObjectMeta and label selectors, as every kind's validation starts:
// k8s.io/apimachinery pkg/api/validation/objectmeta.go (ValidateObjectMetaAccessor,
// ValidateAnnotations) and pkg/apis/meta/v1/validation (ValidateLabels,
// ValidateLabelSelector).
import { type Field, isObject, listAt, type Obj, objectAt, stringAt } from "./field.ts";
import {
  dns1123LabelErrors,
  dns1123SubdomainErrors,
  labelValueErrors,
  qualifiedNameErrors,
} from "./syntax.ts";

/** How a kind's names are checked (the `nameFn` of its Validate<Kind> function). */
export type NameCheck = (name: string) => string[];

const TOTAL_ANNOTATION_SIZE = 256 * 1024;

/** ValidateLabels: keys are qualified names, values label values. */
export function checkLabels(labels: unknown, at: Field): void {
  if (!isObject(labels)) return;
  for (const [key, value] of Object.entries(labels)) {
    at.entry(key).invalidEach(key, qualifiedNameErrors(key));
    if (typeof value === "string") at.entry(key).invalidEach(value, labelValueErrors(value));
  }
}

/** ValidateAnnotations: keys are qualified names (case-insensitive), 256 KiB in all. */
export function checkAnnotations(annotations: unknown, at: Field): void {
  if (!isObject(annotations)) return;
  let size = 0;
  for (const [key, value] of Object.entries(annotations)) {
    at.entry(key).invalidEach(key, qualifiedNameErrors(key.toLowerCase()));
    size += Buffer.byteLength(key) + (typeof value === "string" ? Buffer.byteLength(value) : 0);
  }
  if (size > TOTAL_ANNOTATION_SIZE) at.tooLong(TOTAL_ANNOTATION_SIZE);
}

/**
 * ValidateObjectMeta for a new object: a name (or generateName) valid for the kind, a
 * valid namespace, labels and annotations.
 */
export function checkObjectMeta(
  metadata: unknown,
  at: Field,
  nameCheck: NameCheck,
  namespaced: boolean,
): void {
  const meta = objectAt(metadata) ?? {};
  const name = stringAt(meta.name);
  const generateName = stringAt(meta.generateName);
  if (generateName && !name) {
    // The server appends five characters; the prefix alone must be valid without a
    // trailing dash (ValidateObjectMeta's maskTrailingDash).
    const prefix = generateName.endsWith("-") ? generateName.slice(0, -1) : generateName;
    if (prefix) at.at("generateName").invalidEach(generateName, nameCheck(prefix));
  } else if (!name) {
    at.at("name").required("name or generateName is required");
  } else {
    at.at("name").invalidEach(name, nameCheck(name));
  }
  const namespace = stringAt(meta.namespace);
  if (namespaced && namespace)
    at.at("namespace").invalidEach(namespace, dns1123LabelErrors(namespace));
  checkLabels(meta.labels, at.at("labels"));
  checkAnnotations(meta.annotations, at.at("annotations"));
}

/** The metadata of a pod template: only labels and annotations matter (ValidateTemplateObjectMeta). */
export function checkTemplateMeta(metadata: unknown, at: Field): void {
  // The server names these `spec.template.labels`, without `metadata`.
  const meta = objectAt(metadata) ?? {};
  checkLabels(meta.labels, at.at("labels"));
  checkAnnotations(meta.annotations, at.at("annotations"));
}

/** ValidateLabelSelector: matchLabels as labels, matchExpressions by operator. */
export function checkLabelSelector(selector: unknown, at: Field): void {
  if (!isObject(selector)) return;
  checkLabels(selector.matchLabels, at.at("matchLabels"));
  listAt(selector.matchExpressions).forEach((raw, i) => {
    const e = objectAt(raw);
    if (!e) return;
    const here = at.at("matchExpressions", i);
    const values = listAt(e.values);
    const op = e.operator;
    if (op === "In" || op === "NotIn") {
      if (values.length === 0)
        here.at("values").required("must be specified when `operator` is 'In' or 'NotIn'");
    } else if (op === "Exists" || op === "DoesNotExist") {
      if (values.length > 0)
        here
          .at("values")
          .forbidden("may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
    } else if (typeof op === "string") {
      here.at("operator").invalid(op, "not a valid selector operator");
    }
    if (typeof e.key === "string") here.at("key").invalidEach(e.key, qualifiedNameErrors(e.key));
    values.forEach((v, j) => {
      if (typeof v === "string") here.at("values", j).invalidEach(v, labelValueErrors(v));
    });
  });
}

/** Whether a label selector selects objects with these labels (an empty selector selects all). */
export function selectorMatches(selector: Obj, labels: Record<string, unknown>): boolean {
  const matchLabels = objectAt(selector.matchLabels) ?? {};
  for (const [k, v] of Object.entries(matchLabels)) if (labels[k] !== v) return false;
  for (const raw of listAt(selector.matchExpressions)) {
    const e = objectAt(raw);
    if (!e || typeof e.key !== "string") continue;
    const has = Object.hasOwn(labels, e.key);
    const values = listAt(e.values);
    const value = labels[e.key];
    switch (e.operator) {
      case "In":
        if (!has || !values.includes(value)) return false;
        break;
      case "NotIn":
        if (has && values.includes(value)) return false;
        break;
      case "Exists":
        if (!has) return false;
        break;
      case "DoesNotExist":
        if (has) return false;
        break;
    }
  }
  return true;
}

/** Whether a selector has no requirement at all (the server refuses those for workloads). */
export function selectorIsEmpty(selector: Obj): boolean {
  return (
    Object.keys(objectAt(selector.matchLabels) ?? {}).length === 0 &&
    listAt(selector.matchExpressions).length === 0
  );
}

export const nameIsDnsSubdomain: NameCheck = dns1123SubdomainErrors;
export const nameIsDnsLabel: NameCheck = dns1123LabelErrors;
