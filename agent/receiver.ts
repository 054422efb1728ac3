// The webhook receiver: a push to the watched branch starts a pass now instead of at the
// next interval (Flux's notification-controller Receiver). It listens on its own port,
// apart from health and metrics, because it is the one endpoint exposed to the Git host
// (through an Ingress) while probes stay inside the cluster.
//
// Every request must prove it knows the shared secret: an HMAC-SHA256 of the body
// (GitHub, Gitea, Forgejo, generic) or the token itself (GitLab), compared in constant
// time. Bodies are capped and slow clients cut off, so the endpoint cannot be used to
// hold the agent's memory or sockets. The decision is pure (`judgeHook`); the server
// around it only reads the body and answers.
import { createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders, Server } from "node:http";
import { listen } from "./server.ts";

// Not an ESM import of node:http: it would load Node's fetch implementation (server.ts).
const { createServer } = process.getBuiltinModule("node:http");

/** The largest body read; push payloads of even large pushes are well below it. */
export const MAX_HOOK_BODY = 1024 * 1024;

export type HookProvider =
  | "github"
  | "gitlab"
  | "gitea"
  | "generic"
  | "generic-hmac"
  | "bitbucket"
  | "harbor";

export interface HookVerdict {
  status: number;
  message: string;
  /** True when the request is authentic and asks for a pass of the watched source. */
  trigger: boolean;
  provider?: HookProvider;
}

/** What the receiver compares a push with: the branch, or a tag the agent follows. */
export interface WatchedRef {
  branch?: string | undefined;
  tag?: string | undefined;
}

/** Equal strings in a time that does not depend on where they differ. */
function sameSecret(given: string, expected: string): boolean {
  // Hashing first makes both sides the same length, so the length is not leaked either.
  const a = createHmac("sha256", "tether-receiver").update(given).digest();
  const b = createHmac("sha256", "tether-receiver").update(expected).digest();
  return timingSafeEqual(a, b);
}

function hmacHex(body: Buffer, secret: string): string {
  return createHmac("sha256", secret).update(body).digest("hex");
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Which provider signed the request, and how its proof is checked. */
function authenticate(
  headers: IncomingHttpHeaders,
  body: Buffer,
  secret: string,
): { provider: HookProvider; ok: boolean } | undefined {
  const github = header(headers, "x-hub-signature-256");
  if (github !== undefined)
    return { provider: "github", ok: sameSecret(github, `sha256=${hmacHex(body, secret)}`) };
  const gitea = header(headers, "x-gitea-signature") ?? header(headers, "x-forgejo-signature");
  if (gitea !== undefined)
    return { provider: "gitea", ok: sameSecret(gitea, hmacHex(body, secret)) };
  const gitlab = header(headers, "x-gitlab-token");
  if (gitlab !== undefined) return { provider: "gitlab", ok: sameSecret(gitlab, secret) };
  // Flux's generic-hmac receiver: `X-Signature: sha256=<hex>`.
  const generic = header(headers, "x-signature");
  if (generic !== undefined)
    return { provider: "generic", ok: sameSecret(generic, `sha256=${hmacHex(body, secret)}`) };
  return undefined;
}

/** The event name, normalised: "push", "tag", "ping" or what the provider sent. */
function eventOf(provider: HookProvider, headers: IncomingHttpHeaders): string {
  if (provider === "github") return header(headers, "x-github-event") ?? "";
  if (provider === "gitea")
    return header(headers, "x-gitea-event") ?? header(headers, "x-forgejo-event") ?? "";
  if (provider === "gitlab") {
    const event = header(headers, "x-gitlab-event") ?? "";
    return event === "Push Hook" ? "push" : event === "Tag Push Hook" ? "push" : event;
  }
  return "push";
}

/** The pushed ref from a push payload (JSON, or GitHub's form encoding). */
function pushedRef(body: Buffer, contentType: string | undefined): string | undefined {
  let text = body.toString("utf8");
  // GitHub's form encoding puts the JSON in `payload`; a JSON body sent with the form
  // content type (curl -d does that by default) is read as JSON.
  if (
    contentType?.startsWith("application/x-www-form-urlencoded") &&
    !text.trimStart().startsWith("{")
  )
    text = new URLSearchParams(text).get("payload") ?? "";
  const payload = JSON.parse(text) as { ref?: unknown };
  return typeof payload.ref === "string" ? payload.ref : undefined;
}

function refMatches(ref: string | undefined, watched: WatchedRef): boolean {
  if (ref === undefined) return false;
  if (watched.tag !== undefined) return ref === `refs/tags/${watched.tag}`;
  return ref === `refs/heads/${watched.branch ?? "main"}`;
}

/** Decides what a webhook request does. Pure: headers, body and secret in, verdict out. */
export function judgeHook(
  headers: IncomingHttpHeaders,
  body: Buffer,
  secret: string,
  watched: WatchedRef,
): HookVerdict {
  const auth = authenticate(headers, body, secret);
  if (!auth)
    return {
      status: 401,
      message:
        "no signature (X-Hub-Signature-256, X-Gitlab-Token, X-Gitea-Signature or X-Signature)",
      trigger: false,
    };
  if (!auth.ok)
    return {
      status: 401,
      message: "signature does not match",
      trigger: false,
      provider: auth.provider,
    };
  const event = eventOf(auth.provider, headers);
  const provider = auth.provider;
  if (event === "ping") return { status: 200, message: "pong", trigger: false, provider };
  if (event !== "push")
    return {
      status: 202,
      message: `ignored: ${event || "unnamed"} event`,
      trigger: false,
      provider,
    };
  // The generic receiver carries no ref: a signed request is a request for a pass.
  if (provider === "generic")
    return { status: 202, message: "pass requested", trigger: true, provider };
  let ref: string | undefined;
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
      provider,
    };
  return { status: 202, message: `pass requested for ${ref}`, trigger: true, provider };
}

