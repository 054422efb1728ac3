// The pure decisions behind `tether validate`, table-driven: Rego rule discovery and the
// wrapper, exception names, annotation capping and escaping, changed-file matching,
// YAML positions, kustomize origins, secret masking, flag checks.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, describe, test } from "node:test";
import { discoverUnits, isTouched } from "../../../action/validate/discover.ts";
import {
  annotationCommand,
  cell,
  commentBody,
  escapeProperty,
  planAnnotations,
} from "../../../action/validate/formats/github.ts";
import {
  configFromFlags,
  parseChangedFiles,
  UsageError,
} from "../../../action/validate/options.ts";
import {
  hideSecretValue,
  messageRedactor,
  redactMessage,
  secretValues,
} from "../../../action/validate/redact.ts";
import {
  exceptionNames,
  planNamespaces,
  scanPolicy,
  wrapperModule,
} from "../../../action/validate/rego.ts";
import { buildReport, groupMessages, type ResultEntry } from "../../../action/validate/report.ts";
import type { KubeObject } from "../../../shared/manifests/object.ts";
import { YamlPositions } from "../../../shared/manifests/yaml-positions.ts";
import { KustomizeTree } from "../../../shared/render/origins.ts";

const dirs: string[] = [];
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "tether-units-"));
  dirs.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe("Rego rule discovery (conftest names)", () => {
  const cases: [string, string, string[], boolean][] = [
    [
      "v1 rules",
      'package main\n\ndeny contains msg if {\n  msg := "x"\n}\nwarn_a contains "w" if true\n',
      ["deny", "warn_a"],
      false,
    ],
    [
      "v0 rules",
      'package main\n\ndeny[msg] {\n  msg := 1\n}\nviolation_x[{"msg": m}] {\n  m := 2\n}\n',
      ["deny", "violation_x"],
      false,
    ],
    [
      "not rules",
      "package main\n\nwarning contains 1 if true\ndenylist := []\n# deny contains x\n  deny_indented contains 1 if true\nallow if true\n",
      [],
      false,
    ],
    [
      "exception",
      'package main\nexception contains rules if {\n  rules := ["a"]\n}\ndeny_a_b_c contains 1 if true\n',
      ["deny_a_b_c"],
      true,
    ],
  ];
  for (const [name, text, rules, exception] of cases) {
    test(name, () => {
      const scan = scanPolicy(text);
      assert.equal(scan.package, "main");
      assert.deepEqual(scan.rules, rules);
      assert.equal(scan.exception, exception);
    });
  }

  test("namespaces: merged across files, main by default, all sorted", () => {
    const scans = [
      { package: "main", rules: ["deny"], exception: false },
      { package: "main", rules: ["warn", "deny"], exception: true },
      { package: "k8s.labels", rules: ["violation"], exception: false },
    ];
    assert.deepEqual(planNamespaces(scans, ["main"], false), [
      { name: "main", rules: ["deny", "warn"], exception: true },
    ]);
    assert.deepEqual(
      planNamespaces(scans, [], true).map((n) => n.name),
      ["k8s.labels", "main"],
    );
    assert.deepEqual(planNamespaces(scans, ["missing"], false), [
      { name: "missing", rules: [], exception: false },
    ]);
  });

  test("exception names", () => {
    assert.deepEqual(exceptionNames("deny_run_as_root"), ["run_as_root"]);
    assert.deepEqual(exceptionNames("violation_x"), ["x"]);
    assert.deepEqual(exceptionNames("warn_y"), ["y"]);
    assert.deepEqual(exceptionNames("deny"), ["", "deny"]);
  });

  test("the wrapper evaluates each rule with input as each document", () => {
    const text = wrapperModule([{ name: "k8s.labels", rules: ["deny_a"], exception: true }]);
    assert.match(text, /^package tether_validate_wrapper\n\nimport rego\.v1\n/);
    assert.match(
      text,
      /found := data\.k8s\.labels\.exception with input as doc with data\.conftest\.file as input\.files\[i\]/,
    );
    assert.match(text, /found := data\.k8s\.labels\.deny_a with input as doc/);
    assert.match(text, /\["a"\]; exceptions_0\[\[i, name\]\]/);
  });
});

