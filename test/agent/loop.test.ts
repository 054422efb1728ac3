// The agent's loop survives every failure as a failed pass: a bad commit, a damaged
// inventory, an API error. /readyz says 503 while the last pass failed and 200 again
// after a good commit; /healthz stays 200 while passes run; SIGTERM exits 0 within 10 s.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { stringify } from "yaml";
import type { AgentConfig } from "../../agent/config.ts";
import { syncOnce } from "../../agent/sync.ts";
import { KubeClient } from "../../shared/kube/client.ts";
import { KubeApiError } from "../../shared/kube/errors.ts";
import { AgentProcess, waitFor } from "../helpers/agent.ts";
import { TestRepo } from "../helpers/git-repo.ts";
import { kubectl, kubectlRun } from "../helpers/kubectl.ts";
import { testenv } from "../helpers/testenv.ts";
import { tether } from "../helpers/tether.ts";

const id = randomBytes(3).toString("hex");
const ns = `loop-${id}`;
const records = `tether-loop-${id}`;
const unit = `app-${id}`;
let repo: TestRepo;
let dir: string;

const configMap = (name: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}, namespace: ${ns}}\ndata: {k: v}\n`;

/** A `kind: List` that reuses one anchor 119 times. */
function aliasList(): string {
  const lines = ["apiVersion: v1", "kind: List", "items:", "- &a", "  apiVersion: v1"];
  lines.push("  kind: ConfigMap", `  metadata: {name: bomb, namespace: ${ns}}`);
  for (let i = 0; i < 119; i++) lines.push("- *a");
  return `${lines.join("\n")}\n`;
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "tether-loop-"));
  repo = await TestRepo.create("loop");
  repo.write("apps/ns.yaml", `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${ns}}\n`);
  repo.write("apps/a.yaml", configMap("a"));
  repo.write("apps/b.yaml", configMap("b"));
  await repo.push("good");
});

after(async () => {
  repo.cleanup();
  rmSync(dir, { recursive: true, force: true });
  await kubectlRun(["delete", "namespace", ns, records, "--wait=false"]);
});

const env = () => ({
  TETHER_GIT_USERNAME: testenv().gitUser,
  TETHER_GIT_PASSWORD: testenv().gitPassword,
});

describe("the agent's loop", () => {
  test("keeps serving through a bad commit and a damaged inventory; probes tell the truth; SIGTERM exits 0", async () => {
    const config = join(dir, "config.yaml");
    writeFileSync(
      config,
      stringify({
        namespace: records,
        git: { url: repo.plainUrl, branch: "main" },
        interval: "1s",
        units: [{ name: unit, path: "apps", prune: true }],
      }),
    );
    const agent = await AgentProcess.start(config, ["--cache-dir", join(dir, "cache")], env());
    try {
      await agent.probe("/readyz", 200);
      assert.equal((await agent.get("/healthz")).status, 200);
      assert.equal(await agent.metric(`tether_unit_ready{unit="${unit}"}`), 1);

      // A List with an alias bomb: a failed pass with the file and line, not a dead loop.
      repo.write("apps/list.yaml", aliasList());
      await repo.push("alias bomb");
      const body = await agent.probe("/readyz", 503);
      assert.match(body, /apps\/list\.yaml:\d+: YAML aliases expand past the limit/);
      assert.equal(await agent.metric(`tether_unit_ready{unit="${unit}"}`), 0);
      const failedBefore = await agent.metricAtLeast(
        `tether_unit_syncs_total{unit="${unit}",result="failed"}`,
        1,
      );
      // Passes go on (with backoff) and the watchdog stays happy.
      await agent.metricAtLeast(
        `tether_unit_syncs_total{unit="${unit}",result="failed"}`,
        failedBefore + 1,
      );
      assert.equal((await agent.get("/healthz")).status, 200);
      const status = JSON.parse(
        (await tether(["status", "-o", "json", "--namespace", records], { exit: 0 })).stdout,
      );
      assert.equal(status[0].result, "Failed");
      assert.match(status[0].lastError, /list\.yaml/);

      // A good commit makes it ready again.
      repo.remove("apps/list.yaml");
      await repo.push("fixed");
      await agent.probe("/readyz", 200);

      // The inventory damaged by hand ({} then truncated): a failed pass that prunes
      // nothing, then a rebuilt inventory and ready again.
      for (const damaged of ["{}", '[{"apiVersion":"v1","kind":"Conf']) {
        const okBefore =
          (await agent.metric(`tether_unit_syncs_total{unit="${unit}",result="ok"}`)) ?? 0;
        await kubectl([
          "patch",
          "configmap",
          `tether-inventory-${unit}`,
          "-n",
          records,
          "--type=merge",
          "-p",
          JSON.stringify({ data: { inventory: damaged } }),
        ]);
        await agent.metricAtLeast(
          `tether_unit_syncs_total{unit="${unit}",result="ok"}`,
          okBefore + 1,
        );
        await agent.probe("/readyz", 200);
        assert.match(agent.output, /inventory is not (a list of objects|valid JSON)/);
      }
      await kubectl(["get", "configmap", "a", "b", "-n", ns]);
      assert.equal(await agent.metric("tether_unexpected_errors_total"), 0, agent.output);

      const stopAt = Date.now();
      agent.kill("SIGTERM");
      const code = await Promise.race([
        agent.exited,
        new Promise((r) => setTimeout(() => r("timeout"), 10_000)),
      ]);
      assert.equal(code, 0, agent.output);
      assert.ok(Date.now() - stopAt < 10_000);
    } finally {
      agent.kill();
    }
  });

  test("SIGTERM during a long pass still exits 0 within 10 s", async () => {
    // A unit that waits for a Deployment that never becomes ready keeps a pass busy.
    repo.write(
      "slow/deploy.yaml",
      `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: never, namespace: ${ns}}\nspec:\n  selector: {matchLabels: {app: never}}\n  template:\n    metadata: {labels: {app: never}}\n    spec:\n      nodeSelector: {nowhere: "true"}\n      containers: [{name: c, image: "registry.example/never:1"}]\n`,
    );
    await repo.push("slow");
    const config = join(dir, "slow.yaml");
    writeFileSync(
      config,
      stringify({
        namespace: records,
        git: { url: repo.plainUrl, branch: "main" },
        units: [
          { name: `app-${id}`, path: "apps" },
          { name: `slow-${id}`, path: "slow", wait: true, timeout: "5m" },
        ],
      }),
    );
    const agent = await AgentProcess.start(config, ["--cache-dir", join(dir, "cache")], env());
    try {
      // The unit's lines are printed when it ends; the object shows it is waiting.
      await waitFor("the slow unit's apply", async () =>
        (await kubectlRun(["get", "deployment", "never", "-n", ns])).code === 0 ? true : undefined,
      );
      const stopAt = Date.now();
      agent.kill("SIGTERM");
      const code = await Promise.race([
        agent.exited,
        new Promise((r) => setTimeout(() => r("timeout"), 10_000)),
      ]);
      assert.equal(code, 0, agent.output);
      assert.ok(Date.now() - stopAt < 10_000);
    } finally {
      agent.kill();
    }
  });

  test("an HTTP 500 on the inventory read is a failed unit, not an exception", async () => {
    // The real API server cannot be made to answer 500 on demand, so the client in
    // front of it does, for that one read (a fault injected in-process; every other
    // request reaches the real server).
    const client = await KubeClient.connect({ kubeconfig: testenv().kubeconfig });
    const get = client.get.bind(client);
    client.get = async (ref) => {
      if (ref.kind === "ConfigMap" && ref.name === `tether-inventory-${unit}`)
        throw new KubeApiError(500, "InternalError", "etcdserver: request timed out", {});
      return get(ref);
    };
    const config: AgentConfig = {
      namespace: records,
      git: { url: repo.url, branch: "main", syncTag: "tether-sync", readonly: true },
      units: [
        {
          name: unit,
          path: "apps",
          prune: true,
          wait: false,
          timeoutMs: 60_000,
          intervalMs: 60_000,
          dependsOn: [],
          allowEmpty: false,
          pruneCrdsAndNamespaces: false,
          deleteBudget: 0.5,
        },
      ],
    };
    const errors: unknown[] = [];
    try {
      const pass = await syncOnce(config, {
        client,
        cacheDir: join(dir, "cache-500"),
        onError: (e) => errors.push(e),
      });
      assert.equal(pass.ok, false);
      assert.match(pass.reports[0]?.errors.join() ?? "", /etcdserver: request timed out/);
      assert.equal(errors.length, 1);
      await kubectl(["get", "configmap", "a", "b", "-n", ns]);
    } finally {
      client.close();
    }
  });

  test("a % in a URL password and a unit path that is a file are failed syncs, not crashes", async () => {
    const url = new URL(repo.plainUrl);
    const bad = `${url.protocol}//${testenv().gitUser}:p%zz@${url.host}${url.pathname}`;
    const result = await tether([
      "sync",
      "--once",
      "--git-url",
      bad,
      "--git-path",
      "apps",
      "--namespace",
      records,
      "--cache-dir",
      join(dir, "cache-pct"),
    ]);
    assert.equal(result.code, 1);
    assert.doesNotMatch(result.stderr, /URIError|\n\s+at /);
    const file = await tether([
      "sync",
      "--once",
      "--git-url",
      repo.url,
      "--git-path",
      "apps/a.yaml/more",
      "--namespace",
      records,
      "--cache-dir",
      join(dir, "cache-file"),
    ]);
    assert.equal(file.code, 1, file.stdout + file.stderr);
    assert.doesNotMatch(file.stderr, /\n\s+at /);
  });
});
