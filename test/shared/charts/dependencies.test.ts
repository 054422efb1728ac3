// A Git chart folder's dependencies not in its charts/ (shared/charts/dependencies.ts),
// on real folders read back with `helm template`. Remote dependencies are fetched by a
// callback: the end-to-end case against the local chart server is
// test/agent/helm/dependencies.test.ts; here the callback records that it was (not)
// called.
// - an alias that is a path is refused, and nothing is written outside the cache;
// - apiVersion v1's requirements.yaml is read, as Helm's loader reads it;
// - a subchart that charts/ holds through a symlink counts as present;
// - a change under a symlinked folder of the chart makes a new chart;
// - a login in an OCI dependency's URL is refused without being shown.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, test } from "node:test";
import { withDependencies } from "../../../shared/charts/dependencies.ts";
import { ChartError } from "../../../shared/charts/errors.ts";
import { chartFromFolder } from "../../../shared/charts/pull.ts";
import { chartReferenceOf } from "../../../shared/charts/reference.ts";
import { resolveChart } from "../../../shared/charts/resolve.ts";
import { helmTemplate } from "../../../shared/charts/template.ts";
import type { KubeObject } from "../../../shared/manifests/object.ts";
import { testenv } from "../../helpers/testenv.ts";

process.env.PATH = testenv().path;
const work = mkdtempSync(join(tmpdir(), "tether-chart-deps-"));
after(() => rmSync(work, { recursive: true, force: true }));

function write(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}
/** A library chart `lib` at `<root>/lib` whose ConfigMap says `note`. */
const lib = (note = "from-lib") => ({
  "lib/Chart.yaml": "apiVersion: v2\nname: lib\nversion: 1.0.0\n",
  "lib/values.yaml": "",
  "lib/templates/cm.yaml": `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: lib}\ndata: {note: ${note}}\n`,
});
const noPull = async () => {
  throw new Error("no remote dependency should be fetched");
};
const names = async (path: string) =>
  (await helmTemplate(path, { releaseName: "r", namespace: "ns", sourceOf: () => "x" })).map(
    (m) => m.object.metadata.name,
  );

test("an alias that is a path is refused, and nothing is written outside the cache", async () => {
  const root = join(work, "alias");
  write(root, {
    ...lib(),
    "app/Chart.yaml": `apiVersion: v2\nname: app\nversion: 1.0.0\ndependencies:\n  - {name: lib, version: 1.0.0, repository: "file://../lib", alias: "../../../../escaped"}\n`,
    "app/values.yaml": "",
  });
  await assert.rejects(
    withDependencies(
      await chartFromFolder(join(root, "app"), "app"),
      root,
      join(work, "cache"),
      noPull,
    ),
    (e: Error) =>
      e instanceof ChartError &&
      /alias '\.\.\/\.\.\/\.\.\/\.\.\/escaped' is not valid/.test(e.message),
  );
  assert.equal(existsSync(join(work, "escaped")), false);
});

test("apiVersion v1's requirements.yaml is read", async () => {
  const root = join(work, "v1");
  write(root, {
    ...lib(),
    "app/Chart.yaml": "apiVersion: v1\nname: app\nversion: 1.0.0\n",
    "app/requirements.yaml":
      'dependencies:\n  - {name: lib, version: "^1.0.0", repository: "file://../lib"}\n',
    "app/values.yaml": "",
  });
  const built = await withDependencies(
    await chartFromFolder(join(root, "app"), "app"),
    root,
    join(work, "cache"),
    noPull,
  );
  assert.deepEqual(await names(built.path), ["lib"]);
});

test("a subchart that charts/ holds through a symlink is present: nothing is fetched", async () => {
  const root = join(work, "linked");
  write(root, {
    ...lib(),
    "app/Chart.yaml": `apiVersion: v2\nname: app\nversion: 1.0.0\ndependencies:\n  - {name: lib, version: 1.0.0, repository: "https://charts.example"}\n`,
    "app/values.yaml": "",
  });
  mkdirSync(join(root, "app", "charts"));
  symlinkSync("../../lib", join(root, "app", "charts", "lib"));
  const chart = await chartFromFolder(join(root, "app"), "app");
  assert.equal(await withDependencies(chart, root, join(work, "cache"), noPull), chart);
});

test("a change under a symlinked folder of the chart makes a new chart", async () => {
  const root = join(work, "shared-templates");
  write(root, {
    ...lib(),
    "common/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: v1}\n",
    "app/Chart.yaml": `apiVersion: v2\nname: app\nversion: 1.0.0\ndependencies:\n  - {name: lib, version: 1.0.0, repository: "file://../lib"}\n`,
    "app/values.yaml": "",
  });
  symlinkSync("../common", join(root, "app", "templates"));
  const build = async () =>
    withDependencies(
      await chartFromFolder(join(root, "app"), "app"),
      root,
      join(work, "cache"),
      noPull,
    );
  const first = await build();
  write(root, { "common/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: v2}\n" });
  const second = await build();
  assert.notEqual(second.digest, first.digest);
  assert.deepEqual((await names(second.path)).sort(), ["lib", "v2"]);
});

test("a login in an OCI dependency's URL is refused without being shown", async () => {
  const root = join(work, "oci-login");
  write(root, {
    "app/Chart.yaml": `apiVersion: v2\nname: app\nversion: 1.0.0\ndependencies:\n  - {name: dep, version: 1.0.0, repository: "oci://robot:S3cretPassw0rd@127.0.0.1:9/charts"}\n`,
    "app/values.yaml": "",
  });
  const release = {
    apiVersion: "helm.toolkit.fluxcd.io/v2",
    kind: "HelmRelease",
    metadata: { name: "app", namespace: "apps" },
    spec: {
      chart: { spec: { chart: "./app", sourceRef: { kind: "GitRepository", name: "self" } } },
    },
  } as KubeObject;
  const source = {
    apiVersion: "source.toolkit.fluxcd.io/v1",
    kind: "GitRepository",
    metadata: { name: "self", namespace: "apps" },
    spec: { url: "https://git.example/fleet" },
  } as KubeObject;
  const ctx = {
    cacheDir: join(work, "cache"),
    getSource: async () => source,
    gitFolder: async () => root,
  };
  await assert.rejects(resolveChart(ctx, chartReferenceOf(release), "apps"), (e: Error) => {
    assert.doesNotMatch(e.message, /S3cretPassw0rd/);
    return /has a login in its URL/.test(e.message);
  });
});
