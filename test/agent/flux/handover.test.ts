// The first `tether sync --once` on a cluster Flux ran (its controllers scaled to zero):
// the objects, the Kustomization and its status.inventory are as kustomize-controller
// left them, applied as field manager `kustomize-controller` and labelled with Flux's
// ownership labels. Tether takes the fields over (a field deleted from Git since goes),
// prunes what left Git where Flux's inventory has it, and leaves an object paused with
// `kustomize.toolkit.fluxcd.io/reconcile: disabled` alone. Against the local Git server
// and Kubernetes; steps run in order.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { TestRepo } from "../../helpers/git-repo.ts";
import { exists, getJson, kubectl, kubectlRun } from "../../helpers/kubectl.ts";
import { syncOnce } from "../../helpers/tether.ts";

const id = randomBytes(3).toString("hex");
const fs = `fsho-${id}`;
const app = `ho-${id}`;
const recordsNs = `tether-ho-${id}`;
const cacheDir = join(tmpdir(), `tether-ho-cache-${id}`);
const KS = "kustomizations.kustomize.toolkit.fluxcd.io";
let repo: TestRepo;

const sync = (exit: number) =>
  syncOnce({ url: repo.url, path: "clusters/staging", namespace: recordsNs, cacheDir }, { exit });

const ks = (name: string) => `---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: ${name}, namespace: ${fs}}
spec:
  interval: 1h
  prune: true
  path: ./${name}
  sourceRef: {kind: GitRepository, name: flux-system}
`;

const fluxLabels = (ks: string) =>
  `{kustomize.toolkit.fluxcd.io/name: ${ks}, kustomize.toolkit.fluxcd.io/namespace: ${fs}}`;

/** What kustomize-controller applied for Kustomization `apps` before the hand-over. */
const fluxApplied = `apiVersion: v1
kind: Namespace
metadata: {name: ${app}, labels: ${fluxLabels("apps")}}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: ${app}, labels: ${fluxLabels("apps")}}
data: {a: "1", b: "2"}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: stale, namespace: ${app}, labels: ${fluxLabels("apps")}}
data: {x: "1"}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: paused
  namespace: ${app}
  labels: ${fluxLabels("apps")}
  annotations: {kustomize.toolkit.fluxcd.io/reconcile: disabled}
data: {v: flux}
`;

const entry = (name: string) => ({ id: `${app}_${name}__ConfigMap`, v: "v1" });

before(async () => {
  repo = await TestRepo.create("flux-ho");
  repo
    .write(
      "clusters/staging/flux-system/gotk-sync.yaml",
      `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: flux-system, namespace: ${fs}}
spec: {interval: 1m, ref: {branch: main}, url: ${repo.plainUrl}}
${ks("flux-system").replace("./flux-system", "./clusters/staging")}`,
    )
    .write("clusters/staging/apps.yaml", ks("apps"))
    // Since Flux's last apply: `b` left settings, `stale` left Git, paused changed.
    .write("apps/namespace.yaml", `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${app}}\n`)
    .write(
      "apps/config.yaml",
      `apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: ${app}}
data: {a: "2"}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: paused, namespace: ${app}}
data: {v: git}
`,
    );
  await repo.push("the repository Flux ran");

  // The cluster as Flux left it (the Flux CRDs are in place: kubectl needs them here).
  await kubectl(["apply", "-f", "-"], `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${fs}}\n`);
  if (!(await exists("crd", "kustomizations.kustomize.toolkit.fluxcd.io"))) {
    const { ensureFluxCrds } = await import("../../../agent/flux/crds.ts");
    const { KubeClient } = await import("../../../shared/kube/client.ts");
    const { testenv } = await import("../../helpers/testenv.ts");
    const client = await KubeClient.connect({ kubeconfig: testenv().kubeconfig });
    await ensureFluxCrds(client, [
      {
        apiVersion: "kustomize.toolkit.fluxcd.io/v1",
        kind: "Kustomization",
        metadata: { name: "x" },
      },
    ]);
    client.close();
  }
  const asFlux = [
    "apply",
    "--server-side",
    "--force-conflicts",
    "--field-manager=kustomize-controller",
    "-f",
    "-",
  ];
  await kubectl(asFlux, fluxApplied);
  await kubectl(
    asFlux,
    ks("apps").replace(
      `namespace: ${fs}}`,
      `namespace: ${fs}, labels: ${fluxLabels("flux-system")}}`,
    ),
  );
  await kubectl([
    "patch",
    KS,
    "apps",
    "-n",
    fs,
    "--subresource=status",
    "--type=merge",
    "-p",
    JSON.stringify({
      status: {
        inventory: {
          entries: [
            { id: `_${app}__Namespace`, v: "v1" },
            entry("paused"),
            entry("settings"),
            entry("stale"),
          ],
        },
      },
    }),
  ]);
});

after(async () => {
  for (const ns of [app, fs, recordsNs])
    await kubectlRun(["delete", "namespace", ns, "--wait=false"]);
  await kubectlRun(["delete", "configmap", `loose-${id}`, "-n", "default", "--ignore-not-found"]);
  repo?.cleanup();
});

describe("the first sync after Flux", () => {
  test("takes Flux's fields over, prunes where Flux's inventory left off, leaves a paused object", async () => {
    const result = await sync(0);
    const settings = await getJson(["configmap", "settings", "-n", app]);
    assert.deepEqual(settings.data, { a: "2" }, "a changed and b, deleted from Git, gone");
    assert.ok(
      !JSON.stringify(
        await kubectl([
          "get",
          "configmap",
          "settings",
          "-n",
          app,
          "-o",
          "json",
          "--show-managed-fields",
        ]),
      ).includes("kustomize-controller"),
      "kustomize-controller manages nothing of it any more",
    );
    assert.equal(await exists("configmap", "stale", "-n", app), false, "stale was pruned");
    assert.deepEqual((await getJson(["configmap", "paused", "-n", app])).data, { v: "flux" });
    assert.match(result.stdout, /ConfigMap\/\S+\/paused unchanged: skipped/);
    const inventory = ((await getJson([KS, "apps", "-n", fs])).status?.inventory?.entries ??
      []) as { id: string }[];
    assert.deepEqual(
      inventory.map((e) => e.id).sort(),
      [`_${app}__Namespace`, entry("paused").id, entry("settings").id].sort(),
    );
  });
});

describe("a namespaced object without a namespace", () => {
  test("fails its Kustomization with a message naming it, as Flux does", async () => {
    repo.write("clusters/staging/loose.yaml", ks("loose"));
    repo.write(
      "loose/config.yaml",
      `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: loose-${id}}\ndata: {v: "1"}\n`,
    );
    await repo.push("an object without a namespace");
    await sync(1);
    const conditions = ((await getJson([KS, "loose", "-n", fs])).status?.conditions ?? []) as {
      type: string;
      status: string;
      message: string;
    }[];
    const ready = conditions.find((c) => c.type === "Ready");
    assert.equal(ready?.status, "False");
    assert.match(ready?.message ?? "", new RegExp(`ConfigMap/loose-${id} namespace not specified`));
    assert.equal(await exists("configmap", `loose-${id}`, "-n", "default"), false);
  });
});
