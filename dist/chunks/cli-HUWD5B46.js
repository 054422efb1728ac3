#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  checkTags,
  ociLabels,
  parsePlatforms,
  rfc3339,
  sourceUrl,
  timestampFromTags
} from "./chunk-VMAXBJTR.js";
import {
  cell,
  codeCell,
  formatGithub
} from "./chunk-EI4E6FNW.js";
import {
  FORMATS,
  configFromFlags,
  defaultChartCache,
  expandHelmReleases,
  parseChangedFiles,
  parseFailOn,
  parseFormat
} from "./chunk-PORQVWGD.js";
import {
  describeEntry,
  describePosition,
  groupMessages,
  isResource,
  outcomeOf,
  ruleId
} from "./chunk-PW6NO3M2.js";
import {
  GIT_SECRET,
  defaultImage
} from "./chunk-I5SLTBKL.js";
import {
  MARKER_KEY,
  commentTokens,
  editable,
  listManifestFiles,
  mapAt,
  markerAfter,
  parseImagePolicy,
  parseMarker,
  parseYaml,
  readImageConfig,
  scalarText,
  selectTag
} from "./chunk-WWSGKDWH.js";
import {
  Option,
  baseProgram,
  printTable,
  registerAgentCommands,
  withClient
} from "./chunk-64PWHBCD.js";
import "./chunk-QAERNIXE.js";
import {
  REQUESTED_AT,
  SUSPEND,
  parseTarget,
  reconcilePatch,
  suspendPatch
} from "./chunk-T6QXN7BO.js";
import "./chunk-CVK26UKQ.js";
import {
  computeTags,
  parseTimestamp
} from "./chunk-LCUR7MG5.js";
import {
  buildKustomization,
  resolveVars,
  specOf
} from "./chunk-JP7YPOJ3.js";
import "./chunk-YUK5ZNS5.js";
import {
  renderPath
} from "./chunk-MQEAY646.js";
import "./chunk-3GQA4N5P.js";
import "./chunk-I4VL4257.js";
import {
  recordOf
} from "./chunk-IN6JXKYM.js";
import "./chunk-V3OBHZW3.js";
import "./chunk-VQR37QBH.js";
import {
  pullRequestSettings,
  resolvePullRequest
} from "./chunk-KVNOYAYJ.js";
import "./chunk-GU5OC4EN.js";
import "./chunk-NZUFSULI.js";
import "./chunk-F6H36ORJ.js";
import "./chunk-AMVUJONU.js";
import "./chunk-XLD4VZZ5.js";
import "./chunk-NOP66P3V.js";
import "./chunk-GJG7ON5F.js";
import "./chunk-3HMT455R.js";
import "./chunk-F7OZ6T2Y.js";
import "./chunk-RFGLCAPQ.js";
import {
  formatRepository,
  isDigest,
  isValidTag,
  parseImageReference
} from "./chunk-ZRNRZWX5.js";
import "./chunk-O62GKC6U.js";
import "./chunk-GE6VTMTN.js";
import "./chunk-ASGSV6PC.js";
import "./chunk-E74EIW4E.js";
import {
  credentialsFrom,
  sameRepository,
  withoutUrlCredentials
} from "./chunk-XB2UJ6TZ.js";
import "./chunk-DGWWLFJ6.js";
import "./chunk-3QINMYF6.js";
import {
  isHelmRelease
} from "./chunk-G2PVCOPF.js";
import {
  redactSecrets,
  redactUrl
} from "./chunk-KVDOGNFO.js";
import {
  parseDuration
} from "./chunk-OENG63DF.js";
import {
  RefusedError,
  UsageError,
  lines,
  runner
} from "./chunk-YPJ6XMAN.js";
import "./chunk-XVXAFQO7.js";
import "./chunk-D4VEYYO7.js";
import "./chunk-RJ6COGY3.js";
import {
  isKustomization
} from "./chunk-WOA5VQJZ.js";
import {
  AGENT_NAMESPACE,
  PRUNE_ANNOTATIONS
} from "./chunk-75EKFM34.js";
import "./chunk-EMBC4T2D.js";
import "./chunk-C4RKCN44.js";
import "./chunk-BWGGLMG3.js";
import {
  SetterError
} from "./chunk-DYND6O65.js";
import "./chunk-6SSSO5LC.js";
import "./chunk-7MDKH37L.js";
import "./chunk-ZIEZ6URX.js";
import "./chunk-XH5JYCWA.js";
import {
  KubeApiError
} from "./chunk-OMIHXC2B.js";
import {
  groupOf,
  refKey,
  refOf
} from "./chunk-Z62KHOJY.js";
import "./chunk-3R7UN4UR.js";
import "./chunk-UOZOTW6C.js";
import "./chunk-K4EN55PN.js";
import "./chunk-OTIGXPIO.js";
import "./chunk-XRGQOWGB.js";
import {
  require_dist
} from "./chunk-HPGUIRHG.js";
import "./chunk-PFUBHAN2.js";
import "./chunk-SGKLXC2P.js";
import {
  __toESM
} from "./chunk-3IQPLNQJ.js";

// action/build/context.ts
const { execFile } = require("node:child_process");
const { readFile } = require("node:fs/promises");
function pullRequestHeadSha(eventName, event) {
  if (!eventName?.startsWith("pull_request")) return void 0;
  const sha = event?.pull_request?.head?.sha;
  return typeof sha === "string" && sha !== "" ? sha : void 0;
}
async function resolveSha(flag, env = process.env) {
  if (flag) return flag;
  if (env.GITHUB_EVENT_PATH && env.GITHUB_EVENT_NAME?.startsWith("pull_request")) {
    try {
      const event = JSON.parse(await readFile(env.GITHUB_EVENT_PATH, "utf8"));
      const head = pullRequestHeadSha(env.GITHUB_EVENT_NAME, event);
      if (head) return head;
    } catch {
    }
  }
  return env.GITHUB_SHA || void 0;
}
function committerTime(sha, cwd) {
  return new Promise((resolve5) => {
    execFile(
      "git",
      ["show", "-s", "--format=%ct", sha, "--"],
      { cwd, timeout: 1e4 },
      (error, stdout) => {
        const seconds = Number(stdout.trim());
        resolve5(
          error || !Number.isFinite(seconds) || seconds <= 0 ? void 0 : new Date(seconds * 1e3)
        );
      }
    );
  });
}
async function resolveTimestamp(flag, sha, options = {}) {
  if (flag) return { date: parseTimestamp(flag), source: "flag" };
  if (sha) {
    const date = await committerTime(sha, options.cwd ?? process.cwd());
    if (date) return { date, source: "commit" };
  }
  return { date: (options.now ?? (() => /* @__PURE__ */ new Date()))(), source: "now" };
}

// action/build/commands.ts
var registry = () => import("./registry-access-N3YYM2DN.js");
var writeOutputs = async (values) => (await import("./outputs-A33TONJX.js")).writeOutputs(values);
async function withAccess(flags, body) {
  const access = (await registry()).imageCommandAccess({
    insecure: flags.insecureRegistry,
    image: flags.image
  });
  try {
    await body(access);
  } finally {
    await access.close();
  }
}
var collect = (value, previous) => [...previous, value];
function positiveInt(value) {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`"${value}" is not a positive whole number`);
  return n;
}
async function resolveTagInputs(flags, explicitOnly, err) {
  const sha = await resolveSha(flags.sha);
  const flagDate = flags.timestamp === void 0 ? void 0 : parseTimestamp(flags.timestamp);
  const fromTags = explicitOnly ? timestampFromTags(flags.tag, flagDate) : flagDate;
  const resolved = fromTags ? { date: fromTags, source: "flag" } : await resolveTimestamp(void 0, sha);
  if (resolved.source === "now") {
    err(
      "warning: no --timestamp and no commit time for the SHA; using the current time, which differs between jobs of one run"
    );
  }
  const tags = explicitOnly ? checkTags(flags.tag) : computeTags({
    timestamp: resolved.date,
    env: flags.env,
    sha,
    shaLength: flags.shaLength,
    extra: flags.tag
  });
  return { sha, timestamp: resolved.date, tags };
}
function addTagOptions(command, tagHelp) {
  return command.option("--env <env>", "environment name: adds the <env>-<sha> tag (e.g. dev, stg, prd)").option(
    "--sha <sha>",
    "commit SHA for <env>-<sha> and the revision label (default: the PR head SHA on pull_request events, else GITHUB_SHA)"
  ).option("--sha-length <n>", "characters of the SHA in <env>-<sha> (40 = full)", positiveInt, 7).option(
    "--timestamp <time>",
    "release time: ISO 8601 with a zone, Unix seconds or a RELEASE tag (default: the SHA's committer time, else now)"
  ).option("--tag <tag>", tagHelp, collect, []);
}
function registerImageCommands(program) {
  const image = program.command("image").description(
    "build multi-arch images with release and environment tags, and promote them by digest"
  );
  declareTags(image).action(runner(imageTags));
  declareBuild(image).action(runner(imageBuild));
  declarePromote(image).action(runner(imagePromote));
  declareMerge(image).action(runner(imageMerge));
}
function declareTags(image) {
  return addTagOptions(
    image.command("tags").description("print the tags a build pushes, one per line, the RELEASE tag first"),
    "an extra tag (repeatable)"
  );
}
async function imageTags(io, flags) {
  const { out, err } = lines(io);
  const { tags, timestamp } = await resolveTagInputs(flags, false, err);
  for (const tag of tags) out(tag);
  await writeOutputs({ tags: tags.join("\n"), timestamp: rfc3339(timestamp) });
  return "success";
}
function declareBuild(image) {
  return addTagOptions(
    image.command("build").description(
      "build a multi-platform image (arm64 first) and with --push push it; prints the digest on the last line"
    ).requiredOption("--image <repo>", "repository to push to, e.g. ghcr.io/owner/app (no tag)").requiredOption("--context <dir>", "build context directory").option("--file <file>", "Containerfile or Dockerfile (default: the one in the context)").option("--platform <list>", "comma-separated platforms", "linux/arm64").addOption(
      new Option("--builder <builder>", "image builder").choices(["auto", "buildx", "buildah"]).default("auto")
    ).option("--build-arg <arg>", "KEY=VALUE build argument (repeatable)", collect, []).option("--target <stage>", "build stage to stop at").option("--label <label>", "extra KEY=VALUE image label (repeatable)", collect, []).option(
      "--source <url>",
      "org.opencontainers.image.source (default: GITHUB_SERVER_URL/GITHUB_REPOSITORY)"
    ).option("--push", "push to the registry and verify what it serves", false).addOption(
      new Option("--cache <kind>", "build cache; an export failure does not fail the build").choices(["none", "gha", "registry"]).default("none")
    ).option(
      "--cache-ref <ref>",
      "with --cache registry: the cache image, e.g. ghcr.io/owner/app:buildcache"
    ).option(
      "--provenance",
      "attach a provenance attestation (buildx; off so the index lists only platforms)",
      false
    ).option("--sbom", "attach an SBOM attestation (buildx)", false).option("--insecure-registry", "the registry speaks plain HTTP", false).option("--verbose", "print timings and the number of registry requests", false),
    "tag to push (repeatable; default: the computed RELEASE and <env>-<sha> tags)"
  );
}
async function imageBuild(io, flags) {
  const { out, err } = lines(io);
  const started = Date.now();
  const explicit = flags.tag.length > 0;
  if (explicit && flags.env) {
    throw new Error("give either --tag (the exact tags) or --env (computed tags), not both");
  }
  const { sha, timestamp, tags } = await resolveTagInputs(flags, explicit, err);
  const platforms = parsePlatforms(flags.platform);
  const labels = ociLabels({
    created: timestamp,
    revision: sha,
    source: flags.source ?? sourceUrl(process.env),
    extra: flags.label
  });
  await withAccess(flags, async (access) => {
    const { build } = await import("./build-TRUOSMUG.js");
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
        sbom: flags.sbom
      },
      access,
      err
    );
    const repo = formatRepository(result.image);
    if (flags.verbose) {
      err(
        `built with ${result.builder} in ${((Date.now() - started) / 1e3).toFixed(1)}s; registry requests: ${result.requests}`
      );
    }
    if (result.localList)
      err(`not pushed; the manifest list is ${result.localList} in buildah's storage`);
    if (result.pushed) for (const tag of result.tags) out(`${repo}:${tag}`);
    await writeOutputs({
      tags: result.tags.join("\n"),
      digest: result.digest,
      image: `${repo}@${result.digest}`,
      timestamp: rfc3339(timestamp)
    });
    out(result.digest);
  });
  return "success";
}
function declarePromote(image) {
  return image.command("promote").description(
    "give an existing image another tag by digest (no rebuild, no layer pulls); exits 0 when the tag names the source digest"
  ).requiredOption("--image <repo>", "source repository, e.g. ghcr.io/owner/app").requiredOption("--from <tag>", "source tag or digest").requiredOption("--to-tag <tag>", "target tag").option(
    "--to-image <repo>",
    "target repository (default: --image); blobs are mounted when on the same registry"
  ).option(
    "--force",
    "move the target tag if it names another digest (never a RELEASE.* tag)",
    false
  ).option("--insecure-registry", "the registries speak plain HTTP", false).option(
    "--verbose",
    "print what was copied, the time and the number of registry requests",
    false
  );
}
async function imagePromote(io, flags) {
  const { out, err } = lines(io);
  const started = Date.now();
  await withAccess(flags, async (access) => {
    const { promote } = await import("./promote-C7K2POUR.js");
    const result = await promote(
      {
        image: flags.image,
        from: flags.from,
        toTag: flags.toTag,
        toImage: flags.toImage,
        force: flags.force
      },
      access
    );
    const target = formatRepository(result.target);
    if (flags.verbose) {
      const s = result.stats;
      err(
        `${result.outcome} ${target}:${flags.toTag}: ${s.manifests} manifests copied, ${s.mounted} blobs mounted, ${s.uploaded} uploaded, ${s.present} already present; ${((Date.now() - started) / 1e3).toFixed(2)}s; registry requests: ${result.requests}`
      );
    }
    await writeOutputs({
      tags: flags.toTag,
      digest: result.digest,
      image: `${target}@${result.digest}`
    });
    out(`${target}:${flags.toTag}`);
    out(result.digest);
  });
  return "success";
}
function declareMerge(image) {
  return image.command("merge").description(
    "merge single-platform images pushed by digest (one per native runner) into one index under the given tags; prints its digest last"
  ).requiredOption("--image <repo>", "repository holding the images, e.g. ghcr.io/owner/app").requiredOption(
    "--digest <digest>",
    "an image to include, by digest or tag, arm64 first (repeatable)",
    collect,
    []
  ).requiredOption("--tag <tag>", "tag to give the index (repeatable)", collect, []).option("--force", "move a tag that names another digest (never a RELEASE.* tag)", false).option("--insecure-registry", "the registry speaks plain HTTP", false);
}
async function imageMerge(io, flags) {
  const { out, err } = lines(io);
  await withAccess(flags, async (access) => {
    const { merge } = await import("./merge-OK6VXYCL.js");
    const result = await merge(
      { image: flags.image, digests: flags.digest, tags: flags.tag, force: flags.force },
      access
    );
    err(
      `merged ${result.platforms.join(", ")} into ${result.image}@${result.digest} (${result.requests} registry requests)`
    );
    await writeOutputs({
      tags: flags.tag.join("\n"),
      digest: result.digest,
      image: `${result.image}@${result.digest}`,
      timestamp: (() => {
        const t = timestampFromTags(flags.tag, void 0);
        return t ? rfc3339(t) : "";
      })()
    });
    out(result.digest);
  });
  return "success";
}

