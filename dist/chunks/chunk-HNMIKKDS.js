#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  describeProblems,
  prepareFluxRender,
  pruneObjects,
  waitForHealth
} from "./chunk-ZYC7PNST.js";
import {
  renderPath
} from "./chunk-IZE3LPOD.js";
import {
  checkout,
  credentialsFrom,
  moveSyncTag,
  remoteRevision,
  withoutUrlCredentials
} from "./chunk-OIXXWNUM.js";
import {
  applyManifests
} from "./chunk-S6D5P2V5.js";
import {
  confirmsRevision,
  deleteBudgetDecision,
  ensureNamespace,
  pruneCandidates,
  readRecord,
  writeRecord
} from "./chunk-FX7EDWFF.js";
import {
  fluxRevision
} from "./chunk-5CZALSU7.js";
import {
  describeRef,
  describeSource,
  refOf
} from "./chunk-Z62KHOJY.js";

// agent/reconcile.ts
function emptyCounts() {
  return { created: 0, configured: 0, unchanged: 0, pruned: 0, drifted: 0, failed: 0 };
}
function countApply(results, previous) {
  const counts = emptyCounts();
  for (const r of results) {
    counts[r.action]++;
    const key = `${r.ref.kind}/${r.ref.namespace ?? ""}/${r.ref.name}`;
    if (r.action === "configured" && previous.get(key) === r.hash) counts.drifted++;
  }
  return counts;
}
function keyOf(ref) {
  return `${ref.kind}/${ref.namespace ?? ""}/${ref.name}`;
}
async function reconcileUnit(unit, ctx) {
  const report = {
    unit: unit.name,
    revision: ctx.revision,
    ok: false,
    objects: [],
    errors: [],
    status: {
      unit: unit.name,
      path: unit.path,
      revision: ctx.revision,
      lastSync: "",
      result: "Failed",
      counts: emptyCounts(),
      health: "Unknown"
    }
  };
  const record = await readRecord(ctx.client, ctx.namespace, unit.name);
  report.status.lastAppliedRevision = record.status?.lastAppliedRevision;
  const finish = async (inventory2) => {
    report.status.lastSync = (/* @__PURE__ */ new Date()).toISOString();
    report.status.result = report.ok ? "Succeeded" : "Failed";
    if (report.ok) report.status.lastAppliedRevision = ctx.revision;
    report.status.lastError = report.errors.length > 0 ? report.errors.join("; ").slice(0, 2e3) : void 0;
    if (!ctx.dryRun)
      await writeRecord(ctx.client, ctx.namespace, unit.name, { inventory: inventory2, status: report.status });
    return report;
  };
  const rendered = await renderPath(ctx.root, unit.path, {
    allowEmpty: unit.allowEmpty,
    ...ctx.kustomize ? { binary: ctx.kustomize } : {}
  });
  if (rendered.errors.length > 0) {
    report.errors.push(...rendered.errors.map((e) => e.message));
    return finish(record.inventory);
  }
  let manifests = rendered.manifests;
  if (ctx.prepare) {
    const prepared = await ctx.prepare(manifests);
    if (prepared.errors.length > 0) {
      report.errors.push(...prepared.errors);
      return finish(record.inventory);
    }
    manifests = prepared.manifests;
  }
  const applied = await applyManifests(ctx.client, manifests, {
    unit: unit.name,
    targetNamespace: unit.targetNamespace,
    dryRun: ctx.dryRun ?? false
  });
  const previous = new Map(record.inventory.map((e) => [keyOf(e), e.hash]));
  report.status.counts = countApply(applied, previous);
  for (const r of applied) {
    report.objects.push({
      ref: r.ref,
      action: r.action,
      detail: r.error ? `${describeSource(r.manifest.source)}: ${r.error}` : void 0
    });
  }
  const ok = applied.filter((r) => r.action !== "failed");
  const newEntries = ok.map((r) => ({ ...refOf(r.desired), hash: r.hash }));
  const failed = applied.filter((r) => r.action === "failed");
  if (failed.length > 0) {
    report.errors.push(`${failed.length} object(s) failed to apply`);
    return finish([...record.inventory, ...newEntries]);
  }
  let pruned = [];
  if (record.unreadable) {
    report.errors.push(`${record.unreadable}: rebuilt from this render; nothing pruned`);
  } else if (unit.prune) {
    const candidates = pruneCandidates(
      record.inventory,
      applied.map((r) => r.ref)
    );
    const budget = deleteBudgetDecision({
      owned: record.inventory.length,
      toPrune: candidates.length,
      budget: unit.deleteBudget,
      confirmed: ctx.confirmPrune === true || confirmsRevision(record.confirmPrune, ctx.revision)
    });
    if (!budget.prune) {
      report.errors.push(budget.message);
      return finish([...newEntries, ...candidates]);
    }
    pruned = await pruneObjects(ctx.client, candidates, {
      unit: unit.name,
      allowCrdsAndNamespaces: unit.pruneCrdsAndNamespaces,
      dryRun: ctx.dryRun ?? false
    });
    const shown = {
      pruned: "pruned",
      kept: "kept",
      failed: "prune-failed"
    };
    for (const p of pruned) {
      if (p.action === "pruned") report.status.counts.pruned++;
      const action = shown[p.action];
      if (action) report.objects.push({ ref: p.ref, action, detail: p.reason });
    }
    const failedPrunes = pruned.filter((p) => p.action === "failed");
    if (failedPrunes.length > 0)
      report.errors.push(`${failedPrunes.length} object(s) could not be pruned`);
  }
  const inventory = [
    ...newEntries,
    ...pruned.filter((p) => p.action === "failed").map((p) => ({ ...p.ref, hash: "" })),
    ...unit.prune ? [] : pruneCandidates(record.inventory, newEntries)
  ];
  if (unit.wait && !ctx.dryRun) {
    const health = await waitForHealth(
      ctx.client,
      newEntries.map((e) => ({
        apiVersion: e.apiVersion,
        kind: e.kind,
        name: e.name,
        ...e.namespace ? { namespace: e.namespace } : {}
      })),
      unit.timeoutMs
    );
    report.status.health = health.healthy ? "Healthy" : "Unhealthy";
    if (!health.healthy) report.errors.push(`not healthy: ${describeProblems(health)}`);
  }
  report.ok = report.errors.length === 0;
  if (report.ok && !ctx.dryRun) report.desired = ok.map((r) => r.desired);
  return finish(inventory);
}
function formatObjectLine(line) {
  return `${describeRef(line.ref)} ${line.action}${line.detail ? `: ${line.detail}` : ""}`;
}

