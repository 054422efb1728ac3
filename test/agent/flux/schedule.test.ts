// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Flux variables are written ${like_this}.
// The long-running agent schedules each Flux Kustomization on its own clock: `interval`
// after success, `retryInterval` after a failure, and `reconcile.fluxcd.io/requestedAt`
// (as `flux reconcile` writes it) soon, while the agent's own unit waits an hour; the
// same annotation on a HelmRelease (`flux reconcile helmrelease --force`) makes the
// Kustomization that applied it due, so the release is handled soon too; so does the
// HelmRelease's own interval, when shorter than the Kustomization's.
// Runs `tether agent` as a process against the local Git server and Kubernetes.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { stringify } from "yaml";
import { AgentProcess, waitFor } from "../../helpers/agent.ts";
import { TestRepo } from "../../helpers/git-repo.ts";
import { exists, getJson, kubectl, kubectlRun } from "../../helpers/kubectl.ts";
import { mustRun } from "../../helpers/run.ts";
import { chartsEnv, testenv } from "../../helpers/testenv.ts";
import { kubectlEnv } from "../../helpers/tether.ts";

const id = randomBytes(3).toString("hex");
const fs = `fssch-${id}`;
const app = `sch-${id}`;
const recordsNs = `tether-sch-${id}`;
const dir = mkdtempSync(join(tmpdir(), "tether-flux-schedule-"));
let repo: TestRepo;
let agent: AgentProcess | undefined;

interface Ks {
  metadata: { annotations?: Record<string, string> };
  status?: {
    conditions?: { type: string; status: string; reason: string; message: string }[];
    lastHandledReconcileAt?: string;
  };
}
const ks = async (name: string): Promise<Ks> =>
  getJson(["kustomizations.kustomize.toolkit.fluxcd.io", name, "-n", fs]);
const ready = (k: Ks) => k.status?.conditions?.find((c) => c.type === "Ready");

const kustomization = (name: string, extra: string) => `---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: ${name}
  namespace: ${fs}
spec:
  sourceRef: {kind: GitRepository, name: flux-system}
  path: ./${name}
  prune: true
${extra}`;

const configMap = (name: string, data = "a: b") =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}, namespace: ${app}}\ndata: {${data}}\n`;

before(async () => {
  repo = await TestRepo.create("flux-schedule");
  repo
    .write(
      "clusters/staging/flux-system/gotk-sync.yaml",
      `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: flux-system, namespace: ${fs}}
spec: {interval: 1h, ref: {branch: main}, url: ${repo.plainUrl}}
${kustomization("flux-system", "  interval: 1h\n").replace("./flux-system", "./clusters/staging")}`,
    )
    .write(
      "clusters/staging/namespace.yaml",
      `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${app}}\n`,
    )
    .write(
      "clusters/staging/kustomizations.yaml",
      // fast: corrects drift every 2 s. slow: an hour, unless asked. retry: fails until
      // its variables exist, then is retried after 2 s although its interval is an hour.
      kustomization("fast", "  interval: 2s\n") +
        kustomization("slow", "  interval: 1h\n") +
        kustomization("charts", "  interval: 1h\n") +
        kustomization("ticking", "  interval: 1h\n") +
        kustomization(
          "retry",
          "  interval: 1h\n  retryInterval: 2s\n  postBuild:\n    substituteFrom:\n      - {kind: ConfigMap, name: retry-vars}\n",
        ),
    )
    .write("fast/config.yaml", configMap("fast"))
    .write("slow/config.yaml", configMap("slow"))
    // A HelmRelease whose interval (5 s) is shorter than its Kustomization's (1 h); its
    // chart's source does not exist, so it fails at once, without Helm.
    .write("ticking/marker.yaml", configMap("ticking-marker"))
    .write(
      "ticking/release.yaml",
      `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: ticker, namespace: ${app}}
spec:
  interval: 5s
  chart:
    spec:
      chart: app-demo
      sourceRef: {kind: HelmRepository, name: not-there}
`,
    )
    .write(
      "charts/release.yaml",
      `apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata: {name: oci-charts, namespace: ${app}}
spec: {type: oci, insecure: true, interval: 1h, url: ${chartsEnv().oci}}
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: demo, namespace: ${app}}
spec:
  interval: 1h
  chart:
    spec:
      chart: app-demo
      version: "~0.1.0"
      sourceRef: {kind: HelmRepository, name: oci-charts}
