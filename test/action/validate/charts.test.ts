// Charts in `tether validate` and `tether render`: a chart folder renders with its
// values.yaml; HelmReleases render from the charts they can reach (here the local
// registry over OCI, the chart server that needs credentials validate lacks, and a
// chart folder of the repository), post-rendered as the agent installs them
// (shared/charts/postrender.ts): a postRenderers patch that breaks or fixes an object,
// or a label a policy asks for, is seen by the pull request.
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { expandHelmReleases, valuesPointerOf } from "../../../action/validate/helm-releases.ts";
import type { RenderedUnit } from "../../../action/validate/render.ts";
import { parseManifests } from "../../../shared/manifests/parse.ts";
import { selfGitRepositoryYaml } from "../../helpers/charts.ts";
import { chartsEnv } from "../../helpers/testenv.ts";
import { tether } from "../../helpers/tether.ts";
import { Fixture, lineOf, validate } from "./helpers.ts";

const chartSource = fileURLToPath(new URL("../../env/charts/app-demo", import.meta.url));
const cache = mkdtempSync(join(tmpdir(), "tether-chart-cache-"));

interface JsonReport {
  results: {
    file: string;
    line?: number;
    kind: string;
    name: string;
    status: string;
    messages: { severity: string; message: string; file: string; line?: number; column?: number }[];
  }[];
}

test("a rendered value is traced to the one values key that holds it, or not at all", () => {
  const values = {
    replicas: "many",
    image: { repository: "registry.local/app", tag: "RELEASE.1" },
    "a/b": [{ name: "x1" }],
    enabled: true,
    one: 1,
    two: 1,
  };
  assert.equal(valuesPointerOf(values, "many"), "/replicas");
  assert.equal(valuesPointerOf(values, "x1"), "/a~1b/0/name");
  // A tag inside "repository:tag" (the repository is also inside: not unique).
  assert.equal(valuesPointerOf({ tag: "RELEASE.1" }, "registry.local/app:RELEASE.1"), "/tag");
  assert.equal(valuesPointerOf(values, "registry.local/app:RELEASE.1"), undefined);
  // Not traced: equal to two values, a boolean, nothing like it.
  assert.equal(valuesPointerOf(values, 1), undefined);
  assert.equal(valuesPointerOf(values, true), undefined);
  assert.equal(valuesPointerOf(values, "elsewhere"), undefined);
  assert.equal(valuesPointerOf(undefined, "many"), undefined);
});

/**
 * The app-demo chart at charts/app (plus a ConfigMap marked local-config), a
 * GitRepository for it and the HelmRelease apps/demo, `extra` the last lines of its spec.
 */
function chartInGitRelease(f: Fixture, extra: string): string {
  cpSync(chartSource, f.path("charts/app"), { recursive: true });
  // A ConfigMap the chart marks local-config: the post-renderer drops it.
  f.write(
    "charts/app/templates/local.yaml",
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-local\n  annotations:\n    config.kubernetes.io/local-config: "true"\n',
  );
  const text = `${selfGitRepositoryYaml("apps", "https://git.example.invalid/fleet.git")}---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: demo
  namespace: apps
spec:
  interval: 5m
  chart:
    spec:
      chart: ./charts/app
      sourceRef:
        kind: GitRepository
        name: self
${extra}`;
  f.write("apps/release.yaml", text);
  return text;
}

const replicasPatch = (value: string) => `  postRenderers:
    - kustomize:
        patches:
          - target:
              kind: Deployment
            patch: |
              - op: replace
                path: /spec/replicas
                value: ${value}
`;

