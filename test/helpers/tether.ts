// Runs the tether command from source (Node 24 strips the types), with the local
// environment's kubeconfig and tools.
import { fileURLToPath } from "node:url";
import { type RunResult, run } from "./run.ts";
import { testenv } from "./testenv.ts";

const entry = fileURLToPath(new URL("../../cli/bin.ts", import.meta.url));

export function tether(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Promise<RunResult> {
  const env = testenv();
  return run(process.execPath, [entry, ...args], {
    env: { ...process.env, KUBECONFIG: env.kubeconfig, PATH: env.path, ...options.env },
    ...(options.cwd ? { cwd: options.cwd } : {}),
    timeoutMs: 300_000,
  });
}

export function kubectlEnv(): NodeJS.ProcessEnv {
  const env = testenv();
  return { ...process.env, KUBECONFIG: env.kubeconfig, PATH: env.path };
}
