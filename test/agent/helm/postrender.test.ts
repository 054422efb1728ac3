// What Tether's post-renderer does to what a chart renders, as helm-controller's
// internal/postrender: the kustomize postRenderers in order, then spec.commonMetadata's
// labels and annotations, then the origin labels helm.toolkit.fluxcd.io/name and
// /namespace, on metadata only. The kustomizations and digests are pure (table tests);
// two run `helm template` through the command Helm is given (kustomize, reading Helm's
// output on stdin). The end-to-end run is in origin-labels.test.ts.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, test } from "node:test";
import { parse, parseAllDocuments } from "yaml";
import { installArgs, postRenderCommand, upgradeArgs } from "../../../agent/helm/actions.ts";
import type { ListedRelease } from "../../../agent/helm/cli.ts";
import { decide, type PreviousStatus } from "../../../agent/helm/decide.ts";
import { commonMetadataDigest, postRenderersDigest } from "../../../agent/helm/postrender.ts";
import { readReleaseSpec } from "../../../agent/helm/spec.ts";
import {
  HELM_NAME_LABEL,
  HELM_NAMESPACE_LABEL,
  originLabels,
  postRenderFolders,
} from "../../../shared/charts/postrender.ts";
import type { KubeObject } from "../../../shared/manifests/object.ts";

const hr = (
  spec: Record<string, unknown>,
  apiVersion = "helm.toolkit.fluxcd.io/v2",
): KubeObject => ({
  apiVersion,
  kind: "HelmRelease",
  metadata: { name: "podinfo", namespace: "apps", generation: 1 },
  spec: {
    chart: { spec: { chart: "app", sourceRef: { kind: "HelmRepository", name: "charts" } } },
    ...spec,
  },
});
const spec = (s: Record<string, unknown> = {}) => readReleaseSpec(hr(s));
const patch = (label: string) => ({
  kustomize: {
    patches: [
      {
        target: { kind: "Deployment" },
        patch: `- op: add\n  path: /metadata/labels/patched\n  value: ${label}\n`,
      },
    ],
  },
});
const images = { kustomize: { images: [{ name: "nginx", newTag: "1.27" }] } };
type Doc = Record<string, unknown>;
const kustomization = (text: string | undefined) => parse(text ?? "") as Doc;

test("origin labels: the HelmRelease's name and namespace under helm.toolkit.fluxcd.io", () => {
  assert.equal(HELM_NAME_LABEL, "helm.toolkit.fluxcd.io/name");
  assert.equal(HELM_NAMESPACE_LABEL, "helm.toolkit.fluxcd.io/namespace");
  // The HelmRelease's own, not the release's (targetNamespace, releaseName).
  assert.deepEqual(originLabels(spec({ targetNamespace: "web", releaseName: "other" })), {
    "helm.toolkit.fluxcd.io/name": "podinfo",
    "helm.toolkit.fluxcd.io/namespace": "apps",
  });
});

test("spec.commonMetadata: labels and annotations read as given; strings only; v1 has none", () => {
  assert.equal(spec().commonMetadata, undefined);
  assert.equal(spec({ commonMetadata: null }).commonMetadata, undefined);
  assert.deepEqual(spec({ commonMetadata: {} }).commonMetadata, { labels: {}, annotations: {} });
  assert.deepEqual(
    spec({ commonMetadata: { labels: { team: "edge" }, annotations: { owner: "ops" } } })
      .commonMetadata,
    { labels: { team: "edge" }, annotations: { owner: "ops" } },
  );
  assert.throws(
    () => spec({ commonMetadata: { labels: { replicas: 2 } } }),
    /commonMetadata\.labels\.replicas must be a string/,
  );
  const v1 = readReleaseSpec(
    hr(
      { chart: { repository: "https://charts.example.com", name: "app", version: "1.0.0" } },
      "helm.fluxcd.io/v1",
    ),
  );
  assert.equal(v1.commonMetadata, undefined);
  assert.deepEqual(originLabels(v1), originLabels(spec()));
});

test("postRenderers: only Flux's fields are kept (patch and target, image name/newName/newTag/digest)", () => {
  const s = spec({
    postRenderers: [
      {
        kustomize: {
          patches: [{ patch: "p", target: { kind: "Deployment" }, path: "/etc/passwd" }],
          images: [{ name: "a", newName: "b", newTag: "c", digest: "sha256:d", extra: 1 }],
        },
      },
    ],
  });
  assert.deepEqual(s.postRenderers, [
    {
      patches: [{ patch: "p", target: { kind: "Deployment" } }],
      images: [{ name: "a", newName: "b", newTag: "c", digest: "sha256:d" }],
    },
  ]);
});

