// A real CNCF distribution registry (the `docker-registry` binary the local environment
// uses) configured for token authentication, and the token issuer it trusts, for tests
// of the Bearer flow; the local environment has only open and htpasswd registries.
// Both listen on 127.0.0.1 and live only as long as the test file. The issuer is small
// on purpose: it checks Basic credentials, grants every requested action to the known
// user and none to anyone else, and signs an RS256 JWT with an x5c header whose
// certificate is the registry's `rootcertbundle`, as distribution's token spec describes.
import { type ChildProcess, spawn } from "node:child_process";
import { createPrivateKey, randomBytes, sign, X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { mustRun } from "../../helpers/run.ts";
import { freePort, waitFor } from "../../helpers/wait.ts";

export interface TokenRegistry {
  host: string;
  user: string;
  password: string;
  /** The scope parameters of every token request, in order. */
  tokenRequests: { scopes: string[]; account: string | undefined; authenticated: boolean }[];
  stop(): Promise<void>;
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString("base64url");

export async function startTokenRegistry(): Promise<TokenRegistry> {
  const dir = mkdtempSync(join(tmpdir(), "tether-token-registry-"));
  const user = "tether-bearer";
  const password = randomBytes(9).toString("hex");
  await mustRun("openssl", [
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-days",
    "2",
    "-subj",
    "/CN=tether-test-token-issuer",
    "-keyout",
    join(dir, "token.key"),
    "-out",
    join(dir, "token.crt"),
  ]);
  const key = createPrivateKey(readFileSync(join(dir, "token.key")));
  const certDer = new X509Certificate(readFileSync(join(dir, "token.crt"))).raw;
  const service = "tether-test-bearer";
  const issuer = "tether-test-issuer";
  const tokenRequests: TokenRegistry["tokenRequests"] = [];

  const issuerServer: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const scopes = url.searchParams.getAll("scope");
    const authorization = req.headers.authorization ?? "";
    const expected = `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
    const authenticated = authorization === expected;
    tokenRequests.push({
      scopes,
      account: url.searchParams.get("account") ?? undefined,
      authenticated,
    });
    if (authorization !== "" && !authenticated) {
      res.writeHead(401, { "content-type": "application/json" });
      res.end(JSON.stringify({ details: "incorrect username or password" }));
      return;
    }
    const now = Math.floor(Date.now() / 1000);
    const access = authenticated
      ? scopes
          .flatMap((s) => s.split(" "))
          .map((s) => {
            const [type = "", ...rest] = s.split(":");
            const actions = rest.pop() ?? "";
            return { type, name: rest.join(":"), actions: actions.split(",") };
          })
      : [];
    const header = { typ: "JWT", alg: "RS256", x5c: [certDer.toString("base64")] };
    const claims = {
      iss: issuer,
      sub: authenticated ? user : "",
      aud: service,
      exp: now + 300,
      nbf: now - 10,
      iat: now,
      jti: randomBytes(8).toString("hex"),
      access,
    };
    const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
    const token = `${input}.${b64url(sign("sha256", Buffer.from(input), key))}`;
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ token, expires_in: 300, issued_at: new Date().toISOString() }));
  });
  await new Promise<void>((resolve) => issuerServer.listen(0, "127.0.0.1", resolve));
  const issuerPort = (issuerServer.address() as AddressInfo).port;

  const port = await freePort();
  writeFileSync(
    join(dir, "config.yml"),
    [
      "version: 0.1",
      "log: {level: warn}",
      "storage:",
      `  filesystem: {rootdirectory: '${join(dir, "data")}'}`,
      "  delete: {enabled: true}",
      "http:",
      `  addr: 127.0.0.1:${port}`,
      "auth:",
      "  token:",
      `    realm: http://127.0.0.1:${issuerPort}/token`,
      `    service: ${service}`,
      `    issuer: ${issuer}`,
      `    rootcertbundle: '${join(dir, "token.crt")}'`,
      "",
    ].join("\n"),
  );
  const child: ChildProcess = spawn("docker-registry", ["serve", join(dir, "config.yml")], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let log = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    log += chunk.toString();
  });
  const host = `127.0.0.1:${port}`;
  // Up once /v2/ asks for a token; a registry that exited is not waited for.
  const state = await waitFor(
    "the token-auth registry",
    async () => {
      if (child.exitCode !== null) return "exited";
      return (await fetch(`http://${host}/v2/`)).status === 401 ? "up" : undefined;
    },
    20_000,
  ).catch(() => "timed out");
  if (state !== "up") {
    issuerServer.close();
    child.kill("SIGTERM");
    throw new Error(`the token-auth registry did not start (${state}):\n${log}`);
  }
  return {
    host,
    user,
    password,
    tokenRequests,
    async stop() {
      child.kill("SIGTERM");
      await new Promise<void>((resolve) => {
        if (child.exitCode !== null) resolve();
        else child.once("exit", () => resolve());
      });
      await new Promise<void>((resolve) => issuerServer.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
