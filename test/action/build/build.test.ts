// `tether image build` as a process with the real buildah (vfs storage, chroot
// isolation): a linux/arm64 + linux/amd64 image whose RUN step executes under QEMU for
// arm64, pushed to the local registries (open, and with auth), then read back through
// the registry API: index order and platforms, labels, creation time, tags, and the file
// the RUN step wrote in each layer. Needs root, buildah and qemu-user-static
// (test/env/install-packages.sh) and binfmt_misc (test/env/binfmt.sh, run here).
import assert from "node:assert/strict";
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { gunzipSync } from "node:zlib";
import { RegistryClient } from "../../../shared/registry/client.ts";
import { copyReferenced, layoutSource } from "../../../shared/registry/copy.ts";
import { readOutputs } from "../../helpers/github-output.ts";
import { basic, dockerConfig, OCI_INDEX, uniqueRepo } from "../../helpers/registry.ts";
import { run } from "../../helpers/run.ts";
import { type Testenv, testenv } from "../../helpers/testenv.ts";
import { cleanEnv, lastLine, root, tether } from "./cli.ts";

const SHA = "0123456789abcdef0123456789abcdef01234567";
const TIME = "2026-11-23T10:00:00Z";

let env: Testenv;
let work: string;
let context: string;
let storageEnv: NodeJS.ProcessEnv;

