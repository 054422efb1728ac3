// The commit a Git chart's checkout is at, for reconcileStrategy Revision (strategy.ts):
// `git rev-parse HEAD`, undefined when the folder is not in a checkout (a plain folder
// given to `tether validate`). Thin I/O, no network.
import { execFile } from "node:child_process";

export function gitHead(dir: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(
      "git",
      ["rev-parse", "--verify", "HEAD"],
      { cwd: dir, env: { ...process.env, GIT_TERMINAL_PROMPT: "0" } },
      (error, stdout) => resolve(error ? undefined : stdout.trim() || undefined),
    );
  });
}
