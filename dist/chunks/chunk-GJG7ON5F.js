#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  refOf
} from "./chunk-Z62KHOJY.js";

// agent/helm/cli.ts
const { execFile } = require("node:child_process");
const { join } = require("node:path");
var HelmCommandError = class extends Error {
  args;
  stderr;
  constructor(args, stderr, message) {
    super(message);
    this.name = "HelmCommandError";
    this.args = args;
    this.stderr = stderr;
  }
};
var MAX_OUTPUT = 256 * 1024 * 1024;
function helmEnv(options) {
  const env = {
    PATH: process.env.PATH,
    HOME: options.stateDir,
    HELM_CONFIG_HOME: join(options.stateDir, "config"),
    HELM_CACHE_HOME: join(options.stateDir, "cache"),
    HELM_DATA_HOME: join(options.stateDir, "data")
  };
  for (const name of ["KUBERNETES_SERVICE_HOST", "KUBERNETES_SERVICE_PORT", "KUBECONFIG"]) {
    if (process.env[name]) env[name] = process.env[name];
  }
  if (options.kubeconfig) env.KUBECONFIG = options.kubeconfig;
  return env;
}
function runHelm(options, args, input) {
  return new Promise((done, fail) => {
    execFile(
      options.binary ?? "helm",
      options.kubeAsUser ? [...args, "--kube-as-user", options.kubeAsUser] : [...args],
      {
        env: helmEnv(options),
        maxBuffer: MAX_OUTPUT,
        ...input?.timeoutMs ? { timeout: input.timeoutMs, killSignal: "SIGTERM" } : {}
      },
      (error, stdout, stderr) => {
        if (!error) {
          done(stdout);
          return;
        }
        if (error.code === "ENOENT") {
          fail(new HelmCommandError(args, "", "helm is not installed (it must be on PATH)"));
          return;
        }
        const text = stderr.trim() || error.message;
        const message = text.split("\n").slice(-5).join("\n").replace(/^Error: /m, "");
        fail(new HelmCommandError(args, stderr, message));
      }
    );
  });
}
async function listReleases(options) {
  const out = await runHelm(options, [
    "list",
    "--all-namespaces",
    "--all",
    "--max",
    "0",
    "-o",
    "json"
  ]);
  return JSON.parse(out || "[]");
}
function getManifest(options, name, namespace) {
  return runHelm(options, ["get", "manifest", name, "-n", namespace]);
}
async function releaseStatus(options, name, namespace) {
  let out;
  try {
    out = await runHelm(options, ["status", name, "--namespace", namespace, "-o", "json"]);
  } catch (error) {
    if (/not found/i.test(error.message)) return void 0;
    throw error;
  }
  const s = JSON.parse(out);
  return {
    name: s.name,
    namespace: s.namespace,
    revision: String(s.version),
    status: s.info?.status ?? "unknown",
    chart: `${s.chart?.metadata?.name ?? ""}-${s.chart?.metadata?.version ?? ""}`,
    app_version: s.chart?.metadata?.appVersion ?? "",
    updated: s.info?.last_deployed ?? ""
  };
}

// agent/helm/crds.ts
var HELM_FIELD_MANAGER = "tether-helm";
async function crdDocuments(text) {
  const docs = [[]];
  let keys = /* @__PURE__ */ new Set();
  for (const line of text.split("\n")) {
    if (/^---(\s|$)/.test(line)) {
      docs.push([]);
      keys = /* @__PURE__ */ new Set();
      continue;
    }
    const key = /^([A-Za-z_][\w.-]*):/.exec(line)?.[1];
    if (key !== void 0) {
      if (keys.has(key)) {
        docs.push([]);
        keys = /* @__PURE__ */ new Set();
      }
      keys.add(key);
    }
    docs[docs.length - 1].push(line);
  }
  const { parseDocument } = await import("./dist-E773PDCR.js");
  return docs.flatMap((lines) => {
    const object = parseDocument(lines.join("\n")).toJS();
    return object?.kind === "CustomResourceDefinition" ? [object] : [];
  });
}
async function applyChartCrds(client, helm, chartPath, policy, labels = {}) {
  if (policy === "Skip") return 0;
  const text = await runHelm(helm, ["show", "crds", chartPath]);
  let applied = 0;
  for (const crd of await crdDocuments(text)) {
    if (policy === "Create" && await client.get(refOf(crd))) continue;
    crd.metadata.labels = { ...crd.metadata.labels, ...labels };
    await client.apply(crd, { fieldManager: HELM_FIELD_MANAGER, force: true });
    applied++;
  }
  return applied;
}

export {
  runHelm,
  listReleases,
  getManifest,
  releaseStatus,
  HELM_FIELD_MANAGER,
  applyChartCrds
};
