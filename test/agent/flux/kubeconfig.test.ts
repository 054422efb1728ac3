// Kustomization `spec.kubeConfig` (remote clusters), end to end with `tether sync --once`:
// the "remote" cluster is the local API server reached through a kubeconfig kept in a
// Secret, whose user is a ServiceAccount token with rights in one namespace only. So an
// object the agent itself could write but that identity may not fails with Forbidden:
// what is applied and pruned went through the Secret's kubeconfig. A kubeconfig that
// would run a command or read the agent's files is refused, and nothing is applied; a
// missing Secret fails the Kustomization and prunes nothing. Steps run in order.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { parse, stringify } from "yaml";
import { remoteKubeconfig } from "../../../agent/flux/remote.ts";
import { selfContainedConnection } from "../../../shared/kube/connection.ts";
import type { KubeObject } from "../../../shared/manifests/object.ts";
import { TestRepo } from "../../helpers/git-repo.ts";
import { exists, getJson, kubectl, kubectlRun } from "../../helpers/kubectl.ts";
import { testenv } from "../../helpers/testenv.ts";
import { syncOnce } from "../../helpers/tether.ts";

const id = randomBytes(3).toString("hex");
const fs = `fskc-${id}`;
/** The remote identity may write here... */
const allowed = `rkc-${id}`;
/** ...and not here (the agent's own identity may). */
const denied = `dkc-${id}`;
const recordsNs = `tether-kc-${id}`;
const account = `remote-${id}`;
const cacheDir = join(tmpdir(), `tether-kc-cache-${id}`);
/** What the exec plugin would create if it ran. */
const marker = join(tmpdir(), `tether-kc-exec-ran-${id}`);
const KS = "kustomizations.kustomize.toolkit.fluxcd.io";
let repo: TestRepo;
let token = "";

const sync = (exit: number) =>
  syncOnce({ url: repo.url, path: "clusters/staging", namespace: recordsNs, cacheDir }, { exit });

const ks = (name: string, kubeConfig?: string) => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: ${name}, namespace: ${fs}}
spec:
  interval: 1h
  path: ./${name}
  prune: true
  sourceRef: {kind: GitRepository, name: flux-system}
${kubeConfig ? `  kubeConfig:\n    secretRef: ${kubeConfig}\n` : ""}`;

const cm = (name: string, namespace: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}, namespace: ${namespace}}\ndata: {a: b}\n`;

/** A kubeconfig for the local API server with `user` as its only user. */
function kubeconfig(user: Record<string, unknown>, cluster: Record<string, unknown> = {}): string {
  const admin = parse(readFileSync(testenv().kubeconfig, "utf8"));
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: "remote", cluster: { ...admin.clusters[0].cluster, ...cluster } }],
    users: [{ name: "remote", user }],
    contexts: [{ name: "remote", context: { cluster: "remote", user: "remote" } }],
    "current-context": "remote",
  });
}

async function secret(name: string, key: string, value: string): Promise<void> {
  await kubectl(["create", "secret", "generic", name, "-n", fs, `--from-literal=${key}=${value}`]);
}

// biome-ignore lint/suspicious/noExplicitAny: tests read whatever fields they check
const ready = async (name: string): Promise<any> =>
  ((await getJson([KS, name, "-n", fs])).status?.conditions ?? []).find(
    (c: { type: string }) => c.type === "Ready",
  );

before(async () => {
  for (const ns of [fs, allowed, denied]) await kubectl(["create", "namespace", ns]);
  await kubectl(["create", "serviceaccount", account, "-n", allowed]);
  await kubectl(["create", "role", account, "-n", allowed, "--verb=*", "--resource=configmaps"]);
  await kubectl([
    "create",
    "rolebinding",
    account,
    "-n",
    allowed,
    `--role=${account}`,
    `--serviceaccount=${allowed}:${account}`,
  ]);
  token = (await kubectl(["create", "token", account, "-n", allowed, "--duration=1h"])).trim();
  await secret("remote-kubeconfig", "value", kubeconfig({ token }));
  // The same, read from `value.yaml`.
  await secret("remote-kubeconfig-yaml", "value.yaml", kubeconfig({ token }));

  repo = await TestRepo.create("flux-kubeconfig");
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
    .write("clusters/staging/remote.yaml", ks("remote", "{name: remote-kubeconfig}"))
    .write("clusters/staging/denied.yaml", ks("denied", "{name: remote-kubeconfig-yaml}"))
    .write("clusters/staging/local.yaml", ks("local"))
    .write("remote/a.yaml", cm("remote-a", allowed))
    .write("remote/b.yaml", cm("remote-b", allowed))
    .write("remote/c.yaml", cm("remote-c", allowed))
    .write("denied/cm.yaml", cm("denied-cm", denied))
    .write("local/keep.yaml", cm("local-keep", allowed))
    .write("local/denied.yaml", cm("local-denied", denied));
});

