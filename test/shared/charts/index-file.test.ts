// Reading one chart out of an index file without parsing the whole file.
import assert from "node:assert/strict";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fetchIndex, indexUrlOf, readChartEntries } from "../../../shared/charts/index-file.ts";

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
    const dir = join(cacheDir, "indexes", (await readdir(join(cacheDir, "indexes")))[0] as string);
    assert.deepEqual((await readdir(dir)).sort(), ["index.yaml", "meta.json"]);
  } finally {
    server.close();
    await rm(cacheDir, { recursive: true, force: true });
  }
});
