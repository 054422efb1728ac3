// Expectations below were checked against Masterminds/semver v3.4.0 and
// fluxcd/pkg/version (the code Flux runs) with a Go program.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { InvalidSemverRangeError } from "../../../shared/tagpolicy/errors.ts";
import {
  compareVersions,
  parseLooseVersion,
  parseSemverRange,
  parseTagVersion,
  satisfies,
  type Version,
} from "../../../shared/tagpolicy/semver.ts";

const must = (v: Version | undefined, text: string): Version => {
  assert.ok(v, `${text} should parse`);
  return v;
};

describe("parseTagVersion (Flux ImagePolicy tags)", () => {
  const cases: [string, boolean][] = [
    ["1.2.3", true],
    ["v1.2.3", true],
    ["1.2.3-rc.1", true],
    ["v1.2.0-x.Y.0+metadata-width-hypen", true],
    ["1.2.3-rc1-with-hypen", true],
    ["18446744073709551615.0.0", true],
    ["18446744073709551616.0.0", false],
    ["1.2", false],
    ["v1", false],
    ["V1.2.3", false],
    ["vv1.2.3", false],
    ["01.2.3", false],
    ["1.2.3-01", false],
    ["1.2.3-", false],
    ["1.2.3+", false],
    ["1.2.3.4", false],
    [" 1.2.3", false],
    ["latest", false],
    ["", false],
  ];
  for (const [tag, ok] of cases) {
    test(`${JSON.stringify(tag)} ${ok ? "parses" : "is skipped"}`, () => {
      assert.equal(parseTagVersion(tag) !== undefined, ok);
    });
  }

  test("keeps the parts", () => {
    assert.deepEqual(parseTagVersion("v10.20.30-beta.2+exp.sha"), {
      major: 10n,
      minor: 20n,
      patch: 30n,
      pre: "beta.2",
      build: "exp.sha",
    });
  });
});

describe("parseLooseVersion (Flux v1 semver: filters)", () => {
  const cases: [string, string | undefined][] = [
    ["1", "1.0.0"],
    ["1.2", "1.2.0"],
    ["v1.2.3", "1.2.3"],
    ["01.02.03", "1.2.3"],
    ["1.2.3-rc.1", "1.2.3-rc.1"],
    ["1.2.3-01", undefined],
    ["latest", undefined],
    ["1.2.3.4", undefined],
  ];
  for (const [text, want] of cases) {
    test(`${text} -> ${want ?? "not a version"}`, () => {
      const v = parseLooseVersion(text);
      assert.equal(
        v === undefined ? undefined : `${v.major}.${v.minor}.${v.patch}${v.pre ? `-${v.pre}` : ""}`,
        want,
      );
    });
  }
});

describe("compareVersions", () => {
  // Each list is in ascending SemVer precedence.
  const ascending = [
    "0.9.9",
    "1.0.0-0",
    "1.0.0-alpha",
    "1.0.0-alpha.1",
    "1.0.0-alpha.beta",
    "1.0.0-beta",
    "1.0.0-beta.2",
    "1.0.0-beta.11",
    "1.0.0-rc.1",
    "1.0.0",
    "1.0.1",
    "1.10.0",
    "2.0.0",
  ];
  for (let i = 0; i + 1 < ascending.length; i++) {
    const a = ascending[i] ?? "";
    const b = ascending[i + 1] ?? "";
    test(`${a} < ${b}`, () => {
      const va = must(parseTagVersion(a), a);
      const vb = must(parseTagVersion(b), b);
      assert.equal(compareVersions(va, vb), -1);
      assert.equal(compareVersions(vb, va), 1);
    });
  }

  test("build metadata and the v prefix do not count", () => {
    const a = must(parseTagVersion("v1.2.3+build.1"), "a");
    const b = must(parseTagVersion("1.2.3+build.2"), "b");
    assert.equal(compareVersions(a, b), 0);
  });

  test("numeric pre-release parts above uint64 compare as text, as in Go", () => {
    const big = must(parseTagVersion("1.0.0-99999999999999999999"), "big");
    const word = must(parseTagVersion("1.0.0-a"), "word");
    assert.equal(compareVersions(big, word), -1); // "9…" < "a" byte-wise
  });
});

