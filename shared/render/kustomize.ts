// Builds a Kustomize folder with the upstream `kustomize` binary. Remote bases are
// refused unless allowed: kustomize itself has no switch for that, so the references
// of every local kustomization reached from the folder are checked first.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { LineCounter, parseAllDocuments } from "yaml";
import { DEFAULT_LIMITS, type RenderLimits } from "../manifests/limits.ts";
import type { Manifest } from "../manifests/object.ts";
import {
  ManifestError,
  parseManifests,
  plainValue,
  readManifestText,
  syntaxError,
} from "../manifests/parse.ts";

export const KUSTOMIZATION_FILES = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

export function findKustomization(dir: string): string | undefined {
  for (const name of KUSTOMIZATION_FILES) {
    const path = join(dir, name);
    if (existsSync(path)) return path;
  }
  return undefined;
}

const REMOTE = /^(https?:\/\/|git@|ssh:\/\/|git::|github\.com\/|gitlab\.com\/|bitbucket\.org\/)/;

/** Remote references reachable from the kustomization in `dir`, as "file: reference". */
export async function findRemoteReferences(
  dir: string,
  base: string,
  seen = new Set<string>(),
): Promise<string[]> {
  const file = findKustomization(dir);
  if (!file || seen.has(file)) return [];
  seen.add(file);
  const name = relative(base, file).split(sep).join("/");
  // Read as a manifest is (size, UTF-8, aliases, nesting): a broken kustomization is
  // an error on its own file and line, not an exception.
  const text = await readManifestText(file, name);
  const lines = new LineCounter();
  const first = parseAllDocuments(text, { lineCounter: lines, uniqueKeys: true })[0];
  const problem = first && syntaxError(first, name);
  if (problem) throw problem;
  const doc = ((first && plainValue(first, lines, name)) ?? {}) as Record<string, unknown>;
  const refs = ["resources", "bases", "components"].flatMap((key) =>
    Array.isArray(doc[key])
      ? (doc[key] as unknown[]).filter((r): r is string => typeof r === "string")
      : [],
  );
  const found: string[] = [];
  for (const ref of refs) {
    if (REMOTE.test(ref)) {
      found.push(`${relative(base, file).split(sep).join("/")}: ${ref}`);
      continue;
    }
    const target = resolve(dir, ref);
    if (findKustomization(target)) found.push(...(await findRemoteReferences(target, base, seen)));
  }
  return found;
}

export interface KustomizeOptions {
  /** The kustomize binary; defaults to `kustomize` on PATH. */
  binary?: string;
  allowRemoteBases?: boolean;
  limits?: Partial<RenderLimits> | undefined;
  /** Let the kustomization load files outside its folder (Flux builds this way). */
  loadRestrictionsNone?: boolean;
}

/** Runs `kustomize build dir`; source files are the kustomization, relative to `base`. */
export async function kustomizeBuild(
  dir: string,
  base: string,
  options: KustomizeOptions = {},
): Promise<Manifest[]> {
  const limits: RenderLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const kustomization = findKustomization(dir);
  const name = relative(base, kustomization ?? dir)
    .split(sep)
    .join("/");
  if (!options.allowRemoteBases) {
    const remote = await findRemoteReferences(dir, base);
    if (remote.length > 0) {
      throw new ManifestError(
        name,
        undefined,
        `remote bases are not allowed (enable them explicitly): ${remote.join(", ")}`,
      );
    }
  }
  const output = await new Promise<string>((done, fail) => {
    execFile(
      options.binary ?? "kustomize",
      [
        "build",
        dir,
        ...(options.loadRestrictionsNone ? ["--load-restrictor=LoadRestrictionsNone"] : []),
      ],
      { maxBuffer: limits.maxRenderBytes, cwd: dirname(dir) },
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
              `kustomize build failed: ${stderr.trim() || error.message}`,
            ),
          );
        } else done(stdout);
      },
    );
  });
  return parseManifests(output, name, { limits }).map((m) => ({
    object: m.object,
    source: { file: name },
  }));
}
