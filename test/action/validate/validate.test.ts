// `tether validate` end to end on fixture repositories shaped like seed 004 (base plus an
// overlay per environment), with the real kustomize from the local environment: verdicts,
// exit codes, and the file:line:column of every finding.
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import type { Report, ResultEntry } from "../../../action/validate/report.ts";
import { resultOf } from "../../helpers/report.ts";
import { Fixture, lineOf, seed004, validate, WEB } from "./helpers.ts";

const fixtures: Fixture[] = [];
const fixture = (prefix?: string) => {
  const f = new Fixture(prefix);
  fixtures.push(f);
  return f;
};
after(() => {
  for (const f of fixtures) f.cleanup();
});

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

function find(report: Report, kind: string, name: string, unit?: string): ResultEntry {
  return resultOf(report, { kind, name, ...(unit ? { unit } : {}) });
}

describe("tether validate on a seed-004 repository", () => {
  test("a clean repository passes: each overlay is a unit, the base is validated through them", async () => {
    const repo = seed004(fixture());
    const { code, report, stderr } = await json([], repo.root);
    assert.equal(code, 0, stderr);
    assert.deepEqual(
      report.units.map((u) => [u.name, u.renderer, u.resources, u.invalid]),
      [
        ["kustomize/dev", "kustomize", 6, 0],
        ["kustomize/prd", "kustomize", 6, 0],
      ],
    );
    assert.deepEqual(
      { ...report.summary },
      {
        resources: 12,
        valid: 12,
        invalid: 0,
        skipped: 0,
        errors: 0,
        warnings: 0,
        exceptions: 0,
        units: 2,
      },
    );
    // Rendered objects point at the base file that defines them, not at the overlay.
    const service = find(report, "Service", "web", "kustomize/prd");
    assert.equal(service.file, "kustomize/base/web.yaml");
    assert.equal(service.line, lineOf(WEB, "kind: Service") - 1);
    // The text format says the same in one line.
    const text = await validate([], { cwd: repo.root });
    assert.equal(text.code, 0, text.stderr);
    assert.match(
      text.stdout,
      /^12 resources in 2 units \(Kubernetes 1\.\d+\): 12 valid, 0 invalid, 0 skipped; 0 errors, 0 warnings\n$/,
    );
  });

  test("an unknown field fails with the line and column of that field in its document", async () => {
    const repo = fixture();
    const apps = [
      "# edge cluster apps",
      "apiVersion: v1",
      "kind: ConfigMap",
      "metadata: {name: one, namespace: edge}",
      "data: {a: '1'}",
      "---",
      "apiVersion: v1",
      "kind: ConfigMap",
      "metadata:",
      "  name: two",
      "  namespace: edge",
      "data: {b: '2'}",
      "---",
      WEB.split("---")[0]?.replace("      containers:", "      containerz: []\n      containers:"),
    ].join("\n");
    repo.write("clusters/edge/apps.yaml", apps);
    const { code, report } = await json(["clusters"], repo.root);
    assert.equal(code, 1);
    const deployment = find(report, "Deployment", "web");
    assert.equal(deployment.status, "invalid");
    assert.equal(deployment.file, "clusters/edge/apps.yaml");
    assert.equal(deployment.line, lineOf(apps, "apiVersion: apps/v1"));
    assert.deepEqual(deployment.messages, [
      {
        severity: "error",
        source: "schema",
        rule: "unknown-field",
        message: 'unknown field "spec.template.spec.containerz"',
        file: "clusters/edge/apps.yaml",
        line: lineOf(apps, "containerz"),
        column: 7,
        field: "spec.template.spec.containerz",
      },
    ]);
    assert.equal(find(report, "ConfigMap", "two").line, 7);
    assert.equal(find(report, "ConfigMap", "two").status, "valid");
    const text = await validate(["clusters"], { cwd: repo.root, exit: 1 });
    assert.match(
      text.stdout,
      new RegExp(
        `^clusters/edge/apps\\.yaml:${lineOf(apps, "containerz")}:7: error: unknown field "spec\\.template\\.spec\\.containerz" \\[schema/unknown-field\\] \\(Deployment/shop/web\\)$`,
        "m",
      ),
    );
  });

  test("a removed API fails with its replacement; a deprecated one warns on older versions", async () => {
    const repo = fixture();
    const text = [
      "apiVersion: v1",
      "kind: Namespace",
      "metadata: {name: net}",
      "---",
      "apiVersion: policy/v1beta1",
      "kind: PodDisruptionBudget",
      "metadata: {name: web, namespace: net}",
      "spec: {minAvailable: 1, selector: {matchLabels: {app: web}}}",
      "---",
      "apiVersion: networking.k8s.io/v1beta1",
      "kind: ServiceCIDR",
      "metadata: {name: extra}",
      "spec: {cidrs: [10.96.0.0/16]}",
      "",
    ].join("\n");
    repo.write("net.yaml", text);
    const newest = await json(["net.yaml", "--kubernetes-version", "1.37"], repo.root);
    assert.equal(newest.code, 1);
    const pdb = find(newest.report, "PodDisruptionBudget", "web");
    assert.equal(
      pdb.messages.length,
      1,
      "the missing schema is not reported on top of the removal",
    );
    assert.equal(pdb.messages[0]?.rule, "removed-api");
    assert.equal(pdb.messages[0]?.source, "deprecation");
    assert.equal(pdb.messages[0]?.line, 5);
    assert.match(
      pdb.messages[0]?.message ?? "",
      /removed in v1\.25\); use policy\/v1 PodDisruptionBudget/,
    );
    assert.match(
      find(newest.report, "ServiceCIDR", "extra").messages[0]?.message ?? "",
      /use networking\.k8s\.io\/v1 ServiceCIDR/,
    );

    // On 1.36 ServiceCIDR v1beta1 is still served: a warning, which alone exits 0.
    repo.write(
      "net.yaml",
      text
        .split("---")
        .filter((d) => !d.includes("policy/v1beta1"))
        .join("---"),
    );
    const older = await json(["net.yaml", "--kubernetes-version", "v1.36.2"], repo.root);
    assert.equal(older.code, 0);
    assert.equal(older.report.kubernetesVersion, "1.36");
    const cidr = find(older.report, "ServiceCIDR", "extra");
    assert.equal(cidr.status, "valid");
    assert.equal(cidr.messages[0]?.severity, "warning");
    assert.equal(cidr.messages[0]?.rule, "deprecated-api");
    assert.equal(cidr.messages[0]?.line, 5);
    const strict = await validate(
      ["net.yaml", "--kubernetes-version", "1.36", "--fail-on-warning"],
      { cwd: repo.root },
    );
    assert.equal(strict.code, 1, strict.stdout);
  });

  test("duplicate keys and a missing apiVersion are render errors on their line", async () => {
    const repo = fixture();
    repo.write("dup.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n");
    repo.write(
      "noapi.yaml",
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: fine}\n---\nkind: ConfigMap\nmetadata: {name: c}\n",
    );
    const { code, report } = await json(["dup.yaml", "noapi.yaml"], repo.root);
    assert.equal(code, 1);
    const errors = report.results.filter((r) => r.kind === "").map((r) => r.messages[0]);
    assert.deepEqual(
      errors.map((m) => [m?.source, m?.file, m?.line, m?.message.replace(/:.*/, "")]),
      [
        ["render", "dup.yaml", 5, "invalid YAML"],
        ["render", "noapi.yaml", 5, "apiVersion is missing"],
      ],
    );
    assert.match(errors[0]?.message ?? "", /unique/i);
  });

  test("overlay findings land on the patch that sets the field, else on the base", async () => {
    const repo = seed004(fixture());
    // dev's patch file adds an unknown field; prd's inline patch a wrong type; the base an
    // unknown field that both overlays render.
    repo.write(
      "kustomize/dev/web-patch.yaml",
      "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  replicas: 1\n  paused: false\n  revisionHistoryLimits: 3\n",
    );
    repo.write(
      "kustomize/prd/kustomization.yaml",
      'resources:\n  - ../base\npatches:\n  - patch: |-\n      apiVersion: apps/v1\n      kind: Deployment\n      metadata:\n        name: web\n        namespace: shop\n      spec:\n        replicas: "four"\n',
    );
    repo.write(
      "kustomize/base/web.yaml",
      WEB.replace("  selector: {app: web}", "  selector: {app: web}\n  clusterIPz: None"),
    );
    const { code, report } = await json(["kustomize"], repo.root);
    assert.equal(code, 1);
    const dev = find(report, "Deployment", "web", "kustomize/dev");
    assert.deepEqual(
      dev.messages.map((m) => [m.file, m.line, m.column, m.field]),
      [["kustomize/dev/web-patch.yaml", 9, 3, "spec.revisionHistoryLimits"]],
    );
    const prd = find(report, "Deployment", "web", "kustomize/prd");
    assert.deepEqual(
      prd.messages.map((m) => [m.file, m.line, m.column, m.rule]),
      [["kustomize/prd/kustomization.yaml", 11, 9, "type"]],
    );
    for (const unit of ["kustomize/dev", "kustomize/prd"]) {
      const svc = find(report, "Service", "web", unit);
      const base = WEB.replace(
        "  selector: {app: web}",
        "  selector: {app: web}\n  clusterIPz: None",
      );
      assert.deepEqual(
        svc.messages.map((m) => [m.file, m.line, m.column]),
        [["kustomize/base/web.yaml", lineOf(base, "clusterIPz"), 3]],
      );
    }
    // In text, the base problem is one line naming both overlays.
    const text = await validate(["kustomize"], { cwd: repo.root, exit: 1 });
    const lines = text.stdout.split("\n").filter((l) => l.includes("clusterIPz"));
    assert.equal(lines.length, 1, text.stdout);
    assert.match(lines[0] ?? "", /units kustomize\/dev, kustomize\/prd/);
  });

  test("a failing kustomize build is a result on the kustomization line, and other units go on", async () => {
    const repo = seed004(fixture());
    repo.write("kustomize/stg/kustomization.yaml", "resources:\n  - ../base\n  - missing.yaml\n");
    const { code, report } = await json(["kustomize"], repo.root);
    assert.equal(code, 1);
    const failed = report.results.filter((r) => r.unit === "kustomize/stg");
    assert.equal(failed.length, 1);
    assert.equal(failed[0]?.messages[0]?.source, "render");
    assert.equal(failed[0]?.file, "kustomize/stg/kustomization.yaml");
    assert.equal(failed[0]?.line, 3);
    assert.match(failed[0]?.messages[0]?.message ?? "", /kustomize build failed: .*missing\.yaml/);
    assert.equal(report.units.find((u) => u.name === "kustomize/dev")?.valid, 6);
  });

  test("custom resources are checked against CRDs in the paths or from --crds", async () => {
    const repo = seed004(fixture());
    repo.write(
      "kustomize/base/widget.yaml",
      "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: gear\n  namespace: shop\nspec:\n  size: big\n  color: green\n",
    );
    repo.write(
      "apps/widget.yaml",
      "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w2}\nspec: {size: 2, shape: round}\n",
    );
    repo.write(
      "apps/gadget.yaml",
      "apiVersion: example.com/v1\nkind: Gadget\nmetadata: {name: g}\n",
    );
    const { code, report } = await json(["kustomize/dev", "apps"], repo.root);
    assert.equal(code, 1, "gear and w2 are invalid");
    const gear = find(report, "Widget", "gear");
    assert.deepEqual(
      gear.messages.map((m) => [m.rule, m.line]),
      [
        ["type", 7],
        ["enum", 8],
      ],
    );
    // The CRD in kustomize/base backs apps/ too: CRDs of every unit count.
    assert.deepEqual(
      find(report, "Widget", "w2").messages.map((m) => m.message),
      ['unknown field "spec.shape"'],
    );
    const gadget = find(report, "Gadget", "g");
    assert.equal(gadget.messages[0]?.rule, "missing-schema");

    // Alone, apps/ needs the CRD from --crds; an unknown kind can be ignored.
    const alone = await json(
      ["apps", "--crds", "kustomize/base/crds", "--ignore-missing-schemas"],
      repo.root,
    );
    assert.equal(alone.code, 1);
    assert.equal(find(alone.report, "Widget", "w2").status, "invalid");
    assert.equal(find(alone.report, "Gadget", "g").status, "skipped");
    assert.equal(alone.report.summary.skipped, 1);
  });

  test("--skip and --reject take kinds and apiVersion/kind", async () => {
    const repo = fixture();
    repo.write(
      "all.yaml",
      "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nbogus: true\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n",
    );
    const { code, report } = await json(
      ["all.yaml", "--skip", "v1/Secret", "--reject", "ConfigMap"],
      repo.root,
    );
    assert.equal(code, 1);
    assert.equal(find(report, "Secret", "s").status, "skipped");
    assert.equal(find(report, "ConfigMap", "c").messages[0]?.rule, "rejected-kind");
    const loose = await json(["all.yaml", "--no-strict"], repo.root);
    assert.equal(loose.code, 0, JSON.stringify(loose.report.results));
  });

  test("--changed-files validates only the units the changes touch", async () => {
    const repo = seed004(fixture());
    repo.write(
      "clusters/edge/cm.yaml",
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: edge}\n",
    );
    repo.write("changes.txt", "kustomize/dev/web-patch.yaml\n");
    const dev = await json(["--changed-files", "changes.txt"], repo.root);
    assert.equal(dev.code, 0, dev.stderr);
    assert.deepEqual(
      dev.report.units.map((u) => u.name),
      ["kustomize/dev"],
    );
    assert.match(dev.stderr, /1 of 3 unit\(s\) touched/);
    // A base file touches every overlay built on it; a deleted file counts too.
    repo.write("changes.txt", "./kustomize/base/gone.yaml\n");
    const base = await json(["--changed-files", "changes.txt"], repo.root);
    assert.equal(base.code, 0, base.stderr);
    assert.deepEqual(
      base.report.units.map((u) => u.name),
      ["kustomize/dev", "kustomize/prd"],
    );
    const none = await validate(["--changed-files", "-", "-o", "json"], {
      cwd: repo.root,
      input: "README.md\n",
    });
    assert.equal(none.code, 0);
    assert.equal((JSON.parse(none.stdout) as Report).summary.units, 0);
  });

  test("usage errors exit 2 and say what to do", async () => {
    const repo = seed004(fixture());
    const cases: [string[], RegExp][] = [
      [["--no-such-flag"], /unknown option/],
      [["--kubernetes-version", "1.2"], /not bundled; bundled schemas cover 1\.\d+/],
      [["nope/"], /nope\/: no such file or folder/],
      [["kustomize/*/missing"], /matches nothing/],
      [["-o", "yaml"], /unknown format/],
      [["--namespace", "main"], /need --policy/],
      [["--policy", "policies"], /policies: no such file or folder/],
      [["--fail-on", "info"], /use error or warning/],
    ];
    for (const [args, message] of cases) {
      const result = await validate(args, { cwd: repo.root });
      assert.equal(result.code, 2, `${args.join(" ")}: ${result.stderr}`);
      assert.match(result.stderr, message);
    }
    repo.write("policy/p.rego", 'package main\n\ndeny contains "x" if false\n');
    const noOpa = await validate(["--policy", "policy", "--opa", "/nonexistent/opa"], {
      cwd: repo.root,
    });
    assert.equal(noOpa.code, 2);
    assert.match(noOpa.stderr, /not found: install OPA/);
  });

  test("globs select units, and the files passed directly are read as they are", async () => {
    const repo = seed004(fixture());
    repo.write("kustomize/stg/kustomization.yaml", "resources: [../base]\n");
    const { code, report } = await json(
      ["kustomize/{dev,stg}", "kustomize/base/web.yaml"],
      repo.root,
    );
    assert.equal(code, 0);
    assert.deepEqual(
      report.units.map((u) => [u.name, u.renderer]),
      [
        ["kustomize/dev", "kustomize"],
        ["kustomize/stg", "kustomize"],
        ["kustomize/base/web.yaml", "file"],
      ],
    );
    assert.equal(find(report, "Service", "web", "kustomize/base/web.yaml").line, 21);
    // Paths start from the working folder; names in reports from --root.
    const sub = await validate(["--root", "..", "-o", "json", "dev"], {
      cwd: repo.path("kustomize"),
    });
    assert.equal(sub.code, 0, sub.stderr);
    assert.deepEqual(
      (JSON.parse(sub.stdout) as Report).units.map((u) => u.name),
      ["kustomize/dev"],
    );
    const outside = await validate(["--root", "kustomize/dev", "kustomize/prd"], {
      cwd: repo.root,
    });
    assert.equal(outside.code, 2);
    assert.match(outside.stderr, /outside the repository root/);
  });
});
