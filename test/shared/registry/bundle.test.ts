// dist/cli.js is one ESM file run with no node_modules beside it. This bundles the
// registry client the way .ci/build.ts bundles the CLI, runs the result from an empty
// directory against the open local registry, and shows why the build needs
// dockerRegistryClientPlugin (.ci/docker-registry-client-plugin.ts).
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { type BuildOptions, build } from "esbuild";
import { dockerRegistryClientPlugin } from "../../../.ci/docker-registry-client-plugin.ts";
import { pushImage, uniqueRepo } from "../../helpers/registry.ts";
import { run } from "../../helpers/run.ts";
import { type Testenv, testenv } from "../../helpers/testenv.ts";

const root = fileURLToPath(new URL("../../..", import.meta.url));
let env: Testenv;
let dir: string;

// The options of .ci/build.ts.
function options(entry: string, outfile: string): BuildOptions {
  return {
    absWorkingDir: root,
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node24",
    logLevel: "silent",
    banner: {
      js: [
        'import { createRequire as __tetherCreateRequire } from "node:module";',
        "const require = __tetherCreateRequire(import.meta.url);",
      ].join("\n"),
    },
  };
}

before(() => {
  env = testenv();
  dir = mkdtempSync(join(tmpdir(), "tether-bundle-"));
  writeFileSync(
    join(dir, "entry.ts"),
    `import { RegistryClient } from ${JSON.stringify(join(root, "shared/registry/client.ts"))};
const [registry, repository, tag] = process.argv.slice(2);
const client = new RegistryClient({ registry, insecure: true });
const manifest = await client.getManifest(repository, tag);
const created = await client.imageCreated(repository, tag);
console.log(JSON.stringify({ digest: manifest.digest, created, tags: await client.listTags(repository), requests: client.requests }));
client.close();
`,
  );
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe("bundling docker-registry-client", () => {
  test("without the plugin the bundle does not even build", async () => {
    await assert.rejects(
      build(options(join(dir, "entry.ts"), join(dir, "plain", "cli.js"))),
      /Could not resolve/,
    );
  });

  test("with the plugin the bundled client works from a directory without node_modules", async () => {
    const repo = uniqueRepo("bundle/app");
    const image = await pushImage(env.registry, repo, {
      tags: ["v1"],
      label: "2026-11-23T10:00:00Z",
    });
    const out = join(dir, "dist", "cli.js");
    await build({
      ...options(join(dir, "entry.ts"), out),
      plugins: [dockerRegistryClientPlugin()],
    });
    const r = await run(process.execPath, [out, env.registry, repo, "v1"], {
      cwd: join(dir, "dist"),
    });
    assert.equal(r.code, 0, r.stderr);
    const result = JSON.parse(r.stdout) as {
      digest: string;
      created: string;
      tags: string[];
      requests: number;
    };
    assert.equal(result.digest, image.digest);
    assert.equal(result.created, "2026-11-23T10:00:00.000Z");
    assert.deepEqual(result.tags, ["v1"]);
    // ping + index; index again (by tag), arm64 child, config; tags.
    assert.equal(result.requests, 6);
  });
});
