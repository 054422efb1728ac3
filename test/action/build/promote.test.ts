// `tether image promote` as a process against the local registries: across tags and
// repositories (blobs mounted), between registries, idempotent re-runs, refused moves
// that change nothing, --force, RELEASE tags that never move, and registry auth.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { readOutputs } from "../../helpers/github-output.ts";
import {
  basic,
  dockerConfig,
  OCI_INDEX,
  OCI_MANIFEST,
  pushImage,
  type SyntheticImage,
  uniqueRepo,
} from "../../helpers/registry.ts";
import { type Testenv, testenv } from "../../helpers/testenv.ts";
import { cleanEnv, lastLine, tether } from "./cli.ts";

let env: Testenv;
let dir: string;
let repo: string;
let image: SyntheticImage;
let other: SyntheticImage;

async function head(host: string, name: string, ref: string, headers: Record<string, string> = {}) {
  const res = await fetch(`http://${host}/v2/${name}/manifests/${ref}`, {
    method: "HEAD",
    headers: { ...headers, accept: `${OCI_INDEX}, ${OCI_MANIFEST}` },
  });
  return res.status === 200 ? res.headers.get("docker-content-digest") : null;
}

const requestsOf = (stderr: string) => Number(/registry requests: (\d+)/.exec(stderr)?.[1]);

before(async () => {
  env = testenv();
  dir = mkdtempSync(join(tmpdir(), "tether-promote-"));
  repo = `${env.registry}/${uniqueRepo("promote/app")}`;
  const name = repo.slice(env.registry.length + 1);
  image = await pushImage(env.registry, name, {
    tags: ["RELEASE.2026-11-23T10-00-00Z", "dev-abc1234"],
  });
  other = await pushImage(env.registry, name, { tags: ["dev-fff0000"] });
});
after(() => rmSync(dir, { recursive: true, force: true }));

const nameOf = (ref: string) => ref.slice(ref.indexOf("/") + 1);

