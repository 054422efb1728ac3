// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Flux variables are written ${like_this}.
// A Kustomization's kustomize fields (targetNamespace, namePrefix/nameSuffix, patches,
// components, images) are merged into the path's kustomization file, or into the one
// Flux generates for a folder without one, and built once, as kustomize-controller does:
// the file's own namePrefix is replaced, patches see the names before any prefix,
// components resolve from the path, and an image entry of the same name is replaced.
// The source checkout is never written; paths leaving the repository are still refused.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  type BuildResult,
  buildKustomization,
  type KustomizationSpec,
} from "../../../agent/flux/build.ts";
import type { Manifest } from "../../../shared/manifests/object.ts";
import { testenv } from "../../helpers/testenv.ts";

let base: string;
let root: string;
const write = (path: string, text: string) => {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
};

const deployment = (name: string, image = "nginx") =>
  `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  replicas: 1
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec: {containers: [{name: c, image: ${image}}]}
`;

const replicasTo5 = {
  target: { kind: "Deployment", name: "app" },
  patch: "- op: replace\n  path: /spec/replicas\n  value: 5\n",
};

function build(spec: KustomizationSpec, vars?: Record<string, string>): Promise<BuildResult> {
  return buildKustomization(spec, root, { name: "apps", namespace: "flux-system", vars });
}

function built(result: BuildResult): Manifest[] {
  assert.ok(result.ok, result.ok ? "" : result.message);
  return result.manifests;
}

const ids = (manifests: Manifest[]) =>
  manifests
    .map((m) => `${m.object.kind}/${m.object.metadata.namespace ?? ""}/${m.object.metadata.name}`)
    .sort();

const find = (manifests: Manifest[], kind: string) => {
  const found = manifests.find((m) => m.object.kind === kind);
  assert.ok(found, `no ${kind} in ${ids(manifests).join(", ")}`);
  return found.object as Manifest["object"] & {
    spec: { replicas: number; template: { spec: { containers: { image: string }[] } } };
  };
};

/** Every file and folder under `dir`, to prove a build left the checkout as it was. */
const listing = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, encoding: "utf8" }).sort();

before(() => {
  base = mkdtempSync(join(tmpdir(), "tether-build-merge-"));
  root = join(base, "repo");
  process.env.PATH = testenv().path;
  // apps/app: a kustomization with its own namePrefix, namespace and image rename.
  write("apps/app/deploy.yaml", deployment("app"));
  write(
    "apps/app/kustomization.yaml",
    [
      "namePrefix: staging-",
      "namespace: web",
      "resources: [deploy.yaml]",
      "images:",
      "  - name: nginx",
      "    newName: registry.example/nginx",
      "",
    ].join("\n"),
  );
  // apps/comp: a component beside it.
  write(
    "apps/comp/kustomization.yaml",
    "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources: [cm.yaml]\n",
  );
  write(
    "apps/comp/cm.yaml",
    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: extra}\ndata: {a: b}\n",
  );
  // plain: a folder without a kustomization (Flux generates one).
  write("plain/deploy.yaml", deployment("app"));
  // A folder outside the repository, reached by a symlink inside it.
  mkdirSync(join(base, "outside"), { recursive: true });
  writeFileSync(
    join(base, "outside/kustomization.yaml"),
    "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n",
  );
  symlinkSync(join(base, "outside"), join(root, "apps/escape"));
});
after(() => rmSync(base, { recursive: true, force: true }));

