// Counts the HTTP requests docker-registry-client makes and keeps the last answer it got.
// The library sends through node:http (restify-clients) and reports neither how many
// requests a call took (a call may ping and fetch a token first) nor, for most errors,
// the response headers (Retry-After) or the real status (it turns a 401 on a manifest
// into a 404). node:http announces every request on a diagnostics channel; the
// AsyncLocalStorage store tells which library call, and so which client, it belongs to.
import { AsyncLocalStorage } from "node:async_hooks";
import diagnostics from "node:diagnostics_channel";
import type { ClientRequest, IncomingMessage } from "node:http";

export interface HttpTrace {
  requests: number;
  last?: { status: number; headers: IncomingMessage["headers"] };
}

const storage = new AsyncLocalStorage<HttpTrace>();

// node:http publishes "start" a second time for a request sent on a reused keep-alive
// socket, and "created" before it.
const seen = new WeakSet<ClientRequest>();

function onRequest(message: unknown): void {
  const trace = storage.getStore();
  const request = (message as { request?: ClientRequest }).request;
  if (!trace || !request || seen.has(request)) return;
  seen.add(request);
  trace.requests++;
  // The library listens for the response too; one more listener does not consume it.
  request.once("response", (response: IncomingMessage) => {
    trace.last = { status: response.statusCode ?? 0, headers: response.headers };
  });
}

// "created" also counts attempts whose connection then failed (refused, reset); "start"
// covers Node versions without it. The WeakSet keeps each request to one count.
diagnostics.subscribe("http.client.request.created", onRequest);
diagnostics.subscribe("http.client.request.start", onRequest);

/** Runs `fn`, recording into `trace` every node:http request it makes. */
export function traced<T>(trace: HttpTrace, fn: () => Promise<T>): Promise<T> {
  return storage.run(trace, fn);
}
