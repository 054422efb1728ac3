// The agent's HTTP endpoints face the cluster network: only GET and HEAD, a client
// that sends its headers slowly is cut off, and metric label values (unit and policy
// names come from Git) are escaped so one cannot forge a line of the exposition.
import assert from "node:assert/strict";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { connect } from "node:net";
import { after, before, describe, test } from "node:test";
import { Metrics } from "../../agent/metrics.ts";
import { serveReceiver } from "../../agent/receiver.ts";
import { closeServer, serve } from "../../agent/server.ts";

let server: Server;
let base: string;

before(async () => {
  server = await serve(0, "127.0.0.1", { "/healthz": () => ({ status: 200, body: "ok\n" }) });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => closeServer(server));

describe("agent HTTP server", () => {
  test("GET and HEAD answer; other methods get 405 with Allow", async () => {
    assert.equal((await fetch(`${base}/healthz`)).status, 200);
    assert.equal((await fetch(`${base}/healthz`, { method: "HEAD" })).status, 200);
    for (const method of ["POST", "PUT", "DELETE", "PATCH"]) {
      const res = await fetch(`${base}/healthz`, {
        method,
        body: method === "DELETE" ? null : "x",
      });
      assert.equal(res.status, 405, method);
      assert.equal(res.headers.get("allow"), "GET, HEAD");
    }
  });

  test("a client that never finishes its headers is disconnected", async () => {
    assert.ok(server.headersTimeout > 0 && server.headersTimeout <= 10_000, "headersTimeout");
    const socket = connect((server.address() as AddressInfo).port, "127.0.0.1");
    socket.write("GET /healthz HTTP/1.1\r\nHost: x\r\n");
    const closed = await new Promise<boolean>((resolve) => {
      // A deadline well above the server's limit, not a timing.
      const deadline = setTimeout(() => resolve(false), server.headersTimeout + 20_000);
      socket.on("close", () => {
        clearTimeout(deadline);
        resolve(true);
      });
      socket.on("error", () => undefined);
      socket.resume();
    });
    socket.destroy();
    assert.ok(closed, "the slow client was cut off");
  });

  test("errors after listening (failed accepts) do not end the process; both servers answer on", async () => {
    const receiver = await serveReceiver({
      port: 0,
      bind: "127.0.0.1",
      secret: "s",
      watched: { branch: "main" },
      onTrigger: () => undefined,
      log: () => undefined,
    });
    try {
      // What net.Server emits when accept() fails (EMFILE: out of file descriptors).
      const acceptFailed = () => Object.assign(new Error("accept EMFILE"), { code: "EMFILE" });
      for (const s of [server, receiver])
        for (let i = 0; i < 3; i++) assert.doesNotThrow(() => s.emit("error", acceptFailed()));
      assert.equal((await fetch(`${base}/healthz`)).status, 200);
      const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
      assert.equal((await fetch(hook)).status, 405);
    } finally {
      await closeServer(receiver);
    }
  });
});

describe("metric label values", () => {
  test("quotes, backslashes and newlines in a unit name are escaped", async () => {
    const metrics = new Metrics();
    metrics.recordUnitFailed('a"} 1\ntether_unit_ready{unit="forged');
    const text = await metrics.render();
    assert.doesNotMatch(text, /^tether_unit_ready\{unit="forged/m);
    assert.match(text, /unit="a\\"\} 1\\ntether_unit_ready\{unit=\\"forged"/);
  });
});
