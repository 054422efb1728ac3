// The bundle's entry point (dist/cli.js). Kept tiny: `tether --version` answers without
// loading anything else, and every other command loads the program (cli.ts) and, through
// it, only the modules that command imports (the bundle is split per dynamic import).
import * as nodeModule from "node:module";
import { homedir } from "node:os";
import { join } from "node:path";
import { version } from "./version.ts";

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === "--version" || args[0] === "-v")) {
  process.stdout.write(`${version}\n`);
} else {
  // docker-registry-client's dependencies use punycode, url.parse and Buffer(); Node's
  // deprecation notices about them say nothing to a user of the CLI. Other warnings print.
  const QUIET = new Set(["DEP0005", "DEP0040", "DEP0169"]);
  process.removeAllListeners("warning");
  process.on("warning", (warning: Error & { code?: string }) => {
    if (!QUIET.has(warning.code ?? ""))
      process.stderr.write(`${warning.name}: ${warning.message}\n`);
  });
  // A CLI run compiles the same modules every time: Node's compile cache keeps the
  // compiled code, and for TypeScript sources the stripped text, which takes most of a
  // short command's start. It lives with the user's caches (XDG_CACHE_HOME or ~/.cache;
  // NODE_COMPILE_CACHE chooses another folder, NODE_DISABLE_COMPILE_CACHE=1 turns it
  // off), not in the temporary folder a run is expected to leave as it found it. Node 20
  // has no compile cache: dist/cli.js runs there without it. Not for the agent: one
  // long-lived process, often on a read-only file system.
  const { enableCompileCache } = nodeModule as {
    enableCompileCache?: (dir?: string) => unknown;
  };
  if (args[0] !== "agent" && enableCompileCache) {
    const caches = process.env.XDG_CACHE_HOME || join(homedir(), ".cache");
    enableCompileCache(process.env.NODE_COMPILE_CACHE || join(caches, "tether", "compile-cache"));
  }
  // The agent loads its own commands only (see agent-cli.ts); everything else the whole CLI.
  const program =
    args[0] === "agent"
      ? (await import("./agent-cli.ts")).createAgentProgram()
      : (await import("./cli.ts")).createProgram();
  await program.parseAsync(process.argv);
}
