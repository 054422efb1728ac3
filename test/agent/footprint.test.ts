// What the agent's modules load into its process: Node's fetch implementation (undici,
// about 2.5 MiB resident) must stay out, and an ESM import of node:http brings it in (the
// namespace reads node:http's WebSocket, CloseEvent and MessageEvent getters). Checked
// in a fresh Node process that loads the agent's entry and its pass loop as the agent
// does, then lists the built-in modules Node loaded.
//
// And what a pass of plain files loads: not `yaml` (the manifests' fallback parser, used
// for anchors, tags and broken files, for kustomize and charts), not re2js (Go regexps:
// SOPS rules, Alert filters, tag policies) and not the Flux step. Each is loaded when a
// pass needs it; holding them idle cost the agent 2.8 MiB of its 64 MiB budget
// (test/bench/sync.ts, one-object unit: 66.8 -> 64.1 MiB).
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { TestRepo } from "../helpers/git-repo.ts";
import { kubectl } from "../helpers/kubectl.ts";
import { testenv } from "../helpers/testenv.ts";
import { cleanEnv } from "../helpers/tether.ts";

test("the agent's modules do not load Node's fetch implementation", () => {
  const script = `
    await import(${JSON.stringify(new URL("../../cli/agent-cli.ts", import.meta.url).href)});
    await import(${JSON.stringify(new URL("../../agent/loop.ts", import.meta.url).href)});
    await import(${JSON.stringify(new URL("../../shared/charts/http.ts", import.meta.url).href)});
    process.stdout.write(process.moduleLoadList.join("\\n"));
  `;
  const loaded = execFileSync(process.execPath, ["--input-type=module", "-e", script], {
    encoding: "utf8",
  }).split("\n");
  assert.ok(loaded.includes("NativeModule http"), "node:http is loaded (the check can see it)");
  assert.deepEqual(
    loaded.filter((m) => /undici/.test(m)),
    [],
  );
});

test("a pass of plain files loads neither `yaml`, re2js nor the Flux step", async () => {
  const id = randomBytes(3).toString("hex");
  const repo = await TestRepo.create("footprint");
  repo.write(
    "apps/settings.yaml",
    `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: footprint-${id}\n  namespace: default\ndata:\n  mode: edge\n`,
  );
  await repo.push("one object");
  const cacheDir = mkdtempSync(join(tmpdir(), "tether-footprint-"));
  const config = `namespace: tether-footprint-${id}\ngit: {url: "${repo.url}", branch: main}\nunits: [{name: apps, path: apps, prune: true}]\n`;
  const module = (path: string) => JSON.stringify(new URL(path, import.meta.url).href);
  // The agent's entry, its loop and one pass, as `tether agent` runs them; every module
  // Node loads (packages included) goes through the hook.
  const script = `
    const { registerHooks } = await import("node:module");
    const loaded = [];
    registerHooks({ load(url, context, next) { loaded.push(url); return next(url, context); } });
    await import(${module("../../cli/agent-cli.ts")});
    await import(${module("../../agent/loop.ts")});
    const { parseAgentConfig, validateConfig } = await import(${module("../../agent/config.ts")});
    const { syncOnce } = await import(${module("../../agent/sync.ts")});
    const { KubeClient } = await import(${module("../../shared/kube/client.ts")});
    const client = await KubeClient.connect();
    const config = validateConfig(parseAgentConfig(${JSON.stringify(config)}));
    const pass = await syncOnce(config, { client, cacheDir: ${JSON.stringify(cacheDir)} });
    client.close();
    process.stdout.write(JSON.stringify({ ok: pass.ok, error: pass.error, loaded }));
  `;
  try {
    const { ok, error, loaded } = JSON.parse(
      execFileSync(process.execPath, ["--input-type=module", "-e", script], {
        encoding: "utf8",
        env: cleanEnv(),
      }),
    ) as { ok: boolean; error?: string; loaded: string[] };
    assert.equal(ok, true, error);
    const packages = (name: string) => loaded.filter((u) => u.includes(`/node_modules/${name}/`));
    assert.ok(packages("js-yaml").length > 0, "js-yaml is loaded (the check sees packages)");
    assert.deepEqual(packages("yaml"), []);
    assert.deepEqual(packages("re2js"), []);
    // The Flux step (Kustomizations, sources, HelmReleases inside them).
    assert.deepEqual(
      loaded.filter((u) => /\/agent\/(flux\/pass|flux\/kustomization|helm\/flux)\.ts$/.test(u)),
      [],
    );
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
    await kubectl([
      "delete",
      "configmap",
      `footprint-${id}`,
      "-n",
      "default",
      "--ignore-not-found",
    ]);
    await kubectl([
      "delete",
      "namespace",
      `tether-footprint-${id}`,
      "--ignore-not-found",
      "--wait=false",
    ]);
  }
});

