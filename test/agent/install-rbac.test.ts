// The cluster-wide install profile's RBAC (agent/install/rbac.yaml) against the real
// API server, as `kubectl auth can-i` reports it: the agent's own rights (records in
// its namespace, Flux and Helm CRDs, Flux status, impersonation) are a role of their
// own and hold without the broad role for applied objects; that broad role is a
// separate, labelled member of an aggregated ClusterRole, and removing it leaves the
// agent unable to apply anything else. Names, namespace and the aggregation label are
// made unique so the test never touches a real install.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";
import { kubectl, kubectlRun } from "../helpers/kubectl.ts";
import { mustRun } from "../helpers/run.ts";
import { kubectlEnv } from "../helpers/tether.ts";
import { waitFor } from "../helpers/wait.ts";

const install = fileURLToPath(new URL("../../agent/install", import.meta.url));
const id = randomBytes(3).toString("hex");
const ns = `tether-rbac-${id}`;
const sa = `system:serviceaccount:${ns}:tether-agent-${id}`;
let rbac = "";
let clusterNames: string[] = [];

const can = async (...args: string[]) =>
  (await kubectlRun(["auth", "can-i", `--as=${sa}`, ...args])).stdout.trim();

before(async () => {
  const built = await mustRun("kustomize", ["build", install], { env: kubectlEnv() });
  const docs = parseAllDocuments(built)
    .map((d) => d.toJS() as { kind: string; metadata: { name: string } })
    .filter((o) =>
      /^(ServiceAccount|ClusterRole|ClusterRoleBinding|Role|RoleBinding)$/.test(o.kind),
    );
  rbac = docs
    .map((o) => `---\n${JSON.stringify(o)}\n`)
    .join("")
    .replaceAll("tether-system", ns)
    .replaceAll(/"tether-agent([-a-z]*)"/g, `"tether-agent$1-${id}"`)
    .replaceAll("tether.dev/aggregate-to-apply", `tether.dev/aggregate-to-apply-${id}`);
  clusterNames = docs
    .filter((o) => o.kind.startsWith("Cluster"))
    .map((o) => `${o.kind.toLowerCase()}/${o.metadata.name}-${id}`);
  await kubectl(["create", "namespace", ns]);
  await kubectl(["apply", "-f", "-"], rbac);
});
after(async () => {
  for (const name of clusterNames) await kubectlRun(["delete", name, "--ignore-not-found"]);
  await kubectlRun(["delete", "namespace", ns, "--wait=false"]);
});

/** Polls `can-i` until it answers `want` (aggregation is done by a controller). */
async function eventually(want: string, ...args: string[]): Promise<void> {
  let got = "";
  await waitFor(
    `can-i ${args.join(" ")} to answer ${want}`,
    async () => {
      got = await can(...args);
      return got === want ? true : undefined;
    },
    30_000,
  ).catch(() => assert.equal(got, want, `can-i ${args.join(" ")}`));
}

describe("cluster-wide install profile RBAC", () => {
  test("no rule grants */* except the separate, labelled apply-all member", () => {
    const roles = parseAllDocuments(rbac).map(
      (d) =>
        d.toJS() as {
          kind: string;
          metadata: { name: string; labels?: Record<string, string> };
          rules?: { apiGroups?: string[]; resources?: string[] }[];
        },
    );
    const broad = roles.filter((r) =>
      (r.rules ?? []).some(
        (rule) => rule.apiGroups?.includes("*") && rule.resources?.includes("*"),
      ),
    );
    assert.deepEqual(
      broad.map((r) => r.metadata.name),
      [`tether-agent-apply-all-${id}`],
    );
    assert.equal(broad[0]?.metadata.labels?.[`tether.dev/aggregate-to-apply-${id}`], "true");
  });

  test("with the default apply-all member, the agent may apply anything", async () => {
    await eventually("yes", "create", "deployments.apps", "-n", "default");
    await eventually("yes", "delete", "clusterroles.rbac.authorization.k8s.io");
  });

  test("without it, the agent keeps exactly its own rights", async () => {
    await kubectl(["delete", "clusterrole", `tether-agent-apply-all-${id}`]);
    await eventually("no", "create", "deployments.apps", "-n", "default");
    // Its records, in its namespace only.
    for (const [verb, resource] of [
      ["patch", "configmaps"],
      ["create", "events"],
      ["update", "leases.coordination.k8s.io"],
      ["get", "secrets"],
    ]) {
      assert.equal(
        await can(verb as string, resource as string, "-n", ns),
        "yes",
        `${verb} ${resource}`,
      );
    }
    assert.equal(await can("patch", "configmaps", "-n", "default"), "no");
    assert.equal(await can("get", "secrets", "-n", "default"), "no");
    assert.equal(await can("list", "secrets", "-n", ns), "no");
    // Its CRDs, Flux objects' status, impersonation.
    assert.equal(await can("patch", "customresourcedefinitions.apiextensions.k8s.io"), "yes");
    assert.equal(await can("delete", "customresourcedefinitions.apiextensions.k8s.io"), "no");
    assert.equal(
      await can(
        "patch",
        "kustomizations.kustomize.toolkit.fluxcd.io",
        "--subresource=status",
        "-n",
        "default",
      ),
      "yes",
    );
    assert.equal(
      await can("patch", "kustomizations.kustomize.toolkit.fluxcd.io", "-n", "default"),
      "no",
    );
    assert.equal(
      await can("update", "helmreleases.helm.toolkit.fluxcd.io", "--subresource=status", "-A"),
      "yes",
    );
    assert.equal(await can("impersonate", "serviceaccounts", "-n", "default"), "yes");
    assert.equal(await can("impersonate", "users"), "no");
    assert.equal(await can("*", "*"), "no");
  });
});