/** An object a Flux Receiver asks to reconcile (spec.resources). */
export interface ReceiverResource {
  apiVersion?: string | undefined;
  kind: string;
  /** `*` with matchLabels: every object of the kind in the namespace with those labels. */
  name: string;
  namespace: string;
  matchLabels?: Record<string, string> | undefined;
}

/** A Flux Receiver object as the agent serves it (read by notification.ts). */
export interface FluxReceiver {
  /** `namespace/name`. */
  key: string;
  type: string;
  /** spec.events; empty: every event. */
  events: string[];
  /** The Secret's `token`: the path's seed and the signature key. */
  token: string;
  /** `/hook/<sha256(token + name + namespace)>`, as notification-controller derives it. */
  path: string;
  resources: ReceiverResource[];
}

/** The Receiver types Tether serves; others are reported on the Receiver's status. */
export const FLUX_RECEIVER_TYPES = [
  "generic",
  "generic-hmac",
  "github",
  "gitlab",
  "bitbucket",
  "harbor",
];

/** A header's value compared with an HMAC of the body, written `<algorithm>=<hex>`. */
function prefixedHmacMatches(given: string | undefined, body: Buffer, key: string): boolean {
  if (given === undefined) return false;
  const [algorithm = "", hex = ""] = given.split("=", 2);
  if (!["sha1", "sha256", "sha512"].includes(algorithm)) return false;
  return sameSecret(hex, createHmac(algorithm, key).update(body).digest("hex"));
}

/**
 * Decides what a request to a Flux Receiver's path does, following notification-
 * controller for each type: the token proves the sender (an HMAC of the body, or the
 * token itself), the event must be one of spec.events when any are listed, and a ping
 * is answered without a pass. `generic` has no proof besides the secret path, as in Flux.
 */
