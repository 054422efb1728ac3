// Image automation end to end against the local registries and Git server: the seed
// 002 layout (RELEASE timestamp tags, alphabetical on the extracted timestamp) with the
// whole file compared byte for byte, :tag and :name markers, Flux v1 glob by creation
// time, a registry that needs auth, a push race, and a second run that commits nothing.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { commitAndPush } from "../../../agent/automation/git-writer.ts";
import { AgentProcess, waitFor } from "../../helpers/agent.ts";
import { gitEnv, TestRepo } from "../../helpers/git-repo.ts";
import { kubectl, kubectlRun } from "../../helpers/kubectl.ts";
import { basic, pushImage } from "../../helpers/registry.ts";
import { mustRun, run } from "../../helpers/run.ts";
import { testenv } from "../../helpers/testenv.ts";
import { kubectlEnv, tether } from "../../helpers/tether.ts";

const id = randomBytes(3).toString("hex");
let repo: TestRepo;
let app: string;
let web: string;
let api: string;
let privateImage: string;

const OLD = "RELEASE.2022-01-16T05-42-20Z";
const NEWEST = "RELEASE.2022-01-18T10-30-00Z";

const helmRelease = (image: string) => `---
apiVersion: helm.toolkit.fluxcd.io/v2beta1
kind: HelmRelease
metadata:
  name: app-demo
  namespace: production
spec:
  chart:
    spec:
      chart: app-demo
      sourceRef:
        kind: HelmRepository
        name: helm-charts
        namespace: production
      version: 0.0.1
  interval: 1m0s
  values:
    replicaCount: 3
    containerPort: 5000
    dockerImage: ${image}:${OLD} # {"$imagepolicy": "flux-system:app-demo"}
    namespace: "production"

    # a comment that must stay
    domain: "app-demo-cluster1.domain.tld"
    message: 'cluster1'
`;

