// The SSH signer of ImageUpdateAutomation `signingKey.type: ssh` (agent/automation/
// signing.ts), with keys made by ssh-keygen and signatures checked by `ssh-keygen -Y
// verify`, as git checks them. The key formats Flux reads are served: OpenSSH, PEM RSA
// without a password, keys with CRLF line endings; an encrypted key without a password
// is refused by name, without waiting on a terminal. Committing with it, end to end, is
// in automations.test.ts.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { sshSigner } from "../../../agent/automation/signing.ts";
import { mustRun, run } from "../../helpers/run.ts";

const dir = mkdtempSync(join(tmpdir(), "tether-ssh-signer-"));
after(() => rmSync(dir, { recursive: true, force: true }));

async function key(name: string, args: string[]): Promise<string> {
  await mustRun("ssh-keygen", ["-q", ...args, "-C", name, "-f", join(dir, name)]);
  return readFileSync(join(dir, name), "utf8");
}

/** Whether `signature` of `payload` verifies against the public key of `name`. */
async function verifies(name: string, payload: string, signature: string): Promise<boolean> {
  const allowed = join(dir, `${name}.allowed`);
  writeFileSync(allowed, `bot namespaces="git" ${readFileSync(join(dir, `${name}.pub`), "utf8")}`);
  writeFileSync(join(dir, `${name}.sig`), signature);
  const result = await run(
    "ssh-keygen",
    ["-Y", "verify", "-f", allowed, "-I", "bot", "-n", "git", "-s", join(dir, `${name}.sig`)],
    { input: payload },
  );
  return result.code === 0;
}

const payload = "tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n\nimages: update\n";

test("PEM RSA without a password, and OpenSSH keys with CRLF line endings, sign", async () => {
  const pem = await key("pem", ["-m", "PEM", "-t", "rsa", "-b", "2048", "-N", ""]);
  assert.ok(
    await verifies("pem", payload, await (await sshSigner(pem, undefined, "ns/s"))(payload)),
  );
  const crlf = (await key("crlf", ["-t", "ed25519", "-N", ""])).replaceAll("\n", "\r\n");
  assert.ok(
    await verifies("crlf", payload, await (await sshSigner(crlf, undefined, "ns/s"))(payload)),
  );
});

test("an encrypted key: signs with its password, is refused by name without one", async () => {
  const locked = await key("locked", ["-t", "ed25519", "-N", "s3cret"]);
  assert.ok(
    await verifies("locked", payload, await (await sshSigner(locked, "s3cret", "ns/s"))(payload)),
  );
  await assert.rejects(sshSigner(locked, undefined, "ns/s"), {
    message: "the identity is protected by a passphrase and the Secret has no password",
  });
});
