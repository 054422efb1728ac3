// Which runs a pass makes (decideRuns), from image objects read as the agent reads them
// (readImageConfig on files): no Git or registry is needed to decide. The cases the
// end-to-end tests (automations.test.ts) do not walk: a broken automation does nothing
// and never lets the default run take its place, the GitRepository's ref is the
// checkout when the automation names none, selectors by expression, and URLs of one
// repository written two ways.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { readImageConfig } from "../../../agent/automation/repo-config.ts";
import {
  type Decision,
  decideRuns,
  type Run,
  refspecRefusal,
} from "../../../agent/automation/runs.ts";

const top = mkdtempSync(join(tmpdir(), "tether-runs-"));
after(() => rmSync(top, { recursive: true, force: true }));
const here = { url: "https://git.example/org/fleet.git", branch: "main", path: "." };

let n = 0;
async function decide(...docs: string[]): Promise<Decision[]> {
  const dir = join(top, String(n++));
  mkdirSync(dir);
  writeFileSync(join(dir, "objects.yaml"), docs.join("---\n"));
  return decideRuns(await readImageConfig(dir), here);
}
const runOf = (d: Decision | undefined): Run => {
  assert.ok(d && "run" in d, JSON.stringify(d));
  return d.run;
};

const policy = (ns: string, name: string, labels = "{}", spec = "") =>
  `apiVersion: image.toolkit.fluxcd.io/v1\nkind: ImagePolicy\nmetadata: {name: ${name}, namespace: ${ns}, labels: ${labels}}\nspec:\n  imageRepositoryRef: {name: web}\n  policy: {semver: {range: "1.x"}}\n${spec}`;
const automation = (name: string, spec: string) =>
  `apiVersion: image.toolkit.fluxcd.io/v1\nkind: ImageUpdateAutomation\nmetadata: {name: ${name}, namespace: apps}\nspec:\n  interval: 1m\n  sourceRef: {kind: GitRepository, name: fleet}\n  git:\n    commit:\n      author: {email: bot@edge.example}\n${spec}`;
const gitRepository = (url: string, ref: string) =>
  `apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata: {name: fleet, namespace: apps}\nspec:\n  interval: 1m\n  url: ${url}\n  ref: ${ref}\n`;

test("without an automation: one run on the agent's branch and path, suspended policies left alone", async () => {
  const [only, ...rest] = await decide(
    policy("apps", "web"),
    policy("apps", "api", "{}", "  suspend: true\n"),
  );
  assert.equal(rest.length, 0);
  const run = runOf(only);
  assert.deepEqual(run.checkout, { branch: "main" });
  assert.equal(run.pushBranch, "main");
  assert.deepEqual([...run.policies], ["apps:web"]);
  assert.deepEqual([...run.notApplied], ["apps:api"]);
  assert.equal(run.v1, true);
  assert.match(run.notes.join(), /ImagePolicy apps:api is suspended/);
});

test("an automation that breaks its schema does nothing, and no default run replaces it", async () => {
  const decisions = await decide(
    policy("apps", "web"),
    automation(
      "typo",
      "    checkout: {ref: {branch: staging}}\n  update: {path: ./apps, pathh: x}\n",
    ),
  );
  assert.deepEqual(decisions, [
    { name: "apps/typo", skipped: "ImageUpdateAutomation apps/typo is not valid; nothing done" },
  ]);
});

test("a policySelector Kubernetes would not parse: the automation does nothing", async () => {
  const decisions = await decide(
    policy("apps", "web"),
    automation(
      "bad",
      "  policySelector:\n    matchExpressions: [{key: tier, operator: Equals, values: [x]}]\n",
    ),
  );
  assert.equal(decisions.length, 1);
  assert.ok(decisions[0] && "skipped" in decisions[0]);
});

test("the GitRepository's ref is the checkout when the automation names none; its URL may be written otherwise", async () => {
  const run = runOf(
    (
      await decide(
        gitRepository("ssh://git@git.example/org/fleet", "{branch: staging}"),
        policy("apps", "web"),
        automation("staging", ""),
      )
    )[0],
  );
  assert.deepEqual(run.checkout, { branch: "staging" });
  assert.equal(run.pushBranch, "staging");
  assert.equal(run.v1, false, "Flux v1 annotations belong to the agent's branch");
});

test("a commit beside a branch: built on the commit, pushed to the branch (as Flux)", async () => {
  const run = runOf(
    (
      await decide(automation("pinned", "    checkout: {ref: {branch: main, commit: abc123}}\n"))
    )[0],
  );
  assert.deepEqual(run.checkout, { commit: "abc123" });
  assert.equal(run.pushBranch, "main");
});

test("checkout refs Tether does not support are refused by name; a signing key of type ssh is served", async () => {
  const [semver, name, ssh] = await decide(
    automation("semver", "    checkout: {ref: {semver: '1.x'}}\n"),
    automation("name", "    checkout: {ref: {name: refs/pull/1/head}}\n    push: {branch: x}\n"),
    automation("ssh", "      signingKey: {type: ssh, secretRef: {name: key}}\n"),
  );
  assert.match(JSON.stringify(semver), /spec\.git\.checkout\.ref\.semver is not supported/);
  assert.match(JSON.stringify(name), /spec\.git\.checkout\.ref\.name is not supported/);
  assert.ok(ssh && "run" in ssh, JSON.stringify(ssh));
});

test("policySelector: matchExpressions with NotIn, Exists and DoesNotExist; other namespaces never", async () => {
  const run = runOf(
    (
      await decide(
        policy("apps", "a", "{tier: web, canary: 'true'}"),
        policy("apps", "b", "{tier: web}"),
        policy("apps", "c", "{tier: db}"),
        policy("other", "a", "{tier: web}"),
        automation(
          "web",
          "  policySelector:\n    matchExpressions:\n      - {key: tier, operator: NotIn, values: [db]}\n      - {key: tier, operator: Exists}\n      - {key: canary, operator: DoesNotExist}\n",
        ),
      )
    )[0],
  );
  assert.deepEqual([...run.policies], ["apps:b"]);
  assert.deepEqual([...run.notApplied].sort(), ["apps:a", "apps:c", "other:a"]);
});

test("a push refspec is source:destination, never forced, deleting, an option or a pattern", () => {
  for (const ok of ["HEAD:refs/for/main", "refs/heads/main:refs/heads/auto", "main:auto"])
    assert.equal(refspecRefusal(ok), undefined, ok);
  for (const [refspec, why] of [
    ["+refs/heads/main:refs/heads/auto", /forces/],
    ["--mirror", /not a refspec/],
    [":refs/heads/other", /deletes/],
    ["HEAD", /not source:destination/],
    ["refs/heads/*:refs/heads/*", /several refs/],
    ["main:", /no destination/],
  ] as const)
    assert.match(refspecRefusal(refspec) ?? "", why, refspec);
});
