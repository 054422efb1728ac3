// What chart a HelmRelease asks for, read from its spec into one shape, whichever of
// the ways Flux allows it is written: helm.toolkit.fluxcd.io/v2 `spec.chart` (a
// HelmChart template whose sourceRef is a HelmRepository or GitRepository, or an
// OCIRepository template), v2 `spec.chartRef` (an OCIRepository, or a standalone
// HelmChart read with helmChartReference once it is found), and Flux v1's
// helm.fluxcd.io/v1 `spec.chart` (a repository URL + name + version, or git + path +
// ref). Pure: no I/O.
import type { KubeObject } from "../manifests/object.ts";
import { redactUrl } from "../util/redact.ts";
import { ChartError } from "./errors.ts";
import { type ReconcileStrategy, reconcileStrategyOf } from "./strategy.ts";
import { type ValuesFiles, valuesFilesOf } from "./values-files.ts";

export interface SourceKey {
  kind: "HelmRepository" | "GitRepository" | "OCIRepository" | "HelmChart" | "ExternalArtifact";
  namespace: string;
  name: string;
}

export type ChartReference =
  /** A chart by name and version range from a HelmRepository (HTTP or OCI). */
  | {
      from: "HelmRepository";
      source: SourceKey;
      chart: string;
      version?: string | undefined;
      valuesFiles?: ValuesFiles | undefined;
    }
  /** A chart folder in a GitRepository. */
  | {
      from: "GitRepository";
      source: SourceKey;
      path: string;
      valuesFiles?: ValuesFiles | undefined;
      /** What makes a new chart of the folder (HelmChart `reconcileStrategy`). */
      strategy?: ReconcileStrategy | undefined;
    }
  /** v2 `chartRef` to a standalone HelmChart: its spec is read when it is found. */
  | { from: "HelmChart"; source: SourceKey }
  /** An OCIRepository (chartRef, or the v2 `chart.kind: OCIRepository` template). */
  | { from: "OCIRepository"; source?: SourceKey | undefined; spec?: OciSpec | undefined }
  /** Flux v1: a repository URL. */
  | { from: "url"; url: string; chart: string; version?: string | undefined }
  /** Flux v1: a Git URL, a folder and a ref. */
  | { from: "git"; url: string; path: string; ref?: string | undefined };

export interface OciSpec {
  url: string;
  ref?: { tag?: string; semver?: string; digest?: string } | undefined;
  insecure?: boolean | undefined;
  secretRef?: { name: string } | undefined;
}

export const HELM_RELEASE_V2 = "helm.toolkit.fluxcd.io";
export const HELM_RELEASE_V1 = "helm.fluxcd.io";

export function isHelmRelease(object: KubeObject): boolean {
  return (
    object.kind === "HelmRelease" &&
    (object.apiVersion.startsWith(`${HELM_RELEASE_V2}/`) ||
      object.apiVersion.startsWith(`${HELM_RELEASE_V1}/`))
  );
}

type Obj = Record<string, unknown>;
const asObj = (v: unknown): Obj => (typeof v === "object" && v !== null ? (v as Obj) : {});
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/** The chart a HelmRelease refers to; throws ChartError when the spec names none. */
export function chartReferenceOf(release: KubeObject): ChartReference {
  const spec = asObj(release.spec);
  const namespace = release.metadata.namespace ?? "default";
  const name = `HelmRelease ${namespace}/${release.metadata.name}`;
  if (release.apiVersion.startsWith(`${HELM_RELEASE_V1}/`)) {
    const chart = asObj(spec.chart);
    const git = str(chart.git);
    if (git) {
      return { from: "git", url: git, path: str(chart.path) ?? ".", ref: str(chart.ref) };
    }
    const url = str(chart.repository);
    const chartName = str(chart.name);
    if (url && chartName)
      return { from: "url", url, chart: chartName, version: str(chart.version) };
    throw new ChartError(
      "InvalidChartReference",
      `${name}: spec.chart needs git or repository + name`,
    );
  }
  const chartRef = asObj(spec.chartRef);
  if (str(chartRef.kind)) {
    const kind = str(chartRef.kind);
    const source = {
      kind: kind as SourceKey["kind"],
      namespace: str(chartRef.namespace) ?? namespace,
      name: str(chartRef.name) ?? "",
    };
    if (kind === "OCIRepository") return { from: "OCIRepository", source };
    if (kind === "HelmChart") return { from: "HelmChart", source };
    throw new ChartError(
      "InvalidChartReference",
      `${name}: chartRef kind ${kind} is not supported (use OCIRepository or HelmChart, or spec.chart)`,
    );
  }
  const template = asObj(spec.chart);
  const tspec = asObj(template.spec);
  if (str(template.kind) === "OCIRepository") {
    const url = str(tspec.url);
    if (!url)
      throw new ChartError("InvalidChartReference", `${name}: spec.chart.spec.url is required`);
    return {
      from: "OCIRepository",
      spec: {
        url,
        ref: asObj(tspec.ref) as OciSpec["ref"],
        insecure: tspec.insecure === true,
        ...(str(asObj(tspec.secretRef).name)
          ? { secretRef: { name: str(asObj(tspec.secretRef).name) as string } }
          : {}),
      },
    };
  }
  return chartSpecReference(
    tspec,
    str(asObj(tspec.sourceRef).namespace) ?? namespace,
    `${name}: spec.chart.spec`,
  );
}

