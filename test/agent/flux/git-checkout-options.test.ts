// A GitRepository's spec.sparseCheckout, spec.recurseSubmodules and spec.timeout
// (source.toolkit.fluxcd.io/v1), end to end with `tether sync --once` against the local
// Git server and Kubernetes: a sparse checkout holds only its folders (and is a cache
// folder of its own, apart from a full checkout of the same URL), submodules are fetched
// with the GitRepository's credentials and never from the agent's disk, and a fetch
// slower than spec.timeout fails that source alone.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { GIT_REPOSITORY_API } from "../../../agent/flux/kinds.ts";
import { resolveSource } from "../../../agent/flux/source.ts";
import type { KubeClient } from "../../../shared/kube/client.ts";
import { gitEnv, TestRepo } from "../../helpers/git-repo.ts";
import { exists, getJson, kubectl, kubectlRun } from "../../helpers/kubectl.ts";
import { mustRun } from "../../helpers/run.ts";
import { testenv } from "../../helpers/testenv.ts";
import { syncOnce } from "../../helpers/tether.ts";

const id = randomBytes(3).toString("hex");
const fs = `fsgco-${id}`;
const app = `gcoapp-${id}`;
const recordsNs = `tether-gco-${id}`;
const cacheDir = join(tmpdir(), `tether-gco-cache-${id}`);
const badCacheDir = join(tmpdir(), `tether-gco-badcache-${id}`);
let agent: TestRepo;
let mono: TestRepo;
let sub: TestRepo;
let parent: TestRepo;
let evil: TestRepo;
let nested: TestRepo;
let outer: TestRepo;

const sync = () =>
  syncOnce({ url: agent.url, path: "clusters/staging", namespace: recordsNs, cacheDir });

interface Condition {
  type: string;
  status: string;
  reason: string;
  message: string;
}
interface Status {
  conditions?: Condition[];
  artifact?: { revision: string };
  observedSparseCheckout?: string[];
  observedRecurseSubmodules?: boolean;
}
const readyOf = (status: Status | undefined) => status?.conditions?.find((c) => c.type === "Ready");
const ks = async (name: string) =>
  (await getJson(["kustomizations.kustomize.toolkit.fluxcd.io", name, "-n", fs])).status as Status;
const gitRepo = async (name: string) =>
  (await getJson(["gitrepositories.source.toolkit.fluxcd.io", name, "-n", fs])).status as Status;

const configMap = (name: string, from: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}, namespace: ${app}}\ndata: {from: ${from}}\n`;

const gitRepository = (
  name: string,
  url: string,
  extra = "",
) => `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: ${name}, namespace: ${fs}}
spec:
  interval: 5m
  url: ${url}
  ref: {branch: main}
  secretRef: {name: git-auth}
${extra}---
`;

const kustomization = (
  name: string,
  source: string,
  path: string,
) => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: ${name}, namespace: ${fs}}
spec:
  interval: 1h
  prune: true
  path: ${path}
  sourceRef: {kind: GitRepository, name: ${source}}
---
`;

/** Adds a submodule entry (a gitlink at `path` and its .gitmodules section) to `repo`'s index. */
async function addGitlink(repo: TestRepo, name: string, path: string, url: string, commit: string) {
  const git = (...args: string[]) => mustRun("git", args, { cwd: repo.work, env: gitEnv });
  await git("config", "-f", ".gitmodules", `submodule.${name}.path`, path);
  await git("config", "-f", ".gitmodules", `submodule.${name}.url`, url);
  await git("update-index", "--add", "--cacheinfo", `160000,${commit},${path}`);
  // An empty folder is an unpopulated submodule; without it `git add -A` drops the gitlink.
  mkdirSync(join(repo.work, path), { recursive: true });
}

/** The checkouts in the cache (folders with a .git), with their top-level folders. */
function checkouts(): { dir: string; folders: string[] }[] {
  if (!existsSync(cacheDir)) return [];
  return readdirSync(cacheDir)
    .filter((entry) => existsSync(join(cacheDir, entry, ".git")))
    .map((entry) => ({
      dir: entry,
      folders: readdirSync(join(cacheDir, entry), { withFileTypes: true })
        .filter((e) => e.isDirectory() && e.name !== ".git")
        .map((e) => e.name)
        .sort(),
    }));
}

