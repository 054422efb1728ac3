// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Go extract templates are written ${1}
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parse } from "yaml";
import {
  InvalidImagePolicyError,
  InvalidNumberError,
  InvalidRegexError,
  InvalidSemverRangeError,
  NoMatchingTagError,
  NoTagsError,
} from "../../../shared/tagpolicy/errors.ts";
import { compareBytes } from "../../../shared/tagpolicy/order.ts";
import {
  type ImagePolicySpec,
  parseImagePolicy,
  selectTag,
} from "../../../shared/tagpolicy/policy.ts";

type Spec = Pick<ImagePolicySpec, "policy" | "filterTags">;

// Seed 002: CI pushes RELEASE.<UTC timestamp>Z tags; the policy orders the timestamps.
const seedPolicy: Spec = {
  policy: { alphabetical: { order: "asc" } },
  filterTags: { pattern: "^RELEASE\\.(?P<timestamp>.*)Z$", extract: "$timestamp" },
};
const seedTags = [
  "RELEASE.2022-01-16T05-42-20Z",
  "RELEASE.2022-02-01T10-00-00Z",
  "RELEASE.2021-12-31T23-59-59Z",
  "RELEASE.2022-03-01T00-00-00", // no Z: filtered out
  "latest",
];

describe("selectTag", () => {
  const cases: { name: string; spec: Spec; tags: string[]; tag: string; value?: string }[] = [
    {
      name: "seed 002: alphabetical on the extracted timestamp",
      spec: seedPolicy,
      tags: seedTags,
      tag: "RELEASE.2022-02-01T10-00-00Z",
      value: "2022-02-01T10-00-00",
    },
    {
      name: "semver: highest in range, v prefix allowed, other tags skipped",
      spec: { policy: { semver: { range: "^1.0" } } },
      tags: ["1.0.0", "v1.2.0", "1.2.0-rc.1", "v1.3.0-rc.1", "2.0.0", "latest", "1.1"],
      tag: "v1.2.0",
    },
    {
      name: "semver: pre-releases only when the range has one",
      spec: { policy: { semver: { range: ">=1.3.0-0" } } },
      tags: ["1.0.0", "v1.2.0", "v1.3.0-rc.1", "1.3.0-beta.2"],
      tag: "v1.3.0-rc.1",
    },
    {
      name: "semver: equal versions go to the byte-wise greatest tag",
      spec: { policy: { semver: { range: "*" } } },
      tags: ["1.2.3+b", "v1.2.3", "1.2.3"],
      tag: "v1.2.3",
    },
    {
      name: "semver on extracted values",
      spec: {
        policy: { semver: { range: "~1.4" } },
        filterTags: { pattern: "^app-(?P<v>.+)$", extract: "$v" },
      },
      tags: ["app-1.4.1", "app-1.4.10", "app-1.5.0", "other-1.4.99"],
      tag: "app-1.4.10",
      value: "1.4.10",
    },
    {
      name: "alphabetical asc picks the highest",
      spec: { policy: { alphabetical: {} } },
      tags: ["b", "c", "a"],
      tag: "c",
    },
    {
      name: "alphabetical desc picks the lowest",
      spec: { policy: { alphabetical: { order: "desc" } } },
      tags: ["b", "c", "a"],
      tag: "a",
    },
    {
      name: "alphabetical is byte-wise (uppercase sorts first)",
      spec: { policy: { alphabetical: { order: "asc" } } },
      tags: ["Zeta", "alpha"],
      tag: "alpha",
    },
    {
      name: "numerical asc: integers, negatives and fractions",
      spec: { policy: { numerical: { order: "asc" } } },
      tags: ["1", "10", "9", "-5", "2.5"],
      tag: "10",
    },
    {
      name: "numerical desc picks the lowest",
      spec: { policy: { numerical: { order: "desc" } } },
      tags: ["1", "10", "9", "-5", "-5.5e-1"],
      tag: "-5",
    },
    {
      name: "numerical is exact beyond float64",
      spec: { policy: { numerical: {} } },
      tags: ["9007199254740993", "9007199254740992"],
      tag: "9007199254740993",
    },
    {
      name: "numerical: equal numbers go to the byte-wise greatest tag",
      spec: { policy: { numerical: { order: "asc" } } },
      tags: ["5", "05", "5.0"],
      tag: "5.0",
    },
    {
      name: "numerical on extracted build timestamps",
      spec: {
        policy: { numerical: { order: "asc" } },
        filterTags: { pattern: "^main-[a-f0-9]+-(?P<ts>[0-9]+)", extract: "$ts" },
      },
      tags: ["main-abc1234-1700000100", "main-def5678-1700000200", "feature-x-1800000000"],
      tag: "main-def5678-1700000200",
    },
    {
      name: "duplicate extracted values resolve to the greatest tag",
      spec: {
        policy: { numerical: { order: "asc" } },
        filterTags: { pattern: "^main-[a-z]+-(?P<ts>[0-9]+)$", extract: "$ts" },
      },
      tags: ["main-def-100", "main-abc-100", "main-zzz-99"],
      tag: "main-def-100",
      value: "100",
    },
    {
      name: "pattern without extract compares whole tags",
      spec: { policy: { alphabetical: {} }, filterTags: { pattern: "^dev-" } },
      tags: ["dev-aaa", "dev-bbb", "prod-zzz"],
      tag: "dev-bbb",
    },
    {
      name: "empty extract (as flux --export writes it) compares whole tags",
      spec: { policy: { alphabetical: {} }, filterTags: { pattern: "^dev-", extract: "" } },
      tags: ["dev-aaa", "dev-bbb"],
      tag: "dev-bbb",
    },
    {
      name: "${1} and $1 templates",
      spec: {
        policy: { numerical: {} },
        filterTags: { pattern: "^v([0-9]+)-x$", extract: "${1}" },
      },
      tags: ["v7-x", "v12-x"],
      tag: "v12-x",
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const selection = selectTag(c.spec, c.tags);
      assert.equal(selection.tag, c.tag);
      if (c.value !== undefined) assert.equal(selection.value, c.value);
    });
  }

  test("the answer does not depend on the order of the tag list", () => {
    for (const c of cases) {
      const reversed = selectTag(c.spec, [...c.tags].reverse());
      const rotated = selectTag(c.spec, [...c.tags.slice(1), ...c.tags.slice(0, 1)]);
      assert.equal(reversed.tag, c.tag, c.name);
      assert.equal(rotated.tag, c.tag, c.name);
    }
  });
});

