// The installed agent: agent/install applied with one command, then `tether agent`
// run with a token of the tether-agent ServiceAccount (kwok runs no containers, so the
// process runs here with exactly the rights the Deployment's pod would have). It
// serves health and metrics, reconciles, and stops cleanly on SIGTERM.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { parse, stringify } from "yaml";
import { AgentProcess, waitFor } from "../helpers/agent.ts";
import { TestRepo } from "../helpers/git-repo.ts";
import { kubectl, kubectlRun } from "../helpers/kubectl.ts";
import { mustRun } from "../helpers/run.ts";
import { testenv } from "../helpers/testenv.ts";
import { kubectlEnv, tether } from "../helpers/tether.ts";

const id = randomBytes(3).toString("hex");
const ns = `agent-${id}`;
const install = fileURLToPath(new URL("../../agent/install", import.meta.url));
let repo: TestRepo;
let dir: string;
let saKubeconfig: string;

/** Whether the agent's ServiceAccount may create ConfigMaps in default (its apply rights). */
async function canCreateConfigMaps(): Promise<boolean> {
  const r = await kubectlRun([
    "auth",
    "can-i",
    "create",
    "configmaps",
    "-n",
    "default",
    "--as",
    "system:serviceaccount:tether-system:tether-agent",
  ]);
  return r.stdout.trim() === "yes";
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "tether-agent-"));
  repo = await TestRepo.create("agent");
  repo.write(
    "clusters/edge-1/apps/app.yaml",
    `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${ns}}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: ${ns}}\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: web, image: "registry.example/web:1.0.0"}]\n`,
  );
  repo.write(
    "clusters/edge-1/infra/cm.yaml",
    `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: infra, namespace: default}\ndata: {id: "${id}"}\n`,
  );
  await repo.push("fleet");
});

after(async () => {
  repo.cleanup();
  rmSync(dir, { recursive: true, force: true });
  await kubectlRun(["delete", "namespace", ns, "--wait=false"]);
  await kubectlRun(["delete", "configmap", "infra", "-n", "default"]);
  await kubectlRun([
    "delete",
    "configmap",
    "-n",
    "tether-system",
    "-l",
    `tether.dev/unit in (infra-${id},apps-${id})`,
  ]);
  // The inventories carry no unit label: by name.
  await kubectlRun([
    "delete",
    "configmap",
    "-n",
    "tether-system",
    "--ignore-not-found",
    `tether-inventory-infra-${id}`,
    `tether-inventory-apps-${id}`,
  ]);
});

