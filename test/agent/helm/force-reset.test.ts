// `flux reconcile helmrelease NAME --reset` and `--force` end to end, with the helm CLI
// and the real API server: the HelmReleases are annotated as the flux CLI annotates them
// (requestedAt and forceAt/resetAt, one token), then `tether sync --once` runs. A failed
// install out of retries stalls, `--reset` makes it try again, `--force` makes an upgrade
// of an unchanged release and one more attempt of a stalled one; each token is handled
// once, and status.lastHandled{Reconcile,Force,Reset}At record them.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { chartsAuthSecret } from "../../helpers/charts.ts";
import { TestRepo } from "../../helpers/git-repo.ts";
import { getJson, kubectl, kubectlRun } from "../../helpers/kubectl.ts";
import { mustRun } from "../../helpers/run.ts";
import { chartsEnv } from "../../helpers/testenv.ts";
import { kubectlEnv, type SyncTarget, syncOnce } from "../../helpers/tether.ts";

const id = randomBytes(3).toString("hex");
const ns = `helm-force-${id}`;
const helmState = join(tmpdir(), `tether-helm-force-cli-${id}`);
let repo: TestRepo;
let target: SyncTarget;

const helm = (args: string[]) =>
  mustRun("helm", args, {
    env: {
      ...kubectlEnv(),
      HELM_CONFIG_HOME: join(helmState, "config"),
      HELM_CACHE_HOME: join(helmState, "cache"),
      HELM_DATA_HOME: join(helmState, "data"),
    },
  });
/** `helm history`: one entry per revision Helm stored, oldest first. */
async function history(name: string): Promise<{ revision: number; status: string }[]> {
  return JSON.parse(await helm(["history", name, "-n", ns, "-o", "json"]));
}

interface Status {
  lastHandledReconcileAt?: string;
  lastHandledForceAt?: string;
  lastHandledResetAt?: string;
  installFailures?: number;
  conditions?: { type: string; status: string; reason: string; message: string }[];
}
async function status(name: string): Promise<Status> {
  return (await getJson(["helmreleases.helm.toolkit.fluxcd.io", "-n", ns, name])).status ?? {};
}
const condition = (s: Status, type: string) => s.conditions?.find((c) => c.type === type);

/** What `flux reconcile hr NAME [--force] [--reset]` writes: one token in each annotation. */
async function fluxReconcile(name: string, token: string, flags: ("force" | "reset")[]) {
  await kubectl([
    "annotate",
    "--overwrite",
    "helmreleases.helm.toolkit.fluxcd.io",
    "-n",
    ns,
    name,
    `reconcile.fluxcd.io/requestedAt=${token}`,
    ...flags.map((f) => `reconcile.fluxcd.io/${f}At=${token}`),
  ]);
}

function outcome(stdout: string, name: string): string {
  const line = stdout
    .split("\n")
    .find((l) => l.includes(`HelmRelease/${ns}/${name} `) && / helm /.test(l));
  return line?.replace(/^.* helm /, "") ?? `(no line for ${name} in)\n${stdout}`;
}

const helmRelease = (name: string, values: string) => `---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: ${name}, namespace: ${ns}}
spec:
  interval: 10m
  timeout: 60s
  chart:
    spec:
      chart: app-demo
      version: "0.1.x"
      sourceRef: {kind: HelmRepository, name: charts}
  values:
${values}`;

