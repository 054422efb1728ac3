// A pass runs when something is due, never back to back because something cannot be
// reconciled: a suspended Kustomization, one removed from Git, or a commit the unit fails
// on before it applies anything. And a suspended unit stays untouched by the passes run
// for the Kustomizations of the other units. Runs `tether agent` as a process against
// the local Git server and Kubernetes; rates are counted from tether_passes_total over a
// window, with bounds far above what the agent does and far below the loop it must not run.
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
import { testenv } from "../../helpers/testenv.ts";
import { tether } from "../../helpers/tether.ts";

const id = randomBytes(3).toString("hex");
const fs = `fsidle-${id}`;
const app = `idle-${id}`;
const appsNs = `idle-apps-${id}`;
const recordsNs = `tether-idle-${id}`;
const fluxUnit = `flux-${id}`;
const appsUnit = `apps-${id}`;
const dir = mkdtempSync(join(tmpdir(), "tether-idle-"));
let repo: TestRepo;
let agent: AgentProcess;

/** The window passes are counted over, and the most it may hold (the bug ran 40-100). */
const WINDOW_MS = 12_000;
const MAX_PASSES = 10;

const kustomization = (name: string) => `---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: ${name}, namespace: ${fs}}
spec:
  sourceRef: {kind: GitRepository, name: flux-system}
  path: ./${name}
  prune: true
  interval: ${name === "flux-system" ? "1h" : "3s"}
`;
const configMap = (name: string, namespace = app) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}, namespace: ${namespace}}\ndata: {a: b}\n`;

const ksJson = (name: string) =>
  getJson(["kustomizations.kustomize.toolkit.fluxcd.io", name, "-n", fs]);
const waitReady = (name: string) =>
  waitFor(
    `${name} Ready`,
    async () => {
      const ready = (await ksJson(name)).status?.conditions?.find(
        (c: { type: string }) => c.type === "Ready",
      );
      return ready?.status === "True" ? true : undefined;
    },
    90_000,
  );
const patchKs = (name: string, spec: object) =>
  kubectl([
    "patch",
    "kustomizations.kustomize.toolkit.fluxcd.io",
    name,
    "-n",
    fs,
    "--type=merge",
    "-p",
    JSON.stringify({ spec }),
  ]);
const ctl = (args: string[]) =>
  tether([...args, "--namespace", recordsNs, "--timeout", "1m"], { exit: 0 });

const passes = async () =>
  ((await agent.metric('tether_passes_total{result="ok"}')) ?? 0) +
  ((await agent.metric('tether_passes_total{result="failed"}')) ?? 0);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Passes started and CPU seconds spent over the window. */
async function overWindow(): Promise<{ passes: number; cpu: number }> {
  const [p, c] = [await passes(), (await agent.metric("process_cpu_seconds_total")) ?? 0];
  await sleep(WINDOW_MS);
  return {
    passes: (await passes()) - p,
    cpu: ((await agent.metric("process_cpu_seconds_total")) ?? 0) - c,
  };
}
const tail = () => agent.output.split("\n").slice(-15).join("\n");

before(async () => {
  repo = await TestRepo.create("idle-passes");
  repo
    .write(
      "clusters/staging/flux-system/gotk-sync.yaml",
      `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: flux-system, namespace: ${fs}}
