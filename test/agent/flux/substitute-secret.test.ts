// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Flux variables are written ${like_this}.
// A Flux Kustomization whose postBuild variable, from a Secret in the cluster, breaks an
// object's YAML, end to end: `tether sync --once` against the local Git server and
// Kubernetes. The Kustomization fails its build (BuildFailed); its status and the
// agent's output name the object and the variable, never the Secret's value.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { TestRepo } from "../../helpers/git-repo.ts";
import { exists, getJson, kubectl, kubectlRun } from "../../helpers/kubectl.ts";
import { tether } from "../../helpers/tether.ts";

const id = randomBytes(3).toString("hex");
const fs = `fssub-${id}`;
const app = `sub-${id}`;
const recordsNs = `tether-sub-${id}`;
const cacheDir = join(tmpdir(), `tether-sub-cache-${id}`);
const SECRET = "hunter2";
let repo: TestRepo;

const kustomization = (name: string, path: string, extra = "") => `---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: ${name}, namespace: ${fs}}
spec:
  interval: 1h
  sourceRef: {kind: GitRepository, name: flux-system}
  path: ${path}
  prune: true
${extra}`;

describe("a postBuild variable from a Secret that breaks the YAML", { timeout: 300_000 }, () => {
  before(async () => {
    repo = await TestRepo.create("flux-substitute-secret");
    await kubectl(["create", "namespace", fs]);
    await kubectl(["create", "namespace", app]);
    await kubectl([
      "create",
      "secret",
      "generic",
      "db-vars",
      "-n",
      fs,
      `--from-literal=DB_PASSWORD=${SECRET}: x`,
    ]);
    repo
      .write(
        "clusters/staging/flux-system.yaml",
        `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: flux-system, namespace: ${fs}}
spec: {interval: 1h, ref: {branch: main}, url: ${repo.plainUrl}}
${kustomization("flux-system", "./clusters/staging")}${kustomization(
  "apps",
  "./apps",
  "  postBuild:\n    substituteFrom:\n      - {kind: Secret, name: db-vars}\n",
)}`,
      )
      .write(
        "apps/config.yaml",
        `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: db-config, namespace: ${app}}\ndata:\n  dsn: postgres://app:\${DB_PASSWORD}@db/app\n`,
      );
    await repo.push("a Kustomization with variables from a Secret");
  });
  after(async () => {
    for (const ns of [app, fs, recordsNs])
      await kubectlRun(["delete", "namespace", ns, "--wait=false"]);
    repo?.cleanup();
    rmSync(cacheDir, { recursive: true, force: true });
  });

  test("BuildFailed names the object and the variable; the value is nowhere", async () => {
    const result = await tether([
      "sync",
      "--once",
      "--git-url",
      repo.url,
      "--git-branch",
      "main",
      "--git-path",
      "clusters/staging",
      "--namespace",
      recordsNs,
      "--cache-dir",
      cacheDir,
    ]);
    assert.equal(result.code, 1, result.stdout + result.stderr);
    const ks = await getJson(["kustomizations.kustomize.toolkit.fluxcd.io", "apps", "-n", fs]);
    const ready = (ks.status?.conditions ?? []).find((c: { type: string }) => c.type === "Ready");
    assert.equal(ready?.status, "False", JSON.stringify(ks.status));
    assert.equal(ready?.reason, "BuildFailed");
    assert.match(
      ready?.message ?? "",
      new RegExp(
        `ConfigMap/${app}/db-config: no longer parses as YAML after postBuild substitution .*at line \\d+, column \\d+.*DB_PASSWORD`,
      ),
    );
    assert.doesNotMatch(JSON.stringify(ks), new RegExp(SECRET));
    assert.doesNotMatch(result.stdout + result.stderr, new RegExp(SECRET));
    assert.equal(await exists("configmap", "db-config", "-n", app), false);
  });
});
