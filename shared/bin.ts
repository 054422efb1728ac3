// The bundle's entry point (dist/cli.js): runs the tether command line.
import { createProgram } from "./cli.ts";

await createProgram().parseAsync(process.argv);