describe("satisfies (Masterminds v3.4 ranges)", () => {
  const cases: { range: string; admits: string[]; rejects: string[] }[] = [
    {
      range: "~1.1",
      admits: ["1.1.0", "1.1.9", "v1.1.3"],
      rejects: ["1.2.0", "1.0.9", "1.1.3-rc.1"],
    },
    { range: "^1.2.3", admits: ["1.2.3", "1.9.9"], rejects: ["2.0.0", "1.2.2", "1.3.0-beta"] },
    { range: "^0.2.3", admits: ["0.2.3", "0.2.9"], rejects: ["0.3.0"] },
    { range: "^0.0.3", admits: ["0.0.3"], rejects: ["0.0.4"] },
    { range: "1.x", admits: ["1.0.0", "1.99.0"], rejects: ["2.0.0", "0.9.0"] },
    { range: "1.2.*", admits: ["1.2.0", "1.2.7"], rejects: ["1.3.0"] },
    { range: "*", admits: ["0.0.1", "99.0.0"], rejects: ["1.0.0-alpha"] },
    { range: ">=1.0.0, <2.0.0", admits: ["1.0.0", "1.9.9"], rejects: ["2.0.0", "0.9.9"] },
    { range: ">= 1.0.0 < 2.0.0", admits: ["1.5.0"], rejects: ["2.0.0"] },
    { range: "<1.0.0 || >=3.0.0", admits: ["0.9.0", "3.1.0"], rejects: ["1.0.0"] },
    { range: "1.2 - 1.4", admits: ["1.2.0", "1.4.9"], rejects: ["1.5.0", "1.1.9"] },
    { range: "!=1.2.3", admits: ["1.2.4"], rejects: ["1.2.3"] },
    { range: ">1.x", admits: ["2.0.0"], rejects: ["1.9.0"] },
    { range: "<=1.2.x", admits: ["1.2.9"], rejects: ["1.3.0"] },
    // A pre-release in one constraint opens the whole AND group to pre-releases.
    { range: ">=1.0.0-0 <2.0.0", admits: ["1.5.0-rc.1", "2.0.0-rc.1", "1.0.0"], rejects: [] },
    { range: ">=1.0.0-rc.1", admits: ["1.0.0-rc.2", "1.0.1"], rejects: ["1.0.0-beta"] },
    { range: "~1.0.0-0", admits: ["1.0.5-alpha"], rejects: ["1.1.0-alpha"] },
    // …but only that group.
    {
      range: ">=1.0.0 <2.0.0 || >=2.0.0-0 <3.0.0",
      admits: ["2.1.0-rc.1"],
      rejects: ["1.5.0-rc.1"],
    },
    { range: "v1.2.3", admits: ["1.2.3", "v1.2.3", "1.2.3+build"], rejects: [] },
    { range: "=1.2.3-alpha", admits: ["1.2.3-alpha"], rejects: ["1.2.3"] },
  ];
  for (const { range, admits, rejects } of cases) {
    test(range, () => {
      const r = parseSemverRange(range);
      for (const tag of admits)
        assert.equal(satisfies(r, must(parseTagVersion(tag), tag)), true, `${tag} ∈ ${range}`);
      for (const tag of rejects)
        assert.equal(satisfies(r, must(parseTagVersion(tag), tag)), false, `${tag} ∉ ${range}`);
    });
  }
});

describe("parseSemverRange errors", () => {
  for (const range of [
    "",
    "||",
    "1 ||",
    "1.2.3.4",
    ">=a",
    "~>",
    "1.2.3 - ",
    "latest",
    ">= 1.x.y",
  ]) {
    test(`${JSON.stringify(range)} is invalid`, () => {
      assert.throws(
        () => parseSemverRange(range),
        (e: unknown) =>
          e instanceof InvalidSemverRangeError &&
          e.range === range &&
          e.code === "INVALID_SEMVER_RANGE",
      );
    });
  }
});
