// `tether preview --base REF --head REF [PATH...]`: what each cluster's agent will apply,
// change and prune when the head is merged, from Git alone. Reads both commits into
// temporary folders, renders each cluster path at both (render.ts), compares them
// (compare.ts) and prints (format.ts). In a workflow (`-o github`) it also writes the
// job summary, the full Markdown report (a file, for an artifact) and one sticky pull
// request comment with a section per cluster. Exit codes (shared/command.ts): 0 also
// with differences, 1 with differences under --exit-code or when a revision does not
// render, 2 for a wrong command line or a ref that is not a commit.
import { writeFile } from "node:fs/promises";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import type { Command } from "commander";
import { type CommandIo, type Outcome, runner, UsageError } from "../../shared/command.ts";
import { defaultChartCache } from "../validate/helm-releases.ts";
import { type ClusterPreview, compareRenders, countChanges } from "./compare.ts";
import {
  commentMarkdown,
  formatJson,
  formatMarkdown,
  formatText,
  type PreviewReport,
} from "./format.ts";
import { type ClusterRender, RenderError, renderCluster } from "./render.ts";
import { clusterFolders, gitTopLevel, remoteUrls, resolveCommit, writeTree } from "./revision.ts";

const FORMATS = ["text", "json", "markdown", "github"] as const;
type Format = (typeof FORMATS)[number];

export interface PreviewFlags {
  base: string;
  head: string;
  output: string;
  exitCode?: boolean;
  chartCache?: string;
  helmReleases: boolean;
  report?: string;
  comment: boolean;
  commentKey: string;
}

/** The paths relative to the repository root; each must stay inside it. */
function repositoryPaths(root: string, cwd: string, paths: readonly string[]): string[] {
  return paths.map((p) => {
    const rel = relative(root, resolve(cwd, p)).split(sep).join("/");
    if (rel.startsWith("..") || isAbsolute(rel)) {
      throw new UsageError(`${p}: outside the repository ${root}`);
    }
    return rel || ".";
  });
}

/** Compares every path at both commits; answers the report. */
export async function runPreview(
  cwd: string,
  paths: readonly string[],
  flags: Pick<PreviewFlags, "base" | "head" | "chartCache" | "helmReleases">,
  env: NodeJS.ProcessEnv,
): Promise<PreviewReport> {
  const root = await gitTopLevel(cwd);
  const base = await resolveCommit(root, flags.base, "--base");
  const head = await resolveCommit(root, flags.head, "--head");
  let targets = repositoryPaths(root, cwd, paths);
  if (targets.length === 0) {
    targets = await clusterFolders(root, head);
    if (targets.length === 0) {
      throw new UsageError(
        `no clusters/<name> folders at ${flags.head}: name the paths to preview`,
      );
    }
  }
  const options = {
    ownUrls: await remoteUrls(root),
    chartCache: flags.chartCache ?? defaultChartCache(env),
    helmReleases: flags.helmReleases,
  };
  const trees = await Promise.all([writeTree(root, base), writeTree(root, head)]);
  try {
    const [baseTree, headTree] = trees;
    const clusters: ClusterPreview[] = [];
    for (const path of targets) {
      const at = async (dir: string, name: string, ref: string, commit: string) => {
        try {
          return await renderCluster(dir, path, options);
        } catch (error) {
          if (!(error instanceof RenderError)) throw error;
          throw new Error(
            `${path} does not render at ${name} ${ref} (${commit.slice(0, 12)}): ${error.message}`,
          );
        }
      };
      const before: ClusterRender = await at(baseTree.dir, "--base", flags.base, base);
      const after: ClusterRender = await at(headTree.dir, "--head", flags.head, head);
      if (!before.exists && !after.exists) {
        throw new UsageError(`${path}: not found at ${flags.base} nor at ${flags.head}`);
      }
      const preview = compareRenders(path, before, after);
      if (!before.exists) preview.notes.unshift(`${path} is new: every object is added`);
      if (!after.exists) preview.notes.unshift(`${path} is gone at the head`);
      clusters.push(preview);
    }
    return { base, head, clusters };
  } finally {
    await Promise.all(trees.map((t) => t.remove()));
  }
}

