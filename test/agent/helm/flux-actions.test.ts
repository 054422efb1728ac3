// Helm action options as Flux 2.7 runs them, end to end: two `tether sync --once`
// passes over HelmReleases of a chart kept in the repository itself (a ConfigMap, and
// optionally a Job and a Deployment whose pods can be made unschedulable), against the
// local Kubernetes and the helm CLI. Waiting for Jobs by default and the install's own
// timeout; taking ownership of an object that exists outside Helm (and not, when
// disabled); upgrade.preserveValues; valuesFrom targetPath over inline values, read as
// `--set`; rollback with its own options (no wait), not the upgrade's.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { TestRepo } from "../../helpers/git-repo.ts";
import { kubectl, kubectlRun } from "../../helpers/kubectl.ts";
import { mustRun } from "../../helpers/run.ts";
import { kubectlEnv, syncOnce } from "../../helpers/tether.ts";

const id = randomBytes(3).toString("hex");
const ns = `helm-act-${id}`;
const recordsNs = `tether-helm-act-${id}`;
const cacheDir = join(tmpdir(), `tether-helm-act-cache-${id}`);
const helmState = join(tmpdir(), `tether-helm-act-cli-${id}`);
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
async function release(name: string) {
  const all = JSON.parse(await helm(["list", "-n", ns, "-a", "-o", "json"])) as {
    name: string;
    revision: string;
    status: string;
  }[];
  return all.find((r) => r.name === name);
}
const userValues = async (name: string) =>
  JSON.parse(await helm(["get", "values", name, "-n", ns, "-o", "json"])) as unknown;
async function conditions(
  name: string,
): Promise<Record<string, { status: string; reason: string; message: string }>> {
  const hr = JSON.parse(
    await kubectl(["get", "helmreleases.helm.toolkit.fluxcd.io", "-n", ns, name, "-o", "json"]),
  ) as {
    status?: { conditions?: { type: string; status: string; reason: string; message: string }[] };
  };
  return Object.fromEntries((hr.status?.conditions ?? []).map((c) => [c.type, c]));
}

function outcome(stdout: string, name: string): string {
  const line = stdout
    .split("\n")
    .find((l) => l.includes(`HelmRelease/${ns}/${name} `) && / helm /.test(l));
  return line?.replace(/^.* helm /, "") ?? `(no line for ${name} in)\n${stdout}`;
}

const sync = (exit: number) =>
  syncOnce({ url: repo.url, path: "clusters/dev", namespace: recordsNs, cacheDir }, { exit });

const nowhere = `{no-such-node: "true"}`;
const helmRelease = (name: string, spec: string) => `---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: ${name}, namespace: ${ns}}
spec:
  interval: 10m
  chart:
    spec:
      chart: ./charts/probe
      sourceRef: {kind: GitRepository, name: self}
${spec}`;

/** The rollback case: revision 1 never became ready (not waited for), then an upgrade fails. */
const rollbackRelease = (pass: number) =>
  helmRelease(
    "back",
    pass === 1
      ? `  install: {disableWait: true}
  values:
    deployment: {nodeSelector: ${nowhere}}
`
      : // The upgrade waits 5s (its own timeout, not spec.timeout) and fails; the rollback
        // to revision 1, whose pods cannot run either, must not wait for them.
        `  timeout: 15s
  upgrade:
    timeout: 5s
    remediation: {retries: 1}
  rollback: {disableWait: true}
  values:
    message: two
    deployment: {nodeSelector: ${nowhere}}
`,
  );

function writeReleases(pass: number) {
  repo.write(
    "clusters/dev/releases.yaml",
    `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: self, namespace: ${ns}}
spec:
  interval: 10m
  url: ${repo.plainUrl}
  ref: {branch: main}
${helmRelease(
  "jobs",
  `  timeout: 10m
  install: {timeout: 5s}
  values:
    job: {nodeSelector: ${nowhere}}
`,
)}${helmRelease(
  "jobs-skipped",
  `  install: {timeout: 5s, disableWaitForJobs: true}
  values:
    job: {nodeSelector: ${nowhere}}
`,
)}${helmRelease("owned", "")}${helmRelease(
  "not-owned",
  "  install: {disableTakeOwnership: true}\n",
)}${helmRelease(
  "preserve",
  pass === 1
    ? "  values: {message: one, extra: kept}\n"
    : "  upgrade: {preserveValues: true}\n  values: {message: two}\n",
)}${helmRelease(
  "target",
  `  valuesFrom:
    - {kind: Secret, name: target-values, valuesKey: message, targetPath: config.message}
    - {kind: Secret, name: target-values, valuesKey: port, targetPath: "ingress.ports[0]"}
    - {kind: Secret, name: target-values, valuesKey: hosts, targetPath: extra.hosts}
  values:
    config: {message: inline, level: info}
    ingress: {ports: [80, 443]}
`,
)}${rollbackRelease(pass)}`,
  );
}

