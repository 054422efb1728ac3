// OCI charts when the registry goes away: the local distribution registry is reached
// through a TCP proxy that the test takes down (connections refused, as a lost link or
// a stopped registry). A chart version pulled before is served from the cache, and says
// so; one never pulled fails. Then the agent: a HelmRelease from a `type: oci`
// HelmRepository stays Ready on a pass without the registry, and its Ready message
// says the chart came from the cache (and stops saying so once the registry is back).
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { pullFromOci } from "../../../shared/charts/pull.ts";
import { FaultProxy } from "../../helpers/fault-proxy.ts";
import { TestRepo } from "../../helpers/git-repo.ts";
import { kubectl, kubectlRun } from "../../helpers/kubectl.ts";
import { chartsEnv } from "../../helpers/testenv.ts";
import { tether } from "../../helpers/tether.ts";

const id = randomBytes(3).toString("hex");
const ns = `helm-oci-off-${id}`;
const recordsNs = `tether-helm-oci-off-${id}`;
const dir = mkdtempSync(join(tmpdir(), "tether-oci-offline-"));
let proxy: FaultProxy;
let repo: TestRepo;

/** The charts' OCI URL with the registry's host:port replaced by the proxy's. */
const viaProxy = () => chartsEnv().oci.replace(/^oci:\/\/[^/]+/, `oci://127.0.0.1:${proxy.port}`);

const readyMessage = async () =>
  kubectl([
    "get",
    "helmreleases.helm.toolkit.fluxcd.io",
    "-n",
    ns,
    "app",
    "-o",
    "jsonpath={.status.conditions[?(@.type=='Ready')].status} {.status.conditions[?(@.type=='Ready')].message}",
  ]);

const sync = () =>
  tether([
    "sync",
    "--once",
    "--git-url",
    repo.url,
    "--git-branch",
    "main",
    "--git-path",
    "clusters/dev",
    "--namespace",
    recordsNs,
    "--cache-dir",
    join(dir, "agent"),
  ]);

describe("OCI charts without the registry", { timeout: 300_000 }, () => {
  before(async () => {
    const [host, port] = (/^oci:\/\/([^/]+)/.exec(chartsEnv().oci)?.[1] ?? "").split(":");
    proxy = await FaultProxy.start(host ?? "127.0.0.1", Number(port));
  });
  after(async () => {
    await proxy?.down();
    await kubectlRun(["delete", "namespace", ns, recordsNs, "--wait=false"]);
    repo?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  test("a version pulled before comes from the cache and says so; one never pulled fails", async () => {
    await proxy.up();
    const cacheDir = join(dir, "pull");
    const request = { url: viaProxy(), chart: "app-demo", insecure: true, cacheDir };
    const online = await pullFromOci({ ...request, version: "0.1.x" });
    assert.equal(online.fromCache, undefined);
    const byTag = await pullFromOci({ ...request, tag: "0.1.0" });
    await proxy.down();
    const offline = await pullFromOci({ ...request, version: "0.1.x" });
    assert.deepEqual(
      { ...offline, fromCache: undefined },
      { ...online, fromCache: undefined },
      "the same version, digest and file",
    );
    assert.match(offline.fromCache ?? "", /^registry unreachable \(.+\); used the cached chart$/);
    // OCIRepository ref.tag: the tag pulled before.
    const tagged = await pullFromOci({ ...request, tag: "0.1.0" });
    assert.equal(tagged.digest, byTag.digest);
    assert.ok(tagged.fromCache);
    // Nothing cached for this range: the registry's failure, not a stale chart.
    await assert.rejects(pullFromOci({ ...request, version: "0.2.x" }), {
      name: "ChartError",
      message: /oci:\/\/127\.0\.0\.1:\d+\/charts\/app-demo: /,
    });
  });

  test("a chart pulled with a login is served offline to that login (or its Secret) only", async () => {
    await proxy.up();
    const request = {
      url: viaProxy(),
      chart: "app-demo",
      version: "0.1.x",
      insecure: true,
      cacheDir: join(dir, "logins"),
    };
    const teamA = { username: "team-a", password: "a-secret" };
    await pullFromOci({ ...request, credentials: teamA });
    await proxy.down();
    assert.ok((await pullFromOci({ ...request, credentials: teamA })).fromCache);
    await assert.rejects(pullFromOci(request), { name: "ChartError" });
    await assert.rejects(
      pullFromOci({ ...request, credentials: { username: "team-b", password: "b-secret" } }),
      { name: "ChartError" },
    );
    // A login from a Secret counts by the Secret: its rotated token still finds the chart.
    await proxy.up();
    const fromSecret = {
      ...request,
      cacheDir: join(dir, "rotated"),
      credentialsFrom: "apps/registry",
    };
    await pullFromOci({ ...fromSecret, credentials: teamA });
    await proxy.down();
    const rotated = { username: "team-a", password: "rotated-secret" };
    assert.ok((await pullFromOci({ ...fromSecret, credentials: rotated })).fromCache);
    await assert.rejects(
      pullFromOci({ ...fromSecret, credentialsFrom: "apps/other", credentials: rotated }),
      { name: "ChartError" },
    );
  });

  test("the agent: Ready stays True without the registry and the message says the chart is cached", async () => {
    await proxy.up();
    await kubectl(["create", "namespace", ns]);
    repo = await TestRepo.create("helm-oci-off");
    repo.write(
      "clusters/dev/app.yaml",
      `apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata: {name: oci-charts, namespace: ${ns}}
spec: {type: oci, insecure: true, interval: 10m, url: "${viaProxy()}"}
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: app, namespace: ${ns}}
spec:
  interval: 10m
  chart:
    spec:
      chart: app-demo
      version: "~0.1.0"
      sourceRef: {kind: HelmRepository, name: oci-charts}
`,
    );
    await repo.push("oci release");
    const first = await sync();
    assert.equal(first.code, 0, first.stdout + first.stderr);
    assert.match(await readyMessage(), /^True Helm install succeeded .*app-demo@0\.1\.1$/);

    await proxy.down();
    const offline = await sync();
    assert.equal(offline.code, 0, offline.stdout + offline.stderr);
    assert.match(offline.stdout, /helm unchanged: registry unreachable/);
    assert.match(
      await readyMessage(),
      /^True Helm install succeeded .*app-demo@0\.1\.1; chart from cache: registry unreachable \(.+\); used the cached chart$/,
    );

    await proxy.up();
    const back = await sync();
    assert.equal(back.code, 0, back.stdout + back.stderr);
    assert.match(await readyMessage(), /^True Helm install succeeded .*app-demo@0\.1\.1$/);
  });
});
