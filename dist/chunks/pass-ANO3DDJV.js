#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  reconcileKustomization,
  specOf
} from "./chunk-JP7YPOJ3.js";
import "./chunk-YUK5ZNS5.js";
import "./chunk-MQEAY646.js";
import "./chunk-3GQA4N5P.js";
import "./chunk-I4VL4257.js";
import "./chunk-IN6JXKYM.js";
import "./chunk-V3OBHZW3.js";
import {
  registerReconciler
} from "./chunk-VQR37QBH.js";
import "./chunk-F6H36ORJ.js";
import {
  ARTIFACT_GENERATOR_API,
  artifactGeneratorReconciler,
  reconcileGenerator
} from "./chunk-7UGRCM3N.js";
import {
  inventoryEntry,
  inventoryOf,
  isReady,
  refOfEntry,
  statusFor,
  writeStatus
} from "./chunk-AMVUJONU.js";
import "./chunk-XLD4VZZ5.js";
import {
  dependencyVerdict
} from "./chunk-SX5OFGO5.js";
import {
  refusedReferences
} from "./chunk-3HMT455R.js";
import {
  mapLimit
} from "./chunk-F7OZ6T2Y.js";
import {
  gitRepositoryStatus,
  isAgentCheckout,
  resolveSource,
  selectsAgentRef,
  treeDigest
} from "./chunk-O62GKC6U.js";
import "./chunk-GE6VTMTN.js";
import "./chunk-ASGSV6PC.js";
import "./chunk-E74EIW4E.js";
import {
  sameRepository
} from "./chunk-XB2UJ6TZ.js";
import "./chunk-DGWWLFJ6.js";
import {
  redactUrl
} from "./chunk-KVDOGNFO.js";
import "./chunk-XVXAFQO7.js";
import {
  GIT_REPOSITORY_API,
  KUSTOMIZATION_API,
  hasFluxWork,
  isArtifactGenerator,
  isGitRepository,
  isKustomization
} from "./chunk-WOA5VQJZ.js";
import "./chunk-75EKFM34.js";
import "./chunk-EMBC4T2D.js";
import "./chunk-C4RKCN44.js";
import "./chunk-DYND6O65.js";
import "./chunk-6SSSO5LC.js";
import "./chunk-ZIEZ6URX.js";
import "./chunk-XH5JYCWA.js";
import "./chunk-OMIHXC2B.js";
import "./chunk-Z62KHOJY.js";
import "./chunk-3R7UN4UR.js";
import "./chunk-UOZOTW6C.js";
import "./chunk-K4EN55PN.js";
import "./chunk-OTIGXPIO.js";
import "./chunk-XRGQOWGB.js";
import "./chunk-HPGUIRHG.js";
import "./chunk-3IQPLNQJ.js";

