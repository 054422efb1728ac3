#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  RECORDS_SELECTOR,
  gitSpecOf,
  imageStatus,
  messageOf,
  syncOnce,
  unitRequests,
  writeImageStatus
} from "./chunk-TAAW5PW6.js";
import {
  COUNTED,
  emptyCounts,
  formatChange,
  isShown
} from "./chunk-CVK26UKQ.js";
import "./chunk-BR3R3U4A.js";
import "./chunk-ULLIZLO6.js";
import "./chunk-N3OB5IOV.js";
import "./chunk-KXK5HPMO.js";
import "./chunk-Q254XXVV.js";
import "./chunk-5XDQXNVE.js";
import "./chunk-7DWNNWZK.js";
import "./chunk-4M6UGTPT.js";
import "./chunk-47AX5NPA.js";
import "./chunk-SRSIAQQV.js";
import {
  KubeClient
} from "./chunk-325BOABT.js";
import "./chunk-XH5JYCWA.js";
import "./chunk-OMIHXC2B.js";
import {
  CreatedCache
} from "./chunk-IE7JZNQV.js";
import "./chunk-BCRNYLKH.js";
import "./chunk-DYND6O65.js";
import "./chunk-F7OZ6T2Y.js";
import "./chunk-SUDYIAIR.js";
import {
  Notifier,
  eventsOfUnit,
  prunedOf
} from "./chunk-PWRTHR4Y.js";
import "./chunk-UVUGNZXM.js";
import "./chunk-ISAI2AEA.js";
import {
  HTTP_PORT
} from "./chunk-TFXRVEOY.js";
import "./chunk-4YORIVZT.js";
import {
  KUSTOMIZATION_API,
  REQUESTED_AT_ANNOTATION,
  nsName,
  parseFluxDuration
} from "./chunk-QUMNNJCF.js";
import "./chunk-SSFUHCBC.js";
import {
  redactUrl
} from "./chunk-KVDOGNFO.js";
import "./chunk-YOD6VEQU.js";
import "./chunk-Z62KHOJY.js";
import "./chunk-VXZLQ2ES.js";

// agent/loop.ts
import { join } from "node:path";

// agent/schedule.ts
var MIN_RETRY_MS = 5e3;
function nextDelay(intervalMs, failures, random = Math.random) {
  const base = failures === 0 ? intervalMs : Math.min(intervalMs, MIN_RETRY_MS * 2 ** (failures - 1));
  return Math.round(base * (0.9 + 0.2 * random()));
}
var UnitSchedule = class {
  states;
  constructor(units) {
    this.states = units.map((unit) => ({ unit, due: 0, failures: 0, ok: void 0 }));
  }
  /** Units the agent leaves alone until resumed (`tether suspend`). */
  suspended = /* @__PURE__ */ new Set();
  due(now) {
    return this.states.filter((s) => s.due <= now && !this.suspended.has(s.unit.name));
  }
  /** Units that ended ok in an earlier pass and are not running in this one. */
  healthyBesides(running) {
    return new Set(this.states.filter((s) => s.ok && !running.includes(s)).map((s) => s.unit.name));
  }
  /** These units (default: every unit) run now, whatever their interval. */
  request(names, now = Date.now()) {
    for (const state of this.states) {
      if (names && !names.includes(state.unit.name)) continue;
      state.requestedAt = now;
      state.due = Math.min(state.due, now);
    }
  }
  /**
   * `startedAt` is when the recorded pass began: a request that arrived while it ran may
   * name a newer commit than the one it fetched, so the unit runs again at once.
   */
  record(state, ok, error, now = Date.now(), startedAt = now) {
    state.failures = ok ? 0 : state.failures + 1;
    state.ok = ok;
    state.lastError = ok ? void 0 : error;
    state.due = now + nextDelay(state.unit.intervalMs, state.failures);
    if (state.requestedAt !== void 0 && state.requestedAt > startedAt) state.due = now;
    else state.requestedAt = void 0;
  }
  nextDue() {
    return Math.min(
      ...this.states.filter((s) => !this.suspended.has(s.unit.name)).map((s) => s.due)
    );
  }
};

