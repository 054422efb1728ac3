// Prune safety end to end: `tether sync --once` and `tether diff` against the local Git
// server and API server. Every rule that keeps an object from being deleted has a
// witness, an object that the broken rule would delete; the test asserts the witness
// is still in the cluster, the exit code, and (where the rule only holds back a prune)
// that the witness IS pruned once the rule no longer applies, so the witness is known
// to be a real candidate. The steps build on each other, as a person's commits would.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { stringify } from "yaml";
import { TestRepo } from "../helpers/git-repo.ts";
import { exists, kubectl, kubectlRun } from "../helpers/kubectl.ts";
import { neverAvailable } from "../helpers/objects.ts";
import { mustRun, type RunResult } from "../helpers/run.ts";
import { testenv } from "../helpers/testenv.ts";
import { tether } from "../helpers/tether.ts";

const id = randomBytes(3).toString("hex");
const ns = `ps-${id}`;
const nsKept = `ps-${id}-kept`;
const nsPruned = `ps-${id}-pruned`;
const recordsNs = `tether-ps-${id}`;
const group = `ps${id}.tether.dev`;
const work = mkdtempSync(join(tmpdir(), "tether-prune-safety-"));
const cacheDir = join(work, "cache");
let repo: TestRepo;
/** The revision where `witness` left Git and nothing else is wrong. */
let cleanRevision = "";

const cmExists = (name: string, namespace = ns) => exists("configmap", name, "-n", namespace);
/** Gone, or on its way (a Namespace or CRD being finalized). */
const goneOrGoing = async (...args: string[]) => {
  const r = await kubectlRun(["get", ...args, "-o", "jsonpath={.metadata.deletionTimestamp}"]);
  return r.code !== 0 || r.stdout.trim() !== "";
};

const cm = (name: string, annotations: Record<string, string> = {}, data = "v1") =>
  stringify({
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: {
      name,
      namespace: ns,
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
    },
    data: { value: data },
  });
const namespace = (name: string) =>
  stringify({ apiVersion: "v1", kind: "Namespace", metadata: { name } });
