// `tether images update` (one automation pass) and `tether images list` (what each
// policy or automated workload would select, next to the value in Git).
import type { Command } from "commander";
import { type CommandIo, lines, type Outcome, runner } from "../../shared/command.ts";
import type { KubeClient } from "../../shared/kube/client.ts";
import { redactUrl } from "../../shared/util/redact.ts";
import { printTable } from "../../shared/util/table.ts";
import { AGENT_NAMESPACE } from "../defaults.ts";
import { credentialsFrom, withoutUrlCredentials } from "../source/git.ts";
import type { AutomationOptions } from "./automation.ts";
import { pullRequestSettings, resolvePullRequest } from "./pull-request.ts";

// The registry client loads when a pass runs.
const automation = () => import("./automation.ts");

interface ImageFlags {
  gitUrl: string;
  gitBranch?: string;
  path: string;
  push?: boolean;
  dryRun?: boolean;
  authorName?: string;
  authorEmail?: string;
  skipCi?: boolean;
  insecureRegistry: string[];
  kubeconfig?: string;
  namespace: string;
  pullRequest?: string;
  pullRequestApi: string;
  pullRequestRepo?: string;
  pullRequestTokenSecret?: string;
}

const collect = (value: string, previous: string[]) => [...previous, value];

function addFlags(command: Command): Command {
  return command
    .requiredOption(
      "--git-url <url>",
      "repository URL (credentials may be embedded in http(s) URLs)",
    )
    .option("--git-branch <branch>", "branch to read and update (default main)")
    .option("--path <path>", "folder holding the image objects and marked files", ".")
    .option(
      "--insecure-registry <host>",
      "registry spoken to over plain HTTP (loopback registries always are); repeatable",
      collect,
      [],
    )
    .option(
      "--kubeconfig <file>",
      "cluster for ImageRepository secretRefs and the writer Lease (default: KUBECONFIG if set)",
    )
    .option("--namespace <ns>", "namespace of the writer Lease", AGENT_NAMESPACE)
    .option(
      "--pull-request <provider>",
      "open a pull request from spec.git.push.branch into the checkout branch (github)",
    )
    .option("--pull-request-api <url>", "the provider's API URL", "https://api.github.com")
    .option("--pull-request-repo <owner/name>", "repository (default: from --git-url)")
    .option(
      "--pull-request-token-secret <namespace/name>",
      "Secret whose `token` key holds the API token (default: GITHUB_TOKEN)",
    );
}

async function optionsFrom(
  flags: ImageFlags,
  push: boolean,
  dryRun: boolean,
): Promise<AutomationOptions> {
  let spec = withoutUrlCredentials({ url: flags.gitUrl, branch: flags.gitBranch });
  if (!spec.credentials) spec = { ...spec, credentials: credentialsFrom(process.env) };
  const kubeconfig = flags.kubeconfig ?? process.env.KUBECONFIG;
  const client = kubeconfig
    ? await (await import("../../shared/kube/client.ts")).KubeClient.connect({ kubeconfig })
    : undefined;
  const kube = client ? { client, namespace: flags.namespace } : undefined;
  return {
    spec,
    pullRequest: await pullRequestOf(flags, kube?.client),
    branch: flags.gitBranch,
    path: flags.path,
    push,
    dryRun,
    author: { name: flags.authorName, email: flags.authorEmail },
    skipCi: flags.skipCi ?? false,
    insecureRegistries: flags.insecureRegistry,
    kube,
  };
}

async function pullRequestOf(flags: ImageFlags, client: KubeClient | undefined) {
  const settings = pullRequestSettings(flags);
  return settings ? resolvePullRequest(settings, client) : undefined;
}

export function registerImagesCommands(images: Command): void {
  addFlags(
    images
      .command("update")
      .description(
        "run one image automation pass: scan, rewrite markers, commit, and push with --push",
      ),
  )
    .option("--push", "push the commit (without it the commit stays local and is dropped)")
    .option("--dry-run", "print the changes; write nothing")
    .option(
      "--author-name <name>",
      "commit author (default: the ImageUpdateAutomation's, else tether)",
    )
    .option("--author-email <email>", "commit author email")
    .option("--skip-ci", "append [skip ci] to the commit subject")
    .action(
      runner(async (io, flags: ImageFlags) => {
        const options = await optionsFrom(flags, flags.push ?? false, flags.dryRun ?? false);
        try {
          return await update(io, flags, options);
        } finally {
          options.kube?.client.close();
        }
      }),
    );

  addFlags(
    images
      .command("list")
      .description("show each policy or automated workload, its latest tag and the value in Git"),
  ).action(
    runner(async (io, flags: ImageFlags) => {
      const options = await optionsFrom(flags, false, true);
      try {
        return await list(io, options);
      } finally {
        options.kube?.client.close();
      }
    }),
  );
}

/** One pass; prints each change `path: old -> new`, or that nothing changed. */
async function update(
  io: CommandIo,
  flags: ImageFlags,
  options: AutomationOptions,
): Promise<Outcome> {
  const { out, err } = lines(io);
  const run = await automation();
  const result = await run.runAutomation(options);
  if (result.skippedByLease) {
    out(`another agent is updating ${redactUrl(flags.gitUrl)}; nothing done`);
    return "success";
  }
  const problems = [...(result.config?.problems ?? []), ...run.scanErrors(result)];
  for (const skipped of result.plan?.skipped ?? []) err(`warning: ${skipped}`);
  for (const problem of problems) err(`error: ${problem}`);
  const changes = result.plan?.changes ?? [];
  if (changes.length === 0) out("no changes: every image is up to date");
  for (const c of changes) out(`${c.file}: ${c.old} -> ${c.new}`);
  const to =
    result.branch && result.branch !== (flags.gitBranch ?? "main") ? ` to ${result.branch}` : "";
  if (result.upToDate && result.commit) {
    out(`${result.branch} already holds these updates (${result.commit.slice(0, 12)})`);
  } else if (result.commit) {
    out(
      `${result.pushed ? "pushed" : "committed (not pushed)"} ${result.commit.slice(0, 12)}${to}${result.attempts && result.attempts > 1 ? ` after ${result.attempts} attempts` : ""}`,
    );
  }
  if (result.othersCommits)
    err(
      `warning: ${result.branch} has ${result.othersCommits} commit(s) by others; the updates were built on top of them, not on a fresh ${flags.gitBranch ?? "main"}`,
    );
  const pr = result.pullRequest;
  if (pr && pr.action !== "none")
    out(`pull request #${pr.number} ${pr.action}${pr.url ? `: ${pr.url}` : ""}`);
  err(`registry requests: ${result.registryRequests}`);
  return problems.length > 0 ? "failure" : "success";
}

/** Each policy or annotated workload: its latest tag and the value in Git. */
async function list(io: CommandIo, options: AutomationOptions): Promise<Outcome> {
  const run = await automation();
  const result = await run.runAutomation(options);
  const rows = [["POLICY", "IMAGE", "LATEST", "IN GIT", "FILE"]];
  for (const r of run.listRows(result)) rows.push([r.name, r.image, r.latest, r.inGit, r.file]);
  if (rows.length === 1) io.out("no ImagePolicies or automated workloads found\n");
  else printTable(rows, io.out);
  return "success";
}