describe("selectTag errors", () => {
  const cases: { name: string; spec: Spec; tags: string[]; check: (e: unknown) => boolean }[] = [
    {
      name: "no tags",
      spec: seedPolicy,
      tags: [],
      check: (e) => e instanceof NoTagsError && e.code === "NO_TAGS",
    },
    {
      name: "no tag matches the pattern",
      spec: seedPolicy,
      tags: ["latest", "v1"],
      check: (e) =>
        e instanceof NoMatchingTagError &&
        /none of the 2 tag\(s\) matches filterTags\.pattern/.test(e.message),
    },
    {
      name: "no tag satisfies the range",
      spec: { policy: { semver: { range: "~1.1" } } },
      tags: ["1.0.0", "2.0.0", "latest"],
      check: (e) =>
        e instanceof NoMatchingTagError &&
        /3 candidate\(s\), 1 of them not versions/.test(e.message),
    },
    {
      name: "a value that is not a number names its tag",
      spec: { policy: { numerical: {} } },
      tags: ["1", "latest", "nightly"],
      check: (e) =>
        e instanceof InvalidNumberError &&
        e.tag === "latest" &&
        /tag "latest" is not a number/.test(e.message),
    },
    {
      name: "an extracted value that is not a number names tag and value",
      spec: {
        policy: { numerical: {} },
        filterTags: { pattern: "^build-(?P<n>.*)$", extract: "$n" },
      },
      tags: ["build-1", "build-x", "other"],
      check: (e) =>
        e instanceof InvalidNumberError &&
        e.tag === "build-x" &&
        e.value === "x" &&
        /value "x" extracted from tag "build-x"/.test(e.message),
    },
    {
      name: "Go regexp syntax errors",
      spec: { policy: { alphabetical: {} }, filterTags: { pattern: "^(?=dev)" } },
      tags: ["dev"],
      check: (e) =>
        e instanceof InvalidRegexError && /invalid or unsupported Perl syntax/.test(e.message),
    },
    {
      name: "invalid semver range",
      spec: { policy: { semver: { range: "latest" } } },
      tags: ["1.0.0"],
      check: (e) => e instanceof InvalidSemverRangeError && e.range === "latest",
    },
    {
      name: "extract names a group the pattern lacks",
      spec: {
        policy: { alphabetical: {} },
        filterTags: { pattern: "^v([0-9]+)x$", extract: "$1x" },
      },
      tags: ["v1x"],
      check: (e) =>
        e instanceof InvalidImagePolicyError &&
        e.problems[0]?.path === "spec.filterTags.extract" &&
        /\$\{N\}/.test(e.message),
    },
    {
      name: "an order that is not asc or desc",
      spec: { policy: { alphabetical: { order: "ASC" as "asc" } } },
      tags: ["a"],
      check: (e) =>
        e instanceof InvalidImagePolicyError && /spec\.policy\.alphabetical\.order/.test(e.message),
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      assert.throws(() => selectTag(c.spec, c.tags), c.check);
    });
  }
});

