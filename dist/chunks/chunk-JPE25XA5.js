#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  redactUrl
} from "./chunk-KVDOGNFO.js";

// shared/charts/errors.ts
var ChartError = class extends Error {
  reason;
  constructor(reason, message) {
    super(message);
    this.name = "ChartError";
    this.reason = reason;
  }
};

// shared/charts/reference.ts
var HELM_RELEASE_V2 = "helm.toolkit.fluxcd.io";
var HELM_RELEASE_V1 = "helm.fluxcd.io";
function isHelmRelease(object) {
  return object.kind === "HelmRelease" && (object.apiVersion.startsWith(`${HELM_RELEASE_V2}/`) || object.apiVersion.startsWith(`${HELM_RELEASE_V1}/`));
}
var asObj = (v) => typeof v === "object" && v !== null ? v : {};
var str = (v) => typeof v === "string" && v !== "" ? v : void 0;
function chartReferenceOf(release) {
  const spec = asObj(release.spec);
  const namespace = release.metadata.namespace ?? "default";
  const name = `HelmRelease ${namespace}/${release.metadata.name}`;
  if (release.apiVersion.startsWith(`${HELM_RELEASE_V1}/`)) {
    const chart2 = asObj(spec.chart);
    const git = str(chart2.git);
    if (git) {
      return { from: "git", url: git, path: str(chart2.path) ?? ".", ref: str(chart2.ref) };
    }
    const url = str(chart2.repository);
    const chartName = str(chart2.name);
    if (url && chartName)
      return { from: "url", url, chart: chartName, version: str(chart2.version) };
    throw new ChartError(
      "InvalidChartReference",
      `${name}: spec.chart needs git or repository + name`
    );
  }
  const chartRef = asObj(spec.chartRef);
  if (str(chartRef.kind)) {
    const kind2 = str(chartRef.kind);
    const source2 = {
      kind: kind2,
      namespace: str(chartRef.namespace) ?? namespace,
      name: str(chartRef.name) ?? ""
    };
    if (kind2 === "OCIRepository") return { from: "OCIRepository", source: source2 };
    throw new ChartError(
      "InvalidChartReference",
      `${name}: chartRef kind ${kind2} is not supported (use OCIRepository, or spec.chart)`
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
        ref: asObj(tspec.ref),
        insecure: tspec.insecure === true,
        ...str(asObj(tspec.secretRef).name) ? { secretRef: { name: str(asObj(tspec.secretRef).name) } } : {}
      }
    };
  }
  const chart = str(tspec.chart);
  const sourceRef = asObj(tspec.sourceRef);
  const kind = str(sourceRef.kind);
  if (!chart || !kind || !str(sourceRef.name)) {
    throw new ChartError(
      "InvalidChartReference",
      `${name}: spec.chart.spec needs chart and sourceRef (or use spec.chartRef)`
    );
  }
  const source = {
    kind,
    namespace: str(sourceRef.namespace) ?? namespace,
    name: str(sourceRef.name)
  };
  if (kind === "HelmRepository")
    return { from: "HelmRepository", source, chart, version: str(tspec.version) };
  if (kind === "GitRepository") return { from: "GitRepository", source, path: chart };
  throw new ChartError(
    "InvalidChartReference",
    `${name}: charts from a ${kind} are not supported (HelmRepository, GitRepository or OCIRepository)`
  );
}
function describeChartReference(ref) {
  switch (ref.from) {
    case "HelmRepository":
      return `${ref.chart}@${ref.version ?? "*"} from HelmRepository/${ref.source.namespace}/${ref.source.name}`;
    case "GitRepository":
      return `${ref.path} from GitRepository/${ref.source.namespace}/${ref.source.name}`;
    case "OCIRepository":
      return ref.source ? `OCIRepository/${ref.source.namespace}/${ref.source.name}` : ref.spec ? redactUrl(ref.spec.url) : "?";
    case "url":
      return `${ref.chart}@${ref.version ?? "*"} from ${redactUrl(ref.url)}`;
    case "git":
      return `${ref.path} from ${redactUrl(ref.url)}${ref.ref ? `@${ref.ref}` : ""}`;
  }
}

export {
  ChartError,
  HELM_RELEASE_V2,
  HELM_RELEASE_V1,
  isHelmRelease,
  chartReferenceOf,
  describeChartReference
};
