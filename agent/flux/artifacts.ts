// ArtifactGenerator (source.extensions.fluxcd.io/v1beta1, Flux 2.7): composes or splits
// sources into ExternalArtifacts by copy rules, and a Kustomization whose sourceRef is
// an ExternalArtifact builds from it. Tether keeps no artifact server: an artifact is a
// folder in the cache named by its content digest, and the ExternalArtifact object
// carries Flux's status (revision `latest@sha256:<digest>`, Ready) so tools that read
// it work. The copy plan is a pure function (planCopy); the rest is thin I/O.
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { cp, mkdir, readdir, rename, rm } from "node:fs/promises";
import { basename, dirname, join, posix } from "node:path";
import type { KubeObject } from "../../shared/manifests/object.ts";
import { FIELD_MANAGER } from "../defaults.ts";
import { nsName, SOURCE_EXTENSIONS_GROUP, SOURCE_GROUP } from "./kinds.ts";
import type { FluxObjectContext, FluxObjectResult } from "./registry.ts";
import {
  type ResolvedSource,
  resolveSource,
  type SourceContext,
  SourceError,
  treeDigest,
} from "./source.ts";
import { writeStatus } from "./status.ts";

export const EXTERNAL_ARTIFACT_API = `${SOURCE_GROUP}/v1`;
export const ARTIFACT_GENERATOR_API = `${SOURCE_EXTENSIONS_GROUP}/v1beta1`;

export interface CopyOperation {
  from: string;
  to: string;
  exclude?: string[];
  /** No match is not an error. */
  optional?: boolean;
  strategy?: string;
}

export interface GeneratorSpec {
  sources?: { alias: string; kind: string; name: string; namespace?: string }[];
  artifacts?: { name: string; revision?: string; copy?: CopyOperation[] }[];
}

export class CopyError extends Error {}

const GLOB_CHARS = /[*?[\]]/;

/** A glob as Flux's generator reads it: `**` any folders, `*` and `?` within one name. */
export function globRegExp(pattern: string): RegExp {
  let out = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
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

/** The literal folder before the first glob segment (exclude patterns are relative to it). */
function selectionRoot(pattern: string): string {
  const parts: string[] = [];
  for (const part of pattern.split("/")) {
    if (GLOB_CHARS.test(part)) break;
    parts.push(part);
  }
  return parts.join("/");
}

const relativeTo = (root: string, path: string) =>
  root === "" || root === "."
    ? path
    : path.startsWith(`${root}/`)
      ? path.slice(root.length + 1)
      : path;

/**
 * Where each file of one copy operation goes: `[source path, artifact path]` pairs,
 * with cp-like rules as Flux documents them. `files` lists every file of the source
 * (relative, `/`-separated); `existing` the artifact's files so far.
 */
export function planCopy(
  op: CopyOperation,
  files: readonly string[],
  existing: ReadonlySet<string> = new Set(),
): [string, string][] {
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
  const pattern = (from[1] as string).replace(/\/+$/, "");
  const excludes = (op.exclude ?? []).map(globRegExp);
  const excluded = (path: string, root: string) => {
    const rel = relativeTo(root, path);
    const parts = rel.split("/");
    // A pattern excludes a file or any folder above it.
    return excludes.some((re) => parts.some((_, i) => re.test(parts.slice(0, i + 1).join("/"))));
  };
  const join_ = (...parts: string[]) => posix.join(...parts);
  const plan: [string, string][] = [];
  if (!GLOB_CHARS.test(pattern)) {
    const root = pattern === "" ? "" : pattern;
    const inside = files.filter((f) => root === "" || f.startsWith(`${root}/`));
    if (files.includes(pattern)) {
      // One file: to a folder (`to` ends with / or is a folder already) or to a file name.
      if (excluded(pattern, ".")) return plan;
      const isDir =
        op.to.endsWith("/") || dest === "." || [...existing].some((e) => e.startsWith(`${dest}/`));
      plan.push([pattern, isDir ? join_(dest, basename(pattern)) : dest]);
    } else if (inside.length > 0) {
      // A folder is copied as a folder into the destination (cp -r dir dest/).
      for (const f of inside) {
        if (!excluded(f, root)) plan.push([f, join_(dest, basename(root), relativeTo(root, f))]);
      }
    } else if (!op.optional) {
      throw new CopyError(`source '${pattern}' does not exist`);
    }
    return plan;
  }
  const re = globRegExp(pattern);
  const recursiveRoot = pattern.endsWith("/**") ? pattern.slice(0, -3) : undefined;
  const root = selectionRoot(pattern);
  for (const f of files) {
    // A file matches, or a folder above it does (a matched folder is copied whole).
    const parts = f.split("/");
    let matched: string | undefined;
    for (let i = 1; i <= parts.length && !matched; i++) {
      const candidate = parts.slice(0, i).join("/");
      if (re.test(candidate)) matched = candidate;
    }
    if (!matched || excluded(f, root)) continue;
    const target =
      recursiveRoot !== undefined && f.startsWith(`${recursiveRoot}/`)
        ? relativeTo(recursiveRoot, f)
        : f;
    plan.push([f, join_(dest, target)]);
  }
  if (plan.length === 0 && !op.optional) throw new CopyError(`no files match pattern '${pattern}'`);
  return plan;
}

async function listFiles(dir: string, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(join(dir, prefix), { withFileTypes: true })) {
    if (entry.name === ".git") continue;
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await listFiles(dir, rel)));
    else if (entry.isFile()) out.push(rel);
  }
  return out;
}

