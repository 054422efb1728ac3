// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Flux variables are written ${like_this}.
// postBuild variables read as kustomize-controller reads them, end to end (`tether sync
// --once` against the local Git server and Kubernetes):
// - every line break is taken out of a value, from `substitute`, a ConfigMap or a Secret
//   (a Secret made with `--from-file` ends with one, and would otherwise break the line
//   it is substituted into);
// - a variable whose name is not a shell name (`app.name`) fails the Kustomization's
//   build, naming it, and nothing of that Kustomization is applied.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { TestRepo } from "../../helpers/git-repo.ts";
import { exists, getJson, kubectl, kubectlRun } from "../../helpers/kubectl.ts";
import { syncOnce } from "../../helpers/tether.ts";

const id = randomBytes(3).toString("hex");
const fs = `fsvals-${id}`;
const app = `vals-${id}`;
const cacheDir = join(tmpdir(), `tether-vals-cache-${id}`);
const tokenFile = join(tmpdir(), `tether-vals-token-${id}`);
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

const readyOf = async (name: string) => {
  const ks = await getJson(["kustomizations.kustomize.toolkit.fluxcd.io", name, "-n", fs]);
  return (ks.status?.conditions ?? []).find((c: { type: string }) => c.type === "Ready");
};

describe("postBuild variables as kustomize-controller reads them", { timeout: 300_000 }, () => {
  before(async () => {
    repo = await TestRepo.create("flux-substitute-values");
    await kubectl(["create", "namespace", fs]);
    await kubectl(["create", "namespace", app]);
    writeFileSync(tokenFile, "s3cr3t-token\n");
    await kubectl([
      "create",
      "secret",
      "generic",
      "api-token",
      "-n",
      fs,
      `--from-file=API_TOKEN=${tokenFile}`,
    ]);
    await kubectl([
      "create",
      "configmap",
      "cluster-vars",
      "-n",
      fs,
      "--from-literal=cluster_hosts=a.example\nb.example\n",
    ]);
    await kubectl(["create", "configmap", "dotted-vars", "-n", fs, "--from-literal=app.name=web"]);
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
  `  postBuild:
    substitute:
      banner: "line one\\nline two"
    substituteFrom:
      - {kind: Secret, name: api-token}
      - {kind: ConfigMap, name: cluster-vars}
`,
)}${kustomization(
  "dotted",
  "./dotted",
  "  postBuild:\n    substituteFrom:\n      - {kind: ConfigMap, name: dotted-vars}\n",
)}`,
      )
      .write(
        "apps/config.yaml",
        `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: client, namespace: ${app}}\ndata:\n  header: Bearer \${API_TOKEN}\n  hosts: \${cluster_hosts}\n  banner: \${banner}\n`,
      )
      .write(
        "dotted/config.yaml",
        `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: dotted, namespace: ${app}}\ndata:\n  mode: edge\n`,
      );
    await repo.push("Kustomizations with variables holding line breaks, and a dotted name");
  });
  after(async () => {
    for (const ns of [app, fs, `tether-vals-${id}`])
      await kubectlRun(["delete", "namespace", ns, "--wait=false"]);
    repo?.cleanup();
    rmSync(cacheDir, { recursive: true, force: true });
    rmSync(tokenFile, { force: true });
  });

  test("line breaks are taken out of every value; a dotted name fails its Kustomization", async () => {
    const result = await syncOnce(
      { url: repo.url, path: "clusters/staging", namespace: `tether-vals-${id}`, cacheDir },
      { exit: 1 },
    );
    const output = result.stdout + result.stderr;

    assert.equal((await readyOf("apps"))?.status, "True", output);
    const client = await getJson(["configmap", "client", "-n", app]);
    assert.deepEqual(client.data, {
      header: "Bearer s3cr3t-token",
      hosts: "a.exampleb.example",
      banner: "line oneline two",
    });

    const dotted = await readyOf("dotted");
    assert.equal(dotted?.status, "False", output);
    assert.equal(dotted?.reason, "BuildFailed");
    assert.match(dotted?.message ?? "", /'app\.name' var name is invalid/);
    assert.equal(await exists("configmap", "dotted", "-n", app), false);
    assert.doesNotMatch(output, /s3cr3t-token/);
  });
});
