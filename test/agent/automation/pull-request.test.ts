// Pull-request mode against the local Git server and registry: spec.git.push.branch
// differs from the checkout branch, so updates go to that branch, rebuilt on the latest
// base at every pass, and a pull request (on a fake GitHub API on 127.0.0.1, the only
// mock: GitHub cannot run here) is opened, updated on a new tag and closed when the base
// catches up. Someone else's commit on the push branch is never overwritten.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { FakeGitHub } from "../../helpers/fake-github.ts";
import { gitEnv, TestRepo } from "../../helpers/git-repo.ts";
import { pushImage } from "../../helpers/registry.ts";
import { mustRun } from "../../helpers/run.ts";
import { testenv } from "../../helpers/testenv.ts";
import { tether } from "../../helpers/tether.ts";

const id = randomBytes(3).toString("hex");
const TOKEN = `ghp_fake${randomBytes(8).toString("hex")}`;
let repo: TestRepo;
let image: string;
let github: FakeGitHub;

const web = (tag: string) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: apps}\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: ${image}:${tag} # {"$imagepolicy": "apps:web"}\n`;

const git = (args: string[]) => mustRun("git", args, { cwd: repo.work, env: gitEnv });
const head = async (branch: string) =>
  (await mustRun("git", ["ls-remote", repo.url, `refs/heads/${branch}`])).split("\t")[0] ?? "";
/** Fetches both branches and returns `git log --format=<format> main..image-updates`. */
async function ahead(format = "%s"): Promise<string[]> {
  await git([
    "fetch",
    "-q",
    repo.url,
    "+main:refs/remotes/o/main",
    "+image-updates:refs/remotes/o/iu",
  ]);
  const out = await git(["log", `--format=${format}`, "refs/remotes/o/main..refs/remotes/o/iu"]);
  return out.trim() === "" ? [] : out.trim().split("\n");
}
const fileOn = (branch: string, path: string) =>
  git(["fetch", "-q", repo.url, `+${branch}:refs/remotes/o/${branch}`]).then(() =>
    git(["show", `refs/remotes/o/${branch}:${path}`]),
  );

const update = (pr: boolean) =>
  tether(
    [
      "images",
      "update",
      "--git-url",
      repo.url,
      "--push",
      ...(pr
        ? [
            "--pull-request",
            "github",
            "--pull-request-api",
            github.url,
            "--pull-request-repo",
            "edge/fleet",
          ]
        : []),
    ],
    { env: { GITHUB_TOKEN: TOKEN } },
  );

before(async () => {
  const env = testenv();
  image = `${env.registry}/pr-${id}`;
  for (const tag of ["1.0.0", "1.1.0"])
    await pushImage(env.registry, `pr-${id}`, { tags: [tag], index: false });
  github = await FakeGitHub.start("edge", "fleet");
  repo = await TestRepo.create("pr");
  repo.write(
    "images.yaml",
    `apiVersion: image.toolkit.fluxcd.io/v1\nkind: ImageRepository\nmetadata: {name: web, namespace: apps}\nspec: {interval: 1m, image: ${image}}\n---\napiVersion: image.toolkit.fluxcd.io/v1\nkind: ImagePolicy\nmetadata: {name: web, namespace: apps}\nspec:\n  imageRepositoryRef: {name: web}\n  policy: {semver: {range: "1.x"}}\n---\napiVersion: image.toolkit.fluxcd.io/v1\nkind: ImageUpdateAutomation\nmetadata: {name: web, namespace: apps}\nspec:\n  interval: 1m\n  sourceRef: {kind: GitRepository, name: fleet}\n  git:\n    checkout: {ref: {branch: main}}\n    commit: {author: {name: Image Bot, email: bot@edge.example}}\n    push: {branch: image-updates}\n  update: {path: ./apps}\n`,
  );
  repo.write("apps/web.yaml", web("1.0.0"));
  await repo.push("fleet with a push branch");
});

after(async () => {
  repo.cleanup();
  await github.close();
});