// action/preview/command.ts
const { writeFile } = require("node:fs/promises");
const { isAbsolute, join: join3, relative, resolve, sep } = require("node:path");

// action/preview/compare.ts
const { createHash } = require("node:crypto");
var idOf = (object) => ({
  kind: object.kind,
  namespace: object.metadata.namespace ?? "",
  name: object.metadata.name
});
var order = (a, b) => a.kind.localeCompare(b.kind) || a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name);
var isSecret = (o) => groupOf(o.apiVersion) === "" && o.kind === "Secret";
var hash = (value) => createHash("sha256").update(JSON.stringify(value)).digest("hex");
function hideSecrets(base, head) {
  const a = structuredClone(base);
  const b = structuredClone(head);
  for (const field of ["data", "stringData"]) {
    const was = base[field] ?? {};
    const is = head[field] ?? {};
    if (a[field]) a[field] = Object.fromEntries(Object.keys(was).map((k) => [k, "(hidden)"]));
    if (b[field]) {
      b[field] = Object.fromEntries(
        Object.keys(is).map((k) => [
          k,
          k in was && hash(was[k]) !== hash(is[k]) ? "(hidden, changed)" : "(hidden)"
        ])
      );
    }
  }
  return [a, b];
}
function show(value) {
  const text = JSON.stringify(value) ?? "undefined";
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}
var isPlainObject = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
function keyed(list3) {
  const map = /* @__PURE__ */ new Map();
  for (const item of list3) {
    const name = isPlainObject(item) ? item.name : void 0;
    if (typeof name !== "string" || map.has(name)) return void 0;
    map.set(name, item);
  }
  return map;
}
function fieldDiff(old, now, path = "") {
  const at = (key) => path ? `${path}.${key}` : key;
  if (isPlainObject(old) && isPlainObject(now)) {
    const keys = [.../* @__PURE__ */ new Set([...Object.keys(old), ...Object.keys(now)])];
    return keys.flatMap((k) => fieldDiff(old[k], now[k], at(k)));
  }
  if (Array.isArray(old) && Array.isArray(now)) {
    const a = keyed(old);
    const b = keyed(now);
    if (a && b) {
      const names = [.../* @__PURE__ */ new Set([...a.keys(), ...b.keys()])];
      return names.flatMap((n) => fieldDiff(a.get(n), b.get(n), `${path}[${n}]`));
    }
    if (old.length === now.length)
      return old.flatMap((item, i) => fieldDiff(item, now[i], `${path}[${i}]`));
  }
  if (old === void 0 && now === void 0) return [];
  if (old === void 0) return [`+ ${path}: ${show(now)}`];
  if (now === void 0) return [`- ${path}: ${show(old)}`];
  if (JSON.stringify(old) === JSON.stringify(now)) return [];
  return [`~ ${path}: ${show(old)} \u2192 ${show(now)}`];
}
function imagesOf(value, path = "", out = /* @__PURE__ */ new Map()) {
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) imagesOf(v, `${path}[${i}]`, out);
  } else if (isPlainObject(value)) {
    for (const [key, v] of Object.entries(value)) {
      if (/^(initContainers|containers|ephemeralContainers)$/.test(key) && Array.isArray(v)) {
        for (const c of v) {
          if (isPlainObject(c) && typeof c.image === "string")
            out.set(`${path}.${key}[${String(c.name)}]`, c.image);
        }
      } else imagesOf(v, `${path}.${key}`, out);
    }
  }
  return out;
}
function keptReason(o) {
  const annotations = o.object.metadata.annotations ?? {};
  const optOut = PRUNE_ANNOTATIONS.find((a) => annotations[a] === "disabled");
  if (optOut) return `annotated ${optOut}: disabled`;
  if (!o.owner.prune) return `${o.owner.name} does not prune`;
  return void 0;
}
function compareRenders(path, base, head) {
  const before = new Map(base.objects.map((o) => [refKey(refOf(o.object)), o]));
  const after = new Map(head.objects.map((o) => [refKey(refOf(o.object)), o]));
  const preview = {
    path,
    added: [],
    changed: [],
    removed: [],
    images: [],
    kept: [],
    notes: [.../* @__PURE__ */ new Set([...base.notes.map((n) => `base: ${n}`), ...head.notes])]
  };
  const images = /* @__PURE__ */ new Map();
  const secrets = [...base.secretValues, ...head.secretValues];
  for (const [key, now] of after) {
    const old = before.get(key);
    if (!old) {
      preview.added.push(idOf(now.object));
      continue;
    }
    const [a, b] = isSecret(now.object) ? hideSecrets(old.object, now.object) : [old.object, now.object];
    const lines2 = fieldDiff(a, b).map((line) => redactSecrets(line, secrets));
    if (lines2.length === 0) continue;
    preview.changed.push({ ...idOf(now.object), diff: lines2.join("\n") });
    const oldImages = imagesOf(old.object);
    for (const [where, image] of imagesOf(now.object)) {
      const was = oldImages.get(where);
      if (was !== void 0 && was !== image)
        images.set(`${was} ${image}`, { from: was, to: image });
    }
  }
  for (const [key, old] of before) {
    if (after.has(key)) continue;
    const reason = keptReason(old);
    if (reason) preview.kept.push({ ...idOf(old.object), reason });
    else preview.removed.push(idOf(old.object));
  }
  preview.added.sort(order);
  preview.changed.sort(order);
  preview.removed.sort(order);
  preview.kept.sort(order);
  preview.images = [...images.values()];
  return preview;
}
var countChanges = (p) => p.added.length + p.changed.length + p.removed.length;

