// A repository on the local Git server for a test: a bare repository under
// TETHER_TEST_GIT_ROOT and a working clone to write, commit and push from.
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { mustRun } from "./run.ts";
import { testenv } from "./testenv.ts";

/** Who the test commits are by (for an environment built without process.env). */
export const gitIdentity = {
  GIT_AUTHOR_NAME: "Tether Test",
  GIT_AUTHOR_EMAIL: "test@tether.invalid",
  GIT_COMMITTER_NAME: "Tether Test",
  GIT_COMMITTER_EMAIL: "test@tether.invalid",
};

/** git never prompts, and commits without a configured user. */
export const gitEnv = { ...process.env, GIT_TERMINAL_PROMPT: "0", ...gitIdentity };

export class TestRepo {
  readonly name: string;
  readonly work: string;
  /** URL with the test credentials embedded. */
  readonly url: string;
  /** URL without credentials. */
  readonly plainUrl: string;

  private constructor(name: string, work: string) {
    const env = testenv();
    this.name = name;
    this.work = work;
    this.plainUrl = `${env.gitUrl}/${name}.git`;
    const url = new URL(this.plainUrl);
    url.username = env.gitUser;
    url.password = env.gitPassword;
    this.url = url.toString();
  }

  static async create(prefix: string): Promise<TestRepo> {
    const name = `${prefix}-${randomBytes(4).toString("hex")}`;
    await mustRun(
      "git",
      ["init", "-q", "--bare", "--initial-branch=main", join(testenv().gitRoot, `${name}.git`)],
      {
        env: gitEnv,
      },
    );
    const work = mkdtempSync(join(tmpdir(), `tether-${prefix}-`));
    await mustRun("git", ["init", "-q", "--initial-branch=main", work], { env: gitEnv });
    return new TestRepo(name, work);
  }

  write(path: string, text: string): this {
    mkdirSync(dirname(join(this.work, path)), { recursive: true });
    writeFileSync(join(this.work, path), text);
    return this;
  }

  remove(path: string): this {
    rmSync(join(this.work, path), { recursive: true, force: true });
    return this;
  }

  /** Commits everything and pushes to main; returns the commit. */
  async push(message = "change"): Promise<string> {
    await mustRun("git", ["add", "-A"], { cwd: this.work, env: gitEnv });
    await mustRun("git", ["commit", "-q", "--allow-empty", "-m", message], {
      cwd: this.work,
      env: gitEnv,
    });
    await mustRun("git", ["push", "-q", this.url, "HEAD:main"], { cwd: this.work, env: gitEnv });
    return (await mustRun("git", ["rev-parse", "HEAD"], { cwd: this.work, env: gitEnv })).trim();
  }

  /**
   * Commits everything to branch `branch` of the remote (made or moved there), and leaves
   * the work tree as it was before, on main; returns the commit.
   */
  async pushTo(branch: string, message = "change"): Promise<string> {
    const git = (...args: string[]) => mustRun("git", args, { cwd: this.work, env: gitEnv });
    const base = (await git("rev-parse", "HEAD")).trim();
    await git("add", "-A");
    await git("commit", "-q", "--allow-empty", "-m", message);
    const commit = (await git("rev-parse", "HEAD")).trim();
    await git("push", "-q", this.url, `HEAD:refs/heads/${branch}`);
    await git("reset", "-q", "--hard", base);
    return commit;
  }

  cleanup(): void {
    rmSync(this.work, { recursive: true, force: true });
  }
}