test("kustomizations: one per postRenderers entry, each building on the one before; metadata last", () => {
  // No postRenderers, no commonMetadata: one kustomization reading Helm's output, origin labels.
  const [only, ...none] = postRenderFolders(spec());
  assert.equal(none.length, 0);
  assert.deepEqual(kustomization(only?.files["kustomization.yaml"]).resources, ["/dev/stdin"]);
  assert.deepEqual(kustomization(only?.files["kustomization.yaml"]).transformers, [
    "origin-labels.yaml",
  ]);
  assert.deepEqual(kustomization(only?.files["origin-labels.yaml"]), {
    apiVersion: "builtin",
    kind: "LabelTransformer",
    metadata: { name: "helm-toolkit-origin-labels" },
    labels: originLabels(spec()),
    // metadata/labels only: selectors and pod templates are left as the chart made them.
    fieldSpecs: [{ path: "metadata/labels", create: true }],
  });

  // Two postRenderers and commonMetadata: k0 reads stdin, k1 builds on k0 and adds the
  // metadata after its own patches and images (kustomize runs `transformers` last).
  const folders = postRenderFolders(
    spec({
      postRenderers: [patch("one"), images],
      commonMetadata: { labels: { team: "edge" }, annotations: { owner: "ops" } },
    }),
  );
  assert.deepEqual(
    folders.map((f) => f.name),
    ["k0", "k1"],
  );
  const k0 = kustomization(folders[0]?.files["kustomization.yaml"]);
  const k1 = kustomization(folders[1]?.files["kustomization.yaml"]);
  assert.deepEqual(k0.resources, ["/dev/stdin"]);
  assert.equal((k0.patches as unknown[]).length, 1);
  assert.equal(k0.transformers, undefined);
  assert.deepEqual(k1.resources, ["../k0"]);
  assert.deepEqual(k1.images, [{ name: "nginx", newTag: "1.27" }]);
  // Flux's order: common labels, common annotations, then the origin labels (which win).
  assert.deepEqual(k1.transformers, [
    "common-labels.yaml",
    "common-annotations.yaml",
    "origin-labels.yaml",
  ]);
  assert.deepEqual(kustomization(folders[1]?.files["common-annotations.yaml"]).fieldSpecs, [
    { path: "metadata/annotations", create: true },
  ]);
  // Empty maps add nothing (as Flux's transformers with nothing to set).
  const empty = postRenderFolders(spec({ commonMetadata: { labels: {}, annotations: {} } }));
  assert.deepEqual(kustomization(empty[0]?.files["kustomization.yaml"]).transformers, [
    "origin-labels.yaml",
  ]);
});

test("commonMetadata digest: Flux's observedCommonMetadataDigest, empty when unset", () => {
  assert.equal(commonMetadataDigest(undefined), "");
  // Values computed with helm-controller's encoding (Go's json.Encoder: sorted keys,
  // empty maps left out, <, > and & escaped, a newline at the end).
  assert.equal(
    commonMetadataDigest({
      labels: { team: "edge", "app.kubernetes.io/part-of": "shop" },
      annotations: { owner: "ops <ops@example.com> & co" },
    }),
    "sha256:efe5a7adc97e6d57b728451c6d3ddd73a069947b72e2395c19f5de2957d35e19",
  );
  assert.equal(
    commonMetadataDigest({ labels: {}, annotations: {} }),
    "sha256:ca3d163bab055381827226140568f3bef7eaac187cebd76878e0b63e9e442356",
  );
  assert.equal(
    commonMetadataDigest({ labels: { b: "2", a: "1" }, annotations: {} }),
    "sha256:3dd312c0bf8a7ee08bebf2f96cdea2084a01dca39613194320f8e7fe8c965b1c",
  );
});

test("post-renderers digest: covers the postRenderers and the origin labels, never empty", () => {
  const base = postRenderersDigest(spec());
  assert.match(base, /^sha256:[0-9a-f]{64}$/);
  assert.equal(postRenderersDigest(spec()), base);
  assert.notEqual(postRenderersDigest(spec({ postRenderers: [images] })), base);
  const other = readReleaseSpec({ ...hr({}), metadata: { name: "other", namespace: "apps" } });
  assert.notEqual(postRenderersDigest(other), base);
  // commonMetadata has its own digest (and status field), as in Flux.
  assert.equal(postRenderersDigest(spec({ commonMetadata: { labels: { a: "b" } } })), base);
});

