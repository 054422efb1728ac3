// Faults the real local registries cannot be made to produce: 429 with Retry-After, 503,
// a registry that stays down, and paginated tag lists (distribution 2.8 ignores `n` and
// sends no Link header). A tiny HTTP server on 127.0.0.1 answers them; it speaks just
// enough of the registry API for the client (ping, tags, manifests). Everything else is
// tested against the real registries in client.test.ts and bearer.test.ts.
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { RegistryClient, RegistryError } from "../../../shared/registry/client.ts";
import { digestOf, OCI_MANIFEST } from "../../helpers/registry.ts";
import { freePort } from "../../helpers/wait.ts";

interface Seen {
  method: string;
  path: string;
  at: number;
}

let server: Server;
let host: string;
const seen: Seen[] = [];
const attempts = new Map<string, number>();
const manifest = JSON.stringify({
  schemaVersion: 2,
  mediaType: OCI_MANIFEST,
  config: {},
  layers: [{}],
});
const TAGS = ["t0", "t1", "t2", "t3", "t4"];

before(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    seen.push({ method: req.method ?? "", path: url.pathname + url.search, at: Date.now() });
    const key = `${req.method} ${url.pathname}`;
    const n = (attempts.get(key) ?? 0) + 1;
    attempts.set(key, n);
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === "/v2/") return json(200, {});
    const m = /^\/v2\/(.+)\/(tags\/list|manifests\/[^/]+)$/.exec(url.pathname);
    const repo = m?.[1];
    const kind = m?.[2]?.startsWith("tags") ? "tags" : "manifest";
    const busy = { errors: [{ code: "TOOMANYREQUESTS", message: "slow down" }] };
    const unavailable = { errors: [{ code: "UNAVAILABLE", message: "try later" }] };
    if (kind === "tags") {
      if (repo === "limited/app" && n === 1) return json(429, busy, { "retry-after": "1" });
      if (repo === "flaky/app" && n <= 2) return json(503, unavailable);
      if (repo === "down/app") return json(503, unavailable);
      if (repo === "patient/app") return json(429, busy, { "retry-after": "3600" });
      if (repo === "paged/app") {
        // Pages of two, as registries that paginate by default do.
        const last = url.searchParams.get("last");
        const start = last === null ? 0 : TAGS.indexOf(last) + 1;
        const page = TAGS.slice(start, start + 2);
        const more = start + 2 < TAGS.length;
        return json(
          200,
          { name: repo, tags: page },
          more ? { link: `</v2/${repo}/tags/list?n=2&last=${page.at(-1)}>; rel="next"` } : {},
        );
      }
      return json(200, { name: repo, tags: ["a"] });
    }
    if (repo === "flaky/app" && n === 1) {
      // Retry-After as an HTTP date (whole seconds) ten seconds ahead: the wait asked
      // for is 10 s less however long the answer took to arrive, far from the 50 ms an
      // exponential backoff would wait.
      const at = Math.ceil(Date.now() / 1000) * 1000 + 10_000;
      return json(503, unavailable, { "retry-after": new Date(at).toUTCString() });
    }
    res.writeHead(200, {
      "content-type": OCI_MANIFEST,
      "docker-content-digest": digestOf(manifest),
      "content-length": String(Buffer.byteLength(manifest)),
    });
    res.end(req.method === "HEAD" ? undefined : manifest);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** A client that records the waits it is asked to make instead of making them. */
function recordingClient(retries = 4) {
  const waits: number[] = [];
  const client = new RegistryClient({
    registry: host,
    insecure: true,
    retry: { retries, baseDelayMs: 100, maxDelayMs: 1_000, maxRetryAfterMs: 30_000 },
    random: () => 0,
    sleep: async (ms) => {
      waits.push(ms);
    },
  });
  return { client, waits };
}

const requestsTo = (prefix: string) => seen.filter((s) => s.path.startsWith(prefix));