before(async () => {
  const env = testenv();
  for (const ns of [fs, app]) await kubectl(["create", "namespace", ns]);
  await kubectl([
    "create",
    "secret",
    "generic",
    "git-auth",
    "-n",
    fs,
    `--from-literal=username=${env.gitUser}`,
    `--from-literal=password=${env.gitPassword}`,
  ]);

  mono = await TestRepo.create("gco-mono");
  await mono
    .write("README.md", "a monorepo\n")
    .write("apps/app.yaml", configMap("sparse-app", "apps"))
    .write("infra/infra.yaml", configMap("full-infra", "infra"))
    .write("docs/notes.yaml", configMap("docs-only", "docs"))
    .push("mono");

  sub = await TestRepo.create("gco-sub");
  const subCommit = await sub
    .write("deploy/sub.yaml", configMap("from-submodule", "sub"))
    .push("sub");

  // The parent names the submodule by the local Git server's URL (127.0.0.1, no
  // credentials in it) and once more relative to its own URL.
  parent = await TestRepo.create("gco-parent");
  parent.write("README.md", "a repository with a submodule\n");
  await addGitlink(parent, "sub", "vendor/sub", sub.plainUrl, subCommit);
  await addGitlink(parent, "rel", "vendor/rel", `../${sub.name}.git`, subCommit);
  await parent.push("parent with submodules");

  // A submodule on the agent's disk: the bare repository of the same server, by path
  // and by file:// URL. Neither may be read.
  evil = await TestRepo.create("gco-evil");
  evil.write("README.md", "submodules on the agent's disk\n");
  const onDisk = join(env.gitRoot, `${sub.name}.git`);
  await addGitlink(evil, "path", "vendor/path", onDisk, subCommit);
  await addGitlink(evil, "file", "vendor/file", `file://${onDisk}`, subCommit);
  await evil.push("evil by path");
  // One level down: a submodule over http whose own submodule is on the agent's disk.
  // Only git's protocol limits see it (the agent reads the first level's .gitmodules).
  nested = await TestRepo.create("gco-nested");
  nested.write("deploy/nested.yaml", configMap("nested", "nested"));
  await addGitlink(nested, "inner", "inner", onDisk, subCommit);
  const nestedCommit = await nested.push("nested with a submodule on disk");
  outer = await TestRepo.create("gco-outer");
  outer.write("README.md", "a submodule with a submodule\n");
  await addGitlink(outer, "nested", "nested", nested.plainUrl, nestedCommit);
  await outer.push("outer");

  agent = await TestRepo.create("gco-agent");
  agent.write(
    "clusters/staging/sources.yaml",
    gitRepository("mono-sparse", mono.plainUrl, "  sparseCheckout: [./apps]\n") +
      gitRepository("mono-full", mono.plainUrl) +
      gitRepository("mono-missing", mono.plainUrl, "  sparseCheckout: [./apps, ./nothing]\n") +
      gitRepository("with-sub", parent.plainUrl, "  recurseSubmodules: true\n") +
      gitRepository("without-sub", parent.plainUrl) +
      gitRepository("evil-path", evil.plainUrl, "  recurseSubmodules: true\n") +
      gitRepository("evil-nested", outer.plainUrl, "  recurseSubmodules: true\n") +
      gitRepository("slow", sub.plainUrl, "  timeout: 1ms\n") +
      kustomization("sparse-apps", "mono-sparse", "./apps") +
      kustomization("sparse-infra", "mono-sparse", "./infra") +
      kustomization("full-infra", "mono-full", "./infra") +
      kustomization("missing", "mono-missing", "./apps") +
      kustomization("submodule", "with-sub", "./vendor/sub/deploy") +
      kustomization("submodule-rel", "with-sub", "./vendor/rel/deploy") +
      kustomization("no-submodule", "without-sub", "./vendor/sub/deploy") +
      kustomization("evil-path", "evil-path", "./") +
      kustomization("evil-nested", "evil-nested", "./nested/deploy") +
      kustomization("slow", "slow", "./deploy"),
  );
  await agent.push("sources");
});

after(async () => {
  for (const ns of [app, fs, recordsNs]) {
    await kubectlRun(["delete", "namespace", ns, "--wait=false"]);
  }
  for (const r of [agent, mono, sub, parent, evil, nested, outer]) r?.cleanup();
  rmSync(cacheDir, { recursive: true, force: true });
  rmSync(badCacheDir, { recursive: true, force: true });
});