describe("compareBytes", () => {
  const cases: [string, string, number][] = [
    ["a", "b", -1],
    ["Z", "a", -1],
    ["a", "a", 0],
    ["ab", "a", 1],
    ["\uffff", "😀", -1], // U+FFFF < U+1F600 in UTF-8, though not in UTF-16 units
    ["😀", "\uffff", 1],
  ];
  for (const [a, b, want] of cases) {
    test(`${JSON.stringify(a)} vs ${JSON.stringify(b)}`, () =>
      assert.equal(compareBytes(a, b), want));
  }
});

describe("parseImagePolicy reads flux --export output", () => {
  const cases: { name: string; yaml: string; want: unknown }[] = [
    {
      name: "v1beta2, seed 002 (--select-alpha, --filter-regex, --filter-extract)",
      yaml: `---
apiVersion: image.toolkit.fluxcd.io/v1beta2
kind: ImagePolicy
metadata:
  name: app-demo
  namespace: flux-system
spec:
  filterTags:
    extract: $timestamp
    pattern: ^RELEASE\\.(?P<timestamp>.*)Z$
  imageRepositoryRef:
    name: app-demo
  policy:
    alphabetical:
      order: asc
`,
      want: {
        apiVersion: "image.toolkit.fluxcd.io/v1beta2",
        kind: "ImagePolicy",
        name: "app-demo",
        namespace: "flux-system",
        spec: {
          imageRepositoryRef: { name: "app-demo" },
          policy: { alphabetical: { order: "asc" } },
          filterTags: { pattern: "^RELEASE\\.(?P<timestamp>.*)Z$", extract: "$timestamp" },
        },
      },
    },
    {
      name: "v1, --select-semver",
      yaml: `---
apiVersion: image.toolkit.fluxcd.io/v1
kind: ImagePolicy
metadata:
  name: podinfo
  namespace: flux-system
spec:
  imageRepositoryRef:
    name: podinfo
  policy:
    semver:
      range: '>=1.0.0'
`,
      want: {
        apiVersion: "image.toolkit.fluxcd.io/v1",
        kind: "ImagePolicy",
        name: "podinfo",
        namespace: "flux-system",
        spec: { imageRepositoryRef: { name: "podinfo" }, policy: { semver: { range: ">=1.0.0" } } },
      },
    },
    {
      name: "v1, --select-numeric with --filter-regex only (extract written empty), digest reflection",
      yaml: `---
apiVersion: image.toolkit.fluxcd.io/v1
kind: ImagePolicy
metadata:
  name: app
  namespace: apps
spec:
  digestReflectionPolicy: Always
  filterTags:
    extract: ""
    pattern: ^[0-9]+$
  imageRepositoryRef:
    name: app
    namespace: flux-system
  interval: 10m
  policy:
    numerical:
      order: desc
`,
      want: {
        apiVersion: "image.toolkit.fluxcd.io/v1",
        kind: "ImagePolicy",
        name: "app",
        namespace: "apps",
        spec: {
          imageRepositoryRef: { name: "app", namespace: "flux-system" },
          policy: { numerical: { order: "desc" } },
          filterTags: { pattern: "^[0-9]+$", extract: "" },
          digestReflectionPolicy: "Always",
          interval: "10m",
        },
      },
    },
  ];
  for (const c of cases) {
    test(c.name, () => assert.deepEqual(parseImagePolicy(parse(c.yaml)), c.want));
  }

  test("the parsed seed 002 policy selects like Flux", () => {
    const policy = parseImagePolicy(parse((cases[0] as { yaml: string }).yaml));
    assert.equal(selectTag(policy.spec, seedTags).tag, "RELEASE.2022-02-01T10-00-00Z");
  });
});

