// The report formats parse and carry the same findings: JSON (the contract other checks
// rely on), JUnit XML (well-formed), SARIF 2.1.0 (results with physical locations), TAP
// 13, and text.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Report } from "../../../action/validate/report.ts";
import { Fixture, seed004, validate } from "./helpers.ts";

let repo: Fixture;
const args = ["kustomize", "clusters", "--policy", "policy"];

before(() => {
  repo = seed004(new Fixture("formats"));
  repo.write(
    "kustomize/dev/web-patch.yaml",
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  replicaz: 1\n",
  );
  repo.write(
    "clusters/edge/apps.yaml",
    'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: "a<b>&c"}\ndata: {k: v}\n---\napiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata: {name: pdb}\nspec: {minAvailable: 1}\n---\napiVersion: example.com/v1\nkind: Gizmo\nmetadata: {name: g}\n',
  );
  repo.write("clusters/edge/broken.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x\n");
  repo.write(
    "policy/main.rego",
    'package main\n\nimport rego.v1\n\nwarn contains sprintf("%s: \\"quoted\\" & <angled>", [input.metadata.name]) if input.kind == "ConfigMap"\n',
  );
});
after(() => repo.cleanup());

/** A strict-enough XML 1.0 well-formedness check: one root, balanced tags, quoted attributes, valid entities. */
function assertWellFormedXml(xml: string): void {
  const body = xml.replace(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n/, "");
  assert.notEqual(body, xml, "XML declaration");
  const token = /<(\/?)([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.-]*="[^"<]*")*)\s*(\/?)>|([^<]+)|(<)/y;
  const stack: string[] = [];
  let roots = 0;
  let index = 0;
  token.lastIndex = 0;
  while (index < body.length) {
    const m = token.exec(body);
    if (m === null) break;
    index = token.lastIndex;
    const [, close, name, attrs, selfClose, text, stray] = m;
    assert.equal(stray, undefined, `stray "<" at ${index}`);
    const checkEntities = (s: string) =>
      assert.doesNotMatch(
        s,
        /&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/,
        `bad entity in ${s}`,
      );
    if (text !== undefined) {
      if (stack.length === 0) assert.match(text, /^\s*$/, "text outside the root");
      checkEntities(text);
      continue;
    }
    checkEntities(attrs ?? "");
    if (close) {
      assert.equal(stack.pop(), name, `</${name}> closes the wrong element`);
    } else {
      if (stack.length === 0) roots++;
      if (!selfClose) stack.push(name as string);
    }
  }
  assert.equal(index, body.length, "unparsed rest");
  assert.deepEqual(stack, [], "unclosed elements");
  assert.equal(roots, 1, "one root element");
}

