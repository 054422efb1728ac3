// Image automation inside the agent: its own clock (registries are asked on its
// interval, not when Git changes, so the agent's own commits cause no rescan), its own
// backoff, and every failure kept inside a run: it never stops the reconcile loop.
import type { KubeClient } from "../../shared/kube/client.ts";
import { CreatedCache } from "../../shared/registry/created-cache.ts";
import { messageOf } from "../../shared/util/message.ts";
import type { AgentConfig } from "../config.ts";
import type { Metrics } from "../metrics.ts";
import { nextDelay } from "../schedule.ts";
import { gitSpecOf } from "../sync.ts";
import type { RunResult } from "./automation.ts";
import type { PullRequestSettings } from "./pull-request.ts";
import { type ImageStatus, imageStatus, writeImageStatus } from "./status.ts";

export interface ImageLoopOptions {
  intervalMs: number;
  path: string;
  insecureRegistries: string[];
  author?: { name?: string | undefined; email?: string | undefined };
  /** Pull-request mode for a separate spec.git.push.branch. */
  pullRequest?: PullRequestSettings | undefined;
}

export class ImageSchedule {
  private next = 0;
  private failures = 0;
  private readonly createdCache = new CreatedCache();
  private readonly tagTimes = new Map<string, Date | null>();
  private state: ImageStatus | undefined;

  private readonly config: AgentConfig;
  private readonly options: ImageLoopOptions;
  private readonly client: KubeClient;
  private readonly metrics: Metrics;
  private readonly log: (line: string) => void;

  constructor(
    config: AgentConfig,
    options: ImageLoopOptions,
    client: KubeClient,
    metrics: Metrics,
    log: (line: string) => void,
  ) {
    this.config = config;
    this.options = options;
    this.client = client;
    this.metrics = metrics;
    this.log = log;
  }

  get nextRun(): number {
    return this.next;
  }

  /** One run; errors are logged and retried with backoff, never thrown. */
  async run(onError: (error: unknown, where: string) => void): Promise<void> {
    try {
      const { runAutomation } = await import("./automation.ts");
      const { resolvePullRequest } = await import("./pull-request.ts");
      const pullRequest = this.options.pullRequest
        ? await resolvePullRequest(this.options.pullRequest, this.client)
        : undefined;
      const result = await runAutomation({
        pullRequest,
        spec: gitSpecOf(this.config),
        branch: this.config.git.branch,
        path: this.options.path,
        push: true,
        author: this.options.author ?? {},
        insecureRegistries: this.options.insecureRegistries,
        kube: { client: this.client, namespace: this.config.namespace },
        createdCache: this.createdCache,
        tagTimes: this.tagTimes,
      });
      this.state = imageStatus(result, this.state);
      const failed = result.runs.filter((r) => r.error);
      this.metrics.recordImages(this.state);
      this.metrics.recordImageRun(failed.length === 0 && !this.state.policies.some((p) => p.error));
      await writeImageStatus(this.client, this.config.namespace, this.state).catch((error: Error) =>
        this.log(`images: could not record status: ${error.message}`),
      );
      for (const r of result.runs) this.logRun(r, result.runs.length > 1);
      if (result.skippedByLease) this.log("images: another agent holds the writer Lease; skipped");
      // A refused or failed run is retried with backoff, as a failed pass.
      this.failures = failed.length > 0 ? this.failures + 1 : 0;
    } catch (error) {
      this.failures++;
      this.metrics.recordImageRun(false);
      onError(error, "images");
      this.log(`images: error: ${messageOf(error)}`);
    }
    this.next = Date.now() + nextDelay(this.options.intervalMs, this.failures);
  }

  /** Log lines of one run; with several, each names its automation. */
  private logRun(r: RunResult, many: boolean): void {
    const log = (line: string) =>
      this.log(`images: ${many && r.automation ? `${r.automation}: ` : ""}${line}`);
    if (r.skipped) {
      this.log(`images: ${r.skipped}`);
      return;
    }
    for (const note of r.notes) log(note);
    if (r.error) {
      log(`error: ${r.error}`);
      return;
    }
    for (const c of r.plan?.changes ?? []) log(`${c.file}: ${c.old} -> ${c.new}`);
    for (const p of r.outcome?.policies ?? []) if (p.error) log(`error: ${p.error}`);
    if (r.pushed)
      log(
        `pushed ${r.commit?.slice(0, 12)} to ${r.branch ?? "?"}${r.refspec ? ` and with refspec ${r.refspec}` : ""}`,
      );
    if (r.othersCommits)
      log(`${r.branch} has ${r.othersCommits} commit(s) by others; built on top`);
    const pr = r.pullRequest;
    if (pr && pr.action !== "none" && pr.action !== "unchanged")
      log(`pull request #${pr.number} ${pr.action}`);
  }
}
