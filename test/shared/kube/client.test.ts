// The REST client against the local API server: what a metadata-only list answers.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, test } from "node:test";
import { KubeClient } from "../../../shared/kube/client.ts";
import { kubectl } from "../../helpers/kubectl.ts";
import { testenv } from "../../helpers/testenv.ts";

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
