// dist/ is committed because the Action runs it; it must be exactly what the sources build:
// the same files (dist/cli.js, dist/chunks/* and dist/validators/*), each with the same content.
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { buildCli } from "../.ci/build.ts";

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