`,
    )
    .write("retry/config.yaml", configMap("retry", 'colour: "${colour}"'));
  await repo.push("flux schedule layout");
  const config = join(dir, "config.yaml");
  writeFileSync(
    config,
    stringify({
      namespace: recordsNs,
      git: { url: repo.plainUrl, branch: "main" },
      interval: "1h",
      units: [{ name: `flux-${id}`, path: "clusters/staging", prune: true }],
    }),
  );
  agent = await AgentProcess.start(config, ["--cache-dir", join(dir, "cache")], {
    TETHER_GIT_USERNAME: testenv().gitUser,
    TETHER_GIT_PASSWORD: testenv().gitPassword,
  });
});

after(async () => {
  agent?.kill("SIGTERM");
  await agent?.exited;
  for (const ns of [app, fs, recordsNs]) {
    await kubectlRun(["delete", "namespace", ns, "--wait=false"]);
  }
  repo?.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

const waitReady = (name: string) =>
  waitFor(
    `${name} Ready`,
    async () => (ready(await ks(name))?.status === "True" ? true : undefined),
    90_000,
  );

describe("Flux Kustomizations in the long-running agent", () => {
  test("first pass: every Kustomization reconciled, the one without its variables failed", async () => {
    await waitReady("slow");
    await waitReady("fast");
    const retry = await waitFor("retry failed", async () => {
      const r = ready(await ks("retry"));
      return r?.status === "False" ? r : undefined;
    });
    assert.equal(retry.reason, "BuildFailed", agent?.output);
    assert.match(retry.message, /retry-vars/);
  });

  test("a failed Kustomization is retried after its retryInterval, not its interval", async () => {
    await kubectl(["create", "configmap", "retry-vars", "-n", fs, "--from-literal=colour=blue"]);
    await waitReady("retry").catch(async (e) => {
      throw new Error(
        `${e.message}: ${JSON.stringify((await ks("retry")).status)}\n${agent?.output}`,
      );
    });
    assert.equal((await getJson(["configmap", "retry", "-n", app])).data.colour, "blue");
  });

  test("each Kustomization on its own interval: drift under `fast` is corrected, `slow` waits", async () => {
    await kubectl(["delete", "configmap", "slow", "-n", app]);
    for (let round = 0; round < 2; round++) {
      await kubectl(["delete", "configmap", "fast", "-n", app]);
      await waitFor("fast corrected", async () =>
        (await exists("configmap", "fast", "-n", app)) ? true : undefined,
      );
    }
    // `fast` was reconciled twice since `slow` lost its object: `slow` was not.
    assert.equal(await exists("configmap", "slow", "-n", app), false, agent?.output);
  });

  test("requestedAt triggers a reconcile soon; lastHandledReconcileAt records it", async () => {
    const requestedAt = new Date().toISOString();
    await kubectl([
      "annotate",
      "--overwrite",
      "kustomizations.kustomize.toolkit.fluxcd.io",
      "slow",
      "-n",
      fs,
      `reconcile.fluxcd.io/requestedAt=${requestedAt}`,
    ]);
    await waitFor(
      "slow reconciled on request",
      async () => ((await exists("configmap", "slow", "-n", app)) ? true : undefined),
      30_000,
    );
    await waitFor("lastHandledReconcileAt", async () =>
      (await ks("slow")).status?.lastHandledReconcileAt === requestedAt ? true : undefined,
    );
  });

  test("a HelmRelease's interval makes the Kustomization that applied it due on that interval", async () => {
    await waitFor(
      "ticking-marker applied",
      async () => ((await exists("configmap", "ticking-marker", "-n", app)) ? true : undefined),
      90_000,
    );
    // `ticking` waits an hour; its HelmRelease's interval is 5 s.
    await kubectl(["delete", "configmap", "ticking-marker", "-n", app]);
    await waitFor(
      "ticking reconciled on its HelmRelease's interval",
      async () => ((await exists("configmap", "ticking-marker", "-n", app)) ? true : undefined),
      30_000,
    );
  });

  test("flux reconcile helmrelease --force: the release is upgraded soon, its Kustomization waiting an hour", async () => {
    const helmRelease = () => getJson(["helmreleases.helm.toolkit.fluxcd.io", "demo", "-n", app]);
    await waitFor(
      "demo installed",
      async () => ((await helmRelease()).status?.history?.length ? true : undefined),
      120_000,
    );
    // As the flux CLI writes it: one token in requestedAt and forceAt.
    const token = new Date().toISOString();
    await kubectl([
      "annotate",
      "--overwrite",
      "helmreleases.helm.toolkit.fluxcd.io",
      "demo",
      "-n",
      app,
      `reconcile.fluxcd.io/requestedAt=${token}`,
      `reconcile.fluxcd.io/forceAt=${token}`,
    ]);
    await waitFor(
      "the force handled",
      async () => ((await helmRelease()).status?.lastHandledForceAt === token ? true : undefined),
      60_000,
    );
    const history = JSON.parse(
      await mustRun("helm", ["history", "demo", "-n", app, "-o", "json"], {
        env: {
          ...kubectlEnv(),
          HELM_CACHE_HOME: join(dir, "helm"),
          HELM_CONFIG_HOME: join(dir, "helm"),
        },
      }),
    ) as { revision: number }[];
    assert.equal(history.at(-1)?.revision, 2, agent?.output);
  });
});
