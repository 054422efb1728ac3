// `tether image build`: build a multi-platform image with buildah or docker buildx, and
// with --push put it in the registry under every tag, then check what the registry
// holds. The builder first writes an OCI layout, so the digest is known before anything
// is pushed: a RELEASE tag that already names other content stops the push untouched.
// buildah pushes its manifest list itself (`buildah manifest push --all`); buildx's
// layout is pushed with Tether's registry client. Further tags are written through the
// registry API, and every tag is read back.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RefusedError } from "../../shared/command.ts";
import { copyReferenced, layoutSource } from "../../shared/registry/copy.ts";
import { indexPlatforms, isIndexMediaType } from "../../shared/registry/manifest.ts";
import {
  formatRepository,
  parseRepository,
  type Repository,
} from "../../shared/registry/reference.ts";
import {
  type Builder,
  type BuilderChoice,
  type BuildSpec,
  buildahBuildArgs,
  buildahLayoutArgs,
  buildahPushArgs,
  buildahRemoveListArgs,
  buildxArgs,
  chooseBuilder,
  missingPlatforms,
} from "./build-plan.ts";
import { decidePromotion } from "./promote.ts";
import type { Access } from "./registry-access.ts";

export interface BuildOptions extends Omit<BuildSpec, "authFile"> {
  image: string;
  tags: readonly string[];
  builder: BuilderChoice;
  push: boolean;
}

export interface BuildResult {
  image: Repository;
  builder: Builder;
  digest: string;
  tags: string[];
  platforms: string[];
  pushed: boolean;
  /** The local manifest list (buildah, without --push), to push later. */
  localList?: string;
  requests: number;
}

type Log = (line: string) => void;

/** Runs a tool; its output goes to `log` line by line (stdout stays the command's own). */
export function runTool(command: string, args: readonly string[], log: Log): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
    const tail: string[] = [];
    const forward = (chunk: Buffer) => {
      for (const line of chunk.toString("utf8").split(/\r?\n/)) {
        if (line === "") continue;
        log(line);
        tail.push(line);
        if (tail.length > 20) tail.shift();
      }
    };
    child.stdout.on("data", forward);
    child.stderr.on("data", forward);
    child.on("error", (error) => reject(new Error(`${command}: ${error.message}`)));
    child.on("close", (code) => {
      if (code === 0) return resolve();
      reject(
        new Error(
          `${command} ${args.slice(0, 4).join(" ")} ... exited ${code}:\n${tail.join("\n")}`,
        ),
      );
    });
  });
}

function succeeds(command: string, args: string[]): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: "ignore", timeout: 15_000 });
    child.on("error", () => resolve(false));
    child.on("close", (code) => resolve(code === 0));
  });
}

async function detectBuilder(requested: BuilderChoice): Promise<Builder> {
  const wantBuildx = requested !== "buildah";
  const wantBuildah = requested !== "buildx";
  // buildx needs the plugin and a reachable engine; a bare docker CLI has neither.
  const buildx =
    wantBuildx &&
    (await succeeds("docker", ["buildx", "version"])) &&
    (await succeeds("docker", ["info", "--format", "{{.ServerVersion}}"]));
  const buildah = wantBuildah && (await succeeds("buildah", ["--version"]));
  return chooseBuilder(requested, { buildx, buildah });
}

export async function build(options: BuildOptions, access: Access, log: Log): Promise<BuildResult> {
  const image = parseRepository(options.image);
  const [firstTag] = options.tags;
  if (firstTag === undefined) throw new Error("no tags to build");
  const builder = await detectBuilder(options.builder);
  if (builder === "buildah" && (options.provenance || options.sbom)) {
    throw new Error("buildah cannot attach provenance or SBOM attestations: use --builder buildx");
  }
  // Also for pulls of base images from a private registry, push or not.
  const authFile = builder === "buildah" ? await access.authFile([image.registry]) : undefined;
  const spec: BuildSpec = { ...options, authFile };
  const work = await mkdtemp(join(tmpdir(), "tether-build-"));
  const layoutDir = join(work, "layout");
  const list = `localhost/tether-build-${randomBytes(6).toString("hex")}`;
  let keepList = false;
  try {
    log(`building ${formatRepository(image)} for ${options.platforms.join(", ")} with ${builder}`);
    if (builder === "buildah") {
      for (const platform of options.platforms) {
        await runTool("buildah", buildahBuildArgs(spec, list, platform), log);
      }
      await runTool("buildah", buildahLayoutArgs(list, layoutDir), log);
    } else {
      await runTool("docker", buildxArgs(spec, layoutDir), log);
    }
    const layout = await layoutSource(layoutDir);
    const top = layout.top;
    if (isIndexMediaType(top.mediaType)) {
      const missing = missingPlatforms(options.platforms, indexPlatforms(top.json));
      if (missing.length > 0)
        throw new Error(`the build produced no image for ${missing.join(", ")}`);
    }
    const result = (pushed: boolean): BuildResult => ({
      image,
      builder,
      digest: top.digest,
      tags: [...options.tags],
      platforms: [...options.platforms],
      pushed,
      ...(keepList ? { localList: list } : {}),
      requests: access.requests(),
    });
    if (!options.push) {
      keepList = builder === "buildah";
      return result(false);
    }

    const client = await access.client(image.registry);
    const repo = formatRepository(image);
    // Before anything is pushed: RELEASE tags never move; environment tags may.
    for (const tag of options.tags) {
      const current = await client.headManifest(image.repository, tag);
      const decision = decidePromotion({
        target: repo,
        targetTag: tag,
        sourceDigest: top.digest,
        targetDigest: current?.digest,
        force: true,
      });
      if (decision.action === "refuse") throw new RefusedError(decision.reason);
    }
    if (builder === "buildah") {
      const digestFile = join(work, "digest");
      await runTool(
        "buildah",
        buildahPushArgs(list, `${repo}:${firstTag}`, digestFile, {
          insecure: options.insecure,
          authFile,
        }),
        log,
      );
      const pushed = (await readFile(digestFile, "utf8")).trim();
      if (pushed !== top.digest) {
        throw new Error(`buildah pushed ${pushed}, but the layout it wrote says ${top.digest}`);
      }
    } else {
      await copyReferenced(layout, { client, repository: image.repository }, top);
      await client.putManifest(image.repository, firstTag, top.bytes, top.mediaType);
    }
    for (const tag of options.tags.slice(1)) {
      await client.putManifest(image.repository, tag, top.bytes, top.mediaType);
    }
    // Read back what the registry now serves: every tag names the digest, and the index
    // holds every platform asked for.
    for (const tag of options.tags) {
      const head = await client.headManifest(image.repository, tag);
      if (head?.digest !== top.digest) {
        throw new Error(`${repo}:${tag} points at ${head?.digest ?? "nothing"}, not ${top.digest}`);
      }
    }
    const served = await client.getManifest(image.repository, top.digest);
    const missing = missingPlatforms(options.platforms, indexPlatforms(served.json));
    if (isIndexMediaType(served.mediaType) && missing.length > 0) {
      throw new Error(`${repo}@${top.digest} lacks ${missing.join(", ")}`);
    }
    return result(true);
  } finally {
    if (builder === "buildah" && !keepList) {
      await runTool("buildah", buildahRemoveListArgs(list), () => {}).catch(() => {});
    }
    await rm(work, { recursive: true, force: true });
  }
}
