// `tether sync --once` end to end against the local Git server and Kubernetes: the
// steps run in order on one repository, as a person's commits would.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { TestRepo } from "../helpers/git-repo.ts";
import { exists, kubectl, kubectlRun } from "../helpers/kubectl.ts";
import { mustRun, type RunResult } from "../helpers/run.ts";
import { testenv } from "../helpers/testenv.ts";
import { expectExit, tether } from "../helpers/tether.ts";

const id = randomBytes(3).toString("hex");
const ns = `sync-${id}`;
const recordsNs = `tether-sync-${id}`;
const group = `sync${id}.tether.dev`;
const cacheDir = join(tmpdir(), `tether-sync-cache-${id}`);
let repo: TestRepo;

function sync(extra: string[] = [], url = repo.url) {
  return tether([
    "sync",
    "--once",
    "--git-url",
    url,
    "--git-path",
    "clusters/edge-1/apps",
    "--prune",
    "--namespace",
    recordsNs,
    "--cache-dir",
    cacheDir,
    ...extra,
  ]);
}

const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: gadgets.${group}
spec:
  group: ${group}
  scope: Namespaced
  names: {plural: gadgets, singular: gadget, kind: Gadget}
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec: {type: object, properties: {size: {type: integer}}}
`;

const app = `apiVersion: v1
kind: Namespace
metadata:
  name: ${ns}
---
apiVersion: ${group}/v1
kind: Gadget
metadata:
  name: g1
  namespace: ${ns}
spec:
  size: 3
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: ${ns}
data:
  mode: edge
`;

const extra = `apiVersion: v1
kind: ConfigMap
metadata:
  name: extra
  namespace: ${ns}
data:
  a: "1"