describe("report formats", () => {
  test("json: summary and one result per resource with the contract's fields", async () => {
    const result = await validate(["-o", "json", ...args], { cwd: repo.root });
    assert.equal(result.code, 1);
    const report = JSON.parse(result.stdout) as Report;
    for (const key of ["resources", "valid", "invalid", "errors", "warnings"] as const) {
      assert.equal(typeof report.summary[key], "number", key);
    }
    assert.equal(report.summary.resources, report.results.filter((r) => r.kind !== "").length);
    for (const r of report.results) {
      assert.equal(typeof r.file, "string");
      for (const key of ["kind", "apiVersion", "name"] as const)
        assert.equal(typeof r[key], "string");
      assert.ok(["valid", "invalid", "skipped"].includes(r.status));
      for (const m of r.messages) {
        assert.ok(["error", "warning"].includes(m.severity));
        assert.ok(["schema", "deprecation", "policy", "render"].includes(m.source));
        assert.equal(typeof m.message, "string");
      }
    }
    const pdb = report.results.find((r) => r.kind === "PodDisruptionBudget");
    assert.deepEqual(
      [
        pdb?.file,
        pdb?.line,
        pdb?.apiVersion,
        pdb?.name,
        pdb?.status,
        pdb?.messages[0]?.source,
        pdb?.messages[0]?.rule,
      ],
      [
        "clusters/edge/apps.yaml",
        6,
        "policy/v1beta1",
        "pdb",
        "invalid",
        "deprecation",
        "removed-api",
      ],
    );
    assert.equal(
      report.summary.errors,
      report.results.flatMap((r) => r.messages).filter((m) => m.severity === "error").length,
    );
  });

  test("junit: well-formed XML, one suite per unit, failures for invalid resources", async () => {
    const result = await validate(["-o", "junit", ...args], { cwd: repo.root });
    assert.equal(result.code, 1);
    assertWellFormedXml(result.stdout);
    assert.match(result.stdout, /<testsuite name="kustomize\/dev" tests="6" failures="1"/);
    assert.match(
      result.stdout,
      /<failure message="unknown field &quot;spec\.replicaz&quot;" type="schema\/unknown-field">kustomize\/dev\/web-patch\.yaml:5:3: /,
    );
    assert.match(result.stdout, /name="ConfigMap\/a&lt;b&gt;&amp;c/);
    assert.match(
      result.stdout,
      /<system-out>warning: clusters\/edge\/apps\.yaml:1: a&lt;b&gt;&amp;c: &quot;quoted&quot; &amp; &lt;angled&gt; \[policy\/warn\]<\/system-out>/,
    );
  });

  test("sarif: runs[0].results with rule ids, levels and physical locations", async () => {
    const result = await validate(["-o", "sarif", ...args], { cwd: repo.root });
    assert.equal(result.code, 1);
    const sarif = JSON.parse(result.stdout);
    assert.equal(sarif.version, "2.1.0");
    const run = sarif.runs[0];
    assert.equal(run.tool.driver.name, "tether");
    const ids = run.tool.driver.rules.map((r: { id: string }) => r.id);
    assert.ok(run.results.length >= 5);
    for (const r of run.results) {
      assert.equal(ids[r.ruleIndex], r.ruleId);
      assert.ok(["error", "warning"].includes(r.level));
      const loc = r.locations[0].physicalLocation;
      assert.equal(typeof loc.artifactLocation.uri, "string");
      assert.ok(!loc.artifactLocation.uri.startsWith("/"), "relative to the repository");
    }
    const patch = run.results.find((r: { ruleId: string }) => r.ruleId === "schema/unknown-field");
    assert.deepEqual(patch.locations[0].physicalLocation, {
      artifactLocation: { uri: "kustomize/dev/web-patch.yaml", uriBaseId: "%SRCROOT%" },
      region: { startLine: 5, startColumn: 3 },
    });
    const broken = run.results.find((r: { ruleId: string }) => r.ruleId === "render");
    assert.equal(
      broken.locations[0].physicalLocation.artifactLocation.uri,
      "clusters/edge/broken.yaml",
    );
    assert.equal(typeof broken.locations[0].physicalLocation.region.startLine, "number");
  });

  test("tap: a plan that matches the test points, YAML blocks for messages", async () => {
    const result = await validate(["-o", "tap", ...args], { cwd: repo.root });
    assert.equal(result.code, 1);
    const lines = result.stdout.split("\n");
    assert.equal(lines[0], "TAP version 13");
    const plan = /^1\.\.(\d+)$/.exec(lines[1] ?? "");
    assert.ok(plan);
    const points = lines.filter((l) => /^(not )?ok \d+ - /.test(l));
    assert.equal(points.length, Number(plan[1]));
    points.forEach((l, i) => {
      assert.match(l, new RegExp(`^(not )?ok ${i + 1} - `));
    });
    assert.ok(points.some((l) => l.startsWith("not ok") && l.includes("Deployment/shop/web")));
    assert.equal(
      lines.filter((l) => l === "  ---").length,
      lines.filter((l) => l === "  ...").length,
    );
  });

  test("text: compiler-style lines and a summary", async () => {
    const result = await validate([...args, "--ignore-missing-schemas"], { cwd: repo.root });
    assert.equal(result.code, 1);
    assert.match(
      result.stdout,
      /^kustomize\/dev\/web-patch\.yaml:5:3: error: unknown field "spec\.replicaz" \[schema\/unknown-field\] \(Deployment\/shop\/web\)$/m,
    );
    assert.match(result.stdout, /^clusters\/edge\/broken\.yaml:\d+: error: invalid YAML/m);
    assert.match(
      result.stdout,
      /\d+ resources in 3 units \(Kubernetes 1\.\d+\): \d+ valid, \d+ invalid, 1 skipped; \d+ errors, \d+ warnings?\n$/,
    );
  });
});
