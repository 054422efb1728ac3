import assert from "node:assert/strict";
import { test } from "node:test";
import {
  configKeyErrors,
  dns1035LabelErrors,
  dns1123LabelErrors,
  dns1123SubdomainErrors,
  labelValueErrors,
  parseQuantity,
  pathSegmentErrors,
  portNameErrors,
  qualifiedNameErrors,
} from "../../../../shared/validate/rules/syntax.ts";

const cases: [string, (s: string) => string[], string, boolean][] = [
  ["subdomain", dns1123SubdomainErrors, "app.settings-1", true],
  ["subdomain", dns1123SubdomainErrors, "Bad_Name", false],
  ["subdomain", dns1123SubdomainErrors, "a".repeat(253), true],
  ["subdomain", dns1123SubdomainErrors, "a".repeat(254), false],
  ["subdomain", dns1123SubdomainErrors, "web-", false],
  ["label", dns1123LabelErrors, "123-abc", true],
  ["label", dns1123LabelErrors, "a.b", false],
  ["label", dns1123LabelErrors, "a".repeat(64), false],
  ["dns1035", dns1035LabelErrors, "web", true],
  ["dns1035", dns1035LabelErrors, "1web", false],
  ["qualified", qualifiedNameErrors, "app.kubernetes.io/name", true],
  ["qualified", qualifiedNameErrors, "Name_1.x", true],
  ["qualified", qualifiedNameErrors, "a/b/c", false],
  ["qualified", qualifiedNameErrors, "example.com/", false],
  ["qualified", qualifiedNameErrors, "Example.com/x", false],
  ["qualified", qualifiedNameErrors, "bad key", false],
  ["label value", labelValueErrors, "", true],
  ["label value", labelValueErrors, "1.2.3_rc-1", true],
  ["label value", labelValueErrors, "has spaces", false],
  ["label value", labelValueErrors, "-x", false],
  ["config key", configKeyErrors, ".env", true],
  ["config key", configKeyErrors, "..x", false],
  ["config key", configKeyErrors, "a b", false],
  ["port name", portNameErrors, "http", true],
  ["port name", portNameErrors, "8080", false],
  ["port name", portNameErrors, "http_port", false],
  ["port name", portNameErrors, "a--b", false],
  ["port name", portNameErrors, "a".repeat(16), false],
  ["path segment", pathSegmentErrors, "system:reader", true],
  ["path segment", pathSegmentErrors, "a/b", false],
  ["path segment", pathSegmentErrors, "..", false],
];

for (const [what, check, value, ok] of cases) {
  test(`${what}: ${JSON.stringify(value.length > 20 ? `${value.slice(0, 8)}…(${value.length})` : value)} is ${ok ? "valid" : "invalid"}`, () => {
    assert.equal(check(value).length === 0, ok, check(value).join("; "));
  });
}

test("the server's words: a subdomain error names the regex and an example", () => {
  assert.deepEqual(dns1123SubdomainErrors("Bad_Name"), [
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
  ]);
});

const quantities: [unknown, number | undefined][] = [
  ["250m", 0.25],
  ["1Gi", 2 ** 30],
  ["1024Mi", 2 ** 30],
  ["0.5", 0.5],
  ["1e3", 1000],
  ["1e3m", undefined],
  ["1.5Gi", 1.5 * 2 ** 30],
  [2, 2],
  ["lots", undefined],
  ["1GB", undefined],
  ["1.2.3", undefined],
  ["", undefined],
  [" 1", undefined],
  ["-1Gi", -(2 ** 30)],
];
for (const [value, expected] of quantities) {
  test(`quantity ${JSON.stringify(value)} is ${expected ?? "refused"}`, () => {
    assert.equal(parseQuantity(value), expected);
  });
}
