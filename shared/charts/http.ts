// GET over HTTP(S) for chart repositories, with what a HelmRepository's secretRef can
// carry: basic auth, a CA bundle, a client certificate. node:https is used rather than
// fetch because a per-request CA and client certificate need an Agent. Bodies are
// streams: an index of tens of MB goes to disk, never into one string.
import type { IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { redactUrl } from "../util/redact.ts";
import { ChartError } from "./errors.ts";

// Not an ESM import of node:http: it would load Node's fetch implementation into the
// agent (see agent/server.ts).
const { request: httpRequest } = process.getBuiltinModule("node:http");

export interface RepositoryAuth {
  username?: string | undefined;
  password?: string | undefined;
  /** PEM: CA bundle, client certificate and key (Flux's ca.crt, tls.crt, tls.key). */
  ca?: string | undefined;
  cert?: string | undefined;
  key?: string | undefined;
  insecureSkipVerify?: boolean | undefined;
}

export interface GetOptions {
  auth?: RepositoryAuth | undefined;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

const MAX_REDIRECTS = 5;

/** GETs `url`; resolves with the response (status and headers checked by the caller). */
export function httpGet(url: string, options: GetOptions = {}, hops = 0): Promise<IncomingMessage> {
  const target = new URL(url);
  const auth = options.auth;
  const headers: Record<string, string> = { "user-agent": "tether", ...options.headers };
  if (auth?.username !== undefined && auth.password !== undefined) {
    headers.authorization = `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString("base64")}`;
  }
  const send = target.protocol === "https:" ? httpsRequest : httpRequest;
  const tls =
    target.protocol === "https:"
      ? {
          ...(auth?.ca ? { ca: auth.ca } : {}),
          ...(auth?.cert ? { cert: auth.cert } : {}),
          ...(auth?.key ? { key: auth.key } : {}),
          ...(auth?.insecureSkipVerify ? { rejectUnauthorized: false } : {}),
        }
      : {};
  return new Promise((done, fail) => {
    const req = send(target, { method: "GET", headers, ...tls }, (res) => {
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      if (status >= 300 && status < 400 && status !== 304 && location) {
        res.resume();
        if (hops >= MAX_REDIRECTS) {
          fail(new ChartError("IndexFetchFailed", `${redactUrl(url)}: too many redirects`));
          return;
        }
        const next = new URL(location, target);
        // Credentials follow a redirect only on the same host, as Helm does by default.
        const same = next.host === target.host;
        done(httpGet(next.toString(), same ? options : { ...options, auth: undefined }, hops + 1));
        return;
      }
      done(res);
    });
    req.setTimeout(options.timeoutMs ?? 60_000, () =>
      req.destroy(new Error(`timed out after ${(options.timeoutMs ?? 60_000) / 1000}s`)),
    );
    req.on("error", (error) =>
      fail(new ChartError("IndexFetchFailed", `GET ${redactUrl(url)}: ${error.message}`)),
    );
    req.end();
  });
}

/** The error for a non-2xx answer; the body is drained, never shown (it may echo credentials). */
export function statusError(url: string, res: IncomingMessage, what: string): ChartError {
  res.resume();
  const status = res.statusCode ?? 0;
  const reason = status === 401 || status === 403 ? "AuthenticationFailed" : "IndexFetchFailed";
  const hint = status === 401 || status === 403 ? " (check the credentials in the secretRef)" : "";
  return new ChartError(reason, `${what} ${redactUrl(url)}: HTTP ${status}${hint}`);
}
