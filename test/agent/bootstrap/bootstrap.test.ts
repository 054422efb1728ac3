// `tether bootstrap`, `identity` and `uninstall` against the local Git servers (HTTP and
// SSH) and the real API server. kwok runs no containers, so the agent's pod never runs:
// the agent runs here as a process with a token of the ServiceAccount bootstrap
// installed and the credentials of the Secret it wrote, exactly what the pod would
// have. Each scenario uses its own namespace (--namespace), so the agents other test
// files install in tether-system are never touched; for the same reason uninstall
// runs with --keep-crds here (Flux's CRDs are shared by every test file), and the CRD
// step is tested on CRDs of its own.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, describe, test } from "node:test";
import { parse, stringify } from "yaml";
import { removeInstalledCrds } from "../../../agent/bootstrap/uninstall.ts";
import { UNIT_LABEL } from "../../../agent/defaults.ts";
import { KubeClient } from "../../../shared/kube/client.ts";
import { AgentProcess, waitFor } from "../../helpers/agent.ts";
import { chartsAuthSecret } from "../../helpers/charts.ts";
import { gitEnv, TestRepo } from "../../helpers/git-repo.ts";
import { exists, getJson, kubectl, kubectlRun } from "../../helpers/kubectl.ts";
import { mustRun } from "../../helpers/run.ts";
import { chartsEnv, testenv } from "../../helpers/testenv.ts";
import { tether } from "../../helpers/tether.ts";

const id = randomBytes(3).toString("hex");
const git = (dir: string, args: string[]) => mustRun("git", ["-C", dir, ...args], { env: gitEnv });

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), "tether-bootstrap-test-"));
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** Every object bootstrap creates, by `kubectl get` arguments. */
function installed(ns: string): string[][] {
  return [
    ["namespace", ns],
    ["secret", "tether-git", "-n", ns],
    ["serviceaccount", "tether-agent", "-n", ns],
    ["role", "tether-agent-records", "-n", ns],
    ["rolebinding", "tether-agent-records", "-n", ns],
    ["clusterrole", `tether-agent-apply-${ns}`],
    ["clusterrolebinding", `tether-agent-apply-${ns}`],
    ["deployment", "tether-agent", "-n", ns],
  ];
}

async function resourceVersions(ns: string): Promise<string[]> {
  const versions = [];
  for (const args of installed(ns))
    versions.push(`${args.join(" ")}=${(await getJson(args)).metadata.resourceVersion}`);
  const configMaps = await getJson([
    "configmap",
    "-n",
    ns,
    "-l",
    "app.kubernetes.io/part-of=tether",
  ]);
  for (const cm of configMaps.items)
    versions.push(`${cm.metadata.name}=${cm.metadata.resourceVersion}`);
  return versions;
}

/** The Secret's keys, decoded. */
async function secretData(ns: string): Promise<Record<string, string>> {
  const secret = await getJson(["secret", "tether-git", "-n", ns]);
  return Object.fromEntries(
    Object.entries(secret.data as Record<string, string>).map(([k, v]) => [
      k,
      Buffer.from(v, "base64").toString("utf8"),
    ]),
  );
}

const bareRepo = (repo: TestRepo) => join(testenv().gitRoot, `${repo.name}.git`);
const commits = async (repo: TestRepo) =>
  (await git(bareRepo(repo), ["rev-list", "main"])).trim().split("\n");

