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
    .option(
      "--git-branch <branch>",
      "branch the image objects are read on, and updated unless an ImageUpdateAutomation checks out another (default main)",
    )
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

/**
 * One pass; for each run prints each change `path: old -> new` and what was pushed (or
 * that nothing changed, or why the run did nothing). With several automations, each
 * line starts with the automation's `namespace/name`.
 */
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
  for (const problem of problems) err(`error: ${problem}`);
  const agentBranch = flags.gitBranch ?? "main";
  const many = result.runs.length > 1;
  let failed = problems.length > 0;
  for (const r of result.runs) {
    if (r.skipped) {
      out(r.skipped);
      continue;
    }
    const at = many && r.automation ? `${r.automation}: ` : "";
    for (const note of r.notes) out(`${at}${note}`);
    for (const skipped of r.plan?.skipped ?? []) err(`warning: ${at}${skipped}`);
    if (r.error) {
      failed = true;
      err(`error: ${r.automation ? `ImageUpdateAutomation ${r.automation}: ` : ""}${r.error}`);
      continue;
    }
    const changes = r.plan?.changes ?? [];
    if (changes.length === 0) out(`${at}no changes: every image is up to date`);
    for (const c of changes) out(`${at}${c.file}: ${c.old} -> ${c.new}`);
    const to = r.branch && (many || r.branch !== agentBranch) ? ` to ${r.branch}` : "";
    if (r.upToDate && r.commit) {
      out(`${at}${r.branch} already holds these updates (${r.commit.slice(0, 12)})`);
    } else if (r.commit) {
      out(
        `${at}${r.pushed ? "pushed" : "committed (not pushed)"} ${r.commit.slice(0, 12)}${to}${r.refspec ? ` and with refspec ${r.refspec}` : ""}${r.attempts && r.attempts > 1 ? ` after ${r.attempts} attempts` : ""}`,
      );
    }
    if (r.othersCommits)
      err(
        `warning: ${at}${r.branch} has ${r.othersCommits} commit(s) by others; the updates were built on top of them, not on a fresh ${r.base ?? agentBranch}`,
      );
    const pr = r.pullRequest;
    if (pr && pr.action !== "none")
      out(`${at}pull request #${pr.number} ${pr.action}${pr.url ? `: ${pr.url}` : ""}`);
  }
  err(`registry requests: ${result.registryRequests}`);
  return failed ? "failure" : "success";
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