export function judgeFluxHook(
  receiver: FluxReceiver,
  headers: IncomingHttpHeaders,
  body: Buffer,
): HookVerdict {
  const type = receiver.type;
  const unauthorized = (provider: HookProvider): HookVerdict => ({
    status: 401,
    message: "signature does not match",
    trigger: false,
    provider,
  });
  let provider: HookProvider;
  let event = "";
  switch (type) {
    case "generic":
      provider = "generic";
      break;
    case "generic-hmac":
      provider = "generic-hmac";
      if (!prefixedHmacMatches(header(headers, "x-signature"), body, receiver.token))
        return unauthorized(provider);
      break;
    case "github":
      provider = "github";
      if (
        !prefixedHmacMatches(
          header(headers, "x-hub-signature-256") ?? header(headers, "x-hub-signature"),
          body,
          receiver.token,
        )
      )
        return unauthorized(provider);
      event = header(headers, "x-github-event") ?? "";
      if (event === "ping") return { status: 200, message: "pong", trigger: false, provider };
      break;
    case "gitlab":
      provider = "gitlab";
      if (!sameSecret(header(headers, "x-gitlab-token") ?? "", receiver.token))
        return unauthorized(provider);
      event = header(headers, "x-gitlab-event") ?? "";
      break;
    case "bitbucket":
      provider = "bitbucket";
      if (!prefixedHmacMatches(header(headers, "x-hub-signature"), body, receiver.token))
        return unauthorized(provider);
      event = header(headers, "x-event-key") ?? "";
      if (event === "diagnostics:ping")
        return { status: 200, message: "pong", trigger: false, provider };
      break;
    case "harbor":
      provider = "harbor";
      if (!sameSecret(header(headers, "authorization") ?? "", receiver.token))
        return unauthorized(provider);
      break;
    default:
      return { status: 400, message: `receiver type ${type} is not served`, trigger: false };
  }
  if (
    event &&
    receiver.events.length > 0 &&
    !receiver.events.some((e) => e.toLowerCase() === event.toLowerCase())
  )
    return { status: 202, message: `ignored: ${event} event`, trigger: false, provider };
  return {
    status: 202,
    message: `reconcile requested by receiver ${receiver.key}`,
    trigger: true,
    provider,
  };
}

export interface ReceiverOptions {
  port: number;
  bind: string;
  /** The shared secret of `/hook`; empty: only Flux Receivers' paths are served. */
  secret: string;
  watched: WatchedRef;
  /** Called for every authentic push of the watched ref. */
  onTrigger: (verdict: HookVerdict) => void;
  /** The Flux Receiver served at a `/hook/<digest>` path, if any (notification.ts). */
  fluxReceiver?: ((path: string) => FluxReceiver | undefined) | undefined;
  /** Called for every authentic request to a Flux Receiver that asks for a reconcile. */
  onFluxTrigger?: ((receiver: FluxReceiver) => void) | undefined;
  log: (line: string) => void;
}

/** Serves `POST /hook` on its own port. */
export function serveReceiver(options: ReceiverOptions): Promise<Server> {
  const server = createServer({ connectionsCheckingInterval: 1_000 }, (req, res) => {
    const reply = (status: number, message: string) => {
      res.writeHead(status, { "content-type": "text/plain", connection: "close" });
      res.end(`${message}\n`);
    };
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const flux = path.startsWith("/hook/") ? options.fluxReceiver?.(path) : undefined;
    if (!flux && (path !== "/hook" || !options.secret)) return reply(404, "not found");
    if (req.method !== "POST") {
      res.setHeader("allow", "POST");
      return reply(405, "method not allowed");
    }
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > MAX_HOOK_BODY) return reply(413, "body too large");
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
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
      const body = Buffer.concat(chunks);
      const verdict = flux
        ? judgeFluxHook(flux, req.headers, body)
        : judgeHook(req.headers, body, options.secret, options.watched);
      const from = verdict.provider ? ` (${verdict.provider})` : "";
      options.log(`receiver: ${verdict.status} ${verdict.message}${from}`);
      reply(verdict.status, verdict.message);
      if (!verdict.trigger) return;
      if (flux) options.onFluxTrigger?.(flux);
      else options.onTrigger(verdict);
    });
  });
  // A sender that trickles its headers or body holds a socket: cut it off.
  server.headersTimeout = 5_000;
  server.requestTimeout = 10_000;
  server.keepAliveTimeout = 1_000;
  return listen(server, options.port, options.bind, (error) =>
    options.log(`receiver: ${error.message}`),
  );
}
