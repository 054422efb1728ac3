// shared/ is the core both halves build on: it must never reach into a consumer
// (action/, agent/) or into the CLI wiring (cli/), or the layering inverts and the
// Action's bundle drags the agent along (and the other way round).
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const CONSUMERS = ["action", "agent", "cli"];

/** Relative specifiers of static imports, re-exports and dynamic imports in `source`. */
export function importSpecifiers(source: string): string[] {
  const found: string[] = [];
  const pattern = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)["']([^"']+)["']/g;
  for (const match of source.matchAll(pattern)) found.push(match[1] as string);
  return found;
}

/** The top-level folder a specifier in `file` (repository-relative) points into, if relative. */
function topFolder(file: string, specifier: string): string | undefined {
  if (!specifier.startsWith(".")) return undefined;
  const target = relative(root, resolve(root, dirname(file), specifier));
  return target.split("/")[0];
}

/** Every `file -> specifier` in shared/ that points into a consumer folder. */
function violations(files: Map<string, string>): string[] {
  const out: string[] = [];
  for (const [file, source] of files) {
    for (const spec of importSpecifiers(source)) {
      const top = topFolder(file, spec);
      if (top !== undefined && CONSUMERS.includes(top)) out.push(`${file} -> ${spec}`);
    }
  }
  return out;
}

function sharedSources(): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(join(root, "shared"), { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith(".ts")) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(relative(root, path), readFileSync(path, "utf8"));
  }
  return files;
}

describe("shared/ layering", () => {
  test("the checker sees static, type-only and dynamic imports of a consumer", () => {
    const sample = new Map([
      ["shared/x/a.ts", 'import { run } from "../../agent/loop.ts";'],
      ["shared/b.ts", 'import type { X } from "../action/build/tags.ts";'],
      ["shared/c.ts", 'const m = await import("../cli/cli.ts");'],
      ["shared/d.ts", 'export { y } from "./kube/client.ts";\nimport "yaml";'],
    ]);
    assert.deepEqual(violations(sample), [
      "shared/x/a.ts -> ../../agent/loop.ts",
      "shared/b.ts -> ../action/build/tags.ts",
      "shared/c.ts -> ../cli/cli.ts",
    ]);
  });

  test("no file under shared/ imports from action/, agent/ or cli/", () => {
    const files = sharedSources();
    assert.ok(files.size > 10, `found ${files.size} files under shared/`);
    assert.deepEqual(violations(files), []);
  });
});
