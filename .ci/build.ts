// Bundles the tether CLI into one self-contained ESM file. The Action and the agent
// image both run dist/cli.js with no node_modules beside it, so every dependency is
// inlined; `require` is provided for the CommonJS packages esbuild pulls in.
import { chmodSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { dockerRegistryClientPlugin } from "./docker-registry-client-plugin.ts";

const root = fileURLToPath(new URL("..", import.meta.url));

const { version } = JSON.parse(readFileSync(`${root}package.json`, "utf8")) as { version: string };

export async function buildCli(outfile: string): Promise<void> {
  await build({
    absWorkingDir: root,
    entryPoints: ["cli/bin.ts"],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node24",
    logLevel: "warning",
    define: { TETHER_VERSION: JSON.stringify(version) },
    plugins: [dockerRegistryClientPlugin()],
    banner: {
      js: [
        "#!/usr/bin/env node",
        'import { createRequire as __tetherCreateRequire } from "node:module";',
        "const require = __tetherCreateRequire(import.meta.url);",
      ].join("\n"),
    },
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildCli(`${root}dist/cli.js`);
  chmodSync(`${root}dist/cli.js`, 0o755);
}
