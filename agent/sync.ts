// One pass over all units at the remote's current revision: ask the remote, fetch if
// needed, then reconcile the units in dependency order. A unit whose dependency did
// not end healthy is skipped, not applied.

import type { KubeClient } from "../shared/kube/client.ts";
import type { Manifest } from "../shared/manifests/object.ts";
import type { SopsKeys } from "../shared/sops/keys.ts";
import { messageOf } from "../shared/util/message.ts";
import { applyManifests } from "./apply.ts";
import { countChanges, isApplied } from "./changes.ts";
import type { AgentConfig, UnitConfig } from "./config.ts";
import { loadDecryptionKeys } from "./decrypt.ts";
import { prepareFluxRender } from "./flux/bootstrap.ts";
import { fluxRevision, hasFluxWork } from "./flux/kinds.ts";
import type { KustomizationReport } from "./flux/kustomization.ts";
import type { FluxPass } from "./flux/pass.ts";
import type { FluxSchedule } from "./flux/schedule.ts";
import { ensureNamespace, readRecord, writeRecord } from "./inventory.ts";
import { loadLastGood, saveLastGood } from "./last-good.ts";
import { newStatus, reconcileUnit, type UnitReport } from "./reconcile.ts";
import {
  checkoutCurrent,
  credentialsFrom,
  type GitSourceSpec,
  moveSyncTag,
  withoutUrlCredentials,
} from "./source/git.ts";
import { parseVerifyMode, readTrustedKeys, verifyRevision } from "./source/verify.ts";

export interface SyncPass {
  ok: boolean;
  revision?: string | undefined;
  /** false when the cached checkout was already at the revision. */
  fetched?: boolean;
  reports: UnitReport[];
  /** A failure before any unit ran (configuration, Git). */
  error?: string | undefined;
  /** Moving the sync tag failed; the sync itself still counts as done. */
  warning?: string | undefined;
  /** The Flux Kustomizations reconciled after the units, when the units applied any. */
  flux?: FluxPass | undefined;
  /** Things said once per pass (e.g. Flux controllers skipped). */
  notes?: string[] | undefined;
  /** Git was unreachable and units were held at their last good state. */
  stale?: boolean;
}

export interface SyncOptions {
  client: KubeClient;
  cacheDir: string;
  dryRun?: boolean;
  /** Only these units; default all. */
  units?: readonly UnitConfig[];
  /** Units outside `units` that ended healthy in an earlier pass. */
  healthyBefore?: ReadonlySet<string>;
  onUnit?: (report: UnitReport) => void;
  /** Every error thrown inside a unit's reconcile, before it becomes a failed report. */
  onError?: (error: unknown, unit: string) => void;
  onKustomization?: (report: KustomizationReport) => void;
  /** The long-running agent's per-Kustomization schedule (none: every one is reconciled). */
  fluxSchedule?: FluxSchedule | undefined;
  onNote?: (line: string) => void;
  kustomize?: string | undefined;
  /** Prune past each unit's delete budget in this pass. */
  confirmPrune?: boolean;
  /**
   * Where each unit's last fully applied objects are kept (last-good.ts). When set, a
   * good pass saves them, and a pass that cannot reach Git re-applies them.
   */
  lastGoodDir?: string | undefined;
  /** The kubeconfig the helm CLI uses (default: what helm finds, as the client does). */
  kubeconfig?: string | undefined;
}

export function gitSpecOf(config: AgentConfig): GitSourceSpec {
  const spec = withoutUrlCredentials({
    url: config.git.url,
    branch: config.git.branch,
    tag: config.git.tag,
    commit: config.git.commit,
  });
  // Credentials in the URL win; otherwise the environment or the mounted Secret.
  return spec.credentials
    ? spec
    : { ...spec, credentials: credentialsFrom(process.env, config.git.secretDir) };
}

