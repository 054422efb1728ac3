// Third-party actions run with the workflow's token: a moved tag would run other code.
// The Action itself and the workflows the README tells users to copy name each one by
// its full commit SHA (the tag kept in a comment).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const read = (path: string) =>
  readFileSync(fileURLToPath(new URL(`../../${path}`, import.meta.url)), "utf8");

test("README workflows and action.yml pin third-party actions by commit SHA", () => {
  const unpinned: string[] = [];
  for (const file of ["README.md", "action.yml"]) {
    for (const m of read(file).matchAll(/^\s*-?\s*uses:\s*([^\s#]+)/gm)) {
      const ref = m[1] as string;
      // Local actions and Tether itself (what the README is about) are not third-party.
      if (ref.startsWith("./") || ref.startsWith("tether-gitops/tether@")) continue;
      if (!/@[0-9a-f]{40}$/.test(ref)) unpinned.push(`${file}: ${ref}`);
    }
  }
  assert.deepEqual(unpinned, []);
});
