// HelmRelease drift detection as helm-controller does it, end to end: each object of the
// release is applied as a server-side dry run and the answer compared with the live
// object, so what the API server normalises or defaults (`cpu: 0.5` read back as
// `500m`, `memory: 1024Mi` as `1Gi`, a port without protocol) is not drift, while a
// hand edit (kubectl scale, a label the chart sets, a deleted object) still is: warned
// about in `warn` mode, corrected without a new Helm revision in `enabled` mode, and
// left alone where `ignore` covers it or the object opts out with
// `helm.toolkit.fluxcd.io/driftDetection: disabled`; a dry run the server refuses fails
// the pass when nothing else drifted. The chart comes from the test repository;
// `tether sync --once` passes over it; results read back with `helm` and `kubectl`.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { selfGitRepositoryYaml } from "../../helpers/charts.ts";
import { TestRepo } from "../../helpers/git-repo.ts";
import { exists, getJson, kubectl, kubectlRun } from "../../helpers/kubectl.ts";
import { mustRun } from "../../helpers/run.ts";
import { kubectlEnv, syncOnce } from "../../helpers/tether.ts";

const id = randomBytes(3).toString("hex");
const ns = `helm-drift-${id}`;
const recordsNs = `tether-helm-drift-${id}`;
const cacheDir = join(tmpdir(), `tether-helm-drift-cache-${id}`);
const helmState = join(tmpdir(), `tether-helm-drift-cli-${id}`);
let repo: TestRepo;

const helm = (args: string[]) =>
  mustRun("helm", args, {
    env: {
      ...kubectlEnv(),
      HELM_CONFIG_HOME: join(helmState, "config"),
      HELM_CACHE_HOME: join(helmState, "cache"),
      HELM_DATA_HOME: join(helmState, "data"),
    },
  });
async function revision(name: string): Promise<string | undefined> {
  const all = JSON.parse(await helm(["list", "-n", ns, "-a", "-o", "json"])) as {
    name: string;
    revision: string;
  }[];
  return all.find((r) => r.name === name)?.revision;
}

/** What the pass printed for one HelmRelease: `<action>[: detail]`. */
function outcome(stdout: string, name: string): string {
  const line = stdout
    .split("\n")
    .find((l) => l.includes(`HelmRelease/${ns}/${name} `) && / helm /.test(l));
  return line?.replace(/^.* helm /, "") ?? `(no line for ${name} in)\n${stdout}`;
}

const sync = async (name = "web", exit = 0) => {
  const result = await syncOnce(
    { url: repo.url, path: "clusters/dev", namespace: recordsNs, cacheDir },
    { exit },
  );
  return outcome(result.stdout, name);
};

/**
 * A chart whose objects the API server stores differently from how they are written:
 * quantities in other units, ports without protocol (defaulted to TCP).
 */
function writeChart() {
  repo.write("charts/drifty/Chart.yaml", "apiVersion: v2\nname: drifty\nversion: 0.1.0\n");
  repo.write(
    "charts/drifty/templates/deployment.yaml",
    `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
  labels:
    tier: web
spec:
  replicas: 1
  selector:
    matchLabels:
      app: {{ .Release.Name }}
  template:
    metadata:
      labels:
        app: {{ .Release.Name }}
    spec:
      containers:
        - name: app
          image: registry.local/drifty:1.0.0
          ports:
            - containerPort: 8080
          resources:
            limits:
              cpu: 0.5
              memory: 1024Mi
            requests:
              cpu: 100m
              memory: 0.5Gi
`,
  );
  repo.write(
    "charts/drifty/templates/service.yaml",
    `apiVersion: v1
kind: Service
metadata:
  name: {{ .Release.Name }}
spec:
  selector:
    app: {{ .Release.Name }}
  ports:
    - port: 80
      targetPort: 8080
`,
  );
}

const release = (mode: string, ignore = "") => `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: web
  namespace: ${ns}
spec:
  interval: 10m
  chart:
    spec:
      chart: ./charts/drifty
      sourceRef:
        kind: GitRepository
        name: self
  driftDetection:
    mode: ${mode}
${ignore}`;

// biome-ignore lint/suspicious/noExplicitAny: tests read whatever fields they check
const object = (kind: string, name: string): Promise<any> => getJson([kind, "-n", ns, name]);

