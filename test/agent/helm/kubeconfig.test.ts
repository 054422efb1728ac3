// A HelmRelease with `spec.kubeConfig` names a remote cluster, which Tether's Helm step
// does not serve: end to end through `tether sync --once` with real helm, it is refused
// (Ready=False, nothing installed, upgraded or uninstalled on the agent's cluster), the
// pass's other releases go on, and when it leaves Git no local release is uninstalled.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { chartsAuthSecret, chartsRepositoryYaml } from "../../helpers/charts.ts";
import { TestRepo } from "../../helpers/git-repo.ts";
import { kubectl, kubectlRun } from "../../helpers/kubectl.ts";
import { mustRun } from "../../helpers/run.ts";
import { kubectlEnv, syncOnce } from "../../helpers/tether.ts";

const id = randomBytes(3).toString("hex");
const ns = `helm-kc-${id}`;
const recordsNs = `tether-helm-kc-${id}`;
const cacheDir = join(tmpdir(), `tether-helm-kc-cache-${id}`);
const chartFolder = fileURLToPath(new URL("../../env/charts/app-demo", import.meta.url));
let repo: TestRepo;

const helm = (args: string[]) =>
  mustRun("helm", args, {
    env: {
      ...kubectlEnv(),
      HELM_CONFIG_HOME: join(cacheDir, "t"),
      HELM_CACHE_HOME: join(cacheDir, "t"),
    },
  });
const releases = async () =>
  (JSON.parse(await helm(["list", "-n", ns, "-a", "-o", "json"])) as { name: string }[]).map(
    (r) => r.name,
  );
const ready = async (name: string) =>
  (
    JSON.parse(
      await kubectl(["get", "helmreleases.helm.toolkit.fluxcd.io", "-n", ns, name, "-o", "json"]),
    ) as {
      status?: { conditions?: { type: string; status: string; reason: string; message: string }[] };
    }
  ).status?.conditions?.find((c) => c.type === "Ready");

const sync = () =>
  syncOnce(
    { url: repo.url, path: "clusters/dev", namespace: recordsNs, cacheDir },
    { extra: ["--confirm-prune"] },
  );

const releaseYaml = (name: string, extra = "") => `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: ${name}, namespace: ${ns}}
spec:
  interval: 10m
${extra}  chart:
    spec:
      chart: app-demo
      version: "0.1.x"
      sourceRef: {kind: HelmRepository, name: charts}
  values:
    message: ${name}
`;

describe("HelmRelease spec.kubeConfig (a remote cluster) is refused", { timeout: 600_000 }, () => {
  before(async () => {
    repo = await TestRepo.create("helm-kc");
    await kubectl(["create", "namespace", ns]);
    await chartsAuthSecret(ns);
    repo
      .write(
        "clusters/dev/namespace.yaml",
        `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${ns}}\n`,
      )
      .write("clusters/dev/repository.yaml", chartsRepositoryYaml(ns))
      .write("clusters/dev/local.yaml", releaseYaml("local"))
      .write(
        "clusters/dev/remote.yaml",
        releaseYaml("remote", "  kubeConfig:\n    secretRef: {name: remote-kubeconfig}\n"),
      )
      .write(
        "clusters/dev/remote-cm.yaml",
        releaseYaml("remote-cm", "  kubeConfig:\n    configMapRef: {name: remote-cluster}\n"),
      );
    await repo.push("a local release and two for remote clusters");
  });
  after(async () => {
    await kubectlRun(["delete", "namespace", ns, recordsNs, "--wait=false"]);
    repo?.cleanup();
    rmSync(cacheDir, { recursive: true, force: true });
  });

  test("nothing is installed for it here; it is not Ready; the pass's other release is", async () => {
    const result = await sync();
    const output = result.stdout + result.stderr;
    assert.equal(result.code, 1, output);
    assert.deepEqual(await releases(), ["local"], output);
    assert.equal((await ready("local"))?.status, "True", output);
    for (const name of ["remote", "remote-cm"]) {
      const condition = await ready(name);
      assert.equal(condition?.status, "False", name);
      assert.equal(condition?.reason, "RESTClientError", name);
      assert.match(
        condition?.message ?? "",
        /spec\.kubeConfig \(a remote cluster\) is not served by Tether: nothing was installed/,
      );
    }
    assert.match(output, /HelmRelease\/.*\/remote not-ready: .*spec\.kubeConfig/);
  });

  test("when it leaves Git, no release of that name on this cluster is uninstalled", async () => {
    // A release here of the name it would have (made by hand, or before spec.kubeConfig).
    await helm(["install", "remote", chartFolder, "-n", ns]);
    const again = await sync();
    assert.equal(again.code, 1, again.stdout + again.stderr);
    const revision = async () =>
      (
        JSON.parse(await helm(["list", "-n", ns, "-o", "json", "--filter", "^remote$"])) as {
          revision: string;
        }[]
      )[0]?.revision;
    assert.equal(await revision(), "1", "not upgraded");

    repo.remove("clusters/dev/remote.yaml").remove("clusters/dev/remote-cm.yaml");
    await repo.push("the remote releases leave Git");
    const result = await sync();
    const output = result.stdout + result.stderr;
    assert.equal(result.code, 0, output);
    const gone = await kubectlRun([
      "get",
      "helmreleases.helm.toolkit.fluxcd.io",
      "-n",
      ns,
      "remote",
    ]);
    assert.equal(gone.code, 1, "the HelmRelease is pruned");
    assert.deepEqual((await releases()).sort(), ["local", "remote"], output);
    assert.equal(await revision(), "1", output);
    assert.doesNotMatch(output, /helm uninstalled: release [^ ]*\/remote uninstalled/);
  });
});
