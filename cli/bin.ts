// The bundle's entry point (dist/cli.js): runs the tether command line.
import { createProgram } from "./cli.ts";

// docker-registry-client's dependencies use punycode, url.parse and Buffer(); Node's deprecation
// notices about them say nothing to a user of the CLI. Other warnings still print.
const QUIET = new Set(["DEP0005", "DEP0040", "DEP0169"]);
process.removeAllListeners("warning");
process.on("warning", (warning: Error & { code?: string }) => {
  if (!QUIET.has(warning.code ?? "")) process.stderr.write(`${warning.name}: ${warning.message}\n`);
});

await createProgram().parseAsync(process.argv);
