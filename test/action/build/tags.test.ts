import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { pullRequestHeadSha, resolveTimestamp } from "../../../action/build/context.ts";
import {
  computeTags,
  isReleaseTag,
  parseTimestamp,
  releaseTag,
  releaseTagTime,
  type TagInputs,
} from "../../../action/build/tags.ts";
import { gitEnv } from "../../helpers/git-repo.ts";
import { mustRun } from "../../helpers/run.ts";
import { cleanEnv, tether } from "./cli.ts";

const SHA = "0123456789abcdef0123456789abcdef01234567";
const T = new Date("2026-11-23T18:02:51.987Z");

describe("RELEASE tags", () => {
  const cases: [string, string][] = [
    ["2026-11-23T18:02:51.987Z", "RELEASE.2026-11-23T18-02-51Z"],
    // 24-hour clock, UTC: the 12-hour `hh` mistake gives 06 here.
    ["2026-11-23T18:02:51+02:00", "RELEASE.2026-11-23T16-02-51Z"],
    ["2026-01-02T03:04:05Z", "RELEASE.2026-01-02T03-04-05Z"],
    ["2026-12-31T23:59:59-01:00", "RELEASE.2027-01-01T00-59-59Z"],
  ];
  for (const [iso, tag] of cases)
    test(`${iso} → ${tag}`, () => assert.equal(releaseTag(new Date(iso)), tag));

  test("round-trip and recognition", () => {
    assert.equal(
      releaseTagTime("RELEASE.2026-11-23T18-02-51Z")?.toISOString(),
      "2026-11-23T18:02:51.000Z",
    );
    assert.equal(releaseTagTime("RELEASE.2026-02-30T00-00-00Z"), undefined, "no February 30");
    assert.equal(releaseTagTime("dev-abc"), undefined);
    assert.ok(isReleaseTag("RELEASE.x"));
    assert.ok(!isReleaseTag("release.x"));
  });
});

describe("timestamps from the command line", () => {
  const ok: [string, string][] = [
    ["2026-11-23T18:02:51Z", "2026-11-23T18:02:51.000Z"],
    ["2026-11-23T18:02:51.5+01:00", "2026-11-23T17:02:51.500Z"],
    ["2026-11-23T18:02Z", "2026-11-23T18:02:00.000Z"],
    ["1795456971", "2026-11-23T18:02:51.000Z"],
    ["RELEASE.2026-11-23T18-02-51Z", "2026-11-23T18:02:51.000Z"],
  ];
  for (const [text, iso] of ok)
    test(text, () => assert.equal(parseTimestamp(text).toISOString(), iso));
  for (const text of ["2026-11-23T18:02:51", "2026-11-23", "yesterday", "2026-13-01T00:00:00Z"]) {
    test(`refuses ${text}`, () => assert.throws(() => parseTimestamp(text), /timestamp/));
  }
});

describe("computeTags", () => {
  const cases: [string, TagInputs, string[]][] = [
    ["RELEASE only", { timestamp: T }, ["RELEASE.2026-11-23T18-02-51Z"]],
    [
      "env with short SHA",
      { timestamp: T, env: "dev", sha: SHA },
      ["RELEASE.2026-11-23T18-02-51Z", "dev-0123456"],
    ],
    [
      "full SHA",
      { timestamp: T, env: "prd", sha: SHA, shaLength: 40 },
      ["RELEASE.2026-11-23T18-02-51Z", `prd-${SHA}`],
    ],
    [
      "upper-case SHA is lowered",
      { timestamp: T, env: "stg", sha: SHA.toUpperCase() },
      ["RELEASE.2026-11-23T18-02-51Z", "stg-0123456"],
    ],
    [
      "extra tags after, duplicates dropped",
      { timestamp: T, env: "dev", sha: SHA, extra: ["latest", "dev-0123456", "v1.2.3"] },
      ["RELEASE.2026-11-23T18-02-51Z", "dev-0123456", "latest", "v1.2.3"],
    ],
  ];
  for (const [name, inputs, tags] of cases)
    test(name, () => assert.deepEqual(computeTags(inputs), tags));

  const bad: [string, TagInputs, RegExp][] = [
    ["env without SHA", { timestamp: T, env: "dev" }, /--env dev needs a commit SHA.*GITHUB_SHA/],
    ["not a SHA", { timestamp: T, env: "dev", sha: "main" }, /not a hexadecimal commit SHA/],
    ["env that makes a bad tag", { timestamp: T, env: "-dev", sha: SHA }, /not valid/],
    ["bad extra tag", { timestamp: T, extra: ["a/b"] }, /tag "a\/b" is not valid/],
    ["short SHA length", { timestamp: T, env: "dev", sha: SHA, shaLength: 2 }, /at least 4/],
  ];
  for (const [name, inputs, message] of bad)
    test(`refuses: ${name}`, () => assert.throws(() => computeTags(inputs), message));
});

