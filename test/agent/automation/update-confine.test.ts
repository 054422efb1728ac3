// ImageUpdateAutomation.spec.update.path comes from Git, so it must not lead the
// writer out of the checkout: a path with `..`, or a symlink to a folder outside, is
// refused; a symlinked file inside is updated where it really is.
import assert from "node:assert/strict";
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { ScanOutcome } from "../../../agent/automation/scan.ts";
import { planUpdates } from "../../../agent/automation/update.ts";

let top: string;
let root: string;
const deployment = (image: string) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app}\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: ${image} # {"$imagepolicy": "flux-system:app"}\n`;
const write = (path: string, text: string) => {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
};
const outcome: ScanOutcome = {
  policies: [{ key: "flux-system:app", image: { image: "ghcr.io/org/app", tag: "1.1.0" } }],
  v1: [],
  requests: 0,
};

before(() => {
  top = mkdtempSync(join(tmpdir(), "tether-update-confine-"));
  root = join(top, "checkout");
  write(join(top, "outside/apps/deploy.yaml"), deployment("ghcr.io/org/app:1.0.0"));
  write(join(root, "apps/deploy.yaml"), deployment("ghcr.io/org/app:1.0.0"));
  write(join(root, "shared/common.yaml"), deployment("ghcr.io/org/app:1.0.0"));
});
after(() => rmSync(top, { recursive: true, force: true }));

describe("planUpdates confinement", () => {
  test("update.path with .. leaving the checkout is refused", async () => {
    await assert.rejects(planUpdates(root, "../outside", outcome), /leaves the repository/);
  });

  test("update.path through a symlink to a folder outside is refused", async () => {
    symlinkSync(join(top, "outside"), join(root, "elsewhere"));
    await assert.rejects(planUpdates(root, "elsewhere/apps", outcome), /leaves the repository/);
    assert.match(readFileSync(join(top, "outside/apps/deploy.yaml"), "utf8"), /app:1\.0\.0/);
  });

  test("a symlinked file inside is planned under its real path; one leading outside is refused", async () => {
    mkdirSync(join(root, "linked"));
    symlinkSync("../shared/common.yaml", join(root, "linked/common.yaml"));
    const plan = await planUpdates(root, "linked", outcome);
    assert.deepEqual([...plan.files.keys()], ["shared/common.yaml"]);
    symlinkSync(join(top, "outside/apps/deploy.yaml"), join(root, "linked/stolen.yaml"));
    await assert.rejects(planUpdates(root, "linked", outcome), /linked\/stolen\.yaml leaves/);
  });

  test("the checkout itself still works", async () => {
    unlinkSync(join(root, "linked/stolen.yaml"));
    unlinkSync(join(root, "elsewhere"));
    const plan = await planUpdates(root, ".", outcome);
    assert.deepEqual([...plan.files.keys()].sort(), ["apps/deploy.yaml", "shared/common.yaml"]);
  });
});