describe("the spec merged into the path's kustomization", () => {
  test("components resolve from the path and get the file's prefix and namespace", async () => {
    const manifests = built(await build({ path: "./apps/app", components: ["../comp"] }));
    assert.deepEqual(ids(manifests), ["ConfigMap/web/staging-extra", "Deployment/web/staging-app"]);
  });

  test("a patch targets the name before the file's namePrefix applies", async () => {
    const manifests = built(await build({ path: "./apps/app", patches: [replicasTo5] }));
    const app = find(manifests, "Deployment");
    assert.equal(app.metadata.name, "staging-app");
    assert.equal(app.spec.replicas, 5);
  });

  test("namePrefix and nameSuffix replace the file's; targetNamespace replaces its namespace", async () => {
    const manifests = built(
      await build({
        path: "./apps/app",
        namePrefix: "prod-",
        nameSuffix: "-v2",
        targetNamespace: "prod",
      }),
    );
    assert.deepEqual(ids(manifests), ["Deployment/prod/prod-app-v2"]);
  });

  test("an image entry of the same name replaces the file's; others are added", async () => {
    write("apps/two/deploy.yaml", `${deployment("one")}---\n${deployment("two", "redis")}`);
    write(
      "apps/two/kustomization.yaml",
      "resources: [deploy.yaml]\nimages:\n  - name: nginx\n    newName: registry.example/nginx\n",
    );
    const manifests = built(
      await build({
        path: "./apps/two",
        images: [
          { name: "nginx", newTag: "1.27" },
          { name: "redis", newName: "mirror.example/redis", digest: `sha256:${"a".repeat(64)}` },
        ],
      }),
    );
    const image = (name: string) => {
      const found = manifests.find((m) => m.object.metadata.name === name);
      assert.ok(found, name);
      return (found.object as ReturnType<typeof find>).spec.template.spec.containers[0]?.image;
    };
    // Flux replaces the whole entry: the file's newName is gone.
    assert.equal(image("one"), "nginx:1.27");
    assert.equal(image("two"), `mirror.example/redis@sha256:${"a".repeat(64)}`);
  });

  test("patches and components are added to the file's own", async () => {
    write("apps/own/deploy.yaml", deployment("app"));
    write(
      "apps/own/kustomization.yaml",
      [
        "resources: [deploy.yaml]",
        "components: [../comp]",
        "patches:",
        "  - target: {kind: Deployment}",
        "    patch: |",
        "      - op: add",
        "        path: /metadata/labels",
        "        value: {from: file}",
        "",
      ].join("\n"),
    );
    write(
      "apps/comp2/kustomization.yaml",
      "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources: [cm.yaml]\n",
    );
    write("apps/comp2/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: more}\n");
    const manifests = built(
      await build({ path: "./apps/own", components: ["../comp2"], patches: [replicasTo5] }),
    );
    assert.deepEqual(ids(manifests), ["ConfigMap//extra", "ConfigMap//more", "Deployment//app"]);
    const app = find(manifests, "Deployment");
    assert.equal(app.spec.replicas, 5);
    assert.equal(app.metadata.labels?.from, "file");
  });

  test("a missing component fails the build unless ignoreMissingComponents is set", async () => {
    const failed = await build({ path: "./apps/app", components: ["../nope", "../comp"] });
    assert.equal(failed.ok, false);
    assert.ok(!failed.ok);
    assert.equal(failed.reason, "BuildFailed");
    const manifests = built(
      await build({
        path: "./apps/app",
        components: ["../nope", "../comp"],
        ignoreMissingComponents: true,
      }),
    );
    assert.deepEqual(ids(manifests), ["ConfigMap/web/staging-extra", "Deployment/web/staging-app"]);
  });

  test("objects keep pointing at the kustomization file", async () => {
    const manifests = built(await build({ path: "./apps/app", namePrefix: "prod-" }));
    assert.equal(manifests[0]?.source.file, "apps/app/kustomization.yaml");
  });
});

describe("a folder without a kustomization (Flux's generated one)", () => {
  test("components resolve from the path; patches, prefix and namespace apply", async () => {
    const manifests = built(
      await build({
        path: "./plain",
        components: ["../apps/comp"],
        patches: [replicasTo5],
        namePrefix: "p-",
        targetNamespace: "plain",
      }),
    );
    assert.deepEqual(ids(manifests), ["ConfigMap/plain/p-extra", "Deployment/plain/p-app"]);
    assert.equal(find(manifests, "Deployment").spec.replicas, 5);
  });
});

describe("safety", () => {
  test("a spec component leaving the repository (by .. or by symlink) is refused", async () => {
    for (const component of ["../../../outside", "../escape"]) {
      const result = await build({ path: "./apps/app", components: [component] });
      assert.equal(result.ok, false, component);
      assert.ok(!result.ok);
      assert.equal(result.reason, "BuildFailed");
      assert.match(result.message, /leaves the repository/);
    }
  });

  test("an absolute or remote component is refused", async () => {
    for (const component of [join(root, "apps/comp"), "https://github.com/org/repo//comp"]) {
      const result = await build({ path: "./apps/app", components: [component] });
      assert.equal(result.ok, false, component);
      assert.ok(!result.ok);
      assert.equal(result.reason, "BuildFailed");
    }
  });

  test("the file's own references are still checked when the spec is merged in", async () => {
    write("apps/bad/kustomization.yaml", "resources: [../escape]\n");
    write("apps/remote/kustomization.yaml", "resources: [https://github.com/org/repo//base]\n");
    for (const path of ["./apps/bad", "./apps/remote"]) {
      const result = await build({ path, namePrefix: "x-" });
      assert.equal(result.ok, false, path);
      assert.ok(!result.ok);
      assert.equal(result.reason, "BuildFailed");
      assert.match(result.message, /leaves the repository|remote/);
    }
  });

  test("the source checkout is left exactly as it was", async () => {
    const before = listing(root);
    built(
      await build({
        path: "./apps/app",
        components: ["../comp"],
        namePrefix: "prod-",
        patches: [replicasTo5],
      }),
    );
    built(await build({ path: "./plain", components: ["../apps/comp"], namePrefix: "p-" }));
    assert.deepEqual(listing(root), before);
  });
});

describe("commonMetadata", () => {
  test("is set after postBuild substitution, as Flux sets it when applying", async () => {
    const manifests = built(
      await build(
        {
          path: "./plain",
          commonMetadata: { annotations: { note: "${team}" } },
        },
        { team: "blue" },
      ),
    );
    assert.equal(find(manifests, "Deployment").metadata.annotations?.note, "${team}");
  });
});
