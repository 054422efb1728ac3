// Alerts: the configuration, each target's format, the notifier's de-duplication,
// retries and rate limit against a real local HTTP server, and the contract end to end:
// `alerts: [{type: webhook, url}]` in the agent's configuration makes a failed pass POST
// a JSON body naming the unit, the revision and the message. A fake GitHub API on
// 127.0.0.1 stands in for commit statuses (the only mock: GitHub cannot run here).
import assert from "node:assert/strict";
import { createHmac, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { stringify } from "yaml";
import {
  type AgentEvent,
  type AlertTarget,
  deliveryFor,
  eventsOfUnit,
  Notifier,
  parseAlerts,
  repositoryOf,
} from "../../agent/alerts.ts";
import { parseAgentConfig } from "../../agent/config.ts";
import { AgentProcess, waitFor } from "../helpers/agent.ts";
import { TestRepo } from "../helpers/git-repo.ts";
import { kubectlRun } from "../helpers/kubectl.ts";
import { run } from "../helpers/run.ts";
import { testenv } from "../helpers/testenv.ts";
import { tether } from "../helpers/tether.ts";

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A webhook target: records every request; answers with `status()` (default 200). */
class Target {
  readonly received: Received[] = [];
  status = () => 200;
  private server!: Server;
  url = "";

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      let body = "";
      req.on("data", (d) => {
        body += d;
      });
      req.on("end", () => {
        this.received.push({ path: req.url ?? "", headers: req.headers, body });
        res.writeHead(this.status());
        res.end();
      });
    });
    await new Promise<void>((r) => this.server.listen(0, "127.0.0.1", r));
    const address = this.server.address();
    this.url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
    return this;
  }

  close(): Promise<void> {
    return new Promise((r) => {
      this.server.close(() => r());
      this.server.closeAllConnections();
    });
  }
}

const event = (over: Partial<AgentEvent> = {}): AgentEvent => ({
  reason: "PassFailed",
  severity: "error",
  unit: "apps",
  revision: "a".repeat(40),
  message: "render failed",
  cluster: "edge-1",
  timestamp: "2026-01-01T00:00:00.000Z",
  ...over,
});

const target = (over: Partial<AlertTarget> = {}): AlertTarget => ({
  type: "webhook",
  url: "http://127.0.0.1:1/x",
  severity: "info",
  events: [],
  ...over,
});

describe("alert configuration", () => {
  test("targets are parsed with defaults; secrets come from the environment", () => {
    const targets = parseAlerts(
      [
        { type: "webhook", url: "http://127.0.0.1:9/hook", secretEnv: "HOOK_KEY" },
        { type: "slack", urlEnv: "SLACK_URL", severity: "error" },
        { type: "github", secretEnv: "GH_TOKEN" },
      ],
      { HOOK_KEY: "k", SLACK_URL: "https://hooks.slack.invalid/T/B/X", GH_TOKEN: "t" },
      "https://github.com/acme/fleet.git",
    );
    assert.deepEqual(
      targets.map((t) => [t.type, t.url, t.severity, t.secret, t.repository]),
      [
        ["webhook", "http://127.0.0.1:9/hook", "info", "k", undefined],
        ["slack", "https://hooks.slack.invalid/T/B/X", "error", undefined, undefined],
        ["github", "https://api.github.com", "info", "t", "acme/fleet"],
      ],
    );
  });

  test("bad entries are configuration errors that name the field", () => {
    const cases: [unknown, RegExp][] = [
      [{ type: "pager", url: "http://x" }, /alerts\[0\]\.type/],
      [{ type: "webhook" }, /url or urlEnv/],
      [{ type: "webhook", url: "ftp://x" }, /not an http/],
      [{ type: "webhook", url: "http://x", events: ["Nope"] }, /events/],
      [{ type: "webhook", url: "http://x", colour: 1 }, /unknown field "colour"/],
      [{ type: "slack", urlEnv: "UNSET_VAR" }, /UNSET_VAR is not set/],
      [{ type: "github", url: "http://x" }, /token is required/],
    ];
    for (const [raw, message] of cases)
      assert.throws(() => parseAlerts([raw], {}, "https://github.com/a/b"), message);
  });

  test("the agent configuration file carries alerts and the cluster's name", () => {
    const config = parseAgentConfig(
      "git: {url: https://git.example/fleet.git}\ncluster: edge-1\nalerts: [{type: webhook, url: 'http://127.0.0.1:9/'}]\nunits: [{path: apps}]\n",
    );
    assert.equal(config.cluster, "edge-1");
    assert.equal(config.alerts?.[0]?.type, "webhook");
  });

  test("owner/name from HTTPS and SSH URLs", () => {
    assert.equal(repositoryOf("https://github.com/acme/fleet.git"), "acme/fleet");
    assert.equal(repositoryOf("git@github.com:acme/fleet.git"), "acme/fleet");
    assert.equal(repositoryOf("ssh://git@github.com/acme/fleet"), "acme/fleet");
  });
});

