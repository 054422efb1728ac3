// `tether images mark` and `tether images lint` as a user runs them: files on disk,
// exit codes and output. No cluster, registry or Git server needed.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { tether } from "../../helpers/tether.ts";

const dir = mkdtempSync(join(tmpdir(), "tether-mark-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const seed = readFileSync(
  new URL("../../shared/tagpolicy/testdata/seed-002-helm-release.yaml", import.meta.url),
  "utf8",
);
const MARKER = ' # {"$imagepolicy": "flux-system:app-demo"}';

const policy = `apiVersion: image.toolkit.fluxcd.io/v1beta2
kind: ImagePolicy
metadata:
  name: app-demo
  namespace: flux-system
spec:
  imageRepositoryRef:
    name: app-demo
  policy:
    alphabetical:
      order: asc
`;

describe("tether images mark", () => {
  test("marks the seed 002 HelmRelease, prints nothing, changes only the image line", async () => {
    const file = join(dir, "helm-release.yaml");
    writeFileSync(file, seed.replace(MARKER, ""));
    const result = await tether(["images", "mark", file, "--policy", "flux-system:app-demo"], {
      exit: 0,
    });
    assert.equal(result.stdout, "");
    assert.equal(result.stderr, "");
    assert.equal(readFileSync(file, "utf8"), seed);
  });

  test("an ambiguous Deployment is refused with exit 2 and left untouched", async () => {
    const file = join(dir, "deployment.yaml");
    const text =
      "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: ghcr.io/org/web:1.0.0\n        - name: proxy\n          image: ghcr.io/org/proxy:1.0.0\n";
    writeFileSync(file, text);
    const refused = await tether(["images", "mark", file, "--policy", "apps:web"], { exit: 2 });
    assert.match(refused.stderr, /choose one with --container/);
    assert.equal(readFileSync(file, "utf8"), text);
    const marked = await tether(
      ["images", "mark", file, "--policy", "apps:web", "--container", "web"],
      { exit: 0 },
    );
    assert.equal(marked.stdout + marked.stderr, "");
    assert.equal(
      readFileSync(file, "utf8"),
      text.replace("web:1.0.0\n", 'web:1.0.0 # {"$imagepolicy": "apps:web"}\n'),
    );
  });
});

describe("tether images lint", () => {
  test("reports a marker in a block scalar and an unknown policy; exit 1", async () => {
    const repo = mkdtempSync(join(dir, "repo-"));
    writeFileSync(join(repo, "policy.yaml"), policy);
    writeFileSync(join(repo, "helm-release.yaml"), seed);
    writeFileSync(
      join(repo, "values.yaml"),
      `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: v}\ndata:\n  values.yaml: |\n    image: ghcr.io/org/app:1.0 # {"$imagepolicy": "flux-system:app-demo"}\n`,
    );
    writeFileSync(
      join(repo, "web.yaml"),
      `kind: Pod\nmetadata: {name: w}\nspec:\n  containers:\n    - name: w\n      image: ghcr.io/org/web:1 # {"$imagepolicy": "flux-system:web"}\n`,
    );
    const result = await tether(["images", "lint", "."], { cwd: repo, exit: 1 });
    assert.deepEqual(
      result.stdout
        .trim()
        .split("\n")
        .map((l) => l.replace(/: [^:]*$/, "").replace(/ .*/, "")),
      ["values.yaml:6:", "web.yaml:6:"],
    );
    assert.match(result.stdout, /values\.yaml:6: flux-system:app-demo: inside a block scalar/);
    assert.match(
      result.stdout,
      /web\.yaml:6: flux-system:web: no ImagePolicy flux-system:web is defined/,
    );
    assert.match(result.stderr, /3 marker\(s\) in 4 file\(s\), 2 problem\(s\); 1 ImagePolicy/);
  });

  test("a clean folder exits 0", async () => {
    const repo = mkdtempSync(join(dir, "clean-"));
    writeFileSync(join(repo, "policy.yaml"), policy);
    writeFileSync(join(repo, "helm-release.yaml"), seed);
    const result = await tether(["images", "lint", repo], { exit: 0 });
    assert.equal(result.stdout, "");
  });
});
