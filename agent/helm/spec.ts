// A HelmRelease read into one shape, with Flux's defaults filled in, whichever API it
// was written in: helm.toolkit.fluxcd.io/v2 (and v2beta1/v2beta2, same fields) or Flux
// v1's helm.fluxcd.io/v1. Pure: what the agent does with a release depends only on
// this, the chart, the values and what Helm reports.
import { createHash } from "node:crypto";
import {
  type CommonMetadata,
  type PostRenderer,
  readPostRenderSpec,
} from "../../shared/charts/postrender.ts";
import {
  type ChartReference,
  chartReferenceOf,
  HELM_RELEASE_V1,
} from "../../shared/charts/reference.ts";
import type { KubeObject, ObjectRef } from "../../shared/manifests/object.ts";
import { ConfigError, parseDuration } from "../config.ts";

export type CrdPolicy = "Skip" | "Create" | "CreateReplace";
export type DriftMode = "enabled" | "warn" | "disabled";

export interface ValuesReference {
  kind: "ConfigMap" | "Secret";
  name: string;
  valuesKey: string;
  targetPath?: string | undefined;
  optional: boolean;
}

export interface DriftIgnoreRule {
  /** JSON pointers. */
  paths: string[];
  /** Flux's kustomize Selector: regular expressions and label selector expressions. */
  target?: Partial<Record<(typeof DRIFT_TARGET_FIELDS)[number], string>> | undefined;
}

const DRIFT_TARGET_FIELDS = [
  "group",
  "version",
  "kind",
  "name",
  "namespace",
  "labelSelector",
  "annotationSelector",
] as const;