`;

before(async () => {
  repo = await TestRepo.create("sync");
  repo.write("clusters/edge-1/apps/crd.yaml", crd);
  repo.write("clusters/edge-1/apps/app.yaml", app);
  repo.write("clusters/edge-1/apps/extra.yaml", extra);
  repo.write("clusters/edge-1/apps/README.md", "not a manifest\n");
  await repo.push("first");
});

after(async () => {
  repo.cleanup();
  await kubectlRun(["delete", "namespace", ns, recordsNs, "--wait=false"]);
  await kubectlRun(["delete", "crd", `gadgets.${group}`, "--wait=false"]);
});

// One describe: the steps build on each other and must run in this order.
describe("tether sync --once, render and diff", () => {
  test("the first sync creates everything, a CRD and its custom resource in one commit", async () => {
    const result = await sync();
    assert.equal(result.code, 0, result.stdout + result.stderr);
    for (const line of [
      `CustomResourceDefinition/gadgets.${group} created`,
      `Namespace/${ns} created`,
      `Gadget/${ns}/g1 created`,
      `ConfigMap/${ns}/settings created`,
      `ConfigMap/${ns}/extra created`,
    ]) {
      assert.ok(result.stdout.includes(line), `missing "${line}" in:\n${result.stdout}`);
    }
    const gadget = JSON.parse(
      await kubectl(["get", `gadgets.${group}`, "g1", "-n", ns, "-o", "json"]),
    );
    assert.equal(gadget.spec.size, 3);
    assert.equal(gadget.metadata.labels["tether.dev/unit"], "clusters-edge-1-apps");
  });

  test("a second sync changes nothing and says so", async () => {
    const result = await sync();
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /0 created, 0 configured, 5 unchanged, 0 pruned/);
  });

  test("read-only by default: the sync tag moves only with --git-push-sync-tag", async () => {
    // Syncs read Git and never write it unless asked: clusters need only read tokens.
    const tagOf = async () =>
      (await mustRun("git", ["ls-remote", repo.url, "refs/tags/tether-sync"])).split("\t")[0];
    assert.equal(await tagOf(), "", "a default sync pushed the sync tag");
    assert.equal((await sync(["--git-push-sync-tag"])).code, 0);
    const applied = await tagOf();
    assert.ok(applied);
    const next = await repo.push("an empty commit");
    assert.notEqual(applied, next);
    assert.equal((await sync()).code, 0);
    assert.equal(await tagOf(), applied);
    assert.equal((await sync(["--git-push-sync-tag"])).code, 0);
    assert.equal(await tagOf(), next);
  });

  test("a hand edit of a managed field is reverted and counted as drift", async () => {
    await kubectl([
      "patch",
      "configmap",
      "settings",
      "-n",
      ns,
      "--type=merge",
      "-p",
      '{"data":{"mode":"hacked"}}',
    ]);
    const result = await sync();
    assert.equal(result.code, 0, result.stderr);
    assert.ok(result.stdout.includes(`ConfigMap/${ns}/settings configured`), result.stdout);
    assert.match(result.stdout, /1 drifted/);
    const cm = JSON.parse(await kubectl(["get", "configmap", "settings", "-n", ns, "-o", "json"]));
    assert.equal(cm.data.mode, "edge");
  });

  test("removing a file prunes its objects and nothing else", async () => {
    repo.remove("clusters/edge-1/apps/extra.yaml");
    await repo.push("remove extra");
    const result = await sync();
    assert.equal(result.code, 0, result.stderr);
    assert.ok(result.stdout.includes(`ConfigMap/${ns}/extra pruned`), result.stdout);
    assert.equal(await exists("configmap", "extra", "-n", ns), false);
    assert.equal(await exists("configmap", "settings", "-n", ns), true);
    assert.equal(await exists(`gadgets.${group}`, "g1", "-n", ns), true);
  });

  test("a broken YAML file fails the sync with its file and line, and deletes nothing", async () => {
    repo.write(
      "clusters/edge-1/apps/app.yaml",
      `${app}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: broken\n  name: twice\n`,
    );
    repo.remove("clusters/edge-1/apps/crd.yaml");
    await repo.push("broken");
    const result = await sync();
    assert.equal(result.code, 1);
    assert.match(
      result.stdout,
      /clusters\/edge-1\/apps\/app\.yaml:\d+: invalid YAML: Map keys must be unique/,
    );
    // The CRD file is gone from the commit too, yet nothing was pruned.
    assert.equal(await exists("crd", `gadgets.${group}`), true);
    assert.equal(await exists("configmap", "settings", "-n", ns), true);
    const status = JSON.parse(
      (await tether(["status", "--namespace", recordsNs, "-o", "json"], { exit: 0 })).stdout,
    );
    assert.equal(status[0].result, "Failed");
    assert.match(status[0].lastError, /app\.yaml:\d+/);
    repo.write("clusters/edge-1/apps/app.yaml", app);
    repo.write("clusters/edge-1/apps/crd.yaml", crd);
    await repo.push("fixed");
    assert.equal((await sync()).code, 0);
  });

  test("an object the server rejects is named with its file:line; the rest still applies", async () => {
    repo.write(
      "clusters/edge-1/apps/bad.yaml",
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fine\n  namespace: ${ns}\ndata: {a: b}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: typo\n  namespace: ${ns}\ndatta: {a: b}\n---\napiVersion: nowhere.tether.dev/v1\nkind: Unknown\nmetadata:\n  name: u\n  namespace: ${ns}\n`,
    );
    await repo.push("bad objects");
    const result = await sync();
    assert.equal(result.code, 1);
    assert.match(
      result.stdout,
      /ConfigMap\/[\w-]+\/typo failed: clusters\/edge-1\/apps\/bad\.yaml:8: .*datta/,
    );
    assert.match(
      result.stdout,
      /Unknown\/[\w-]+\/u failed: clusters\/edge-1\/apps\/bad\.yaml:15: .*does not know Unknown/,
    );
    assert.ok(result.stdout.includes(`ConfigMap/${ns}/fine created`), result.stdout);
    repo.remove("clusters/edge-1/apps/bad.yaml");
    await repo.push("remove bad objects");
    const fixed = await sync();
    assert.equal(fixed.code, 0, fixed.stdout);
    assert.ok(fixed.stdout.includes(`ConfigMap/${ns}/fine pruned`), fixed.stdout);
  });

  test("an empty path is refused", async () => {
    repo.write("clusters/edge-1/empty/.keep", "");
    await repo.push("empty folder");
    const result = await tether([
      "sync",
      "--once",
      "--git-url",
      repo.url,
      "--git-path",
      "clusters/edge-1/empty",
      "--namespace",
      recordsNs,
      "--cache-dir",
      cacheDir,
    ]);
    assert.equal(result.code, 1);
    assert.match(result.stdout, /renders no objects/);
  });

  test("the password in the URL appears nowhere: output, status, events, cache", async () => {
    const password = testenv().gitPassword;
    const bad = new URL(repo.url);
    bad.password = `${password}-wrong`;
    const results = [
      await sync(),
      await sync([], bad.toString()),
      await tether(["status", "--namespace", recordsNs, "-o", "json"], { exit: 0 }),
    ];
    expectExit(results[0] as RunResult, 0, "sync");
    expectExit(results[1] as RunResult, 1, "sync with a wrong password");
    for (const r of results) {
      assert.ok(
        !(r.stdout + r.stderr).includes(password),
        `password printed:\n${r.stdout}${r.stderr}`,
      );
    }
    assert.match(results[1]?.stderr ?? "", /\*\*\*@127\.0\.0\.1/);
    const records = await kubectl(["get", "configmaps,events", "-n", recordsNs, "-o", "yaml"]);
    assert.ok(!records.includes(password), "password stored in the cluster");
    for (const dir of readdirSync(cacheDir)) {
      assert.ok(!readFileSync(join(cacheDir, dir, ".git", "config"), "utf8").includes(password));
    }
  });

  test("render prints the objects as YAML with their sources", async () => {
    const result = await tether(["render", join(repo.work, "clusters/edge-1/apps")]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(
      result.stdout,
      // Named from the root of the Git work tree around the path, as Git names them.
      /# Source: clusters\/edge-1\/apps\/app\.yaml:1\napiVersion: v1\nkind: Namespace/,
    );
    // app.yaml holds three objects, crd.yaml one.
    assert.equal((result.stdout.match(/^---$/gm) ?? []).length, 4);
  });

  test("diff reports what would change and changes nothing", async () => {
    repo.write("clusters/edge-1/apps/extra.yaml", extra);
    await repo.push("add extra again");
    const result = await tether([
      "diff",
      "--git-url",
      repo.url,
      "--git-path",
      "clusters/edge-1/apps",
      "--prune",
      "--namespace",
      recordsNs,
      "--cache-dir",
      cacheDir,
    ]);
    assert.equal(result.code, 0, result.stderr);
    assert.ok(result.stdout.includes(`ConfigMap/${ns}/extra created`), result.stdout);
    assert.equal(await exists("configmap", "extra", "-n", ns), false);
  });
});
