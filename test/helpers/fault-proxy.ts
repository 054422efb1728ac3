// A TCP proxy on 127.0.0.1 in front of a real local component (the Git server, the API
// server), to take it away and bring it back during a test: `down()` refuses new
// connections and cuts the open ones, as a stopped server or a lost link would;
// `up()` listens again on the same port. Bytes pass through untouched (TLS included).
import { connect, createServer, type Server, type Socket } from "node:net";
import { freePort } from "./wait.ts";

export class FaultProxy {
  readonly port: number;
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly target: { host: string; port: number };

  private constructor(port: number, target: { host: string; port: number }) {
    this.port = port;
    this.target = target;
  }

  static async start(targetHost: string, targetPort: number): Promise<FaultProxy> {
    const port = await freePort();
    const proxy = new FaultProxy(port, { host: targetHost, port: targetPort });
    await proxy.up();
    return proxy;
  }

  up(): Promise<void> {
    if (this.server) return Promise.resolve();
    const server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on("close", () => this.sockets.delete(s));
        s.on("error", () => undefined);
      }
      client.pipe(upstream);
      upstream.pipe(client);
      client.on("close", () => upstream.destroy());
      upstream.on("close", () => client.destroy());
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.port, "127.0.0.1", () => resolve());
    });
  }

  down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    return new Promise((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }
}
