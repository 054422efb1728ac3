// A HelmChart's reconcileStrategy for a Git chart folder: which strategy a spec names,
// the version Revision gives a chart, and the identity that decides an upgrade.
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { ChartError } from "../../../shared/charts/errors.ts";
import { chartFromFolder } from "../../../shared/charts/pull.ts";
import { chartReferenceOf, helmChartReference } from "../../../shared/charts/reference.ts";
import {
  chartIdentity,
  reconcileStrategyOf,
  revisionVersion,
  withStrategy,
} from "../../../shared/charts/strategy.ts";

const COMMIT = "0123456789abcdef0123456789abcdef01234567";

test("reconcileStrategy: ChartVersion unless Revision; anything else is refused", () => {
  assert.equal(reconcileStrategyOf({}, "x"), "ChartVersion");
  assert.equal(reconcileStrategyOf({ reconcileStrategy: "ChartVersion" }, "x"), "ChartVersion");
  assert.equal(reconcileStrategyOf({ reconcileStrategy: "Revision" }, "x"), "Revision");
  assert.throws(
    () => reconcileStrategyOf({ reconcileStrategy: "revision" }, "HelmChart a/b: spec"),
    /HelmChart a\/b: spec: reconcileStrategy "revision" is not ChartVersion or Revision/,
  );
});

test("Revision: the version's build metadata is the commit's first 12 hex", () => {
  const cases: [string, string][] = [
    ["0.1.0", `0.1.0+${COMMIT.slice(0, 12)}`],
    ["1.2.3-rc.1", `1.2.3-rc.1+${COMMIT.slice(0, 12)}`],
    // Metadata already there is replaced, as SemVer's SetMetadata does.
    ["1.2.3+build.7", `1.2.3+${COMMIT.slice(0, 12)}`],
    // Normalised as source-controller's SemVer parse prints it.
    ["v1.2", `1.2.0+${COMMIT.slice(0, 12)}`],
  ];
  for (const [version, expected] of cases)
    assert.equal(revisionVersion(version, COMMIT, "chart"), expected, version);
  assert.throws(() => revisionVersion("latest", COMMIT, "chart"), ChartError);
});

test("identity: ChartVersion ignores content, Revision does not", () => {
  const a = { name: "app", version: "0.1.0", digest: "sha256:a" };
  const b = { ...a, digest: "sha256:b" };
  assert.equal(
    chartIdentity("ChartVersion", a, undefined),
    chartIdentity("ChartVersion", b, undefined),
  );
  assert.notEqual(
    chartIdentity("ChartVersion", a, undefined),
    chartIdentity("ChartVersion", { ...a, version: "0.1.1" }, undefined),
  );
  // The values-files list is part of the HelmChart spec: a new list is a new chart.
  assert.notEqual(
    chartIdentity("ChartVersion", a, undefined),
    chartIdentity("ChartVersion", a, { files: ["v.yaml"], ignoreMissing: false }),
  );
  assert.notEqual(chartIdentity("Revision", a, undefined), chartIdentity("Revision", b, undefined));
  assert.notEqual(
    chartIdentity("Revision", a, undefined),
    chartIdentity("ChartVersion", a, undefined),
  );
});

test("withStrategy: Revision writes the suffixed version into a copy; ChartVersion keeps the folder", async () => {
  const root = await mkdtemp(join(tmpdir(), "tether-strategy-"));
  try {
    const dir = join(root, "src", "app");
    mkdirSync(join(dir, "templates"), { recursive: true });
    await writeFile(join(dir, "Chart.yaml"), "apiVersion: v2\nname: app\n# kept\nversion: 0.1.0\n");
    await writeFile(join(dir, "templates", "cm.yaml"), "kind: ConfigMap\n");
    const cache = join(root, "cache");
    const chart = await chartFromFolder(dir, "app in Git");

    const byVersion = await withStrategy(chart, "ChartVersion", COMMIT, undefined, cache, root);
    assert.equal(byVersion.path, dir);
    assert.equal(byVersion.version, "0.1.0");
    assert.equal(byVersion.contentDigest, chart.digest);

    const byRevision = await withStrategy(chart, "Revision", COMMIT, undefined, cache, root);
    assert.equal(byRevision.version, `0.1.0+${COMMIT.slice(0, 12)}`);
    assert.notEqual(byRevision.path, dir);
    assert.equal(byRevision.contentDigest, undefined);
    const written = await readFile(join(byRevision.path, "Chart.yaml"), "utf8");
    assert.match(written, /^version: 0\.1\.0\+0123456789ab$/m);
    assert.match(written, /# kept/);
    assert.equal(
      await readFile(join(dir, "Chart.yaml"), "utf8").then((t) => t.includes("+")),
      false,
    );

    // A template edit under the same version: the same ChartVersion identity.
    await writeFile(join(dir, "templates", "cm.yaml"), "kind: ConfigMap\nmetadata: {}\n");
    const edited = await withStrategy(
      await chartFromFolder(dir, "app"),
      "ChartVersion",
      COMMIT,
      undefined,
      cache,
      root,
    );
    assert.equal(edited.digest, byVersion.digest);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test("a chartRef HelmChart is read from the HelmChart: local source, values files, strategy", () => {
  const ref = chartReferenceOf({
    apiVersion: "helm.toolkit.fluxcd.io/v2",
    kind: "HelmRelease",
    metadata: { name: "demo", namespace: "apps" },
    spec: { chartRef: { kind: "HelmChart", name: "app", namespace: "charts" } },
  });
  assert.deepEqual(ref, {
    from: "HelmChart",
    source: { kind: "HelmChart", namespace: "charts", name: "app" },
  });
  const spec = helmChartReference({
    apiVersion: "source.toolkit.fluxcd.io/v1",
    kind: "HelmChart",
    metadata: { name: "app", namespace: "charts" },
    spec: {
      chart: "./charts/app",
      // A HelmChart's sourceRef is local: its namespace is the HelmChart's.
      sourceRef: { kind: "GitRepository", name: "fleet", namespace: "elsewhere" },
      valuesFiles: ["./envs/prod.yaml"],
      ignoreMissingValuesFiles: true,
      reconcileStrategy: "Revision",
    },
  });
  assert.deepEqual(spec, {
    from: "GitRepository",
    source: { kind: "GitRepository", namespace: "charts", name: "fleet" },
    path: "./charts/app",
    valuesFiles: { files: ["./envs/prod.yaml"], ignoreMissing: true },
    strategy: "Revision",
  });
  assert.throws(
    () =>
      helmChartReference({
        apiVersion: "source.toolkit.fluxcd.io/v1",
        kind: "HelmChart",
        metadata: { name: "app", namespace: "charts" },
        spec: { chart: "app", sourceRef: { kind: "Bucket", name: "b" } },
      }),
    /HelmChart charts\/app: spec: charts from a Bucket are not supported/,
  );
});
