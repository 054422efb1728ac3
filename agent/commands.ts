// The agent's commands: sync (one reconcile, or a loop), agent (the long-running
// process), render, diff and status. They parse flags, call the pipeline and print;
// the work itself lives in the modules they import.
import { readFile } from "node:fs/promises";
import { dirname, resolve, sep } from "node:path";
import type { Command } from "commander";
import { type CommandIo, lines, type Outcome, runner, UsageError } from "../shared/command.ts";
import type { KubeClient } from "../shared/kube/client.ts";
import { withClient } from "../shared/kube/with-client.ts";
import { describeSource } from "../shared/manifests/object.ts";
import { renderPath } from "../shared/render/render.ts";
import { gitWorkTree } from "../shared/util/git-root.ts";
import { redactUrl } from "../shared/util/redact.ts";
import { printTable } from "../shared/util/table.ts";
import { readImageStatus } from "./automation/status.ts";
import { formatChange, formatCounts, isShown } from "./changes.ts";
import {
  type AgentConfig,
  DEFAULTS,
  parseAgentConfig,
  parseDuration,
  type UnitConfig,
  unitNameFromPath,
  validateConfig,
} from "./config.ts";
import { RECORDS_SELECTOR, unitRequests } from "./control.ts";
import { AGENT_NAMESPACE, HTTP_PORT, SYNC_TAG } from "./defaults.ts";
import { parseDeleteBudget } from "./delete-budget.ts";
import type { KustomizationReport } from "./flux/kustomization.ts";
import { listRecords, type UnitStatus } from "./inventory.ts";
import type { UnitReport } from "./reconcile.ts";
import { defaultCacheDir } from "./source/git.ts";
import { type SyncPass, syncOnce } from "./sync.ts";

