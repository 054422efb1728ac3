import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  InvalidRegexError,
  InvalidSemverRangeError,
  MissingCreationTimeError,
  NoMatchingTagError,
  NoTagsError,
} from "../../../shared/tagpolicy/errors.ts";
import { readV1Annotations, selectTagV1, v1Candidates } from "../../../shared/tagpolicy/policy.ts";

const day = (d: number): Date => new Date(Date.UTC(2024, 0, d));

describe("v1 filters match like Flux v1", () => {
  const tags = [
    "",
    "1",
    "foo",
    "master-",
    "master-foo",
    "foo-master",
    "dev-305a3cf",
    "dev-1",
    "prod-1",
    "v1.2.3",
    "1.2",
    "1.1.7",
    "2.0.1-alpha.1",
    "af14eb2",
    "946427ff-foo",
    "latest",
  ];
  const cases: [filter: string, want: string[]][] = [
    ["*", tags],
    ["glob:*", tags],
    ["master-*", ["master-", "master-foo"]],
    ["glob:dev-*", ["dev-305a3cf", "dev-1"]],
    ["*-1", ["dev-1", "prod-1"]],
    ["d*3*f", ["dev-305a3cf"]],
    ["glob:latest", ["latest"]],
    ["glob:", [""]],
    ["regex:^([a-zA-Z]+)$", ["foo", "latest"]],
    ["regexp:^\\w{7}(?:\\w)?$", ["af14eb2"]],
    ["regex:dev", ["dev-305a3cf", "dev-1"]],
    ["semver:~1", ["1", "v1.2.3", "1.2", "1.1.7"]],
    ["semver:*", ["1", "v1.2.3", "1.2", "1.1.7"]],
    ["semver:2.0.1-alpha.1", ["2.0.1-alpha.1"]],
  ];
  for (const [filter, want] of cases) {
    test(filter, () => assert.deepEqual(v1Candidates(filter, tags), want));
  }
});

describe("selectTagV1", () => {
  const created = new Map([
    ["dev-aaa", day(3)],
    ["dev-bbb", day(5)],
    ["dev-ccc", day(4)],
    ["dev-tie2", day(9)],
    ["dev-tie1", day(9)],
    ["prod-zzz", day(30)],
  ]);
  const cases: { name: string; filter: string; tags: string[]; tag: string }[] = [
    {
      name: "glob: newest creation time wins, not the greatest name",
      filter: "glob:dev-*",
      tags: ["dev-aaa", "dev-bbb", "dev-ccc", "prod-zzz"],
      tag: "dev-bbb",
    },
    {
      name: "regex: newest creation time wins",
      filter: "regex:^dev-[a-c]+$",
      tags: ["dev-aaa", "dev-ccc", "prod-zzz"],
      tag: "dev-ccc",
    },
    {
      name: "equal times go to the byte-wise smallest tag, as in Flux v1",
      filter: "glob:dev-tie*",
      tags: ["dev-tie2", "dev-tie1"],
      tag: "dev-tie1",
    },
    {
      name: "a tag without a creation time sorts after those with one",
      filter: "glob:dev-*",
      tags: ["dev-aaa", "dev-zzz-unknown"],
      tag: "dev-aaa",
    },
    {
      name: "semver: highest version, creation time unused",
      filter: "semver:~1.1",
      tags: ["1.1.0", "v1.1.9", "1.1.10", "1.2.0", "latest"],
      tag: "1.1.10",
    },
    {
      name: "semver: equal versions go to the byte-wise greatest tag (1.10.0 over 1.10)",
      filter: "semver:1.x",
      tags: ["1.10", "1.10.0"],
      tag: "1.10.0",
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      assert.equal(selectTagV1(c.filter, c.tags, created).tag, c.tag);
      assert.equal(selectTagV1(c.filter, [...c.tags].reverse(), created).tag, c.tag);
    });
  }

  const errors: { name: string; filter: string; tags: string[]; check: (e: unknown) => boolean }[] =
    [
      { name: "no tags", filter: "glob:*", tags: [], check: (e) => e instanceof NoTagsError },
      {
        name: "nothing matches",
        filter: "glob:prod-*",
        tags: ["dev-aaa"],
        check: (e) =>
          e instanceof NoMatchingTagError &&
          /none of the 1 tag\(s\) matches "glob:prod-\*"/.test(e.message),
      },
      {
        name: "no matching tag has a creation time",
        filter: "glob:dev-*",
        tags: ["dev-x", "dev-y"],
        check: (e) => e instanceof MissingCreationTimeError && e.tags.join() === "dev-x,dev-y",
      },
      {
        name: "invalid regex (Flux v1 matched everything)",
        filter: "regex:(",
        tags: ["a"],
        check: (e) => e instanceof InvalidRegexError,
      },
      {
        name: "invalid semver range (Flux v1 matched everything)",
        filter: "semver:latest",
        tags: ["1.0.0"],
        check: (e) => e instanceof InvalidSemverRangeError,
      },
    ];
  for (const c of errors) {
    test(c.name, () => assert.throws(() => selectTagV1(c.filter, c.tags, created), c.check));
  }
});

describe("readV1Annotations", () => {
  test("seed 004: both prefixes, fluxcd.io wins", () => {
    const automation = readV1Annotations({
      "flux.weave.works/automated": "true",
      "flux.weave.works/tag.application": "glob:dev-*",
      "fluxcd.io/tag.application": "semver:~1.1",
      "fluxcd.io/tag.chart-image": "glob:*",
      "flux.weave.works/locked": "false",
      "other.io/tag.x": "glob:x",
    });
    assert.deepEqual(automation, {
      automated: true,
      locked: false,
      ignore: false,
      tagFilters: new Map([
        ["application", "semver:~1.1"],
        ["chart-image", "glob:*"],
      ]),
    });
  });

  test('only "true" turns a boolean on', () => {
    const automation = readV1Annotations({
      "fluxcd.io/automated": "yes",
      "fluxcd.io/locked": "true",
    });
    assert.equal(automation.automated, false);
    assert.equal(automation.locked, true);
  });

  test("no annotations", () => {
    assert.deepEqual(readV1Annotations(undefined), {
      automated: false,
      locked: false,
      ignore: false,
      tagFilters: new Map(),
    });
  });
});