const crd = (plural: string, kind: string) =>
  stringify({
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: `${plural}.${group}` },
    spec: {
      group,
      scope: "Namespaced",
      names: { plural, singular: plural.slice(0, -1), kind },
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

interface ConfigOptions {
  pruneCrdsAndNamespaces?: boolean;
  deleteBudget?: string;
  verifyKeysDir?: string;
  /** Unit `app` waits this long for what it applied to be healthy. */
  waitTimeout?: string;
}

/** The agent configuration: unit `app` prunes, unit `other` (after it) does not. */
function config(options: ConfigOptions = {}): string {
  const file = join(work, `config-${randomBytes(3).toString("hex")}.yaml`);
  writeFileSync(
    file,
    stringify({
      namespace: recordsNs,
      git: {
        url: repo.url,
        ...(options.verifyKeysDir ? { verifyKeysDir: options.verifyKeysDir } : {}),
      },
      units: [
        {
          name: "app",
          path: "units/app",
          prune: true,
          pruneCrdsAndNamespaces: options.pruneCrdsAndNamespaces ?? false,
          deleteBudget: options.deleteBudget ?? "off",
          ...(options.waitTimeout ? { wait: true, timeout: options.waitTimeout } : {}),
        },
        { name: "other", path: "units/other", prune: false, dependsOn: ["app"] },
      ],
    }),
  );
  return file;
}

function sync(
  options: ConfigOptions = {},
  extra: string[] = [],
  env: NodeJS.ProcessEnv = {},
): Promise<RunResult> {
  return tether(
    ["sync", "--once", "--config", config(options), "--cache-dir", cacheDir, ...extra],
    {
      env,
    },
  );
}

/** The local environment's PATH with every tool but `helm`: a machine where helm is missing. */
function pathWithoutHelm(): string {
  return testenv()
    .path.split(":")
    .map((dir, i) => {
      if (!existsSync(join(dir, "helm"))) return dir;
      // A folder that holds helm: the same tools, linked one by one, but helm.
      const tools = join(work, `tools-without-helm-${i}`);
      mkdirSync(tools, { recursive: true });
      for (const name of readdirSync(dir)) {
        if (name !== "helm" && !existsSync(join(tools, name)))
          symlinkSync(join(dir, name), join(tools, name));
      }
      return tools;
    })
    .join(":");
}

const show = (r: RunResult) => `exit ${r.code}\n${r.stdout}${r.stderr}`;

function assertExit(r: RunResult, code: number): void {
  assert.equal(r.code, code, show(r));
}

before(async () => {
  repo = await TestRepo.create("prune-safety");
  repo.write("units/app/ns.yaml", namespace(ns));
  repo.write("units/app/ns-kept.yaml", namespace(nsKept));
  repo.write("units/app/crd-kept.yaml", crd("keeps", "Keep"));
  repo.write("units/app/opt-out.yaml", cm("opt-out", { "tether.dev/prune": "disabled" }));
  repo.write(
    "units/app/flux-opt-out.yaml",
    cm("flux-opt-out", { "kustomize.toolkit.fluxcd.io/prune": "disabled" }),
  );
  repo.write("units/app/moved.yaml", cm("moved"));
  repo.write("units/app/unlabelled.yaml", cm("unlabelled"));
  repo.write("units/app/plain.yaml", cm("plain"));
  repo.write("units/app/witness.yaml", cm("witness"));
  repo.write("units/app/stays.yaml", `${cm("stays-1")}---\n${cm("stays-2")}`);
  // `other` applies `moved` after `app` did: the object is then other's.
  repo.write("units/other/moved.yaml", cm("moved"));
  repo.write("units/other/other-kept.yaml", cm("other-kept"));
  repo.write("units/other/other-cm.yaml", cm("other-cm"));
  await repo.push("first");
});

after(async () => {
  repo?.cleanup();
  await kubectlRun([
    "delete",
    "namespace",
    ns,
    nsKept,
    nsPruned,
    recordsNs,
    "--wait=false",
    "--ignore-not-found",
  ]);
  await kubectlRun([
    "delete",
    "crd",
    `keeps.${group}`,
    `drops.${group}`,
    "--wait=false",
    "--ignore-not-found",
  ]);
  rmSync(work, { recursive: true, force: true });
});

describe("prune safety, end to end", () => {
  test("the first sync applies both units; `moved` ends up owned by `other`", async () => {
    const r = await sync();
    assertExit(r, 0);
    assert.match(r.stdout, /unit app .*\n(.*\n)*\s+ok: 11 created/, show(r));
    const label = await kubectl([
      "get",
      "configmap",
      "moved",
      "-n",
      ns,
      "-o",
      "jsonpath={.metadata.labels.tether\\.dev/unit}",
    ]);
    assert.equal(label, "other");
    // Witnesses that a deleted Namespace or CRD would take with them.
    await kubectl(["create", "configmap", "inside", "-n", nsKept, "--from-literal=a=b"]);
    await waitForCrd(`keeps.${group}`);
    await applyByHand({
      apiVersion: `${group}/v1`,
      kind: "Keep",
      metadata: { name: "k1", namespace: ns },
    });
    // Someone took `unlabelled` out of Tether's hands.
    await kubectl(["label", "configmap", "unlabelled", "-n", ns, "tether.dev/unit-"]);
  });

  test("removed from Git: plain objects are pruned; opted-out, moved, unlabelled objects, Namespaces and CRDs are kept; a unit without prune keeps its own", async () => {
    for (const file of [
      "ns-kept.yaml",
      "crd-kept.yaml",
      "opt-out.yaml",
      "flux-opt-out.yaml",
      "moved.yaml",
      "unlabelled.yaml",
      "plain.yaml",
    ])
      repo.remove(`units/app/${file}`);
    repo.remove("units/other/other-kept.yaml");
    await repo.push("remove seven objects from app, one from other");
    const r = await sync();
    assertExit(r, 0);
    // The positive control: the rule set does prune.
    assert.ok(r.stdout.includes(`ConfigMap/${ns}/plain pruned`), show(r));
    assert.equal(await cmExists("plain"), false);
    for (const [line, reason] of [
      [`ConfigMap/${ns}/opt-out kept`, "annotated tether.dev/prune: disabled"],
      [
        `ConfigMap/${ns}/flux-opt-out kept`,
        "annotated kustomize.toolkit.fluxcd.io/prune: disabled",
      ],
      [`ConfigMap/${ns}/moved kept`, "now owned by unit other"],
      [`ConfigMap/${ns}/unlabelled kept`, "no longer labelled as this unit's"],
      [`Namespace/${nsKept} kept`, "Namespaces are pruned only when"],
      [
        `CustomResourceDefinition/keeps.${group} kept`,
        "CustomResourceDefinitions are pruned only when",
      ],
    ]) {
      assert.ok(
        r.stdout.includes(`${line}: ${reason}`),
        `missing "${line}: ${reason}"\n${show(r)}`,
      );
    }
    for (const name of ["opt-out", "flux-opt-out", "moved", "unlabelled", "other-kept"])
      assert.equal(await cmExists(name), true, `${name} was deleted`);
    assert.equal(await exists("namespace", nsKept), true);
    assert.equal(await goneOrGoing("namespace", nsKept), false, `${nsKept} is being deleted`);
    assert.equal(await cmExists("inside", nsKept), true);
    assert.equal(await goneOrGoing("crd", `keeps.${group}`), false, "the CRD is being deleted");
    assert.equal(await exists(`keeps.${group}`, "k1", "-n", ns), true);
  });

  test("pruneCrdsAndNamespaces: a Namespace and a CRD that left Git are pruned", async () => {
    repo.write("units/app/ns-pruned.yaml", namespace(nsPruned));
    repo.write("units/app/crd-pruned.yaml", crd("drops", "Drop"));
    await repo.push("add a Namespace and a CRD");
    assertExit(await sync(), 0);
    assert.equal(await goneOrGoing("namespace", nsPruned), false);
    repo.remove("units/app/ns-pruned.yaml").remove("units/app/crd-pruned.yaml");
    await repo.push("remove them");
    const r = await sync({ pruneCrdsAndNamespaces: true });
    assertExit(r, 0);
    assert.ok(r.stdout.includes(`Namespace/${nsPruned} pruned`), show(r));
    assert.ok(r.stdout.includes(`CustomResourceDefinition/drops.${group} pruned`), show(r));
    assert.equal(await goneOrGoing("namespace", nsPruned), true);
    assert.equal(await goneOrGoing("crd", `drops.${group}`), true);
    // Only what left Git: the kept ones from before are no longer in the inventory.
    assert.equal(await goneOrGoing("namespace", ns), false);
  });

  test("a broken render prunes nothing, and a unit depending on it is skipped", async () => {
    repo.remove("units/app/witness.yaml");
    repo.write(
      "units/app/broken.yaml",
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n",
    );
    repo.write("units/other/other-cm.yaml", cm("other-cm", {}, "v2"));
    await repo.push("witness removed, a broken file, other-cm changed");
    const r = await sync();
    assertExit(r, 1);
    assert.match(r.stdout, /units\/app\/broken\.yaml:\d+: invalid YAML/);
    assert.equal(await cmExists("witness"), true, "witness pruned after a broken render");
    assert.match(r.stdout, /skipped: waiting for app to be ready/);
    const value = await kubectl([
      "get",
      "configmap",
      "other-cm",
      "-n",
      ns,
      "-o",
      "jsonpath={.data.value}",
    ]);
    assert.equal(value, "v1", "a unit whose dependency failed was applied");
  });

  test("a failed apply prunes nothing", async () => {
    repo.remove("units/app/broken.yaml");
    repo.write(
      "units/app/ghost.yaml",
      stringify({
        apiVersion: `${group}/v1`,
        kind: "Ghost",
        metadata: { name: "g", namespace: ns },
      }),
    );
    await repo.push("an object of an unknown kind");
    const r = await sync();
    assertExit(r, 1);
    assert.match(r.stdout, /Ghost\/.*failed: units\/app\/ghost\.yaml:1/);
    assert.equal(await cmExists("witness"), true, "witness pruned after a failed apply");
  });

  test("tether diff --prune shows the prune and deletes nothing", async () => {
    repo.remove("units/app/ghost.yaml");
    cleanRevision = await repo.push("all good again; witness still removed");
    const r = await tether(["diff", "--config", config(), "--cache-dir", cacheDir]);
    assertExit(r, 0);
    assert.ok(r.stdout.includes(`ConfigMap/${ns}/witness pruned`), show(r));
    assert.equal(await cmExists("witness"), true, "diff deleted the witness");
  });

  test("a failed fetch prunes nothing, even with the new revision already in the cache", async () => {
    const wrong = new URL(repo.url);
    wrong.password = "wrong";
    const r = await tether([
      "sync",
      "--once",
      "--config",
      config(),
      "--git-url",
      wrong.toString(),
      "--cache-dir",
      cacheDir,
    ]);
    assertExit(r, 1);
    assert.match(r.stderr, /error: /);
    assert.equal(await cmExists("witness"), true, "witness pruned after a failed fetch");
    const status = JSON.parse(
      (await tether(["status", "--namespace", recordsNs, "-o", "json"], { exit: 0 })).stdout,
    ) as { unit: string; result: string }[];
    assert.equal(status.find((s) => s.unit === "app")?.result, "Failed");
  });

  test("a revision that fails signature verification prunes nothing", async () => {
    const keys = join(work, "keys");
    await mustRun("mkdir", ["-p", keys]);
    await mustRun("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", join(work, "trusted")]);
    await mustRun("cp", [join(work, "trusted.pub"), join(keys, "trusted.pub")]);
    const r = await sync({ verifyKeysDir: keys });
    assertExit(r, 1);
    assert.match(r.stderr, /sign/i);
    assert.equal(await cmExists("witness"), true, "witness pruned from an unverified revision");
  });

  test("past the delete budget nothing is pruned until the revision is confirmed", async () => {
    const r = await sync({ deleteBudget: "1%" });
    assertExit(r, 1);
    assert.match(r.stdout, /more than the delete budget of 1%: nothing pruned/);
    assert.equal(await cmExists("witness"), true, "witness pruned past the budget");
    // A confirmation of another revision does not count.
    await kubectl([
      "annotate",
      "configmap",
      "tether-unit-app",
      "-n",
      recordsNs,
      "tether.dev/confirm-prune=0000000",
    ]);
    assertExit(await sync({ deleteBudget: "1%" }), 1);
    assert.equal(await cmExists("witness"), true, "witness pruned with another revision confirmed");
    await kubectl([
      "annotate",
      "--overwrite",
      "configmap",
      "tether-unit-app",
      "-n",
      recordsNs,
      `tether.dev/confirm-prune=${cleanRevision.slice(0, 7)}`,
    ]);
    const confirmed = await sync({ deleteBudget: "1%" });
    assertExit(confirmed, 0);
    // The witness was a real candidate all along: with every rule satisfied it goes.
    assert.ok(confirmed.stdout.includes(`ConfigMap/${ns}/witness pruned`), show(confirmed));
    assert.equal(await cmExists("witness"), false);
    const value = await kubectl([
      "get",
      "configmap",
      "other-cm",
      "-n",
      ns,
      "-o",
      "jsonpath={.data.value}",
    ]);
    assert.equal(value, "v2", "the dependent unit ran once its dependency was ready");
  });

  test("an unreadable inventory prunes nothing and says so; the next pass starts from the render", async () => {
    repo.remove("units/app/stays.yaml");
    await repo.push("stays-1 and stays-2 leave Git");
    await kubectl([
      "patch",
      "configmap",
      "tether-inventory-app",
      "-n",
      recordsNs,
      "--type=merge",
      "-p",
      '{"data":{"inventory":"{}"}}',
    ]);
    const r = await sync();
    assertExit(r, 1);
    assert.match(r.stdout, /not a list of objects: rebuilt from this render; nothing pruned/);
    assert.equal(await cmExists("stays-1"), true);
    assertExit(await sync(), 0);
  });

  test("a dependency applied but not healthy in time: the dependent unit is skipped", async () => {
    repo.write("units/app/never.yaml", neverAvailable(ns));
    repo.write("units/other/other-cm.yaml", cm("other-cm", {}, "v3"));
    await repo.push("a Deployment that never becomes available; other-cm changed");
    const r = await sync({ waitTimeout: "2s" });
    assertExit(r, 1);
    assert.match(r.stdout, /not healthy: Deployment\/.*never/);
    assert.match(r.stdout, /skipped: waiting for app to be ready/);
    const value = await kubectl([
      "get",
      "configmap",
      "other-cm",
      "-n",
      ns,
      "-o",
      "jsonpath={.data.value}",
    ]);
    assert.equal(value, "v2", "a unit whose dependency is unhealthy was applied");
    repo.remove("units/app/never.yaml");
    await repo.push("the Deployment removed");
    assertExit(await sync({ waitTimeout: "30s" }), 0);
  });

  test("a step that fails after the apply (helm missing) keeps what left Git owned: the next pass prunes it", async () => {
    repo.write("units/app/later.yaml", cm("later"));
    await repo.push("later added");
    assertExit(await sync(), 0);
    // `later` leaves Git as a HelmRelease arrives; helm is missing, so the HelmRelease
    // step fails after everything applied.
    repo.remove("units/app/later.yaml");
    repo.write(
      "units/app/release.yaml",
      stringify({
        apiVersion: "helm.toolkit.fluxcd.io/v2",
        kind: "HelmRelease",
        metadata: { name: "app", namespace: ns },
        spec: {
          interval: "10m",
          chart: { spec: { chart: "app", sourceRef: { kind: "HelmRepository", name: "none" } } },
        },
      }),
    );
    await repo.push("later removed, a HelmRelease added");
    const failed = await sync({}, [], { PATH: pathWithoutHelm() });
    assertExit(failed, 1);
    assert.match(failed.stdout, /helm is not installed/);
    assert.equal(await cmExists("later"), true, "pruned by a failed pass");
    // helm is back and the HelmRelease gone: `later` is still the unit's, and pruned.
    repo.remove("units/app/release.yaml");
    await repo.push("the HelmRelease removed");
    assertExit(await sync(), 0);
    assert.equal(await cmExists("later"), false, "left owned by nobody: never pruned");
  });
});

async function waitForCrd(name: string): Promise<void> {
  await kubectl(["wait", "--for=condition=Established", `crd/${name}`, "--timeout=30s"]);
}

async function applyByHand(object: unknown): Promise<void> {
  await kubectl(
    ["apply", "--server-side", "--field-manager=someone", "-f", "-"],
    JSON.stringify(object),
  );
}