// agent/automation/schedule.ts
var ImageSchedule = class {
  next = 0;
  failures = 0;
  createdCache = new CreatedCache();
  tagTimes = /* @__PURE__ */ new Map();
  state;
  config;
  options;
  client;
  metrics;
  log;
  constructor(config, options, client, metrics, log) {
    this.config = config;
    this.options = options;
    this.client = client;
    this.metrics = metrics;
    this.log = log;
  }
  get nextRun() {
    return this.next;
  }
  /** One run; errors are logged and retried with backoff, never thrown. */
  async run(onError) {
    try {
      const { runAutomation } = await import("./automation-45IYI5VZ.js");
      const { resolvePullRequest } = await import("./pull-request-UWBENN5S.js");
      const pullRequest = this.options.pullRequest ? await resolvePullRequest(this.options.pullRequest, this.client) : void 0;
      const result = await runAutomation({
        pullRequest,
        spec: gitSpecOf(this.config),
        branch: this.config.git.branch,
        path: this.options.path,
        push: true,
        author: this.options.author ?? {},
        insecureRegistries: this.options.insecureRegistries,
        kube: { client: this.client, namespace: this.config.namespace },
        createdCache: this.createdCache,
        tagTimes: this.tagTimes
      });
      this.state = imageStatus(result, this.state);
      this.metrics.recordImages(this.state);
      await writeImageStatus(this.client, this.config.namespace, this.state).catch(
        (error) => this.log(`images: could not record status: ${error.message}`)
      );
      for (const c of result.plan?.changes ?? [])
        this.log(`images: ${c.file}: ${c.old} -> ${c.new}`);
      for (const p of result.outcome?.policies ?? [])
        if (p.error) this.log(`images: error: ${p.error}`);
      if (result.pushed)
        this.log(`images: pushed ${result.commit?.slice(0, 12)} to ${result.branch ?? "?"}`);
      if (result.othersCommits)
        this.log(
          `images: ${result.branch} has ${result.othersCommits} commit(s) by others; built on top`
        );
      const pr = result.pullRequest;
      if (pr && pr.action !== "none" && pr.action !== "unchanged")
        this.log(`images: pull request #${pr.number} ${pr.action}`);
      if (result.skippedByLease) this.log("images: another agent holds the writer Lease; skipped");
      this.failures = 0;
    } catch (error) {
      this.failures++;
      onError(error, "images");
      this.log(`images: error: ${error instanceof Error ? error.message : String(error)}`);
    }
    this.next = Date.now() + nextDelay(this.options.intervalMs, this.failures);
  }
};