after(async () => {
  for (const ns of [fs, allowed, denied, recordsNs])
    await kubectlRun(["delete", "namespace", ns, "--wait=false"]);
  repo?.cleanup();
  rmSync(cacheDir, { recursive: true, force: true });
  rmSync(marker, { force: true });
});

describe("Kustomization spec.kubeConfig", { timeout: 600_000 }, () => {
  test("(a) applies through the Secret's kubeconfig, as its user: Forbidden where only the agent may write", async () => {
    await repo.push("remote, denied and local Kustomizations");
    const result = await sync(1);
    for (const name of ["remote-a", "remote-b", "remote-c"])
      assert.equal(await exists("configmap", name, "-n", allowed), true, name);
    assert.equal((await ready("remote"))?.status, "True", JSON.stringify(await ready("remote")));
    // The Secret's user may not write in `denied` (key value.yaml)...
    const refused = await ready("denied");
    assert.equal(refused?.status, "False");
    assert.match(refused?.message ?? "", /forbidden/i);
    assert.match(refused?.message ?? "", new RegExp(`system:serviceaccount:${allowed}:${account}`));
    assert.equal(await exists("configmap", "denied-cm", "-n", denied), false);
    // ...where the agent's own identity may.
    assert.equal(await exists("configmap", "local-denied", "-n", denied), true);
    // The credential is nowhere in what the agent printed or wrote.
    assert.doesNotMatch(result.stdout + result.stderr, new RegExp(token.slice(-24)));
    assert.doesNotMatch(
      JSON.stringify(await getJson([KS, "-n", fs])),
      new RegExp(token.slice(-24)),
    );
  });

  test("(b) a file that leaves Git is pruned on the remote, as the remote's user", async () => {
    repo.remove("clusters/staging/denied.yaml").remove("remote/b.yaml");
    // `local` now targets the remote: its stale object is pruned there, as the Secret's
    // user, which may not delete in `denied`, so it stays (PruneFailed).
    repo.write("clusters/staging/local.yaml", ks("local", "{name: remote-kubeconfig}"));
    repo.remove("local/denied.yaml");
    await repo.push("remote-b removed; local goes remote");
    await sync(1);
    assert.equal(await exists("configmap", "remote-b", "-n", allowed), false);
    assert.equal(await exists("configmap", "remote-a", "-n", allowed), true);
    assert.equal((await ready("remote"))?.status, "True");
    const local = await ready("local");
    assert.equal(local?.reason, "PruneFailed", JSON.stringify(local));
    assert.match(local?.message ?? "", /forbidden/i);
    assert.equal(await exists("configmap", "local-denied", "-n", denied), true);
  });

  test("(c) a kubeconfig that runs a command or reads the agent's files is refused; nothing applied", async () => {
    await secret(
      "exec-kubeconfig",
      "value",
      kubeconfig({
        exec: {
          apiVersion: "client.authentication.k8s.io/v1",
          command: "sh",
          args: [
            "-c",
            `touch ${marker}; echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"${token}"}}'`,
          ],
          interactiveMode: "Never",
        },
      }),
    );
    await secret(
      "file-kubeconfig",
      "remote.yaml",
      kubeconfig(
        { token },
        { "certificate-authority-data": undefined, "certificate-authority": "/etc/hostname" },
      ),
    );
    await secret("token-file-kubeconfig", "value", kubeconfig({ tokenFile: "/etc/hostname" }));
    repo
      .write("clusters/staging/exec.yaml", ks("exec", "{name: exec-kubeconfig}"))
      .write("clusters/staging/file.yaml", ks("file", "{name: file-kubeconfig, key: remote.yaml}"))
      .write("clusters/staging/tokenfile.yaml", ks("tokenfile", "{name: token-file-kubeconfig}"))
      .write("exec/cm.yaml", cm("exec-cm", allowed))
      .write("file/cm.yaml", cm("file-cm", allowed))
      .write("tokenfile/cm.yaml", cm("tokenfile-cm", allowed));
    await repo.push("kubeconfigs with exec and files");
    await sync(1);
    const exec = await ready("exec");
    assert.equal(exec?.status, "False");
    assert.match(exec?.message ?? "", /exec/);
    assert.equal(existsSync(marker), false, "the exec plugin ran");
    const file = await ready("file");
    assert.equal(file?.status, "False");
    assert.match(file?.message ?? "", /certificate-authority/);
    const tokenFile = await ready("tokenfile");
    assert.equal(tokenFile?.status, "False");
    assert.match(tokenFile?.message ?? "", /tokenFile/);
    for (const name of ["exec-cm", "file-cm", "tokenfile-cm"])
      assert.equal(await exists("configmap", name, "-n", allowed), false, name);
  });

  test("(d) a missing Secret fails the Kustomization and prunes nothing", async () => {
    for (const name of ["exec", "file", "tokenfile"]) repo.remove(`clusters/staging/${name}.yaml`);
    repo.remove("remote/c.yaml");
    await repo.push("remote-c removed");
    await kubectl(["delete", "secret", "remote-kubeconfig", "-n", fs]);
    await sync(1);
    const remote = await ready("remote");
    assert.equal(remote?.status, "False");
    assert.match(remote?.message ?? "", new RegExp(`Secret.*${fs}/remote-kubeconfig.*not found`));
    assert.equal(await exists("configmap", "remote-c", "-n", allowed), true);
    assert.equal(await exists("configmap", "remote-a", "-n", allowed), true);
  });

  test("(e) a remote Kustomization removed from Git deletes its objects on the remote cluster", async () => {
    await secret("remote-kubeconfig", "value", kubeconfig({ token }));
    repo.remove("clusters/staging/remote.yaml");
    await repo.push("remote removed");
    const result = await sync(1);
    assert.match(
      result.stdout + result.stderr,
      /kustomization \S+\/remote deleted: 2 object\(s\) deleted on the remote cluster/,
    );
    for (const name of ["remote-a", "remote-c"])
      assert.equal(await exists("configmap", name, "-n", allowed), false, name);
  });

  test("(f) removed with its kubeconfig Secret gone: its objects are left in place", async () => {
    await kubectl(["delete", "secret", "remote-kubeconfig", "-n", fs]);
    repo.remove("clusters/staging/local.yaml");
    await repo.push("local removed");
    const result = await sync(0);
    assert.match(
      result.stdout + result.stderr,
      /kustomization \S+\/local deleted: its objects on the remote cluster are left in place: kubeconfig Secret '\S+\/remote-kubeconfig' not found/,
    );
    assert.equal(await exists("configmap", "local-keep", "-n", allowed), true);
  });
});

