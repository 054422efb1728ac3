#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  DEFAULT_DELETE_BUDGET,
  parseDeleteBudget
} from "./chunk-UVUGNZXM.js";
import {
  require_dist
} from "./chunk-ISAI2AEA.js";
import {
  AGENT_NAMESPACE,
  SYNC_TAG
} from "./chunk-TFXRVEOY.js";
import {
  describeRef
} from "./chunk-Z62KHOJY.js";
import {
  __toESM
} from "./chunk-VXZLQ2ES.js";

// agent/alerts.ts
import { createHmac } from "node:crypto";

// agent/config.ts
var import_yaml = __toESM(require_dist(), 1);
var ConfigError = class extends Error {
  constructor(message) {
    super(`configuration: ${message}`);
    this.name = "ConfigError";
  }
};
var UNITS = { ms: 1, s: 1e3, m: 6e4, h: 36e5 };
function parseDuration(text, field2) {
  const trimmed = String(text).trim();
  const parts = [...trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join("") !== trimmed) {
    throw new ConfigError(`${field2}: "${text}" is not a duration (use e.g. 30s, 5m, 1h30m)`);
  }
  return parts.reduce((sum, p) => sum + Number(p[1]) * UNITS[p[2]], 0);
}
function unitNameFromPath(path) {
  const name = path.toLowerCase().replace(/^\.?\/+|\/+$/g, "").replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
  return (name || "root").slice(0, 50).replace(/-+$/, "");
}
var NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
function field(obj, key, type, where) {
  const value = obj[key];
  if (value === void 0 || value === null) return void 0;
  const actual = Array.isArray(value) ? "array" : typeof value;
  if (actual !== type) throw new ConfigError(`${where}.${key}: expected ${type}, got ${actual}`);
  return value;
}
var UNIT_KEYS = /* @__PURE__ */ new Set([
  "name",
  "path",
  "prune",
  "wait",
  "timeout",
  "interval",
  "dependsOn",
  "targetNamespace",
  "allowEmpty",
  "pruneCrdsAndNamespaces",
  "deleteBudget"
]);
var DEFAULTS = {
  intervalMs: 6e4,
  timeoutMs: 3e5,
  prune: false,
  wait: false,
  deleteBudget: DEFAULT_DELETE_BUDGET
};
function budgetOf(value, where, fallback) {
  if (value === void 0) return fallback;
  try {
    return parseDeleteBudget(value, where);
  } catch (error) {
    throw new ConfigError(error instanceof Error ? error.message : String(error));
  }
}
function parseUnit(raw, index, defaults) {
  const where = `units[${index}]`;
  if (typeof raw !== "object" || raw === null || Array.isArray(raw))
    throw new ConfigError(`${where}: expected a mapping`);
  const obj = raw;
  for (const key of Object.keys(obj)) {
    if (!UNIT_KEYS.has(key)) throw new ConfigError(`${where}: unknown field "${key}"`);
  }
  const path = field(obj, "path", "string", where);
  if (!path) throw new ConfigError(`${where}.path is required`);
  const name = field(obj, "name", "string", where) ?? unitNameFromPath(path);
  if (!NAME.test(name) || name.length > 50) {
    throw new ConfigError(
      `${where}.name "${name}": use lowercase letters, digits and '-' (at most 50)`
    );
  }
  const dependsOn = field(obj, "dependsOn", "array", where) ?? [];
  if (dependsOn.some((d) => typeof d !== "string"))
    throw new ConfigError(`${where}.dependsOn: expected unit names`);
  const timeout = obj.timeout === void 0 ? void 0 : parseDuration(String(obj.timeout), `${where}.timeout`);
  const interval = obj.interval === void 0 ? void 0 : parseDuration(String(obj.interval), `${where}.interval`);
  return {
    name,
    path,
    prune: field(obj, "prune", "boolean", where) ?? defaults.prune,
    wait: field(obj, "wait", "boolean", where) ?? defaults.wait,
    timeoutMs: timeout ?? defaults.timeoutMs,
    intervalMs: interval ?? defaults.intervalMs,
    dependsOn,
    targetNamespace: field(obj, "targetNamespace", "string", where),
    allowEmpty: field(obj, "allowEmpty", "boolean", where) ?? false,
    pruneCrdsAndNamespaces: field(obj, "pruneCrdsAndNamespaces", "boolean", where) ?? false,
    deleteBudget: budgetOf(obj.deleteBudget, `${where}.deleteBudget`, defaults.deleteBudget)
  };
}
function orderUnits(units) {
  const byName = /* @__PURE__ */ new Map();
  for (const unit of units) {
    if (byName.has(unit.name)) throw new ConfigError(`two units are named "${unit.name}"`);
    byName.set(unit.name, unit);
  }
  for (const unit of units) {
    for (const dep of unit.dependsOn) {
      if (!byName.has(dep))
        throw new ConfigError(`unit "${unit.name}" depends on "${dep}", which is not a unit`);
    }
  }
  const ordered = [];
  const state = /* @__PURE__ */ new Map();
  const visit = (unit, trail) => {
    const s = state.get(unit.name);
    if (s === "done") return;
    if (s === "visiting") {
      const cycle = [...trail.slice(trail.indexOf(unit.name)), unit.name];
      throw new ConfigError(`dependency cycle: ${cycle.join(" -> ")}`);
    }
    state.set(unit.name, "visiting");
    for (const dep of unit.dependsOn) visit(byName.get(dep), [...trail, unit.name]);
    state.set(unit.name, "done");
    ordered.push(unit);
  };
  for (const unit of units) visit(unit, []);
  return ordered;
}
var TOP_KEYS = /* @__PURE__ */ new Set([
  "namespace",
  "git",
  "interval",
  "timeout",
  "prune",
  "wait",
  "deleteBudget",
  "units",
  "cluster",
  "alerts",
  "decryption",
  "defaultServiceAccount",
  "noCrossNamespaceRefs"
]);
var GIT_KEYS = /* @__PURE__ */ new Set([
  "url",
  "branch",
  "tag",
  "commit",
  "secretDir",
  "syncTag",
  "readonly",
  "verifyKeysDir",
  "verifyMode"
]);
function parseAgentConfig(text) {
  let doc;
  try {
    doc = (0, import_yaml.parse)(text, { uniqueKeys: true });
  } catch (error) {
    throw new ConfigError(
      `not valid YAML: ${error instanceof Error ? error.message.split("\n")[0] : error}`
    );
  }
  if (typeof doc !== "object" || doc === null)
    throw new ConfigError("expected a mapping at the top");
  const top = doc;
  for (const key of Object.keys(top))
    if (!TOP_KEYS.has(key)) throw new ConfigError(`unknown field "${key}"`);
  const git = top.git ?? {};
  for (const key of Object.keys(git))
    if (!GIT_KEYS.has(key)) throw new ConfigError(`git: unknown field "${key}"`);
  const defaults = {
    intervalMs: top.interval === void 0 ? DEFAULTS.intervalMs : parseDuration(String(top.interval), "interval"),
    timeoutMs: top.timeout === void 0 ? DEFAULTS.timeoutMs : parseDuration(String(top.timeout), "timeout"),
    prune: field(top, "prune", "boolean", "config") ?? DEFAULTS.prune,
    wait: field(top, "wait", "boolean", "config") ?? DEFAULTS.wait,
    deleteBudget: budgetOf(top.deleteBudget, "deleteBudget", DEFAULTS.deleteBudget)
  };
  const rawUnits = field(top, "units", "array", "config") ?? [];
  const url = field(git, "url", "string", "git") ?? "";
  return {
    namespace: field(top, "namespace", "string", "config") ?? AGENT_NAMESPACE,
    git: {
      url,
      branch: field(git, "branch", "string", "git"),
      tag: field(git, "tag", "string", "git"),
      commit: field(git, "commit", "string", "git"),
      secretDir: field(git, "secretDir", "string", "git"),
      verifyKeysDir: field(git, "verifyKeysDir", "string", "git"),
      verifyMode: verifyModeOf(field(git, "verifyMode", "string", "git")),
      syncTag: field(git, "syncTag", "string", "git") ?? SYNC_TAG,
      // Read-only unless asked: the sync path never writes to Git by default, so a
      // cluster needs only a read token (Flux v1 pushed its sync tag by default).
      readonly: field(git, "readonly", "boolean", "git") ?? true
    },
    units: rawUnits.map((u, i) => parseUnit(u, i, defaults)),
    cluster: field(top, "cluster", "string", "config"),
    alerts: parseAlerts(top.alerts, process.env, url),
    decryption: parseDecryption(top.decryption),
    lockdown: {
      defaultServiceAccount: field(top, "defaultServiceAccount", "string", "config"),
      noCrossNamespaceRefs: field(top, "noCrossNamespaceRefs", "boolean", "config")
    }
  };
}
function verifyModeOf(mode) {
  if (mode !== void 0 && !["HEAD", "Tag", "TagAndHEAD"].includes(mode))
    throw new ConfigError(`git.verifyMode: expected HEAD, Tag or TagAndHEAD, got "${mode}"`);
  return mode;
}
function parseDecryption(raw) {
  if (raw === void 0 || raw === null) return void 0;
  if (typeof raw !== "object" || Array.isArray(raw))
    throw new ConfigError("decryption: expected a mapping");
  const obj = raw;
  for (const key of Object.keys(obj))
    if (key !== "provider" && key !== "secretRef")
      throw new ConfigError(`decryption: unknown field "${key}"`);
  const provider = field(obj, "provider", "string", "decryption");
  if (provider !== "sops") throw new ConfigError(`decryption.provider: expected "sops"`);
  const ref = field(obj, "secretRef", "object", "decryption");
  const name = ref ? field(ref, "name", "string", "decryption.secretRef") : void 0;
  if (ref && !name) throw new ConfigError("decryption.secretRef.name is required");
  return { provider, secretRef: name ? { name } : void 0 };
}
function validateConfig(config) {
  if (!config.git.url) throw new ConfigError("no Git URL (git.url in the file, or --git-url)");
  if (config.units.length === 0)
    throw new ConfigError("no units (units in the file, or --git-path)");
  if ([config.git.branch, config.git.tag, config.git.commit].filter(Boolean).length > 1) {
    throw new ConfigError("give one of branch, tag or commit");
  }
  if (config.git.commit !== void 0 && !/^[0-9a-f]{7,64}$/i.test(config.git.commit)) {
    throw new ConfigError(
      `commit ${JSON.stringify(config.git.commit)} is not a hexadecimal commit hash (7 to 64 digits)`
    );
  }
  return { ...config, units: orderUnits(config.units) };
}

