// The `helm` command line, the only way Tether changes releases: what it installs is
// a release `helm list`, `helm history` and `helm rollback` know, with hooks, tests and
// storage exactly as Helm does them. This module only builds argument lists and runs
// them; deciding what to run is decide.ts.
import { execFile } from "node:child_process";
import { join } from "node:path";

export interface HelmOptions {
  /** The helm binary; default `helm` on PATH. */
  binary?: string | undefined;
  /** kubeconfig for helm; default what helm finds (KUBECONFIG, in-cluster). */
  kubeconfig?: string | undefined;
  /** Helm's config, cache and data folders live here, not in a home folder. */
  stateDir: string;
  /**
   * The user helm acts as (`--kube-as-user`, e.g. `system:serviceaccount:ns:name`):
   * a HelmRelease's ServiceAccount, so the API server's RBAC decides what its chart
   * may change, storage included, as with helm-controller's impersonation.
   */
  kubeAsUser?: string | undefined;
}

/** A release as `helm list -o json` prints it. */
export interface ListedRelease {
  name: string;
  namespace: string;
  revision: string;
  status: string;
  /** `<chart name>-<chart version>` */
  chart: string;
  app_version: string;
  updated: string;
}

export class HelmCommandError extends Error {
  readonly args: readonly string[];
  readonly stderr: string;
  constructor(args: readonly string[], stderr: string, message: string) {
    super(message);
    this.name = "HelmCommandError";
    this.args = args;
    this.stderr = stderr;
  }
}

const MAX_OUTPUT = 256 * 1024 * 1024;

export function helmEnv(options: HelmOptions): NodeJS.ProcessEnv {
  // A whitelisted environment: credentials of the agent's own process never reach helm.
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: options.stateDir,
    HELM_CONFIG_HOME: join(options.stateDir, "config"),
    HELM_CACHE_HOME: join(options.stateDir, "cache"),
    HELM_DATA_HOME: join(options.stateDir, "data"),
  };
  for (const name of ["KUBERNETES_SERVICE_HOST", "KUBERNETES_SERVICE_PORT", "KUBECONFIG"]) {
    if (process.env[name]) env[name] = process.env[name];
  }
  if (options.kubeconfig) env.KUBECONFIG = options.kubeconfig;
  return env;
}

/** Runs helm with `args`; resolves stdout, rejects with HelmCommandError (stderr's last lines). */
export function runHelm(
  options: HelmOptions,
  args: readonly string[],
  input?: { timeoutMs?: number },
): Promise<string> {
  return new Promise((done, fail) => {
    execFile(
      options.binary ?? "helm",
      options.kubeAsUser ? [...args, "--kube-as-user", options.kubeAsUser] : [...args],
      {
        env: helmEnv(options),
        maxBuffer: MAX_OUTPUT,
        ...(input?.timeoutMs ? { timeout: input.timeoutMs, killSignal: "SIGTERM" } : {}),
      },
      (error, stdout, stderr) => {
        if (!error) {
          done(stdout);
          return;
        }
        if ((error as NodeJS.ErrnoException).code === "ENOENT") {
          fail(new HelmCommandError(args, "", "helm is not installed (it must be on PATH)"));
          return;
        }
        const text = stderr.trim() || error.message;
        // Helm prints "Error: <what>"; the last lines say what failed.
        const message = text
          .split("\n")
          .slice(-5)
          .join("\n")
          .replace(/^Error: /m, "");
        fail(new HelmCommandError(args, stderr, message));
      },
    );
  });
}

/** Every release in every namespace, whatever its status (one call per pass). */
export async function listReleases(options: HelmOptions): Promise<ListedRelease[]> {
  const out = await runHelm(options, [
    "list",
    "--all-namespaces",
    "--all",
    "--max",
    "0",
    "-o",
    "json",
  ]);
  return JSON.parse(out || "[]") as ListedRelease[];
}

/** The release's manifest as stored by Helm (what drift detection compares). */
export function getManifest(
  options: HelmOptions,
  name: string,
  namespace: string,
): Promise<string> {
  return runHelm(options, ["get", "manifest", name, "-n", namespace]);
}

export interface HistoryEntry {
  revision: number;
  status: string;
  chart: string;
  app_version: string;
  description: string;
  updated: string;
}

export async function history(
  options: HelmOptions,
  name: string,
  namespace: string,
): Promise<HistoryEntry[]> {
  const out = await runHelm(options, [
    "history",
    name,
    "-n",
    namespace,
    "-o",
    "json",
    "--max",
    "20",
  ]);
  return JSON.parse(out || "[]") as HistoryEntry[];
}

/** One release as `helm status` reports it, shaped like a `helm list` row; undefined when absent. */
export async function releaseStatus(
  options: HelmOptions,
  name: string,
  namespace: string,
): Promise<ListedRelease | undefined> {
  let out: string;
  try {
    out = await runHelm(options, ["status", name, "--namespace", namespace, "-o", "json"]);
  } catch (error) {
    if (/not found/i.test((error as Error).message)) return undefined;
    throw error;
  }
  const s = JSON.parse(out) as {
    name: string;
    namespace: string;
    version: number;
    info?: { status?: string; last_deployed?: string };
    chart?: { metadata?: { name?: string; version?: string; appVersion?: string } };
  };
  return {
    name: s.name,
    namespace: s.namespace,
    revision: String(s.version),
    status: s.info?.status ?? "unknown",
    chart: `${s.chart?.metadata?.name ?? ""}-${s.chart?.metadata?.version ?? ""}`,
    app_version: s.chart?.metadata?.appVersion ?? "",
    updated: s.info?.last_deployed ?? "",
  };
}
