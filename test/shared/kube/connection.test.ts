// Finding the API server and credentials without @kubernetes/client-node: in-cluster
// (a ServiceAccount token and CA in a folder, the Service environment) and kubeconfig
// files (relative paths, token files, several files merged), each checked against the
// local environment's API server by asking it who we are.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { after, before, describe, test } from "node:test";
import { parse, stringify } from "yaml";
import { KubeClient } from "../../../shared/kube/client.ts";
import { type Connection, loadConnection } from "../../../shared/kube/connection.ts";
import { testenv } from "../../helpers/testenv.ts";

const id = randomBytes(3).toString("hex");
const ns = `conn-${id}`;
const dir = mkdtempSync(join(tmpdir(), "tether-connection-"));
let admin: KubeClient;
let token = "";
let server = "";

/** Who the API server says the connection is. */
async function whoami(connection: Connection): Promise<string> {
  const client = await KubeClient.connect({ connection });
  try {
    const review = await client.request<{ status: { userInfo: { username: string } } }>({
      method: "POST",
      path: "/apis/authentication.k8s.io/v1/selfsubjectreviews",
      body: { apiVersion: "authentication.k8s.io/v1", kind: "SelfSubjectReview" },
    });
    return review.status.userInfo.username;
  } finally {
    client.close();
  }
}

describe("Kubernetes connection without client-node", () => {
  before(async () => {
    admin = await KubeClient.connect({ kubeconfig: testenv().kubeconfig });
    server = admin.server;
    await admin.apply(
      { apiVersion: "v1", kind: "Namespace", metadata: { name: ns } },
      { fieldManager: "test" },
    );
    await admin.apply(
      { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "agent", namespace: ns } },
      { fieldManager: "test" },
    );
    const answer = await admin.request<{ status: { token: string } }>({
      method: "POST",
      path: `/api/v1/namespaces/${ns}/serviceaccounts/agent/token`,
      body: { apiVersion: "authentication.k8s.io/v1", kind: "TokenRequest", spec: {} },
    });
    token = answer.status.token;
    const kubeconfig = parse(readFileSync(testenv().kubeconfig, "utf8"));
    writeFileSync(
      join(dir, "ca.crt"),
      Buffer.from(kubeconfig.clusters[0].cluster["certificate-authority-data"], "base64"),
    );
    writeFileSync(join(dir, "token"), `${token}\n`);
  });
  after(async () => {
    await admin.delete({ apiVersion: "v1", kind: "Namespace", name: ns }).catch(() => false);
    admin.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("in a Pod: the Service environment, the ServiceAccount's token and CA", async () => {
    const url = new URL(server);
    const connection = await loadConnection({
      env: { KUBERNETES_SERVICE_HOST: url.hostname, KUBERNETES_SERVICE_PORT: url.port },
      serviceAccountDir: dir,
    });
    assert.equal(connection.server, server);
    assert.equal(await whoami(connection), `system:serviceaccount:${ns}:agent`);
  });

  test("kubeconfig files: relative CA and token file paths, two files merged", async () => {
    // The first file names the context; the second holds cluster and user.
    writeFileSync(
      join(dir, "context.yaml"),
      stringify({
        apiVersion: "v1",
        kind: "Config",
        "current-context": "sa",
        contexts: [{ name: "sa", context: { cluster: "local", user: "agent" } }],
      }),
    );
    writeFileSync(
      join(dir, "cluster.yaml"),
      stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: "local", cluster: { server, "certificate-authority": "ca.crt" } }],
        users: [{ name: "agent", user: { tokenFile: "token" } }],
      }),
    );
    const connection = await loadConnection({
      env: { KUBECONFIG: [join(dir, "context.yaml"), join(dir, "cluster.yaml")].join(delimiter) },
    });
    assert.equal(await whoami(connection), `system:serviceaccount:${ns}:agent`);
  });

  test("an exec credential plugin (as cloud kubeconfigs use) is run through client-node", async () => {
    // The plugin prints an ExecCredential holding the ServiceAccount's token.
    const plugin = join(dir, "credential.sh");
    writeFileSync(
      plugin,
      `#!/bin/sh\nprintf '%s' '${JSON.stringify({
        apiVersion: "client.authentication.k8s.io/v1",
        kind: "ExecCredential",
        status: { token },
      })}'\n`,
      { mode: 0o755 },
    );
    const kubeconfig = join(dir, "exec.yaml");
    writeFileSync(
      kubeconfig,
      stringify({
        apiVersion: "v1",
        kind: "Config",
        "current-context": "exec",
        contexts: [{ name: "exec", context: { cluster: "local", user: "plugin" } }],
        clusters: [
          { name: "local", cluster: { server, "certificate-authority": join(dir, "ca.crt") } },
        ],
        users: [
          {
            name: "plugin",
            user: {
              exec: {
                apiVersion: "client.authentication.k8s.io/v1",
                command: plugin,
                interactiveMode: "Never",
              },
            },
          },
        ],
      }),
    );
    const connection = await loadConnection({ kubeconfig });
    assert.equal(await whoami(connection), `system:serviceaccount:${ns}:agent`);
  });

  test("client certificates inline: the local environment's admin", async () => {
    const connection = await loadConnection({ kubeconfig: testenv().kubeconfig });
    // A user of its own, from the certificate's subject: no ServiceAccount.
    assert.match(await whoami(connection), /^(?!system:serviceaccount:)\S+$/);
  });

  test("nothing to connect with is an error that says what to set", async () => {
    await assert.rejects(
      loadConnection({ env: { HOME: dir }, serviceAccountDir: dir }),
      /set KUBECONFIG/,
    );
  });
});