// action/preview/format.ts
function formatJson(report) {
  const clusters = report.clusters.map((c) => ({
    path: c.path,
    added: c.added,
    changed: c.changed,
    removed: c.removed,
    images: c.images
  }));
  return `${JSON.stringify({ clusters }, null, 2)}
`;
}
var describe = (id) => `${id.kind} ${id.namespace ? `${id.namespace}/` : ""}${id.name}`;
function counts(c) {
  if (countChanges(c) === 0) return "no changes";
  const parts = [
    `${c.added.length} added`,
    `${c.changed.length} changed`,
    `${c.removed.length} removed`
  ];
  if (c.images.length > 0) parts.push(`${c.images.length} image${c.images.length > 1 ? "s" : ""}`);
  return parts.join(", ");
}
function formatText(report) {
  const out = [`preview ${report.base.slice(0, 12)} \u2192 ${report.head.slice(0, 12)}`];
  for (const c of report.clusters) {
    out.push("", `${c.path}: ${counts(c)}`);
    for (const i of c.images) out.push(`  image ${i.from} \u2192 ${i.to}`);
    for (const id of c.added) out.push(`  + ${describe(id)}`);
    for (const ch of c.changed) {
      out.push(`  ~ ${describe(ch)}`);
      for (const line of ch.diff.split("\n")) out.push(`      ${line}`);
    }
    for (const id of c.removed) out.push(`  - ${describe(id)} (pruned)`);
    for (const k of c.kept) out.push(`  = ${describe(k)} left in the cluster: ${k.reason}`);
    for (const n of c.notes) out.push(`  note: ${n}`);
  }
  return `${out.join("\n")}
`;
}
var html = (text) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
function fenced(text, info = "") {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  return [`${fence}${info}`, ...text.split("\n"), fence];
}
function list(items, max) {
  const lines2 = items.slice(0, max).map((id) => `- \`${codeCell(describe(id))}\``);
  if (items.length > max) lines2.push(`- \u2026 and ${items.length - max} more`);
  return lines2;
}
function formatMarkdown(report, options = {}) {
  const max = options.maxItems ?? Number.POSITIVE_INFINITY;
  const out = [];
  if (options.marker) out.push(options.marker);
  const changed = report.clusters.filter((c) => countChanges(c) > 0).length;
  out.push(
    `### Tether preview: ${changed} of ${report.clusters.length} cluster${report.clusters.length === 1 ? "" : "s"} change`,
    "",
    `\`${report.base.slice(0, 12)}\` \u2192 \`${report.head.slice(0, 12)}\``
  );
  for (const c of report.clusters) {
    out.push("", "<details>", `<summary><b>${html(c.path)}</b>: ${counts(c)}</summary>`, "");
    if (c.images.length > 0) {
      out.push("Images:", "", "| from | to |", "|---|---|");
      for (const i of c.images.slice(0, max))
        out.push(`| \`${codeCell(i.from)}\` | \`${codeCell(i.to)}\` |`);
      out.push("");
    }
    if (c.added.length > 0) out.push("Added:", "", ...list(c.added, max), "");
    if (c.changed.length > 0) {
      out.push("Changed:", "");
      for (const ch of c.changed.slice(0, max)) {
        out.push(`- \`${codeCell(describe(ch))}\``);
        if (!options.withoutDiffs) out.push("", ...fenced(ch.diff, "diff").map((l) => `  ${l}`));
      }
      if (c.changed.length > max) out.push(`- \u2026 and ${c.changed.length - max} more`);
      out.push("");
    }
    if (c.removed.length > 0) out.push("Removed (pruned):", "", ...list(c.removed, max), "");
    if (c.kept.length > 0) {
      out.push("Gone from Git, left in the cluster:", "");
      for (const k of c.kept.slice(0, max))
        out.push(`- \`${codeCell(describe(k))}\`: ${cell(k.reason)}`);
      out.push("");
    }
    for (const n of c.notes.slice(0, max)) out.push(`> ${cell(n)}`);
    out.push("</details>");
  }
  if (options.footer) out.push("", options.footer);
  return `${out.join("\n")}
`;
}
var COMMENT_LIMIT = 65e3;
function commentMarkdown(report, marker, fullReport, limit = COMMENT_LIMIT) {
  const whole = formatMarkdown(report, { marker });
  if (whole.length <= limit) return { body: whole, shortened: false };
  const footer = `Shortened to fit a comment: ${fullReport}.`;
  for (const maxItems of [Number.POSITIVE_INFINITY, 100, 20, 5, 0]) {
    const body = formatMarkdown(report, { marker, withoutDiffs: true, maxItems, footer });
    if (body.length <= limit) return { body, shortened: true };
  }
  return { body: `${marker}
Tether preview: ${footer}
`, shortened: true };
}

