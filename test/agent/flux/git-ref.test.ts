// A GitRepository's spec.ref as source-controller reads it: precedence, the revision's
// name, and which tag a semver range picks (Masterminds ranges; tags strict SemVer after
// one leading "v", as Flux reads them).
// The fetch itself is tested end to end in artifact-generator.test.ts.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  pickSemverTag,
  resolveFluxRef,
  selectsAgentRef,
  suspendedRevision,
} from "../../../agent/flux/git-ref.ts";

describe("GitRepository spec.ref", () => {
  test("commit, then name, then tag (before semver, as Flux's Git client), then branch; master when nothing is given", async () => {
    const url = { url: "file:///nowhere.git" };
    const sha = "a".repeat(40);
    assert.deepEqual(
      await resolveFluxRef({ commit: sha, name: "refs/heads/x", branch: "b" }, url),
      {
        ref: { commit: sha },
        label: undefined,
      },
    );
    assert.deepEqual(
      await resolveFluxRef({ name: "refs/pull/7/head", tag: "v1", branch: "b" }, url),
      {
        ref: { refName: "refs/pull/7/head" },
        label: "refs/pull/7/head",
      },
    );
    // A tag and a range: the tag, without listing the remote (which is not there).
    assert.deepEqual(await resolveFluxRef({ tag: "v1", semver: ">=2", branch: "b" }, url), {
      ref: { tag: "v1" },
      label: "v1",
    });
    assert.deepEqual(await resolveFluxRef({}, url), { ref: { branch: "master" }, label: "master" });
  });

  test("semver: the highest tag in range; v2, 1.3 and release-9 are not versions to Flux", () => {
    const tags = ["latest", "v1.0.0", "1.3", "v1.2.0", "v1.4.0-rc.1", "v2.0.0", "v2", "release-9"];
    assert.equal(pickSemverTag(tags, ">=1.0.0 <2.0.0"), "v1.2.0");
    assert.equal(pickSemverTag(["v1.5.0", "v2"], ">=1.0.0"), "v1.5.0");
    assert.equal(pickSemverTag(tags, "~1.2"), "v1.2.0");
    // A pre-release only when the range names one.
    assert.equal(pickSemverTag(tags, ">=1.4.0-0 <2.0.0"), "v1.4.0-rc.1");
    assert.equal(pickSemverTag(tags, "*"), "v2.0.0");
    assert.equal(pickSemverTag(tags, ">=3"), undefined);
    assert.throws(() => pickSemverTag(tags, "not a range"), /semver parse error/);
  });

  test("a GitRepository is the agent's checkout only at the ref the agent follows", () => {
    const main = { branch: "main" };
    assert.equal(selectsAgentRef({ branch: "main" }, main), true);
    assert.equal(selectsAgentRef({ name: "refs/heads/main" }, main), true);
    assert.equal(selectsAgentRef({ branch: "staging" }, main), false);
    // No ref: Flux follows master, not the agent's main.
    assert.equal(selectsAgentRef(undefined, main), false);
    assert.equal(selectsAgentRef(undefined, { branch: "master" }), true);
    assert.equal(selectsAgentRef({ tag: "v1.0.0" }, { tag: "v1.0.0" }), true);
    assert.equal(selectsAgentRef({ name: "refs/tags/v1.0.0" }, { tag: "v1.0.0" }), true);
    assert.equal(selectsAgentRef({ semver: ">=1.0.0" }, { tag: "v1.0.0" }), false);
    assert.equal(selectsAgentRef({ branch: "main", commit: "abc" }, main), false);
  });

  test("a suspended GitRepository serves its artifact's revision, in every format Flux wrote", () => {
    const sha = "0123456789abcdef0123456789abcdef01234567";
    const repo = (revision?: string) => ({
      metadata: { name: "r", namespace: "ns" },
      status: revision ? { artifact: { revision } } : {},
    });
    assert.deepEqual(suspendedRevision(repo(`main@sha1:${sha}`)), { sha, label: "main" });
    assert.deepEqual(suspendedRevision(repo(`sha1:${sha}`)), { sha, label: undefined });
    assert.deepEqual(suspendedRevision(repo(`v1.2.0@sha1:${sha}`)), { sha, label: "v1.2.0" });
    // Flux 0.x.
    assert.deepEqual(suspendedRevision(repo(`main/${sha}`)), { sha, label: "main" });
    assert.throws(() => suspendedRevision(repo()), /ns\/r is suspended and has no artifact/);
  });
});
