// The GitHub Actions side of `tether validate`: annotations (workflow commands on
// file:line, deduplicated, capped per step), the job summary in GITHUB_STEP_SUMMARY, step
// outputs in GITHUB_OUTPUT, the sticky pull request comment and --changed-only.
//
// GitHub's API cannot be reached from here, so the comment and changed-files logic runs
// against a small fake of the few REST endpoints it uses, on 127.0.0.1 (GITHUB_API_URL
// points at it). It is a mock of GitHub only; kustomize and opa are the real ones.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, beforeEach, describe, test } from "node:test";
import type { Report } from "../../../action/validate/report.ts";
import { Fixture, seed004, validate } from "./helpers.ts";

interface Comment {
  id: number;
  body: string;
}

class FakeGitHub {
  comments: Comment[] = [];
  files: { filename: string; previous_filename?: string }[] = [];
  requests: { method: string; path: string; auth: string | undefined }[] = [];
  readOnly = false;
  private server: Server | undefined;
  private nextId = 100;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      void this.handle(req).then(([status, body]) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(body));
      });
    });
    await new Promise<void>((done) => this.server?.listen(0, "127.0.0.1", done));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise((done) => this.server?.close(() => done()) ?? done());
  }

  private async handle(req: IncomingMessage): Promise<[number, unknown]> {
    let text = "";
    for await (const chunk of req) text += chunk;
    const url = new URL(req.url ?? "/", "http://x");
    this.requests.push({
      method: req.method ?? "",
      path: url.pathname,
      auth: req.headers.authorization,
    });
    const denied: [number, unknown] = [403, { message: "Resource not accessible by integration" }];
    if (req.method === "GET" && url.pathname === "/repos/acme/fleet/issues/7/comments") {
      return [200, this.comments];
    }
    if (req.method === "POST" && url.pathname === "/repos/acme/fleet/issues/7/comments") {
      if (this.readOnly) return denied;
      const comment = { id: this.nextId++, body: JSON.parse(text).body as string };
      this.comments.push(comment);
      return [201, comment];
    }
    const edit = /^\/repos\/acme\/fleet\/issues\/comments\/(\d+)$/.exec(url.pathname);
    if (req.method === "PATCH" && edit) {
      if (this.readOnly) return denied;
      const comment = this.comments.find((c) => c.id === Number(edit[1]));
      if (!comment) return [404, { message: "Not Found" }];
      comment.body = JSON.parse(text).body;
      return [200, comment];
    }
    if (req.method === "GET" && url.pathname === "/repos/acme/fleet/pulls/7/files") {
      return [200, this.files.map((f) => ({ status: "modified", ...f }))];
    }
    return [404, { message: "Not Found" }];
  }
}

const github = new FakeGitHub();
let apiUrl: string;
let work: string;
const works: string[] = [];
const fixtures: Fixture[] = [];

before(async () => {
  apiUrl = await github.start();
});
after(async () => {
  await github.stop();
  for (const f of fixtures) f.cleanup();
  for (const w of works) rmSync(w, { recursive: true, force: true });
});
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), "tether-gh-"));
  works.push(work);
  writeFileSync(join(work, "summary.md"), "");
  writeFileSync(join(work, "output"), "");
  github.comments = [{ id: 1, body: "LGTM from a person" }];
  github.requests = [];
  github.readOnly = false;
});

/** The variables the runner sets for a step of a pull_request workflow. */
function actionsEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const event = join(work, "event.json");
  writeFileSync(
    event,
    JSON.stringify({ pull_request: { number: 7 }, repository: { full_name: "acme/fleet" } }),
  );
  return {
    GITHUB_ACTIONS: "true",
    GITHUB_STEP_SUMMARY: join(work, "summary.md"),
    GITHUB_OUTPUT: join(work, "output"),
    GITHUB_EVENT_PATH: event,
    GITHUB_EVENT_NAME: "pull_request",
    GITHUB_REPOSITORY: "acme/fleet",
    GITHUB_API_URL: apiUrl,
    GITHUB_SERVER_URL: "https://github.com",
    GITHUB_RUN_ID: "42",
    GITHUB_TOKEN: "ghs_test_token",
    RUNNER_TEMP: work,
    NO_PROXY: "127.0.0.1",
    ...extra,
  };
}

/** GITHUB_OUTPUT as @actions/core writes it: name<<DELIMITER, value, DELIMITER. */
function outputs(): Record<string, string> {
  const text = readFileSync(join(work, "output"), "utf8");
  const out: Record<string, string> = {};
  for (const m of text.matchAll(/^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm))
    out[m[1] as string] = m[3] as string;
  return out;
}

function repo(): Fixture {
  const f = seed4WithProblems();
  fixtures.push(f);
  return f;
}