// action/preview/render.ts
const { existsSync } = require("node:fs");
const { join } = require("node:path");
var RenderError = class extends Error {
};
function sameRepo(a, b) {
  const norm = (url) => {
    const text = url.trim();
    const scp = /^(?:[^@/]+@)?([^:/]+):(?!\/)(.*)$/.exec(text);
    let host;
    let path;
    if (scp && !/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
      host = scp[1];
      path = scp[2];
    } else {
      try {
        const parsed = new URL(text);
        host = parsed.hostname;
        path = parsed.pathname;
      } catch {
        return text;
      }
    }
    return `${host.toLowerCase()}/${path.replace(/^\/+|\/+$/g, "").replace(/\.git$/, "").toLowerCase()}`;
  };
  return sameRepository(a, b) || norm(a) === norm(b);
}
var normPath = (path) => (path ?? "").replace(/^\.\/?/, "").replace(/\/+$/, "") || ".";
function keepUnknown(vars) {
  return new Proxy(vars, {
    get: (target, name) => typeof name === "string" && !(name in target) ? `\${${name}}` : Reflect.get(target, name)
  });
}
async function renderCluster(dir, path, options) {
  const notes = [];
  const secretValues = [];
  if (!existsSync(join(dir, path))) return { exists: false, objects: [], notes, secretValues };
  const root = await renderPath(dir, path, {
    allowEmpty: true,
    ...options.kustomize ? { binary: options.kustomize } : {}
  });
  if (root.errors.length > 0) {
    throw new RenderError(root.errors.map((e) => e.message).join("; "));
  }
  const objects = root.manifests.map((m) => ({
    ...m,
    // The agent's own unit: whether it prunes is its configuration, not in Git; the
    // preview shows what pruning would delete.
    owner: { name: path, prune: true }
  }));
  const find = (ref) => objects.find(
    (o) => groupOf(o.object.apiVersion) === "" && o.object.kind === ref.kind && o.object.metadata.name === ref.name && (o.object.metadata.namespace ?? "default") === (ref.namespace ?? "default")
  )?.object;
  const ownUrls = [...options.ownUrls];
  const seen = /* @__PURE__ */ new Set();
  for (let i = 0; i < objects.length; i++) {
    const ks = objects[i].object;
    if (!isKustomization(ks)) continue;
    const namespace = ks.metadata.namespace ?? "default";
    const key = `${namespace}/${ks.metadata.name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const spec = specOf(ks);
    const name = `Kustomization ${key}`;
    if (spec.suspend) {
      notes.push(`${name} is suspended: the agent applies nothing of it`);
      continue;
    }
    const sourceKind = spec.sourceRef?.kind ?? "GitRepository";
    if (sourceKind !== "GitRepository") {
      notes.push(`${name}: its source is a ${sourceKind}, not previewed`);
      continue;
    }
    const repo = objects.find(
      (o) => o.object.kind === "GitRepository" && o.object.metadata.name === spec.sourceRef?.name && (o.object.metadata.namespace ?? "default") === (spec.sourceRef?.namespace ?? namespace)
    )?.object;
    const url = repo?.spec?.url;
    if (normPath(spec.path) === normPath(path)) {
      if (url) ownUrls.push(url);
      continue;
    }
    if (url && ownUrls.length > 0 && !ownUrls.some((u) => sameRepo(u, url))) {
      notes.push(`${name}: its source is another repository (${redactUrl(url)}), not previewed`);
      continue;
    }
    const missing = [];
    const withSources = structuredClone(spec);
    for (const from of withSources.postBuild?.substituteFrom ?? []) {
      const found = find({ apiVersion: "v1", kind: from.kind, namespace, name: from.name });
      if (found && from.kind === "Secret") {
        for (const value of Object.values(found.data ?? {})) {
          const text = Buffer.from(value, "base64").toString("utf8");
          secretValues.push(text, text.replaceAll("\n", ""));
        }
      }
      if (found) continue;
      if (!from.optional) missing.push(`${from.kind} ${namespace}/${from.name}`);
      from.optional = true;
    }
    let vars = await resolveVars({ get: async (ref) => find(ref) }, withSources, namespace);
    if (missing.length > 0) {
      notes.push(
        `${name}: postBuild.substituteFrom ${missing.join(", ")} is not in the repository; its variables are shown as written`
      );
      if (vars) vars = keepUnknown(vars);
    }
    const built = await buildKustomization(spec, dir, {
      name: ks.metadata.name,
      namespace,
      vars,
      kustomize: options.kustomize
    });
    if (!built.ok) throw new RenderError(`${name}: ${built.message}`);
    const owner = { name, prune: spec.prune === true };
    for (const m of built.manifests) objects.push({ ...m, owner });
  }
  if (options.helmReleases !== false)
    objects.push(...await chartObjects(objects, dir, options, notes));
  const byKey = /* @__PURE__ */ new Map();
  for (const o of objects) {
    const key = refKey(refOf(o.object));
    if (byKey.has(key)) notes.push(`${describe2(o.object)} is applied twice; the last one counts`);
    byKey.delete(key);
    byKey.set(key, o);
  }
  return { exists: true, objects: [...byKey.values()], notes, secretValues };
}
var CLUSTER_SCOPED = /* @__PURE__ */ new Set([
  "APIService",
  "ClusterRole",
  "ClusterRoleBinding",
  "CustomResourceDefinition",
  "IngressClass",
  "MutatingWebhookConfiguration",
  "Namespace",
  "PersistentVolume",
  "PriorityClass",
  "RuntimeClass",
  "StorageClass",
  "ValidatingWebhookConfiguration"
]);
async function chartObjects(objects, dir, options, notes) {
  const unitOf = (name, manifests) => ({
    unit: { name, kind: "plain", paths: [name] },
    renderer: "plain",
    manifests,
    errors: [],
    area: { dirs: [], files: [] },
    warnings: []
  });
  const releases = objects.filter((o) => isHelmRelease(o.object));
  if (releases.length === 0) return [];
  const sources = unitOf(
    "sources",
    objects.filter((o) => !isHelmRelease(o.object))
  );
  const units = releases.map(
    (r) => unitOf(describe2(r.object), [{ object: r.object, source: r.source }])
  );
  notes.push(
    ...await expandHelmReleases([sources, ...units], {
      cacheDir: options.chartCache,
      root: dir,
      kustomize: options.kustomize
    })
  );
  const out = [];
  units.forEach((unit, i) => {
    const hr = releases[i].object;
    const spec = hr.spec ?? {};
    const namespace = spec.targetNamespace || hr.metadata.namespace || "default";
    for (const w of unit.warnings) notes.push(w.message);
    const owner = { name: describe2(hr), prune: true };
    for (const m of unit.manifests.slice(1)) {
      const object = structuredClone(m.object);
      if (!object.metadata.namespace && !CLUSTER_SCOPED.has(object.kind))
        object.metadata.namespace = namespace;
      out.push({ object, source: m.source, owner });
    }
  });
  return out;
}
function describe2(object) {
  const ns = object.metadata.namespace;
  return `${object.kind} ${ns ? `${ns}/` : ""}${object.metadata.name}`;
}

// action/preview/revision.ts
const { execFile: execFile2, spawn } = require("node:child_process");
const { mkdtemp, rm } = require("node:fs/promises");
const { tmpdir } = require("node:os");
const { join: join2 } = require("node:path");
function git(cwd, args) {
  return new Promise((done, fail) => {
    execFile2("git", args, { cwd, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) fail(new Error(stderr.trim() || error.message));
      else done(stdout);
    });
  });
}
async function gitTopLevel(cwd) {
  try {
    return (await git(cwd, ["rev-parse", "--show-toplevel"])).trim();
  } catch {
    throw new UsageError(`${cwd} is not inside a Git repository: preview compares two commits`);
  }
}
async function resolveCommit(root, ref, flag) {
  const verify = () => git(root, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]);
  try {
    return (await verify()).trim();
  } catch {
    if (/^[0-9a-f]{40}$/.test(ref)) {
      const fetched = await git(root, ["fetch", "--quiet", "--no-tags", "--depth=1", "origin", ref]).then(() => verify()).catch(() => void 0);
      if (fetched) return fetched.trim();
    }
    throw new UsageError(
      `${flag} ${ref}: not a commit of this repository (fetch it first, e.g. git fetch origin ${ref})`
    );
  }
}
async function clusterFolders(root, commit) {
  const out = await git(root, ["ls-tree", "-d", "--name-only", "-z", commit, "clusters/"]);
  return out.split("\0").filter((p) => p !== "").sort();
}
async function writeTree(root, commit) {
  const dir = await mkdtemp(join2(tmpdir(), "tether-preview-"));
  const remove = () => rm(dir, { recursive: true, force: true });
  try {
    await new Promise((done, fail) => {
      const archive = spawn("git", ["archive", "--format=tar", commit], {
        cwd: root,
        stdio: ["ignore", "pipe", "pipe"]
      });
      const tar = spawn("tar", ["-x", "-C", dir], { stdio: ["pipe", "ignore", "pipe"] });
      let errors = "";
      archive.stderr.on("data", (d) => {
        errors += d;
      });
      tar.stderr.on("data", (d) => {
        errors += d;
      });
      archive.stdout.pipe(tar.stdin);
      let left = 2;
      let failed = false;
      const exited = (code) => {
        if (code !== 0) failed = true;
        if (--left === 0) {
          if (failed) fail(new Error(`cannot read commit ${commit}: ${errors.trim()}`));
          else done();
        }
      };
      archive.on("error", fail);
      tar.on("error", fail);
      archive.on("close", exited);
      tar.on("close", exited);
    });
  } catch (error) {
    await remove();
    throw error;
  }
  return { dir, remove };
}
async function remoteUrls(root) {
  const out = await git(root, ["config", "--get-regexp", "^remote\\..*\\.url$"]).catch(() => "");
  return out.split("\n").map((line) => line.slice(line.indexOf(" ") + 1).trim()).filter((url) => url !== "");
}

// action/preview/command.ts
var FORMATS2 = ["text", "json", "markdown", "github"];
function repositoryPaths(root, cwd, paths) {
  return paths.map((p) => {
    const rel = relative(root, resolve(cwd, p)).split(sep).join("/");
    if (rel.startsWith("..") || isAbsolute(rel)) {
      throw new UsageError(`${p}: outside the repository ${root}`);
    }
    return rel || ".";
  });
}
async function runPreview(cwd, paths, flags, env) {
  const root = await gitTopLevel(cwd);
  const base = await resolveCommit(root, flags.base, "--base");
  const head = await resolveCommit(root, flags.head, "--head");
  let targets = repositoryPaths(root, cwd, paths);
  if (targets.length === 0) {
    targets = await clusterFolders(root, head);
    if (targets.length === 0) {
      throw new UsageError(
        `no clusters/<name> folders at ${flags.head}: name the paths to preview`
      );
    }
  }
  const options = {
    ownUrls: await remoteUrls(root),
    chartCache: flags.chartCache ?? defaultChartCache(env),
    helmReleases: flags.helmReleases
  };
  const trees = await Promise.all([writeTree(root, base), writeTree(root, head)]);
  try {
    const [baseTree, headTree] = trees;
    const clusters = [];
    for (const path of targets) {
      const at = async (dir, name, ref, commit) => {
        try {
          return await renderCluster(dir, path, options);
        } catch (error) {
          if (!(error instanceof RenderError)) throw error;
          throw new Error(
            `${path} does not render at ${name} ${ref} (${commit.slice(0, 12)}): ${error.message}`
          );
        }
      };
      const before = await at(baseTree.dir, "--base", flags.base, base);
      const after = await at(headTree.dir, "--head", flags.head, head);
      if (!before.exists && !after.exists) {
        throw new UsageError(`${path}: not found at ${flags.base} nor at ${flags.head}`);
      }
      const preview = compareRenders(path, before, after);
      if (!before.exists) preview.notes.unshift(`${path} is new: every object is added`);
      if (!after.exists) preview.notes.unshift(`${path} is gone at the head`);
      clusters.push(preview);
    }
    return { base, head, clusters };
  } finally {
    await Promise.all(trees.map((t) => t.remove()));
  }
}
async function reportToGithub(io, report, flags) {
  const { runUrl, upsertStickyComment } = await import("./github-PCQ4PLX5.js");
  const core = await import("./core-4MOCIGR6.js");
  const full = formatMarkdown(report);
  const path = flags.report !== void 0 ? resolve(io.cwd, flags.report) : io.env.RUNNER_TEMP ? join3(io.env.RUNNER_TEMP, "tether-preview.md") : void 0;
  if (path) await writeFile(path, full);
  const url = runUrl(io.env);
  const where = `the full report is the artifact \`tether-preview\` of ${url ? `[the workflow run](${url})` : "the workflow run"}`;
  const marker = `<!-- tether-preview:${flags.commentKey.replace(/--/g, "-")} -->`;
  const capped = commentMarkdown(report, marker, where);
  if (io.env.GITHUB_STEP_SUMMARY) {
    await core.summary.addRaw(full.length < 1e6 ? full : capped.body).write();
  }
  if (io.env.GITHUB_OUTPUT) {
    core.setOutput("report", path ?? "");
    core.setOutput("changed", report.clusters.filter((c) => countChanges(c) > 0).length);
  }
  if (flags.comment) {
    const outcome = await upsertStickyComment(marker, capped.body, io.env);
    io.err(`pull request comment: ${outcome}${capped.shortened ? " (shortened)" : ""}
`);
  }
}
async function previewCommand(io, paths, flags) {
  if (!FORMATS2.includes(flags.output)) {
    throw new UsageError(`-o ${flags.output}: use one of ${FORMATS2.join(", ")}`);
  }
  const format = flags.output;
  const report = await runPreview(io.cwd, paths, flags, io.env);
  if (format === "json") io.out(formatJson(report));
  else if (format === "markdown") io.out(formatMarkdown(report));
  else io.out(formatText(report));
  if (format === "github") await reportToGithub(io, report, flags);
  else if (flags.report) await writeFile(resolve(io.cwd, flags.report), formatMarkdown(report));
  const differs = report.clusters.some((c) => countChanges(c) > 0);
  return flags.exitCode && differs ? "failure" : "success";
}
function registerPreviewCommand(program) {
  program.command("preview").description(
    "show what each cluster will apply, change and prune between two commits, rendered offline as the agent would"
  ).argument(
    "[paths...]",
    "cluster paths in the repository (default: each clusters/<name> folder at the head)"
  ).requiredOption(
    "--base <ref>",
    "the commit the clusters run now (e.g. the pull request's base)"
  ).option("--head <ref>", "the commit to preview", "HEAD").option("-o, --output <format>", `output format: ${FORMATS2.join(", ")}`, "text").option("--exit-code", "exit 1 when a cluster changes (as git diff --exit-code)").option(
    "--chart-cache <dir>",
    "where HelmRelease charts are cached (default ~/.cache/tether/charts)"
  ).option("--no-helm-releases", "do not render HelmReleases through their charts").option("--report <file>", "also write the full Markdown report to this file").option("--no-comment", "-o github: no pull request comment (the job summary only)").option("--comment-key <key>", "-o github: tells this preview's comment apart", "preview").action(runner((io, paths, flags) => previewCommand(io, paths, flags)));
}

// action/validate/command.ts
const { readFile: readFile2, writeFile: writeFile2 } = require("node:fs/promises");
const { join: join4, resolve: resolve2 } = require("node:path");

// action/validate/formats/json.ts
function formatJson2(report) {
  return `${JSON.stringify(report, null, 2)}
`;
}

// action/validate/formats/junit.ts
function xmlEscape(text) {
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, "").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");
}
function testcase(entry) {
  const name = isResource(entry) ? `${describeEntry(entry)} (${describePosition(entry)})` : describePosition(entry);
  const attrs = [
    `classname="${xmlEscape(entry.unit)}"`,
    `name="${xmlEscape(name)}"`,
    `file="${xmlEscape(entry.file)}"`,
    ...entry.line !== void 0 ? [`line="${entry.line}"`] : []
  ].join(" ");
  const errors = entry.messages.filter((m) => m.severity === "error");
  const warnings = entry.messages.filter((m) => m.severity === "warning");
  const body = [];
  const first = errors[0];
  if (first) {
    const text = errors.map((m) => `${describePosition(m)}: ${m.message} [${ruleId(m)}]`).join("\n");
    body.push(
      `      <failure message="${xmlEscape(first.message)}" type="${xmlEscape(ruleId(first))}">${xmlEscape(text)}</failure>`
    );
  } else if (entry.status === "skipped") {
    body.push(`      <skipped message="no schema checked"/>`);
  }
  if (warnings.length > 0) {
    const text = warnings.map((m) => `warning: ${describePosition(m)}: ${m.message} [${ruleId(m)}]`).join("\n");
    body.push(`      <system-out>${xmlEscape(text)}</system-out>`);
  }
  if (body.length === 0) return `    <testcase ${attrs}/>`;
  return `    <testcase ${attrs}>
${body.join("\n")}
    </testcase>`;
}
function formatJunit(report) {
  const units = [...new Set(report.results.map((r) => r.unit))];
  const suites = units.map((unit) => {
    const cases = report.results.filter((r) => r.unit === unit);
    const failures2 = cases.filter((c) => c.status === "invalid").length;
    const skipped2 = cases.filter((c) => c.status === "skipped").length;
    return [
      `  <testsuite name="${xmlEscape(unit)}" tests="${cases.length}" failures="${failures2}" errors="0" skipped="${skipped2}">`,
      ...cases.map(testcase),
      "  </testsuite>"
    ].join("\n");
  });
  const total = report.results.length;
  const failures = report.results.filter((r) => r.status === "invalid").length;
  const skipped = report.results.filter((r) => r.status === "skipped").length;
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="tether validate" tests="${total}" failures="${failures}" errors="0" skipped="${skipped}">`,
    ...suites,
    "</testsuites>",
    ""
  ].join("\n");
}

// action/validate/formats/sarif.ts
var DESCRIPTIONS = {
  schema: "The object does not match its schema (Kubernetes OpenAPI, CRD or Flux).",
  deprecation: "The apiVersion is deprecated or no longer served by the target Kubernetes version.",
  policy: "A Rego policy (conftest conventions) denied or warned about the object.",
  render: "The manifests could not be read or rendered."
};
function formatSarif(report, version = "0.0.0-dev") {
  const groups = groupMessages(report);
  const rules = [...new Set(groups.map((g) => ruleId(g.message)))].sort();
  const results = groups.map((g) => {
    const m = g.message;
    const region = m.line !== void 0 ? {
      region: {
        startLine: m.line,
        ...m.column !== void 0 ? { startColumn: m.column } : {}
      }
    } : {};
    return {
      ruleId: ruleId(m),
      ruleIndex: rules.indexOf(ruleId(m)),
      level: m.severity === "error" ? "error" : "warning",
      message: { text: m.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: m.file, uriBaseId: "%SRCROOT%" },
            ...region
          }
        }
      ],
      properties: { units: g.units }
    };
  });
  const sarif = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "tether",
            version,
            rules: rules.map((id) => ({
              id,
              shortDescription: { text: DESCRIPTIONS[id.split("/")[0]] ?? id }
            }))
          }
        },
        results
      }
    ]
  };
  return `${JSON.stringify(sarif, null, 2)}
`;
}

// action/validate/formats/tap.ts
var import_yaml = __toESM(require_dist(), 1);
function formatTap(report) {
  const lines2 = ["TAP version 13", `1..${report.results.length}`];
  report.results.forEach((entry, i) => {
    const what = isResource(entry) ? `${describeEntry(entry)} ${describePosition(entry)}` : describePosition(entry);
    const description = `${what} (${entry.unit})`.replace(/[\r\n]+/g, " ").replace(/#/g, "\\#");
    const ok = entry.status !== "invalid";
    const directive = entry.status === "skipped" ? " # SKIP no schema checked" : "";
    lines2.push(`${ok ? "ok" : "not ok"} ${i + 1} - ${description}${directive}`);
    if (entry.messages.length > 0) {
      const block = (0, import_yaml.stringify)({
        messages: entry.messages.map((m) => ({
          severity: m.severity,
          source: m.source,
          ...m.rule ? { rule: m.rule } : {},
          message: m.message,
          at: describePosition(m)
        }))
      });
      lines2.push(
        "  ---",
        ...block.trimEnd().split("\n").map((l) => `  ${l}`),
        "  ..."
      );
    }
  });
  return `${lines2.join("\n")}
`;
}

// action/validate/formats/text.ts
var plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;
function formatText2(report, options = {}) {
  const lines2 = [];
  for (const group of groupMessages(report)) {
    const m = group.message;
    const what = [...new Set(group.entries.map(describeEntry))].join(", ");
    const units = group.units.length > 1 ? `; units ${group.units.join(", ")}` : "";
    lines2.push(
      `${describePosition(m)}: ${m.severity}: ${m.message} [${ruleId(m)}] (${what}${units})`
    );
  }
  if (options.verbose) {
    for (const entry of report.results.filter(isResource)) {
      if (entry.status === "invalid") continue;
      lines2.push(
        `${describePosition(entry)}: ${entry.status}: ${describeEntry(entry)} (${entry.unit})`
      );
    }
  }
  const s = report.summary;
  const exceptions = s.exceptions > 0 ? `, ${plural(s.exceptions, "exception")}` : "";
  lines2.push(
    `${plural(s.resources, "resource")} in ${plural(s.units, "unit")} (Kubernetes ${report.kubernetesVersion}): ${s.valid} valid, ${s.invalid} invalid, ${s.skipped} skipped; ${plural(s.errors, "error")}, ${plural(s.warnings, "warning")}${exceptions}`
  );
  return `${lines2.join("\n")}
`;
}

// action/validate/command.ts
var collect2 = (value, previous) => [...previous ?? [], value];
async function readChangedFiles(path, cwd) {
  const text = path === "-" ? await new Promise((done) => {
    let data = "";
    process.stdin.setEncoding("utf8");
    process.stdin.on("data", (chunk) => {
      data += chunk;
    });
    process.stdin.on("end", () => done(data));
  }) : await readFile2(resolve2(cwd, path), "utf8").catch(() => {
    throw new UsageError(`--changed-files ${path}: cannot be read`);
  });
  return parseChangedFiles(text);
}
async function validateCommand(io, paths, flags) {
  const format = parseFormat(flags.output, io.env);
  const failOn = parseFailOn(flags);
  const config = configFromFlags(paths, flags, io.cwd);
  const asked = flags.kubernetesVersion?.trim();
  if (asked && asked.replace(/^v/, "") !== config.kubernetesVersion) {
    io.err(
      `note: --kubernetes-version ${asked}: validated against the bundled Kubernetes ${config.kubernetesVersion} schemas
`
    );
  }
  if (flags.changedFiles !== void 0 && flags.changedOnly) {
    throw new UsageError("--changed-files and --changed-only exclude each other");
  }
  if (flags.changedFiles !== void 0) {
    config.changedFiles = await readChangedFiles(flags.changedFiles, io.cwd);
  } else if (flags.changedOnly) {
    const { pullRequestFiles } = await import("./github-PCQ4PLX5.js");
    const files = await pullRequestFiles(io.env);
    if (typeof files === "string") io.err(`note: validating every unit: ${files}
`);
    else config.changedFiles = files;
  }
  const { runValidation } = await import("./run-2CTIHT6C.js");
  const { report, notes } = await runValidation(config);
  const times = /* @__PURE__ */ new Map();
  for (const note of notes) times.set(note, (times.get(note) ?? 0) + 1);
  for (const [note, n] of times) io.err(`note: ${note}${n > 1 ? ` (${n} times)` : ""}
`);
  let reportPath = flags.report ? resolve2(io.cwd, flags.report) : void 0;
  if (!reportPath && format === "github" && io.env.RUNNER_TEMP) {
    reportPath = join4(io.env.RUNNER_TEMP, "tether-validate-report.json");
  }
  if (reportPath) await writeFile2(reportPath, formatJson2(report));
  switch (format) {
    case "text":
      io.out(formatText2(report, { verbose: flags.verbose ?? false }));
      break;
    case "json":
      io.out(formatJson2(report));
      break;
    case "junit":
      io.out(formatJunit(report));
      break;
    case "tap":
      io.out(formatTap(report));
      break;
    case "sarif":
      io.out(formatSarif(report, true ? "0.1.0" : void 0));
      break;
    case "github": {
      const { text, overflow } = formatGithub(report);
      io.out(text);
      const { upsertComment, writeJobSummary, writeReportOutputs } = await import("./github-PCQ4PLX5.js");
      await writeJobSummary(report, overflow, io.env);
      writeReportOutputs(report, reportPath);
      if (flags.comment !== false) {
        const outcome = await upsertComment(report, flags.commentKey ?? "validate", io.env);
        if (outcome !== "skipped") io.err(`note: pull request comment ${outcome}
`);
      }
      break;
    }
  }
  return outcomeOf(report, failOn);
}
function registerValidateCommand(program) {
  const command = program.command("validate").description(
    "validate manifests as the agent would render them: strict schemas, deprecated APIs and Rego policies"
  ).argument(
    "[paths...]",
    "folders (kustomizations are built, others read as plain manifests), files or globs; default ."
  ).option(
    "--root <dir>",
    "repository root; report paths are relative to it (default: the Git work tree around the paths, else the working folder)"
  ).option(
    "-o, --output <format>",
    `${FORMATS.join("|")} (default: github in a workflow, else text)`
  ).option(
    "--kubernetes-version <version>",
    "Kubernetes version of the schemas (default: newest bundled)"
  ).option("--strict", "reject fields a schema does not list (default)").option("--no-strict", "accept fields a schema does not list").option(
    "--no-server-rules",
    "skip the API server's validation rules and CRD CEL rules (schemas only, as kubeconform)"
  ).option("--crds <path>", "CustomResourceDefinitions (file or folder; repeatable)", collect2).option("--ignore-missing-schemas", "skip kinds with no schema instead of failing").option(
    "--skip <kinds>",
    "kinds not to validate, e.g. Secret,apps/v1/Deployment (repeatable)",
    collect2
  ).option(
    "--reject <kinds>",
    "kinds that are an error wherever they appear (repeatable)",
    collect2
  ).option("--policy <dir>", "Rego policies, conftest conventions (repeatable)", collect2).option(
    "--namespace <ns>",
    "Rego package(s) with the rules (repeatable; default: main)",
    collect2
  ).option("--all-namespaces", "rules of every Rego package").option("--data <path>", "JSON/YAML data files for the policies (repeatable)", collect2).option("--rego-version <v>", "v1 (default) or v0 for policies written before OPA 1.0").option("--gatekeeper-input", "give policies input.review.object and input.parameters").option("--parameters <file>", "YAML/JSON for input.parameters (with --gatekeeper-input)").option("--opa <path>", "the opa binary (default: opa on PATH)").option(
    "--allow-builtin <name>",
    "give policies a withheld builtin back: opa.runtime, http.send, net.* or all (repeatable)",
    collect2
  ).option("--kustomize <path>", "the kustomize binary (default: kustomize on PATH)").option(
    "--chart-cache <dir>",
    "where HelmRelease charts and indexes are cached; a filled cache works offline (default ~/.cache/tether/charts)"
  ).option("--no-helm-releases", "do not render the charts of HelmReleases").option(
    "--changed-files <file>",
    "validate only units these files touch (one per line; - for stdin)"
  ).option("--changed-only", "in a pull request: validate only units its changed files touch").option("--fail-on <level>", "error (default) or warning").option("--fail-on-warning", "same as --fail-on warning").option("--report <file>", "also write the JSON report to this file").option("--comment", "with -o github: keep a sticky pull request comment (default)").option("--no-comment", "with -o github: no pull request comment").option(
    "--comment-key <key>",
    "tells this report's comment apart from others (default: validate)"
  ).option("--verbose", "text: list valid resources too").action(runner(validateCommand));
  return command;
}

// action/validate/schemas-command.ts
const { resolve: resolve3 } = require("node:path");
async function schemasExportCommand(io, dir, flags) {
  const { kubeconformSchemaLocation, writeSchemas } = await import("./export-CDKVO7BP.js");
  const { UnsupportedKubernetesVersionError } = await import("./versions-5Y6EHALN.js");
  const target = resolve3(io.cwd, dir);
  let written;
  try {
    written = await writeSchemas(target, {
      ...flags.kubernetesVersion !== void 0 && { kubernetesVersion: flags.kubernetesVersion },
      strict: flags.strict ?? true
    });
  } catch (error) {
    if (error instanceof UnsupportedKubernetesVersionError) throw new UsageError(error.message);
    throw error;
  }
  for (const s of written.shadowed) {
    io.err(`note: ${s.apiVersion} ${s.kind} not written: ${s.file} is ${s.by}'s
`);
  }
  io.out(
    `wrote ${written.files.length} schemas (Kubernetes ${written.kubernetesVersion}${written.strict ? ", strict" : ""}) to ${dir}
kubeconform -schema-location '${kubeconformSchemaLocation(dir)}'
`
  );
  return "success";
}
function registerSchemasCommand(program) {
  const schemas = program.command("schemas").description("the Kubernetes and Flux schemas tether validates against");
  schemas.command("export").description(
    "write the bundled schemas as JSON Schema files in kubeconform's layout (DIR/<kind><suffix>.json)"
  ).argument("<dir>", "folder to write into (created if needed)").option(
    "--kubernetes-version <version>",
    "Kubernetes version of the schemas (default: newest bundled)"
  ).option("--no-strict", "leave out additionalProperties: false (kubeconform without -strict)").action(runner(schemasExportCommand));
  return schemas;
}

// agent/automation/commands.ts
var automation = () => import("./automation-PHE3M7MH.js");
var collect3 = (value, previous) => [...previous, value];
function addFlags(command) {
  return command.requiredOption(
    "--git-url <url>",
    "repository URL (credentials may be embedded in http(s) URLs)"
  ).option(
    "--git-branch <branch>",
    "branch the image objects are read on, and updated unless an ImageUpdateAutomation checks out another (default main)"
  ).option("--path <path>", "folder holding the image objects and marked files", ".").option(
    "--insecure-registry <host>",
    "registry spoken to over plain HTTP (loopback registries always are); repeatable",
    collect3,
    []
  ).option(
    "--kubeconfig <file>",
    "cluster for ImageRepository secretRefs and the writer Lease (default: KUBECONFIG if set)"
  ).option("--namespace <ns>", "namespace of the writer Lease", AGENT_NAMESPACE).option(
    "--pull-request <provider>",
    "open a pull request from spec.git.push.branch into the checkout branch (github)"
  ).option("--pull-request-api <url>", "the provider's API URL", "https://api.github.com").option("--pull-request-repo <owner/name>", "repository (default: from --git-url)").option(
    "--pull-request-token-secret <namespace/name>",
    "Secret whose `token` key holds the API token (default: GITHUB_TOKEN)"
  );
}
async function optionsFrom(flags, push, dryRun) {
  let spec = withoutUrlCredentials({ url: flags.gitUrl, branch: flags.gitBranch });
  if (!spec.credentials) spec = { ...spec, credentials: credentialsFrom(process.env) };
  const kubeconfig = flags.kubeconfig ?? process.env.KUBECONFIG;
  const client = kubeconfig ? await (await import("./client-HXM76AAR.js")).KubeClient.connect({ kubeconfig }) : void 0;
  const kube = client ? { client, namespace: flags.namespace } : void 0;
  return {
    spec,
    pullRequest: await pullRequestOf(flags, kube?.client),
    branch: flags.gitBranch,
    path: flags.path,
    push,
    dryRun,
    author: { name: flags.authorName, email: flags.authorEmail },
    skipCi: flags.skipCi ?? false,
    insecureRegistries: flags.insecureRegistry,
    kube
  };
}
async function pullRequestOf(flags, client) {
  const settings = pullRequestSettings(flags);
  return settings ? resolvePullRequest(settings, client) : void 0;
}
function registerImagesCommands(images) {
  addFlags(
    images.command("update").description(
      "run one image automation pass: scan, rewrite markers, commit, and push with --push"
    )
  ).option("--push", "push the commit (without it the commit stays local and is dropped)").option("--dry-run", "print the changes; write nothing").option(
    "--author-name <name>",
    "commit author (default: the ImageUpdateAutomation's, else tether)"
  ).option("--author-email <email>", "commit author email").option("--skip-ci", "append [skip ci] to the commit subject").action(
    runner(async (io, flags) => {
      const options = await optionsFrom(flags, flags.push ?? false, flags.dryRun ?? false);
      try {
        return await update(io, flags, options);
      } finally {
        options.kube?.client.close();
      }
    })
  );
  addFlags(
    images.command("list").description("show each policy or automated workload, its latest tag and the value in Git")
  ).action(
    runner(async (io, flags) => {
      const options = await optionsFrom(flags, false, true);
      try {
        return await list2(io, options);
      } finally {
        options.kube?.client.close();
      }
    })
  );
}
async function update(io, flags, options) {
  const { out, err } = lines(io);
  const run = await automation();
  const result = await run.runAutomation(options);
  if (result.skippedByLease) {
    out(`another agent is updating ${redactUrl(flags.gitUrl)}; nothing done`);
    return "success";
  }
  const problems = [...result.config?.problems ?? [], ...run.scanErrors(result)];
  for (const problem of problems) err(`error: ${problem}`);
  const agentBranch = flags.gitBranch ?? "main";
  const many = result.runs.length > 1;
  let failed = problems.length > 0;
  for (const r of result.runs) {
    if (r.skipped) {
      out(r.skipped);
      continue;
    }
    const at = many && r.automation ? `${r.automation}: ` : "";
    for (const note of r.notes) out(`${at}${note}`);
    for (const skipped of r.plan?.skipped ?? []) err(`warning: ${at}${skipped}`);
    if (r.error) {
      failed = true;
      err(`error: ${r.automation ? `ImageUpdateAutomation ${r.automation}: ` : ""}${r.error}`);
      continue;
    }
    const changes = r.plan?.changes ?? [];
    if (changes.length === 0) out(`${at}no changes: every image is up to date`);
    for (const c of changes) out(`${at}${c.file}: ${c.old} -> ${c.new}`);
    const to = r.branch && (many || r.branch !== agentBranch) ? ` to ${r.branch}` : "";
    if (r.upToDate && r.commit) {
      out(`${at}${r.branch} already holds these updates (${r.commit.slice(0, 12)})`);
    } else if (r.commit) {
      out(
        `${at}${r.pushed ? "pushed" : "committed (not pushed)"} ${r.commit.slice(0, 12)}${to}${r.refspec ? ` and with refspec ${r.refspec}` : ""}${r.attempts && r.attempts > 1 ? ` after ${r.attempts} attempts` : ""}`
      );
    }
    if (r.othersCommits)
      err(
        `warning: ${at}${r.branch} has ${r.othersCommits} commit(s) by others; the updates were built on top of them, not on a fresh ${r.base ?? agentBranch}`
      );
    const pr = r.pullRequest;
    if (pr && pr.action !== "none")
      out(`${at}pull request #${pr.number} ${pr.action}${pr.url ? `: ${pr.url}` : ""}`);
  }
  err(`registry requests: ${result.registryRequests}`);
  return failed ? "failure" : "success";
}
async function list2(io, options) {
  const run = await automation();
  const result = await run.runAutomation(options);
  const rows = [["POLICY", "IMAGE", "LATEST", "IN GIT", "FILE"]];
  for (const r of run.listRows(result)) rows.push([r.name, r.image, r.latest, r.inGit, r.file]);
  if (rows.length === 1) io.out("no ImagePolicies or automated workloads found\n");
  else printTable(rows, io.out);
  return "success";
}

