// The agent's HTTP endpoints: /healthz, /readyz and Prometheus /metrics. Answers are
// computed on request by the functions given; the server holds no state of its own.
import type { Server } from "node:http";

// Not `import { createServer } from "node:http"`: an ESM import of node:http reads every
// export, and three of them (WebSocket, CloseEvent, MessageEvent) load Node's fetch
// implementation: 2.5 MiB of the agent's resident memory (test/bench/sync.ts, idle with
// a one-object unit: 71.7 -> 69.2 MiB). The module object itself costs none of it.
const { createServer } = process.getBuiltinModule("node:http");

export interface Answer {
  status: number;
  body: string;
  type?: string;
}

export type Routes = Record<string, () => Answer | Promise<Answer>>;

export function serve(port: number, bind: string, routes: Routes): Promise<Server> {
  // Timeouts are checked every second (Node's default: every 30 s).
  const server = createServer({ connectionsCheckingInterval: 1_000 }, async (req, res) => {
    // Probes and scrapers only read: anything else is refused before a route runs.
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD", "content-type": "text/plain" });
      res.end("method not allowed\n");
      return;
    }
    const route = routes[(req.url ?? "/").split("?")[0] ?? "/"];
    let answer: Answer;
    try {
      answer = route ? await route() : { status: 404, body: "not found\n" };
    } catch (error) {
      answer = { status: 500, body: `${error instanceof Error ? error.message : error}\n` };
    }
    res.writeHead(answer.status, { "content-type": answer.type ?? "text/plain" });
    res.end(answer.body);
  });
  // A probe must never keep the process alive on its own after a stop.
  server.keepAliveTimeout = 1_000;
  // A client that sends its headers slowly (slowloris) holds a socket: cut it off.
  server.headersTimeout = 5_000;
  server.requestTimeout = 10_000;
  return listen(server, port, bind);
}

/**
 * Listens on `bind`; "::" listens on IPv6 and IPv4 alike, and a node without IPv6 gets
 * IPv4 only. An error before listening rejects. One after is a failed accept (EMFILE):
 * that connection is lost and the server goes on, so it goes to `onError`, never to no
 * listener at all, which would end the process.
 */
export function listen(
  server: Server,
  port: number,
  bind: string,
  onError: (error: Error) => void = () => undefined,
): Promise<Server> {
  return new Promise((resolve, reject) => {
    const attempt = (host: string) => {
      const failed = (error: NodeJS.ErrnoException) => {
        server.off("listening", listening);
        const noIpv6 = error.code === "EAFNOSUPPORT" || error.code === "EADDRNOTAVAIL";
        if (host === "::" && noIpv6) attempt("0.0.0.0");
        else reject(error);
      };
      const listening = () => {
        server.off("error", failed);
        server.on("error", onError);
        resolve(server);
      };
      server.once("error", failed);
      server.once("listening", listening);
      server.listen(port, host);
    };
    attempt(bind);
  });
}

/** Closes the server and every idle or open connection. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
