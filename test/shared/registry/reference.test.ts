import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  apiHost,
  formatReference,
  isDigest,
  isLoopbackRegistry,
  isValidTag,
  parseImageReference,
  parseRepository,
  tagProblem,
} from "../../../shared/registry/reference.ts";

const D = `sha256:${"a".repeat(64)}`;

describe("parseImageReference", () => {
  const cases: [string, object][] = [
    ["alpine", { registry: "docker.io", repository: "library/alpine" }],
    ["alpine:3.20", { registry: "docker.io", repository: "library/alpine", tag: "3.20" }],
    [
      "docker.io/library/nginx:1.2",
      { registry: "docker.io", repository: "library/nginx", tag: "1.2" },
    ],
    ["index.docker.io/team/app", { registry: "docker.io", repository: "team/app" }],
    ["team/app", { registry: "docker.io", repository: "team/app" }],
    // One-letter namespaces: docker-registry-client's own parser refuses these.
    [`ghcr.io/o/r@${D}`, { registry: "ghcr.io", repository: "o/r", digest: D }],
    [
      "127.0.0.1:38445/smoke/app:RELEASE.2026-11-23T18-02-51Z",
      { registry: "127.0.0.1:38445", repository: "smoke/app", tag: "RELEASE.2026-11-23T18-02-51Z" },
    ],
    [
      "localhost:5000/a/b/c:dev-1",
      { registry: "localhost:5000", repository: "a/b/c", tag: "dev-1" },
    ],
    ["localhost/app", { registry: "localhost", repository: "app" }],
    [
      `Registry.Example.COM/app:v1@${D}`,
      { registry: "registry.example.com", repository: "app", tag: "v1", digest: D },
    ],
    ["reg.io/a__b/c-d.e_f", { registry: "reg.io", repository: "a__b/c-d.e_f" }],
  ];
  for (const [input, expected] of cases) {
    test(input, () => assert.deepEqual(parseImageReference(input), expected));
  }

  const bad: [string, RegExp][] = [
    ["", /empty/],
    ["reg.io/App", /not a valid repository path component/],
    ["reg.io/app:-x", /not valid/],
    ["reg.io/app@sha256:abc", /not a valid digest/],
    ["reg.io/", /no repository path/],
    ["reg.io/a//b", /not a valid repository path component/],
    [`reg.io/app:${"x".repeat(129)}`, /limit is 128/],
  ];
  for (const [input, message] of bad) {
    test(`refuses ${JSON.stringify(input.slice(0, 40))}`, () =>
      assert.throws(() => parseImageReference(input), message));
  }
});

describe("repositories, tags, digests", () => {
  test("parseRepository refuses a tag or digest", () => {
    assert.deepEqual(parseRepository("ghcr.io/o/app"), {
      registry: "ghcr.io",
      repository: "o/app",
    });
    assert.throws(() => parseRepository("ghcr.io/o/app:v1"), /give the repository only/);
  });
  test("formatReference round-trips", () => {
    const text = `ghcr.io/o/app:v1@${D}`;
    assert.equal(formatReference(parseImageReference(text)), text);
  });
  test("tag grammar", () => {
    for (const tag of ["v1", "RELEASE.2026-11-23T18-02-51Z", "dev-abc1234", "_x", "A.b-C_9"]) {
      assert.ok(isValidTag(tag), tag);
      assert.equal(tagProblem(tag), undefined);
    }
    for (const tag of ["", ".x", "-x", "a/b", "a:b", "x".repeat(129)]) {
      assert.ok(!isValidTag(tag), tag);
      assert.ok(tagProblem(tag));
    }
  });
  test("digests", () => {
    assert.ok(isDigest(D));
    assert.ok(!isDigest(`sha256:${"a".repeat(63)}`));
    assert.ok(!isDigest(`sha256:${"A".repeat(64)}`));
    assert.ok(isDigest(`sha512:${"b".repeat(128)}`));
    assert.ok(!isDigest("latest"));
  });
  test("Docker Hub's API host", () => {
    assert.equal(apiHost("docker.io"), "registry-1.docker.io");
    assert.equal(apiHost("ghcr.io"), "ghcr.io");
  });
});

describe("isLoopbackRegistry (plain HTTP by default, as Docker treats 127.0.0.0/8)", () => {
  test("loopback hosts, with and without a port", () => {
    for (const registry of ["127.0.0.1:5000", "127.1.2.3", "localhost:5000", "[::1]:5000", "::1"])
      assert.equal(isLoopbackRegistry(registry), true, registry);
  });
  test("everything else", () => {
    for (const registry of [
      "ghcr.io",
      "docker.io",
      "128.0.0.1:5000",
      "10.0.0.1:5000",
      "127.0.0.1.example.com",
      "localhost.example.com:5000",
      "[::2]:5000",
      "127.0.0.256",
    ])
      assert.equal(isLoopbackRegistry(registry), false, registry);
  });
});
