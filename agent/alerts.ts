// Alerts: telling people what the agent did (Flux's notification-controller Providers
// and Alerts). A pass that failed, a unit that recovered, objects pruned and images
// updated become events; each configured target gets the ones its severity and event
// filter let through, in its own format: a generic JSON webhook (optionally signed),
// Slack, Discord, Microsoft Teams, or a GitHub commit status per cluster.
//
// Sending never blocks or fails a pass: `notify` queues and returns; a target that is
// down is retried with backoff, then the event is dropped with one log line. The same
// event repeated every retry of a failing unit is sent once per quiet period, and a
// burst is capped per minute, so a flapping edge link does not flood a chat channel.
import { createHmac } from "node:crypto";
import { describeRef } from "../shared/manifests/object.ts";
import type { GoRegexp } from "../shared/tagpolicy/goregexp.ts";
import { messageOf } from "../shared/util/message.ts";
import type { Change } from "./changes.ts";
import { ConfigError } from "./config.ts";

export type AlertReason = "PassFailed" | "Recovered" | "Pruned" | "ImageUpdated";
export type Severity = "info" | "error";
export type AlertType = "webhook" | "slack" | "discord" | "msteams" | "github";

export const ALERT_REASONS: readonly AlertReason[] = [
  "PassFailed",
  "Recovered",
  "Pruned",
  "ImageUpdated",
];

export interface AgentEvent {
  reason: AlertReason;
  severity: Severity;
  /** The unit (or automation) the event is about. */
  unit: string;
  /** The Git commit the pass worked on, when known. */
  revision?: string | undefined;
  message: string;
  cluster: string;
  /** ISO time the event happened. */
  timestamp: string;
  /** The Flux object the event is about (a Kustomization's pass), for Flux Alerts. */
  object?: EventObject | undefined;
}

export interface EventObject {
  apiVersion: string;
  kind: string;
  name: string;
  namespace: string;
}

/** A Flux Alert's eventSources entry: which objects' events it forwards. */
export interface EventSource {
  kind: string;
  /** `*` for every object of the kind. */
  name: string;
  namespace: string;
}

export interface AlertTarget {
  type: AlertType;
  /** Where to send; for `github`, the API base URL. */
  url: string;
  /** `info` sends everything; `error` only failures (Flux's eventSeverity). */
  severity: Severity;
  /** Only these reasons; all when empty. */
  events: AlertReason[];
  /** Webhook: HMAC-SHA256 key for the `X-Signature` header. GitHub: the token. */
  secret?: string | undefined;
  /** GitHub: owner/name of the repository the statuses go to. */
  repository?: string | undefined;
  /**
   * Set for targets from Flux Provider and Alert objects (notification.ts): only events
   * of these objects, with Flux's filters, in Flux's event format for webhooks.
   */
  flux?: FluxRouting | undefined;
}

export interface FluxRouting {
  /** `namespace/name` of the Alert, for logs. */
  alert: string;
  sources: EventSource[];
  /** Go regular expressions on the message: at least one must match (when any). */
  inclusionList: string[];
  /** Go regular expressions on the message: none may match. */
  exclusionList: string[];
  /**
   * The two lists compiled (null: a pattern that does not compile, which matches
   * nothing), by compileAlertFilters; without them no list matches.
   */
  compiled?: { inclusion: (GoRegexp | null)[]; exclusion: (GoRegexp | null)[] } | undefined;
  /** Slack channel and user name (Provider spec.channel, spec.username). */
  channel?: string | undefined;
  username?: string | undefined;
  /** Added to the message (Alert spec.summary, as Flux's event metadata). */
  summary?: string | undefined;
}

const TYPES = new Set<AlertType>(["webhook", "slack", "discord", "msteams", "github"]);
const KEYS = new Set(["type", "url", "urlEnv", "severity", "events", "secretEnv", "repository"]);

/**
 * Parses `alerts:` from the agent's configuration. Secrets are named by environment
 * variable (filled from a Secret in the Deployment), never written in the file; a
 * Slack or Discord URL is a secret too, hence `urlEnv`.
 */
