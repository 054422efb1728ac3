// Building a chart's valuesFiles into it (shared/charts/values-files.ts), on real chart
// folders and packages made with `helm package`, read back with `helm template`:
// - values read as Helm reads them (YAML 1.1, the first document of a file);
// - a file outside the Git source, through a symlink, is refused;
// - passes building the same chart at once get a complete chart, and a later pass too;
// - a package that is not one fails that chart and nothing else (no unhandled rejection);
// - a package with `\` in its names, or a second top folder, unpacks as Helm reads it;
// - two chart folders with the same files under other names each get their own chart;
// - paths follow source-controller: a folder is no values file, a package's templates
//   are not among its files.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { gzipSync } from "node:zlib";
import { ChartError } from "../../../shared/charts/errors.ts";
import { chartFromFolder, type FetchedChart } from "../../../shared/charts/pull.ts";
import { helmTemplate } from "../../../shared/charts/template.ts";
import { chartPathOf } from "../../../shared/charts/unpack.ts";
import { withValuesFiles } from "../../../shared/charts/values-files.ts";
import { testenv } from "../../helpers/testenv.ts";

process.env.PATH = testenv().path;
const work = mkdtempSync(join(tmpdir(), "tether-values-files-"));
after(() => rmSync(work, { recursive: true, force: true }));
const unhandled: unknown[] = [];
process.on("unhandledRejection", (e) => unhandled.push(e));

/** A chart folder at `<root>/charts/<name>` whose ConfigMap shows its values as JSON. */
function gitChart(root: string, values: string, name = "app"): string {
  const chart = join(root, "charts", name);
  mkdirSync(join(chart, "templates"), { recursive: true });
  writeFileSync(join(chart, "Chart.yaml"), `apiVersion: v2\nname: ${name}\nversion: 1.0.0\n`);
  writeFileSync(join(chart, "values.yaml"), values);
  writeFileSync(
    join(chart, "templates", "cm.yaml"),
    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\ndata:\n  values: {{ toJson .Values | quote }}\n",
  );
  return chart;
}
async function valuesSeen(path: string): Promise<Record<string, unknown>> {
  const out = await helmTemplate(path, { releaseName: "r", namespace: "ns", sourceOf: () => "x" });
  const object = out[0]?.object as unknown as { data: { values: string } } | undefined;
  assert.ok(object, "helm rendered the ConfigMap");
  return JSON.parse(object.data.values);
}
function packaged(src: string): FetchedChart {
  execFileSync("helm", ["package", src, "--destination", join(work, "packages")], {
    env: { ...process.env, HOME: work },
  });
  const name = readFileSync(join(src, "Chart.yaml"), "utf8").match(/name: (\S+)/)?.[1];
  const tgz = join(work, "packages", `${name}-1.0.0.tgz`);
  return {
    name: name ?? "",
    version: "1.0.0",
    digest: `sha256:${createHash("sha256").update(readFileSync(tgz)).digest("hex")}`,
    path: tgz,
    source: name ?? "",
  };
}
const only = (files: string[], ignoreMissing = false) => ({ files, ignoreMissing });

test("values are read as Helm reads them: YAML 1.1, the first document", async () => {
  const root = join(work, "yaml11");
  const chart = gitChart(
    root,
    'country: "NO"\nflag: "yes"\nmode: "on"\nsize: "1_000"\nperm: 0755\nbare: yes\n',
  );
  writeFileSync(join(root, "prod.yaml"), "extra: 2\n---\nextra: 3\n");
  const before = await valuesSeen(chart);
  const built = await withValuesFiles(
    await chartFromFolder(chart, "charts/app"),
    only(["charts/app/values.yaml", "prod.yaml"]),
    join(work, "cache"),
    root,
  );
  assert.deepEqual(await valuesSeen(built.path), { ...before, extra: 2 });
});

