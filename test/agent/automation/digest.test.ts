// Digest pinning (Flux 2.6's ImagePolicy spec.digestReflectionPolicy) against the local
// registry and Git server: Never writes `image:tag`, IfNotPresent pins the digest first
// seen for a tag and keeps it when the tag moves, Always follows the tag's digest; the
// whole-image marker writes `image:tag@digest`, the `:digest` marker the digest alone.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, test } from "node:test";
import { gitEnv, TestRepo } from "../../helpers/git-repo.ts";
import { pushImage } from "../../helpers/registry.ts";
import { mustRun } from "../../helpers/run.ts";
import { testenv } from "../../helpers/testenv.ts";
import { tether } from "../../helpers/tether.ts";

const id = randomBytes(3).toString("hex");
const ZERO = `sha256:${"0".repeat(64)}`;
let repo: TestRepo;
let image: string;
let first: string;

const policy = (name: string, reflection: string) =>
  `---\napiVersion: image.toolkit.fluxcd.io/v1\nkind: ImagePolicy\nmetadata: {name: ${name}, namespace: apps}\nspec:\n  imageRepositoryRef: {name: app}\n  digestReflectionPolicy: ${reflection}\n${reflection === "Always" ? "  interval: 10m\n" : ""}  policy: {semver: {range: "1.x"}}\n`;

const pods = (never: string, ifNotPresent: string) =>
  `apiVersion: v1\nkind: Pod\nmetadata: {name: app, namespace: apps}\nspec:\n  containers:\n    - name: never\n      image: ${never} # {"$imagepolicy": "apps:never"}\n    - name: pinned\n      image: ${ifNotPresent} # {"$imagepolicy": "apps:pinned"}\n`;

const release = (tag: string, digest: string) =>
  `apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: app, namespace: apps}\nspec:\n  values:\n    image:\n      repository: ${image} # {"$imagepolicy": "apps:always:name"}\n      tag: "${tag}" # {"$imagepolicy": "apps:always:tag"}\n      digest: ${digest} # {"$imagepolicy": "apps:always:digest"}\n`;

async function remote(path: string): Promise<string> {
  await mustRun("git", ["fetch", "-q", repo.url, "+main:refs/remotes/o/main"], {
    cwd: repo.work,
    env: gitEnv,
  });
  return mustRun("git", ["show", `refs/remotes/o/main:${path}`], { cwd: repo.work, env: gitEnv });
}

const update = () => tether(["images", "update", "--git-url", repo.url, "--push"]);

before(async () => {
  const env = testenv();
  image = `${env.registry}/digest-${id}`;
  await pushImage(env.registry, `digest-${id}`, { tags: ["0.9.0"], index: false });
  first = (await pushImage(env.registry, `digest-${id}`, { tags: ["1.0.0"], index: false })).digest;
  repo = await TestRepo.create("digest");
  repo.write(
    "images.yaml",
    `apiVersion: image.toolkit.fluxcd.io/v1\nkind: ImageRepository\nmetadata: {name: app, namespace: apps}\nspec: {interval: 1m, image: ${image}}\n${policy("never", "Never")}${policy("pinned", "IfNotPresent")}${policy("always", "Always")}`,
  );
  repo.write("apps/pods.yaml", pods(`${image}:0.9.0@${ZERO}`, `${image}:0.9.0`));
  repo.write("apps/release.yaml", release("0.9.0", ZERO));
  await repo.push("three digest reflection policies");
});

after(() => repo.cleanup());

test("each digestReflectionPolicy value, before and after the tag moves", async () => {
  const result = await update();
  assert.equal(result.code, 0, result.stdout + result.stderr);
  assert.equal(
    await remote("apps/pods.yaml"),
    pods(`${image}:1.0.0`, `${image}:1.0.0@${first}`),
    "Never drops the digest; IfNotPresent pins the tag's digest",
  );
  assert.equal(await remote("apps/release.yaml"), release("1.0.0", first));

  // The tag 1.0.0 is pushed again with other content: a new digest.
  const moved = (
    await pushImage(testenv().registry, `digest-${id}`, { tags: ["1.0.0"], index: false })
  ).digest;
  assert.notEqual(moved, first);
  const again = await update();
  assert.equal(again.code, 0, again.stdout + again.stderr);
  assert.equal(
    await remote("apps/pods.yaml"),
    pods(`${image}:1.0.0`, `${image}:1.0.0@${first}`),
    "IfNotPresent keeps the digest it pinned",
  );
  assert.equal(
    await remote("apps/release.yaml"),
    release("1.0.0", moved),
    "Always follows the tag",
  );
  assert.match(again.stdout, new RegExp(`apps/release\\.yaml: ${first} -> ${moved}`));
});