export function parseAlerts(
  raw: unknown,
  env: NodeJS.ProcessEnv = process.env,
  gitUrl = "",
): AlertTarget[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw new ConfigError("alerts: expected a list");
  return raw.map((item, i) => {
    const where = `alerts[${i}]`;
    if (typeof item !== "object" || item === null || Array.isArray(item))
      throw new ConfigError(`${where}: expected a mapping`);
    const obj = item as Record<string, unknown>;
    for (const key of Object.keys(obj))
      if (!KEYS.has(key)) throw new ConfigError(`${where}: unknown field "${key}"`);
    const type = obj.type as AlertType;
    if (!TYPES.has(type))
      throw new ConfigError(
        `${where}.type: one of ${[...TYPES].join(", ")} (got ${String(obj.type)})`,
      );
    const fromEnv = (name: unknown, field: string): string | undefined => {
      if (name === undefined) return undefined;
      if (typeof name !== "string") throw new ConfigError(`${where}.${field}: expected a name`);
      const value = env[name];
      if (!value)
        throw new ConfigError(`${where}.${field}: environment variable ${name} is not set`);
      return value;
    };
    const url =
      (typeof obj.url === "string" ? obj.url : undefined) ??
      fromEnv(obj.urlEnv, "urlEnv") ??
      (type === "github" ? "https://api.github.com" : undefined);
    if (!url) throw new ConfigError(`${where}: url or urlEnv is required`);
    try {
      const parsed = new URL(url);
      if (parsed.protocol !== "https:" && parsed.protocol !== "http:") throw new Error();
    } catch {
      throw new ConfigError(`${where}.url: not an http(s) URL`);
    }
    const severity = (obj.severity ?? "info") as Severity;
    if (severity !== "info" && severity !== "error")
      throw new ConfigError(`${where}.severity: info or error`);
    const events = (obj.events ?? []) as AlertReason[];
    if (!Array.isArray(events) || events.some((e) => !ALERT_REASONS.includes(e)))
      throw new ConfigError(`${where}.events: any of ${ALERT_REASONS.join(", ")}`);
    const secret = fromEnv(obj.secretEnv, "secretEnv");
    let repository = typeof obj.repository === "string" ? obj.repository : undefined;
    if (type === "github") {
      repository ??= repositoryOf(gitUrl);
      if (!repository)
        throw new ConfigError(`${where}.repository: owner/name (not derivable from the Git URL)`);
      if (!secret) throw new ConfigError(`${where}.secretEnv: a token is required for github`);
    }
    return { type, url, severity, events, secret, repository };
  });
}

/** owner/name from an HTTPS or SSH Git URL. */
export function repositoryOf(gitUrl: string): string | undefined {
  const match = /[/:]([^/:]+)\/([^/]+?)(?:\.git)?\/?$/.exec(gitUrl);
  return match ? `${match[1]}/${match[2]}` : undefined;
}

/** Whether a target wants an event. */
export function wants(target: AlertTarget, event: AgentEvent): boolean {
  if (target.severity === "error" && event.severity !== "error") return false;
  if (target.flux) return fluxWants(target.flux, event);
  // A configured GitHub target keeps one status per cluster, from the units' passes.
  if (event.object && target.type === "github") return false;
  return target.events.length === 0 || target.events.includes(event.reason);
}

/** Flux's Alert filters: an event source that matches, then the inclusion and exclusion lists. */
function fluxWants(routing: FluxRouting, event: AgentEvent): boolean {
  const object = event.object;
  if (!object) return false;
  const source = routing.sources.some(
    (s) =>
      s.kind === object.kind &&
      (s.name === "*" || s.name === object.name) &&
      (s.namespace === "*" || s.namespace === object.namespace),
  );
  if (!source) return false;
  const matches = (re: GoRegexp | null) => re?.test(event.message) ?? false;
  const { inclusion = [], exclusion = [] } = routing.compiled ?? {};
  if (routing.inclusionList.length > 0 && !inclusion.some(matches)) return false;
  return !exclusion.some(matches);
}

/**
 * Compiles the Go regular expressions of the Flux Alerts' lists into `compiled`. re2js
 * is loaded here, only when an Alert has a list: an agent without one never holds it.
 */
export async function compileAlertFilters(targets: readonly AlertTarget[]): Promise<void> {
  const lists = targets.flatMap((t) => (t.flux ? [t.flux] : []));
  if (!lists.some((r) => r.inclusionList.length > 0 || r.exclusionList.length > 0)) return;
  const { compileGoRegexp } = await import("../shared/tagpolicy/goregexp.ts");
  const compile = (pattern: string) => {
    try {
      return compileGoRegexp(pattern);
    } catch {
      return null;
    }
  };
  for (const routing of lists) {
    routing.compiled = {
      inclusion: routing.inclusionList.map(compile),
      exclusion: routing.exclusionList.map(compile),
    };
  }
}

