// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Go templates are written ${name}
// Expectations below were checked against Go's regexp package (FindStringSubmatch,
// Expand and Compile errors) with a Go program.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { InvalidRegexError } from "../../../shared/tagpolicy/errors.ts";
import {
  compileGoRegexp,
  expandTemplate,
  templateRefs,
} from "../../../shared/tagpolicy/goregexp.ts";

function find(pattern: string, input: string): (string | undefined)[] | null {
  const m = compileGoRegexp(pattern).exec(input);
  return m === null ? null : Array.from(m);
}

describe("compileGoRegexp matches like Go", () => {
  const cases: [pattern: string, input: string, want: (string | undefined)[] | null][] = [
    [
      "^RELEASE\\.(?P<timestamp>.*)Z$",
      "RELEASE.2022-01-16T05-42-20Z",
      ["RELEASE.2022-01-16T05-42-20Z", "2022-01-16T05-42-20"],
    ],
    ["^RELEASE\\.(?P<timestamp>.*)Z$", "RELEASE.2022-01-16T05-42-20", null],
    [
      "^main-[a-f0-9]+-(?P<ts>[0-9]+)",
      "main-abc123-1700000000",
      ["main-abc123-1700000000", "1700000000"],
    ],
    ["(?<n>x)", "x", ["x", "x"]],
    ["dev", "prefix-dev-suffix", ["dev"]], // unanchored search
    ["(?i)^dev-", "DEV-abc", ["DEV-"]],
    ["a(?i)b|c", "C", ["C"]], // the flag lasts into later alternatives
    ["a(?i)b|c", "aB", ["aB"]],
    ["a(?i)b|c", "AB", null],
    ["(?i)a(?-i)b", "Ab", ["Ab"]],
    ["(?i)a(?-i)b", "AB", null],
    ["a(?i:b)c", "aBc", ["aBc"]],
    ["a(?i:b)c", "aBC", null],
    ["a$", "a\n", null], // $ is the end of text only
    ["(?m)a$", "a\nb", ["a"]],
    ["(?m)^b", "a\nb", ["b"]],
    ["^b", "a\nb", null],
    [".", "\r", ["\r"]], // Go's . matches \r, JavaScript's does not
    [".", "\n", null],
    ["(?s).", "\n", ["\n"]],
    ["\\Aab\\z", "ab", ["ab"]],
    ["[[:alpha:]]+", "ab12", ["ab"]],
    ["[[:^digit:]]+", "12ab", ["ab"]],
    ["[]a]+", "]a]", ["]a]"]],
    ["[\\d-z]+", "1-z", ["1-z"]],
    ["\\pL+", "αβγ1", ["αβγ"]],
    ["\\p{Greek}+", "abcαβ", ["αβ"]],
    ["\\P{L}+", "ab12", ["12"]],
    ["\\s", "a\vb", null], // Go's \s has no \v
    ["\\w+", "é_a1", ["_a1"]], // ASCII only
    ["x{2,}", "xxx", ["xxx"]],
    ["x{,3}", "x{,3}", ["x{,3}"]], // not a repetition: literal text
    ["x{01}", "x{01}", ["x{01}"]],
    ["\\Qa.b\\E.", "a.bc", ["a.bc"]],
    ["\\x41\\x{42}\\101", "ABA", ["ABA"]],
    ["(?U)a+", "aaa", ["a"]],
    ["(?U)a+?", "aaa", ["aaa"]],
    ["(a)|b", "b", ["b", undefined]],
    [
      "^(?P<env>dev|prod)-(?P<sha>[a-f0-9]{7,})$",
      "prod-1234567",
      ["prod-1234567", "prod", "1234567"],
    ],
    ["", "anything", [""]],
    ["a(?i)*", "aaa", ["aaa"]], // the * applies to the atom before the flags, as in Go
    ["^$", "😀", null],
  ];
  for (const [pattern, input, want] of cases) {
    test(`${JSON.stringify(pattern)} on ${JSON.stringify(input)}`, () => {
      assert.deepEqual(find(pattern, input), want);
    });
  }

  test("numbers groups like Go and keeps their names", () => {
    const re = compileGoRegexp("(a)(?P<n>b)(c)?(?P<1x>d)?");
    assert.equal(re.groupCount, 4);
    assert.deepEqual(re.groupNames, ["", "", "n", "", "1x"]);
  });
});

