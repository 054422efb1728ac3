// Bundles the tether CLI into one self-contained ESM file. The Action and the agent
// image both run dist/cli.js with no node_modules beside it, so every dependency is
// inlined; `require` is provided for the CommonJS packages esbuild pulls in.
import { chmodSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build, type Plugin } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));

const { version } = JSON.parse(readFileSync(`${root}package.json`, "utf8")) as { version: string };

// Two requires inside docker-registry-client's dependencies cannot be bundled and are
// never reached: bunyan loads the native dtrace-provider inside a try/catch, and
// asn1.js-rfc3280 falls back to '../..' only when asn1.js (bundled) is missing. They
// stay plain requires, which fail softly exactly as they would without the packages.
// And restify-clients' load-time read of its package.json becomes the version string.
const optionalRequires: Plugin = {
  name: "optional-requires",
  setup(build) {
    build.onResolve({ filter: /^dtrace-provider$/ }, (args) => ({
      path: args.path,
      external: true,
    }));
    // restify-clients reads its own package.json at load time for a User-Agent.
    build.onLoad({ filter: /restify-clients[\\/]lib[\\/]HttpClient\.js$/ }, (args) => {
      const pkg = JSON.parse(readFileSync(join(dirname(args.path), "../package.json"), "utf8")) as {
        version: string;
      };
      const source = readFileSync(args.path, "utf8").replace(
        "JSON.parse(fs.readFileSync(path.join(__dirname, './../package.json'), 'utf8')).version",
        JSON.stringify(pkg.version),
      );
      return { contents: source, loader: "js" };
    });
    build.onResolve({ filter: /^\.\.\/\.\.$/ }, (args) =>
      args.importer.includes("asn1.js-rfc3280") ? { path: args.path, external: true } : undefined,
    );
  },
};

export async function buildCli(outfile: string): Promise<void> {
  await build({
    absWorkingDir: root,
    entryPoints: ["shared/bin.ts"],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node24",
    logLevel: "warning",
    define: { TETHER_VERSION: JSON.stringify(version) },
    plugins: [optionalRequires],
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
