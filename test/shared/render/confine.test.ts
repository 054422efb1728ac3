// Rendering stays inside the repository: paths are judged after their symlinks, every
// field kustomize resolves is checked for remote references (any scheme, any case) and
// for paths that leave the repository, and nothing is fetched. A local HTTP server
// counts connections, and a stand-in `kustomize` records whether it was run at all:
// every refusal here must happen before kustomize starts.
import assert from "node:assert/strict";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, describe, test } from "node:test";
import { renderPath } from "../../../shared/render/render.ts";
import { confine, OutsideRootError, resolveSymlinks } from "../../../shared/util/confine.ts";
import { run } from "../../helpers/run.ts";
import { tether as tetherCli } from "../../helpers/tether.ts";

let top: string;
let root: string;
let outside: string;
let tools: string;
let kustomizeRan: string;
let server: Server;
let connections = 0;
let url: string;

const write = (path: string, text: string) => {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
};
const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}}\n`;

before(async () => {
  top = mkdtempSync(join(tmpdir(), "tether-confine-"));
  root = join(top, "repo");
  outside = join(top, "outside");
  tools = join(top, "bin");
  kustomizeRan = join(top, "kustomize-ran");
  write(join(outside, "secret.yaml"), cm("from-outside"));
  write(join(outside, "kustomization.yaml"), "resources: [secret.yaml]\n");
  // A stand-in kustomize: it only records that it ran.
  write(join(tools, "kustomize"), `#!/bin/sh\ntouch '${kustomizeRan}'\nexit 1\n`);
  chmodSync(join(tools, "kustomize"), 0o755);
  server = createServer((_req, res) => res.end(cm("from-network")));
  server.on("connection", () => connections++);
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  url = `127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => {
  server.close();
  rmSync(top, { recursive: true, force: true });
});

describe("confine", () => {
  test("a symlink inside is followed; one leaving (even dangling, or through ..) is refused", async () => {
    write(join(root, "apps/a.yaml"), cm("a"));
    symlinkSync("apps", join(root, "alias"));
    symlinkSync(outside, join(root, "escape"));
    symlinkSync(join(outside, "not-yet"), join(root, "dangling"));
    assert.equal(
      await confine(root, "alias/a.yaml"),
      join(await resolveSymlinks(root), "apps/a.yaml"),
    );
    await assert.rejects(confine(root, "escape/secret.yaml"), OutsideRootError);
    await assert.rejects(confine(root, "dangling"), OutsideRootError);
    await assert.rejects(confine(root, "apps/../../outside"), /leaves the repository/);
    // `..` is cleaned as text first (as Go's filepath.Join does for kustomize), so the
    // result is what a consumer given the cleaned path reads: here a path inside.
    assert.equal(await confine(root, "escape/../apps"), join(await resolveSymlinks(root), "apps"));
  });
});

describe("renderPath confinement", () => {
  test("a unit path that is a symlink out of the repository is refused, naming it", async () => {
    symlinkSync(outside, join(root, "unit-out"));
    const result = await renderPath(root, "unit-out", { binary: join(tools, "kustomize") });
    assert.deepEqual(result.manifests, []);
    assert.match(result.errors[0]?.message ?? "", /unit-out leaves the repository/);
    assert.equal(existsSync(kustomizeRan), false);
  });

  test("a plain folder follows symlinks inside the repository and refuses ones that leave", async () => {
    write(join(root, "plain/own.yaml"), cm("own"));
    write(join(root, "shared/common.yaml"), cm("common"));
    symlinkSync("../shared/common.yaml", join(root, "plain/common.yaml"));
    const ok = await renderPath(root, "plain");
    assert.deepEqual(ok.errors, []);
    assert.deepEqual(ok.manifests.map((m) => m.object.metadata.name).sort(), ["common", "own"]);
    symlinkSync(join(outside, "secret.yaml"), join(root, "plain/stolen.yaml"));
    const refused = await renderPath(root, "plain");
    assert.deepEqual(refused.manifests, []);
    assert.match(refused.errors[0]?.message ?? "", /plain\/stolen\.yaml leaves the repository/);
  });

  const refused: [string, string, string][] = [
    ["upper-case HTTP resource", "resources:\n  - HTTP://{url}/secret.yaml\n", "HTTP://"],
    [
      "remote patch",
      "resources: [cm.yaml]\npatches:\n  - path: http://{url}/patch.yaml\n",
      "http://",
    ],
    ["file:// base", "resources:\n  - file:///{outside}//apps\n", "file:///"],
    ["git:: base", "resources:\n  - git::http://{url}/repo.git//apps?ref=main\n", "git::"],
    [
      "github.com shorthand",
      "resources:\n  - github.com/example/fleet/apps?ref=v1\n",
      "github.com/",
    ],
    ["gh: shorthand", "components:\n  - gh:example/fleet//c\n", "gh:"],
    ["scp-like git", "bases:\n  - git@{url}:fleet.git\n", "git@"],
    [
      "generator file",
      "resources: [cm.yaml]\nconfigMapGenerator:\n  - name: g\n    files: [key=Https://{url}/f]\n",
      "Https://",
    ],
    [
      "strategic merge patch",
      "resources: [cm.yaml]\npatchesStrategicMerge:\n  - hTTp://{url}/p.yaml\n",
      "hTTp://",
    ],
    [
      "json6902 patch",
      "resources: [cm.yaml]\npatchesJson6902:\n  - path: https://{url}/p.json\n    target: {kind: ConfigMap, name: x}\n",
      "https://",
    ],
    ["transformer", "resources: [cm.yaml]\ntransformers:\n  - http://{url}/t.yaml\n", "http://"],
    ["base outside the repository", "resources:\n  - ../../../outside\n", "../../../outside"],
    [
      "patch outside the repository",
      "resources: [cm.yaml]\npatches:\n  - path: ../../../outside/secret.yaml\n",
      "../../../outside/secret.yaml",
    ],
    ["remote reference in a local base", "resources: [../remote-base]\n", "HTTPS://"],
  ];
  for (const [what, kustomization, reference] of refused) {
    test(`refused before kustomize runs, without a request: ${what}`, async () => {
      const dir = join(root, "k", what.replaceAll(" ", "-"));
      write(
        join(root, "k/remote-base/kustomization.yaml"),
        `resources:\n  - HTTPS://${url}/x.yaml\n`,
      );
      write(join(dir, "cm.yaml"), cm("x"));
      write(
        join(dir, "kustomization.yaml"),
        kustomization.replaceAll("{url}", url).replaceAll("{outside}", outside.slice(1)),
      );
      const before = connections;
      const result = await renderPath(root, `k/${what.replaceAll(" ", "-")}`, {
        binary: join(tools, "kustomize"),
      });
      assert.deepEqual(result.manifests, []);
      const message = result.errors[0]?.message ?? "";
      assert.ok(message.includes(reference), message);
      assert.equal(connections, before, "no network request");
      assert.equal(existsSync(kustomizeRan), false, "kustomize never ran");
    });
  }
});