function entry(
  unit: string,
  message: Partial<ResultEntry["messages"][number]> & { message: string },
): ResultEntry {
  return {
    unit,
    file: "f.yaml",
    line: 1,
    kind: "ConfigMap",
    apiVersion: "v1",
    name: "c",
    status: "invalid",
    messages: [{ severity: "error", source: "schema", file: "f.yaml", line: 3, ...message }],
  };
}

describe("annotations", () => {
  test("duplicates across units are one; errors and warnings are capped separately", () => {
    const results = [
      entry("dev", { message: "same", rule: "r" }),
      entry("prd", { message: "same", rule: "r" }),
      ...Array.from({ length: 12 }, (_, i) => entry("dev", { message: `e${i}`, line: 10 + i })),
      ...Array.from({ length: 3 }, (_, i) =>
        entry("dev", { message: `w${i}`, severity: "warning" }),
      ),
    ];
    const groups = groupMessages(
      buildReport("1.36", [{ name: "dev", renderer: "plain" }], results),
    );
    assert.equal(groups.length, 16);
    assert.deepEqual(groups[0]?.units, ["dev", "prd"]);
    const { annotated, overflow } = planAnnotations(groups, { error: 10, warning: 2 });
    assert.equal(annotated.filter((g) => g.message.severity === "error").length, 10);
    assert.equal(annotated.filter((g) => g.message.severity === "warning").length, 2);
    assert.equal(overflow.length, 4);
  });

  test("workflow command escaping (as @actions/core does it)", () => {
    assert.equal(escapeProperty("a:b,c%d\ne"), "a%3Ab%2Cc%25d%0Ae");
    const [group] = groupMessages(
      buildReport("1.36", [], [entry("u", { message: "50% of\nlines", column: 2, rule: "type" })]),
    );
    assert.equal(
      annotationCommand(group as never),
      "::error file=f.yaml,line=3,col=2,title=schema/type%3A ConfigMap/c::50%25 of%0Alines",
    );
    assert.equal(cell("a|b<c>\nd"), "a\\|b&lt;c&gt;<br>d");
  });

  test("the comment fits GitHub's size limit", () => {
    const results = Array.from({ length: 3000 }, (_, i) =>
      entry("u", { message: `${"x".repeat(100)} ${i}`, line: i + 1 }),
    );
    const body = commentBody(buildReport("1.36", [{ name: "u", renderer: "plain" }], results), "k");
    assert.ok(body.length <= 65_000);
    assert.match(body, /^<!-- tether-validate:k -->\n/);
    assert.match(body, /… and \d+ more\./);
  });
});

describe("changed files", () => {
  const cases: [string, { dirs: string[]; files: string[] }, string[], boolean][] = [
    ["inside a folder", { dirs: ["k/dev"], files: [] }, ["k/dev/p.yaml"], true],
    ["a sibling prefix is not inside", { dirs: ["k/dev"], files: [] }, ["k/dev2/p.yaml"], false],
    ["a listed file", { dirs: [], files: ["a/x.yaml"] }, ["a/x.yaml"], true],
    [
      "another file in the folder of listed files",
      { dirs: [], files: ["a/x.yaml"] },
      ["a/y.yaml"],
      false,
    ],
    ["the root", { dirs: ["."], files: [] }, ["anything"], true],
  ];
  for (const [name, area, changed, expected] of cases) {
    test(name, () => assert.equal(isTouched(area, changed), expected));
  }
  test("the list format", () => {
    assert.deepEqual(parseChangedFiles("./a.yaml\r\n\n# comment\n b/c.yaml \n"), [
      "a.yaml",
      "b/c.yaml",
    ]);
  });
});

