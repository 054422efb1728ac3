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
  return target.events.length === 0 || target.events.includes(event.reason);
}

export interface Delivery {
  url: string;
  headers: Record<string, string>;
  body: string;
}

function summary(event: AgentEvent): string {
  const at = event.revision ? ` at ${event.revision.slice(0, 12)}` : "";
  return `[${event.cluster}] ${event.unit}: ${event.reason}${at}: ${event.message}`;
}

/** The request a target gets for an event, in that target's format. */
export function deliveryFor(target: AlertTarget, event: AgentEvent): Delivery | undefined {
  const json = { "content-type": "application/json" };
  switch (target.type) {
    case "webhook": {
      const body = JSON.stringify(event);
      const headers: Record<string, string> = { ...json };
      if (target.secret)
        headers["x-signature"] =
          `sha256=${createHmac("sha256", target.secret).update(body).digest("hex")}`;
      return { url: target.url, headers, body };
    }
    case "slack":
      return { url: target.url, headers: json, body: JSON.stringify({ text: summary(event) }) };
    case "discord":
      return {
        url: target.url,
        headers: json,
        body: JSON.stringify({ content: summary(event).slice(0, 2000) }),
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
                body: [{ type: "TextBlock", text: summary(event), wrap: true }],
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
          context: `tether/${event.cluster}`,
          description: `${event.unit}: ${event.message}`.slice(0, 140),
        }),
      };
    }
  }
}

/** A commit status `pending` for a revision a pass is about to apply. */
export function pendingStatus(
  target: AlertTarget,
  cluster: string,
  revision: string,
): Delivery | undefined {
  if (target.type !== "github") return undefined;
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
}

/** Where a target is, for logs: the host only, since chat webhook paths are secrets. */
function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "?";
  }
}

/** Queues deliveries and sends them in the background, one target at a time. */
export class Notifier {
  private readonly lastSent = new Map<string, number>();
  private readonly window = new Map<AlertTarget, number[]>();
  private readonly inFlight = new Set<Promise<void>>();
  private dropped = 0;

  private readonly targets: readonly AlertTarget[];
  private readonly options: NotifierOptions;

  constructor(targets: readonly AlertTarget[], options: NotifierOptions) {
    this.targets = targets;
    this.options = options;
  }

  get size(): number {
    return this.targets.length;
  }

  /** Queues an event for every target that wants it; never throws, never waits. */
  notify(event: AgentEvent, now = Date.now()): void {
    for (const target of this.targets) {
      if (!wants(target, event)) continue;
      const key = `${this.targets.indexOf(target)}/${event.reason}/${event.unit}/${event.revision ?? ""}/${event.message}`;
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

  private allow(target: AlertTarget, now: number): boolean {
    const times = (this.window.get(target) ?? []).filter((t) => now - t < 60_000);
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

  private send(delivery: Delivery): void {
    const job = this.deliver(delivery).finally(() => this.inFlight.delete(job));
    this.inFlight.add(job);
  }

  private async deliver(delivery: Delivery): Promise<void> {
    const attempts = this.options.attempts ?? 4;
    const doFetch = this.options.fetch ?? fetch;
    let why = "";
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        const res = await doFetch(delivery.url, {
          method: "POST",
          headers: delivery.headers,
          body: delivery.body,
          signal: AbortSignal.timeout(10_000),
        });
        await res.arrayBuffer().catch(() => undefined);
        if (res.ok) return;
        why = `HTTP ${res.status}`;
        // A client error will not change on retry (except rate limiting).
        if (res.status < 500 && res.status !== 429) break;
      } catch (error) {
        why = error instanceof Error ? error.message : String(error);
      }
      if (attempt < attempts)
        await new Promise((r) =>
          setTimeout(r, (this.options.backoffMs ?? 1_000) * 2 ** (attempt - 1)),
        );
    }
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
