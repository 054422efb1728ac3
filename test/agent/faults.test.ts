// Fault injection against the real local components, each case bounded in time and
// each ending with the cluster equal to Git and nothing lost. The Git server and the
// API server are taken away by a TCP proxy in front of them (test/helpers/fault-proxy.ts):
// to the agent that is a stopped server or a cut link; the servers themselves keep
// running, since other tests of this environment share them. The registry's 429/5xx
// case is test/shared/registry/faults.test.ts.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { stringify } from "yaml";
import { AgentProcess, waitFor } from "../helpers/agent.ts";
import { FaultProxy } from "../helpers/fault-proxy.ts";
import { TestRepo } from "../helpers/git-repo.ts";
import { kubectl, kubectlRun } from "../helpers/kubectl.ts";
import { testenv } from "../helpers/testenv.ts";

const id = randomBytes(3).toString("hex");
const ns = `faults-${id}`;
const records = `tether-faults-${id}`;
const unit = `app-${id}`;
const CASE_MS = 60_000;
let repo: TestRepo;
let dir: string;
let git: FaultProxy;
let api: FaultProxy;
let config: string;
let kubeconfig: string;
const value = async (name: string) =>
  (await kubectl(["get", "configmap", name, "-n", ns, "-o", "jsonpath={.data.k}"])).trim();
const hack = (name: string) =>
  kubectl(["patch", "configmap", name, "-n", ns, "--type=merge", "-p", '{"data":{"k":"hacked"}}']);
const objects = async () =>
  (await kubectl(["get", "configmaps", "-n", ns, "-l", "fault=yes", "-o", "name"]))
    .split("\n")
    .filter(Boolean)
    .sort();
const cm = (name: string, k = "v") =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}, namespace: ${ns}, labels: {fault: "yes"}}\ndata: {k: ${k}}\n`;

async function startAgent(): Promise<AgentProcess> {
  return AgentProcess.start(config, ["--cache-dir", join(dir, "cache"), "--stale-after", "3s"], {
    KUBECONFIG: kubeconfig,
    TETHER_GIT_USERNAME: testenv().gitUser,
    TETHER_GIT_PASSWORD: testenv().gitPassword,
  });
}

/** Cluster equals Git: every object of the repository with its value, nothing else. */
async function assertClusterEqualsGit(expected: Record<string, string>) {
  await waitFor(
    "the cluster to equal Git",
    async () => {
      const names = await objects();
      const want = Object.keys(expected)
        .map((n) => `configmap/${n}`)
        .sort();
      if (JSON.stringify(names) !== JSON.stringify(want)) return undefined;
      for (const [n, v] of Object.entries(expected)) if ((await value(n)) !== v) return undefined;
      return true;
    },
    CASE_MS,
  );
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "tether-faults-"));
  repo = await TestRepo.create("faults");
  repo.write("apps/ns.yaml", `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${ns}}\n`);
  for (const n of ["a", "b", "c"]) repo.write(`apps/${n}.yaml`, cm(n));
  await repo.push("three");
  const gitUrl = new URL(testenv().gitUrl);
  git = await FaultProxy.start(gitUrl.hostname, Number(gitUrl.port));
  const admin = readFileSync(testenv().kubeconfig, "utf8");
  const server = /server: (https:\/\/127\.0\.0\.1:(\d+))/.exec(admin);
  assert.ok(server?.[2], "the kubeconfig names a local API server");
  api = await FaultProxy.start("127.0.0.1", Number(server[2]));
  kubeconfig = join(dir, "kubeconfig");
  writeFileSync(kubeconfig, admin.replace(server[1] as string, `https://127.0.0.1:${api.port}`));
  config = join(dir, "config.yaml");
  writeFileSync(
    config,
    stringify({
      namespace: records,
      git: { url: `http://127.0.0.1:${git.port}/${repo.name}.git`, branch: "main" },
      interval: "1s",
      units: [{ name: unit, path: "apps", prune: true }],
    }),
  );
});

after(async () => {
  await git?.down();
  await api?.down();
  repo.cleanup();
  rmSync(dir, { recursive: true, force: true });
  await kubectlRun(["delete", "namespace", ns, records, "--wait=false"]);
});