export async function recordEvent(
  client: KubeClient,
  namespace: string,
  unit: string,
  reason: string,
  message: string,
): Promise<void> {
  const now = new Date().toISOString();
  await client
    .request({
      method: "POST",
      path: `/api/v1/namespaces/${namespace}/events`,
      body: {
        apiVersion: "v1",
        kind: "Event",
        metadata: { generateName: `tether-${unit}-`, namespace },
        involvedObject: {
          apiVersion: "v1",
          kind: "ConfigMap",
          namespace,
          name: `tether-unit-${unit}`,
        },
        reason,
        message: message.slice(0, 1000),
        type: "Warning",
        source: { component: "tether-agent" },
        firstTimestamp: now,
        lastTimestamp: now,
        count: 1,
      },
    })
    .catch(() => undefined); // Events are best effort; the status record is what counts.
}

export { messageOf };

/**
 * Marks a unit's record Failed with `message`, keeping its inventory as it is. When the
 * record cannot be read (API down, unreadable) it is left alone: writing it without
 * its inventory would lose what the unit owns. Best effort; never throws.
 */
export async function recordFailure(
  client: KubeClient,
  namespace: string,
  unit: UnitConfig,
  message: string,
): Promise<void> {
  const record = await readRecord(client, namespace, unit.name).catch(() => undefined);
  if (!record || record.unreadable) return;
  const status = record.status ?? newStatus(unit, "");
  await writeRecord(
    client,
    namespace,
    unit.name,
    {
      inventory: record.inventory,
      status: {
        ...status,
        result: "Failed",
        lastSync: new Date().toISOString(),
        lastError: message,
      },
    },
    record,
  ).catch(() => undefined);
}

/** A failed report for a unit that did not get to (or through) reconcile. */
export function failedReport(unit: UnitConfig, revision: string, error: string): UnitReport {
  return {
    unit: unit.name,
    revision,
    ok: false,
    changes: [],
    errors: [error],
    status: { ...newStatus(unit, revision), lastSync: new Date().toISOString(), lastError: error },
  };
}

/**
 * Git is unreachable: each unit's last good objects are applied again (correcting
 * drift), nothing is pruned and no inventory changes; the source is reported stale.
 * A unit with no usable last good state fails as before.
 */
async function holdLastGood(
  config: AgentConfig,
  units: readonly UnitConfig[],
  options: SyncOptions,
  dir: string,
  fetchError: string,
): Promise<SyncPass> {
  const client = options.client;
  await ensureNamespace(client, config.namespace).catch(() => undefined);
  const reports: UnitReport[] = [];
  const notes: string[] = [];
  for (const unit of units) {
    let report: UnitReport;
    try {
      const loaded = await loadLastGood(dir, unit.name);
      if (loaded.problem) notes.push(loaded.problem);
      if (!loaded.state) throw new Error(fetchError);
      const { state } = loaded;
      const stale = `source stale: ${fetchError}; holding ${state.revision.slice(0, 12)} from the last good state`;
      const applied = await applyManifests(
        client,
        state.objects.map((object) => ({
          object,
          source: { file: `last good state ${state.revision.slice(0, 12)}` },
        })),
        { unit: unit.name },
      );
      const failed = applied.filter((r) => r.action === "failed");
      report = failedReport(unit, state.revision, stale);
      report.ok = failed.length === 0;
      report.errors =
        failed.length > 0 ? [`${failed.length} object(s) failed to apply`, stale] : [];
      report.changes = applied;
      report.status = {
        ...report.status,
        counts: countChanges(applied),
        result: report.ok ? "Succeeded" : "Failed",
        lastError: stale,
        stale,
      };
      const record = await readRecord(client, config.namespace, unit.name);
      if (!record.unreadable) {
        await writeRecord(
          client,
          config.namespace,
          unit.name,
          {
            inventory: record.inventory,
            status: { ...report.status, lastAppliedRevision: record.status?.lastAppliedRevision },
          },
          record,
        );
      }
    } catch (error) {
      options.onError?.(error, unit.name);
      report = failedReport(unit, "", messageOf(error));
      await recordFailure(client, config.namespace, unit, messageOf(error));
    }
    await recordEvent(client, config.namespace, unit.name, "FetchFailed", fetchError);
    options.onUnit?.(report);
    reports.push(report);
  }
  for (const line of notes) options.onNote?.(line);
  return { ok: reports.every((r) => r.ok), reports, error: fetchError, notes, stale: true };
}