describe("what each target receives", () => {
  test("webhook: the event as JSON, signed when a secret is set", () => {
    const d = deliveryFor(target({ secret: "key" }), event());
    assert.ok(d);
    const body = JSON.parse(d.body);
    assert.deepEqual(
      [body.unit, body.revision, body.message],
      ["apps", "a".repeat(40), "render failed"],
    );
    assert.equal(
      d.headers["x-signature"],
      `sha256=${createHmac("sha256", "key").update(d.body).digest("hex")}`,
    );
    assert.equal(deliveryFor(target(), event())?.headers["x-signature"], undefined);
  });

  test("slack, discord and msteams get a one-line summary in their own shape", () => {
    const slack = JSON.parse(deliveryFor(target({ type: "slack" }), event())?.body ?? "");
    assert.match(slack.text, /\[edge-1\] apps: PassFailed at aaaaaaaaaaaa: render failed/);
    const discord = JSON.parse(deliveryFor(target({ type: "discord" }), event())?.body ?? "");
    assert.match(discord.content, /PassFailed/);
    const teams = JSON.parse(deliveryFor(target({ type: "msteams" }), event())?.body ?? "");
    assert.equal(teams.attachments[0].content.type, "AdaptiveCard");
    assert.match(teams.attachments[0].content.body[0].text, /render failed/);
  });

  test("github: a commit status tether/<cluster> on the revision; none without a revision", () => {
    const gh = target({
      type: "github",
      url: "http://127.0.0.1:5/api",
      secret: "t",
      repository: "a/b",
    });
    const d = deliveryFor(gh, event());
    assert.equal(d?.url, `http://127.0.0.1:5/api/repos/a/b/statuses/${"a".repeat(40)}`);
    assert.equal(d?.headers.authorization, "Bearer t");
    assert.deepEqual(
      [JSON.parse(d?.body ?? "").state, JSON.parse(d?.body ?? "").context],
      ["failure", "tether/edge-1"],
    );
    const ok = deliveryFor(gh, event({ severity: "info", reason: "Recovered" }));
    assert.equal(JSON.parse(ok?.body ?? "").state, "success");
    assert.equal(deliveryFor(gh, event({ revision: undefined })), undefined);
  });
});

describe("which events a pass produces", () => {
  test("failure, recovery after a failure, pruned objects; nothing for a routine success", () => {
    const failed = eventsOfUnit("apps", true, { ok: false, error: "boom", pruned: [] }, "c");
    assert.deepEqual(
      failed.map((e) => [e.reason, e.severity, e.message]),
      [["PassFailed", "error", "boom"]],
    );
    const recovered = eventsOfUnit(
      "apps",
      false,
      { ok: true, pruned: ["ConfigMap/default/x"] },
      "c",
    );
    assert.deepEqual(
      recovered.map((e) => e.reason),
      ["Recovered", "Pruned"],
    );
    assert.match(recovered[1]?.message ?? "", /ConfigMap\/default\/x/);
    assert.deepEqual(eventsOfUnit("apps", true, { ok: true, pruned: [] }, "c"), []);
    assert.deepEqual(eventsOfUnit("apps", undefined, { ok: true, pruned: [] }, "c"), []);
  });
});

