// Drift detection (spec.driftDetection), as helm-controller does it: each object of
// the release as Helm stored it is applied as a server-side dry run (our field manager,
// forced) and the server's answer compared with the live object. The answer is what a
// correction would leave, in the server's own form, so values it normalises or
// defaults (`cpu: 0.5` stored as `500m`, a port's protocol) are not drift; a field the
// answer holds differently, or an object that is gone, is. Paths in `ignore` rules are
// left out of both sides; an object labelled or annotated
// `helm.toolkit.fluxcd.io/driftDetection: disabled` (in the chart or by hand) is skipped.
// A dry run the server refuses is not drift: the object's state is unknown. In
// `enabled` mode the same object is applied for real, with no new Helm revision, as
// helm-controller corrects drift.
import { isDeepStrictEqual } from "node:util";
import { parseAllDocuments } from "yaml";
import type { KubeClient } from "../../shared/kube/client.ts";
import { describeRef, groupOf, type KubeObject, refOf } from "../../shared/manifests/object.ts";
import { compileGoRegexp } from "../../shared/tagpolicy/goregexp.ts";
import { getManifest, type HelmOptions } from "./cli.ts";
import { HELM_FIELD_MANAGER } from "./crds.ts";
import type { DriftIgnoreRule, ReleaseSpec } from "./spec.ts";

/** Pointers (RFC 6901) where `live` differs from what `desired` sets; pure. */
export function diffPaths(desired: unknown, live: unknown, path = ""): string[] {
  if (typeof desired !== "object" || desired === null) {
    // Numbers may come back as strings and vice versa only in quantities; compare as text.
    return isDeepStrictEqual(desired, live) || String(desired) === String(live)
      ? []
      : [path || "/"];
  }
  if (Array.isArray(desired)) {
    if (!Array.isArray(live) || live.length !== desired.length) return [path || "/"];
    return desired.flatMap((d, i) => diffPaths(d, live[i], `${path}/${i}`));
  }
  if (typeof live !== "object" || live === null || Array.isArray(live)) return [path || "/"];
  return Object.entries(desired as Record<string, unknown>).flatMap(([k, v]) =>
    v === null || v === undefined
      ? []
      : diffPaths(
          v,
          (live as Record<string, unknown>)[k],
          `${path}/${k.replaceAll("~", "~0").replaceAll("/", "~1")}`,
        ),
  );
}

/**
 * Pointers where the dry run's answer differs from the live object; pure. As
 * helm-controller: labels and annotations the answer sets differently (one the live
 * object has besides is not drift: other controllers add them), then everything but
 * metadata and status both ways (a field the answer drops is drift too). `ignore`
 * pointers are removed from both sides first, so an ignored field inside a list or
 * map that differs in size is still ignored.
 */
export function driftPaths(
  live: KubeObject,
  dryRun: KubeObject,
  ignore: readonly string[] = [],
): string[] {
  const was = withoutPaths(comparable(live), ignore);
  const would = withoutPaths(comparable(dryRun), ignore);
  // diffPaths skips what `desired` leaves undefined: here, the other side's metadata.
  const body = (o: Record<string, unknown>) => ({ ...o, metadata: undefined });
  const paths = [
    ...diffPaths({ metadata: would.metadata }, was),
    ...diffPaths(body(would), was),
    ...diffPaths(body(was), would),
  ];
  return [...new Set(paths)];
}

/** The fields drift is judged on: labels, annotations, and all but metadata and status. */
function comparable(object: KubeObject): Record<string, unknown> {
  const { metadata, status: _status, ...rest } = object;
  // An absent map and an empty one are the same map to the server.
  return {
    ...rest,
    metadata: { labels: metadata.labels ?? {}, annotations: metadata.annotations ?? {} },
  };
}

/** A copy of `object` without the values at `pointers` (RFC 6901; missing ones skipped); pure. */
export function withoutPaths<T>(object: T, pointers: readonly string[]): T {
  const copy = structuredClone(object);
  for (const pointer of pointers) {
    const keys = pointer
      .split("/")
      .slice(1)
      .map((k) => k.replaceAll("~1", "/").replaceAll("~0", "~"));
    const last = keys.pop();
    let parent: unknown = copy;
    for (const k of keys) parent = (parent as Record<string, unknown> | undefined)?.[k];
    if (last === undefined || typeof parent !== "object" || parent === null) continue;
    // Removed as a JSON patch `remove` would: a list closes up behind the element.
    if (Array.isArray(parent)) {
      if (/^\d+$/.test(last) && Number(last) < parent.length) parent.splice(Number(last), 1);
    } else delete (parent as Record<string, unknown>)[last];
  }
  return copy;
}

/** One requirement of a label selector expression (`tier in (web,api)`, `!legacy`). */
interface Requirement {
  key: string;
  op: "in" | "notin" | "exists" | "absent" | "gt" | "lt";
  values: string[];
}

