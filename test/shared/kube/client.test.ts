// The REST client against the local API server: what a metadata-only list answers, and
// what a watch reports, how it ends and how it fails.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { after, before, test } from "node:test";
import { KubeApiError, KubeClient } from "../../../shared/kube/client.ts";
import { kubectl } from "../../helpers/kubectl.ts";
import { chartsEnv, testenv } from "../../helpers/testenv.ts";

const ns = `client-${randomBytes(3).toString("hex")}`;
let client: KubeClient;

before(async () => {
  client = await KubeClient.connect({ kubeconfig: testenv().kubeconfig });
  await kubectl(["create", "namespace", ns]);
  for (const name of ["a", "b"]) {
    await client.apply(
      {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name, namespace: ns, labels: { pick: "yes" }, annotations: { note: name } },
        data: { inventory: "x".repeat(50_000) },
      },
      { fieldManager: "client-test" },
    );
  }
});

after(async () => {
  client.close();
  await kubectl(["delete", "namespace", ns, "--wait=false"]);
});

test("a metadata-only list: names, labels and annotations, without the data", async () => {
  client.bytesReceived = 0;
  const full = await client.list("v1", "ConfigMap", { namespace: ns, labelSelector: "pick=yes" });
  const fullBytes = client.bytesReceived;
  client.bytesReceived = 0;
  const meta = await client.list("v1", "ConfigMap", {
    namespace: ns,
    labelSelector: "pick=yes",
    metadataOnly: true,
  });
  assert.deepEqual(
    full.map((o) => [o.kind, o.metadata.name, typeof o.data]),
    [
      ["ConfigMap", "a", "object"],
      ["ConfigMap", "b", "object"],
    ],
  );
  // Items keep the kind asked for, as a full list's do.
  assert.deepEqual(
    meta.map((o) => [o.apiVersion, o.kind, o.metadata.name, o.metadata.annotations?.note, o.data]),
    [
      ["v1", "ConfigMap", "a", "a", undefined],
      ["v1", "ConfigMap", "b", "b", undefined],
    ],
  );
  assert.ok(client.bytesReceived < fullBytes / 10, `${client.bytesReceived} of ${fullBytes} bytes`);
  // An empty one: the server's list has items null.
  assert.deepEqual(
    await client.list("v1", "ConfigMap", {
      namespace: ns,
      labelSelector: "pick=no",
      metadataOnly: true,
    }),
    [],
  );
});

test("a watch: changes from a list's version, metadata only; it ends with the server's timeout or an abort", async () => {
  const scope = { namespace: ns, labelSelector: "pick=yes", metadataOnly: true };
  const { resourceVersion } = await client.listAt("v1", "ConfigMap", scope);
  const events: [string, string, string | undefined, unknown][] = [];
  const watched = client.watch(
    "v1",
    "ConfigMap",
    { ...scope, resourceVersion, timeoutSeconds: 2, signal: new AbortController().signal },
    (type, object) =>
      events.push([type, object.metadata.name, object.metadata.annotations?.note, object.data]),
  );
  await kubectl(["annotate", "configmap", "a", "-n", ns, "--overwrite", "note=changed"]);
  await kubectl(["delete", "configmap", "b", "-n", ns]);
  // The server ends the watch after its timeout; the version to go on from comes back.
  const next = await watched;
  assert.deepEqual(events, [
    ["MODIFIED", "a", "changed", undefined],
    ["DELETED", "b", "b", undefined],
  ]);
  assert.ok(Number(next) > Number(resourceVersion), `${next} after ${resourceVersion}`);

  // An abort ends it at once, without an error.
  const aborter = new AbortController();
  const started = Date.now();
  const aborted = client.watch(
    "v1",
    "ConfigMap",
    { ...scope, resourceVersion: next, timeoutSeconds: 60, signal: aborter.signal },
    () => {},
  );
  setTimeout(() => aborter.abort(), 200);
  assert.equal(await aborted, next);
  assert.ok(Date.now() - started < 5_000);
});

test("an ERROR event in a watch (410: the version is gone) is thrown as its KubeApiError", async () => {
  // The API server sends it once its watch cache has moved past the version, which a
  // fresh local environment's has not (it still serves resourceVersion 1): a fault
  // that cannot be caused on demand here, so a stand-in server answers with the event
  // the API server sends, over TLS as the client requires.
  const pki = dirname(chartsEnv().ca);
  const server = createServer(
    { cert: readFileSync(join(pki, "charts.crt")), key: readFileSync(join(pki, "charts.key")) },
    (req, res) => {
      res.setHeader("content-type", "application/json");
      if (req.url === "/api/v1") {
        res.end(
          JSON.stringify({
            resources: [{ name: "configmaps", kind: "ConfigMap", namespaced: true }],
          }),
        );
        return;
      }
      res.write(
        `${JSON.stringify({
          type: "ERROR",
          object: {
            kind: "Status",
            apiVersion: "v1",
            status: "Failure",
            code: 410,
            reason: "Expired",
            message: "too old resource version: 1 (265)",
          },
        })}\n`,
      );
    },
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const standIn = await KubeClient.connect({
    connection: {
      server: `https://127.0.0.1:${port}`,
      tls: { ca: readFileSync(chartsEnv().ca) },
      authorization: async () => undefined,
    },
  });
  try {
    await assert.rejects(
      standIn.watch(
        "v1",
        "ConfigMap",
        {
          namespace: "x",
          resourceVersion: "1",
          timeoutSeconds: 5,
          signal: new AbortController().signal,
        },
        () => {},
      ),
      (error: unknown) =>
        error instanceof KubeApiError && error.status === 410 && error.reason === "Expired",
    );
  } finally {
    standIn.close();
    server.closeAllConnections();
    server.close();
  }
});