export interface ReleaseSpec {
  ref: ObjectRef;
  /** The HelmRelease's own namespace and name. */
  namespace: string;
  name: string;
  generation: number;
  releaseName: string;
  /** Where the chart's objects go and where Helm stores the release (see storageNamespace). */
  releaseNamespace: string;
  chart: ChartReference;
  values: Record<string, unknown>;
  valuesFrom: ValuesReference[];
  install: {
    createNamespace: boolean;
    crds: CrdPolicy;
    retries: number;
    remediateLastFailure: boolean;
    /** `strategy.name: RetryOnFailure`: no remediation, no retry limit. */
    retryOnFailure: boolean;
    /** RetryOnFailure's `strategy.retryInterval`: the wait after a failed attempt (5m). */
    retryIntervalMs: number;
    /** Helm's `--replace`: reuse the name of a release uninstalled with its history kept. */
    replace: boolean;
    disableWait: boolean;
    /** Helm's `--wait-for-jobs` (with `--wait`): Flux waits for Jobs unless disabled. */
    disableWaitForJobs: boolean;
    disableHooks: boolean;
    /** Helm's `--take-ownership`: Flux adopts existing objects unless disabled. */
    disableTakeOwnership: boolean;
    /** `install.timeout`, else `spec.timeout`. */
    timeoutMs: number;
  };
  upgrade: {
    crds: CrdPolicy;
    retries: number;
    remediateLastFailure: boolean;
    strategy: "rollback" | "uninstall";
    retryOnFailure: boolean;
    retryIntervalMs: number;
    force: boolean;
    cleanupOnFail: boolean;
    disableWait: boolean;
    disableWaitForJobs: boolean;
    disableHooks: boolean;
    disableTakeOwnership: boolean;
    /** Helm's `--reuse-values` instead of `--reset-values`: the last release's values stay. */
    preserveValues: boolean;
    /** `upgrade.timeout`, else `spec.timeout`. */
    timeoutMs: number;
  };
  /** Options of every rollback (remediation and recovery), Flux's `spec.rollback`. */
  rollback: {
    disableWait: boolean;
    disableWaitForJobs: boolean;
    disableHooks: boolean;
    /** Helm's `--recreate-pods`. */
    recreate: boolean;
    force: boolean;
    cleanupOnFail: boolean;
    /** `rollback.timeout`, else `spec.timeout`. */
    timeoutMs: number;
  };
  uninstall: {
    keepHistory: boolean;
    disableHooks: boolean;
    disableWait: boolean;
    deletionPropagation: string;
    /** `uninstall.timeout`, else `spec.timeout`: for every uninstall, as helm-controller. */
    timeoutMs: number;
  };
  /** `spec.timeout`: the default of every action's timeout. */
  timeoutMs: number;
  maxHistory: number;
  /** `readyExpr`: Flux's CEL check in place of the Ready one (agent/flux/depends.ts). */
  dependsOn: { namespace: string; name: string; readyExpr?: string }[];
  suspend: boolean;
  postRenderers: PostRenderer[];
  /** Undefined when the HelmRelease has none (always for Flux v1's). */
  commonMetadata: CommonMetadata | undefined;
  drift: { mode: DriftMode; ignore: DriftIgnoreRule[] };
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const asObj = (v: unknown): Obj => (isObj(v) ? v : {});
const asArr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
const num = (v: unknown, d: number): number =>
  typeof v === "number" && Number.isFinite(v) ? v : d;

/**
 * Flux's default release name: `[<targetNamespace>-]<name>`, shortened past 53
 * characters to its first 40, a dash and 12 hex of its sha256.
 */
export function defaultReleaseName(name: string, targetNamespace?: string): string {
  const full = targetNamespace ? `${targetNamespace}-${name}` : name;
  if (full.length <= 53) return full;
  return `${full.slice(0, 40)}-${createHash("sha256").update(full).digest("hex").slice(0, 12)}`;
}

function crdPolicy(v: unknown, fallback: CrdPolicy, where: string): CrdPolicy {
  if (v === undefined) return fallback;
  if (v === "Skip" || v === "Create" || v === "CreateReplace") return v;
  throw new ConfigError(`${where}: crds must be Skip, Create or CreateReplace, not ${String(v)}`);
}

function remediation(
  raw: unknown,
  action: "install" | "upgrade",
): {
  retries: number;
  remediateLastFailure: boolean;
  strategy: "rollback" | "uninstall";
} {
  const r = asObj(raw);
  const retries = num(r.retries, 0);
  return {
    // A negative count retries forever, as in Flux.
    retries: retries < 0 ? Number.POSITIVE_INFINITY : retries,
    // Flux keeps a last failed install for debugging unless told otherwise; an upgrade's
    // last failure is remediated by default when retries were asked for.
    remediateLastFailure:
      typeof r.remediateLastFailure === "boolean"
        ? r.remediateLastFailure
        : action === "upgrade" && retries > 0,
    strategy: r.strategy === "uninstall" ? "uninstall" : "rollback",
  };
}

/** An action's own `timeout` (install, upgrade, rollback, uninstall), else spec.timeout. */
function actionTimeout(raw: Obj, fallbackMs: number, where: string): number {
  const text = str(raw.timeout);
  return text ? parseDuration(text, where) : fallbackMs;
}

/**
 * Flux 2.7's `install.strategy`/`upgrade.strategy` `{name, retryInterval}`:
 * RemediateOnFailure (the default) or RetryOnFailure, which tries a failed release
 * again once `retryInterval` (default 5m) has passed since the failed attempt.
 */
function strategy(
  raw: unknown,
  where: string,
): { retryOnFailure: boolean; retryIntervalMs: number } {
  const s = asObj(raw);
  const name = s.name ?? "RemediateOnFailure";
  if (name !== "RemediateOnFailure" && name !== "RetryOnFailure")
    throw new ConfigError(
      `${where}.strategy.name must be RemediateOnFailure or RetryOnFailure, not ${String(name)}`,
    );
  const interval = str(s.retryInterval);
  // Flux's CEL rule: retryInterval cannot be used with RemediateOnFailure.
  if (interval && name !== "RetryOnFailure")
    throw new ConfigError(`${where}.strategy.retryInterval can only be used with RetryOnFailure`);
  return {
    retryOnFailure: name === "RetryOnFailure",
    retryIntervalMs: interval
      ? parseDuration(interval, `${where}.strategy.retryInterval`)
      : 300_000,
  };
}

/**
 * The remote cluster `spec.kubeConfig` names (its Secret or ConfigMap, as text), or
 * undefined for the agent's own cluster. Tether's Helm step serves its own cluster only,
 * so a release meant for another is neither made nor removed here. Pure.
 */
export function remoteClusterOf(object: KubeObject): string | undefined {
  const ref = (object.spec as Obj | undefined)?.kubeConfig;
  if (ref === undefined || ref === null) return undefined;
  const namespace = object.metadata.namespace ?? "default";
  const named = (field: string, kind: string) => {
    const name = ((ref as Obj)[field] as Obj | undefined)?.name;
    return typeof name === "string" ? `${kind} '${namespace}/${name}'` : undefined;
  };
  return (
    named("secretRef", "kubeconfig Secret") ??
    named("configMapRef", "ConfigMap") ??
    "spec.kubeConfig"
  );
}

/** Why a HelmRelease for a remote cluster does nothing here; `done` what was not done. */
export function remoteClusterRefusal(where: string, done: string): string {
  return `spec.kubeConfig (a remote cluster) is not served by Tether: ${done} on this cluster (${where}); run Flux's helm-controller for it, or remove spec.kubeConfig to release on this cluster`;
}

/** The spec of a HelmRelease object (v2 or Flux v1); throws ConfigError or ChartError. */
export function readReleaseSpec(object: KubeObject): ReleaseSpec {
  const namespace = object.metadata.namespace ?? "default";
  const name = object.metadata.name;
  const where = `HelmRelease ${namespace}/${name}`;
  const spec = asObj(object.spec);
  const v1 = object.apiVersion.startsWith(`${HELM_RELEASE_V1}/`);
  const targetNamespace = str(spec.targetNamespace);
  const storageNamespace = str(spec.storageNamespace);
  const releaseNamespace = targetNamespace ?? namespace;
  // Tether deliberately differs from Flux here: the helm CLI stores a release in the
  // namespace it deploys to (there is no flag to separate them), so a storageNamespace
  // other than the target is refused instead of silently ignored. See README.
  if (storageNamespace && storageNamespace !== releaseNamespace) {
    throw new ConfigError(
      `${where}: storageNamespace ${storageNamespace} differs from the target namespace ${releaseNamespace}; Tether releases through the helm CLI, which stores a release where it deploys it`,
    );
  }
  const install = asObj(spec.install);
  const upgrade = asObj(spec.upgrade);
  const uninstall = asObj(spec.uninstall);
  const rollback = asObj(spec.rollback);
  const installStrategy = strategy(install.strategy, `${where}: install`);
  const upgradeStrategy = strategy(upgrade.strategy, `${where}: upgrade`);
  const installRem = remediation(install.remediation, "install");
  const upgradeRem = remediation(upgrade.remediation, "upgrade");
  const timeoutText = str(spec.timeout);
  const timeoutMs = v1
    ? num(spec.timeout, 300) * 1000
    : timeoutText
      ? parseDuration(timeoutText, `${where}: spec.timeout`)
      : 300_000;
  // Flux v1 HelmReleases have no per-action timeouts, Job waiting or rollback options
  // here: every action uses spec.timeout and waits (for Pods only) as spec.wait says.
  const ownTimeout = (raw: Obj, field: string) =>
    v1 ? timeoutMs : actionTimeout(raw, timeoutMs, `${where}: spec.${field}.timeout`);
  const valuesFrom: ValuesReference[] = [];
  for (const [i, raw] of asArr(spec.valuesFrom).entries()) {
    const r = asObj(raw);
    if (v1) {
      // Flux v1: configMapKeyRef / secretKeyRef with name, key, optional.
      const cm = asObj(r.configMapKeyRef);
      const sec = asObj(r.secretKeyRef);
      const ref = str(cm.name) ? cm : sec;
      if (!str(ref.name)) continue;
      valuesFrom.push({
        kind: str(cm.name) ? "ConfigMap" : "Secret",
        name: ref.name as string,
        valuesKey: str(ref.key) ?? "values.yaml",
        optional: ref.optional === true,
      });
      continue;
    }
    const kind = r.kind;
    if (kind !== "ConfigMap" && kind !== "Secret")
      throw new ConfigError(`${where}: valuesFrom[${i}].kind must be ConfigMap or Secret`);
    if (!str(r.name)) throw new ConfigError(`${where}: valuesFrom[${i}].name is required`);
    valuesFrom.push({
      kind,
      name: r.name as string,
      valuesKey: str(r.valuesKey) ?? "values.yaml",
      targetPath: str(r.targetPath),
      optional: r.optional === true,
    });
  }
  // postRenderers and commonMetadata (none for Flux v1), read as validate reads them.
  const { postRenderers, commonMetadata } = readPostRenderSpec(
    object,
    (message) => new ConfigError(message),
  );
  const drift = asObj(spec.driftDetection);
  const mode = drift.mode === "enabled" || drift.mode === "warn" ? drift.mode : "disabled";
  return {
    ref: { apiVersion: object.apiVersion, kind: "HelmRelease", namespace, name },
    namespace,
    name,
    generation: num(object.metadata.generation, 0),
    releaseName:
      str(spec.releaseName) ??
      (v1 ? `${namespace}-${name}` : defaultReleaseName(name, targetNamespace)),
    releaseNamespace,
    chart: chartReferenceOf(object),
    values: asObj(spec.values),
    valuesFrom,
    install: {
      createNamespace: install.createNamespace === true,
      crds: crdPolicy(
        install.crds,
        v1 && spec.skipCRDs === true ? "Skip" : "Create",
        `${where}: install`,
      ),
      retries: installRem.retries,
      remediateLastFailure: installRem.remediateLastFailure,
      ...installStrategy,
      replace: install.replace === true,
      disableWait: install.disableWait === true || (v1 && spec.wait !== true),
      disableWaitForJobs: install.disableWaitForJobs === true || v1,
      disableHooks: install.disableHooks === true,
      disableTakeOwnership: install.disableTakeOwnership === true,
      timeoutMs: ownTimeout(install, "install"),
    },
    upgrade: {
      crds: crdPolicy(upgrade.crds, "Skip", `${where}: upgrade`),
      retries: v1 && rollback.enable === true ? 0 : upgradeRem.retries,
      remediateLastFailure: v1 ? rollback.enable === true : upgradeRem.remediateLastFailure,
      strategy: upgradeRem.strategy,
      ...upgradeStrategy,
      force: upgrade.force === true,
      cleanupOnFail: upgrade.cleanupOnFail === true,
      disableWait: upgrade.disableWait === true || (v1 && spec.wait !== true),
      disableWaitForJobs: upgrade.disableWaitForJobs === true || v1,
      disableHooks: upgrade.disableHooks === true,
      disableTakeOwnership: upgrade.disableTakeOwnership === true,
      preserveValues: upgrade.preserveValues === true,
      timeoutMs: ownTimeout(upgrade, "upgrade"),
    },
    rollback: v1
      ? {
          disableWait: spec.wait !== true,
          disableWaitForJobs: true,
          disableHooks: false,
          recreate: false,
          force: false,
          cleanupOnFail: false,
          timeoutMs,
        }
      : {
          disableWait: rollback.disableWait === true,
          disableWaitForJobs: rollback.disableWaitForJobs === true,
          disableHooks: rollback.disableHooks === true,
          recreate: rollback.recreate === true,
          force: rollback.force === true,
          cleanupOnFail: rollback.cleanupOnFail === true,
          timeoutMs: ownTimeout(rollback, "rollback"),
        },
    uninstall: {
      keepHistory: uninstall.keepHistory === true,
      disableHooks: uninstall.disableHooks === true,
      disableWait: uninstall.disableWait === true,
      deletionPropagation: str(uninstall.deletionPropagation) ?? "background",
      timeoutMs: actionTimeout(uninstall, timeoutMs, `${where}: spec.uninstall.timeout`),
    },
    timeoutMs,
    maxHistory: num(spec.maxHistory, 5),
    dependsOn: asArr(spec.dependsOn).flatMap((d) => {
      const o = asObj(d);
      return str(o.name)
        ? [
            {
              namespace: str(o.namespace) ?? namespace,
              name: o.name as string,
              ...(str(o.readyExpr) ? { readyExpr: o.readyExpr as string } : {}),
            },
          ]
        : [];
    }),
    suspend: spec.suspend === true,
    postRenderers,
    commonMetadata,
    drift: {
      mode,
      ignore: asArr(drift.ignore).map((r) => {
        const o = asObj(r);
        const t = asObj(o.target);
        // An empty field selects everything in Flux: left out, as is an empty target.
        const target = Object.fromEntries(
          DRIFT_TARGET_FIELDS.flatMap((f) => (str(t[f]) ? [[f, t[f] as string]] : [])),
        );
        return {
          paths: asArr(o.paths).map(String),
          ...(Object.keys(target).length > 0 ? { target } : {}),
        };
      }),
    },
  };
}