describe("YAML positions", () => {
  const text = [
    "a: 1", // 1
    "---", // 2
    "# comment", // 3
    "apiVersion: v1", // 4
    "kind: List", // 5
    "items:", // 6
    "  - kind: ConfigMap", // 7
    '    metadata: {name: x, "we/ird": 1}', // 8
    "    data:", // 9
    "      k: v", // 10
    "    list: [1, {deep: true}]", // 11
  ].join("\n");
  const positions = new YamlPositions(text);
  const cases: [number, string, { line: number; column: number; exact: boolean } | undefined][] = [
    [1, "/a", { line: 1, column: 1, exact: true }],
    [4, "/items/0/kind", { line: 7, column: 5, exact: true }],
    [7, "/data/k", { line: 10, column: 7, exact: true }],
    [7, "/metadata/we~1ird", { line: 8, column: 25, exact: true }],
    [7, "/list/1/deep", { line: 11, column: 16, exact: true }],
    [7, "/data/missing", { line: 9, column: 5, exact: false }],
    [7, "", { line: 7, column: 5, exact: true }],
    [3, "/a", undefined],
  ];
  for (const [line, pointer, expected] of cases) {
    test(`line ${line} ${pointer || "(object)"}`, () =>
      assert.deepEqual(positions.locate(line, pointer), expected));
  }
});

describe("kustomize origins", () => {
  test("definitions by kind and name (with prefixes), patches of every kind, generators", async () => {
    const root = tree({
      "base/kustomization.yaml":
        "resources: [deploy.yaml]\nconfigMapGenerator:\n  - name: settings\n    literals: [a=b]\n",
      "base/deploy.yaml":
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 1\n  template:\n    spec:\n      containers: []\n",
      "overlay/kustomization.yaml": [
        "resources: [../base]",
        "namePrefix: edge-",
        "patchesStrategicMerge:",
        "  - smp.yaml",
        "patchesJson6902:",
        "  - target: {kind: Deployment, name: web}",
        "    path: ops.yaml",
        "patches:",
        "  - target: {kind: Deployment, name: w.b}",
        "    patch: |-",
        "      - op: add",
        "      - op: replace",
        "        path: /spec/template/spec/hostNetwork",
        "        value: true",
        "",
      ].join("\n"),
      "overlay/smp.yaml":
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  paused: true\n",
      "overlay/ops.yaml": "- op: replace\n  path: /spec/strategy\n  value:\n    type: Recreate\n",
    });
    const t = await KustomizeTree.read(join(root, "overlay"), root);
    assert.deepEqual(t.files.sort(), [
      "base/deploy.yaml",
      "base/kustomization.yaml",
      "overlay/kustomization.yaml",
      "overlay/ops.yaml",
      "overlay/smp.yaml",
    ]);
    assert.equal(t.dirs.length, 2);
    const at = (pointer: string) => t.locate("Deployment", "edge-web", pointer);
    assert.deepEqual(at(""), { file: "base/deploy.yaml", line: 1, column: 1 });
    assert.deepEqual(at("/spec/replicas"), { file: "base/deploy.yaml", line: 6, column: 3 });
    assert.deepEqual(at("/spec/paused"), { file: "overlay/smp.yaml", line: 6, column: 3 });
    assert.deepEqual(at("/spec/strategy/type"), { file: "overlay/ops.yaml", line: 4, column: 5 });
    assert.deepEqual(at("/spec/template/spec/hostNetwork"), {
      file: "overlay/kustomization.yaml",
      line: 14,
      column: 9,
    });
    // Not in any source (added by a renderer): its deepest parent in the definition.
    assert.deepEqual(at("/spec/template/spec/dnsPolicy"), {
      file: "base/deploy.yaml",
      line: 8,
      column: 5,
    });
    assert.deepEqual(t.locate("ConfigMap", "edge-settings-7h2k9", "/data/a"), {
      file: "base/kustomization.yaml",
      line: 3,
    });
    assert.deepEqual(t.locate("Service", "nowhere", ""), {
      file: "overlay/kustomization.yaml",
      line: 1,
    });
  });

  test("discovery: overlays are units, bases and components are not, loose files are plain", async () => {
    const root = tree({
      "k/base/kustomization.yaml": "resources: [cm.yaml]\n",
      "k/base/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n",
      "k/comp/kustomization.yaml":
        "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n",
      "k/dev/kustomization.yaml": "resources: [../base]\ncomponents: [../comp]\n",
      "k/prd/kustomization.yaml": "resources: [../base]\n",
      "k/extra/one.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n",
      "k/.hidden/x.yaml": "not: a manifest\n",
      "policy/data.yaml": "not: a manifest\n",
      "plain/a.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n",
    });
    const units = await discoverUnits(root, [root], [join(root, "policy")]);
    assert.deepEqual(
      units.map((u) => [u.name, u.kind, u.paths]),
      [
        ["k/dev", "kustomize", ["k/dev"]],
        ["k/prd", "kustomize", ["k/prd"]],
        ["k/extra", "plain", ["k/extra/one.yaml"]],
        ["plain", "plain", ["plain/a.yaml"]],
      ],
    );
    const direct = await discoverUnits(root, [
      join(root, "plain"),
      join(root, "k/base/kustomization.yaml"),
    ]);
    assert.deepEqual(
      direct.map((u) => [u.name, u.kind]),
      [
        ["plain", "plain"],
        ["k/base", "kustomize"],
      ],
    );
  });
});

