// `tether image tags|build|promote`: read the options, resolve defaults from the GitHub
// Actions environment, call tags.ts / build.ts / promote.ts, report. Results go to
// stdout (the digest on the last line), progress and errors to stderr, and, when
// GITHUB_OUTPUT is set, the step outputs `tags`, `digest`, `image` and `timestamp`.
// Exit codes (shared/command.ts): 0 done, 1 failed, 2 refused (a tag would move;
// nothing was changed) or a usage error.
import { type Command, Option } from "commander";
import { type CommandIo, lines, type Outcome, runner } from "../../shared/command.ts";
import { formatRepository } from "../../shared/registry/reference.ts";
import {
  type BuilderChoice,
  type CacheChoice,
  checkTags,
  ociLabels,
  parsePlatforms,
  rfc3339,
  sourceUrl,
  timestampFromTags,
} from "./build-plan.ts";
import { resolveSha, resolveTimestamp } from "./context.ts";
import type { Access } from "./registry-access.ts";
import { computeTags, parseTimestamp } from "./tags.ts";

// The registry client (and docker-registry-client under it) loads when a command runs;
// so does @actions/core, for the step outputs.
const registry = () => import("./registry-access.ts");
const writeOutputs = async (values: Record<string, string>) =>
  (await import("../outputs.ts")).writeOutputs(values);

/** Runs `body` with the registries reached as the flags say; then closes the clients. */
async function withAccess(
  flags: { insecureRegistry: boolean; image: string },
  body: (access: Access) => Promise<void>,
): Promise<void> {
  const access = (await registry()).imageCommandAccess({
    insecure: flags.insecureRegistry,
    image: flags.image,
  });
  try {
    await body(access);
  } finally {
    await access.close();
  }
}

const collect = (value: string, previous: string[]) => [...previous, value];

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`"${value}" is not a positive whole number`);
  return n;
}

interface TagFlags {
  env?: string;
  sha?: string;
  shaLength: number;
  timestamp?: string;
  tag: string[];
}

async function resolveTagInputs(
  flags: TagFlags,
  explicitOnly: boolean,
  err: (line: string) => void,
) {
  const sha = await resolveSha(flags.sha);
  const flagDate = flags.timestamp === undefined ? undefined : parseTimestamp(flags.timestamp);
  const fromTags = explicitOnly ? timestampFromTags(flags.tag, flagDate) : flagDate;
  const resolved = fromTags
    ? { date: fromTags, source: "flag" as const }
    : await resolveTimestamp(undefined, sha);
  if (resolved.source === "now") {
    err(
      "warning: no --timestamp and no commit time for the SHA; using the current time, which differs between jobs of one run",
    );
  }
  const tags = explicitOnly
    ? checkTags(flags.tag)
    : computeTags({
        timestamp: resolved.date,
        env: flags.env,
        sha,
        shaLength: flags.shaLength,
        extra: flags.tag,
      });
  return { sha, timestamp: resolved.date, tags };
}

function addTagOptions(command: Command, tagHelp: string): Command {
  return command
    .option("--env <env>", "environment name: adds the <env>-<sha> tag (e.g. dev, stg, prd)")
    .option(
      "--sha <sha>",
      "commit SHA for <env>-<sha> and the revision label (default: the PR head SHA on pull_request events, else GITHUB_SHA)",
    )
    .option("--sha-length <n>", "characters of the SHA in <env>-<sha> (40 = full)", positiveInt, 7)
    .option(
      "--timestamp <time>",
      "release time: ISO 8601 with a zone, Unix seconds or a RELEASE tag (default: the SHA's committer time, else now)",
    )
    .option("--tag <tag>", tagHelp, collect, []);
}

export function registerImageCommands(program: Command): void {
  const image = program
    .command("image")
    .description(
      "build multi-arch images with release and environment tags, and promote them by digest",
    );
  declareTags(image).action(runner(imageTags));
  declareBuild(image).action(runner(imageBuild));
  declarePromote(image).action(runner(imagePromote));
  declareMerge(image).action(runner(imageMerge));
}

function declareTags(image: Command): Command {
  return addTagOptions(
    image
      .command("tags")
      .description("print the tags a build pushes, one per line, the RELEASE tag first"),
    "an extra tag (repeatable)",
  );
}

