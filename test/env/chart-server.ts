// Helm chart repository for the local test environment: a static file server with
// basic auth over a folder holding `index.yaml` (made by `helm repo index`) and the
// packaged charts. It answers ETag / If-None-Match like the chart repositories users
// run behind a CDN, so index caching is tested against a real conditional GET.
//
// Usage: node test/env/chart-server.ts --port N --root DIR [--tls-port N --tls-cert F --tls-key F]
//        (credentials from TETHER_CHART_USER and TETHER_CHART_PASSWORD)
import { createHash, timingSafeEqual } from "node:crypto";
import { createReadStream, readFileSync } from "node:fs";
import { stat } from "node:fs/promises";
import { createServer, type IncomingMessage, type RequestListener } from "node:http";
import { createServer as createTlsServer } from "node:https";
import { normalize, resolve, sep } from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    port: { type: "string" },
    root: { type: "string" },
    // The same folder over HTTPS too, with this certificate (signed by the testenv CA).
    "tls-port": { type: "string" },
    "tls-cert": { type: "string" },
    "tls-key": { type: "string" },
  },
});
const user = process.env.TETHER_CHART_USER ?? "";
const password = process.env.TETHER_CHART_PASSWORD ?? "";
if (!values.port || !values.root || !user || !password) {
  console.error(
    "usage: chart-server.ts --port N --root DIR (TETHER_CHART_USER and TETHER_CHART_PASSWORD set)",
  );
  process.exit(2);
}
const root = resolve(values.root);
const expected = Buffer.from(`Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`);

function authorized(req: IncomingMessage): boolean {
  const given = Buffer.from(req.headers.authorization ?? "");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const TYPES: Record<string, string> = {
  ".yaml": "application/x-yaml",
  ".tgz": "application/gzip",
  ".prov": "text/plain",
};

const serve: RequestListener = async (req, res) => {
  const path = decodeURIComponent(new URL(req.url ?? "/", "http://127.0.0.1").pathname);
  const log = () => console.log(`${req.method} ${path} ${res.statusCode}`);
  res.on("finish", log);
  if (!authorized(req)) {
    res.writeHead(401, { "WWW-Authenticate": 'Basic realm="tether-test-charts"' }).end();
    return;
  }
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.writeHead(405).end();
    return;
  }
  const file = resolve(root, `.${normalize(path)}`);
  const info = await stat(file).catch(() => undefined);
  if (!(file === root || file.startsWith(`${root}${sep}`)) || !info?.isFile()) {
    res.writeHead(404).end();
    return;
  }
  // A weak validator from size and mtime: `helm repo index` rewrites the file.
  const etag = `"${createHash("sha256").update(`${info.size}:${info.mtimeMs}`).digest("hex").slice(0, 32)}"`;
  if (req.headers["if-none-match"] === etag) {
    res.writeHead(304, { ETag: etag }).end();
    return;
  }
  const ext = file.slice(file.lastIndexOf("."));
  res.writeHead(200, {
    "Content-Type": TYPES[ext] ?? "application/octet-stream",
    "Content-Length": String(info.size),
    ETag: etag,
  });
  if (req.method === "HEAD") {
    res.end();
    return;
  }
  createReadStream(file).pipe(res);
};

const servers = [createServer(serve)];
servers[0]?.listen(Number(values.port), "127.0.0.1", () => {
  console.log(`chart repository on http://127.0.0.1:${values.port} serving ${root}`);
});
if (values["tls-port"] && values["tls-cert"] && values["tls-key"]) {
  const tls = createTlsServer(
    { cert: readFileSync(values["tls-cert"]), key: readFileSync(values["tls-key"]) },
    serve,
  );
  tls.listen(Number(values["tls-port"]), "127.0.0.1", () => {
    console.log(`chart repository on https://127.0.0.1:${values["tls-port"]}`);
  });
  servers.push(tls);
}
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    for (const s of servers) {
      s.close();
      s.closeAllConnections();
    }
    process.exit(0);
  });
}
