// `tether reconcile`, `suspend`, `resume` and `events` against a running agent, the
// local API server and Git: a request written in the cluster is picked up by the agent
// within seconds although its interval is an hour; a suspended unit is left alone by
// the agent and by one-off syncs; events list what the agent reported.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { stringify } from "yaml";
import { parseTarget, unitRequests } from "../../agent/control.ts";
import { selectEvents } from "../../agent/control-commands.ts";
import { watchRequests } from "../../agent/requests.ts";
import type { RunningAgent } from "../../agent/running.ts";
import type { StopSignal } from "../../agent/signals.ts";
import { KubeClient } from "../../shared/kube/client.ts";
import type { KubeObject } from "../../shared/manifests/object.ts";
import { AgentProcess, waitFor } from "../helpers/agent.ts";
import { TestRepo } from "../helpers/git-repo.ts";
import { kubectlRun } from "../helpers/kubectl.ts";
import { testenv } from "../helpers/testenv.ts";
import { tether } from "../helpers/tether.ts";

const record = (unit: string, annotations: Record<string, string>): KubeObject => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name: `tether-unit-${unit}`, labels: { "tether.dev/unit": unit }, annotations },
});

describe("requests, decided", () => {
  test("targets: a unit's record, or a Flux object", () => {
    assert.deepEqual(parseTarget("apps", "tether-system", "flux-system").ref, {
      apiVersion: "v1",
      kind: "ConfigMap",
      namespace: "tether-system",
      name: "tether-unit-apps",
    });
    const ks = parseTarget("ks/infra", "tether-system", "flux-system");
    assert.deepEqual(
      [ks.type, ks.ref.kind, ks.ref.namespace, ks.ref.name],
      ["flux", "Kustomization", "flux-system", "infra"],
    );
    assert.equal(
      parseTarget("HelmRelease/web", "t", "f").ref.apiVersion,
      "helm.toolkit.fluxcd.io/v2",
    );
    assert.throws(() => parseTarget("pod/x", "t", "f"), /kustomization\/NAME/);
  });

  test("a token seen first is remembered, a new one requests a pass; suspension is read every time", () => {
    const seen = new Map<string, string>();
    const first = unitRequests(
      [
        record("a", { "reconcile.fluxcd.io/requestedAt": "t1" }),
        record("b", { "tether.dev/suspend": "true" }),
      ],
      seen,
      true,
    );
    assert.deepEqual(first.requested, []);
    assert.deepEqual([...first.suspended], ["b"]);
    const same = unitRequests(
      [record("a", { "reconcile.fluxcd.io/requestedAt": "t1" })],
      seen,
      false,
    );
    assert.deepEqual(same.requested, []);
    const next = unitRequests(
      [
        record("a", { "reconcile.fluxcd.io/requestedAt": "t2" }),
        record("c", { "reconcile.fluxcd.io/requestedAt": "x" }),
      ],
      seen,
      false,
    );
    assert.deepEqual(next.requested, ["a", "c"]);
    assert.equal(next.suspended.size, 0);
  });

  test("events: only Tether's, oldest first, filtered by object", () => {
    const event = (name: string, at: string, component: string, kind = "ConfigMap"): KubeObject =>
      ({
        apiVersion: "v1",
        kind: "Event",
        metadata: { name: `e-${at}` },
        involvedObject: { kind, namespace: "tether-system", name },
        reason: "SyncFailed",
        message: `m-${at}`,
        type: "Warning",
        source: { component },
        lastTimestamp: at,
      }) as unknown as KubeObject;
    const rows = selectEvents([
      event("tether-unit-apps", "2026-01-02", "tether-agent"),
      event("tether-unit-apps", "2026-01-01", "tether-agent"),
      event("tether-unit-infra", "2026-01-03", "tether-agent"),
      event("other", "2026-01-04", "kubelet"),
      event("infra", "2026-01-05", "tether-agent", "Kustomization"),
    ]);
    assert.deepEqual(
      rows.map((r) => [r.object, r.lastSeen]),
      [
        ["unit/apps", "2026-01-01"],
        ["unit/apps", "2026-01-02"],
        ["unit/infra", "2026-01-03"],
        ["Kustomization/tether-system/infra", "2026-01-05"],
      ],
    );
    assert.equal(
      selectEvents([event("tether-unit-apps", "1", "tether-agent")], "unit/apps").length,
      1,
    );
    assert.equal(
      selectEvents([event("tether-unit-apps", "1", "tether-agent")], "unit/infra").length,
      0,
    );
    assert.equal(
      selectEvents([event("infra", "1", "tether-agent", "Kustomization")], "kustomization/infra")
        .length,
      1,
    );
  });
});

