// A chart folder in Git whose dependencies are not in its charts/ folder, end to end
// through `tether sync --once` (local Git server, the local chart server with basic
// auth, Kubernetes, helm), as source-controller builds such a chart: a dependency from
// an HTTP repository is fetched with the credentials of the HelmRepository of that URL
// in the namespace, a `file://` one is the chart folder it names; a dependency that
// cannot be had fails the release with its name.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { chartsAuthSecret } from "../../helpers/charts.ts";
import { TestRepo } from "../../helpers/git-repo.ts";
import { kubectl, kubectlRun } from "../../helpers/kubectl.ts";
import { chartsEnv } from "../../helpers/testenv.ts";
import { syncOnce } from "../../helpers/tether.ts";

const id = randomBytes(3).toString("hex");
const ns = `helm-deps-${id}`;
const cacheDir = join(tmpdir(), `tether-helm-deps-cache-${id}`);
let repo: TestRepo;

const readyOf = async (name: string) =>
  (
    JSON.parse(
      await kubectl(["get", "helmreleases.helm.toolkit.fluxcd.io", "-n", ns, name, "-o", "json"]),
    ) as { status?: { conditions?: { type: string; status: string; message: string }[] } }
  ).status?.conditions?.find((c) => c.type === "Ready");
const dataOf = async (name: string) =>
  JSON.parse(await kubectl(["get", "configmap", "-n", ns, name, "-o", "json"])).data;

const release = (name: string, chart: string) => `---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: ${name}, namespace: ${ns}}
spec:
  interval: 10m
  chart:
    spec:
      chart: ${chart}
      sourceRef: {kind: GitRepository, name: self}
`;

describe("HelmRelease chart dependencies not in charts/", { timeout: 600_000 }, () => {
  before(async () => {
    const charts = chartsEnv();
    repo = await TestRepo.create("helm-dependencies");
    await kubectl(["create", "namespace", ns]);
    await chartsAuthSecret(ns);
    repo
      // An umbrella chart: app-demo from the chart server, a library chart beside it.
      .write(
        "charts/umbrella/Chart.yaml",
        `apiVersion: v2
name: umbrella
version: 1.0.0
dependencies:
  - {name: app-demo, version: "~0.1.0", repository: "${charts.url}"}
  - {name: settings, version: "^0.3.0", repository: "file://../settings"}
`,
      )
      .write("charts/umbrella/values.yaml", "app-demo:\n  message: from-umbrella\n")
      .write("charts/settings/Chart.yaml", "apiVersion: v2\nname: settings\nversion: 0.3.1\n")
      .write("charts/settings/values.yaml", "note: from-settings\n")
      .write(
        "charts/settings/templates/configmap.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-settings\ndata:\n  note: {{ .Values.note | quote }}\n",
      )
      // A chart whose dependency's range matches no version.
      .write(
        "charts/unmet/Chart.yaml",
        `apiVersion: v2
name: unmet
version: 1.0.0
dependencies:
  - {name: settings, version: "^9.0.0", repository: "file://../settings"}
`,
      )
      .write("charts/unmet/values.yaml", "")
      .write(
        "clusters/dev/releases.yaml",
        `apiVersion: v1
kind: Namespace
metadata: {name: ${ns}}
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: self, namespace: ${ns}}
spec: {interval: 1m, url: ${repo.plainUrl}, ref: {branch: main}}
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata: {name: charts, namespace: ${ns}}
spec: {interval: 10m, url: "${charts.url}", secretRef: {name: charts-auth}}
${release("umbrella", "./charts/umbrella")}${release("unmet", "./charts/unmet")}`,
      );
    await repo.push("an umbrella chart with dependencies not in Git");
  });
  after(async () => {
    await kubectlRun(["delete", "namespace", ns, `tether-helm-deps-${id}`, "--wait=false"]);
    repo?.cleanup();
    rmSync(cacheDir, { recursive: true, force: true });
  });

  test("dependencies are fetched (with the HelmRepository's credentials) and installed", async () => {
    const result = await syncOnce(
      { url: repo.url, path: "clusters/dev", namespace: `tether-helm-deps-${id}`, cacheDir },
      { exit: 1 }, // the unmet release fails
    );
    const output = result.stdout + result.stderr;
    assert.equal((await readyOf("umbrella"))?.status, "True", output);
    assert.equal((await dataOf("umbrella-config")).message, "from-umbrella");
    assert.equal((await dataOf("umbrella-config")).chartVersion, "0.1.1");
    assert.equal((await dataOf("umbrella-settings")).note, "from-settings");

    const unmet = await readyOf("unmet");
    assert.equal(unmet?.status, "False", output);
    assert.match(unmet?.message ?? "", /settings/);
    assert.match(unmet?.message ?? "", /\^9\.0\.0/);
    assert.doesNotMatch(output, new RegExp(chartsEnv().password));
  });
});
