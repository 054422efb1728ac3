// Flux's multi-tenancy lockdown: `--default-service-account` makes a Kustomization
// without serviceAccountName act as that ServiceAccount of its namespace, so the real
// API server's RBAC decides (a tenant ServiceAccount allowed ConfigMaps only cannot
// create a Secret); `--no-cross-namespace-refs` refuses sourceRef and dependsOn that
// leave the Kustomization's namespace, with Flux's AccessDenied reason and message.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { configFromFlags } from "../../../agent/commands.ts";
import type { AgentConfig } from "../../../agent/config.ts";
import { impersonationFor, refusedReferences } from "../../../agent/flux/lockdown.ts";
import { syncOnce } from "../../../agent/sync.ts";
import { KubeClient } from "../../../shared/kube/client.ts";
import type { KubeObject } from "../../../shared/manifests/object.ts";
import { TestRepo } from "../../helpers/git-repo.ts";
import { exists, kubectl, kubectlRun } from "../../helpers/kubectl.ts";
import { testenv } from "../../helpers/testenv.ts";

const id = randomBytes(3).toString("hex");
const tenant = `tenant-${id}`;
const other = `other-${id}`;
const records = `tether-lock-${id}`;
const dir = mkdtempSync(join(tmpdir(), "tether-lockdown-"));
let repo: TestRepo;
let client: KubeClient;

const ks = (name: string, path: string, extra = "", sourceNs = tenant) => `---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: ${name}, namespace: ${tenant}}
spec:
  interval: 1h
  sourceRef: {kind: GitRepository, name: tenant-repo, namespace: ${sourceNs}}
  path: ${path}
  targetNamespace: ${tenant}
  prune: true
${extra}`;

const config = (lockdown: AgentConfig["lockdown"]): AgentConfig => ({
  namespace: records,
  git: { url: repo.url, branch: "main", syncTag: "tether-sync", readonly: true },
  lockdown,
  units: [
    {
      name: "tenants",
      path: "tenants",
      prune: false,
      wait: false,
      timeoutMs: 60_000,
      intervalMs: 60_000,
      dependsOn: [],
      allowEmpty: false,
      pruneCrdsAndNamespaces: false,
      deleteBudget: 1,
    },
  ],
});

before(async () => {
  client = await KubeClient.connect({ kubeconfig: testenv().kubeconfig });
  for (const n of [tenant, other, records]) await kubectl(["create", "namespace", n]);
  // The tenant's ServiceAccount may manage ConfigMaps in its namespace, nothing else.
  await kubectl(["create", "serviceaccount", "tenant", "-n", tenant]);
  await kubectl([
    "create",
    "role",
    "configmaps",
    "-n",
    tenant,
    "--verb=*",
    "--resource=configmaps",
  ]);
  await kubectl([
    "create",
    "rolebinding",
    "configmaps",
    "-n",
    tenant,
    "--role=configmaps",
    `--serviceaccount=${tenant}:tenant`,
  ]);
  repo = await TestRepo.create("lockdown");
  repo
    .write(
      "tenants/tenant.yaml",
      `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: tenant-repo, namespace: ${tenant}}
spec: {interval: 1h, ref: {branch: main}, url: ${repo.plainUrl}}
${ks("configs", "./apps/configs")}${ks("secrets", "./apps/secrets")}${ks(
  "cross-source",
  "./apps/configs",
  "",
  other,
)}${ks("cross-dependency", "./apps/configs", `  dependsOn: [{name: infra, namespace: ${other}}]\n`)}`,
    )
    .write(
      "apps/configs/cm.yaml",
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: tenant-config}\ndata: {a: b}\n",
    )
    .write(
      "apps/secrets/secret.yaml",
      "apiVersion: v1\nkind: Secret\nmetadata: {name: tenant-secret}\nstringData: {a: b}\n",
    );
  await repo.push("tenants");
});

