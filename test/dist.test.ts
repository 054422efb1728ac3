// dist/ is committed because the Action runs it; it must be exactly what the sources build:
// the same files (dist/cli.js, dist/chunks/* and dist/validators/*), each with the same content.
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { buildCli, requireBuiltins } from "../.ci/build.ts";

const files = (dir: string) =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();

test("dist/ matches a fresh build (run `npm run build` and commit dist/)", async () => {
  const dir = mkdtempSync(join(tmpdir(), "tether-dist-"));
  try {
    await buildCli(dir);
    const committed = fileURLToPath(new URL("../dist", import.meta.url));
    assert.deepEqual(files(committed), files(dir), "dist/ has other files than a fresh build");
    for (const file of files(dir)) {
      assert.ok(
        readFileSync(join(committed, file), "utf8") === readFileSync(join(dir, file), "utf8"),
        `dist/${file} is stale`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// An ES import of a built-in module makes Node read all of its exports, and each lazy one
// loads its own modules (node:util loads worker_threads): the bundle requires them.
test("the bundle loads Node's built-in modules with require(), never an ES import", () => {
  const committed = fileURLToPath(new URL("../dist", import.meta.url));
  const imports = files(committed)
    .filter((f) => f.endsWith(".js"))
    .flatMap((f) =>
      readFileSync(join(committed, f), "utf8")
        .split("\n")
        .filter(
          (line) => /^import\b.*["']node:/.test(line) && !line.includes("__tetherCreateRequire"),
        )
        .map((line) => `${f}: ${line}`),
    );
  assert.deepEqual(imports, []);
});

test("requireBuiltins turns each form of import esbuild prints into a require()", () => {
  const banner = 'import { createRequire as __tetherCreateRequire } from "node:module";';
  assert.equal(
    requireBuiltins(
      [
        banner,
        'import { readFile, rm as remove } from "node:fs/promises";',
        'import * as nodeModule from "node:module";',
        'import childProcess from "node:child_process";',
        'import { version } from "./chunks/chunk-1.js";',
        "const text = 'import { x } from \"node:fs\";';",
      ].join("\n"),
    ),
    [
      banner,
      'const { readFile, rm: remove } = require("node:fs/promises");',
      'const nodeModule = require("node:module");',
      'const childProcess = require("node:child_process");',
      'import { version } from "./chunks/chunk-1.js";',
      "const text = 'import { x } from \"node:fs\";';",
    ].join("\n"),
  );
});
