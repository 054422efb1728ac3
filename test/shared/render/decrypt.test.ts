// SOPS decryption with files encrypted by the real `sops` binary (built from its Go
// module by test/env/binaries.sh): age keys and OpenPGP keys (made by gpg), the MAC
// checked on the file, the file named in every failure, and no value in any message.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { generateX25519Identity, identityToRecipient } from "age-encryption";
import { parse, stringify } from "yaml";
import { decryptManifests } from "../../../shared/render/decrypt.ts";
import { renderPath } from "../../../shared/render/render.ts";
import { decryptTree, goFloat, parseEncryptedFile } from "../../../shared/sops/format.ts";
import { keysFromEntries, type SopsKeys } from "../../../shared/sops/keys.ts";
import { mustRun } from "../../helpers/run.ts";
import { testenv } from "../../helpers/testenv.ts";

let top: string;
let repo: string;
let env: NodeJS.ProcessEnv;
let ageKeys: SopsKeys;
let otherAgeKeys: SopsKeys;
let recipient: string;
let pgpKeys: SopsKeys;
let pgpFpr: string;

const SECRET_VALUE = "hunter2-never-printed";
const secret = (name: string, extra = "") => `apiVersion: v1
kind: Secret
metadata:
  name: ${name}
${extra}type: Opaque
stringData:
  password: ${SECRET_VALUE}
  port: "5432"
data:
  token: ${Buffer.from(SECRET_VALUE).toString("base64")}
`;

/** Encrypts `text` with the real sops; `args` choose the recipients and rules. */
async function sops(text: string, args: string[], type = "yaml"): Promise<string> {
  const file = join(top, `plain.${type}`);
  writeFileSync(file, text);
  return mustRun("sops", ["encrypt", "--input-type", type, "--output-type", type, ...args, file], {
    env,
    cwd: top,
  });
}
const ageArgs = () => ["--age", recipient, "--encrypted-regex", "^(data|stringData)$"];

function write(path: string, text: string): void {
  mkdirSync(join(repo, path, ".."), { recursive: true });
  writeFileSync(join(repo, path), text);
}

/** Renders `path` and decrypts it, as the agent's render step does. */
async function renderDecrypted(path: string, keys: SopsKeys | undefined) {
  const rendered = await renderPath(repo, path);
  assert.deepEqual(rendered.errors, []);
  return decryptManifests(rendered.manifests, repo, keys);
}

before(async () => {
  top = mkdtempSync(join(tmpdir(), "tether-sops-"));
  repo = join(top, "repo");
  mkdirSync(repo);
  env = {
    PATH: testenv().path,
    HOME: top,
    GNUPGHOME: join(top, "gnupg"),
    SOPS_DISABLE_VERSION_CHECK: "1",
  };
  const identity = await generateX25519Identity();
  recipient = await identityToRecipient(identity);
  ageKeys = keysFromEntries([["age.agekey", `# created: test\n${identity}\n`]]);
  otherAgeKeys = keysFromEntries([["other.agekey", await generateX25519Identity()]]);
  await mustRun("mkdir", ["-m", "700", join(top, "gnupg")]);
  await mustRun(
    "gpg",
    [
      "--batch",
      "--passphrase",
      "",
      "--quick-gen-key",
      "sops <sops@example.com>",
      "default",
      "default",
      "never",
    ],
    { env },
  );
  const listing = await mustRun(
    "gpg",
    ["--batch", "--with-colons", "--list-keys", "sops@example.com"],
    { env },
  );
  pgpFpr = /^fpr:+([0-9A-F]+):/m.exec(listing)?.[1] as string;
  const armored = await mustRun(
    "gpg",
    [
      "--batch",
      "--pinentry-mode",
      "loopback",
      "--passphrase",
      "",
      "--armor",
      "--export-secret-keys",
      pgpFpr,
    ],
    { env },
  );
  pgpKeys = keysFromEntries([["sops.asc", armored]]);
});
after(() => rmSync(top, { recursive: true, force: true }));