interface SyncFlags {
  config?: string;
  gitUrl?: string;
  gitBranch?: string;
  gitTag?: string;
  gitCommit?: string;
  gitPath: string[];
  gitSecretDir?: string;
  gitReadonly?: boolean;
  gitPushSyncTag?: boolean;
  prune?: boolean;
  wait?: boolean;
  timeout?: string;
  interval?: string;
  targetNamespace?: string;
  namespace?: string;
  kubeconfig?: string;
  cacheDir?: string;
  once?: boolean;
  deleteBudget?: string;
  confirmPrune?: boolean;
  defaultServiceAccount?: string;
  noCrossNamespaceRefs?: boolean;
  /** What commander makes of `--no-cross-namespace-refs`: false when given. */
  crossNamespaceRefs?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

/** Flags shared by `sync`, `agent` and `diff`. */
function addSourceFlags(command: Command): Command {
  return command
    .option("--config <file>", "agent configuration file (YAML); flags override it")
    .option(
      "--git-url <url>",
      "repository URL: https://, ssh://, file:// or a path; credentials may be embedded in http(s) URLs",
    )
    .option("--git-branch <branch>", "branch to follow (default main)")
    .option("--git-tag <tag>", "tag to follow instead of a branch")
    .option("--git-commit <sha>", "commit to apply instead of a branch")
    .option(
      "--git-path <path>",
      "path in the repository to apply; repeat for several units",
      collect,
      [],
    )
    .option(
      "--git-secret-dir <dir>",
      "folder with username, password or token, identity, known_hosts files",
    )
    .option(
      "--git-push-sync-tag",
      `after a fully successful sync, move the sync tag (${SYNC_TAG}) to the applied commit; needs Git write credentials (default: read-only)`,
    )
    .option("--git-readonly", "never write to Git (the default; kept for older scripts)")
    .option("--namespace <ns>", "namespace for the agent's records", undefined)
    .option("--kubeconfig <file>", "kubeconfig (default: KUBECONFIG, ~/.kube/config or in-cluster)")
    .option("--cache-dir <dir>", "where checkouts are kept between runs", defaultCacheDir())
    .option(
      "--default-service-account <name>",
      "Flux Kustomizations and HelmReleases without serviceAccountName act as this ServiceAccount of their namespace (multi-tenancy lockdown)",
    )
    .option(
      "--no-cross-namespace-refs",
      "refuse Flux Kustomizations and HelmReleases that reference another namespace (sourceRef, dependsOn)",
    );
}

function addUnitFlags(command: Command): Command {
  return command
    .option("--prune", "delete objects removed from the path")
    .option("--wait", "wait for workloads to become healthy")
    .option("--timeout <duration>", "how long --wait waits (e.g. 5m)")
    .option("--interval <duration>", "how often to reconcile (e.g. 1m)")
    .option("--target-namespace <ns>", "put every namespaced object in this namespace")
    .option(
      "--delete-budget <share>",
      "largest share of a unit's objects one pass may prune (default 50%; off to disable)",
    );
}

/** The configuration file, if any, with the flags applied over it. */
export async function configFromFlags(flags: SyncFlags): Promise<AgentConfig> {
  const base: AgentConfig = flags.config
    ? parseAgentConfig(await readFile(flags.config, "utf8"), flags.config)
    : {
        namespace: AGENT_NAMESPACE,
        git: { url: "", syncTag: SYNC_TAG, readonly: true },
        units: [],
      };
  const git = { ...base.git };
  if (flags.gitUrl) git.url = flags.gitUrl;
  if (flags.gitBranch)
    Object.assign(git, { branch: flags.gitBranch, tag: undefined, commit: undefined });
  if (flags.gitTag) Object.assign(git, { tag: flags.gitTag, branch: undefined, commit: undefined });
  if (flags.gitCommit)
    Object.assign(git, { commit: flags.gitCommit, branch: undefined, tag: undefined });
  if (flags.gitSecretDir) git.secretDir = flags.gitSecretDir;
  if (flags.gitPushSyncTag) git.readonly = false;
  if (flags.gitReadonly) git.readonly = true;
  let units = base.units;
  const deleteBudget = flags.deleteBudget
    ? parseDeleteBudget(flags.deleteBudget, "--delete-budget")
    : base.deleteBudget;
  if (flags.gitPath.length > 0) {
    units = flags.gitPath.map(
      (path): UnitConfig => ({
        name: unitNameFromPath(path),
        path,
        prune: flags.prune ?? DEFAULTS.prune,
        wait: flags.wait ?? DEFAULTS.wait,
        timeoutMs: flags.timeout ? parseDuration(flags.timeout, "--timeout") : DEFAULTS.timeoutMs,
        intervalMs: flags.interval
          ? parseDuration(flags.interval, "--interval")
          : DEFAULTS.intervalMs,
        dependsOn: [],
        targetNamespace: flags.targetNamespace,
        allowEmpty: false,
        pruneCrdsAndNamespaces: false,
        deleteBudget: deleteBudget ?? DEFAULTS.deleteBudget,
      }),
    );
  }
  const lockdown = { ...base.lockdown };
  if (flags.defaultServiceAccount) lockdown.defaultServiceAccount = flags.defaultServiceAccount;
  if (flags.noCrossNamespaceRefs || flags.crossNamespaceRefs === false)
    lockdown.noCrossNamespaceRefs = true;
  return validateConfig({
    ...base,
    namespace: flags.namespace ?? base.namespace,
    git,
    units,
    lockdown,
    deleteBudget,
  });
}

function printUnit(report: UnitReport, write: (line: string) => void): void {
  write(`unit ${report.unit} (${report.status.path}) at ${report.revision.slice(0, 12)}`);
  for (const change of report.changes.filter(isShown)) write(`  ${formatChange(change)}`);
  for (const error of report.errors) write(`  error: ${error}`);
  write(`  ${report.ok ? "ok" : "FAILED"}: ${formatCounts(report.status.counts)}`);
}

function printKustomization(report: KustomizationReport, write: (line: string) => void): void {
  write(`kustomization ${report.key}${report.revision ? ` at ${report.revision}` : ""}`);
  for (const change of report.changes.filter(isShown)) write(`  ${formatChange(change)}`);
  const state = report.suspended
    ? "suspended"
    : report.ready
      ? "Ready"
      : `not Ready (${report.reason})`;
  write(`  ${state}: ${report.message.split("\n").join("; ")}`);
}

/** One pass (`sync --once`, `diff`), printed unit by unit as it goes. */
async function runSyncOnce(io: CommandIo, flags: SyncFlags, dryRun: boolean): Promise<SyncPass> {
  const { out, err } = lines(io);
  const config = await configFromFlags(flags);
  const pass = await withClient(flags.kubeconfig, async (client) => {
    // A suspended unit (tether suspend) is left alone by one-off syncs too.
    const suspended = await suspendedUnits(client, config.namespace);
    for (const unit of config.units)
      if (suspended.has(unit.name))
        err(`note: ${unit.name} is suspended (tether resume ${unit.name})`);
    return syncOnce(config, {
      client,
      units: config.units.filter((u) => !suspended.has(u.name)),
      cacheDir: flags.cacheDir ?? defaultCacheDir(),
      dryRun,
      confirmPrune: flags.confirmPrune ?? false,
      kubeconfig: flags.kubeconfig,
      onUnit: (report) => printUnit(report, out),
      onKustomization: (report) => printKustomization(report, out),
      onNote: (line) => err(`note: ${line}`),
    });
  });
  if (pass.error) err(`error: ${pass.error}`);
  if (pass.warning) err(`warning: ${pass.warning}`);
  if (!dryRun && (config.alerts?.length ?? 0) > 0) await alertOnce(config, pass, err);
  err(
    `${dryRun ? "diff" : "sync"} of ${redactUrl(config.git.url)}${pass.revision ? `@${pass.revision.slice(0, 12)}` : ""}: ${pass.ok ? "ok" : "failed"}`,
  );
  return pass;
}

/** Units whose record carries the suspend annotation; none when records cannot be read. */
async function suspendedUnits(client: KubeClient, namespace: string): Promise<Set<string>> {
  const records = await client
    .list("v1", "ConfigMap", { namespace, labelSelector: RECORDS_SELECTOR })
    .catch(() => []);
  return unitRequests(records, new Map(), true).suspended;
}

/** A one-off sync tells the configured alert targets what the agent would (alerts.ts). */
async function alertOnce(
  config: AgentConfig,
  pass: SyncPass,
  err: (line: string) => void,
): Promise<void> {
  const { eventsOfUnit, Notifier, prunedOf } = await import("./alerts.ts");
  const notifier = new Notifier(config.alerts ?? [], { log: err, attempts: 2 });
  if (pass.revision) notifier.pending(config.cluster ?? "default", pass.revision);
  for (const unit of config.units) {
    const report = pass.reports.find((r) => r.unit === unit.name);
    const events = eventsOfUnit(
      unit.name,
      undefined,
      {
        ok: report?.ok ?? false,
        error: report?.errors.join("; ") || pass.error,
        revision: pass.revision,
        pruned: prunedOf(report),
      },
      config.cluster ?? "default",
    );
    for (const event of events) notifier.notify(event);
  }
  await notifier.flush();
}

/** A TCP port from a flag: 1 to 65535. */
function portOf(text: string, flag: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 1 || port > 65_535)
    throw new UsageError(`${flag}: "${text}" is not a port (1 to 65535)`);
  return port;
}

