#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  applyManifests,
  prepareFluxRender,
  pruneObjects
} from "./chunk-ZHR2WKDY.js";
import {
  describeProblems,
  waitForHealth
} from "./chunk-7DWNNWZK.js";
import {
  HELM_FIELD_MANAGER,
  reconcileHelmReleases,
  uninstallReleases
} from "./chunk-5DVS45NQ.js";
import {
  renderPath
} from "./chunk-SNQQP4LH.js";
import {
  isHelmRelease
} from "./chunk-QIKF5NLB.js";
import {
  ensureNamespace,
  pruneCandidates,
  readRecord,
  writeRecord
} from "./chunk-O4VD4CAD.js";
import {
  checkout,
  confirmsRevision,
  credentialsFrom,
  deleteBudgetDecision,
  moveSyncTag,
  remoteRevision,
  withoutUrlCredentials
} from "./chunk-3L7RZVIY.js";
import {
  fluxRevision
} from "./chunk-5CZALSU7.js";
import {
  AGENT_FIELD_MANAGER,
  MANAGED_BY,
  MANAGED_BY_LABEL
} from "./chunk-TFXRVEOY.js";
import {
  describeRef,
  refKey,
  refOf
} from "./chunk-Z62KHOJY.js";

// agent/changes.ts
var COUNTED = [
  "created",
  "configured",
  "unchanged",
  "pruned",
  "drifted",
  "failed"
];
function emptyCounts() {
  return { created: 0, configured: 0, unchanged: 0, pruned: 0, drifted: 0, failed: 0 };
}
function countChanges(changes) {
  const counts = emptyCounts();
  for (const c of changes) {
    if (c.action === "created" || c.action === "configured" || c.action === "unchanged")
      counts[c.action]++;
    else if (c.action === "failed") counts.failed++;
    else if (c.action === "pruned") counts.pruned++;
    if (c.drifted) counts.drifted++;
  }
  return counts;
}
function isApplied(change) {
  return change.action === "created" || change.action === "configured" || change.action === "unchanged";
}
function isShown(change) {
  return change.action !== "gone" && change.action !== "unhealthy";
}
function formatChange(change) {
  const why = [change.detail, change.error].filter((s) => s).join(": ");
  return `${describeRef(change.ref)} ${change.action}${why ? `: ${why}` : ""}`;
}
function formatCounts(counts) {
  return COUNTED.map((action) => `${counts[action]} ${action}`).join(", ");
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
  const run2 = await begin(unit, ctx);
  await render(run2) && await prepare(run2) && await helmCrds(run2) && await apply(run2) && await releases(run2) && await prune(run2) && await health(run2);
  return record(run2);
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
    health: "Unknown"
  };
}
async function render(run2) {
  const rendered = await renderPath(run2.ctx.root, run2.unit.path, {
    allowEmpty: run2.unit.allowEmpty,
    ...run2.ctx.kustomize ? { binary: run2.ctx.kustomize } : {}
  });
  run2.errors.push(...rendered.errors.map((e) => e.message));
  run2.manifests = rendered.manifests;
  return rendered.errors.length === 0;
}
function markDrift(applied, previous) {
  const previousHash = new Map(previous.map((e) => [refKey(e), e.hash]));
  for (const c of applied) {
    if (c.action === "configured" && previousHash.get(refKey(c.ref)) === c.hash) c.drifted = true;
  }
}
async function prepare(run2) {
  if (!run2.ctx.prepare) return true;
  const prepared = await run2.ctx.prepare(run2.manifests);
  run2.errors.push(...prepared.errors);
  run2.manifests = prepared.manifests;
  return prepared.errors.length === 0;
}
function helmOf(run2) {
  const helm = run2.ctx.helm;
  if (!helm || run2.ctx.dryRun) return void 0;
  return {
    client: helm.client,
    cacheDir: helm.cacheDir,
    kubeconfig: helm.kubeconfig,
    kustomize: run2.ctx.kustomize,
    own: helm.gitUrl ? { url: helm.gitUrl, dir: run2.ctx.root } : void 0
  };
}
async function helmCrds(run2) {
  const helm = helmOf(run2);
  if (!helm) return true;
  try {
    await ensureHelmCrds(
      helm.client,
      run2.manifests.map((m) => m.object)
    );
    return true;
  } catch (error) {
    run2.errors.push(`Helm CRDs: ${error.message}`);
    return false;
  }
}
async function releases(run2) {
  const helm = helmOf(run2);
  if (!helm) return true;
  const applied = run2.applied.filter((c) => c.action !== "failed").map((c) => c.desired);
  const outcomes = await reconcileHelmReleases(applied, helm);
  for (const o of outcomes) {
    const ready = o.ready || o.action === "suspended";
    run2.changes.push({
      ref: o.ref,
      action: ready ? "ready" : "not-ready",
      detail: `helm ${o.action}${o.detail ? `: ${o.detail}` : ""}`
    });
  }
  const notReady = outcomes.filter((o) => !o.ready && o.action !== "suspended");
  if (notReady.length > 0) run2.errors.push(`${notReady.length} HelmRelease(s) not ready`);
  return true;
}
async function apply(run2) {
  const applied = await applyManifests(run2.ctx.client, run2.manifests, {
    unit: run2.unit.name,
    targetNamespace: run2.unit.targetNamespace,
    dryRun: run2.ctx.dryRun ?? false
  });
  markDrift(applied, run2.previous.inventory);
  run2.applied = applied;
  run2.changes.push(...applied);
  const entries = applied.filter((c) => c.action !== "failed").map((c) => ({ ...refOf(c.desired), hash: c.hash }));
  const failed = applied.filter((c) => c.action === "failed").length;
  if (failed > 0) {
    run2.errors.push(`${failed} object(s) failed to apply`);
    run2.inventory = [...run2.previous.inventory, ...entries];
    return false;
  }
  run2.inventory = run2.unit.prune ? entries : [...entries, ...pruneCandidates(run2.previous.inventory, entries)];
  return true;
}
async function prune(run2) {
  if (run2.previous.unreadable) {
    run2.errors.push(`${run2.previous.unreadable}: rebuilt from this render; nothing pruned`);
    return true;
  }
  if (!run2.unit.prune) return true;
  const candidates = pruneCandidates(run2.previous.inventory, run2.inventory);
  const budget = deleteBudgetDecision({
    owned: run2.previous.inventory.length,
    toPrune: candidates.length,
    budget: run2.unit.deleteBudget,
    confirmed: run2.ctx.confirmPrune === true || confirmsRevision(run2.previous.confirmPrune, run2.ctx.revision)
  });
  if (!budget.prune) {
    run2.errors.push(budget.message);
    run2.inventory.push(...candidates);
    return false;
  }
  const helm = helmOf(run2);
  const leaving = candidates.filter(
    (c) => isHelmRelease({ apiVersion: c.apiVersion, kind: c.kind, metadata: { name: c.name } })
  );
  const kept = /* @__PURE__ */ new Set();
  if (helm && leaving.length > 0) {
    for (const u of await uninstallReleases(leaving, helm)) {
      run2.changes.push({
        ref: u.ref,
        action: u.ok ? "ready" : "not-ready",
        detail: `helm ${u.ok ? "uninstalled" : "uninstall-failed"}: ${u.detail}`
      });
      if (u.ok) continue;
      run2.errors.push(u.detail);
      kept.add(refKey(u.ref));
      run2.inventory.push({ ...u.ref, hash: "" });
    }
  }
  const pruned = await pruneObjects(
    run2.ctx.client,
    candidates.filter((c) => !kept.has(refKey(c))),
    {
      unit: run2.unit.name,
      allowCrdsAndNamespaces: run2.unit.pruneCrdsAndNamespaces,
      dryRun: run2.ctx.dryRun ?? false
    }
  );
  run2.changes.push(...pruned);
  const failed = pruned.filter((c) => c.action === "prune-failed");
  run2.inventory.push(...failed.map((c) => ({ ...c.ref, hash: "" })));
  if (failed.length > 0) run2.errors.push(`${failed.length} object(s) could not be pruned`);
  return true;
}
async function health(run2) {
  if (!run2.unit.wait || run2.ctx.dryRun) return true;
  const applied = run2.changes.filter(isApplied);
  const unhealthy = await waitForHealth(
    run2.ctx.client,
    applied.map((c) => c.ref),
    run2.unit.timeoutMs
  );
  run2.changes.push(...unhealthy);
  run2.health = unhealthy.length === 0 ? "Healthy" : "Unhealthy";
  if (unhealthy.length > 0) run2.errors.push(`not healthy: ${describeProblems(unhealthy)}`);
  return unhealthy.length === 0;
}
async function record(run2) {
  const ok = run2.errors.length === 0;
  const status = {
    ...newStatus(run2.unit, run2.ctx.revision),
    lastSync: (/* @__PURE__ */ new Date()).toISOString(),
    result: ok ? "Succeeded" : "Failed",
    counts: countChanges(run2.changes),
    health: run2.health,
    lastError: ok ? void 0 : run2.errors.join("; ").slice(0, 2e3),
    lastAppliedRevision: ok ? run2.ctx.revision : run2.previous.status?.lastAppliedRevision
  };
  if (!run2.ctx.dryRun) {
    await writeRecord(run2.ctx.client, run2.ctx.namespace, run2.unit.name, {
      inventory: run2.inventory,
      status
    });
  }
  return {
    unit: run2.unit.name,
    revision: run2.ctx.revision,
    ok,
    status,
    changes: run2.changes,
    errors: run2.errors,
    // After a fully successful pass: the objects as applied (the last good state).
    desired: ok && !run2.ctx.dryRun ? run2.applied.map((c) => c.desired) : void 0
  };
}

