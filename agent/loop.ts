// The long-running agent: reconciles each unit on its own interval (with jitter, so a
// fleet of edge clusters does not hit the Git host in step), backs off exponentially
// after failures, and serves /healthz, /readyz and Prometheus /metrics. On SIGTERM it
// finishes the unit in progress, whose record is written in one request, and exits.
import { createServer, type Server } from "node:http";
import { KubeClient } from "../shared/kube/client.ts";
import { CreatedCache } from "../shared/registry/created-cache.ts";
import { redactUrl } from "../shared/util/redact.ts";
import { type ImageStatus, imageStatus, writeImageStatus } from "./automation/status.ts";
import type { AgentConfig, UnitConfig } from "./config.ts";
import { Metrics } from "./metrics.ts";
import { formatObjectLine } from "./reconcile.ts";
import { gitSpecOf, syncOnce } from "./sync.ts";

export interface AgentOptions {
  kubeconfig?: string | undefined;
  cacheDir: string;
  port?: number;
  bind?: string;
  /** How often the loop wakes to look for due units. */
  tickMs?: number;
  log?: (line: string) => void;
  /** Run image automation on the repository, on its own interval. */
  images?: ImageLoopOptions | undefined;
}

export interface ImageLoopOptions {
  intervalMs: number;
  path: string;
  insecureRegistries: string[];
  author?: { name?: string | undefined; email?: string | undefined };
}

const MIN_RETRY_MS = 5_000;

/** When a unit runs next: its interval after success, a doubling retry after failure. */
export function nextDelay(
  intervalMs: number,
  failures: number,
  random: () => number = Math.random,
): number {
  const base =
    failures === 0 ? intervalMs : Math.min(intervalMs, MIN_RETRY_MS * 2 ** (failures - 1));
  // ±10% jitter.
  return Math.round(base * (0.9 + 0.2 * random()));
}

interface UnitState {
  unit: UnitConfig;
  due: number;
  failures: number;
  healthy: boolean;
}

export async function runAgent(config: AgentConfig, options: AgentOptions): Promise<void> {
  const log =
    options.log ??
    ((line: string) => process.stdout.write(`${new Date().toISOString()} ${line}\n`));
  const client = await KubeClient.connect({ kubeconfig: options.kubeconfig });
  const metrics = new Metrics();
  const states = config.units.map(
    (unit): UnitState => ({ unit, due: 0, failures: 0, healthy: false }),
  );
  let ready = false;
  let stopping = false;
  let wake: (() => void) | undefined;

  const server = await serve(options.port ?? 9797, options.bind ?? "0.0.0.0", (path) => {
    if (path === "/healthz") return { status: 200, body: "ok\n" };
    if (path === "/readyz")
      return ready ? { status: 200, body: "ok\n" } : { status: 503, body: "first sync not done\n" };
    if (path === "/metrics")
      return { status: 200, body: metrics.render(), type: "text/plain; version=0.0.4" };
    return { status: 404, body: "not found\n" };
  });
  const stop = (signal: string) => {
    if (stopping) return;
    log(`${signal}: finishing the unit in progress, then stopping`);
    stopping = true;
    wake?.();
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
  log(
    `agent: ${config.units.length} unit(s) from ${redactUrl(config.git.url)}, records in ${config.namespace}`,
  );

  // Image automation has its own clock: registries are asked on its interval, not
  // when Git changes, so the agent's own commits cause no rescan.
  let nextImages = options.images ? 0 : Number.POSITIVE_INFINITY;
  let imageFailures = 0;
  const createdCache = new CreatedCache();
  const tagTimes = new Map<string, Date | null>();
  let imageState: ImageStatus | undefined;
  const runImages = async (images: ImageLoopOptions) => {
    try {
      const { runAutomation } = await import("./automation/automation.ts");
      const result = await runAutomation({
        spec: gitSpecOf(config),
        branch: config.git.branch,
        path: images.path,
        push: true,
        author: images.author ?? {},
        insecureRegistries: images.insecureRegistries,
        kube: { client, namespace: config.namespace },
        createdCache,
        tagTimes,
      });
      imageState = imageStatus(result, imageState);
      metrics.recordImages(imageState);
      await writeImageStatus(client, config.namespace, imageState).catch((error: Error) =>
        log(`images: could not record status: ${error.message}`),
      );
      for (const c of result.plan?.changes ?? []) log(`images: ${c.file}: ${c.old} -> ${c.new}`);
      for (const p of result.outcome?.policies ?? []) if (p.error) log(`images: error: ${p.error}`);
      if (result.pushed) log(`images: pushed ${result.commit?.slice(0, 12)}`);
      if (result.skippedByLease) log("images: another agent holds the writer Lease; skipped");
      imageFailures = 0;
    } catch (error) {
      imageFailures++;
      log(`images: error: ${error instanceof Error ? error.message : String(error)}`);
    }
    nextImages = Date.now() + nextDelay(images.intervalMs, imageFailures);
  };

  while (!stopping) {
    if (options.images && nextImages <= Date.now()) await runImages(options.images);
    const now = Date.now();
    // Due units run in dependency order (config.units is already ordered).
    const due = states.filter((s) => s.due <= now);
    if (due.length > 0) {
      const started = Date.now();
      const pass = await syncOnce(config, {
        client,
        cacheDir: options.cacheDir,
        units: due.map((s) => s.unit),
        healthyBefore: new Set(
          states.filter((s) => s.healthy && !due.includes(s)).map((s) => s.unit.name),
        ),
        onUnit: (report) => {
          for (const line of report.objects)
            if (line.action !== "unchanged") log(`${report.unit}: ${formatObjectLine(line)}`);
          for (const error of report.errors) log(`${report.unit}: error: ${error}`);
          metrics.recordUnit(report);
        },
      });
      metrics.recordPoll(pass.error ? "error" : "ok", pass.fetched === true);
      if (pass.error) log(`error: ${pass.error}`);
      if (pass.warning) log(`warning: ${pass.warning}`);
      for (const state of due) {
        const report = pass.reports.find((r) => r.unit === state.unit.name);
        const ok = report?.ok ?? false;
        state.failures = ok ? 0 : state.failures + 1;
        state.healthy = ok;
        state.due = Date.now() + nextDelay(state.unit.intervalMs, state.failures);
      }
      ready = true;
      log(
        `pass ${pass.ok ? "ok" : "failed"} at ${pass.revision?.slice(0, 12) ?? "?"} in ${Date.now() - started}ms`,
      );
    }
    if (stopping) break;
    const sleep = Math.max(0, Math.min(nextImages, ...states.map((s) => s.due)) - Date.now());
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, Math.min(sleep, options.tickMs ?? 60_000));
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
  server.close();
  client.close();
  log("stopped");
}

type Handler = (path: string) => { status: number; body: string; type?: string };

function serve(port: number, bind: string, handle: Handler): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer((req, res) => {
      const answer = handle((req.url ?? "/").split("?")[0] ?? "/");
      res.writeHead(answer.status, { "content-type": answer.type ?? "text/plain" });
      res.end(answer.body);
    });
    server.on("error", reject);
    server.listen(port, bind, () => resolve(server));
  });
}
