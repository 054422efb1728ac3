// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Flux variables are written ${like_this}.
// A repository shaped like Flux's canonical monorepo example (clusters/<env>/{flux-system,
// infrastructure.yaml, apps.yaml}, infrastructure/{controllers,configs}, apps/{base,<env>})
// synced with `tether sync --once` against the local Git server and Kubernetes, as a
// Flux user would point Tether at the repository they have. Steps run in order.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { TestRepo } from "../../helpers/git-repo.ts";
import { exists, getJson, kubectl, kubectlRun } from "../../helpers/kubectl.ts";
import { tether } from "../../helpers/tether.ts";

const id = randomBytes(3).toString("hex");
const fs = `fs-${id}`; // where the Flux objects live (flux-system in the example)
const infra = `infra-${id}`;
const app = `app-${id}`;
const recordsNs = `tether-flux-${id}`;
const cacheDir = join(tmpdir(), `tether-flux-cache-${id}`);
let repo: TestRepo;

function sync(extra: string[] = []) {
  return tether([
    "sync",
    "--once",
    "--git-url",
    repo.url,
    "--git-branch",
    "main",
    "--git-path",
    "clusters/staging",
    "--prune",
    "--namespace",
    recordsNs,
    "--cache-dir",
    cacheDir,
    ...extra,
  ]);
}

interface Ks {
  metadata: { name: string; namespace: string };
  status?: {
    conditions?: { type: string; status: string; reason: string; message: string }[];
    lastAppliedRevision?: string;
    lastAttemptedRevision?: string;
    observedGeneration?: number;
    inventory?: { entries: { id: string; v: string }[] };
  };
}

async function kustomizations(): Promise<Map<string, Ks>> {
  const list = (await getJson(["kustomizations.kustomize.toolkit.fluxcd.io", "-n", fs])) as {
    items: Ks[];
  };
  return new Map(list.items.map((k) => [k.metadata.name, k]));
}
const ready = (k: Ks | undefined) => k?.status?.conditions?.find((c) => c.type === "Ready");

const ks = (name: string, path: string, extra = "") => `---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: ${name}
  namespace: ${fs}
spec:
  interval: 1h
  retryInterval: 1m
  timeout: 2m
  sourceRef:
    kind: GitRepository
    name: flux-system
  path: ${path}
  prune: true
${extra}`;

