// A stand-in for the part of GitHub's REST API that pull-request mode and the preview's
// sticky comment call (list, create and update pull requests; list, create and update
// their comments), on 127.0.0.1. This is the only
// mock in the image automation tests: GitHub itself cannot run here. It keeps the pull
// requests in memory and records every request, so a test can assert on what was sent
// (and that the token only ever travels in the Authorization header).
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakePull {
  number: number;
  title: string;
  body: string;
  head: string;
  base: string;
  state: "open" | "closed";
  comments: string[];
}

export interface RecordedRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  body: string;
}

/** Comment ids unique across pull requests: the pull request's number, then the index. */
const commentId = (pull: FakePull, index: number) => pull.number * 1000 + index + 1;

export class FakeGitHub {
  readonly pulls: FakePull[] = [];
  readonly requests: RecordedRequest[] = [];
  /** Answers writes with 403, as GitHub does for the read-only token of a fork's pull request. */
  readOnly = false;
  #server: Server;
  url = "";

  readonly owner: string;
  readonly repo: string;

  private constructor(owner: string, repo: string) {
    this.owner = owner;
    this.repo = repo;
    this.#server = createServer((req, res) => {
      void this.#handle(req).then(
        ({ status, body }) => {
          res.writeHead(status, { "content-type": "application/json" });
          res.end(JSON.stringify(body));
        },
        (error: Error) => {
          res.writeHead(500, { "content-type": "application/json" });
          res.end(JSON.stringify({ message: error.message }));
        },
      );
    });
  }

  static async start(owner: string, repo: string): Promise<FakeGitHub> {
    const fake = new FakeGitHub(owner, repo);
    await new Promise<void>((resolve) => fake.#server.listen(0, "127.0.0.1", resolve));
    fake.url = `http://127.0.0.1:${(fake.#server.address() as AddressInfo).port}`;
    return fake;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }

  open(): FakePull[] {
    return this.pulls.filter((p) => p.state === "open");
  }

  #view(p: FakePull) {
    return {
      number: p.number,
      title: p.title,
      body: p.body,
      state: p.state,
      html_url: `https://github.example/${this.owner}/${this.repo}/pull/${p.number}`,
      head: { ref: p.head, label: `${this.owner}:${p.head}` },
      base: { ref: p.base },
    };
  }

  async #handle(req: IncomingMessage): Promise<{ status: number; body: unknown }> {
    let text = "";
    for await (const chunk of req) text += chunk;
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    this.requests.push({
      method: req.method ?? "",
      path: url.pathname + url.search,
      authorization: req.headers.authorization,
      body: text,
    });
    const input = text ? (JSON.parse(text) as Record<string, string>) : {};
    const prefix = `/repos/${this.owner}/${this.repo}`;
    if (!url.pathname.startsWith(prefix)) return { status: 404, body: { message: "Not Found" } };
    const rest = url.pathname.slice(prefix.length);
    if (rest === "/pulls" && req.method === "GET") {
      const head = url.searchParams.get("head");
      const base = url.searchParams.get("base");
      const state = url.searchParams.get("state") ?? "open";
      const found = this.pulls.filter(
        (p) =>
          (state === "all" || p.state === state) &&
          (head === null || `${this.owner}:${p.head}` === head) &&
          (base === null || p.base === base),
      );
      return { status: 200, body: found.map((p) => this.#view(p)) };
    }
    if (rest === "/pulls" && req.method === "POST") {
      if (this.open().some((p) => p.head === input.head && p.base === input.base)) {
        return { status: 422, body: { message: "A pull request already exists" } };
      }
      const pull: FakePull = {
        number: this.pulls.length + 1,
        title: input.title ?? "",
        body: input.body ?? "",
        head: input.head ?? "",
        base: input.base ?? "",
        state: "open",
        comments: [],
      };
      this.pulls.push(pull);
      return { status: 201, body: this.#view(pull) };
    }
    const pullMatch = /^\/pulls\/(\d+)$/.exec(rest);
    if (pullMatch && req.method === "PATCH") {
      const pull = this.pulls.find((p) => p.number === Number(pullMatch[1]));
      if (!pull) return { status: 404, body: { message: "Not Found" } };
      if (input.title !== undefined) pull.title = input.title;
      if (input.body !== undefined) pull.body = input.body;
      if (input.state === "closed" || input.state === "open") pull.state = input.state;
      return { status: 200, body: this.#view(pull) };
    }
    const denied = { status: 403, body: { message: "Resource not accessible by integration" } };
    const commentMatch = /^\/issues\/(\d+)\/comments$/.exec(rest);
    if (commentMatch && req.method === "GET") {
      const pull = this.pulls.find((p) => p.number === Number(commentMatch[1]));
      if (!pull) return { status: 404, body: { message: "Not Found" } };
      return {
        status: 200,
        body: pull.comments.map((body, i) => ({ id: commentId(pull, i), body })),
      };
    }
    if (commentMatch && req.method === "POST") {
      if (this.readOnly) return denied;
      const pull = this.pulls.find((p) => p.number === Number(commentMatch[1]));
      if (!pull) return { status: 404, body: { message: "Not Found" } };
      pull.comments.push(input.body ?? "");
      return {
        status: 201,
        body: { id: commentId(pull, pull.comments.length - 1), body: input.body },
      };
    }
    const editMatch = /^\/issues\/comments\/(\d+)$/.exec(rest);
    if (editMatch && req.method === "PATCH") {
      if (this.readOnly) return denied;
      const id = Number(editMatch[1]);
      const pull = this.pulls.find((p) => p.number === Math.floor(id / 1000));
      const index = (id % 1000) - 1;
      if (!pull || pull.comments[index] === undefined)
        return { status: 404, body: { message: "Not Found" } };
      pull.comments[index] = input.body ?? "";
      return { status: 200, body: { id, body: input.body } };
    }
    return { status: 404, body: { message: `no fake for ${req.method} ${rest}` } };
  }
}