export interface Delivery {
  url: string;
  headers: Record<string, string>;
  body: string;
}

function summary(event: AgentEvent, target?: AlertTarget): string {
  const at = event.revision ? ` at ${event.revision.slice(0, 12)}` : "";
  const note = target?.flux?.summary ? ` (${target.flux.summary})` : "";
  return `[${event.cluster}] ${event.unit}: ${event.reason}${at}: ${event.message}${note}`;
}

/**
 * An event as Flux's notification-controller posts it to a generic webhook, so a
 * receiver written for Flux's events reads Tether's: involvedObject, severity, reason,
 * message, metadata.revision; reportingController names Tether.
 */
function fluxEvent(event: AgentEvent, target: AlertTarget): Record<string, unknown> {
  const metadata: Record<string, string> = {};
  if (event.revision) metadata.revision = event.revision;
  if (target.flux?.summary) metadata.summary = target.flux.summary;
  metadata.cluster = event.cluster;
  return {
    involvedObject: event.object ?? { kind: "Unit", name: event.unit },
    severity: event.severity,
    timestamp: event.timestamp,
    message: event.message,
    reason: event.reason,
    metadata,
    reportingController: "tether-agent",
    reportingInstance: event.cluster,
  };
}

/** The request a target gets for an event, in that target's format. */
export function deliveryFor(target: AlertTarget, event: AgentEvent): Delivery | undefined {
  const json = { "content-type": "application/json" };
  switch (target.type) {
    case "webhook": {
      const body = JSON.stringify(target.flux ? fluxEvent(event, target) : event);
      const headers: Record<string, string> = { ...json };
      if (target.secret)
        headers["x-signature"] =
          `sha256=${createHmac("sha256", target.secret).update(body).digest("hex")}`;
      return { url: target.url, headers, body };
    }
    case "slack": {
      const slack: Record<string, string> = { text: summary(event, target) };
      if (target.flux?.channel) slack.channel = target.flux.channel;
      if (target.flux?.username) slack.username = target.flux.username;
      return { url: target.url, headers: json, body: JSON.stringify(slack) };
    }
    case "discord":
      return {
        url: target.url,
        headers: json,
        body: JSON.stringify({ content: summary(event, target).slice(0, 2000) }),
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
                body: [{ type: "TextBlock", text: summary(event, target), wrap: true }],
              },
            },
          ],
        }),
      };
    case "github": {
      // A status needs a commit; events without one (image automation) have nothing to mark.
      if (!event.revision) return undefined;
      const state = event.severity === "error" ? "failure" : "success";
      return {
        url: `${target.url.replace(/\/$/, "")}/repos/${target.repository}/statuses/${event.revision}`,
        headers: {
          ...json,
          accept: "application/vnd.github+json",
          authorization: `Bearer ${target.secret}`,
        },
        body: JSON.stringify({
          state,
          context: statusContext(event, target),
          description: `${event.unit}: ${event.message}`.slice(0, 140),
        }),
      };
    }
  }
}

/**
 * The commit status's context: `tether/<cluster>` for the agent's own targets, so each
 * commit shows which clusters run it; `<kind>/<name>/<cluster>` for a Flux Provider, one
 * per Kustomization as Flux posts them (Flux ends it with a hash of the provider; Tether
 * with the cluster, which is what tells two clusters' statuses apart).
 */
function statusContext(event: AgentEvent, target: AlertTarget): string {
  if (target.flux && event.object)
    return `${event.object.kind.toLowerCase()}/${event.object.name}/${event.cluster}`;
  return `tether/${event.cluster}`;
}

/** A commit status `pending` for a revision a pass is about to apply. */
export function pendingStatus(
  target: AlertTarget,
  cluster: string,
  revision: string,
): Delivery | undefined {
  // Flux Providers get statuses per Kustomization from its events only.
  if (target.type !== "github" || target.flux) return undefined;
  return {
    url: `${target.url.replace(/\/$/, "")}/repos/${target.repository}/statuses/${revision}`,
    headers: {
      "content-type": "application/json",
      accept: "application/vnd.github+json",
      authorization: `Bearer ${target.secret}`,
    },
    body: JSON.stringify({
      state: "pending",
      context: `tether/${cluster}`,
      description: "applying",
    }),
  };
}