describe("GitRepository sparseCheckout, recurseSubmodules and timeout", () => {
  let first: Awaited<ReturnType<typeof sync>>;
  before(async () => {
    first = await sync();
  });

  test("the pass runs every Kustomization; those on failed sources fail alone", () => {
    // Failed Kustomizations make the exit code 1, and nothing else stops the pass.
    assert.equal(first.code, 1, first.stdout + first.stderr);
  });

  test("sparseCheckout: [./apps] serves ./apps from a checkout that holds only apps/", async () => {
    assert.equal(
      readyOf(await ks("sparse-apps"))?.status,
      "True",
      JSON.stringify(await ks("sparse-apps")),
    );
    assert.equal((await getJson(["configmap", "sparse-app", "-n", app])).data.from, "apps");
    const repo = await gitRepo("mono-sparse");
    assert.equal(readyOf(repo)?.status, "True", JSON.stringify(repo));
    assert.deepEqual(repo.observedSparseCheckout, ["./apps"]);
    // Its checkout has no other top-level folder; the full checkout of the same URL has all.
    const all = checkouts();
    assert.ok(
      all.some((c) => c.folders.join() === "apps"),
      JSON.stringify(all),
    );
    assert.ok(
      all.some((c) => c.folders.join() === "apps,docs,infra"),
      JSON.stringify(all),
    );
    assert.equal(await exists("configmap", "docs-only", "-n", app), false);
  });

  test("a Kustomization outside the sparse folders fails; a full checkout of the same URL serves it", async () => {
    const outside = readyOf(await ks("sparse-infra"));
    assert.equal(outside?.status, "False");
    assert.equal(outside?.reason, "ArtifactFailed");
    assert.match(outside?.message ?? "", /kustomization path not found: \.\/infra/);
    assert.equal(readyOf(await ks("full-infra"))?.status, "True");
    assert.equal((await getJson(["configmap", "full-infra", "-n", app])).data.from, "infra");
  });

  test("a sparse folder the commit does not have fails the source, naming it", async () => {
    const missing = readyOf(await ks("missing"));
    assert.equal(missing?.status, "False");
    assert.match(missing?.message ?? "", /sparse checkout dir '\.\/nothing' does not exist/);
    // A failed fetch leaves the GitRepository's status as it was (never Ready here).
    assert.notEqual(readyOf(await gitRepo("mono-missing"))?.status, "True");
  });

  test("recurseSubmodules: the submodule's files are in the artifact, fetched with the same credentials", async () => {
    for (const name of ["submodule", "submodule-rel"]) {
      const status = await ks(name);
      assert.equal(readyOf(status)?.status, "True", `${name}: ${JSON.stringify(status)}`);
    }
    assert.equal((await getJson(["configmap", "from-submodule", "-n", app])).data.from, "sub");
    assert.equal((await gitRepo("with-sub")).observedRecurseSubmodules, true);
  });

  test("without recurseSubmodules the submodule's folder is empty, as in Flux", async () => {
    const none = readyOf(await ks("no-submodule"));
    assert.equal(none?.status, "False");
    assert.match(none?.message ?? "", /kustomization path not found/);
  });

  test("a submodule on the agent's disk (a local path) is refused, not read", async () => {
    const refused = readyOf(await ks("evil-path"));
    assert.equal(refused?.status, "False");
    assert.match(refused?.message ?? "", /submodule '(path|file)'.*refused/);
    // Nothing of the bare repository came into any checkout.
    for (const entry of readdirSync(cacheDir)) {
      assert.equal(existsSync(join(cacheDir, entry, "vendor/path/deploy")), false, entry);
      assert.equal(existsSync(join(cacheDir, entry, "vendor/file/deploy")), false, entry);
      assert.equal(existsSync(join(cacheDir, entry, "nested/inner/deploy")), false, entry);
    }
    // Nested deeper, git itself refuses the local transport.
    const deeper = readyOf(await ks("evil-nested"));
    assert.equal(deeper?.status, "False");
    assert.match(deeper?.message ?? "", /transport 'file' not allowed/);
  });

  test("timeout: 1ms fails that source's fetch, naming the timeout", async () => {
    const slow = readyOf(await ks("slow"));
    assert.equal(slow?.status, "False", JSON.stringify(slow));
    assert.match(slow?.message ?? "", /timed out after 1ms \(spec\.timeout\)/);
    assert.notEqual(readyOf(await gitRepo("slow"))?.status, "True");
  });

  test("a second pass with no change keeps every answer", async () => {
    const second = await sync();
    assert.equal(second.code, 1, second.stdout + second.stderr);
    assert.equal(readyOf(await ks("sparse-apps"))?.status, "True");
    assert.equal(readyOf(await ks("submodule"))?.status, "True");
    assert.equal(readyOf(await ks("sparse-infra"))?.status, "False");
  });
});

// The CRD refuses these values, so they are read in-process from a client that answers
// as a cluster without the CRD's validation (missing or older) would.
describe("checkout fields of another type, as a cluster without the CRD's validation holds them", () => {
  const resolveWith = (fields: Record<string, unknown>) => {
    const repo = {
      apiVersion: GIT_REPOSITORY_API,
      kind: "GitRepository",
      metadata: { name: "bad", namespace: fs },
      spec: { interval: "5m", url: mono.plainUrl, ref: { branch: "main" }, ...fields },
    };
    const client = { get: async () => repo } as unknown as KubeClient;
    const env = testenv();
    return resolveSource({ kind: "GitRepository", name: "bad" }, fs, {
      client,
      // The agent's own repository at its ref: a value read as "none" would serve the
      // agent's whole checkout in the sparse one's place.
      own: {
        url: mono.plainUrl,
        dir: join(badCacheDir, "agent-checkout"),
        revision: "main@sha1:0000000000000000000000000000000000000000",
        ref: { branch: "main" },
        credentials: { username: env.gitUser, password: env.gitPassword },
      },
      cacheDir: badCacheDir,
    });
  };

  test("sparseCheckout as a text, a map or a list with a number fails the fetch; nothing is checked out", async () => {
    for (const sparseCheckout of ["./apps", { apps: true }, ["./apps", 42]])
      await assert.rejects(
        resolveWith({ sparseCheckout }),
        /GitRepository .*\/bad: spec\.sparseCheckout must be a list of folders/,
        JSON.stringify(sparseCheckout),
      );
    await assert.rejects(
      resolveWith({ recurseSubmodules: "true" }),
      /spec\.recurseSubmodules must be true or false/,
    );
    assert.equal(existsSync(badCacheDir), false, "no checkout in the cache");
  });
});
