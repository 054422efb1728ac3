// Autoscaling and disruption budgets. Mirrors k8s.io/kubernetes pkg/apis/autoscaling/
// validation (ValidateHorizontalPodAutoscaler, validateHorizontalPodAutoscalerSpec,
// ValidateCrossVersionObjectReference, validateMetrics) and pkg/apis/policy/validation
// (ValidatePodDisruptionBudgetSpec).
import { type Field, intAt, isObject, listAt, type Obj, objectAt, stringAt } from "./field.ts";
import { checkLabelSelector } from "./meta.ts";
import { checkQuantity } from "./pod.ts";
import { pathSegmentErrors, percentOf } from "./syntax.ts";

const METRIC_SOURCES: Record<string, string> = {
  Object: "object",
  Pods: "pods",
  Resource: "resource",
  External: "external",
  ContainerResource: "containerResource",
};
const TARGET_TYPES = ["Utilization", "Value", "AverageValue"];

function checkMetricTarget(target: unknown, at: Field): void {
  const t = objectAt(target);
  if (!t) return;
  if (!stringAt(t.type)) at.at("type").required("must specify a metric target type");
  else at.at("type").oneOf(t.type, TARGET_TYPES);
  const utilization = intAt(t.averageUtilization);
  if (utilization !== undefined && utilization <= 0)
    at.at("averageUtilization").invalid(utilization, "must be greater than 0");
  for (const field of ["value", "averageValue"]) {
    const q = checkQuantity(t[field], at.at(field));
    if (q !== undefined && q <= 0) at.at(field).invalid(t[field], "must be positive");
  }
  if (t.type === "Utilization" && utilization === undefined)
    at.at("averageUtilization").required(
      "must set either a target raw value or a target utilization",
    );
  if (t.type === "Value" && t.value === undefined)
    at.at("value").required("must set either a target value for metric or a per-pod target");
  if (t.type === "AverageValue" && t.averageValue === undefined)
    at.at("averageValue").required("must set either a target value for metric or a per-pod target");
}

export function checkHorizontalPodAutoscaler(object: Obj, at: Field): void {
  const spec = objectAt(object.spec);
  if (!spec) return;
  const here = at.at("spec");
  const ref = objectAt(spec.scaleTargetRef) ?? {};
  const kind = stringAt(ref.kind);
  if (!kind) here.at("scaleTargetRef", "kind").required();
  else here.at("scaleTargetRef", "kind").invalidEach(kind, pathSegmentErrors(kind));
  const name = stringAt(ref.name);
  if (!name) here.at("scaleTargetRef", "name").required();
  else here.at("scaleTargetRef", "name").invalidEach(name, pathSegmentErrors(name));
  const min = intAt(spec.minReplicas);
  const max = intAt(spec.maxReplicas);
  if (min !== undefined && min < 1)
    here.at("minReplicas").invalid(min, "must be greater than or equal to 1");
  if (max !== undefined && max < 1) here.at("maxReplicas").invalid(max, "must be greater than 0");
  else if (max !== undefined && min !== undefined && max < min)
    here.at("maxReplicas").invalid(max, "must be greater than or equal to `minReplicas`");
  listAt(spec.metrics).forEach((raw, i) => {
    const metric = objectAt(raw);
    if (!metric) return;
    const m = here.at("metrics", i);
    const type = stringAt(metric.type);
    if (!type) {
      m.at("type").required("must specify a metric source type");
      return;
    }
    const source = METRIC_SOURCES[type];
    if (!source) {
      m.at("type").unsupported(type, Object.keys(METRIC_SOURCES));
      return;
    }
    const populated = Object.values(METRIC_SOURCES).filter((s) => isObject(metric[s]));
    if (!populated.includes(source))
      m.at(source).required("must populate information for the given metric source");
    if (populated.length > 1) m.at("type").forbidden("must populate the given metric source only");
    const body = objectAt(metric[source]);
    if (body) checkMetricTarget(body.target, m.at(source, "target"));
  });
}

function checkIntOrPercent(value: unknown, at: Field): void {
  if (typeof value === "number") at.atLeast(value, 0);
  else if (typeof value === "string") {
    const percent = percentOf(value);
    if (percent === undefined)
      at.invalid(
        value,
        "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
      );
    else if (percent > 100) at.invalid(value, "must not be greater than 100%");
  }
}

export function checkPodDisruptionBudget(object: Obj, at: Field): void {
  const spec = objectAt(object.spec);
  if (!spec) return;
  const here = at.at("spec");
  const hasMin = spec.minAvailable !== undefined && spec.minAvailable !== null;
  const hasMax = spec.maxUnavailable !== undefined && spec.maxUnavailable !== null;
  if (hasMin && hasMax) here.invalid(spec, "minAvailable and maxUnavailable cannot be both set");
  checkIntOrPercent(spec.minAvailable, here.at("minAvailable"));
  checkIntOrPercent(spec.maxUnavailable, here.at("maxUnavailable"));
  checkLabelSelector(spec.selector, here.at("selector"));
  here
    .at("unhealthyPodEvictionPolicy")
    .oneOf(spec.unhealthyPodEvictionPolicy, ["IfHealthyBudget", "AlwaysAllow"]);
}
