#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  writeStatus
} from "./chunk-AMVUJONU.js";
import {
  SourceError,
  resolveSource,
  treeDigest
} from "./chunk-O62GKC6U.js";
import {
  SOURCE_EXTENSIONS_GROUP,
  SOURCE_GROUP,
  nsName
} from "./chunk-WOA5VQJZ.js";
import {
  FIELD_MANAGER
} from "./chunk-75EKFM34.js";

// agent/flux/artifacts.ts
const { randomBytes } = require("node:crypto");
const { existsSync } = require("node:fs");
const { cp, mkdir, readdir, rename, rm } = require("node:fs/promises");
const { basename, dirname, join, posix } = require("node:path");
var EXTERNAL_ARTIFACT_API = `${SOURCE_GROUP}/v1`;
var ARTIFACT_GENERATOR_API = `${SOURCE_EXTENSIONS_GROUP}/v1beta1`;
var CopyError = class extends Error {
};
var GLOB_CHARS = /[*?[\]]/;
function globRegExp(pattern) {
  let out = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "*" && pattern[i + 1] === "*") {
      const slashAfter = pattern[i + 2] === "/";
      out += slashAfter ? "(?:.*/)?" : ".*";
      i += slashAfter ? 2 : 1;
    } else if (c === "*") out += "[^/]*";
    else if (c === "?") out += "[^/]";
    else if (c === "[") {
      const end = pattern.indexOf("]", i);
      if (end < 0) throw new CopyError(`invalid glob pattern '${pattern}'`);
      out += `[${pattern.slice(i + 1, end).replace(/^!/, "^")}]`;
      i = end;
    } else out += c.replace(/[.+^${}()|\\]/g, "\\$&");
  }
  return new RegExp(`^${out}$`);
}
function selectionRoot(pattern) {
  const parts = [];
  for (const part of pattern.split("/")) {
    if (GLOB_CHARS.test(part)) break;
    parts.push(part);
  }
  return parts.join("/");
}
var relativeTo = (root, path) => root === "" || root === "." ? path : path.startsWith(`${root}/`) ? path.slice(root.length + 1) : path;
function planCopy(op, files, existing = /* @__PURE__ */ new Set()) {
  if (op.strategy && op.strategy !== "Overwrite")
    throw new CopyError(`copy strategy '${op.strategy}' is not served by Tether (Overwrite is)`);
  const from = /^@[A-Za-z0-9_-]+\/(.*)$/.exec(op.from);
  if (!from)
    throw new CopyError(`invalid copy source '${op.from}': the format is '@alias/pattern'`);
  if (!op.to.startsWith("@artifact/"))
    throw new CopyError(`invalid copy destination '${op.to}': it must start with '@artifact/'`);
  const dest = posix.normalize(op.to.slice("@artifact/".length) || ".").replace(/\/+$/, "") || ".";
  if (dest === ".." || dest.startsWith("../") || posix.isAbsolute(dest))
    throw new CopyError(`invalid copy destination '${op.to}': it must stay within the artifact`);
  const pattern = from[1].replace(/\/+$/, "");
  const excludes = (op.exclude ?? []).map(globRegExp);
  const excluded = (path, root2) => {
    const rel = relativeTo(root2, path);
    const parts = rel.split("/");
    return excludes.some((re2) => parts.some((_, i) => re2.test(parts.slice(0, i + 1).join("/"))));
  };
  const join_ = (...parts) => posix.join(...parts);
  const plan = [];
  if (!GLOB_CHARS.test(pattern)) {
    const root2 = pattern === "" ? "" : pattern;
    const inside = files.filter((f) => root2 === "" || f.startsWith(`${root2}/`));
    if (files.includes(pattern)) {
      if (excluded(pattern, ".")) return plan;
      const isDir = op.to.endsWith("/") || dest === "." || [...existing].some((e) => e.startsWith(`${dest}/`));
      plan.push([pattern, isDir ? join_(dest, basename(pattern)) : dest]);
    } else if (inside.length > 0) {
      for (const f of inside) {
        if (!excluded(f, root2)) plan.push([f, join_(dest, basename(root2), relativeTo(root2, f))]);
      }
    } else if (!op.optional) {
      throw new CopyError(`source '${pattern}' does not exist`);
    }
    return plan;
  }
  const re = globRegExp(pattern);
  const recursiveRoot = pattern.endsWith("/**") ? pattern.slice(0, -3) : void 0;
  const root = selectionRoot(pattern);
  for (const f of files) {
    const parts = f.split("/");
    let matched;
    for (let i = 1; i <= parts.length && !matched; i++) {
      const candidate = parts.slice(0, i).join("/");
      if (re.test(candidate)) matched = candidate;
    }
    if (!matched || excluded(f, root)) continue;
    const target = recursiveRoot !== void 0 && f.startsWith(`${recursiveRoot}/`) ? relativeTo(recursiveRoot, f) : f;
    plan.push([f, join_(dest, target)]);
  }
  if (plan.length === 0 && !op.optional) throw new CopyError(`no files match pattern '${pattern}'`);
  return plan;
}
async function listFiles(dir, prefix = "") {
  const out = [];
  for (const entry of await readdir(join(dir, prefix), { withFileTypes: true })) {
    if (entry.name === ".git") continue;
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...await listFiles(dir, rel));
    else if (entry.isFile()) out.push(rel);
  }
  return out;
}
var artifactsRoot = (cacheDir) => join(cacheDir, "artifacts");
var artifactDir = (cacheDir, namespace, name, digest) => join(artifactsRoot(cacheDir), namespace, name, digest.replace(/^sha256:/, ""));
async function generate(generator, ctx) {
  const spec = generator.spec ?? {};
  const namespace = generator.metadata.namespace ?? "default";
  const sources = /* @__PURE__ */ new Map();
  const files = /* @__PURE__ */ new Map();
  for (const source of spec.sources ?? []) {
    if (sources.has(source.alias)) throw new CopyError(`duplicate source alias '${source.alias}'`);
    const resolved = await resolveSource(source, namespace, ctx);
    sources.set(source.alias, resolved);
    files.set(source.alias, await listFiles(resolved.dir));
  }
  const out = [];
  for (const artifact of spec.artifacts ?? []) {
    const staging = join(artifactsRoot(ctx.cacheDir), `.staging-${randomBytes(6).toString("hex")}`);
    await mkdir(staging, { recursive: true });
    try {
      const written = /* @__PURE__ */ new Set();
      for (const op of artifact.copy ?? []) {
        const alias = /^@([^/]+)\//.exec(op.from)?.[1] ?? "";
        const source = sources.get(alias);
        if (!source) throw new CopyError(`source alias '${alias}' not found`);
        let plan;
        try {
          plan = planCopy(op, files.get(alias) ?? [], written);
        } catch (error) {
          throw new CopyError(
            `failed to apply copy operation from '${op.from}' to '${op.to}': ${error.message}`
          );
        }
        for (const [from, to] of plan) {
          await mkdir(dirname(join(staging, to)), { recursive: true });
          await cp(join(source.dir, from), join(staging, to));
          written.add(to);
        }
      }
      const digest = await treeDigest(staging);
      const dir = artifactDir(ctx.cacheDir, namespace, artifact.name, digest);
      if (existsSync(dir)) await rm(staging, { recursive: true, force: true });
      else {
        await mkdir(dirname(dir), { recursive: true });
        await rename(staging, dir);
      }
      const pinned = artifact.revision?.startsWith("@") ? sources.get(artifact.revision.slice(1))?.revision : void 0;
      out.push({
        name: artifact.name,
        namespace,
        dir,
        digest,
        revision: pinned ?? `latest@${digest}`
      });
    } catch (error) {
      await rm(staging, { recursive: true, force: true });
      throw error;
    }
  }
  return out;
}
var now = () => (/* @__PURE__ */ new Date()).toISOString().replace(/\.\d+Z$/, "Z");
function readyStatus(previous, ready, reason, message, generation) {
  const old = (previous?.status?.conditions ?? []).find((c) => c.type === "Ready");
  const status = ready ? "True" : "False";
  return {
    type: "Ready",
    status,
    reason,
    message,
    lastTransitionTime: old?.status === status ? old.lastTransitionTime : now(),
    ...generation === void 0 ? {} : { observedGeneration: generation }
  };
}
async function reconcileGenerator(generator, ctx) {
  const client = ctx.client;
  const namespace = generator.metadata.namespace ?? "default";
  const generation = generator.metadata.generation;
  if (generator.metadata.annotations?.["source.extensions.fluxcd.io/reconcile"] === "Disable")
    return { ready: true, message: "reconciliation disabled" };
  let artifacts;
  try {
    artifacts = await generate(generator, ctx);
  } catch (error) {
    const reason = error instanceof SourceError ? "SourceFetchFailed" : "BuildFailed";
    const message2 = error.message;
    await writeStatus(client, generator, {
      ...generator.status,
      observedGeneration: generation,
      conditions: [readyStatus(generator, false, reason, message2, generation)]
    });
    return { ready: false, message: message2 };
  }
  const { ensureFluxCrds } = await import("./crds-EISBY7DF.js");
  await ensureFluxCrds(client, [
    { apiVersion: EXTERNAL_ARTIFACT_API, kind: "ExternalArtifact", metadata: { name: "-" } }
  ]);
  for (const artifact of artifacts) {
    const applied = await client.apply(
      {
        apiVersion: EXTERNAL_ARTIFACT_API,
        kind: "ExternalArtifact",
        metadata: { name: artifact.name, namespace },
        spec: {
          sourceRef: {
            apiVersion: ARTIFACT_GENERATOR_API,
            kind: "ArtifactGenerator",
            name: generator.metadata.name,
            namespace
          }
        }
      },
      { fieldManager: FIELD_MANAGER, force: true }
    );
    const previous = applied.status?.artifact;
    const sameArtifact = previous?.digest === artifact.digest;
    await writeStatus(client, applied, {
      artifact: {
        // No artifact server: the path names the cache folder, the URL says so.
        path: `externalartifact/${namespace}/${artifact.name}/${artifact.digest.slice(7)}.tar.gz`,
        url: `tether://externalartifact/${namespace}/${artifact.name}/${artifact.digest.slice(7)}.tar.gz`,
        revision: artifact.revision,
        digest: artifact.digest,
        lastUpdateTime: sameArtifact ? previous?.lastUpdateTime ?? now() : now()
      },
      conditions: [
        readyStatus(
          applied,
          true,
          "Succeeded",
          `stored artifact for revision '${artifact.revision}'`,
          applied.metadata.generation
        )
      ]
    });
  }
  const before = (generator.status?.inventory ?? []).map((i) => i.name);
  for (const name of before.filter((n) => !artifacts.some((a) => a.name === n))) {
    await client.delete({
      apiVersion: EXTERNAL_ARTIFACT_API,
      kind: "ExternalArtifact",
      namespace,
      name
    });
  }
  const message = `reconciliation succeeded, generated ${artifacts.length} artifact(s)`;
  await writeStatus(client, generator, {
    ...generator.status,
    observedGeneration: generation,
    conditions: [readyStatus(generator, true, "Succeeded", message, generation)],
    inventory: artifacts.map(
      (a) => ({ name: a.name, namespace: a.namespace, digest: a.digest })
    ),
    ...generator.metadata.annotations?.["reconcile.fluxcd.io/requestedAt"] ? {
      lastHandledReconcileAt: generator.metadata.annotations["reconcile.fluxcd.io/requestedAt"]
    } : {}
  });
  return { ready: true, message };
}
async function resolveExternalArtifact(ref, ctx) {
  const object = await ctx.client.get({ apiVersion: EXTERNAL_ARTIFACT_API, kind: "ExternalArtifact", ...ref }).catch(() => void 0);
  if (!object)
    throw new SourceError(`Source 'ExternalArtifact/${ref.namespace}/${ref.name}' not found`);
  const artifact = object.status?.artifact;
  if (!artifact?.digest || !artifact.revision)
    throw new SourceError(
      `Source artifact not found, retrying: ExternalArtifact/${nsName(object)}`
    );
  const dir = artifactDir(ctx.cacheDir, ref.namespace, ref.name, artifact.digest);
  if (existsSync(dir)) return { dir, revision: artifact.revision, object, own: false };
  const sourceRef = object.spec?.sourceRef;
  if (sourceRef?.kind !== "ArtifactGenerator" || !sourceRef.name)
    throw new SourceError(
      `ExternalArtifact/${nsName(object)} is not made by an ArtifactGenerator: Tether cannot fetch its artifact`
    );
  const generator = await ctx.client.get({
    apiVersion: ARTIFACT_GENERATOR_API,
    kind: "ArtifactGenerator",
    name: sourceRef.name,
    namespace: sourceRef.namespace ?? ref.namespace
  });
  if (!generator) throw new SourceError(`ArtifactGenerator '${sourceRef.name}' not found`);
  const built = (await generate(generator, ctx)).find((a) => a.name === ref.name);
  if (!built)
    throw new SourceError(`ArtifactGenerator '${sourceRef.name}' no longer makes '${ref.name}'`);
  return { dir: built.dir, revision: built.revision, object, own: false };
}
var artifactGeneratorReconciler = {
  group: SOURCE_EXTENSIONS_GROUP,
  kind: "ArtifactGenerator",
  reconcile(live, ctx) {
    if (!ctx.own || !ctx.cacheDir)
      return Promise.resolve({ ready: false, message: "no source context" });
    return reconcileGenerator(live, { client: ctx.client, own: ctx.own, cacheDir: ctx.cacheDir });
  }
};

export {
  EXTERNAL_ARTIFACT_API,
  ARTIFACT_GENERATOR_API,
  CopyError,
  globRegExp,
  planCopy,
  generate,
  reconcileGenerator,
  resolveExternalArtifact,
  artifactGeneratorReconciler
};
