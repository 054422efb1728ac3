// Proves both local registries are real CNCF distribution servers: an OCI image (config
// and layer blobs, then the manifest) is pushed over the registry API, its tags are
// listed and the manifest digest is the one the registry reports. The authenticated
// registry refuses anonymous and wrong-password requests.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { before, describe, test } from "node:test";
import { basic, digestOf, pushBlob } from "../helpers/registry.ts";
import { type Testenv, testenv } from "../helpers/testenv.ts";

let env: Testenv;
before(() => {
  env = testenv();
});

const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";

async function pushImage(host: string, headers: Record<string, string>) {
  const base = `http://${host}`;
  const repo = `smoke/app-${randomBytes(3).toString("hex")}`;
  const config = Buffer.from(
    JSON.stringify({
      architecture: "arm64",
      os: "linux",
      created: "2026-11-23T00:00:00Z",
      rootfs: { type: "layers", diff_ids: [] },
    }),
  );
  const layer = randomBytes(512);
  const configBlob = await pushBlob(host, repo, config, headers);
  const layerBlob = await pushBlob(host, repo, layer, headers);
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: { mediaType: "application/vnd.oci.image.config.v1+json", ...configBlob },
    layers: [{ mediaType: "application/vnd.oci.image.layer.v1.tar", ...layerBlob }],
  });
  for (const tag of ["RELEASE.2026-11-23T00-00-00Z", "dev-abc1234"]) {
    const put = await fetch(`${base}/v2/${repo}/manifests/${tag}`, {
      method: "PUT",
      headers: { ...headers, "content-type": OCI_MANIFEST },
      body: manifest,
    });
    assert.equal(put.status, 201, `put manifest: ${await put.text()}`);
    assert.equal(put.headers.get("docker-content-digest"), digestOf(manifest));
  }
  const tags = await fetch(`${base}/v2/${repo}/tags/list`, { headers });
  assert.equal(tags.status, 200);
  assert.deepEqual(await tags.json(), {
    name: repo,
    tags: ["RELEASE.2026-11-23T00-00-00Z", "dev-abc1234"].sort(),
  });

  const head = await fetch(`${base}/v2/${repo}/manifests/dev-abc1234`, {
    method: "HEAD",
    headers: { ...headers, accept: OCI_MANIFEST },
  });
  assert.equal(head.status, 200);
  assert.equal(head.headers.get("content-type"), OCI_MANIFEST);
  assert.equal(head.headers.get("docker-content-digest"), digestOf(manifest));
}

describe("local registries", () => {
  test("the open registry takes an OCI image and lists its tags", async () => {
    await pushImage(env.registry, {});
  });

  test("the authenticated registry takes an OCI image with basic auth", async () => {
    await pushImage(env.registryAuth, {
      authorization: basic(env.registryUser, env.registryPassword),
    });
  });

  test("the authenticated registry refuses anonymous and wrong-password requests", async () => {
    const anonymous = await fetch(`http://${env.registryAuth}/v2/`);
    assert.equal(anonymous.status, 401);
    assert.match(anonymous.headers.get("www-authenticate") ?? "", /^Basic realm=/);
    const wrong = await fetch(`http://${env.registryAuth}/v2/`, {
      headers: { authorization: basic(env.registryUser, "not-the-password") },
    });
    assert.equal(wrong.status, 401);
  });
});
