// Workload kinds: their pod template, selector and rollout settings. Mirrors
// k8s.io/kubernetes pkg/apis/apps/validation (ValidateDeploymentSpec,
// ValidateStatefulSetSpec, ValidateDaemonSetSpec, ValidateReplicaSetSpec,
// ValidatePodTemplateSpecForReplicaSet, ValidateRollingUpdateDeployment),
// pkg/apis/batch/validation (ValidateJob, validateJobSpec, ValidateCronJobCreate,
// validateScheduleFormat) and pkg/apis/core/validation (ValidatePod,
// ValidateReplicationController, ValidatePodTemplate).
import { cronScheduleError } from "./cron.ts";
import { type Field, intAt, isObject, listAt, type Obj, objectAt, stringAt } from "./field.ts";
import { checkLabelSelector, checkTemplateMeta, selectorIsEmpty, selectorMatches } from "./meta.ts";
import { checkPodSpec } from "./pod.ts";
import { checkPvcSpec } from "./storage.ts";
import { labelValueErrors, maxLenError, percentOf } from "./syntax.ts";

/** A pod template: its labels and annotations, then its pod spec. */
function checkPodTemplate(template: unknown, at: Field, restartPolicies?: readonly string[]): Obj {
  const t = objectAt(template) ?? {};
  checkTemplateMeta(t.metadata, at.through("metadata"));
  checkPodSpec(t.spec, at.at("spec"), restartPolicies);
  return t;
}

function templateLabels(template: Obj): Record<string, unknown> {
  return objectAt(objectAt(template.metadata)?.labels) ?? {};
}

/**
 * The selector of a Deployment, ReplicaSet, StatefulSet or DaemonSet: set, not empty,
 * valid, and selecting the template's own labels.
 */
function checkSelectorAndTemplate(spec: Obj, at: Field, kind: string): void {
  const selector = objectAt(spec.selector);
  if (selector) {
    checkLabelSelector(selector, at.at("selector"));
    if (selectorIsEmpty(selector))
      at.at("selector").invalid(selector, `empty selector is invalid for ${kind}`);
  }
  // ValidatePodTemplateSpecForReplicaSet: Always is the only restart policy.
  const template = checkPodTemplate(spec.template, at.at("template"), ["Always"]);
  if (selector && !selectorIsEmpty(selector) && isObject(spec.template)) {
    const labels = templateLabels(template);
    if (!selectorMatches(selector, labels))
      at.at("template", "metadata", "labels").invalid(
        labels,
        "`selector` does not match template `labels`",
      );
  }
  const podSpec = objectAt(template.spec);
  if (
    podSpec &&
    podSpec.activeDeadlineSeconds !== undefined &&
    podSpec.activeDeadlineSeconds !== null
  )
    at.at("template", "spec", "activeDeadlineSeconds").forbidden(
      `activeDeadlineSeconds in ${kind === "statefulset" || kind === "daemonset" ? kind : "ReplicaSet"} is not Supported`,
    );
}

/** maxUnavailable / maxSurge: a non-negative integer or a percentage. */
function checkIntOrPercent(value: unknown, at: Field, maxPercent?: number): number | undefined {
  if (typeof value === "number") {
    at.atLeast(value, 0);
    return value;
  }
  if (typeof value !== "string") return undefined;
  const percent = percentOf(value);
  if (percent === undefined) {
    at.invalid(
      value,
      "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
    );
    return undefined;
  }
  if (maxPercent !== undefined && percent > maxPercent)
    at.invalid(value, `must not be greater than ${maxPercent}%`);
  return percent;
}

/** ValidateRollingUpdateDeployment (also the DaemonSet's, which allows the same two fields). */
function checkRollingUpdate(rolling: unknown, at: Field): void {
  const r = objectAt(rolling);
  if (!r) return;
  const unavailable = checkIntOrPercent(r.maxUnavailable, at.at("maxUnavailable"), 100);
  const surge = checkIntOrPercent(r.maxSurge, at.at("maxSurge"));
  if (unavailable === 0 && surge === 0)
    at.at("maxUnavailable").invalid(r.maxUnavailable, "may not be 0 when `maxSurge` is 0");
}

function checkReplicaCounts(spec: Obj, at: Field): void {
  for (const field of ["replicas", "minReadySeconds", "revisionHistoryLimit"])
    at.at(field).atLeast(spec[field], 0);
}