/** `tether image tags`: the tags a build would push, one per line. */
async function imageTags(io: CommandIo, flags: TagFlags): Promise<Outcome> {
  const { out, err } = lines(io);
  const { tags, timestamp } = await resolveTagInputs(flags, false, err);
  for (const tag of tags) out(tag);
  await writeOutputs({ tags: tags.join("\n"), timestamp: rfc3339(timestamp) });
  return "success";
}

function declareBuild(image: Command): Command {
  return addTagOptions(
    image
      .command("build")
      .description(
        "build a multi-platform image (arm64 first) and with --push push it; prints the digest on the last line",
      )
      .requiredOption("--image <repo>", "repository to push to, e.g. ghcr.io/owner/app (no tag)")
      .requiredOption("--context <dir>", "build context directory")
      .option("--file <file>", "Containerfile or Dockerfile (default: the one in the context)")
      .option("--platform <list>", "comma-separated platforms", "linux/arm64")
      .addOption(
        new Option("--builder <builder>", "image builder")
          .choices(["auto", "buildx", "buildah"])
          .default("auto"),
      )
      .option("--build-arg <arg>", "KEY=VALUE build argument (repeatable)", collect, [])
      .option("--target <stage>", "build stage to stop at")
      .option("--label <label>", "extra KEY=VALUE image label (repeatable)", collect, [])
      .option(
        "--source <url>",
        "org.opencontainers.image.source (default: GITHUB_SERVER_URL/GITHUB_REPOSITORY)",
      )
      .option("--push", "push to the registry and verify what it serves", false)
      .addOption(
        new Option("--cache <kind>", "build cache; an export failure does not fail the build")
          .choices(["none", "gha", "registry"])
          .default("none"),
      )
      .option(
        "--cache-ref <ref>",
        "with --cache registry: the cache image, e.g. ghcr.io/owner/app:buildcache",
      )
      .option(
        "--provenance",
        "attach a provenance attestation (buildx; off so the index lists only platforms)",
        false,
      )
      .option("--sbom", "attach an SBOM attestation (buildx)", false)
      .option("--insecure-registry", "the registry speaks plain HTTP", false)
      .option("--verbose", "print timings and the number of registry requests", false),
    "tag to push (repeatable; default: the computed RELEASE and <env>-<sha> tags)",
  );
}

/** `tether image build`: build (and push) one multi-platform image; the digest last. */
async function imageBuild(io: CommandIo, flags: BuildFlags): Promise<Outcome> {
  const { out, err } = lines(io);
  const started = Date.now();
  const explicit = flags.tag.length > 0;
  if (explicit && flags.env) {
    // --tag means "exactly these tags"; an --env tag on top would be a guess.
    throw new Error("give either --tag (the exact tags) or --env (computed tags), not both");
  }
  const { sha, timestamp, tags } = await resolveTagInputs(flags, explicit, err);
  const platforms = parsePlatforms(flags.platform);
  const labels = ociLabels({
    created: timestamp,
    revision: sha,
    source: flags.source ?? sourceUrl(process.env),
    extra: flags.label,
  });
  await withAccess(flags, async (access) => {
    const { build } = await import("./build.ts");
    const result = await build(
      {
        image: flags.image,
        context: flags.context,
        file: flags.file,
        platforms,
        tags,
        builder: flags.builder,
        push: flags.push,
        insecure: flags.insecureRegistry,
        labels,
        buildArgs: flags.buildArg,
        target: flags.target,
        timestamp,
        cache: flags.cache,
        cacheRef: flags.cacheRef,
        provenance: flags.provenance,
        sbom: flags.sbom,
      },
      access,
      err,
    );
    const repo = formatRepository(result.image);
    if (flags.verbose) {
      err(
        `built with ${result.builder} in ${((Date.now() - started) / 1000).toFixed(1)}s; registry requests: ${result.requests}`,
      );
    }
    if (result.localList)
      err(`not pushed; the manifest list is ${result.localList} in buildah's storage`);
    if (result.pushed) for (const tag of result.tags) out(`${repo}:${tag}`);
    await writeOutputs({
      tags: result.tags.join("\n"),
      digest: result.digest,
      image: `${repo}@${result.digest}`,
      timestamp: rfc3339(timestamp),
    });
    out(result.digest);
  });
  return "success";
}

