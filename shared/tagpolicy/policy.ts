// Tag selection with the semantics of Flux's image-reflector-controller ImagePolicy
// (image.toolkit.fluxcd.io v1beta2 and v1), plus the Flux v1 annotation filters
// (re-exported from policy-v1.ts). Pure: the caller brings the tag list.
//
// Flux semantics kept: filterTags.pattern is a Go regexp searched anywhere in the tag
// (unanchored) and only matching tags take part; filterTags.extract is a Go template
// ($name, ${name}, $1, ${1}; "$1x" means the group named "1x") whose result is what the
// policy compares, and the selected tag is the original one; semver.range is a
// Masterminds v3 constraint and tags must be strict SemVer with an optional leading "v"
// (others are skipped); alphabetical compares bytes; asc picks the highest, desc the
// lowest (semver always the highest); order defaults to asc.
//
// Where Tether differs from Flux, on purpose:
// - Ties. When candidates compare equal (1.2.3 / v1.2.3 / 1.2.3+build, 5 / 05, or one
//   extracted value shared by several tags), the byte-wise greatest tag wins, for every
//   policy and both orders. Flux keeps whichever its loop meets first, which depends on
//   registry listing order and, for duplicate extracted values, on Go map order.
// - numerical compares the decimal digits exactly; Flux parses float64, so
//   1.00000000000000001 == 1 and integers above 2^53 collide there. Accepted: sign,
//   digits, fraction, exponent ("-1.5", ".5", "1e3"). Go also accepts Inf, NaN and hex
//   floats; Tether rejects them. Values beyond float64 (1e400) fail in Flux and compare
//   exactly here. Any value that does not parse is an InvalidNumberError naming the
//   first such tag in list order (Flux also fails the whole policy).
// - semver follows Masterminds v3.4: a pre-release tag is admitted when any constraint
//   of its AND group names a pre-release (">=1.0.0-0 <2.0.0" admits 1.5.0-rc.1). Flux
//   builds on Masterminds < 3.4 wanted a pre-release in every constraint of the group.
// - Validation Flux leaves to other places is done here: an extract that names a group
//   the pattern lacks is an error (`flux create` refuses it; the controller would
//   extract "" for every tag), more than one of semver/alphabetical/numerical is an
//   error (Flux silently prefers semver, then alphabetical), order must be "asc" or
//   "desc" as the CRD enum demands, and unknown fields under spec are errors (the API
//   server would drop them, so a typo would silently change the policy).
// - Patterns run on re2js, an RE2 port, in linear time as Go's regexp does (see
//   goregexp.ts), so a hostile pattern or tag cannot stall the loop.

import { messageOf } from "../util/message.ts";
import { compareDecimals, type Decimal, parseDecimal } from "./decimal.ts";
import {
  InvalidImagePolicyError,
  InvalidNumberError,
  InvalidRegexError,
  InvalidSemverRangeError,
  NoMatchingTagError,
  NoTagsError,
  type PolicyProblem,
} from "./errors.ts";
import { compileGoRegexp, expandTemplate, type GoRegexp, templateRefs } from "./goregexp.ts";
import { compareBytes, pickLast, type Selection } from "./order.ts";
import {
  compareVersions,
  parseSemverRange,
  parseTagVersion,
  satisfies,
  type Version,
} from "./semver.ts";

export type { Selection } from "./order.ts";
export {
  parseV1Filter,
  readV1Annotations,
  selectTagV1,
  type V1Automation,
  type V1Filter,
  v1Candidates,
} from "./policy-v1.ts";

export type Order = "asc" | "desc";

export type PolicyChoice =
  | { readonly semver: { readonly range: string } }
  | { readonly alphabetical: { readonly order?: Order } }
  | { readonly numerical: { readonly order?: Order } };

export interface TagFilter {
  readonly pattern?: string;
  readonly extract?: string;
}

export interface ImagePolicySpec {
  readonly imageRepositoryRef: { readonly name: string; readonly namespace?: string };
  readonly policy: PolicyChoice;
  readonly filterTags?: TagFilter;
  readonly digestReflectionPolicy?: "Always" | "IfNotPresent" | "Never";
  readonly interval?: string;
  readonly suspend?: boolean;
}

export const IMAGE_POLICY_API_VERSIONS = [
  "image.toolkit.fluxcd.io/v1beta2",
  "image.toolkit.fluxcd.io/v1",
] as const;

