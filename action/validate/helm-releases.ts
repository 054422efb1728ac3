// HelmReleases in what a pull request renders: each one whose chart can be reached
// (a HelmRepository or OCIRepository in the repository, a chart folder in it, a
// chartRef's HelmChart of either, the local chart cache) is rendered with `helm
// template` and its spec.values, through the post-renderer the agent installs it with
// (shared/charts/postrender.ts: postRenderers, commonMetadata, origin labels,
// local-config objects dropped), so schema, deprecation and Rego findings cover what
// the agent applies. Those objects point at the HelmRelease (its values). A chart that
// cannot be reached is a warning naming it.
import { join } from "node:path";
import { sameRepositoryUrl } from "../../shared/charts/dependencies.ts";
import { ChartError } from "../../shared/charts/errors.ts";
import { gitHead } from "../../shared/charts/git-head.ts";
import { readPostRenderSpec } from "../../shared/charts/postrender.ts";
import {
  chartReferenceOf,
  describeChartReference,
  isHelmRelease,
} from "../../shared/charts/reference.ts";
import { type ChartContext, resolveChart } from "../../shared/charts/resolve.ts";
import { helmTemplate } from "../../shared/charts/template.ts";
import type { KubeObject, Manifest } from "../../shared/manifests/object.ts";
import { ManifestError } from "../../shared/manifests/parse.ts";
import type { RenderedUnit } from "./render.ts";

export interface HelmExpandOptions {
  /** Index and chart cache (also what makes validation work offline once filled). */
  cacheDir: string;
  /** The repository root: GitRepository chart paths are read from it. */
  root: string;
  helm?: string | undefined;
  /** The kustomize binary of the post-renderer; default `kustomize` on PATH. */
  kustomize?: string | undefined;
  kubernetesVersion?: string | undefined;
}

type Obj = Record<string, unknown>;
const asObj = (v: unknown): Obj =>
  typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Obj) : {};

/** Flux's default release name (see agent/helm/spec.ts), without the 53-character shortening. */
function releaseNameOf(hr: KubeObject): string {
  const spec = asObj(hr.spec);
  if (typeof spec.releaseName === "string" && spec.releaseName) return spec.releaseName;
  if (hr.apiVersion.startsWith("helm.fluxcd.io/"))
    return `${hr.metadata.namespace ?? "default"}-${hr.metadata.name}`;
  const target = typeof spec.targetNamespace === "string" ? spec.targetNamespace : "";
  return (target ? `${target}-${hr.metadata.name}` : hr.metadata.name).slice(0, 53);
}

/**
 * Adds the objects each HelmRelease's chart renders to its unit; unreachable charts
 * become warnings. A source that is not among the validated paths at all (a folder of
 * apps validated without its sources) is a note, not a finding: nothing was tried.
 * Answers the notes.
 */