function declarePromote(image: Command): Command {
  return image
    .command("promote")
    .description(
      "give an existing image another tag by digest (no rebuild, no layer pulls); exits 0 when the tag names the source digest",
    )
    .requiredOption("--image <repo>", "source repository, e.g. ghcr.io/owner/app")
    .requiredOption("--from <tag>", "source tag or digest")
    .requiredOption("--to-tag <tag>", "target tag")
    .option(
      "--to-image <repo>",
      "target repository (default: --image); blobs are mounted when on the same registry",
    )
    .option(
      "--force",
      "move the target tag if it names another digest (never a RELEASE.* tag)",
      false,
    )
    .option("--insecure-registry", "the registries speak plain HTTP", false)
    .option(
      "--verbose",
      "print what was copied, the time and the number of registry requests",
      false,
    );
}

/** `tether image promote`: another tag for an existing image, by digest. */
async function imagePromote(io: CommandIo, flags: PromoteFlags): Promise<Outcome> {
  const { out, err } = lines(io);
  const started = Date.now();
  await withAccess(flags, async (access) => {
    const { promote } = await import("./promote.ts");
    const result = await promote(
      {
        image: flags.image,
        from: flags.from,
        toTag: flags.toTag,
        toImage: flags.toImage,
        force: flags.force,
      },
      access,
    );
    const target = formatRepository(result.target);
    if (flags.verbose) {
      const s = result.stats;
      err(
        `${result.outcome} ${target}:${flags.toTag}: ${s.manifests} manifests copied, ${s.mounted} blobs mounted, ${s.uploaded} uploaded, ${s.present} already present; ${((Date.now() - started) / 1000).toFixed(2)}s; registry requests: ${result.requests}`,
      );
    }
    await writeOutputs({
      tags: flags.toTag,
      digest: result.digest,
      image: `${target}@${result.digest}`,
    });
    out(`${target}:${flags.toTag}`);
    out(result.digest);
  });
  return "success";
}

function declareMerge(image: Command): Command {
  return image
    .command("merge")
    .description(
      "merge single-platform images pushed by digest (one per native runner) into one index under the given tags; prints its digest last",
    )
    .requiredOption("--image <repo>", "repository holding the images, e.g. ghcr.io/owner/app")
    .requiredOption(
      "--digest <digest>",
      "an image to include, by digest or tag, arm64 first (repeatable)",
      collect,
      [],
    )
    .requiredOption("--tag <tag>", "tag to give the index (repeatable)", collect, [])
    .option("--force", "move a tag that names another digest (never a RELEASE.* tag)", false)
    .option("--insecure-registry", "the registry speaks plain HTTP", false);
}

/** `tether image merge`: single-platform images into one index under the given tags. */
async function imageMerge(io: CommandIo, flags: MergeFlags): Promise<Outcome> {
  const { out, err } = lines(io);
  await withAccess(flags, async (access) => {
    const { merge } = await import("./merge.ts");
    const result = await merge(
      { image: flags.image, digests: flags.digest, tags: flags.tag, force: flags.force },
      access,
    );
    err(
      `merged ${result.platforms.join(", ")} into ${result.image}@${result.digest} (${result.requests} registry requests)`,
    );
    await writeOutputs({
      tags: flags.tag.join("\n"),
      digest: result.digest,
      image: `${result.image}@${result.digest}`,
      timestamp: (() => {
        const t = timestampFromTags(flags.tag, undefined);
        return t ? rfc3339(t) : "";
      })(),
    });
    out(result.digest);
  });
  return "success";
}

interface MergeFlags {
  image: string;
  digest: string[];
  tag: string[];
  force: boolean;
  insecureRegistry: boolean;
}

interface BuildFlags extends TagFlags {
  image: string;
  context: string;
  file?: string;
  platform: string;
  builder: BuilderChoice;
  buildArg: string[];
  target?: string;
  label: string[];
  source?: string;
  push: boolean;
  insecureRegistry: boolean;
  verbose: boolean;
  cache: CacheChoice;
  cacheRef?: string;
  provenance: boolean;
  sbom: boolean;
}

interface PromoteFlags {
  image: string;
  from: string;
  toTag: string;
  toImage?: string;
  force: boolean;
  insecureRegistry: boolean;
  verbose: boolean;
}