describe("flux reconcile helmrelease --reset and --force", { timeout: 300_000 }, () => {
  before(async () => {
    const charts = chartsEnv();
    await kubectl(["create", "namespace", ns]);
    await chartsAuthSecret(ns);
    repo = await TestRepo.create("helm-force");
    target = {
      url: repo.url,
      path: "clusters/dev",
      namespace: `tether-helm-force-${id}`,
      cacheDir: join(tmpdir(), `tether-helm-force-cache-${id}`),
    };
    repo.write(
      "clusters/dev/releases.yaml",
      `apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata: {name: charts, namespace: ${ns}}
spec:
  interval: 10m
  url: ${charts.url}
  secretRef: {name: charts-auth}
${helmRelease("steady", "    message: steady\n")}${
  // The API server refuses the Deployment: the install fails at once, and with Flux's
  // default install remediation (retries 0) the failed release is kept and stalls.
  helmRelease("stuck", "    replicas: -1\n")
}`,
    );
    await repo.push("releases");
  });
  after(async () => {
    await kubectlRun(["delete", "namespace", ns, target.namespace, "--wait=false"]);
    repo?.cleanup();
  });

  test("pass 1: steady installs; stuck fails its install", async () => {
    const result = await syncOnce(target, { exit: 1 });
    assert.match(outcome(result.stdout, "steady"), /^installed/);
    assert.match(outcome(result.stdout, "stuck"), /^failed: Helm install failed /);
    assert.deepEqual(
      (await history("stuck")).map((h) => h.status),
      ["failed"],
    );
  });

  test("pass 2: stuck is stalled, no attempt", async () => {
    const result = await syncOnce(target, { exit: 1 });
    assert.match(outcome(result.stdout, "stuck"), /^failed: install retries exhausted .*--reset/);
    assert.equal((await history("stuck")).length, 1, "not tried again");
    const stuck = await status("stuck");
    assert.equal(condition(stuck, "Stalled")?.reason, "RetriesExceeded");
    assert.equal(stuck.installFailures, 1);
    assert.match(outcome(result.stdout, "steady"), /^unchanged/);
  });

  test("pass 3: --reset tries stuck again; --force upgrades steady with nothing changed", async () => {
    await fluxReconcile("stuck", "2026-12-01T10:00:00.000000001Z", ["reset"]);
    await fluxReconcile("steady", "2026-12-01T10:00:00.000000002Z", ["force"]);
    const result = await syncOnce(target, { exit: 1 });
    // stuck: one more attempt (Helm upgrades the failed release), failing as before.
    assert.match(outcome(result.stdout, "stuck"), /^failed: Helm upgrade failed /);
    assert.deepEqual(
      (await history("stuck")).map((h) => h.status),
      ["failed", "failed"],
    );
    const stuck = await status("stuck");
    assert.equal(stuck.lastHandledResetAt, "2026-12-01T10:00:00.000000001Z");
    assert.equal(stuck.lastHandledReconcileAt, "2026-12-01T10:00:00.000000001Z");
    assert.equal(stuck.lastHandledForceAt, undefined);
    // Out of retries again, as Flux marks it in the same reconcile.
    assert.equal(stuck.installFailures, 1);
    assert.equal(condition(stuck, "Stalled")?.reason, "RetriesExceeded");
    // steady: a second revision of the same chart and values.
    assert.match(outcome(result.stdout, "steady"), /^upgraded: .*forced/);
    assert.deepEqual(
      (await history("steady")).map((h) => [h.revision, h.status]),
      [
        [1, "superseded"],
        [2, "deployed"],
      ],
    );
    const steady = await status("steady");
    assert.equal(steady.lastHandledForceAt, "2026-12-01T10:00:00.000000002Z");
    assert.equal(steady.lastHandledReconcileAt, "2026-12-01T10:00:00.000000002Z");
    assert.equal(condition(steady, "Ready")?.status, "True");
  });

  test("pass 4: the same tokens again do nothing more", async () => {
    const result = await syncOnce(target, { exit: 1 });
    assert.match(outcome(result.stdout, "stuck"), /^failed: install retries exhausted/);
    assert.equal((await history("stuck")).length, 2);
    assert.match(outcome(result.stdout, "steady"), /^unchanged/);
    assert.equal((await history("steady")).length, 2);
  });

  test("pass 5: --force attempts a stalled release; a forceAt unlike requestedAt is only recorded", async () => {
    await fluxReconcile("stuck", "2026-12-01T11:00:00Z", ["force"]);
    // Not what the flux CLI writes: forceAt alone, requestedAt left as it was.
    await kubectl([
      "annotate",
      "--overwrite",
      "helmreleases.helm.toolkit.fluxcd.io",
      "-n",
      ns,
      "steady",
      "reconcile.fluxcd.io/forceAt=2026-12-01T11:00:00Z",
    ]);
    const result = await syncOnce(target, { exit: 1 });
    assert.match(outcome(result.stdout, "stuck"), /^failed: Helm upgrade failed /);
    assert.equal((await history("stuck")).length, 3);
    const stuck = await status("stuck");
    assert.equal(stuck.lastHandledForceAt, "2026-12-01T11:00:00Z");
    assert.equal(stuck.lastHandledResetAt, "2026-12-01T10:00:00.000000001Z");
    assert.equal(condition(stuck, "Stalled")?.reason, "RetriesExceeded");
    assert.match(outcome(result.stdout, "steady"), /^unchanged/);
    assert.equal((await history("steady")).length, 2);
    assert.equal((await status("steady")).lastHandledForceAt, "2026-12-01T11:00:00Z");
  });
});