test("decide: a commonMetadata change alone upgrades; the same digest does nothing", () => {
  const s = spec();
  const deployed: ListedRelease = {
    name: "podinfo",
    namespace: "apps",
    revision: "1",
    status: "deployed",
    chart: "app-0.1.0",
    app_version: "1",
    updated: "",
  };
  const desired = {
    chartDigest: "sha256:c1",
    configDigest: "sha256:v1",
    postRenderersDigest: "sha256:p1",
    commonMetadataDigest: "sha256:m1",
  };
  const made: PreviousStatus = {
    history: [{ version: 1, configDigest: "sha256:v1", ociDigest: "sha256:c1" }],
    observedPostRenderersDigest: "sha256:p1",
    observedCommonMetadataDigest: "sha256:m1",
  };
  assert.deepEqual(decide(s, desired, deployed, made), { action: "none" });
  assert.deepEqual(decide(s, { ...desired, commonMetadataDigest: "sha256:m2" }, deployed, made), {
    action: "upgrade",
    reason: "the common metadata changed",
  });
  // Removed: the digest is empty again, one upgrade takes the labels away.
  assert.deepEqual(decide(s, { ...desired, commonMetadataDigest: "" }, deployed, made), {
    action: "upgrade",
    reason: "the common metadata changed",
  });
  // A release made before the origin labels (no post-renderers digest): upgraded once.
  assert.deepEqual(
    decide(s, desired, deployed, { ...made, observedPostRenderersDigest: undefined }),
    { action: "upgrade", reason: "the post-renderers changed" },
  );
});

const stateDir = mkdtempSync(join(tmpdir(), "tether-postrender-"));
after(() => rmSync(stateDir, { recursive: true, force: true }));

test("install and upgrade hand Helm the post-renderer: kustomize building the last kustomization", async () => {
  const s = spec({ postRenderers: [images] });
  const command = await postRenderCommand({ stateDir }, s, "kustomize");
  assert.equal(command.binary, "kustomize");
  assert.equal(command.args[0], "build");
  assert.match(command.args[1] ?? "", /post-renderers\/[0-9a-f]{16}\/k0$/);
  // The same spec reuses the same folder.
  assert.deepEqual(await postRenderCommand({ stateDir }, s, "kustomize"), command);
  const input = {
    spec: s,
    chartPath: "/c.tgz",
    valuesFile: "/v.json",
    description: "d",
    postRenderer: command,
  };
  for (const args of [installArgs(input), upgradeArgs(input)]) {
    assert.equal(args[args.indexOf("--post-renderer") + 1], "kustomize");
    assert.deepEqual(
      args.filter((a) => a.startsWith("--post-renderer-args=")),
      command.args.map((a) => `--post-renderer-args=${a}`),
    );
  }
});

/** A chart of one template per object, as a chart's templates/ folder holds them. */
function writeChart(templates: Record<string, string>): string {
  const dir = mkdtempSync(join(stateDir, "chart-"));
  writeFileSync(join(dir, "Chart.yaml"), "apiVersion: v2\nname: app\nversion: 0.1.0\n");
  mkdirSync(join(dir, "templates"));
  for (const [file, text] of Object.entries(templates))
    writeFileSync(join(dir, "templates", file), text);
  return dir;
}
/** `helm template` through the post-renderer, as `helm install` runs it: the objects out. */
async function render(s: ReturnType<typeof spec>, chart: string): Promise<Doc[]> {
  const command = await postRenderCommand({ stateDir }, s, "kustomize");
  const out = spawnSync(
    "helm",
    [
      "template",
      "podinfo",
      chart,
      "--post-renderer",
      command.binary,
      ...command.args.map((a) => `--post-renderer-args=${a}`),
    ],
    { encoding: "utf8" },
  );
  assert.equal(out.status, 0, out.stderr);
  return parseAllDocuments(out.stdout)
    .map((d) => d.toJS() as Doc)
    .filter(Boolean);
}