describe("pull-request mode (spec.git.push.branch: image-updates)", () => {
  test("update --push leaves main untouched and pushes one commit to image-updates", async () => {
    const main = await head("main");
    const result = await update(false);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /pushed [0-9a-f]{12} to image-updates/);
    assert.equal(await head("main"), main, "the checkout branch is untouched");
    assert.deepEqual(await ahead("%an <%ae>"), ["Image Bot <bot@edge.example>"]);
    assert.equal(await fileOn("image-updates", "apps/web.yaml"), web("1.1.0"));
    assert.equal(
      (await git(["rev-parse", "refs/remotes/o/iu^"])).trim(),
      main,
      "built on main's head",
    );
  });

  test("a second pass with nothing new pushes nothing", async () => {
    const before = await head("image-updates");
    const result = await update(false);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /image-updates already holds these updates/);
    assert.equal(await head("image-updates"), before);
  });

  test("when main moves, the branch is rebuilt on it: still one commit", async () => {
    repo.write("README.md", "the fleet\n");
    const main = await repo.push("someone works on main");
    const result = await update(false);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(await head("main"), main);
    assert.equal((await ahead()).length, 1);
    assert.equal((await git(["rev-parse", "refs/remotes/o/iu^"])).trim(), main);
  });

  test("a pull request is opened listing the change, and the token is never printed", async () => {
    const result = await update(true);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /pull request #1 opened/);
    const [pull] = github.open();
    assert.ok(pull);
    assert.equal(pull.head, "image-updates");
    assert.equal(pull.base, "main");
    assert.ok(
      pull.body.includes(
        `| \`apps/web.yaml\` | \`${image}:1.0.0\` → \`${image}:1.1.0\` | \`apps:web\` |`,
      ),
      pull.body,
    );
    assert.ok(github.requests.every((r) => r.authorization === `token ${TOKEN}`));
    assert.ok(!(result.stdout + result.stderr).includes(TOKEN));
  });

  test("a new tag updates the same pull request and rebuilds the branch", async () => {
    await pushImage(testenv().registry, `pr-${id}`, { tags: ["1.2.0"], index: false });
    const result = await update(true);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /pull request #1 updated/);
    assert.equal(github.open().length, 1);
    assert.ok(github.open()[0]?.body.includes(`→ \`${image}:1.2.0\``));
    assert.equal((await ahead()).length, 1);
    assert.equal(await fileOn("image-updates", "apps/web.yaml"), web("1.2.0"));
  });

  test("someone else's commit on the push branch is kept: updates go on top", async () => {
    await git(["fetch", "-q", repo.url, "+image-updates:refs/remotes/o/iu"]);
    await git(["checkout", "-q", "-B", "theirs", "refs/remotes/o/iu"]);
    repo.write("NOTES.md", "reviewer's note\n");
    await git(["add", "-A"]);
    await git(["commit", "-q", "-m", "reviewer adds a note"]);
    await git(["push", "-q", repo.url, "HEAD:image-updates"]);
    await git(["checkout", "-q", "main"]);
    await pushImage(testenv().registry, `pr-${id}`, { tags: ["1.3.0"], index: false });
    const result = await update(true);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /image-updates has 1 commit\(s\) by others/);
    const subjects = await ahead();
    assert.equal(subjects.length, 3);
    assert.ok(subjects.includes("reviewer adds a note"), subjects.join("\n"));
    assert.equal(await fileOn("image-updates", "apps/web.yaml"), web("1.3.0"));
  });

  test("when main catches up, the pull request is closed", async () => {
    await git(["pull", "-q", repo.url, "main"]);
    repo.write("apps/web.yaml", web("1.3.0"));
    repo.remove("NOTES.md");
    await repo.push("take 1.3.0 by hand");
    const result = await update(true);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /no changes/);
    assert.match(result.stdout, /pull request #1 closed/);
    assert.equal(github.open().length, 0);
    assert.match(github.pulls[0]?.comments[0] ?? "", /Nothing is left to update/);
  });
});
