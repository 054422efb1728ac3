// Benchmark of the Helm step against the local environment (prints figures; no
// assertions). Run: source .testenv/env.sh && node test/bench/helm.ts [releases]
//
// N HelmReleases of the small test chart from one HTTP chart repository (basic auth),
// applied and released by one `tether sync --once`: time until all are Ready and the
// agent's peak RSS (VmHWM of the tether process; helm runs as child processes and is
// measured apart). Then a pass with nothing changed: time, and the Helm upgrades it
// ran (the release revisions must not move). Flux's published figure, for scale:
// 1,000 HelmReleases in 4 m 39 s with 361 MiB for helm-controller.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chartsAuthSecret } from "../helpers/charts.ts";
import { TestRepo } from "../helpers/git-repo.ts";
import { mustRun, run } from "../helpers/run.ts";
import { chartsEnv, testenv } from "../helpers/testenv.ts";

const count = Number(process.argv[2] ?? 100);
const id = randomBytes(3).toString("hex");
const env = testenv();
const charts = chartsEnv();
const ns = `bench-helm-${id}`;
const entry = fileURLToPath(new URL("../../cli/bin.ts", import.meta.url));
const cacheDir = mkdtempSync(join(tmpdir(), "tether-bench-helm-"));
const childEnv = { ...process.env, PATH: env.path, KUBECONFIG: env.kubeconfig };
const kubectl = (args: string[]) => mustRun("kubectl", args, { env: childEnv });

const docs = [
  `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n`,
  `apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: charts\n  namespace: ${ns}\nspec:\n  interval: 10m\n  url: ${charts.url}\n  secretRef:\n    name: charts-auth\n`,
];
for (let i = 0; i < count; i++) {
  docs.push(
    `apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: app-${i}\n  namespace: ${ns}\nspec:\n  interval: 10m\n  chart:\n    spec:\n      chart: app-demo\n      version: "0.1.x"\n      sourceRef:\n        kind: HelmRepository\n        name: charts\n  values:\n    message: release-${i}\n`,
  );
}

const repo = await TestRepo.create("bench-helm");
repo.write("releases/all.yaml", docs.join("---\n"));
await repo.push("releases");
await kubectl(["create", "namespace", ns]);
await chartsAuthSecret(ns);

/** Runs one sync; answers wall time, exit code, the tether process's peak RSS and its output. */
async function sync(): Promise<{ ms: number; code: number; peakKiB: number; stdout: string }> {
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [
      entry,
      "sync",
      "--once",
      "--git-url",
      repo.url,
      "--git-path",
      "releases",
      "--prune",
      "--namespace",
      `tether-bench-helm-${id}`,
      "--cache-dir",
      cacheDir,
    ],
    { env: childEnv, stdio: ["ignore", "pipe", "pipe"] },
  );
  let stdout = "";
  child.stdout.on("data", (d) => {
    stdout += d;
  });
  child.stderr.resume();
  let peakKiB = 0;
  const poll = setInterval(() => {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"));
      if (m) peakKiB = Math.max(peakKiB, Number(m[1]));
    } catch {
      // the process has exited
    }
  }, 100);
  const code = await new Promise<number>((r) => child.on("exit", (c) => r(c ?? 1)));
  clearInterval(poll);
  return { ms: performance.now() - started, code, peakKiB, stdout };
}

async function readyCount(): Promise<number> {
  const list = JSON.parse(
    await kubectl(["get", "helmreleases.helm.toolkit.fluxcd.io", "-n", ns, "-o", "json"]),
  ) as {
    items: { status?: { conditions?: { type: string; status: string }[] } }[];
  };
  return list.items.filter((i) =>
    i.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True"),
  ).length;
}

async function revisions(): Promise<Map<string, string>> {
  const out = await mustRun("helm", ["list", "-n", ns, "--max", "0", "-o", "json"], {
    env: {
      ...childEnv,
      HELM_CACHE_HOME: join(cacheDir, "bench-helm"),
      HELM_CONFIG_HOME: join(cacheDir, "bench-helm"),
    },
  });
  return new Map(
    (JSON.parse(out) as { name: string; revision: string }[]).map((r) => [r.name, r.revision]),
  );
}

const first = await sync();
const ready = await readyCount();
console.log(`${count} HelmReleases from one HTTP chart repository (basic auth), 4 at a time`);
console.log(
  `  first sync: ${(first.ms / 1000).toFixed(1)}s (exit ${first.code}), ${ready}/${count} Ready, tether peak RSS ${(first.peakKiB / 1024).toFixed(1)} MiB`,
);
// Why a release was not Ready (first lines), so a figure below 100% explains itself.
for (const line of first.stdout
  .split("\n")
  .filter((l) => / not-ready: helm /.test(l))
  .slice(0, 5))
  console.log(`    not ready: ${line.trim()}`);
const before = await revisions();
const second = await sync();
const after = await revisions();
const upgrades = [...after].filter(([name, rev]) => before.get(name) !== rev).length;
const unchangedLines = second.stdout
  .split("\n")
  .filter((l) => / (?:not-)?ready: helm unchanged/.test(l)).length;
console.log(
  `  no-change pass: ${(second.ms / 1000).toFixed(1)}s (exit ${second.code}), Helm upgrades ${upgrades}, releases reported unchanged ${unchangedLines}/${count}, tether peak RSS ${(second.peakKiB / 1024).toFixed(1)} MiB`,
);
console.log("  Flux (published): 1,000 HelmReleases in 4 m 39 s, helm-controller 361 MiB");

await run("kubectl", ["delete", "namespace", ns, `tether-bench-helm-${id}`, "--wait=false"], {
  env: childEnv,
});
repo.cleanup();
rmSync(cacheDir, { recursive: true, force: true });