describe("bootstrap with a token, re-run, upgrade, uninstall keeping workloads", () => {
  const ns = `bs-${id}`;
  const appNs = `bs-app-${id}`;
  const kept = `bs-kept-${id}`;
  let repo: TestRepo;
  let agent: AgentProcess | undefined;
  const tokenEnv = () => ({
    TETHER_GIT_USERNAME: testenv().gitUser,
    TETHER_GIT_PASSWORD: testenv().gitPassword,
  });
  const bootstrapArgs = () => [
    "bootstrap",
    "--git-url",
    repo.plainUrl,
    "--git-branch",
    "main",
    "--path",
    "clusters/edge-1",
    "--token-auth",
    "--namespace",
    ns,
  ];

  before(async () => {
    repo = await TestRepo.create("bootstrap");
    repo.write(
      "clusters/edge-1/apps/app.yaml",
      `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${appNs}}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: app, namespace: ${appNs}}\ndata: {id: "${id}"}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${kept}, namespace: default}\ndata: {id: "${id}"}\n`,
    );
    await repo.push("workloads");
  });
  after(async () => {
    agent?.kill();
    repo.cleanup();
    for (const args of [
      ["namespace", ns],
      ["namespace", appNs],
      ["configmap", kept, "-n", "default"],
      ["clusterrole", `tether-agent-apply-${ns}`],
      ["clusterrolebinding", `tether-agent-apply-${ns}`],
      ["clusterrole", `tether-agent-apply-all-${ns}`],
      ["clusterrole", `tether-agent-own-${ns}`],
      ["clusterrolebinding", `tether-agent-own-${ns}`],
    ])
      await kubectlRun(["delete", ...args, "--wait=false"]);
  });

  test("commits clusters/edge-1/tether-system and creates the namespace, the Deployment and the Git Secret", async () => {
    const result = await tether([...bootstrapArgs(), "--sync-timeout", "0s"], { env: tokenEnv() });
    assert.equal(result.code, 0, result.stderr + result.stdout);
    assert.equal((await commits(repo)).length, 2);
    const files = (
      await git(bareRepo(repo), [
        "ls-tree",
        "--name-only",
        "main",
        "clusters/edge-1/tether-system/",
      ])
    )
      .trim()
      .split("\n")
      .sort();
    assert.deepEqual(
      files.map((f) => f.split("/").pop()),
      ["config.yaml", "deployment.yaml", "kustomization.yaml", "namespace.yaml", "rbac.yaml"],
    );
    for (const args of installed(ns)) assert.ok(await exists(...args), args.join(" "));
    const deployment = await getJson(["deployment", "tether-agent", "-n", ns]);
    assert.equal(
      deployment.spec.template.spec.containers[0].image,
      "ghcr.io/tether-gitops/tether-agent:0.1.0",
    );
    assert.deepEqual(await secretData(ns), {
      username: testenv().gitUser,
      password: testenv().gitPassword,
    });
    assert.match(
      result.stdout,
      /committed clusters\/edge-1\/tether-system to main at [0-9a-f]{12}/,
    );
    assert.match(result.stdout, /agent: 1 of 1 replicas ready/);
    // No agent process runs yet, so no record of the commit can appear.
    assert.match(result.stdout, /warning: the agent is ready but has not recorded a sync/);
    assert.ok(!(result.stdout + result.stderr).includes(testenv().gitPassword));
  });

  test("a second run changes nothing: no commit, no object written", async () => {
    const head = await commits(repo);
    const before = await resourceVersions(ns);
    const result = await tether([...bootstrapArgs(), "--sync-timeout", "0s"], { env: tokenEnv() });
    assert.equal(result.code, 0, result.stderr + result.stdout);
    assert.deepEqual(await commits(repo), head);
    assert.deepEqual(await resourceVersions(ns), before);
    assert.match(result.stdout, /is up to date on main at [0-9a-f]{12}: no commit/);
    assert.doesNotMatch(result.stdout, / (created|configured)\b/);
  });

  test("the agent, with the installed ServiceAccount's token and the Secret's credentials, syncs the cluster folder", async () => {
    // What the pod would mount: the Secret as files, the committed config.
    const secretDir = join(dir, "git-secret");
    await mustRun("mkdir", ["-p", secretDir]);
    for (const [key, value] of Object.entries(await secretData(ns)))
      writeFileSync(join(secretDir, key), value);
    const committed = parse(
      await git(bareRepo(repo), ["show", "main:clusters/edge-1/tether-system/config.yaml"]),
    );
    assert.equal(committed.git.url, repo.plainUrl);
    const config = join(dir, "config.yaml");
    writeFileSync(
      config,
      stringify({ ...committed, interval: "2s", git: { ...committed.git, secretDir } }),
    );
    const token = (
      await kubectl(["create", "token", "tether-agent", "-n", ns, "--duration=1h"])
    ).trim();
    const admin = parse(readFileSync(testenv().kubeconfig, "utf8"));
    const saKubeconfig = join(dir, "agent.kubeconfig");
    writeFileSync(
      saKubeconfig,
      stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: admin.clusters,
        users: [{ name: "agent", user: { token } }],
        contexts: [{ name: "agent", context: { cluster: admin.clusters[0].name, user: "agent" } }],
        "current-context": "agent",
      }),
    );
    agent = await AgentProcess.start(config, ["--cache-dir", join(dir, "cache")], {
      KUBECONFIG: saKubeconfig,
    });
    const record = await waitFor("the agent's record of unit tether-system", async () => {
      const cm = await getJson(["configmap", "tether-unit-tether-system", "-n", ns]);
      const status = JSON.parse(cm.data.status);
      return status.result === "Succeeded" ? status : undefined;
    });
    assert.equal(record.path, "clusters/edge-1");
    const cm = await getJson(["configmap", kept, "-n", "default"]);
    assert.equal(cm.metadata.labels[UNIT_LABEL], "tether-system");
    assert.ok(await exists("configmap", "app", "-n", appNs));
    // The agent found its own install as bootstrap left it.
    assert.doesNotMatch(agent.output, /Deployment\/[^ ]+\/tether-agent configured/);
  });

  test("upgrade: a newer --image is a new commit, a new Deployment image, and bootstrap waits for the agent's sync of it", async () => {
    const head = await commits(repo);
    const image = "registry.example/tether-agent:0.2.0";
    const result = await tether([...bootstrapArgs(), "--image", image, "--sync-timeout", "60s"], {
      env: tokenEnv(),
    });
    assert.equal(result.code, 0, result.stderr + result.stdout);
    const now = await commits(repo);
    assert.equal(now.length, head.length + 1);
    const diff = await git(bareRepo(repo), ["diff", "--stat", `${now[1]}`, `${now[0]}`]);
    assert.match(diff, /tether-system\/deployment\.yaml \| 2 \+-/);
    assert.match(diff, /1 file changed/);
    const deployment = await getJson(["deployment", "tether-agent", "-n", ns]);
    assert.equal(deployment.spec.template.spec.containers[0].image, image);
    assert.match(result.stdout, /Deployment\/[^ ]+\/tether-agent configured/);
    assert.match(
      result.stdout,
      new RegExp(`agent: synced clusters/edge-1 at ${(now[0] as string).slice(0, 12)}`),
    );
  });

  test("identity says that a token Secret holds no deploy key", async () => {
    const result = await tether(["identity", "--namespace", ns]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /holds a token, not an SSH key/);
  });

  test("uninstall outside a terminal without --yes is refused (exit 2) and changes nothing", async () => {
    agent?.kill("SIGTERM");
    await agent?.exited;
    const result = await tether(["uninstall", "--namespace", ns]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /refused: .*pass --yes when not in a terminal/);
    assert.ok(await exists("deployment", "tether-agent", "-n", ns));
  });

  test("uninstall --yes removes the agent, its namespace and RBAC, and keeps the workloads without Tether's labels", async () => {
    const result = await tether(["uninstall", "--yes", "--keep-crds", "--namespace", ns]);
    assert.equal(result.code, 0, result.stderr + result.stdout);
    assert.ok(!(await exists("deployment", "tether-agent", "-n", ns)));
    assert.ok(!(await exists("namespace", ns)));
    assert.ok(!(await exists("clusterrole", `tether-agent-apply-${ns}`)));
    assert.ok(!(await exists("clusterrolebinding", `tether-agent-apply-${ns}`)));
    const cm = await getJson(["configmap", kept, "-n", "default"]);
    assert.equal(cm.metadata.labels?.[UNIT_LABEL], undefined);
    assert.equal(cm.metadata.labels?.["app.kubernetes.io/managed-by"], undefined);
    const app = await getJson(["namespace", appNs]);
    assert.equal(app.metadata.labels?.[UNIT_LABEL], undefined);
    assert.ok(await exists("configmap", "app", "-n", appNs));
    assert.match(
      result.stdout,
      /kept 3 workload object\(s\) the agent applied, and removed Tether's labels/,
    );
    assert.match(result.stdout, new RegExp(`ConfigMap/default/${kept}`));
  });
});

