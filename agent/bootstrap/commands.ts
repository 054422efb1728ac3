// The install commands: `tether bootstrap`, `tether identity`, `tether uninstall`. They
// read flags and the terminal, and call bootstrap.ts and uninstall.ts.
import { createInterface } from "node:readline/promises";
import type { Command } from "commander";
import { type CommandIo, lines, RefusedError, runner, UsageError } from "../../shared/command.ts";
import { withClient } from "../../shared/kube/with-client.ts";
import { parseDuration } from "../config.ts";
import { AGENT_NAMESPACE } from "../defaults.ts";
import { defaultImage, GIT_SECRET } from "./folder.ts";

interface BootstrapFlags {
  gitUrl: string;
  gitBranch: string;
  path: string;
  ssh?: boolean;
  tokenAuth?: boolean;
  image?: string;
  namespace: string;
  privateKeyFile?: string;
  knownHosts?: string;
  authorName: string;
  authorEmail: string;
  wait: boolean;
  timeout: string;
  syncTimeout: string;
  kubeconfig?: string;
}

interface UninstallFlags {
  yes?: boolean;
  pruneWorkloads?: boolean;
  keepCrds?: boolean;
  namespace: string;
  timeout: string;
  kubeconfig?: string;
}

const durationOf = (text: string, flag: string) => {
  try {
    return parseDuration(text, flag);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
};

/** Asks on the terminal; anything but y/yes is no. */
async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}

export function registerInstallCommands(program: Command): void {
  program
    .command("bootstrap")
    .description(
      "install the agent: commit its manifests under PATH/tether-system, push, apply them with its Git Secret, wait until it synced (again: upgrade)",
    )
    .requiredOption(
      "--git-url <url>",
      "the repository (https:// with --token-auth, ssh:// or user@host:path with --ssh)",
    )
    .option("--git-branch <branch>", "branch the agent follows and bootstrap commits to", "main")
    .requiredOption("--path <path>", "the cluster's folder in the repository, e.g. clusters/edge-1")
    .option(
      "--ssh",
      "generate an ed25519 deploy key for the agent (printed; `tether identity` prints it again)",
    )
    .option(
      "--token-auth",
      "the agent uses TETHER_GIT_USERNAME / TETHER_GIT_PASSWORD (a read token)",
    )
    .option("--image <ref>", `the agent's image (default ${defaultImage()})`)
    .option("--namespace <ns>", "the agent's namespace", AGENT_NAMESPACE)
    .option(
      "--private-key-file <file>",
      "with --ssh: the key bootstrap pushes with (default: ssh's own)",
    )
    .option(
      "--known-hosts <file>",
      "with --ssh: the Git host's keys (default: ssh-keyscan of the host)",
    )
    .option("--author-name <name>", "author of the commit", "Tether")
    .option("--author-email <email>", "author email of the commit", "tether@localhost")
    .option("--no-wait", "return once applied, without waiting for the agent")
    .option("--timeout <duration>", "how long to wait for the agent's rollout", "5m")
    .option(
      "--sync-timeout <duration>",
      "after the rollout, how long to wait for the agent's record of the commit",
      "30s",
    )
    .option("--kubeconfig <file>", "kubeconfig (default: KUBECONFIG, ~/.kube/config or in-cluster)")
    .action(
      runner(async (io: CommandIo, flags: BootstrapFlags) => {
        if (Boolean(flags.ssh) === Boolean(flags.tokenAuth))
          throw new UsageError("give one of --ssh or --token-auth");
        const options = {
          gitUrl: flags.gitUrl,
          branch: flags.gitBranch,
          path: flags.path,
          auth: flags.ssh ? ("ssh" as const) : ("token" as const),
          image: flags.image ?? defaultImage(),
          namespace: flags.namespace,
          username: io.env.TETHER_GIT_USERNAME,
          password: io.env.TETHER_GIT_PASSWORD ?? io.env.TETHER_GIT_TOKEN,
          privateKeyFile: flags.privateKeyFile,
          knownHostsFile: flags.knownHosts,
          author: { name: flags.authorName, email: flags.authorEmail },
          wait: flags.wait,
          timeoutMs: durationOf(flags.timeout, "--timeout"),
          syncTimeoutMs: durationOf(flags.syncTimeout, "--sync-timeout"),
        };
        const { bootstrap } = await import("./bootstrap.ts");
        await withClient(flags.kubeconfig, (client) => bootstrap(client, options, lines(io).out));
        return "success";
      }),
    );

  program
    .command("identity")
    .description("print the agent's deploy key (the public half of its SSH key), from the cluster")
    .option("--namespace <ns>", "the agent's namespace", AGENT_NAMESPACE)
    .option("--kubeconfig <file>", "kubeconfig (default: KUBECONFIG, ~/.kube/config or in-cluster)")
    .action(
      runner(async (io: CommandIo, flags: { namespace: string; kubeconfig?: string }) => {
        const { readGitSecret } = await import("./cluster.ts");
        const data = await withClient(flags.kubeconfig, (client) =>
          readGitSecret(client, flags.namespace),
        );
        if (!data)
          throw new Error(`no Secret ${flags.namespace}/${GIT_SECRET}: run tether bootstrap first`);
        const key = data["identity.pub"];
        if (!key) {
          throw new Error(
            `the agent's Secret ${flags.namespace}/${GIT_SECRET} holds ${data.identity ? "a private key without its public half" : "a token, not an SSH key"}: no deploy key to print`,
          );
        }
        io.out(`${key.trim()}\n`);
        return "success";
      }),
    );

  program
    .command("uninstall")
    .description(
      "remove the agent, its records and the CRDs it installed; keep what it applied (without Tether's labels) unless --prune-workloads",
    )
    .option("--yes", "do not ask for confirmation (needed when not in a terminal)")
    .option("--prune-workloads", "delete the objects the agent applied instead of keeping them")
    .option("--keep-crds", "keep the CRDs Tether installed for Flux and Helm kinds")
    .option("--namespace <ns>", "the agent's namespace", AGENT_NAMESPACE)
    .option(
      "--timeout <duration>",
      "how long to wait for the agent and its namespace to be gone",
      "2m",
    )
    .option("--kubeconfig <file>", "kubeconfig (default: KUBECONFIG, ~/.kube/config or in-cluster)")
    .action(
      runner(async (io: CommandIo, flags: UninstallFlags) => {
        const timeoutMs = durationOf(flags.timeout, "--timeout");
        const what = flags.pruneWorkloads
          ? "delete the agent AND every object it applied"
          : "delete the agent (the objects it applied stay)";
        if (!flags.yes) {
          if (!process.stdin.isTTY)
            throw new RefusedError(`uninstall would ${what}: pass --yes when not in a terminal`);
          if (!(await confirm(`Uninstall Tether from namespace ${flags.namespace}: ${what}?`)))
            throw new RefusedError("not confirmed; nothing changed");
        }
        const { uninstall } = await import("./uninstall.ts");
        await withClient(flags.kubeconfig, (client) =>
          uninstall(
            client,
            {
              namespace: flags.namespace,
              pruneWorkloads: flags.pruneWorkloads ?? false,
              keepCrds: flags.keepCrds ?? false,
              timeoutMs,
              kubeconfig: flags.kubeconfig,
            },
            lines(io).out,
          ),
        );
        return "success";
      }),
    );
}