export async function expandHelmReleases(
  units: RenderedUnit[],
  options: HelmExpandOptions,
): Promise<string[]> {
  const notes: string[] = [];
  // Flux sources by kind, namespace and name, indexed once: a lookup per HelmRelease
  // over every object was quadratic on large repositories. The first one wins.
  const sources = new Map<string, KubeObject>();
  const sourceKey = (kind: string, namespace: string, name: string) =>
    `${kind}\0${namespace}\0${name}`;
  for (const unit of units) {
    for (const { object: o } of unit.manifests) {
      if (!o.apiVersion.startsWith("source.toolkit.fluxcd.io/")) continue;
      const key = sourceKey(o.kind, o.metadata.namespace ?? "default", o.metadata.name);
      if (!sources.has(key)) sources.set(key, o);
    }
  }
  const ctx: ChartContext = {
    cacheDir: options.cacheDir,
    async getSource(key) {
      return sources.get(sourceKey(key.kind, key.namespace, key.name));
    },
    async helmRepositoryFor(namespace, url) {
      for (const o of sources.values())
        if (
          o.kind === "HelmRepository" &&
          (o.metadata.namespace ?? "default") === namespace &&
          sameRepositoryUrl(String((o.spec as { url?: unknown } | undefined)?.url ?? ""), url)
        )
          return o;
      return undefined;
    },
    // A pull request sees the repository it validates: Git charts are read from it.
    async gitFolder() {
      return options.root;
    },
    // reconcileStrategy Revision: the version carries the commit validated, when there is one.
    gitRevision: (() => {
      let head: Promise<string | undefined> | undefined;
      return () => {
        head ??= gitHead(options.root);
        return head;
      };
    })(),
  };
  for (const unit of units) {
    const added: Manifest[] = [];
    for (const manifest of unit.manifests) {
      const hr = manifest.object;
      if (!isHelmRelease(hr)) continue;
      const where = { file: manifest.source.file, line: manifest.source.line };
      const namespace = hr.metadata.namespace ?? "default";
      let described = `HelmRelease ${namespace}/${hr.metadata.name}`;
      let ref: ReturnType<typeof chartReferenceOf>;
      try {
        ref = chartReferenceOf(hr);
      } catch (error) {
        // The HelmRelease itself is invalid: its own validation (Flux's CEL rule "either
        // chart or chartRef must be set") reports that on the object; a second finding on
        // the same lines would only repeat it.
        notes.push(`${described}: not rendered, ${(error as Error).message}`);
        continue;
      }
      try {
        // The description redacts any URL in it: it is shown in annotations and comments.
        described = `chart ${describeChartReference(ref)}`;
        const chart = await resolveChart(ctx, ref, namespace);
        if (chart.fromCache) notes.push(`${described}: ${chart.fromCache}`);
        const spec = asObj(hr.spec);
        if (Array.isArray(spec.valuesFrom) && spec.valuesFrom.length > 0) {
          unit.warnings.push({
            ...where,
            message: `HelmRelease ${namespace}/${hr.metadata.name}: valuesFrom is read from the cluster; rendered with spec.values only`,
          });
        }
        const rendered = await helmTemplate(chart.path, {
          binary: options.helm,
          releaseName: releaseNameOf(hr),
          namespace: typeof spec.targetNamespace === "string" ? spec.targetNamespace : namespace,
          values: asObj(spec.values),
          kubeVersion: options.kubernetesVersion,
          sourceOf: () => manifest.source.file,
          postRender: { spec: readPostRenderSpec(hr), kustomize: options.kustomize },
        });
        const via = `chart ${chart.name}@${chart.version} of HelmRelease ${namespace}/${hr.metadata.name}`;
        for (const m of rendered) added.push({ object: m.object, source: { ...where, via } });
      } catch (error) {
        if (error instanceof ChartError && error.reason === "SourceNotFound") {
          notes.push(`${described}: not rendered, its source is not in the validated paths`);
          continue;
        }
        if (error instanceof ChartError || error instanceof ManifestError) {
          const text =
            error instanceof ManifestError ? error.message.replace(/^[^:]*: /, "") : error.message;
          // Unreachable or unrenderable: a warning that names the chart, never a crash.
          unit.warnings.push({ ...where, message: `${described} not rendered: ${text}` });
          continue;
        }
        unit.warnings.push({
          ...where,
          message: `${described} not rendered: ${(error as Error).message}`,
        });
      }
    }
    unit.manifests.push(...added);
  }
  return notes;
}

const escapePointer = (key: string) => key.replaceAll("~", "~0").replaceAll("/", "~1");

/**
 * Where in a HelmRelease's `values` a rendered value came from, as a JSON pointer under
 * spec.values: the one scalar equal to it, else the one scalar (3+ characters) found
 * inside it (a tag in "repo:tag"). Undefined when it cannot be traced: no such value,
 * more than one, or a boolean or empty value (too common to say); the finding then
 * points at the values block. Tracing through templates is not attempted.
 */
export function valuesPointerOf(values: unknown, rendered: unknown): string | undefined {
  if (typeof rendered !== "string" && typeof rendered !== "number") return undefined;
  const text = String(rendered);
  if (text === "") return undefined;
  const leaves: [string, string][] = [];
  const visit = (node: unknown, at: string) => {
    if (Array.isArray(node)) {
      for (const [i, v] of node.entries()) visit(v, `${at}/${i}`);
    } else if (typeof node === "object" && node !== null)
      for (const [k, v] of Object.entries(node)) visit(v, `${at}/${escapePointer(k)}`);
    else if (typeof node === "string" || typeof node === "number") leaves.push([at, String(node)]);
  };
  visit(values, "");
  const equal = leaves.filter(([, v]) => v === text);
  if (equal.length > 0) return equal.length === 1 ? equal[0]?.[0] : undefined;
  const inside = leaves.filter(([, v]) => v.length >= 3 && text.includes(v));
  return inside.length === 1 ? inside[0]?.[0] : undefined;
}

export function defaultChartCache(env: NodeJS.ProcessEnv = process.env): string {
  if (env.TETHER_CHART_CACHE) return env.TETHER_CHART_CACHE;
  const base = env.XDG_CACHE_HOME || join(env.HOME || "/tmp", ".cache");
  return join(base, "tether", "charts");
}
