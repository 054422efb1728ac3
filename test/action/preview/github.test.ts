// `tether preview -o github` in a pull request workflow: the job summary, the full
// report written for the artifact, the `report` and `changed` step outputs, and one
// sticky comment with a section per cluster, updated in place, shortened with a pointer
// to the full report when it would pass GitHub's size limit, and skipped with a notice
// (the summary still written) when the token is read-only, as on a fork's pull request.
//
// GitHub's API cannot run here: the comment goes to the fake REST API on 127.0.0.1
// (test/helpers/fake-github.ts), the only mock; git, kustomize and helm are real.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, beforeEach, describe, test } from "node:test";
import { FakeGitHub } from "../../helpers/fake-github.ts";
import { chartsEnv } from "../../helpers/testenv.ts";
import { tether } from "../../helpers/tether.ts";
import { cleanEnv } from "../validate/helpers.ts";
import { Fleet, SECRET_VALUES } from "./fleet.ts";

const MARKER = "<!-- tether-preview:preview -->";

describe("tether preview -o github", { timeout: 300_000 }, () => {
  let fleet: Fleet;
  let github: FakeGitHub;
  let work: string;

  before(async () => {
    fleet = await Fleet.create(chartsEnv().oci);
    github = await FakeGitHub.start("acme", "fleet");
    github.pulls.push({
      number: 7,
      title: "bump web",
      body: "",
      head: "bump",
      base: "main",
      state: "open",
      comments: ["LGTM from a person"],
    });
  });
  after(async () => {
    fleet.cleanup();
    await github.close();
  });
  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), "tether-preview-gh-"));
    writeFileSync(join(work, "summary.md"), "");
    writeFileSync(join(work, "output"), "");
  });

  const run = (base: string, head: string) => {
    const event = join(work, "event.json");
    writeFileSync(event, JSON.stringify({ pull_request: { number: 7 } }));
    return tether(
      [
        "preview",
        "--base",
        base,
        "--head",
        head,
        "-o",
        "github",
        "--chart-cache",
        join(work, "charts"),
      ],
      {
        cwd: fleet.root,
        env: cleanEnv({
          GITHUB_ACTIONS: "true",
          GITHUB_STEP_SUMMARY: join(work, "summary.md"),
          GITHUB_OUTPUT: join(work, "output"),
          GITHUB_EVENT_PATH: event,
          GITHUB_EVENT_NAME: "pull_request",
          GITHUB_REPOSITORY: "acme/fleet",
          GITHUB_API_URL: github.url,
          GITHUB_SERVER_URL: "https://github.com",
          GITHUB_RUN_ID: "42",
          GITHUB_TOKEN: "ghs_preview_token",
          RUNNER_TEMP: work,
        }),
      },
    );
  };
  const read = (name: string) => readFileSync(join(work, name), "utf8");
  const comments = () => github.pulls[0]?.comments ?? [];

  test("one sticky comment with a section per cluster, the summary and the full report", async () => {
    const first = await run(fleet.base, fleet.head);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(comments().length, 2, "the person's comment and the preview");
    const body = comments()[1] as string;
    assert.ok(body.startsWith(MARKER));
    assert.equal(body.match(/<details>/g)?.length, 2);
    assert.match(
      body,
      /<summary><b>clusters\/a<\/b>: 0 added, 6 changed, 1 removed, 1 image<\/summary>/,
    );
    assert.match(
      body,
      /\| `127\.0\.0\.1:5000\/web:1\.0\.0` \| `127\.0\.0\.1:5000\/web:1\.1\.0` \|/,
    );
    assert.match(body, /~ data\.region: "eu-1" → "eu-2"/);
    // Every line of a diff stays inside its list item's fenced block.
    assert.match(body, /\n {2}~ data\.token: .*\n {2}~ stringData\.password: .*\n {2}```\n/);
    assert.match(read("summary.md"), /<summary><b>clusters\/b<\/b>: 2 added/);
    const report = join(work, "tether-preview.md");
    assert.ok(existsSync(report));
    assert.match(read("output"), new RegExp(`^report<<.*\\n${report}\\n`, "m"));
    assert.match(read("output"), /^changed<<.*\n2\n/m);
    for (const text of [
      body,
      read("summary.md"),
      read("tether-preview.md"),
      first.stdout,
      first.stderr,
    ]) {
      for (const value of SECRET_VALUES) assert.equal(text.includes(value), false, value);
    }
    if (process.env.TETHER_WRITE_PREVIEW_EXAMPLE)
      writeFileSync(process.env.TETHER_WRITE_PREVIEW_EXAMPLE, body);

    // Again: the same comment, not a second one.
    const again = await run(fleet.base, fleet.head);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /pull request comment: unchanged/);
    assert.equal(comments().length, 2);
  });

  test("a report over the comment limit: shortened, pointing at the full report", async () => {
    const values = (v: string) =>
      Array.from({ length: 700 }, (_, i) => `  key${i}: value-${v}-${"x".repeat(40)}`).join("\n");
    fleet.write(
      "apps/base/big.yaml",
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n${values("one")}\n`,
    );
    const one = await fleet.commit("big one");
    fleet.write(
      "apps/base/big.yaml",
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n${values("two")}\n`,
    );
    const two = await fleet.commit("big two");
    const r = await run(one, two);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /pull request comment: updated \(shortened\)/);
    const body = comments()[1] as string;
    assert.ok(body.length <= 65_000, `${body.length} characters`);
    assert.match(
      body,
      /Shortened to fit a comment: the full report is the artifact `tether-preview` of \[the workflow run\]\(https:\/\/github\.com\/acme\/fleet\/actions\/runs\/42\)/,
    );
    assert.match(body, /- `ConfigMap apps\/big`/);
    assert.doesNotMatch(body, /key699/);
    // The summary and the report file hold every line.
    assert.match(read("summary.md"), /~ data\.key699: "value-one-x+" → "value-two-x+"/);
    assert.match(read("tether-preview.md"), /~ data\.key699/);
  });

  test("a read-only token (a fork's pull request): no comment, a notice, the summary still written", async () => {
    github.readOnly = true;
    const before = [...comments()];
    try {
      const r = await run(fleet.base, fleet.head);
      assert.equal(r.code, 0, r.stderr);
      assert.match(
        r.stdout,
        /^::notice::Skipped the pull request comment: the token may not write pull request comments/m,
      );
      assert.deepEqual(comments(), before);
      assert.match(read("summary.md"), /<summary><b>clusters\/a<\/b>/);
    } finally {
      github.readOnly = false;
      rmSync(work, { recursive: true, force: true });
    }
  });
});
