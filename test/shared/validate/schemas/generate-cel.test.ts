import assert from "node:assert/strict";
import { test } from "node:test";
import { fluxCelData } from "../../../../shared/validate/data.ts";
import { pruneToRules } from "../../../../shared/validate/schemas/generate-cel.ts";

const rule = { rule: "self.a > 0" };

const cases: [string, unknown, unknown][] = [
  [
    "no rule anywhere: nothing",
    { type: "object", properties: { a: { type: "integer" } } },
    undefined,
  ],
  [
    "a rule keeps its path, types and the defaults beside it",
    {
      type: "object",
      description: "dropped",
      properties: {
        spec: {
          type: "object",
          "x-kubernetes-validations": [rule],
          properties: { a: { type: "integer", default: 1 }, b: { type: "string" } },
        },
        status: { type: "object" },
      },
    },
    {
      type: "object",
      properties: {
        spec: {
          type: "object",
          "x-kubernetes-validations": [rule],
          properties: { a: { type: "integer", default: 1 } },
        },
      },
    },
  ],
  [
    "rules inside list items",
    { type: "array", items: { type: "object", "x-kubernetes-validations": [rule] } },
    { type: "array", items: { type: "object", "x-kubernetes-validations": [rule] } },
  ],
];

for (const [what, schema, expected] of cases) {
  test(`pruneToRules: ${what}`, () => assert.deepEqual(pruneToRules(schema), expected));
}

test("the bundled data has HelmRelease v2's chart/chartRef rule", () => {
  const release = JSON.stringify(fluxCelData().kinds["helm.toolkit.fluxcd.io/v2/HelmRelease"]);
  assert.match(release, /either chart or chartRef must be set/);
});