// agent/source/verify.ts
import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile as readFile2, rm as rm2, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join as join2 } from "node:path";
var VerificationError = class extends Error {
  constructor(message) {
    super(message);
    this.name = "VerificationError";
  }
};
function splitSignedCommit(raw) {
  const end = raw.indexOf("\n\n");
  const header = end === -1 ? raw : raw.slice(0, end);
  const body = end === -1 ? "" : raw.slice(end);
  const lines = header.split("\n");
  const kept = [];
  let signature;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!line.startsWith("gpgsig ") && !line.startsWith("gpgsig-sha256 ")) {
      kept.push(line);
      continue;
    }
    const value = [line.slice(line.indexOf(" ") + 1)];
    while (lines[i + 1]?.startsWith(" ")) value.push(lines[++i].slice(1));
    signature ??= `${value.join("\n")}
`;
  }
  return { signature, payload: `${kept.join("\n")}${body}` };
}
function run(command, args, input, cwd) {
  return new Promise((resolve) => {
    const child = execFile(
      command,
      args,
      { cwd, env: { PATH: process.env.PATH ?? "/usr/bin:/bin" }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => resolve({
        code: error ? typeof error.code === "number" ? error.code : 1 : 0,
        stdout,
        stderr
      })
    );
    child.stdin?.on("error", () => void 0);
    child.stdin?.end(input);
  });
}
async function verifySsh(payload, signature, keys) {
  if (keys.length === 0)
    throw new VerificationError("the commit has an SSH signature and no SSH key is trusted");
  const dir = await mkdtemp(join2(tmpdir(), "tether-verify-"));
  try {
    const allowed = join2(dir, "allowed_signers");
    await writeFile(allowed, keys.map((k) => `tether namespaces="git" ${k.trim()}
`).join(""));
    const sig = join2(dir, "commit.sig");
    await writeFile(sig, signature);
    const result = await run(
      "ssh-keygen",
      ["-Y", "verify", "-f", allowed, "-I", "tether", "-n", "git", "-s", sig],
      payload
    );
    if (result.code !== 0) {
      throw new VerificationError(
        `the SSH signature is not from a trusted key: ${(result.stderr || result.stdout).trim().split("\n")[0]}`
      );
    }
    const key = /with (\S+) key (SHA256:\S+)/.exec(`${result.stdout}${result.stderr}`);
    return key ? `SSH ${key[1]} key ${key[2]}` : "a trusted SSH key";
  } finally {
    await rm2(dir, { recursive: true, force: true });
  }
}
async function verifyOpenpgp(payload, signature, armoredKeys) {
  if (armoredKeys.length === 0) {
    throw new VerificationError(
      "the commit has an OpenPGP signature and no OpenPGP key is trusted"
    );
  }
  const openpgp = await import("./openpgp-WTC6EP4H.js");
  const verificationKeys = (await Promise.all(armoredKeys.map((armoredKeys2) => openpgp.readKeys({ armoredKeys: armoredKeys2 })))).flat();
  const message = await openpgp.createMessage({ binary: Buffer.from(payload, "utf8") });
  const result = await openpgp.verify({
    message,
    signature: await openpgp.readSignature({ armoredSignature: signature }),
    verificationKeys,
    expectSigned: false
  });
  for (const s of result.signatures) {
    try {
      await s.verified;
      return `OpenPGP key ${s.keyID.toHex().toUpperCase()}`;
    } catch {
    }
  }
  throw new VerificationError("the OpenPGP signature is not from a trusted key");
}
async function verifyCommit(dir, revision, keys) {
  if (!/^[0-9a-f]{7,64}$/i.test(revision))
    throw new VerificationError(`${revision} is not a commit hash`);
  const object = await run("git", ["cat-file", "commit", revision], "", dir);
  if (object.code !== 0)
    throw new VerificationError(`cannot read commit ${revision}: ${object.stderr.trim()}`);
  const { signature, payload } = splitSignedCommit(object.stdout);
  const short = revision.slice(0, 12);
  if (!signature) throw new VerificationError(`commit ${short} is not signed`);
  try {
    if (signature.startsWith("-----BEGIN SSH SIGNATURE-----")) {
      return await verifySsh(payload, signature, keys.ssh ?? []);
    }
    if (signature.startsWith("-----BEGIN PGP SIGNATURE-----")) {
      return await verifyOpenpgp(payload, signature, keys.openpgp ?? []);
    }
    throw new VerificationError("the signature is neither OpenPGP nor SSH");
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new VerificationError(`commit ${short}: ${why}`);
  }
}
async function readTrustedKeys(dir) {
  const ssh = [];
  const openpgp = [];
  for (const name of (await readdir(dir)).sort()) {
    if (name.startsWith(".")) continue;
    const text = await readFile2(join2(dir, name), "utf8");
    if (name.endsWith(".pub")) {
      ssh.push(...text.split("\n").filter((l) => l.trim() !== "" && !l.startsWith("#")));
    } else if (/\.(asc|gpg|pgp)$/.test(name)) openpgp.push(text);
  }
  if (ssh.length === 0 && openpgp.length === 0) {
    throw new VerificationError(`${dir} holds no trusted key (*.pub for SSH, *.asc for OpenPGP)`);
  }
  return { ssh, openpgp };
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
  const record2 = await readRecord(client, namespace, unit.name).catch(() => void 0);
  if (!record2 || record2.unreadable) return;
  const status = record2.status ?? newStatus(unit, "");
  await writeRecord(client, namespace, unit.name, {
    inventory: record2.inventory,
    status: { ...status, result: "Failed", lastSync: (/* @__PURE__ */ new Date()).toISOString(), lastError: message }
  }).catch(() => void 0);
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
        await writeRecord(client, config.namespace, unit.name, {
          inventory: record2.inventory,
          status: { ...report.status, lastAppliedRevision: record2.status?.lastAppliedRevision }
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
    if (config.git.verifyKeysDir) {
      await verifyCommit(dir, revision, await readTrustedKeys(config.git.verifyKeysDir));
    }
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
  const prepare2 = async (manifests) => {
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
        prepare: prepare2,
        confirmPrune: options.confirmPrune ?? false,
        helm: {
          client: options.client,
          cacheDir: options.cacheDir,
          kubeconfig: options.kubeconfig,
          gitUrl: spec.url
        }
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
    const { runFluxPass } = await import("./pass-ZPY73LNQ.js");
    (await import("./flux-GVR2GAHR.js")).registerHelmReconcilers();
    flux = await runFluxPass({
      client: options.client,
      kubeconfig: options.kubeconfig,
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
        applied: r.changes.filter(isApplied).map((c) => c.ref)
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
        labels: { [MANAGED_BY_LABEL]: MANAGED_BY }
      },
      data: { status: `${JSON.stringify(status, null, 2)}
` }
    },
    { fieldManager: AGENT_FIELD_MANAGER, force: true }
  );
}

export {
  imageStatus,
  readImageStatus,
  writeImageStatus,
  COUNTED,
  emptyCounts,
  isShown,
  formatChange,
  formatCounts,
  gitSpecOf,
  messageOf,
  syncOnce
};