// agent/flux/schedule.ts
var REQUEUE_DEPENDENCY_MS = 3e4;
var DEFAULT_FLUX_POLL_MS = 5e3;
var DEFAULT_INTERVAL_MS = 6e5;
function dueReason(ks, entry, now, sourceRevision) {
  if (!entry) return "first reconcile";
  const status = ks.status ?? {};
  const generation = ks.metadata.generation;
  if (generation !== entry.generation || generation !== status.observedGeneration)
    return "spec changed";
  const requestedAt = ks.metadata.annotations?.[REQUESTED_AT_ANNOTATION];
  if (requestedAt && requestedAt !== entry.requestedAt) return "reconcile requested";
  if (sourceRevision && sourceRevision !== status.lastAttemptedRevision) return "new revision";
  return now >= entry.next ? "interval" : void 0;
}
function nextDelayFor(ks, outcome) {
  const spec = ks.spec ?? {};
  const interval = parseFluxDuration(spec.interval, DEFAULT_INTERVAL_MS);
  if (outcome === "ready") return interval;
  const retry = parseFluxDuration(spec.retryInterval, interval);
  return outcome === "dependency" ? Math.min(retry, REQUEUE_DEPENDENCY_MS) : retry;
}
var FluxSchedule = class {
  entries = /* @__PURE__ */ new Map();
  nextPoll = 0;
  requested = false;
  pollMs;
  constructor(pollMs = DEFAULT_FLUX_POLL_MS) {
    this.pollMs = pollMs;
  }
  /** Whether the agent has Flux Kustomizations to keep on schedule. */
  get active() {
    return this.entries.size > 0;
  }
  due(ks, now, sourceRevision) {
    return dueReason(ks, this.entries.get(nsName(ks)), now, sourceRevision);
  }
  record(ks, outcome, now = Date.now()) {
    this.entries.set(nsName(ks), {
      next: now + nextDelayFor(ks, outcome),
      generation: ks.metadata.generation,
      requestedAt: ks.metadata.annotations?.[REQUESTED_AT_ANNOTATION]
    });
  }
  /** When the next Kustomization is due, or the next poll (whichever is first). */
  nextWake() {
    if (!this.active) return Number.POSITIVE_INFINITY;
    return Math.min(this.nextPoll, ...[...this.entries.values()].map((e) => e.next));
  }
  /**
   * Whether a pass is needed now: a Kustomization's time came, or (polled at most every
   * pollMs) one has an unhandled requestedAt or an edited spec.
   */
  async needsPass(client, now = Date.now()) {
    if (!this.active) return false;
    if (this.requested || [...this.entries.values()].some((e) => now >= e.next)) return true;
    if (now < this.nextPoll) return false;
    this.nextPoll = now + this.pollMs;
    const live = await client.list(KUSTOMIZATION_API, "Kustomization").catch(() => []);
    this.requested = live.some((ks) => {
      const entry = this.entries.get(nsName(ks));
      if (!entry || ks.spec?.suspend) return false;
      const reason = dueReason(ks, entry, now);
      return reason === "spec changed" || reason === "reconcile requested";
    });
    return this.requested;
  }
  /** A pass started: what the poll found is being handled. */
  passStarted() {
    this.requested = false;
  }
};

