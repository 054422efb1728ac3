// Rendering a repository path: plain folders (multi-document files, Lists, hidden
// folders skipped, every broken file reported) and Kustomize with the real binary.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, describe, test } from "node:test";
import { parseManifests } from "../../../shared/manifests/parse.ts";
import { renderPath } from "../../../shared/render/render.ts";
import { testenv } from "../../helpers/testenv.ts";

let root: string;
const write = (path: string, text: string) => {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
};

before(() => {
  root = mkdtempSync(join(tmpdir(), "tether-render-"));
  // kustomize comes from the environment's tools folder.
  process.env.PATH = testenv().path;
});
after(() => rmSync(root, { recursive: true, force: true }));

describe("parseManifests", () => {
  test("every document keeps the line it starts on; Lists are expanded", async () => {
    const text = [
      "# leading comment",
      "apiVersion: v1",
      "kind: ConfigMap",
      "metadata: {name: a}",
      "---",
      "---",
      "apiVersion: v1",
      "kind: List",
      "items:",
      "  - apiVersion: v1",
      "    kind: Secret",
      "    metadata: {name: s}",
      "  - apiVersion: v1",
      "    kind: Service",
      "    metadata: {name: svc}",
      "",
    ].join("\n");
    const manifests = await parseManifests(text, "f.yaml");
    assert.deepEqual(
      manifests.map((m) => [m.object.kind, m.object.metadata.name, m.source.line]),
      [
        ["ConfigMap", "a", 2],
        ["Secret", "s", 10],
        ["Service", "svc", 13],
      ],
    );
  });

  test("values read as kubectl reads them (YAML 1.1): octal modes, on/yes booleans; times stay text", async () => {
    const [m] = await parseManifests(
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\nspec: {mode: 0644, on: on, quoted: 'on', time: 12:30, day: 2026-11-23, hex: 0x1F}\n",
      "f.yaml",
    );
    assert.deepEqual(m?.object.spec, {
      mode: 420,
      true: true,
      quoted: "on",
      time: "12:30",
      day: "2026-11-23",
      hex: 31,
    });
  });

  test("JSON files parse too", async () => {
    const [m] = await parseManifests(
      '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"j"}}',
      "f.json",
    );
    assert.equal(m?.object.metadata.name, "j");
  });

  for (const [text, message] of [
    [
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n",
      /f\.yaml:5: invalid YAML: Map keys must be unique/,
    ],
    ["kind: ConfigMap\nmetadata: {name: a}\n", /f\.yaml:1: apiVersion is missing/],
    [
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n",
      /f\.yaml:1: ConfigMap: metadata\.name is missing/,
    ],
    ["- a\n- b\n", /f\.yaml:1: a document must be a Kubernetes object/],
    ["apiVersion: v1\nkind: [\n", /f\.yaml:\d+: invalid YAML/],
  ] as const) {
    test(`refused: ${message}`, async () =>
      assert.rejects(() => parseManifests(text, "f.yaml"), message));
  }
});

describe("renderPath", () => {
  test("a plain folder: sorted files, nested folders, hidden ones skipped", async () => {
    write("plain/b.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n");
    write("plain/a/a.yml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n");
    write("plain/.hidden/x.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: hidden}\n");
    write("plain/notes.txt", "not yaml: [");
    const result = await renderPath(root, "plain");
    assert.equal(result.renderer, "plain");
    assert.deepEqual(result.errors, []);
    assert.deepEqual(
      result.manifests.map((m) => `${m.source.file}:${m.source.line} ${m.object.metadata.name}`),
      ["plain/a/a.yml:1 a", "plain/b.yaml:1 b"],
    );
  });

  test("every broken file of a folder is reported, not just the first", async () => {
    write("broken/one.yaml", "apiVersion: v1\nkind: ConfigMap\n");
    write("broken/two.yaml", "a: [\n");
    write("broken/ok.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\n");
    const result = await renderPath(root, "broken");
    assert.deepEqual(
      result.errors.map((e) => e.file),
      ["broken/one.yaml", "broken/two.yaml"],
    );
  });

  test("a kustomization is built with kustomize", async () => {
    write(
      "kust/base/cm.yaml",
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {mode: base}\n",
    );
    write("kust/base/kustomization.yaml", "resources: [cm.yaml]\n");
    write(
      "kust/overlays/edge/kustomization.yaml",
      "resources: [../../base]\nnamePrefix: edge-\nnamespace: edge\npatches:\n  - patch: |-\n      apiVersion: v1\n      kind: ConfigMap\n      metadata: {name: settings}\n      data: {mode: edge}\n",
    );
    const result = await renderPath(root, "kust/overlays/edge");
    assert.equal(result.renderer, "kustomize");
    assert.deepEqual(result.errors, []);
    const [cm] = result.manifests;
    assert.equal(cm?.object.metadata.name, "edge-settings");
    assert.equal(cm?.object.metadata.namespace, "edge");
    assert.deepEqual(cm?.object.data, { mode: "edge" });
    assert.equal(cm?.source.file, "kust/overlays/edge/kustomization.yaml");
  });

  test("remote bases are refused unless allowed, also from a local base", async () => {
    write(
      "remote/base/kustomization.yaml",
      "resources:\n  - https://github.com/example/fleet//base?ref=v1\n",
    );
    write("remote/overlay/kustomization.yaml", "resources: [../base]\n");
    const result = await renderPath(root, "remote/overlay");
    assert.match(
      result.errors[0]?.message ?? "",
      /remote bases are not allowed.*remote\/base\/kustomization\.yaml: https:\/\/github\.com/,
    );
  });

  test("a failing kustomize build is an error, not a crash", async () => {
    write("failing/kustomization.yaml", "resources: [missing.yaml]\n");
    const result = await renderPath(root, "failing");
    assert.match(
      result.errors[0]?.message ?? "",
      /failing\/kustomization\.yaml: kustomize build failed: .*missing\.yaml/,
    );
  });

  test("a missing path, a path outside the repository and an empty folder are errors", async () => {
    mkdirSync(join(root, "empty"), { recursive: true });
    assert.match((await renderPath(root, "nope")).errors[0]?.message ?? "", /does not exist/);
    assert.match(
      (await renderPath(root, "../etc")).errors[0]?.message ?? "",
      /leaves the repository/,
    );
    assert.match((await renderPath(root, "empty")).errors[0]?.message ?? "", /renders no objects/);
    assert.deepEqual((await renderPath(root, "empty", { allowEmpty: true })).errors, []);
  });
});
