#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  asCustomResourceRoot,
  toJsonSchema
} from "./chunk-ONAEWK7X.js";
import {
  resolveKubernetesVersion
} from "./chunk-GU5OC4EN.js";
import "./chunk-D4VEYYO7.js";
import {
  fluxData,
  kubernetesData
} from "./chunk-RJ6COGY3.js";
import "./chunk-3IQPLNQJ.js";

// shared/validate/export.ts
const { mkdir, writeFile } = require("node:fs/promises");
const { join } = require("node:path");
var KUBECONFORM_FILE_TEMPLATE = "{{ .ResourceKind }}{{ .KindSuffix }}.json";
var DRAFT_07 = "http://json-schema.org/draft-07/schema#";
function isObject(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
function kubeconformFileName(apiVersion, kind) {
  const groupParts = apiVersion.split("/");
  const first = (groupParts[0] ?? "").split(".")[0] ?? "";
  let suffix = `-${first.toLowerCase()}`;
  if (groupParts.length > 1) suffix += `-${(groupParts[1] ?? "").toLowerCase()}`;
  return `${kind.toLowerCase()}${suffix}.json`;
}
function kubeconformSchemaLocation(dir) {
  return `${dir.replace(/\/+$/, "")}/${KUBECONFORM_FILE_TEMPLATE}`;
}
var Document = class {
  definitions = {};
  minor;
  strict;
  constructor(minor, strict) {
    this.minor = minor;
    this.strict = strict;
  }
  kubernetesRef = (index) => {
    const data = kubernetesData();
    const name = data.names[index];
    const variant = data.versions[this.minor]?.defs[index];
    const schema = variant !== void 0 ? data.variants[index]?.[variant] : void 0;
    if (name === void 0 || variant === void 0 || variant < 0 || !schema) {
      throw new Error(`bundled schema ${index} is missing for Kubernetes ${this.minor}`);
    }
    if (!(name in this.definitions)) {
      this.definitions[name] = {};
      this.definitions[name] = toJsonSchema(schema, {
        strict: this.strict,
        ref: this.kubernetesRef
      });
    }
    return `#/definitions/${name}`;
  };
  fluxRef = (index) => {
    const key = `flux-${index}`;
    const schema = fluxData().shared[index];
    if (!schema) throw new Error(`bundled Flux schema ${index} is missing`);
    if (!(key in this.definitions)) {
      this.definitions[key] = {};
      this.definitions[key] = toJsonSchema(schema, { strict: this.strict, ref: this.fluxRef });
    }
    return `#/definitions/${key}`;
  };
  objectMetaRef() {
    return this.kubernetesRef(kubernetesData().objectMeta);
  }
  finish(root, comment) {
    const out = { $schema: DRAFT_07, $comment: comment, ...root };
    if (Object.keys(this.definitions).length > 0) out.definitions = this.definitions;
    return out;
  }
};
function withDeclaredMetadata(schema) {
  const props = isObject(schema.properties) ? { ...schema.properties } : {};
  props.apiVersion ??= { type: "string" };
  props.kind ??= { type: "string" };
  props.metadata ??= { type: "object" };
  return { ...schema, properties: props };
}
function exportSchemas(options = {}) {
  const minor = resolveKubernetesVersion(options.kubernetesVersion);
  const strict = options.strict ?? true;
  const declared = options.customResourceMetadata === "as-declared";
  const customRoot = (converted, doc) => declared ? withDeclaredMetadata(converted) : asCustomResourceRoot(converted, doc.objectMetaRef());
  const candidates = [];
  const data = kubernetesData();
  const version = data.versions[minor];
  for (const [apiVersion, kinds] of Object.entries(version?.kinds ?? {})) {
    for (const [kind, def] of Object.entries(kinds)) {
      candidates.push({
        apiVersion,
        kind,
        source: `Kubernetes ${minor}`,
        build: (doc) => {
          const variant = version?.defs[def] ?? -1;
          const schema = data.variants[def]?.[variant];
          if (!schema) throw new Error(`bundled schema for ${apiVersion} ${kind} is missing`);
          return toJsonSchema(schema, { strict, ref: doc.kubernetesRef });
        }
      });
    }
  }
  for (const [key, crd] of options.crdSchemas ?? []) {
    const slash = key.lastIndexOf("/");
    candidates.push({
      apiVersion: key.slice(0, slash),
      kind: key.slice(slash + 1),
      source: "CRD",
      build: (doc) => customRoot(toJsonSchema(crd, { strict }), doc)
    });
  }
  if (options.flux ?? true) {
    const flux = fluxData();
    for (const k of flux.kinds) {
      candidates.push({
        apiVersion: k.apiVersion,
        kind: k.kind,
        source: `Flux ${flux.flux}`,
        build: (doc) => customRoot(toJsonSchema(k.schema, { strict, ref: doc.fluxRef }), doc)
      });
    }
  }
  const wanted = options.kinds?.map((k) => k.trim()).filter((k) => k !== "");
  const matched = /* @__PURE__ */ new Set();
  const selected = candidates.filter((c) => {
    if (!wanted) return true;
    const hits = wanted.filter((w) => w === c.kind || w === `${c.apiVersion}/${c.kind}`);
    for (const h of hits) matched.add(h);
    return hits.length > 0;
  });
  const unmatched = (wanted ?? []).filter((w) => !matched.has(w));
  if (unmatched.length > 0) {
    throw new Error(
      `no schema for ${unmatched.join(", ")} in Kubernetes ${minor}${options.crdSchemas?.size ? ", the CRDs given" : ""}${options.flux === false ? "" : ` or Flux ${fluxData().flux}`}`
    );
  }
  const byKey = /* @__PURE__ */ new Set();
  const byFile = /* @__PURE__ */ new Map();
  const schemas = [];
  const shadowed = [];
  for (const c of selected) {
    const key = `${c.apiVersion}/${c.kind}`;
    if (byKey.has(key)) continue;
    byKey.add(key);
    const file = kubeconformFileName(c.apiVersion, c.kind);
    const first = byFile.get(file);
    if (first !== void 0) {
      shadowed.push({ apiVersion: c.apiVersion, kind: c.kind, file, by: first });
      continue;
    }
    byFile.set(file, key);
    const doc = new Document(minor, strict);
    const root = c.build(doc);
    const comment = `${c.apiVersion} ${c.kind} from ${c.source === `Kubernetes ${minor}` ? `Kubernetes ${data.versions[minor]?.release ?? minor}` : c.source}, exported by tether${strict ? " (strict)" : ""}`;
    schemas.push({
      apiVersion: c.apiVersion,
      kind: c.kind,
      file,
      source: c.source,
      schema: doc.finish(root, comment)
    });
  }
  return { kubernetesVersion: minor, strict, schemas, shadowed };
}
async function writeSchemas(dir, options = {}) {
  const result = exportSchemas(options);
  await mkdir(dir, { recursive: true });
  const files = [];
  for (const s of result.schemas) {
    const path = join(dir, s.file);
    await writeFile(path, `${JSON.stringify(s.schema)}
`);
    files.push(path);
  }
  return { ...result, files };
}
export {
  KUBECONFORM_FILE_TEMPLATE,
  exportSchemas,
  kubeconformFileName,
  kubeconformSchemaLocation,
  writeSchemas
};