// agent/automation/marker-commands.ts
const { readFile: readFile3, stat, writeFile: writeFile3 } = require("node:fs/promises");
const { dirname, relative: relative2, resolve: resolve4, sep: sep2 } = require("node:path");

// shared/tagpolicy/markers.ts
var import_yaml2 = __toESM(require_dist(), 1);
var MarkError = class extends SetterError {
};
var NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
function checkPolicyRef(ref) {
  const parts = ref.split(":");
  if (parts.length !== 2 || !parts.every((p) => NAME.test(p) && p.length <= 253)) {
    throw new MarkError(
      "BAD_POLICY",
      `--policy must be NAMESPACE:NAME (lower-case Kubernetes names), not ${JSON.stringify(ref)}`
    );
  }
}
var keyOf = (pair) => (0, import_yaml2.isScalar)(pair.key) && typeof pair.key.value === "string" ? pair.key.value : void 0;
var scalarIn = (map, key) => {
  const v = map.get(key, true);
  return (0, import_yaml2.isScalar)(v) ? v : void 0;
};
var isImage = (value) => {
  if (typeof value !== "string") return false;
  try {
    parseImageReference(value);
    return true;
  } catch {
    return false;
  }
};
function podSpecs(doc) {
  const kind = doc.get("kind");
  const paths = kind === "Pod" ? [["spec"]] : kind === "CronJob" ? [["spec", "jobTemplate", "spec", "template", "spec"]] : [["spec", "template", "spec"]];
  return paths.flatMap((p) => mapAt(doc.contents, p) ?? []);
}
function containerFields(doc) {
  const fields = [];
  for (const spec of podSpecs(doc)) {
    for (const list3 of ["initContainers", "containers"]) {
      const items = spec.get(list3, true);
      if (!(0, import_yaml2.isSeq)(items)) continue;
      for (const item of items.items) {
        if (!(0, import_yaml2.isMap)(item)) continue;
        const name = scalarIn(item, "name")?.value;
        const image = scalarIn(item, "image");
        if (typeof name !== "string" || image === void 0) continue;
        fields.push({
          label: name,
          part: "image",
          node: image,
          inFlow: item.flow === true || items.flow === true
        });
      }
    }
  }
  return fields;
}
function valuesFields(map, path, inFlow, out) {
  for (const pair of map.items) {
    const key = keyOf(pair);
    if (key === void 0) continue;
    const label = path === "" ? key : `${path}.${key}`;
    const value = pair.value;
    const flow = inFlow || map.flow === true;
    const imageKey = /image$/i.test(key);
    if (imageKey && (0, import_yaml2.isScalar)(value) && isImage(value.value)) {
      out.push({ label, part: "image", node: value, inFlow: flow });
    } else if (imageKey && (0, import_yaml2.isMap)(value) && value.has("tag")) {
      const inner = flow || value.flow === true;
      const repository = scalarIn(value, "repository");
      if (repository !== void 0 && !value.has("registry"))
        out.push({ label, part: "name", node: repository, inFlow: inner });
      const tag = scalarIn(value, "tag");
      if (tag !== void 0) out.push({ label, part: "tag", node: tag, inFlow: inner });
      const digest = scalarIn(value, "digest");
      if (digest !== void 0 && typeof digest.value === "string" && digest.value !== "")
        out.push({ label, part: "digest", node: digest, inFlow: inner });
    } else if ((0, import_yaml2.isMap)(value)) {
      valuesFields(value, label, flow, out);
    }
  }
}
function kustomizeFields(images) {
  if (!(0, import_yaml2.isSeq)(images)) return [];
  const fields = [];
  for (const item of images.items) {
    if (!(0, import_yaml2.isMap)(item)) continue;
    const name = scalarIn(item, "name")?.value;
    if (typeof name !== "string") continue;
    const inFlow = item.flow === true || images.flow === true;
    for (const [key, part] of [
      ["newName", "name"],
      ["newTag", "tag"],
      ["digest", "digest"]
    ]) {
      const node = scalarIn(item, key);
      if (node !== void 0) fields.push({ label: name, part, node, inFlow });
    }
  }
  return fields;
}
function imageFields(docs) {
  const fields = [];
  for (const doc of docs) {
    if (!(0, import_yaml2.isMap)(doc.contents)) continue;
    const kind = doc.get("kind");
    const apiVersion = String(doc.get("apiVersion") ?? "");
    if (kind === "HelmRelease") {
      const values = mapAt(doc.contents, ["spec", "values"]);
      if (values !== void 0) valuesFields(values, "", false, fields);
    } else if (kind === "Kustomization" && apiVersion.startsWith("kustomize.toolkit.fluxcd.io/")) {
      fields.push(...kustomizeFields(mapAt(doc.contents, ["spec"])?.get("images", true)));
    } else if (kind === void 0 || kind === "Kustomization" || kind === "Component") {
      fields.push(...kustomizeFields(doc.contents.get("images", true)));
    } else {
      fields.push(...containerFields(doc));
    }
  }
  return fields;
}
var suffix = (part) => part === "image" ? "" : `:${part}`;
var markerComment = (ref) => `# {"${MARKER_KEY}": "${ref}"}`;
function insertionFor(text, lines2, field, ref) {
  const line = field.node.range ? lines2.linePos(field.node.range[0]).line : void 0;
  const where = `${field.label} (${field.part})`;
  if (field.inFlow) {
    throw new MarkError(
      "FLOW_STYLE",
      `${where} is inside a flow collection ({...} or [...]); a marker must end its line, so write that part in block style first`,
      line
    );
  }
  const at = editable(field.node);
  if (at === void 0) {
    throw new MarkError(
      "NOT_A_SCALAR",
      `${where} is a block scalar or an alias; markers work on plain or quoted values only`,
      line
    );
  }
  if (text.slice(at.start, at.end).includes("\n")) {
    throw new MarkError("MULTI_LINE", `${where} spans several lines`, line);
  }
  const newline = text.indexOf("\n", at.end);
  const rest = text.slice(at.end, newline === -1 ? text.length : newline).trim();
  if (rest === "") return { offset: at.end, text: ` ${markerComment(ref)}` };
  if (rest.startsWith("#")) {
    const existing = parseMarker(rest);
    if (existing === ref) return void 0;
    throw new MarkError(
      "HAS_COMMENT",
      existing === void 0 ? `${where} already has a line comment (${rest}); a marker must be the line's comment` : `${where} is already marked for ${existing}`,
      line
    );
  }
  throw new MarkError("NOT_LINE_END", `${where} does not end its line`, line);
}
function insertMarker(text, policy, options = {}) {
  checkPolicyRef(policy);
  const { docs, lines: lines2 } = parseYaml(text);
  const all = imageFields(docs);
  const labels = [...new Set(all.map((f) => f.label))];
  if (all.length === 0) {
    throw new MarkError(
      "NO_IMAGE_FIELD",
      "no image field found (container images, HelmRelease values ending in image, kustomize images)"
    );
  }
  const { container } = options;
  const chosen = container === void 0 ? all : all.filter((f) => f.label === container);
  if (container !== void 0 && chosen.length === 0) {
    throw new MarkError(
      "NO_SUCH_CONTAINER",
      `no image field named ${container} (found: ${labels.join(", ")})`
    );
  }
  const chosenLabels = new Set(chosen.map((f) => f.label));
  if (chosenLabels.size > 1) {
    throw new MarkError(
      "AMBIGUOUS",
      `${labels.length} image fields (${labels.join(", ")}); choose one with --container`
    );
  }
  const insertions = [];
  const marked = [];
  for (const field of chosen) {
    const insertion = insertionFor(text, lines2, field, `${policy}${suffix(field.part)}`);
    if (insertion === void 0) continue;
    insertions.push(insertion);
    marked.push({
      label: field.label,
      part: field.part,
      line: lines2.linePos(field.node.range?.[0] ?? 0).line
    });
  }
  let out = text;
  for (const i of insertions.sort((a, b) => b.offset - a.offset))
    out = out.slice(0, i.offset) + i.text + out.slice(i.offset);
  return { text: out, marked };
}
function valueProblem(part, node, text) {
  const value = typeof node.value === "string" ? node.value : scalarText(node, text);
  switch (part) {
    case "image":
      if (typeof node.value !== "string")
        return `the value ${JSON.stringify(value)} is not an image reference`;
      try {
        parseImageReference(value);
      } catch (error) {
        return `${JSON.stringify(value)} is not an image reference (${error.message})`;
      }
      return void 0;
    case "tag":
      if (isValidTag(value)) return void 0;
      return isImage(value) && /[/:@]/.test(value) ? `${JSON.stringify(value)} is a whole image reference; a :tag marker would replace it with the tag alone (use the marker without :tag)` : `${JSON.stringify(value)} is not a tag`;
    case "name":
      try {
        const ref = parseImageReference(value);
        if (ref.tag !== void 0 || ref.digest !== void 0)
          return `${JSON.stringify(value)} has a tag or digest; a :name marker would drop it (use the marker without :name)`;
      } catch {
        return `${JSON.stringify(value)} is not an image name`;
      }
      return void 0;
    default:
      return isDigest(value) ? void 0 : `${JSON.stringify(value)} is not a digest`;
  }
}
function refProblem(ref, policies) {
  const parts = ref.split(":");
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => p === ""))
    return `malformed marker; expected "<namespace>:<name>" with an optional :tag, :name or :digest`;
  const part = parts[2];
  if (part !== void 0 && !["tag", "name", "digest"].includes(part))
    return `unknown marker suffix ":${part}"; use :tag, :name or :digest`;
  const key = `${parts[0]}:${parts[1]}`;
  if (policies !== void 0 && !policies.has(key))
    return `no ImagePolicy ${key} is defined${policies.size === 0 ? " (none found)" : ""}`;
  return void 0;
}
var EMBEDDED = /\{\s*"\$imagepolicy"\s*:\s*"([^"]*)"\s*\}/g;
function lintMarkers(text, policies) {
  if (!text.includes(MARKER_KEY)) return [];
  let parsed;
  try {
    parsed = parseYaml(text);
  } catch (error) {
    const line = error instanceof SetterError ? error.line ?? 1 : 1;
    return [{ line, marker: "", message: error.message.replace(/^line \d+: /, "") }];
  }
  const { docs, lines: lines2 } = parsed;
  const findings = [];
  const used = /* @__PURE__ */ new Set();
  for (const doc of docs) {
    (0, import_yaml2.visit)(doc, {
      Scalar(key, node) {
        const range = node.range;
        if (range && (node.type === "BLOCK_LITERAL" || node.type === "BLOCK_FOLDED")) {
          const source = text.slice(range[0], range[1]);
          for (const m of source.matchAll(EMBEDDED)) {
            findings.push({
              line: lines2.linePos(range[0] + (m.index ?? 0)).line,
              marker: m[1] ?? "",
              message: "inside a block scalar (| or >): there the marker is part of a string, not a YAML comment, so it is never applied; put the image in a plain YAML field (for HelmRelease values, spec.values rather than a values file in a string)"
            });
          }
        }
        const marker = markerAfter(node, lines2);
        if (marker === void 0) return;
        const { ref, line } = marker;
        used.add(marker.offset);
        const problem = (key === "key" ? "the marker is on a mapping key, not its value" : void 0) ?? refProblem(ref, policies) ?? (editable(node) === void 0 ? "the marked value is an alias or block scalar; markers work on plain or quoted values only" : void 0) ?? valueProblem(ref.split(":")[2] ?? "image", node, text);
        if (problem !== void 0) findings.push({ line, marker: ref, message: problem });
      }
    });
  }
  for (const comment of commentTokens(text)) {
    if (used.has(comment.offset)) continue;
    const ref = parseMarker(comment.source);
    if (ref === void 0) {
      if (comment.source.includes(MARKER_KEY)) {
        findings.push({
          line: lines2.linePos(comment.offset).line,
          marker: "",
          message: `not a marker: the comment must be # followed by a JSON object of strings, e.g. ${markerComment("flux-system:app")}`
        });
      }
      continue;
    }
    findings.push({
      line: lines2.linePos(comment.offset).line,
      marker: ref,
      message: "not on the same line as a plain or quoted scalar value, so it is never applied (a marker on a line of its own, or after a key whose value is a mapping or list)"
    });
  }
  return findings.sort((a, b) => a.line - b.line);
}

