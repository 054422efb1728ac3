// Builds a Kustomize folder with the upstream `kustomize` binary. Remote references are
// refused unless allowed and every path must stay in the repository: kustomize itself
// has no switch for either (its load restrictor confines files to each kustomization's
// own folder, not bases to the repository), so every local kustomization reached from
// the folder is read first and each reference in it checked. A folder can also be built
// with a kustomization of our own in place of its file (Flux's merge of a Kustomization's
// spec): that file is checked the same way and built in a mirror (mirror.ts), never
// written into the checkout.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { DEFAULT_LIMITS, type RenderLimits } from "../manifests/limits.ts";
import type { Manifest } from "../manifests/object.ts";
import { ManifestError, parseManifests, readManifestText } from "../manifests/parse.ts";
import { confine, OutsideRootError } from "../util/confine.ts";
import { mirrorFolder } from "./mirror.ts";

export const KUSTOMIZATION_FILES = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

export function findKustomization(dir: string): string | undefined {
  for (const name of KUSTOMIZATION_FILES) {
    const path = join(dir, name);
    if (existsSync(path)) return path;
  }
  return undefined;
}

/**
 * Whether a kustomization entry names something kustomize would fetch over the network:
 * any `scheme:` (http, HTTP, file, git::, ssh, gh:, oci…), an scp-like `user@host:path`,
 * a `?ref=`-style query, or a host-like first segment (github.com/org/repo) that is not a
 * local path. Case does not matter: kustomize's own parser ignores it.
 */