describe("the installed agent", () => {
  test("agent/install applies with one command and holds a hardened Deployment", async () => {
    await kubectl(["apply", "-k", install]);
    const deployment = JSON.parse(
      await kubectl(["get", "deployment", "tether-agent", "-n", "tether-system", "-o", "json"]),
    );
    const pod = deployment.spec.template.spec;
    const container = pod.containers[0];
    assert.equal(pod.serviceAccountName, "tether-agent");
    assert.equal(pod.securityContext.runAsNonRoot, true);
    assert.equal(container.securityContext.readOnlyRootFilesystem, true);
    assert.equal(container.securityContext.allowPrivilegeEscalation, false);
    assert.ok(container.resources.limits.memory && container.resources.limits.cpu);
  });

  test("tether agent runs as the ServiceAccount, serves health and metrics, and stops on SIGTERM", async () => {
    // A kubeconfig holding only a token of tether-agent, from TokenRequest.
    const token = (
      await kubectl(["create", "token", "tether-agent", "-n", "tether-system", "--duration=1h"])
    ).trim();
    const admin = parse(readFileSync(testenv().kubeconfig, "utf8"));
    saKubeconfig = join(dir, "agent.kubeconfig");
    writeFileSync(
      saKubeconfig,
      stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: admin.clusters,
        users: [{ name: "tether-agent", user: { token } }],
        contexts: [
          { name: "agent", context: { cluster: admin.clusters[0].name, user: "tether-agent" } },
        ],
        "current-context": "agent",
      }),
    );
    const whoami = await mustRun(
      "kubectl",
      ["auth", "whoami", "-o", "jsonpath={.status.userInfo.username}"],
      {
        env: { ...kubectlEnv(), KUBECONFIG: saKubeconfig },
      },
    );
    assert.equal(whoami, "system:serviceaccount:tether-system:tether-agent");

    const config = join(dir, "config.yaml");
    writeFileSync(
      config,
      stringify({
        namespace: "tether-system",
        git: { url: repo.plainUrl, branch: "main" },
        interval: "2s",
        units: [
          { name: `infra-${id}`, path: "clusters/edge-1/infra", prune: true },
          {
            name: `apps-${id}`,
            path: "clusters/edge-1/apps",
            prune: true,
            wait: true,
            timeout: "1m",
            dependsOn: [`infra-${id}`],
          },
        ],
      }),
    );
    const agent = await AgentProcess.start(config, ["--cache-dir", join(dir, "cache")], {
      KUBECONFIG: saKubeconfig,
      TETHER_GIT_USERNAME: testenv().gitUser,
      TETHER_GIT_PASSWORD: testenv().gitPassword,
    });
    try {
      await agent.probe("/healthz", 200);
      await agent.probe("/readyz", 200);
      // At least one: on a 2 s interval a second pass may already have run.
      await agent.metricAtLeast(`tether_unit_syncs_total{unit="apps-${id}",result="ok"}`, 1);
      const metrics = (await agent.get("/metrics")).body;
      assert.match(metrics, new RegExp(`tether_unit_ready\\{unit="infra-${id}"\\} 1`));
      assert.match(metrics, /tether_git_polls_total\{result="ok"\} \d+/);
      const deployment = JSON.parse(
        await kubectl(["get", "deployment", "web", "-n", ns, "-o", "json"]),
      );
      assert.equal(deployment.status.availableReplicas, 2);
      // Records were written with the ServiceAccount's rights.
      const statusRun = await tether(["status", "-o", "json"]);
      assert.equal(statusRun.code, 0, statusRun.stderr);
      const status = JSON.parse(statusRun.stdout) as { unit: string; health: string }[];
      assert.equal(status.find((s) => s.unit === `apps-${id}`)?.health, "Healthy");

      agent.kill("SIGTERM");
      const code = await Promise.race([
        agent.exited,
        new Promise((r) => setTimeout(() => r("timeout"), 30_000)),
      ]);
      assert.equal(code, 0, agent.output);
      assert.match(agent.output, /SIGTERM: finishing the unit in progress/);
      assert.match(agent.output, /stopped/);
      assert.ok(!agent.output.includes(testenv().gitPassword), "the Git password was printed");
    } finally {
      agent.kill("SIGKILL");
    }
  });

  test("without its ClusterRoleBinding the same agent is refused by the API server", async () => {
    await kubectl(["delete", "clusterrolebinding", "tether-agent-apply"]);
    try {
      // The authorizer learns of the deletion from a watch: wait until it answers no.
      await waitFor("the binding's removal to take effect", async () =>
        (await canCreateConfigMaps()) ? undefined : true,
      );
      const result = await tether(
        [
          "sync",
          "--once",
          "--git-url",
          repo.url,
          "--git-path",
          "clusters/edge-1/infra",
          "--cache-dir",
          join(dir, "cache"),
        ],
        { env: { KUBECONFIG: saKubeconfig } },
      );
      assert.equal(result.code, 1);
      assert.match(
        result.stdout + result.stderr,
        /forbidden: User "system:serviceaccount:tether-system:tether-agent"/,
      );
    } finally {
      await kubectl(["apply", "-k", install]);
      await waitFor("the binding to be back", async () =>
        (await canCreateConfigMaps()) ? true : undefined,
      );
    }
  });
});
