// The Helm actions as command lines: install, upgrade, rollback, uninstall, and the
// pieces they need on disk (a values file readable only by the agent, deleted after
// use; the kustomizations of the post-renderer, removed once unused for days). Each
// answers the helm output or throws HelmCommandError with Helm's own message.
import { createHash } from "node:crypto";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { buildFolderOnce } from "../../shared/charts/built-folder.ts";
import {
  type PostRenderCommand,
  postRenderBuild,
  postRendererFlags,
  postRenderFolders,
  writePostRenderFolders,
} from "../../shared/charts/postrender.ts";
import type { Values } from "../../shared/charts/values-files.ts";
import { type HelmOptions, runHelm } from "./cli.ts";
import type { ReleaseSpec } from "./spec.ts";

const seconds = (ms: number) => `${Math.max(1, Math.ceil(ms / 1000))}s`;

/** Runs `use(file)` with the values in a 0600 file that is removed afterwards (values hold secrets). */
export async function withValuesFile<T>(
  options: HelmOptions,
  values: Values,
  use: (file: string) => Promise<T>,
): Promise<T> {
  const dir = join(options.stateDir, "values");
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const file = join(
    dir,
    `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.json`,
  );
  await writeFile(file, JSON.stringify(values), { mode: 0o600 });
  try {
    return await use(file);
  } finally {
    await rm(file, { force: true });
  }
}

/**
 * The post-renderer folders are claimed one at a time in this process. A claim marks its
 * folder used, or writes it and then prunes the others, so no prune runs between another
 * release finding its folder and marking it. Helm starts after the mark, and a prune
 * removes only folders unused for days: never one a Helm process of this pass reads.
 */
let claiming: Promise<unknown> = Promise.resolve();

/**
 * Writes the release's kustomizations (shared/charts/postrender.ts, as validate's
 * `helm template` runs them) under the state folder, named by the digest of their
 * content so an unchanged spec reuses them, and answers the command Helm runs on what
 * it rendered: one `kustomize build` reading it on stdin. A folder is
 * written whole under another name and renamed into place, so no run reads half of it
 * (shared/charts/built-folder.ts, as the chart folders). Each use marks the folder used;
 * writing a new one removes those no release used for 7 days (a release that is gone,
 * an old spec, a crashed run's partial folder), so the folder does not grow with every
 * edit.
 */
export async function postRenderCommand(
  options: HelmOptions,
  spec: ReleaseSpec,
  kustomize = "kustomize",
): Promise<PostRenderCommand> {
  const folders = postRenderFolders(spec);
  const hash = createHash("sha256");
  for (const folder of folders)
    for (const [name, text] of Object.entries(folder.files))
      hash.update(`${folder.name}/${name}\0${text}\0`);
  const dir = join(options.stateDir, "post-renderers", hash.digest("hex").slice(0, 16));
  const claim = claiming.then(() =>
    buildFolderOnce(dir, (fresh) => writePostRenderFolders(fresh, folders)),
  );
  claiming = claim.catch(() => undefined);
  await claim;
  return postRenderBuild(dir, folders, kustomize);
}

export interface ActionInput {
  spec: ReleaseSpec;
  chartPath: string;
  valuesFile: string;
  postRenderer?: PostRenderCommand | undefined;
  description: string;
}

/** How long, and for what, an action waits: Helm's `--timeout`, `--wait`, `--wait-for-jobs`. */
function waitArgs(options: {
  timeoutMs: number;
  disableWait: boolean;
  disableWaitForJobs: boolean;
}): string[] {
  return [
    "--timeout",
    seconds(options.timeoutMs),
    ...(options.disableWait ? [] : ["--wait"]),
    // Helm waits for Jobs only while it waits at all (`--wait-for-jobs` needs `--wait`).
    ...(options.disableWait || options.disableWaitForJobs ? [] : ["--wait-for-jobs"]),
  ];
}