export function isRemoteReference(ref: string, dir: string): boolean {
  if (/^[a-z][a-z0-9+.-]*:/i.test(ref) && !/^[a-z]:[\\/]/i.test(ref)) return true;
  if (/^[^/]*@[^/]*:/.test(ref)) return true;
  if (/[?&](ref|version|timeout|submodules)=/i.test(ref)) return true;
  const first = ref.split("/")[0] ?? "";
  if (/^[^.][^/]*\.[a-z]{2,}$/i.test(first) && ref.includes("/") && !existsSync(resolve(dir, ref)))
    return true;
  return false;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((s): s is string => typeof s === "string") : [];
// Entries that are either a path or an inline YAML document (kustomize tries both).
const pathsOrInline = (v: unknown): string[] => strings(v).filter((s) => !s.includes("\n"));
const field = (v: unknown, key: string): string[] =>
  isObj(v) && typeof v[key] === "string" ? [v[key] as string] : [];

/**
 * Every file or folder reference of one kustomization, in the fields kustomize resolves:
 * what it builds on (`resources`, `bases`, `components`) and what it reads (patches,
 * generators' files, transformers, replacements, CRDs, configurations, openapi, Helm).
 */
export function kustomizationReferences(doc: Obj): { builds: string[]; reads: string[] } {
  const items = (key: string): unknown[] =>
    Array.isArray(doc[key]) ? (doc[key] as unknown[]) : [];
  const builds = [
    ...strings(doc.resources),
    ...strings(doc.bases),
    ...strings(doc.components),
    ...pathsOrInline(doc.generators),
    ...pathsOrInline(doc.transformers),
    ...pathsOrInline(doc.validators),
  ];
  const generatorFiles = [...items("configMapGenerator"), ...items("secretGenerator")].flatMap(
    (g) =>
      isObj(g)
        ? [
            // `files` entries may be `key=path`.
            ...strings(g.files).map((f) => f.slice(f.indexOf("=") + 1)),
            ...strings(g.envs),
            ...field(g, "env"),
          ]
        : [],
  );
  const helm = items("helmCharts").flatMap((c) => [
    ...field(c, "repo"),
    ...field(c, "valuesFile"),
    ...(isObj(c) ? strings(c.additionalValuesFiles) : []),
  ]);
  const reads = [
    ...items("patches").flatMap((p) => field(p, "path")),
    ...items("patchesJson6902").flatMap((p) => field(p, "path")),
    ...pathsOrInline(doc.patchesStrategicMerge),
    ...items("replacements").flatMap((r) => field(r, "path")),
    ...strings(doc.crds),
    ...strings(doc.configurations),
    ...field(doc.openapi, "path"),
    ...field(doc.helmGlobals, "chartHome"),
    ...field(doc.helmGlobals, "configHome"),
    ...generatorFiles,
    ...helm,
  ];
  return { builds, reads };
}

/** Reads one kustomization file's text as a plain object ({} when it is empty). */
async function parseKustomization(text: string, name: string): Promise<Obj> {
  // `yaml` and its reading of manifests are loaded here, for kustomize units only.
  const { LineCounter, parseAllDocuments } = await import("yaml");
  const { plainValue, syntaxError } = await import("../manifests/parse-yaml.ts");
  const lines = new LineCounter();
  const first = parseAllDocuments(text, { lineCounter: lines, uniqueKeys: true })[0];
  const problem = first && syntaxError(first, name);
  if (problem) throw problem;
  const parsed = (first && plainValue(first, lines, name)) ?? {};
  return isObj(parsed) ? parsed : {};
}

/**
 * Checks the kustomization in `dir` and every local one it builds on: a remote reference
 * (unless allowed) or a path that resolves outside `root` after symlinks is a problem,
 * returned as "file: reference (why)". Nothing is fetched: this runs before kustomize.
 */
export async function checkKustomizationTree(
  dir: string,
  root: string,
  options: { allowRemoteBases?: boolean } = {},
  seen = new Set<string>(),
): Promise<string[]> {
  const file = findKustomization(dir);
  if (!file || seen.has(file)) return [];
  seen.add(file);
  const name = relative(root, file).split(sep).join("/");
  // Read as a manifest is (size, UTF-8, aliases, nesting): a broken kustomization is
  // an error on its own file and line, not an exception.
  const doc = await parseKustomization(await readManifestText(file, name), name);
  return checkKustomization(doc, dir, name, root, options, seen);
}

/** The checks above for one kustomization, read from the file `name` in `dir`. */
async function checkKustomization(
  doc: Obj,
  dir: string,
  name: string,
  root: string,
  options: { allowRemoteBases?: boolean },
  seen: Set<string>,
): Promise<string[]> {
  const { builds, reads } = kustomizationReferences(doc);
  const problems: string[] = [];
  for (const ref of [...builds, ...reads]) {
    if (isRemoteReference(ref, dir)) {
      if (!options.allowRemoteBases) problems.push(`${name}: ${ref} (a remote reference)`);
      continue;
    }
    let real: string;
    try {
      real = await confine(root, resolve(dir, ref), ref);
    } catch (error) {
      if (!(error instanceof OutsideRootError)) throw error;
      problems.push(`${name}: ${ref} (leaves the repository)`);
      continue;
    }
    if (builds.includes(ref) && findKustomization(real)) {
      problems.push(...(await checkKustomizationTree(real, root, options, seen)));
    }
  }
  return problems;
}

function refusal(name: string, problems: string[]): ManifestError {
  return new ManifestError(
    name,
    undefined,
    `refused before building (remote bases are not allowed unless enabled explicitly; paths must stay in the repository): ${problems.join(", ")}`,
  );
}

export interface KustomizeOptions {
  /** The kustomize binary; defaults to `kustomize` on PATH. */
  binary?: string;
  allowRemoteBases?: boolean;
  limits?: Partial<RenderLimits> | undefined;
  /** Let the kustomization load files outside its folder (Flux builds this way). */
  loadRestrictionsNone?: boolean;
}

/**
 * kustomize's environment when remote bases are not allowed: nothing from ours (no
 * tokens), git refuses every transport and HTTP goes to a closed local port. The check
 * above already refused every remote reference; this is the second wall. kustomize's
 * load restrictor stays at its default (LoadRestrictionsRootOnly), except for Flux
 * Kustomizations, which Flux builds with LoadRestrictionsNone: the check above keeps
 * every path in the repository either way.
 */
function offlineEnvironment(): NodeJS.ProcessEnv {
  const closed = "http://127.0.0.1:9";
  return {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: process.env.HOME ?? "/nonexistent",
    GIT_ALLOW_PROTOCOL: "none",
    GIT_TERMINAL_PROMPT: "0",
    HTTP_PROXY: closed,
    HTTPS_PROXY: closed,
    http_proxy: closed,
    https_proxy: closed,
    NO_PROXY: "",
  };
}

/** Runs `kustomize build dir`; source files are the kustomization, relative to `base`. */
export async function kustomizeBuild(
  dir: string,
  base: string,
  options: KustomizeOptions = {},
): Promise<Manifest[]> {
  const kustomization = findKustomization(dir);
  const name = relative(base, kustomization ?? dir)
    .split(sep)
    .join("/");
  const problems = await checkKustomizationTree(dir, base, options);
  if (problems.length > 0) throw refusal(name, problems);
  return runKustomize(dir, name, options);
}

/** A kustomization written for one build, standing in for a folder's own file. */
export interface StandInKustomization {
  /** Its file name: the folder's own kustomization file's, or kustomization.yaml. */
  file: string;
  /** How messages name it; its path in the repository by default. */
  name?: string;
  text: string;
  /** Other files it needs beside it (name → text), written with it. */
  extraFiles?: Record<string, string>;
}

/**
 * Builds `dir` (a real path inside `root`, the real repository path) as if its
 * kustomization file read `kustomization.text`, without writing into `dir`: Flux merges
 * a Kustomization's spec into the path's file in its own copy of the source, and the
 * checkout here is shared. kustomize runs on a mirror of the repository down to `dir`
 * (mirror.ts), so every relative reference resolves as it would in `dir`. The stand-in is
 * checked like a folder's own file first, its references judged from `dir`.
 */
export async function kustomizeBuildInstead(
  dir: string,
  root: string,
  kustomization: StandInKustomization,
  options: KustomizeOptions = {},
): Promise<Manifest[]> {
  const name =
    kustomization.name ?? relative(root, join(dir, kustomization.file)).split(sep).join("/");
  const doc = await parseKustomization(kustomization.text, name);
  const problems = await checkKustomization(doc, dir, name, root, options, new Set());
  if (problems.length > 0) throw refusal(name, problems);
  const mirror = await mirrorFolder(root, dir, {
    ...kustomization.extraFiles,
    [kustomization.file]: kustomization.text,
  });
  try {
    // Files in the mirror are symlinks into the repository, which kustomize's default
    // restrictor refuses; Flux builds with LoadRestrictionsNone anyway, and the check
    // above keeps every path in the repository. Messages name the real folder.
    return await runKustomize(
      mirror.dir,
      name,
      { ...options, loadRestrictionsNone: true },
      (text) => text.replaceAll(mirror.root, root),
    );
  } finally {
    await mirror.remove();
  }
}

/** Runs kustomize on `dir` (already checked); `name` is the objects' source file. */
async function runKustomize(
  dir: string,
  name: string,
  options: KustomizeOptions,
  shown: (message: string) => string = (message) => message,
): Promise<Manifest[]> {
  const limits: RenderLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const output = await new Promise<string>((done, fail) => {
    execFile(
      options.binary ?? "kustomize",
      [
        "build",
        dir,
        ...(options.loadRestrictionsNone ? ["--load-restrictor=LoadRestrictionsNone"] : []),
      ],
      {
        maxBuffer: limits.maxRenderBytes,
        cwd: dirname(dir),
        env: options.allowRemoteBases ? process.env : offlineEnvironment(),
      },
      (error, stdout, stderr) => {
        if (
          error &&
          (error as NodeJS.ErrnoException).code === "ERR_CHILD_PROCESS_STDIO_MAXBUFFER"
        ) {
          fail(
            new ManifestError(
              name,
              undefined,
              `kustomize build output is more than the limit of ${limits.maxRenderBytes} bytes for one render (raise TETHER_MAX_RENDER_SIZE or split the unit)`,
            ),
          );
        } else if (error && (error as NodeJS.ErrnoException).code === "ENOENT") {
          fail(
            new ManifestError(name, undefined, "kustomize is not installed (it must be on PATH)"),
          );
        } else if (error) {
          fail(
            new ManifestError(
              name,
              undefined,
              `kustomize build failed: ${shown(stderr.trim() || error.message)}`,
            ),
          );
        } else done(stdout);
      },
    );
  });
  return (await parseManifests(output, name, { limits })).map((m) => ({
    object: m.object,
    source: { file: name },
  }));
}
