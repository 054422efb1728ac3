// An OCIRepository's Secret: a malformed .dockerconfigjson is named, never quoted.
import assert from "node:assert/strict";
import { test } from "node:test";
import { fetchOciRepository } from "../../../agent/flux/oci.ts";
import { SourceError } from "../../../agent/flux/source.ts";
import type { KubeClient } from "../../../shared/kube/client.ts";

test("a .dockerconfigjson that is not JSON fails naming the Secret and key, quoting nothing", async () => {
  const malformed = '{"auths":{"127.0.0.1:9":{"username":"bot","password":s3cretPASS"}}}';
  // Only the Secret is read: the registry is never reached.
  const client = {
    get: async (ref: { kind: string; namespace?: string; name: string }) =>
      ref.kind === "Secret" && ref.namespace === "apps" && ref.name === "regcred"
        ? {
            apiVersion: "v1",
            kind: "Secret",
            metadata: { name: "regcred", namespace: "apps" },
            data: { ".dockerconfigjson": Buffer.from(malformed).toString("base64") },
          }
        : undefined,
  } as unknown as KubeClient;
  const repo = {
    apiVersion: "source.toolkit.fluxcd.io/v1",
    kind: "OCIRepository",
    metadata: { name: "app", namespace: "apps" },
    spec: { url: "oci://127.0.0.1:9/manifests/app", secretRef: { name: "regcred" } },
  };
  await assert.rejects(fetchOciRepository(repo, client, "/nonexistent"), (error: Error) => {
    assert.ok(error instanceof SourceError);
    assert.match(error.message, /Secret apps\/regcred key \.dockerconfigjson is not valid JSON/);
    assert.doesNotMatch(error.message, /s3cret|PASS|password|bot/);
    return true;
  });
});