describe("tether render and validate (contract)", () => {
  // A refused reference is an error in the repository: exit 1 (unless said otherwise).
  const tether = (args: string[], cwd: string, exit = 1) =>
    tetherCli(args, { cwd, env: { PATH: `${tools}:${process.env.PATH}` }, exit });

  test("render: a symlink leaving the repository, HTTP:// and a remote patch exit 1 naming the reference", async () => {
    const repo = join(top, "cli");
    write(join(repo, "upper/kustomization.yaml"), `resources:\n  - HTTP://${url}/secret.yaml\n`);
    write(join(repo, "patch/cm.yaml"), cm("x"));
    write(
      join(repo, "patch/kustomization.yaml"),
      `resources: [cm.yaml]\npatches:\n  - path: http://${url}/patch.yaml\n`,
    );
    symlinkSync(outside, join(repo, "link"));
    // The repository is the Git work tree around the path.
    await run("git", ["init", "-q", repo]);
    const before = connections;
    for (const [path, reference] of [
      ["link", "link"],
      ["upper", `HTTP://${url}/secret.yaml`],
      ["patch", `http://${url}/patch.yaml`],
    ] as const) {
      const result = await tether(["render", path], repo);
      assert.ok(result.stderr.includes(reference), result.stderr);
      assert.doesNotMatch(result.stdout + result.stderr, /from-outside|from-network/);
      // From elsewhere, with an absolute path: the same refusal.
      const absolute = await tether(["render", join(repo, path)], top);
      assert.ok(absolute.stderr.includes(reference), absolute.stderr);
    }
    // validate takes a path leaving the repository as a wrong argument: exit 2.
    for (const [path, reference, exit] of [
      ["link", "link", 2],
      ["upper", `HTTP://${url}/secret.yaml`, 1],
      ["patch", `http://${url}/patch.yaml`, 1],
    ] as const) {
      const result = await tether(["validate", path, "-o", "json"], repo, exit);
      assert.ok((result.stdout + result.stderr).includes(reference), result.stdout + result.stderr);
      assert.doesNotMatch(result.stdout + result.stderr, /from-outside|from-network/);
    }
    assert.equal(connections, before, "no network request");
    assert.equal(existsSync(kustomizeRan), false, "kustomize never ran");
  });
});