async function reportToGithub(
  io: CommandIo,
  report: PreviewReport,
  flags: PreviewFlags,
): Promise<void> {
  const { runUrl, upsertStickyComment } = await import("../validate/github.ts");
  const core = await import("@actions/core");
  const full = formatMarkdown(report);
  const path =
    flags.report !== undefined
      ? resolve(io.cwd, flags.report)
      : io.env.RUNNER_TEMP
        ? join(io.env.RUNNER_TEMP, "tether-preview.md")
        : undefined;
  if (path) await writeFile(path, full);
  const url = runUrl(io.env);
  const where = `the full report is the artifact \`tether-preview\` of ${url ? `[the workflow run](${url})` : "the workflow run"}`;
  const marker = `<!-- tether-preview:${flags.commentKey.replace(/--/g, "-")} -->`;
  const capped = commentMarkdown(report, marker, where);
  // The job summary holds up to 1 MiB: the whole report when it fits. Fork pull
  // requests, whose token cannot comment, still get it.
  if (io.env.GITHUB_STEP_SUMMARY) {
    await core.summary.addRaw(full.length < 1_000_000 ? full : capped.body).write();
  }
  if (io.env.GITHUB_OUTPUT) {
    core.setOutput("report", path ?? "");
    core.setOutput("changed", report.clusters.filter((c) => countChanges(c) > 0).length);
  }
  if (flags.comment) {
    const outcome = await upsertStickyComment(marker, capped.body, io.env);
    io.err(`pull request comment: ${outcome}${capped.shortened ? " (shortened)" : ""}\n`);
  }
}

export async function previewCommand(
  io: CommandIo,
  paths: readonly string[],
  flags: PreviewFlags,
): Promise<Outcome> {
  if (!(FORMATS as readonly string[]).includes(flags.output)) {
    throw new UsageError(`-o ${flags.output}: use one of ${FORMATS.join(", ")}`);
  }
  const format = flags.output as Format;
  const report = await runPreview(io.cwd, paths, flags, io.env);
  if (format === "json") io.out(formatJson(report));
  else if (format === "markdown") io.out(formatMarkdown(report));
  else io.out(formatText(report));
  if (format === "github") await reportToGithub(io, report, flags);
  else if (flags.report) await writeFile(resolve(io.cwd, flags.report), formatMarkdown(report));
  const differs = report.clusters.some((c) => countChanges(c) > 0);
  return flags.exitCode && differs ? "failure" : "success";
}

export function registerPreviewCommand(program: Command): void {
  program
    .command("preview")
    .description(
      "show what each cluster will apply, change and prune between two commits, rendered offline as the agent would",
    )
    .argument(
      "[paths...]",
      "cluster paths in the repository (default: each clusters/<name> folder at the head)",
    )
    .requiredOption(
      "--base <ref>",
      "the commit the clusters run now (e.g. the pull request's base)",
    )
    .option("--head <ref>", "the commit to preview", "HEAD")
    .option("-o, --output <format>", `output format: ${FORMATS.join(", ")}`, "text")
    .option("--exit-code", "exit 1 when a cluster changes (as git diff --exit-code)")
    .option(
      "--chart-cache <dir>",
      "where HelmRelease charts are cached (default ~/.cache/tether/charts)",
    )
    .option("--no-helm-releases", "do not render HelmReleases through their charts")
    .option("--report <file>", "also write the full Markdown report to this file")
    .option("--no-comment", "-o github: no pull request comment (the job summary only)")
    .option("--comment-key <key>", "-o github: tells this preview's comment apart", "preview")
    .action(runner((io, paths: string[], flags: PreviewFlags) => previewCommand(io, paths, flags)));
}
