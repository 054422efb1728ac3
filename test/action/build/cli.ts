// Runs `tether image ...` through the real entry point, so stdout, stderr and the exit
// code are checked as the contract states them.
import { fileURLToPath } from "node:url";
import type { RunResult } from "../../helpers/run.ts";
import { cleanEnv, tether as runTether } from "../../helpers/tether.ts";

export { cleanEnv };

export const root = fileURLToPath(new URL("../../..", import.meta.url));

export function tether(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number; exit?: number } = {},
): Promise<RunResult> {
  return runTether(args, {
    cwd: options.cwd ?? root,
    // `env` replaces the clean environment (tests pass cleanEnv({...}) themselves).
    env: options.env ?? {},
    timeoutMs: options.timeoutMs ?? 120_000,
    exit: options.exit,
  });
}

export function lastLine(text: string): string {
  const lines = text.trimEnd().split("\n");
  return lines[lines.length - 1] ?? "";
}