describe("HelmRelease drift detection by server-side dry run", { timeout: 600_000 }, () => {
  before(async () => {
    repo = await TestRepo.create("helm-drift");
    await kubectl(["create", "namespace", ns]);
    repo.write("clusters/dev/sources.yaml", selfGitRepositoryYaml(ns, repo.plainUrl));
    writeChart();
    repo.write("clusters/dev/web.yaml", release("warn"));
    await repo.push("drifty chart, drift detection warns");
  });
  after(async () => {
    await kubectlRun(["delete", "namespace", ns, recordsNs, "--wait=false"]);
    repo?.cleanup();
  });

  test("values the API server normalises or defaults are not drift", async () => {
    assert.match(await sync(), /^installed/);
    // The server holds them in its own form: the manifest's fields differ from the live ones.
    const limits = (await object("deployment", "web")).spec.template.spec.containers[0].resources
      .limits;
    assert.deepEqual(limits, { cpu: "500m", memory: "1Gi" });
    assert.equal((await object("service", "web")).spec.ports[0].protocol, "TCP");
    // A pass with nothing edited finds no drift, twice over.
    assert.match(await sync(), /^unchanged/);
    assert.match(await sync(), /^unchanged/);
    assert.equal(await revision("web"), "1");
  });

  test("warn: a hand edit (kubectl scale, a label the chart sets) is reported, not touched", async () => {
    await kubectl(["scale", "deployment", "-n", ns, "web", "--replicas=3"]);
    await kubectl(["label", "deployment", "-n", ns, "web", "tier=edited", "--overwrite"]);
    const warned = await sync();
    assert.match(warned, /^drifted: drift detected \(warn\): Deployment\/.*\/web /);
    // Only the edited object, not the Service with its defaulted protocol.
    assert.doesNotMatch(warned, /Service\//);
    const deployment = await object("deployment", "web");
    assert.equal(deployment.spec.replicas, 3);
    assert.equal(deployment.metadata.labels.tier, "edited");
  });

  test("ignore: a path the rules cover is not drift", async () => {
    // The label back as the chart sets it: only the replicas differ, and they are ignored.
    await kubectl(["label", "deployment", "-n", ns, "web", "tier=web", "--overwrite"]);
    repo.write(
      "clusters/dev/web.yaml",
      release(
        "warn",
        `    ignore:
      - paths: ["/spec/replicas"]
        target:
          kind: Deployment
`,
      ),
    );
    await repo.push("ignore replicas");
    assert.match(await sync(), /^unchanged/);
    assert.equal((await object("deployment", "web")).spec.replicas, 3);
  });

  test("enabled: the edit and a deleted object are corrected without a new revision; then no drift", async () => {
    await kubectl(["label", "deployment", "-n", ns, "web", "tier=edited", "--overwrite"]);
    await kubectl(["delete", "service", "-n", ns, "web"]);
    repo.write("clusters/dev/web.yaml", release("enabled"));
    await repo.push("drift correction enabled");
    const corrected = await sync();
    assert.match(corrected, /^drift-corrected: drift corrected: /);
    assert.match(corrected, /Deployment\/.*\/web /);
    assert.match(corrected, /Service\/.*\/web \(deleted\)/);
    const deployment = await object("deployment", "web");
    assert.equal(deployment.spec.replicas, 1);
    assert.equal(deployment.metadata.labels.tier, "web");
    assert.ok(await exists("service", "-n", ns, "web"), "the deleted Service is back");
    assert.equal(await revision("web"), "1", "corrected without a new revision");
    // Corrected objects compare equal to their dry run: no correction on every pass.
    assert.match(await sync(), /^unchanged/);
  });

  test("an object labelled or annotated helm.toolkit.fluxcd.io/driftDetection: disabled is skipped", async () => {
    // Set by hand on the live object (Flux reads it there and in the chart's manifest).
    const key = "helm.toolkit.fluxcd.io/driftDetection";
    await kubectl(["annotate", "deployment", "-n", ns, "web", `${key}=disabled`]);
    await kubectl(["label", "deployment", "-n", ns, "web", "tier=edited", "--overwrite"]);
    assert.match(await sync(), /^unchanged/);
    assert.equal((await object("deployment", "web")).metadata.labels.tier, "edited");
    // Without it, the same edit is drift again and corrected (mode is still enabled).
    await kubectl(["annotate", "deployment", "-n", ns, "web", `${key}-`]);
    assert.match(await sync(), /^drift-corrected: drift corrected: Deployment\//);
    assert.equal((await object("deployment", "web")).metadata.labels.tier, "web");
  });

  test("a dry run the server refuses, with nothing else drifted, fails the pass (also in warn mode)", async () => {
    // The Deployment made again by hand with another selector: the chart's selector is
    // an immutable change the server refuses, dry run or not.
    const live = await object("deployment", "web");
    const { name, namespace, labels, annotations } = live.metadata;
    const remade = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name, namespace, labels, annotations },
      spec: {
        ...live.spec,
        selector: { matchLabels: { app: "remade" } },
        template: {
          ...live.spec.template,
          metadata: { labels: { app: "remade" } },
        },
      },
    };
    await kubectl(["delete", "deployment", "-n", ns, "web", "--wait=true"]);
    await mustRun("kubectl", ["create", "-f", "-"], {
      env: kubectlEnv(),
      input: JSON.stringify(remade),
    });
    repo.write("clusters/dev/web.yaml", release("warn"));
    await repo.push("drift detection warns again");
    const failed = await sync("web", 1);
    assert.match(failed, /^failed: .*unable to determine cluster state: .*Deployment\/.*\/web/);
    assert.match(failed, /immutable/);
    // Never forced, and the status says why.
    const deployment = await object("deployment", "web");
    assert.equal(deployment.spec.selector.matchLabels.app, "remade");
    const ready = (
      await object("helmreleases.helm.toolkit.fluxcd.io", "web")
    ).status.conditions.find((c: { type: string }) => c.type === "Ready");
    assert.equal(ready.status, "False");
    assert.equal(ready.reason, "StateError");
  });
});
