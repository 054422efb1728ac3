// The delete budget: a pass that would prune more than a unit's share prunes nothing,
// fails, and waits for a confirmation of that revision (annotation or flag).
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  confirmsRevision,
  deleteBudgetDecision,
  parseDeleteBudget,
} from "../../agent/delete-budget.ts";
import { TestRepo } from "../helpers/git-repo.ts";
import { kubectl, kubectlRun } from "../helpers/kubectl.ts";
import { tether } from "../helpers/tether.ts";

describe("deleteBudgetDecision", () => {
  const cases: [string, Parameters<typeof deleteBudgetDecision>[0], boolean][] = [
    [
      "half of the inventory is within 50%",
      { owned: 4, toPrune: 2, budget: 0.5, confirmed: false },
      true,
    ],
    ["more than half is refused", { owned: 4, toPrune: 3, budget: 0.5, confirmed: false }, false],
    ["499 of 500", { owned: 500, toPrune: 499, budget: 0.5, confirmed: false }, false],
    ["confirmed", { owned: 500, toPrune: 499, budget: 0.5, confirmed: true }, true],
    ["budget off", { owned: 500, toPrune: 500, budget: 1, confirmed: false }, true],
    ["nothing to prune", { owned: 0, toPrune: 0, budget: 0.5, confirmed: false }, true],
    [
      "a budget of 0 refuses any prune",
      { owned: 10, toPrune: 1, budget: 0, confirmed: false },
      false,
    ],
  ];
  for (const [name, input, prune] of cases) {
    test(name, () => assert.equal(deleteBudgetDecision(input).prune, prune));
  }
  test("the refusal says how many, the budget and how to confirm", () => {
    const d = deleteBudgetDecision({ owned: 500, toPrune: 499, budget: 0.5, confirmed: false });
    assert.ok(!d.prune);
    assert.match(
      d.message,
      /would prune 499 of 500 objects, more than the delete budget of 50%: nothing pruned/,
    );
    assert.match(d.message, /tether\.dev\/confirm-prune=<revision>/);
  });
  test("budgets parse as percentages, shares or off", () => {
    assert.equal(parseDeleteBudget("50%", "x"), 0.5);
    assert.equal(parseDeleteBudget("0.25", "x"), 0.25);
    assert.equal(parseDeleteBudget(80, "x"), 0.8);
    assert.equal(parseDeleteBudget("off", "x"), 1);
    assert.throws(
      () => parseDeleteBudget("lots", "units[0].deleteBudget"),
      /units\[0\]\.deleteBudget/,
    );
  });
  test("a confirmation names the revision (7 characters at least)", () => {
    assert.equal(confirmsRevision("0123456", "0123456789abcdef"), true);
    assert.equal(confirmsRevision("012345", "0123456789abcdef"), false);
    assert.equal(confirmsRevision("fedcba9", "0123456789abcdef"), false);
    assert.equal(confirmsRevision(undefined, "0123456789abcdef"), false);
  });
});

const id = randomBytes(3).toString("hex");
const ns = `budget-${id}`;
const records = `tether-budget-${id}`;
const cacheDir = join(tmpdir(), `tether-budget-cache-${id}`);
let repo: TestRepo;
const sync = (extra: string[] = []) =>
  tether([
    "sync",
    "--once",
    "--git-url",
    repo.url,
    "--git-path",
    "apps",
    "--prune",
    "--namespace",
    records,
    "--cache-dir",
    cacheDir,
    ...extra,
  ]);
const names = async () =>
  (await kubectl(["get", "configmaps", "-n", ns, "-l", "budget=yes", "-o", "name"]))
    .split("\n")
    .filter(Boolean)
    .sort();

before(async () => {
  repo = await TestRepo.create("budget");
  repo.write("apps/ns.yaml", `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${ns}}\n`);
  for (const n of ["a", "b", "c", "d", "e"])
    repo.write(
      `apps/${n}.yaml`,
      `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${n}, namespace: ${ns}, labels: {budget: "yes"}}\n`,
    );
  await repo.push("six objects");
});
after(async () => {
  repo.cleanup();
  await kubectlRun(["delete", "namespace", ns, records, "--wait=false"]);
});

describe("tether sync past the delete budget", () => {
  test("removing 4 of 6 objects prunes nothing and exits 1 until the revision is confirmed", async () => {
    assert.equal((await sync()).code, 0);
    for (const n of ["b", "c", "d", "e"]) repo.remove(`apps/${n}.yaml`);
    const revision = await repo.push("remove most");

    const refused = await sync();
    assert.equal(refused.code, 1, refused.stdout + refused.stderr);
    assert.match(
      refused.stdout,
      /would prune 4 of 6 objects, more than the delete budget of 50%: nothing pruned/,
    );
    assert.equal((await names()).length, 5);
    // A second pass still refuses: the candidates stayed in the inventory.
    assert.equal((await sync()).code, 1);
    assert.equal((await names()).length, 5);

    // Confirmed for another revision: still refused.
    await kubectl([
      "annotate",
      "configmap",
      `tether-unit-apps`,
      "-n",
      records,
      "--overwrite",
      "tether.dev/confirm-prune=0000000",
    ]);
    assert.equal((await sync()).code, 1);
    await kubectl([
      "annotate",
      "configmap",
      `tether-unit-apps`,
      "-n",
      records,
      "--overwrite",
      `tether.dev/confirm-prune=${revision.slice(0, 12)}`,
    ]);
    const confirmed = await sync();
    assert.equal(confirmed.code, 0, confirmed.stdout + confirmed.stderr);
    assert.deepEqual(await names(), [`configmap/a`]);
  });

  test("--confirm-prune confirms one sync; --delete-budget off opts out", async () => {
    repo.write(
      "apps/f.yaml",
      `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: f, namespace: ${ns}, labels: {budget: "yes"}}\n`,
    );
    repo.write(
      "apps/g.yaml",
      `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: g, namespace: ${ns}, labels: {budget: "yes"}}\n`,
    );
    await repo.push("two more");
    assert.equal((await sync()).code, 0);
    repo.remove("apps/f.yaml").remove("apps/g.yaml").remove("apps/a.yaml");
    await repo.push("remove three of four");
    assert.equal((await sync()).code, 1);
    assert.equal((await names()).length, 3);
    assert.equal((await sync(["--confirm-prune"])).code, 0);
    assert.deepEqual(await names(), []);

    for (const n of ["h", "i"])
      repo.write(
        `apps/${n}.yaml`,
        `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${n}, namespace: ${ns}, labels: {budget: "yes"}}\n`,
      );
    await repo.push("two");
    assert.equal((await sync()).code, 0);
    repo.remove("apps/h.yaml").remove("apps/i.yaml");
    await repo.push("remove both");
    assert.equal((await sync(["--delete-budget", "off"])).code, 0);
    assert.deepEqual(await names(), []);
  });
});
