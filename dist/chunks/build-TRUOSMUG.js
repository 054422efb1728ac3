#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  buildahBuildArgs,
  buildahLayoutArgs,
  buildahPushArgs,
  buildahRemoveListArgs,
  buildxArgs,
  chooseBuilder,
  missingPlatforms
} from "./chunk-VMAXBJTR.js";
import {
  copyReferenced,
  decidePromotion,
  layoutSource
} from "./chunk-BAHDLIS7.js";
import "./chunk-LCUR7MG5.js";
import "./chunk-YWFEFF4K.js";
import {
  indexPlatforms,
  isIndexMediaType
} from "./chunk-NZUFSULI.js";
import "./chunk-IE7JZNQV.js";
import "./chunk-F5JPSHJQ.js";
import "./chunk-F7OZ6T2Y.js";
import {
  formatRepository,
  parseRepository
} from "./chunk-ZRNRZWX5.js";
import {
  RefusedError
} from "./chunk-YPJ6XMAN.js";
import "./chunk-6SSSO5LC.js";
import "./chunk-3IQPLNQJ.js";

// action/build/build.ts
const { spawn } = require("node:child_process");
const { randomBytes } = require("node:crypto");
const { mkdtemp, readFile, rm } = require("node:fs/promises");
const { tmpdir } = require("node:os");
const { join } = require("node:path");
function runTool(command, args, log) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
    const tail = [];
    const forward = (chunk) => {
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
          `${command} ${args.slice(0, 4).join(" ")} ... exited ${code}:
${tail.join("\n")}`
        )
      );
    });
  });
}
function succeeds(command, args) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: "ignore", timeout: 15e3 });
    child.on("error", () => resolve(false));
    child.on("close", (code) => resolve(code === 0));
  });
}
async function detectBuilder(requested) {
  const wantBuildx = requested !== "buildah";
  const wantBuildah = requested !== "buildx";
  const buildx = wantBuildx && await succeeds("docker", ["buildx", "version"]) && await succeeds("docker", ["info", "--format", "{{.ServerVersion}}"]);
  const buildah = wantBuildah && await succeeds("buildah", ["--version"]);
  return chooseBuilder(requested, { buildx, buildah });
}
async function build(options, access, log) {
  const image = parseRepository(options.image);
  const [firstTag] = options.tags;
  if (firstTag === void 0) throw new Error("no tags to build");
  const builder = await detectBuilder(options.builder);
  if (builder === "buildah" && (options.provenance || options.sbom)) {
    throw new Error("buildah cannot attach provenance or SBOM attestations: use --builder buildx");
  }
  const authFile = builder === "buildah" ? await access.authFile([image.registry]) : void 0;
  const spec = { ...options, authFile };
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
      const missing2 = missingPlatforms(options.platforms, indexPlatforms(top.json));
      if (missing2.length > 0)
        throw new Error(`the build produced no image for ${missing2.join(", ")}`);
    }
    const result = (pushed) => ({
      image,
      builder,
      digest: top.digest,
      tags: [...options.tags],
      platforms: [...options.platforms],
      pushed,
      ...keepList ? { localList: list } : {},
      requests: access.requests()
    });
    if (!options.push) {
      keepList = builder === "buildah";
      return result(false);
    }
    const client = await access.client(image.registry);
    const repo = formatRepository(image);
    for (const tag of options.tags) {
      const current = await client.headManifest(image.repository, tag);
      const decision = decidePromotion({
        target: repo,
        targetTag: tag,
        sourceDigest: top.digest,
        targetDigest: current?.digest,
        force: true
      });
      if (decision.action === "refuse") throw new RefusedError(decision.reason);
    }
    if (builder === "buildah") {
      const digestFile = join(work, "digest");
      await runTool(
        "buildah",
        buildahPushArgs(list, `${repo}:${firstTag}`, digestFile, {
          insecure: options.insecure,
          authFile
        }),
        log
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
      await runTool("buildah", buildahRemoveListArgs(list), () => {
      }).catch(() => {
      });
    }
    await rm(work, { recursive: true, force: true });
  }
}
export {
  build,
  runTool
};
