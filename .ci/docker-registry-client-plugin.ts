// How to bundle docker-registry-client into dist/cli.js (for .ci/build.ts; nothing at
// runtime imports this file). Bundled like any other package the library breaks:
// - inside an ESM bundle every module runs in strict mode, and the library's old
//   dependencies need sloppy mode (assert-plus 0.1 reads `fn.caller` on every
//   assertion, verror 1.x `arguments.callee` in every error), so the first registry call
//   throws "'caller', 'callee', and 'arguments' properties may not be accessed";
// - restify-clients reads its own package.json from disk when it loads;
// - two optional requires inside try/catch cannot be resolved (bunyan's native
//   dtrace-provider, asn1.js-rfc3280's `require('../' + '..')` fallback).
// The plugin bundles the library on its own as CommonJS and evaluates that code with
// `new Function`, whose body is sloppy whatever the module around it is.
import { readFileSync } from "node:fs";
import type { Plugin } from "esbuild";

const RESTIFY_VERSION_READ =
  /JSON\.parse\(fs\.readFileSync\(path\.join\(__dirname, '\.\/\.\.\/package\.json'\),\s*'utf8'\)\)\.version/;

const inlineRestifyVersion: Plugin = {
  name: "inline-restify-clients-version",
  setup(build) {
    build.onLoad({ filter: /restify-clients[\\/]lib[\\/]HttpClient\.js$/ }, (args) => {
      const source = readFileSync(args.path, "utf8");
      const pkg = new URL("../package.json", `file://${args.path}`);
      const { version } = JSON.parse(readFileSync(pkg, "utf8")) as { version: string };
      const patched = source.replace(RESTIFY_VERSION_READ, JSON.stringify(version));
      if (patched === source) {
        throw new Error(`${args.path}: the package.json read to inline is gone; check this plugin`);
      }
      return { contents: patched, loader: "js" };
    });
  },
};

/** esbuild plugin: `plugins: [dockerRegistryClientPlugin()]` in the dist build. */
export function dockerRegistryClientPlugin(): Plugin {
  return {
    name: "sloppy-docker-registry-client",
    setup(build) {
      build.onResolve({ filter: /^docker-registry-client$/ }, () => ({
        path: "docker-registry-client",
        namespace: "sloppy-docker-registry-client",
      }));
      build.onLoad({ filter: /.*/, namespace: "sloppy-docker-registry-client" }, async () => {
        const root = build.initialOptions.absWorkingDir ?? process.cwd();
        const inner = await build.esbuild.build({
          absWorkingDir: root,
          stdin: {
            contents: 'module.exports = require("docker-registry-client");',
            resolveDir: root,
            loader: "js",
          },
          bundle: true,
          platform: "node",
          format: "cjs",
          target: build.initialOptions.target ?? "node24",
          write: false,
          logLevel: "warning",
          external: ["dtrace-provider", "../.."],
          plugins: [inlineRestifyVersion],
        });
        const code = inner.outputFiles?.[0]?.text ?? "";
        return {
          contents: [
            "const module = { exports: {} };",
            `new Function("require", "module", "exports", ${JSON.stringify(code)})(require, module, module.exports);`,
            "export default module.exports;",
            "",
          ].join("\n"),
          loader: "js",
          resolveDir: root,
        };
      });
    },
  };
}
