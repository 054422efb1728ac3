// `tether reconcile`, `suspend`, `resume` and `events`: the flux and kubectl habits for
// a running agent. Requests are annotations and spec fields written in the cluster
// (control.ts); `reconcile` then waits for the agent to report the pass it asked for.
import type { Command } from "commander";
import { type CommandIo, lines, runner, UsageError } from "../shared/command.ts";
import type { KubeClient } from "../shared/kube/client.ts";
import { KubeApiError } from "../shared/kube/errors.ts";
import { withClient } from "../shared/kube/with-client.ts";
import type { KubeObject } from "../shared/manifests/object.ts";
import { printTable } from "../shared/util/table.ts";
import { parseDuration } from "./config.ts";
import {
  type ControlTarget,
  parseTarget,
  REQUESTED_AT,
  reconcilePatch,
  SUSPEND,
  suspendPatch,
} from "./control.ts";
import { AGENT_NAMESPACE } from "./defaults.ts";
import { recordOf } from "./inventory.ts";

interface ControlFlags {
  namespace: string;
  fluxNamespace: string;
  kubeconfig?: string;
  timeout: string;
  wait: boolean;
  withSource?: boolean;
  output: string;
}

async function patch(
  client: KubeClient,
  target: ControlTarget,
  body: unknown,
): Promise<KubeObject> {
  try {
    return await client.request<KubeObject>({
      method: "PATCH",
      path: await client.pathOf(target.ref),
      body,
      contentType: "application/merge-patch+json",
    });
  } catch (error) {
    if (error instanceof KubeApiError && error.status === 404) {
      const what =
        target.type === "unit"
          ? `unit "${target.name}" has no record in namespace ${target.ref.namespace} (has the agent run it? see tether status)`
          : `${target.kind} ${target.ref.namespace}/${target.ref.name} not found`;
      throw new UsageError(what);
    }
    throw error;
  }
}

/** What a finished pass said: unit record status, or a Flux object's Ready condition. */
interface Outcome {
  target: string;
  ready: boolean;
  revision?: string | undefined;
  message: string;
}

/** The outcome once the pass asked for at `token` is reported, else undefined. */
function outcomeOf(
  target: ControlTarget,
  live: KubeObject | undefined,
  token: string,
): Outcome | undefined {
  if (!live) return undefined;
  const name =
    target.type === "unit"
      ? target.name
      : `${target.kind}/${target.ref.namespace}/${target.ref.name}`;
  if (target.type === "unit") {
    const status = recordOf((live.data ?? {}) as Record<string, string>).status;
    if (!status || Date.parse(status.lastSync) < Date.parse(token)) return undefined;
    return {
      target: name,
      ready: status.result === "Succeeded",
      revision: status.revision,
      message: status.lastError ?? `${status.result} (${status.health})`,
    };
  }
  const status = (live.status ?? {}) as {
    lastHandledReconcileAt?: string;
    lastAppliedRevision?: string;
    conditions?: { type: string; status: string; message?: string }[];
  };
  if (status.lastHandledReconcileAt !== token) return undefined;
  const ready = status.conditions?.find((c) => c.type === "Ready");
  if (!ready || ready.status === "Unknown") return undefined;
  return {
    target: name,
    ready: ready.status === "True",
    revision: status.lastAppliedRevision,
    message: ready.message ?? "",
  };
}

