import assert from "node:assert/strict";
import { test } from "node:test";
import { checkCelRules } from "../../../../shared/validate/rules/cel.ts";

type Obj = Record<string, unknown>;

const spec = (rules: Obj[], properties: Obj = {}): Obj => ({
  type: "object",
  properties: {
    spec: {
      type: "object",
      "x-kubernetes-validations": rules,
      properties: {
        replicas: { type: "integer" },
        maxReplicas: { type: "integer", default: 10 },
        name: { type: "string" },
        size: { type: "string" },
        url: { type: "string" },
        names: { type: "array", items: { type: "string" } },
        ...properties,
      },
    },
  },
});

const widget = (s: Obj): Obj => ({
  apiVersion: "x/v1",
  kind: "W",
  metadata: { name: "w" },
  spec: s,
});

/** [what, rule, spec values, expected messages] */
const cases: [string, Obj, Obj, string[]][] = [
  [
    "integers compare as ints",
    { rule: "self.replicas <= self.maxReplicas", message: "too many" },
    { replicas: 5, maxReplicas: 3 },
    ['spec: Invalid value: "object": too many'],
  ],
  [
    "schema defaults apply first",
    { rule: "self.replicas <= self.maxReplicas", message: "too many" },
    { replicas: 11 },
    ['spec: Invalid value: "object": too many'],
  ],
  ["a rule that holds", { rule: "self.replicas <= self.maxReplicas" }, { replicas: 1 }, []],
  [
    "fieldPath and reason place and word it",
    {
      rule: "self.replicas >= 0",
      message: "negative",
      fieldPath: ".replicas",
      reason: "FieldValueForbidden",
    },
    { replicas: -1 },
    ["spec.replicas: Forbidden: negative"],
  ],
  [
    "messageExpression",
    { rule: "self.name.startsWith('a')", messageExpression: "'bad name ' + self.name" },
    { name: "bob" },
    ['spec: Invalid value: "object": bad name bob'],
  ],
  [
    "no message: the rule is quoted",
    { rule: "has(self.name)" },
    {},
    ['spec: Invalid value: "object": failed rule: has(self.name)'],
  ],
  [
    "transition rules are skipped on create",
    { rule: "self.replicas == oldSelf.replicas" },
    { replicas: 1 },
    [],
  ],
  [
    "quantity library",
    { rule: "quantity(self.size).isGreaterThan(quantity('1Gi'))", message: "small" },
    { size: "512Mi" },
    ['spec: Invalid value: "object": small'],
  ],
  ["isQuantity", { rule: "isQuantity(self.size)", message: "nq" }, { size: "1Gi" }, []],
  [
    "url library",
    { rule: "url(self.url).getHost() == 'example.com'", message: "host" },
    { url: "https://other.org/x" },
    ['spec: Invalid value: "object": host'],
  ],
  [
    "lists library",
    { rule: "self.names.isSorted() && self.names.indexOf('b') == 1" },
    { names: ["a", "b"] },
    [],
  ],
  [
    "strings library",
    { rule: "self.name.lowerAscii() == self.name", message: "lower" },
    { name: "Bob" },
    ['spec: Invalid value: "object": lower'],
  ],
  [
    "regex library",
    { rule: "self.name.find('[0-9]+') == '42'", message: "digits" },
    { name: "x7y" },
    ['spec: Invalid value: "object": digits'],
  ],
  [
    "format library",
    { rule: "!format.dns1123Label().validate(self.name).hasValue()", message: "label" },
    { name: "Not_A_Label" },
    ['spec: Invalid value: "object": label'],
  ],
  [
    "a runtime error is the server's error too",
    { rule: "self.missing == 1" },
    {},
    ['spec: Invalid value: "object": no such key: missing'],
  ],
];

for (const [what, rule, values, expected] of cases) {
  test(`CEL: ${what}`, () => {
    const result = checkCelRules(widget(values), spec([rule]), "W/w");
    const messages = result.findings.map((f) => f.message);
    if (what.startsWith("a runtime error")) {
      assert.equal(messages.length, 1, JSON.stringify(result));
      assert.match(messages[0] ?? "", /^spec: Invalid value: "object": /);
    } else assert.deepEqual(messages, expected, JSON.stringify(result.notes));
  });
}

test("CEL: rules on list items run per item, pointing at the item", () => {
  const schema = spec([], {
    ports: {
      type: "array",
      items: {
        type: "object",
        properties: { port: { type: "integer" } },
        "x-kubernetes-validations": [{ rule: "self.port < 65536", message: "bad port" }],
      },
    },
  });
  const result = checkCelRules(widget({ ports: [{ port: 1 }, { port: 70000 }] }), schema);
  assert.deepEqual(
    result.findings.map((f) => [f.pointer, f.message]),
    [["/spec/ports/1", 'spec.ports[1]: Invalid value: "object": bad port']],
  );
});

test("CEL: a rule this evaluator cannot run is a note, never a finding", () => {
  const result = checkCelRules(
    widget({ name: "a" }),
    spec([{ rule: "self.name.noSuchFunction()" }]),
    "W/w",
  );
  assert.deepEqual(result.findings, []);
  assert.equal(result.notes.length, 1);
  assert.match(result.notes[0] ?? "", /W\/w: CEL rule not evaluated/);
});

test("CEL: an object default is the same for every object it applies to, and stays as written", () => {
  const schema = spec(
    [{ rule: "self.limits.max >= 2 && self.limits.tags.size() == 1", message: "bad" }],
    {
      limits: {
        type: "object",
        default: { max: 3, tags: ["a"] },
        properties: {
          max: { type: "integer" },
          tags: { type: "array", items: { type: "string" } },
        },
      },
    },
  );
  const written = structuredClone(schema);
  for (let i = 0; i < 2; i++) {
    // No finding and no note: the default was there for the rule to read, both times.
    const result = checkCelRules(widget({ name: `w${i}` }), schema);
    assert.deepEqual([result.findings, result.notes], [[], []]);
  }
  assert.deepEqual(
    checkCelRules(widget({ limits: { max: 1, tags: ["a"] } }), schema).findings.map(
      (f) => f.message,
    ),
    ['spec: Invalid value: "object": bad'],
  );
  assert.deepEqual(schema, written);
});
