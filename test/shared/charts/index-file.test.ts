// Reading one chart out of an index file without parsing the whole file.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { ChartError } from "../../../shared/charts/errors.ts";
import { fetchIndex, indexUrlOf, readChartEntries } from "../../../shared/charts/index-file.ts";
import { pullFromRepository } from "../../../shared/charts/pull.ts";
import { chartsEnv } from "../../helpers/testenv.ts";

const INDEX = `apiVersion: v1
entries:
  app-demo:
  - apiVersion: v2
    appVersion: 1.0.0
    created: "2026-11-30T00:00:00Z"
    digest: aaa
    name: app-demo
    urls:
    - http://127.0.0.1:1/app-demo-0.1.0.tgz
    version: 0.1.0
  - apiVersion: v2
    digest: bbb
    name: app-demo
    urls:
    - app-demo-0.0.1.tgz
    version: 0.0.1
  "other":
  - name: other
    urls:
    - other-1.0.0.tgz
    version: 1.0.0
  # a comment between charts
  zzz:
  - name: zzz
    urls: [zzz-2.0.0.tgz]
    version: "2.0"
generated: "2026-11-30T00:00:00Z"
`;

async function withIndex(text: string, run: (file: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "tether-index-"));
  try {
    const file = join(dir, "index.yaml");
    await writeFile(file, text);
    await run(file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test("the entries of one chart are read from a block-style index", async () => {
  await withIndex(INDEX, async (file) => {
    const demo = await readChartEntries({ file, digest: "d1" }, "app-demo");
    assert.deepEqual(
      demo.map((e) => [e.version, e.digest, e.urls[0]]),
      [
        ["0.1.0", "aaa", "http://127.0.0.1:1/app-demo-0.1.0.tgz"],
        ["0.0.1", "bbb", "app-demo-0.0.1.tgz"],
      ],
    );
    assert.deepEqual(
      (await readChartEntries({ file, digest: "d1" }, "other")).map((e) => e.version),
      ["1.0.0"],
    );
    assert.deepEqual(
      (await readChartEntries({ file, digest: "d1" }, "zzz")).map((e) => e.version),
      ["2.0"],
    );
    assert.deepEqual(await readChartEntries({ file, digest: "d1" }, "missing"), []);
  });
});

test("a JSON index (Helm accepts one) is parsed whole", async () => {
  const json = JSON.stringify({
    apiVersion: "v1",
    entries: { "app-demo": [{ name: "app-demo", version: "1.0.0", urls: ["a.tgz"] }] },
  });
  await withIndex(json, async (file) => {
    const found = await readChartEntries({ file, digest: "d2" }, "app-demo");
    assert.deepEqual(
      found.map((e) => e.version),
      ["1.0.0"],
    );
  });
});

test("index URLs: a repository URL gets /index.yaml, an index URL stays", () => {
  assert.equal(indexUrlOf("http://h/charts/"), "http://h/charts/index.yaml");
  assert.equal(indexUrlOf("http://h/charts"), "http://h/charts/index.yaml");
  assert.equal(indexUrlOf("http://h/x/index.yaml"), "http://h/x/index.yaml");
});

test("HelmReleases of one repository fetching its index at once share one download", async () => {
  let requests = 0;
  const server = createServer((req, res) => {
    requests++;
    if (req.headers["if-none-match"] === '"v1"') {
      res.writeHead(304).end();
      return;
    }
    // Slow enough that every caller below starts before the first one is done.
    setTimeout(() => res.writeHead(200, { etag: '"v1"' }).end(INDEX), 100);
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const cacheDir = await mkdtemp(join(tmpdir(), "tether-index-fetch-"));
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/charts`;
    const all = await Promise.all(Array.from({ length: 8 }, () => fetchIndex(url, cacheDir)));
    assert.equal(new Set(all.map((i) => i.digest)).size, 1);
    assert.equal(requests, 1);
    const entries = await readChartEntries(all[0] as (typeof all)[0], "app-demo");
    assert.deepEqual(
      entries.map((e) => e.version),
      ["0.1.0", "0.0.1"],
    );
    // The next fetch revalidates the copy on disk; no temporary file is left behind.
    const again = await fetchIndex(url, cacheDir);
    assert.equal(again.downloaded, false);
    assert.equal(requests, 2);
    const indexes = join(cacheDir, "indexes.v2");
    const dir = join(indexes, (await readdir(indexes))[0] as string);
    assert.deepEqual((await readdir(dir)).sort(), ["index.yaml", "meta.json"]);
  } finally {
    server.close();
    await rm(cacheDir, { recursive: true, force: true });
  }
});

describe("credentials and the index cache (the chart server with basic auth)", () => {
  const refused = (error: unknown) =>
    error instanceof ChartError &&
    error.reason === "AuthenticationFailed" &&
    /HTTP 40[13]/.test(error.message);

  /** Every file under `dir`, read whole: nothing in the cache may hold a credential. */
  async function allFiles(dir: string): Promise<{ path: string; text: string }[]> {
    const out: { path: string; text: string }[] = [];
    for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
      if (!e.isFile()) continue;
      const path = join(e.parentPath, e.name);
      out.push({ path, text: (await readFile(path)).toString("latin1") });
    }
    return out;
  }
  const assertNoSecret = async (dir: string, secrets: string[]) => {
    for (const { path, text } of await allFiles(dir))
      for (const secret of secrets) assert.ok(!text.includes(secret), `${path} holds a credential`);
  };

  /**
   * A pass-through to the chart server (Authorization header and all) that can be
   * switched to 503 or shut: the server of the environment itself is never stopped. Its
   * index's package URLs are rewritten to the proxy, as a mirror would serve them.
   */
  async function proxy() {
    const charts = chartsEnv();
    let mode: "forward" | "503" = "forward";
    const server = createServer((req, res) => {
      if (mode === "503") {
        res.writeHead(503).end();
        return;
      }
      const upstream = request(
        new URL(req.url ?? "/", charts.url),
        { headers: { ...req.headers, host: new URL(charts.url).host, "accept-encoding": "" } },
        (up) => {
          if (req.url === "/index.yaml" && up.statusCode === 200) {
            const chunks: Buffer[] = [];
            up.on("data", (c: Buffer) => chunks.push(c));
            up.on("end", () =>
              res.writeHead(200).end(Buffer.concat(chunks).toString().replaceAll(charts.url, url)),
            );
            return;
          }
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      upstream.on("error", () => res.writeHead(502).end());
      upstream.end();
    });
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return {
      url,
      set: (m: typeof mode) => {
        mode = m;
      },
      close: () => new Promise<void>((done) => server.close(() => done())),
    };
  }

  test("a refused credential fails, even after an accepted one cached the index and chart", async () => {
    const charts = chartsEnv();
    const auth = { username: charts.user, password: charts.password };
    const cacheDir = await mkdtemp(join(tmpdir(), "tether-index-auth-"));
    try {
      const first = await fetchIndex(charts.url, cacheDir, auth);
      assert.equal(first.downloaded, true);
      const pulled = await pullFromRepository({
        url: charts.url,
        chart: "app-demo",
        version: "0.1.x",
        auth,
        cacheDir,
      });
      assert.equal(pulled.version, "0.1.1");
      assert.ok(existsSync(pulled.path));
      // No credentials, a wrong password, a wrong one in the URL: refused, no fallback.
      await assert.rejects(fetchIndex(charts.url, cacheDir), refused);
      await assert.rejects(
        fetchIndex(charts.url, cacheDir, { ...auth, password: "wrong" }),
        refused,
      );
      const wrongInUrl = charts.url.replace("//", `//${charts.user}:wrong@`);
      await assert.rejects(fetchIndex(wrongInUrl, cacheDir), refused);
      for (const other of [undefined, { ...auth, password: "wrong" }]) {
        await assert.rejects(
          pullFromRepository({
            url: charts.url,
            chart: "app-demo",
            version: "0.1.x",
            auth: other,
            cacheDir,
          }),
          refused,
        );
      }
      // The accepted credential still works, the copy on disk revalidated.
      assert.equal((await fetchIndex(charts.url, cacheDir, auth)).digest, first.digest);
    } finally {
      await rm(cacheDir, { recursive: true, force: true });
    }
  });

  test("an unreachable server (down, 503) still serves the cache, to the same credentials only", async () => {
    const charts = chartsEnv();
    const auth = { username: charts.user, password: charts.password };
    const cacheDir = await mkdtemp(join(tmpdir(), "tether-index-offline-"));
    const mirror = await proxy();
    const request = (a?: typeof auth) => ({
      url: mirror.url,
      chart: "app-demo",
      version: "0.1.x",
      auth: a,
      cacheDir,
    });
    try {
      const online = await pullFromRepository(request(auth));
      assert.equal(online.fromCache, undefined);
      mirror.set("503");
      const busy = await pullFromRepository(request(auth));
      assert.equal(busy.digest, online.digest);
      assert.match(busy.fromCache ?? "", /HTTP 503.*used the cached index and chart/);
      await mirror.close();
      const down = await fetchIndex(mirror.url, cacheDir, auth);
      assert.match(down.unreachable ?? "", /ECONNREFUSED/);
      const offline = await pullFromRepository(request(auth));
      assert.equal(offline.digest, online.digest);
      assert.equal(offline.path, online.path);
      assert.match(offline.fromCache ?? "", /ECONNREFUSED.*used the cached index and chart/);
      // What one credential fetched is not another's (nor no credential's) to read offline.
      await assert.rejects(pullFromRepository(request()), /ECONNREFUSED/);
      await assert.rejects(
        pullFromRepository(request({ ...auth, password: "wrong" })),
        /ECONNREFUSED/,
      );
    } finally {
      await mirror.close().catch(() => undefined);
      await rm(cacheDir, { recursive: true, force: true });
    }
  });

  test("no file in the cache holds a credential; an older version's entries are removed", async () => {
    const charts = chartsEnv();
    const cacheDir = await mkdtemp(join(tmpdir(), "tether-index-secret-"));
    const secrets = [
      charts.password,
      Buffer.from(`${charts.user}:${charts.password}`).toString("base64"),
    ];
    const inUrl = charts.url.replace("//", `//${charts.user}:${charts.password}@`);
    try {
      // What an older version wrote: the full URL, user info and all, in meta.json.
      const legacy = join(
        cacheDir,
        "indexes",
        createHash("sha256").update(indexUrlOf(inUrl)).digest("hex").slice(0, 32),
      );
      await mkdir(legacy, { recursive: true });
      await writeFile(join(legacy, "index.yaml"), INDEX);
      await writeFile(
        join(legacy, "meta.json"),
        JSON.stringify({ url: indexUrlOf(inUrl), digest: "sha256:0" }),
      );
      const auth = { username: charts.user, password: charts.password };
      await fetchIndex(inUrl, cacheDir);
      await pullFromRepository({
        url: charts.url,
        chart: "app-demo",
        version: "0.2.x",
        auth,
        cacheDir,
      });
      assert.equal(existsSync(legacy), false, "the older entry is removed");
      assert.ok((await allFiles(cacheDir)).length >= 3);
      await assertNoSecret(cacheDir, secrets);
    } finally {
      await rm(cacheDir, { recursive: true, force: true });
    }
  });
});