test("a values file that leads outside the Git source through a symlink is refused", async () => {
  const root = join(work, "symlink");
  const chart = gitChart(root, "a: 1\n");
  writeFileSync(join(work, "outside.yaml"), "password: from-outside\n");
  symlinkSync(join(work, "outside.yaml"), join(root, "prod.yaml"));
  await assert.rejects(
    withValuesFiles(
      await chartFromFolder(chart, "charts/app"),
      only(["prod.yaml"]),
      join(work, "cache"),
      root,
    ),
    (e: Error) => e instanceof ChartError && /prod\.yaml leaves the repository/.test(e.message),
  );
});

test("passes building the same package at once all get the whole chart, and so does a later one", async () => {
  const src = join(work, "src", "big");
  mkdirSync(join(src, "templates"), { recursive: true });
  writeFileSync(join(src, "Chart.yaml"), "apiVersion: v2\nname: big\nversion: 1.0.0\n");
  writeFileSync(join(src, "values.yaml"), "a: 1\n");
  writeFileSync(join(src, "values-prod.yaml"), "a: 2\n");
  for (let i = 0; i < 300; i++)
    writeFileSync(join(src, "templates", `cm${i}.yaml`), `kind: ConfigMap\n# ${i}\n`);
  const chart = packaged(src);
  const cache = join(work, "race-cache");
  const count = (p: string) => readdirSync(join(p, "templates")).length;
  const built = await Promise.all(
    [1, 2, 3].map(() => withValuesFiles(chart, only(["values-prod.yaml"]), cache)),
  );
  for (const b of built) assert.equal(count(b.path), 300);
  assert.equal(count((await withValuesFiles(chart, only(["values-prod.yaml"]), cache)).path), 300);
  assert.equal(readdirSync(join(cache, "charts", "unpacked")).length, 1, "no partial folder left");
});

test("a package that is not one fails that chart, with no unhandled rejection", async () => {
  const bad = join(work, "bad.tgz");
  writeFileSync(bad, gzipSync(Buffer.from("not a tar archive, just text\n".repeat(40))));
  const chart = { name: "bad", version: "1.0.0", digest: "sha256:bad", path: bad, source: "bad" };
  await assert.rejects(
    withValuesFiles(chart, only(["values.yaml"]), join(work, "cache")),
    (e: Error) => e instanceof ChartError && /bad: the package cannot be read/.test(e.message),
  );
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(unhandled, []);
});

test("package names as Helm reads them: `\\` is `/`, the top folder whatever it is", () => {
  assert.equal(chartPathOf("app\\templates\\cm.yaml"), "templates/cm.yaml");
  assert.equal(chartPathOf("other-top/values-prod.yaml"), "values-prod.yaml");
  assert.equal(chartPathOf("app/../../etc/passwd"), undefined);
  assert.equal(chartPathOf("app/"), undefined);
});

test("two chart folders with the same files under other names get a chart each", async () => {
  const root = join(work, "twins");
  const staging = gitChart(root, "a: 1\n", "app");
  cpSync(staging, join(root, "charts", "app-prod"), { recursive: true });
  writeFileSync(join(root, "common.yaml"), "a: 2\n");
  for (const folder of ["app", "app-prod"]) {
    const built = await withValuesFiles(
      await chartFromFolder(join(root, "charts", folder), folder),
      only(["common.yaml"]),
      join(work, "cache"),
      root,
    );
    assert.ok(existsSync(join(built.path, "Chart.yaml")), built.path);
    assert.deepEqual(await valuesSeen(built.path), { a: 2 });
  }
});

test("a folder is no values file, even with ignoreMissingValuesFiles; a package's templates are not its files", async () => {
  const root = join(work, "paths");
  const chart = gitChart(root, "a: 1\n");
  await assert.rejects(
    withValuesFiles(
      await chartFromFolder(chart, "charts/app"),
      only(["charts/app/templates"], true),
      join(work, "cache"),
      root,
    ),
    /no values file found at path 'charts\/app\/templates'/,
  );
  const src = join(work, "src", "paths");
  cpSync(chart, src, { recursive: true });
  writeFileSync(join(src, "Chart.yaml"), "apiVersion: v2\nname: paths\nversion: 1.0.0\n");
  await assert.rejects(
    withValuesFiles(packaged(src), only(["templates/cm.yaml"]), join(work, "cache")),
    /no values file found at path 'templates\/cm\.yaml'/,
  );
});