// agent/metrics.ts
function label(value) {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}
var Metrics = class {
  units = /* @__PURE__ */ new Map();
  polls = { ok: 0, error: 0 };
  fetches = 0;
  images = /* @__PURE__ */ new Map();
  lastImagePush = 0;
  passes = { ok: 0, failed: 0 };
  unexpected = 0;
  sourceStale = 0;
  lastPassStart = 0;
  /** A pass of the loop started (the liveness watchdog's clock). */
  recordPassStart() {
    this.lastPassStart = Date.now() / 1e3;
  }
  recordPass(ok) {
    this.passes[ok ? "ok" : "failed"]++;
  }
  /** An error that is a bug, not bad input or an unreachable server. */
  recordUnexpected() {
    this.unexpected++;
  }
  /** 1 while units are applied from the last good state because Git cannot be reached. */
  recordSourceStale(stale) {
    this.sourceStale = stale ? 1 : 0;
  }
  /** A unit that failed without a report of its own (a failed pass before reconcile). */
  recordUnitFailed(unit) {
    const m = this.unit(unit);
    m.syncs.failed++;
    m.lastSync = Date.now() / 1e3;
    m.healthy = 0;
  }
  unit(name) {
    let m = this.units.get(name);
    if (!m) {
      m = {
        syncs: { ok: 0, failed: 0 },
        counts: emptyCounts(),
        lastSync: 0,
        lastSuccess: 0,
        healthy: 0
      };
      this.units.set(name, m);
    }
    return m;
  }
  recordUnit(report) {
    const now = Date.now() / 1e3;
    const m = this.unit(report.unit);
    if (report.ok) m.syncs.ok++;
    else m.syncs.failed++;
    for (const action of COUNTED) m.counts[action] += report.status.counts[action];
    m.lastSync = now;
    if (report.ok) m.lastSuccess = now;
    m.healthy = report.ok ? 1 : 0;
  }
  /** Each policy's latest tag and the value in Git; the last push. */
  recordImages(status) {
    for (const p of status.policies)
      this.images.set(p.policy, { latest: p.latest, inGit: p.inGit, ok: p.error ? 0 : 1 });
    if (status.lastPush) this.lastImagePush = Date.parse(status.lastPush) / 1e3;
  }
  recordPoll(result, fetched) {
    this.polls[result]++;
    if (fetched) this.fetches++;
  }
  render() {
    const lines = [];
    const family = (name, type, help) => lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    family("tether_passes_total", "counter", "Passes of the agent's loop, by result.");
    lines.push(
      `tether_passes_total{result="ok"} ${this.passes.ok}`,
      `tether_passes_total{result="failed"} ${this.passes.failed}`
    );
    family(
      "tether_unexpected_errors_total",
      "counter",
      "Errors that are bugs (caught per pass, logged with their stack once)."
    );
    lines.push(`tether_unexpected_errors_total ${this.unexpected}`);
    family("tether_last_pass_start_timestamp_seconds", "gauge", "When the last pass started.");
    lines.push(`tether_last_pass_start_timestamp_seconds ${this.lastPassStart}`);
    family(
      "tether_source_stale",
      "gauge",
      "1 while Git cannot be reached and units are kept from the last good state."
    );
    lines.push(`tether_source_stale ${this.sourceStale}`);
    family("tether_git_polls_total", "counter", "Checks of the remote revision, by result.");
    lines.push(
      `tether_git_polls_total{result="ok"} ${this.polls.ok}`,
      `tether_git_polls_total{result="error"} ${this.polls.error}`
    );
    family(
      "tether_git_fetches_total",
      "counter",
      "Fetches made because the remote revision changed."
    );
    lines.push(`tether_git_fetches_total ${this.fetches}`);
    family("tether_unit_syncs_total", "counter", "Reconciles of a unit, by result.");
    for (const [unit, m] of this.units) {
      lines.push(`tether_unit_syncs_total{unit="${label(unit)}",result="ok"} ${m.syncs.ok}`);
      lines.push(
        `tether_unit_syncs_total{unit="${label(unit)}",result="failed"} ${m.syncs.failed}`
      );
    }
    family(
      "tether_unit_objects_total",
      "counter",
      "Objects handled by a unit's reconciles, by action."
    );
    for (const [unit, m] of this.units) {
      for (const action of COUNTED)
        lines.push(
          `tether_unit_objects_total{unit="${label(unit)}",action="${action}"} ${m.counts[action]}`
        );
    }
    family(
      "tether_unit_last_sync_timestamp_seconds",
      "gauge",
      "When the unit last finished a reconcile."
    );
    for (const [unit, m] of this.units)
      lines.push(`tether_unit_last_sync_timestamp_seconds{unit="${label(unit)}"} ${m.lastSync}`);
    family(
      "tether_unit_last_success_timestamp_seconds",
      "gauge",
      "When the unit last reconciled successfully."
    );
    for (const [unit, m] of this.units)
      lines.push(
        `tether_unit_last_success_timestamp_seconds{unit="${label(unit)}"} ${m.lastSuccess}`
      );
    family("tether_unit_ready", "gauge", "1 when the unit's last reconcile succeeded.");
    for (const [unit, m] of this.units)
      lines.push(`tether_unit_ready{unit="${label(unit)}"} ${m.healthy}`);
    family(
      "tether_image_policy_info",
      "gauge",
      "Each ImagePolicy's latest tag and the value in Git (1 when selection worked)."
    );
    for (const [policy, m] of this.images) {
      lines.push(
        `tether_image_policy_info{policy="${label(policy)}",latest="${label(m.latest)}",in_git="${label(m.inGit)}"} ${m.ok}`
      );
    }
    family(
      "tether_image_last_push_timestamp_seconds",
      "gauge",
      "When image automation last pushed a commit."
    );
    lines.push(`tether_image_last_push_timestamp_seconds ${this.lastImagePush}`);
    return `${lines.join("\n")}
`;
  }
};

