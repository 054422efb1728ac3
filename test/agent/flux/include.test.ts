// A GitRepository's spec.include (source.toolkit.fluxcd.io/v1): the decisions as a
// table (include.ts), then end to end with `tether sync --once` against the local Git
// server and Kubernetes: repository A includes B's deploy/ at shared/, a Kustomization
// of A applies what only B has, and a push to B alone is applied on the next pass.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  IncludeError,
  includeCycle,
  insidePath,
  placeInclude,
  planIncludes,
  withIncludes,
} from "../../../agent/flux/include.ts";
import { runFluxPass } from "../../../agent/flux/pass.ts";
import type { SourceContext } from "../../../agent/flux/source.ts";
import { KubeClient } from "../../../shared/kube/client.ts";
import type { KubeObject } from "../../../shared/manifests/object.ts";
import { TestRepo } from "../../helpers/git-repo.ts";
import { exists, getJson, kubectl, kubectlRun } from "../../helpers/kubectl.ts";
import { testenv } from "../../helpers/testenv.ts";
import { syncOnce } from "../../helpers/tether.ts";

describe("include decisions", () => {
  test("paths stay inside the artifact, as securejoin keeps them", () => {
    const cases: [string | undefined, string][] = [
      [undefined, ""],
      ["", ""],
      [".", ""],
      ["./deploy/", "deploy"],
      ["deploy//app", "deploy/app"],
      ["../x", "x"],
      ["../../a/../b", "b"],
      ["/abs/path", "abs/path"],
      ["..", ""],
    ];
    for (const [input, expected] of cases) assert.equal(insidePath(input), expected, `${input}`);
  });

  test("planIncludes: defaults, and what is refused", () => {
    assert.deepEqual(planIncludes([{ repository: { name: "b" } }]), [
      { name: "b", from: "", to: "b" },
    ]);
    assert.deepEqual(
      planIncludes([{ repository: { name: "b" }, fromPath: "./deploy", toPath: "../shared/" }]),
      [{ name: "b", from: "deploy", to: "shared" }],
    );
    assert.throws(() => planIncludes([{ fromPath: "x" }]), IncludeError);
    assert.throws(
      () => planIncludes([{ repository: { name: "b" }, toPath: ".." }]),
      /root of the artifact/,
    );
  });

  test("placeInclude: what an existing path at toPath means (rename's rules)", () => {
    assert.deepEqual(placeInclude("dir", "none"), { ok: true });
    assert.deepEqual(placeInclude("file", "none"), { ok: true });
    assert.deepEqual(placeInclude("file", "file"), { ok: true });
    assert.deepEqual(placeInclude("dir", "emptyDir"), { ok: true });
    assert.equal(placeInclude("dir", "dir").ok, false);
    assert.equal(placeInclude("dir", "file").ok, false);
    assert.equal(placeInclude("file", "dir").ok, false);
    assert.equal(placeInclude("file", "emptyDir").ok, false);
  });

  test("includeCycle: the path back to the start, or none", () => {
    const graph = new Map([
      ["a", ["b"]],
      ["b", ["c"]],
      ["c", []],
    ]);
    assert.equal(
      includeCycle("a", (n) => graph.get(n)),
      undefined,
    );
    graph.set("c", ["a"]);
    assert.deepEqual(
      includeCycle("a", (n) => graph.get(n)),
      ["a", "b", "c", "a"],
    );
    assert.deepEqual(
      includeCycle("x", (n) => (n === "x" ? ["x"] : undefined)),
      ["x", "x"],
    );
  });
});

