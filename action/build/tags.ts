// The tags an image is pushed under: `RELEASE.YYYY-MM-DDTHH-MM-SSZ` (UTC, 24-hour; what
// seed 002's Flux policy sorts on), then `<env>-<sha>` when an environment is given
// (seed 004's promotion tags), then extra tags. Pure: the caller resolves the inputs.
import { tagProblem } from "../../shared/registry/reference.ts";

export interface TagInputs {
  timestamp: Date;
  env?: string | undefined;
  sha?: string | undefined;
  /** Characters of the SHA in `<env>-<sha>`; 40 (or more) keeps it whole. Default 7. */
  shaLength?: number | undefined;
  extra?: readonly string[] | undefined;
}

const RELEASE = /^RELEASE\.(\d{4})-(\d{2})-(\d{2})T(\d{2})-(\d{2})-(\d{2})Z$/;

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** RELEASE.<UTC time>, seconds truncated: built from UTC fields, never local time. */
export function releaseTag(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new Error("the timestamp is not a valid date");
  const year = date.getUTCFullYear();
  if (year < 1000 || year > 9999) throw new Error(`the timestamp's year ${year} has not 4 digits`);
  return `RELEASE.${pad(year, 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}T${pad(date.getUTCHours())}-${pad(date.getUTCMinutes())}-${pad(date.getUTCSeconds())}Z`;
}

export function isReleaseTag(tag: string): boolean {
  return tag.startsWith("RELEASE.");
}

/** The time a RELEASE tag names, or undefined when `tag` is not one. */
export function releaseTagTime(tag: string): Date | undefined {
  const m = RELEASE.exec(tag);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  const date = new Date(Date.UTC(y as number, (mo as number) - 1, d, h, mi, s));
  return releaseTag(date) === tag ? date : undefined;
}

/**
 * A timestamp from the command line: ISO 8601 with a zone (`2026-11-23T18:02:51Z`,
 * `+01:00` offsets), Unix seconds (as SOURCE_DATE_EPOCH), or a RELEASE tag. A time
 * without a zone is refused: read as local time it would differ between runners.
 */
export function parseTimestamp(text: string): Date {
  const value = text.trim();
  if (/^\d+$/.test(value)) return new Date(Number(value) * 1000);
  const release = releaseTagTime(value);
  if (release) return release;
  const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/.exec(
    value,
  );
  if (!iso) {
    throw new Error(
      `timestamp "${text}" is not ISO 8601 with a zone (e.g. 2026-11-23T18:02:51Z), Unix seconds, or a RELEASE tag`,
    );
  }
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new Error(`timestamp "${text}" is not a valid date`);
  return date;
}

function envTag(env: string, sha: string | undefined, shaLength: number): string {
  if (sha === undefined || sha === "") {
    throw new Error(
      `--env ${env} needs a commit SHA for the "${env}-<sha>" tag: pass --sha or set GITHUB_SHA`,
    );
  }
  if (!/^[0-9a-f]{7,64}$/i.test(sha)) throw new Error(`"${sha}" is not a hexadecimal commit SHA`);
  if (!Number.isInteger(shaLength) || shaLength < 4) {
    throw new Error(`the SHA length must be a whole number of at least 4, not ${shaLength}`);
  }
  return `${env}-${sha.toLowerCase().slice(0, shaLength)}`;
}

/** The tags, RELEASE first, each checked against the registry tag grammar; no duplicates. */
export function computeTags(inputs: TagInputs): string[] {
  const tags = [releaseTag(inputs.timestamp)];
  if (inputs.env !== undefined && inputs.env !== "") {
    tags.push(envTag(inputs.env, inputs.sha, inputs.shaLength ?? 7));
  }
  tags.push(...(inputs.extra ?? []));
  for (const tag of tags) {
    const problem = tagProblem(tag);
    if (problem) throw new Error(problem);
  }
  return [...new Set(tags)];
}