spec: {interval: 1h, ref: {branch: main}, url: ${repo.plainUrl}}
${kustomization("flux-system").replace("./flux-system", "./clusters/staging")}`,
    )
    .write(
      "clusters/staging/namespace.yaml",
      `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${app}}\n`,
    )
    // keeps: healthy throughout. extra: suspended, then removed from Git.
    .write("clusters/staging/keeps.yaml", kustomization("keeps"))
    .write("clusters/staging/extra.yaml", kustomization("extra"))
    .write("keeps/config.yaml", configMap("keeps"))
    .write("extra/config.yaml", configMap("extra"))
    .write("apps/namespace.yaml", `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${appsNs}}\n`);
  await repo.push("layout");
  const config = join(dir, "config.yaml");
  writeFileSync(
    config,
    stringify({
      namespace: recordsNs,
      git: { url: repo.plainUrl, branch: "main" },
      interval: "1h",
      units: [
        { name: fluxUnit, path: "clusters/staging", prune: true },
        { name: appsUnit, path: "apps", prune: true },
      ],
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
  for (const ns of [app, appsNs, fs, recordsNs])
    await kubectlRun(["delete", "namespace", ns, "--wait=false"]);
  repo?.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

describe("passes when something cannot be reconciled", () => {
  test("steady: the Kustomizations on their 3 s interval", async (t) => {
    await waitReady("keeps");
    await waitReady("extra");
    const steady = await overWindow();
    t.diagnostic(`steady: ${steady.passes} passes in ${WINDOW_MS} ms`);
    assert.ok(steady.passes <= MAX_PASSES, `${steady.passes} passes\n${tail()}`);
  });

  test("a suspended Kustomization does not start passes", async (t) => {
    await patchKs("extra", { suspend: true });
    await sleep(4_000); // past extra's interval
    const suspended = await overWindow();
    t.diagnostic(`extra suspended: ${suspended.passes} passes in ${WINDOW_MS} ms`);
    await patchKs("extra", { suspend: false });
    assert.ok(suspended.passes <= MAX_PASSES, `${suspended.passes} passes\n${tail()}`);
  });

  test("a suspended unit is not applied by passes for other units' Kustomizations; resumed, it is", async (t) => {
    await ctl(["suspend", appsUnit]);
    await waitFor("the agent to see the suspension", async () =>
      agent.output.includes(`${appsUnit}: suspended`) ? true : undefined,
    );
    repo.write("apps/held.yaml", configMap("held", appsNs));
    const commit = await repo.push("a change while apps is suspended");
    // keeps is due every 3 s: a pass at the new commit reconciles it.
    await waitFor(
      "keeps reconciled at the new commit",
      async () =>
        (await ksJson("keeps")).status?.lastAttemptedRevision?.endsWith(commit) ? true : undefined,
      60_000,
    );
    await sleep(4_000); // and once more
    assert.equal(await exists("configmap", "held", "-n", appsNs), false, tail());

    // Every unit suspended: no pass at all, and no loop spinning without one.
    await ctl(["suspend", fluxUnit]);
    await waitFor("the agent to see the suspension", async () =>
      agent.output.includes(`${fluxUnit}: suspended`) ? true : undefined,
    );
    await sleep(4_000);
    const idle = await overWindow();
    t.diagnostic(`every unit suspended: ${idle.passes} passes, ${idle.cpu.toFixed(2)} s CPU`);
    assert.equal(await exists("configmap", "held", "-n", appsNs), false, tail());
    assert.ok(idle.passes <= 1, `${idle.passes} passes\n${tail()}`);
    // An idle agent spends about 0.01 s; a loop waking every millisecond, near 1 s.
    assert.ok(idle.cpu < 0.3, `${idle.cpu} s CPU\n${tail()}`);

    await ctl(["resume", appsUnit]);
    assert.equal(await exists("configmap", "held", "-n", appsNs), true, tail());
    await ctl(["resume", fluxUnit]);
  });

  test("a commit the unit fails on retries on the unit's backoff", async (t) => {
    const failed = (await agent.metric('tether_passes_total{result="failed"}')) ?? 0;
    repo.write(
      "clusters/staging/broken.yaml",
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: [oops\n",
    );
    await repo.push("broken");
    await agent.metricAtLeast('tether_passes_total{result="failed"}', failed + 1);
    await sleep(2_000);
    const broken = await overWindow();
    t.diagnostic(`broken commit: ${broken.passes} passes in ${WINDOW_MS} ms`);
    repo.remove("clusters/staging/broken.yaml");
    await repo.push("fixed");
    await ctl(["reconcile", fluxUnit]);
    assert.ok(broken.passes <= MAX_PASSES, `${broken.passes} passes\n${tail()}`);
  });

  test("a Kustomization removed from Git is forgotten; the others keep their interval", async (t) => {
    repo.remove("clusters/staging/extra.yaml");
    await repo.push("remove extra");
    await waitFor("extra deleted", async () =>
      (await exists("kustomizations.kustomize.toolkit.fluxcd.io", "extra", "-n", fs))
        ? undefined
        : true,
    );
    await sleep(4_000);
    const removed = await overWindow();
    t.diagnostic(`extra removed: ${removed.passes} passes in ${WINDOW_MS} ms`);
    assert.ok(removed.passes <= MAX_PASSES, `${removed.passes} passes\n${tail()}`);
    // keeps still corrects drift on its own interval.
    await kubectl(["delete", "configmap", "keeps", "-n", app]);
    await waitFor(
      "keeps corrected",
      async () => ((await exists("configmap", "keeps", "-n", app)) ? true : undefined),
      30_000,
    );
  });
});
