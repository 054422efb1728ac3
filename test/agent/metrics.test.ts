// The agent's /metrics and agent/install/monitoring, checked with promtool (built from
// its Go module by test/env/binaries.sh): the exposition of a running agent after a pass
// over a unit with Flux objects and a failing unit passes `promtool check metrics` and
// carries Flux's series; the PrometheusRule's groups pass their unit tests
// (`promtool test rules`, test/agent/monitoring/rules.test.yaml); every metric the
// Grafana dashboard queries is one the agent exposes, every query parses, and the README
// lists every panel. Runs `tether agent` as a process against the local Git server and
// Kubernetes.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { parse, parseAllDocuments, stringify } from "yaml";
import { AgentProcess, waitFor } from "../helpers/agent.ts";
import { TestRepo } from "../helpers/git-repo.ts";
import { kubectlRun } from "../helpers/kubectl.ts";
import { run } from "../helpers/run.ts";
import { testenv } from "../helpers/testenv.ts";
import { kubectlEnv, tether } from "../helpers/tether.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
const monitoring = join(root, "agent/install/monitoring");
const id = randomBytes(3).toString("hex");
const fs = `fsmet-${id}`;
const app = `met-${id}`;
const recordsNs = `tether-met-${id}`;
const fluxUnit = `flux-${id}`;
const brokenUnit = `broken-${id}`;
const dir = mkdtempSync(join(tmpdir(), "tether-metrics-"));
const gitEnv = {
  TETHER_GIT_USERNAME: testenv().gitUser,
  TETHER_GIT_PASSWORD: testenv().gitPassword,
};
let repo: TestRepo;
let agent: AgentProcess | undefined;
/** A webhook target on 127.0.0.1 that accepts every alert (counted). */
let webhook: Server | undefined;
let received = 0;
/** The exposition once the first passes are through (read by several tests). */
let exposition = "";

const promtool = (args: string[], input?: string) =>
  run("promtool", args, {
    env: kubectlEnv(),
    cwd: dir,
    ...(input !== undefined ? { input } : {}),
  });

const kustomization = (name: string, path: string) => `---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: ${name}, namespace: ${fs}}
spec:
  interval: 1h
  sourceRef: {kind: GitRepository, name: flux-system}
  path: ${path}
  prune: true
`;

/** A sample's value: the line that starts with `sample ` exactly. */
function sample(text: string, name: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}

const scrape = async () => (await agent?.get("/metrics"))?.body ?? "";

before(async () => {
  repo = await TestRepo.create("metrics");
  repo
    .write(
      "clusters/edge/flux-system/gotk-sync.yaml",
      `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: flux-system, namespace: ${fs}}
spec: {interval: 1h, ref: {branch: main}, url: ${repo.plainUrl}}
${kustomization("flux-system", "./clusters/edge")}`,
    )
    .write(
      "clusters/edge/apps.yaml",
      `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${app}}\n${kustomization("apps", "./apps")}${kustomization("missing", "./not-there")}`,
    )
    .write(
      "apps/config.yaml",
      `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: metrics, namespace: ${app}}\ndata: {a: b}\n`,
    )
    // A unit that fails every pass: an object without a name.
    .write("broken/bad.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n");
  await repo.push("metrics layout");
  webhook = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      received++;
      res.end("ok");
    });
  });
  await new Promise<void>((resolve) => webhook?.listen(0, "127.0.0.1", resolve));
  const hookPort = (webhook.address() as AddressInfo).port;
  const config = join(dir, "config.yaml");
  writeFileSync(
    config,
    stringify({
      namespace: recordsNs,
      git: { url: repo.plainUrl, branch: "main" },
      interval: "1h",
      alerts: [{ type: "webhook", url: `http://127.0.0.1:${hookPort}/hook` }],
      units: [
        { name: fluxUnit, path: "clusters/edge", prune: true },
        { name: brokenUnit, path: "broken" },
      ],
    }),
  );
  agent = await AgentProcess.start(config, ["--cache-dir", join(dir, "cache")], gitEnv);
  // The pass is through once both Kustomizations have their state.
  exposition = await waitFor(
    "the Kustomizations' gotk series",
    async () => {
      const text = await scrape();
      const ks = (name: string, status: string) =>
        sample(
          text,
          `gotk_reconcile_condition{kind="Kustomization",name="${name}",namespace="${fs}",type="Ready",status="${status}"}`,
        );
      return ks("apps", "True") === 1 && ks("missing", "False") === 1 ? text : undefined;
    },
    120_000,
  ).catch((error: Error) => {
    throw new Error(`${error.message}\n${agent?.output}`);
  });
});