describe("requests, followed", () => {
  test("the records are listed once, then watched: a request after the watch was renewed still starts a pass; stop ends it", async () => {
    const id = randomBytes(3).toString("hex");
    const ns = `requests-${id}`;
    const client = await KubeClient.connect({ kubeconfig: testenv().kubeconfig });
    await kubectlRun(["create", "namespace", ns]);
    const record = (token: string, suspend = false) =>
      stringify({
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: {
          name: "tether-unit-apps",
          namespace: ns,
          labels: { "tether.dev/record": "unit", "tether.dev/unit": "apps" },
          annotations: {
            "reconcile.fluxcd.io/requestedAt": token,
            ...(suspend ? { "tether.dev/suspend": "true" } : {}),
          },
        },
        data: { inventory: "[]" },
      });
    const applyRecord = async (text: string) => {
      const result = await kubectlRun(["apply", "-f", "-"], text);
      assert.equal(result.code, 0, result.stderr);
    };
    await applyRecord(record("t0"));
    // The parts of a running agent that the requests touch (a real client; the rest
    // records what it is told).
    const requested: string[][] = [];
    const errors: unknown[] = [];
    let wakes = 0;
    const schedule = {
      suspended: new Set<string>() as ReadonlySet<string>,
      request: (names: string[]) => requested.push(names),
    };
    const agent = {
      client,
      config: { namespace: ns, units: [{ name: "apps" }] },
      schedule,
      metrics: { recordSuspended: () => {} },
      log: () => {},
      onError: (error: unknown) => errors.push(error),
    } as unknown as RunningAgent;
    const stop = {
      stopping: false,
      wake: () => {
        wakes++;
      },
    } as unknown as StopSignal;
    try {
      const stopWatching = await watchRequests(agent, stop, 1);
      // The token there at the start is remembered, not acted on.
      assert.deepEqual(requested, []);
      // Watches of 1 s (after discovery and the list): renewed at least twice before the
      // request is written.
      await waitFor(
        "two renewed watches",
        async () => (client.requests >= 5 ? true : undefined),
        10_000,
      );
      await applyRecord(record("t1"));
      await waitFor("the request", async () => (requested.length > 0 ? true : undefined), 10_000);
      assert.deepEqual(requested, [["apps"]]);
      await applyRecord(record("t1", true));
      await waitFor(
        "the suspension",
        async () => (schedule.suspended.has("apps") ? true : undefined),
        10_000,
      );
      assert.ok(wakes >= 1);
      assert.deepEqual(errors, []);
      stopWatching();
      const after = client.requests;
      await new Promise((r) => setTimeout(r, 1_500));
      assert.equal(client.requests, after, "no request after the stop");
    } finally {
      client.close();
      await kubectlRun(["delete", "namespace", ns, "--wait=false"]);
    }
  });
});