const KEY = "[A-Za-z0-9](?:[-A-Za-z0-9_./]*[A-Za-z0-9])?";
const WORD = "[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?";
// A value may be empty after `=`, not in a set (Kubernetes refuses `in ()`).
const VALUE = `(?:${WORD})?`;
const FORMS: [RegExp, (m: string[]) => Requirement][] = [
  [new RegExp(`^!\\s*(${KEY})$`), ([, key]) => ({ key: key as string, op: "absent", values: [] })],
  [new RegExp(`^(${KEY})$`), ([, key]) => ({ key: key as string, op: "exists", values: [] })],
  [
    new RegExp(`^(${KEY})\\s*(==|=|!=)\\s*(${VALUE})$`),
    ([, key, op, value]) => ({
      key: key as string,
      op: op === "!=" ? "notin" : "in",
      values: [value as string],
    }),
  ],
  [
    new RegExp(`^(${KEY})\\s+(in|notin)\\s*\\(\\s*(${WORD}(?:\\s*,\\s*${WORD})*)\\s*\\)$`),
    ([, key, op, list]) => ({
      key: key as string,
      op: op as "in" | "notin",
      values: (list as string).split(",").map((v) => v.trim()),
    }),
  ],
  [
    new RegExp(`^(${KEY})\\s*([<>])\\s*(\\d+)$`),
    ([, key, op, n]) => ({
      key: key as string,
      op: op === ">" ? "gt" : "lt",
      values: [n as string],
    }),
  ],
];

/** A label selector expression as Kubernetes reads it (comma means and); throws if invalid; pure. */
export function parseSelector(expression: string): Requirement[] {
  // Commas inside `in (...)` belong to the set, not between requirements.
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i <= expression.length; i++) {
    const c = expression[i];
    if (c === "(") depth++;
    else if (c === ")") depth--;
    else if ((c === "," && depth === 0) || c === undefined) {
      parts.push(expression.slice(start, i).trim());
      start = i + 1;
    }
  }
  return parts.map((part) => {
    for (const [form, make] of FORMS) {
      const m = form.exec(part);
      if (m) return make(m);
    }
    throw new Error(`invalid selector requirement "${part}" in "${expression}"`);
  });
}

/** Whether `map` (labels or annotations) meets every requirement; pure. */
function meets(requirements: readonly Requirement[], map: Record<string, string> = {}): boolean {
  return requirements.every(({ key, op, values }) => {
    const has = Object.hasOwn(map, key);
    const value = map[key] ?? "";
    switch (op) {
      case "exists":
        return has;
      case "absent":
        return !has;
      case "in":
        return has && values.includes(value);
      case "notin":
        return !has || !values.includes(value);
      default:
        // gt/lt compare integers; a value that is not one never matches.
        return (
          has &&
          /^-?\d+$/.test(value) &&
          (op === "gt" ? Number(value) > Number(values[0]) : Number(value) < Number(values[0]))
        );
    }
  });
}

type Target = NonNullable<DriftIgnoreRule["target"]>;
const PATTERN_FIELDS = ["group", "version", "kind", "name", "namespace"] as const;

/**
 * A test for the objects `target` selects, as Flux's kustomize Selector: group,
 * version, kind, name and namespace are anchored regular expressions, the two
 * selectors label selector expressions, every field set must hold, an empty one is
 * unset. Throws `field: message` when one does not compile; pure.
 */
function compileTarget(target: Target): (object: KubeObject) => boolean {
  const tests: ((object: KubeObject) => boolean)[] = [];
  const at = (field: keyof Target, compile: () => (object: KubeObject) => boolean) => {
    try {
      tests.push(compile());
    } catch (error) {
      throw new Error(`${field}: ${(error as Error).message}`);
    }
  };
  for (const field of PATTERN_FIELDS) {
    const pattern = target[field];
    if (!pattern) continue;
    at(field, () => {
      // Go's RE2, as Flux compiles them: linear time, so a pattern a tenant writes, such
      // as `([a-z0-9]+-?)+`, cannot stall the agent on a long name (JavaScript's RegExp
      // took 19 s on a 30-character one), and Go's syntax (`(?i)`) is read as in Flux.
      const regex = compileGoRegexp(`^(?:${pattern})$`);
      return (object) => regex.test(fieldOf(object, field));
    });
  }
  if (target.labelSelector) {
    const selector = target.labelSelector;
    at("labelSelector", () => {
      const requirements = parseSelector(selector);
      return (object) => meets(requirements, object.metadata.labels);
    });
  }
  if (target.annotationSelector) {
    const selector = target.annotationSelector;
    at("annotationSelector", () => {
      const requirements = parseSelector(selector);
      return (object) => meets(requirements, object.metadata.annotations);
    });
  }
  return (object) => tests.every((test) => test(object));
}

function fieldOf(object: KubeObject, field: (typeof PATTERN_FIELDS)[number]): string {
  if (field === "group") return groupOf(object.apiVersion);
  if (field === "version") return object.apiVersion.split("/").pop() ?? "";
  if (field === "kind") return object.kind;
  return object.metadata[field] ?? "";
}