describe("parseImagePolicy validation", () => {
  const base = {
    apiVersion: "image.toolkit.fluxcd.io/v1",
    kind: "ImagePolicy",
    metadata: { name: "app", namespace: "flux-system" },
    spec: { imageRepositoryRef: { name: "app" }, policy: { semver: { range: "1.x" } } },
  };
  const withSpec = (spec: Record<string, unknown>) => ({
    ...base,
    spec: { ...base.spec, ...spec },
  });
  const cases: { name: string; doc: unknown; problems: [path: string, message: RegExp][] }[] = [
    {
      name: "unsupported apiVersion and wrong kind",
      doc: { ...base, apiVersion: "image.toolkit.fluxcd.io/v1alpha1", kind: "ImageRepository" },
      problems: [
        [
          "apiVersion",
          /must be one of image\.toolkit\.fluxcd\.io\/v1beta2, image\.toolkit\.fluxcd\.io\/v1/,
        ],
        ["kind", /must be ImagePolicy/],
      ],
    },
    {
      name: "missing name and policy",
      doc: { ...base, metadata: {}, spec: { imageRepositoryRef: { name: "app" } } },
      problems: [
        ["metadata.name", /is required/],
        ["spec.policy", /is required/],
      ],
    },
    {
      name: "two policies",
      doc: withSpec({ policy: { semver: { range: "1.x" }, alphabetical: { order: "asc" } } }),
      problems: [["spec.policy", /exactly one of semver, alphabetical or numerical \(found 2\)/]],
    },
    {
      name: "order in capitals",
      doc: withSpec({ policy: { numerical: { order: "ASC" } } }),
      problems: [["spec.policy.numerical.order", /must be "asc" or "desc", not "ASC"/]],
    },
    {
      name: "range written as a YAML number",
      doc: withSpec({ policy: { semver: { range: 5.1 } } }),
      problems: [["spec.policy.semver.range", /must be a string, not 5\.1/]],
    },
    {
      name: "invalid range",
      doc: withSpec({ policy: { semver: { range: ">= latest" } } }),
      problems: [["spec.policy.semver.range", /improper constraint/]],
    },
    {
      name: "invalid pattern and a typo in spec",
      doc: withSpec({ filterTags: { pattern: "(unclosed" }, filtertags: {} }),
      problems: [
        ["spec.filtertags", /unknown field/],
        ["spec.filterTags.pattern", /missing closing \)/],
      ],
    },
    {
      name: "extract names a missing group",
      doc: withSpec({ filterTags: { pattern: "^(?P<ts>[0-9]+)$", extract: "$timestamp" } }),
      problems: [
        [
          "spec.filterTags.extract",
          /refers to group "timestamp", which the pattern does not define/,
        ],
      ],
    },
    {
      name: "interval without digestReflectionPolicy Always",
      doc: withSpec({ interval: "5m" }),
      problems: [["spec.interval", /only accepted when spec\.digestReflectionPolicy is Always/]],
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      assert.throws(
        () => parseImagePolicy(c.doc),
        (e: unknown) => {
          assert.ok(e instanceof InvalidImagePolicyError);
          assert.equal(e.code, "INVALID_IMAGE_POLICY");
          assert.deepEqual(
            e.problems.map((p) => p.path),
            c.problems.map(([path]) => path),
          );
          for (const [i, [, message]] of c.problems.entries()) {
            assert.match(e.problems[i]?.message ?? "", message);
          }
          return true;
        },
      );
    });
  }
});
