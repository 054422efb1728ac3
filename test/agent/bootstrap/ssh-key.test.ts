// The deploy key's OpenSSH formats, checked by ssh-keygen (the reader that git's ssh
// uses); the bootstrap test uses such a key against a real sshd.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { generateSshKey, opensshPrivateKey } from "../../../agent/bootstrap/ssh-key.ts";
import { mustRun } from "../../helpers/run.ts";

test("ssh-keygen reads the private key and derives the same public key", async () => {
  const dir = mkdtempSync(join(tmpdir(), "tether-ssh-key-"));
  try {
    for (const comment of ["tether-edge", "", "a comment of odd length!"]) {
      const key = generateSshKey(comment);
      writeFileSync(join(dir, "key"), key.privateKey, { mode: 0o600 });
      const derived = (await mustRun("ssh-keygen", ["-y", "-f", join(dir, "key")])).trim();
      assert.equal(derived, key.publicKey);
      assert.match(key.publicKey, /^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI[A-Za-z0-9+/]{43}/);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the private section is padded to a multiple of 8 and its check words match", () => {
  const pem = opensshPrivateKey(Buffer.alloc(32, 1), Buffer.alloc(32, 2), "c", 0x01020304);
  const body = Buffer.from(pem.split("\n").slice(1, -2).join(""), "base64");
  assert.equal(body.subarray(0, 15).toString("latin1"), "openssh-key-v1\0");
  // magic, "none", "none", "", count, public blob (4 + 51): then the private section.
  let at = 15 + 8 + 8 + 4 + 4 + 4 + 51;
  const length = body.readUInt32BE(at);
  at += 4;
  assert.equal(length % 8, 0);
  assert.equal(body.readUInt32BE(at), 0x01020304);
  assert.equal(body.readUInt32BE(at + 4), 0x01020304);
});
