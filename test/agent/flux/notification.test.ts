// Flux's notification objects served by the agent: Receivers (a /hook/<digest> path per
// object, each with its own token, asking for a reconcile of the resources it lists)
// and Providers with Alerts (events of the objects an Alert names, in Flux's event
// format). The decisions are tested as pure functions; then end to end, the agent runs
// a Flux-shaped repository holding a Receiver, a Provider and an Alert against the local
// API server and Git, and a local HTTP server is the Provider's address.
import assert from "node:assert/strict";
import { createHmac, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { stringify } from "yaml";
import { type AgentEvent, compileAlertFilters, deliveryFor, wants } from "../../../agent/alerts.ts";
import { ensureFluxCrds } from "../../../agent/flux/crds.ts";
import {
  NotificationObjects,
  receiverOf,
  targetOf,
  webhookPath,
} from "../../../agent/flux/notification.ts";
import { type FluxReceiver, judgeFluxHook } from "../../../agent/receiver.ts";
import { KubeClient } from "../../../shared/kube/client.ts";
import type { KubeObject } from "../../../shared/manifests/object.ts";
import { AgentProcess, freePort, waitFor } from "../../helpers/agent.ts";
import { TestRepo } from "../../helpers/git-repo.ts";
import { getJson, kubectl, kubectlRun } from "../../helpers/kubectl.ts";
import { testenv } from "../../helpers/testenv.ts";

const hmac = (key: string, body: string, algorithm = "sha256") =>
  `${algorithm}=${createHmac(algorithm, key).update(body).digest("hex")}`;

const object = (kind: string, name: string, spec: unknown): KubeObject => ({
  apiVersion: `notification.toolkit.fluxcd.io/${kind === "Receiver" ? "v1" : "v1beta3"}`,
  kind,
  metadata: { name, namespace: "flux-system", generation: 1 },
  spec: spec as Record<string, unknown>,
});

describe("Receiver objects", () => {
  test("the path is notification-controller's: sha256 of token, name and namespace", () => {
    // Vector from `printf %s s3cr3t-tokengithub-receiverflux-system | sha256sum`.
    assert.equal(
      webhookPath("s3cr3t-token", "github-receiver", "flux-system"),
      "/hook/d186a226f9f47d7dad4311db516a3bc49a189ec30a9f837eaf0d9c7f4cd4b12d",
    );
  });

  test("served with its token and resources, or not and why", () => {
    const spec = {
      type: "github",
      events: ["push"],
      secretRef: { name: "token" },
      resources: [{ kind: "GitRepository", name: "flux-system" }],
    };
    const served = receiverOf(object("Receiver", "gh", spec), { token: "t0k" }, true);
    assert.equal(served.receiver?.path, webhookPath("t0k", "gh", "flux-system"));
    assert.deepEqual(served.receiver?.resources, [
      {
        apiVersion: undefined,
        kind: "GitRepository",
        name: "flux-system",
        namespace: "flux-system",
        matchLabels: undefined,
      },
    ]);
    const problems = [
      receiverOf(object("Receiver", "gh", spec), undefined, true).problem,
      receiverOf(object("Receiver", "gh", spec), { other: "x" }, true).problem,
      receiverOf(object("Receiver", "gh", spec), { token: "t" }, false).problem,
      receiverOf(object("Receiver", "gh", { ...spec, type: "quay" }), { token: "t" }, true).problem,
    ];
    assert.match(problems[0] ?? "", /Secret flux-system\/token not found/);
    assert.match(problems[1] ?? "", /no 'token' key/);
    assert.match(problems[2] ?? "", /--receiver-port/);
    assert.match(problems[3] ?? "", /type quay is not served/);
  });

  const receiver = (type: string, events: string[] = []): FluxReceiver => ({
    key: "flux-system/r",
    type,
    events,
    token: "receiver-token",
    path: "/hook/x",
    resources: [],
  });
  const judge = (r: FluxReceiver, headers: Record<string, string>, body = "{}") =>
    judgeFluxHook(r, headers, Buffer.from(body));

  test("github: signed with the token, events filtered, ping answered", () => {
    const gh = receiver("github", ["push"]);
    const push = { "x-github-event": "push", "x-hub-signature-256": hmac("receiver-token", "{}") };
    assert.deepEqual([judge(gh, push).status, judge(gh, push).trigger], [202, true]);
    const sha1 = {
      "x-github-event": "push",
      "x-hub-signature": hmac("receiver-token", "{}", "sha1"),
    };
    assert.equal(judge(gh, sha1).trigger, true);
    const wrong = { ...push, "x-hub-signature-256": hmac("other", "{}") };
    assert.deepEqual([judge(gh, wrong).status, judge(gh, wrong).trigger], [401, false]);
    const issues = { ...push, "x-github-event": "issues" };
    assert.deepEqual([judge(gh, issues).status, judge(gh, issues).trigger], [202, false]);
    const ping = { ...push, "x-github-event": "ping" };
    assert.deepEqual([judge(gh, ping).status, judge(gh, ping).trigger], [200, false]);
    // No events listed: every authentic event triggers, as in Flux.
    assert.equal(judge(receiver("github"), issues).trigger, true);
  });

  test("gitlab, harbor: the token itself; generic-hmac, bitbucket: an HMAC; generic: the path", () => {
    const gitlab = receiver("gitlab", ["Push Hook"]);
    assert.equal(
      judge(gitlab, { "x-gitlab-token": "receiver-token", "x-gitlab-event": "Push Hook" }).trigger,
      true,
    );
    assert.equal(
      judge(gitlab, { "x-gitlab-token": "nope", "x-gitlab-event": "Push Hook" }).status,
      401,
    );
    assert.equal(judge(receiver("harbor"), { authorization: "receiver-token" }).trigger, true);
    assert.equal(judge(receiver("harbor"), { authorization: "Bearer x" }).status, 401);
    const body = '{"image":"x"}';
    assert.equal(
      judge(receiver("generic-hmac"), { "x-signature": hmac("receiver-token", body) }, body)
        .trigger,
      true,
    );
    assert.equal(
      judge(receiver("generic-hmac"), { "x-signature": hmac("receiver-token", "{}") }, body).status,
      401,
    );
    assert.equal(
      judge(
        receiver("bitbucket"),
        { "x-hub-signature": hmac("receiver-token", body), "x-event-key": "repo:push" },
        body,
      ).trigger,
      true,
    );
    assert.equal(judge(receiver("generic"), {}).trigger, true);
  });
});

describe("Provider and Alert objects", () => {
  const alert = object("Alert", "on-call", {
    providerRef: { name: "hook" },
    eventSeverity: "info",
    eventSources: [
      { kind: "Kustomization", name: "*" },
      { kind: "HelmRelease", name: "podinfo", namespace: "apps" },
    ],
    exclusionList: ["^noise"],
    summary: "edge fleet",
  });
  const event = (kind: string, name: string, namespace: string, message = "boom"): AgentEvent => ({
    reason: "PassFailed",
    severity: "error",
    unit: `${kind}/${namespace}/${name}`,
    revision: "a".repeat(40),
    message,
    cluster: "edge-1",
    timestamp: "2026-12-01T00:00:00.000Z",
    object: { apiVersion: "x/v1", kind, name, namespace },
  });

  test("a generic-hmac Provider: Flux's event format, signed with the Secret's token", () => {
    const provider = object("Provider", "hook", {
      type: "generic-hmac",
      address: "http://127.0.0.1:9/events",
      secretRef: { name: "hook-token" },
    });
    const { target, problem } = targetOf(alert, provider, { token: "provider-token" });
    assert.equal(problem, undefined);
    assert.ok(target);
    const delivery = deliveryFor(target, event("Kustomization", "apps", "flux-system"));
    assert.ok(delivery);
    assert.equal(delivery.headers["x-signature"], hmac("provider-token", delivery.body));
    const body = JSON.parse(delivery.body);
    assert.deepEqual(body.involvedObject, {
      apiVersion: "x/v1",
      kind: "Kustomization",
      name: "apps",
      namespace: "flux-system",
    });
    assert.equal(body.metadata.summary, "edge fleet");
    assert.equal(body.metadata.revision, "a".repeat(40));
    assert.equal(body.severity, "error");
  });

  test("eventSources (kind, name or *, namespace defaulting to the Alert's) and the lists", async () => {
    const provider = object("Provider", "hook", { type: "generic", address: "http://x/" });
    const { target } = targetOf(alert, provider, undefined);
    assert.ok(target);
    await compileAlertFilters([target]);
    assert.equal(wants(target, event("Kustomization", "any", "flux-system")), true);
    assert.equal(wants(target, event("Kustomization", "any", "other")), false);
    assert.equal(wants(target, event("HelmRelease", "podinfo", "apps")), true);
    assert.equal(wants(target, event("HelmRelease", "other", "apps")), false);
    assert.equal(wants(target, event("Kustomization", "a", "flux-system", "noise: x")), false);
    // Unit events carry no Flux object: Flux Alerts do not get them.
    assert.equal(
      wants(target, { ...event("Kustomization", "a", "flux-system"), object: undefined }),
      false,
    );
  });

  test("error severity, GitHub addresses, and what is refused", () => {
    const errorsOnly = object("Alert", "e", { ...(alert.spec as object), eventSeverity: "error" });
    const generic = object("Provider", "hook", { type: "generic", address: "http://x/" });
    const info = { ...event("Kustomization", "a", "flux-system"), severity: "info" as const };
    assert.equal(wants(targetOf(errorsOnly, generic, undefined).target as never, info), false);
    const github = object("Provider", "hook", {
      type: "github",
      address: "https://github.com/acme/fleet",
      secretRef: { name: "gh" },
    });
    const gh = targetOf(alert, github, { token: "ghp_x" }).target;
    assert.deepEqual([gh?.url, gh?.repository], ["https://api.github.com", "acme/fleet"]);
    const delivery = deliveryFor(gh as never, event("Kustomization", "apps", "flux-system"));
    assert.equal(JSON.parse(delivery?.body ?? "{}").context, "kustomization/apps/edge-1");
    const ghe = object("Provider", "hook", {
      type: "github",
      address: "https://git.example.com/acme/fleet",
      secretRef: { name: "gh" },
    });
    assert.equal(
      targetOf(alert, ghe, { token: "t" }).target?.url,
      "https://git.example.com/api/v3",
    );
    assert.match(targetOf(alert, github, undefined).problem ?? "", /Secret .* not found/);
    assert.match(targetOf(alert, undefined, undefined).problem ?? "", /Provider .* not found/);
    const pager = object("Provider", "hook", { type: "pagerduty", address: "http://x/" });
    assert.match(targetOf(alert, pager, undefined).problem ?? "", /pagerduty is not served/);
  });
});

describe("reading the objects", () => {
  test("an agent that may not list them says so once and keeps going", async () => {
    // A real refusal: the API server's RBAC, for a user with no rights at all.
    const admin = await KubeClient.connect({ kubeconfig: testenv().kubeconfig });
    try {
      await ensureFluxCrds(admin, [object("Receiver", "any", {})]);
      const notes: string[] = [];
      const objects = new NotificationObjects(admin.impersonating("nobody-at-all"), {
        receiverServed: true,
        note: (line) => notes.push(line),
        onTargets: () => assert.fail("no targets can have been read"),
      });
      await objects.refresh("rev-1", 0);
      await objects.refresh("rev-2", 1);
      assert.equal(notes.length, 1, notes.join("\n"));
      assert.match(notes[0] ?? "", /notification objects not read: .*forbidden/i);
      assert.equal(objects.receiverAt("/hook/x"), undefined);
    } finally {
      admin.close();
    }
  });
});

describe("tether agent with Flux notification objects", () => {
  const id = randomBytes(3).toString("hex");
  const fs = `fsn-${id}`;
  const dir = mkdtempSync(join(tmpdir(), "tether-flux-notification-"));
  const receiverToken = `receiver-${id}-token`;
  const providerToken = `provider-${id}-token`;
  const received: { headers: Record<string, unknown>; body: string }[] = [];
  let repo: TestRepo;
  let agent: AgentProcess | undefined;
  let sink: Server;
  let receiverPort: number;

  before(async () => {
    sink = createServer((req, res) => {
      let body = "";
      req.on("data", (d) => {
        body += d;
      });
      req.on("end", () => {
        received.push({ headers: req.headers, body });
        res.end("ok");
      });
    });
    const sinkPort = await freePort();
    await new Promise<void>((r) => sink.listen(sinkPort, "127.0.0.1", r));
    repo = await TestRepo.create("flux-notification");
    const kustomization = (name: string, path: string) => `---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: ${name}, namespace: ${fs}}
spec: {interval: 1h, sourceRef: {kind: GitRepository, name: flux-system}, path: ${path}, prune: true}
`;
    repo
      .write(
        "clusters/edge/flux-system/gotk-sync.yaml",
        `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: flux-system, namespace: ${fs}}
spec: {interval: 1h, ref: {branch: main}, url: ${repo.plainUrl}}
${kustomization("flux-system", "./clusters/edge")}`,
      )
      .write(
        "clusters/edge/notification.yaml",
        `apiVersion: v1
kind: Secret
metadata: {name: receiver-token, namespace: ${fs}}
stringData: {token: ${receiverToken}}
---
apiVersion: notification.toolkit.fluxcd.io/v1
kind: Receiver
metadata: {name: github, namespace: ${fs}}
spec:
  type: github
  events: [push]
  secretRef: {name: receiver-token}
  resources:
    - {kind: Kustomization, name: slow}
---
apiVersion: v1
kind: Secret
metadata: {name: provider-token, namespace: ${fs}}
stringData: {token: ${providerToken}}
---
apiVersion: notification.toolkit.fluxcd.io/v1beta3
kind: Provider
metadata: {name: hook, namespace: ${fs}}
spec: {type: generic-hmac, address: "http://127.0.0.1:${sinkPort}/events", secretRef: {name: provider-token}}
---
apiVersion: notification.toolkit.fluxcd.io/v1beta3
kind: Alert
metadata: {name: all, namespace: ${fs}}
spec:
  providerRef: {name: hook}
  eventSeverity: info
  eventSources:
    - {kind: Kustomization, name: "*"}
`,
      )
      .write(
        "clusters/edge/apps.yaml",
        kustomization("slow", "./slow") + kustomization("broken", "./missing"),
      )
      .write(
        "slow/config.yaml",
        `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: slow, namespace: ${fs}}\ndata: {a: b}\n`,
      );
    await repo.push("flux notification layout");
    receiverPort = await freePort();
    const config = join(dir, "config.yaml");
    writeFileSync(
      config,
      stringify({
        namespace: `tether-ntf-${id}`,
        git: { url: repo.plainUrl, branch: "main" },
        interval: "1h",
        units: [{ name: `ntf-${id}`, path: "clusters/edge", prune: true }],
      }),
    );
    await kubectl(["create", "namespace", fs]);
    // No TETHER_RECEIVER_SECRET: only the Receivers' own paths are served.
    agent = await AgentProcess.start(
      config,
      ["--cache-dir", join(dir, "cache"), "--receiver-port", String(receiverPort)],
      { TETHER_GIT_USERNAME: testenv().gitUser, TETHER_GIT_PASSWORD: testenv().gitPassword },
    );
  });

  after(async () => {
    agent?.kill("SIGTERM");
    await agent?.exited;
    await new Promise((r) => sink?.close(r));
    for (const ns of [fs, `tether-ntf-${id}`])
      await kubectlRun(["delete", "namespace", ns, "--wait=false"]);
    repo?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  test("a Kustomization's failure reaches the Provider in Flux's format, signed", async () => {
    const failure = await waitFor(
      "a PassFailed event for the broken Kustomization",
      async () =>
        received.find((r) => {
          const body = JSON.parse(r.body);
          return body.involvedObject?.name === "broken" && body.reason === "PassFailed";
        }),
      60_000,
    );
    const body = JSON.parse(failure.body);
    assert.deepEqual(
      [body.involvedObject.kind, body.involvedObject.namespace, body.severity],
      ["Kustomization", fs, "error"],
    );
    assert.equal(failure.headers["x-signature"], hmac(providerToken, failure.body));
    // The token is nowhere in what the agent wrote or logged.
    assert.ok(!agent?.output.includes(providerToken));
    assert.ok(!agent?.output.includes(receiverToken));
  });

  test("the Receiver's status gives its path; a signed push there reconciles its resources", async () => {
    const path = await waitFor("the Receiver's webhookPath", async () => {
      const live = await getJson(["receivers.notification.toolkit.fluxcd.io", "github", "-n", fs]);
      return live.status?.webhookPath as string | undefined;
    });
    assert.equal(path, webhookPath(receiverToken, "github", fs));
    const live = await getJson(["receivers.notification.toolkit.fluxcd.io", "github", "-n", fs]);
    assert.ok(!JSON.stringify(live.status).includes(receiverToken));
    const url = `http://127.0.0.1:${receiverPort}${path}`;
    const body = JSON.stringify({ ref: "refs/heads/main" });
    const post = (signature: string, event = "push") =>
      fetch(url, {
        method: "POST",
        body,
        headers: { "x-github-event": event, "x-hub-signature-256": signature },
      });
    assert.equal((await post(hmac("not-the-token", body))).status, 401);
    // Without TETHER_RECEIVER_SECRET the shared /hook is not served.
    assert.equal(
      (await fetch(`http://127.0.0.1:${receiverPort}/hook`, { method: "POST" })).status,
      404,
    );
    const res = await post(hmac(receiverToken, body));
    assert.equal(res.status, 202);
    const handled = await waitFor(
      "slow handled the receiver's request",
      async () => {
        const ks = await getJson(["kustomizations.kustomize.toolkit.fluxcd.io", "slow", "-n", fs]);
        const requested = ks.metadata.annotations?.["reconcile.fluxcd.io/requestedAt"];
        return requested && ks.status?.lastHandledReconcileAt === requested ? requested : undefined;
      },
      30_000,
    );
    assert.ok(handled);
  });
});