// In-process: both repositories name the agent's own URL, so both are the agent's
// checkout (a folder of this test) and nothing is fetched; the client is a map.
describe("building an artifact with includes (in-process)", () => {
  const root = mkdtempSync(join(tmpdir(), "tether-include-unit-"));
  const own = join(root, "checkout");
  const cache = join(root, "cache");
  const outside = join(root, "outside");
  after(() => rmSync(root, { recursive: true, force: true }));
  const url = "https://git.invalid/own.git";
  const file = (path: string, text = "x: 1\n") => {
    mkdirSync(join(own, path, ".."), { recursive: true });
    writeFileSync(join(own, path), text);
  };
  file("deploy/app.yaml", "from: deploy\n");
  file("deploy/drafts/draft.yaml");
  file("taken/file.yaml");
  mkdirSync(outside);
  symlinkSync(outside, join(own, "escape"));
  symlinkSync("../../../../etc/passwd", join(own, "deploy/passwd"));
  // A link inside B (to B's own common/), and links inside A (to A's own taken/).
  file("common/config.yaml", "owner: B\n");
  symlinkSync("../common/config.yaml", join(own, "deploy/config.yaml"));
  symlinkSync("taken", join(own, "alias"));
  symlinkSync("taken/file.yaml", join(own, "alias.yaml"));
  // Another repository A (not the agent's checkout), with a common/config.yaml of its own.
  const otherA = join(root, "other-a");
  mkdirSync(join(otherA, "common"), { recursive: true });
  writeFileSync(join(otherA, "common/config.yaml"), "owner: A\n");
  const repo = (name: string, spec: Record<string, unknown>): KubeObject => ({
    apiVersion: "source.toolkit.fluxcd.io/v1",
    kind: "GitRepository",
    metadata: { name, namespace: "ns" },
    spec: { url, ref: { branch: "main" }, ...spec },
  });
  interface BuildOptions {
    /** A's own files (default: the agent's checkout, which B is too). */
    base?: string;
    /** More of A: its spec (suspend) and status. */
    a?: Partial<KubeObject>;
    /** The client's get, in place of the map of a and b. */
    get?: (name: string) => Promise<KubeObject | undefined>;
  }
  const build = (include: unknown[], b: Record<string, unknown> = {}, opts: BuildOptions = {}) => {
    const a = repo("a", { include });
    const objects = new Map([
      ["a", { ...a, ...opts.a, spec: { ...(a.spec as object), ...(opts.a?.spec as object) } }],
      ["b", repo("b", b)],
    ]);
    const client = {
      get: async (ref: { name: string }) => (opts.get ? opts.get(ref.name) : objects.get(ref.name)),
    } as unknown as KubeClient;
    const ctx: SourceContext = {
      client,
      cacheDir: cache,
      own: { url, dir: own, revision: "main@sha1:0123", ref: { branch: "main" } },
    };
    const base = { dir: opts.base ?? own, revision: "main@sha1:0123", own: !opts.base };
    return withIncludes(objects.get("a") as KubeObject, base, ctx);
  };

  test("B's folder at toPath, by B's ignore rules; its links left out, as Flux's artifact has none", async () => {
    const built = await build([{ repository: { name: "b" }, fromPath: "deploy", toPath: "x" }], {
      ignore: "/deploy/drafts/",
    });
    assert.equal(readFileSync(join(built.dir, "x/app.yaml"), "utf8"), "from: deploy\n");
    assert.equal(existsSync(join(built.dir, "x/drafts")), false);
    // source-controller's archive skips whatever is not a file or a folder.
    assert.equal(lstatSync(join(built.dir, "x/passwd"), { throwIfNoEntry: false }), undefined);
    assert.equal(lstatSync(join(built.dir, "x/config.yaml"), { throwIfNoEntry: false }), undefined);
    assert.equal(built.revision, "main@sha1:0123");
    assert.match(built.included?.digest ?? "", /^sha256:/);
    // The checkout is left as it was; the artifact is a folder of the cache.
    assert.equal(existsSync(join(own, "x")), false);
    assert.equal(built.dir.startsWith(join(cache, "includes")), true);
  });

  test("what is refused: a taken path, a link out of the artifact, a path B's artifact lacks", async () => {
    const fails = (include: unknown[], pattern: RegExp, b: Record<string, unknown> = {}) =>
      assert.rejects(build(include, b), (error: Error) => {
        assert.ok(error instanceof IncludeError, String(error));
        assert.match(error.message, pattern);
        return true;
      });
    await fails(
      [{ repository: { name: "b" }, fromPath: "deploy", toPath: "taken" }],
      /already holds a folder/,
    );
    await fails([{ repository: { name: "b" }, fromPath: "deploy", toPath: "escape/in" }], /leaves/);
    assert.deepEqual(readdirSync(outside), []);
    await fails([{ repository: { name: "b" }, fromPath: "nothing-here" }], /not in its artifact/);
    await fails([{ repository: { name: "b" }, fromPath: "deploy/drafts" }], /not in its artifact/, {
      ignore: "/deploy/drafts/",
    });
    await fails([{ repository: { name: "c" } }], /include 'c' unavailable: .*not found/);
  });

  test("a link in B never lands in A: not where it would resolve to A's own file, not as fromPath", async () => {
    const built = await build(
      [{ repository: { name: "b" }, fromPath: "deploy", toPath: "shared" }],
      {},
      { base: otherA },
    );
    assert.equal(readFileSync(join(built.dir, "shared/app.yaml"), "utf8"), "from: deploy\n");
    // B's deploy/config.yaml -> ../common/config.yaml would read A's common/config.yaml here.
    assert.equal(
      lstatSync(join(built.dir, "shared/config.yaml"), { throwIfNoEntry: false }),
      undefined,
    );
    assert.equal(readFileSync(join(built.dir, "common/config.yaml"), "utf8"), "owner: A\n");
    // A fromPath that is a link names nothing in B's artifact.
    await assert.rejects(
      build(
        [{ repository: { name: "b" }, fromPath: "deploy/config.yaml", toPath: "one.yaml" }],
        {},
        { base: otherA },
      ),
      /not in its artifact/,
    );
  });

  test("a toPath that is, or passes through, a link in A is refused; the file it leads to is left as it was", async () => {
    for (const toPath of ["alias.yaml", "alias/sub"]) {
      await assert.rejects(
        build([{ repository: { name: "b" }, fromPath: "deploy/app.yaml", toPath }]),
        (error: Error) => {
          assert.ok(error instanceof IncludeError, String(error));
          assert.equal(error.reason, "IllegalPath");
          assert.match(error.message, /is a link/);
          return true;
        },
      );
    }
    assert.equal(readFileSync(join(own, "taken/file.yaml"), "utf8"), "x: 1\n");
  });

  test("an API error reading an include is its error, not 'not found'", async () => {
    const { KubeApiError } = await import("../../../shared/kube/errors.ts");
    await assert.rejects(
      build(
        [{ repository: { name: "b" } }],
        {},
        {
          get: async (name) => {
            if (name === "a") return repo("a", { include: [{ repository: { name: "b" } }] });
            throw new KubeApiError(403, "Forbidden", 'gitrepositories "b" is forbidden', {});
          },
        },
      ),
      (error: Error) => {
        assert.ok(error instanceof IncludeError, String(error));
        assert.match(error.message, /include 'b'.*forbidden/);
        assert.doesNotMatch(error.message, /not found/);
        return true;
      },
    );
  });

  test("a built folder is never in place without its description", async () => {
    const include = [
      { repository: { name: "b" }, fromPath: "deploy/app.yaml", toPath: "one.yaml" },
    ];
    const first = await build(include);
    // The description cannot be written (its path is taken): the build fails, and leaves
    // no folder that a reader would take as half-made.
    rmSync(first.dir, { recursive: true });
    rmSync(`${first.dir}.json`);
    mkdirSync(`${first.dir}.json`);
    try {
      await assert.rejects(build(include));
      assert.ok(
        !existsSync(first.dir) || lstatSync(`${first.dir}.json`).isFile(),
        "the folder is in place without its description",
      );
    } finally {
      rmSync(`${first.dir}.json`, { recursive: true });
      rmSync(first.dir, { recursive: true, force: true });
    }
  });

  test("a suspended A serves the include folder its status names, and none if it has none", async () => {
    const include = [
      { repository: { name: "b" }, fromPath: "deploy/app.yaml", toPath: "one.yaml" },
    ];
    const built = await build(include);
    const status = { artifact: { revision: "main@sha1:0123", digest: built.included?.digest } };
    const again = await build(include, {}, { a: { spec: { suspend: true }, status } });
    assert.equal(again.dir, built.dir);
    assert.equal(again.included?.digest, built.included?.digest);
    await assert.rejects(
      build(
        include,
        {},
        {
          a: { spec: { suspend: true }, status: { artifact: { digest: "sha256:other" } } },
        },
      ),
      /ns\/a is suspended and has no artifact/,
    );
  });
});