describe("defaults from GitHub and Git", () => {
  test("pull_request events use the head SHA, others none", () => {
    const event = { pull_request: { head: { sha: "feedface" } } };
    assert.equal(pullRequestHeadSha("pull_request", event), "feedface");
    assert.equal(pullRequestHeadSha("pull_request_target", event), "feedface");
    assert.equal(pullRequestHeadSha("push", event), undefined);
  });

  test("timestamp: the flag, else the commit's committer time, else now", async () => {
    const repo = mkdtempSync(join(tmpdir(), "tether-git-"));
    try {
      await mustRun("git", ["init", "-q", repo]);
      await mustRun("git", ["-C", repo, "commit", "-q", "--allow-empty", "-m", "x"], {
        env: {
          ...gitEnv,
          GIT_AUTHOR_DATE: "2026-01-01T00:00:00Z",
          GIT_COMMITTER_DATE: "2026-11-23T18:02:51Z",
        },
      });
      const sha = (await mustRun("git", ["-C", repo, "rev-parse", "HEAD"])).trim();
      assert.deepEqual(await resolveTimestamp("2026-01-01T00:00:00Z", sha, { cwd: repo }), {
        date: new Date("2026-01-01T00:00:00Z"),
        source: "flag",
      });
      assert.deepEqual(await resolveTimestamp(undefined, sha, { cwd: repo }), {
        date: new Date("2026-11-23T18:02:51Z"),
        source: "commit",
      });
      const now = new Date("2030-01-01T00:00:00Z");
      assert.deepEqual(
        await resolveTimestamp(undefined, "0".repeat(40), { cwd: repo, now: () => now }),
        {
          date: now,
          source: "now",
        },
      );
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });
});

describe("tether image tags (process)", () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "tether-tags-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("prints RELEASE first, then <env>-<sha>, one per line; writes GITHUB_OUTPUT", async () => {
    const output = join(dir, "output");
    writeFileSync(output, "");
    const r = await tether(
      ["image", "tags", "--env", "dev", "--timestamp", "2026-11-23T18:02:51Z", "--tag", "latest"],
      {
        env: cleanEnv({ GITHUB_SHA: SHA, GITHUB_OUTPUT: output }),
      },
    );
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "RELEASE.2026-11-23T18-02-51Z\ndev-0123456\nlatest\n");
    // Written by @actions/core: every value between delimiters it chose.
    const written = readFileSync(output, "utf8");
    assert.match(
      written,
      /^tags<<(ghadelimiter_[\w-]+)\nRELEASE\.2026-11-23T18-02-51Z\ndev-0123456\nlatest\n\1\n/,
    );
    assert.match(written, /^timestamp<<(ghadelimiter_[\w-]+)\n2026-11-23T18:02:51Z\n\1\n/m);
  });

  test("on pull_request events the env tag uses the PR head SHA", async () => {
    const event = join(dir, "event.json");
    writeFileSync(
      event,
      JSON.stringify({
        pull_request: { head: { sha: "abcdef1234567890abcdef1234567890abcdef12" } },
      }),
    );
    const r = await tether(["image", "tags", "--env", "pr", "--timestamp", "1795456971"], {
      env: cleanEnv({
        GITHUB_SHA: SHA,
        GITHUB_EVENT_NAME: "pull_request",
        GITHUB_EVENT_PATH: event,
      }),
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "RELEASE.2026-11-23T18-02-51Z\npr-abcdef1\n");
  });

  test("the same tags in every job of a run: the commit's time, not the clock", async () => {
    const repo = mkdtempSync(join(dir, "git-"));
    await mustRun("git", ["init", "-q", repo]);
    await mustRun("git", ["-C", repo, "commit", "-q", "--allow-empty", "-m", "x"], {
      env: { ...gitEnv, GIT_COMMITTER_DATE: "2026-11-23T18:02:51Z" },
    });
    const sha = (await mustRun("git", ["-C", repo, "rev-parse", "HEAD"])).trim();
    const runs = await Promise.all(
      [1, 2].map(() =>
        tether(["image", "tags", "--env", "dev"], {
          cwd: repo,
          env: cleanEnv({ GITHUB_SHA: sha }),
        }),
      ),
    );
    for (const r of runs) {
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, `RELEASE.2026-11-23T18-02-51Z\ndev-${sha.slice(0, 7)}\n`);
    }
  });

  test("errors: exit 1 and a message, before anything is built", async () => {
    const r = await tether(["image", "tags", "--env", "dev", "--timestamp", "2026-11-23T18:02:51"]);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, "");
    assert.match(r.stderr, /^error: timestamp "2026-11-23T18:02:51" is not ISO 8601 with a zone/);
    const noSha = await tether(["image", "tags", "--env", "dev", "--timestamp", "1795456971"]);
    assert.equal(noSha.code, 1);
    assert.match(noSha.stderr, /--env dev needs a commit SHA/);
  });
});