// The agent as shipped: the bundle (dist/cli.js) requires Node's modules (.ci/build.ts),
// so Node's lazy exports stay unloaded. An ES import of node:util loaded worker_threads
// and util.diff's modules, of node:crypto WebCrypto; the chart unpacker loaded zlib.
// Together 1.5 MiB of the agent's idle RSS (test/bench/sync.ts: 65.0 -> 63.5 MiB).
test("the built agent, after a pass of plain files, holds no Node module it does not use", async () => {
  const id = randomBytes(3).toString("hex");
  const repo = await TestRepo.create("footprint-dist");
  repo.write(
    "apps/settings.yaml",
    `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: footprint-dist-${id}\n  namespace: default\ndata:\n  mode: edge\n`,
  );
  await repo.push("one object");
  const dir = mkdtempSync(join(tmpdir(), "tether-footprint-dist-"));
  const list = join(dir, "modules.txt");
  // Written when the agent exits; process.getBuiltinModule loads nothing that is not loaded.
  writeFileSync(
    join(dir, "record.cjs"),
    `process.on("exit", () => process.getBuiltinModule("fs").writeFileSync(${JSON.stringify(list)}, process.moduleLoadList.join("\\n")));`,
  );
  writeFileSync(
    join(dir, "config.yaml"),
    `namespace: tether-footprint-${id}\ngit: {url: "${repo.url}", branch: main}\ninterval: 10m\nunits: [{name: apps, path: apps, prune: true}]\n`,
  );
  const cli = fileURLToPath(new URL("../../dist/cli.js", import.meta.url));
  const agent = spawn(
    process.execPath,
    ["-r", join(dir, "record.cjs"), cli, "agent", "--config", join(dir, "config.yaml")].concat([
      "--cache-dir",
      join(dir, "cache"),
      "--port",
      "0",
      "--bind",
      "127.0.0.1",
    ]),
    { env: cleanEnv({ PATH: testenv().path }), stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  try {
    await new Promise<void>((resolve, reject) => {
      const read = (d: Buffer) => {
        output += d;
        if (/ pass \w+ at /.test(output)) resolve();
      };
      agent.stdout.on("data", read);
      agent.stderr.on("data", read);
      agent.on("exit", () => reject(new Error(`the agent exited:\n${output}`)));
    });
    assert.match(output, / pass ok at /);
    const exited = new Promise((resolve) => agent.on("exit", resolve));
    agent.kill("SIGTERM");
    assert.equal(await exited, 0, output);
    const loaded = readFileSync(list, "utf8").split("\n");
    assert.ok(loaded.includes("NativeModule https"), "https is loaded (the check can see it)");
    const unused = [
      "worker_threads",
      "zlib",
      "internal/crypto/webcrypto",
      "internal/util/diff",
      "internal/util/parse_args/parse_args",
    ];
    assert.deepEqual(
      unused.filter((m) => loaded.includes(`NativeModule ${m}`)),
      [],
    );
  } finally {
    agent.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
    await kubectl([
      "delete",
      "configmap",
      `footprint-dist-${id}`,
      "-n",
      "default",
      "--ignore-not-found",
    ]);
    await kubectl([
      "delete",
      "namespace",
      `tether-footprint-${id}`,
      "--ignore-not-found",
      "--wait=false",
    ]);
  }
});