const id = randomBytes(3).toString("hex");
const fs = `fsinc-${id}`;
const app = `incapp-${id}`;
const recordsNs = `tether-inc-${id}`;
const cacheDir = join(tmpdir(), `tether-inc-cache-${id}`);
let repo: TestRepo;
let repoA: TestRepo;
let repoB: TestRepo;

const sync = (exit?: number) =>
  syncOnce({ url: repo.url, path: "clusters/staging", namespace: recordsNs, cacheDir }, { exit });

interface Status {
  conditions?: { type: string; status: string; reason: string; message: string }[];
  artifact?: { revision: string; digest: string };
  includedArtifacts?: { revision: string; digest: string }[];
  lastAppliedRevision?: string;
}
const readyOf = (status: Status | undefined) => status?.conditions?.find((c) => c.type === "Ready");
const statusOf = async (kind: string, name: string) =>
  (await getJson([kind, name, "-n", fs])).status as Status;

const configMap = (name: string, data: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}, namespace: ${app}}\ndata: {${data}}\n`;

const gitRepository = (
  name: string,
  url: string,
  extra = "",
) => `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: ${name}, namespace: ${fs}}
spec:
  interval: 5m
  url: ${url}
  ref: {branch: main}
  secretRef: {name: git-auth}
${extra}---
`;

const kustomization = (name: string, path: string) => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: ${name}, namespace: ${fs}}
spec:
  interval: 1h
  prune: true
  path: ${path}
  sourceRef: {kind: GitRepository, name: a}
---
`;