// agent/alerts.ts
var ALERT_REASONS = [
  "PassFailed",
  "Recovered",
  "Pruned",
  "ImageUpdated"
];
var TYPES = /* @__PURE__ */ new Set(["webhook", "slack", "discord", "msteams", "github"]);
var KEYS = /* @__PURE__ */ new Set(["type", "url", "urlEnv", "severity", "events", "secretEnv", "repository"]);
function parseAlerts(raw, env = process.env, gitUrl = "") {
  if (raw === void 0 || raw === null) return [];
  if (!Array.isArray(raw)) throw new ConfigError("alerts: expected a list");
  return raw.map((item, i) => {
    const where = `alerts[${i}]`;
    if (typeof item !== "object" || item === null || Array.isArray(item))
      throw new ConfigError(`${where}: expected a mapping`);
    const obj = item;
    for (const key of Object.keys(obj))
      if (!KEYS.has(key)) throw new ConfigError(`${where}: unknown field "${key}"`);
    const type = obj.type;
    if (!TYPES.has(type))
      throw new ConfigError(
        `${where}.type: one of ${[...TYPES].join(", ")} (got ${String(obj.type)})`
      );
    const fromEnv = (name, field2) => {
      if (name === void 0) return void 0;
      if (typeof name !== "string") throw new ConfigError(`${where}.${field2}: expected a name`);
      const value = env[name];
      if (!value)
        throw new ConfigError(`${where}.${field2}: environment variable ${name} is not set`);
      return value;
    };
    const url = (typeof obj.url === "string" ? obj.url : void 0) ?? fromEnv(obj.urlEnv, "urlEnv") ?? (type === "github" ? "https://api.github.com" : void 0);
    if (!url) throw new ConfigError(`${where}: url or urlEnv is required`);
    try {
      const parsed = new URL(url);
      if (parsed.protocol !== "https:" && parsed.protocol !== "http:") throw new Error();
    } catch {
      throw new ConfigError(`${where}.url: not an http(s) URL`);
    }
    const severity = obj.severity ?? "info";
    if (severity !== "info" && severity !== "error")
      throw new ConfigError(`${where}.severity: info or error`);
    const events = obj.events ?? [];
    if (!Array.isArray(events) || events.some((e) => !ALERT_REASONS.includes(e)))
      throw new ConfigError(`${where}.events: any of ${ALERT_REASONS.join(", ")}`);
    const secret = fromEnv(obj.secretEnv, "secretEnv");
    let repository = typeof obj.repository === "string" ? obj.repository : void 0;
    if (type === "github") {
      repository ??= repositoryOf(gitUrl);
      if (!repository)
        throw new ConfigError(`${where}.repository: owner/name (not derivable from the Git URL)`);
      if (!secret) throw new ConfigError(`${where}.secretEnv: a token is required for github`);
    }
    return { type, url, severity, events, secret, repository };
  });
}
function repositoryOf(gitUrl) {
  const match = /[/:]([^/:]+)\/([^/]+?)(?:\.git)?\/?$/.exec(gitUrl);
  return match ? `${match[1]}/${match[2]}` : void 0;
}
function wants(target, event) {
  if (target.severity === "error" && event.severity !== "error") return false;
  return target.events.length === 0 || target.events.includes(event.reason);
}
function summary(event) {
  const at = event.revision ? ` at ${event.revision.slice(0, 12)}` : "";
  return `[${event.cluster}] ${event.unit}: ${event.reason}${at}: ${event.message}`;
}
function deliveryFor(target, event) {
  const json = { "content-type": "application/json" };
  switch (target.type) {
    case "webhook": {
      const body = JSON.stringify(event);
      const headers = { ...json };
      if (target.secret)
        headers["x-signature"] = `sha256=${createHmac("sha256", target.secret).update(body).digest("hex")}`;
      return { url: target.url, headers, body };
    }
    case "slack":
      return { url: target.url, headers: json, body: JSON.stringify({ text: summary(event) }) };
    case "discord":
      return {
        url: target.url,
        headers: json,
        body: JSON.stringify({ content: summary(event).slice(0, 2e3) })
      };
    case "msteams":
      return {
        url: target.url,
        headers: json,
        body: JSON.stringify({
          type: "message",
          attachments: [
            {
              contentType: "application/vnd.microsoft.card.adaptive",
              content: {
                $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
                type: "AdaptiveCard",
                version: "1.4",
                body: [{ type: "TextBlock", text: summary(event), wrap: true }]
              }
            }
          ]
        })
      };
    case "github": {
      if (!event.revision) return void 0;
      const state = event.severity === "error" ? "failure" : "success";
      return {
        url: `${target.url.replace(/\/$/, "")}/repos/${target.repository}/statuses/${event.revision}`,
        headers: {
          ...json,
          accept: "application/vnd.github+json",
          authorization: `Bearer ${target.secret}`
        },
        body: JSON.stringify({
          state,
          context: `tether/${event.cluster}`,
          description: `${event.unit}: ${event.message}`.slice(0, 140)
        })
      };
    }
  }
}
function pendingStatus(target, cluster, revision) {
  if (target.type !== "github") return void 0;
  return {
    url: `${target.url.replace(/\/$/, "")}/repos/${target.repository}/statuses/${revision}`,
    headers: {
      "content-type": "application/json",
      accept: "application/vnd.github+json",
      authorization: `Bearer ${target.secret}`
    },
    body: JSON.stringify({
      state: "pending",
      context: `tether/${cluster}`,
      description: "applying"
    })
  };
}
function hostOf(url) {
  try {
    return new URL(url).host;
  } catch {
    return "?";
  }
}
var Notifier = class {
  lastSent = /* @__PURE__ */ new Map();
  window = /* @__PURE__ */ new Map();
  inFlight = /* @__PURE__ */ new Set();
  dropped = 0;
  targets;
  options;
  constructor(targets, options) {
    this.targets = targets;
    this.options = options;
  }
  get size() {
    return this.targets.length;
  }
  /** Queues an event for every target that wants it; never throws, never waits. */
  notify(event, now = Date.now()) {
    for (const target of this.targets) {
      if (!wants(target, event)) continue;
      const key = `${this.targets.indexOf(target)}/${event.reason}/${event.unit}/${event.revision ?? ""}/${event.message}`;
      const quiet = this.options.quietMs ?? 10 * 6e4;
      const last = this.lastSent.get(key);
      if (last !== void 0 && now - last < quiet) continue;
      if (!this.allow(target, now)) continue;
      this.lastSent.set(key, now);
      const delivery = deliveryFor(target, event);
      if (delivery) this.send(delivery);
    }
    if (this.lastSent.size > 1e3) {
      for (const [key, at] of this.lastSent)
        if (now - at > (this.options.quietMs ?? 6e5)) this.lastSent.delete(key);
    }
  }
  /** GitHub targets: mark a commit as being applied. */
  pending(cluster, revision) {
    for (const target of this.targets) {
      const delivery = pendingStatus(target, cluster, revision);
      if (delivery && this.allow(target, Date.now())) this.send(delivery);
    }
  }
  /** Resolves when every queued delivery has ended (used when stopping, and in tests). */
  async flush() {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }
  allow(target, now) {
    const times = (this.window.get(target) ?? []).filter((t) => now - t < 6e4);
    if (times.length >= (this.options.perMinute ?? 20)) {
      this.dropped++;
      if (this.dropped === 1 || this.dropped % 100 === 0)
        this.options.log(`alerts: rate limit for ${hostOf(target.url)}; ${this.dropped} dropped`);
      this.window.set(target, times);
      return false;
    }
    times.push(now);
    this.window.set(target, times);
    return true;
  }
  send(delivery) {
    const job = this.deliver(delivery).finally(() => this.inFlight.delete(job));
    this.inFlight.add(job);
  }
  async deliver(delivery) {
    const attempts = this.options.attempts ?? 4;
    const doFetch = this.options.fetch ?? fetch;
    let why = "";
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        const res = await doFetch(delivery.url, {
          method: "POST",
          headers: delivery.headers,
          body: delivery.body,
          signal: AbortSignal.timeout(1e4)
        });
        await res.arrayBuffer().catch(() => void 0);
        if (res.ok) return;
        why = `HTTP ${res.status}`;
        if (res.status < 500 && res.status !== 429) break;
      } catch (error) {
        why = error instanceof Error ? error.message : String(error);
      }
      if (attempt < attempts)
        await new Promise(
          (r) => setTimeout(r, (this.options.backoffMs ?? 1e3) * 2 ** (attempt - 1))
        );
    }
    this.options.log(`alerts: sending to ${hostOf(delivery.url)} failed: ${why}`);
  }
};
function eventsOfUnit(unit, wasOk, outcome, cluster, now = /* @__PURE__ */ new Date()) {
  const base = { unit, revision: outcome.revision, cluster, timestamp: now.toISOString() };
  const events = [];
  if (!outcome.ok)
    events.push({
      ...base,
      reason: "PassFailed",
      severity: "error",
      message: outcome.error ?? "the pass failed"
    });
  else if (wasOk === false)
    events.push({
      ...base,
      reason: "Recovered",
      severity: "info",
      message: "the pass succeeded again"
    });
  if (outcome.pruned.length > 0)
    events.push({
      ...base,
      reason: "Pruned",
      severity: "info",
      message: `pruned ${outcome.pruned.length}: ${outcome.pruned.slice(0, 10).join(", ")}${outcome.pruned.length > 10 ? ", ..." : ""}`
    });
  return events;
}
function prunedOf(report) {
  return (report?.changes ?? []).filter((c) => c.action === "pruned").map((c) => describeRef(c.ref));
}

export {
  ALERT_REASONS,
  parseAlerts,
  repositoryOf,
  wants,
  deliveryFor,
  pendingStatus,
  Notifier,
  eventsOfUnit,
  prunedOf,
  ConfigError,
  parseDuration,
  unitNameFromPath,
  DEFAULTS,
  parseAgentConfig,
  validateConfig
};