// agent/last-good.ts
import { createHash } from "node:crypto";
import { mkdir, open, readFile, rename, rm } from "node:fs/promises";
import { join } from "node:path";
var FORMAT = 1;
function lastGoodFile(dir, unit) {
  return join(dir, `${unit}.json`);
}
var sha256 = (text) => createHash("sha256").update(text).digest("hex");
async function saveLastGood(dir, state) {
  const payload = JSON.stringify({
    ...state,
    objects: state.objects.filter((o) => !(o.apiVersion === "v1" && o.kind === "Secret"))
  });
  const text = `${JSON.stringify({ format: FORMAT, sha256: sha256(payload), payload })}
`;
  await mkdir(dir, { recursive: true });
  const file = lastGoodFile(dir, state.unit);
  const temporary = `${file}.${process.pid}.tmp`;
  const handle = await open(temporary, "w", 384);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, file);
}
async function loadLastGood(dir, unit) {
  const file = lastGoodFile(dir, unit);
  let text;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if (error.code === "ENOENT") return {};
    return { problem: `last good state ${file} cannot be read: ${error.message}` };
  }
  try {
    const outer = JSON.parse(text);
    if (outer.format !== FORMAT || typeof outer.payload !== "string")
      throw new Error("unknown format");
    if (sha256(outer.payload) !== outer.sha256) throw new Error("checksum mismatch");
    const state = JSON.parse(outer.payload);
    if (state.unit !== unit || !Array.isArray(state.objects)) throw new Error("not this unit's");
    return { state };
  } catch (error) {
    await rm(file, { force: true }).catch(() => void 0);
    return {
      problem: `last good state ${file} was damaged (${error.message}); removed, rebuilt by the next good pass`
    };
  }
}