describe("bootstrap with a deploy key over SSH, identity, uninstall pruning workloads", () => {
  const ns = `bs-ssh-${id}`;
  const appNs = `bs-ssh-app-${id}`;
  // A namespace of the user's (not applied by the agent) where a HelmRelease of the
  // agent's installs a release: only `helm uninstall` removes what the chart made there.
  const releaseNs = `bs-ssh-rel-${id}`;
  let repo: TestRepo;
  const sshUrl = () => `${testenv().gitSshUrl}/${repo.name}.git`;
  const authorizedKeys = () => join(dirname(testenv().gitSshKnownHosts), "authorized_keys");
  let authorizedBefore = "";
  const bootstrapArgs = () => [
    "bootstrap",
    "--git-url",
    sshUrl(),
    "--path",
    "clusters/edge-2",
    "--ssh",
    "--private-key-file",
    testenv().gitSshKey,
    "--known-hosts",
    testenv().gitSshKnownHosts,
    "--namespace",
    ns,
    "--no-wait",
  ];

  before(async () => {
    authorizedBefore = readFileSync(authorizedKeys(), "utf8");
    repo = await TestRepo.create("bootstrap-ssh");
    repo.write(
      "clusters/edge-2/apps/app.yaml",
      `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${appNs}}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: app, namespace: ${appNs}}\ndata: {id: "${id}"}\n`,
    );
    const charts = chartsEnv();
    await kubectl(["create", "namespace", releaseNs]);
    await chartsAuthSecret(releaseNs);
    repo.write(
      "clusters/edge-2/apps/release.yaml",
      `apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata: {name: charts, namespace: ${releaseNs}}
spec: {interval: 10m, url: "${charts.url}", secretRef: {name: charts-auth}}
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: demo, namespace: ${releaseNs}}
spec:
  interval: 10m
  chart:
    spec: {chart: app-demo, version: "0.1.x", sourceRef: {kind: HelmRepository, name: charts}}
  values: {message: "${id}"}
`,
    );
    await repo.push("workloads");
  });
  after(async () => {
    writeFileSync(authorizedKeys(), authorizedBefore);
    repo.cleanup();
    for (const args of [
      ["namespace", ns],
      ["namespace", appNs],
      ["namespace", releaseNs],
      ["clusterrole", `tether-agent-apply-${ns}`],
      ["clusterrolebinding", `tether-agent-apply-${ns}`],
      ["clusterrole", `tether-agent-apply-all-${ns}`],
      ["clusterrole", `tether-agent-own-${ns}`],
      ["clusterrolebinding", `tether-agent-own-${ns}`],
    ])
      await kubectlRun(["delete", ...args, "--wait=false"]);
  });

  test("generates an ed25519 deploy key, stores it as the agent's Secret and prints it; identity prints it again", async () => {
    const result = await tether(bootstrapArgs());
    assert.equal(result.code, 0, result.stderr + result.stdout);
    const printed = /deploy key \(give it read access to [^)]*\): (ssh-ed25519 \S+ \S+)/.exec(
      result.stdout,
    )?.[1];
    assert.ok(printed, result.stdout);
    const data = await secretData(ns);
    assert.deepEqual(Object.keys(data).sort(), ["identity", "identity.pub", "known_hosts"]);
    assert.equal(data["identity.pub"]?.trim(), printed);
    assert.equal(data.known_hosts, readFileSync(testenv().gitSshKnownHosts, "utf8"));
    assert.match(data.identity ?? "", /^-----BEGIN OPENSSH PRIVATE KEY-----\n/);

    const identity = await tether(["identity", "--namespace", ns]);
    assert.equal(identity.code, 0, identity.stderr);
    assert.equal(identity.stdout.trim(), printed);

    // ssh-keygen reads the private key and derives the same public key.
    const keyFile = join(dir, "deploy-key");
    writeFileSync(keyFile, data.identity ?? "", { mode: 0o600 });
    const derived = await mustRun("ssh-keygen", ["-y", "-f", keyFile]);
    assert.equal(
      derived.trim().split(" ").slice(0, 2).join(" "),
      printed.split(" ").slice(0, 2).join(" "),
    );

    // Once added to the server (a deploy key), the agent's key reads the repository.
    writeFileSync(authorizedKeys(), `${authorizedBefore}${printed}\n`);
    const knownHosts = join(dir, "known_hosts");
    writeFileSync(knownHosts, data.known_hosts ?? "");
    const heads = await mustRun("git", ["ls-remote", sshUrl(), "refs/heads/main"], {
      env: {
        ...gitEnv,
        GIT_SSH_COMMAND: `ssh -F /dev/null -o IdentitiesOnly=yes -i ${keyFile} -o UserKnownHostsFile=${knownHosts} -o StrictHostKeyChecking=yes -o BatchMode=yes`,
      },
    });
    assert.match(heads, /^[0-9a-f]{40}\trefs\/heads\/main/);
  });

  test("a second run keeps the key: no commit, the same Secret", async () => {
    const head = await commits(repo);
    const secret = await getJson(["secret", "tether-git", "-n", ns]);
    const result = await tether(bootstrapArgs());
    assert.equal(result.code, 0, result.stderr + result.stdout);
    assert.deepEqual(await commits(repo), head);
    const again = await getJson(["secret", "tether-git", "-n", ns]);
    assert.equal(again.metadata.resourceVersion, secret.metadata.resourceVersion);
  });

  test("uninstall --yes --prune-workloads uninstalls the Helm releases and deletes what the agent applied", async () => {
    // One pass of the agent's configuration, as the agent would run it, applies the
    // workloads and writes the unit's record in the agent's namespace.
    const committed = parse(
      await git(bareRepo(repo), ["show", "main:clusters/edge-2/tether-system/config.yaml"]),
    );
    const config = join(dir, "ssh-config.yaml");
    writeFileSync(config, stringify({ ...committed, git: { url: repo.url, branch: "main" } }));
    const sync = await tether([
      "sync",
      "--once",
      "--config",
      config,
      "--cache-dir",
      join(dir, "cache2"),
    ]);
    assert.equal(sync.code, 0, sync.stderr + sync.stdout);
    assert.ok(await exists("configmap", "app", "-n", appNs));
    assert.ok(await exists("configmap", "demo-config", "-n", releaseNs), sync.stdout);
    const helmSecrets = ["secret", "-n", releaseNs, "-l", "owner=helm,name=demo", "-o", "name"];
    assert.match(await kubectl(["get", ...helmSecrets]), /sh\.helm\.release\.v1\.demo\.v1/);

    const result = await tether([
      "uninstall",
      "--yes",
      "--prune-workloads",
      "--keep-crds",
      "--namespace",
      ns,
    ]);
    assert.equal(result.code, 0, result.stderr + result.stdout);
    assert.match(result.stdout, new RegExp(`deleted ConfigMap/${appNs}/app`));
    assert.match(result.stdout, new RegExp(`deleted Namespace/${appNs}`));
    assert.match(
      result.stdout,
      new RegExp(`HelmRelease/${releaseNs}/demo: release ${releaseNs}/demo uninstalled`),
    );
    // What the chart made, and Helm's record of the release, are gone; the namespace the
    // agent did not apply stays.
    assert.ok(!(await exists("configmap", "demo-config", "-n", releaseNs)));
    assert.ok(!(await exists("deployment", "demo", "-n", releaseNs)));
    assert.equal((await kubectl(["get", ...helmSecrets])).trim(), "");
    assert.ok(!(await exists("helmreleases.helm.toolkit.fluxcd.io", "demo", "-n", releaseNs)));
    assert.ok(await exists("namespace", releaseNs));
    assert.ok(!(await exists("namespace", ns)));
    await waitFor("the workload namespace to go", async () =>
      (await exists("namespace", appNs)) ? undefined : true,
    );
  });
});