// agent/automation/marker-commands.ts
function registerImagesMarkers(images) {
  images.command("mark").description(
    "add an image policy marker to the image field of a workload, HelmRelease or kustomization"
  ).argument("<file>", "YAML file to edit in place").requiredOption("--policy <namespace:name>", "the ImagePolicy the marker names").option(
    "--container <name>",
    "which image: a container name, a HelmRelease values path (e.g. dockerImage, worker.image) or a kustomize image name"
  ).action(
    runner(async (_io, file, flags) => {
      const text = await readFile3(file, "utf8");
      let marked;
      try {
        marked = insertMarker(text, flags.policy, { container: flags.container }).text;
      } catch (error) {
        if (error instanceof SetterError) throw new UsageError(`${file}: ${error.message}`);
        throw error;
      }
      if (marked !== text) await writeFile3(file, marked);
      return "success";
    })
  );
  images.command("lint").description("report image policy markers that cannot work").argument("<path>", "file or folder to check").option(
    "--policies <path>",
    "folder whose ImagePolicies the markers may name (default: the folder checked)"
  ).action(
    runner(async (io, path, flags) => {
      const isDir = (await stat(path)).isDirectory();
      const files = isDir ? await listManifestFiles(resolve4(path)) : [resolve4(path)];
      const policyRoot = resolve4(flags.policies ?? (isDir ? path : dirname(path)));
      const config = await readImageConfig(policyRoot);
      const known = new Set(config.policies.keys());
      let markers = 0;
      let problems = 0;
      for (const abs of files) {
        const text = await readFile3(abs, "utf8");
        markers += text.split('"$imagepolicy"').length - 1;
        const name = relative2(io.cwd, abs).split(sep2).join("/");
        for (const f of lintMarkers(text, known)) {
          problems++;
          io.out(`${name}:${f.line}: ${f.marker === "" ? "" : `${f.marker}: `}${f.message}
`);
        }
      }
      io.err(
        `${markers} marker(s) in ${files.length} file(s), ${problems} problem(s); ${known.size} ImagePolicy(ies) known
`
      );
      return problems > 0 ? "failure" : "success";
    })
  );
}

