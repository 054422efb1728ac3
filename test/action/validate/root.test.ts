// `tether validate` as a new user tries it: a path anywhere on disk, absolute or not,
// validates without --root (the root is the Git work tree around the paths, else the
// working folder, else the path's own folder), and a patch version of Kubernetes selects
// its bundled minor, which the output names.
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { after, test } from "node:test";
import { mustRun } from "../../helpers/run.ts";
import { Fixture, validate } from "./helpers.ts";

const CM = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {a: b}\n";
const fixtures: Fixture[] = [];
const fixture = () => {
  const f = new Fixture("root");
  fixtures.push(f);
  return f;
};
after(() => {
  for (const f of fixtures) f.cleanup();
});

interface Json {
  units: { name: string }[];
  results: { file: string }[];
}

test("an absolute path in a Git repository outside the working folder: the root is its work tree", async () => {
  const repo = fixture().write("apps/web/cm.yaml", CM);
  await mustRun("git", ["init", "-q"], { cwd: repo.root });
  const elsewhere = fixture();
  mkdirSync(elsewhere.path("cwd"));
  const r = await validate([repo.path("apps/web"), "-o", "json"], { cwd: elsewhere.path("cwd") });
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout) as Json;
  assert.deepEqual(
    report.units.map((u) => u.name),
    ["apps/web"],
    "named from the work tree's root",
  );
  assert.deepEqual(
    report.results.map((x) => x.file),
    ["apps/web/cm.yaml"],
  );
  // From a subfolder of the repository too: paths are the repository's, as GitHub shows them.
  const sub = await validate(["web", "-o", "json"], { cwd: repo.path("apps") });
  assert.equal(sub.code, 0, sub.stderr);
  assert.deepEqual(
    (JSON.parse(sub.stdout) as Json).units.map((u) => u.name),
    ["apps/web"],
  );
});

test("an absolute path outside Git and outside the working folder validates", async () => {
  const plain = fixture().write("cm.yaml", CM);
  const cwd = fixture();
  const r = await validate([plain.path("cm.yaml")], { cwd: cwd.root });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /1 resource in 1 unit/);
});

test("--kubernetes-version 1.34.2 selects the bundled 1.34 and says so", async () => {
  const f = fixture().write("cm.yaml", CM);
  const r = await validate(["cm.yaml", "--kubernetes-version", "1.34.2"], { cwd: f.root });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /\(Kubernetes 1\.34\)/);
  assert.match(
    r.stderr,
    /^note: --kubernetes-version 1\.34\.2: validated against the bundled Kubernetes 1\.34 schemas/m,
  );
});
