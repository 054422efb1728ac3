import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { toJsonSchema } from "../../../shared/validate/jsonschema.ts";

const strict = { strict: true, ref: (n: number) => `root#/definitions/${n}` };
const loose = { strict: false, ref: strict.ref };

describe("toJsonSchema", () => {
  const cases: Array<[string, unknown, Record<string, unknown>, typeof strict?]> = [
    [
      "an object that lists properties is closed",
      { type: "object", properties: { a: { type: "string" } } },
      { type: "object", properties: { a: { type: "string" } }, additionalProperties: false },
    ],
    [
      "nested objects are closed too",
      {
        type: "object",
        properties: { a: { type: "object", properties: { b: { type: "integer" } } } },
      },
      {
        type: "object",
        properties: {
          a: {
            type: "object",
            properties: { b: { type: "integer" } },
            additionalProperties: false,
          },
        },
        additionalProperties: false,
      },
    ],
    [
      "not closed in loose mode",
      { type: "object", properties: { a: { type: "string" } } },
      { type: "object", properties: { a: { type: "string" } } },
      loose,
    ],
    [
      "x-kubernetes-preserve-unknown-fields keeps an object open but its listed fields checked",
      {
        type: "object",
        "x-kubernetes-preserve-unknown-fields": true,
        properties: { a: { type: "string" } },
      },
      { type: "object", properties: { a: { type: "string" } } },
    ],
    [
      "a map (additionalProperties schema) checks its values",
      { type: "object", additionalProperties: { type: "string" } },
      { type: "object", additionalProperties: { type: "string" } },
    ],
    [
      "an object without properties (RawExtension, JSON) stays open",
      { type: "object" },
      { type: "object" },
    ],
    ["an empty schema accepts anything", {}, {}],
    [
      "IntOrString (oneOf of bare types) becomes one type keyword",
      { oneOf: [{ type: "integer" }, { type: "string" }] },
      { type: ["integer", "string"] },
    ],
    [
      "Quantity (string or number)",
      { oneOf: [{ type: "string" }, { type: "number" }] },
      { type: ["string", "number"] },
    ],
    [
      "x-kubernetes-int-or-string",
      { "x-kubernetes-int-or-string": true, anyOf: [{ type: "integer" }, { type: "string" }] },
      { type: ["integer", "string"] },
    ],
    ["nullable adds null", { type: "string", nullable: true }, { type: ["string", "null"] }],
    [
      "value-validation branches do not close objects",
      {
        type: "object",
        properties: { a: { type: "string" }, b: { type: "string" } },
        oneOf: [{ required: ["a"] }, { required: ["b"], properties: { b: { minLength: 1 } } }],
      },
      {
        type: "object",
        oneOf: [{ required: ["a"] }, { required: ["b"], properties: { b: { minLength: 1 } } }],
        properties: { a: { type: "string" }, b: { type: "string" } },
        additionalProperties: false,
      },
    ],
    [
      "OpenAPI 3.0 boolean exclusive bounds become JSON Schema bounds",
      { type: "number", minimum: 0, exclusiveMinimum: true, maximum: 10, exclusiveMaximum: false },
      { type: "number", exclusiveMinimum: 0, maximum: 10 },
    ],
    [
      "an embedded resource implies apiVersion, kind and metadata",
      {
        type: "object",
        "x-kubernetes-embedded-resource": true,
        properties: { spec: { type: "object" } },
      },
      {
        type: "object",
        properties: {
          spec: { type: "object" },
          apiVersion: { type: "string" },
          kind: { type: "string" },
          metadata: { type: "object" },
        },
        additionalProperties: false,
      },
    ],
    [
      "a numbered reference goes through the ref callback",
      { type: "object", properties: { metadata: { $ref: 7 } } },
      {
        type: "object",
        properties: { metadata: { $ref: "root#/definitions/7" } },
        additionalProperties: false,
      },
    ],
    [
      "a pattern JavaScript cannot compile is dropped, others kept",
      {
        type: "object",
        properties: {
          a: { type: "string", pattern: "(?P<x>[a-z]+)" },
          b: { type: "string", pattern: "^[a-z]+$" },
        },
      },
      {
        type: "object",
        properties: { a: { type: "string" }, b: { type: "string", pattern: "^[a-z]+$" } },
        additionalProperties: false,
      },
    ],
    [
      "constraints are carried over",
      {
        type: "array",
        items: { type: "string", enum: ["a"] },
        minItems: 1,
        maxItems: 2,
        uniqueItems: true,
      },
      {
        type: "array",
        items: { type: "string", enum: ["a"] },
        minItems: 1,
        maxItems: 2,
        uniqueItems: true,
      },
    ],
  ];
  for (const [name, input, expected, options] of cases) {
    test(name, () => {
      assert.deepEqual(toJsonSchema(input, options ?? strict), expected);
    });
  }
});