/** The content of one file in a gzipped tar layer (ustar names, regular files). */
function fileInLayer(gz: Buffer, path: string): string | undefined {
  const tar = gunzipSync(gz);
  for (let off = 0; off + 512 <= tar.length; ) {
    const header = tar.subarray(off, off + 512);
    if (header.every((b) => b === 0)) return undefined;
    const text = (from: number, len: number) =>
      header
        .subarray(from, from + len)
        .toString("utf8")
        .replace(/\0.*$/s, "");
    const name = [text(345, 155), text(0, 100)]
      .filter((s) => s !== "")
      .join("/")
      .replace(/^\.\//, "");
    const size = Number.parseInt(text(124, 12).trim() || "0", 8);
    if (name === path) return tar.subarray(off + 512, off + 512 + size).toString("utf8");
    off += 512 + Math.ceil(size / 512) * 512;
  }
  return undefined;
}

async function readBack(client: RegistryClient, repository: string, tag: string) {
  const index = await client.getManifest(repository, tag);
  const images = [];
  for (const child of index.json.manifests ?? []) {
    const manifest = await client.getManifest(repository, child.digest);
    const config = JSON.parse(
      (await client.readBlob(repository, manifest.json.config?.digest as string)).toString(),
    );
    const layers = [];
    for (const layer of manifest.json.layers ?? [])
      layers.push(await client.readBlob(repository, layer.digest, 64 << 20));
    images.push({
      platform: `${child.platform?.os}/${child.platform?.architecture}`,
      config,
      layers,
    });
  }
  return { index, images };
}

before(async () => {
  env = testenv();
  const buildah = await run("buildah", ["--version"]);
  assert.equal(buildah.code, 0, "buildah is missing: run test/env/install-packages.sh");
  const binfmt = await run("bash", [join(root, "test/env/binfmt.sh")]);
  assert.equal(binfmt.code, 0, `arm64 emulation is not available: ${binfmt.stderr}`);
  const rootfs = await run("bash", [join(root, "test/action/build/busybox-rootfs.sh")], {
    timeoutMs: 300_000,
  });
  assert.equal(rootfs.code, 0, rootfs.stderr);
  const rootfsDir = rootfs.stdout.trim();

  work = mkdtempSync(join(tmpdir(), "tether-build-test-"));
  context = join(work, "context");
  mkdirSync(context);
  for (const arch of ["arm64", "amd64"])
    cpSync(join(rootfsDir, arch), join(context, `rootfs-${arch}`), {
      recursive: true,
      verbatimSymlinks: true,
    });
  writeFileSync(
    join(context, "Containerfile"),
    [
      "FROM scratch",
      "ARG TARGETARCH",
      "COPY rootfs-$TARGETARCH/ /",
      // Runs the image's own busybox: under QEMU for arm64.
      "RUN mkdir -p /etc && uname -m > /etc/build-arch",
      'CMD ["/bin/sh"]',
      "",
    ].join("\n"),
  );
  // A private buildah store, removed afterwards.
  writeFileSync(
    join(work, "storage.conf"),
    `[storage]\ndriver = "vfs"\ngraphroot = "${join(work, "storage")}"\nrunroot = "${join(work, "run")}"\n`,
  );
  storageEnv = { CONTAINERS_STORAGE_CONF: join(work, "storage.conf") };
});

after(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("tether image build with buildah", () => {
  let repo: string;
  let digest: string;

  test("builds linux/arm64 + linux/amd64 (RUN under QEMU), pushes, and the registry serves it", async (t) => {
    repo = `${env.registry}/${uniqueRepo("build/app")}`;
    const output = join(work, "github-output");
    writeFileSync(output, "");
    const started = Date.now();
    const r = await tether(
      [
        "image",
        "build",
        "--image",
        repo,
        "--context",
        context,
        "--platform",
        "linux/amd64,linux/arm64",
        "--env",
        "dev",
        "--timestamp",
        TIME,
        "--builder",
        "auto",
        "--push",
        "--insecure-registry",
        "--verbose",
      ],
      {
        env: cleanEnv({
          ...storageEnv,
          GITHUB_SHA: SHA,
          GITHUB_REPOSITORY: "edge/app",
          GITHUB_SERVER_URL: "https://github.com",
          GITHUB_OUTPUT: output,
        }),
        timeoutMs: 600_000,
      },
    );
    const seconds = (Date.now() - started) / 1000;
    assert.equal(r.code, 0, r.stderr);
    digest = lastLine(r.stdout);
    assert.match(digest, /^sha256:[a-f0-9]{64}$/);
    assert.deepEqual(r.stdout.trim().split("\n").slice(0, -1), [
      `${repo}:RELEASE.2026-11-23T10-00-00Z`,
      `${repo}:dev-0123456`,
    ]);
    assert.match(r.stderr, /with buildah/);
    t.diagnostic(
      `two-platform build + push: ${seconds.toFixed(1)}s; ${r.stderr.trim().split("\n").at(-1)}`,
    );

    const name = repo.slice(env.registry.length + 1);
    const client = new RegistryClient({ registry: env.registry, insecure: true });
    try {
      for (const tag of ["RELEASE.2026-11-23T10-00-00Z", "dev-0123456"]) {
        assert.equal((await client.headManifest(name, tag))?.digest, digest, tag);
      }
      const { index, images } = await readBack(client, name, "dev-0123456");
      assert.equal(index.mediaType, OCI_INDEX);
      assert.deepEqual(
        images.map((i) => i.platform),
        ["linux/arm64", "linux/amd64"],
        "arm64 first",
      );
      for (const image of images) {
        const labels = image.config.config.Labels;
        assert.equal(labels["org.opencontainers.image.created"], TIME);
        assert.equal(labels["org.opencontainers.image.revision"], SHA);
        assert.equal(labels["org.opencontainers.image.source"], "https://github.com/edge/app");
        assert.equal(image.config.created, TIME, "created = the release timestamp");
        const arch = image.layers
          .map((l) => fileInLayer(l, "etc/build-arch"))
          .find((x) => x !== undefined);
        assert.equal(
          arch?.trim(),
          image.platform === "linux/arm64" ? "aarch64" : "x86_64",
          image.platform,
        );
      }
      assert.equal(
        (await client.imageCreated(name, "RELEASE.2026-11-23T10-00-00Z"))?.toISOString(),
        "2026-11-23T10:00:00.000Z",
      );
    } finally {
      client.close();
    }
    assert.deepEqual(readOutputs(output), {
      tags: "RELEASE.2026-11-23T10-00-00Z\ndev-0123456",
      digest,
      image: `${repo}@${digest}`,
      timestamp: "2026-11-23T10:00:00Z",
    });
  });

  test("a re-run of the same commit builds the same bytes: same digest, RELEASE tag kept", async () => {
    const r = await tether(
      [
        "image",
        "build",
        "--image",
        repo,
        "--context",
        context,
        "--platform",
        "linux/arm64,linux/amd64",
        "--env",
        "dev",
        "--sha",
        SHA,
        "--timestamp",
        TIME,
        "--push",
        "--insecure-registry",
      ],
      {
        env: cleanEnv({
          ...storageEnv,
          GITHUB_REPOSITORY: "edge/app",
          GITHUB_SERVER_URL: "https://github.com",
        }),
        timeoutMs: 600_000,
      },
    );
    assert.equal(r.code, 0, r.stderr);
    assert.equal(lastLine(r.stdout), digest);
  });

  test("other content under an existing RELEASE tag: refused before anything is pushed", async () => {
    writeFileSync(join(context, "rootfs-amd64", "etc-marker"), "changed");
    try {
      const r = await tether(
        [
          "image",
          "build",
          "--image",
          repo,
          "--context",
          context,
          "--platform",
          "linux/arm64,linux/amd64",
          "--env",
          "dev",
          "--sha",
          "f".repeat(40),
          "--timestamp",
          TIME,
          "--push",
          "--insecure-registry",
        ],
        { env: cleanEnv(storageEnv), timeoutMs: 600_000 },
      );
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /refused: .*RELEASE\.2026-11-23T10-00-00Z points at .*never moved/);
      const name = repo.slice(env.registry.length + 1);
      const client = new RegistryClient({ registry: env.registry, insecure: true });
      try {
        assert.equal(
          (await client.headManifest(name, "RELEASE.2026-11-23T10-00-00Z"))?.digest,
          digest,
        );
        assert.equal(
          await client.headManifest(name, "dev-fffffff"),
          undefined,
          "no tag was pushed",
        );
      } finally {
        client.close();
      }
    } finally {
      rmSync(join(context, "rootfs-amd64", "etc-marker"), { force: true });
    }
  });

  test("pushes to the registry with auth, credentials from DOCKER_CONFIG, explicit tags", async () => {
    const docker = dockerConfig(work, {
      [env.registryAuth]: [env.registryUser, env.registryPassword],
    });
    const privateRepo = `${env.registryAuth}/${uniqueRepo("build/private")}`;
    const r = await tether(
      [
        "image",
        "build",
        "--image",
        privateRepo,
        "--context",
        context,
        "--platform",
        "linux/arm64,linux/amd64",
        "--tag",
        "RELEASE.2026-11-23T11-00-00Z",
        "--tag",
        "edge",
        "--sha",
        SHA,
        "--builder",
        "buildah",
        "--push",
        "--insecure-registry",
      ],
      { env: cleanEnv({ ...storageEnv, DOCKER_CONFIG: docker }), timeoutMs: 600_000 },
    );
    assert.equal(r.code, 0, r.stderr);
    const pushed = lastLine(r.stdout);
    const name = privateRepo.slice(env.registryAuth.length + 1);
    for (const tag of ["RELEASE.2026-11-23T11-00-00Z", "edge"]) {
      const res = await fetch(`http://${env.registryAuth}/v2/${name}/manifests/${tag}`, {
        method: "HEAD",
        headers: {
          authorization: basic(env.registryUser, env.registryPassword),
          accept: OCI_INDEX,
        },
      });
      assert.equal(res.headers.get("docker-content-digest"), pushed, tag);
    }
    const client = new RegistryClient({
      registry: env.registryAuth,
      insecure: true,
      credentials: { username: env.registryUser, password: env.registryPassword },
    });
    try {
      const { images } = await readBack(client, name, "edge");
      assert.deepEqual(
        images.map((i) => i.platform),
        ["linux/arm64", "linux/amd64"],
      );
      // The RELEASE tag gives the created time when --timestamp is not given.
      for (const i of images)
        assert.equal(
          i.config.config.Labels["org.opencontainers.image.created"],
          "2026-11-23T11:00:00Z",
        );
    } finally {
      client.close();
    }
  });

  test("without --push: the digest it would push, nothing in the registry; its OCI layout pushes to the same digest", async () => {
    const target = `${env.registry}/${uniqueRepo("build/local")}`;
    const r = await tether(
      [
        "image",
        "build",
        "--image",
        target,
        "--context",
        context,
        "--platform",
        "linux/arm64,linux/amd64",
        "--tag",
        "v1",
        "--timestamp",
        TIME,
        "--sha",
        SHA,
      ],
      { env: cleanEnv(storageEnv), timeoutMs: 600_000 },
    );
    assert.equal(r.code, 0, r.stderr);
    const expected = lastLine(r.stdout);
    assert.equal(r.stdout.trim(), expected, "only the digest on stdout");
    const list = /the manifest list is (\S+) in buildah's storage/.exec(r.stderr)?.[1];
    assert.ok(list, r.stderr);
    const name = target.slice(env.registry.length + 1);
    const client = new RegistryClient({ registry: env.registry, insecure: true });
    try {
      assert.equal(await client.headManifest(name, "v1"), undefined);
      // The path `--builder buildx` takes after building: push an OCI layout with the
      // registry client (here the layout comes from buildah).
      const layoutDir = join(work, "layout");
      const exported = await run(
        "buildah",
        [
          "--storage-driver",
          "vfs",
          "manifest",
          "push",
          "--all",
          "--format",
          "oci",
          list,
          `oci:${layoutDir}`,
        ],
        { env: { ...process.env, ...storageEnv } },
      );
      assert.equal(exported.code, 0, exported.stderr);
      const layout = await layoutSource(layoutDir);
      assert.equal(layout.top.digest, expected);
      const stats = await copyReferenced(layout, { client, repository: name }, layout.top);
      assert.deepEqual(stats, { manifests: 2, mounted: 0, uploaded: 4, present: 0 });
      await client.putManifest(name, "v1", layout.top.bytes, layout.top.mediaType);
      assert.equal((await client.headManifest(name, "v1"))?.digest, expected);
    } finally {
      client.close();
      await run("buildah", ["--storage-driver", "vfs", "manifest", "rm", list], {
        env: { ...process.env, ...storageEnv },
      });
    }
  });

  test("bad input fails before building", async () => {
    const r = await tether(
      [
        "image",
        "build",
        "--image",
        `${env.registry}/x:tag`,
        "--context",
        context,
        "--tag",
        "v1",
        "--timestamp",
        TIME,
      ],
      {
        env: cleanEnv(storageEnv),
      },
    );
    assert.equal(r.code, 1);
    assert.match(r.stderr, /give the repository only/);
    const p = await tether([
      "image",
      "build",
      "--image",
      `${env.registry}/x`,
      "--context",
      context,
      "--platform",
      "arm64",
      "--timestamp",
      TIME,
    ]);
    assert.equal(p.code, 1);
    assert.match(p.stderr, /platform "arm64" is not os\/arch/);
  });
});
