// What happens to a Kustomization's objects beyond a plain apply: `spec.force`
// recreates an object whose immutable fields changed (without it the Kustomization
// fails and the object stays as it was); `spec.deletionPolicy` decides what happens to
// a Kustomization's objects once it is removed from Git; an OCIRepository (an artifact
// as `flux push artifact` writes it, pushed to the local registry) is a source. Synced with `tether sync --once` against the
// local Git server and Kubernetes. Steps run in order.
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { after, before, describe, test } from "node:test";
import { TestRepo } from "../../helpers/git-repo.ts";
import { exists, getJson, kubectlRun } from "../../helpers/kubectl.ts";
import { mustRun } from "../../helpers/run.ts";
import { testenv } from "../../helpers/testenv.ts";
import { syncOnce } from "../../helpers/tether.ts";

const id = randomBytes(3).toString("hex");
const fs = `fslc-${id}`;
const app = `lc-${id}`;
const recordsNs = `tether-lc-${id}`;
const cacheDir = join(tmpdir(), `tether-lc-cache-${id}`);
let repo: TestRepo;

const sync = (exit?: number, extra: string[] = []) =>
  syncOnce(
    { url: repo.url, path: "clusters/staging", namespace: recordsNs, cacheDir },
    { exit, extra },
  );

interface Status {
  conditions?: { type: string; status: string; reason: string; message: string }[];
}
const readyOf = async (name: string) =>
  (
    (await getJson(["kustomizations.kustomize.toolkit.fluxcd.io", name, "-n", fs])).status as Status
  )?.conditions?.find((c) => c.type === "Ready");

const ks = (name: string, extra = "") => `---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: ${name}, namespace: ${fs}}
spec:
  interval: 1h
  prune: true
  path: ./${name}
  sourceRef: {kind: GitRepository, name: flux-system}
${extra}`;

const immutable = (name: string, value: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}, namespace: ${app}}\nimmutable: true\ndata: {value: ${value}}\n`;

before(async () => {
  repo = await TestRepo.create("flux-lc");
  repo
    .write(
      "clusters/staging/flux-system/gotk-sync.yaml",
      `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: flux-system, namespace: ${fs}}
spec: {interval: 1m, ref: {branch: main}, url: ${repo.plainUrl}}
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: flux-system, namespace: ${fs}}
spec:
  interval: 10m
  path: ./clusters/staging
  prune: true
  sourceRef: {kind: GitRepository, name: flux-system}
