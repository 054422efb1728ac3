// The Rego pass with conftest's conventions, evaluated by the real opa (the local
// environment's pinned v1.22.2): deny/violation/warn with suffixes, messages and their
// positions, exceptions, namespaces, data files, Gatekeeper input, v0 policies, and one
// opa process for all documents.
import assert from "node:assert/strict";
import { chmodSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import type { Report, ResultEntry } from "../../../action/validate/report.ts";
import { resultOf } from "../../helpers/report.ts";
import { testenv } from "../../helpers/testenv.ts";
import { Fixture, lineOf, seed004, validate, WEB } from "./helpers.ts";

const fixtures: Fixture[] = [];
const repo = () => {
  const f = seed004(new Fixture("rego"));
  fixtures.push(f);
  return f;
};
after(() => {
  for (const f of fixtures) f.cleanup();
});

const POLICY = `package main

import rego.v1

deny_pinned_test_tag contains msg if {
  input.kind == "Deployment"
  some c in input.spec.template.spec.containers
  endswith(c.image, ":1.4.0")
  msg := sprintf("%s: image %s is a release candidate", [input.metadata.name, c.image])
}

violation_owner contains {"msg": msg, "details": {"label": "owner"}} if {
  input.kind == "Namespace"
  not input.metadata.labels.owner
  msg := sprintf("namespace %s has no owner label", [input.metadata.name])
}

warn contains msg if {
  input.kind == "Service"
  msg := sprintf("Service %s in %s: prefer a Gateway", [input.metadata.name, data.conftest.file.name])
}
`;

async function json(
  args: string[],
  cwd: string,
): Promise<{ code: number; report: Report; stderr: string }> {
  const result = await validate(["-o", "json", ...args], { cwd });
  assert.ok(
    result.stdout.startsWith("{"),
    `no JSON report (exit ${result.code}): ${result.stderr}`,
  );
  return { code: result.code, report: JSON.parse(result.stdout) as Report, stderr: result.stderr };
}

function policyMessages(entry: ResultEntry) {
  return entry.messages.filter((m) => m.source === "policy");
}

/** The object's result; throws when the run did not validate it (see resultOf). */
function find(report: Report, kind: string, name: string, unit = "kustomize/dev") {
  return resultOf(report, { kind, name, unit });
}

describe("Rego policies (conftest conventions, real opa)", () => {
  test("deny, violation and warn rules report their messages on the object's line", async () => {
    const r = repo().write("policy/main.rego", POLICY);
    r.write(
      "clusters/edge/apps.yaml",
      `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: edge\n  labels: {owner: ops}\n---\n${WEB.split("---")[1]?.trimStart()}`,
    );
    const { code, report } = await json(
      ["kustomize/dev", "clusters", "--policy", "policy"],
      r.root,
    );
    assert.equal(code, 1);
    const deployment = policyMessages(find(report, "Deployment", "web"));
    assert.deepEqual(deployment, [
      {
        severity: "error",
        source: "policy",
        rule: "deny_pinned_test_tag",
        message: "web: image registry.example.com/web:1.4.0 is a release candidate",
        file: "kustomize/base/web.yaml",
        line: 1,
        package: "main",
      },
    ]);
    const ns = policyMessages(find(report, "Namespace", "shop"));
    assert.equal(ns[0]?.rule, "violation_owner");
    assert.equal(ns[0]?.message, "namespace shop has no owner label");
    assert.equal(ns[0]?.file, "kustomize/base/namespace.yaml");
    // warn is a warning; data.conftest.file.name is the file the object came from.
    const svc = policyMessages(find(report, "Service", "web", "clusters"));
    assert.deepEqual(
      svc.map((m) => [m.severity, m.rule, m.message, m.file, m.line]),
      [
        [
          "warning",
          "warn",
          "Service web in clusters/edge/apps.yaml: prefer a Gateway",
          "clusters/edge/apps.yaml",
          7,
        ],
      ],
    );
    assert.deepEqual(policyMessages(find(report, "Namespace", "edge", "clusters")), []);
    assert.equal(report.summary.warnings, 2);
  });

  test("warnings alone exit 0 unless --fail-on-warning", async () => {
    const r = repo().write(
      "policy/warn.rego",
      'package main\n\nwarn_replicas contains "one replica" if input.spec.replicas == 1\n',
    );
    const plain = await validate(["kustomize/dev", "--policy", "policy"], { cwd: r.root });
    assert.equal(plain.code, 0, plain.stdout + plain.stderr);
    // A policy message is about the whole object: the base document that defines it.
    assert.match(
      plain.stdout,
      /^kustomize\/base\/web\.yaml:1: warning: one replica \[policy\/warn_replicas\] \(Deployment\/shop\/web\)$/m,
    );
    const failing = await validate(["kustomize/dev", "--policy", "policy", "--fail-on-warning"], {
      cwd: r.root,
    });
    assert.equal(failing.code, 1);
  });

  test("exceptions exempt an object from named rules and are counted", async () => {
    const r = repo().write("policy/main.rego", POLICY);
    r.write(
      "policy/exceptions.rego",
      `package main

import rego.v1

exception contains rules if {
  input.kind == "Deployment"
  input.metadata.name == "web"
  rules := ["pinned_test_tag"]
}

# "" exempts the bare deny/violation/warn rules.
exception contains rules if {
  input.kind == "Service"
  rules := [""]
}
`,
    );
    const { code, report } = await json(["kustomize/dev", "--policy", "policy"], r.root);
    assert.equal(code, 1, "violation_owner still fails");
    assert.deepEqual(policyMessages(find(report, "Deployment", "web")), []);
    assert.deepEqual(find(report, "Deployment", "web")?.exceptions, [
      { package: "main", rule: "deny_pinned_test_tag" },
    ]);
    assert.deepEqual(find(report, "Service", "web")?.exceptions, [
      { package: "main", rule: "warn" },
    ]);
    assert.equal(report.summary.exceptions, 2);
    assert.equal(report.summary.warnings, 0);
    const text = await validate(["kustomize/dev", "--policy", "policy"], {
      cwd: r.root,
      exit: 1,
    });
    assert.match(text.stdout, /, 2 exceptions\n$/);
  });

  test("--namespace picks packages, --all-namespaces takes them all; --data feeds data files", async () => {
    const r = repo();
    r.write(
      "policy/images.rego",
      `package images

import rego.v1

deny contains msg if {
  some c in input.spec.template.spec.containers
  registry := split(c.image, "/")[0]
  not registry in data.registries.allowed
  msg := sprintf("registry %s is not allowed", [registry])
}
`,
    );
    r.write(
      "policy/labels.rego",
      'package labels\n\nimport rego.v1\n\nwarn contains "no team label" if not input.metadata.labels.team\n',
    );
    r.write("policy-data/registries.yaml", "registries:\n  allowed: [ghcr.io]\n");
    const images = await json(
      ["kustomize/dev", "--policy", "policy", "--namespace", "images", "--data", "policy-data"],
      r.root,
    );
    assert.equal(images.code, 1);
    assert.deepEqual(
      policyMessages(find(images.report, "Deployment", "web")).map((m) => [m.package, m.message]),
      [["images", "registry registry.example.com is not allowed"]],
    );
    assert.equal(images.report.summary.warnings, 0, "labels is not evaluated");

    r.write(
      "policy-data/registries.yaml",
      "registries:\n  allowed: [ghcr.io, registry.example.com]\n",
    );
    const all = await json(
      ["kustomize/dev", "--policy", "policy", "--all-namespaces", "--data", "policy-data"],
      r.root,
    );
    assert.equal(all.code, 0, JSON.stringify(all.report.results.flatMap((e) => e.messages)));
    // Every object but the Namespace (labelled team) lacks a team label.
    assert.equal(all.report.summary.warnings, 5);
    assert.ok(all.report.results.every((e) => e.messages.every((m) => m.package !== "images")));

    const main = await validate(["kustomize/dev", "--policy", "policy"], { cwd: r.root });
    assert.equal(main.code, 0);
    assert.match(main.stderr, /no deny, violation or warn rules in the Rego package main/);
  });

  test("--gatekeeper-input gives input.review.object and input.parameters", async () => {
    const r = repo();
    r.write(
      "gatekeeper/required-labels.rego",
      `package k8srequiredlabels

import rego.v1

violation contains {"msg": msg} if {
  provided := {l | some l, _ in input.review.object.metadata.labels}
  required := {l | some l in input.parameters.labels}
  missing := required - provided
  count(missing) > 0
  msg := sprintf("%s %s is missing labels %v", [input.review.kind.kind, input.review.object.metadata.name, missing])
}
`,
    );
    r.write("gatekeeper/parameters.yaml", "labels: [app]\n");
    const { code, report } = await json(
      [
        "kustomize/dev",
        "--policy",
        "gatekeeper",
        "--namespace",
        "k8srequiredlabels",
        "--gatekeeper-input",
        "--parameters",
        "gatekeeper/parameters.yaml",
      ],
      r.root,
    );
    assert.equal(code, 1);
    const failing = report.results.filter((e) => policyMessages(e).length > 0);
    assert.deepEqual(
      failing.map((e) => policyMessages(e)[0]?.message),
      [
        'Namespace shop is missing labels {"app"}',
        'CustomResourceDefinition widgets.example.com is missing labels {"app"}',
      ],
    );
  });

  test("v0 policies (seed 004's deprek8ion style) run with --rego-version v0", async () => {
    const r = repo();
    r.write(
      "policy/deprek8ion.rego",
      'package main\n\ndeny[msg] {\n  input.apiVersion == "apps/v1"\n  input.kind == "Deployment"\n  input.spec.replicas < 2\n  msg := sprintf("%s: fewer than 2 replicas", [input.metadata.name])\n}\n',
    );
    const v1 = await json(["kustomize/dev", "--policy", "policy"], r.root);
    assert.equal(v1.code, 1);
    const problem = v1.report.results.find((e) => e.unit === "(policies)");
    assert.equal(problem?.messages[0]?.file, "policy/deprek8ion.rego");
    assert.equal(problem?.messages[0]?.line, 3);
    assert.match(problem?.messages[0]?.message ?? "", /rego_parse_error/);

    // Both overlays: prd (4 replicas) is validated too, and has no message.
    const v0 = await json(
      ["kustomize/dev", "kustomize/prd", "--policy", "policy", "--rego-version", "v0"],
      r.root,
    );
    assert.equal(v0.code, 1);
    assert.deepEqual(
      policyMessages(find(v0.report, "Deployment", "web")).map((m) => m.message),
      ["web: fewer than 2 replicas"],
    );
    assert.deepEqual(policyMessages(find(v0.report, "Deployment", "web", "kustomize/prd")), []);
  });

  test("a rule without a msg, and a conflict at run time, are errors on the policy", async () => {
    const r = repo();
    r.write(
      "policy/odd.rego",
      'package main\n\nimport rego.v1\n\ndeny contains {"message": "no msg key"} if input.kind == "Namespace"\n',
    );
    const { code, report } = await json(["kustomize/dev", "--policy", "policy"], r.root);
    assert.equal(code, 1);
    assert.match(
      policyMessages(find(report, "Namespace", "shop"))[0]?.message ?? "",
      /"msg" string/,
    );

    r.write(
      "policy/odd.rego",
      'package main\n\nimport rego.v1\n\nname := input.metadata.name\nname := "other" if input.kind == "Service"\n\ndeny contains name if input.kind == "Service"\n',
    );
    const conflict = await json(["kustomize/dev", "--policy", "policy"], r.root);
    assert.equal(conflict.code, 1);
    const problem = conflict.report.results.find((e) => e.unit === "(policies)");
    assert.equal(problem?.messages[0]?.file, "policy/odd.rego");
    assert.match(problem?.messages[0]?.message ?? "", /conflict/);
  });

  test("all documents of all units go to one opa eval (after one capabilities query)", async () => {
    const r = repo().write("policy/main.rego", POLICY);
    const realOpa = join(testenv().path.split(":")[0] as string, "opa");
    const log = r.path("opa-calls.log");
    r.write("counting-opa", `#!/bin/sh\necho "$1" >> '${log}'\nexec '${realOpa}' "$@"\n`);
    chmodSync(r.path("counting-opa"), 0o755);
    const { code, report } = await json(
      ["kustomize", "--policy", "policy", "--opa", r.path("counting-opa")],
      r.root,
    );
    assert.equal(code, 1, "deny_pinned_test_tag fails the run");
    assert.equal(report.summary.resources, 12);
    // `opa capabilities --current` gives the builtins to withhold from (see rego.ts).
    assert.equal(readFileSync(log, "utf8"), "capabilities\neval\n");
    assert.equal(
      report.results.filter((e) => policyMessages(e).some((m) => m.rule === "deny_pinned_test_tag"))
        .length,
      2,
    );
  });

  test("positions of policy messages in a multi-document file point at the right document", async () => {
    const r = repo().write("policy/main.rego", POLICY);
    const text = [
      "apiVersion: v1",
      "kind: Namespace",
      "metadata: {name: a, labels: {owner: x}}",
      "---",
      "apiVersion: v1",
      "kind: Namespace",
      "metadata: {name: b}",
      "",
    ].join("\n");
    r.write("ns.yaml", text);
    const { code, report } = await json(["ns.yaml", "--policy", "policy"], r.root);
    assert.equal(code, 1, "namespace b has no owner label");
    const b = resultOf(report, { kind: "Namespace", name: "b" });
    assert.equal(policyMessages(b)[0]?.line, lineOf(text, "apiVersion", 2));
  });
});