after(async () => {
  client?.close();
  for (const n of [tenant, other, records])
    await kubectlRun(["delete", "namespace", n, "--wait=false"]);
  repo?.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

describe("Flux multi-tenancy lockdown", () => {
  test("decisions: which references are refused, who a Kustomization acts as", () => {
    const hr = {
      apiVersion: "helm.toolkit.fluxcd.io/v2",
      kind: "HelmRelease",
      metadata: { name: "app", namespace: "team" },
      spec: {
        chart: {
          spec: {
            chart: "app",
            sourceRef: { kind: "HelmRepository", name: "charts", namespace: "shared" },
          },
        },
        dependsOn: [{ name: "db" }, { name: "infra", namespace: "team" }],
      },
    } as KubeObject;
    const lockdown = { noCrossNamespaceRefs: true, defaultServiceAccount: "default" };
    assert.deepEqual(refusedReferences(hr, lockdown), [
      "can't access 'HelmRepository/shared/charts', cross-namespace references have been blocked",
    ]);
    assert.deepEqual(refusedReferences(hr, { defaultServiceAccount: "default" }), []);
    assert.equal(impersonationFor(hr, lockdown), "system:serviceaccount:team:default");
    assert.equal(
      impersonationFor({ ...hr, spec: { serviceAccountName: "deployer" } }, lockdown),
      "system:serviceaccount:team:deployer",
    );
    assert.equal(impersonationFor(hr, undefined), undefined);
  });

  test("flags and the configuration file set the lockdown", async () => {
    const flags = await configFromFlags({
      gitUrl: "https://example.invalid/r.git",
      gitPath: ["a"],
      defaultServiceAccount: "default",
      noCrossNamespaceRefs: true,
    });
    assert.deepEqual(flags.lockdown, {
      defaultServiceAccount: "default",
      noCrossNamespaceRefs: true,
    });
  });

  test("against the API server: RBAC of the default ServiceAccount decides; cross-namespace refs refused", async () => {
    const pass = await syncOnce(
      config({ defaultServiceAccount: "tenant", noCrossNamespaceRefs: true }),
      {
        client,
        cacheDir: join(dir, "cache"),
      },
    );
    assert.equal(pass.reports[0]?.ok, true, pass.reports[0]?.errors.join("; "));
    const by = new Map(pass.flux?.reports.map((r) => [r.key.split("/")[1], r]));
    // Allowed by the tenant's Role.
    assert.equal(by.get("configs")?.ready, true, by.get("configs")?.message);
    assert.ok(await exists("configmap", "tenant-config", "-n", tenant));
    // Refused by the API server: the request was made as the tenant, not as the agent.
    const secrets = by.get("secrets");
    assert.equal(secrets?.ready, false);
    assert.match(secrets?.message ?? "", new RegExp(`system:serviceaccount:${tenant}:tenant`));
    assert.match(secrets?.message ?? "", /forbidden/i);
    assert.equal(await exists("secret", "tenant-secret", "-n", tenant), false);
    // Refused before anything is read, with Flux's reason.
    for (const [name, ref] of [
      ["cross-source", `GitRepository/${other}/tenant-repo`],
      ["cross-dependency", `Kustomization dependency/${other}/infra`],
    ] as const) {
      const r = by.get(name);
      assert.equal(r?.reason, "AccessDenied", `${name}: ${r?.message}`);
      assert.equal(
        r?.message,
        `can't access '${ref}', cross-namespace references have been blocked`,
      );
    }
    const status = await kubectl([
      "get",
      "kustomizations.kustomize.toolkit.fluxcd.io",
      "cross-source",
      "-n",
      tenant,
      "-o",
      "jsonpath={.status.conditions[?(@.type=='Ready')].reason}",
    ]);
    assert.equal(status, "AccessDenied");
  });

  test("without the lockdown the agent's own identity applies the Secret", async () => {
    const pass = await syncOnce(config(undefined), { client, cacheDir: join(dir, "cache") });
    const secrets = pass.flux?.reports.find((r) => r.key === `${tenant}/secrets`);
    assert.equal(secrets?.ready, true, secrets?.message);
    assert.ok(await exists("secret", "tenant-secret", "-n", tenant));
  });
});