export interface ImagePolicy {
  readonly apiVersion: (typeof IMAGE_POLICY_API_VERSIONS)[number];
  readonly kind: "ImagePolicy";
  readonly name: string;
  readonly namespace?: string;
  readonly spec: ImagePolicySpec;
}

interface CompiledFilter {
  readonly re: GoRegexp;
  readonly pattern: string;
  readonly extract: string;
}

/**
 * Compiles filterTags: the pattern with Go's syntax, and checks that every group the
 * extract template names exists. Throws InvalidRegexError / InvalidImagePolicyError.
 */
export function compileTagFilter(filter: TagFilter): CompiledFilter {
  const pattern = filter.pattern ?? "";
  const extract = filter.extract ?? "";
  const re = compileGoRegexp(pattern);
  const problems: PolicyProblem[] = [];
  for (const ref of templateRefs(extract)) {
    if (ref.kind === "number" && ref.number > re.groupCount) {
      problems.push({
        path: "spec.filterTags.extract",
        message: `$${ref.number} refers to group ${ref.number}, but the pattern has ${re.groupCount} group(s)`,
      });
    } else if (ref.kind === "name" && !re.groupNames.includes(ref.name)) {
      const hint = /^[0-9]/.test(ref.name)
        ? ` (Go reads "$${ref.name}" as a group name; write \${N} for a number)`
        : "";
      problems.push({
        path: "spec.filterTags.extract",
        message: `refers to group "${ref.name}", which the pattern does not define${hint}`,
      });
    }
  }
  if (problems.length > 0) throw new InvalidImagePolicyError(problems);
  return { re, pattern, extract };
}

interface Candidate {
  readonly tag: string;
  readonly value: string;
}

function applyFilter(filter: TagFilter | undefined, tags: readonly string[]): Candidate[] {
  if (filter === undefined) return tags.map((tag) => ({ tag, value: tag }));
  const { re, pattern, extract } = compileTagFilter(filter);
  const out: Candidate[] = [];
  for (const tag of tags) {
    const m = re.exec(tag);
    if (m === null) continue;
    out.push({ tag, value: extract === "" ? tag : expandTemplate(re, extract, m) });
  }
  if (out.length === 0) {
    throw new NoMatchingTagError(
      `none of the ${tags.length} tag(s) matches filterTags.pattern ${JSON.stringify(pattern)}`,
      0,
    );
  }
  return out;
}

function checkOrder(order: unknown, path: string): Order {
  if (order === undefined) return "asc";
  if (order === "asc" || order === "desc") return order;
  throw new InvalidImagePolicyError([
    { path, message: `must be "asc" or "desc", not ${JSON.stringify(order)}` },
  ]);
}

/**
 * Selects the tag an ImagePolicy picks from `tags` (the registry's list; order does not
 * matter). Throws NoTagsError, NoMatchingTagError, InvalidNumberError,
 * InvalidRegexError, InvalidSemverRangeError or InvalidImagePolicyError.
 */
export function selectTag(
  spec: Pick<ImagePolicySpec, "policy" | "filterTags">,
  tags: readonly string[],
): Selection {
  const unique = [...new Set(tags)];
  if (unique.length === 0) throw new NoTagsError();
  const { policy } = spec;
  const choices = ["semver", "alphabetical", "numerical"].filter((k) => k in policy);
  if (choices.length !== 1) {
    throw new InvalidImagePolicyError([
      { path: "spec.policy", message: "set exactly one of semver, alphabetical or numerical" },
    ]);
  }
  const candidates = applyFilter(spec.filterTags, unique);

  if ("semver" in policy) {
    const range = parseSemverRange(policy.semver.range);
    const versions: (Candidate & { v: Version })[] = [];
    for (const c of candidates) {
      const v = parseTagVersion(c.value);
      if (v !== undefined && satisfies(range, v)) versions.push({ ...c, v });
    }
    const best = pickLast(versions, (a, b) => compareVersions(a.v, b.v));
    if (best === undefined) {
      const notVersions = candidates.filter((c) => parseTagVersion(c.value) === undefined).length;
      throw new NoMatchingTagError(
        `no tag satisfies semver range ${JSON.stringify(policy.semver.range)} (${candidates.length} candidate(s), ${notVersions} of them not versions)`,
        candidates.length,
      );
    }
    return { tag: best.tag, value: best.value, candidates: versions.length };
  }

  if ("alphabetical" in policy) {
    const sign =
      checkOrder(policy.alphabetical.order, "spec.policy.alphabetical.order") === "asc" ? 1 : -1;
    const best = pickLast(candidates, (a, b) => sign * compareBytes(a.value, b.value));
    if (best === undefined) throw new NoMatchingTagError("no tag to order", 0);
    return { tag: best.tag, value: best.value, candidates: candidates.length };
  }

  const sign = checkOrder(policy.numerical.order, "spec.policy.numerical.order") === "asc" ? 1 : -1;
  const numbers: (Candidate & { n: Decimal })[] = [];
  for (const c of candidates) {
    const n = parseDecimal(c.value);
    if (n === undefined) throw new InvalidNumberError(c.tag, c.value);
    numbers.push({ ...c, n });
  }
  const best = pickLast(numbers, (a, b) => sign * compareDecimals(a.n, b.n));
  if (best === undefined) throw new NoMatchingTagError("no tag to order", 0);
  return { tag: best.tag, value: best.value, candidates: numbers.length };
}

