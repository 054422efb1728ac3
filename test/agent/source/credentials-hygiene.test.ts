// What the Git source does with credentials and revisions given by a person: nothing
// secret is printed (user info, tokens in a query), a URL Node cannot parse never
// reaches git's command line with its password, `$` in a key path is not expanded by
// the shell git runs ssh through, and a commit must be hexadecimal.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { parseAgentConfig, validateConfig } from "../../../agent/config.ts";
import {
  checkoutDir,
  gitEnvironment,
  remoteRevision,
  withoutUrlCredentials,
} from "../../../agent/source/git.ts";
import { redactUrl } from "../../../shared/util/redact.ts";
import { run } from "../../helpers/run.ts";

describe("redactUrl", () => {
  const cases: [string, string][] = [
    ["https://user:s3cret@git.example/fleet.git", "https://***@git.example/fleet.git"],
    [
      "https://git.example/fleet.git?token=s3cret&ref=main",
      "https://git.example/fleet.git?token=***&ref=***",
    ],
    // Node cannot parse these; the user info goes all the same.
    ["https://user:pa ss@git.example/fleet.git", "https://***@git.example/fleet.git"],
    [
      "https://user:p@ss@[bad/fleet.git?access_token=s3cret",
      "https://***@[bad/fleet.git?access_token=***",
    ],
    ["git@github.com:org/fleet.git", "git@github.com:org/fleet.git"],
  ];
  for (const [url, want] of cases) {
    test(url, () => assert.equal(redactUrl(url), want));
  }
});

describe("Git credentials never reach argv", () => {
  test("a URL with user info that Node cannot parse is refused, naming it redacted", () => {
    assert.throws(
      () => withoutUrlCredentials({ url: "https://user:p@ss@[bad/fleet.git" }),
      (e: Error) => /cannot be parsed/.test(e.message) && !e.message.includes("p@ss"),
    );
  });

  test("a token in the URL's query is not in git's failure, which quotes the URL", async () => {
    // Port 1 on 127.0.0.1: nothing listens, git fails at once and names the URL.
    const spec = { url: "https://127.0.0.1:1/org/fleet.git?token=q-s3cret%2Bx", branch: "main" };
    await assert.rejects(remoteRevision(spec), (e: Error) => {
      assert.match(
        e.message,
        /ls-remote https:\/\/127\.0\.0\.1:1\/org\/fleet\.git\?token=\*\*\* failed: .*unable to access/,
      );
      assert.doesNotMatch(e.message, /q-s3cret/);
      return true;
    });
  });

  test("an ssh:// URL written scp-like is refused with the two ways to write it", () => {
    assert.throws(
      () => withoutUrlCredentials({ url: "ssh://git@github.com:org/repo.git" }),
      /ssh:\/\/git@host\/org\/repo\.git.*git@host:org\/repo\.git/,
    );
  });

  test("a raw % in a password is kept as written", () => {
    const spec = withoutUrlCredentials({ url: "https://user:50%off@git.example/fleet.git" });
    assert.equal(spec.url, "https://git.example/fleet.git");
    assert.equal(spec.credentials?.password, "50%off");
  });

  test("$ and quotes in the SSH key path reach ssh as written, not expanded by the shell", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tether-ssh-$HOME-"));
    try {
      const key = join(dir, "id $USER 'x'");
      writeFileSync(key, "");
      const env = gitEnvironment({
        url: "ssh://git@127.0.0.1:1/fleet.git",
        credentials: { sshKeyFile: key, knownHostsFile: join(dir, "known_hosts") },
      });
      // git runs GIT_SSH_COMMAND with `sh -c '<command> "$@"'`: do the same, with
      // printf in place of ssh, and read back the arguments.
      const command = (env.GIT_SSH_COMMAND as string).replace(/^ssh /, "printf '%s\\n' ");
      const result = await run("sh", ["-c", `${command} "$@"`, command]);
      const args = result.stdout.split("\n");
      assert.ok(args.includes(key), result.stdout);
      assert.ok(args.includes(`UserKnownHostsFile=${join(dir, "known_hosts")}`), result.stdout);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("a commit is hexadecimal", () => {
  const config = (commit: string) =>
    parseAgentConfig(
      `git: {url: https://git.example/f.git, commit: "${commit}"}\nunits: [{path: a}]\n`,
    );
  test("a full or abbreviated SHA-1 or SHA-256 is accepted", () => {
    validateConfig(config("0123456789abcdef0123456789abcdef01234567"));
    validateConfig(config("abc1234"));
  });
  for (const bad of ["--upload-pack=touch /tmp/x", "main", "HEAD~1", "abc", "g123456"]) {
    test(JSON.stringify(bad), () => {
      assert.throws(() => validateConfig(config(bad)), /commit .* hexadecimal/);
    });
  }
});

describe("what git is given, by kind of credential", () => {
  const header = (env: NodeJS.ProcessEnv) =>
    Object.entries(env).find(
      ([k, v]) => k.startsWith("GIT_CONFIG_VALUE_") && v?.startsWith("Authorization"),
    )?.[1];

  test("a bearer token is sent as Authorization: Bearer, as Flux sends bearerToken", () => {
    const env = gitEnvironment({
      url: "https://git.example/r.git",
      credentials: { bearerToken: "tok" },
    });
    assert.equal(header(env), "Authorization: Bearer tok");
    const basic = gitEnvironment({
      url: "https://git.example/r.git",
      credentials: { username: "me", password: "pw", bearerToken: "tok" },
    });
    assert.equal(header(basic), `Authorization: Basic ${Buffer.from("me:pw").toString("base64")}`);
  });

  test("an ssh:// URL without a user logs in as git, as Flux does; a user in the URL stands", () => {
    const credentials = { sshKeyFile: "/k", knownHostsFile: "/h" };
    const without = gitEnvironment({ url: "ssh://git.example/org/r.git", credentials });
    assert.match(without.GIT_SSH_COMMAND ?? "", /-o User=git/);
    const named = gitEnvironment({ url: "ssh://deploy@git.example:2222/org/r.git", credentials });
    assert.doesNotMatch(named.GIT_SSH_COMMAND ?? "", /User=/);
    const scp = gitEnvironment({ url: "deploy@git.example:org/r.git", credentials });
    assert.doesNotMatch(scp.GIT_SSH_COMMAND ?? "", /User=/);
  });

  test("sources fetched with different Secrets keep apart cache folders", () => {
    const spec = { url: "https://git.example/r.git", commit: "a".repeat(40) };
    const none = checkoutDir("/c", spec);
    const a = checkoutDir("/c", { ...spec, credentialsOwner: "team-a/git" });
    const b = checkoutDir("/c", { ...spec, credentialsOwner: "team-b/git" });
    assert.equal(new Set([none, a, b]).size, 3);
    // A source without a Secret keeps the folder it had before owners were keyed.
    assert.equal(none, checkoutDir("/c", { ...spec, credentialsOwner: undefined }));
  });
});
