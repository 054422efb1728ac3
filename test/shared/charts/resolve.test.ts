// Chart sources and their Secrets: a malformed Secret is named, its content never quoted.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { ChartError } from "../../../shared/charts/errors.ts";
import type { ChartReference } from "../../../shared/charts/reference.ts";
import { type ChartContext, resolveChart } from "../../../shared/charts/resolve.ts";
import type { KubeObject } from "../../../shared/manifests/object.ts";

// Node's own message would quote `..."password":s3cretPASS"...`.
const MALFORMED = '{"auths":{"127.0.0.1:9":{"username":"bot","password":s3cretPASS"}}}';

test("a .dockerconfigjson that is not JSON fails naming the Secret and key, quoting nothing", async () => {
  const cacheDir = await mkdtemp(join(tmpdir(), "tether-resolve-"));
  const sources: Record<string, KubeObject> = {
    HelmRepository: {
      apiVersion: "source.toolkit.fluxcd.io/v1",
      kind: "HelmRepository",
      metadata: { name: "private", namespace: "apps" },
      spec: { type: "oci", url: "oci://127.0.0.1:9/charts", secretRef: { name: "regcred" } },
    },
    OCIRepository: {
      apiVersion: "source.toolkit.fluxcd.io/v1",
      kind: "OCIRepository",
      metadata: { name: "app", namespace: "apps" },
      spec: { url: "oci://127.0.0.1:9/charts/app", secretRef: { name: "regcred" } },
    },
  };
  const ctx: ChartContext = {
    cacheDir,
    getSource: async (key) => sources[key.kind],
    getSecret: async (namespace, name) =>
      namespace === "apps" && name === "regcred" ? { ".dockerconfigjson": MALFORMED } : undefined,
  };
  const refs: ChartReference[] = [
    {
      from: "HelmRepository",
      source: { kind: "HelmRepository", namespace: "apps", name: "private" },
      chart: "app",
    },
    { from: "OCIRepository", source: { kind: "OCIRepository", namespace: "apps", name: "app" } },
  ];
  try {
    for (const ref of refs) {
      await assert.rejects(resolveChart(ctx, ref, "apps"), (error: Error) => {
        assert.ok(error instanceof ChartError);
        assert.equal(error.reason, "AuthenticationFailed");
        assert.match(
          error.message,
          /Secret apps\/regcred key \.dockerconfigjson is not valid JSON/,
        );
        assert.doesNotMatch(error.message, /s3cret|PASS|password|bot/);
        return true;
      });
    }
  } finally {
    await rm(cacheDir, { recursive: true, force: true });
  }
});
