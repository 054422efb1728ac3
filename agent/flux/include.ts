// A GitRepository's `spec.include`: other GitRepositories of its namespace copied into
// its artifact, `fromPath` of theirs (default: all of it) at `toPath` of this one
// (default: the included repository's name), as source-controller builds it. Tether keeps
// no artifact archive: the artifact is a folder of its own in the cache, named by what
// went into it, so a checkout (which other sources and the agent share) is never written
// to, and an include that moved makes a new folder. The revision stays the including
// repository's commit; the digest and `status.includedArtifacts` say what changed.
// What is copied is what the included repository's Flux artifact holds: files and
// folders, never links (source-controller's archive leaves out whatever is not a regular
// file or a folder). A suspended repository serves the folder its status names, as Flux
// serves its stored artifact: nothing is built while it is suspended.
// The decisions (paths, collisions, cycles) are pure functions; the rest is thin I/O.
import { createHash, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import {
  copyFile,
  cp,
  lstat,
  mkdir,
  readdir,
  readFile,
  rename,
  rm,
  rmdir,
  writeFile,
} from "node:fs/promises";
import { dirname, join, posix } from "node:path";
import type { KubeClient } from "../../shared/kube/client.ts";
import type { KubeObject } from "../../shared/manifests/object.ts";
import { IgnoreRules, readSourceIgnore } from "../../shared/render/sourceignore.ts";
import { confine, OutsideRootError } from "../../shared/util/confine.ts";
import { GIT_REPOSITORY_API } from "./kinds.ts";
import {
  gitRepositoryArtifact,
  type IncludedSource,
  type ResolvedSource,
  resolveSource,
  type SourceContext,
  SourceError,
  treeDigest,
} from "./source.ts";

/** Why an include failed, in source-controller's words (its IncludeUnavailable reasons). */
export type IncludeReason = "NotFound" | "NoArtifact" | "IllegalPath" | "CopyFailure" | "Cycle";

export class IncludeError extends SourceError {
  readonly reason: IncludeReason;
  constructor(message: string, reason: IncludeReason) {
    super(message);
    this.name = "IncludeError";
    this.reason = reason;
  }
}

export interface IncludeSpec {
  repository?: { name?: string };
  fromPath?: string;
  toPath?: string;
}

/** One include, its paths made relative to the artifacts' roots ("" is the root). */
export interface PlannedInclude {
  name: string;
  from: string;
  to: string;
}

/**
 * A path inside an artifact, as securejoin reads it: `..` never climbs above the root
 * (it stays there), a leading `/` is the root. Flux does the same, so a repository
 * written for Flux lands its files in the same places. "" is the root.
 */
export function insidePath(path: string | undefined): string {
  return posix.normalize(`/${path ?? ""}`).replace(/^\/+|\/+$/g, "");
}

/** The includes of a spec, with Flux's defaults. Throws IncludeError for one without a name. */
export function planIncludes(specs: unknown): PlannedInclude[] {
  if (specs === undefined || specs === null) return [];
  if (!Array.isArray(specs)) throw new IncludeError("spec.include must be a list", "IllegalPath");
  return specs.map((spec: IncludeSpec, i) => {
    const name = spec?.repository?.name;
    if (!name)
      throw new IncludeError(`spec.include[${i}]: repository.name is required`, "IllegalPath");
    const to = insidePath(spec.toPath ?? name);
    // The root already holds this repository's own files: nothing can be copied over it
    // (source-controller's rename fails on it too).
    if (to === "")
      throw new IncludeError(
        `include '${name}': toPath '${spec.toPath}' is the root of the artifact: name a folder`,
        "IllegalPath",
      );
    return { name, from: insidePath(spec.fromPath), to };
  });
}

export type ExistingKind = "none" | "file" | "emptyDir" | "dir";

/**
 * Whether an include may be copied to a path that already holds something (this
 * repository's own files, or an earlier include): as a rename, which source-controller
 * does. A file replaces a file, a folder an empty folder; anything else is refused
 * rather than merged, so what the artifact holds never depends on which came first.
 */
export function placeInclude(
  source: "file" | "dir",
  existing: ExistingKind,
): { ok: true } | { ok: false; reason: string } {
  if (existing === "none") return { ok: true };
  if (source === "file" && existing === "file") return { ok: true };
  if (source === "dir" && existing === "emptyDir") return { ok: true };
  const what = existing === "file" ? "a file" : "a folder";
  return {
    ok: false,
    reason: `it already holds ${what} (from the repository or an earlier include)`,
  };
}

/**
 * The include path from `start` back to itself (`[start, …, start]`), or undefined.
 * Flux builds from the last stored artifacts, so a cycle there only lags; Tether builds
 * the includes in the same pass, where a cycle never ends: it is refused.
 */
export function includeCycle(
  start: string,
  includesOf: (name: string) => readonly string[] | undefined,
): string[] | undefined {
  const seen = new Set<string>();
  const walk = (name: string, path: string[]): string[] | undefined => {
    for (const next of includesOf(name) ?? []) {
      if (next === start) return [...path, next];
      if (seen.has(next)) continue;
      seen.add(next);
      const found = walk(next, [...path, next]);
      if (found) return found;
    }
    return undefined;
  };
  return walk(start, [start]);
}

export function hasIncludes(repo: KubeObject): boolean {
  const include = (repo.spec as { include?: unknown } | undefined)?.include;
  return Array.isArray(include) && include.length > 0;
}

/** The names a GitRepository includes; undefined for one that does not exist. */
const includeNames = (repo: KubeObject | undefined): string[] | undefined =>
  repo &&
  ((repo.spec as { include?: IncludeSpec[] } | undefined)?.include ?? [])
    .map((i) => i?.repository?.name)
    .filter((n): n is string => typeof n === "string");

/**
 * The include graph reachable from `repo` (names in its namespace), read from the
 * cluster; a name that maps to undefined has no GitRepository (the client answers
 * undefined for a 404 only). Any other error (forbidden, the API unreachable) fails the
 * include with its own message, as source-controller's does when its Get fails.
 */
async function readIncludeGraph(
  client: KubeClient,
  repo: KubeObject,
): Promise<Map<string, string[] | undefined>> {
  const namespace = repo.metadata.namespace ?? "default";
  const graph = new Map([[repo.metadata.name, includeNames(repo)]]);
  const pending = [...(graph.get(repo.metadata.name) ?? [])];
  while (pending.length > 0) {
    const name = pending.shift() as string;
    if (graph.has(name)) continue;
    const dep = await client
      .get({ apiVersion: GIT_REPOSITORY_API, kind: "GitRepository", namespace, name })
      .catch((error: Error) => {
        throw new IncludeError(
          `include '${name}' unavailable: GitRepository '${namespace}/${name}' could not be read: ${error.message}`,
          "NotFound",
        );
      });
    graph.set(name, includeNames(dep));
    pending.push(...(graph.get(name) ?? []));
  }
  return graph;
}

/**
 * What the included repository's artifact holds at `from` (relative to `dir`): the
 * files its own ignore rules keep there (relative to `dir`; `from` itself when it is a
 * file), or undefined when `from` is left out of it (it, or a folder above it, ignored).
 */
async function keptFiles(
  dir: string,
  from: string,
  isDir: boolean,
  ignore: string | undefined,
): Promise<string[] | undefined> {
  let rules = IgnoreRules.forSource(ignore);
  const parts = from.split("/").filter(Boolean);
  for (let i = 0; i < parts.length; i++) {
    const domain = parts.slice(0, i).join("/");
    rules = rules.with(await readSourceIgnore(join(dir, domain), domain));
    const path = parts.slice(0, i + 1).join("/");
    if (rules.ignores(path, i < parts.length - 1 || isDir)) return undefined;
  }
  if (!isDir) return [from];
  const out: string[] = [];
  const walk = async (rel: string, rules: IgnoreRules) => {
    const here = rules.with(await readSourceIgnore(join(dir, rel), rel));
    for (const entry of await readdir(join(dir, rel), { withFileTypes: true })) {
      if (entry.name === ".git") continue;
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      // Files and folders only, as in Flux's artifact: a link (which would resolve
      // against the including repository's files once copied) is left out.
      if (entry.isDirectory()) {
        if (!here.ignores(path, true)) await walk(path, here);
      } else if (entry.isFile() && !here.ignores(path, false)) out.push(path);
    }
  };
  await walk(from, rules);
  return out;
}

async function existingKind(path: string): Promise<ExistingKind> {
  const info = await lstat(path).catch(() => undefined);
  if (!info) return "none";
  if (!info.isDirectory()) return "file";
  return (await readdir(path)).length === 0 ? "emptyDir" : "dir";
}

/** `path` (relative to `root`) or a folder above it that is a link, or undefined. */
async function linkOn(root: string, path: string): Promise<string | undefined> {
  const parts = path.split("/").filter(Boolean);
  for (let i = 1; i <= parts.length; i++) {
    const rel = parts.slice(0, i).join("/");
    const info = await lstat(join(root, rel)).catch(() => undefined);
    if (!info) return undefined;
    if (info.isSymbolicLink()) return rel;
  }
  return undefined;
}

/** Copies a regular file (keptFiles lists nothing else). */
async function copyEntry(from: string, to: string): Promise<void> {
  await mkdir(dirname(to), { recursive: true });
  await copyFile(from, to);
}

/** Copies one include into `staging` (an artifact being built). */
async function copyInclude(
  staging: string,
  include: PlannedInclude,
  source: ResolvedSource,
): Promise<void> {
  const failed = (why: string, reason: IncludeReason = "CopyFailure") =>
    new IncludeError(
      `include '${include.name}': failed to copy '${include.from || "/"}' to '${include.to}': ${why}`,
      reason,
    );
  // Both ends are judged after their symlinks: nothing is read from outside the included
  // checkout, nothing written outside the artifact (a link in this repository's files).
  const guard = (error: unknown) => {
    throw error instanceof OutsideRootError
      ? failed(error.message, "IllegalPath")
      : failed((error as Error).message);
  };
  // A fromPath on a link names nothing in the included artifact: links are not in it.
  const fromLink = await linkOn(source.dir, include.from);
  const from = fromLink ? undefined : await confine(source.dir, include.from || ".").catch(guard);
  const to = await confine(staging, include.to).catch(guard);
  // A link on toPath is refused. Flux resolves toPath through links (securejoin) and
  // renames onto where it leads, so its artifact holds the include at the link's
  // target and nothing at toPath (links are not archived); Tether keeps this
  // repository's links, so it cannot build the same artifact: it says so instead of
  // writing over the file the link leads to.
  const toLink = await linkOn(staging, include.to);
  if (toLink)
    throw failed(
      `'${toLink}' is a link in this repository: name the path it leads to, or another path`,
      "IllegalPath",
    );
  const info = from === undefined ? undefined : await lstat(from).catch(() => undefined);
  const kind = info?.isDirectory() ? "dir" : "file";
  // The included repository's artifact is what its own ignore rules keep (.git never).
  const files =
    (info?.isDirectory() || info?.isFile()) &&
    (await keptFiles(source.dir, include.from, kind === "dir", source.ignore));
  if (!files || include.from.split("/").includes(".git"))
    throw failed(
      `'${include.from}' is not in its artifact (revision ${source.revision})${fromLink ? `: '${fromLink}' is a link, and artifacts hold none` : ""}`,
    );
  const existing = await existingKind(to);
  const placed = placeInclude(kind, existing);
  if (!placed.ok) throw failed(placed.reason);
  if (existing !== "none") await (existing === "emptyDir" ? rmdir(to) : rm(to));
  try {
    if (kind === "file") {
      await copyEntry(from as string, to);
      return;
    }
    await mkdir(to, { recursive: true });
    for (const file of files) {
      const rel = include.from ? file.slice(include.from.length + 1) : file;
      await copyEntry(join(source.dir, file), join(to, rel));
    }
  } catch (error) {
    throw failed((error as Error).message);
  }
}

const includesRoot = (cacheDir: string) => join(cacheDir, "includes");

/** A built folder's description, `<key>.json` beside it. */
interface Stored {
  digest: string;
  artifacts: IncludedSource["artifacts"];
  /** The including repository's revision it was built at (absent in older builds). */
  revision?: string;
}

const readStored = (meta: string): Promise<Stored | undefined> =>
  readFile(meta, "utf8")
    .then((text) => JSON.parse(text) as Stored)
    .catch(() => undefined);

/**
 * A suspended repository's artifact: the built folder whose digest its
 * `status.artifact.digest` names (the last one built, as older ones are removed).
 * Flux serves its stored artifact whole while suspended, includes and all; without
 * one it serves nothing, as a suspended GitRepository with no artifact does.
 */
async function suspendedArtifact(
  repo: KubeObject,
  base: ResolvedSource,
  parent: string,
): Promise<ResolvedSource> {
  const artifact = (
    repo.status as { artifact?: { revision?: string; digest?: string } } | undefined
  )?.artifact;
  for (const entry of artifact?.digest ? await readdir(parent).catch(() => []) : []) {
    if (!entry.endsWith(".json")) continue;
    const dir = join(parent, entry.slice(0, -".json".length));
    const stored = await readStored(join(parent, entry));
    if (!stored || stored.digest !== artifact?.digest || !existsSync(dir)) continue;
    return {
      ...base,
      dir,
      revision: stored.revision ?? artifact?.revision ?? base.revision,
      included: stored,
    };
  }
  const key = `${repo.metadata.namespace ?? "default"}/${repo.metadata.name}`;
  throw new SourceError(
    `GitRepository ${key} is suspended and has no artifact to serve (no artifact with its includes built in this cache${artifact?.digest ? ` for digest ${artifact.digest}` : ""})`,
  );
}

/**
 * `base` (the repository's own checkout) with its includes copied in, as a folder of
 * its own in the cache. Throws IncludeError when an include is unavailable or cannot
 * be copied: the repository is then not ready, and neither are its Kustomizations.
 */
export async function withIncludes(
  repo: KubeObject,
  base: ResolvedSource,
  ctx: SourceContext,
): Promise<ResolvedSource> {
  const namespace = repo.metadata.namespace ?? "default";
  const name = repo.metadata.name;
  const parent = join(includesRoot(ctx.cacheDir), namespace, name);
  // Suspended: its last artifact, never one built from newer includes.
  if ((repo.spec as { suspend?: boolean } | undefined)?.suspend === true)
    return suspendedArtifact(repo, base, parent);
  const plan = planIncludes((repo.spec as { include?: unknown } | undefined)?.include);
  // Checked before anything is resolved: repositories resolved once per pass would wait
  // on each other for ever.
  const graph = await readIncludeGraph(ctx.client, repo);
  const cycle = includeCycle(name, (n) => graph.get(n));
  if (cycle) throw new IncludeError(`include cycle: ${cycle.join(" -> ")}`, "Cycle");

  const sources: ResolvedSource[] = [];
  for (const include of plan) {
    if (!graph.get(include.name))
      throw new IncludeError(
        `include '${include.name}' unavailable: GitRepository '${namespace}/${include.name}' not found`,
        "NotFound",
      );
    // Resolved (fetched) as a source of its own, once per pass: what it serves is its artifact.
    const resolved = await resolveSource(
      { kind: "GitRepository", name: include.name },
      namespace,
      ctx,
    ).catch((error: Error) => {
      throw new IncludeError(
        `include '${include.name}' unavailable: ${error.message}`,
        error instanceof IncludeError ? error.reason : "NoArtifact",
      );
    });
    sources.push(resolved);
  }

  // Named by everything that went in: the same inputs are the same folder, built once.
  const key = createHash("sha256")
    .update(
      JSON.stringify([
        base.revision,
        base.dir,
        plan.map((p, i) => [p.name, p.from, p.to, sources[i]?.revision, sources[i]?.dir]),
        sources.map((s) => s.ignore ?? null),
      ]),
    )
    .digest("hex")
    .slice(0, 16);
  const dir = join(parent, key);
  const meta = `${dir}.json`;
  const done = (stored: Stored): ResolvedSource => ({ ...base, dir, included: stored });
  if (existsSync(dir)) {
    const stored = await readStored(meta);
    if (stored) return done(stored);
    // The description is in place before its folder is: only an older agent's build
    // can lack it. Built again.
    await rm(dir, { recursive: true, force: true });
  }

  const staging = join(includesRoot(ctx.cacheDir), `.staging-${randomBytes(6).toString("hex")}`);
  try {
    const dotGit = join(base.dir, ".git");
    await cp(base.dir, staging, {
      recursive: true,
      verbatimSymlinks: true,
      filter: (path) => path !== dotGit,
    });
    for (const [i, include] of plan.entries())
      await copyInclude(staging, include, sources[i] as ResolvedSource);
    const now = new Date().toISOString().replace(/\.\d+Z$/, "Z");
    // The included artifacts as their own status names them (the same digest).
    const digests = new Map<string, Promise<string>>();
    const digestOf = (s: ResolvedSource) => {
      if (s.included) return Promise.resolve(s.included.digest);
      const known = digests.get(s.dir);
      if (known) return known;
      const digest = treeDigest(s.dir);
      digests.set(s.dir, digest);
      return digest;
    };
    const stored: Stored = {
      revision: base.revision,
      digest: await treeDigest(staging),
      artifacts: await Promise.all(
        plan.map(async (p, i) => {
          const s = sources[i] as ResolvedSource;
          return gitRepositoryArtifact(namespace, p.name, s.revision, await digestOf(s), now);
        }),
      ),
    };
    await mkdir(parent, { recursive: true });
    // The description first (whole, by a rename), then the folder: a folder in place
    // always has its description, so no reader takes it for half-made and removes it.
    const metaStaging = `${staging}.json`;
    await writeFile(metaStaging, JSON.stringify(stored));
    await rename(metaStaging, meta).finally(() => rm(metaStaging, { force: true }));
    // Built at the same time by another reader of this pass: theirs is the same.
    await rename(staging, dir).catch((error: Error) => {
      if (!existsSync(dir)) throw error;
    });
    // Older builds of this repository are not read again: each folder before its
    // description, so no folder is left without one.
    const entries = (await readdir(parent)).filter((e) => e !== key && e !== `${key}.json`);
    entries.sort((x, y) => Number(x.endsWith(".json")) - Number(y.endsWith(".json")));
    for (const entry of entries) await rm(join(parent, entry), { recursive: true, force: true });
    return done(stored);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** Status of a GitRepository whose includes failed: not Ready, its last artifact kept. */
export function includeFailedStatus(
  repo: KubeObject,
  error: IncludeError,
): Record<string, unknown> {
  const now = new Date().toISOString().replace(/\.\d+Z$/, "Z");
  const generation = repo.metadata.generation;
  const old = (
    (repo.status as { conditions?: { type: string; status: string; lastTransitionTime: string }[] })
      ?.conditions ?? []
  ).find((c) => c.type === "Ready");
  const condition = (type: string, status: string) => ({
    type,
    status,
    reason: error.reason,
    message: error.message,
    lastTransitionTime: old?.status === status ? old.lastTransitionTime : now,
    observedGeneration: generation,
  });
  return {
    observedGeneration: generation,
    conditions: [condition("Ready", "False"), condition("IncludeUnavailable", "True")],
  };
}
