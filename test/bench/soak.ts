// Soak benchmark of `tether agent` (prints figures; no assertions). Run:
//   source .testenv/env.sh && node test/bench/soak.ts [passes=500] [objects=20]
//
// One unit of N ConfigMaps at a 1 s interval, with faults injected on a schedule:
// every 50th pass the Git server goes away for 5 s (through a TCP proxy), every 100th
// the API server goes away for 3 s, every 25th a ConfigMap is edited by hand, every
// 40th a commit changes one object. Prints the agent's RSS at pass 50 and at the end,
// and the pass counts from /metrics next to the passes counted in its log, so that
// every pass is accounted for. The agent runs from the sources with the Deployment's heap
// limits.
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { AgentProcess, waitFor } from "../helpers/agent.ts";
import { FaultProxy } from "../helpers/fault-proxy.ts";
import { TestRepo } from "../helpers/git-repo.ts";
import { run } from "../helpers/run.ts";
import { testenv } from "../helpers/testenv.ts";
import { kubectlEnv } from "../helpers/tether.ts";
import { nodeFlags } from "./deployment.ts";

const passes = Number(process.argv[2] ?? 500);
const count = Number(process.argv[3] ?? 20);
const id = randomBytes(3).toString("hex");
const ns = `soak-${id}`;
const records = `tether-soak-${id}`;
const dir = mkdtempSync(join(tmpdir(), "tether-soak-"));
const cm = (i: number, v: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c${i}, namespace: ${ns}}\ndata: {k: "${v}"}\n`;

const repo = await TestRepo.create("soak");
repo.write("apps/ns.yaml", `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${ns}}\n`);
for (let i = 0; i < count; i++) repo.write(`apps/c${i}.yaml`, cm(i, "0"));
await repo.push("start");
const gitUrl = new URL(testenv().gitUrl);
const git = await FaultProxy.start(gitUrl.hostname, Number(gitUrl.port));
const admin = readFileSync(testenv().kubeconfig, "utf8");
const server = /server: (https:\/\/127\.0\.0\.1:(\d+))/.exec(admin) as RegExpExecArray;
const api = await FaultProxy.start("127.0.0.1", Number(server[2]));
const kubeconfig = join(dir, "kubeconfig");
writeFileSync(kubeconfig, admin.replace(server[1] as string, `https://127.0.0.1:${api.port}`));
const config = join(dir, "config.yaml");
writeFileSync(
  config,
  stringify({
    namespace: records,
    git: { url: `http://127.0.0.1:${git.port}/${repo.name}.git`, branch: "main" },
    interval: "1s",
    units: [{ name: `soak-${id}`, path: "apps", prune: true }],
  }),
);
// The Deployment's heap limits (agent/install/deployment.yaml), so that the growth printed
// is the deployed agent's: with Node's defaults V8 lets the heap grow far before it
// collects (500 passes: 135 -> 222 MiB, against 117 -> 119 MiB over 200 passes with
// these). Its other flags (--no-opt, ...) are V8's, which NODE_OPTIONS refuses.
const heapFlags = nodeFlags.filter((flag) => /^--max-(old|semi)-space-size=/.test(flag));
const agent = await AgentProcess.start(config, ["--cache-dir", join(dir, "cache")], {
  NODE_OPTIONS: heapFlags.join(" "),
  KUBECONFIG: kubeconfig,
  TETHER_GIT_USERNAME: testenv().gitUser,
  TETHER_GIT_PASSWORD: testenv().gitPassword,
});

const rssMiB = () => {
  const status = readFileSync(`/proc/${agent.child.pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
};
const total = async () =>
  ((await agent.metric('tether_passes_total{result="ok"}')) ?? 0) +
  ((await agent.metric('tether_passes_total{result="failed"}')) ?? 0);

const started = Date.now();
let rssAt50 = 0;
let done = 0;
let commits = 0;
const faults = { git: 0, api: 0, edits: 0 };
try {
  await agent.probe("/readyz", 200, 120_000);
  while (done < passes) {
    const next = done + 1;
    done = await waitFor(
      `pass ${next}`,
      async () => {
        const t = await total();
        return t >= next ? t : undefined;
      },
      120_000,
    );
    if (done >= 50 && rssAt50 === 0) rssAt50 = rssMiB();
    if (done % 50 === 0 && done < passes) {
      faults.git++;
      await git.down();
      setTimeout(() => void git.up(), 5_000);
    }
    if (done % 100 === 0 && done < passes) {
      faults.api++;
      await api.down();
      setTimeout(() => void api.up(), 3_000);
    }
    if (done % 25 === 0) {
      faults.edits++;
      await run(
        "kubectl",
        [
          "patch",
          "configmap",
          `c${done % count}`,
          "-n",
          ns,
          "--type=merge",
          "-p",
          '{"data":{"k":"hacked"}}',
        ],
        { env: kubectlEnv() },
      );
    }
    if (done % 40 === 0) {
      commits++;
      repo.write(`apps/c${commits % count}.yaml`, cm(commits % count, String(commits)));
      await repo.push(`change ${commits}`).catch(() => undefined);
    }
  }
  const rssEnd = rssMiB();
  const { body } = await agent.get("/metrics");
  const pick = (prefix: string) =>
    body
      .split("\n")
      .filter((l) => l.startsWith(prefix))
      .join("\n");
  const logged = {
    ok: (agent.output.match(/ pass ok /g) ?? []).length,
    failed: (agent.output.match(/ pass failed /g) ?? []).length,
  };
  process.stdout.write(
    [
      `soak: ${done} passes of one unit (${count} ConfigMaps, 1s interval) in ${Math.round((Date.now() - started) / 1000)}s`,
      `faults injected: Git away ${faults.git}x 5s, API server away ${faults.api}x 3s, ${faults.edits} hand edits, ${commits} commits`,
      `RSS at pass 50: ${rssAt50.toFixed(1)} MiB; at pass ${done}: ${rssEnd.toFixed(1)} MiB (growth ${(((rssEnd - rssAt50) / rssAt50) * 100).toFixed(1)}%)`,
      "metrics:",
      pick("tether_passes_total"),
      pick("tether_unit_syncs_total"),
      pick("tether_unexpected_errors_total"),
      pick("tether_git_polls_total"),
      `passes in the log: ${logged.ok} ok, ${logged.failed} failed (${logged.ok + logged.failed} in all)`,
      "",
    ].join("\n"),
  );
} finally {
  agent.kill("SIGTERM");
  await Promise.race([agent.exited, new Promise((r) => setTimeout(r, 10_000))]);
  agent.kill();
  await git.down();
  await api.down();
  repo.cleanup();
  rmSync(dir, { recursive: true, force: true });
  await run("kubectl", ["delete", "namespace", ns, records, "--wait=false"], { env: kubectlEnv() });
}