// ---- Parsing ImagePolicy objects --------------------------------------------------------

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

class Checker {
  readonly problems: PolicyProblem[] = [];

  add(path: string, message: string): void {
    this.problems.push({ path, message });
  }

  object(v: unknown, path: string, keys: readonly string[]): Obj | undefined {
    if (!isObj(v)) {
      this.add(path, v === undefined || v === null ? "is required" : "must be a mapping");
      return undefined;
    }
    for (const key of Object.keys(v)) {
      if (!keys.includes(key))
        this.add(`${path}.${key}`, `unknown field (known: ${keys.join(", ")})`);
    }
    return v;
  }

  string(v: unknown, path: string, required: boolean): string | undefined {
    if (v === undefined || v === null) {
      if (required) this.add(path, "is required");
      return undefined;
    }
    if (typeof v !== "string") {
      this.add(path, `must be a string, not ${JSON.stringify(v)} (quote it in YAML)`);
      return undefined;
    }
    if (required && v === "") this.add(path, "must not be empty");
    return v;
  }

  order(v: Obj | undefined, path: string): Order | undefined {
    const order = this.string(v?.order, `${path}.order`, false);
    if (order === undefined) return undefined;
    if (order !== "asc" && order !== "desc") {
      this.add(`${path}.order`, `must be "asc" or "desc", not ${JSON.stringify(order)}`);
      return undefined;
    }
    return order;
  }
}

const SPEC_KEYS = [
  "imageRepositoryRef",
  "policy",
  "filterTags",
  "digestReflectionPolicy",
  "interval",
  "suspend",
] as const;
const INTERVAL = /^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$/;

function errorReason(error: unknown): string {
  if (error instanceof InvalidRegexError || error instanceof InvalidSemverRangeError)
    return error.reason;
  return messageOf(error);
}

/**
 * Reads an ImagePolicy from a parsed YAML/JSON object, as `flux create image policy
 * --export` writes it (v1beta2 or v1). Reports every problem at once in an
 * InvalidImagePolicyError.
 */
