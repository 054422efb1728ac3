// `helm template`: what a chart produces with given values, as manifests for
// validation and `tether render`. Each object keeps the template it came from (Helm's
// `# Source:` comment), so a finding in a chart folder points at the template file.
// A HelmRelease's chart goes through its post-renderer (postrender.ts), as the agent
// installs it; kustomize drops the `# Source:` comments, so those objects are named by
// the caller's sourceOf(undefined) (the HelmRelease).
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Manifest } from "../manifests/object.ts";
import { ManifestError, parseManifests } from "../manifests/parse.ts";
import type { PostRenderSpec } from "./postrender.ts";

export interface TemplateOptions {
  /** The helm binary; default `helm` on PATH. */
  binary?: string | undefined;
  releaseName: string;
  namespace: string;
  /** Values over the chart's own values.yaml (which helm always reads). */
  values?: Record<string, unknown> | undefined;
  /** e.g. "1.34": Capabilities.KubeVersion for charts that check it. */
  kubeVersion?: string | undefined;
  /** How sources are named: the chart folder relative to the repository, or a fixed name. */
  sourceOf: (template: string | undefined) => string;
  /** A HelmRelease's post-renderer, run as the agent runs it (kustomize: the binary). */
  postRender?: { spec: PostRenderSpec; kustomize?: string | undefined } | undefined;
}

/** Renders `chart` (a folder or a .tgz); throws ManifestError with Helm's message. */
export async function helmTemplate(chart: string, options: TemplateOptions): Promise<Manifest[]> {
  const dir = await mkdtemp(join(tmpdir(), "tether-helm-template-"));
  try {
    const args = [
      "template",
      options.releaseName,
      chart,
      "--namespace",
      options.namespace,
      "--include-crds",
    ];
    if (options.values && Object.keys(options.values).length > 0) {
      const file = join(dir, "values.json");
      await writeFile(file, JSON.stringify(options.values), { mode: 0o600 });
      args.push("--values", file);
    }
    if (options.kubeVersion) args.push("--kube-version", options.kubeVersion);
    if (options.postRender) {
      // Loaded here: it brings `yaml`, which the agent's render of plain files must not
      // load (test/agent/footprint.test.ts).
      const { postRenderBuild, postRendererFlags, postRenderFolders, writePostRenderFolders } =
        await import("./postrender.ts");
      const folders = postRenderFolders(options.postRender.spec);
      const postRenderDir = join(dir, "post-renderer");
      await writePostRenderFolders(postRenderDir, folders);
      args.push(
        ...postRendererFlags(postRenderBuild(postRenderDir, folders, options.postRender.kustomize)),
      );
    }
    const output = await new Promise<string>((done, fail) => {
      execFile(
        options.binary ?? "helm",
        args,
        {
          maxBuffer: 256 * 1024 * 1024,
          // Helm's caches go to the temporary folder, never to a home folder.
          env: {
            PATH: process.env.PATH,
            HOME: dir,
            HELM_CONFIG_HOME: join(dir, "config"),
            HELM_CACHE_HOME: join(dir, "cache"),
            HELM_DATA_HOME: join(dir, "data"),
          },
        },
        (error, stdout, stderr) => {
          if (error && (error as NodeJS.ErrnoException).code === "ENOENT") {
            fail(
              new ManifestError(
                options.sourceOf(undefined),
                undefined,
                "helm is not installed (it must be on PATH)",
              ),
            );
          } else if (error) {
            const text = (stderr.trim() || error.message).replace(/^Error: /, "");
            fail(
              new ManifestError(
                options.sourceOf(undefined),
                undefined,
                `helm template failed: ${text}`,
              ),
            );
          } else done(stdout);
        },
      );
    });
    return await withTemplateSources(output, options.sourceOf);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Parses helm's output, naming each object by its `# Source:` template. */
export async function withTemplateSources(
  output: string,
  sourceOf: (template: string | undefined) => string,
): Promise<Manifest[]> {
  const lines = output.split("\n");
  // For each line, the template named by the closest `# Source:` comment above it.
  const templateAt: (string | undefined)[] = [];
  let current: string | undefined;
  for (const line of lines) {
    const m = /^# Source: (.+)$/.exec(line);
    if (m) current = m[1]?.trim();
    templateAt.push(current);
  }
  return (await parseManifests(output, "helm template")).map((m) => {
    const template = m.source.line !== undefined ? templateAt[m.source.line - 1] : undefined;
    return { object: m.object, source: { file: sourceOf(template) } };
  });
}