describe("decisions", () => {
  const config = (user: string, cluster = "certificate-authority-data: QUJD") =>
    `clusters: [{name: c, cluster: {server: "https://127.0.0.1:1/", ${cluster}}}]
users: [{name: u, user: ${user}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
`;
  test("a self-contained kubeconfig: files and plugins refused, TLS always verified", async () => {
    for (const [user, cluster, field] of [
      ["{exec: {command: sh}}", undefined, "exec"],
      ["{auth-provider: {name: gcp}}", undefined, "auth-provider"],
      ["{tokenFile: /etc/hostname}", undefined, "tokenFile"],
      ["{client-certificate: /a, client-key-data: QQ==}", undefined, "client-certificate"],
      ["{client-key: /a}", undefined, "client-key"],
      ["{token: t}", "certificate-authority: /etc/ssl/ca.pem", "certificate-authority"],
    ] as const)
      assert.throws(
        () => selfContainedConnection(config(user, cluster)),
        new RegExp(`has ${field}, which would (run a command|read a file)`),
        field,
      );
    const ok = selfContainedConnection(
      config("{token: s3cret}", "certificate-authority-data: QUJD, insecure-skip-tls-verify: true"),
    );
    assert.equal(ok.server, "https://127.0.0.1:1");
    assert.equal(await ok.authorization(), "Bearer s3cret");
    assert.equal(ok.tls.rejectUnauthorized, undefined);
    assert.equal(String(ok.tls.ca), "ABC");
    // The parser's own message would quote the text (and the token in it).
    assert.throws(
      () => selfContainedConnection("users:\n  - {token: s3cret: x: y\n"),
      (error: Error) => /not valid YAML/.test(error.message) && !/s3cret/.test(error.message),
    );
  });

  test("the Secret's key: secretRef.key, else value, else value.yaml; configMapRef refused", async () => {
    const secret = (data: Record<string, string>) => ({
      get: async () =>
        ({
          apiVersion: "v1",
          kind: "Secret",
          metadata: { name: "kc", namespace: "ns" },
          data: Object.fromEntries(
            Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString("base64")]),
          ),
        }) as KubeObject,
    });
    const ref = { secretRef: { name: "kc" } };
    assert.equal(
      (await remoteKubeconfig(secret({ value: "a", "value.yaml": "b" }), ref, "ns")).text,
      "a",
    );
    assert.equal((await remoteKubeconfig(secret({ "value.yaml": "b" }), ref, "ns")).text, "b");
    const keyed = { secretRef: { name: "kc", key: "k" } };
    assert.equal((await remoteKubeconfig(secret({ k: "c", value: "a" }), keyed, "ns")).text, "c");
    await assert.rejects(remoteKubeconfig(secret({ value: "a" }), keyed, "ns"), /has no key 'k'/);
    await assert.rejects(
      remoteKubeconfig(secret({}), ref, "ns"),
      /Secret 'ns\/kc' has no key 'value' or 'value.yaml'/,
    );
    await assert.rejects(
      remoteKubeconfig({ get: async () => undefined }, ref, "ns"),
      /kubeconfig Secret 'ns\/kc' not found/,
    );
    await assert.rejects(
      remoteKubeconfig(secret({}), { configMapRef: { name: "kc" } }, "ns"),
      /configMapRef .* is not served by Tether/,
    );
  });
});