after(async () => {
  agent?.kill("SIGTERM");
  await agent?.exited;
  webhook?.close();
  for (const ns of [app, fs, recordsNs])
    await kubectlRun(["delete", "namespace", ns, "--wait=false"]);
  repo?.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

describe("the agent's /metrics", () => {
  test("passes promtool check metrics (a lint problem fails it)", async () => {
    const checked = await promtool(["check", "metrics"], exposition);
    assert.equal(checked.code, 0, `${checked.stdout}${checked.stderr}`);
    assert.equal(`${checked.stdout}${checked.stderr}`.trim(), "");
    // The same check on a gauge named like a counter fails: the test can fail.
    const bad = await promtool(
      ["check", "metrics"],
      "# HELP x_total A gauge.\n# TYPE x_total gauge\nx_total 1\n",
    );
    assert.notEqual(bad.code, 0);
  });

  test("Flux's series for units, Kustomizations and the GitRepository", () => {
    const condition = (kind: string, ns: string, name: string, status: string) =>
      sample(
        exposition,
        `gotk_reconcile_condition{kind="${kind}",name="${name}",namespace="${ns}",type="Ready",status="${status}"}`,
      );
    // One status is 1, the others 0, as Flux's controllers exported them.
    assert.deepEqual(
      ["True", "False", "Unknown", "Deleted"].map((s) => condition("Kustomization", fs, "apps", s)),
      [1, 0, 0, 0],
    );
    assert.equal(condition("Kustomization", fs, "missing", "False"), 1);
    assert.equal(condition("Unit", recordsNs, fluxUnit, "True"), 1);
    assert.equal(condition("Unit", recordsNs, brokenUnit, "False"), 1);
    assert.equal(condition("GitRepository", fs, "flux-system", "True"), 1);
    const count = (kind: string, ns: string, name: string) =>
      sample(
        exposition,
        `gotk_reconcile_duration_seconds_count{kind="${kind}",name="${name}",namespace="${ns}"}`,
      ) ?? 0;
    assert.ok(count("Kustomization", fs, "apps") >= 1);
    assert.ok(count("Unit", recordsNs, fluxUnit) >= 1);
    assert.ok((sample(exposition, "tether_pass_duration_seconds_count") ?? 0) >= 1);
    assert.ok((sample(exposition, 'tether_passes_total{result="failed"}') ?? 0) >= 1);
    // gotk_resource_info with the labels of Flux's kube-state-metrics configuration.
    const info = exposition.split("\n").filter((l) => l.startsWith("gotk_resource_info{"));
    const apps = info.find((l) => l.includes(`name="apps"`));
    assert.ok(apps, info.join("\n"));
    assert.match(apps, /customresource_group="kustomize.toolkit.fluxcd.io"/);
    assert.match(apps, /customresource_kind="Kustomization"/);
    assert.match(apps, new RegExp(`exported_namespace="${fs}"`));
    assert.match(apps, /ready="True",suspended="false",revision="main@sha1:[0-9a-f]{40}"/);
    assert.match(apps, /source_name="flux-system"/);
    const source = info.find((l) => l.includes(`customresource_kind="GitRepository"`));
    assert.ok(source?.includes(`url="${repo.plainUrl}"`), source);
    const broken = info.find((l) => l.includes(`name="${brokenUnit}"`));
    assert.match(
      broken ?? "",
      /customresource_kind="Unit",exported_namespace="[^"]+",name="[^"]+",ready="False",suspended="false"/,
    );
  });

  test("alert deliveries are counted", async () => {
    // The failing unit's event reached the webhook; the count follows.
    const sent = await waitFor("a delivered alert", async () => {
      const n = sample(await scrape(), 'tether_alert_deliveries_total{result="sent"}') ?? 0;
      return n >= 1 ? n : undefined;
    });
    assert.ok(received >= sent, `${received} received, ${sent} counted`);
    assert.equal(sample(await scrape(), 'tether_alert_deliveries_total{result="failed"}'), 0);
  });

  test("a suspended unit says so in gotk_suspend_status and gotk_resource_info", async () => {
    const suspended = await tether(["suspend", brokenUnit, "--namespace", recordsNs], {
      env: gitEnv,
    });
    assert.equal(suspended.code, 0, suspended.stdout + suspended.stderr);
    const name = `gotk_suspend_status{kind="Unit",name="${brokenUnit}",namespace="${recordsNs}"}`;
    await waitFor("the unit's suspend series", async () =>
      sample(await scrape(), name) === 1 ? true : undefined,
    );
    const text = await scrape();
    assert.ok(
      text
        .split("\n")
        .some((l) => l.includes(`name="${brokenUnit}",ready="False",suspended="true"`)),
    );
    assert.equal(
      sample(text, `gotk_suspend_status{kind="Unit",name="${fluxUnit}",namespace="${recordsNs}"}`),
      0,
    );
  });
});

describe("agent/install/monitoring", () => {
  test("the PrometheusRule's groups pass promtool test rules", async () => {
    const rule = parse(readFileSync(join(monitoring, "prometheusrule.yaml"), "utf8")) as {
      spec: { groups: unknown[] };
    };
    const spec = rule.spec;
    writeFileSync(join(dir, "rules.yaml"), stringify({ groups: spec.groups }));
    copyFileSync(join(root, "test/agent/monitoring/rules.test.yaml"), join(dir, "rules.test.yaml"));
    const checked = await promtool(["check", "rules", "rules.yaml"]);
    assert.equal(checked.code, 0, checked.stdout + checked.stderr);
    const tested = await promtool(["test", "rules", "rules.test.yaml"]);
    assert.equal(tested.code, 0, tested.stdout + tested.stderr);
    assert.match(tested.stdout, /SUCCESS/);
  });

  test("every metric the dashboard queries is exposed by the agent, and every query parses", async () => {
    const dashboard = JSON.parse(readFileSync(join(monitoring, "tether-dashboard.json"), "utf8"));
    const exprs = dashboardQueries(dashboard);
    assert.ok(exprs.length >= 15, `${exprs.length} queries`);
    const families = new Map<string, string>();
    for (const m of exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm))
      families.set(m[1] ?? "", m[2] ?? "");
    const missing = new Set<string>();
    for (const expr of exprs)
      for (const name of metricNames(expr)) if (!exposedBy(families, name)) missing.add(name);
    assert.deepEqual(
      [...missing],
      [],
      "metrics the dashboard queries and the agent does not expose",
    );
    // Each query as a recording rule, with Grafana's variables given values: promtool
    // parses the PromQL.
    const rules = {
      groups: [
        {
          name: "dashboard",
          rules: exprs.map((expr, i) => ({
            record: `dashboard:query_${i}`,
            expr: expr.replaceAll("$__rate_interval", "5m").replaceAll("$namespace", ".*"),
          })),
        },
      ],
    };
    writeFileSync(join(dir, "dashboard-rules.yaml"), stringify(rules));
    const checked = await promtool(["check", "rules", "dashboard-rules.yaml"]);
    assert.equal(checked.code, 0, checked.stdout + checked.stderr);
    // The test can fail: a renamed metric is caught.
    assert.deepEqual(
      metricNames('sum by (unit) (rate(tether_unit_synced_total{unit=~"$u"}[5m])) / on (unit) x'),
      ["tether_unit_synced_total", "x"],
    );
  });

  test("the README lists every panel of the dashboard", () => {
    const dashboard = JSON.parse(readFileSync(join(monitoring, "tether-dashboard.json"), "utf8"));
    const readme = readFileSync(join(root, "README.md"), "utf8");
    // Titles may wrap across lines in the Markdown.
    const section = readme.slice(readme.indexOf("### Metrics and dashboard")).replace(/\s+/g, " ");
    const titles = (dashboard.panels as { type: string; title: string }[])
      .filter((p) => p.type !== "row")
      .map((p) => p.title);
    assert.equal(new Set(titles).size, titles.length, "panel titles are unique");
    for (const title of titles) assert.ok(section.includes(`**${title}**`), `README: ${title}`);
  });

  test("kustomize builds it: the PodMonitor, the rules and the dashboard ConfigMap", async () => {
    const built = await run("kustomize", ["build", monitoring], { env: kubectlEnv() });
    assert.equal(built.code, 0, built.stderr);
    const objects = parseAllDocuments(built.stdout).map(
      (d) =>
        d.toJS() as {
          kind: string;
          metadata: { labels?: Record<string, string> };
          data?: Record<string, string>;
        },
    );
    assert.deepEqual(objects.map((o) => o.kind).sort(), [
      "ConfigMap",
      "PodMonitor",
      "PrometheusRule",
    ]);
    const cm = objects.find((o) => o.kind === "ConfigMap");
    assert.equal(cm?.metadata.labels?.grafana_dashboard, "1");
    assert.equal(
      cm?.data?.["tether-dashboard.json"],
      readFileSync(join(monitoring, "tether-dashboard.json"), "utf8"),
    );
    const podMonitor = parse(readFileSync(join(monitoring, "podmonitor.yaml"), "utf8"));
    const deployment = parse(readFileSync(join(root, "agent/install/deployment.yaml"), "utf8"));
    const container = deployment.spec.template.spec.containers[0];
    assert.deepEqual(podMonitor.spec.selector.matchLabels, {
      "app.kubernetes.io/name": deployment.spec.template.metadata.labels["app.kubernetes.io/name"],
    });
    assert.ok(
      container.ports.some(
        (p: { name: string }) => p.name === podMonitor.spec.podMetricsEndpoints[0].port,
      ),
    );
  });
});

/** Every PromQL query of a dashboard: panel targets and query variables' metrics. */
function dashboardQueries(dashboard: {
  panels: { targets?: { expr?: string }[] }[];
  templating?: { list: { type: string; query?: { query?: string } | string }[] };
}): string[] {
  const exprs = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr ?? ""));
  for (const v of dashboard.templating?.list ?? []) {
    if (v.type !== "query") continue;
    const query = typeof v.query === "string" ? v.query : (v.query?.query ?? "");
    // label_values(METRIC, LABEL) queries METRIC.
    const m = /^label_values\(\s*([^,]+),/.exec(query);
    if (m?.[1]) exprs.push(m[1]);
  }
  return exprs.filter((e) => e.trim() !== "");
}

const KEYWORDS = new Set(["and", "or", "unless", "bool", "offset", "inf", "nan", "atan2"]);

/** The metric names a PromQL expression reads (a small tokenizer, enough for dashboards). */
function metricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, " ")
    .replace(/\[[^\]]*\]/g, " ")
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, " ");
  const names = new Set<string>();
  for (const m of stripped.matchAll(/(^|[^\w.$])([a-zA-Z_:][\w:]*)/g)) {
    const word = m[2] ?? "";
    const rest = stripped.slice((m.index ?? 0) + (m[0]?.length ?? 0)).trimStart();
    if (rest.startsWith("(") || KEYWORDS.has(word.toLowerCase())) continue;
    names.add(word);
  }
  return [...names];
}

/** A name the exposition has: a family, or a histogram's _bucket, _sum or _count. */
function exposedBy(families: Map<string, string>, name: string): boolean {
  if (families.has(name)) return true;
  const m = /^(.*)_(bucket|sum|count)$/.exec(name);
  return m?.[1] !== undefined && families.get(m[1]) === "histogram";
}