before(async () => {
  const env = testenv();
  app = `${env.registry}/fluxappdemo-${id}`;
  web = `${env.registry}/web-${id}`;
  api = `${env.registry}/api-${id}`;
  privateImage = `${env.registryAuth}/private-${id}`;
  for (const tag of [OLD, "RELEASE.2022-01-17T09-00-00Z", NEWEST, "latest", "sha256-abc.sig"]) {
    await pushImage(env.registry, `fluxappdemo-${id}`, { tags: [tag], index: false });
  }
  for (const tag of ["v1.2.0", "v1.10.0", "v1.11.0-rc.1", "v2.0.0"]) {
    await pushImage(env.registry, `web-${id}`, { tags: [tag], index: false });
  }
  // Env-prefixed tags: the newest by creation time wins, not the greatest name.
  for (const [tag, created] of [
    ["dev-aaa1111", "2026-01-01T00:00:00Z"],
    ["dev-ccc3333", "2026-02-01T00:00:00Z"],
    ["dev-bbb2222", "2026-03-01T00:00:00Z"],
    ["prd-zzz9999", "2026-04-01T00:00:00Z"],
  ]) {
    await pushImage(env.registry, `api-${id}`, {
      tags: [tag as string],
      created: created as string,
      index: false,
    });
  }
  for (const tag of ["10", "9", "11"]) {
    await pushImage(env.registryAuth, `private-${id}`, {
      tags: [tag],
      index: false,
      headers: { authorization: basic(env.registryUser, env.registryPassword) },
    });
  }

  repo = await TestRepo.create("images");
  const m = "clusters/cluster1/manifests";
  repo.write(
    `${m}/app-demo-registry.yaml`,
    `---\napiVersion: image.toolkit.fluxcd.io/v1beta2\nkind: ImageRepository\nmetadata:\n  name: app-demo\n  namespace: flux-system\nspec:\n  image: ${app}\n  interval: 1m0s\n  insecure: true\n`,
  );
  repo.write(
    `${m}/app-demo-policy.yaml`,
    `---\napiVersion: image.toolkit.fluxcd.io/v1beta2\nkind: ImagePolicy\nmetadata:\n  name: app-demo\n  namespace: flux-system\nspec:\n  filterTags:\n    extract: $timestamp\n    pattern: ^RELEASE\\.(?P<timestamp>.*)Z$\n  imageRepositoryRef:\n    name: app-demo\n  policy:\n    alphabetical:\n      order: asc\n`,
  );
  repo.write(
    `${m}/flux-system-automation.yaml`,
    `---\napiVersion: image.toolkit.fluxcd.io/v1beta2\nkind: ImageUpdateAutomation\nmetadata:\n  name: flux-system\n  namespace: flux-system\nspec:\n  git:\n    checkout:\n      ref:\n        branch: main\n    commit:\n      author:\n        email: bot@edge.example\n        name: Edge Bot\n      messageTemplate: '{{range .Updated.Images}}{{println .}}{{end}}'\n    push:\n      branch: main\n  interval: 1m0s\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n  update:\n    path: ./clusters\n    strategy: Setters\n`,
  );
  repo.write(`${m}/helm-release.yaml`, helmRelease(app));
  // :tag and :name markers, a semver policy with v prefixes and a pre-release.
  repo.write(
    `${m}/web-policy.yaml`,
    `apiVersion: image.toolkit.fluxcd.io/v1\nkind: ImageRepository\nmetadata: {name: web, namespace: flux-system}\nspec: {interval: 1m, image: ${web}, insecure: true}\n---\napiVersion: image.toolkit.fluxcd.io/v1\nkind: ImagePolicy\nmetadata: {name: web, namespace: flux-system}\nspec:\n  imageRepositoryRef: {name: web}\n  policy: {semver: {range: ">=1.0.0 <2.0.0"}}\n`,
  );
  repo.write(
    "clusters/cluster1/apps/kustomization.yaml",
    `resources: [web.yaml]\nimages:\n  - name: web\n    newName: ${web} # {"$imagepolicy": "flux-system:web:name"}\n    newTag: "v1.2.0" # {"$imagepolicy": "flux-system:web:tag"}\n`,
  );
  // The numerical policy reads a private registry through a dockerconfigjson Secret.
  repo.write(
    `${m}/private-policy.yaml`,
    `apiVersion: image.toolkit.fluxcd.io/v1beta2\nkind: ImageRepository\nmetadata: {name: private, namespace: flux-system}\nspec:\n  interval: 1m\n  image: ${privateImage}\n  insecure: true\n  secretRef: {name: regcred-${id}}\n---\napiVersion: image.toolkit.fluxcd.io/v1beta2\nkind: ImagePolicy\nmetadata: {name: private, namespace: flux-system}\nspec:\n  imageRepositoryRef: {name: private}\n  policy: {numerical: {order: asc}}\n`,
  );
  repo.write(
    "clusters/cluster1/apps/private.yaml",
    `apiVersion: v1\nkind: Pod\nmetadata: {name: private}\nspec:\n  containers:\n    - name: c\n      image: ${privateImage}:9 # {"$imagepolicy": "flux-system:private"}\n`,
  );
  // Flux v1 annotations, as seed 004 promotes per environment.
  repo.write(
    "clusters/cluster1/apps/api.yaml",
    `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n  namespace: dev\n  annotations:\n    fluxcd.io/automated: "true"\n    fluxcd.io/tag.api: glob:dev-*\nspec:\n  selector: {matchLabels: {app: api}}\n  template:\n    metadata: {labels: {app: api}}\n    spec:\n      containers:\n        - name: api\n          image: ${api}:dev-aaa1111\n`,
  );
  await repo.push("image automation");

  await kubectlRun(["create", "namespace", "flux-system"]);
  await kubectl([
    "create",
    "secret",
    "docker-registry",
    `regcred-${id}`,
    "-n",
    "flux-system",
    `--docker-server=${env.registryAuth}`,
    `--docker-username=${env.registryUser}`,
    `--docker-password=${env.registryPassword}`,
  ]);
});

after(async () => {
  repo.cleanup();
  await kubectlRun(["delete", "secret", `regcred-${id}`, "-n", "flux-system"]);
});

async function remoteFile(path: string): Promise<string> {
  const clone = join(repo.work, `../clone-${randomBytes(3).toString("hex")}`);
  await mustRun("git", ["clone", "-q", repo.url, clone], { env: gitEnv });
  return readFileSync(join(clone, path), "utf8");
}

const remoteHead = async () =>
  (await mustRun("git", ["ls-remote", repo.url, "refs/heads/main"])).split("\t")[0];