describe("HelmRelease action options as Flux 2.7 runs them", { timeout: 300_000 }, () => {
  before(async () => {
    await kubectl(["create", "namespace", ns]);
    // Objects the chart also makes, created outside Helm.
    await kubectl(["create", "configmap", "owned", "-n", ns, "--from-literal=message=by-hand"]);
    await kubectl(["create", "configmap", "not-owned", "-n", ns, "--from-literal=message=by-hand"]);
    await kubectl([
      "create",
      "secret",
      "generic",
      "target-values",
      "-n",
      ns,
      "--from-literal=message=from-secret",
      "--from-literal=port='8080'",
      "--from-literal=hosts={a.example,b.example}",
    ]);
    repo = await TestRepo.create("helm-act");
    repo.write("charts/probe/Chart.yaml", "apiVersion: v2\nname: probe\nversion: 1.0.0\n");
    repo.write(
      "charts/probe/templates/configmap.yaml",
      `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}
data:
  message: {{ .Values.message | default "chart" | quote }}
`,
    );
    repo.write(
      "charts/probe/templates/job.yaml",
      `{{- with .Values.job }}
apiVersion: batch/v1
kind: Job
metadata:
  name: {{ $.Release.Name }}-job
spec:
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      nodeSelector: {{ toJson .nodeSelector }}
      containers:
        - name: job
          image: registry.local/job:1
{{- end }}
`,
    );
    repo.write(
      "charts/probe/templates/deployment.yaml",
      `{{- with .Values.deployment }}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ $.Release.Name }}
spec:
  replicas: 1
  selector:
    matchLabels: {app: {{ $.Release.Name }}}
  template:
    metadata:
      labels: {app: {{ $.Release.Name }}}
      annotations: {message: {{ $.Values.message | default "chart" | quote }}}
    spec:
      nodeSelector: {{ toJson .nodeSelector }}
      containers:
        - name: app
          image: registry.local/app:1
{{- end }}
`,
    );
    writeReleases(1);
    await repo.push("pass 1");
  });
  after(async () => {
    await kubectlRun(["delete", "namespace", ns, recordsNs, "--wait=false"]);
    repo?.cleanup();
  });

  test("pass 1: Jobs waited for, ownership taken, targetPath over inline values", async () => {
    const result = await sync(1);
    // A Job that cannot run fails the install within install.timeout (spec.timeout is 10m);
    // no retries asked for, so the failed release stays for debugging.
    assert.match(outcome(result.stdout, "jobs"), /^failed: Helm install failed /);
    assert.equal((await conditions("jobs")).Ready?.reason, "InstallFailed");
    assert.equal((await release("jobs"))?.status, "failed");
    assert.match(outcome(result.stdout, "jobs-skipped"), /^installed/);
    // The ConfigMap made by hand now belongs to the release, with the chart's data.
    assert.match(outcome(result.stdout, "owned"), /^installed/);
    assert.equal(
      await kubectl([
        "get",
        "configmap",
        "-n",
        ns,
        "owned",
        "-o",
        "jsonpath={.metadata.annotations.meta\\.helm\\.sh/release-name} {.data.message}",
      ]),
      "owned chart",
    );
    assert.match(outcome(result.stdout, "not-owned"), /^failed: Helm install failed /);
    assert.match((await conditions("not-owned")).Ready?.message ?? "", /cannot be imported/);
    assert.equal(
      await kubectl(["get", "configmap", "-n", ns, "not-owned", "-o", "jsonpath={.data.message}"]),
      "by-hand",
    );
    assert.match(outcome(result.stdout, "target"), /^installed/);
    assert.deepEqual(await userValues("target"), {
      config: { message: "from-secret", level: "info" },
      ingress: { ports: ["8080", 443] },
      extra: { hosts: ["a.example", "b.example"] },
    });
    assert.match(outcome(result.stdout, "back"), /^installed/);
  });

  test("pass 2: preserveValues keeps a removed value; a failed upgrade rolls back without waiting", async () => {
    writeReleases(2);
    await repo.push("pass 2");
    const result = await sync(1);
    assert.match(outcome(result.stdout, "preserve"), /^upgraded/);
    assert.deepEqual(await userValues("preserve"), { message: "two", extra: "kept" });
    assert.match(outcome(result.stdout, "back"), /^rolled-back/);
    const back = await conditions("back");
    assert.equal(back.Ready?.reason, "UpgradeFailed");
    assert.equal(back.Remediated?.reason, "RollbackSucceeded", back.Remediated?.message);
    assert.deepEqual(await release("back"), {
      ...(await release("back")),
      revision: "3",
      status: "deployed",
    });
  });
});