describe("tether image promote", () => {
  test("to another tag: exit 0, the digest on the last line, outputs written, 5 requests", async (t) => {
    const output = join(dir, "out-tag");
    writeFileSync(output, "");
    const started = Date.now();
    const r = await tether(
      [
        "image",
        "promote",
        "--image",
        repo,
        "--from",
        "dev-abc1234",
        "--to-tag",
        "stg-abc1234",
        "--insecure-registry",
        "--verbose",
      ],
      { env: cleanEnv({ GITHUB_OUTPUT: output }) },
    );
    const ms = Date.now() - started;
    assert.equal(r.code, 0, r.stderr);
    assert.equal(lastLine(r.stdout), image.digest);
    assert.equal(await head(env.registry, nameOf(repo), "stg-abc1234"), image.digest);
    // GET source (after the library's ping), HEAD target, PUT, HEAD to verify.
    assert.equal(requestsOf(r.stderr), 5, r.stderr);
    assert.match(r.stderr, /created .*stg-abc1234: 0 manifests copied, 0 blobs mounted/);
    assert.deepEqual(readOutputs(output), {
      tags: "stg-abc1234",
      digest: image.digest,
      image: `${repo}@${image.digest}`,
    });
    t.diagnostic(
      `promote to a tag: ${ms}ms wall (process start included), ${requestsOf(r.stderr)} registry requests`,
    );
  });

  test("to another repository: children and blobs mounted, none uploaded; 15 requests", async (t) => {
    const target = `${env.registry}/${uniqueRepo("promote/prd")}`;
    const r = await tether([
      "image",
      "promote",
      "--image",
      repo,
      "--from",
      "dev-abc1234",
      "--to-image",
      target,
      "--to-tag",
      "prd-abc1234",
      "--insecure-registry",
      "--verbose",
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(lastLine(r.stdout), image.digest);
    assert.match(r.stderr, /2 manifests copied, 4 blobs mounted, 0 uploaded/);
    assert.equal(await head(env.registry, nameOf(target), "prd-abc1234"), image.digest);
    for (const child of image.children)
      assert.equal(await head(env.registry, nameOf(target), child.digest), child.digest);
    // 5 as above, plus per child: HEAD, GET, 2 mounts, PUT.
    assert.equal(requestsOf(r.stderr), 15, r.stderr);
    t.diagnostic(
      `promote to another repository: ${requestsOf(r.stderr)} registry requests (${r.stderr.trim().split("\n").at(-1)})`,
    );
  });

  test("a re-run changes nothing and exits 0", async () => {
    const r = await tether([
      "image",
      "promote",
      "--image",
      repo,
      "--from",
      "dev-abc1234",
      "--to-tag",
      "stg-abc1234",
      "--insecure-registry",
      "--verbose",
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /unchanged/);
    assert.equal(requestsOf(r.stderr), 4);
  });

  test("refuses to move a tag that points elsewhere: exit 2, the tag untouched", async () => {
    const r = await tether([
      "image",
      "promote",
      "--image",
      repo,
      "--from",
      "dev-fff0000",
      "--to-tag",
      "stg-abc1234",
      "--insecure-registry",
    ]);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, "");
    assert.match(
      r.stderr,
      /^refused: .*stg-abc1234 points at sha256:\w+, not sha256:\w+; pass --force to move it/,
    );
    assert.equal(await head(env.registry, nameOf(repo), "stg-abc1234"), image.digest);
  });

  test("--force moves an environment tag", async () => {
    const r = await tether([
      "image",
      "promote",
      "--image",
      repo,
      "--from",
      "dev-fff0000",
      "--to-tag",
      "stg-abc1234",
      "--force",
      "--insecure-registry",
      "--verbose",
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /moved/);
    assert.equal(await head(env.registry, nameOf(repo), "stg-abc1234"), other.digest);
  });

  test("never moves a RELEASE tag, even with --force", async () => {
    const r = await tether([
      "image",
      "promote",
      "--image",
      repo,
      "--from",
      "dev-fff0000",
      "--to-tag",
      "RELEASE.2026-11-23T10-00-00Z",
      "--force",
      "--insecure-registry",
    ]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /RELEASE\.\* tags are never moved/);
    assert.equal(
      await head(env.registry, nameOf(repo), "RELEASE.2026-11-23T10-00-00Z"),
      image.digest,
    );
  });

  test("by digest, and a missing source is a clear error", async () => {
    const ok = await tether([
      "image",
      "promote",
      "--image",
      repo,
      "--from",
      image.digest,
      "--to-tag",
      "qa-abc1234",
      "--insecure-registry",
    ]);
    assert.equal(ok.code, 0, ok.stderr);
    const missing = await tether([
      "image",
      "promote",
      "--image",
      repo,
      "--from",
      "dev-0000000",
      "--to-tag",
      "x",
      "--insecure-registry",
    ]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^error: .*:dev-0000000 does not exist: check --image and --from/);
  });

  test("in the registry with auth, credentials from DOCKER_CONFIG; between registries the bytes stream", async () => {
    const auth = { authorization: basic(env.registryUser, env.registryPassword) };
    const docker = dockerConfig(dir, {
      [env.registryAuth]: [env.registryUser, env.registryPassword],
    });
    const privateRepo = `${env.registryAuth}/${uniqueRepo("promote/private")}`;
    const pushed = await pushImage(env.registryAuth, nameOf(privateRepo), {
      tags: ["dev-1234567"],
      headers: auth,
    });
    const withConfig = cleanEnv({ DOCKER_CONFIG: docker });
    const r = await tether(
      [
        "image",
        "promote",
        "--image",
        privateRepo,
        "--from",
        "dev-1234567",
        "--to-tag",
        "stg-1234567",
        "--insecure-registry",
        "--verbose",
      ],
      { env: withConfig },
    );
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      await head(env.registryAuth, nameOf(privateRepo), "stg-1234567", auth),
      pushed.digest,
    );

    // Open registry → registry with auth: no mount possible, the blobs are streamed.
    const crossTarget = `${env.registryAuth}/${uniqueRepo("promote/cross")}`;
    const cross = await tether(
      [
        "image",
        "promote",
        "--image",
        repo,
        "--from",
        "dev-abc1234",
        "--to-image",
        crossTarget,
        "--to-tag",
        "prd-abc1234",
        "--insecure-registry",
        "--verbose",
      ],
      { env: withConfig },
    );
    assert.equal(cross.code, 0, cross.stderr);
    assert.match(cross.stderr, /2 manifests copied, 0 blobs mounted, 4 uploaded/);
    assert.equal(
      await head(env.registryAuth, nameOf(crossTarget), "prd-abc1234", auth),
      image.digest,
    );

    const anonymous = await tether([
      "image",
      "promote",
      "--image",
      privateRepo,
      "--from",
      "dev-1234567",
      "--to-tag",
      "x",
      "--insecure-registry",
    ]);
    assert.equal(anonymous.code, 1);
    assert.match(anonymous.stderr, /needs credentials .* and none were given/);

    const fromEnv = await tether(
      [
        "image",
        "promote",
        "--image",
        privateRepo,
        "--from",
        "dev-1234567",
        "--to-tag",
        "qa-1234567",
        "--insecure-registry",
      ],
      {
        env: cleanEnv({
          TETHER_REGISTRY_USERNAME: env.registryUser,
          TETHER_REGISTRY_PASSWORD: env.registryPassword,
        }),
      },
    );
    assert.equal(fromEnv.code, 0, fromEnv.stderr);
    assert.doesNotMatch(fromEnv.stdout + fromEnv.stderr, new RegExp(env.registryPassword));
  });
});