/** What install and upgrade both say: the release, its chart, namespace, values, waiting. */
function releaseArgs(
  verb: "install" | "upgrade",
  input: ActionInput,
  options: ReleaseSpec["install"] | ReleaseSpec["upgrade"],
): { head: string[]; tail: string[] } {
  const { spec } = input;
  return {
    head: [
      verb,
      spec.releaseName,
      input.chartPath,
      "--namespace",
      spec.releaseNamespace,
      "--values",
      input.valuesFile,
      ...waitArgs(options),
    ],
    tail: [
      "--description",
      input.description,
      ...(options.disableHooks ? ["--no-hooks"] : []),
      // Flux adopts objects that exist already without Helm's labels (made by hand, or
      // by another tool) instead of failing with "cannot be imported".
      ...(options.disableTakeOwnership ? [] : ["--take-ownership"]),
      ...postRendererFlags(input.postRenderer),
    ],
  };
}

export function installArgs(input: ActionInput): string[] {
  const { install } = input.spec;
  const { head, tail } = releaseArgs("install", input, install);
  return [
    ...head,
    ...tail,
    ...(install.createNamespace ? ["--create-namespace"] : []),
    ...(install.replace ? ["--replace"] : []),
    // Helm creates missing CRDs itself (Create); with CreateReplace Tether has applied
    // them before the install, existing ones updated, which Helm would leave alone.
    ...(install.crds === "Skip" || install.crds === "CreateReplace" ? ["--skip-crds"] : []),
  ];
}

export function upgradeArgs(input: ActionInput): string[] {
  const { spec } = input;
  const { head, tail } = releaseArgs("upgrade", input, spec.upgrade);
  return [
    ...head,
    // The values are the HelmRelease's, never the ones stored with the last revision,
    // unless preserveValues asks to keep those and merge the HelmRelease's over them.
    spec.upgrade.preserveValues ? "--reuse-values" : "--reset-values",
    "--history-max",
    String(spec.maxHistory),
    ...tail,
    ...(spec.upgrade.force ? ["--force"] : []),
    ...(spec.upgrade.cleanupOnFail ? ["--cleanup-on-fail"] : []),
  ];
}

/** `helm rollback` with spec.rollback's options, to `revision` (the previous one if none). */
export function rollbackArgs(spec: ReleaseSpec, revision?: number): string[] {
  const { rollback } = spec;
  return [
    "rollback",
    spec.releaseName,
    ...(revision ? [String(revision)] : []),
    "--namespace",
    spec.releaseNamespace,
    ...waitArgs(rollback),
    "--history-max",
    String(spec.maxHistory),
    ...(rollback.disableHooks ? ["--no-hooks"] : []),
    ...(rollback.recreate ? ["--recreate-pods"] : []),
    ...(rollback.force ? ["--force"] : []),
    ...(rollback.cleanupOnFail ? ["--cleanup-on-fail"] : []),
  ];
}

export function rollback(
  options: HelmOptions,
  spec: ReleaseSpec,
  revision?: number,
): Promise<string> {
  // A minute past Helm's own timeout: Helm reports its timeout itself, this only ends a hang.
  return runHelm(options, rollbackArgs(spec, revision), {
    timeoutMs: spec.rollback.timeoutMs + 60_000,
  });
}

export async function uninstall(
  options: HelmOptions,
  release: { name: string; namespace: string },
  spec?: ReleaseSpec["uninstall"],
  timeoutMs = 300_000,
): Promise<"uninstalled" | "absent"> {
  try {
    await runHelm(options, [
      "uninstall",
      release.name,
      "--namespace",
      release.namespace,
      "--timeout",
      seconds(timeoutMs),
      "--cascade",
      spec?.deletionPropagation ?? "background",
      ...(spec?.keepHistory ? ["--keep-history"] : []),
      ...(spec?.disableHooks ? ["--no-hooks"] : []),
      ...(spec?.disableWait === false ? ["--wait"] : []),
    ]);
    return "uninstalled";
  } catch (error) {
    if (/not found/i.test((error as Error).message)) return "absent";
    throw error;
  }
}