// agent/flux/tree.ts
var TREE_CONCURRENCY = 4;
var keyOf = (ref) => `${ref.namespace ?? "default"}/${ref.name}`;
function dependenciesOf(ks) {
  const ns = ks.metadata.namespace ?? "default";
  return (specOf(ks).dependsOn ?? []).map((d) => ({
    key: `${d.namespace ?? ns}/${d.name}`,
    ...d.readyExpr ? { readyExpr: d.readyExpr } : {}
  }));
}
async function reconcileTree(roots, ctx, options = {}) {
  const pending = /* @__PURE__ */ new Map();
  for (const ref of roots) pending.set(keyOf(ref), ref);
  const done = /* @__PURE__ */ new Map();
  const report = (r) => {
    done.set(r.key, r);
    pending.delete(r.key);
    options.onReport?.(r);
  };
  const finish = async (live, outcome, revision) => {
    const object = ctx.dryRun ? live : await writeStatus(ctx.client, live, statusFor(live, outcome, revision));
    if (outcome.kind !== "progressing")
      options.schedule?.record(
        live,
        outcome.kind === "ready" ? "ready" : outcome.reason === "DependencyNotReady" ? "dependency" : "failed"
      );
    report({
      key: keyOf(live.metadata),
      object,
      ready: outcome.kind === "ready",
      suspended: false,
      reason: outcome.kind === "failed" ? outcome.reason : void 0,
      message: outcome.message,
      revision,
      changes: [],
      children: []
    });
  };
  while (pending.size > 0) {
    const runnable = [];
    const before = done.size;
    for (const [key, ref] of [...pending]) {
      const live = await ctx.client.get({ ...ref, apiVersion: KUSTOMIZATION_API });
      if (!live) {
        pending.delete(key);
        continue;
      }
      const entry = await options.entryPoint?.(live);
      if (entry) {
        await finish(
          live,
          entry.ready ? {
            kind: "ready",
            message: `Applied revision: ${entry.revision}`,
            inventory: entry.applied.map(inventoryEntry)
          } : { kind: "failed", reason: "ReconciliationFailed", message: entry.message },
          entry.revision
        );
        continue;
      }
      if (options.schedule && !options.schedule.due(live, Date.now(), options.sourceRevision?.(live))) {
        pending.delete(key);
        done.set(key, {
          key,
          object: live,
          ready: isReady(live),
          suspended: Boolean(specOf(live).suspend),
          skipped: true,
          message: "not due",
          changes: [],
          children: []
        });
        for (const child of inventoryOf(live).map(refOfEntry).filter(isKustomization)) {
          const childKey = keyOf(child);
          if (!done.has(childKey)) pending.set(childKey, child);
        }
        continue;
      }
      const refused = refusedReferences(live, ctx.lockdown);
      if (refused.length > 0 && !specOf(live).suspend) {
        await finish(live, { kind: "failed", reason: "AccessDenied", message: refused.join("; ") });
        continue;
      }
      let blocked;
      let waiting = false;
      for (const dep of dependenciesOf(live)) {
        const result = done.get(dep.key);
        if (pending.has(dep.key) && !result) {
          waiting = true;
          continue;
        }
        if (blocked) continue;
        if (result) {
          const ok = result.suspended ? isReady(result.object) : result.ready;
          blocked = await dependencyVerdict(live, dep, result.object, ok);
        } else {
          const [namespace = "", name = ""] = dep.key.split("/");
          const other = await ctx.client.get({
            apiVersion: KUSTOMIZATION_API,
            kind: "Kustomization",
            namespace,
            name
          });
          blocked = await dependencyVerdict(live, dep, other, other ? isReady(other) : false);
        }
      }
      if (blocked && !specOf(live).suspend) {
        await finish(live, { kind: "failed", ...blocked });
      } else if (!waiting || specOf(live).suspend) {
        runnable.push(live);
      }
    }
    if (runnable.length === 0 && done.size === before && pending.size > 0) {
      for (const ref of pending.values()) {
        const live = await ctx.client.get({ ...ref, apiVersion: KUSTOMIZATION_API });
        if (live) {
          await finish(live, {
            kind: "failed",
            reason: "DependencyNotReady",
            message: `circular dependency between ${[...pending.keys()].join(", ")}`
          });
        }
      }
      pending.clear();
      break;
    }
    for (const ks of runnable) pending.delete(keyOf(ks.metadata));
    const results = await mapLimit(
      runnable,
      options.concurrency ?? TREE_CONCURRENCY,
      async (ks) => {
        const started = performance.now();
        const result = await reconcileKustomization(ks, ctx);
        result.seconds = (performance.now() - started) / 1e3;
        return result;
      }
    );
    for (const r of results) {
      options.schedule?.record(
        r.object,
        r.suspended ? "suspended" : r.ready ? "ready" : "failed",
        Date.now(),
        r.helmIntervalMs
      );
      report(r);
      for (const child of r.children) {
        const key = keyOf(child);
        if (!done.has(key)) pending.set(key, child);
      }
    }
  }
  return [...done.values()];
}

