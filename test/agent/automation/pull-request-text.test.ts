// Pull-request mode's pure parts: settings from flags, the repository from a GitHub URL,
// the token's sources, and the body listing each change.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  githubRepository,
  pullRequestSettings,
  pullRequestText,
  resolvePullRequest,
} from "../../../agent/automation/pull-request.ts";

describe("pull-request settings", () => {
  test("the repository comes from a github.com URL, https or ssh", () => {
    assert.equal(githubRepository("https://github.com/edge/fleet.git"), "edge/fleet");
    assert.equal(githubRepository("ssh://git@github.com/edge/fleet"), "edge/fleet");
    assert.equal(githubRepository("git@github.com:edge/fleet.git"), "edge/fleet");
    assert.equal(githubRepository("http://127.0.0.1:8080/fleet.git"), undefined);
  });

  test("flags: provider, repository, token Secret", () => {
    assert.equal(pullRequestSettings({ gitUrl: "https://github.com/a/b" }), undefined);
    assert.deepEqual(
      pullRequestSettings({
        pullRequest: "github",
        pullRequestTokenSecret: "flux-system/github",
        gitUrl: "https://github.com/a/b",
      }),
      {
        provider: "github",
        apiUrl: "https://api.github.com",
        repository: "a/b",
        tokenSecret: { namespace: "flux-system", name: "github" },
      },
    );
    assert.throws(() => pullRequestSettings({ pullRequest: "gitlab", gitUrl: "x" }), /github/);
    assert.throws(
      () => pullRequestSettings({ pullRequest: "github", gitUrl: "http://127.0.0.1/r.git" }),
      /--pull-request-repo/,
    );
  });

  test("the token comes from GITHUB_TOKEN, and is required", async () => {
    const settings = {
      provider: "github" as const,
      apiUrl: "http://127.0.0.1:1",
      repository: "a/b",
    };
    assert.equal(
      (await resolvePullRequest(settings, undefined, { GITHUB_TOKEN: "t0k" })).token,
      "t0k",
    );
    await assert.rejects(resolvePullRequest(settings, undefined, {}), /need a token/);
  });
});

test("the body lists each change: file, old -> new, policy; table cells are escaped", () => {
  const { title, body } = pullRequestText("apps/web", [
    { file: "apps/web.yaml", line: 9, marker: "apps:web", old: "r/web:1.0.0", new: "r/web:1.1.0" },
    { file: "apps/a|b.yaml", line: 3, marker: "apps:web:tag", old: "1.0.0", new: "1.1.0" },
  ]);
  assert.equal(title, "Image updates from apps/web");
  assert.ok(
    body.includes("| `apps/web.yaml` | `r/web:1.0.0` → `r/web:1.1.0` | `apps:web` |"),
    body,
  );
  assert.ok(body.includes("| `apps/a\\|b.yaml` | `1.0.0` → `1.1.0` | `apps:web:tag` |"), body);
});