// agent/automation/select-command.ts
var import_yaml3 = __toESM(require_dist(), 1);
const { readFile: readFile4 } = require("node:fs/promises");
function parseTagList(text) {
  return text.split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== "");
}
function selectFromFiles(policyYaml, tagsText, policyFile = "the policy file") {
  const docs = (0, import_yaml3.parseAllDocuments)(policyYaml);
  const policies = [];
  for (const doc of docs) {
    const error = doc.errors[0];
    if (error !== void 0) {
      const line = error.linePos?.[0].line;
      throw new Error(
        `${policyFile}${line === void 0 ? "" : `:${line}`}: not valid YAML: ${error.message.split("\n")[0]}`
      );
    }
    const value = doc.toJS();
    if (typeof value === "object" && value !== null && value.kind === "ImagePolicy") {
      policies.push(value);
    }
  }
  if (policies.length !== 1) {
    throw new Error(
      policies.length === 0 ? `${policyFile} holds no ImagePolicy document` : `${policyFile} holds ${policies.length} ImagePolicy documents; give a file with exactly one`
    );
  }
  const policy = parseImagePolicy(policies[0]);
  return selectTag(policy.spec, parseTagList(tagsText));
}
function registerImagesSelect(images) {
  images.command("select").description("print the tag an ImagePolicy selects from a list of tags (one per line)").requiredOption("--policy <file>", "ImagePolicy YAML (image.toolkit.fluxcd.io/v1beta2 or v1)").requiredOption("--tags <file>", "tags, one per line; blank lines are ignored").action(
    runner(async (io, options) => {
      const [policyYaml, tagsText] = await Promise.all([
        readFile4(options.policy, "utf8"),
        readFile4(options.tags, "utf8")
      ]);
      io.out(`${selectFromFiles(policyYaml, tagsText, options.policy).tag}
`);
      return "success";
    })
  );
}

// agent/bootstrap/commands.ts
const { createInterface } = require("node:readline/promises");
var durationOf = (text, flag) => {
  try {
    return parseDuration(text, flag);
  } catch (error) {
    throw new UsageError(error.message);
  }
};
async function confirm(question) {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}
function registerInstallCommands(program) {
  program.command("bootstrap").description(
    "install the agent: commit its manifests under PATH/tether-system, push, apply them with its Git Secret, wait until it synced (again: upgrade)"
  ).requiredOption(
    "--git-url <url>",
    "the repository (https:// with --token-auth, ssh:// or user@host:path with --ssh)"
  ).option("--git-branch <branch>", "branch the agent follows and bootstrap commits to", "main").requiredOption("--path <path>", "the cluster's folder in the repository, e.g. clusters/edge-1").option(
    "--ssh",
    "generate an ed25519 deploy key for the agent (printed; `tether identity` prints it again)"
  ).option(
    "--token-auth",
    "the agent uses TETHER_GIT_USERNAME / TETHER_GIT_PASSWORD (a read token)"
  ).option("--image <ref>", `the agent's image (default ${defaultImage()})`).option("--namespace <ns>", "the agent's namespace", AGENT_NAMESPACE).option(
    "--private-key-file <file>",
    "with --ssh: the key bootstrap pushes with (default: ssh's own)"
  ).option(
    "--known-hosts <file>",
    "with --ssh: the Git host's keys (default: ssh-keyscan of the host)"
  ).option("--author-name <name>", "author of the commit", "Tether").option("--author-email <email>", "author email of the commit", "tether@localhost").option("--no-wait", "return once applied, without waiting for the agent").option("--timeout <duration>", "how long to wait for the agent's rollout", "5m").option(
    "--sync-timeout <duration>",
    "after the rollout, how long to wait for the agent's record of the commit",
    "30s"
  ).option("--kubeconfig <file>", "kubeconfig (default: KUBECONFIG, ~/.kube/config or in-cluster)").action(
    runner(async (io, flags) => {
      if (Boolean(flags.ssh) === Boolean(flags.tokenAuth))
        throw new UsageError("give one of --ssh or --token-auth");
      const options = {
        gitUrl: flags.gitUrl,
        branch: flags.gitBranch,
        path: flags.path,
        auth: flags.ssh ? "ssh" : "token",
        image: flags.image ?? defaultImage(),
        namespace: flags.namespace,
        username: io.env.TETHER_GIT_USERNAME,
        password: io.env.TETHER_GIT_PASSWORD ?? io.env.TETHER_GIT_TOKEN,
        privateKeyFile: flags.privateKeyFile,
        knownHostsFile: flags.knownHosts,
        author: { name: flags.authorName, email: flags.authorEmail },
        wait: flags.wait,
        timeoutMs: durationOf(flags.timeout, "--timeout"),
        syncTimeoutMs: durationOf(flags.syncTimeout, "--sync-timeout")
      };
      const { bootstrap } = await import("./bootstrap-IE5ILC4H.js");
      await withClient(flags.kubeconfig, (client) => bootstrap(client, options, lines(io).out));
      return "success";
    })
  );
  program.command("identity").description("print the agent's deploy key (the public half of its SSH key), from the cluster").option("--namespace <ns>", "the agent's namespace", AGENT_NAMESPACE).option("--kubeconfig <file>", "kubeconfig (default: KUBECONFIG, ~/.kube/config or in-cluster)").action(
    runner(async (io, flags) => {
      const { readGitSecret } = await import("./cluster-OHTF4VXL.js");
      const data = await withClient(
        flags.kubeconfig,
        (client) => readGitSecret(client, flags.namespace)
      );
      if (!data)
        throw new Error(`no Secret ${flags.namespace}/${GIT_SECRET}: run tether bootstrap first`);
      const key = data["identity.pub"];
      if (!key) {
        throw new Error(
          `the agent's Secret ${flags.namespace}/${GIT_SECRET} holds ${data.identity ? "a private key without its public half" : "a token, not an SSH key"}: no deploy key to print`
        );
      }
      io.out(`${key.trim()}
`);
      return "success";
    })
  );
  program.command("uninstall").description(
    "remove the agent, its records and the CRDs it installed; keep what it applied (without Tether's labels) unless --prune-workloads"
  ).option("--yes", "do not ask for confirmation (needed when not in a terminal)").option("--prune-workloads", "delete the objects the agent applied instead of keeping them").option("--keep-crds", "keep the CRDs Tether installed for Flux and Helm kinds").option("--namespace <ns>", "the agent's namespace", AGENT_NAMESPACE).option(
    "--timeout <duration>",
    "how long to wait for the agent and its namespace to be gone",
    "2m"
  ).option("--kubeconfig <file>", "kubeconfig (default: KUBECONFIG, ~/.kube/config or in-cluster)").action(
    runner(async (io, flags) => {
      const timeoutMs = durationOf(flags.timeout, "--timeout");
      const what = flags.pruneWorkloads ? "delete the agent AND every object it applied" : "delete the agent (the objects it applied stay)";
      if (!flags.yes) {
        if (!process.stdin.isTTY)
          throw new RefusedError(`uninstall would ${what}: pass --yes when not in a terminal`);
        if (!await confirm(`Uninstall Tether from namespace ${flags.namespace}: ${what}?`))
          throw new RefusedError("not confirmed; nothing changed");
      }
      const { uninstall } = await import("./uninstall-SMS6DE7T.js");
      await withClient(
        flags.kubeconfig,
        (client) => uninstall(
          client,
          {
            namespace: flags.namespace,
            pruneWorkloads: flags.pruneWorkloads ?? false,
            keepCrds: flags.keepCrds ?? false,
            timeoutMs,
            kubeconfig: flags.kubeconfig
          },
          lines(io).out
        )
      );
      return "success";
    })
  );
}