describe("the notifier", () => {
  let hook: Target;
  before(async () => {
    hook = await new Target().start();
  });
  after(() => hook.close());

  test("severity and event filters, then one send per identical event in the quiet period", async () => {
    hook.received.length = 0;
    const n = new Notifier(
      [
        target({ url: `${hook.url}/all` }),
        target({ url: `${hook.url}/errors`, severity: "error" }),
        target({ url: `${hook.url}/pruned`, events: ["Pruned"] }),
      ],
      { log: () => {} },
    );
    n.notify(event(), 1_000);
    n.notify(event(), 2_000); // the same failure on the next retry: not again
    n.notify(event({ reason: "Pruned", severity: "info", message: "pruned 1" }), 3_000);
    n.notify(event(), 1_000 + 11 * 60_000); // after the quiet period: again
    await n.flush();
    const byPath = (p: string) => hook.received.filter((r) => r.path === p).length;
    assert.deepEqual([byPath("/all"), byPath("/errors"), byPath("/pruned")], [3, 2, 1]);
  });

  test("a target answering 500 is retried with backoff; a 400 is not; failures are logged, never thrown", async () => {
    hook.received.length = 0;
    let calls = 0;
    hook.status = () => (++calls < 3 ? 500 : 200);
    const logged: string[] = [];
    const n = new Notifier([target({ url: `${hook.url}/flaky` })], {
      log: (l) => logged.push(l),
      backoffMs: 10,
    });
    n.notify(event());
    await n.flush();
    assert.equal(hook.received.length, 3);
    assert.deepEqual(logged, []);

    hook.received.length = 0;
    hook.status = () => 400;
    n.notify(event({ message: "other" }));
    await n.flush();
    assert.equal(hook.received.length, 1);
    assert.match(logged.join("\n"), /alerts: sending to 127\.0\.0\.1:\d+ failed: HTTP 400/);
    hook.status = () => 200;
  });

  test("an unreachable target costs the caller nothing and logs its host only", async () => {
    const logged: string[] = [];
    const n = new Notifier([target({ url: "http://127.0.0.1:9/T000/B000/secret-path" })], {
      log: (l) => logged.push(l),
      attempts: 2,
      backoffMs: 1,
    });
    const start = Date.now();
    n.notify(event());
    assert.ok(Date.now() - start < 50, "notify returned at once");
    await n.flush();
    assert.equal(logged.length, 1);
    assert.doesNotMatch(logged[0] ?? "", /secret-path/);
  });

  test("user info in a target's URL is sent as basic auth (as Flux's Go client does), never logged", async () => {
    hook.received.length = 0;
    const logged: string[] = [];
    const withLogin = hook.url.replace("http://", "http://alert-user:s3cret-pass@");
    const n = new Notifier([target({ url: `${withLogin}/hook?token=q-s3cret` })], {
      log: (l) => logged.push(l),
      attempts: 1,
    });
    n.notify(event({ message: "basic" }));
    await n.flush();
    assert.deepEqual(logged, []);
    assert.equal(hook.received.length, 1);
    assert.equal(hook.received[0]?.path, "/hook?token=q-s3cret");
    assert.equal(
      hook.received[0]?.headers.authorization,
      `Basic ${Buffer.from("alert-user:s3cret-pass").toString("base64")}`,
    );
    // A failure names the host only: no login, no path, no query.
    hook.status = () => 400;
    n.notify(event({ message: "refused" }));
    await n.flush();
    hook.status = () => 200;
    assert.equal(logged.length, 1);
    assert.doesNotMatch(logged[0] ?? "", /s3cret|alert-user|hook/);
  });

  test("a burst is capped per target per minute", async () => {
    hook.received.length = 0;
    const logged: string[] = [];
    const n = new Notifier([target({ url: `${hook.url}/burst` })], {
      log: (l) => logged.push(l),
      perMinute: 5,
    });
    for (let i = 0; i < 12; i++) n.notify(event({ message: `m${i}` }), 1_000 + i);
    await n.flush();
    assert.equal(hook.received.length, 5);
    assert.match(logged[0] ?? "", /rate limit/);
  });
});

