#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  require_dist
} from "./chunk-HPGUIRHG.js";
import {
  __toESM
} from "./chunk-3IQPLNQJ.js";

// agent/flux/lockdown.ts
function referencesOf(object) {
  const spec = object.spec ?? {};
  const out = [];
  if (spec.sourceRef) out.push({ what: spec.sourceRef.kind ?? "source", ref: spec.sourceRef });
  const chartSource = spec.chart?.spec?.sourceRef;
  if (chartSource) out.push({ what: chartSource.kind ?? "source", ref: chartSource });
  if (spec.chartRef) out.push({ what: spec.chartRef.kind ?? "source", ref: spec.chartRef });
  for (const dep of spec.dependsOn ?? []) out.push({ what: `${object.kind} dependency`, ref: dep });
  return out;
}
function refusedReferences(object, lockdown) {
  if (!lockdown?.noCrossNamespaceRefs) return [];
  const own = object.metadata.namespace ?? "default";
  return referencesOf(object).filter(({ ref }) => ref.namespace && ref.namespace !== own).map(
    ({ what, ref }) => `can't access '${what}/${ref.namespace}/${ref.name}', cross-namespace references have been blocked`
  );
}
function impersonationFor(object, lockdown) {
  const named = object.spec?.serviceAccountName;
  const account = named || lockdown?.defaultServiceAccount;
  if (!account) return void 0;
  return `system:serviceaccount:${object.metadata.namespace ?? "default"}:${account}`;
}

// shared/util/secret-yaml.ts
var import_yaml = __toESM(require_dist(), 1);
function parseSecretYaml(text, options = {}) {
  const lines = new import_yaml.LineCounter();
  const doc = (0, import_yaml.parseDocument)(text, { ...options, prettyErrors: false, lineCounter: lines });
  const error = doc.errors[0];
  if (!error) return { value: doc.toJS() };
  const { line, col } = lines.linePos(error.pos[0]);
  return {
    error: {
      what: error.code.toLowerCase().replaceAll("_", " "),
      line,
      col,
      lineOf: (offset) => lines.linePos(offset).line
    }
  };
}
var describeSecretYamlError = (e) => `${e.what} at line ${e.line}, column ${e.col}`;

export {
  refusedReferences,
  impersonationFor,
  parseSecretYaml,
  describeSecretYamlError
};