export interface GeneratedArtifact {
  name: string;
  namespace: string;
  dir: string;
  /** `sha256:<hex>` of the artifact's content. */
  digest: string;
  revision: string;
}

const artifactsRoot = (cacheDir: string) => join(cacheDir, "artifacts");
const artifactDir = (cacheDir: string, namespace: string, name: string, digest: string) =>
  join(artifactsRoot(cacheDir), namespace, name, digest.replace(/^sha256:/, ""));

/** Builds every artifact of a generator into the cache (folders named by content digest). */
export async function generate(
  generator: KubeObject,
  ctx: SourceContext,
): Promise<GeneratedArtifact[]> {
  const spec = (generator.spec ?? {}) as GeneratorSpec;
  const namespace = generator.metadata.namespace ?? "default";
  const sources = new Map<string, ResolvedSource>();
  const files = new Map<string, string[]>();
  for (const source of spec.sources ?? []) {
    if (sources.has(source.alias)) throw new CopyError(`duplicate source alias '${source.alias}'`);
    const resolved = await resolveSource(source, namespace, ctx);
    sources.set(source.alias, resolved);
    files.set(source.alias, await listFiles(resolved.dir));
  }
  const out: GeneratedArtifact[] = [];
  for (const artifact of spec.artifacts ?? []) {
    const staging = join(artifactsRoot(ctx.cacheDir), `.staging-${randomBytes(6).toString("hex")}`);
    await mkdir(staging, { recursive: true });
    try {
      const written = new Set<string>();
      // Operations run in order; a later one overwrites what an earlier one wrote.
      for (const op of artifact.copy ?? []) {
        const alias = /^@([^/]+)\//.exec(op.from)?.[1] ?? "";
        const source = sources.get(alias);
        if (!source) throw new CopyError(`source alias '${alias}' not found`);
        let plan: [string, string][];
        try {
          plan = planCopy(op, files.get(alias) ?? [], written);
        } catch (error) {
          throw new CopyError(
            `failed to apply copy operation from '${op.from}' to '${op.to}': ${(error as Error).message}`,
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
      const pinned = artifact.revision?.startsWith("@")
        ? sources.get(artifact.revision.slice(1))?.revision
        : undefined;
      out.push({
        name: artifact.name,
        namespace,
        dir,
        digest,
        revision: pinned ?? `latest@${digest}`,
      });
    } catch (error) {
      await rm(staging, { recursive: true, force: true });
      throw error;
    }
  }
  return out;
}

const now = () => new Date().toISOString().replace(/\.\d+Z$/, "Z");

function readyStatus(
  previous: KubeObject | undefined,
  ready: boolean,
  reason: string,
  message: string,
  generation: number | undefined,
) {
  const old = (
    (
      previous?.status as {
        conditions?: { type: string; status: string; lastTransitionTime: string }[];
      }
    )?.conditions ?? []
  ).find((c) => c.type === "Ready");
  const status = ready ? "True" : "False";
  return {
    type: "Ready",
    status,
    reason,
    message,
    lastTransitionTime: old?.status === status ? old.lastTransitionTime : now(),
    ...(generation === undefined ? {} : { observedGeneration: generation }),
  };
}

interface InventoryItem {
  name: string;
  namespace: string;
  digest: string;
}

/** Reconciles one ArtifactGenerator: builds, writes the ExternalArtifacts, deletes dropped ones. */
export async function reconcileGenerator(
  generator: KubeObject,
  ctx: SourceContext,
): Promise<FluxObjectResult> {
  const client = ctx.client;
  const namespace = generator.metadata.namespace ?? "default";
  const generation = generator.metadata.generation as number | undefined;
  // Flux's switch for pausing a generator is an annotation, not spec.suspend.
  if (generator.metadata.annotations?.["source.extensions.fluxcd.io/reconcile"] === "Disable")
    return { ready: true, message: "reconciliation disabled" };
  let artifacts: GeneratedArtifact[];
  try {
    artifacts = await generate(generator, ctx);
  } catch (error) {
    const reason = error instanceof SourceError ? "SourceFetchFailed" : "BuildFailed";
    const message = (error as Error).message;
    await writeStatus(client, generator, {
      ...(generator.status as object),
      observedGeneration: generation,
      conditions: [readyStatus(generator, false, reason, message, generation)],
    });
    return { ready: false, message };
  }
  const { ensureFluxCrds } = await import("./crds.ts");
  await ensureFluxCrds(client, [
    { apiVersion: EXTERNAL_ARTIFACT_API, kind: "ExternalArtifact", metadata: { name: "-" } },
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
            namespace,
          },
        },
      },
      { fieldManager: FIELD_MANAGER, force: true },
    );
    const previous = (applied.status as { artifact?: { digest?: string; lastUpdateTime?: string } })
      ?.artifact;
    const sameArtifact = previous?.digest === artifact.digest;
    await writeStatus(client, applied, {
      artifact: {
        // No artifact server: the path names the cache folder, the URL says so.
        path: `externalartifact/${namespace}/${artifact.name}/${artifact.digest.slice(7)}.tar.gz`,
        url: `tether://externalartifact/${namespace}/${artifact.name}/${artifact.digest.slice(7)}.tar.gz`,
        revision: artifact.revision,
        digest: artifact.digest,
        lastUpdateTime: sameArtifact ? (previous?.lastUpdateTime ?? now()) : now(),
      },
      conditions: [
        readyStatus(
          applied,
          true,
          "Succeeded",
          `stored artifact for revision '${artifact.revision}'`,
          applied.metadata.generation as number | undefined,
        ),
      ],
    });
  }
  // ExternalArtifacts the generator made before and no longer lists are deleted.
  const before = (
    (generator.status as { inventory?: InventoryItem[] } | undefined)?.inventory ?? []
  ).map((i) => i.name);
  for (const name of before.filter((n) => !artifacts.some((a) => a.name === n))) {
    await client.delete({
      apiVersion: EXTERNAL_ARTIFACT_API,
      kind: "ExternalArtifact",
      namespace,
      name,
    });
  }
  const message = `reconciliation succeeded, generated ${artifacts.length} artifact(s)`;
  await writeStatus(client, generator, {
    ...(generator.status as object),
    observedGeneration: generation,
    conditions: [readyStatus(generator, true, "Succeeded", message, generation)],
    inventory: artifacts.map(
      (a): InventoryItem => ({ name: a.name, namespace: a.namespace, digest: a.digest }),
    ),
    ...(generator.metadata.annotations?.["reconcile.fluxcd.io/requestedAt"]
      ? {
          lastHandledReconcileAt: generator.metadata.annotations["reconcile.fluxcd.io/requestedAt"],
        }
      : {}),
  });
  return { ready: true, message };
}

