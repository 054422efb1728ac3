// The fast path of the manifest loader (js-yaml events) must read every file exactly as
// the `yaml` path (the reference: YAML 1.1 as kubectl reads it) does: the same objects,
// lines and errors; and the positions it keeps must point where `yaml`'s syntax tree does.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Manifest } from "../../../shared/manifests/object.ts";
import { parseManifests } from "../../../shared/manifests/parse.ts";
import { parseWithYaml } from "../../../shared/manifests/parse-yaml.ts";
import { EventPositions } from "../../../shared/manifests/positions.ts";
import { YamlPositions } from "../../../shared/manifests/yaml-positions.ts";

/** Objects and lines as JSON (NaN, Infinity and -0 spelled out), or the error message. */
async function outcome(parse: () => Manifest[] | Promise<Manifest[]>): Promise<string> {
  try {
    return JSON.stringify(
      (await parse()).map((m) => ({ object: m.object, file: m.source.file, line: m.source.line })),
      (_key, value) =>
        typeof value === "number" && (!Number.isFinite(value) || Object.is(value, -0))
          ? String(Object.is(value, -0) ? "-0" : value)
          : value,
    );
  } catch (error) {
    return `error: ${(error as Error).message}`;
  }
}

async function assertSame(text: string) {
  assert.equal(
    await outcome(() => parseManifests(text, "f.yaml", { positions: true })),
    await outcome(() => parseWithYaml(text, "f.yaml", {})),
    text,
  );
}

const SCALARS = [
  ...["yes", "Yes", "YES", "no", "NO", "on", "On", "OFF", "y", "Y", "n", "N", "True", "tRue"],
  ...["false", "null", "Null", "NULL", "~", "0644", "0o644", "0x1F", "0X1f", "0b101", "-0b101"],
  ...["+0b1", "1_000", "1_0.5", "1e3", "1E3", "1.0e+3", "1.", "+1", "-1", ".5", "-.5", "0.5e-3"],
  ...[".inf", ".Inf", "-.INF", "+.inf", ".nan", ".NaN", "12:30", "190:20:30", "1:30.5"],
  ...["2001-12-14", "2001-12-14t21:59:43.10-05:00", "0", "-0", "00", "08", "09", "0_7", "0x_1"],
  ...["+0", "0.", "1e", "e3", "E3", "1_", "_1", "0o7", "9223372036854775808", "1e-400", "-", "."],
  ...["1.7976931348623157e309", "0xFFFFFFFFFFFFFFFFF", "=", "'q'", '"d"', "1,000", "0b2", "-0.0"],
];

describe("fast manifest parsing reads what `yaml` reads", () => {
  test("every plain scalar as a value, a key and a list item", async () => {
    for (const scalar of SCALARS) {
      const key = scalar === "" ? "''" : scalar;
      await assertSame(
        `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata:\n  v: ${scalar}\n  ${key}: k\n  l:\n    - ${scalar}\n`,
      );
    }
  });

  test("documents that use what only `yaml` handles, and broken ones, give `yaml`'s result", async () => {
    const meta = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n";
    for (const text of [
      `${meta}data: &d {a: b}\nother: *d\n`,
      `${meta}data: !!str 12\n`,
      `${meta}base: &b {x: 1}\ndata:\n  <<: *b\n  y: 2\n`,
      `${meta}data:\n  null: a\n  ~: b\n`,
      `${meta}data:\n  a: 1\n  a: 2\n`,
      `${meta}data: {a: [}\n`,
      "- just\n- a list\n",
      "apiVersion: v1\nkind: ConfigMap\n",
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ''}\n",
      `# comment\n---\n${meta}---\n---\n# only a comment\n---\n${meta.replace("a\n", "b\n")}`,
      `apiVersion: v1\nkind: List\nitems:\n  - ${meta.replaceAll("\n", "\n    ").trimEnd()}\n  -\n    apiVersion: v1\n    kind: Secret\n    metadata: {name: s}\n`,
      '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "j"}, "data": {"a": "1"}}',
      `${meta}data:\n  script: |\n    echo "yes"\n    exit 0\n  folded: >-\n    a\n    b\n  "quoted key": 'it''s'\n`,
      `\uFEFF${meta}`,
      // At the nesting limit (100 levels: the object, then 99 lists) and one past it.
      `${meta}data: ${"[".repeat(99)}${"]".repeat(99)}\n`,
      `${meta}data: ${"[".repeat(100)}${"]".repeat(100)}\n`,
      `${meta.replaceAll("\n", "\r\n")}data:\r\n  a: yes\r\n`,
    ]) {
      await assertSame(text);
    }
  });

  test("fields are placed where `yaml`'s syntax tree places them, from the same parse", async () => {
    const text = `# lead comment
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web, "tier": front}
spec:
  template:
    spec:
      containers:
        - name: web
          image: "nginx"
          ports: [{containerPort: 80}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: c}
data:
  'quoted': x
  "esc\\u0041ped": y
  'it''s': z
  folded: >-
    text
  after: w
`;
    const manifests = await parseManifests(text, "f.yaml", { positions: true });
    const reference = new YamlPositions(text);
    const pointers = [
      "",
      "/metadata/name",
      "/metadata/labels/tier",
      "/metadata/labels/missing",
      "/spec/template/spec/containers/0/image",
      "/spec/template/spec/containers/0/ports/0/containerPort",
      "/spec/template/spec/containers/3",
      "/data/quoted",
      // Keys whose text is not their value (escapes): read back from the kept numbers.
      "/data/escAped",
      "/data/it's",
      "/data/folded",
      "/data/after",
    ];
    for (const m of manifests) {
      const line = m.source.line as number;
      assert.ok(m.source.positions instanceof EventPositions, "the fast path's positions");
      for (const pointer of pointers) {
        assert.deepEqual(
          m.source.positions.locate(line, pointer),
          reference.locate(line, pointer),
          `${m.object.kind} ${pointer}`,
        );
      }
    }
  });

  test("a key read as YAML 1.1 (n: is false) is found under the name the object has", async () => {
    const text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  annotations: {n: 1}\n";
    const [m] = await parseManifests(text, "f.yaml", { positions: true });
    assert.deepEqual(m?.object.metadata.annotations, { false: 1 });
    assert.deepEqual(m?.source.positions?.locate(1, "/metadata/annotations/false"), {
      line: 5,
      column: 17,
      exact: true,
    });
  });

  test("without the option, no positions are kept (the agent holds objects only)", async () => {
    const [m] = await parseManifests("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n", "f");
    assert.equal(m?.source.positions, undefined);
  });
});