const deployment = (name: string, ns: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  replicas: 1
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers: [{name: main, image: registry.invalid/${name}:1.0.0}]
`;

before(async () => {
  repo = await TestRepo.create("flux");
  repo
    .write(
      "clusters/staging/flux-system/kustomization.yaml",
      "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - gotk-components.yaml\n  - gotk-sync.yaml\n",
    )
    // Flux's controllers as bootstrap writes them: never applied by Tether.
    .write(
      "clusters/staging/flux-system/gotk-components.yaml",
      `apiVersion: v1
kind: ServiceAccount
metadata:
  name: kustomize-controller
  namespace: ${fs}
  labels: {app.kubernetes.io/part-of: flux, app.kubernetes.io/instance: flux-system}
---
${deployment("kustomize-controller", fs).replace("metadata:\n  name: kustomize-controller", "metadata:\n  name: kustomize-controller\n  labels: {app.kubernetes.io/part-of: flux}")}`,
    )
    .write(
      "clusters/staging/flux-system/gotk-sync.yaml",
      `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: ${fs}
spec:
  interval: 1m
  ref: {branch: main}
  secretRef: {name: flux-system}
  url: ${repo.plainUrl}
${ks("flux-system", "./clusters/staging")}`,
    )
    .write(
      "clusters/staging/infrastructure.yaml",
      `${ks("infra-controllers", "./infrastructure/controllers", "  wait: true\n")}${ks(
        "paused",
        "./suspended",
        "  suspend: true\n",
      )}${ks(
        "infra-configs",
        "./infrastructure/configs",
        "  dependsOn:\n    - name: infra-controllers\n",
      )}`,
    )
    .write(
      "clusters/staging/apps.yaml",
      ks(
        "apps",
        "./apps/staging",
        `  dependsOn:
    - name: infra-configs
  healthChecks:
    - {apiVersion: v1, kind: ConfigMap, name: settings, namespace: ${app}}
  healthCheckExprs:
    - apiVersion: v1
      kind: ConfigMap
      current: "data.message == 'hello from staging' && has(metadata.labels)"
      failed: "data.message == ''"
  postBuild:
    substitute:
      greeting: hello
    substituteFrom:
      - kind: ConfigMap
        name: cluster-vars
      - kind: Secret
        name: not-there
        optional: true
  patches:
    - target: {kind: Deployment, name: podinfo}
      patch: |
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: podinfo
          labels:
            patched-by: flux-kustomization
`,
      ),
    )
    .write(
      "clusters/staging/broken.yaml",
      `${ks("broken", "./does/not/exist")}${ks("after-broken", "./apps/staging", "  dependsOn:\n    - name: broken\n")}`,
    )
    .write(
      "infrastructure/controllers/namespace.yaml",
      `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${infra}}\n`,
    )
    // kwok's pods lose Ready when the loaded test node misses a heartbeat, so what is
    // waited on here does not depend on pods.
    .write(
      "infrastructure/controllers/controller.yaml",
      `apiVersion: v1\nkind: Service\nmetadata: {name: controller, namespace: ${infra}}\nspec: {ports: [{port: 80}]}\n`,
    )
    // Helm objects in a child Kustomization: their CRDs are installed from the bundled schemas.
    // The HelmRelease is suspended: its chart lives on the internet, which tests never reach
    // (the Helm step itself is tested against the local chart server in test/agent/helm).
    .write(
      "infrastructure/controllers/ingress-nginx.yaml",
      `apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata: {name: ingress-nginx, namespace: ${infra}}
spec: {interval: 24h, url: https://kubernetes.github.io/ingress-nginx}
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: ingress-nginx, namespace: ${infra}}
spec:
  interval: 30m
  suspend: true
  chart:
    spec:
      chart: ingress-nginx
      version: "*"
      sourceRef: {kind: HelmRepository, name: ingress-nginx}