// agent/control-commands.ts
async function patch(client, target, body) {
  try {
    return await client.request({
      method: "PATCH",
      path: await client.pathOf(target.ref),
      body,
      contentType: "application/merge-patch+json"
    });
  } catch (error) {
    if (error instanceof KubeApiError && error.status === 404) {
      const what = target.type === "unit" ? `unit "${target.name}" has no record in namespace ${target.ref.namespace} (has the agent run it? see tether status)` : `${target.kind} ${target.ref.namespace}/${target.ref.name} not found`;
      throw new UsageError(what);
    }
    throw error;
  }
}
function outcomeOf2(target, live, token) {
  if (!live) return void 0;
  const name = target.type === "unit" ? target.name : `${target.kind}/${target.ref.namespace}/${target.ref.name}`;
  if (target.type === "unit") {
    const status2 = recordOf(live.data ?? {}).status;
    if (!status2 || Date.parse(status2.lastSync) < Date.parse(token)) return void 0;
    return {
      target: name,
      ready: status2.result === "Succeeded",
      revision: status2.revision,
      message: status2.lastError ?? `${status2.result} (${status2.health})`
    };
  }
  const status = live.status ?? {};
  if (status.lastHandledReconcileAt !== token) return void 0;
  const ready = status.conditions?.find((c) => c.type === "Ready");
  if (!ready || ready.status === "Unknown") return void 0;
  return {
    target: name,
    ready: ready.status === "True",
    revision: status.lastAppliedRevision,
    message: ready.message ?? ""
  };
}
async function waitForPass(client, target, token, timeoutMs, io) {
  const started = Date.now();
  const tty = process.stderr.isTTY === true;
  for (; ; ) {
    const outcome = outcomeOf2(target, await client.get(target.ref), token);
    if (outcome) {
      if (tty) io.err("\r\x1B[K");
      return outcome;
    }
    const waited = Math.round((Date.now() - started) / 1e3);
    if (Date.now() - started > timeoutMs)
      throw new Error(
        `no pass reported after ${waited}s (is the agent running? it reads requests every few seconds)`
      );
    if (tty) io.err(`\r\u25CE waiting for the agent to reconcile ${target.ref.name} (${waited}s)`);
    await new Promise((r) => setTimeout(r, 500));
  }
}
function print(io, output, outcome) {
  if (output === "json") io.out(`${JSON.stringify(outcome, null, 2)}
`);
  else
    lines(io).out(
      `${outcome.ready ? "\u2714" : "\u2717"} ${outcome.target}${outcome.revision ? ` at ${outcome.revision.slice(0, 12)}` : ""}: ${outcome.message}`
    );
}
async function reconcileNow(io, text, flags) {
  const target = parseTarget(text, flags.namespace, flags.fluxNamespace);
  const timeoutMs = parseDuration(flags.timeout, "--timeout");
  return withClient(flags.kubeconfig, async (client) => {
    const token = (/* @__PURE__ */ new Date()).toISOString();
    const live = await patch(client, target, reconcilePatch(token));
    const suspended = target.type === "unit" ? live.metadata.annotations?.[SUSPEND] === "true" : live.spec?.suspend === true;
    if (suspended) throw new UsageError(`${text} is suspended (tether resume ${text})`);
    if (flags.withSource && target.type === "flux") {
      const live2 = await client.get(target.ref);
      const source = live2?.spec?.sourceRef;
      if (source?.kind === "GitRepository")
        await client.request({
          method: "PATCH",
          path: await client.pathOf({
            apiVersion: "source.toolkit.fluxcd.io/v1",
            kind: "GitRepository",
            namespace: source.namespace ?? target.ref.namespace ?? "flux-system",
            name: source.name
          }),
          body: reconcilePatch(token),
          contentType: "application/merge-patch+json"
        }).catch(() => void 0);
    }
    lines(io).err(`\u25BA reconcile of ${text} requested (${REQUESTED_AT}=${token})`);
    if (!flags.wait) return "success";
    const outcome = await waitForPass(client, target, token, timeoutMs, io);
    print(io, flags.output, outcome);
    return outcome.ready ? "success" : "failure";
  });
}
function controlOptions(command) {
  return command.option("--namespace <ns>", "namespace of the agent's records", AGENT_NAMESPACE).option(
    "--flux-namespace <ns>",
    "namespace of kustomization/NAME and helmrelease/NAME",
    "flux-system"
  ).option(
    "--kubeconfig <file>",
    "kubeconfig (default: KUBECONFIG, ~/.kube/config or in-cluster)"
  );
}
function registerControlCommands(program) {
  controlOptions(
    program.command("reconcile").argument("<target>", "a unit name, kustomization/NAME or helmrelease/NAME").description("ask the running agent for a pass now and wait for its result")
  ).option("--with-source", "also ask for the Flux object's GitRepository to be fetched").option("--timeout <duration>", "how long to wait for the pass", "5m").option("--no-wait", "only ask; do not wait for the result").option("-o, --output <format>", "text or json", "text").action(runner((io, text, flags) => reconcileNow(io, text, flags)));
  for (const [verb, suspend] of [
    ["suspend", true],
    ["resume", false]
  ]) {
    controlOptions(
      program.command(verb).argument("<target>", "a unit name, kustomization/NAME or helmrelease/NAME").description(
        suspend ? "stop the agent from reconciling a unit or Flux object until it is resumed" : "reconcile a suspended unit or Flux object again (and wait for its pass)"
      )
    ).option("--timeout <duration>", "how long resume waits for the pass", "5m").option("--no-wait", "resume only asks; does not wait for the result").option("-o, --output <format>", "text or json", "text").action(
      runner(async (io, text, flags) => {
        const target = parseTarget(text, flags.namespace, flags.fluxNamespace);
        await withClient(
          flags.kubeconfig,
          (client) => patch(client, target, suspendPatch(target, suspend))
        );
        lines(io).err(`\u25BA ${text} ${suspend ? "suspended" : "resumed"}`);
        if (suspend) return "success";
        return reconcileNow(io, text, flags);
      })
    );
  }
  program.command("events").description("what the agent reported, newest last (Kubernetes Events from Tether)").option("--for <object>", "only events about unit/NAME, Kind/NAME").option("--namespace <ns>", "namespace to read (default: the agent's)", AGENT_NAMESPACE).option("-A, --all-namespaces", "events in every namespace").option("--kubeconfig <file>", "kubeconfig (default: KUBECONFIG, ~/.kube/config or in-cluster)").option("-o, --output <format>", "table or json", "table").action(
    runner(
      async (io, flags) => {
        const events = await withClient(
          flags.kubeconfig,
          (client) => client.list("v1", "Event", flags.allNamespaces ? {} : { namespace: flags.namespace })
        );
        const rows = selectEvents(events, flags.for);
        if (flags.output === "json") {
          io.out(`${JSON.stringify(rows, null, 2)}
`);
          return "success";
        }
        if (rows.length === 0) {
          lines(io).out("no events from Tether");
          return "success";
        }
        printTable(
          [
            ["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"],
            ...rows.map((e) => [
              e.lastSeen,
              e.type,
              e.reason,
              e.object,
              e.message.split("\n")[0] ?? ""
            ])
          ],
          io.out
        );
        return "success";
      }
    )
  );
}
function selectEvents(events, about) {
  const rows = [];
  for (const e of events) {
    const source = e.source?.component ?? "";
    const reporting = String(e.reportingComponent ?? "");
    if (!source.startsWith("tether") && !reporting.startsWith("tether")) continue;
    const involved = e.involvedObject ?? {};
    const object = involved.kind === "ConfigMap" && involved.name?.startsWith("tether-unit-") ? `unit/${involved.name.slice("tether-unit-".length)}` : `${involved.kind}/${involved.namespace ? `${involved.namespace}/` : ""}${involved.name}`;
    if (about && !matches(object, about)) continue;
    rows.push({
      lastSeen: String(e.lastTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp ?? ""),
      type: String(e.type ?? ""),
      reason: String(e.reason ?? ""),
      object,
      message: String(e.message ?? "")
    });
  }
  return rows.sort((a, b) => a.lastSeen < b.lastSeen ? -1 : a.lastSeen > b.lastSeen ? 1 : 0);
}
function matches(object, about) {
  const [kind, ...rest] = object.split("/");
  const [aKind, ...aRest] = about.split("/");
  if (kind?.toLowerCase() !== aKind?.toLowerCase()) return false;
  const name = rest.at(-1);
  return aRest.length === 1 ? aRest[0] === name : aRest.join("/") === rest.join("/");
}

// cli/cli.ts
function createProgram() {
  const program = baseProgram();
  registerAgentCommands(program);
  registerInstallCommands(program);
  registerControlCommands(program);
  registerImageCommands(program);
  registerValidateCommand(program);
  registerPreviewCommand(program);
  registerSchemasCommand(program);
  const images = program.command("images").description("image automation: select tags by policy, update image references in Git");
  registerImagesSelect(images);
  registerImagesCommands(images);
  registerImagesMarkers(images);
  registerActionCommand(program);
  return program;
}
function registerActionCommand(program) {
  program.command("action", { hidden: true }).description("the GitHub Action's step: run the command the Action's inputs name").action(
    runner(async () => {
      const { coreInputs, loadInputs, stepCommand } = await import("./inputs-WFP4IK6S.js");
      loadInputs(process.env);
      const { argv, env } = stepCommand(coreInputs);
      Object.assign(process.env, env);
      await createProgram().parseAsync(argv, { from: "user" });
      return void 0;
    })
  );
}
export {
  createProgram
};
