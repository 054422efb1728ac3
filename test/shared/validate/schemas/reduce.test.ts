import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  canonical,
  dataModule,
  hoistShared,
  linedJson,
  minimize,
  parseLifecycles,
  stability,
} from "../../../../shared/validate/schemas/reduce.ts";
import type { Json, JsonObject, MiniSchema } from "../../../../shared/validate/schemas/types.ts";

describe("minimize", () => {
  const names = ["io.k8s.api.core.v1.PodSpec", "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"];
  const ref = (name: string) => {
    const i = names.indexOf(name);
    if (i < 0) throw new Error(`unknown ${name}`);
    return i;
  };
  const cases: Array<[string, Json, MiniSchema]> = [
    [
      "drops descriptions, defaults, formats and patch hints",
      {
        description: "x",
        type: "integer",
        format: "int32",
        default: 1,
        "x-kubernetes-patch-strategy": "merge",
        "x-kubernetes-list-type": "atomic",
        "x-kubernetes-validations": [{ rule: "self > 0" }],
      },
      { type: "integer" },
    ],
    [
      "keeps a property that happens to be called description",
      { type: "object", properties: { description: { type: "string", description: "d" } } },
      { properties: { description: { type: "string" } }, type: "object" },
    ],
    [
      "turns an OpenAPI v3 allOf-wrapped reference into a numbered $ref",
      {
        allOf: [{ $ref: "#/components/schemas/io.k8s.api.core.v1.PodSpec" }],
        default: {},
        description: "spec",
      },
      { $ref: 0 },
    ],
    [
      "turns a swagger v2 reference into a numbered $ref",
      { $ref: "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", description: "m" },
      { $ref: 1 },
    ],
    [
      "keeps what validation needs",
      {
        type: "object",
        required: ["a"],
        additionalProperties: { type: "string" },
        "x-kubernetes-preserve-unknown-fields": true,
        properties: {
          a: { type: "string", enum: ["x", "y"], pattern: "^[xy]$", maxLength: 1 },
          b: {
            "x-kubernetes-int-or-string": true,
            anyOf: [{ type: "integer" }, { type: "string" }],
          },
          c: {
            type: "array",
            items: { type: "number", minimum: 0, exclusiveMinimum: true },
            maxItems: 3,
          },
          d: { type: "object", nullable: true, "x-kubernetes-embedded-resource": true },
        },
      },
      {
        additionalProperties: { type: "string" },
        properties: {
          a: { enum: ["x", "y"], maxLength: 1, pattern: "^[xy]$", type: "string" },
          b: {
            anyOf: [{ type: "integer" }, { type: "string" }],
            "x-kubernetes-int-or-string": true,
          },
          c: {
            items: { exclusiveMinimum: true, minimum: 0, type: "number" },
            maxItems: 3,
            type: "array",
          },
          d: { nullable: true, type: "object", "x-kubernetes-embedded-resource": true },
        },
        required: ["a"],
        type: "object",
        "x-kubernetes-preserve-unknown-fields": true,
      },
    ],
  ];
  for (const [name, input, expected] of cases) {
    test(name, () => {
      assert.deepEqual(minimize(input, ref), expected);
    });
  }
});

test("canonical ignores key order", () => {
  assert.equal(canonical({ b: 1, a: [{ d: 1, c: 2 }] }), canonical({ a: [{ c: 2, d: 1 }], b: 1 }));
  assert.notEqual(canonical({ a: 1 }), canonical({ a: 2 }));
});

