// The pure decisions of `tether image build` and `promote`, table-tested.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  type BuildSpec,
  buildahBuildArgs,
  buildahCacheArgs,
  buildahPushArgs,
  buildxArgs,
  buildxCacheArgs,
  chooseBuilder,
  missingPlatforms,
  ociLabels,
  parsePlatforms,
  sourceUrl,
  timestampFromTags,
} from "../../../action/build/build-plan.ts";
import { decidePromotion, type PromoteDecision } from "../../../action/build/promote.ts";

describe("platforms", () => {
  const cases: [string | undefined, string[]][] = [
    [undefined, ["linux/arm64"]],
    ["", ["linux/arm64"]],
    ["linux/amd64,linux/arm64", ["linux/arm64", "linux/amd64"]],
    ["linux/amd64 linux/arm/v7\nlinux/arm64/v8", ["linux/arm64", "linux/amd64", "linux/arm/v7"]],
    ["linux/arm64, linux/arm64/v8, LINUX/AMD64", ["linux/arm64", "linux/amd64"]],
  ];
  for (const [input, expected] of cases) {
    test(`${JSON.stringify(input)} → ${expected.join(",")}`, () =>
      assert.deepEqual(parsePlatforms(input), expected));
  }
  test("refuses what is not os/arch", () => {
    assert.throws(() => parsePlatforms("arm64"), /not os\/arch/);
    assert.throws(() => parsePlatforms("linux/arm64;rm"), /not os\/arch/);
  });
  test("missing platforms after a push", () => {
    assert.deepEqual(missingPlatforms(["linux/arm64", "linux/amd64"], ["linux/arm64/v8"]), [
      "linux/amd64",
    ]);
    assert.deepEqual(missingPlatforms(["linux/arm64"], ["linux/arm64", "linux/amd64"]), []);
  });
});

describe("labels and timestamps", () => {
  test("OCI labels: created, revision, source; --label wins", () => {
    assert.deepEqual(
      ociLabels({
        created: new Date("2026-11-23T18:02:51.987Z"),
        revision: "abc",
        source: "https://github.com/o/r",
        extra: ["org.opencontainers.image.source=https://example.com/x", "team=edge=1"],
      }),
      {
        "org.opencontainers.image.created": "2026-11-23T18:02:51Z",
        "org.opencontainers.image.revision": "abc",
        "org.opencontainers.image.source": "https://example.com/x",
        team: "edge=1",
      },
    );
    assert.throws(() => ociLabels({ created: new Date(), extra: ["=x"] }), /not key=value/);
  });

  test("source URL from the GitHub environment", () => {
    assert.equal(sourceUrl({ GITHUB_REPOSITORY: "o/r" }), "https://github.com/o/r");
    assert.equal(
      sourceUrl({ GITHUB_REPOSITORY: "o/r", GITHUB_SERVER_URL: "https://ghe.example/" }),
      "https://ghe.example/o/r",
    );
    assert.equal(sourceUrl({}), undefined);
  });

  test("explicit tags: the RELEASE tag gives the time; a disagreeing --timestamp is an error", () => {
    const tags = ["RELEASE.2026-11-23T18-02-51Z", "dev-1234567"];
    assert.equal(timestampFromTags(tags, undefined)?.toISOString(), "2026-11-23T18:02:51.000Z");
    assert.equal(timestampFromTags(["dev-1"], undefined), undefined);
    assert.equal(
      timestampFromTags(tags, new Date("2026-11-23T18:02:51.400Z"))?.toISOString(),
      "2026-11-23T18:02:51.400Z",
    );
    assert.throws(() => timestampFromTags(tags, new Date("2026-11-23T18:00:00Z")), /disagrees/);
    assert.throws(() => timestampFromTags(["RELEASE.soon"], undefined), /not RELEASE\.YYYY/);
  });
});

describe("builder", () => {
  const cases: [
    Parameters<typeof chooseBuilder>[0],
    { buildx: boolean; buildah: boolean },
    string,
  ][] = [
    ["auto", { buildx: true, buildah: true }, "buildx"],
    ["auto", { buildx: false, buildah: true }, "buildah"],
    ["buildah", { buildx: true, buildah: true }, "buildah"],
    ["buildx", { buildx: true, buildah: false }, "buildx"],
  ];
  for (const [requested, available, expected] of cases) {
    test(`${requested} with ${JSON.stringify(available)} → ${expected}`, () =>
      assert.equal(chooseBuilder(requested, available), expected));
  }
  test("nothing usable: says what to install", () => {
    assert.throws(
      () => chooseBuilder("auto", { buildx: false, buildah: false }),
      /install buildah/,
    );
    assert.throws(
      () => chooseBuilder("buildx", { buildx: false, buildah: true }),
      /no buildx plugin or no Docker engine/,
    );
    assert.throws(
      () => chooseBuilder("buildah", { buildx: true, buildah: false }),
      /apt-get install buildah/,
    );
  });
});