export function registerAgentCommands(program: Command): void {
  declareSync(program).action(runner(syncCommand));
  declareAgent(program).action(runner(agentCommand));
  declareDiff(program).action(runner(diffCommand));
  declareRender(program).action(runner(renderCommand));
  declareTree(program).action(runner(treeCommand));
  declareStatus(program).action(runner(statusCommand));
}

function declareSync(program: Command): Command {
  const sync = program
    .command("sync")
    .description(
      "reconcile the cluster with paths of a Git repository (once with --once, else on an interval)",
    );
  return addUnitFlags(addSourceFlags(sync))
    .option("--once", "run one reconcile and exit: 0 on success, 1 on any failure")
    .option(
      "--confirm-prune",
      "with --once: prune even past the delete budget (after reading what tether diff would prune)",
    );
}

/** `tether sync`: one pass with --once, else the loop without the HTTP server's extras. */
async function syncCommand(io: CommandIo, flags: SyncFlags): Promise<Outcome> {
  if (flags.once) return (await runSyncOnce(io, flags, false)).ok ? "success" : "failure";
  const { runAgent } = await import("./loop.ts");
  await runAgent(await configFromFlags(flags), {
    kubeconfig: flags.kubeconfig,
    cacheDir: flags.cacheDir ?? defaultCacheDir(),
  });
  return "success";
}

interface AgentFlags extends SyncFlags {
  pullRequest?: string;
  pullRequestApi?: string;
  pullRequestRepo?: string;
  pullRequestTokenSecret?: string;
  port: string;
  bind: string;
  imageAutomation?: boolean;
  imageInterval: string;
  imagePath: string;
  insecureRegistry: string[];
  staleAfter: string;
  receiverPort?: string;
}

