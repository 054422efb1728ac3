#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  load
} from "./chunk-XRGQOWGB.js";

// shared/kube/connection.ts
const { readFileSync } = require("node:fs");
const { access, readFile } = require("node:fs/promises");
const { homedir } = require("node:os");
const { delimiter, dirname, isAbsolute, join } = require("node:path");
var SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";
var TOKEN_FILE_REFRESH_MS = 6e4;
async function loadConnection(options = {}) {
  const env = options.env ?? process.env;
  const home = join(env.HOME ?? homedir(), ".kube", "config");
  const files = options.kubeconfig ? [options.kubeconfig] : env.KUBECONFIG ? env.KUBECONFIG.split(delimiter).filter(Boolean) : await exists(home) ? [home] : [];
  if (files.length > 0) return fromKubeconfig(files);
  if (env.KUBERNETES_SERVICE_HOST) {
    return inCluster(env, options.serviceAccountDir ?? SERVICE_ACCOUNT_DIR);
  }
  throw new Error(
    "no Kubernetes connection: set KUBECONFIG, write ~/.kube/config or run in a Pod with a ServiceAccount"
  );
}
async function inCluster(env, dir) {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT ?? "443";
  return {
    server: `https://${host.includes(":") ? `[${host}]` : host}:${port}`,
    tls: { ca: await readFile(join(dir, "ca.crt")) },
    authorization: bearerFromFile(join(dir, "token"))
  };
}
function bearerFromFile(path) {
  let token = "";
  let readAt = 0;
  return async () => {
    if (!token || Date.now() - readAt > TOKEN_FILE_REFRESH_MS) {
      token = (await readFile(path, "utf8")).trim();
      readAt = Date.now();
    }
    return `Bearer ${token}`;
  };
}
function readKubeconfig(path) {
  return parseKubeconfig(readFileSync(path, "utf8"), dirname(path));
}
function parseKubeconfig(text, dir) {
  const doc = load(text) ?? {};
  const list = (key, field) => (doc[key] ?? []).map((e) => ({
    name: String(e.name),
    value: e[field] ?? {}
  }));
  return {
    dir,
    currentContext: doc["current-context"],
    clusters: list("clusters", "cluster"),
    users: list("users", "user"),
    contexts: list("contexts", "context")
  };
}
async function fromKubeconfig(paths) {
  const files = paths.map(readKubeconfig);
  const find = (pick, name) => {
    for (const f of files) {
      const hit = pick(f).find((e) => e.name === name);
      if (hit) return { value: hit.value ?? {}, dir: f.dir };
    }
    return void 0;
  };
  const contextName = files.find((f) => f.currentContext)?.currentContext;
  const context = find((f) => f.contexts, contextName);
  if (!context) throw new Error(`the kubeconfig has no current context (${paths.join(", ")})`);
  const cluster = find((f) => f.clusters, context.value.cluster);
  if (!cluster?.value.server) throw new Error("the kubeconfig has no current cluster");
  const user = find((f) => f.users, context.value.user) ?? { value: {}, dir: files[0]?.dir ?? "" };
  const u = user.value;
  if (u.exec || u["auth-provider"]) return withPlugin(paths);
  const path = (dir, p) => isAbsolute(p) ? p : join(dir, p);
  const data = (inline, file, dir) => inline ? Buffer.from(inline, "base64") : file ? readFileSync(path(dir, file)) : void 0;
  const c = cluster.value;
  const basic = u.username !== void 0 ? `Basic ${Buffer.from(`${u.username}:${u.password ?? ""}`).toString("base64")}` : void 0;
  return {
    server: c.server.replace(/\/+$/, ""),
    tls: {
      ca: data(c["certificate-authority-data"], c["certificate-authority"], cluster.dir),
      cert: data(u["client-certificate-data"], u["client-certificate"], user.dir),
      key: data(u["client-key-data"], u["client-key"], user.dir),
      rejectUnauthorized: c["insecure-skip-tls-verify"] === true ? false : void 0,
      servername: c["tls-server-name"]
    },
    authorization: u.token ? async () => `Bearer ${u.token}` : u.tokenFile ? bearerFromFile(path(user.dir, u.tokenFile)) : async () => basic
  };
}
var LOCAL_FIELDS = {
  cluster: ["certificate-authority"],
  user: ["tokenFile", "client-certificate", "client-key", "exec", "auth-provider"]
};
function selfContainedConnection(text) {
  let file;
  try {
    file = parseKubeconfig(text, "");
  } catch (error) {
    const line = error.mark?.line;
    throw new Error(
      `the kubeconfig is not valid YAML of a kubeconfig${line !== void 0 ? ` (line ${line + 1})` : ""}`
    );
  }
  for (const [key, fields] of [
    ["cluster", LOCAL_FIELDS.cluster],
    ["user", LOCAL_FIELDS.user]
  ]) {
    const entries = key === "cluster" ? file.clusters : file.users;
    for (const entry of entries) {
      const found = fields.find((f) => entry.value?.[f]);
      if (found === void 0) continue;
      const what = found === "exec" || found === "auth-provider" ? "would run a command (a credential plugin)" : "would read a file on the agent's machine";
      throw new Error(
        `${key} '${entry.name}' of the kubeconfig has ${found}, which ${what}: only inline credentials and certificates are accepted (token, client-certificate-data, client-key-data, certificate-authority-data)`
      );
    }
  }
  const context = file.contexts.find((c) => c.name === file.currentContext)?.value;
  if (!context) throw new Error("the kubeconfig has no current context");
  const cluster = file.clusters.find((c) => c.name === context.cluster)?.value;
  if (!cluster?.server) throw new Error("the kubeconfig's current context has no cluster server");
  const u = file.users.find((e) => e.name === context.user)?.value ?? {};
  const inline = (data) => data ? Buffer.from(data, "base64") : void 0;
  const basic = u.username !== void 0 ? `Basic ${Buffer.from(`${u.username}:${u.password ?? ""}`).toString("base64")}` : void 0;
  const authorization = u.token ? `Bearer ${u.token}` : basic;
  return {
    server: String(cluster.server).replace(/\/+$/, ""),
    tls: {
      ca: inline(cluster["certificate-authority-data"]),
      cert: inline(u["client-certificate-data"]),
      key: inline(u["client-key-data"]),
      servername: cluster["tls-server-name"]
    },
    authorization: async () => authorization
  };
}
async function withPlugin(paths) {
  const { KubeConfig } = await import("./kubeconfig-plugins-AUR2AL7L.js").catch((error) => {
    throw new Error(
      `the kubeconfig's exec or auth-provider plugin needs Node 22.15 or newer (this is ${process.version}): ${error.message}`
    );
  });
  const config = new KubeConfig();
  if (paths.length === 1) config.loadFromFile(paths[0]);
  else config.loadFromDefault();
  const cluster = config.getCurrentCluster();
  if (!cluster) throw new Error("the kubeconfig has no current cluster");
  const tls = {};
  await config.applyToHTTPSOptions(tls);
  return {
    server: cluster.server.replace(/\/+$/, ""),
    tls: {
      ca: tls.ca,
      cert: tls.cert,
      key: tls.key,
      rejectUnauthorized: tls.rejectUnauthorized,
      servername: tls.servername
    },
    authorization: async () => {
      const auth = {};
      await config.applyToHTTPSOptions(auth);
      return auth.headers?.Authorization;
    }
  };
}
async function exists(path) {
  return access(path).then(
    () => true,
    () => false
  );
}

export {
  SERVICE_ACCOUNT_DIR,
  loadConnection,
  selfContainedConnection
};