function seed4WithProblems(): Fixture {
  const f = seed004(new Fixture("github"));
  // One problem in the base (both overlays render it) and one in dev's patch.
  f.write(
    "kustomize/base/namespace.yaml",
    "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labelz: {team: shop}\n",
  );
  f.write(
    "kustomize/dev/web-patch.yaml",
    'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  replicas: "one"\n',
  );
  return f;
}

const annotations = (stdout: string) =>
  stdout.split("\n").filter((l) => /^::(error|warning) /.test(l));

describe("GitHub Actions output", () => {
  test("annotations on file:line (deduplicated), the job summary table and the step outputs", async () => {
    const r = repo();
    const result = await validate([], { cwd: r.root, env: actionsEnv({ GITHUB_TOKEN: "" }) });
    assert.equal(result.code, 1, result.stderr);
    // GITHUB_ACTIONS=true makes github the default format.
    assert.deepEqual(annotations(result.stdout), [
      '::error file=kustomize/base/namespace.yaml,line=5,col=3,title=schema/unknown-field%3A Namespace/shop::unknown field "metadata.labelz" (units kustomize/dev, kustomize/prd)',
      '::error file=kustomize/dev/web-patch.yaml,line=5,col=3,title=schema/type%3A Deployment/shop/web::spec.replicas: expected integer, got string "one"',
    ]);
    assert.match(result.stdout, /^::notice::Skipped the pull request comment: no token/m);

    const summary = readFileSync(join(work, "summary.md"), "utf8");
    assert.match(summary, /### Tether validate: failed/);
    assert.match(
      summary,
      /\| Unit \| Renderer \| Resources \| Valid \| Invalid \| Skipped \| Errors \| Warnings \|/,
    );
    assert.match(summary, /\| `kustomize\/dev` \| kustomize \| 6 \| 4 \| 2 \| 0 \| 2 \| 0 \|/);
    assert.match(summary, /\| `kustomize\/prd` \| kustomize \| 6 \| 5 \| 1 \| 0 \| 1 \| 0 \|/);
    assert.match(summary, /`kustomize\/base\/namespace\.yaml:5:3`/);
    assert.match(
      summary,
      /\[Workflow run\]\(https:\/\/github\.com\/acme\/fleet\/actions\/runs\/42\)/,
    );

    const out = outputs();
    assert.equal(out.errors, "3");
    assert.equal(out.warnings, "0");
    assert.equal(out.report, join(work, "tether-validate-report.json"));
    const report = JSON.parse(readFileSync(out.report as string, "utf8")) as Report;
    assert.equal(report.summary.errors, 3);
  });

  test("past GitHub's cap of 10 errors and 10 warnings per step, the rest go to the summary", async () => {
    const f = new Fixture("cap");
    fixtures.push(f);
    const docs = Array.from(
      { length: 25 },
      (_, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm-${i}}\ndatum: {}\n`,
    );
    f.write("many.yaml", docs.join("---\n"));
    f.write(
      "policy/p.rego",
      'package main\n\nimport rego.v1\n\nwarn contains sprintf("%s: no labels", [input.metadata.name]) if not input.metadata.labels\n',
    );
    const result = await validate(["many.yaml", "--policy", "policy", "--no-comment"], {
      cwd: f.root,
      env: actionsEnv(),
    });
    assert.equal(result.code, 1);
    const lines = annotations(result.stdout);
    assert.equal(lines.filter((l) => l.startsWith("::error ")).length, 10);
    assert.equal(lines.filter((l) => l.startsWith("::warning ")).length, 10);
    assert.match(result.stdout, /^30 more problem\(s\) are listed in the job summary/m);
    const summary = readFileSync(join(work, "summary.md"), "utf8");
    const notAnnotated = summary.split("#### Not annotated")[1] ?? "";
    assert.equal((notAnnotated.match(/^\| ❌ /gm) ?? []).length, 15);
    assert.equal((notAnnotated.match(/^\| ⚠️ /gm) ?? []).length, 15);
    assert.match(notAnnotated, /`many\.yaml:99:1`/);
    assert.equal(github.requests.length, 0, "--no-comment");
  });

  test("Secret values never reach annotations, the summary, the comment or the report", async () => {
    const f = new Fixture("secret");
    fixtures.push(f);
    const value = "s3cr3t-p4ss";
    f.write(
      "secret.yaml",
      `apiVersion: v1\nkind: Secret\nmetadata: {name: db}\ndata:\n  password: ${Buffer.from(value).toString("base64")}\n  pin: 424242\nstringData:\n  token: ${value}-token\n`,
    );
    f.write(
      "policy/p.rego",
      'package main\n\nimport rego.v1\n\ndeny contains sprintf("token %s and password %s are set", [input.stringData.token, base64.decode(input.data.password)]) if input.kind == "Secret"\n',
    );
    const result = await validate(["secret.yaml", "--policy", "policy"], {
      cwd: f.root,
      env: actionsEnv(),
    });
    assert.equal(result.code, 1);
    const everything = [
      result.stdout,
      result.stderr,
      readFileSync(join(work, "summary.md"), "utf8"),
      readFileSync(join(work, "tether-validate-report.json"), "utf8"),
      ...github.comments.map((c) => c.body),
    ].join("\n");
    assert.ok(!everything.includes(value), everything);
    assert.ok(!everything.includes("424242"), everything);
    assert.ok(!everything.includes(Buffer.from(value).toString("base64")));
    assert.match(
      result.stdout,
      /::error file=secret\.yaml,line=6,col=3,title=schema\/type%3A Secret\/db::data\.pin: expected string, got integer \(value hidden\)/,
    );
    assert.match(result.stdout, /token \*\*\* and password \*\*\* are set/);
  });

  test("the sticky comment is created once, then updated in place", async () => {
    const r = repo();
    const first = await validate([], { cwd: r.root, env: actionsEnv() });
    assert.equal(first.code, 1);
    assert.match(first.stderr, /pull request comment created/);
    assert.equal(github.comments.length, 2);
    const ours = github.comments[1] as Comment;
    assert.match(ours.body, /^<!-- tether-validate:validate -->\n### Tether validate: failed/);
    assert.match(ours.body, /\| `kustomize\/dev` \| kustomize \| 6 \|/);
    assert.ok(github.requests.every((q) => q.auth === "token ghs_test_token"));

    // Fixed in a later push: the same comment says so.
    r.write(
      "kustomize/base/namespace.yaml",
      "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n",
    );
    r.write(
      "kustomize/dev/web-patch.yaml",
      "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  replicas: 1\n",
    );
    const second = await validate([], { cwd: r.root, env: actionsEnv() });
    assert.equal(second.code, 0, second.stdout);
    assert.match(second.stderr, /pull request comment updated/);
    assert.equal(github.comments.length, 2);
    assert.equal(github.comments[1]?.id, ours.id);
    assert.match(github.comments[1]?.body ?? "", /### Tether validate: passed/);
    assert.equal(github.comments[0]?.body, "LGTM from a person");

    const third = await validate([], { cwd: r.root, env: actionsEnv(), exit: 0 });
    assert.match(third.stderr, /pull request comment unchanged/);
    assert.equal(github.requests.filter((q) => q.method === "PATCH").length, 1);

    // Another job's report (--comment-key) gets its own comment.
    await validate(["kustomize/dev", "--comment-key", "dev"], {
      cwd: r.root,
      env: actionsEnv(),
      exit: 0,
    });
    assert.equal(github.comments.length, 3);
    assert.match(github.comments[2]?.body ?? "", /^<!-- tether-validate:dev -->/);
  });

  test("a read-only token (fork pull requests) skips the comment with a notice; the verdict stands", async () => {
    const r = repo();
    github.readOnly = true;
    const result = await validate([], { cwd: r.root, env: actionsEnv() });
    assert.equal(result.code, 1, "the manifests' verdict, not the comment's");
    assert.match(
      result.stdout,
      /^::notice::Skipped the pull request comment: the token may not write pull request comments .*HTTP 403: Resource not accessible by integration/m,
    );
    assert.equal(github.comments.length, 1);
  });

  test("outside a pull request the comment is skipped with a notice", async () => {
    const r = repo();
    const event = join(work, "push.json");
    writeFileSync(event, JSON.stringify({ ref: "refs/heads/main" }));
    const result = await validate([], {
      cwd: r.root,
      env: actionsEnv({ GITHUB_EVENT_PATH: event, GITHUB_EVENT_NAME: "push" }),
      exit: 1,
    });
    assert.match(
      result.stdout,
      /^::notice::Skipped the pull request comment: not a pull request \(event push\)\.$/m,
    );
    assert.equal(github.requests.length, 0);
  });

  test("--changed-only validates the units the pull request's files touch", async () => {
    const r = repo();
    github.files = [{ filename: "kustomize/dev/web-patch.yaml" }, { filename: "docs/readme.md" }];
    const result = await validate(["--changed-only", "-o", "json"], {
      cwd: r.root,
      env: actionsEnv(),
      exit: 1,
    });
    const report = JSON.parse(result.stdout) as Report;
    assert.deepEqual(
      report.units.map((u) => u.name),
      ["kustomize/dev"],
    );
    assert.ok(github.requests.some((q) => q.path === "/repos/acme/fleet/pulls/7/files"));

    const noToken = await validate(["--changed-only", "-o", "json"], {
      cwd: r.root,
      env: actionsEnv({ GITHUB_TOKEN: "" }),
      exit: 1,
    });
    assert.match(noToken.stderr, /validating every unit: no token/);
    assert.equal((JSON.parse(noToken.stdout) as Report).units.length, 2);
  });
});
