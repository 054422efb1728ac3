// The installed agent: agent/install applied with one command, then `tether agent`
// run with a token of the tether-agent ServiceAccount (kwok runs no containers, so the
// process runs here with exactly the rights the Deployment's pod would have). It
// serves health and metrics, reconciles, and stops cleanly on SIGTERM.
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { parse, stringify } from "yaml";
import { TestRepo } from "../helpers/git-repo.ts";
import { mustRun, run } from "../helpers/run.ts";
import { testenv } from "../helpers/testenv.ts";
import { kubectlEnv, tether } from "../helpers/tether.ts";

const id = randomBytes(3).toString("hex");
const ns = `agent-${id}`;
const install = fileURLToPath(new URL("../../agent/install", import.meta.url));
const entry = fileURLToPath(new URL("../../cli/bin.ts", import.meta.url));
let repo: TestRepo;
let dir: string;
let saKubeconfig: string;

const kubectl = (args: string[]) => mustRun("kubectl", args, { env: kubectlEnv() });

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
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
  await run("kubectl", ["delete", "namespace", ns, "--wait=false"], { env: kubectlEnv() });
  await run("kubectl", ["delete", "configmap", "infra", "-n", "default"], { env: kubectlEnv() });
  await run(
    "kubectl",
    [
      "delete",
      "configmap",
      "-n",
      "tether-system",
      "-l",
      `tether.dev/unit in (infra-${id},apps-${id})`,
    ],
    {
      env: kubectlEnv(),
    },
  );
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
    const port = await freePort();
    const agent: ChildProcess = spawn(
      process.execPath,
      [
        entry,
        "agent",
        "--config",
        config,
        "--port",
        String(port),
        "--bind",
        "127.0.0.1",
        "--cache-dir",
        join(dir, "cache"),
      ],
      {
        env: {
          ...process.env,
          KUBECONFIG: saKubeconfig,
          PATH: testenv().path,
          TETHER_GIT_USERNAME: testenv().gitUser,
          TETHER_GIT_PASSWORD: testenv().gitPassword,
        },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let output = "";
    agent.stdout?.on("data", (d) => {
      output += d;
    });
    agent.stderr?.on("data", (d) => {
      output += d;
    });
    const exited = new Promise<number | null>((resolve) =>
      agent.on("exit", (code) => resolve(code)),
    );
    try {
      const base = `http://127.0.0.1:${port}`;
      await waitFor("/healthz", async () =>
        (await fetch(`${base}/healthz`)).ok ? true : undefined,
      );
      await waitFor("/readyz", async () => ((await fetch(`${base}/readyz`)).ok ? true : undefined));
      const metrics = await waitFor("a successful apps sync", async () => {
        const text = await (await fetch(`${base}/metrics`)).text();
        return text.includes(`tether_unit_syncs_total{unit="apps-${id}",result="ok"} 1`)
          ? text
          : undefined;
      });
      assert.match(metrics, new RegExp(`tether_unit_ready\\{unit="infra-${id}"\\} 1`));
      assert.match(metrics, /tether_git_polls_total\{result="ok"\} \d+/);
      const deployment = JSON.parse(
        await kubectl(["get", "deployment", "web", "-n", ns, "-o", "json"]),
      );
      assert.equal(deployment.status.availableReplicas, 2);
      // Records were written with the ServiceAccount's rights.
      const status = JSON.parse((await tether(["status", "-o", "json"])).stdout) as {
        unit: string;
        health: string;
      }[];
      assert.equal(status.find((s) => s.unit === `apps-${id}`)?.health, "Healthy");

      agent.kill("SIGTERM");
      const code = await Promise.race([
        exited,
        new Promise((r) => setTimeout(() => r("timeout"), 30_000)),
      ]);
      assert.equal(code, 0, output);
      assert.match(output, /SIGTERM: finishing the unit in progress/);
      assert.match(output, /stopped/);
      assert.ok(!output.includes(testenv().gitPassword), "the Git password was printed");
    } finally {
      agent.kill("SIGKILL");
    }
  });

  test("without its ClusterRoleBinding the same agent is refused by the API server", async () => {
    await kubectl(["delete", "clusterrolebinding", "tether-agent-apply"]);
    try {
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
    }
  });
});
