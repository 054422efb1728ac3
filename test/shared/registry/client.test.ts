// The registry client against the local environment's real CNCF distribution registries:
// the open one (plain HTTP) and the one with htpasswd Basic auth. Images are put there
// with plain fetch (helpers.ts) and read with the client, and the other way round.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { after, before, describe, test } from "node:test";
import {
  AuthError,
  type Manifest,
  NotFoundError,
  RegistryClient,
} from "../../../shared/registry/client.ts";
import { copyReferenced, registrySource } from "../../../shared/registry/copy.ts";
import { CreatedCache } from "../../../shared/registry/created-cache.ts";
import {
  credentialsFor,
  dockerConfigFromSecret,
  loadDockerConfig,
} from "../../../shared/registry/credentials.ts";
import {
  basic,
  digestOf,
  dockerConfig,
  OCI_CONFIG,
  OCI_INDEX,
  OCI_MANIFEST,
  pushBlob,
  pushImage,
  pushManifest,
  type SyntheticImage,
  uniqueRepo,
} from "../../helpers/registry.ts";
import { type Testenv, testenv } from "../../helpers/testenv.ts";

let env: Testenv;
let tmp: string;
const clients: RegistryClient[] = [];
const open = () => {
  const c = new RegistryClient({ registry: env.registry, insecure: true });
  clients.push(c);
  return c;
};

before(() => {
  env = testenv();
  tmp = mkdtempSync(join(tmpdir(), "tether-registry-test-"));
});
after(() => {
  for (const c of clients) c.close();
  rmSync(tmp, { recursive: true, force: true });
});

async function rawHead(
  host: string,
  repo: string,
  ref: string,
  headers: Record<string, string> = {},
) {
  const res = await fetch(`http://${host}/v2/${repo}/manifests/${ref}`, {
    method: "HEAD",
    headers: { ...headers, accept: [OCI_INDEX, OCI_MANIFEST].join(", ") },
  });
  return { status: res.status, digest: res.headers.get("docker-content-digest") };
}