const templates = {
  "configmap.yaml": `apiVersion: v1
kind: ConfigMap
metadata:
  name: podinfo-config
data:
  message: "true"
`,
  "service.yaml": `apiVersion: v1
kind: Service
metadata:
  name: podinfo
  labels:
    app.kubernetes.io/name: podinfo
  annotations:
    owner: chart
spec:
  selector:
    app.kubernetes.io/name: podinfo
  ports:
    - port: 80
`,
  "deployment.yaml": `apiVersion: apps/v1
kind: Deployment
metadata:
  name: podinfo
  labels:
    app.kubernetes.io/name: podinfo
spec:
  selector:
    matchLabels:
      app.kubernetes.io/name: podinfo
  template:
    metadata:
      labels:
        app.kubernetes.io/name: podinfo
    spec:
      containers:
        - name: app
          image: nginx:1.25
`,
  "cronjob.yaml": `apiVersion: batch/v1
kind: CronJob
metadata:
  name: podinfo-cleanup
spec:
  schedule: "0 * * * *"
  jobTemplate:
    metadata:
      labels:
        job: cleanup
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
            - name: cleanup
              image: nginx:1.25
`,
};
const hook = `apiVersion: v1
kind: ConfigMap
metadata:
  name: podinfo-hook
  annotations:
    helm.sh/hook: post-install
`;

test("the post-renderer on a rendered chart: metadata stamped, selectors and templates untouched", async () => {
  const s = spec({
    postRenderers: [patch("one"), images],
    commonMetadata: {
      // A common label with an origin label's key loses to the origin label, as in Flux.
      labels: { team: "edge", "helm.toolkit.fluxcd.io/name": "not-this" },
      annotations: { owner: "ops" },
    },
  });
  const docs = await render(s, writeChart(templates));
  const byKind = Object.fromEntries(docs.map((d) => [d.kind as string, d])) as Record<
    string,
    // biome-ignore lint/suspicious/noExplicitAny: the test reads whatever fields it checks
    any
  >;
  assert.deepEqual(Object.keys(byKind).sort(), ["ConfigMap", "CronJob", "Deployment", "Service"]);
  for (const doc of Object.values(byKind)) {
    assert.equal(doc.metadata.labels["helm.toolkit.fluxcd.io/name"], "podinfo", doc.kind);
    assert.equal(doc.metadata.labels["helm.toolkit.fluxcd.io/namespace"], "apps", doc.kind);
    assert.equal(doc.metadata.labels.team, "edge", doc.kind);
    // commonMetadata's annotations override the chart's own, as in Flux.
    assert.equal(doc.metadata.annotations.owner, "ops", doc.kind);
  }
  // The postRenderers ran first: the patch and the image are there.
  assert.equal(byKind.Deployment.metadata.labels.patched, "one");
  assert.equal(byKind.Deployment.spec.template.spec.containers[0].image, "nginx:1.27");
  // Only metadata: selectors, pod templates and job templates as the chart made them.
  assert.deepEqual(byKind.Deployment.spec.selector, {
    matchLabels: { "app.kubernetes.io/name": "podinfo" },
  });
  assert.deepEqual(byKind.Deployment.spec.template.metadata, {
    labels: { "app.kubernetes.io/name": "podinfo" },
  });
  assert.deepEqual(byKind.Service.spec.selector, { "app.kubernetes.io/name": "podinfo" });
  assert.deepEqual(byKind.CronJob.spec.jobTemplate.metadata, { labels: { job: "cleanup" } });
  assert.equal(byKind.CronJob.spec.jobTemplate.spec.template.metadata, undefined);
  // A quoted value stays a string.
  assert.equal(byKind.ConfigMap.data.message, "true");
});

test("the post-renderer with the origin labels only; hooks are not post-rendered", async () => {
  const docs = await render(spec(), writeChart({ ...templates, "hook.yaml": hook }));
  const deployment = docs.find((d) => d.kind === "Deployment") as {
    metadata: { labels: Record<string, string> };
  };
  assert.deepEqual(deployment.metadata.labels, {
    "app.kubernetes.io/name": "podinfo",
    "helm.toolkit.fluxcd.io/name": "podinfo",
    "helm.toolkit.fluxcd.io/namespace": "apps",
  });
  // The helm 3 CLI gives the post-renderer no hooks (Flux's postRenderStrategy nohooks).
  const rendered = docs.find((d) => (d.metadata as { name: string }).name === "podinfo-hook");
  assert.ok(rendered, "the hook is rendered");
  assert.equal((rendered.metadata as Doc).labels, undefined);
  // A chart of nothing but hooks: Helm still runs the post-renderer, on nothing.
  const onlyHooks = await render(spec(), writeChart({ "hook.yaml": hook }));
  assert.deepEqual(
    onlyHooks.map((d) => (d.metadata as { name: string }).name),
    ["podinfo-hook"],
  );
});