export interface NotifierOptions {
  log: (line: string) => void;
  /** An identical event is not sent again within this period (default 10 min). */
  quietMs?: number;
  /** At most this many sends per target per minute (default 20). */
  perMinute?: number;
  /** Attempts per delivery (default 4) and the first backoff (default 1 s, doubling). */
  attempts?: number;
  backoffMs?: number;
  fetch?: typeof fetch;
  /** Told how each delivery ended, after its retries (metrics). */
  onDelivery?: (result: "sent" | "failed" | "dropped") => void;
}

/** Where a target is, for logs: the host only, since chat webhook paths are secrets. */
function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "?";
  }
}

/**
 * A target URL's user info (`https://user:pass@host/…`, as a Provider's address may
 * hold it) sent as basic auth, as Flux's Go HTTP client sends it; fetch refuses such a
 * URL. An Authorization header the target's type sets wins.
 */
function withBasicAuth(delivery: Delivery): { url: string; headers: Record<string, string> } {
  let parsed: URL;
  try {
    parsed = new URL(delivery.url);
  } catch {
    return { url: delivery.url, headers: delivery.headers };
  }
  if (!parsed.username && !parsed.password) return { url: delivery.url, headers: delivery.headers };
  const login = `${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`;
  parsed.username = "";
  parsed.password = "";
  const hasAuth = Object.keys(delivery.headers).some((h) => h.toLowerCase() === "authorization");
  return {
    url: parsed.toString(),
    headers: hasAuth
      ? delivery.headers
      : { ...delivery.headers, authorization: `Basic ${Buffer.from(login).toString("base64")}` },
  };
}

/** Queues deliveries and sends them in the background, one target at a time. */
export class Notifier {
  private readonly lastSent = new Map<string, number>();
  /** Send times per target in the last minute, by targetKey (Flux targets are re-read each pass). */
  private readonly window = new Map<string, number[]>();
  private readonly inFlight = new Set<Promise<void>>();
  private dropped = 0;

  private targets: readonly AlertTarget[];
  private readonly options: NotifierOptions;

  constructor(targets: readonly AlertTarget[], options: NotifierOptions) {
    this.targets = targets;
    this.options = options;
  }

  get size(): number {
    return this.targets.length;
  }

  /** Replaces the targets read from Flux Provider and Alert objects (the configured ones stay). */
  setFluxTargets(targets: readonly AlertTarget[]): void {
    this.targets = [...this.targets.filter((t) => !t.flux), ...targets];
  }

  /** Queues an event for every target that wants it; never throws, never waits. */
  notify(event: AgentEvent, now = Date.now()): void {
    for (const target of this.targets) {
      if (!wants(target, event)) continue;
      const key = `${this.targetKey(target)}/${event.reason}/${event.unit}/${event.revision ?? ""}/${event.message}`;
      const quiet = this.options.quietMs ?? 10 * 60_000;
      const last = this.lastSent.get(key);
      if (last !== undefined && now - last < quiet) continue;
      if (!this.allow(target, now)) continue;
      this.lastSent.set(key, now);
      const delivery = deliveryFor(target, event);
      if (delivery) this.send(delivery);
    }
    // Forget old keys so a long run does not accumulate them.
    if (this.lastSent.size > 1000)
      for (const [key, at] of this.lastSent)
        if (now - at > (this.options.quietMs ?? 600_000)) this.lastSent.delete(key);
  }

  /** GitHub targets: mark a commit as being applied. */
  pending(cluster: string, revision: string): void {
    for (const target of this.targets) {
      const delivery = pendingStatus(target, cluster, revision);
      if (delivery && this.allow(target, Date.now())) this.send(delivery);
    }
  }