/** Waits for the pass asked for at `token`, with a progress line in a terminal. */
async function waitForPass(
  client: KubeClient,
  target: ControlTarget,
  token: string,
  timeoutMs: number,
  io: CommandIo,
): Promise<Outcome> {
  const started = Date.now();
  const tty = process.stderr.isTTY === true;
  for (;;) {
    const outcome = outcomeOf(target, await client.get(target.ref), token);
    if (outcome) {
      if (tty) io.err("\r\x1b[K");
      return outcome;
    }
    const waited = Math.round((Date.now() - started) / 1000);
    if (Date.now() - started > timeoutMs)
      throw new Error(
        `no pass reported after ${waited}s (is the agent running? it reads requests every few seconds)`,
      );
    if (tty) io.err(`\r◎ waiting for the agent to reconcile ${target.ref.name} (${waited}s)`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

function print(io: CommandIo, output: string, outcome: Outcome): void {
  if (output === "json") io.out(`${JSON.stringify(outcome, null, 2)}\n`);
  else
    lines(io).out(
      `${outcome.ready ? "✔" : "✗"} ${outcome.target}${outcome.revision ? ` at ${outcome.revision.slice(0, 12)}` : ""}: ${outcome.message}`,
    );
}

/** Asks for a pass now and, unless --no-wait, waits for its result. */
async function reconcileNow(io: CommandIo, text: string, flags: ControlFlags) {
  const target = parseTarget(text, flags.namespace, flags.fluxNamespace);
  const timeoutMs = parseDuration(flags.timeout, "--timeout");
  return withClient(flags.kubeconfig, async (client) => {
    const token = new Date().toISOString();
    const live = await patch(client, target, reconcilePatch(token));
    const suspended =
      target.type === "unit"
        ? live.metadata.annotations?.[SUSPEND] === "true"
        : (live.spec as { suspend?: boolean } | undefined)?.suspend === true;
    // As `flux reconcile` does: a suspended object gets no pass, so there is nothing to wait for.
    if (suspended) throw new UsageError(`${text} is suspended (tether resume ${text})`);
    if (flags.withSource && target.type === "flux") {
      // The source first, as `flux reconcile --with-source` does; the agent's own source
      // is fetched every pass anyway.
      const live = await client.get(target.ref);
      const source = (
        live?.spec as { sourceRef?: { kind: string; name: string; namespace?: string } }
      )?.sourceRef;
      if (source?.kind === "GitRepository")
        await client
          .request({
            method: "PATCH",
            path: await client.pathOf({
              apiVersion: "source.toolkit.fluxcd.io/v1",
              kind: "GitRepository",
              namespace: source.namespace ?? target.ref.namespace ?? "flux-system",
              name: source.name,
            }),
            body: reconcilePatch(token),
            contentType: "application/merge-patch+json",
          })
          .catch(() => undefined);
    }
    lines(io).err(`► reconcile of ${text} requested (${REQUESTED_AT}=${token})`);
    if (!flags.wait) return "success" as const;
    const outcome = await waitForPass(client, target, token, timeoutMs, io);
    print(io, flags.output, outcome);
    return outcome.ready ? ("success" as const) : ("failure" as const);
  });
}

function controlOptions(command: Command): Command {
  return command
    .option("--namespace <ns>", "namespace of the agent's records", AGENT_NAMESPACE)
    .option(
      "--flux-namespace <ns>",
      "namespace of kustomization/NAME and helmrelease/NAME",
      "flux-system",
    )
    .option(
      "--kubeconfig <file>",
      "kubeconfig (default: KUBECONFIG, ~/.kube/config or in-cluster)",
    );
}

export function registerControlCommands(program: Command): void {
  controlOptions(
    program
      .command("reconcile")
      .argument("<target>", "a unit name, kustomization/NAME or helmrelease/NAME")
      .description("ask the running agent for a pass now and wait for its result"),
  )
    .option("--with-source", "also ask for the Flux object's GitRepository to be fetched")
    .option("--timeout <duration>", "how long to wait for the pass", "5m")
    .option("--no-wait", "only ask; do not wait for the result")
    .option("-o, --output <format>", "text or json", "text")
    .action(runner((io, text: string, flags: ControlFlags) => reconcileNow(io, text, flags)));

  for (const [verb, suspend] of [
    ["suspend", true],
    ["resume", false],
  ] as const) {
    controlOptions(
      program
        .command(verb)
        .argument("<target>", "a unit name, kustomization/NAME or helmrelease/NAME")
        .description(
          suspend
            ? "stop the agent from reconciling a unit or Flux object until it is resumed"
            : "reconcile a suspended unit or Flux object again (and wait for its pass)",
        ),
    )
      .option("--timeout <duration>", "how long resume waits for the pass", "5m")
      .option("--no-wait", "resume only asks; does not wait for the result")
      .option("-o, --output <format>", "text or json", "text")
      .action(
        runner(async (io, text: string, flags: ControlFlags) => {
          const target = parseTarget(text, flags.namespace, flags.fluxNamespace);
          await withClient(flags.kubeconfig, (client) =>
            patch(client, target, suspendPatch(target, suspend)),
          );
          lines(io).err(`► ${text} ${suspend ? "suspended" : "resumed"}`);
          if (suspend) return "success";
          return reconcileNow(io, text, flags);
        }),
      );
  }

  program
    .command("events")
    .description("what the agent reported, newest last (Kubernetes Events from Tether)")
    .option("--for <object>", "only events about unit/NAME, Kind/NAME")
    .option("--namespace <ns>", "namespace to read (default: the agent's)", AGENT_NAMESPACE)
    .option("-A, --all-namespaces", "events in every namespace")
    .option("--kubeconfig <file>", "kubeconfig (default: KUBECONFIG, ~/.kube/config or in-cluster)")
    .option("-o, --output <format>", "table or json", "table")
    .action(
      runner(
        async (
          io,
          flags: {
            for?: string;
            namespace: string;
            allNamespaces?: boolean;
            kubeconfig?: string;
            output: string;
          },
        ) => {
          const events = await withClient(flags.kubeconfig, (client) =>
            client.list("v1", "Event", flags.allNamespaces ? {} : { namespace: flags.namespace }),
          );
          const rows = selectEvents(events, flags.for);
          if (flags.output === "json") {
            io.out(`${JSON.stringify(rows, null, 2)}\n`);
            return "success";
          }
          if (rows.length === 0) {
            lines(io).out("no events from Tether");
            return "success";
          }
          printTable(
            [
              ["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"],
              ...rows.map((e) => [
                e.lastSeen,
                e.type,
                e.reason,
                e.object,
                e.message.split("\n")[0] ?? "",
              ]),
            ],
            io.out,
          );
          return "success";
        },
      ),
    );
}

export interface EventRow {
  lastSeen: string;
  type: string;
  reason: string;
  /** `unit/NAME` for a unit's record, else `Kind/namespace/name`. */
  object: string;
  message: string;
}

/** Tether's events, oldest first, optionally about one object. Pure. */
export function selectEvents(events: readonly KubeObject[], about?: string): EventRow[] {
  const rows: EventRow[] = [];
  for (const e of events as (KubeObject & Record<string, unknown>)[]) {
    const source = (e.source as { component?: string } | undefined)?.component ?? "";
    const reporting = String(e.reportingComponent ?? "");
    if (!source.startsWith("tether") && !reporting.startsWith("tether")) continue;
    const involved = (e.involvedObject ?? {}) as {
      kind?: string;
      namespace?: string;
      name?: string;
    };
    const object =
      involved.kind === "ConfigMap" && involved.name?.startsWith("tether-unit-")
        ? `unit/${involved.name.slice("tether-unit-".length)}`
        : `${involved.kind}/${involved.namespace ? `${involved.namespace}/` : ""}${involved.name}`;
    if (about && !matches(object, about)) continue;
    rows.push({
      lastSeen: String(e.lastTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp ?? ""),
      type: String(e.type ?? ""),
      reason: String(e.reason ?? ""),
      object,
      message: String(e.message ?? ""),
    });
  }
  return rows.sort((a, b) => (a.lastSeen < b.lastSeen ? -1 : a.lastSeen > b.lastSeen ? 1 : 0));
}

/** `unit/apps`, `Kustomization/apps` or `Kustomization/flux-system/apps`, kind case-insensitive. */
function matches(object: string, about: string): boolean {
  const [kind, ...rest] = object.split("/");
  const [aKind, ...aRest] = about.split("/");
  if (kind?.toLowerCase() !== aKind?.toLowerCase()) return false;
  const name = rest.at(-1);
  return aRest.length === 1 ? aRest[0] === name : aRest.join("/") === rest.join("/");
}