describe("uninstall's CRD step", () => {
  const group = `bs${id}.tether.test`;
  const crd = (kind: string) => ({
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: {
      name: `${kind.toLowerCase()}s.${group}`,
      labels: { "app.kubernetes.io/managed-by": "tether" },
    },
    spec: {
      group,
      scope: "Namespaced",
      names: {
        kind,
        plural: `${kind.toLowerCase()}s`,
        singular: kind.toLowerCase(),
        listKind: `${kind}List`,
      },
      versions: [
        {
          name: "v1",
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
          },
        },
      ],
    },
  });
  after(async () => {
    await kubectlRun(["delete", "crd", `useds.${group}`, `emptys.${group}`, "--wait=false"]);
  });

  test("deletes a CRD Tether installed when no object of it remains, and keeps one still in use", async () => {
    const client = await KubeClient.connect({ kubeconfig: testenv().kubeconfig });
    try {
      const used = crd("Used");
      const empty = crd("Empty");
      for (const c of [used, empty]) await kubectl(["apply", "-f", "-"], JSON.stringify(c));
      await kubectl([
        "wait",
        "--for=condition=Established",
        `crd/useds.${group}`,
        `crd/emptys.${group}`,
      ]);
      await kubectl(
        ["apply", "-f", "-"],
        JSON.stringify({
          apiVersion: `${group}/v1`,
          kind: "Used",
          metadata: { name: "one", namespace: "default" },
        }),
      );
      const lines: string[] = [];
      await removeInstalledCrds(client, [used, empty], (l) => lines.push(l));
      assert.deepEqual(lines, [
        `kept CustomResourceDefinition/useds.${group}: objects of it remain`,
        `deleted CustomResourceDefinition/emptys.${group}`,
      ]);
      assert.ok(await exists("crd", `useds.${group}`));
      await waitFor("the empty CRD to go", async () =>
        (await exists("crd", `emptys.${group}`)) ? undefined : true,
      );
    } finally {
      client.close();
    }
  });
});