// agent/probes.ts
var MIN_LIVENESS_WINDOW_MS = 6e4;
function livenessWindow(intervalsMs, timeoutsMs) {
  return Math.max(
    MIN_LIVENESS_WINDOW_MS,
    3 * Math.max(...intervalsMs) + Math.max(0, ...timeoutsMs)
  );
}
function liveness(now, started, lastPassStart, windowMs) {
  const since = now - (lastPassStart ?? started);
  if (since > windowMs) {
    return {
      ok: false,
      body: `no pass started for ${Math.round(since / 1e3)}s (limit ${Math.round(windowMs / 1e3)}s)
`
    };
  }
  return { ok: true, body: "ok\n" };
}
function readiness(now, units, source) {
  const problems = [];
  for (const u of units) {
    if (u.ok === void 0) problems.push(`${u.name}: first pass not done`);
    else if (!u.ok) problems.push(`${u.name}: last pass failed: ${u.lastError ?? "?"}`);
  }
  if (source.lastFetch !== void 0 && now - source.lastFetch > source.staleAfterMs) {
    problems.push(
      `source stale: Git not reached for ${Math.round((now - source.lastFetch) / 1e3)}s (limit ${Math.round(source.staleAfterMs / 1e3)}s)`
    );
  }
  if (problems.length > 0) return { ok: false, body: `${problems.join("\n").slice(0, 4e3)}
` };
  return { ok: true, body: "ok\n" };
}

// agent/receiver.ts
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";
var MAX_HOOK_BODY = 1024 * 1024;
function sameSecret(given, expected) {
  const a = createHmac("sha256", "tether-receiver").update(given).digest();
  const b = createHmac("sha256", "tether-receiver").update(expected).digest();
  return timingSafeEqual(a, b);
}
function hmacHex(body, secret) {
  return createHmac("sha256", secret).update(body).digest("hex");
}
function header(headers, name) {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}
function authenticate(headers, body, secret) {
  const github = header(headers, "x-hub-signature-256");
  if (github !== void 0)
    return { provider: "github", ok: sameSecret(github, `sha256=${hmacHex(body, secret)}`) };
  const gitea = header(headers, "x-gitea-signature") ?? header(headers, "x-forgejo-signature");
  if (gitea !== void 0)
    return { provider: "gitea", ok: sameSecret(gitea, hmacHex(body, secret)) };
  const gitlab = header(headers, "x-gitlab-token");
  if (gitlab !== void 0) return { provider: "gitlab", ok: sameSecret(gitlab, secret) };
  const generic = header(headers, "x-signature");
  if (generic !== void 0)
    return { provider: "generic", ok: sameSecret(generic, `sha256=${hmacHex(body, secret)}`) };
  return void 0;
}
function eventOf(provider, headers) {
  if (provider === "github") return header(headers, "x-github-event") ?? "";
  if (provider === "gitea")
    return header(headers, "x-gitea-event") ?? header(headers, "x-forgejo-event") ?? "";
  if (provider === "gitlab") {
    const event = header(headers, "x-gitlab-event") ?? "";
    return event === "Push Hook" ? "push" : event === "Tag Push Hook" ? "push" : event;
  }
  return "push";
}
function pushedRef(body, contentType) {
  let text = body.toString("utf8");
  if (contentType?.startsWith("application/x-www-form-urlencoded"))
    text = new URLSearchParams(text).get("payload") ?? "";
  const payload = JSON.parse(text);
  return typeof payload.ref === "string" ? payload.ref : void 0;
}
function refMatches(ref, watched) {
  if (ref === void 0) return false;
  if (watched.tag !== void 0) return ref === `refs/tags/${watched.tag}`;
  return ref === `refs/heads/${watched.branch ?? "main"}`;
}
function judgeHook(headers, body, secret, watched) {
  const auth = authenticate(headers, body, secret);
  if (!auth)
    return {
      status: 401,
      message: "no signature (X-Hub-Signature-256, X-Gitlab-Token, X-Gitea-Signature or X-Signature)",
      trigger: false
    };
  if (!auth.ok)
    return {
      status: 401,
      message: "signature does not match",
      trigger: false,
      provider: auth.provider
    };
  const event = eventOf(auth.provider, headers);
  const provider = auth.provider;
  if (event === "ping") return { status: 200, message: "pong", trigger: false, provider };
  if (event !== "push")
    return {
      status: 202,
      message: `ignored: ${event || "unnamed"} event`,
      trigger: false,
      provider
    };
  if (provider === "generic")
    return { status: 202, message: "pass requested", trigger: true, provider };
  let ref;
  try {
    ref = pushedRef(body, header(headers, "content-type"));
  } catch {
    return { status: 400, message: "the body is not a push payload", trigger: false, provider };
  }
  if (!refMatches(ref, watched))
    return {
      status: 202,
      message: `ignored: push to ${ref ?? "no ref"}`,
      trigger: false,
      provider
    };
  return { status: 202, message: `pass requested for ${ref}`, trigger: true, provider };
}
function serveReceiver(options) {
  const server = createServer({ connectionsCheckingInterval: 1e3 }, (req, res) => {
    const reply = (status, message) => {
      res.writeHead(status, { "content-type": "text/plain", connection: "close" });
      res.end(`${message}
`);
    };
    const path = (req.url ?? "/").split("?")[0];
    if (path !== "/hook") return reply(404, "not found");
    if (req.method !== "POST") {
      res.setHeader("allow", "POST");
      return reply(405, "method not allowed");
    }
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > MAX_HOOK_BODY) return reply(413, "body too large");
    const chunks = [];
    let size = 0;
    req.on("data", (chunk) => {
      size += chunk.length;
      if (size > MAX_HOOK_BODY) {
        reply(413, "body too large");
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (size > MAX_HOOK_BODY) return;
      const verdict = judgeHook(
        req.headers,
        Buffer.concat(chunks),
        options.secret,
        options.watched
      );
      const from = verdict.provider ? ` (${verdict.provider})` : "";
      options.log(`receiver: ${verdict.status} ${verdict.message}${from}`);
      reply(verdict.status, verdict.message);
      if (verdict.trigger) options.onTrigger(verdict);
    });
  });
  server.headersTimeout = 5e3;
  server.requestTimeout = 1e4;
  server.keepAliveTimeout = 1e3;
  return new Promise((resolve, reject) => {
    server.once("error", (error) => {
      if (options.bind === "::" && (error.code === "EAFNOSUPPORT" || error.code === "EADDRNOTAVAIL")) {
        server.once("error", reject);
        server.listen(options.port, "0.0.0.0", () => resolve(server));
      } else reject(error);
    });
    server.listen(options.port, options.bind, () => resolve(server));
  });
}

