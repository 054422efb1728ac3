import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { nextPageUrl } from "../../../shared/registry/client.ts";
import { CreatedCache } from "../../../shared/registry/created-cache.ts";
import {
  createdFromAnnotations,
  createdFromConfig,
  DOCKER_MANIFEST_LIST,
  indexPlatforms,
  manifestMediaType,
  normalizePlatform,
  OCI_INDEX,
  OCI_MANIFEST,
  pickChildForCreated,
  referencedBlobs,
} from "../../../shared/registry/manifest.ts";

const d = (c: string) => `sha256:${c.repeat(64)}`;

describe("manifest helpers", () => {
  test("media type: the field, else Content-Type, else the shape", () => {
    assert.equal(
      manifestMediaType({ mediaType: DOCKER_MANIFEST_LIST }, OCI_INDEX),
      DOCKER_MANIFEST_LIST,
    );
    assert.equal(manifestMediaType({ manifests: [] }, `${OCI_INDEX}; charset=utf-8`), OCI_INDEX);
    assert.equal(manifestMediaType({ manifests: [] }, "text/plain"), OCI_INDEX);
    assert.equal(manifestMediaType({ layers: [] }), OCI_MANIFEST);
  });

  test("blobs: config then layers, foreign layers left out", () => {
    const blobs = referencedBlobs({
      config: { mediaType: "c", digest: d("1"), size: 1 },
      layers: [
        { mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: d("2"), size: 2 },
        {
          mediaType: "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
          digest: d("3"),
          size: 3,
        },
      ],
    });
    assert.deepEqual(
      blobs.map((b) => b.digest),
      [d("1"), d("2")],
    );
  });

  const index = {
    manifests: [
      {
        mediaType: OCI_MANIFEST,
        digest: d("a"),
        size: 1,
        platform: { os: "linux", architecture: "amd64" },
      },
      {
        mediaType: OCI_MANIFEST,
        digest: d("b"),
        size: 1,
        platform: { os: "linux", architecture: "arm64", variant: "v8" },
      },
      {
        mediaType: OCI_MANIFEST,
        digest: d("c"),
        size: 1,
        platform: { os: "unknown", architecture: "unknown" },
      },
    ],
  };

  test("platforms of an index, attestations skipped, arm64/v8 normalized", () => {
    assert.deepEqual(indexPlatforms(index), ["linux/amd64", "linux/arm64"]);
    assert.equal(normalizePlatform("linux/arm/v7"), "linux/arm/v7");
  });

  test("creation time is read from the arm64 child first", () => {
    assert.equal(pickChildForCreated(index)?.digest, d("b"));
    assert.equal(pickChildForCreated({ manifests: [] }), undefined);
  });

  test("creation time: annotation, else label, else config created; garbage ignored", () => {
    assert.equal(
      createdFromAnnotations({
        annotations: { "org.opencontainers.image.created": "2026-01-02T03:04:05Z" },
      }),
      "2026-01-02T03:04:05.000Z",
    );
    assert.equal(
      createdFromConfig({
        created: "2020-01-01T00:00:00Z",
        config: { Labels: { "org.opencontainers.image.created": "2026-05-06T07:08:09+02:00" } },
      }),
      "2026-05-06T05:08:09.000Z",
    );
    assert.equal(
      createdFromConfig({
        created: "2020-01-01T00:00:00Z",
        config: { Labels: { "org.opencontainers.image.created": "yesterday" } },
      }),
      "2020-01-01T00:00:00.000Z",
    );
    assert.equal(createdFromConfig({}), undefined);
  });
});

describe("tag pagination links", () => {
  const base = "http://127.0.0.1:5000/v2/app/tags/list";
  test("rel=next, relative or absolute", () => {
    assert.equal(
      nextPageUrl('</v2/app/tags/list?n=2&last=b>; rel="next"', base)?.href,
      "http://127.0.0.1:5000/v2/app/tags/list?n=2&last=b",
    );
    assert.equal(
      nextPageUrl("<https://other/x?last=c>; rel=next", base)?.href,
      "https://other/x?last=c",
    );
    assert.equal(
      nextPageUrl('</a>; rel="prev", </b>; rel="next"', base)?.href,
      "http://127.0.0.1:5000/b",
    );
  });
  test("no next", () => {
    assert.equal(nextPageUrl(undefined, base), undefined);
    assert.equal(nextPageUrl('</a>; rel="prev"', base), undefined);
  });
});

describe("CreatedCache", () => {
  test("saves to JSON and loads back; unknown times kept as null; a corrupt file starts empty", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tether-created-"));
    const file = join(dir, "sub", "created.json");
    try {
      const cache = await CreatedCache.load(file);
      assert.equal(cache.size, 0);
      cache.set(d("1"), "2026-01-01T00:00:00.000Z");
      cache.set(d("2"), null);
      await cache.save();
      const again = await CreatedCache.load(file);
      assert.equal(again.get(d("1")), "2026-01-01T00:00:00.000Z");
      assert.equal(again.get(d("2")), null);
      assert.equal(again.get(d("3")), undefined);
      const { writeFileSync } = await import("node:fs");
      writeFileSync(file, "{not json");
      assert.equal((await CreatedCache.load(file)).size, 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