describe("uninstall of an agent that never synced (no records)", () => {
  const ns = `bs-new-${id}`;
  let repo: TestRepo;
  before(async () => {
    repo = await TestRepo.create("bootstrap-new");
  });
  after(async () => {
    repo.cleanup();
    for (const args of [
      ["namespace", ns],
      ["clusterrole", `tether-agent-apply-${ns}`],
      ["clusterrolebinding", `tether-agent-apply-${ns}`],
      ["clusterrole", `tether-agent-apply-all-${ns}`],
      ["clusterrole", `tether-agent-own-${ns}`],
      ["clusterrolebinding", `tether-agent-own-${ns}`],
    ])
      await kubectlRun(["delete", ...args, "--wait=false"]);
  });

  test("bootstraps an empty repository, and uninstall still finds and removes the agent's cluster-wide RBAC", async () => {
    const result = await tether(
      ["bootstrap", "--git-url", repo.plainUrl, "--path", "clusters/new", "--token-auth"].concat([
        "--namespace",
        ns,
        "--no-wait",
      ]),
      {
        env: { TETHER_GIT_USERNAME: testenv().gitUser, TETHER_GIT_PASSWORD: testenv().gitPassword },
      },
    );
    assert.equal(result.code, 0, result.stderr + result.stdout);
    assert.equal((await commits(repo)).length, 1, "the branch starts with bootstrap's commit");
    assert.ok(await exists("clusterrolebinding", `tether-agent-apply-${ns}`));
    const removed = await tether(["uninstall", "--yes", "--keep-crds", "--namespace", ns]);
    assert.equal(removed.code, 0, removed.stderr + removed.stdout);
    assert.ok(!(await exists("clusterrolebinding", `tether-agent-apply-${ns}`)));
    for (const role of ["own", "apply", "apply-all"])
      assert.ok(!(await exists("clusterrole", `tether-agent-${role}-${ns}`)), role);
    assert.ok(!(await exists("clusterrolebinding", `tether-agent-own-${ns}`)));
    assert.ok(!(await exists("namespace", ns)));
  });
});
