// Bootstrap's write to Git: clone the branch (shallow), write the install folder,
// commit only when something changed, push. Never forced: when the branch moved in the
// meantime the push is refused, and the folder is written again on top of the new head
// (a fresh clone; the files are regenerated, so there is nothing to merge by hand), a
// few times, then it fails and says so. Credentials travel as agent/source/git.ts
// passes them (headers and key files in the environment, never in a URL on disk).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { messageOf } from "../../shared/util/message.ts";
import { redactUrl } from "../../shared/util/redact.ts";
import {
  describeFailure,
  GitSourceError,
  type GitSourceSpec,
  gitEnvironment,
  gitIn,
} from "../source/git.ts";

export interface CommitRequest {
  source: GitSourceSpec & { branch: string };
  /** The folder in the repository the files go to. */
  folder: string;
  /** The files to write, from what the folder holds now (see folder.ts). */
  files: (existing: (name: string) => string | undefined) => Record<string, string>;
  message: string;
  author: { name: string; email: string };
  attempts?: number;
}

export interface CommitResult {
  /** The branch's head after the run: the new commit, or the old head when nothing changed. */
  revision: string;
  committed: boolean;
}

const REJECTED = /\[rejected\]|non-fast-forward|\(fetch first\)/;

/** Writes the folder and pushes it; answers the branch head that holds it. */
export async function commitFolder(request: CommitRequest): Promise<CommitResult> {
  const attempts = request.attempts ?? 3;
  for (let attempt = 1; ; attempt++) {
    const dir = mkdtempSync(join(tmpdir(), "tether-bootstrap-"));
    try {
      const result = await commitOnce(request, dir);
      if (result !== "rejected") return result;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    if (attempt >= attempts) {
      throw new GitSourceError(
        `branch ${request.source.branch} of ${redactUrl(request.source.url)} moved while pushing, ${attempts} times; nothing was forced: run bootstrap again`,
      );
    }
  }
}

async function commitOnce(request: CommitRequest, dir: string): Promise<CommitResult | "rejected"> {
  const { source } = request;
  const env = {
    ...gitEnvironment(source),
    GIT_AUTHOR_NAME: request.author.name,
    GIT_AUTHOR_EMAIL: request.author.email,
    GIT_COMMITTER_NAME: request.author.name,
    GIT_COMMITTER_EMAIL: request.author.email,
  };
  const git = gitIn(dir, env);
  const ref = `refs/heads/${source.branch}`;
  let exists: boolean;
  try {
    await git.init(["--initial-branch", source.branch]).addRemote("origin", source.url);
    exists = (await git.listRemote(["origin", ref])).trim() !== "";
    // A branch that does not exist yet (an empty repository) starts with this commit.
    if (exists) {
      await git.fetch(["--depth", "1", "--no-tags", "origin", ref]);
      await git.raw(["checkout", "--quiet", "-B", source.branch, "FETCH_HEAD"]);
    }
  } catch (error) {
    throw describeFailure("clone of", source, error);
  }

  const folder = join(dir, request.folder);
  const existing = (name: string) => {
    try {
      return readFileSync(join(folder, name), "utf8");
    } catch {
      return undefined;
    }
  };
  for (const [name, text] of Object.entries(request.files(existing))) {
    mkdirSync(dirname(join(folder, name)), { recursive: true });
    writeFileSync(join(folder, name), text);
  }
  await git.add(["--all", "--", request.folder]);
  const staged = (await git.raw(["diff", "--cached", "--name-only"])).trim();
  if (!staged) {
    return { revision: (await git.revparse(["HEAD"])).trim(), committed: false };
  }
  await git.commit(request.message);
  const revision = (await git.revparse(["HEAD"])).trim();
  try {
    await git.raw(["push", "origin", `HEAD:${ref}`]);
  } catch (error) {
    const text = messageOf(error);
    if (REJECTED.test(text)) return "rejected";
    throw describeFailure("push to", source, error);
  }
  return { revision, committed: true };
}