// agent/sync.ts
function gitSpecOf(config) {
  const spec = withoutUrlCredentials({
    url: config.git.url,
    branch: config.git.branch,
    tag: config.git.tag,
    commit: config.git.commit
  });
  return spec.credentials ? spec : { ...spec, credentials: credentialsFrom(process.env, config.git.secretDir) };
}
async function recordEvent(client, namespace, unit, reason, message) {
  const now = (/* @__PURE__ */ new Date()).toISOString();
  await client.request({
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
        name: `tether-unit-${unit}`
      },
      reason,
      message: message.slice(0, 1e3),
      type: "Warning",
      source: { component: "tether-agent" },
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1
    }
  }).catch(() => void 0);
}
function messageOf(error) {
  return error instanceof Error ? error.message : String(error);
}
async function recordFailure(client, namespace, unit, message) {
  const record = await readRecord(client, namespace, unit.name).catch(() => void 0);
  if (!record || record.unreadable) return;
  const status = record.status ?? {
    unit: unit.name,
    path: unit.path,
    revision: "",
    lastSync: "",
    result: "Failed",
    counts: { created: 0, configured: 0, unchanged: 0, pruned: 0, drifted: 0, failed: 0 },
    health: "Unknown"
  };
  await writeRecord(client, namespace, unit.name, {
    inventory: record.inventory,
    status: { ...status, result: "Failed", lastSync: (/* @__PURE__ */ new Date()).toISOString(), lastError: message }
  }).catch(() => void 0);
}
function failedReport(unit, revision, error) {
  return {
    unit: unit.name,
    revision,
    ok: false,
    objects: [],
    errors: [error],
    status: {
      unit: unit.name,
      path: unit.path,
      revision,
      lastSync: (/* @__PURE__ */ new Date()).toISOString(),
      result: "Failed",
      counts: { created: 0, configured: 0, unchanged: 0, pruned: 0, drifted: 0, failed: 0 },
      health: "Unknown",
      lastError: error
    }
  };
}
async function holdLastGood(config, units, options, dir, fetchError) {
  const client = options.client;
  await ensureNamespace(client, config.namespace).catch(() => void 0);
  const reports = [];
  const notes = [];
  for (const unit of units) {
    let report;
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
          source: { file: `last good state ${state.revision.slice(0, 12)}` }
        })),
        { unit: unit.name }
      );
      const failed = applied.filter((r) => r.action === "failed");
      report = failedReport(unit, state.revision, stale);
      report.ok = failed.length === 0;
      report.errors = failed.length > 0 ? [`${failed.length} object(s) failed to apply`, stale] : [];
      report.objects = applied.map((r) => ({ ref: r.ref, action: r.action, detail: r.error }));
      for (const r of applied) report.status.counts[r.action]++;
      report.status = {
        ...report.status,
        result: report.ok ? "Succeeded" : "Failed",
        lastError: stale,
        stale
      };
      const record = await readRecord(client, config.namespace, unit.name);
      if (!record.unreadable) {
        await writeRecord(client, config.namespace, unit.name, {
          inventory: record.inventory,
          status: { ...report.status, lastAppliedRevision: record.status?.lastAppliedRevision }
        });
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
async function syncOnce(config, options) {
  const units = options.units ?? config.units;
  let spec;
  let revision;
  let dir;
  let fetched;
  try {
    spec = gitSpecOf(config);
    revision = await remoteRevision(spec);
    ({ dir, fetched } = await checkout(spec, revision, options.cacheDir));
  } catch (error) {
    const message = messageOf(error);
    if (!options.dryRun && options.lastGoodDir) {
      return holdLastGood(config, units, options, options.lastGoodDir, message);
    }
    if (!options.dryRun) {
      await ensureNamespace(options.client, config.namespace).catch(() => void 0);
      for (const unit of units) {
        await recordFailure(options.client, config.namespace, unit, message);
        await recordEvent(options.client, config.namespace, unit.name, "FetchFailed", message);
      }
    }
    return { ok: false, reports: [], error: message, notes: [] };
  }
  if (!options.dryRun) {
    try {
      await ensureNamespace(options.client, config.namespace);
    } catch (error) {
      const message = `records namespace ${config.namespace}: ${messageOf(error)}`;
      return { ok: false, revision, fetched, reports: [], error: message, notes: [] };
    }
  }
  const notes = [];
  const note = (line) => {
    if (notes.includes(line)) return;
    notes.push(line);
    options.onNote?.(line);
  };
  const prepare = async (manifests) => {
    const prepared = await prepareFluxRender(options.client, manifests, options.dryRun ?? false);
    for (const line of prepared.notes) note(line);
    return prepared;
  };
  const reports = [];
  const healthy = new Set(options.healthyBefore ?? []);
  for (const unit of units) {
    const blocked = unit.dependsOn.filter((d) => !healthy.has(d));
    let report;
    if (blocked.length > 0) {
      report = failedReport(
        unit,
        revision,
        `skipped: waiting for ${blocked.join(", ")} to be ready`
      );
    } else {
      report = await reconcileUnit(unit, {
        client: options.client,
        root: dir,
        revision,
        namespace: config.namespace,
        dryRun: options.dryRun ?? false,
        kustomize: options.kustomize,
        prepare,
        confirmPrune: options.confirmPrune ?? false
      }).catch(async (error) => {
        options.onError?.(error, unit.name);
        const failed = failedReport(unit, revision, messageOf(error));
        if (!options.dryRun)
          await recordFailure(options.client, config.namespace, unit, messageOf(error));
        return failed;
      });
    }
    if (report.ok && report.desired && options.lastGoodDir) {
      await saveLastGood(options.lastGoodDir, {
        unit: unit.name,
        revision,
        savedAt: (/* @__PURE__ */ new Date()).toISOString(),
        objects: report.desired
      }).catch(
        (error) => (
          // The pass itself succeeded; only a restart without Git loses this revision.
          note(`${unit.name}: could not save the last good state: ${error.message}`)
        )
      );
    }
    report.desired = void 0;
    if (report.ok) healthy.add(unit.name);
    else if (!options.dryRun) {
      await recordEvent(
        options.client,
        config.namespace,
        unit.name,
        "SyncFailed",
        report.errors.join("; ")
      );
    }
    options.onUnit?.(report);
    reports.push(report);
  }
  let flux;
  if (!options.dryRun) {
    const { runFluxPass } = await import("./pass-K64OR5DF.js");
    flux = await runFluxPass({
      client: options.client,
      own: {
        url: spec.url,
        dir,
        revision: fluxRevision(
          config.git.commit ? void 0 : config.git.tag ?? config.git.branch ?? "main",
          revision
        )
      },
      units: reports.map((r) => ({
        path: r.status.path,
        ok: r.ok,
        message: r.errors.join("; "),
        applied: r.objects.filter((o) => ["created", "configured", "unchanged"].includes(o.action)).map((o) => o.ref)
      })),
      cacheDir: options.cacheDir,
      dryRun: false,
      kustomize: options.kustomize,
      note,
      ...options.onKustomization ? { onReport: options.onKustomization } : {}
    });
  }
  const ok = reports.every((r) => r.ok) && (flux?.ok ?? true);
  let warning;
  if (ok && !options.dryRun && !config.git.readonly && !config.git.commit) {
    await moveSyncTag(spec, dir, revision, config.git.syncTag).catch((error) => {
      warning = `${error.message} (moving the sync tag needs write credentials; leave git.readonly at its default, true, to skip it)`;
    });
  }
  return { ok, revision, fetched, reports, warning, flux, notes };
}

// agent/automation/status.ts
var IMAGE_STATUS_NAME = "tether-images";
function imageStatus(result, previous, now = /* @__PURE__ */ new Date()) {
  const inGit = new Map(
    (result.plan?.changes ?? []).map((c) => [c.marker.split(":").slice(0, 2).join(":"), c.old])
  );
  return {
    lastRun: now.toISOString(),
    lastPush: result.pushed ? now.toISOString() : previous?.lastPush,
    lastCommit: result.pushed ? result.commit : previous?.lastCommit,
    policies: (result.outcome?.policies ?? []).map((p) => ({
      policy: p.key,
      latest: p.image?.tag ?? "",
      // After a push Git holds the latest; unchanged markers already did.
      inGit: result.pushed || !inGit.has(p.key) ? p.image ? `${p.image.image}:${p.image.tag}` : "" : inGit.get(p.key) ?? "",
      ...p.error ? { error: p.error } : {}
    }))
  };
}
async function readImageStatus(client, namespace) {
  const cm = await client.get({
    apiVersion: "v1",
    kind: "ConfigMap",
    namespace,
    name: IMAGE_STATUS_NAME
  });
  const text = cm?.data?.status;
  return text ? JSON.parse(text) : void 0;
}
async function writeImageStatus(client, namespace, status) {
  await client.apply(
    {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: {
        name: IMAGE_STATUS_NAME,
        namespace,
        labels: { "app.kubernetes.io/managed-by": "tether" }
      },
      data: { status: `${JSON.stringify(status, null, 2)}
` }
    },
    { fieldManager: "tether-agent", force: true }
  );
}

export {
  imageStatus,
  readImageStatus,
  writeImageStatus,
  formatObjectLine,
  gitSpecOf,
  messageOf,
  syncOnce
};
