// The distribution token flow against a real CNCF distribution registry configured with
// `auth.token` (started by this file on 127.0.0.1, see token-registry.ts): the 401 with
// `WWW-Authenticate: Bearer realm=...,service=...`, the token request with Basic
// credentials, scopes for pull, push and cross-repository mounts, and refusals.
import assert from "node:assert/strict";
import { Readable } from "node:stream";
import { after, before, describe, test } from "node:test";
import { AuthError, RegistryClient } from "../../../shared/registry/client.ts";
import { copyReferenced, registrySource } from "../../../shared/registry/copy.ts";
import {
  digestOf,
  OCI_CONFIG,
  OCI_INDEX,
  OCI_MANIFEST,
  uniqueRepo,
} from "../../helpers/registry.ts";
import { startTokenRegistry, type TokenRegistry } from "./token-registry.ts";

let registry: TokenRegistry;
const clients: RegistryClient[] = [];
const client = (credentials?: { username: string; password: string }) => {
  const c = new RegistryClient({ registry: registry.host, insecure: true, credentials });
  clients.push(c);
  return c;
};

before(async () => {
  registry = await startTokenRegistry();
});
after(async () => {
  for (const c of clients) c.close();
  await registry?.stop();
});

describe("registry with Bearer token auth", () => {
  const repo = uniqueRepo("bearer/app");
  let index: Buffer;

  test("pushes blobs, a manifest and an index with pull,push tokens", async () => {
    const c = client({ username: registry.user, password: registry.password });
    const config = Buffer.from(
      JSON.stringify({
        architecture: "arm64",
        os: "linux",
        created: "2026-01-02T03:04:05Z",
        rootfs: { type: "layers", diff_ids: [] },
      }),
    );
    const layer = Buffer.from("bearer layer");
    for (const blob of [config, layer]) {
      await c.uploadBlob(repo, { digest: digestOf(blob), size: blob.length }, async () =>
        Readable.from([blob]),
      );
    }
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_MANIFEST,
        config: { mediaType: OCI_CONFIG, digest: digestOf(config), size: config.length },
        layers: [
          {
            mediaType: "application/vnd.oci.image.layer.v1.tar",
            digest: digestOf(layer),
            size: layer.length,
          },
        ],
      }),
    );
    await c.putManifest(repo, digestOf(manifest), manifest, OCI_MANIFEST);
    index = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_INDEX,
        manifests: [
          {
            mediaType: OCI_MANIFEST,
            digest: digestOf(manifest),
            size: manifest.length,
            platform: { os: "linux", architecture: "arm64" },
          },
        ],
      }),
    );
    assert.equal(await c.putManifest(repo, "v1", index, OCI_INDEX), digestOf(index));
    const requested = registry.tokenRequests.flatMap((r) => r.scopes);
    assert.ok(requested.includes(`repository:${repo}:pull,push`), requested.join(" "));
    assert.ok(registry.tokenRequests.every((r) => r.authenticated && r.account === registry.user));
  });

  test("reads back: manifest, HEAD, tags, creation time", async () => {
    const c = client({ username: registry.user, password: registry.password });
    const got = await c.getManifest(repo, "v1");
    assert.equal(got.digest, digestOf(index));
    assert.equal((await c.headManifest(repo, "v1"))?.digest, digestOf(index));
    assert.deepEqual(await c.listTags(repo), ["v1"]);
    assert.equal((await c.imageCreated(repo, "v1"))?.toISOString(), "2026-01-02T03:04:05.000Z");
  });

  test("mounts across repositories with one token for both scopes", async () => {
    const c = client({ username: registry.user, password: registry.password });
    const target = uniqueRepo("bearer/other");
    const top = await c.getManifest(repo, "v1");
    const seen = registry.tokenRequests.length;
    const stats = await copyReferenced(
      registrySource(c, repo),
      { client: c, repository: target },
      top,
    );
    assert.deepEqual(stats, { manifests: 1, mounted: 2, uploaded: 0, present: 0 });
    await c.putManifest(target, "v1", top.bytes, top.mediaType);
    assert.equal((await c.headManifest(target, "v1"))?.digest, top.digest);
    const mountToken = registry.tokenRequests.slice(seen).find((r) => r.scopes.length === 2);
    assert.deepEqual(mountToken?.scopes, [
      `repository:${target}:pull,push`,
      `repository:${repo}:pull`,
    ]);
  });

  test("anonymous clients get a token with no access, and an AuthError", async () => {
    const c = client();
    await assert.rejects(c.headManifest(repo, "v1"), (e: Error) => {
      assert.ok(e instanceof AuthError, e.message);
      assert.match(e.message, /needs credentials/);
      return true;
    });
    await assert.rejects(c.getManifest(repo, "v1"), AuthError);
  });

  test("a wrong password is refused by the token server: AuthError", async () => {
    const c = client({ username: registry.user, password: "wrong" });
    await assert.rejects(c.getManifest(repo, "v1"), AuthError);
    await assert.rejects(c.headManifest(repo, "v1"), (e: Error) => {
      assert.ok(e instanceof AuthError, e.message);
      assert.match(e.message, /token server .* answered 401.*refused the credentials/);
      return true;
    });
  });
});
