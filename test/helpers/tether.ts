// Runs the tether command through its real entry point (cli/bin.ts, from source: Node 24
// strips the types) in a clean environment: the local environment's kubeconfig and
// tools, and none of the variables of an outer GitHub Actions run or of the machine's
// registry logins. Pass `exit` to assert the exit code: a run whose code is not
// checked passes when the command crashes early.
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { type RunResult, run } from "./run.ts";
import { testenv } from "./testenv.ts";

export const entry = fileURLToPath(new URL("../../cli/bin.ts", import.meta.url));

/** Variables a test run must not inherit: they change what the commands do. */
function inherited(name: string): boolean {
  return (
    name.startsWith("GITHUB_") ||
    name.startsWith("RUNNER_") ||
    name.startsWith("INPUT_") ||
    name.startsWith("TETHER_REGISTRY_") ||
    name === "DOCKER_CONFIG"
  );
}

/** The environment of a plain terminal with the local environment's tools first. */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!inherited(k)) env[k] = v;
  const local = testenv();
  return { ...env, KUBECONFIG: local.kubeconfig, PATH: local.path, ...extra };
}

export interface TetherOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  input?: string;
  timeoutMs?: number;
  /** The exit code the run must end with (asserted, with the output in the message). */
  exit?: number | undefined;
}

export async function tether(args: string[], options: TetherOptions = {}): Promise<RunResult> {
  const result = await run(process.execPath, [entry, ...args], {
    env: cleanEnv(options.env),
    timeoutMs: options.timeoutMs ?? 300_000,
    ...(options.cwd ? { cwd: options.cwd } : {}),
    ...(options.input !== undefined ? { input: options.input } : {}),
  });
  if (options.exit !== undefined) expectExit(result, options.exit, `tether ${args.join(" ")}`);
  return result;
}

/** Asserts a run's exit code; the message carries what it printed. */
export function expectExit(result: RunResult, code: number, what = "the command"): void {
  assert.equal(
    result.code,
    code,
    `${what} exited ${result.code}, expected ${code}\n${result.stdout}${result.stderr}`,
  );
}

/** Where a test syncs from and keeps its state: a repository path, records, cache. */
export interface SyncTarget {
  url: string;
  /** The path in the repository's main branch, e.g. `clusters/staging`. */
  path: string;
  /** The agent's records namespace. */
  namespace: string;
  cacheDir: string;
}

/** `tether sync --once --prune` of one path of a repository's main branch. */
export function syncOnce(
  target: SyncTarget,
  options: { exit?: number | undefined; extra?: string[] } = {},
): Promise<RunResult> {
  return tether(
    [
      "sync",
      "--once",
      "--git-url",
      target.url,
      "--git-branch",
      "main",
      "--git-path",
      target.path,
      "--prune",
      "--namespace",
      target.namespace,
      "--cache-dir",
      target.cacheDir,
      ...(options.extra ?? []),
    ],
    { exit: options.exit },
  );
}

export function kubectlEnv(): NodeJS.ProcessEnv {
  const env = testenv();
  return { ...process.env, KUBECONFIG: env.kubeconfig, PATH: env.path };
}