`,
    )
    .write(
      "suspended/config.yaml",
      `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: paused, namespace: ${infra}}\n`,
    )
    .write(
      "infrastructure/configs/cluster-vars.yaml",
      `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cluster-vars, namespace: ${fs}}\ndata: {cluster_env: staging}\n`,
    )
    .write(
      "infrastructure/configs/extra.yaml",
      `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: extra, namespace: ${infra}}\ndata: {a: b}\n`,
    )
    .write(
      "apps/base/podinfo/kustomization.yaml",
      "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [namespace.yaml, deployment.yaml, config.yaml]\n",
    )
    .write(
      "apps/base/podinfo/namespace.yaml",
      `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${app}}\n`,
    )
    .write("apps/base/podinfo/deployment.yaml", deployment("podinfo", app))
    .write(
      "apps/base/podinfo/config.yaml",
      `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: ${app}}\ndata:\n  message: "\${greeting} from \${cluster_env}"\n  fallback: "\${region:=eu-1}"\n  literal: "$\${greeting}"\n`,
    )
    .write(
      "apps/staging/kustomization.yaml",
      "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [../base/podinfo]\n",
    );
});

after(async () => {
  for (const ns of [app, infra, fs, recordsNs]) {
    await kubectlRun(["delete", "namespace", ns, "--wait=false"]);
  }
  repo?.cleanup();
});

describe("a Flux-shaped repository", () => {
  let first = "";
  test("a failing Kustomization blocks its dependents; the rest becomes Ready in dependency order", async () => {
    first = await repo.push("flux layout");
    const result = await sync();
    assert.equal(result.code, 1, result.stdout + result.stderr);
    // Flux's controllers in gotk-components.yaml are skipped, said once.
    assert.equal(result.stderr.match(/skipped 2 controller object/g)?.length, 1, result.stderr);
    assert.equal(await exists("deployment", "kustomize-controller", "-n", fs), false);
    const all = await kustomizations();
    const broken = ready(all.get("broken"));
    assert.equal(broken?.status, "False");
    assert.equal(broken?.reason, "ArtifactFailed");
    assert.match(broken?.message ?? "", /kustomization path not found/);
    const blocked = ready(all.get("after-broken"));
    assert.equal(blocked?.status, "False");
    assert.equal(blocked?.reason, "DependencyNotReady");
    assert.match(blocked?.message ?? "", new RegExp(`dependency '${fs}/broken' is not ready`));
    for (const name of ["flux-system", "infra-controllers", "infra-configs", "apps"]) {
      assert.equal(
        ready(all.get(name))?.status,
        "True",
        `${name}: ${JSON.stringify(all.get(name)?.status)}`,
      );
      assert.equal(all.get(name)?.status?.lastAppliedRevision, `main@sha1:${first}`);
    }
    // dependsOn order: infra-controllers, then infra-configs, then apps.
    const order = [...result.stdout.matchAll(/^kustomization \S+\/(\S+)/gm)].map((m) => m[1]);
    assert.ok(order.indexOf("infra-controllers") < order.indexOf("infra-configs"), order.join(","));
    assert.ok(order.indexOf("infra-configs") < order.indexOf("apps"), order.join(","));
    // A suspended Kustomization applies nothing and keeps its status as it was.
    assert.equal(await exists("configmap", "paused", "-n", infra), false);
    assert.equal(all.get("paused")?.status?.conditions, undefined);
    assert.equal(
      (await getJson(["helmreleases.helm.toolkit.fluxcd.io", "ingress-nginx", "-n", infra])).spec
        .chart.spec.chart,
      "ingress-nginx",
    );
    // The agent's own source has Flux's status.
    const source = await getJson([
      "gitrepositories.source.toolkit.fluxcd.io",
      "flux-system",
      "-n",
      fs,
    ]);
    assert.equal(source.status.artifact.revision, `main@sha1:${first}`);
  });

  test("what the Kustomizations applied: substitution, patches, Flux labels, inventory", async () => {
    const settings = await getJson(["configmap", "settings", "-n", app]);
    assert.deepEqual(settings.data, {
      message: "hello from staging",
      fallback: "eu-1",
      literal: "${greeting}",
    });
    const podinfo = await getJson(["deployment", "podinfo", "-n", app]);
    assert.equal(podinfo.metadata.labels["patched-by"], "flux-kustomization");
    assert.equal(podinfo.metadata.labels["kustomize.toolkit.fluxcd.io/name"], "apps");
    assert.equal(podinfo.metadata.labels["kustomize.toolkit.fluxcd.io/namespace"], fs);
    const apps = (await kustomizations()).get("apps");
    assert.ok(
      apps?.status?.inventory?.entries.some(
        (e) => e.id === `${app}_podinfo_apps_Deployment` && e.v === "v1",
      ),
      JSON.stringify(apps?.status?.inventory),
    );
    // Nothing from after-broken was applied: its dependency failed.
    assert.equal(
      (await getJson(["configmap", "settings", "-n", app])).metadata.labels[
        "kustomize.toolkit.fluxcd.io/name"
      ],
      "apps",
    );
  });

  test("fixed and pruned: exit 0 with every Kustomization Ready at the new commit", async () => {
    repo.remove("clusters/staging/broken.yaml").remove("infrastructure/configs/extra.yaml");
    await kubectl([
      "annotate",
      "kustomization",
      "apps",
      "-n",
      fs,
      "--overwrite",
      "reconcile.fluxcd.io/requestedAt=now-1",
    ]);
    const second = await repo.push("remove the broken Kustomization and a config");
    const result = await sync();
    assert.equal(result.code, 0, result.stdout + result.stderr);
    const list = (await getJson(["kustomizations.kustomize.toolkit.fluxcd.io", "-A"])) as {
      items: Ks[];
    };
    const ours = list.items.filter((k) => k.metadata.namespace === fs);
    assert.deepEqual(ours.map((k) => k.metadata.name).sort(), [
      "apps",
      "flux-system",
      "infra-configs",
      "infra-controllers",
      "paused",
    ]);
    for (const k of ours.filter((k) => k.metadata.name !== "paused")) {
      assert.equal(ready(k)?.status, "True", k.metadata.name);
      assert.ok(k.status?.lastAppliedRevision?.endsWith(second), k.status?.lastAppliedRevision);
    }
    assert.equal(await exists("configmap", "extra", "-n", infra), false);
    const apps = (await getJson(["kustomization", "apps", "-n", fs])) as {
      status: { lastHandledReconcileAt?: string };
    };
    assert.equal(apps.status.lastHandledReconcileAt, "now-1");
    assert.equal(await exists("configmap", "cluster-vars", "-n", fs), true);
  });

  test("tether status lists the Kustomizations; tether tree shows root, Kustomizations, objects", async () => {
    const status = await tether(["status", "--namespace", recordsNs]);
    assert.equal(status.code, 0, status.stderr);
    assert.match(
      status.stdout,
      new RegExp(`${fs}\\s+apps\\s+True\\s+ReconciliationSucceeded\\s+main@sha1:`),
    );
    assert.match(status.stdout, new RegExp(`${fs}\\s+paused\\s+Unknown\\s+\\S*\\s*true`));
    const tree = await tether(["tree", `${fs}/flux-system`]);
    assert.equal(tree.code, 0, tree.stderr);
    const lines = tree.stdout.trimEnd().split("\n");
    assert.equal(lines[0], `Kustomization/${fs}/flux-system`);
    assert.ok(
      lines.includes(`├── Kustomization/${fs}/apps`) ||
        lines.includes(`└── Kustomization/${fs}/apps`),
      tree.stdout,
    );
    assert.ok(
      lines.some((l) => l.endsWith(`── Deployment/${app}/podinfo`) && l.startsWith("│")),
      tree.stdout,
    );
    // From the unit: its objects, and under the Kustomizations among them what they applied.
    const json = await tether(
      ["tree", "clusters-staging", "--namespace", recordsNs, "-o", "json"],
      { exit: 0 },
    );
    interface Node {
      kind: string;
      name: string;
      children?: Node[];
    }
    const [unit] = JSON.parse(json.stdout) as Node[];
    assert.deepEqual([unit?.kind, unit?.name], ["Unit", "clusters-staging"]);
    const entry = unit?.children?.find(
      (c) => c.kind === "Kustomization" && c.name === "flux-system",
    );
    const apps = entry?.children?.find((c) => c.kind === "Kustomization" && c.name === "apps");
    assert.ok(
      apps?.children?.some((c) => c.kind === "Deployment" && c.name === "podinfo"),
      json.stdout,
    );
    await tether(["tree", "no-such-unit", "--namespace", recordsNs], { exit: 1 });
  });

  test("impersonation: a Kustomization whose ServiceAccount has no rights is refused by the API server", async () => {
    repo
      .write(
        "clusters/staging/tenant.yaml",
        `apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: limited, namespace: ${fs}}\n${ks("tenant", "./tenant", "  serviceAccountName: limited\n")}`,
      )
      .write(
        "tenant/config.yaml",
        `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: tenant, namespace: ${infra}}\ndata: {a: b}\n`,
      );
    await repo.push("a tenant without rights");
    const result = await sync();
    assert.equal(result.code, 1, result.stdout + result.stderr);
    const tenant = ready((await kustomizations()).get("tenant"));
    assert.equal(tenant?.status, "False");
    assert.equal(tenant?.reason, "ReconciliationFailed");
    assert.match(
      tenant?.message ?? "",
      new RegExp(
        `system:serviceaccount:${fs}:limited.*forbidden|forbidden.*system:serviceaccount:${fs}:limited`,
        "s",
      ),
    );
    assert.equal(await exists("configmap", "tenant", "-n", infra), false);
  });
});
