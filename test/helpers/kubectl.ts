// kubectl against the local environment's API server, for what a test sets up or checks
// by hand (as a person would): `kubectl` throws with the output when it fails,
// `kubectlRun` answers without throwing (cleanup, expected failures), `exists` answers
// whether `kubectl get` finds the object, `getJson` parses what it finds.
import { mustRun, type RunResult, run } from "./run.ts";
import { kubectlEnv } from "./tether.ts";

export function kubectl(args: string[], input?: string): Promise<string> {
  return mustRun("kubectl", args, {
    env: kubectlEnv(),
    ...(input !== undefined ? { input } : {}),
  });
}

/** kubectl's result without throwing (cleanup, expected failures). */
export function kubectlRun(args: string[], input?: string): Promise<RunResult> {
  return run("kubectl", args, {
    env: kubectlEnv(),
    ...(input !== undefined ? { input } : {}),
  });
}

export async function exists(...args: string[]): Promise<boolean> {
  return (await kubectlRun(["get", ...args])).code === 0;
}

/** `kubectl get ARGS -o json`, parsed. */
// biome-ignore lint/suspicious/noExplicitAny: tests read whatever fields they check
export async function getJson(args: string[]): Promise<any> {
  return JSON.parse(await kubectl(["get", ...args, "-o", "json"]));
}