/** A post-renderer's folder (post-renderers/<digest>) from the command Helm is given. */
const folderOf = (command: { args: string[] }) => dirname(command.args[1] ?? "");
const DAY = 24 * 3600 * 1000;
/** Makes a folder look last used `days` ago, as the days an edge board runs would. */
const age = (folder: string, days: number) => {
  const then = new Date(Date.now() - days * DAY);
  utimesSync(folder, then, then);
};

/**
 * The post-renderer folders an earlier agent process wrote (this process never used
 * them: it keeps what it used itself, shared/charts/built-folder.ts), as their paths.
 */
function writtenByEarlierProcess(dir: string, specs: ReturnType<typeof readReleaseSpec>[]) {
  const actions = new URL("../../../agent/helm/actions.ts", import.meta.url).href;
  const script = `
    const { postRenderCommand } = await import(${JSON.stringify(actions)});
    const folders = [];
    for (const spec of ${JSON.stringify(specs)})
      folders.push((await postRenderCommand({ stateDir: ${JSON.stringify(dir)} }, spec, "kustomize")).args[1]);
    process.stdout.write(JSON.stringify(folders));
  `;
  const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
    encoding: "utf8",
  });
  assert.equal(run.status, 0, run.stderr);
  return (JSON.parse(run.stdout) as string[]).map((path) => dirname(path));
}

test("post-renderer folders unused for 7 days are removed once a new one is written; used ones stay", async () => {
  const dir = mkdtempSync(join(stateDir, "prune-"));
  const other = (name: string, s: Record<string, unknown> = {}) =>
    readReleaseSpec({ ...hr(s), metadata: { name, namespace: "apps", generation: 1 } });
  const live = spec({ postRenderers: [images] });
  const [gone, oldSpec, liveFolder, recent] = writtenByEarlierProcess(dir, [
    other("gone"),
    spec({ postRenderers: [patch("one")] }),
    live,
    other("recent"),
  ]) as [string, string, string, string];
  for (const folder of [gone, oldSpec, liveFolder]) age(folder, 8);
  age(recent, 6);
  // A crashed run's half-written folder, as old.
  const partial = `${liveFolder}.4242-crashed`;
  mkdirSync(join(partial, "k0"), { recursive: true });
  age(partial, 8);

  // The next pass: the live release upgrades with its unchanged post-renderers (its
  // folder is used again), another's spec changed (a new folder is written).
  const command = await postRenderCommand({ stateDir: dir }, live, "kustomize");
  const changed = folderOf(
    await postRenderCommand(
      { stateDir: dir },
      spec({ postRenderers: [patch("two")] }),
      "kustomize",
    ),
  );
  const left = readdirSync(join(dir, "post-renderers"))
    .map((name) => join(dir, "post-renderers", name))
    .sort();
  assert.deepEqual(left, [liveFolder, recent, changed].sort());
  // What is kept still works: Helm renders through the live release's post-renderer.
  const out = spawnSync(
    "helm",
    [
      "template",
      "podinfo",
      writeChart(templates),
      "--post-renderer",
      command.binary,
      ...command.args.map((a) => `--post-renderer-args=${a}`),
    ],
    { encoding: "utf8" },
  );
  assert.equal(out.status, 0, out.stderr);
  assert.match(out.stdout, /image: nginx:1\.27/);
});

test("post-renderer folders: one used in the same pass is never removed by a prune running beside it", async () => {
  const dir = mkdtempSync(join(stateDir, "race-"));
  const live = spec({ postRenderers: [images] });
  for (let i = 0; i < 30; i++) {
    const folder = folderOf(await postRenderCommand({ stateDir: dir }, live, "kustomize"));
    age(folder, 8);
    // Two releases at once (a pass runs 4): one writes a new folder (and prunes), the
    // other reuses the old one, starting a little later each round so that it meets
    // the prune at each of its steps.
    const writing = postRenderCommand(
      { stateDir: dir },
      spec({ postRenderers: [patch(`p${i}`)] }),
      "kustomize",
    );
    for (let tick = 0; tick < i; tick++) await new Promise((resolve) => setImmediate(resolve));
    const [command] = await Promise.all([
      postRenderCommand({ stateDir: dir }, live, "kustomize"),
      writing,
    ]);
    assert.ok(existsSync(command.args[1] ?? ""), `round ${i}: the folder in use is there`);
    assert.ok(existsSync(join(command.args[1] ?? "", "kustomization.yaml")), `round ${i}`);
  }
});