describe("command lines", () => {
  const spec: BuildSpec = {
    context: "ctx",
    file: "ctx/Containerfile",
    platforms: ["linux/arm64", "linux/amd64"],
    labels: { "org.opencontainers.image.created": "2026-11-23T18:02:51Z" },
    buildArgs: ["A=1"],
    target: "runtime",
    timestamp: new Date("2026-11-23T18:02:51Z"),
    insecure: true,
    authFile: "/tmp/auth.json",
  };

  test("buildah build: one platform per call, vfs, chroot, a manifest list, reproducible timestamp", () => {
    assert.deepEqual(buildahBuildArgs(spec, "localhost/list", "linux/arm64"), [
      "--storage-driver",
      "vfs",
      "build",
      "--isolation",
      "chroot",
      "--platform",
      "linux/arm64",
      "--manifest",
      "localhost/list",
      "--timestamp",
      "1795456971",
      "--label",
      "org.opencontainers.image.created=2026-11-23T18:02:51Z",
      "--build-arg",
      "A=1",
      "--target",
      "runtime",
      "--file",
      "ctx/Containerfile",
      "--tls-verify=false",
      "--authfile",
      "/tmp/auth.json",
      "ctx",
    ]);
  });

  test("buildah push: every image, OCI format, digest file, plain HTTP when insecure", () => {
    assert.deepEqual(
      buildahPushArgs("localhost/list", "127.0.0.1:5000/app:v1", "/tmp/d", { insecure: true }),
      [
        "--storage-driver",
        "vfs",
        "manifest",
        "push",
        "--all",
        "--format",
        "oci",
        "--digestfile",
        "/tmp/d",
        "--tls-verify=false",
        "localhost/list",
        "docker://127.0.0.1:5000/app:v1",
      ],
    );
  });

  test("buildx: OCI layout out, no provenance or SBOM, SOURCE_DATE_EPOCH", () => {
    const args = buildxArgs({ ...spec, file: undefined, target: undefined }, "/tmp/layout");
    assert.deepEqual(args.slice(0, 8), [
      "buildx",
      "build",
      "--platform",
      "linux/arm64,linux/amd64",
      "--provenance=false",
      "--sbom=false",
      "--build-arg",
      "SOURCE_DATE_EPOCH=1795456971",
    ]);
    assert.deepEqual(args.slice(-3), ["--output", "type=oci,dest=/tmp/layout,tar=false", "ctx"]);
  });
});

describe("promotion decisions", () => {
  const A = `sha256:${"a".repeat(64)}`;
  const B = `sha256:${"b".repeat(64)}`;
  const cases: [string, string, string | undefined, boolean, PromoteDecision["action"], RegExp?][] =
    [
      ["new tag", "stg-1", undefined, false, "put"],
      ["already there", "stg-1", A, false, "none"],
      ["RELEASE already there", "RELEASE.2026-11-23T18-02-51Z", A, false, "none"],
      [
        "points elsewhere",
        "stg-1",
        B,
        false,
        "refuse",
        /points at sha256:b+, not sha256:a+; pass --force/,
      ],
      ["points elsewhere, forced", "stg-1", B, true, "put"],
      [
        "RELEASE elsewhere, forced",
        "RELEASE.2026-11-23T18-02-51Z",
        B,
        true,
        "refuse",
        /never moved \(not even with --force\)/,
      ],
      ["new RELEASE tag", "RELEASE.2026-11-23T18-02-51Z", undefined, false, "put"],
    ];
  for (const [name, targetTag, targetDigest, force, action, message] of cases) {
    test(name, () => {
      const decision = decidePromotion({
        target: "r.io/app",
        targetTag,
        sourceDigest: A,
        targetDigest,
        force,
      });
      assert.equal(decision.action, action);
      if (message) assert.match((decision as { reason: string }).reason, message);
    });
  }
  test("a forced move says it moves", () => {
    assert.deepEqual(
      decidePromotion({
        target: "r",
        targetTag: "prd",
        sourceDigest: A,
        targetDigest: B,
        force: true,
      }),
      { action: "put", moves: true },
    );
  });
});

describe("build cache and attestations", () => {
  const spec = {
    context: ".",
    platforms: ["linux/arm64"],
    labels: {},
    buildArgs: [],
    timestamp: new Date("2026-11-23T10:20:30Z"),
    insecure: false,
  };
  test("no cache and no attestations by default", () => {
    const args = buildxArgs(spec, "/tmp/layout");
    assert.ok(args.includes("--provenance=false") && args.includes("--sbom=false"));
    assert.ok(!args.some((a) => a.startsWith("--cache")));
  });
  test("gha and registry caches never fail the build on export", () => {
    assert.deepEqual(buildxCacheArgs("gha", undefined), [
      "--cache-from",
      "type=gha",
      "--cache-to",
      "type=gha,mode=max,ignore-error=true",
    ]);
    assert.deepEqual(buildxCacheArgs("registry", "r.example/app:cache"), [
      "--cache-from",
      "type=registry,ref=r.example/app:cache",
      "--cache-to",
      "type=registry,ref=r.example/app:cache,mode=max,ignore-error=true",
    ]);
    assert.throws(() => buildxCacheArgs("registry", undefined), /--cache-ref/);
  });
  test("attestations are switched on by flag", () => {
    const args = buildxArgs({ ...spec, provenance: true, sbom: true }, "/tmp/layout");
    assert.ok(args.includes("--provenance=true") && args.includes("--sbom=true"));
  });
  test("buildah takes a registry layer cache and refuses the GitHub cache", () => {
    assert.deepEqual(buildahCacheArgs({ cache: "registry", cacheRef: "r.example/app:cache" }), [
      "--layers",
      "--cache-from",
      "r.example/app:cache",
      "--cache-to",
      "r.example/app:cache",
    ]);
    assert.throws(() => buildahCacheArgs({ cache: "gha" }), /no GitHub Actions cache/);
    assert.ok(
      buildahBuildArgs(
        { ...spec, cache: "registry", cacheRef: "r/a:c" },
        "list",
        "linux/arm64",
      ).includes("--layers"),
    );
  });
});