describe("charts in validate and render", { timeout: 300_000 }, () => {
  const fixtures: Fixture[] = [];
  const fixture = () => {
    const f = new Fixture("charts");
    fixtures.push(f);
    return f;
  };
  after(() => {
    for (const f of fixtures) f.cleanup();
    rmSync(cache, { recursive: true, force: true });
  });

  test("a folder with Chart.yaml renders with its values.yaml and validates", async () => {
    const f = fixture();
    cpSync(chartSource, f.path("chart"), { recursive: true });
    const ok = await validate(["chart", "-o", "json", "--chart-cache", cache], { cwd: f.root });
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    const report = JSON.parse(ok.stdout) as JsonReport;
    assert.deepEqual(report.results.map((r) => `${r.kind}/${r.name} ${r.file}`).sort(), [
      "ConfigMap/app-demo-config chart/templates/configmap.yaml",
      "Deployment/app-demo chart/templates/deployment.yaml",
    ]);
    // A values.yaml that makes the chart produce an invalid object fails validation.
    f.write("chart/values.yaml", "image: x\nreplicas: many\nmessage: hi\n");
    const bad = await validate(["chart", "-o", "json", "--chart-cache", cache], { cwd: f.root });
    assert.equal(bad.code, 1, bad.stdout + bad.stderr);
    const invalid = (JSON.parse(bad.stdout) as JsonReport).results.filter(
      (r) => r.status === "invalid",
    );
    assert.equal(invalid.length, 1);
    assert.equal(invalid[0]?.file, "chart/templates/deployment.yaml");
    assert.match(invalid[0]?.messages[0]?.message ?? "", /replicas/);
    // tether render prints what the chart produces.
    f.write("chart/values.yaml", "image: shown:1\nreplicas: 1\nmessage: hi\n");
    const rendered = await tether(["render", f.path("chart")]);
    assert.equal(rendered.code, 0, rendered.stderr);
    assert.match(rendered.stdout, /# Source: .*templates\/deployment\.yaml\n/);
    assert.match(rendered.stdout, /image: shown:1/);
  });

  test("a HelmRelease's chart is rendered with its values; findings point at the values", async () => {
    const charts = chartsEnv();
    const f = fixture();
    f.write(
      "apps/release.yaml",
      `apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata:
  name: oci-charts
  namespace: apps
spec:
  type: oci
  insecure: true
  url: ${charts.oci}
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: demo
  namespace: apps
spec:
  interval: 5m
  chart:
    spec:
      chart: app-demo
      version: ">=0.1.0 <0.2.0"
      sourceRef:
        kind: HelmRepository
        name: oci-charts
  values:
    replicas: many
`,
    );
    const result = await validate(["apps", "-o", "json", "--chart-cache", cache], { cwd: f.root });
    assert.equal(result.code, 1, result.stdout + result.stderr);
    const report = JSON.parse(result.stdout) as JsonReport;
    const deployment = report.results.find((r) => r.kind === "Deployment");
    assert.equal(deployment?.status, "invalid");
    assert.equal(deployment?.file, "apps/release.yaml");
    const message = deployment?.messages[0];
    assert.match(
      message?.message ?? "",
      /^chart app-demo@0\.1\.1 of HelmRelease apps\/demo: .*replicas/,
    );
    assert.equal(message?.line, 26, "the line of the value the finding is about");
    assert.equal(message?.column, 5);
  });

  test("a source outside the validated paths is a note, said once for all its releases", async () => {
    const release = (name: string) => `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: ${name}
  namespace: apps
spec:
  interval: 5m
  chart:
    spec:
      chart: app-demo
      sourceRef:
        kind: HelmRepository
        name: elsewhere
`;
    const f = fixture();
    // A source of that name in another namespace is not the releases' source.
    f.write(
      "apps/releases.yaml",
      `apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata:
  name: elsewhere
  namespace: other
spec:
  url: http://127.0.0.1:9/charts
---
${release("one")}---
${release("two")}`,
    );
    const result = await validate(["apps", "-o", "json", "--chart-cache", cache], { cwd: f.root });
    assert.equal(result.code, 0, result.stdout + result.stderr);
    const notes = result.stderr.split("\n").filter((l) => l.startsWith("note: "));
    assert.deepEqual(notes, [
      "note: chart app-demo@* from HelmRepository/apps/elsewhere: not rendered, its source is not in the validated paths (2 times)",
    ]);
    const report = JSON.parse(result.stdout) as JsonReport;
    assert.deepEqual(
      report.results.flatMap((r) => r.messages.filter((m) => m.severity === "warning")),
      [],
    );
  });

  test("a chart that cannot be reached is a warning naming it, not a crash", async () => {
    const charts = chartsEnv();
    const f = fixture();
    f.write(
      "apps/release.yaml",
      `apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata:
  name: private
  namespace: apps
spec:
  url: ${charts.url}
  secretRef:
    name: creds-only-in-the-cluster
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: demo
  namespace: apps
spec:
  interval: 5m
  chart:
    spec:
      chart: app-demo
      sourceRef:
        kind: HelmRepository
        name: private
`,
    );
    const result = await validate(["apps", "-o", "json", "--chart-cache", cache], { cwd: f.root });
    assert.equal(result.code, 0, result.stdout + result.stderr);
    const warnings = (JSON.parse(result.stdout) as JsonReport).results.flatMap((r) =>
      r.messages.filter((m) => m.severity === "warning"),
    );
    assert.equal(warnings.length, 1);
    assert.match(
      warnings[0]?.message ?? "",
      /chart app-demo@\* from HelmRepository\/apps\/private not rendered: .*HTTP 401/,
    );
    assert.equal(warnings[0]?.file, "apps/release.yaml");
  });

  test("a chart URL with credentials is named without them in warnings", async () => {
    const f = fixture();
    f.write(
      "apps/release.yaml",
      `apiVersion: helm.fluxcd.io/v1
kind: HelmRelease
metadata:
  name: legacy
  namespace: apps
spec:
  chart:
    repository: http://bot:tok3nS3CRET@127.0.0.1:9/charts
    name: app-demo
    version: 0.1.0
`,
    );
    const result = await validate(
      ["apps", "-o", "json", "--ignore-missing-schemas", "--chart-cache", cache],
      { cwd: f.root },
    );
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.doesNotMatch(result.stdout + result.stderr, /tok3nS3CRET/);
    const warnings = (JSON.parse(result.stdout) as JsonReport).results.flatMap((r) =>
      r.messages.filter((m) => m.severity === "warning"),
    );
    assert.equal(warnings.length, 1);
    assert.match(
      warnings[0]?.message ?? "",
      /^chart app-demo@0\.1\.0 from http:\/\/\*\*\*@127\.0\.0\.1:9\/charts not rendered: /,
    );
  });

  test("offline: an unreachable repository renders from the cached index and chart, and says so", async () => {
    // A chart repository without auth (validate has no Secrets), serving the test charts.
    const charts = chartsEnv();
    const server = createServer((req, res) => {
      const name = (req.url ?? "/").slice(1);
      if (name === "index.yaml") {
        const text = readFileSync(join(charts.dir, "index.yaml"), "utf8");
        res.end(text.replaceAll(charts.url, url));
      } else if (/^app-demo-[\d.]+\.tgz$/.test(name)) {
        res.end(readFileSync(join(charts.dir, name)));
      } else res.writeHead(404).end();
    });
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const offlineCache = mkdtempSync(join(tmpdir(), "tether-chart-cache-offline-"));
    const f = fixture();
    const release = `apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata:
  name: public
  namespace: apps
spec:
  url: ${url}
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: demo
  namespace: apps
spec:
  interval: 5m
  chart:
    spec:
      chart: app-demo
      version: "0.1.x"
      sourceRef:
        kind: HelmRepository
        name: public
`;
    f.write("apps/release.yaml", release);
    const kinds = (stdout: string) =>
      (JSON.parse(stdout) as JsonReport).results.map((r) => r.kind).sort();
    try {
      const online = await validate(["apps", "-o", "json", "--chart-cache", offlineCache], {
        cwd: f.root,
      });
      assert.equal(online.code, 0, online.stdout + online.stderr);
      assert.deepEqual(kinds(online.stdout), [
        "ConfigMap",
        "Deployment",
        "HelmRelease",
        "HelmRepository",
      ]);
      assert.doesNotMatch(online.stderr, /unreachable/);
    } finally {
      server.close();
    }
    try {
      // The server is gone: the cached index and package are used, and a note says so.
      const offline = await validate(["apps", "-o", "json", "--chart-cache", offlineCache], {
        cwd: f.root,
      });
      assert.equal(offline.code, 0, offline.stdout + offline.stderr);
      assert.deepEqual(kinds(offline.stdout), [
        "ConfigMap",
        "Deployment",
        "HelmRelease",
        "HelmRepository",
      ]);
      assert.match(
        offline.stderr,
        /note: chart app-demo@0\.1\.x from HelmRepository\/apps\/public: repository unreachable \(.*ECONNREFUSED.*\); used the cached index and chart/,
      );
      // Without a cache: a warning that names the chart.
      const empty = mkdtempSync(join(tmpdir(), "tether-chart-cache-empty-"));
      const none = await validate(["apps", "-o", "json", "--chart-cache", empty], { cwd: f.root });
      rmSync(empty, { recursive: true, force: true });
      assert.equal(none.code, 0, none.stdout + none.stderr);
      const warnings = (JSON.parse(none.stdout) as JsonReport).results.flatMap((r) =>
        r.messages.filter((m) => m.severity === "warning"),
      );
      assert.equal(warnings.length, 1);
      assert.match(
        warnings[0]?.message ?? "",
        /chart app-demo@0\.1\.x from HelmRepository\/apps\/public not rendered: .*ECONNREFUSED/,
      );
    } finally {
      rmSync(offlineCache, { recursive: true, force: true });
    }
  });

  test("a postRenderers patch that breaks the Deployment is reported on the HelmRelease", async () => {
    const f = fixture();
    const text = chartInGitRelease(
      f,
      `  values:\n    image: nginx:1.0\n    replicas: 1\n${replicasPatch('"two"')}`,
    );
    const result = await validate(["apps", "-o", "json", "--chart-cache", cache], { cwd: f.root });
    assert.equal(result.code, 1, result.stdout + result.stderr);
    const report = JSON.parse(result.stdout) as JsonReport;
    const deployment = report.results.find((r) => r.kind === "Deployment");
    assert.equal(deployment?.status, "invalid", result.stdout);
    assert.equal(deployment?.file, "apps/release.yaml");
    assert.match(deployment?.messages[0]?.message ?? "", /of HelmRelease apps\/demo: .*replicas/);
    assert.ok(
      (deployment?.messages[0]?.line ?? 0) >= lineOf(text, "kind: HelmRelease") - 1,
      "the finding is in the HelmRelease",
    );
    // The local-config ConfigMap is not validated: the agent would not apply it.
    assert.deepEqual(report.results.map((r) => `${r.kind}/${r.name}`).sort(), [
      "ConfigMap/demo-config",
      "Deployment/demo",
      "GitRepository/self",
      "HelmRelease/demo",
    ]);
  });

  test("a postRenderers patch that fixes what the values break passes", async () => {
    const f = fixture();
    chartInGitRelease(
      f,
      `  values:\n    image: nginx:1.0\n    replicas: many\n${replicasPatch("2")}`,
    );
    const result = await validate(["apps", "-o", "json", "--chart-cache", cache], { cwd: f.root });
    assert.equal(result.code, 0, result.stdout + result.stderr);
  });

  test("policies see the origin labels, commonMetadata and the images override", async () => {
    const f = fixture();
    chartInGitRelease(
      f,
      `  values:
    image: nginx:1.0
    replicas: 1
  commonMetadata:
    labels:
      team: web
  postRenderers:
    - kustomize:
        images:
          - name: nginx
            newTag: "1.27"
`,
    );
    f.write(
      "policy/labels.rego",
      `package main

import rego.v1

deny contains sprintf("%s has no origin label", [input.metadata.name]) if {
  input.kind != "HelmRelease"
  input.kind != "GitRepository"
  not input.metadata.labels["helm.toolkit.fluxcd.io/name"]
}

deny contains sprintf("%s has no team label", [input.metadata.name]) if {
  input.kind == "Deployment"
  input.metadata.labels.team != "web"
}

deny contains sprintf("%s runs %s", [input.metadata.name, c.image]) if {
  some c in input.spec.template.spec.containers
  c.image != "nginx:1.27"
}
`,
    );
    const result = await validate(
      ["apps", "-o", "json", "--chart-cache", cache, "--policy", "policy"],
      { cwd: f.root },
    );
    assert.equal(result.code, 0, result.stdout + result.stderr);
  });

  test("a chartRef to a HelmChart renders its chart with the HelmChart's values files", async () => {
    const f = fixture();
    cpSync(chartSource, f.path("charts/app"), { recursive: true });
    f.write("envs/prod.yaml", "message: from-helmchart-values\n");
    const text = `${selfGitRepositoryYaml("apps", "https://git.example.invalid/fleet.git")}---
apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmChart
metadata: {name: app, namespace: apps}
spec:
  interval: 10m
  chart: ./charts/app
  sourceRef: {kind: GitRepository, name: self}
  valuesFiles: [./charts/app/values.yaml, ./envs/prod.yaml]
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: demo, namespace: apps}
spec:
  interval: 5m
  chartRef: {kind: HelmChart, name: app}
`;
    const manifests = await parseManifests(text, "apps/release.yaml");
    const written = manifests.length;
    const unit = {
      unit: { name: "apps", kind: "plain", paths: ["apps"] },
      renderer: "plain",
      manifests,
      errors: [],
      area: { dirs: ["apps"], files: [] },
      warnings: [],
    } as unknown as RenderedUnit;
    const notes = await expandHelmReleases([unit], { cacheDir: cache, root: f.root });
    assert.deepEqual(unit.warnings, [], notes.join("\n"));
    const config = unit.manifests.slice(written).find((m) => m.object.kind === "ConfigMap");
    assert.equal(
      (config?.object as { data?: Record<string, string> } | undefined)?.data?.message,
      "from-helmchart-values",
      notes.join("\n"),
    );
    assert.match(config?.source.via ?? "", /^chart app-demo@0\.0\.1 of HelmRelease apps\/demo$/);
  });

  test("the rendered objects carry the labels and images, point at the HelmRelease, local-config dropped", async () => {
    const f = fixture();
    const text = chartInGitRelease(
      f,
      `  targetNamespace: web
  values:
    image: nginx:1.0
    replicas: 1
  commonMetadata:
    labels:
      team: web
    annotations:
      owner: platform
  postRenderers:
    - kustomize:
        images:
          - name: nginx
            newTag: "1.27"
`,
    );
    const manifests = await parseManifests(text, "apps/release.yaml");
    const written = manifests.length;
    const unit = {
      unit: { name: "apps", kind: "plain", paths: ["apps"] },
      renderer: "plain",
      manifests,
      errors: [],
      area: { dirs: ["apps"], files: [] },
      warnings: [],
    } as unknown as RenderedUnit;
    await expandHelmReleases([unit], { cacheDir: cache, root: f.root });
    assert.deepEqual(unit.warnings, []);
    const rendered = unit.manifests.slice(written);
    assert.deepEqual(rendered.map((m) => `${m.object.kind}/${m.object.metadata.name}`).sort(), [
      "ConfigMap/web-demo-config",
      "Deployment/web-demo",
    ]);
    for (const m of rendered) {
      assert.equal(m.source.file, "apps/release.yaml");
      assert.equal(m.source.line, lineOf(text, "kind: HelmRelease") - 1);
      assert.match(m.source.via ?? "", /^chart app-demo@\d+\.\d+\.\d+ of HelmRelease apps\/demo$/);
      assert.deepEqual(
        {
          team: m.object.metadata.labels?.team,
          name: m.object.metadata.labels?.["helm.toolkit.fluxcd.io/name"],
          namespace: m.object.metadata.labels?.["helm.toolkit.fluxcd.io/namespace"],
          owner: m.object.metadata.annotations?.owner,
        },
        { team: "web", name: "demo", namespace: "apps", owner: "platform" },
      );
    }
    const deployment = rendered.find((m) => m.object.kind === "Deployment")?.object as unknown as {
      spec: { template: { spec: { containers: { image: string }[] } } };
    };
    assert.equal(deployment.spec.template.spec.containers[0]?.image, "nginx:1.27");
  });
});