describe("tether reconcile, suspend, resume and events with a running agent", () => {
  const id = randomBytes(3).toString("hex");
  const unit = `ctl-${id}`;
  const ns = "default";
  let repo: TestRepo;
  let dir: string;
  let agent: AgentProcess;
  let config: string;
  const env = {
    TETHER_GIT_USERNAME: testenv().gitUser,
    TETHER_GIT_PASSWORD: testenv().gitPassword,
  };
  const cm = (v: string) =>
    `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${unit}, namespace: ${ns}}\ndata: {v: "${v}"}\n`;
  const liveValue = async () =>
    (
      await kubectlRun(["get", "configmap", unit, "-n", ns, "-o", "jsonpath={.data.v}"])
    ).stdout.trim();
  const ctl = (args: string[]) => tether([...args, "--namespace", ns], { env });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "tether-control-"));
    repo = await TestRepo.create("control");
    repo.write("apps/cm.yaml", cm("1"));
    await repo.push("first");
    config = join(dir, "config.yaml");
    writeFileSync(
      config,
      stringify({
        namespace: ns,
        git: { url: repo.plainUrl, branch: "main" },
        interval: "1h",
        units: [{ name: unit, path: "apps" }],
      }),
    );
    agent = await AgentProcess.start(config, ["--cache-dir", join(dir, "cache")], env);
    await agent.metricAtLeast('tether_passes_total{result="ok"}', 1);
  });

  after(async () => {
    agent?.kill("SIGTERM");
    await agent?.exited;
    repo?.cleanup();
    rmSync(dir, { recursive: true, force: true });
    await kubectlRun([
      "delete",
      "configmap",
      unit,
      `tether-unit-${unit}`,
      `tether-inventory-${unit}`,
      "-n",
      ns,
    ]);
  });

  test("reconcile applies a new commit now, and prints the result as JSON", async () => {
    repo.write("apps/cm.yaml", cm("2"));
    await repo.push("second");
    const r = await ctl(["reconcile", unit, "-o", "json", "--timeout", "1m"]);
    assert.equal(r.code, 0, r.stderr + agent.output);
    const outcome = JSON.parse(r.stdout);
    assert.equal(outcome.ready, true);
    assert.equal(outcome.target, unit);
    assert.equal(await liveValue(), "2");
  });

  test("suspend: the agent and one-off syncs leave the unit alone; reconcile refuses; resume applies", async () => {
    const s = await ctl(["suspend", unit]);
    assert.equal(s.code, 0, s.stderr);
    await waitFor("the agent to see the suspension", async () =>
      agent.output.includes(`${unit}: suspended`) ? true : undefined,
    );
    repo.write("apps/cm.yaml", cm("3"));
    await repo.push("third");

    const refused = await ctl(["reconcile", unit, "--timeout", "10s"]);
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, /is suspended \(tether resume/);

    const once = await tether(
      ["sync", "--once", "--config", config, "--cache-dir", join(dir, "cache-once")],
      { env },
    );
    assert.equal(once.code, 0, once.stderr);
    assert.match(once.stderr, new RegExp(`note: ${unit} is suspended`));
    assert.equal(await liveValue(), "2");

    const resumed = await ctl(["resume", unit, "--timeout", "1m"]);
    assert.equal(resumed.code, 0, resumed.stderr + agent.output);
    assert.match(resumed.stdout, new RegExp(`✔ ${unit} at [0-9a-f]{12}`));
    assert.equal(await liveValue(), "3");
  });

  test("a failing pass: reconcile exits 1 with the message; events show it", async () => {
    repo.write("apps/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {namespace: default}\n");
    await repo.push("broken");
    const r = await ctl(["reconcile", unit, "--timeout", "1m"]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /✗ .*metadata\.name is missing/);
    const events = await ctl(["events", "--for", `unit/${unit}`, "-o", "json"]);
    assert.equal(events.code, 0, events.stderr);
    const rows = JSON.parse(events.stdout) as { reason: string; message: string }[];
    assert.ok(
      rows.some((e) => e.reason === "SyncFailed" && /metadata\.name is missing/.test(e.message)),
      events.stdout,
    );
    const table = await ctl(["events", "--for", `unit/${unit}`]);
    assert.equal(table.code, 0);
    assert.match(table.stdout, /^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE/);
  });

  test("a unit without a record is a usage error that says so", async () => {
    const r = await ctl(["reconcile", "no-such-unit"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /has no record in namespace default/);
  });
});
