#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  countChanges,
  emptyCounts,
  isApplied
} from "./chunk-CVK26UKQ.js";
import {
  loadDecryptionKeys,
  prepareFluxRender
} from "./chunk-YUK5ZNS5.js";
import {
  renderPath
} from "./chunk-MQEAY646.js";
import {
  deletable,
  pruneObjects
} from "./chunk-3GQA4N5P.js";
import {
  applyManifests
} from "./chunk-I4VL4257.js";
import {
  ensureNamespace,
  pruneCandidates,
  readRecord,
  recordName,
  writeRecord
} from "./chunk-IN6JXKYM.js";
import {
  describeProblems,
  waitForHealth
} from "./chunk-XLD4VZZ5.js";
import {
  HELM_FIELD_MANAGER
} from "./chunk-GJG7ON5F.js";
import {
  parseVerifyMode,
  readTrustedKeys,
  verifyRevision
} from "./chunk-E74EIW4E.js";
import {
  checkoutCurrent,
  credentialsFrom,
  moveSyncTag,
  withoutUrlCredentials
} from "./chunk-XB2UJ6TZ.js";
import {
  isHelmRelease
} from "./chunk-G2PVCOPF.js";
import {
  confirmsRevision,
  deleteBudgetDecision
} from "./chunk-XVXAFQO7.js";
import {
  fluxRevision,
  hasFluxWork,
  isKustomization
} from "./chunk-WOA5VQJZ.js";
import {
  AGENT_FIELD_MANAGER,
  MANAGED_BY,
  MANAGED_BY_LABEL,
  RECORD_LABEL,
  UNIT_LABEL
} from "./chunk-75EKFM34.js";
import {
  decryptManifests,
  decryptedKey
} from "./chunk-EMBC4T2D.js";
import {
  messageOf
} from "./chunk-6SSSO5LC.js";
import {
  refKey,
  refOf
} from "./chunk-Z62KHOJY.js";

// agent/last-good.ts
const { createHash } = require("node:crypto");
const { mkdir, open, readFile, rename, rm } = require("node:fs/promises");
const { join } = require("node:path");
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

