// Proves the local Kubernetes is real: the apiserver reports its version, server-side
// apply handles CRDs and their custom resources, the controller-manager and kwok make
// Deployments Available, garbage collection and namespace deletion finish, and RBAC and
// TokenRequest work for a ServiceAccount.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { request } from "node:https";
import { after, before, describe, test } from "node:test";
import { parse } from "yaml";
import { kubectl, kubectlRun } from "../helpers/kubectl.ts";
import { type Testenv, testenv } from "../helpers/testenv.ts";
import { waitFor } from "../helpers/wait.ts";

let env: Testenv;
const suffix = randomBytes(3).toString("hex");
const ns = `smoke-${suffix}`;

before(async () => {
  env = testenv();
  await kubectl(["create", "namespace", ns]);
});

after(async () => {
  await kubectlRun(["delete", "namespace", ns, "--wait=false"]);
});

describe("local Kubernetes", () => {
  test("/version reports the pinned release", async () => {
    const version = JSON.parse(await kubectl(["get", "--raw", "/version"]));
    assert.equal(version.gitVersion, env.kubernetesVersion);
    assert.match(env.kubernetesVersion, /^v1\.3[34]\.\d+$/);
  });

  test("server-side apply of a CRD, then of a custom resource of it", async () => {
    const group = `smoke${suffix}.tether.dev`;
    const crd = {
      apiVersion: "apiextensions.k8s.io/v1",
      kind: "CustomResourceDefinition",
      metadata: { name: `widgets.${group}` },
      spec: {
        group,
        scope: "Namespaced",
        names: { plural: "widgets", singular: "widget", kind: "Widget" },
        versions: [
          {
            name: "v1",
            served: true,
            storage: true,
            schema: {
              openAPIV3Schema: {
                type: "object",
                properties: {
                  spec: { type: "object", properties: { size: { type: "integer" } } },
                },
              },
            },
          },
        ],
      },
    };
    await kubectl(
      ["apply", "--server-side", "--field-manager=tether", "-f", "-"],
      JSON.stringify(crd),
    );
    await kubectl(["wait", "--for=condition=Established", `crd/widgets.${group}`, "--timeout=60s"]);

    const widget = {
      apiVersion: `${group}/v1`,
      kind: "Widget",
      metadata: { name: "w1", namespace: ns },
      spec: { size: 3 },
    };
    await kubectl(
      ["apply", "--server-side", "--field-manager=tether", "-f", "-"],
      JSON.stringify(widget),
    );
    const stored = JSON.parse(
      await kubectl([
        "get",
        `widgets.${group}`,
        "w1",
        "-n",
        ns,
        "-o",
        "json",
        "--show-managed-fields",
      ]),
    );
    assert.equal(stored.spec.size, 3);
    const managers = stored.metadata.managedFields.map(
      (f: { manager: string; operation: string }) => `${f.manager}/${f.operation}`,
    );
    assert.deepEqual(managers, ["tether/Apply"]);

    // The schema is enforced: a wrong type is rejected by the real apiserver.
    const bad = { ...widget, spec: { size: "three" } };
    await assert.rejects(
      kubectl(["apply", "--server-side", "--field-manager=tether", "-f", "-"], JSON.stringify(bad)),
      /spec\.size/,
    );
    await kubectl(["delete", "crd", `widgets.${group}`, "--wait=true", "--timeout=60s"]);
  });

  test("a Deployment becomes Available, and foreground deletion removes its ReplicaSets", async () => {
    const deployment = readFileSync(new URL("./testdata/deployment.yaml", import.meta.url), "utf8");
    await kubectl(["apply", "--server-side", "-n", ns, "-f", "-"], deployment);
    await kubectl(["rollout", "status", "deployment/web", "-n", ns, "--timeout=120s"]);
    const status = JSON.parse(await kubectl(["get", "deployment/web", "-n", ns, "-o", "json"]));
    assert.equal(status.status.availableReplicas, 2);
    const available = status.status.conditions.find(
      (c: { type: string }) => c.type === "Available",
    );
    assert.equal(available?.status, "True");

    await kubectl(["delete", "deployment/web", "-n", ns, "--cascade=foreground", "--timeout=120s"]);
    const left = JSON.parse(await kubectl(["get", "replicasets,pods", "-n", ns, "-o", "json"]));
    assert.deepEqual(left.items, []);
  });

  test("a Namespace with objects in it is deleted to completion", async () => {
    const doomed = `${ns}-doomed`;
    await kubectl(["create", "namespace", doomed]);
    await kubectl(["create", "configmap", "c1", "-n", doomed, "--from-literal=a=b"]);
    await kubectl(["delete", "namespace", doomed, "--timeout=120s"]);
    const gone = await kubectlRun(["get", "namespace", doomed]);
    assert.notEqual(gone.code, 0);
    assert.match(gone.stderr, /NotFound/);
  });

  test("a ServiceAccount token from TokenRequest authenticates, and RBAC decides", async () => {
    await kubectl(["create", "serviceaccount", "reader", "-n", ns]);
    const token = (await kubectl(["create", "token", "reader", "-n", ns, "--duration=10m"])).trim();
    const kubeconfig = parse(readFileSync(env.kubeconfig, "utf8"));
    const cluster = kubeconfig.clusters[0].cluster;
    const ca = Buffer.from(cluster["certificate-authority-data"], "base64");
    const path = `/api/v1/namespaces/${ns}/configmaps`;

    const denied = await getAs(cluster.server, ca, token, path);
    assert.equal(denied.status, 403);
    assert.match(denied.body, new RegExp(`system:serviceaccount:${ns}:reader`));

    await kubectl(["create", "role", "read-cm", "-n", ns, "--verb=list", "--resource=configmaps"]);
    await kubectl([
      "create",
      "rolebinding",
      "read-cm",
      "-n",
      ns,
      "--role=read-cm",
      `--serviceaccount=${ns}:reader`,
    ]);
    // RBAC changes reach the authorizer through an informer; allow it a moment.
    const allowed = await waitFor("the Role to reach the authorizer", async () => {
      const answer = await getAs(cluster.server, ca, token, path);
      return answer.status === 403 ? undefined : answer;
    });
    assert.equal(allowed.status, 200);
    assert.equal(JSON.parse(allowed.body).kind, "ConfigMapList");
  });
});

function getAs(
  server: string,
  ca: Buffer,
  token: string,
  path: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, server),
      { ca, headers: { authorization: `Bearer ${token}` } },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk) => {
          body += chunk;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("error", reject);
    req.end();
  });
}