describe("open registry (plain HTTP)", () => {
  let repo: string;
  let image: SyntheticImage;
  before(async () => {
    repo = uniqueRepo("client/app");
    image = await pushImage(env.registry, repo, {
      tags: ["RELEASE.2026-11-23T10-00-00Z", "dev-abc1234"],
      created: "2026-11-23T09:59:00Z",
      label: "2026-11-23T10:00:00Z",
    });
  });

  test("gets an index by tag and by digest, with digest and media type; two requests from cold", async () => {
    const client = open();
    const byTag = await client.getManifest(repo, "dev-abc1234");
    assert.equal(byTag.digest, image.digest);
    assert.equal(byTag.mediaType, OCI_INDEX);
    assert.equal(byTag.bytes.toString(), image.body);
    assert.equal(byTag.json.manifests?.length, 2);
    // The library pings /v2/ once, then GETs.
    assert.equal(client.requests, 2);
    const byDigest = await client.getManifest(repo, image.digest);
    assert.equal(byDigest.digest, image.digest);
    assert.equal(client.requests, 3);
  });

  test("HEAD gives digest and media type, and undefined for a missing tag", async () => {
    const client = open();
    assert.deepEqual(await client.headManifest(repo, "RELEASE.2026-11-23T10-00-00Z"), {
      digest: image.digest,
      mediaType: OCI_INDEX,
      size: Buffer.byteLength(image.body),
    });
    assert.equal(await client.headManifest(repo, "no-such-tag"), undefined);
    assert.equal(client.requests, 2);
  });

  test("reads a manifest without layers, which the library refuses, with fetch", async () => {
    const client = open();
    const config = await pushBlob(env.registry, repo, Buffer.from("{}"));
    const body = JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      artifactType: "application/vnd.example+json",
      config: { mediaType: OCI_CONFIG, ...config },
      layers: [],
    });
    const digest = await pushManifest(env.registry, repo, "artifact", body, OCI_MANIFEST);
    const got = await client.getManifest(repo, "artifact");
    assert.equal(got.digest, digest);
    assert.equal(got.mediaType, OCI_MANIFEST);
  });

  test("lists every tag", async () => {
    const client = open();
    const tags = await client.listTags(repo);
    for (const tag of ["RELEASE.2026-11-23T10-00-00Z", "dev-abc1234"])
      assert.ok(tags.includes(tag));
  });

  test("missing repositories and tags are NotFoundError", async () => {
    const client = open();
    await assert.rejects(client.getManifest(repo, "nope"), NotFoundError);
    await assert.rejects(client.listTags(uniqueRepo("client/none")), NotFoundError);
  });

  test("blob existence", async () => {
    const client = open();
    const child = image.children[0] as SyntheticImage["children"][number];
    assert.equal(await client.blobExists(repo, child.blobs[0] as string), true);
    assert.equal(await client.blobExists(repo, digestOf("not there")), false);
  });

  test("puts an image manifest and an index; the registry serves the same digests", async () => {
    const client = open();
    const target = uniqueRepo("client/put");
    const config = Buffer.from(
      JSON.stringify({
        architecture: "arm64",
        os: "linux",
        rootfs: { type: "layers", diff_ids: [] },
      }),
    );
    const layer = Buffer.from("layer bytes");
    await client.uploadBlob(target, { digest: digestOf(config), size: config.length }, async () =>
      Readable.from([config]),
    );
    await client.uploadBlob(target, { digest: digestOf(layer), size: layer.length }, async () =>
      Readable.from([layer]),
    );
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
    const manifestDigest = await client.putManifest(
      target,
      digestOf(manifest),
      manifest,
      OCI_MANIFEST,
    );
    assert.equal(manifestDigest, digestOf(manifest));
    const index = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_INDEX,
        manifests: [
          {
            mediaType: OCI_MANIFEST,
            digest: manifestDigest,
            size: manifest.length,
            platform: { os: "linux", architecture: "arm64" },
          },
        ],
      }),
    );
    assert.equal(await client.putManifest(target, "v1", index, OCI_INDEX), digestOf(index));
    assert.deepEqual(await rawHead(env.registry, target, "v1"), {
      status: 200,
      digest: digestOf(index),
    });
  });

  test("copies to another repository by mounting every blob, no bytes moved", async () => {
    const client = open();
    const target = uniqueRepo("client/mounted");
    const top = await client.getManifest(repo, "dev-abc1234");
    const before = client.requests;
    const stats = await copyReferenced(
      registrySource(client, repo),
      { client, repository: target },
      top,
    );
    assert.deepEqual(stats, { manifests: 2, mounted: 4, uploaded: 0, present: 0 });
    // Per child: HEAD in the target, GET from the source, one POST ?mount= per blob, PUT.
    assert.equal(client.requests - before, 2 * (1 + 1 + 2 + 1));
    await client.putManifest(target, "stg-abc1234", top.bytes, top.mediaType);
    assert.deepEqual(await rawHead(env.registry, target, "stg-abc1234"), {
      status: 200,
      digest: image.digest,
    });
    // A second copy finds the child manifests in place.
    const again = await copyReferenced(
      registrySource(client, repo),
      { client, repository: target },
      top,
    );
    assert.deepEqual(again, { manifests: 0, mounted: 0, uploaded: 0, present: 2 });
  });

  test("a refused mount (202) is finished by streaming into the session the registry opened", async () => {
    const client = open();
    const target = uniqueRepo("client/fallback");
    const top = await client.getManifest(repo, "dev-abc1234");
    // The mount names a repository without the blobs, as when the credentials cannot
    // read the source: the registry answers 202 with an upload session.
    const source = {
      ...registrySource(client, repo),
      registry: { name: env.registry, repository: uniqueRepo("client/empty") },
    };
    const before = client.requests;
    const stats = await copyReferenced(source, { client, repository: target }, top);
    assert.deepEqual(stats, { manifests: 2, mounted: 0, uploaded: 4, present: 0 });
    // Per blob: the refused mount, the GET of its bytes, one PUT into the 202's session
    // (no second POST); per child: HEAD, GET and PUT.
    assert.equal(client.requests - before, 4 * 3 + 2 * 3);
    await client.putManifest(target, "v1", top.bytes, top.mediaType);
    assert.equal((await rawHead(env.registry, target, "v1")).digest, image.digest);
  });

  test("creation time: the label wins; cached by digest so a rescan reads no manifests or configs", async () => {
    const cacheFile = join(tmp, "created.json");
    const first = new RegistryClient({
      registry: env.registry,
      insecure: true,
      createdCache: await CreatedCache.load(cacheFile),
    });
    clients.push(first);
    const created = await first.imageCreated(repo, "dev-abc1234");
    assert.equal(created?.toISOString(), "2026-11-23T10:00:00.000Z");
    // ping, index, arm64 child, config blob.
    assert.equal(first.requests, 4);
    assert.equal(
      (await first.imageCreated(repo, "RELEASE.2026-11-23T10-00-00Z"))?.toISOString(),
      created?.toISOString(),
    );
    assert.equal(first.requests, 5, "by tag: only the tag's manifest");
    await first.imageCreated(repo, image.digest);
    assert.equal(first.requests, 5, "by digest: no request");
    await first.createdCache.save();

    // A later scan (another process) loads the file and reads no manifests or configs.
    const later = new RegistryClient({
      registry: env.registry,
      insecure: true,
      createdCache: await CreatedCache.load(cacheFile),
    });
    clients.push(later);
    assert.equal(
      (await later.imageCreated(repo, image.digest))?.toISOString(),
      created?.toISOString(),
    );
    assert.equal(later.requests, 0);
  });

  test("creation time from the config's created when there is no label", async () => {
    const client = open();
    const plain = uniqueRepo("client/plain");
    await pushImage(env.registry, plain, {
      tags: ["v1"],
      created: "2025-06-07T08:09:10Z",
      index: false,
      platforms: ["linux/arm64"],
    });
    assert.equal(
      (await client.imageCreated(plain, "v1"))?.toISOString(),
      "2025-06-07T08:09:10.000Z",
    );
  });
});