// agent/helm/kinds.ts
var HELM_KINDS = [
  {
    group: "helm.toolkit.fluxcd.io",
    kind: "HelmRelease",
    plural: "helmreleases",
    singular: "helmrelease",
    shortNames: ["hr"],
    versions: ["v2", "v2beta2", "v2beta1"]
  },
  {
    group: "helm.fluxcd.io",
    kind: "HelmRelease",
    plural: "helmreleases",
    singular: "helmrelease",
    shortNames: ["hr", "hrs"],
    versions: ["v1"]
  },
  {
    group: "source.toolkit.fluxcd.io",
    kind: "HelmRepository",
    plural: "helmrepositories",
    singular: "helmrepository",
    shortNames: ["helmrepo"],
    versions: ["v1", "v1beta2"]
  },
  {
    group: "source.toolkit.fluxcd.io",
    kind: "OCIRepository",
    plural: "ocirepositories",
    singular: "ocirepository",
    shortNames: ["ocirepo"],
    versions: ["v1", "v1beta2"]
  }
];
var READY_COLUMNS = [
  { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" },
  { name: "Ready", type: "string", jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
  { name: "Status", type: "string", jsonPath: '.status.conditions[?(@.type=="Ready")].message' }
];
function crdOf(spec) {
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: {
      name: `${spec.plural}.${spec.group}`,
      labels: { "app.kubernetes.io/managed-by": "tether" }
    },
    spec: {
      group: spec.group,
      names: {
        kind: spec.kind,
        listKind: `${spec.kind}List`,
        plural: spec.plural,
        singular: spec.singular,
        shortNames: spec.shortNames
      },
      scope: "Namespaced",
      versions: spec.versions.map((name, i) => ({
        name,
        served: true,
        storage: i === 0,
        subresources: { status: {} },
        additionalPrinterColumns: READY_COLUMNS,
        schema: {
          openAPIV3Schema: {
            type: "object",
            properties: {
              apiVersion: { type: "string" },
              kind: { type: "string" },
              metadata: { type: "object" },
              spec: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
              status: { type: "object", "x-kubernetes-preserve-unknown-fields": true }
            }
          }
        }
      }))
    }
  };
}
async function ensureHelmCrds(client, objects, timeoutMs = 3e4) {
  const installed = [];
  for (const spec of HELM_KINDS) {
    const used = objects.some(
      (o) => o.kind === spec.kind && o.apiVersion.startsWith(`${spec.group}/`)
    );
    if (!used) continue;
    const crd = crdOf(spec);
    const exists = await client.get({
      apiVersion: crd.apiVersion,
      kind: crd.kind,
      name: crd.metadata.name
    });
    if (exists) continue;
    await client.apply(crd, { fieldManager: HELM_FIELD_MANAGER, force: true });
    installed.push(crd.metadata.name);
    const deadline = Date.now() + timeoutMs;
    const apiVersion = `${spec.group}/${spec.versions[0]}`;
    while (!await client.resourceFor(apiVersion, spec.kind)) {
      if (Date.now() > deadline)
        throw new Error(`CRD ${crd.metadata.name} was not served within ${timeoutMs / 1e3}s`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return installed;
}

// agent/reconcile.ts
function newStatus(unit, revision) {
  return {
    unit: unit.name,
    path: unit.path,
    revision,
    lastSync: "",
    result: "Failed",
    counts: emptyCounts(),
    health: "Unknown"
  };
}
async function reconcileUnit(unit, ctx) {
  const run = await begin(unit, ctx);
  try {
    await render(run) && await decrypt(run) && await prepare(run) && await helmCrds(run) && await apply(run) && await releases(run) && await prune(run) && await health(run);
  } catch (error) {
    run.errors.push(messageOf(error));
    if (!run.pruneDone) keepOwned(run);
  }
  return record(run);
}
function keepOwned(run) {
  run.inventory = [...run.inventory, ...pruneCandidates(run.previous.inventory, run.inventory)];
}
async function begin(unit, ctx) {
  const previous = await readRecord(ctx.client, ctx.namespace, unit.name);
  return {
    unit,
    ctx,
    previous,
    manifests: [],
    applied: [],
    changes: [],
    errors: [],
    inventory: previous.inventory,
    health: "Unknown",
    decrypted: /* @__PURE__ */ new Set()
  };
}
async function render(run) {
  const rendered = await renderPath(run.ctx.root, run.unit.path, {
    allowEmpty: run.unit.allowEmpty,
    ...run.ctx.kustomize ? { binary: run.ctx.kustomize } : {}
  });
  run.errors.push(...rendered.errors.map((e) => e.message));
  run.manifests = rendered.manifests;
  return rendered.errors.length === 0;
}
async function decrypt(run) {
  const decrypted = await decryptManifests(run.manifests, run.ctx.root, run.ctx.decryption);
  run.errors.push(...decrypted.errors.map((e) => e.message));
  run.manifests = decrypted.manifests;
  run.decrypted = decrypted.decrypted;
  return decrypted.errors.length === 0;
}
function markDrift(applied, previous) {
  const previousHash = new Map(previous.map((e) => [refKey(e), e.hash]));
  for (const c of applied) {
    if (c.action === "configured" && previousHash.get(refKey(c.ref)) === c.hash) c.drifted = true;
  }
}
async function prepare(run) {
  if (!run.ctx.prepare) return true;
  const prepared = await run.ctx.prepare(run.manifests);
  run.errors.push(...prepared.errors);
  run.manifests = prepared.manifests;
  return prepared.errors.length === 0;
}
function helmOf(run) {
  const helm = run.ctx.helm;
  if (!helm || run.ctx.dryRun) return void 0;
  return {
    client: helm.client,
    cacheDir: helm.cacheDir,
    kubeconfig: helm.kubeconfig,
    kustomize: run.ctx.kustomize,
    own: helm.gitUrl ? {
      url: helm.gitUrl,
      dir: run.ctx.root,
      ref: helm.gitRef ?? { branch: "main" },
      credentials: helm.gitCredentials
    } : void 0,
    lockdown: helm.lockdown
  };
}
async function helmCrds(run) {
  const helm = helmOf(run);
  if (!helm) return true;
  try {
    await ensureHelmCrds(
      helm.client,
      run.manifests.map((m) => m.object)
    );
    return true;
  } catch (error) {
    run.errors.push(`Helm CRDs: ${error.message}`);
    return false;
  }
}
async function releases(run) {
  const helm = helmOf(run);
  if (!helm) return true;
  const applied = run.applied.filter((c) => c.action !== "failed").map((c) => c.desired);
  if (!applied.some(isHelmRelease)) return true;
  const { reconcileHelmReleases } = await import("./pass-IMF3IZ6S.js");
  const outcomes = await reconcileHelmReleases(applied, helm);
  for (const o of outcomes) {
    const ready = o.ready || o.action === "suspended";
    run.changes.push({
      ref: o.ref,
      action: ready ? "ready" : "not-ready",
      detail: `helm ${o.action}${o.detail ? `: ${o.detail}` : ""}`
    });
  }
  const notReady = outcomes.filter((o) => !o.ready && o.action !== "suspended");
  if (notReady.length > 0) run.errors.push(`${notReady.length} HelmRelease(s) not ready`);
  return true;
}
async function apply(run) {
  const applied = await applyManifests(run.ctx.client, run.manifests, {
    unit: run.unit.name,
    targetNamespace: run.unit.targetNamespace,
    dryRun: run.ctx.dryRun ?? false,
    recorded: run.previous.inventory
  });
  markDrift(applied, run.previous.inventory);
  run.applied = applied;
  run.changes.push(...applied);
  const entries = applied.filter((c) => c.action !== "failed").map((c) => ({ ...refOf(c.desired), hash: c.hash, liveHash: c.liveHash }));
  const failed = applied.filter((c) => c.action === "failed").length;
  if (failed > 0) {
    run.errors.push(`${failed} object(s) failed to apply`);
    run.inventory = [...run.previous.inventory, ...entries];
    return false;
  }
  run.inventory = entries;
  return true;
}
async function prune(run) {
  if (run.previous.unreadable) {
    run.errors.push(`${run.previous.unreadable}: rebuilt from this render; nothing pruned`);
    run.rebuilt = true;
    run.pruneDone = true;
    return true;
  }
  if (!run.unit.prune) {
    keepOwned(run);
    run.pruneDone = true;
    return true;
  }
  const candidates = pruneCandidates(run.previous.inventory, run.inventory);
  const budget = deleteBudgetDecision({
    ...await budgetCounts(run, candidates),
    budget: run.unit.deleteBudget,
    confirmed: run.ctx.confirmPrune === true || confirmsRevision(run.previous.confirmPrune, run.ctx.revision)
  });
  if (!budget.prune) {
    run.errors.push(budget.message);
    run.inventory.push(...candidates);
    run.pruneDone = true;
    return false;
  }
  const pruneOptions = {
    unit: run.unit.name,
    allowCrdsAndNamespaces: run.unit.pruneCrdsAndNamespaces,
    dryRun: run.ctx.dryRun ?? false,
    beforeDelete: async (live) => {
      if (!isKustomization(live)) return;
      const { recordSuspensionOf } = await import("./applied-UBSIL7D6.js");
      await recordSuspensionOf(run.ctx.cacheDir, live);
    }
  };
  const helm = helmOf(run);
  const leaving = helm ? await deletable(
    run.ctx.client,
    candidates.filter(
      (c) => isHelmRelease({ apiVersion: c.apiVersion, kind: c.kind, metadata: { name: c.name } })
    ),
    pruneOptions
  ) : [];
  const kept = /* @__PURE__ */ new Set();
  if (helm && leaving.length > 0) {
    const { uninstallReleases } = await import("./pass-IMF3IZ6S.js");
    for (const u of await uninstallReleases(leaving, helm)) {
      run.changes.push({
        ref: u.ref,
        action: u.ok ? "ready" : "not-ready",
        detail: `helm ${u.ok ? "uninstalled" : "uninstall-failed"}: ${u.detail}`
      });
      if (u.ok) continue;
      run.errors.push(u.detail);
      kept.add(refKey(u.ref));
      run.inventory.push({ ...u.ref, hash: "" });
    }
  }
  const pruned = await pruneObjects(
    run.ctx.client,
    candidates.filter((c) => !kept.has(refKey(c))),
    pruneOptions
  );
  run.changes.push(...pruned);
  const failed = pruned.filter((c) => c.action === "prune-failed");
  run.inventory.push(...failed.map((c) => ({ ...c.ref, hash: "" })));
  if (failed.length > 0) run.errors.push(`${failed.length} object(s) could not be pruned`);
  run.pruneDone = true;
  return true;
}
async function budgetCounts(run, candidates) {
  const owned = run.previous.inventory;
  if (!candidates.some(isKustomization))
    return { owned: owned.length, toPrune: candidates.length, throughKustomizations: 0 };
  const flux = await import("./deletion-LRKVVILI.js");
  return flux.budgetCounts(run.ctx.cacheDir, owned, candidates);
}
async function health(run) {
  if (!run.unit.wait || run.ctx.dryRun) return true;
  const skipped = new Set(run.applied.filter((c) => c.skipped).map((c) => refKey(c.ref)));
  const applied = run.changes.filter((c) => isApplied(c) && !skipped.has(refKey(c.ref)));
  const unhealthy = await waitForHealth(
    run.ctx.client,
    applied.map((c) => c.ref),
    run.unit.timeoutMs,
    1e3,
    void 0,
    // What was applied: a Job with a TTL that is gone already counts as done.
    run.manifests.map((m) => m.object)
  );
  run.changes.push(...unhealthy);
  run.health = unhealthy.length === 0 ? "Healthy" : "Unhealthy";
  if (unhealthy.length > 0) run.errors.push(`not healthy: ${describeProblems(unhealthy)}`);
  return unhealthy.length === 0;
}
async function record(run) {
  const ok = run.errors.length === 0;
  const status = {
    ...newStatus(run.unit, run.ctx.revision),
    lastSync: (/* @__PURE__ */ new Date()).toISOString(),
    result: ok ? "Succeeded" : "Failed",
    counts: countChanges(run.changes),
    health: run.health,
    lastError: ok ? void 0 : run.errors.join("; ").slice(0, 2e3),
    lastAppliedRevision: ok ? run.ctx.revision : run.previous.status?.lastAppliedRevision
  };
  if (!run.ctx.dryRun) {
    const keep = run.previous.unreadable !== void 0 && !run.rebuilt;
    await writeRecord(
      run.ctx.client,
      run.ctx.namespace,
      run.unit.name,
      { inventory: keep ? void 0 : run.inventory, status },
      run.previous
    );
  }
  return {
    unit: run.unit.name,
    revision: run.ctx.revision,
    ok,
    status,
    changes: run.changes,
    errors: run.errors,
    // After a fully successful pass: the objects as applied (the last good state),
    // without what was decrypted (it would be clear text on disk).
    desired: ok && !run.ctx.dryRun ? run.applied.map((c) => c.desired).filter((o) => !run.decrypted.has(decryptedKey(o))) : void 0
  };
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
async function recordFailure(client, namespace, unit, message) {
  const record2 = await readRecord(client, namespace, unit.name).catch(() => void 0);
  if (!record2 || record2.unreadable) return;
  const status = record2.status ?? newStatus(unit, "");
  await writeRecord(
    client,
    namespace,
    unit.name,
    {
      inventory: record2.inventory,
      status: {
        ...status,
        result: "Failed",
        lastSync: (/* @__PURE__ */ new Date()).toISOString(),
        lastError: message
      }
    },
    record2
  ).catch(() => void 0);
}
function failedReport(unit, revision, error) {
  return {
    unit: unit.name,
    revision,
    ok: false,
    changes: [],
    errors: [error],
    status: { ...newStatus(unit, revision), lastSync: (/* @__PURE__ */ new Date()).toISOString(), lastError: error }
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
      report.changes = applied;
      report.status = {
        ...report.status,
        counts: countChanges(applied),
        result: report.ok ? "Succeeded" : "Failed",
        lastError: stale,
        stale
      };
      const record2 = await readRecord(client, config.namespace, unit.name);
      if (!record2.unreadable) {
        await writeRecord(
          client,
          config.namespace,
          unit.name,
          {
            inventory: record2.inventory,
            status: { ...report.status, lastAppliedRevision: record2.status?.lastAppliedRevision }
          },
          record2
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
async function syncOnce(config, options) {
  const units = options.units ?? config.units;
  let spec;
  let revision;
  let dir;
  let fetched;
  const namespaceReady = options.dryRun ? Promise.resolve(void 0) : ensureNamespace(options.client, config.namespace).then(
    () => void 0,
    (error) => error
  );
  try {
    spec = gitSpecOf(config);
    ({ dir, revision, fetched } = await checkoutCurrent(spec, options.cacheDir));
    if (config.git.verifyKeysDir) {
      await verifyRevision(
        dir,
        revision,
        await readTrustedKeys(config.git.verifyKeysDir),
        parseVerifyMode(config.git.verifyMode),
        config.git.commit ? void 0 : config.git.tag
      );
    }
  } catch (error) {
    const message = messageOf(error);
    if (!options.dryRun && options.lastGoodDir) {
      return holdLastGood(config, units, options, options.lastGoodDir, message);
    }
    if (!options.dryRun) {
      await namespaceReady;
      for (const unit of units) {
        await recordFailure(options.client, config.namespace, unit, message);
        await recordEvent(options.client, config.namespace, unit.name, "FetchFailed", message);
      }
    }
    return { ok: false, reports: [], error: message, notes: [] };
  }
  const namespaceError = await namespaceReady;
  if (namespaceError !== void 0) {
    const message = `records namespace ${config.namespace}: ${messageOf(namespaceError)}`;
    return { ok: false, revision, fetched, reports: [], error: message, notes: [] };
  }
  const agentRef = config.git.commit ? { commit: config.git.commit } : config.git.tag ? { tag: config.git.tag } : { branch: config.git.branch ?? "main" };
  const notes = [];
  const note = (line) => {
    if (notes.includes(line)) return;
    notes.push(line);
    options.onNote?.(line);
  };
  const prepare2 = async (manifests) => {
    const prepared = await prepareFluxRender(options.client, manifests, options.dryRun ?? false);
    for (const line of prepared.notes) note(line);
    return prepared;
  };
  let decryption;
  let decryptionError;
  try {
    decryption = await loadDecryptionKeys(options.client, config.namespace, config.decryption);
  } catch (error) {
    decryptionError = messageOf(error);
  }
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
        prepare: prepare2,
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
          lockdown: config.lockdown
        }
      }).catch(async (error) => {
        options.onError?.(error, unit.name);
        const failed = failedReport(unit, revision, messageOf(error));
        if (!options.dryRun)
          await recordFailure(options.client, config.namespace, unit, messageOf(error));
        return failed;
      });
      report.seconds = (performance.now() - started) / 1e3;
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
  const applied = reports.map((r) => ({
    path: r.status.path,
    ok: r.ok,
    message: r.errors.join("; "),
    applied: r.changes.filter(isApplied).map((c) => c.ref)
  }));
  if (!options.dryRun && hasFluxWork(applied.flatMap((u) => u.applied))) {
    const { runFluxPass } = await import("./pass-ANO3DDJV.js");
    (await import("./flux-KHZUCVDD.js")).registerHelmReconcilers();
    flux = await runFluxPass({
      client: options.client,
      kubeconfig: options.kubeconfig,
      own: {
        url: spec.url,
        dir,
        revision: fluxRevision(
          config.git.commit ? void 0 : config.git.tag ?? config.git.branch ?? "main",
          revision
        ),
        ref: agentRef,
        credentials: spec.credentials
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
  const pushed = result.runs.filter((r) => r.pushed).at(-1);
  const policies = /* @__PURE__ */ new Map();
  for (const run of result.runs) {
    const inGit = new Map(
      (run.plan?.changes ?? []).map((c) => [c.marker.split(":").slice(0, 2).join(":"), c.old])
    );
    for (const p of run.outcome?.policies ?? []) {
      if (policies.has(p.key)) continue;
      policies.set(p.key, {
        policy: p.key,
        latest: p.image?.tag ?? "",
        // After a push Git holds the latest; unchanged markers already did.
        inGit: run.pushed || !inGit.has(p.key) ? p.image ? `${p.image.image}:${p.image.tag}` : "" : inGit.get(p.key) ?? "",
        ...p.error ? { error: p.error } : {}
      });
    }
  }
  return {
    lastRun: now.toISOString(),
    lastPush: pushed ? now.toISOString() : previous?.lastPush,
    lastCommit: pushed ? pushed.commit : previous?.lastCommit,
    policies: [...policies.values()]
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
        labels: { [MANAGED_BY_LABEL]: MANAGED_BY }
      },
      data: { status: `${JSON.stringify(status, null, 2)}
` }
    },
    { fieldManager: AGENT_FIELD_MANAGER, force: true }
  );
}

// agent/control.ts
var REQUESTED_AT = "reconcile.fluxcd.io/requestedAt";
var SUSPEND = "tether.dev/suspend";
var FLUX_KINDS = {
  kustomization: { kind: "Kustomization", apiVersion: "kustomize.toolkit.fluxcd.io/v1" },
  ks: { kind: "Kustomization", apiVersion: "kustomize.toolkit.fluxcd.io/v1" },
  helmrelease: { kind: "HelmRelease", apiVersion: "helm.toolkit.fluxcd.io/v2" },
  hr: { kind: "HelmRelease", apiVersion: "helm.toolkit.fluxcd.io/v2" }
};
function parseTarget(text, agentNamespace, fluxNamespace) {
  const slash = text.indexOf("/");
  if (slash < 0) {
    return {
      type: "unit",
      name: text,
      ref: {
        apiVersion: "v1",
        kind: "ConfigMap",
        namespace: agentNamespace,
        name: recordName(text)
      }
    };
  }
  const flux = FLUX_KINDS[text.slice(0, slash).toLowerCase()];
  const name = text.slice(slash + 1);
  if (!flux || !name)
    throw new Error(`"${text}": give a unit name, kustomization/NAME or helmrelease/NAME`);
  return {
    type: "flux",
    kind: flux.kind,
    ref: { apiVersion: flux.apiVersion, kind: flux.kind, namespace: fluxNamespace, name }
  };
}
function reconcilePatch(token) {
  return { metadata: { annotations: { [REQUESTED_AT]: token } } };
}
function suspendPatch(target, suspend) {
  if (target.type === "flux") return { spec: { suspend: suspend ? true : null } };
  return { metadata: { annotations: { [SUSPEND]: suspend ? "true" : null } } };
}
function unitRequests(records, seen, first) {
  const requested = [];
  const suspended = /* @__PURE__ */ new Set();
  for (const record2 of records) {
    const unit = record2.metadata.labels?.[UNIT_LABEL];
    if (!unit) continue;
    const annotations = record2.metadata.annotations ?? {};
    if (annotations[SUSPEND] === "true") suspended.add(unit);
    const token = annotations[REQUESTED_AT];
    if (token !== void 0 && seen.get(unit) !== token) {
      seen.set(unit, token);
      if (!first) requested.push(unit);
    }
  }
  return { requested, suspended };
}
var RECORDS_SELECTOR = `${RECORD_LABEL}=unit`;

export {
  imageStatus,
  readImageStatus,
  writeImageStatus,
  REQUESTED_AT,
  SUSPEND,
  parseTarget,
  reconcilePatch,
  suspendPatch,
  unitRequests,
  RECORDS_SELECTOR,
  gitSpecOf,
  syncOnce
};