describe("faults (a local stand-in server)", () => {
  test("429 with Retry-After: 1 is waited out for real, then the answer is used", async () => {
    const client = new RegistryClient({ registry: host, insecure: true });
    try {
      assert.deepEqual(await client.listTags("limited/app"), ["a"]);
      const tags = requestsTo("/v2/limited/app/tags/list");
      assert.equal(tags.length, 2);
      const gap = (tags[1] as Seen).at - (tags[0] as Seen).at;
      assert.ok(gap >= 950, `waited ${gap}ms`);
      // ping + 429 + 200, all counted.
      assert.equal(client.requests, 3);
    } finally {
      client.close();
    }
  });

  test("503 twice: exponential backoff, then success", async () => {
    const { client, waits } = recordingClient();
    try {
      assert.deepEqual(await client.listTags("flaky/app"), ["a"]);
      assert.deepEqual(waits, [50, 100]);
      assert.equal(client.requests, 4);
    } finally {
      client.close();
    }
  });

  test("a registry that stays down: bounded attempts, then an error saying so", async () => {
    const { client, waits } = recordingClient(3);
    try {
      await assert.rejects(client.listTags("down/app"), (e: Error) => {
        assert.ok(e instanceof RegistryError);
        assert.equal(e.status, 503);
        assert.match(e.message, /gave up after 4 attempts/);
        return true;
      });
      assert.equal(waits.length, 3);
      assert.equal(requestsTo("/v2/down/app/").length, 4);
    } finally {
      client.close();
    }
  });

  test("a Retry-After longer than the limit is not waited out", async () => {
    const { client, waits } = recordingClient();
    try {
      await assert.rejects(
        client.listTags("patient/app"),
        /asked to retry after 3600s, longer than the 30s Tether waits/,
      );
      assert.deepEqual(waits, []);
    } finally {
      client.close();
    }
  });

  test("fetch requests honour Retry-After as an HTTP date too", async () => {
    const { client, waits } = recordingClient();
    try {
      const head = await client.headManifest("flaky/app", "v1");
      assert.equal(head?.digest, digestOf(manifest));
      assert.equal(waits.length, 1);
      assert.ok((waits[0] as number) > 5_000 && (waits[0] as number) <= 11_000, String(waits[0]));
      assert.equal(client.requests, 2);
    } finally {
      client.close();
    }
  });

  test("tag lists are followed across pages by their Link headers", async () => {
    const client = new RegistryClient({ registry: host, insecure: true });
    try {
      assert.deepEqual(await client.listTags("paged/app"), TAGS);
      assert.deepEqual(
        requestsTo("/v2/paged/app/").map((s) => s.path),
        [
          "/v2/paged/app/tags/list",
          "/v2/paged/app/tags/list?n=2&last=t1",
          "/v2/paged/app/tags/list?n=2&last=t3",
        ],
      );
      assert.equal(client.requests, 4);
    } finally {
      client.close();
    }
  });

  test("the per-registry rate limit spaces requests out", async () => {
    const client = new RegistryClient({
      registry: host,
      insecure: true,
      rateLimit: { requestsPerSecond: 20 },
    });
    try {
      const started = Date.now();
      for (let i = 0; i < 10; i++) await client.headManifest("rate/app", `v${i}`);
      const elapsed = Date.now() - started;
      // A lower bound only: timers never fire early, but a loaded machine may deliver
      // any single request late, so gaps seen by the server are not asserted (the
      // bucket's schedule is tested as a pure function in retry.test.ts).
      assert.ok(elapsed >= 9 * 50 - 10, `10 requests at 20/s took ${elapsed}ms`);
      assert.equal(requestsTo("/v2/rate/app/").length, 10);
      assert.equal(client.requests, 10);
    } finally {
      client.close();
    }
  });

  test("nothing listening: retried, then 'is the registry reachable'", async () => {
    const port = await freePort();
    const waits: number[] = [];
    const client = new RegistryClient({
      registry: `127.0.0.1:${port}`,
      insecure: true,
      retry: { retries: 2 },
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    try {
      await assert.rejects(
        client.headManifest("app", "v1"),
        /no answer .*is the registry reachable/,
      );
      assert.equal(waits.length, 2);
      assert.equal(client.requests, 3);
    } finally {
      client.close();
    }
  });
});
