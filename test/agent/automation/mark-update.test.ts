// A marker added with `tether images mark` is one `tether images update` acts on, against
// the local Git server and the loopback registry: no --insecure-registry and no
// `insecure: true`, since loopback registries speak plain HTTP by default.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { gitEnv, TestRepo } from "../../helpers/git-repo.ts";
import { pushImage } from "../../helpers/registry.ts";
import { mustRun } from "../../helpers/run.ts";
import { testenv } from "../../helpers/testenv.ts";
import { tether } from "../../helpers/tether.ts";

const id = randomBytes(3).toString("hex");
let repo: TestRepo;
let image: string;

const deployment = (ref: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: apps
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: ${ref}
          ports:
            - containerPort: 8080 # http
`;

before(async () => {
  const env = testenv();
  image = `${env.registry}/mark-${id}`;
  for (const tag of ["1.0.0", "1.1.0", "2.0.0"])
    await pushImage(env.registry, `mark-${id}`, { tags: [tag], index: false });
  repo = await TestRepo.create("mark");
  repo.write(
    "images.yaml",
    `apiVersion: image.toolkit.fluxcd.io/v1\nkind: ImageRepository\nmetadata: {name: web, namespace: apps}\nspec:\n  image: ${image}\n  interval: 5m\n---\napiVersion: image.toolkit.fluxcd.io/v1\nkind: ImagePolicy\nmetadata: {name: web, namespace: apps}\nspec:\n  imageRepositoryRef: {name: web}\n  policy: {semver: {range: "1.x"}}\n`,
  );
  repo.write("apps/web.yaml", deployment(`${image}:1.0.0`));
  await repo.push("unmarked deployment");
});

after(() => repo.cleanup());

test("mark, push, update: the marked line, and only it, is updated", async () => {
  const file = join(repo.work, "apps/web.yaml");
  const marked = await tether(["images", "mark", file, "--policy", "apps:web"]);
  assert.equal(marked.code, 0, marked.stderr);
  assert.equal(marked.stdout + marked.stderr, "");
  const withMarker = deployment(`${image}:1.0.0 # {"$imagepolicy": "apps:web"}`);
  assert.equal(readFileSync(file, "utf8"), withMarker);
  await repo.push("mark the web image");

  const update = await tether(["images", "update", "--git-url", repo.url, "--push"]);
  assert.equal(update.code, 0, update.stdout + update.stderr);
  assert.match(update.stdout, /apps\/web\.yaml: \S+:1\.0\.0 -> \S+:1\.1\.0/);
  await mustRun("git", ["pull", "-q", repo.url, "main"], { cwd: repo.work, env: gitEnv });
  assert.equal(readFileSync(file, "utf8"), withMarker.replace(":1.0.0 #", ":1.1.0 #"));
});