describe("faults", { timeout: 8 * CASE_MS }, () => {
  let agent: AgentProcess;
  after(() => agent?.kill());

  test("the Git server down for several intervals: drift corrected from the last good state, stale reported, nothing pruned", {
    timeout: CASE_MS,
  }, async () => {
    agent = await startAgent();
    await agent.probe("/readyz", 200);
    await git.down();
    await agent.metricAtLeast("tether_source_stale", 1);
    await hack("a");
    await waitFor("drift corrected while Git is down", async () =>
      (await value("a")) === "v" ? true : undefined,
    );
    assert.match(await agent.probe("/readyz", 503), /source stale/);
    assert.equal((await agent.get("/healthz")).status, 200);
    assert.equal((await objects()).length, 3);
    await git.up();
    await agent.probe("/readyz", 200);
    assert.equal(await agent.metric("tether_source_stale"), 0);
    await assertClusterEqualsGit({ a: "v", b: "v", c: "v" });
  });

  test("the agent SIGKILLed and restarted while Git is down: it resumes from the last good state and prunes nothing", {
    timeout: CASE_MS,
  }, async () => {
    agent.kill("SIGKILL");
    await agent.exited;
    await git.down();
    await hack("b");
    agent = await startAgent();
    await waitFor("drift corrected after a restart without Git", async () =>
      (await value("b")) === "v" ? true : undefined,
    );
    // The pass that corrected the drift sets the gauge when it ends: wait for it, not
    // for the order of the two.
    await agent.metricAtLeast("tether_source_stale", 1);
    const status = await kubectl([
      "get",
      "configmap",
      `tether-unit-${unit}`,
      "-n",
      records,
      "-o",
      "jsonpath={.data.status}",
    ]);
    assert.match(status, /source stale/);
    assert.equal((await objects()).length, 3);
    await git.up();
    await agent.probe("/readyz", 200);
  });

  test("the API server away mid-apply and back: failed passes, then the cluster equals Git", {
    timeout: CASE_MS,
  }, async () => {
    repo.write("apps/d.yaml", cm("d")).write("apps/a.yaml", cm("a", "changed"));
    await repo.push("d, a changed");
    await api.down();
    await agent.probe("/readyz", 503);
    const failed = await agent.metricAtLeast('tether_passes_total{result="failed"}', 1);
    await agent.metricAtLeast('tether_passes_total{result="failed"}', failed + 1);
    assert.equal((await agent.get("/healthz")).status, 200);
    await api.up();
    await agent.probe("/readyz", 200);
    await assertClusterEqualsGit({ a: "changed", b: "v", c: "v", d: "v" });
    assert.equal(await agent.metric("tether_unexpected_errors_total"), 0, agent.output);
  });

  test("the inventory ConfigMap deleted by hand: no object deleted, the inventory comes back", {
    timeout: CASE_MS,
  }, async () => {
    await kubectl(["delete", "configmap", `tether-inventory-${unit}`, "-n", records]);
    await waitFor("the inventory rewritten", async () =>
      (await kubectlRun(["get", "configmap", `tether-inventory-${unit}`, "-n", records])).code === 0
        ? true
        : undefined,
    );
    await agent.probe("/readyz", 200);
    await assertClusterEqualsGit({ a: "changed", b: "v", c: "v", d: "v" });
  });

  test("the cache folder unwritable: passes still succeed (said in the log); a damaged cache is rebuilt", {
    timeout: CASE_MS,
  }, async () => {
    const lastGood = join(dir, "cache", "last-good");
    rmSync(lastGood, { recursive: true, force: true });
    // A file where the folder should be: unwritable for root too.
    writeFileSync(lastGood, "not a folder");
    repo.write("apps/e.yaml", cm("e"));
    await repo.push("e");
    await waitFor("the note", async () =>
      agent.output.includes("could not save the last good state") ? true : undefined,
    );
    await agent.probe("/readyz", 200);
    await assertClusterEqualsGit({ a: "changed", b: "v", c: "v", d: "v", e: "v" });
    rmSync(lastGood, { force: true });
    await waitFor("the last good state written again", async () => {
      try {
        return JSON.parse(readFileSync(join(lastGood, `${unit}.json`), "utf8")).sha256
          ? true
          : undefined;
      } catch {
        return undefined;
      }
    });
    // Damaged, then Git away: the damaged file is removed (not trusted), nothing pruned,
    // and the next good pass rebuilds it.
    writeFileSync(join(lastGood, `${unit}.json`), '{"format":1,"sha256":"00","payload":"{}"}');
    await git.down();
    await waitFor("the damaged cache reported", async () =>
      agent.output.includes("was damaged (checksum mismatch)") ? true : undefined,
    );
    assert.equal((await objects()).length, 5);
    await git.up();
    await waitFor("the cache rebuilt", async () => {
      try {
        return JSON.parse(readFileSync(join(lastGood, `${unit}.json`), "utf8")).sha256 !== "00"
          ? true
          : undefined;
      } catch {
        return undefined;
      }
    });
    await agent.probe("/readyz", 200);
    await assertClusterEqualsGit({ a: "changed", b: "v", c: "v", d: "v", e: "v" });
    agent.kill("SIGTERM");
    assert.equal(await agent.exited, 0);
  });
});
