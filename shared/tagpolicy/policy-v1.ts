// Flux v1 automation read from workload annotations (seed 004): `fluxcd.io/automated`,
// `fluxcd.io/locked`, `fluxcd.io/ignore` and `fluxcd.io/tag.<container>: <filter>`,
// also under the older `flux.weave.works/` prefix. A filter is `glob:<pattern>` (the
// default when no prefix is given; only `*` is special, as in ryanuber/go-glob),
// `regex:`/`regexp:<Go regexp>` (searched anywhere in the tag) or
// `semver:<Masterminds range>` (tags parsed loosely: "1", "1.2", "v1.2.3").
//
// Ordering, as Flux v1: semver picks the highest version, and of equal versions
// ("1.10" and "1.10.0") the byte-wise greatest tag. Glob and regex pick the newest by
// image creation time, and of equal times the byte-wise smallest tag.
//
// Where Tether differs from Flux v1:
// - A tag without a creation time sorts after every tag that has one (Flux v1 treated
//   it as year 1, the same thing in practice); when no matching tag has a time at all
//   the selection is a MissingCreationTimeError instead of an arbitrary pick.
// - An invalid regex or semver range is an error; Flux v1 matched every tag instead.
// - When both prefixes set the same annotation, `fluxcd.io/` wins (Flux v1 took
//   whichever its map iteration met last).
import { MissingCreationTimeError, NoMatchingTagError, NoTagsError } from "./errors.ts";
import { compileGoRegexp, type GoRegexp } from "./goregexp.ts";
import { compareBytes, pickLast, type Selection } from "./order.ts";
import {
  compareVersions,
  parseLooseVersion,
  parseSemverRange,
  type SemverRange,
  satisfies,
} from "./semver.ts";

export type V1Filter =
  | { readonly kind: "glob"; readonly source: string; readonly pattern: string }
  | { readonly kind: "regex"; readonly source: string; readonly re: GoRegexp }
  | { readonly kind: "semver"; readonly source: string; readonly range: SemverRange };

/** Parses a v1 tag filter; throws InvalidRegexError or InvalidSemverRangeError. */
export function parseV1Filter(filter: string): V1Filter {
  if (filter.startsWith("semver:")) {
    return {
      kind: "semver",
      source: filter,
      range: parseSemverRange(filter.slice("semver:".length)),
    };
  }
  for (const prefix of ["regexp:", "regex:"]) {
    if (filter.startsWith(prefix)) {
      return { kind: "regex", source: filter, re: compileGoRegexp(filter.slice(prefix.length)) };
    }
  }
  const pattern = filter.startsWith("glob:") ? filter.slice("glob:".length) : filter;
  return { kind: "glob", source: filter, pattern };
}

// ryanuber/go-glob, which Flux v1 used: only "*" is special.
function glob(pattern: string, subject: string): boolean {
  if (pattern === "") return subject === "";
  if (pattern === "*") return true;
  const parts = pattern.split("*");
  if (parts.length === 1) return subject === pattern;
  const leading = pattern.startsWith("*");
  const trailing = pattern.endsWith("*");
  const end = parts.length - 1;
  let rest = subject;
  for (let i = 0; i < end; i++) {
    const part = parts[i] ?? "";
    const idx = rest.indexOf(part);
    if (i === 0 ? !leading && idx !== 0 : idx < 0) return false;
    rest = rest.slice(idx + part.length);
  }
  return trailing || rest.endsWith(parts[end] ?? "");
}

function matches(f: V1Filter, tag: string): boolean {
  switch (f.kind) {
    case "glob":
      return glob(f.pattern, tag);
    case "regex":
      return f.re.test(tag);
    case "semver": {
      const v = parseLooseVersion(tag);
      return v !== undefined && satisfies(f.range, v);
    }
  }
}

/**
 * The tags a v1 filter admits, in input order. For glob and regex filters these are the
 * tags whose creation time the caller must look up before calling selectTagV1.
 */
export function v1Candidates(filter: string | V1Filter, tags: readonly string[]): string[] {
  const f = typeof filter === "string" ? parseV1Filter(filter) : filter;
  return [...new Set(tags)].filter((tag) => matches(f, tag));
}

/**
 * Selects the tag a Flux v1 filter picks. `createdAt` maps tags to image creation
 * times; glob and regex filters need it for the matching tags.
 */
export function selectTagV1(
  filter: string,
  tags: readonly string[],
  createdAt: ReadonlyMap<string, Date> = new Map(),
): Selection {
  if (tags.length === 0) throw new NoTagsError();
  const f = parseV1Filter(filter);
  const matching = v1Candidates(f, tags);
  if (matching.length === 0) {
    throw new NoMatchingTagError(
      `none of the ${new Set(tags).size} tag(s) matches ${JSON.stringify(filter)}`,
      0,
    );
  }
  if (f.kind === "semver") {
    const versions = matching.flatMap((tag) => {
      const v = parseLooseVersion(tag);
      return v === undefined ? [] : [{ tag, v }];
    });
    const best = pickLast(versions, (a, b) => compareVersions(a.v, b.v));
    if (best === undefined)
      throw new NoMatchingTagError(`no tag matches ${JSON.stringify(filter)}`, 0);
    return { tag: best.tag, value: best.tag, candidates: versions.length };
  }
  const timed = matching.flatMap((tag) => {
    const t = createdAt.get(tag)?.getTime();
    return t === undefined || Number.isNaN(t) ? [] : [{ tag, t }];
  });
  if (timed.length === 0) throw new MissingCreationTimeError(filter, matching);
  let best = timed[0] as { tag: string; t: number };
  for (const c of timed) {
    if (c.t > best.t || (c.t === best.t && compareBytes(c.tag, best.tag) < 0)) best = c;
  }
  return { tag: best.tag, value: best.tag, candidates: matching.length };
}

export interface V1Automation {
  /** `automated: "true"`: update images of this workload. */
  readonly automated: boolean;
  /** `locked: "true"`: never change this workload. */
  readonly locked: boolean;
  /** `ignore: "true"`: Flux v1 left the workload alone entirely. */
  readonly ignore: boolean;
  /** Tag filter per container name; a container without one uses "glob:*". */
  readonly tagFilters: ReadonlyMap<string, string>;
}

export const V1_DEFAULT_FILTER = "glob:*";

const V1_PREFIXES = ["flux.weave.works/", "fluxcd.io/"] as const; // later wins

/** Reads Flux v1 automation annotations from a workload's metadata.annotations. */
export function readV1Annotations(
  annotations: Readonly<Record<string, unknown>> | undefined,
): V1Automation {
  const values = new Map<string, string>();
  for (const prefix of V1_PREFIXES) {
    for (const [key, value] of Object.entries(annotations ?? {})) {
      if (key.startsWith(prefix) && typeof value === "string")
        values.set(key.slice(prefix.length), value);
    }
  }
  const tagFilters = new Map<string, string>();
  for (const [key, value] of values) {
    if (key.startsWith("tag.")) tagFilters.set(key.slice("tag.".length), value);
  }
  return {
    automated: values.get("automated") === "true",
    locked: values.get("locked") === "true",
    ignore: values.get("ignore") === "true",
    tagFilters,
  };
}
