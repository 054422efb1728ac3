// The webhook receiver: which requests start a pass (judgeHook, pure), and the contract
// end to end: `tether agent --receiver-port P` with a one-hour interval starts a pass
// within 2 s of a signed GitHub push to the watched branch, and a wrong signature
// answers 401 and starts nothing. The agent runs against the local API server and Git.
import assert from "node:assert/strict";
import { createHmac, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { stringify } from "yaml";
import { judgeHook } from "../../agent/receiver.ts";
import { AgentProcess, freePort, waitFor } from "../helpers/agent.ts";
import { TestRepo } from "../helpers/git-repo.ts";
import { kubectlRun } from "../helpers/kubectl.ts";
import { testenv } from "../helpers/testenv.ts";

const secret = "s3cret-receiver-key-0123";
const sign = (body: string, key = secret) =>
  `sha256=${createHmac("sha256", key).update(body).digest("hex")}`;
const push = (ref: string) => JSON.stringify({ ref, after: "0".repeat(40) });

describe("judgeHook", () => {
  const main = { branch: "main" };

  test("a GitHub push to the watched branch with a valid signature triggers", () => {
    const body = push("refs/heads/main");
    const v = judgeHook(
      { "x-github-event": "push", "x-hub-signature-256": sign(body) },
      Buffer.from(body),
      secret,
      main,
    );
    assert.deepEqual([v.status, v.trigger, v.provider], [202, true, "github"]);
  });

  test("a wrong signature, another key or a changed body is 401 and no trigger", () => {
    const body = push("refs/heads/main");
    for (const signature of [
      sign(body, "other-key"),
      sign(`${body} `),
      "sha256=00",
      "",
      "sha1=abc",
    ]) {
      const v = judgeHook(
        { "x-github-event": "push", "x-hub-signature-256": signature },
        Buffer.from(body),
        secret,
        main,
      );
      assert.deepEqual([v.status, v.trigger], [401, false], signature);
    }
  });

  test("no signature at all is 401", () => {
    const v = judgeHook({ "x-github-event": "push" }, Buffer.from("{}"), secret, main);
    assert.deepEqual([v.status, v.trigger], [401, false]);
    assert.match(v.message, /no signature/);
  });

  test("a push to another branch, a ping and other events are accepted and ignored", () => {
    const other = push("refs/heads/feature");
    const cases: [Record<string, string>, string][] = [
      [{ "x-github-event": "push", "x-hub-signature-256": sign(other) }, other],
      [{ "x-github-event": "ping", "x-hub-signature-256": sign("{}") }, "{}"],
      [{ "x-github-event": "issues", "x-hub-signature-256": sign("{}") }, "{}"],
    ];
    for (const [headers, body] of cases) {
      const v = judgeHook(headers, Buffer.from(body), secret, main);
      assert.equal(v.trigger, false, JSON.stringify(headers));
      assert.ok(v.status >= 200 && v.status < 300);
    }
  });

  test("GitHub's form-encoded payload is read too", () => {
    const body = `payload=${encodeURIComponent(push("refs/heads/main"))}`;
    const v = judgeHook(
      {
        "x-github-event": "push",
        "x-hub-signature-256": sign(body),
        "content-type": "application/x-www-form-urlencoded",
      },
      Buffer.from(body),
      secret,
      main,
    );
    assert.equal(v.trigger, true);
  });

  test("GitLab compares its token; Gitea and Forgejo sign with a bare hex HMAC", () => {
    const body = push("refs/heads/main");
    const hex = createHmac("sha256", secret).update(body).digest("hex");
    const gitlab = judgeHook(
      { "x-gitlab-event": "Push Hook", "x-gitlab-token": secret },
      Buffer.from(body),
      secret,
      main,
    );
    assert.deepEqual([gitlab.trigger, gitlab.provider], [true, "gitlab"]);
    const badGitlab = judgeHook(
      { "x-gitlab-event": "Push Hook", "x-gitlab-token": `${secret}x` },
      Buffer.from(body),
      secret,
      main,
    );
    assert.equal(badGitlab.status, 401);
    for (const [sig, event] of [
      ["x-gitea-signature", "x-gitea-event"],
      ["x-forgejo-signature", "x-forgejo-event"],
    ] as const) {
      const v = judgeHook({ [sig]: hex, [event]: "push" }, Buffer.from(body), secret, main);
      assert.deepEqual([v.trigger, v.provider], [true, "gitea"]);
    }
  });

  test("the generic receiver triggers on any correctly signed request", () => {
    const v = judgeHook({ "x-signature": sign("hello") }, Buffer.from("hello"), secret, main);
    assert.deepEqual([v.trigger, v.provider], [true, "generic"]);
    const bad = judgeHook({ "x-signature": sign("hello") }, Buffer.from("hellO"), secret, main);
    assert.equal(bad.status, 401);
  });

  test("an agent following a tag triggers on a push of that tag only", () => {
    const tag = { tag: "v1" };
    const ofTag = push("refs/tags/v1");
    const ofMain = push("refs/heads/main");
    const h = (b: string) => ({ "x-github-event": "push", "x-hub-signature-256": sign(b) });
    assert.equal(judgeHook(h(ofTag), Buffer.from(ofTag), secret, tag).trigger, true);
    assert.equal(judgeHook(h(ofMain), Buffer.from(ofMain), secret, tag).trigger, false);
  });

  test("a JSON body sent with the form content type (curl -d's default) is read as JSON", () => {
    const body = push("refs/heads/main");
    const v = judgeHook(
      {
        "x-github-event": "push",
        "x-hub-signature-256": sign(body),
        "content-type": "application/x-www-form-urlencoded",
      },
      Buffer.from(body),
      secret,
      main,
    );
    assert.deepEqual([v.status, v.trigger], [202, true]);
  });

  test("a signed body that is not JSON is 400", () => {
    const v = judgeHook(
      { "x-github-event": "push", "x-hub-signature-256": sign("not json") },
      Buffer.from("not json"),
      secret,
      main,
    );
    assert.deepEqual([v.status, v.trigger], [400, false]);
  });
});

describe("tether agent --receiver-port", () => {
  const id = randomBytes(3).toString("hex");
  let repo: TestRepo;
  let dir: string;
  let agent: AgentProcess;
  let hook: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "tether-receiver-"));
    repo = await TestRepo.create("receiver");
    repo.write(
      "apps/cm.yaml",
      `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: hook-${id}, namespace: default}\ndata: {v: "1"}\n`,
    );
    await repo.push("first");
    const config = join(dir, "config.yaml");
    writeFileSync(
      config,
      stringify({
        namespace: "default",
        git: { url: repo.plainUrl, branch: "main" },
        // An hour: only the webhook can start the second pass within the test.
        interval: "1h",
        units: [{ name: `hook-${id}`, path: "apps" }],
      }),
    );
    const receiverPort = await freePort();
    hook = `http://127.0.0.1:${receiverPort}/hook`;
    agent = await AgentProcess.start(
      config,
      ["--receiver-port", String(receiverPort), "--cache-dir", join(dir, "cache")],
      {
        TETHER_RECEIVER_SECRET: secret,
        TETHER_GIT_USERNAME: testenv().gitUser,
        TETHER_GIT_PASSWORD: testenv().gitPassword,
      },
    );
    await agent.metricAtLeast('tether_passes_total{result="ok"}', 1);
  });

  after(async () => {
    agent?.kill("SIGTERM");
    await agent?.exited;
    repo?.cleanup();
    rmSync(dir, { recursive: true, force: true });
    await kubectlRun(["delete", "configmap", `hook-${id}`, "-n", "default"]);
  });

  const post = (body: string, headers: Record<string, string>) =>
    fetch(hook, {
      method: "POST",
      body,
      headers: { "content-type": "application/json", ...headers },
    });

  test("a wrong signature answers 401 and starts nothing", async () => {
    const started = await agent.metric("tether_last_pass_start_timestamp_seconds");
    const body = push("refs/heads/main");
    const res = await post(body, {
      "x-github-event": "push",
      "x-hub-signature-256": sign(body, "not-the-secret"),
    });
    assert.equal(res.status, 401);
    // A negative: give a wrongly triggered pass the contract's 2 s (and some) to show up.
    await new Promise((r) => setTimeout(r, 2_500));
    assert.equal(await agent.metric("tether_last_pass_start_timestamp_seconds"), started);
  });

  test("other methods and paths are refused", async () => {
    assert.equal((await fetch(hook)).status, 405);
    assert.equal((await fetch(hook.replace("/hook", "/metrics"))).status, 404);
    const big = "x".repeat(1024 * 1024 + 10);
    const res = await post(big, { "x-github-event": "push", "x-hub-signature-256": sign(big) });
    assert.equal(res.status, 413);
  });

  test("a signed push to main answers 2xx and a pass starts within 2 s, applying the new commit", async () => {
    repo.write(
      "apps/cm.yaml",
      `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: hook-${id}, namespace: default}\ndata: {v: "2"}\n`,
    );
    await repo.push("second");
    const before = (await agent.metric("tether_last_pass_start_timestamp_seconds")) ?? 0;
    const body = push("refs/heads/main");
    const sent = Date.now() / 1000;
    const res = await post(body, { "x-github-event": "push", "x-hub-signature-256": sign(body) });
    assert.ok(res.status >= 200 && res.status < 300, `status ${res.status}`);
    const startedAt = await agent.metricAtLeast(
      "tether_last_pass_start_timestamp_seconds",
      before + 0.001,
      10_000,
    );
    assert.ok(startedAt - sent < 2, `pass started ${startedAt - sent}s after the push`);
    await waitFor("the new commit applied", async () => {
      const r = await kubectlRun([
        "get",
        "configmap",
        `hook-${id}`,
        "-n",
        "default",
        "-o",
        "jsonpath={.data.v}",
      ]);
      return r.stdout.trim() === "2" ? true : undefined;
    });
  });
});
