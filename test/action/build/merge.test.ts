// `tether image merge`: single-platform images pushed by digest (as a matrix of native
// runners does) become one index under the release and environment tags.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, test } from "node:test";
import { indexFor } from "../../../action/build/merge.ts";
import { pushImage } from "../../helpers/registry.ts";
import { testenv } from "../../helpers/testenv.ts";
import { tether } from "../../helpers/tether.ts";

describe("tether image merge", () => {
  test("two native builds become one index, arm64 first, under every tag", async () => {
    const env = testenv();
    const name = `merge-${randomBytes(3).toString("hex")}`;
    const arm = await pushImage(env.registry, name, {
      tags: ["build-arm64"],
      platforms: ["linux/arm64"],
      index: false,
    });
    const amd = await pushImage(env.registry, name, {
      tags: ["build-amd64"],
      platforms: ["linux/amd64"],
      index: false,
    });
    const tags = ["RELEASE.2026-11-23T10-20-30Z", "dev-0123456"];
    const result = await tether([
      "image",
      "merge",
      "--image",
      `${env.registry}/${name}`,
      "--digest",
      arm.digest,
      "--digest",
      amd.digest,
      ...tags.flatMap((t) => ["--tag", t]),
      "--insecure-registry",
    ]);
    assert.equal(result.code, 0, result.stderr);
    const digest = result.stdout.trim().split("\n").at(-1);
    assert.match(digest ?? "", /^sha256:[0-9a-f]{64}$/);
    for (const tag of tags) {
      const res = await fetch(`http://${env.registry}/v2/${name}/manifests/${tag}`, {
        headers: { accept: "application/vnd.oci.image.index.v1+json" },
      });
      assert.equal(res.headers.get("docker-content-digest"), digest);
      const index = (await res.json()) as {
        manifests: { digest: string; platform: { architecture: string } }[];
      };
      assert.deepEqual(
        index.manifests.map((m) => [m.platform.architecture, m.digest]),
        [
          ["arm64", arm.digest],
          ["amd64", amd.digest],
        ],
      );
    }
    // Build tags name the same images as their digests, and give the same index.
    const byTag = await tether(
      [
        "image",
        "merge",
        "--image",
        `${env.registry}/${name}`,
        "--digest",
        "build-arm64",
        "--digest",
        "build-amd64",
        "--tag",
        "dev-bytag",
        "--insecure-registry",
      ],
      { exit: 0 },
    );
    assert.equal(byTag.stdout.trim().split("\n").at(-1), digest);
    // Merging the same again changes nothing; a RELEASE tag is never moved elsewhere.
    assert.equal(
      (
        await tether([
          "image",
          "merge",
          "--image",
          `${env.registry}/${name}`,
          "--digest",
          arm.digest,
          "--digest",
          amd.digest,
          "--tag",
          tags[0] as string,
          "--insecure-registry",
        ])
      ).code,
      0,
    );
    const moved = await tether([
      "image",
      "merge",
      "--image",
      `${env.registry}/${name}`,
      "--digest",
      arm.digest,
      "--tag",
      tags[0] as string,
      "--insecure-registry",
      "--force",
    ]);
    assert.equal(moved.code, 2);
    assert.match(moved.stderr, /RELEASE\.\* tags are never moved/);
  });

  test("two images for one platform are refused", () => {
    const d = { mediaType: "m", digest: "sha256:1", size: 1 };
    assert.throws(
      () =>
        indexFor([
          { descriptor: d, platform: { os: "linux", architecture: "arm64" } },
          { descriptor: d, platform: { os: "linux", architecture: "arm64" } },
        ]),
      /two images are for linux\/arm64/,
    );
  });
});