describe("alerts from real passes", () => {
  const id = randomBytes(3).toString("hex");
  let repo: TestRepo;
  let dir: string;
  let hook: Target;
  let github: Target;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "tether-alerts-"));
    hook = await new Target().start();
    github = await new Target().start();
    repo = await TestRepo.create("alerts");
    // A ConfigMap without a name: the render step fails the pass.
    repo.write(
      "apps/bad.yaml",
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {namespace: default}\n",
    );
    await repo.push("broken");
  });
  after(async () => {
    await hook.close();
    await github.close();
    repo.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  const writeConfig = (interval: string) => {
    const config = join(dir, `config-${interval}.yaml`);
    writeFileSync(
      config,
      stringify({
        namespace: "default",
        cluster: "edge-1",
        git: { url: repo.plainUrl, branch: "main" },
        interval,
        units: [{ name: `alerts-${id}`, path: "apps" }],
        alerts: [
          { type: "webhook", url: `${hook.url}/events` },
          {
            type: "github",
            url: github.url,
            repository: "acme/fleet",
            secretEnv: "GH_STATUS_TOKEN",
          },
        ],
      }),
    );
    return config;
  };
  const env = {
    TETHER_GIT_USERNAME: testenv().gitUser,
    TETHER_GIT_PASSWORD: testenv().gitPassword,
    GH_STATUS_TOKEN: "status-token",
  };

  test("tether agent: a failed pass POSTs the unit, the revision and the message; the commit gets pending then failure", async () => {
    const revision = (await run("git", ["-C", repo.work, "rev-parse", "HEAD"])).stdout.trim();
    const agent = await AgentProcess.start(
      writeConfig("1h"),
      ["--cache-dir", join(dir, "cache")],
      env,
    );
    try {
      const body = await waitFor("the failure event", async () => {
        const r = hook.received.find((x) => x.path === "/events");
        return r ? JSON.parse(r.body) : undefined;
      }).catch((error) => {
        throw new Error(`${error.message}\nagent output:\n${agent.output}`);
      });
      assert.equal(body.unit, `alerts-${id}`);
      assert.equal(body.revision, revision);
      assert.equal(body.reason, "PassFailed");
      assert.match(body.message, /metadata\.name/);
      const statuses = await waitFor("two commit statuses", async () =>
        github.received.length >= 2 ? github.received : undefined,
      );
      assert.deepEqual(
        statuses.map((s) => [s.path, JSON.parse(s.body).state, JSON.parse(s.body).context]),
        [
          [`/repos/acme/fleet/statuses/${revision}`, "pending", "tether/edge-1"],
          [`/repos/acme/fleet/statuses/${revision}`, "failure", "tether/edge-1"],
        ],
      );
      assert.equal(statuses[0]?.headers.authorization, "Bearer status-token");
    } finally {
      agent.kill("SIGTERM");
      await agent.exited;
    }
    assert.doesNotMatch(agent.output, /status-token/);
  });

  test("tether sync --once with the same file alerts too, and a fixed commit recovers", async () => {
    hook.received.length = 0;
    repo.write(
      "apps/bad.yaml",
      `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: alerts-${id}, namespace: default}\n`,
    );
    await repo.push("fixed");
    const config = writeConfig("1m");
    const ok = await tether(
      ["sync", "--once", "--config", config, "--cache-dir", join(dir, "cache2")],
      {
        env,
      },
    );
    assert.equal(ok.code, 0, ok.stderr);
    // A one-off sync has no memory of the failure before it: a success says nothing.
    assert.equal(hook.received.length, 0);
    await kubectlRun(["delete", "configmap", `alerts-${id}`, "-n", "default"]);
  });
});