export function parseImagePolicy(doc: unknown): ImagePolicy {
  const c = new Checker();
  if (!isObj(doc))
    throw new InvalidImagePolicyError([{ path: "(document)", message: "must be a mapping" }]);
  const apiVersion = c.string(doc.apiVersion, "apiVersion", true);
  const supported = IMAGE_POLICY_API_VERSIONS as readonly string[];
  if (apiVersion !== undefined && !supported.includes(apiVersion)) {
    c.add(
      "apiVersion",
      `must be one of ${supported.join(", ")}, not ${JSON.stringify(apiVersion)}`,
    );
  }
  const kind = c.string(doc.kind, "kind", true);
  if (kind !== undefined && kind !== "ImagePolicy")
    c.add("kind", `must be ImagePolicy, not ${JSON.stringify(kind)}`);
  const metadata = isObj(doc.metadata) ? doc.metadata : undefined;
  if (metadata === undefined) c.add("metadata", "is required");
  const name = c.string(metadata?.name, "metadata.name", true);
  const namespace = c.string(metadata?.namespace, "metadata.namespace", false);

  const spec = c.object(doc.spec, "spec", SPEC_KEYS);
  const ref = c.object(spec?.imageRepositoryRef, "spec.imageRepositoryRef", ["name", "namespace"]);
  const refName = c.string(ref?.name, "spec.imageRepositoryRef.name", true);
  const refNamespace = c.string(ref?.namespace, "spec.imageRepositoryRef.namespace", false);

  let policy: PolicyChoice | undefined;
  const choice = c.object(spec?.policy, "spec.policy", ["semver", "alphabetical", "numerical"]);
  if (choice !== undefined) {
    const set = (["semver", "alphabetical", "numerical"] as const).filter((k) => choice[k] != null);
    if (set.length !== 1) {
      c.add(
        "spec.policy",
        `set exactly one of semver, alphabetical or numerical (found ${set.length})`,
      );
    } else if (set[0] === "semver") {
      const semver = c.object(choice.semver, "spec.policy.semver", ["range"]);
      const range = c.string(semver?.range, "spec.policy.semver.range", true);
      if (range !== undefined && range !== "") {
        try {
          parseSemverRange(range);
          policy = { semver: { range } };
        } catch (error) {
          c.add("spec.policy.semver.range", errorReason(error));
        }
      }
    } else {
      const which = set[0] === "alphabetical" ? "alphabetical" : "numerical";
      const body = c.object(choice[which], `spec.policy.${which}`, ["order"]);
      const order = c.order(body, `spec.policy.${which}`);
      const inner = order === undefined ? {} : { order };
      policy = which === "alphabetical" ? { alphabetical: inner } : { numerical: inner };
    }
  }

  let filterTags: TagFilter | undefined;
  if (spec?.filterTags != null) {
    const f = c.object(spec.filterTags, "spec.filterTags", ["pattern", "extract"]);
    const pattern = c.string(f?.pattern, "spec.filterTags.pattern", false);
    const extract = c.string(f?.extract, "spec.filterTags.extract", false);
    filterTags = {
      ...(pattern === undefined ? {} : { pattern }),
      ...(extract === undefined ? {} : { extract }),
    };
    try {
      compileTagFilter(filterTags);
    } catch (error) {
      if (error instanceof InvalidImagePolicyError) c.problems.push(...error.problems);
      else c.add("spec.filterTags.pattern", errorReason(error));
    }
  }

  const drp = c.string(spec?.digestReflectionPolicy, "spec.digestReflectionPolicy", false);
  if (drp !== undefined && drp !== "Always" && drp !== "IfNotPresent" && drp !== "Never") {
    c.add(
      "spec.digestReflectionPolicy",
      `must be Always, IfNotPresent or Never, not ${JSON.stringify(drp)}`,
    );
  }
  const interval = c.string(spec?.interval, "spec.interval", false);
  if (interval !== undefined && !INTERVAL.test(interval)) {
    c.add(
      "spec.interval",
      `must be a duration such as 10m or 1h30m, not ${JSON.stringify(interval)}`,
    );
  }
  if (interval !== undefined && drp !== "Always") {
    c.add("spec.interval", "is only accepted when spec.digestReflectionPolicy is Always");
  }
  if (drp === "Always" && interval === undefined) {
    c.add("spec.interval", "must be set when spec.digestReflectionPolicy is Always");
  }
  const suspend = spec?.suspend;
  if (suspend !== undefined && suspend !== null && typeof suspend !== "boolean") {
    c.add("spec.suspend", "must be true or false");
  }

  const label =
    name === undefined ? undefined : `${namespace === undefined ? "" : `${namespace}/`}${name}`;
  if (
    c.problems.length > 0 ||
    policy === undefined ||
    refName === undefined ||
    name === undefined
  ) {
    throw new InvalidImagePolicyError(c.problems, label);
  }
  return {
    apiVersion: apiVersion as ImagePolicy["apiVersion"],
    kind: "ImagePolicy",
    name,
    ...(namespace === undefined ? {} : { namespace }),
    spec: {
      imageRepositoryRef: {
        name: refName,
        ...(refNamespace === undefined ? {} : { namespace: refNamespace }),
      },
      policy,
      ...(filterTags === undefined ? {} : { filterTags }),
      ...(drp === undefined
        ? {}
        : { digestReflectionPolicy: drp as "Always" | "IfNotPresent" | "Never" }),
      ...(interval === undefined ? {} : { interval }),
      ...(typeof suspend === "boolean" ? { suspend } : {}),
    },
  };
}