describe("registry with Basic auth", () => {
  let repo: string;
  let image: SyntheticImage;
  let auth: Record<string, string>;
  before(async () => {
    auth = { authorization: basic(env.registryUser, env.registryPassword) };
    repo = uniqueRepo("client/private");
    image = await pushImage(env.registryAuth, repo, { tags: ["v1"], headers: auth });
  });

  test("credentials from a Docker config.json", async () => {
    // Keyed by URL, as older docker versions write it.
    const dir = dockerConfig(tmp, {
      [`http://${env.registryAuth}`]: [env.registryUser, env.registryPassword],
    });
    const config = await loadDockerConfig(join(dir, "config.json"));
    const client = new RegistryClient({
      registry: env.registryAuth,
      insecure: true,
      credentials: credentialsFor(config, env.registryAuth),
    });
    clients.push(client);
    assert.equal((await client.getManifest(repo, "v1")).digest, image.digest);
    // Fetch sends Basic at once: no 401 round trip for the HEAD.
    assert.equal((await client.headManifest(repo, "v1"))?.digest, image.digest);
    assert.equal(client.requests, 3);
  });

  test("credentials from a kubernetes.io/dockerconfigjson Secret; writes work too", async () => {
    const secret = {
      apiVersion: "v1",
      kind: "Secret",
      type: "kubernetes.io/dockerconfigjson",
      metadata: { name: "regcred", namespace: "flux-system" },
      data: {
        ".dockerconfigjson": Buffer.from(
          JSON.stringify({
            auths: {
              [env.registryAuth]: { username: env.registryUser, password: env.registryPassword },
            },
          }),
        ).toString("base64"),
      },
    };
    const client = new RegistryClient({
      registry: env.registryAuth,
      insecure: true,
      credentials: credentialsFor(dockerConfigFromSecret(secret), env.registryAuth),
    });
    clients.push(client);
    const top: Manifest = await client.getManifest(repo, "v1");
    const target = uniqueRepo("client/private-copy");
    const stats = await copyReferenced(
      registrySource(client, repo),
      { client, repository: target },
      top,
    );
    assert.equal(stats.mounted, 4);
    await client.putManifest(target, "v1", top.bytes, top.mediaType);
    assert.deepEqual(await rawHead(env.registryAuth, target, "v1", auth), {
      status: 200,
      digest: image.digest,
    });
  });

  test("without credentials: an AuthError that says they are missing", async () => {
    const client = new RegistryClient({ registry: env.registryAuth, insecure: true });
    clients.push(client);
    await assert.rejects(client.getManifest(repo, "v1"), (e: Error) => {
      assert.ok(e instanceof AuthError);
      assert.match(e.message, /needs credentials for 127\.0\.0\.1:\d+ and none were given/);
      return true;
    });
    await assert.rejects(client.headManifest(repo, "v1"), AuthError);
  });

  test("a wrong password: an AuthError, not the library's 404", async () => {
    const client = new RegistryClient({
      registry: env.registryAuth,
      insecure: true,
      credentials: { username: env.registryUser, password: "not-the-password" },
    });
    clients.push(client);
    await assert.rejects(client.getManifest(repo, "v1"), (e: Error) => {
      assert.ok(e instanceof AuthError, e.message);
      assert.match(e.message, /refused the credentials/);
      assert.doesNotMatch(e.message, /not-the-password/);
      return true;
    });
  });

  test("copies between registries by streaming (open → Basic auth)", async () => {
    const source = open();
    const openRepo = uniqueRepo("client/cross");
    const pushed = await pushImage(env.registry, openRepo, { tags: ["v1"] });
    const target = new RegistryClient({
      registry: env.registryAuth,
      insecure: true,
      credentials: { username: env.registryUser, password: env.registryPassword },
    });
    clients.push(target);
    const top = await source.getManifest(openRepo, "v1");
    const stats = await copyReferenced(
      registrySource(source, openRepo),
      { client: target, repository: openRepo },
      top,
    );
    assert.deepEqual(stats, { manifests: 2, mounted: 0, uploaded: 4, present: 0 });
    await target.putManifest(openRepo, "v1", top.bytes, top.mediaType);
    assert.deepEqual(await rawHead(env.registryAuth, openRepo, "v1", auth), {
      status: 200,
      digest: pushed.digest,
    });
  });
});
