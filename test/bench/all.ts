// Every benchmark in one run (prints figures; no assertions):
//   source .testenv/env.sh && node test/bench/all.ts
// Runs each benchmark script of this folder that exists, one after another, with its
// default size: start-up, validate (1,000 documents), validate against kubeconform and
// opa (10,000 and 50,000 resources), sync (1,000 objects, with the agent's RSS), image
// scans, render memory, the agent soak (500 passes, about 10 minutes), and the Flux and
// Helm benchmarks when they are there. SKIP=soak.ts,images.ts leaves some out. One failing benchmark is
// reported and the others still run; the exit code is 1 if any failed.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const BENCHMARKS: [file: string, args: string[]][] = [
  ["startup.ts", []],
  ["validate.ts", []],
  ["validate-10k.ts", []],
  ["sync.ts", ["1000"]],
  ["images.ts", []],
  ["render-memory.ts", []],
  ["soak.ts", []],
  ["flux.ts", []],
  ["helm.ts", []],
];

const skip = new Set((process.env.SKIP ?? "").split(",").map((s) => s.trim()));
let failed = 0;
for (const [file, args] of BENCHMARKS) {
  const path = fileURLToPath(new URL(`./${file}`, import.meta.url));
  if (!existsSync(path) || skip.has(file)) continue;
  console.log(`\n===== test/bench/${file} ${args.join(" ")}`.trimEnd());
  const started = performance.now();
  const result = spawnSync(process.execPath, [path, ...args], { stdio: "inherit" });
  const took = ((performance.now() - started) / 1000).toFixed(0);
  if (result.status !== 0) {
    failed++;
    console.log(`===== test/bench/${file} FAILED (exit ${result.status}) after ${took} s`);
  } else {
    console.log(`===== test/bench/${file} done in ${took} s`);
  }
}
process.exitCode = failed > 0 ? 1 : 0;