function declareAgent(program: Command): Command {
  const agent = program
    .command("agent")
    .description("run the agent: reconcile every unit on its interval, serve health and metrics");
  return addUnitFlags(addSourceFlags(agent))
    .option("--port <port>", "port for /healthz, /readyz and /metrics", String(HTTP_PORT))
    .option(
      "--bind <address>",
      "address for the HTTP server (default: every IPv6 and IPv4 address)",
      "::",
    )
    .option(
      "--stale-after <duration>",
      "/readyz fails when Git has not been reached for this long",
      "10m",
    )
    .option(
      "--receiver-port <port>",
      "serve POST /hook on this port: a signed push to the watched branch starts a pass now (secret: TETHER_RECEIVER_SECRET); Flux Receivers' /hook/<digest> paths too",
    )
    .option("--image-automation", "also scan registries and commit image updates to the repository")
    .option("--image-interval <duration>", "how often image automation runs", "5m")
    .option("--image-path <path>", "folder holding the image objects and marked files", ".")
    .option(
      "--insecure-registry <host>",
      "registry spoken to over plain HTTP (loopback registries always are); repeatable",
      collect,
      [],
    )
    .option(
      "--pull-request <provider>",
      "image automation opens a pull request from spec.git.push.branch (github)",
    )
    .option("--pull-request-api <url>", "the provider's API URL", "https://api.github.com")
    .option("--pull-request-repo <owner/name>", "repository (default: from the Git URL)")
    .option(
      "--pull-request-token-secret <namespace/name>",
      "Secret whose `token` key holds the API token (default: GITHUB_TOKEN)",
    );
}

/** `tether agent`: the long-running agent (loop.ts). */
async function agentCommand(_io: CommandIo, flags: AgentFlags): Promise<Outcome> {
  const receiverSecret = process.env.TETHER_RECEIVER_SECRET ?? "";
  // Without a shared secret only the paths of Flux Receiver objects are served (each
  // has its own token); a short one is refused rather than served.
  if (flags.receiverPort !== undefined && receiverSecret !== "" && receiverSecret.length < 16)
    throw new UsageError(
      "TETHER_RECEIVER_SECRET must be at least 16 characters (or unset to serve only Flux Receivers)",
    );
  const { runAgent } = await import("./loop.ts");
  const { pullRequestSettings } = await import("./automation/pull-request.ts");
  const config = await configFromFlags(flags);
  await runAgent(config, {
    kubeconfig: flags.kubeconfig,
    cacheDir: flags.cacheDir ?? defaultCacheDir(),
    port: Number(flags.port),
    bind: flags.bind,
    staleAfterMs: parseDuration(flags.staleAfter, "--stale-after"),
    receiver:
      flags.receiverPort === undefined
        ? undefined
        : { port: portOf(flags.receiverPort, "--receiver-port"), secret: receiverSecret },
    images: flags.imageAutomation
      ? {
          intervalMs: parseDuration(flags.imageInterval, "--image-interval"),
          path: flags.imagePath,
          insecureRegistries: flags.insecureRegistry,
          pullRequest: pullRequestSettings({ ...flags, gitUrl: config.git.url }),
        }
      : undefined,
  });
  return "success";
}

function declareDiff(program: Command): Command {
  const diff = program
    .command("diff")
    .description("print what a sync would change, changing nothing");
  return addUnitFlags(addSourceFlags(diff));
}

/** `tether diff`: a pass that changes nothing. */
async function diffCommand(io: CommandIo, flags: SyncFlags): Promise<Outcome> {
  return (await runSyncOnce(io, flags, true)).ok ? "success" : "failure";
}

function declareRender(program: Command): Command {
  return program
    .command("render")
    .description("print the objects the agent would apply from PATH, as YAML")
    .argument("<path>", "a folder (kustomization or plain manifests) or a file")
    .option("--allow-empty", "a path with no objects is not an error");
}

/** `tether render PATH`: the objects the agent would apply, as YAML. */
async function renderCommand(
  io: CommandIo,
  path: string,
  flags: { allowEmpty?: boolean },
): Promise<Outcome> {
  // The repository is the Git work tree around the path; without one, the working
  // folder when the path is inside it, else the path's parent. Nothing is read
  // outside it (symlinks resolved first).
  const target = resolve(io.cwd, path);
  const root =
    gitWorkTree(target) ??
    (target === io.cwd || target.startsWith(`${io.cwd}${sep}`) ? io.cwd : dirname(target));
  const result = await renderPath(root, target, { allowEmpty: flags.allowEmpty ?? false });
  for (const error of result.errors) io.err(`error: ${error.message}\n`);
  if (result.errors.length > 0) return "failure";
  const { stringify } = await import("yaml");
  for (const m of result.manifests) {
    io.out(`---\n# Source: ${describeSource(m.source)}\n${stringify(m.object)}`);
  }
  return "success";
}