const sources = (includes: string) =>
  gitRepository("a", repoA.plainUrl, `  include:\n${includes}`) +
  gitRepository("b", repoB.plainUrl) +
  kustomization("shared", "./shared") +
  kustomization("clamped", "./outside");

const goodIncludes = `    - repository: {name: b}
      fromPath: deploy
      toPath: shared
    - repository: {name: b}
      fromPath: ../extra
      toPath: ../../outside
`;

before(async () => {
  const env = testenv();
  for (const ns of [fs, app]) await kubectl(["create", "namespace", ns]);
  await kubectl([
    "create",
    "secret",
    "generic",
    "git-auth",
    "-n",
    fs,
    `--from-literal=username=${env.gitUser}`,
    `--from-literal=password=${env.gitPassword}`,
  ]);
  repoA = await TestRepo.create("inc-a");
  await repoA.write("README.md", "repository A: its manifests come from B\n").push("a");
  repoB = await TestRepo.create("inc-b");
  await repoB
    .write("deploy/settings.yaml", configMap("from-b", "version: one"))
    .write("extra/extra.yaml", configMap("extra-b", "from: extra"))
    .write("other/not-included.yaml", configMap("not-included", "from: other"))
    .push("b");
  repo = await TestRepo.create("inc-agent");
  repo.write("clusters/staging/sources.yaml", sources(goodIncludes));
  await repo.push("A includes B");
});

after(async () => {
  for (const ns of [app, fs, recordsNs]) {
    await kubectlRun(["delete", "namespace", ns, "--wait=false"]);
  }
  for (const r of [repo, repoA, repoB]) r?.cleanup();
  rmSync(cacheDir, { recursive: true, force: true });
});

