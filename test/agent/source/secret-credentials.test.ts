// Credentials from a Flux source Secret: what each URL kind takes from it, the files
// written for SSH (private, complete, removed after), and the refusals that name the
// Secret to fix. No server needed: the SSH fetch itself is tested end to end in
// test/agent/flux/artifact-generator.test.ts.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { credentialsFromSecret } from "../../../agent/source/secret-credentials.ts";

const key =
  "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----";

describe("credentialsFromSecret", () => {
  test("HTTPS: username and password, or a bearer token; a CA and a client certificate as files", async () => {
    const basic = await credentialsFromSecret(
      "https://git.example/repo.git",
      { username: "me", password: "pw" },
      "ns/auth",
    );
    assert.deepEqual(basic.credentials, { username: "me", password: "pw", bearerToken: undefined });
    const token = await credentialsFromSecret(
      "https://git.example/repo.git",
      { bearerToken: "tok" },
      "ns/auth",
    );
    assert.deepEqual(token.credentials, {
      username: undefined,
      password: undefined,
      bearerToken: "tok",
    });
    const none = await credentialsFromSecret("https://git.example/repo.git", undefined, undefined);
    assert.equal(none.credentials, undefined);
    // A CA only: no login, the CA as a private file for git, removed by dispose.
    const caOnly = await credentialsFromSecret(
      "https://git.example/repo.git",
      { "ca.crt": "-----BEGIN CERTIFICATE-----" },
      "ns/ca",
    );
    const caFile = caOnly.credentials?.caFile as string;
    assert.deepEqual(Object.keys(caOnly.credentials ?? {}), ["caFile"]);
    // Added to the CAs trusted already (the system's bundle here), as Flux adds it.
    const bundle = readFileSync(caFile, "utf8");
    assert.ok(bundle.endsWith("\n-----BEGIN CERTIFICATE-----\n"));
    assert.ok(bundle.split("BEGIN CERTIFICATE").length > 10, "the system's CAs come first");
    assert.equal(statSync(caFile).mode & 0o777, 0o600);
    await caOnly.dispose();
    assert.equal(existsSync(caFile), false);
    // Over plain http there is no TLS to give them to.
    const plain = await credentialsFromSecret(
      "http://git.example/repo.git",
      { "ca.crt": "x", "tls.crt": "c", "tls.key": "k" },
      "ns/ca",
    );
    assert.equal(plain.credentials, undefined);
    await assert.rejects(
      credentialsFromSecret("https://git.example/repo.git", { "tls.crt": "c" }, "ns/tls"),
      /Secret 'ns\/tls' has tls\.crt without tls\.key/,
    );
  });

  test("a Secret that is named but missing is an error, whatever the URL", async () => {
    for (const url of ["https://git.example/repo.git", "ssh://git@git.example/repo.git"]) {
      await assert.rejects(
        credentialsFromSecret(url, undefined, "ns/gone"),
        /secret 'ns\/gone' not found/,
      );
    }
  });

  test("SSH: identity and known_hosts are written to private files and removed by dispose", async () => {
    const ssh = await credentialsFromSecret(
      "git@git.example:org/repo.git",
      {
        identity: key,
        "identity.pub": "ssh-ed25519 AAAA",
        known_hosts: "git.example ssh-ed25519 AAAA",
      },
      "ns/ssh",
    );
    const { sshKeyFile, knownHostsFile } = ssh.credentials ?? {};
    assert.ok(sshKeyFile && knownHostsFile);
    // OpenSSH refuses a key without its last newline, and a key others can read.
    assert.equal(readFileSync(sshKeyFile, "utf8"), `${key}\n`);
    assert.equal(statSync(sshKeyFile).mode & 0o777, 0o600);
    assert.equal(readFileSync(knownHostsFile, "utf8"), "git.example ssh-ed25519 AAAA\n");
    await ssh.dispose();
    assert.equal(existsSync(sshKeyFile), false);
    assert.equal(existsSync(knownHostsFile), false);
    await ssh.dispose();
  });

  test("SSH refusals name the Secret: no secretRef, no identity or known_hosts", async () => {
    const url = "ssh://git@git.example/repo.git";
    await assert.rejects(credentialsFromSecret(url, undefined, undefined), /needs spec\.secretRef/);
    await assert.rejects(
      credentialsFromSecret(url, { identity: key }, "ns/ssh"),
      /needs known_hosts in Secret 'ns\/ssh'/,
    );
    // Without identity ssh would offer the agent's own keys: refused, as Flux refuses it.
    await assert.rejects(
      credentialsFromSecret(url, { known_hosts: "h k" }, "ns/ssh"),
      /needs identity in Secret 'ns\/ssh'/,
    );
    await assert.rejects(
      credentialsFromSecret(url, {}, "ns/ssh"),
      /needs identity and known_hosts/,
    );
  });

  test("a key with a passphrase (password) is decrypted by ssh-keygen for the fetch; a wrong one is a clear error", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tether-passphrase-test-"));
    try {
      const passphrase = "correct horse 'battery' $staple";
      execFileSync("ssh-keygen", [
        "-q",
        "-t",
        "ed25519",
        "-N",
        passphrase,
        "-C",
        "t",
        "-f",
        join(dir, "k"),
      ]);
      const encrypted = readFileSync(join(dir, "k"), "utf8");
      const data = { identity: encrypted, password: passphrase, known_hosts: "h ssh-ed25519 AAAA" };
      const ssh = await credentialsFromSecret("ssh://git@h/r.git", data, "ns/ssh");
      const file = ssh.credentials?.sshKeyFile as string;
      assert.notEqual(readFileSync(file, "utf8"), encrypted);
      assert.equal(statSync(file).mode & 0o777, 0o600);
      // Readable without a passphrase now, and the same public key.
      const publicKey = execFileSync("ssh-keygen", ["-y", "-P", "", "-f", file], {
        encoding: "utf8",
      });
      assert.equal(publicKey.split(" ")[1], readFileSync(join(dir, "k.pub"), "utf8").split(" ")[1]);
      await ssh.dispose();
      // Again: from memory, the same decrypted key.
      const again = await credentialsFromSecret("ssh://git@h/r.git", data, "ns/ssh");
      assert.equal(
        execFileSync(
          "ssh-keygen",
          ["-y", "-P", "", "-f", again.credentials?.sshKeyFile as string],
          { encoding: "utf8" },
        ),
        publicKey,
      );
      await again.dispose();
      await assert.rejects(
        credentialsFromSecret("ssh://git@h/r.git", { ...data, password: "wrong" }, "ns/ssh"),
        (error: Error) =>
          /the identity in Secret 'ns\/ssh' could not be decrypted with its password: incorrect passphrase/.test(
            error.message,
          ) && !error.message.includes("wrong"),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