/**
 * The chart a standalone HelmChart (source.toolkit.fluxcd.io HelmChart) builds, for a
 * HelmRelease's `chartRef`. Its sourceRef is local: the source is in the HelmChart's
 * own namespace, whatever the reference says (Flux's LocalHelmChartSourceReference).
 */
export function helmChartReference(helmChart: KubeObject): ChartReference {
  const namespace = helmChart.metadata.namespace ?? "default";
  return chartSpecReference(
    asObj(helmChart.spec),
    namespace,
    `HelmChart ${namespace}/${helmChart.metadata.name}: spec`,
  );
}

/**
 * A HelmChart spec (a template's or a standalone one's) as a reference; `sourceNamespace`
 * is where its sourceRef is looked up, `where` names the spec in messages.
 */
function chartSpecReference(spec: Obj, sourceNamespace: string, where: string): ChartReference {
  const chart = str(spec.chart);
  const sourceRef = asObj(spec.sourceRef);
  const kind = str(sourceRef.kind);
  if (!chart || !kind || !str(sourceRef.name)) {
    throw new ChartError(
      "InvalidChartReference",
      `${where} needs chart and sourceRef (or use spec.chartRef)`,
    );
  }
  const source: SourceKey = {
    kind: kind as SourceKey["kind"],
    namespace: sourceNamespace,
    name: str(sourceRef.name) as string,
  };
  const files = valuesFilesOf(spec);
  const valuesFiles = files ? { valuesFiles: files } : {};
  if (kind === "HelmRepository")
    return { from: "HelmRepository", source, chart, version: str(spec.version), ...valuesFiles };
  if (kind === "GitRepository")
    return {
      from: "GitRepository",
      source,
      path: chart,
      ...valuesFiles,
      strategy: reconcileStrategyOf(spec, where),
    };
  throw new ChartError(
    "InvalidChartReference",
    `${where}: charts from a ${kind} are not supported (HelmRepository, GitRepository or OCIRepository)`,
  );
}

/**
 * A short name of the reference for messages: `app-demo@0.1.x from HelmRepository/ns/name`.
 * A URL in it is redacted here (user info, query values), so every caller can show it:
 * redacting the whole text afterwards fails, as it is not a URL.
 */
export function describeChartReference(ref: ChartReference): string {
  switch (ref.from) {
    case "HelmRepository":
      return `${ref.chart}@${ref.version ?? "*"} from HelmRepository/${ref.source.namespace}/${ref.source.name}`;
    case "GitRepository":
      return `${ref.path} from GitRepository/${ref.source.namespace}/${ref.source.name}`;
    case "HelmChart":
      return `HelmChart/${ref.source.namespace}/${ref.source.name}`;
    case "OCIRepository":
      return ref.source
        ? `OCIRepository/${ref.source.namespace}/${ref.source.name}`
        : ref.spec
          ? redactUrl(ref.spec.url)
          : "?";
    case "url":
      return `${ref.chart}@${ref.version ?? "*"} from ${redactUrl(ref.url)}`;
    case "git":
      return `${ref.path} from ${redactUrl(ref.url)}${ref.ref ? `@${ref.ref}` : ""}`;
  }
}