describe("compileGoRegexp runs in linear time (RE2), as Go's regexp does", () => {
  // Each of these takes exponential time on a backtracking engine; with a linear
  // engine each finishes at once (a timing is printed, not asserted).
  const hostile: [pattern: string, input: string][] = [
    ["^([a-z0-9]+-?)+$", `${"a".repeat(59)}!`],
    ["^(a+)+$", `${"a".repeat(5000)}!`],
    ["^(a|aa)+$", `${"a".repeat(5000)}!`],
    ["^(.*a){20}$", `${"a".repeat(5000)}b`],
  ];
  for (const [pattern, input] of hostile) {
    test(`${pattern} on ${input.length} characters`, () => {
      const started = performance.now();
      assert.equal(compileGoRegexp(pattern).test(input), false);
      console.log(`# ${pattern}: ${(performance.now() - started).toFixed(1)} ms`);
    });
  }
});

describe("compileGoRegexp rejects what Go rejects", () => {
  const cases: [pattern: string, reason: RegExp][] = [
    ["(?=a)", /invalid or unsupported Perl syntax/],
    ["(?!a)", /invalid or unsupported Perl syntax/],
    ["(?<=a)b", /invalid named capture/],
    ["(a)\\1", /invalid escape sequence: `\\1`/],
    ["\\8", /invalid escape sequence/],
    ["\\C", /invalid escape sequence/],
    ["\\q", /invalid escape sequence/],
    ["a**", /invalid nested repetition operator: `\*\*`/],
    ["a*??", /invalid nested repetition operator/],
    ["*a", /missing argument to repetition operator/],
    ["a|*", /missing argument to repetition operator/],
    ["x{1001}", /invalid repeat count/],
    ["x{3,2}", /invalid repeat count/],
    ["((a{10}){10}){11}", /invalid repeat count/],
    ["(?P<>a)", /invalid named capture/],
    ["(?P<a-b>a)", /invalid named capture/],
    ["(?i-)a", /invalid or unsupported Perl syntax/],
    ["(abc", /missing closing \)/],
    ["abc)", /unexpected \)/],
    ["a[b", /missing closing \]/],
    ["[[:foo:]]", /invalid character class range/],
    ["[a-\\d]", /invalid escape sequence/],
    ["[z-a]", /invalid character class range/],
    ["\\p{Foo}", /invalid character class range/],
    ["\\x{110000}", /invalid escape sequence/],
    ["\\", /trailing backslash/],
  ];
  for (const [pattern, reason] of cases) {
    test(JSON.stringify(pattern), () => {
      assert.throws(
        () => compileGoRegexp(pattern),
        (e: unknown) =>
          e instanceof InvalidRegexError && e.pattern === pattern && reason.test(e.reason),
      );
    });
  }
});

describe("expandTemplate (Go Regexp.Expand)", () => {
  const pattern = "^(?P<env>[a-z]+)-(?P<sha>[0-9a-f]+)(-(?P<n>[0-9]+))?$";
  const cases: [template: string, input: string, want: string][] = [
    ["$env", "dev-abc1-7", "dev"],
    ["${env}", "dev-abc1-7", "dev"],
    ["$sha-$n", "dev-abc1-7", "abc1-7"],
    ["$1", "dev-abc1-7", "dev"],
    ["${1}x", "dev-abc1-7", "devx"],
    ["$1x", "dev-abc1-7", ""], // the group named "1x", which does not exist
    ["$0", "dev-abc1-7", "dev-abc1-7"],
    ["$01", "dev-abc1-7", ""], // a leading zero makes a name, not a number
    ["$9", "dev-abc1-7", ""],
    ["$n", "dev-abc1", ""], // the group did not take part
    ["$$env", "dev-abc1-7", "$env"],
    ["cost: $", "dev-abc1-7", "cost: $"],
    ["${env", "dev-abc1-7", "${env"],
    ["${}", "dev-abc1-7", "${}"],
    ["v$env.$n", "dev-abc1-7", "vdev.7"], // "." ends a name
  ];
  const re = compileGoRegexp(pattern);
  for (const [template, input, want] of cases) {
    test(`${JSON.stringify(template)} on ${input}`, () => {
      const m = re.exec(input);
      assert.ok(m);
      assert.equal(expandTemplate(re, template, m), want);
    });
  }

  test("templateRefs lists the groups a template reads", () => {
    assert.deepEqual(templateRefs("${1}x-$name-$1x-$$-$"), [
      { kind: "number", number: 1 },
      { kind: "name", name: "name" },
      { kind: "name", name: "1x" },
    ]);
  });
});
