// dist/ is committed because the Action runs it; it must be exactly what the sources build.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { buildCli } from "../.ci/build.ts";

test("dist/cli.js matches a fresh build (run `npm run build` and commit dist/)", async () => {
  const dir = mkdtempSync(join(tmpdir(), "tether-dist-"));
  try {
    const fresh = join(dir, "cli.js");
    await buildCli(fresh);
    const committed = readFileSync(new URL("../dist/cli.js", import.meta.url), "utf8");
    assert.ok(committed === readFileSync(fresh, "utf8"), "dist/cli.js is stale");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