function declareTree(program: Command): Command {
  return program
    .command("tree")
    .description(
      "show each unit and Flux Kustomization with the objects it applied, as a tree (like flux tree)",
    )
    .argument("[target]", "start at this unit or Kustomization (name or namespace/name)")
    .option("--namespace <ns>", "namespace of the agent's records", AGENT_NAMESPACE)
    .option("--kubeconfig <file>", "kubeconfig (default: KUBECONFIG, ~/.kube/config or in-cluster)")
    .option("-o, --output <format>", "text or json", "text");
}

/** `tether tree`: units and Flux Kustomizations, and what each applied. */
async function treeCommand(
  io: CommandIo,
  name: string | undefined,
  flags: { kubeconfig?: string; namespace: string; output: string },
): Promise<Outcome> {
  if (flags.output !== "text" && flags.output !== "json")
    throw new UsageError(`--output: text or json (got ${flags.output})`);
  const { buildTree, listKustomizations, treeLines } = await import("./flux/view.ts");
  const [items, records] = await withClient(flags.kubeconfig, (client) =>
    Promise.all([listKustomizations(client), listRecords(client, flags.namespace)]),
  );
  const units = records.flatMap((r) =>
    r.status ? [{ name: r.status.unit, inventory: r.inventory }] : [],
  );
  const roots = buildTree(items, units, name);
  if (flags.output === "json") io.out(`${JSON.stringify(roots, null, 2)}\n`);
  else if (roots.length === 0)
    io.out(name ? `no unit or Kustomization ${name}\n` : "nothing applied yet\n");
  else io.out(`${treeLines(roots).join("\n")}\n`);
  return name && roots.length === 0 ? "failure" : "success";
}

interface StatusFlags {
  namespace: string;
  kubeconfig?: string;
  output: string;
}

function declareStatus(program: Command): Command {
  return program
    .command("status")
    .description("list units with revision, last sync, counts and health")
    .option("--namespace <ns>", "namespace of the agent's records", AGENT_NAMESPACE)
    .option("--kubeconfig <file>", "kubeconfig (default: KUBECONFIG, ~/.kube/config or in-cluster)")
    .option("-o, --output <format>", "table or json", "table");
}

/** `tether status`: image automation, Flux Kustomizations, then the units' records. */
async function statusCommand(io: CommandIo, flags: StatusFlags): Promise<Outcome> {
  const { listKustomizations, kustomizationRows } = await import("./flux/view.ts");
  const [records, images, kustomizations] = await withClient(flags.kubeconfig, (client) =>
    Promise.all([
      listRecords(client, flags.namespace),
      readImageStatus(client, flags.namespace),
      listKustomizations(client),
    ]),
  );
  const statuses = records.flatMap((r) => (r.status ? [r.status] : []));
  if (flags.output === "json") {
    io.out(`${JSON.stringify(statuses, null, 2)}\n`);
    return "success";
  }
  if (images) printImageStatus(images, io.out);
  if (kustomizations.length > 0) {
    printTable(kustomizationRows(kustomizations), io.out);
    io.out("\n");
  }
  if (statuses.length === 0) {
    io.out(`no units have synced yet (namespace ${flags.namespace})\n`);
    return "success";
  }
  printTable(unitRows(statuses), io.out);
  return "success";
}

function printImageStatus(
  images: NonNullable<Awaited<ReturnType<typeof readImageStatus>>>,
  write: (text: string) => void,
): void {
  const imageRows = [["IMAGE POLICY", "LATEST", "IN GIT", "ERROR"]];
  for (const p of images.policies)
    imageRows.push([p.policy, p.latest, p.inGit, (p.error ?? "").slice(0, 80)]);
  printTable(imageRows, write);
  write(
    `image automation: last run ${images.lastRun}, last push ${images.lastPush ?? "never"}${images.lastCommit ? ` (${images.lastCommit.slice(0, 12)})` : ""}\n\n`,
  );
}

/** The units table of `tether status`: a header, then one row per unit record. */
function unitRows(statuses: readonly UnitStatus[]): string[][] {
  const rows = [
    [
      "UNIT",
      "PATH",
      "REVISION",
      "LAST SYNC",
      "RESULT",
      "HEALTH",
      "CREATED",
      "CONFIGURED",
      "UNCHANGED",
      "PRUNED",
      "DRIFTED",
      "ERROR",
    ],
  ];
  for (const s of statuses) {
    rows.push([
      s.unit,
      s.path,
      s.revision.slice(0, 12),
      s.lastSync,
      s.result,
      s.health,
      ...[
        s.counts.created,
        s.counts.configured,
        s.counts.unchanged,
        s.counts.pruned,
        s.counts.drifted,
      ].map(String),
      (s.lastError ?? "").slice(0, 80),
    ]);
  }
  return rows;
}
