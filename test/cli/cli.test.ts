// The bundled CLI runs on its own: dist/ (cli.js and its chunks) is copied where no
// node_modules exist.
import assert from "node:assert/strict";
import { cpSync, existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, describe, test } from "node:test";
import pkg from "../../package.json" with { type: "json" };
import { run } from "../helpers/run.ts";

let dir: string;
let cli: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), "tether-cli-"));
  cli = join(dir, "cli.js");
  cpSync(new URL("../../dist", import.meta.url), dir, { recursive: true });
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe("dist/cli.js without node_modules", () => {
  test("--help prints usage and exits 0", async () => {
    const result = await run(process.execPath, [cli, "--help"], { cwd: dir });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^Usage: tether /);
    assert.match(result.stdout, /--version/);
  });

  test("--help works with every node on PATH, not only Node 24 (as `node dist/cli.js` may be run)", async () => {
    const nodes = new Set<string>([process.execPath]);
    for (const dir of (process.env.PATH ?? "").split(":")) {
      const candidate = join(dir, "node");
      if (existsSync(candidate)) nodes.add(realpathSync(candidate));
    }
    for (const node of nodes) {
      const result = await run(node, [cli, "--help"], { cwd: dir });
      assert.equal(result.code, 0, `${node}: ${result.stderr}`);
      assert.match(result.stdout, /^Usage: tether /);
    }
  });

  test("--version loads only the entry and what it imports statically: a few KiB, not the program", () => {
    // Static imports load before the entry runs; dynamic ones (the program) only when used.
    let total = 0;
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(file, "utf8");
      total += text.length;
      for (const m of text.matchAll(/^(?:import|} from|export .* from)\s*.*?"(\.[^"]+)";$/gm)) {
        visit(join(dirname(file), m[1] as string));
      }
    };
    visit(cli);
    assert.ok(total < 16 * 1024, `${[...seen].join(", ")}: ${total} bytes`);
  });

  test("--version prints the package version", async () => {
    const result = await run(process.execPath, [cli, "--version"], { cwd: dir });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.trim(), pkg.version);
  });

  test("an unknown command is an error with a hint", async () => {
    const result = await run(process.execPath, [cli, "no-such-command"], { cwd: dir });
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /too many arguments|unknown command/);
  });
});
