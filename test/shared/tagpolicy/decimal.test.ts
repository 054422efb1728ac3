import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { compareDecimals, type Decimal, parseDecimal } from "../../../shared/tagpolicy/decimal.ts";

const must = (s: string): Decimal => {
  const d = parseDecimal(s);
  assert.ok(d, `${s} should parse`);
  return d;
};

describe("parseDecimal accepts Go's decimal syntax", () => {
  for (const s of [
    "0",
    "-0",
    "+7",
    "01",
    "1.",
    ".5",
    "-.5",
    "1e3",
    "1E+3",
    "2.5e-3",
    "1_000",
    "1_000.5_5",
    "1e1_0",
    "1e400",
  ]) {
    test(s, () => assert.ok(parseDecimal(s)));
  }
});

describe("parseDecimal rejects", () => {
  // Go also rejects the first group; Inf, NaN and hex floats are Tether's choice.
  for (const s of [
    "",
    "-",
    ".",
    "e3",
    "1e",
    "1.2.3",
    " 1",
    "1 ",
    "12a",
    "1__0",
    "_1",
    "1_",
    "1_.5",
    "0x10",
    "0x1p4",
    "Inf",
    "NaN",
  ]) {
    test(JSON.stringify(s), () => assert.equal(parseDecimal(s), undefined));
  }
});

describe("compareDecimals is exact", () => {
  const ascending = [
    "-1e400",
    "-10",
    "-2",
    "-1.5",
    "-0.5",
    "0",
    "1e-400",
    "0.001",
    "0.5",
    "1",
    "1.00000000000000001", // float64 rounds this to 1
    "1.5",
    "2",
    "10",
    "999.9999",
    "1000.5",
    "20220116054220",
    "9007199254740992",
    "9007199254740993", // float64 cannot tell these two apart
    "123456789012345678901234567890",
    "1e400",
  ];
  for (let i = 0; i + 1 < ascending.length; i++) {
    const a = ascending[i] ?? "";
    const b = ascending[i + 1] ?? "";
    test(`${a} < ${b}`, () => {
      assert.equal(compareDecimals(must(a), must(b)), -1);
      assert.equal(compareDecimals(must(b), must(a)), 1);
    });
  }

  const equal: [string, string][] = [
    ["0", "-0"],
    ["1", "01"],
    ["1", "1.000"],
    ["1000", "1e3"],
    ["0.5", ".5"],
    ["1_000", "1000"],
  ];
  for (const [a, b] of equal) {
    test(`${a} == ${b}`, () => assert.equal(compareDecimals(must(a), must(b)), 0));
  }
});