/** `ignore[i].target.field: message` for each rule whose target does not compile; pure. */
export function ignoreRuleErrors(rules: readonly DriftIgnoreRule[]): string[] {
  return rules.flatMap((rule, i) => {
    try {
      if (rule.target) compileTarget(rule.target);
      return [];
    } catch (error) {
      return [`ignore[${i}].target.${(error as Error).message}`];
    }
  });
}

/** The label or annotation by which an object opts out of drift detection. */
export const DRIFT_DETECTION_KEY = "helm.toolkit.fluxcd.io/driftDetection";

/** Whether `object` opts out: DRIFT_DETECTION_KEY `disabled` (any case), label or annotation; pure. */
export function optedOut(object: KubeObject | undefined): boolean {
  const { labels, annotations } = object?.metadata ?? {};
  return [labels?.[DRIFT_DETECTION_KEY], annotations?.[DRIFT_DETECTION_KEY]].some(
    (v) => typeof v === "string" && v.toLowerCase() === "disabled",
  );
}

/** The pointers `rules` ignore in `object` ("" ignores all of it); throws as compileTarget; pure. */
export function ignoredPaths(rules: readonly DriftIgnoreRule[], object: KubeObject): string[] {
  return rules
    .filter((rule) => !rule.target || compileTarget(rule.target)(object))
    .flatMap((rule) => rule.paths);
}

/** Whether an ignore rule covers `pointer` of `object`; pure. */
export function ignored(
  rules: readonly DriftIgnoreRule[],
  object: KubeObject,
  pointer: string,
): boolean {
  return ignoredPaths(rules, object).some((p) => pointer === p || pointer.startsWith(`${p}/`));
}

/** The object as Helm leaves it, with the ownership metadata Helm sets when it creates it. */
function owned(object: KubeObject, spec: ReleaseSpec): KubeObject {
  return {
    ...object,
    metadata: {
      ...object.metadata,
      annotations: {
        ...object.metadata.annotations,
        "meta.helm.sh/release-name": spec.releaseName,
        "meta.helm.sh/release-namespace": spec.releaseNamespace,
      },
      labels: { ...object.metadata.labels, "app.kubernetes.io/managed-by": "Helm" },
    },
  };
}

export interface DriftResult {
  /** `Kind/ns/name` (and the first drifted path) for each drifted object. */
  drifted: string[];
  /** Corrections the server refused (`enabled` mode). */
  errors: string[];
  /**
   * What kept the cluster state from being read: a refused dry run or read
   * (`Kind/ns/name: message`), ignore rules that do not compile. Not drift; as in
   * helm-controller it fails the pass only when nothing drifted.
   */
  unknown: string[];
}

export async function detectDrift(
  client: KubeClient,
  helm: HelmOptions,
  spec: ReleaseSpec,
  revision: string,
): Promise<DriftResult> {
  const result: DriftResult = { drifted: [], errors: [], unknown: [] };
  // helm-controller compiles the rules before any dry run; one that fails fails them all.
  const invalid = ignoreRuleErrors(spec.drift.ignore);
  if (invalid.length > 0) return { ...result, unknown: invalid.map((e) => `driftDetection.${e}`) };
  const text = await getManifest(helm, spec.releaseName, spec.releaseNamespace);
  const apply = { fieldManager: HELM_FIELD_MANAGER, force: true };
  for (const doc of parseAllDocuments(text)) {
    const manifest = doc.toJS() as KubeObject | null;
    if (!manifest?.kind || !manifest.metadata?.name) continue;
    const resource = await client.resourceFor(manifest.apiVersion, manifest.kind);
    if (resource?.namespaced && !manifest.metadata.namespace)
      manifest.metadata.namespace = spec.releaseNamespace;
    // What the dry run and the correction apply: the same object, so no drift found
    // means none a correction would change. Targets select it with Helm's metadata, as
    // helm-controller's do.
    const object = owned(manifest, spec);
    const ignore = ignoredPaths(spec.drift.ignore, object);
    if (optedOut(object) || ignore.includes("")) continue;
    const ref = describeRef(refOf(object));
    let paths = ["(deleted)"];
    try {
      const live = await client.get(refOf(object));
      // The opt-out counts on the live object too, so it can be set by hand.
      if (optedOut(live)) continue;
      if (live)
        paths = driftPaths(live, await client.apply(object, { ...apply, dryRun: true }), ignore);
    } catch (error) {
      // Refused (invalid, immutable field, no rights): state unknown, never forced.
      result.unknown.push(`${ref}: ${(error as Error).message}`);
      continue;
    }
    if (paths.length === 0) continue;
    result.drifted.push(`${ref} ${paths[0]}`);
    if (spec.drift.mode !== "enabled") continue;
    try {
      await client.apply(object, apply);
    } catch (error) {
      result.errors.push(`${ref}: ${(error as Error).message}`);
    }
  }
  void revision;
  return result;
}
