// Git smart-HTTP server for the local test environment: git-http-backend (CGI) behind
// basic auth, serving every bare repository under a root folder. Fetch and push both
// require the credentials (basic, or the password as a bearer token); REMOTE_USER is set
// so git-http-backend accepts pushes. With --tls-port the same repositories are served
// over HTTPS too, to clients with a certificate signed by --tls-client-ca (mutual TLS).
//
// Usage: node test/env/git-http-server.ts --port N --root DIR
//          [--tls-port N --tls-cert F --tls-key F --tls-client-ca F]
//        (credentials from TETHER_GIT_USER and TETHER_GIT_PASSWORD)
import { spawn } from "node:child_process";
import { timingSafeEqual } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createTlsServer } from "node:https";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    port: { type: "string" },
    root: { type: "string" },
    backend: { type: "string", default: "/usr/lib/git-core/git-http-backend" },
    "tls-port": { type: "string" },
    "tls-cert": { type: "string" },
    "tls-key": { type: "string" },
    "tls-client-ca": { type: "string" },
  },
});
const user = process.env.TETHER_GIT_USER ?? "";
const password = process.env.TETHER_GIT_PASSWORD ?? "";
if (!values.port || !values.root || !user || !password) {
  console.error(
    "usage: git-http-server.ts --port N --root DIR (TETHER_GIT_USER and TETHER_GIT_PASSWORD set)",
  );
  process.exit(2);
}
const root = values.root;
const backend = values.backend;
const accepted = [
  Buffer.from(`Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`),
  Buffer.from(`Bearer ${password}`),
];

function authorized(req: IncomingMessage): boolean {
  const given = Buffer.from(req.headers.authorization ?? "");
  return accepted.some((a) => given.length === a.length && timingSafeEqual(given, a));
}

function serveCgi(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    GIT_PROJECT_ROOT: root,
    GIT_HTTP_EXPORT_ALL: "1",
    GATEWAY_INTERFACE: "CGI/1.1",
    SERVER_PROTOCOL: `HTTP/${req.httpVersion}`,
    REQUEST_METHOD: req.method ?? "GET",
    PATH_INFO: decodeURIComponent(url.pathname),
    QUERY_STRING: url.search.slice(1),
    REMOTE_USER: user,
    REMOTE_ADDR: req.socket.remoteAddress ?? "127.0.0.1",
    CONTENT_TYPE: req.headers["content-type"] ?? "",
  };
  if (req.headers["content-length"]) env.CONTENT_LENGTH = req.headers["content-length"];
  if (req.headers["content-encoding"]) env.HTTP_CONTENT_ENCODING = req.headers["content-encoding"];
  const protocol = req.headers["git-protocol"];
  if (typeof protocol === "string") env.GIT_PROTOCOL = protocol;

  const cgi = spawn(backend, [], { env, stdio: ["pipe", "pipe", "inherit"] });
  req.pipe(cgi.stdin);
  cgi.on("error", (err) => {
    console.error(`git-http-backend failed to start: ${err.message}`);
    if (!res.headersSent) res.writeHead(500).end();
  });

  // CGI output is a header block, a blank line, then the body to stream through.
  let head = Buffer.alloc(0);
  let headersDone = false;
  cgi.stdout.on("data", (chunk: Buffer) => {
    if (headersDone) {
      res.write(chunk);
      return;
    }
    head = Buffer.concat([head, chunk]);
    const text = head.toString("latin1");
    const crlf = text.indexOf("\r\n\r\n");
    const lf = text.indexOf("\n\n");
    const end = crlf >= 0 && (lf < 0 || crlf < lf) ? crlf + 4 : lf >= 0 ? lf + 2 : -1;
    if (end < 0) return;
    headersDone = true;
    let status = 200;
    for (const line of text.slice(0, end).split(/\r?\n/)) {
      const colon = line.indexOf(":");
      if (colon <= 0) continue;
      const name = line.slice(0, colon).trim();
      const value = line.slice(colon + 1).trim();
      if (name.toLowerCase() === "status") status = Number.parseInt(value, 10) || 500;
      else res.setHeader(name, value);
    }
    res.writeHead(status);
    res.write(head.subarray(end));
  });
  cgi.on("close", (code) => {
    if (!headersDone && !res.headersSent) res.writeHead(code === 0 ? 200 : 500);
    res.end();
    console.log(`${req.method} ${url.pathname} ${res.statusCode}`);
  });
}

function serve(req: IncomingMessage, res: ServerResponse): void {
  if (!authorized(req)) {
    res.writeHead(401, { "WWW-Authenticate": 'Basic realm="tether-test-git"' }).end();
    console.log(`${req.method} ${req.url?.split("?")[0]} 401`);
    return;
  }
  serveCgi(req, res);
}

const servers = [createServer(serve)];
servers[0]?.listen(Number(values.port), "127.0.0.1", () => {
  console.log(`git smart-HTTP on http://127.0.0.1:${values.port} serving ${root}`);
});
if (values["tls-port"] && values["tls-cert"] && values["tls-key"] && values["tls-client-ca"]) {
  const tls = createTlsServer(
    {
      cert: readFileSync(values["tls-cert"]),
      key: readFileSync(values["tls-key"]),
      ca: readFileSync(values["tls-client-ca"]),
      requestCert: true,
      rejectUnauthorized: true,
    },
    serve,
  );
  tls.listen(Number(values["tls-port"]), "127.0.0.1", () => {
    console.log(`git smart-HTTP on https://127.0.0.1:${values["tls-port"]} (client certificates)`);
  });
  servers.push(tls);
}
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    for (const server of servers) {
      server.close();
      server.closeAllConnections();
    }
    process.exit(0);
  });
}
