// Runs `tether image ...` as a process, wired as cli/cli.ts wires it (tether > image),
// so stdout, stderr and the exit code are checked as the contract states them.
import { fileURLToPath } from "node:url";
import { type RunResult, run } from "../../helpers/run.ts";

export const root = fileURLToPath(new URL("../../..", import.meta.url));
const commands = new URL("../../../action/build/commands.ts", import.meta.url).href;
// By URL, so the process may run in any directory (a Git checkout for commit times).
const commander = new URL("../../../node_modules/commander/index.js", import.meta.url).href;

const script = `
import { Command } from ${JSON.stringify(commander)};
import { registerImageCommands } from ${JSON.stringify(commands)};
const program = new Command("tether").showHelpAfterError();
registerImageCommands(program);
await program.parseAsync(process.argv.slice(1), { from: "user" });
`;

/** The environment of a test run: no GitHub variables leak in from the machine. */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.startsWith("GITHUB_") && !k.startsWith("TETHER_REGISTRY_") && k !== "DOCKER_CONFIG")
      env[k] = v;
  }
  return { ...env, ...extra };
}

export function tether(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {},
): Promise<RunResult> {
  return run(process.execPath, ["--input-type=module", "-e", script, ...args], {
    cwd: options.cwd ?? root,
    env: options.env ?? cleanEnv(),
    timeoutMs: options.timeoutMs ?? 120_000,
  });
}

export function lastLine(text: string): string {
  const lines = text.trimEnd().split("\n");
  return lines[lines.length - 1] ?? "";
}
