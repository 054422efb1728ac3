// A release an earlier Tether made from a chart folder in Git, recorded by the chart's
// content digest (before reconcileStrategy was served), end to end through
// `tether sync --once` with real helm: the first pass after the update takes it as the
// same chart and records the chart's identity (name, version, values files) instead, so
// a later edit of the folder without a version bump is no upgrade (ChartVersion).
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { cpSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { chartFromFolder } from "../../../shared/charts/pull.ts";
import { selfGitRepositoryYaml } from "../../helpers/charts.ts";
import { TestRepo } from "../../helpers/git-repo.ts";
import { kubectl, kubectlRun } from "../../helpers/kubectl.ts";
import { mustRun } from "../../helpers/run.ts";
import { kubectlEnv, tether } from "../../helpers/tether.ts";

const id = randomBytes(3).toString("hex");
const ns = `helm-ed-${id}`;
const recordsNs = `tether-helm-ed-${id}`;
const cacheDir = join(tmpdir(), `tether-helm-ed-cache-${id}`);
const chartSource = fileURLToPath(new URL("../../env/charts/app-demo", import.meta.url));
let repo: TestRepo;

const helmEnv = () => ({
  ...kubectlEnv(),
  HELM_CONFIG_HOME: join(cacheDir, "t"),
  HELM_CACHE_HOME: join(cacheDir, "t"),
});
async function release(name: string) {
  const list = JSON.parse(
    await mustRun("helm", ["list", "-n", ns, "-a", "-o", "json"], { env: helmEnv() }),
  ) as { name: string; revision: string; status: string; chart: string }[];
  return list.find((r) => r.name === name);
}
interface Status {
  lastAttemptedRevisionDigest?: string;
  history?: Record<string, unknown>[];
}
const statusOf = async (name: string) =>
  (
    JSON.parse(
      await kubectl(["get", "helmreleases.helm.toolkit.fluxcd.io", "-n", ns, name, "-o", "json"]),
    ) as { status?: Status }
  ).status ?? {};

function sync() {
  return tether(
    [
      "sync",
      "--once",
      "--git-url",
      repo.url,
      "--git-branch",
      "main",
      "--git-path",
      "clusters/dev",
      "--namespace",
      recordsNs,
      "--cache-dir",
      cacheDir,
    ],
    { exit: 0 },
  );
}

describe("a Git chart recorded by an earlier Tether's content digest", { timeout: 600_000 }, () => {
  before(async () => {
    repo = await TestRepo.create("helm-ed");
    cpSync(chartSource, join(repo.work, "charts/app-demo"), { recursive: true });
    repo.write(
      "clusters/dev/releases.yaml",
      `apiVersion: v1
kind: Namespace
metadata: {name: ${ns}}
---
${selfGitRepositoryYaml(ns, repo.plainUrl)}---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: app, namespace: ${ns}}
spec:
  interval: 10m
  chart:
    spec:
      chart: ./charts/app-demo
      sourceRef: {kind: GitRepository, name: self}
  values:
    message: app
`,
    );
    await repo.push("a chart folder in Git");
  });
  after(async () => {
    await kubectlRun(["delete", "namespace", ns, recordsNs, "--wait=false"]);
    repo?.cleanup();
    rmSync(cacheDir, { recursive: true, force: true });
  });

  test("the first pass records the identity; an edit without a version bump is no upgrade", async () => {
    await sync();
    assert.equal((await release("app"))?.revision, "1");

    // What an earlier Tether wrote: the chart folder's content digest.
    const content = (await chartFromFolder(join(repo.work, "charts/app-demo"), "app-demo")).digest;
    const made = await statusOf("app");
    const identity = made.history?.[0]?.ociDigest;
    assert.ok(identity && identity !== content, "the identity is not the content digest");
    const [first, ...rest] = made.history ?? [];
    await kubectl([
      "patch",
      "helmreleases.helm.toolkit.fluxcd.io",
      "-n",
      ns,
      "app",
      "--subresource=status",
      "--type=merge",
      "-p",
      JSON.stringify({
        status: {
          history: [{ ...first, ociDigest: content }, ...rest],
          lastAttemptedRevisionDigest: content,
        },
      }),
    ]);

    // The first pass after the update: the same chart, nothing released, identity recorded.
    const migrated = await sync();
    const output = migrated.stdout + migrated.stderr;
    assert.equal((await release("app"))?.revision, "1", output);
    const recorded = await statusOf("app");

    // The chart folder edited, version unchanged: still the same chart under ChartVersion.
    repo.write(
      "charts/app-demo/templates/extra.yaml",
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-extra\ndata: {}\n",
    );
    await repo.push("template changed, same version");
    const edited = await sync();
    assert.equal((await release("app"))?.revision, "1", edited.stdout + edited.stderr);
    assert.equal((await kubectlRun(["get", "configmap", "-n", ns, "app-extra"])).code, 1);
    // Because the pass after the update had recorded the identity in the content digest's place.
    assert.equal(recorded.history?.[0]?.ociDigest, identity, output);
    assert.equal(recorded.lastAttemptedRevisionDigest, identity, output);
  });
});
