// Runs `tether agent` from source as a child process for a test: its port, its output,
// probes and metrics read over HTTP, and stopping it by signal.
import { type ChildProcess, spawn } from "node:child_process";
import { testenv } from "./testenv.ts";
import { entry } from "./tether.ts";
import { freePort, waitFor } from "./wait.ts";

// Re-exported: older tests import them from here.
export { freePort, waitFor };

export class AgentProcess {
  readonly child: ChildProcess;
  readonly base: string;
  readonly exited: Promise<number | null>;
  output = "";

  private constructor(child: ChildProcess, port: number) {
    this.child = child;
    this.base = `http://127.0.0.1:${port}`;
    child.stdout?.on("data", (d) => {
      this.output += d;
    });
    child.stderr?.on("data", (d) => {
      this.output += d;
    });
    this.exited = new Promise((resolve) => child.on("exit", (code) => resolve(code)));
  }

  /** `tether agent --config FILE --port P` plus `args`, with the environment's tools. */
  static async start(
    config: string,
    args: string[],
    env: NodeJS.ProcessEnv = {},
    port?: number,
  ): Promise<AgentProcess> {
    const p = port ?? (await freePort());
    const child = spawn(
      process.execPath,
      [entry, "agent", "--config", config, "--port", String(p), "--bind", "127.0.0.1", ...args],
      {
        env: {
          ...process.env,
          KUBECONFIG: testenv().kubeconfig,
          PATH: testenv().path,
          ...env,
        },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    return new AgentProcess(child, p);
  }

  async get(path: string): Promise<{ status: number; body: string }> {
    const res = await fetch(`${this.base}${path}`);
    return { status: res.status, body: await res.text() };
  }

  /** A metric's value (first sample whose line starts with `sample`), if exposed. */
  async metric(sample: string): Promise<number | undefined> {
    const { body } = await this.get("/metrics");
    const line = body.split("\n").find((l) => l.startsWith(`${sample} `));
    return line === undefined ? undefined : Number(line.slice(sample.length + 1));
  }

  /** Waits until the metric reaches at least `min`. */
  async metricAtLeast(sample: string, min: number, timeoutMs = 60_000): Promise<number> {
    return waitFor(
      `${sample} >= ${min}`,
      async () => {
        const v = await this.metric(sample);
        return v !== undefined && v >= min ? v : undefined;
      },
      timeoutMs,
    );
  }

  /** Waits for a probe to answer `status`; returns its body. */
  probe(path: string, status: number, timeoutMs = 60_000): Promise<string> {
    return waitFor(
      `${path} ${status}`,
      async () => {
        const r = await this.get(path);
        return r.status === status ? r.body : undefined;
      },
      timeoutMs,
    );
  }

  kill(signal: NodeJS.Signals = "SIGKILL"): void {
    if (this.child.exitCode === null) this.child.kill(signal);
  }
}