export function checkDeployment(object: Obj, at: Field): void {
  const spec = objectAt(object.spec);
  if (!spec) return;
  const here = at.at("spec");
  checkReplicaCounts(spec, here);
  checkSelectorAndTemplate(spec, here, "deployment");
  const strategy = objectAt(spec.strategy);
  if (strategy) {
    here.at("strategy").entry("type").oneOf(strategy.type, ["Recreate", "RollingUpdate"]);
    if (strategy.type === "Recreate" && isObject(strategy.rollingUpdate))
      here
        .at("strategy", "rollingUpdate")
        .forbidden("may not be specified when strategy `type` is 'Recreate'");
    else checkRollingUpdate(strategy.rollingUpdate, here.at("strategy", "rollingUpdate"));
  }
  const deadline = intAt(spec.progressDeadlineSeconds);
  const minReady = intAt(spec.minReadySeconds) ?? 0;
  if (deadline !== undefined) {
    here.at("progressDeadlineSeconds").atLeast(deadline, 0);
    if (deadline >= 0 && deadline <= minReady)
      here.at("progressDeadlineSeconds").invalid(deadline, "must be greater than minReadySeconds");
  }
}

export function checkReplicaSet(object: Obj, at: Field): void {
  const spec = objectAt(object.spec);
  if (!spec) return;
  checkReplicaCounts(spec, at.at("spec"));
  checkSelectorAndTemplate(spec, at.at("spec"), "replicaset");
}

export function checkStatefulSet(object: Obj, at: Field): void {
  const spec = objectAt(object.spec);
  if (!spec) return;
  const here = at.at("spec");
  checkReplicaCounts(spec, here);
  here.at("podManagementPolicy").oneOf(spec.podManagementPolicy, ["OrderedReady", "Parallel"]);
  const strategy = objectAt(spec.updateStrategy);
  if (strategy) {
    if (typeof strategy.type === "string" && !["RollingUpdate", "OnDelete"].includes(strategy.type))
      here
        .at("updateStrategy")
        .entry("type")
        .invalid(strategy.type, "must be 'RollingUpdate' or 'OnDelete'");
    if (strategy.type === "OnDelete" && isObject(strategy.rollingUpdate))
      here
        .at("updateStrategy", "rollingUpdate")
        .forbidden("only allowed for updateStrategy 'RollingUpdate'");
    const rolling = objectAt(strategy.rollingUpdate);
    if (rolling) {
      here.at("updateStrategy", "rollingUpdate", "partition").atLeast(rolling.partition, 0);
      const unavailable = checkIntOrPercent(
        rolling.maxUnavailable,
        here.at("updateStrategy", "rollingUpdate", "maxUnavailable"),
        100,
      );
      if (unavailable === 0)
        here
          .at("updateStrategy", "rollingUpdate", "maxUnavailable")
          .invalid(rolling.maxUnavailable, "must be greater than 0");
    }
  }
  const retention = objectAt(spec.persistentVolumeClaimRetentionPolicy);
  if (retention) {
    for (const field of ["whenDeleted", "whenScaled"])
      here
        .at("persistentVolumeClaimRetentionPolicy", field)
        .oneOf(retention[field], ["Retain", "Delete"]);
  }
  checkSelectorAndTemplate(spec, here, "statefulset");
  listAt(spec.volumeClaimTemplates).forEach((raw, i) => {
    const claim = objectAt(raw);
    if (claim) checkPvcSpec(claim.spec, here.at("volumeClaimTemplates", i, "spec"), true);
  });
}

export function checkDaemonSet(object: Obj, at: Field): void {
  const spec = objectAt(object.spec);
  if (!spec) return;
  const here = at.at("spec");
  for (const field of ["minReadySeconds", "revisionHistoryLimit"])
    here.at(field).atLeast(spec[field], 0);
  checkSelectorAndTemplate(spec, here, "daemonset");
  const strategy = objectAt(spec.updateStrategy);
  if (strategy) {
    here.at("updateStrategy").entry("type").oneOf(strategy.type, ["RollingUpdate", "OnDelete"]);
    if (strategy.type !== "OnDelete") {
      const r = objectAt(strategy.rollingUpdate);
      if (r) {
        const unavailable = checkIntOrPercent(
          r.maxUnavailable,
          here.at("updateStrategy", "rollingUpdate", "maxUnavailable"),
          100,
        );
        const surge = checkIntOrPercent(
          r.maxSurge,
          here.at("updateStrategy", "rollingUpdate", "maxSurge"),
          100,
        );
        if (unavailable === 0 && (surge ?? 0) === 0)
          here
            .at("updateStrategy", "rollingUpdate", "maxUnavailable")
            .invalid(r.maxUnavailable, "may not be 0 when `maxSurge` is 0");
      }
    }
  }
}