describe("hoistShared", () => {
  /** Replaces every {$ref: n} with the shared subtree, recursively. */
  function expand(schema: Json, shared: MiniSchema[]): Json {
    if (Array.isArray(schema)) return schema.map((s) => expand(s, shared));
    if (typeof schema !== "object" || schema === null) return schema;
    if (typeof schema.$ref === "number") return expand(shared[schema.$ref] as Json, shared);
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(schema)) out[k] = expand(v, shared);
    return out;
  }
  const big = (n: number): MiniSchema => ({
    type: "object",
    properties: Object.fromEntries(
      Array.from({ length: 12 }, (_, i) => [`field${i}`, { type: n ? "string" : "integer" }]),
    ),
  });
  const schemas: MiniSchema[] = [
    { type: "object", properties: { spec: big(1), status: big(0), other: { type: "string" } } },
    { type: "object", properties: { spec: big(1), extra: { type: "array", items: big(1) } } },
    { type: "object", properties: { status: big(0) } },
  ];

  test("repeated subtrees become references and expand back to the input", () => {
    const { shared, out } = hoistShared(structuredClone(schemas));
    assert.equal(shared.length, 2);
    assert.deepEqual(
      out.map((s) => expand(s, shared)),
      schemas,
    );
    assert.ok(canonical(out).length < canonical(schemas).length);
  });

  test("property maps are never replaced, only schemas", () => {
    const same = {
      a: { type: "string" },
      b: { type: "string" },
      c: { type: "string" },
      d: { type: "string" },
    };
    const { out } = hoistShared([{ properties: same }, { properties: structuredClone(same) }], 10);
    for (const s of out) assert.equal(typeof (s.properties as JsonObject).a, "object");
    assert.deepEqual(Object.keys(out[0]?.properties as JsonObject), ["a", "b", "c", "d"]);
  });
});

test("parseLifecycles reads the generated Go functions", () => {
  const go = `
func (in *Ingress) APILifecycleIntroduced() (major, minor int) {
	return 1, 14
}

func (in *Ingress) APILifecycleDeprecated() (major, minor int) {
	return 1, 19
}

func (in *Ingress) APILifecycleReplacement() schema.GroupVersionKind {
	return schema.GroupVersionKind{Group: "networking.k8s.io", Version: "v1", Kind: "Ingress"}
}

func (in *Ingress) APILifecycleRemoved() (major, minor int) {
	return 1, 22
}

func (in *IngressClass) APILifecycleDeprecated() (major, minor int) {
	return 1, 19
}

func (in *IngressClass) APILifecycleReplacement() schema.GroupVersionKind {
	return schema.GroupVersionKind{Group: "networking.k8s.io", Version: "v1", Kind: "IngressClassList"}
}

func (in *IngressList) APILifecycleRemoved() (major, minor int) {
	return 1, 22
}

func (in *Endpoints) APILifecycleIntroduced() (major, minor int) {
	return 1, 0
}
`;
  assert.deepEqual(parseLifecycles(go, "networking.k8s.io/v1beta1"), [
    {
      apiVersion: "networking.k8s.io/v1beta1",
      kind: "Ingress",
      source: "k8s.io/api",
      deprecated: "1.19",
      removed: "1.22",
      replacement: { apiVersion: "networking.k8s.io/v1", kind: "Ingress" },
    },
    {
      apiVersion: "networking.k8s.io/v1beta1",
      kind: "IngressClass",
      source: "k8s.io/api",
      deprecated: "1.19",
      replacement: { apiVersion: "networking.k8s.io/v1", kind: "IngressClass" },
    },
  ]);
});

test("stability orders API versions by maturity", () => {
  const sorted = ["v1alpha1", "v2", "v1beta2", "v1", "v1beta1", "v2beta1", "v1alpha3"].sort(
    (a, b) => stability(b) - stability(a),
  );
  assert.deepEqual(sorted, ["v2", "v1", "v2beta1", "v1beta2", "v1beta1", "v1alpha3", "v1alpha1"]);
});

describe("data module text", () => {
  test("linedJson puts elements on their own lines down to the given depth and parses back", () => {
    const value = { a: [1, { b: 2 }], c: { d: [3, 4] } };
    const text = linedJson(value, 2);
    assert.deepEqual(JSON.parse(text), value);
    assert.deepEqual(text.split("\n"), [
      "{",
      '"a":[',
      "1,",
      '{"b":2}',
      "],",
      '"c":{',
      '"d":[3,4]',
      "}",
      "}",
    ]);
  });

  test("the template literal evaluates to exactly the JSON, whatever it contains", async () => {
    const value = {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the text must survive a template literal
      pattern: "^\\d+`${x}`$",
      quote: 'it\'s "quoted"',
      slash: "a\\b",
      unicode: "é\u2028",
    };
    const module = dataModule(JSON.stringify(value));
    const url = `data:text/javascript;base64,${Buffer.from(module).toString("base64")}`;
    const { json } = (await import(url)) as { json: string };
    assert.deepEqual(JSON.parse(json), value);
  });
});
