// The long-running agent's Flux poll and HelmReleases (agent/flux/schedule.ts), against
// the real API server: `flux reconcile helmrelease` writes requestedAt on a HelmRelease,
// and the Kustomization whose inventory holds it becomes due.
// - on the first poll after start, a requestedAt the HelmRelease's status has not
//   handled is a request (one made while the first pass ran is not lost);
// - one it has handled is not;
// - a HelmRelease under a suspended Kustomization starts no pass (that pass would not
//   reach it);
// - an agent whose rights stop at its namespace (a tenant's Role) is refused the
//   cluster-wide lists and lists its namespaces: `flux reconcile` still reaches it.
// The end-to-end case with a running agent and Helm is in schedule.test.ts.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, test } from "node:test";
import { FluxSchedule } from "../../../agent/flux/schedule.ts";
import { KubeClient } from "../../../shared/kube/client.ts";
import type { KubeObject } from "../../../shared/manifests/object.ts";
import { getJson, kubectl, kubectlRun } from "../../helpers/kubectl.ts";
import { testenv } from "../../helpers/testenv.ts";

process.env.KUBECONFIG = testenv().kubeconfig;
const ns = `schhr-${randomBytes(3).toString("hex")}`;
let client: KubeClient;

const KS = "kustomizations.kustomize.toolkit.fluxcd.io";
const HR = "helmreleases.helm.toolkit.fluxcd.io";

/** Writes `status` of the object (`resource` `name` in `ns`) through its status subresource. */
const patchStatus = (resource: string, name: string, status: unknown) =>
  kubectl([
    "patch",
    resource,
    name,
    "-n",
    ns,
    "--subresource=status",
    "--type=merge",
    "-p",
    JSON.stringify({ status }),
  ]);

/** A Kustomization whose inventory holds the HelmRelease `release` of `ns`. */
async function kustomization(name: string, release: string, suspend = false): Promise<KubeObject> {
  await kubectl(
    ["apply", "-f", "-"],
    JSON.stringify({
      apiVersion: "kustomize.toolkit.fluxcd.io/v1",
      kind: "Kustomization",
      metadata: { name, namespace: ns },
      spec: {
        interval: "1h",
        path: "./apps",
        prune: true,
        suspend,
        sourceRef: { kind: "GitRepository", name: "flux-system" },
      },
    }),
  );
  const status = {
    observedGeneration: 1,
    inventory: {
      entries: [{ id: `${ns}_${release}_helm.toolkit.fluxcd.io_HelmRelease`, v: "v2" }],
    },
  };
  await patchStatus(KS, name, status);
  return getJson([KS, name, "-n", ns]);
}

/** A HelmRelease with requestedAt `token`, and `handled` in its status when given. */
async function helmRelease(name: string, token: string, handled?: string): Promise<void> {
  await kubectl(
    ["apply", "-f", "-"],
    JSON.stringify({
      apiVersion: "helm.toolkit.fluxcd.io/v2",
      kind: "HelmRelease",
      metadata: { name, namespace: ns, annotations: { "reconcile.fluxcd.io/requestedAt": token } },
      spec: {
        interval: "1h",
        chart: { spec: { chart: "app", sourceRef: { kind: "HelmRepository", name: "charts" } } },
      },
    }),
  );
  if (handled) await patchStatus(HR, name, { lastHandledReconcileAt: handled });
}

before(async () => {
  await kubectl(["create", "namespace", ns]);
  client = await KubeClient.connect();
});
after(async () => {
  client?.close();
  await kubectlRun(["delete", "namespace", ns, "--wait=false"]);
});

test("first poll: a requestedAt the status has not handled is a request; a handled one is not", async () => {
  const asked = await kustomization("asked", "pending");
  const quiet = await kustomization("quiet", "handled");
  await helmRelease("pending", "t1");
  await helmRelease("handled", "t2", "t2");
  const schedule = new FluxSchedule(0);
  schedule.record(asked, "ready", Date.now());
  schedule.record(quiet, "ready", Date.now());
  assert.equal(await schedule.needsPass(client), true);
  assert.equal(schedule.due(asked, Date.now()), "a HelmRelease it applied was asked for");
  assert.equal(schedule.due(quiet, Date.now()), undefined);
});

test("a HelmRelease under a suspended Kustomization starts no pass", async () => {
  const paused = await kustomization("paused", "held", true);
  await helmRelease("held", "t3");
  const schedule = new FluxSchedule(0);
  schedule.record(paused, "suspended", Date.now());
  assert.equal(await schedule.needsPass(client), false);
  // `flux reconcile helmrelease held` while its Kustomization is suspended.
  await helmRelease("held", "t4");
  assert.equal(await schedule.needsPass(client), false);
});

test("an agent with a Role in its namespace only still sees flux reconcile", async () => {
  const rules = [
    {
      apiGroups: ["kustomize.toolkit.fluxcd.io", "helm.toolkit.fluxcd.io"],
      resources: ["kustomizations", "helmreleases"],
      verbs: ["get", "list"],
    },
  ];
  await kubectl(["create", "serviceaccount", "tenant", "-n", ns]);
  await kubectl(
    ["apply", "-f", "-"],
    JSON.stringify({
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "Role",
      metadata: { name: "tenant", namespace: ns },
      rules,
    }),
  );
  await kubectl([
    "create",
    "rolebinding",
    "tenant",
    "-n",
    ns,
    "--role=tenant",
    `--serviceaccount=${ns}:tenant`,
  ]);
  const tenant = client.impersonating(`system:serviceaccount:${ns}:tenant`);
  const own = await kustomization("own", "none");
  const schedule = new FluxSchedule(0);
  schedule.record(own, "ready", Date.now());
  await kubectl([
    "annotate",
    "--overwrite",
    KS,
    "own",
    "-n",
    ns,
    "reconcile.fluxcd.io/requestedAt=t5",
  ]);
  assert.equal(await schedule.needsPass(tenant), true);
});
