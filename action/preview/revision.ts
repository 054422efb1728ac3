// The Git side of `tether preview`: the repository around the working folder, the
// commits the two refs name, the cluster folders at a commit, and a commit's tree
// written to a temporary folder (git archive: no worktree is registered, nothing in
// the repository changes). Thin I/O; every failure is a message a person can act on.
import { execFile, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UsageError } from "../../shared/command.ts";

function git(cwd: string, args: string[]): Promise<string> {
  return new Promise((done, fail) => {
    execFile("git", args, { cwd, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) fail(new Error(stderr.trim() || error.message));
      else done(stdout);
    });
  });
}

/** The top-level folder of the Git work tree around `cwd`. */
export async function gitTopLevel(cwd: string): Promise<string> {
  try {
    return (await git(cwd, ["rev-parse", "--show-toplevel"])).trim();
  } catch {
    throw new UsageError(`${cwd} is not inside a Git repository: preview compares two commits`);
  }
}

/**
 * The commit a ref names (a branch, tag, SHA or expression such as HEAD~1). A full SHA
 * missing from a shallow checkout (actions/checkout fetches one commit by default) is
 * fetched from origin, that one commit only.
 */
export async function resolveCommit(root: string, ref: string, flag: string): Promise<string> {
  const verify = () => git(root, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]);
  try {
    return (await verify()).trim();
  } catch {
    if (/^[0-9a-f]{40}$/.test(ref)) {
      const fetched = await git(root, ["fetch", "--quiet", "--no-tags", "--depth=1", "origin", ref])
        .then(() => verify())
        .catch(() => undefined);
      if (fetched) return fetched.trim();
    }
    throw new UsageError(
      `${flag} ${ref}: not a commit of this repository (fetch it first, e.g. git fetch origin ${ref})`,
    );
  }
}

/** `clusters/<name>` folders at a commit, sorted: the default paths of a fleet repository. */
export async function clusterFolders(root: string, commit: string): Promise<string[]> {
  const out = await git(root, ["ls-tree", "-d", "--name-only", "-z", commit, "clusters/"]);
  return out
    .split("\0")
    .filter((p) => p !== "")
    .sort();
}

export interface Tree {
  dir: string;
  remove(): Promise<void>;
}

/** The files of `commit` in a new temporary folder; `remove()` deletes it. */
export async function writeTree(root: string, commit: string): Promise<Tree> {
  const dir = await mkdtemp(join(tmpdir(), "tether-preview-"));
  const remove = () => rm(dir, { recursive: true, force: true });
  try {
    await new Promise<void>((done, fail) => {
      const archive = spawn("git", ["archive", "--format=tar", commit], {
        cwd: root,
        stdio: ["ignore", "pipe", "pipe"],
      });
      const tar = spawn("tar", ["-x", "-C", dir], { stdio: ["pipe", "ignore", "pipe"] });
      let errors = "";
      archive.stderr.on("data", (d) => {
        errors += d;
      });
      tar.stderr.on("data", (d) => {
        errors += d;
      });
      archive.stdout.pipe(tar.stdin);
      let left = 2;
      let failed = false;
      const exited = (code: number | null) => {
        if (code !== 0) failed = true;
        if (--left === 0) {
          if (failed) fail(new Error(`cannot read commit ${commit}: ${errors.trim()}`));
          else done();
        }
      };
      archive.on("error", fail);
      tar.on("error", fail);
      archive.on("close", exited);
      tar.on("close", exited);
    });
  } catch (error) {
    await remove();
    throw error;
  }
  return { dir, remove };
}

/** The URLs of the repository's remotes: a GitRepository with one of them is this repository. */
export async function remoteUrls(root: string): Promise<string[]> {
  const out = await git(root, ["config", "--get-regexp", "^remote\\..*\\.url$"]).catch(() => "");
  return out
    .split("\n")
    .map((line) => line.slice(line.indexOf(" ") + 1).trim())
    .filter((url) => url !== "");
}
