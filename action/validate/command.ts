// `tether validate [paths...]`: read the flags, run the validation (run.ts), print the
// report in the format asked for, and in a workflow also write the job summary, the step
// outputs and the sticky pull request comment. Exit codes (shared/command.ts): 0 valid,
// 1 invalid (or warnings with --fail-on warning), 2 usage error.
import { readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { type CommandIo, type Outcome, runner } from "../../shared/command.ts";
import { formatGithub } from "./formats/github.ts";
import { formatJson } from "./formats/json.ts";
import { formatJunit } from "./formats/junit.ts";
import { formatSarif } from "./formats/sarif.ts";
import { formatTap } from "./formats/tap.ts";
import { formatText } from "./formats/text.ts";
import {
  configFromFlags,
  FORMATS,
  parseChangedFiles,
  parseFailOn,
  parseFormat,
  UsageError,
  type ValidateFlags,
} from "./options.ts";
import { outcomeOf } from "./report.ts";

declare const TETHER_VERSION: string | undefined;

const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

async function readChangedFiles(path: string, cwd: string): Promise<string[]> {
  const text =
    path === "-"
      ? await new Promise<string>((done) => {
          let data = "";
          process.stdin.setEncoding("utf8");
          process.stdin.on("data", (chunk) => {
            data += chunk;
          });
          process.stdin.on("end", () => done(data));
        })
      : await readFile(resolve(cwd, path), "utf8").catch(() => {
          throw new UsageError(`--changed-files ${path}: cannot be read`);
        });
  return parseChangedFiles(text);
}

/** Runs the command: validates, reports, and answers whether the manifests passed. */
export async function validateCommand(
  io: CommandIo,
  paths: readonly string[],
  flags: ValidateFlags,
): Promise<Outcome> {
  const format = parseFormat(flags.output, io.env);
  const failOn = parseFailOn(flags);
  const config = configFromFlags(paths, flags, io.cwd);
  const asked = flags.kubernetesVersion?.trim();
  if (asked && asked.replace(/^v/, "") !== config.kubernetesVersion) {
    // Schemas are bundled per minor: say which one a patch version selected.
    io.err(
      `note: --kubernetes-version ${asked}: validated against the bundled Kubernetes ${config.kubernetesVersion} schemas\n`,
    );
  }
  if (flags.changedFiles !== undefined && flags.changedOnly) {
    throw new UsageError("--changed-files and --changed-only exclude each other");
  }
  if (flags.changedFiles !== undefined) {
    config.changedFiles = await readChangedFiles(flags.changedFiles, io.cwd);
  } else if (flags.changedOnly) {
    const { pullRequestFiles } = await import("./github.ts");
    const files = await pullRequestFiles(io.env);
    if (typeof files === "string") io.err(`note: validating every unit: ${files}\n`);
    else config.changedFiles = files;
  }

  // Schemas, ajv and the GitHub client load only when validating, so other commands
  // (the agent above all) start small.
  const { runValidation } = await import("./run.ts");
  const { report, notes } = await runValidation(config);
  // The same note for many objects (1,000 HelmReleases whose source is elsewhere) once.
  const times = new Map<string, number>();
  for (const note of notes) times.set(note, (times.get(note) ?? 0) + 1);
  for (const [note, n] of times) io.err(`note: ${note}${n > 1 ? ` (${n} times)` : ""}\n`);

  let reportPath = flags.report ? resolve(io.cwd, flags.report) : undefined;
  if (!reportPath && format === "github" && io.env.RUNNER_TEMP) {
    reportPath = join(io.env.RUNNER_TEMP, "tether-validate-report.json");
  }
  if (reportPath) await writeFile(reportPath, formatJson(report));

  switch (format) {
    case "text":
      io.out(formatText(report, { verbose: flags.verbose ?? false }));
      break;
    case "json":
      io.out(formatJson(report));
      break;
    case "junit":
      io.out(formatJunit(report));
      break;
    case "tap":
      io.out(formatTap(report));
      break;
    case "sarif":
      io.out(formatSarif(report, typeof TETHER_VERSION === "string" ? TETHER_VERSION : undefined));
      break;
    case "github": {
      const { text, overflow } = formatGithub(report);
      io.out(text);
      const { upsertComment, writeJobSummary, writeReportOutputs } = await import("./github.ts");
      await writeJobSummary(report, overflow, io.env);
      writeReportOutputs(report, reportPath);
      if (flags.comment !== false) {
        const outcome = await upsertComment(report, flags.commentKey ?? "validate", io.env);
        if (outcome !== "skipped") io.err(`note: pull request comment ${outcome}\n`);
      }
      break;
    }
  }
  return outcomeOf(report, failOn);
}

export function registerValidateCommand(program: Command): Command {
  const command = program
    .command("validate")
    .description(
      "validate manifests as the agent would render them: strict schemas, deprecated APIs and Rego policies",
    )
    .argument(
      "[paths...]",
      "folders (kustomizations are built, others read as plain manifests), files or globs; default .",
    )
    .option(
      "--root <dir>",
      "repository root; report paths are relative to it (default: the Git work tree around the paths, else the working folder)",
    )
    .option(
      "-o, --output <format>",
      `${FORMATS.join("|")} (default: github in a workflow, else text)`,
    )
    .option(
      "--kubernetes-version <version>",
      "Kubernetes version of the schemas (default: newest bundled)",
    )
    .option("--strict", "reject fields a schema does not list (default)")
    .option("--no-strict", "accept fields a schema does not list")
    .option(
      "--no-server-rules",
      "skip the API server's validation rules and CRD CEL rules (schemas only, as kubeconform)",
    )
    .option("--crds <path>", "CustomResourceDefinitions (file or folder; repeatable)", collect)
    .option("--ignore-missing-schemas", "skip kinds with no schema instead of failing")
    .option(
      "--skip <kinds>",
      "kinds not to validate, e.g. Secret,apps/v1/Deployment (repeatable)",
      collect,
    )
    .option(
      "--reject <kinds>",
      "kinds that are an error wherever they appear (repeatable)",
      collect,
    )
    .option("--policy <dir>", "Rego policies, conftest conventions (repeatable)", collect)
    .option(
      "--namespace <ns>",
      "Rego package(s) with the rules (repeatable; default: main)",
      collect,
    )
    .option("--all-namespaces", "rules of every Rego package")
    .option("--data <path>", "JSON/YAML data files for the policies (repeatable)", collect)
    .option("--rego-version <v>", "v1 (default) or v0 for policies written before OPA 1.0")
    .option("--gatekeeper-input", "give policies input.review.object and input.parameters")
    .option("--parameters <file>", "YAML/JSON for input.parameters (with --gatekeeper-input)")
    .option("--opa <path>", "the opa binary (default: opa on PATH)")
    .option(
      "--allow-builtin <name>",
      "give policies a withheld builtin back: opa.runtime, http.send, net.* or all (repeatable)",
      collect,
    )
    .option("--kustomize <path>", "the kustomize binary (default: kustomize on PATH)")
    .option(
      "--chart-cache <dir>",
      "where HelmRelease charts and indexes are cached; a filled cache works offline (default ~/.cache/tether/charts)",
    )
    .option("--no-helm-releases", "do not render the charts of HelmReleases")
    .option(
      "--changed-files <file>",
      "validate only units these files touch (one per line; - for stdin)",
    )
    .option("--changed-only", "in a pull request: validate only units its changed files touch")
    .option("--fail-on <level>", "error (default) or warning")
    .option("--fail-on-warning", "same as --fail-on warning")
    .option("--report <file>", "also write the JSON report to this file")
    .option("--comment", "with -o github: keep a sticky pull request comment (default)")
    .option("--no-comment", "with -o github: no pull request comment")
    .option(
      "--comment-key <key>",
      "tells this report's comment apart from others (default: validate)",
    )
    .option("--verbose", "text: list valid resources too")
    .action(runner(validateCommand));
  return command;
}