export function checkReplicationController(object: Obj, at: Field): void {
  const spec = objectAt(object.spec);
  if (!spec) return;
  const here = at.at("spec");
  checkReplicaCounts(spec, here);
  const template = checkPodTemplate(spec.template, here.at("template"), ["Always"]);
  const selector = objectAt(spec.selector);
  if (selector && Object.keys(selector).length > 0) {
    const labels = templateLabels(template);
    if (Object.entries(selector).some(([k, v]) => labels[k] !== v))
      here
        .at("template", "metadata", "labels")
        .invalid(labels, "`selector` does not match template `labels`");
  }
}

export function checkPod(object: Obj, at: Field): void {
  checkPodSpec(object.spec, at.at("spec"));
}

export function checkPodTemplateKind(object: Obj, at: Field): void {
  checkPodTemplate(object.template, at.at("template"));
}

const JOB_RESTART = ["OnFailure", "Never"];

/** validateJobSpec, shared by a Job and a CronJob's jobTemplate. */
function checkJobSpec(spec: Obj, at: Field, inCronJob: boolean): void {
  for (const field of ["parallelism", "completions", "backoffLimit", "ttlSecondsAfterFinished"])
    at.at(field).atLeast(spec[field], 0);
  at.at("activeDeadlineSeconds").atLeast(spec.activeDeadlineSeconds, 0);
  at.at("completionMode").oneOf(spec.completionMode, ["NonIndexed", "Indexed"]);
  const selector = objectAt(spec.selector);
  const template = checkPodTemplate(spec.template, at.at("template"), JOB_RESTART);
  if (inCronJob) {
    if (spec.manualSelector === true) at.at("manualSelector").unsupported(true, []);
    if (selector) at.at("selector").invalid(selector, "`selector` will be auto-generated");
  } else if (spec.manualSelector === true) {
    if (!selector) at.at("selector").required();
    else {
      checkLabelSelector(selector, at.at("selector"));
      if (!selectorMatches(selector, templateLabels(template)))
        at.at("template", "metadata", "labels").invalid(
          templateLabels(template),
          "`selector` does not match template `labels`",
        );
    }
  } else if (selector) {
    // The server generates the selector from the Job's uid; a given one cannot carry it.
    at.at("selector").invalid(selector, "`selector` not auto-generated");
  }
}

export function checkJob(object: Obj, at: Field): void {
  // The server labels the pods with the Job's name (batch.kubernetes.io/job-name), a
  // label value: 63 characters at most.
  const name = stringAt(objectAt(object.metadata)?.name);
  if (name && name.length > 63 && labelValueErrors(name).length > 0)
    at.at("metadata", "name").named("spec.template.labels").invalid(name, maxLenError(63));
  const spec = objectAt(object.spec);
  if (spec) checkJobSpec(spec, at.at("spec"), false);
}

export function checkCronJob(object: Obj, at: Field): void {
  const name = stringAt(objectAt(object.metadata)?.name);
  // ValidateCronJobCreate: Job names get an 11-character suffix and must stay labels.
  if (name && name.length > 52) at.at("metadata", "name").invalid(name, maxLenError(52));
  const spec = objectAt(object.spec);
  if (!spec) return;
  const here = at.at("spec");
  const schedule = stringAt(spec.schedule);
  if (schedule === undefined || schedule === "") here.at("schedule").required();
  else {
    if (/^\s*(CRON_)?TZ=/.test(schedule))
      here
        .at("schedule")
        .invalid(schedule, "cannot use TZ or CRON_TZ in schedule, use timeZone field instead");
    else {
      const error = cronScheduleError(schedule);
      if (error) here.at("schedule").invalid(schedule, error);
    }
  }
  here.at("concurrencyPolicy").oneOf(spec.concurrencyPolicy, ["Allow", "Forbid", "Replace"]);
  for (const field of [
    "startingDeadlineSeconds",
    "successfulJobsHistoryLimit",
    "failedJobsHistoryLimit",
  ])
    here.at(field).atLeast(spec[field], 0);
  const timeZone = stringAt(spec.timeZone);
  if (timeZone !== undefined && !validTimeZone(timeZone))
    here.at("timeZone").invalid(timeZone, `unknown time zone ${timeZone}`);
  const jobSpec = objectAt(objectAt(spec.jobTemplate)?.spec);
  if (jobSpec) checkJobSpec(jobSpec, here.at("jobTemplate", "spec"), true);
}

let zones: Set<string> | undefined;

/** IANA names as Go's time.LoadLocation knows them (Intl has the same database). */
function validTimeZone(zone: string): boolean {
  if (zone === "" || zone === "Local") return false;
  if (zone === "UTC") return true;
  zones ??= new Set(Intl.supportedValuesOf("timeZone"));
  if (zones.has(zone)) return true;
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
