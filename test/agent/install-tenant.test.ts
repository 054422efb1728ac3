// The tenant install profile (agent/install-tenant) against the real API server: its
// ServiceAccount may manage namespaced objects in its own namespace and nothing else
// (no other namespace, no cluster-scoped kind), as `kubectl auth can-i` reports from
// the RBAC the API server enforces.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";
import { kubectl, kubectlRun } from "../helpers/kubectl.ts";
import { mustRun } from "../helpers/run.ts";
import { kubectlEnv } from "../helpers/tether.ts";

const profile = fileURLToPath(new URL("../../agent/install-tenant", import.meta.url));
const ns = `team-${randomBytes(3).toString("hex")}`;
let objects: { kind: string; metadata: { name: string; namespace?: string } }[] = [];

before(async () => {
  const built = await mustRun("kustomize", ["build", profile], { env: kubectlEnv() });
  const text = built.replaceAll("team-a", ns);
  objects = parseAllDocuments(text).map((d) => d.toJS());
  await kubectl(["create", "namespace", ns]);
  await kubectl(["apply", "-f", "-"], text);
});
after(async () => {
  await kubectlRun(["delete", "namespace", ns, "--wait=false"]);
});

const can = async (...args: string[]) =>
  (
    await kubectlRun(["auth", "can-i", `--as=system:serviceaccount:${ns}:tether-agent`, ...args])
  ).stdout.trim();

describe("tenant install profile", () => {
  test("holds no cluster-scoped object: every one is in the tenant namespace", () => {
    assert.ok(objects.length > 0);
    for (const o of objects) assert.equal(o.metadata.namespace, ns, `${o.kind} ${o.metadata.name}`);
    assert.ok(!objects.some((o) => o.kind.startsWith("Cluster") || o.kind === "Namespace"));
  });

  test("the agent may manage its namespace, and nothing outside it", async () => {
    assert.equal(await can("create", "deployments.apps", "-n", ns), "yes");
    assert.equal(await can("delete", "configmaps", "-n", ns), "yes");
    assert.equal(await can("create", "leases.coordination.k8s.io", "-n", ns), "yes");
    assert.equal(await can("create", "deployments.apps", "-n", "default"), "no");
    assert.equal(await can("get", "secrets", "-n", "kube-system"), "no");
    assert.equal(await can("create", "namespaces"), "no");
    assert.equal(await can("create", "clusterroles.rbac.authorization.k8s.io"), "no");
    assert.equal(await can("create", "customresourcedefinitions.apiextensions.k8s.io"), "no");
  });
});
