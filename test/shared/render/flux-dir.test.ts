// Flux's directory rules with the real kustomize: the layout of Flux's canonical
// example renders as kustomize-controller builds it.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, describe, test } from "node:test";
import { listFluxDir } from "../../../shared/render/flux-dir.ts";
import { renderPath } from "../../../shared/render/render.ts";
import { IgnoreRules, parseIgnore } from "../../../shared/render/sourceignore.ts";
import { testenv } from "../../helpers/testenv.ts";

let root: string;
const write = (path: string, text: string) => {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
};
const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}}\n`;
const ks = (name: string, path: string) =>
  `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: ${name}, namespace: flux-system}\nspec: {interval: 1h, path: ${path}, prune: true, sourceRef: {kind: GitRepository, name: flux-system}}\n`;

before(() => {
  root = mkdtempSync(join(tmpdir(), "tether-fluxdir-"));
  process.env.PATH = testenv().path;
  write(
    "clusters/staging/flux-system/kustomization.yaml",
    "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - gotk-components.yaml\n  - gotk-sync.yaml\n",
  );
  write("clusters/staging/flux-system/gotk-components.yaml", cm("placeholder"));
  write(
    "clusters/staging/flux-system/gotk-sync.yaml",
    `apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata: {name: flux-system, namespace: flux-system}\nspec: {interval: 1m, url: https://example.invalid/fleet, ref: {branch: main}}\n---\n${ks("flux-system", "./clusters/staging")}`,
  );
  write(
    "clusters/staging/infrastructure.yaml",
    ks("infra-controllers", "./infrastructure/controllers"),
  );
  write("clusters/staging/apps.yaml", ks("apps", "./apps/staging"));
});
after(() => rmSync(root, { recursive: true, force: true }));

describe("Flux directory rules", () => {
  test("a cluster folder: its flux-system kustomization is a base, not a manifest", async () => {
    const result = await renderPath(root, "clusters/staging");
    assert.deepEqual(result.errors, []);
    assert.deepEqual(
      result.manifests.map((m) => `${m.object.kind}/${m.object.metadata.name}`),
      [
        "Kustomization/apps",
        "ConfigMap/placeholder",
        "Kustomization/flux-system",
        "GitRepository/flux-system",
        "Kustomization/infra-controllers",
      ],
    );
  });

  test("kustomize configuration files in a plain folder are never objects", async () => {
    write("plain/a.yaml", cm("a"));
    write(
      "plain/sub/component.yaml",
      "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\npatches: []\n",
    );
    const result = await renderPath(root, "plain");
    assert.deepEqual(result.errors, []);
    assert.deepEqual(
      result.manifests.map((m) => m.object.metadata.name),
      ["a"],
    );
  });

  test(".sourceignore (in the root and below) and spec.ignore leave files out", async () => {
    write(".sourceignore", "# root rules\nignored-everywhere.yaml\n");
    write("ign/keep.yaml", cm("keep"));
    write("ign/ignored-everywhere.yaml", cm("nope1"));
    write("ign/sub/.sourceignore", "/local.yaml\n");
    write("ign/sub/local.yaml", cm("nope2"));
    write("ign/sub/deeper/local.yaml", cm("deeper"));
    write("ign/drafts/x.yaml", cm("draft"));
    write("ign/.github/workflows/ci.yaml", "on: push\n");
    const names = async (ignore?: IgnoreRules) =>
      (await renderPath(root, "ign", ignore ? { ignore } : {})).manifests.map(
        (m) => m.object.metadata.name,
      );
    assert.deepEqual(await names(), ["draft", "keep", "deeper"]);
    assert.deepEqual(await names(IgnoreRules.forSource("drafts/\n.github/\n")), ["keep", "deeper"]);
    // spec.ignore replaces the defaults but the VCS files, as source-controller does: a
    // CI file the defaults leave out (cloudbuild.yaml) is read again, and is no manifest.
    write("ign/cloudbuild.yaml", "steps: []\n");
    write("ign/.gitattributes", "* text=auto\n");
    assert.deepEqual(await names(), ["draft", "keep", "deeper"]);
    const withoutDefaults = await renderPath(root, "ign", {
      ignore: IgnoreRules.forSource("drafts/\n"),
    });
    const errors = withoutDefaults.errors.map((e) => e.message).join("\n");
    assert.match(errors, /cloudbuild\.yaml/);
    assert.doesNotMatch(errors, /gitattributes/);
    // A spec.ignore with no pattern in it is as if unset: the defaults stay.
    const commentsOnly = await renderPath(root, "ign", {
      ignore: IgnoreRules.forSource("# nothing yet\n\n"),
    });
    assert.deepEqual(commentsOnly.errors, []);
  });

  test("a subfolder with a kustomization is listed once, as a base", async () => {
    write("tree/a.yaml", cm("a"));
    write("tree/base/kustomization.yaml", "resources: [x.yaml]\n");
    write("tree/base/x.yaml", cm("x"));
    const entries = await listFluxDir(join(root, "tree"), root);
    assert.deepEqual(
      entries.map((e) => [e.type, e.path.slice(root.length + 1)]),
      [
        ["file", "tree/a.yaml"],
        ["base", "tree/base"],
      ],
    );
  });
});

describe("gitignore patterns", () => {
  const rules = new IgnoreRules(parseIgnore("*.md\n!keep.md\n/top.yaml\nbuild/\ndocs/**/*.yaml\n"));
  for (const [path, isDir, expected] of [
    ["README.md", false, true],
    ["a/b/notes.md", false, true],
    ["a/keep.md", false, false],
    ["top.yaml", false, true],
    ["a/top.yaml", false, false],
    ["build", true, true],
    ["build", false, false],
    ["docs/x/y/z.yaml", false, true],
    ["docs/z.yaml", false, true],
    ["other/z.yaml", false, false],
  ] as const) {
    test(`${path}${isDir ? "/" : ""} ignored: ${expected}`, () =>
      assert.equal(rules.ignores(path, isDir), expected));
  }
});
