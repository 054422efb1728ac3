// The post-renderer's kustomization folders under the cache, end to end: each pass that
// writes a new one removes those no release used for 7 days (a release that left Git,
// a spec since changed), and keeps the one a release of the same pass upgrades with.
// `tether sync --once` passes over one repository; days are made by ageing the folders.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync, rmSync, utimesSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { chartsAuthSecret, chartsRepositoryYaml } from "../../helpers/charts.ts";
import { TestRepo } from "../../helpers/git-repo.ts";
import { kubectl, kubectlRun } from "../../helpers/kubectl.ts";
import { syncOnce } from "../../helpers/tether.ts";

const id = randomBytes(3).toString("hex");
const ns = `helm-prune-${id}`;
const recordsNs = `tether-helm-prune-${id}`;
const cacheDir = join(tmpdir(), `tether-helm-prune-cache-${id}`);
const folders = join(cacheDir, "helm", "post-renderers");
let repo: TestRepo;

const sync = () =>
  syncOnce({ url: repo.url, path: "clusters/dev", namespace: recordsNs, cacheDir }, { exit: 0 });

/** What the pass printed for one HelmRelease: `<action>[: detail]`. */
function outcome(stdout: string, name: string): string {
  const line = stdout
    .split("\n")
    .find((l) => l.includes(`HelmRelease/${ns}/${name} `) && / helm /.test(l));
  return line?.replace(/^.* helm /, "") ?? `(no line for ${name} in)\n${stdout}`;
}

const release = (name: string, message: string, team = "") => `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  interval: 10m
  chart:
    spec:
      chart: app-demo
      version: "0.1.x"
      sourceRef:
        kind: HelmRepository
        name: charts
${team ? `  commonMetadata:\n    labels:\n      team: ${team}\n` : ""}  values:
    message: ${message}
`;

const list = () => readdirSync(folders).sort();
/** The HelmRelease whose origin labels a folder's last kustomization adds. */
const owner = (folder: string) =>
  /helm\.toolkit\.fluxcd\.io\/name: (\S+)/.exec(
    readFileSync(join(folders, folder, "k0", "origin-labels.yaml"), "utf8"),
  )?.[1];

describe("post-renderer folders are pruned", { timeout: 300_000 }, () => {
  before(async () => {
    repo = await TestRepo.create("helm-prune");
    await kubectl(["create", "namespace", ns]);
    await chartsAuthSecret(ns);
    repo.write("clusters/dev/sources.yaml", chartsRepositoryYaml(ns));
    repo.write("clusters/dev/steady.yaml", release("steady", "one"));
    repo.write("clusters/dev/edited.yaml", release("edited", "one", "edge"));
    repo.write("clusters/dev/gone.yaml", release("gone", "one"));
    await repo.push("releases");
  });
  after(async () => {
    await kubectlRun(["delete", "namespace", ns, recordsNs, "--wait=false"]);
    repo?.cleanup();
    rmSync(cacheDir, { recursive: true, force: true });
  });

  test("a gone release's and an old spec's folders go; the one upgraded with stays", async () => {
    const first = await sync();
    for (const name of ["steady", "edited", "gone"])
      assert.match(outcome(first.stdout, name), /^installed/, name);
    const before = list();
    assert.deepEqual(before.map(owner).sort(), ["edited", "gone", "steady"]);
    // A week later, unused since.
    const then = new Date(Date.now() - 8 * 24 * 3600 * 1000);
    for (const folder of before) utimesSync(join(folders, folder), then, then);

    // `steady` upgrades with the same post-renderer (its values changed), `edited`
    // with a new one (its commonMetadata changed), in the same pass; `gone` left Git.
    repo.write("clusters/dev/steady.yaml", release("steady", "two"));
    repo.write("clusters/dev/edited.yaml", release("edited", "one", "core"));
    repo.remove("clusters/dev/gone.yaml");
    await repo.push("a week later");
    const second = await sync();
    assert.match(outcome(second.stdout, "steady"), /^upgraded/);
    assert.match(outcome(second.stdout, "edited"), /^upgraded/);

    const now = list();
    assert.deepEqual(now.map(owner).sort(), ["edited", "steady"]);
    // steady's folder is the one it had (used again), edited's a new one.
    const kept = now.filter((f) => before.includes(f));
    assert.deepEqual(kept.map(owner), ["steady"]);
  });
});