// agent/flux/pass.ts
function sourceReport(repo, outcome) {
  const spec = repo.spec;
  return {
    apiVersion: repo.apiVersion,
    kind: repo.kind,
    namespace: repo.metadata.namespace ?? "default",
    name: repo.metadata.name,
    ready: outcome !== void 0,
    suspended: spec?.suspend === true,
    revision: outcome?.revision,
    // A URL with credentials in it keeps them out of the series.
    url: spec?.url ? redactUrl(spec.url) : void 0
  };
}
var normPath = (path) => (path ?? "").replace(/^\.\/?/, "").replace(/\/+$/, "") || ".";
async function writeSourceStatus(input, repo, resolving) {
  const key = `${repo.metadata.namespace}/${repo.metadata.name}`;
  const resolved = await resolving.catch(async (error) => {
    const { IncludeError, includeFailedStatus } = await import("./include-Q3MBRTVJ.js");
    if (error instanceof IncludeError)
      await writeStatus(input.client, repo, includeFailedStatus(repo, error)).catch(
        (e) => input.note(`GitRepository ${key}: status not written: ${e.message}`)
      );
    return void 0;
  });
  if (!resolved) return void 0;
  const status = repo.status;
  const ready = status !== void 0 && isReady2(status);
  const changed = resolved.included ? status?.artifact?.digest !== resolved.included.digest : status?.artifact?.revision !== resolved.revision || status?.includedArtifacts;
  if (!changed && ready) return resolved;
  await (resolved.included ? Promise.resolve(resolved.included.digest) : treeDigest(resolved.dir)).then(
    (digest) => writeStatus(
      input.client,
      repo,
      gitRepositoryStatus(repo, resolved.revision, digest, resolved.included)
    )
  ).catch(
    (error) => input.note(`GitRepository ${key}: status not written: ${error.message}`)
  );
  return resolved;
}
var includeNoted = /* @__PURE__ */ new Set();
var isReady2 = (status) => status.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;
async function runFluxPass(input) {
  const applied = input.units.flatMap((u) => u.applied);
  const roots = applied.filter(isKustomization);
  if (!hasFluxWork(applied)) return { reports: [], ok: true };
  registerReconciler(artifactGeneratorReconciler);
  const entryRepos = /* @__PURE__ */ new Set();
  for (const unit of input.units) {
    for (const ref of unit.applied.filter(isKustomization)) {
      const ks = await input.client.get({ ...ref, apiVersion: KUSTOMIZATION_API }).catch(() => void 0);
      const spec = ks ? specOf(ks) : void 0;
      if (!ks || spec?.sourceRef?.kind !== "GitRepository") continue;
      if (normPath(unit.path) !== normPath(spec.path)) continue;
      const namespace = spec.sourceRef.namespace ?? ks.metadata.namespace;
      const applied2 = unit.applied.some(
        (a) => a.kind === "GitRepository" && a.namespace === namespace && a.name === spec.sourceRef?.name
      );
      if (!applied2) continue;
      const repo = await input.client.get({
        apiVersion: GIT_REPOSITORY_API,
        kind: "GitRepository",
        namespace: namespace ?? "default",
        name: spec.sourceRef.name ?? ""
      }).catch(() => void 0);
      const url = repo?.spec?.url ?? "";
      if (sameRepository(url, input.own.url) || spec.sourceRef.name === "flux-system")
        entryRepos.add(`${namespace}/${spec.sourceRef.name}`);
    }
  }
  const own = { ...input.own, entryPoints: entryRepos };
  const sourceContext = {
    client: input.client,
    own,
    cacheDir: input.cacheDir,
    resolved: /* @__PURE__ */ new Map()
  };
  const ownRepos = /* @__PURE__ */ new Set();
  const sources = /* @__PURE__ */ new Map();
  let digest;
  for (const ref of applied.filter(isGitRepository)) {
    const repo = await input.client.get({ ...ref, apiVersion: GIT_REPOSITORY_API });
    if (!repo || !isAgentCheckout(repo, own)) continue;
    const key = `${repo.metadata.namespace}/${repo.metadata.name}`;
    const repoRef = repo.spec?.ref;
    const repoUrl = repo.spec?.url ?? "";
    if (entryRepos.has(key) && !selectsAgentRef(repoRef, own.ref)) {
      input.note(
        `GitRepository ${key} names ${JSON.stringify(repoRef ?? {})}, the agent follows ${JSON.stringify(own.ref)}: as the agent's entry point it is served from the agent's checkout`
      );
    }
    if (entryRepos.has(key) && !sameRepository(repoUrl, own.url)) {
      input.note(
        `GitRepository ${key} names ${redactUrl(repoUrl)}, the agent reads ${redactUrl(own.url)}: as the agent's entry point it is served from the agent's checkout`
      );
    }
    ownRepos.add(`${repo.metadata.namespace}/${repo.metadata.name}`);
    sources.set(`${repo.metadata.namespace}/${repo.metadata.name}`, sourceReport(repo, input.own));
    if (input.dryRun) continue;
    if (repo.spec?.include?.length) {
      if (entryRepos.has(key) && !includeNoted.has(key)) {
        includeNoted.add(key);
        input.note(
          `GitRepository ${key}: its spec.include is not in the agent's entry point (applied from the agent's checkout); its other Kustomizations read it`
        );
      }
      const resolving = resolveSource(
        { kind: "GitRepository", name: repo.metadata.name },
        repo.metadata.namespace ?? "default",
        sourceContext
      );
      sources.set(key, sourceReport(repo, await writeSourceStatus(input, repo, resolving)));
      continue;
    }
    digest ??= await treeDigest(input.own.dir);
    await writeStatus(input.client, repo, gitRepositoryStatus(repo, input.own.revision, digest));
  }
  for (const ref of input.dryRun ? [] : applied.filter(isArtifactGenerator)) {
    const generator = await input.client.get({ ...ref, apiVersion: ARTIFACT_GENERATOR_API });
    if (!generator) continue;
    const result = await reconcileGenerator(generator, sourceContext);
    input.note(
      `artifactgenerator ${ref.namespace}/${ref.name}: ${result.ready ? "" : "not ready: "}${result.message}`
    );
  }
  const entryPoint = async (ks) => {
    const spec = specOf(ks);
    if (spec.sourceRef?.kind !== "GitRepository") return void 0;
    const key = `${spec.sourceRef.namespace ?? ks.metadata.namespace}/${spec.sourceRef.name}`;
    if (!ownRepos.has(key)) return void 0;
    const unit = input.units.find((u) => normPath(u.path) === normPath(spec.path));
    return unit ? {
      ready: unit.ok,
      message: unit.message,
      revision: input.own.revision,
      applied: unit.applied
    } : void 0;
  };
  const reports = await reconcileTree(
    roots,
    {
      client: input.client,
      source: sourceContext,
      dryRun: input.dryRun,
      kustomize: input.kustomize,
      kubeconfig: input.kubeconfig,
      ignore: input.ignore,
      note: input.note,
      lockdown: input.lockdown,
      deleteBudget: input.deleteBudget,
      confirmPrune: input.confirmPrune
    },
    {
      entryPoint,
      schedule: input.schedule,
      // The agent's own source is at the pass's revision: a Kustomization that has not
      // tried it yet is due now, as Flux reacts to a new GitRepository artifact.
      sourceRevision: (ks) => {
        const ref = specOf(ks).sourceRef;
        const key = `${ref?.namespace ?? ks.metadata.namespace}/${ref?.name}`;
        return ref?.kind === "GitRepository" && ownRepos.has(key) ? input.own.revision : void 0;
      },
      ...input.onReport ? { onReport: input.onReport } : {}
    }
  );
  if (!input.dryRun) {
    const { finalizeDeleted } = await import("./deletion-LRKVVILI.js");
    await finalizeDeleted(input.client, input.cacheDir, input.note);
  }
  for (const [key, resolving] of sourceContext.resolved ?? []) {
    if (!key.startsWith("GitRepository/")) continue;
    const resolved = await resolving.catch(() => void 0);
    const [, namespace, name] = key.split("/");
    if (!namespace || !name || sources.has(`${namespace}/${name}`)) continue;
    const repo = resolved?.object ?? await input.client.get({ apiVersion: GIT_REPOSITORY_API, kind: "GitRepository", namespace, name }).catch(() => void 0);
    if (!repo) continue;
    sources.set(`${namespace}/${name}`, sourceReport(repo, resolved));
    if (!input.dryRun) await writeSourceStatus(input, repo, resolving);
  }
  return {
    reports,
    ok: reports.every((r) => r.suspended || r.ready),
    sources: [...sources.values()]
  };
}
export {
  runFluxPass
};
