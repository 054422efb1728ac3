// The Contract shape: a Flux-shaped repository (clusters/<env>/flux-system/gotk-sync.yaml
// and an `apps` Kustomization) whose Kustomization holds a HelmRepository (the local
// chart server over HTTP, and the local registry over OCI) and a HelmRelease, synced
// with `tether sync --once ... --git-path clusters/<env> --prune`; the results read back
// with `helm list -A -o json`, `helm history` and `kubectl get helmreleases`.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { chartsAuthSecret } from "../../helpers/charts.ts";
import { TestRepo } from "../../helpers/git-repo.ts";
import { kubectl, kubectlRun } from "../../helpers/kubectl.ts";
import { mustRun } from "../../helpers/run.ts";
import { chartsEnv } from "../../helpers/testenv.ts";
import { kubectlEnv, tether } from "../../helpers/tether.ts";

const id = randomBytes(3).toString("hex");
const fs = `hfs-${id}`;
const recordsNs = `tether-hflux-${id}`;
const cacheDir = join(tmpdir(), `tether-hflux-cache-${id}`);
let repo: TestRepo;

const helm = (args: string[]) =>
  mustRun("helm", args, {
    env: {
      ...kubectlEnv(),
      HELM_CACHE_HOME: join(cacheDir, "t"),
      HELM_CONFIG_HOME: join(cacheDir, "t"),
    },
  });

async function listed(name: string) {
  const all = JSON.parse(await helm(["list", "-A", "-o", "json"])) as {
    name: string;
    namespace: string;
    revision: string;
    status: string;
    chart: string;
  }[];
  return all.find((r) => r.name === name && r.namespace === fs);
}
async function ready(name: string) {
  const list = JSON.parse(
    await kubectl(["get", "helmreleases.helm.toolkit.fluxcd.io", "-A", "-o", "json"]),
  ) as {
    items: {
      metadata: { name: string; namespace: string };
      status?: { conditions?: { type: string; status: string; message: string }[] };
    }[];
  };
  const item = list.items.find((i) => i.metadata.name === name && i.metadata.namespace === fs);
  return item?.status?.conditions?.find((c) => c.type === "Ready");
}

function sync() {
  return tether([
    "sync",
    "--once",
    "--git-url",
    repo.url,
    "--git-branch",
    "main",
    "--git-path",
    "clusters/dev",
    "--prune",
    "--namespace",
    recordsNs,
    "--cache-dir",
    cacheDir,
  ]);
}

const ks = (name: string, path: string) => `---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: ${name}
  namespace: ${fs}
spec:
  interval: 1h
  sourceRef:
    kind: GitRepository
    name: flux-system
  path: ${path}
  prune: true
`;

const release = (
  name: string,
  repository: string,
  message: string,
) => `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: ${name}
  namespace: ${fs}
spec:
  interval: 10m
  chart:
    spec:
      chart: app-demo
      version: ">=0.1.0 <0.2.0"
      sourceRef:
        kind: HelmRepository
        name: ${repository}
  values:
    message: ${message}
`;

describe("HelmReleases in a Flux-shaped repository", { timeout: 900_000 }, () => {
  before(async () => {
    const charts = chartsEnv();
    repo = await TestRepo.create("helm-flux");
    await kubectl(["create", "namespace", fs]);
    await chartsAuthSecret(fs);
    repo
      .write(
        "clusters/dev/flux-system/kustomization.yaml",
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - gotk-sync.yaml\n",
      )
      .write(
        "clusters/dev/flux-system/gotk-sync.yaml",
        `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: ${fs}
spec:
  interval: 1m
  ref: {branch: main}
  url: ${repo.plainUrl}
${ks("flux-system", "./clusters/dev")}`,
      )
      .write("clusters/dev/apps.yaml", ks("apps", "./apps"))
      .write(
        "apps/repositories.yaml",
        `apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata:
  name: charts
  namespace: ${fs}
spec:
  interval: 10m
  url: ${charts.url}
  secretRef:
    name: charts-auth
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata:
  name: oci-charts
  namespace: ${fs}
spec:
  type: oci
  insecure: true
  interval: 10m
  url: ${charts.oci}
`,
      )
      .write("apps/web.yaml", release("web", "charts", "one"))
      .write("apps/api.yaml", release("api", "oci-charts", "one"));
    await repo.push("helm releases in a Flux repository");
  });
  after(async () => {
    await kubectlRun(["delete", "namespace", fs, recordsNs, "--wait=false"]);
    repo?.cleanup();
  });

  test("sync: both releases deployed with the version the range picks, HelmReleases Ready", async () => {
    const result = await sync();
    assert.equal(result.code, 0, result.stderr + result.stdout);
    for (const name of ["web", "api"]) {
      const r = await listed(name);
      assert.equal(r?.status, "deployed", name);
      assert.equal(r?.chart, "app-demo-0.1.1", name);
      assert.equal((await ready(name))?.status, "True", name);
    }
  });

  test("a value changed in Git: revision 2 of each", async () => {
    repo
      .write("apps/web.yaml", release("web", "charts", "two"))
      .write("apps/api.yaml", release("api", "oci-charts", "two"));
    await repo.push("values");
    const result = await sync();
    assert.equal(result.code, 0, result.stderr + result.stdout);
    for (const name of ["web", "api"]) {
      const history = JSON.parse(await helm(["history", name, "-n", fs, "-o", "json"])) as {
        revision: number;
        status: string;
      }[];
      assert.deepEqual(
        history.at(-1),
        { ...history.at(-1), revision: 2, status: "deployed" },
        name,
      );
      assert.equal(
        await kubectl([
          "get",
          "configmap",
          "-n",
          fs,
          `${name}-config`,
          "-o",
          "jsonpath={.data.message}",
        ]),
        "two",
      );
    }
  });

  test("a HelmRelease removed from Git: its release is uninstalled; one that opts out of prune keeps object and release", async () => {
    await kubectl([
      "annotate",
      "helmreleases.helm.toolkit.fluxcd.io",
      "-n",
      fs,
      "api",
      "kustomize.toolkit.fluxcd.io/prune=disabled",
    ]);
    repo.remove("apps/web.yaml").remove("apps/api.yaml");
    await repo.push("no releases");
    const result = await sync();
    assert.equal(result.code, 0, result.stderr + result.stdout);
    assert.equal(await listed("web"), undefined);
    assert.equal((await kubectlRun(["get", "deployment", "-n", fs, "web"])).code, 1);
    assert.notEqual(await listed("api"), undefined);
    assert.equal(
      (await kubectlRun(["get", "helmreleases.helm.toolkit.fluxcd.io", "-n", fs, "api"])).code,
      0,
    );
  });
});