  /** Resolves when every queued delivery has ended (used when stopping, and in tests). */
  async flush(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private targetKey(target: AlertTarget): string {
    return `${target.flux?.alert ?? this.targets.indexOf(target)}/${target.url}`;
  }

  private allow(target: AlertTarget, now: number): boolean {
    const key = this.targetKey(target);
    const times = (this.window.get(key) ?? []).filter((t) => now - t < 60_000);
    if (times.length >= (this.options.perMinute ?? 20)) {
      this.dropped++;
      this.options.onDelivery?.("dropped");
      if (this.dropped === 1 || this.dropped % 100 === 0)
        this.options.log(`alerts: rate limit for ${hostOf(target.url)}; ${this.dropped} dropped`);
      this.window.set(key, times);
      return false;
    }
    times.push(now);
    this.window.set(key, times);
    return true;
  }

  private send(delivery: Delivery): void {
    const job = this.deliver(delivery).finally(() => this.inFlight.delete(job));
    this.inFlight.add(job);
  }

  private async deliver(delivery: Delivery): Promise<void> {
    const attempts = this.options.attempts ?? 4;
    const doFetch = this.options.fetch ?? fetch;
    const { url, headers } = withBasicAuth(delivery);
    let why = "";
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        const res = await doFetch(url, {
          method: "POST",
          headers,
          body: delivery.body,
          signal: AbortSignal.timeout(10_000),
        });
        await res.arrayBuffer().catch(() => undefined);
        if (res.ok) {
          this.options.onDelivery?.("sent");
          return;
        }
        why = `HTTP ${res.status}`;
        // A client error will not change on retry (except rate limiting).
        if (res.status < 500 && res.status !== 429) break;
      } catch (error) {
        // Node's messages may quote the URL: its path and query are often the secret
        // (Slack's and Teams' webhooks), so only the host is ever shown.
        why = messageOf(error)
          .split(delivery.url)
          .join(hostOf(delivery.url))
          .split(url)
          .join(hostOf(url));
      }
      if (attempt < attempts)
        await new Promise((r) =>
          setTimeout(r, (this.options.backoffMs ?? 1_000) * 2 ** (attempt - 1)),
        );
    }
    this.options.onDelivery?.("failed");
    this.options.log(`alerts: sending to ${hostOf(delivery.url)} failed: ${why}`);
  }
}

/** What one unit's pass is worth telling: a failure, a recovery, objects pruned. */
export function eventsOfUnit(
  unit: string,
  wasOk: boolean | undefined,
  outcome: {
    ok: boolean;
    error?: string | undefined;
    pruned: string[];
    revision?: string | undefined;
  },
  cluster: string,
  now = new Date(),
): AgentEvent[] {
  const base = { unit, revision: outcome.revision, cluster, timestamp: now.toISOString() };
  const events: AgentEvent[] = [];
  if (!outcome.ok)
    events.push({
      ...base,
      reason: "PassFailed",
      severity: "error",
      message: outcome.error ?? "the pass failed",
    });
  else if (wasOk === false)
    events.push({
      ...base,
      reason: "Recovered",
      severity: "info",
      message: "the pass succeeded again",
    });
  if (outcome.pruned.length > 0)
    events.push({
      ...base,
      reason: "Pruned",
      severity: "info",
      message: `pruned ${outcome.pruned.length}: ${outcome.pruned.slice(0, 10).join(", ")}${outcome.pruned.length > 10 ? ", ..." : ""}`,
    });
  return events;
}

/** The objects a unit's pass pruned, as `Kind/namespace/name`. */
export function prunedOf(report: { changes: readonly Change[] } | undefined): string[] {
  return (report?.changes ?? [])
    .filter((c) => c.action === "pruned")
    .map((c) => describeRef(c.ref));
}

/** What a Flux Kustomization's reconcile is worth telling, about that object (for Flux Alerts). */
export function eventsOfKustomization(
  report: {
    key: string;
    object: KubeObjectLike;
    ready: boolean;
    suspended: boolean;
    skipped?: boolean | undefined;
    message: string;
    revision?: string | undefined;
    changes: readonly Change[];
  },
  wasReady: boolean | undefined,
  cluster: string,
  now = new Date(),
): AgentEvent[] {
  if (report.skipped || report.suspended) return [];
  const [namespace = "", name = ""] = report.key.split("/");
  const object: EventObject = {
    apiVersion: report.object.apiVersion,
    kind: report.object.kind,
    name,
    namespace,
  };
  return eventsOfUnit(
    `${report.object.kind}/${report.key}`,
    wasReady,
    {
      ok: report.ready,
      error: report.message,
      revision: report.revision?.replace(/^.*sha1:/, ""),
      pruned: prunedOf(report),
    },
    cluster,
    now,
  ).map((event) => ({ ...event, object }));
}

interface KubeObjectLike {
  apiVersion: string;
  kind: string;
}