export async function syncOnce(config: AgentConfig, options: SyncOptions): Promise<SyncPass> {
  const units = options.units ?? config.units;
  let spec: GitSourceSpec;
  let revision: string;
  let dir: string;
  let fetched: boolean;
  // The records namespace is made sure of while Git is fetched (the first request also
  // reads the API server's discovery): a first sync of 1,000 objects 80 ms sooner.
  const namespaceReady = options.dryRun
    ? Promise.resolve(undefined)
    : ensureNamespace(options.client, config.namespace).then(
        () => undefined,
        (error: unknown) => error,
      );
  try {
    spec = gitSpecOf(config);
    ({ dir, revision, fetched } = await checkoutCurrent(spec, options.cacheDir));
    // A revision not signed by a trusted key is never applied; the pass fails and says why.
    if (config.git.verifyKeysDir) {
      await verifyRevision(
        dir,
        revision,
        await readTrustedKeys(config.git.verifyKeysDir),
        parseVerifyMode(config.git.verifyMode),
        config.git.commit ? undefined : config.git.tag,
      );
    }
  } catch (error) {
    const message = messageOf(error);
    if (!options.dryRun && options.lastGoodDir) {
      return holdLastGood(config, units, options, options.lastGoodDir, message);
    }
    if (!options.dryRun) {
      // Nothing is applied or pruned; the failure is recorded where `tether status` looks.
      await namespaceReady;
      for (const unit of units) {
        await recordFailure(options.client, config.namespace, unit, message);
        await recordEvent(options.client, config.namespace, unit.name, "FetchFailed", message);
      }
    }
    return { ok: false, reports: [], error: message, notes: [] };
  }

  const namespaceError = await namespaceReady;
  if (namespaceError !== undefined) {
    const message = `records namespace ${config.namespace}: ${messageOf(namespaceError)}`;
    return { ok: false, revision, fetched, reports: [], error: message, notes: [] };
  }
  // What the agent follows, as a GitRepository would name it: one of the agent's URL at
  // this ref is the agent's checkout; at another ref it is fetched.
  const agentRef = config.git.commit
    ? { commit: config.git.commit }
    : config.git.tag
      ? { tag: config.git.tag }
      : { branch: config.git.branch ?? "main" };
  const notes: string[] = [];
  const note = (line: string) => {
    if (notes.includes(line)) return;
    notes.push(line);
    options.onNote?.(line);
  };
  const prepare = async (manifests: Manifest[]) => {
    const prepared = await prepareFluxRender(options.client, manifests, options.dryRun ?? false);
    for (const line of prepared.notes) note(line);
    return prepared;
  };
  // The units' SOPS keys, read once a pass; a Secret that cannot be read fails every
  // unit before anything is applied.
  let decryption: SopsKeys | undefined;
  let decryptionError: string | undefined;
  try {
    decryption = await loadDecryptionKeys(options.client, config.namespace, config.decryption);
  } catch (error) {
    decryptionError = messageOf(error);
  }
  const reports: UnitReport[] = [];
  const healthy = new Set<string>(options.healthyBefore ?? []);
  for (const unit of units) {
    const blocked = unit.dependsOn.filter((d) => !healthy.has(d));
    let report: UnitReport;
    if (blocked.length > 0) {
      report = failedReport(
        unit,
        revision,
        `skipped: waiting for ${blocked.join(", ")} to be ready`,
      );
    } else if (decryptionError) {
      report = failedReport(unit, revision, decryptionError);
      if (!options.dryRun)
        await recordFailure(options.client, config.namespace, unit, decryptionError);
    } else {
      const started = performance.now();
      report = await reconcileUnit(unit, {
        client: options.client,
        root: dir,
        revision,
        namespace: config.namespace,
        dryRun: options.dryRun ?? false,
        kustomize: options.kustomize,
        prepare,
        confirmPrune: options.confirmPrune ?? false,
        cacheDir: options.cacheDir,
        decryption,
        helm: {
          client: options.client,
          cacheDir: options.cacheDir,
          kubeconfig: options.kubeconfig,
          gitUrl: spec.url,
          gitRef: agentRef,
          gitCredentials: spec.credentials,
          lockdown: config.lockdown,
        },
      }).catch(async (error: unknown) => {
        // Any error inside a unit (API errors, a bug) ends that unit's pass as failed;
        // the loop and the other units go on.
        options.onError?.(error, unit.name);
        const failed = failedReport(unit, revision, messageOf(error));
        if (!options.dryRun)
          await recordFailure(options.client, config.namespace, unit, messageOf(error));
        return failed;
      });
      report.seconds = (performance.now() - started) / 1000;
    }
    if (report.ok && report.desired && options.lastGoodDir) {
      await saveLastGood(options.lastGoodDir, {
        unit: unit.name,
        revision,
        savedAt: new Date().toISOString(),
        objects: report.desired,
      }).catch((error: Error) =>
        // The pass itself succeeded; only a restart without Git loses this revision.
        note(`${unit.name}: could not save the last good state: ${error.message}`),
      );
    }
    report.desired = undefined;
    if (report.ok) healthy.add(unit.name);
    else if (!options.dryRun) {
      await recordEvent(
        options.client,
        config.namespace,
        unit.name,
        "SyncFailed",
        report.errors.join("; "),
      );
    }
    options.onUnit?.(report);
    reports.push(report);
  }
  // Flux objects the units applied are reconciled next (a dry run only shows the units).
  let flux: FluxPass | undefined;
  const applied = reports.map((r) => ({
    path: r.status.path,
    ok: r.ok,
    message: r.errors.join("; "),
    applied: r.changes.filter(isApplied).map((c) => c.ref),
  }));
  // Loaded only when there is Flux work: the Flux and Helm code (and `yaml`, which they
  // use) stay out of an agent whose units apply no Flux object.
  if (!options.dryRun && hasFluxWork(applied.flatMap((u) => u.applied))) {
    const { runFluxPass } = await import("./flux/pass.ts");
    // HelmReleases inside Kustomizations are reconciled by the Helm step.
    (await import("./helm/flux.ts")).registerHelmReconcilers();
    flux = await runFluxPass({
      client: options.client,
      kubeconfig: options.kubeconfig,
      own: {
        url: spec.url,
        dir,
        revision: fluxRevision(
          config.git.commit ? undefined : (config.git.tag ?? config.git.branch ?? "main"),
          revision,
        ),
        ref: agentRef,
        credentials: spec.credentials,
      },
      units: applied,
      cacheDir: options.cacheDir,
      dryRun: false,
      kustomize: options.kustomize,
      lockdown: config.lockdown,
      deleteBudget: config.deleteBudget,
      confirmPrune: options.confirmPrune ?? false,
      note,
      schedule: options.fluxSchedule,
      ...(options.onKustomization ? { onReport: options.onKustomization } : {}),
    });
  }
  const ok = reports.every((r) => r.ok) && (flux?.ok ?? true);
  let warning: string | undefined;
  if (ok && !options.dryRun && !config.git.readonly && !config.git.commit) {
    await moveSyncTag(spec, dir, revision, config.git.syncTag).catch((error: Error) => {
      warning = `${error.message} (moving the sync tag needs write credentials; leave git.readonly at its default, true, to skip it)`;
    });
  }
  return { ok, revision, fetched, reports, warning, flux, notes };
}