`,
    )
    .write(
      "clusters/staging/namespace.yaml",
      `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${app}}\n`,
    )
    .write("clusters/staging/ks.yaml", ks("forced", "  force: true\n") + ks("unforced"))
    .write(
      "clusters/staging/removed.yaml",
      ks("mirror") +
        ks("orphan", "  deletionPolicy: Orphan\n") +
        ks("kept").replace("prune: true", "prune: false") +
        ks("deleted", "  deletionPolicy: Delete\n").replace("prune: true", "prune: false"),
    )
    .write("forced/config.yaml", immutable("forced", "v1"))
    .write("unforced/config.yaml", immutable("unforced", "v1"));
  for (const name of ["mirror", "orphan", "kept", "deleted"])
    repo.write(`${name}/config.yaml`, immutable(name, "v1"));
});

after(async () => {
  for (const ns of [app, fs, recordsNs]) {
    await kubectlRun(["delete", "namespace", ns, "--wait=false"]);
  }
  repo?.cleanup();
});

describe("force", () => {
  test("an immutable field changed: recreated with force, refused without", async () => {
    await repo.push("immutable ConfigMaps");
    const first = await sync();
    assert.equal(first.code, 0, first.stdout + first.stderr);
    const before = await getJson(["configmap", "forced", "-n", app]);

    repo.write("forced/config.yaml", immutable("forced", "v2"));
    repo.write("unforced/config.yaml", immutable("unforced", "v2"));
    await repo.push("immutable data changed");
    const second = await sync();
    assert.equal(second.code, 1, second.stdout + second.stderr);
    const forced = await getJson(["configmap", "forced", "-n", app]);
    assert.equal(forced.data.value, "v2");
    assert.notEqual(forced.metadata.uid, before.metadata.uid);
    assert.equal((await readyOf("forced"))?.status, "True");
    const unforced = await readyOf("unforced");
    assert.equal(unforced?.status, "False");
    assert.match(unforced?.message ?? "", /immutable/);
    assert.equal((await getJson(["configmap", "unforced", "-n", app])).data.value, "v1");
  });
});

describe("deletionPolicy", () => {
  test("a Kustomization removed from Git: MirrorPrune follows prune, Delete deletes, Orphan leaves", async () => {
    for (const name of ["mirror", "orphan", "kept", "deleted"])
      assert.equal(await exists("configmap", name, "-n", app), true, name);
    repo.remove("clusters/staging/removed.yaml");
    await repo.push("four Kustomizations removed");
    // 1: the unforced Kustomization of the test above still fails (immutable field).
    const result = await sync(1);
    assert.match(result.stderr + result.stdout, /kustomization \S+\/mirror deleted: 1 object/);
    for (const name of ["mirror", "orphan", "kept", "deleted"])
      assert.equal(
        await exists("kustomizations.kustomize.toolkit.fluxcd.io", name, "-n", fs),
        false,
        name,
      );
    assert.equal(await exists("configmap", "mirror", "-n", app), false);
    assert.equal(await exists("configmap", "deleted", "-n", app), false);
    assert.equal(await exists("configmap", "orphan", "-n", app), true);
    assert.equal(await exists("configmap", "kept", "-n", app), true);
  });
});

describe("the delete budget", () => {
  test("a Kustomization removed from Git counts with what it deletes: past the budget nothing goes until confirmed", async () => {
    const names = Array.from({ length: 12 }, (_, i) => `big-${i}`);
    repo.write("clusters/staging/big.yaml", ks("big"));
    repo.write(
      "big/config.yaml",
      names
        .map((n) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${n}, namespace: ${app}}\n`)
        .join("---\n"),
    );
    await repo.push("a Kustomization of 12 ConfigMaps");
    await sync(1); // the unforced Kustomization still fails
    assert.equal(await exists("configmap", "big-0", "-n", app), true);
    // One file of the unit goes, and with its Kustomization twelve objects would: more
    // than half of what the unit owns through its Kustomizations.
    repo.remove("clusters/staging/big.yaml");
    await repo.push("the Kustomization removed");
    const refused = await sync(1);
    assert.match(
      refused.stdout,
      /would prune 13 of \d+ objects \(12 of them through the Flux Kustomizations it would delete\), more than the delete budget of 50%: nothing pruned/,
    );
    assert.equal(await exists("kustomizations.kustomize.toolkit.fluxcd.io", "big", "-n", fs), true);
    for (const name of names) assert.equal(await exists("configmap", name, "-n", app), true, name);
    // Confirmed: the Kustomization goes, and its objects with it (MirrorPrune).
    const confirmed = await sync(1, ["--confirm-prune"]);
    assert.match(confirmed.stdout + confirmed.stderr, /kustomization \S+\/big deleted: 12 object/);
    for (const name of names) assert.equal(await exists("configmap", name, "-n", app), false, name);
  });

  test("a Kustomization whose build lost most of its objects prunes nothing until the revision is confirmed on it", async () => {
    const cm = (n: string) =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${n}, namespace: ${app}}\n`;
    repo.write("clusters/staging/shrink.yaml", ks("shrink"));
    repo.write("shrink/config.yaml", ["s-0", "s-1", "s-2", "s-3"].map(cm).join("---\n"));
    await repo.push("a Kustomization of 4 ConfigMaps");
    await sync(1);
    // A base dropped by mistake: 3 of its 4 objects would go.
    repo.write("shrink/config.yaml", cm("s-0"));
    const sha = await repo.push("3 of 4 ConfigMaps removed");
    const refused = await sync(1);
    assert.match(refused.stdout + refused.stderr, /shrink/);
    const ready = await readyOf("shrink");
    assert.equal(ready?.reason, "PruneFailed");
    assert.match(
      ready?.message ?? "",
      new RegExp(
        `would prune 3 of 4 objects, more than the delete budget of 50%: nothing pruned\\. Confirm this revision with the annotation tether\\.dev/confirm-prune=<revision> on Kustomization ${fs}/shrink`,
      ),
    );
    for (const n of ["s-1", "s-2", "s-3"])
      assert.equal(await exists("configmap", n, "-n", app), true);
    // Still owned: the next pass, once confirmed on the Kustomization, prunes them.
    await kubectlRun([
      "annotate",
      "kustomizations.kustomize.toolkit.fluxcd.io",
      "-n",
      fs,
      "shrink",
      `tether.dev/confirm-prune=${sha.slice(0, 7)}`,
    ]);
    await sync(1);
    assert.equal((await readyOf("shrink"))?.status, "True");
    for (const n of ["s-1", "s-2", "s-3"])
      assert.equal(await exists("configmap", n, "-n", app), false);
    assert.equal(await exists("configmap", "s-0", "-n", app), true);
  });
});

/** Pushes `files` as `flux push artifact` does: a tar.gz layer and an empty JSON config. */
async function pushFluxArtifact(repository: string, tag: string, files: Record<string, string>) {
  const dir = join(cacheDir, `artifact-${randomBytes(3).toString("hex")}`);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  await mustRun("tar", ["-czf", `${dir}.tgz`, "-C", dir, "."]);
  const layer = readFileSync(`${dir}.tgz`);
  const config = Buffer.from("{}");
  const digest = (b: Buffer) => `sha256:${createHash("sha256").update(b).digest("hex")}`;
  const { RegistryClient } = await import("../../../shared/registry/client.ts");
  const client = new RegistryClient({ registry: testenv().registry, insecure: true });
  try {
    const blobs = [
      { bytes: config, mediaType: "application/vnd.cncf.flux.config.v1+json" },
      { bytes: layer, mediaType: "application/vnd.cncf.flux.content.v1.tar+gzip" },
    ];
    for (const b of blobs) {
      await client.uploadBlob(
        repository,
        { digest: digest(b.bytes), size: b.bytes.length, mediaType: b.mediaType },
        async () => Readable.from([b.bytes]),
      );
    }
    const [c, l] = blobs.map((b) => ({
      mediaType: b.mediaType,
      digest: digest(b.bytes),
      size: b.bytes.length,
    }));
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: "application/vnd.oci.image.manifest.v1+json",
        config: c,
        layers: [l],
      }),
    );
    return await client.putManifest(
      repository,
      tag,
      manifest,
      "application/vnd.oci.image.manifest.v1+json",
    );
  } finally {
    client.close();
  }
}

describe("an OCIRepository source", () => {
  test("a Kustomization applies the folder of an artifact pushed as `flux push artifact` does", async () => {
    const repository = `flux-lc-${id}/manifests`;
    const digest = await pushFluxArtifact(repository, "v1", {
      "deploy/config.yaml": immutable("from-oci", "oci-v1"),
    });
    repo.write(
      "clusters/staging/oci.yaml",
      `apiVersion: source.toolkit.fluxcd.io/v1
kind: OCIRepository
metadata: {name: manifests, namespace: ${fs}}
spec:
  interval: 5m
  url: oci://${testenv().registry}/${repository}
  insecure: true
  ref: {tag: v1}
${ks("from-oci").replace("path: ./from-oci", "path: ./deploy").replace("kind: GitRepository, name: flux-system", "kind: OCIRepository, name: manifests")}`,
    );
    await repo.push("an OCIRepository");
    await sync(1); // the unforced Kustomization still fails
    const status = (
      await getJson(["kustomizations.kustomize.toolkit.fluxcd.io", "from-oci", "-n", fs])
    ).status as Status & { lastAppliedRevision?: string };
    assert.equal(
      status.conditions?.find((c) => c.type === "Ready")?.status,
      "True",
      JSON.stringify(status),
    );
    assert.equal(status.lastAppliedRevision, `v1@${digest}`);
    assert.equal((await getJson(["configmap", "from-oci", "-n", app])).data.value, "oci-v1");
  });
});