// agent/server.ts
import { createServer as createServer2 } from "node:http";
function serve(port, bind, routes) {
  return new Promise((resolve, reject) => {
    const server = createServer2({ connectionsCheckingInterval: 1e3 }, (req, res) => {
      if (req.method !== "GET" && req.method !== "HEAD") {
        res.writeHead(405, { allow: "GET, HEAD", "content-type": "text/plain" });
        res.end("method not allowed\n");
        return;
      }
      const route = routes[(req.url ?? "/").split("?")[0] ?? "/"];
      let answer2;
      try {
        answer2 = route ? route() : { status: 404, body: "not found\n" };
      } catch (error) {
        answer2 = { status: 500, body: `${error instanceof Error ? error.message : error}
` };
      }
      res.writeHead(answer2.status, { "content-type": answer2.type ?? "text/plain" });
      res.end(answer2.body);
    });
    server.keepAliveTimeout = 1e3;
    server.headersTimeout = 5e3;
    server.requestTimeout = 1e4;
    server.once("error", (error) => {
      if (bind === "::" && (error.code === "EAFNOSUPPORT" || error.code === "EADDRNOTAVAIL")) {
        server.once("error", reject);
        server.listen(port, "0.0.0.0", () => resolve(server));
      } else reject(error);
    });
    server.listen(port, bind, () => resolve(server));
  });
}
function closeServer(server) {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

// agent/signals.ts
function onStopSignal(log, graceMs, exit = (code) => process.exit(code)) {
  let stopping = false;
  let wake;
  const handler = (signal) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: finishing the unit in progress, then stopping`);
    wake?.();
    const timer = setTimeout(() => {
      log(`${signal}: still busy after ${graceMs}ms; exiting (records are written whole)`);
      exit(0);
    }, graceMs);
    timer.unref();
  };
  process.on("SIGTERM", handler);
  process.on("SIGINT", handler);
  return {
    get stopping() {
      return stopping;
    },
    sleep(ms) {
      if (stopping) return Promise.resolve();
      return new Promise((resolve) => {
        const done = () => {
          clearTimeout(timer);
          wake = void 0;
          resolve();
        };
        const timer = setTimeout(done, ms);
        wake = done;
      });
    },
    wake() {
      wake?.();
    },
    dispose() {
      process.off("SIGTERM", handler);
      process.off("SIGINT", handler);
    }
  };
}

// agent/loop.ts
var DEFAULT_STALE_AFTER_MS = 10 * 6e4;
var REQUEST_POLL_MS = 3e3;
var DEFAULT_GRACE_MS = 8e3;
function isUnexpected(error) {
  return !(error instanceof Error) || error instanceof TypeError || error instanceof RangeError || error instanceof ReferenceError || error instanceof SyntaxError;
}
var answer = (probe) => ({ status: probe.ok ? 200 : 503, body: probe.body });
async function runAgent(config, options) {
  const log = options.log ?? ((line) => process.stdout.write(`${(/* @__PURE__ */ new Date()).toISOString()} ${line}
`));
  const stop = onStopSignal(log, options.graceMs ?? DEFAULT_GRACE_MS);
  const client = await KubeClient.connect({ kubeconfig: options.kubeconfig });
  const metrics = new Metrics();
  const schedule = new UnitSchedule(config.units);
  const fluxSchedule = new FluxSchedule();
  const started = Date.now();
  let lastPassStart;
  let lastFetch;
  const windowMs = livenessWindow(
    config.units.map((u) => u.intervalMs),
    config.units.map((u) => u.wait ? u.timeoutMs : 0)
  );
  const seenStacks = /* @__PURE__ */ new Set();
  const onError = (error, where) => {
    if (!isUnexpected(error)) return;
    metrics.recordUnexpected();
    const stack = error instanceof Error ? error.stack ?? error.message : String(error);
    if (seenStacks.has(stack)) return;
    seenStacks.add(stack);
    log(`${where}: unexpected error (retried; please report it): ${stack}`);
  };
  const server = await serve(options.port ?? HTTP_PORT, options.bind ?? "::", {
    "/healthz": () => answer(liveness(Date.now(), started, lastPassStart, windowMs)),
    "/readyz": () => answer(
      readiness(
        Date.now(),
        schedule.states.map((s) => ({ name: s.unit.name, ok: s.ok, lastError: s.lastError })),
        {
          // Before Git first answered, staleness counts from the agent's start.
          lastFetch: lastFetch ?? started,
          staleAfterMs: options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS
        }
      )
    ),
    "/metrics": () => ({
      status: 200,
      body: metrics.render(),
      type: "text/plain; version=0.0.4"
    })
  });
  const receiver = options.receiver ? await serveReceiver({
    port: options.receiver.port,
    bind: options.bind ?? "::",
    secret: options.receiver.secret,
    watched: { branch: config.git.branch, tag: config.git.tag },
    log,
    onTrigger: () => {
      schedule.request();
      stop.wake();
    }
  }) : void 0;
  const cluster = config.cluster ?? "default";
  const notifier = new Notifier(config.alerts ?? [], { log });
  let pendingRevision;
  log(
    `agent: ${config.units.length} unit(s) from ${redactUrl(config.git.url)}, records in ${config.namespace}`
  );
  const runPass = async (due) => {
    const passStart = Date.now();
    lastPassStart = passStart;
    metrics.recordPassStart();
    let pass;
    try {
      pass = await syncOnce(config, {
        client,
        cacheDir: options.cacheDir,
        kubeconfig: options.kubeconfig,
        units: due.map((s) => s.unit),
        healthyBefore: schedule.healthyBesides(due),
        onUnit: (report) => {
          for (const change of report.changes.filter(isShown))
            if (change.action !== "unchanged") log(`${report.unit}: ${formatChange(change)}`);
          for (const error of report.errors) log(`${report.unit}: error: ${error}`);
          metrics.recordUnit(report);
        },
        onError,
        onNote: (line) => log(`note: ${line}`),
        fluxSchedule,
        lastGoodDir: join(options.cacheDir, "last-good")
      });
    } catch (error) {
      onError(error, "pass");
      pass = { ok: false, reports: [], error: messageOf(error) };
    }
    if (pass.revision) lastFetch = Date.now();
    metrics.recordSourceStale(pass.stale === true);
    metrics.recordPoll(pass.revision ? "ok" : "error", pass.fetched === true);
    metrics.recordPass(pass.ok);
    if (pass.error) log(`error: ${pass.error}`);
    if (pass.warning) log(`warning: ${pass.warning}`);
    if (pass.revision && pass.revision !== pendingRevision && notifier.size > 0) {
      pendingRevision = pass.revision;
      notifier.pending(cluster, pass.revision);
    }
    for (const state of due) {
      const report = pass.reports.find((r) => r.unit === state.unit.name);
      if (!report) metrics.recordUnitFailed(state.unit.name);
      const ok = report?.ok ?? false;
      const error = report?.errors.join("; ") || pass.error;
      const wasOk = state.ok;
      schedule.record(state, ok, error, Date.now(), passStart);
      for (const event of eventsOfUnit(
        state.unit.name,
        wasOk,
        {
          ok,
          error,
          revision: pass.revision,
          pruned: prunedOf(report)
        },
        cluster
      ))
        notifier.notify(event);
    }
    log(
      `pass ${pass.ok ? "ok" : "failed"} at ${pass.revision?.slice(0, 12) ?? "?"} in ${Date.now() - passStart}ms`
    );
  };
  const seenTokens = /* @__PURE__ */ new Map();
  let firstPoll = true;
  let polling = false;
  const pollRequests = async () => {
    if (polling || stop.stopping) return;
    polling = true;
    try {
      const records = await client.list("v1", "ConfigMap", {
        namespace: config.namespace,
        labelSelector: RECORDS_SELECTOR
      });
      const { requested, suspended } = unitRequests(records, seenTokens, firstPoll);
      firstPoll = false;
      for (const name of suspended)
        if (!schedule.suspended.has(name)) log(`${name}: suspended (tether resume ${name})`);
      for (const name of schedule.suspended) if (!suspended.has(name)) log(`${name}: resumed`);
      const resumed = [...schedule.suspended].some((name) => !suspended.has(name));
      schedule.suspended = suspended;
      const units = requested.filter((name) => config.units.some((u) => u.name === name));
      if (units.length > 0) {
        log(`reconcile requested: ${units.join(", ")}`);
        schedule.request(units);
      }
      if (units.length > 0 || resumed) stop.wake();
    } catch (error) {
      onError(error, "requests");
    } finally {
      polling = false;
    }
  };
  await pollRequests();
  const requestTimer = setInterval(() => void pollRequests(), REQUEST_POLL_MS);
  requestTimer.unref();
  const images = options.images ? new ImageSchedule(config, options.images, client, metrics, log) : void 0;
  while (!stop.stopping) {
    try {
      if (images && images.nextRun <= Date.now()) await images.run(onError);
      let due = schedule.due(Date.now());
      if (due.length === 0 && await fluxSchedule.needsPass(client)) due = schedule.states;
      if (due.length > 0 && !stop.stopping) {
        fluxSchedule.passStarted();
        await runPass(due);
      }
    } catch (error) {
      onError(error, "loop");
      for (const state of schedule.due(Date.now())) schedule.record(state, false, messageOf(error));
    }
    if (stop.stopping) break;
    const next = Math.min(
      images?.nextRun ?? Number.POSITIVE_INFINITY,
      schedule.nextDue(),
      fluxSchedule.nextWake()
    );
    const sleep = Math.max(0, Math.min(next - Date.now(), options.tickMs ?? 6e4));
    await stop.sleep(sleep);
  }
  clearInterval(requestTimer);
  await closeServer(server);
  if (receiver) await closeServer(receiver);
  await Promise.race([notifier.flush(), new Promise((r) => setTimeout(r, 2e3).unref())]);
  client.close();
  stop.dispose();
  log("stopped");
}
export {
  DEFAULT_GRACE_MS,
  DEFAULT_STALE_AFTER_MS,
  REQUEST_POLL_MS,
  isUnexpected,
  nextDelay,
  runAgent
};
