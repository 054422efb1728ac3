// Start-up of the bundled CLI (prints figures; no assertions). Run: node test/bench/startup.ts
// Builds dist/ into a temporary folder (as `npm run build` does), prints the size of
// dist/cli.js and of the chunks, then times `tether --version` and `tether --help`
// against a bare `node -e 0`, interleaved in one run (median of 7, with peak RSS), so
// the load of a shared machine weighs on all three alike.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { buildCli } from "../../.ci/build.ts";
import { PEAK_RSS_HOOK, peakRssMiB } from "./peak-rss.ts";

const RUNS = 7;
const dir = mkdtempSync(join(tmpdir(), "tether-bench-startup-"));
const size = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

/** Wall time (ms) and peak RSS (MiB) of one run of node with `args`. */
function once(args: string[]): { ms: number; mib: number } {
  const started = performance.now();
  const result = spawnSync(process.execPath, ["--import", PEAK_RSS_HOOK, ...args], {
    cwd: dir,
    encoding: "utf8",
  });
  const ms = performance.now() - started;
  if (result.status !== 0) throw new Error(`node ${args.join(" ")} failed: ${result.stderr}`);
  return { ms, mib: peakRssMiB(result.stderr) ?? 0 };
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

try {
  await buildCli(dir);
  const cli = join(dir, "cli.js");
  const folder = (name: string) => {
    const sizes = readdirSync(join(dir, name)).map((f) => statSync(join(dir, name, f)).size);
    return `dist/${name}/ ${sizes.length} files, ${size(sizes.reduce((a, b) => a + b, 0))}`;
  };
  // validators/: the precompiled schema validators, read only by validate.
  console.log(
    `# start-up: dist/cli.js ${size(statSync(cli).size)}; ${folder("chunks")}; ${folder("validators")}; load average ${loadavg()[0]?.toFixed(2)}`,
  );
  const cases: [string, string[]][] = [
    ["node -e 0 (bare Node, same run)", ["-e", "0"]],
    ["tether --version", [cli, "--version"]],
    ["tether --help", [cli, "--help"]],
  ];
  const runs = new Map<string, { ms: number; mib: number }[]>(cases.map(([label]) => [label, []]));
  for (let r = 0; r < RUNS; r++) {
    for (const [label, args] of cases) runs.get(label)?.push(once(args));
  }
  for (const [label] of cases) {
    const all = runs.get(label) ?? [];
    const ms = median(all.map((x) => x.ms));
    const mib = median(all.map((x) => x.mib));
    console.log(
      `${label.padEnd(34)} ${(ms / 1000).toFixed(2)} s (median of ${RUNS}), peak RSS ${mib.toFixed(0)} MiB`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
