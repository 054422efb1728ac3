// Peak memory of a render against the agent's 256Mi limit (prints figures; no
// assertions). Run: node test/bench/render-memory.ts [MiB...] (default 4 7.5 50)
//
// Each size is a plain folder of ConfigMaps rendered by renderPath in a child process
// with the Deployment's NODE_OPTIONS (--max-old-space-size=128) and the default limits:
// below the render limit it prints the peak RSS; past it, the error and the (small)
// peak, since the size is checked before anything is read.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const sizes = process.argv.slice(2).map(Number);
const render = fileURLToPath(new URL("../../shared/render/render.ts", import.meta.url));
const root = mkdtempSync(join(tmpdir(), "tether-render-memory-"));
const child = `
const { renderPath } = await import(${JSON.stringify(render)});
const r = await renderPath(process.argv[1], process.argv[2]);
const peak = process.resourceUsage().maxRSS / 1024;
console.log(JSON.stringify({ objects: r.manifests.length, error: r.errors[0]?.message, peak }));
`;

function folder(mib: number): string {
  const dir = join(root, `r${mib}`);
  mkdirSync(dir);
  const value = "v".repeat(80);
  const perFile = 400;
  let bytes = 0;
  for (let f = 0; bytes < mib * 1024 * 1024; f++) {
    let text = "";
    for (let i = 0; i < perFile; i++) {
      text += `---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c${f}-${i}\n  labels: {app: a${i}}\ndata:\n`;
      for (let k = 0; k < 10; k++) text += `  key${k}: "${value}"\n`;
    }
    writeFileSync(join(dir, `f${f}.yaml`), text);
    bytes += text.length;
  }
  return `r${mib}`;
}

try {
  for (const mib of sizes.length > 0 ? sizes : [4, 7.5, 50]) {
    const path = folder(mib);
    const started = Date.now();
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", child, root, path], {
      env: { ...process.env, NODE_OPTIONS: "--max-old-space-size=128" },
      encoding: "utf8",
    });
    const r = JSON.parse(out) as { objects: number; error?: string; peak: number };
    process.stdout.write(
      `${mib} MiB: ${r.error ? `refused (${r.error.slice(0, 90)}...)` : `${r.objects} objects`}, peak RSS ${r.peak.toFixed(0)} MiB, ${Date.now() - started} ms\n`,
    );
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
