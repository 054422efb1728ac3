// Bundles the tether CLI into dist/: the entry dist/cli.js and the chunks it imports
// (dist/chunks/; the precompiled schema validators in dist/validators/), self-contained
// ESM. The Action and the agent image run dist/cli.js with no node_modules beside it, so
// every dependency is inlined; `require` is provided for the CommonJS packages esbuild
// pulls in. The bundle is split at each dynamic import so
// that a command parses only what it uses: `tether --version` reads a file of a few
// hundred bytes instead of 7.7 MB, and the agent never parses the Action's code.
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build, type Plugin } from "esbuild";
import { dockerRegistryClientPlugin } from "./docker-registry-client-plugin.ts";

const root = fileURLToPath(new URL("..", import.meta.url));

const { version } = JSON.parse(readFileSync(`${root}package.json`, "utf8")) as { version: string };

/**
 * @actions/core (through @actions/http-client) and @actions/github each install the same
 * undici release in a folder of their own (the top-level undici is client-node's newer
 * one), which would put two copies of it in the bundle. Both get http-client's copy,
 * when the versions are the same.
 */
function oneUndiciForActions(): Plugin {
  const version = (dir: string) =>
    (JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { version: string }).version;
  const shared = join(root, "node_modules/@actions/http-client/node_modules/undici");
  const github = join(root, "node_modules/@actions/github/node_modules/undici");
  return {
    name: "one-undici-for-actions",
    setup(b) {
      if (!existsSync(shared) || !existsSync(github) || version(shared) !== version(github)) return;
      b.onResolve({ filter: /^undici$/ }, (args) =>
        args.importer.includes(`${join("node_modules", "@actions")}`)
          ? {
              path: join(
                shared,
                (JSON.parse(readFileSync(join(shared, "package.json"), "utf8")) as { main: string })
                  .main,
              ),
            }
          : undefined,
      );
    },
  };
}

/**
 * The precompiled schema validators (shared/validate/schemas/data/validators/, 4.5 MB of
 * Ajv's generated code that stands alone) are copied as they are, each loaded by its own
 * import(): esbuild would reprint them a third larger, and none of them is read unless a
 * validation meets one of its kinds.
 */
function copyPrecompiledValidators(): Plugin {
  return {
    name: "copy-precompiled-validators",
    setup(b) {
      b.onLoad(
        { filter: /[\\/]shared[\\/]validate[\\/]schemas[\\/]data[\\/]validators[\\/][^\\/]+\.js$/ },
        (args) => ({
          contents: readFileSync(args.path),
          loader: "copy",
        }),
      );
    },
  };
}

/**
 * Node's own modules are loaded with require(), not import. Importing a built-in module
 * builds its ES namespace, which reads every export once, and each of Node's lazy exports
 * then loads what it stands for: node:util loads worker_threads and util.diff's modules,
 * node:fs loads fs/promises and readline (for fs.ReadStream), node:crypto WebCrypto.
 * esbuild prints each such import as one line at the top of a file; this turns it into a
 * require() in place (the banner's `require`). Destructuring reads only the names used.
 */
export function requireBuiltins(js: string): string {
  return js.replace(
    /^import (?:(\* as [\w$]+)|([\w$]+)|\{([^}]*)\}) from ("node:[\w/]+");$/gm,
    (
      line,
      namespace: string | undefined,
      name: string | undefined,
      names: string | undefined,
      id: string,
    ) => {
      // The banner's own import defines `require` itself.
      if (names?.includes("__tetherCreateRequire")) return line;
      const binding =
        namespace?.slice(5) ??
        name ??
        `{ ${(names ?? "")
          .split(",")
          .map((n) => n.trim().replace(/ as /, ": "))
          .filter(Boolean)
          .join(", ")} }`;
      return `const ${binding} = require(${id});`;
    },
  );
}

/**
 * Builds into `outdir` (its chunks/ and validators/ folders are replaced): outdir/cli.js,
 * outdir/chunks/ and outdir/validators/.
 */
export async function buildCli(outdir: string): Promise<void> {
  for (const dir of ["chunks", "validators"]) {
    rmSync(join(outdir, dir), { recursive: true, force: true });
  }
  const { outputFiles } = await build({
    write: false,
    absWorkingDir: root,
    entryPoints: { cli: "cli/bin.ts" },
    outdir,
    splitting: true,
    chunkNames: "chunks/[name]-[hash]",
    // Files copied as they are: the precompiled validators.
    assetNames: "validators/[name]-[hash]",
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node24",
    logLevel: "warning",
    define: { TETHER_VERSION: JSON.stringify(version) },
    plugins: [dockerRegistryClientPlugin(), oneUndiciForActions(), copyPrecompiledValidators()],
    banner: {
      js: [
        "#!/usr/bin/env node",
        'import { createRequire as __tetherCreateRequire } from "node:module";',
        "const require = __tetherCreateRequire(import.meta.url);",
      ].join("\n"),
    },
  });
  for (const file of outputFiles) {
    mkdirSync(dirname(file.path), { recursive: true });
    const copied = file.path.startsWith(join(outdir, "validators"));
    writeFileSync(file.path, copied ? file.contents : requireBuiltins(file.text));
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildCli(`${root}dist`);
  chmodSync(`${root}dist/cli.js`, 0o755);
}