describe("a GitRepository that includes another", () => {
  let digest = "";
  let aRevision = "";

  test("A's Kustomization applies what only B has, at A's toPath; A's checkout is left as it was", async () => {
    const result = await sync(0);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.equal((await getJson(["configmap", "from-b", "-n", app])).data.version, "one");
    // `..` in fromPath and toPath stays inside: B's extra/ at the artifact's outside/.
    assert.equal((await getJson(["configmap", "extra-b", "-n", app])).data.from, "extra");
    assert.equal(await exists("configmap", "not-included", "-n", app), false);

    const ks = await statusOf("kustomizations.kustomize.toolkit.fluxcd.io", "shared");
    assert.equal(readyOf(ks)?.status, "True", JSON.stringify(ks));
    const a = await statusOf("gitrepositories.source.toolkit.fluxcd.io", "a");
    const b = await statusOf("gitrepositories.source.toolkit.fluxcd.io", "b");
    assert.equal(readyOf(a)?.status, "True", JSON.stringify(a));
    // A's revision is its own commit; the included artifacts are listed in spec order.
    assert.match(a.artifact?.revision ?? "", /^main@sha1:[0-9a-f]{40}$/);
    assert.equal(ks.lastAppliedRevision, a.artifact?.revision);
    assert.equal(a.includedArtifacts?.length, 2);
    assert.equal(a.includedArtifacts?.[0]?.revision, b.artifact?.revision);
    // Each as the included repository's own status names its artifact.
    assert.equal(a.includedArtifacts?.[0]?.digest, b.artifact?.digest);
    digest = a.artifact?.digest ?? "";
    aRevision = a.artifact?.revision ?? "";

    // No checkout in the cache got B's files written into it, and nothing left the cache.
    for (const entry of readdirSync(cacheDir)) {
      if (!existsSync(join(cacheDir, entry, ".git"))) continue;
      assert.equal(existsSync(join(cacheDir, entry, "shared")), false, entry);
      assert.equal(existsSync(join(cacheDir, entry, "outside")), false, entry);
    }
    assert.equal(existsSync(join(cacheDir, "..", "outside")), false);
  });

  test("a push to B alone is applied on the next pass; A's revision stays, its digest moves", async () => {
    await repoB.write("deploy/settings.yaml", configMap("from-b", "version: two")).push("b two");
    const result = await sync(0);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.equal((await getJson(["configmap", "from-b", "-n", app])).data.version, "two");
    const a = await statusOf("gitrepositories.source.toolkit.fluxcd.io", "a");
    const b = await statusOf("gitrepositories.source.toolkit.fluxcd.io", "b");
    assert.equal(a.artifact?.revision, aRevision);
    assert.notEqual(a.artifact?.digest, digest);
    assert.equal(a.includedArtifacts?.[0]?.revision, b.artifact?.revision);
  });

  test("an include that is not there: A is not ready, its Kustomizations fail and say why", async () => {
    repo.write(
      "clusters/staging/sources.yaml",
      sources(`${goodIncludes}    - repository: {name: missing}\n`),
    );
    await repo.push("A includes a repository that does not exist");
    const result = await sync(1);
    assert.equal(result.code, 1, result.stdout + result.stderr);
    const ks = await statusOf("kustomizations.kustomize.toolkit.fluxcd.io", "shared");
    assert.equal(readyOf(ks)?.status, "False");
    assert.equal(readyOf(ks)?.reason, "ArtifactFailed");
    assert.match(readyOf(ks)?.message ?? "", /include 'missing'/);
    const a = await statusOf("gitrepositories.source.toolkit.fluxcd.io", "a");
    assert.equal(readyOf(a)?.status, "False", JSON.stringify(a));
    assert.match(readyOf(a)?.message ?? "", /include 'missing'/);
    assert.equal(
      a.conditions?.find((c) => c.type === "IncludeUnavailable")?.status,
      "True",
      JSON.stringify(a),
    );
    // Nothing is pruned on a failed source: B's ConfigMap stays.
    assert.equal((await getJson(["configmap", "from-b", "-n", app])).data.version, "two");
  });

  test("includes that include each other are refused, with the cycle named", async () => {
    repo.write(
      "clusters/staging/sources.yaml",
      sources(goodIncludes).replace(
        "  secretRef: {name: git-auth}\n---\napiVersion: kustomize",
        "  secretRef: {name: git-auth}\n  include:\n    - repository: {name: a}\n---\napiVersion: kustomize",
      ),
    );
    await repo.push("B includes A");
    await sync(1);
    const ks = await statusOf("kustomizations.kustomize.toolkit.fluxcd.io", "shared");
    assert.equal(readyOf(ks)?.reason, "ArtifactFailed");
    assert.match(readyOf(ks)?.message ?? "", /include cycle/);
  });

  test("fixed, A is Ready again; the agent's own repository can include too", async () => {
    await repoB.write("own/own.yaml", configMap("for-self", "from: b-for-self")).push("b own");
    repo.write("clusters/staging/sources.yaml", sources(goodIncludes));
    // The agent's repository as a GitRepository of its own (not the entry point), with B's
    // own/ included: built from the agent's checkout plus B, not written into it.
    repo.write(
      "clusters/staging/self.yaml",
      `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: self, namespace: ${fs}}
spec:
  interval: 5m
  url: ${repo.plainUrl}
  ref: {branch: main}
  include:
    - repository: {name: b}
      fromPath: own
      toPath: included/own
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: self-included, namespace: ${fs}}
spec:
  interval: 1h
  prune: true
  path: ./included
  sourceRef: {kind: GitRepository, name: self}
`,
    );
    await repo.push("fixed; self includes B");
    const result = await sync(0);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    const a = await statusOf("gitrepositories.source.toolkit.fluxcd.io", "a");
    assert.equal(readyOf(a)?.status, "True", JSON.stringify(a));
    assert.equal(
      a.conditions?.find((c) => c.type === "IncludeUnavailable"),
      undefined,
    );
    assert.equal((await getJson(["configmap", "for-self", "-n", app])).data.from, "b-for-self");
    const self = await statusOf("gitrepositories.source.toolkit.fluxcd.io", "self");
    assert.equal(readyOf(self)?.status, "True", JSON.stringify(self));
    assert.equal(self.includedArtifacts?.length, 1);
    for (const entry of readdirSync(cacheDir)) {
      if (!existsSync(join(cacheDir, entry, ".git"))) continue;
      assert.equal(existsSync(join(cacheDir, entry, "included")), false, entry);
    }
  });

  test("A suspended: a push to B changes nothing A serves; resumed, it is applied", async () => {
    const before = await statusOf("gitrepositories.source.toolkit.fluxcd.io", "a");
    // `flux suspend source git a` patches the live object; Tether's applies from Git do
    // not own spec.suspend, so it stays.
    const suspend = (on: boolean) =>
      kubectl([
        "patch",
        "gitrepositories.source.toolkit.fluxcd.io",
        "a",
        "-n",
        fs,
        "--type",
        "merge",
        "-p",
        JSON.stringify({ spec: { suspend: on } }),
      ]);
    await suspend(true);
    await repoB
      .write("deploy/settings.yaml", configMap("from-b", "version: three"))
      .push("b three");
    const result = await sync(0);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.equal((await getJson(["configmap", "from-b", "-n", app])).data.version, "two");
    const a = await statusOf("gitrepositories.source.toolkit.fluxcd.io", "a");
    assert.equal(a.artifact?.revision, before.artifact?.revision);
    assert.equal(a.artifact?.digest, before.artifact?.digest);

    await suspend(false);
    const resumed = await sync(0);
    assert.equal(resumed.code, 0, resumed.stdout + resumed.stderr);
    assert.equal((await getJson(["configmap", "from-b", "-n", app])).data.version, "three");
  });

  test("the agent's entry point with spec.include: said once per process, not on every pass", async () => {
    // In-process, two passes of the long-running agent: the entry point (a GitRepository
    // of the agent's URL and the Kustomization of the unit's path, both applied by it).
    const name = `entry-${id}`;
    await kubectl(
      ["apply", "-f", "-"],
      `${gitRepository(name, repo.plainUrl, "  include:\n    - repository: {name: b}\n")}${kustomization(name, "./clusters/entry").replace("name: a}", `name: ${name}}`)}`,
    );
    const client = await KubeClient.connect({ kubeconfig: testenv().kubeconfig });
    const dir = mkdtempSync(join(tmpdir(), `tether-inc-own-${id}-`));
    const notes: string[] = [];
    try {
      for (let pass = 0; pass < 2; pass++) {
        await runFluxPass({
          client,
          own: {
            url: repo.plainUrl,
            dir,
            revision: `main@sha1:${"0".repeat(40)}`,
            ref: { branch: "main" },
          },
          units: [
            {
              path: "clusters/entry",
              ok: true,
              message: "applied",
              applied: [
                {
                  apiVersion: "source.toolkit.fluxcd.io/v1",
                  kind: "GitRepository",
                  namespace: fs,
                  name,
                },
                {
                  apiVersion: "kustomize.toolkit.fluxcd.io/v1",
                  kind: "Kustomization",
                  namespace: fs,
                  name,
                },
              ],
            },
          ],
          cacheDir,
          dryRun: false,
          note: (line) => notes.push(line),
        });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const said = notes.filter((n) => n.includes("spec.include is not in the agent's entry point"));
    assert.equal(said.length, 1, notes.join("\n"));
  });
});
