// Seed 002 end to end: a HelmRelease whose `values.image` carries the `$imagepolicy`
// marker, its chart from the local chart server; a new RELEASE.<timestamp> image is
// pushed to the local registry, `tether images update` commits the values change to
// Git, and the next `tether sync --once` upgrades the release: `helm history` shows
// revision 2 and the Deployment (live and in `helm get manifest`) runs the new image.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { chartsAuthSecret } from "../../helpers/charts.ts";
import { gitEnv, TestRepo } from "../../helpers/git-repo.ts";
import { kubectl, kubectlRun } from "../../helpers/kubectl.ts";
import { pushImage } from "../../helpers/registry.ts";
import { mustRun } from "../../helpers/run.ts";
import { chartsEnv, testenv } from "../../helpers/testenv.ts";
import { kubectlEnv, tether } from "../../helpers/tether.ts";

const id = randomBytes(3).toString("hex");
const ns = `production-${id}`;
const recordsNs = `tether-seed002-${id}`;
const policy = `app-demo-${id}`;
const cacheDir = join(tmpdir(), `tether-seed002-cache-${id}`);
const helmState = join(tmpdir(), `tether-seed002-helm-${id}`);
const OLD = "RELEASE.2022-01-16T05-42-20Z";
const NEW = "RELEASE.2022-01-18T10-30-00Z";
const manifests = "clusters/cluster1/manifests";
let repo: TestRepo;
let image: string;

const helm = (args: string[]) =>
  mustRun("helm", args, {
    env: {
      ...kubectlEnv(),
      HELM_CONFIG_HOME: join(helmState, "config"),
      HELM_CACHE_HOME: join(helmState, "cache"),
      HELM_DATA_HOME: join(helmState, "data"),
    },
  });

// The files of seed 002's cluster1/manifests, with the local chart server (which needs
// basic auth) and the local registry in place of sergiops.xyz and Docker Hub.
const helmRelease = (tag: string) => `apiVersion: helm.toolkit.fluxcd.io/v2beta1
kind: HelmRelease
metadata:
  name: app-demo
  namespace: ${ns}
spec:
  chart:
    spec:
      chart: app-demo
      sourceRef:
        kind: HelmRepository
        name: helm-charts
        namespace: ${ns}
      version: 0.0.1
  interval: 1m0s
  values:
    replicaCount: 3
    containerPort: 5000
    image: ${image}:${tag} # {"$imagepolicy": "flux-system:${policy}"}
    message: "cluster1"
`;

function sync() {
  return tether([
    "sync",
    "--once",
    "--git-url",
    repo.url,
    "--git-branch",
    "main",
    "--git-path",
    "clusters/cluster1",
    "--prune",
    "--namespace",
    recordsNs,
    "--cache-dir",
    cacheDir,
  ]);
}

const deployedImage = () =>
  kubectl([
    "get",
    "deployment",
    "-n",
    ns,
    "app-demo",
    "-o",
    "jsonpath={.spec.template.spec.containers[0].image}",
  ]);

