// The agent's HTTP endpoints: /healthz, /readyz and Prometheus /metrics. Answers are
// computed on request by the functions given; the server holds no state of its own.
import { createServer, type Server } from "node:http";

export interface Answer {
  status: number;
  body: string;
  type?: string;
}

export type Routes = Record<string, () => Answer>;

export function serve(port: number, bind: string, routes: Routes): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer((req, res) => {
      const route = routes[(req.url ?? "/").split("?")[0] ?? "/"];
      let answer: Answer;
      try {
        answer = route ? route() : { status: 404, body: "not found\n" };
      } catch (error) {
        answer = { status: 500, body: `${error instanceof Error ? error.message : error}\n` };
      }
      res.writeHead(answer.status, { "content-type": answer.type ?? "text/plain" });
      res.end(answer.body);
    });
    // A probe must never keep the process alive on its own after a stop.
    server.keepAliveTimeout = 1_000;
    server.on("error", reject);
    server.listen(port, bind, () => resolve(server));
  });
}

/** Closes the server and every idle or open connection. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
