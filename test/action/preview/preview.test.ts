// `tether preview` on a fleet repository with two clusters (fleet.ts): each cluster
// rendered at both commits with the agent's renderer (Flux Kustomizations with
// postBuild substitution, HelmReleases through the real chart in the local OCI
// registry) and compared object by object. Real git, kustomize and helm.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { chartsEnv } from "../../helpers/testenv.ts";
import { tether } from "../../helpers/tether.ts";
import { Fleet, SECRET_VALUES } from "./fleet.ts";

interface Id {
  kind: string;
  namespace: string;
  name: string;
}
interface Json {
  clusters: {
    path: string;
    added: Id[];
    changed: (Id & { diff: string })[];
    removed: Id[];
    images: { from: string; to: string }[];
  }[];
}

const names = (ids: Id[]) => ids.map((i) => `${i.kind} ${i.namespace}/${i.name}`);

describe("tether preview", { timeout: 300_000 }, () => {
  let fleet: Fleet;
  // Temporary folders go here, so the test can see that none is left behind.
  const temp = mkdtempSync(join(tmpdir(), "tether-preview-test-"));
  const cache = join(temp, "charts");
  const preview = (args: string[]) =>
    tether(["preview", "--chart-cache", cache, ...args], {
      cwd: fleet.root,
      env: { TMPDIR: join(temp, "tmp") },
    });

  before(async () => {
    fleet = await Fleet.create(chartsEnv().oci);
    mkdirSync(join(temp, "tmp"));
  });
  after(() => {
    fleet.cleanup();
    rmSync(temp, { recursive: true, force: true });
  });

  test("JSON: what each cluster adds, changes, prunes, and the images that move", async () => {
    const result = await preview(["--base", fleet.base, "--head", fleet.head, "-o", "json"]);
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout) as Json;
    assert.deepEqual(Object.keys(report), ["clusters"]);
    assert.deepEqual(
      report.clusters.map((c) => c.path),
      ["clusters/a", "clusters/b"],
      "default paths: each clusters/<name> folder",
    );
    for (const c of report.clusters) {
      assert.deepEqual(Object.keys(c), ["path", "added", "changed", "removed", "images"]);
      for (const id of [...c.added, ...c.removed]) {
        assert.deepEqual(Object.keys(id), ["kind", "namespace", "name"]);
      }
      for (const ch of c.changed) {
        assert.deepEqual(Object.keys(ch), ["kind", "namespace", "name", "diff"]);
      }
    }
    const [a, b] = report.clusters as [Json["clusters"][0], Json["clusters"][0]];

    // Image bump, first-class.
    const bump = [{ from: "127.0.0.1:5000/web:1.0.0", to: "127.0.0.1:5000/web:1.1.0" }];
    assert.deepEqual(a.images, bump);
    assert.deepEqual(b.images, bump);
    const web = a.changed.find((c) => c.kind === "Deployment");
    assert.equal(web?.namespace, "apps", "the Kustomization's targetNamespace applied");
    assert.match(web?.diff ?? "", /containers\[web\]\.image: "127\.0\.0\.1:5000\/web:1\.0\.0" → /);
    // The Deployment's ${cluster_name} is substituted on both sides: not a change.
    assert.doesNotMatch(web?.diff ?? "", /CLUSTER|\$\{/);

    // A postBuild.substitute value changed: the object shows the substituted values.
    const region = a.changed.find((c) => c.kind === "ConfigMap" && c.name === "region");
    assert.equal(region?.diff, '~ data.region: "eu-1" → "eu-2"');
    assert.equal(
      b.changed.find((c) => c.name === "region"),
      undefined,
      "cluster b's region did not change",
    );

    // The HelmRelease value and what its chart renders from it.
    assert.match(
      a.changed.find((c) => c.kind === "HelmRelease")?.diff ?? "",
      /spec\.values\.message: "hello" → "goodbye"/,
    );
    const chartConfig = a.changed.find((c) => c.name === "apps-demo-config");
    assert.equal(chartConfig?.namespace, "apps", "the release's namespace");
    assert.equal(chartConfig?.diff, '~ data.message: "hello" → "goodbye"');

    // The Secret: changed, its values hidden.
    const secret = a.changed.find((c) => c.kind === "Secret");
    assert.equal(
      secret?.diff,
      '~ data.token: "(hidden)" → "(hidden, changed)"\n~ stringData.password: "(hidden)" → "(hidden, changed)"',
    );

    // The removed file is pruned; the one annotated prune: disabled is not listed.
    assert.deepEqual(names(a.removed), ["ConfigMap apps/old"]);
    assert.deepEqual(names(b.removed), ["ConfigMap apps/old"]);

    // The new Kustomization and what it applies.
    assert.deepEqual(names(a.added), []);
    assert.deepEqual(names(b.added), [
      "ConfigMap monitoring/scrape",
      "Kustomization flux-system/monitoring",
    ]);
    assert.deepEqual(names(b.changed).sort(), ["Deployment apps/web", "Secret apps/db"]);
    assert.deepEqual(readdirSync(join(temp, "tmp")), [], "no temporary folder left behind");
  });

  test("text and markdown: a section per cluster; no Secret value in any output", async () => {
    const outputs: string[] = [];
    for (const format of ["text", "json", "markdown"]) {
      const r = await preview(["--base", fleet.base, "--head", fleet.head, "-o", format]);
      assert.equal(r.code, 0, r.stderr);
      outputs.push(r.stdout, r.stderr);
    }
    const [text, , , , markdown] = outputs as [string, string, string, string, string];
    assert.match(text, /^clusters\/a: 0 added, 6 changed, 1 removed, 1 image$/m);
    assert.match(
      text,
      /^ {2}= ConfigMap apps\/keep left in the cluster: annotated kustomize\.toolkit\.fluxcd\.io\/prune: disabled$/m,
    );
    assert.equal(markdown.match(/<details>/g)?.length, 2);
    assert.match(
      markdown,
      /<summary><b>clusters\/b<\/b>: 2 added, 2 changed, 1 removed, 1 image<\/summary>/,
    );
    for (const output of outputs) {
      for (const value of [...SECRET_VALUES, "bmV3LXRva2Vu"]) {
        assert.equal(output.includes(value), false, `${value} must not be shown`);
      }
    }
  });

  test("exit codes: 0 with differences, 1 with --exit-code, 2 for a ref that is not a commit", async () => {
    const diff = await preview([
      "--base",
      fleet.base,
      "--head",
      fleet.head,
      "--exit-code",
      "-o",
      "json",
    ]);
    assert.equal(diff.code, 1, diff.stderr);
    const same = await preview([
      "--base",
      fleet.head,
      "--head",
      fleet.head,
      "--exit-code",
      "clusters/b",
    ]);
    assert.equal(same.code, 0, same.stderr);
    assert.match(same.stdout, /^clusters\/b: no changes$/m);
    const bad = await preview(["--base", "no-such-branch", "--head", fleet.head]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^error: --base no-such-branch: not a commit of this repository/m);
  });

  test("a shallow clone (as actions/checkout makes): the base commit is fetched from origin", async () => {
    const clone = join(temp, "clone");
    await fleet.git("clone", "-q", "--depth=1", "--no-local", `file://${fleet.root}`, clone);
    const r = await tether(
      [
        "preview",
        "--chart-cache",
        cache,
        "--no-helm-releases",
        "--base",
        fleet.base,
        "-o",
        "json",
        "clusters/b",
      ],
      { cwd: clone, env: { TMPDIR: join(temp, "tmp") } },
    );
    assert.equal(r.code, 0, r.stderr);
    const [b] = (JSON.parse(r.stdout) as Json).clusters;
    assert.deepEqual(names(b?.added ?? []), [
      "ConfigMap monitoring/scrape",
      "Kustomization flux-system/monitoring",
    ]);
    rmSync(clone, { recursive: true, force: true });
  });

  test("a revision that does not render fails with the path and the revision", async () => {
    fleet.write("apps/base/broken.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: [\n");
    const broken = await fleet.commit("broken");
    const r = await preview(["--base", fleet.head, "--head", broken, "clusters/a"]);
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      new RegExp(
        `^error: clusters/a does not render at --head ${broken} \\(${broken.slice(0, 12)}\\): .*apps`,
        "m",
      ),
    );
    assert.deepEqual(readdirSync(join(temp, "tmp")), [], "no temporary folder left behind");
  });
});