describe("seed 002: an image bump in a HelmRelease's values upgrades the release", {
  timeout: 300_000,
}, () => {
  before(async () => {
    const env = testenv();
    const charts = chartsEnv();
    image = `${env.registry}/fluxappdemo-${id}`;
    await pushImage(env.registry, `fluxappdemo-${id}`, { tags: [OLD], index: false });
    repo = await TestRepo.create("seed002");
    repo.write(
      `${manifests}/namespace.yaml`,
      `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n`,
    );
    repo.write(
      `${manifests}/helm-charts.yaml`,
      `apiVersion: source.toolkit.fluxcd.io/v1beta2\nkind: HelmRepository\nmetadata:\n  name: helm-charts\n  namespace: ${ns}\nspec:\n  interval: 1m0s\n  url: ${charts.url}\n  secretRef:\n    name: charts-auth\n`,
    );
    repo.write(`${manifests}/helm-release.yaml`, helmRelease(OLD));
    repo.write(
      `${manifests}/app-demo-registry.yaml`,
      `apiVersion: image.toolkit.fluxcd.io/v1beta2\nkind: ImageRepository\nmetadata:\n  name: ${policy}\n  namespace: flux-system\nspec:\n  image: ${image}\n  interval: 1m0s\n  insecure: true\n`,
    );
    repo.write(
      `${manifests}/app-demo-policy.yaml`,
      `apiVersion: image.toolkit.fluxcd.io/v1beta2\nkind: ImagePolicy\nmetadata:\n  name: ${policy}\n  namespace: flux-system\nspec:\n  filterTags:\n    extract: $timestamp\n    pattern: ^RELEASE\\.(?P<timestamp>.*)Z$\n  imageRepositoryRef:\n    name: ${policy}\n  policy:\n    alphabetical:\n      order: asc\n`,
    );
    repo.write(
      `${manifests}/flux-system-automation.yaml`,
      `apiVersion: image.toolkit.fluxcd.io/v1beta2\nkind: ImageUpdateAutomation\nmetadata:\n  name: flux-system-${id}\n  namespace: flux-system\nspec:\n  interval: 1m0s\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n  git:\n    checkout:\n      ref:\n        branch: main\n    commit:\n      author:\n        email: bot@edge.example\n        name: Edge Bot\n    push:\n      branch: main\n  update:\n    path: ./clusters\n    strategy: Setters\n`,
    );
    await repo.push("seed 002: app-demo from the chart repository, image automation");
    await kubectl(["create", "namespace", ns]);
    await chartsAuthSecret(ns);
  });
  after(async () => {
    await kubectlRun(["delete", "namespace", ns, recordsNs, "--wait=false"]);
    repo?.cleanup();
  });

  test("first sync installs revision 1 with the image in Git", async () => {
    const result = await sync();
    assert.equal(result.code, 0, result.stderr + result.stdout);
    assert.match(result.stdout, /HelmRelease\/.*\/app-demo ready: helm installed/);
    assert.equal(await deployedImage(), `${image}:${OLD}`);
  });

  test("a new RELEASE image is committed by image automation; the next sync makes revision 2", async () => {
    await pushImage(testenv().registry, `fluxappdemo-${id}`, { tags: [NEW], index: false });
    const update = await tether([
      "images",
      "update",
      "--git-url",
      repo.url,
      "--push",
      "--insecure-registry",
      testenv().registry,
    ]);
    assert.equal(update.code, 0, update.stderr + update.stdout);
    assert.ok(
      update.stdout.includes(`${manifests}/helm-release.yaml: ${image}:${OLD} -> ${image}:${NEW}`),
      update.stdout,
    );
    // The commit in Git changes the marked value only.
    await mustRun("git", ["pull", "-q", repo.url, "main"], { cwd: repo.work, env: gitEnv });
    const diff = await mustRun("git", ["show", "--format=%an", "-U0", "HEAD"], {
      cwd: repo.work,
      env: gitEnv,
    });
    assert.match(diff, /^Edge Bot$/m);
    assert.deepEqual(
      diff.split("\n").filter((l) => /^[-+] /.test(l)),
      [
        `-    image: ${image}:${OLD} # {"$imagepolicy": "flux-system:${policy}"}`,
        `+    image: ${image}:${NEW} # {"$imagepolicy": "flux-system:${policy}"}`,
      ],
    );

    const result = await sync();
    assert.equal(result.code, 0, result.stderr + result.stdout);
    assert.match(result.stdout, /HelmRelease\/.*\/app-demo ready: helm upgraded/);
    const history = JSON.parse(await helm(["history", "app-demo", "-n", ns, "-o", "json"])) as {
      revision: number;
      status: string;
    }[];
    assert.deepEqual(
      history.map((h) => [h.revision, h.status]),
      [
        [1, "superseded"],
        [2, "deployed"],
      ],
    );
    // Written by the post-renderer's kustomize (as helm-controller's), without the quotes.
    assert.match(
      await helm(["get", "manifest", "app-demo", "-n", ns]),
      new RegExp(`image: "?${image.replaceAll(".", "\\.")}:${NEW.replaceAll(".", "\\.")}"?\n`),
    );
    assert.equal(await deployedImage(), `${image}:${NEW}`);
    assert.equal(
      await kubectl([
        "get",
        "helmreleases.helm.toolkit.fluxcd.io",
        "-n",
        ns,
        "app-demo",
        "-o",
        "jsonpath={.status.conditions[?(@.type=='Ready')].reason}",
      ]),
      "UpgradeSucceeded",
    );
  });

  test("the pass after that has nothing to do: no commit, no upgrade", async () => {
    const update = await tether([
      "images",
      "update",
      "--git-url",
      repo.url,
      "--push",
      "--insecure-registry",
      testenv().registry,
    ]);
    assert.equal(update.code, 0, update.stderr);
    assert.match(update.stdout, /no changes: every image is up to date/);
    const result = await sync();
    assert.equal(result.code, 0, result.stderr + result.stdout);
    assert.match(result.stdout, /HelmRelease\/.*\/app-demo ready: helm unchanged/);
    const listed = JSON.parse(await helm(["list", "-n", ns, "-o", "json"])) as {
      revision: string;
    }[];
    assert.equal(listed[0]?.revision, "2");
  });
});