describe("SOPS decryption (files encrypted by the sops binary)", () => {
  test("age: a Secret's data and stringData are decrypted in memory; the file is untouched", async () => {
    const encrypted = await sops(secret("db"), ageArgs());
    assert.ok(!encrypted.includes(SECRET_VALUE));
    write("age/secret.yaml", encrypted);
    const out = await renderDecrypted("age", ageKeys);
    assert.deepEqual(out.errors, []);
    const object = out.manifests[0]?.object as Record<string, Record<string, string>>;
    assert.equal(object.stringData?.password, SECRET_VALUE);
    assert.equal(object.stringData?.port, "5432");
    assert.equal(Buffer.from(object.data?.token ?? "", "base64").toString(), SECRET_VALUE);
    assert.equal("sops" in object, false);
    assert.equal(object.metadata?.name, "db");
    assert.deepEqual([...out.decrypted], ["/Secret//db"]);
    assert.equal(readFileSync(join(repo, "age/secret.yaml"), "utf8"), encrypted);
  });

  test("OpenPGP: a key made by gpg opens a file sops encrypted for it", async () => {
    write("pgp/secret.yaml", await sops(secret("pgp"), ["--pgp", pgpFpr]));
    const out = await renderDecrypted("pgp", pgpKeys);
    assert.deepEqual(out.errors, []);
    const object = out.manifests[0]?.object as Record<string, Record<string, string>>;
    assert.equal(object.stringData?.password, SECRET_VALUE);
  });

  test("JSON files, every value encrypted: types (int, float, bool, lists) and the MAC", async () => {
    const doc = {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "typed", labels: { tier: "edge" } },
      data: { a: "1" },
      extra: {
        count: 3,
        ratio: 0.25,
        big: 1e21,
        tiny: 1e-7,
        on: true,
        off: false,
        list: ["x", 2, "y"],
        empty: "",
        nothing: null,
      },
      note_unencrypted: "plain",
    };
    const encrypted = await sops(JSON.stringify(doc), ["--age", recipient], "json");
    const { docs, meta } = parseEncryptedFile(encrypted);
    // The whole file verifies (every value hashed into the MAC in order).
    const key = await (await import("../../../shared/sops/keys.ts")).unwrapDataKey(meta, ageKeys);
    decryptTree(docs, meta, key);
    write("json/typed.json", encrypted);
    const out = await renderDecrypted("json", ageKeys);
    assert.deepEqual(out.errors, []);
    const object = out.manifests[0]?.object as Record<string, unknown>;
    assert.equal(object.kind, "ConfigMap");
    assert.deepEqual(object.extra, doc.extra);
    assert.equal(object.note_unencrypted, "plain");
  });

  test("a multi-document file shares one MAC; each object decrypts", async () => {
    write("multi/secrets.yaml", await sops(`${secret("one")}---\n${secret("two")}`, ageArgs()));
    const out = await renderDecrypted("multi", ageKeys);
    assert.deepEqual(out.errors, []);
    assert.deepEqual(
      out.manifests.map((m) => (m.object.stringData as Record<string, string>).password),
      [SECRET_VALUE, SECRET_VALUE],
    );
  });

  test("kustomize changed the object (namespace, labels): the MAC is checked on its file", async () => {
    write("kust/secret.enc.yaml", await sops(secret("kust"), ageArgs()));
    write(
      "kust/kustomization.yaml",
      "resources: [secret.enc.yaml]\nnamespace: apps\nlabels:\n- pairs: {team: edge}\n",
    );
    const out = await renderDecrypted("kust", ageKeys);
    assert.deepEqual(out.errors, []);
    const object = out.manifests[0]?.object as Record<string, Record<string, unknown>>;
    assert.equal((object.stringData as Record<string, string>).password, SECRET_VALUE);
    assert.equal(object.metadata?.namespace, "apps");
  });

  test("a value changed in the file: MAC mismatch, the file named, no value printed", async () => {
    const encrypted = await sops(secret("tampered"), ageArgs());
    // Drop one encrypted entry: every remaining value still decrypts, only the MAC sees it.
    const doc = parse(encrypted);
    delete doc.stringData.port;
    write("tampered/secret.yaml", stringify(doc));
    const out = await renderDecrypted("tampered", ageKeys);
    assert.equal(out.manifests.length, 0);
    assert.equal(out.errors.length, 1);
    assert.match(out.errors[0]?.message ?? "", /^tampered\/secret\.yaml:1: MAC mismatch/);
    assert.ok(!out.errors[0]?.message.includes(SECRET_VALUE));
  });

  test("a ciphertext moved to another key fails its authentication", async () => {
    const doc = parse(await sops(secret("moved"), ageArgs()));
    doc.stringData.port = doc.stringData.password;
    write("moved/secret.yaml", stringify(doc));
    const out = await renderDecrypted("moved", ageKeys);
    assert.match(out.errors[0]?.message ?? "", /^moved\/secret\.yaml:1: a value does not decrypt/);
  });

  test("through kustomize, a tampered file is named, not the kustomization", async () => {
    const doc = parse(await sops(secret("kt"), ageArgs()));
    delete doc.stringData.port;
    write("kt/secret.enc.yaml", stringify(doc));
    write("kt/kustomization.yaml", "resources: [secret.enc.yaml]\n");
    const out = await renderDecrypted("kt", ageKeys);
    assert.match(out.errors[0]?.message ?? "", /kt\/secret\.enc\.yaml: MAC mismatch/);
  });

  test("secretGenerator: dotenv envs, INI, binary and dotenv files decrypted in memory, as Flux does", async () => {
    const envText = `# database\nDB_PASSWORD=${SECRET_VALUE}\nPORT=5432\nEMPTY=\n`;
    const iniText = `[db]\npassword = ${SECRET_VALUE}\nport = 5432\n`;
    const age = ["--age", recipient];
    const envFile = await sops(envText, age, "dotenv");
    const iniFile = await sops(iniText, age, "ini");
    for (const text of [envFile, iniFile]) assert.ok(!text.includes(SECRET_VALUE));
    write("gen/app.env", envFile);
    write("gen/app.ini", iniFile);
    write("gen/blob.bin", await sops("raw\u0001bytes\n", age, "binary"));
    write(
      "gen/kustomization.yaml",
      `secretGenerator:
  - name: app
    envs: [app.env]
    files: [config.ini=app.ini, blob.bin, whole.env=app.env]
generatorOptions: {disableNameSuffixHash: true}
`,
    );
    const out = await renderDecrypted("gen", ageKeys);
    assert.deepEqual(out.errors, []);
    const data = (out.manifests[0]?.object.data ?? {}) as Record<string, string>;
    const clear = Object.fromEntries(
      Object.entries(data).map(([k, v]) => [k, Buffer.from(v, "base64").toString("utf8")]),
    );
    assert.deepEqual(clear, {
      // envs: the file's keys, without sops' own.
      DB_PASSWORD: SECRET_VALUE,
      PORT: "5432",
      EMPTY: "",
      // files: each file in clear, in the format its key names.
      "config.ini": `[db]\npassword = ${SECRET_VALUE}\nport = 5432\n`,
      "blob.bin": "raw\u0001bytes\n",
      "whole.env": `DB_PASSWORD=${SECRET_VALUE}\nPORT=5432\nEMPTY=\n`,
    });
    assert.deepEqual([...out.decrypted], ["/Secret//app"]);
    assert.equal(readFileSync(join(repo, "gen/app.env"), "utf8"), envFile);

    // No decryption configured: refused, not applied with ciphertext.
    const refused = await renderDecrypted("gen", undefined);
    assert.match(refused.errors.map((e) => e.message).join("\n"), /configure decryption/);
    // A value removed from the env file: its MAC no longer holds, the file is named.
    write("gen/app.env", envFile.replace(/^PORT=.*\n/m, ""));
    const tampered = await renderDecrypted("gen", ageKeys);
    const messages = tampered.errors.map((e) => e.message).join("\n");
    assert.match(messages, /gen\/app\.env.*: MAC mismatch/);
    assert.doesNotMatch(messages, new RegExp(SECRET_VALUE));
    assert.equal(tampered.manifests.length, 0);
  });

  test("no key that opens the file: the file and its recipients are named", async () => {
    write("wrongkey/secret.yaml", await sops(secret("wk"), ageArgs()));
    const out = await renderDecrypted("wrongkey", otherAgeKeys);
    assert.equal(out.manifests.length, 0);
    assert.match(
      out.errors[0]?.message ?? "",
      new RegExp(
        `^wrongkey/secret\\.yaml:1: no decryption key opens the data key \\(recipients: age ${recipient}`,
      ),
    );
  });

  test("an encrypted object without decryption configured is refused, not applied", async () => {
    write("nokeys/secret.yaml", await sops(secret("nk"), ageArgs()));
    write("nokeys/plain.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: plain}\n");
    const out = await renderDecrypted("nokeys", undefined);
    assert.equal(out.manifests.length, 0);
    assert.match(
      out.errors[0]?.message ?? "",
      /^nokeys\/secret\.yaml:1: is encrypted with SOPS; configure decryption/,
    );
  });

  test("Go's float formatting (the MAC hashes floats as Go prints them)", () => {
    assert.deepEqual([1e21, 1e-7, 0.25, 3, -1.5e-10, Number.POSITIVE_INFINITY].map(goFloat), [
      "1000000000000000000000",
      "0.0000001",
      "0.25",
      "3",
      "-0.00000000015",
      "+Inf",
    ]);
  });
});