describe("tether images update", () => {
  test("one pass updates every marker and workload, commits once and pushes", async () => {
    const result = await tether([
      "images",
      "update",
      "--git-url",
      repo.url,
      "--push",
      "--insecure-registry",
      testenv().registry,
    ]);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    const m = "clusters/cluster1/manifests";
    for (const line of [
      `${m}/helm-release.yaml: ${app}:${OLD} -> ${app}:${NEWEST}`,
      `clusters/cluster1/apps/kustomization.yaml: v1.2.0 -> v1.10.0`,
      `clusters/cluster1/apps/private.yaml: ${privateImage}:9 -> ${privateImage}:11`,
      `clusters/cluster1/apps/api.yaml: ${api}:dev-aaa1111 -> ${api}:dev-bbb2222`,
    ]) {
      assert.ok(result.stdout.includes(line), `missing "${line}" in\n${result.stdout}`);
    }
    assert.match(result.stdout, /^pushed [0-9a-f]{12}$/m);

    // Only the marked scalar changed: the rest of the file is byte for byte the same.
    assert.equal(await remoteFile(`${m}/helm-release.yaml`), helmRelease(app).replace(OLD, NEWEST));
    // The :name marker already held the right value; only the quoted tag changed.
    assert.match(
      await remoteFile("clusters/cluster1/apps/kustomization.yaml"),
      /newTag: "v1\.10\.0" # \{"\$imagepolicy": "flux-system:web:tag"\}/,
    );

    const log = await mustRun("git", ["log", "-1", "--format=%an <%ae>%n%B", "FETCH_HEAD"], {
      cwd: repo.work,
      env: gitEnv,
    }).catch(async () => {
      await mustRun("git", ["fetch", "-q", repo.url, "main"], { cwd: repo.work, env: gitEnv });
      return mustRun("git", ["log", "-1", "--format=%an <%ae>%n%B", "FETCH_HEAD"], {
        cwd: repo.work,
        env: gitEnv,
      });
    });
    assert.match(log, /^Edge Bot <bot@edge\.example>/, "author from the ImageUpdateAutomation");
    // Seed 002's messageTemplate ranges over .Updated, which Flux 2.7 removed: a clear
    // warning, and the commit is still made, with the default message.
    assert.match(
      result.stderr,
      /warning: clusters\/cluster1\/manifests\/flux-system-automation\.yaml: messageTemplate: the \.Updated template field was removed in Flux 2\.7; use \.Changed .*; the default message is used/,
    );
    assert.ok(log.includes(`\nUpdate images\n`), log);
    assert.ok(log.includes(`- ${m}/helm-release.yaml: ${app}:${OLD} -> ${app}:${NEWEST}\n`), log);
  });

  test("a second pass finds nothing to do and makes no commit", async () => {
    const head = await remoteHead();
    const result = await tether([
      "images",
      "update",
      "--git-url",
      repo.url,
      "--push",
      "--insecure-registry",
      testenv().registry,
    ]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /no changes: every image is up to date/);
    assert.equal(await remoteHead(), head);
  });

  test("images list shows each policy, its latest tag and the value in Git", async () => {
    const result = await tether([
      "images",
      "list",
      "--git-url",
      repo.url,
      "--insecure-registry",
      testenv().registry,
    ]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(
      result.stdout,
      new RegExp(
        `flux-system:app-demo\\s+${app.replaceAll(".", "\\.")}\\s+${NEWEST.replaceAll(".", "\\.")}\\s+up to date`,
      ),
    );
    assert.match(result.stdout, /Deployment\/api:api\s+\S+\s+dev-bbb2222\s+dev-bbb2222/);
  });

  test("the bundled CLI (dist/cli.js) lists the same, with no node_modules beside it", async () => {
    // The registry library needs sloppy mode and reads files at load time; the bundle
    // must still work when run from an empty folder.
    const dir = mkdtempSync(join(tmpdir(), "tether-dist-images-"));
    try {
      const cli = join(dir, "cli.js");
      // dist/cli.js and the chunks it loads (dist/chunks/).
      cpSync(fileURLToPath(new URL("../../../dist", import.meta.url)), dir, { recursive: true });
      const result = await run(
        process.execPath,
        [cli, "images", "list", "--git-url", repo.url, "--insecure-registry", testenv().registry],
        {
          cwd: dir,
          env: kubectlEnv(),
        },
      );
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /flux-system:private\s+\S+\s+11\s+up to date/);
      assert.equal(result.stderr.includes("DeprecationWarning"), false, result.stderr);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a push race is resolved by building on the other commit, losing neither", async () => {
    // Someone else pushes after our checkout and before our push.
    let raced = false;
    const result = await commitAndPush({
      spec: { url: repo.url },
      branch: "main",
      author: () => ({ name: "Racer", email: "racer@edge.example" }),
      message: () => "our change\n",
      push: true,
      plan: async (dir) => {
        if (!raced) {
          raced = true;
          repo.write("OTHER.md", "someone else's work\n");
          await mustRun("git", ["pull", "-q", "--rebase", repo.url, "main"], {
            cwd: repo.work,
            env: gitEnv,
          });
          await repo.push("someone else's commit");
        }
        const text = readFileSync(
          join(dir, "clusters/cluster1/manifests/helm-release.yaml"),
          "utf8",
        );
        return {
          files: new Map([
            [
              "clusters/cluster1/manifests/helm-release.yaml",
              text.replace("replicaCount: 3", "replicaCount: 4"),
            ],
          ]),
          changes: [{ file: "helm-release.yaml", line: 18, marker: "m", old: "3", new: "4" }],
          skipped: [],
        };
      },
    });
    assert.equal(result.pushed, true);
    assert.equal(result.attempts, 2);
    await mustRun("git", ["fetch", "-q", repo.url, "main"], { cwd: repo.work, env: gitEnv });
    const subjects = await mustRun("git", ["log", "-2", "--format=%s", "FETCH_HEAD"], {
      cwd: repo.work,
      env: gitEnv,
    });
    assert.deepEqual(subjects.trim().split("\n"), ["our change", "someone else's commit"]);
  });

  test("the agent runs image automation on its own interval and reports it in metrics", async () => {
    const env = testenv();
    const newer = "RELEASE.2022-02-01T00-00-00Z";
    await pushImage(env.registry, `fluxappdemo-${id}`, { tags: [newer], index: false });
    const dir = mkdtempSync(join(tmpdir(), "tether-images-agent-"));
    const config = join(dir, "config.yaml");
    writeFileSync(
      config,
      `namespace: tether-images-${id}\ngit: {url: "${repo.url}", branch: main, readonly: true}\ninterval: 1m\nunits: [{name: pod-${id}, path: clusters/cluster1/apps/private.yaml, targetNamespace: default}]\n`,
    );
    const agent = await AgentProcess.start(config, [
      "--cache-dir",
      join(dir, "cache"),
      "--image-automation",
      "--image-interval",
      "1m",
      "--insecure-registry",
      env.registry,
    ]);
    try {
      await waitFor("images: pushed", async () =>
        agent.output.includes("images: pushed") ? true : undefined,
      );
      assert.match(agent.output, /images: pushed [0-9a-f]{12}/, agent.output);
      assert.ok(
        (await remoteFile("clusters/cluster1/manifests/helm-release.yaml")).includes(
          `${app}:${newer}`,
        ),
      );
      const metrics = (await agent.get("/metrics")).body;
      assert.match(
        metrics,
        new RegExp(
          `tether_image_policy_info\\{policy="flux-system:app-demo",latest="${newer.replaceAll(".", "\\.")}",in_git="[^"]*:${newer.replaceAll(".", "\\.")}"\\} 1`,
        ),
      );
      assert.match(metrics, /tether_image_last_push_timestamp_seconds [1-9]\d+/);
      const status = await tether(["status", "--namespace", `tether-images-${id}`]);
      assert.equal(status.code, 0, status.stderr);
      assert.match(
        status.stdout,
        new RegExp(
          `flux-system:app-demo\\s+${newer.replaceAll(".", "\\.")}\\s+\\S+:${newer.replaceAll(".", "\\.")}`,
        ),
      );
      assert.match(status.stdout, /image automation: last run \S+, last push 20\d\d-/);
    } finally {
      agent.kill("SIGTERM");
      await agent.exited;
      rmSync(dir, { recursive: true, force: true });
      await kubectlRun(["delete", "namespace", `tether-images-${id}`, "--wait=false"]);
      await kubectlRun(["delete", "pod", "private", "-n", "default", "--wait=false"]);
    }
  });

  test("the password embedded in the URL is never printed", async () => {
    const result = await tether([
      "images",
      "update",
      "--git-url",
      repo.url,
      "--dry-run",
      "--insecure-registry",
      testenv().registry,
    ]);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.ok(!(result.stdout + result.stderr).includes(testenv().gitPassword));
    // A wrong password containing the real one: the failure names the repository, and
    // neither password.
    const wrong = new URL(repo.url);
    wrong.password = `${testenv().gitPassword}-wrong`;
    const failed = await tether(["images", "update", "--git-url", wrong.toString(), "--dry-run"]);
    assert.equal(failed.code, 1, failed.stdout + failed.stderr);
    assert.ok(failed.stderr.includes(repo.plainUrl), failed.stderr);
    assert.ok(!(failed.stdout + failed.stderr).includes(testenv().gitPassword), failed.stderr);
  });
});