/** The source of a Kustomization whose sourceRef is an ExternalArtifact. */
export async function resolveExternalArtifact(
  ref: { name: string; namespace: string },
  ctx: SourceContext,
): Promise<ResolvedSource> {
  // A cluster without the CRD has no ExternalArtifact either.
  const object = await ctx.client
    .get({ apiVersion: EXTERNAL_ARTIFACT_API, kind: "ExternalArtifact", ...ref })
    .catch(() => undefined);
  if (!object)
    throw new SourceError(`Source 'ExternalArtifact/${ref.namespace}/${ref.name}' not found`);
  const artifact = (
    object.status as { artifact?: { revision?: string; digest?: string } } | undefined
  )?.artifact;
  if (!artifact?.digest || !artifact.revision)
    throw new SourceError(
      `Source artifact not found, retrying: ExternalArtifact/${nsName(object)}`,
    );
  const dir = artifactDir(ctx.cacheDir, ref.namespace, ref.name, artifact.digest);
  if (existsSync(dir)) return { dir, revision: artifact.revision, object, own: false };
  // Not in this cache (a restart, another cache folder): built again from its generator.
  const sourceRef = (
    object.spec as { sourceRef?: { kind?: string; name?: string; namespace?: string } }
  )?.sourceRef;
  if (sourceRef?.kind !== "ArtifactGenerator" || !sourceRef.name)
    throw new SourceError(
      `ExternalArtifact/${nsName(object)} is not made by an ArtifactGenerator: Tether cannot fetch its artifact`,
    );
  const generator = await ctx.client.get({
    apiVersion: ARTIFACT_GENERATOR_API,
    kind: "ArtifactGenerator",
    name: sourceRef.name,
    namespace: sourceRef.namespace ?? ref.namespace,
  });
  if (!generator) throw new SourceError(`ArtifactGenerator '${sourceRef.name}' not found`);
  const built = (await generate(generator, ctx)).find((a) => a.name === ref.name);
  if (!built)
    throw new SourceError(`ArtifactGenerator '${sourceRef.name}' no longer makes '${ref.name}'`);
  return { dir: built.dir, revision: built.revision, object, own: false };
}

/** The reconciler the registry calls for ArtifactGenerators a Kustomization applied. */
export const artifactGeneratorReconciler = {
  group: SOURCE_EXTENSIONS_GROUP,
  kind: "ArtifactGenerator",
  reconcile(live: KubeObject, ctx: FluxObjectContext): Promise<FluxObjectResult> {
    if (!ctx.own || !ctx.cacheDir)
      return Promise.resolve({ ready: false, message: "no source context" });
    return reconcileGenerator(live, { client: ctx.client, own: ctx.own, cacheDir: ctx.cacheDir });
  },
};