describe("secrets", () => {
  const secret = {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: "s" },
    data: { password: Buffer.from("hunter22").toString("base64"), pin: 4242 },
    stringData: { ab: "xy", long: `${"L".repeat(50)}` },
  } as unknown as KubeObject;
  const values = secretValues([secret]);
  test("raw, decoded, quoted and cut values are masked", () => {
    assert.equal(redactMessage("password hunter22 and 4242", values), "password *** and ***");
    assert.equal(redactMessage('got string "xy"', values), 'got string "***"');
    assert.equal(redactMessage(`"${"L".repeat(37)}..."`, values), '"***..."');
    assert.equal(redactMessage("xylophone", values), "xylophone");
  });
  test("the many-message redactor masks exactly as redactMessage", () => {
    const clean = messageRedactor(values);
    for (const message of [
      "password hunter22 and 4242",
      'got string "xy"',
      `"${"L".repeat(37)}..."`,
      "xylophone",
      "hun ter 42 4 2",
      "",
      "ab",
      `hunter22${"L".repeat(50)}4242 "xy"`,
    ]) {
      assert.equal(clean(message), redactMessage(message, values), message);
    }
    assert.equal(clean("password hunter22"), "password ***");
  });
  test("schema messages about Secret data show the type only", () => {
    assert.equal(
      hideSecretValue("data.pin: expected string, got integer 4242"),
      "data.pin: expected string, got integer (value hidden)",
    );
  });
});

describe("flags", () => {
  test("rego-only flags need --policy; versions must be bundled", () => {
    assert.throws(() => configFromFlags([], { data: ["d"] }, "/"), UsageError);
    assert.throws(
      () => configFromFlags([], { policy: ["p"], parameters: "x" }, "/"),
      /--gatekeeper-input/,
    );
    assert.throws(() => configFromFlags([], { kubernetesVersion: "banana" }, "/"), UsageError);
    assert.throws(() => configFromFlags([], { policy: ["p"], regoVersion: "v2" }, "/"), /v0 or v1/);
    const c = configFromFlags(
      [],
      { skip: ["Secret,ConfigMap", "apps/v1/Deployment"], policy: ["p"] },
      "/repo",
    );
    assert.deepEqual(c.skipKinds, ["Secret", "ConfigMap", "apps/v1/Deployment"]);
    assert.deepEqual(c.paths, ["."]);
    assert.deepEqual(c.namespaces, ["main"]);
    assert.equal(c.strict, true);
    assert.equal(c.root, "/repo");
  });
});
