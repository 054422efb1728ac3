// SOPS decryption end to end (one sync pass in-process against the local environment):
// the agent's own units with `decryption` in its configuration, and a Flux
// Kustomization with `spec.decryption`, both with files encrypted by the real `sops`
// binary for an age key held in a Secret. The clear value reaches the cluster only:
// never the record, the status, an Event or the last good state on disk; a file that
// does not decrypt fails the pass, names the file, and nothing is pruned.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { generateX25519Identity, identityToRecipient } from "age-encryption";
import { parse, stringify } from "yaml";
import type { AgentConfig } from "../../agent/config.ts";
import { syncOnce } from "../../agent/sync.ts";
import { KubeClient } from "../../shared/kube/client.ts";
import { TestRepo } from "../helpers/git-repo.ts";
import { kubectl } from "../helpers/kubectl.ts";
import { mustRun } from "../helpers/run.ts";
import { testenv } from "../helpers/testenv.ts";

const id = randomBytes(3).toString("hex");
const ns = `sops-${id}`;
const fs = `sops-fs-${id}`;
const records = `tether-sops-${id}`;
const VALUE = `s3cr3t-${id}-never-printed`;
const dir = mkdtempSync(join(tmpdir(), "tether-sops-e2e-"));
let repo: TestRepo;
let client: KubeClient;
let recipient: string;
let identity: string;

async function sops(text: string): Promise<string> {
  const file = join(dir, "plain.yaml");
  writeFileSync(file, text);
  return mustRun(
    "sops",
    ["encrypt", "--age", recipient, "--encrypted-regex", "^(data|stringData)$", file],
    { env: { PATH: testenv().path, HOME: dir, SOPS_DISABLE_VERSION_CHECK: "1" }, cwd: dir },
  );
}

const ks = (name: string, path: string, extra = "") => `---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: ${name}, namespace: ${fs}}
spec:
  interval: 1h
  sourceRef: {kind: GitRepository, name: flux-system}
  path: ${path}
  targetNamespace: ${ns}
  prune: true
${extra}`;

const config = (): AgentConfig => ({
  namespace: records,
  git: { url: repo.url, branch: "main", syncTag: "tether-sync", readonly: true },
  decryption: { provider: "sops", secretRef: { name: "sops-keys" } },
  units: [
    {
      name: "apps",
      path: "apps",
      prune: true,
      wait: false,
      timeoutMs: 60_000,
      intervalMs: 60_000,
      dependsOn: [],
      allowEmpty: false,
      pruneCrdsAndNamespaces: false,
      deleteBudget: 1,
    },
  ],
});

before(async () => {
  identity = await generateX25519Identity();
  recipient = await identityToRecipient(identity);
  client = await KubeClient.connect({ kubeconfig: testenv().kubeconfig });
  for (const n of [ns, fs, records]) await kubectl(["create", "namespace", n]);
  for (const n of [fs, records]) {
    await kubectl([
      "create",
      "secret",
      "generic",
      "sops-keys",
      "-n",
      n,
      `--from-literal=identity.agekey=${identity}`,
    ]);
  }
  repo = await TestRepo.create("sops");
  repo
    .write(
      "apps/settings.yaml",
      `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: ${ns}}\ndata: {mode: edge}\n`,
    )
    .write(
      "apps/db.enc.yaml",
      await sops(
        `apiVersion: v1\nkind: Secret\nmetadata: {name: db, namespace: ${ns}}\nstringData:\n  password: ${VALUE}\n`,
      ),
    )
    // Not a Secret: kept out of the last good state because it was decrypted.
    .write(
      "apps/cm.enc.yaml",
      await sops(
        `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app-config, namespace: ${ns}}\ndata:\n  key: ${VALUE}\n`,
      ),
    )
    .write(
      "apps/flux.yaml",
      `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: flux-system, namespace: ${fs}}
spec: {interval: 1h, ref: {branch: main}, url: ${repo.plainUrl}}
${ks("decrypted", "./tenant", "  decryption: {provider: sops, secretRef: {name: sops-keys}}\n")}${ks("undecrypted", "./tenant2")}`,
    )
    .write(
      "tenant/config.enc.yaml",
      await sops(
        `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: tenant-config}\ndata:\n  key: ${VALUE}\n`,
      ),
    )
    .write(
      "tenant2/secret.enc.yaml",
      await sops(
        `apiVersion: v1\nkind: Secret\nmetadata: {name: tenant2}\nstringData:\n  key: ${VALUE}\n`,
      ),
    );
  await repo.push("encrypted");
});

after(async () => {
  client?.close();
  for (const n of [ns, fs, records])
    await kubectl(["delete", "namespace", n, "--wait=false"]).catch(() => "");
  repo?.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

describe("SOPS decryption in a sync pass", () => {
  test("decrypted in memory, applied; never in the record, status, Events or disk", async () => {
    const lastGoodDir = join(dir, "last-good");
    const pass = await syncOnce(config(), { client, cacheDir: join(dir, "cache"), lastGoodDir });
    assert.equal(pass.reports[0]?.ok, true, pass.reports[0]?.errors.join("; "));
    const password = await kubectl([
      "get",
      "secret",
      "db",
      "-n",
      ns,
      "-o",
      "jsonpath={.data.password}",
    ]);
    assert.equal(Buffer.from(password, "base64").toString(), VALUE);
    assert.equal(
      await kubectl(["get", "configmap", "app-config", "-n", ns, "-o", "jsonpath={.data.key}"]),
      VALUE,
    );

    // Flux Kustomization with spec.decryption: the ConfigMap holds the clear value.
    const flux = new Map(pass.flux?.reports.map((r) => [r.key, r]));
    assert.equal(flux.get(`${fs}/decrypted`)?.ready, true, flux.get(`${fs}/decrypted`)?.message);
    assert.equal(
      await kubectl(["get", "configmap", "tenant-config", "-n", ns, "-o", "jsonpath={.data.key}"]),
      VALUE,
    );
    // Without spec.decryption the encrypted Secret is refused, the file named.
    const refused = flux.get(`${fs}/undecrypted`);
    assert.equal(refused?.ready, false);
    assert.equal(refused?.reason, "BuildFailed");
    assert.match(
      refused?.message ?? "",
      /tenant2\/secret\.enc\.yaml:1: is encrypted with SOPS; configure decryption/,
    );

    // Nothing written anywhere holds the value.
    const written = [
      await kubectl(["get", "configmaps,events", "-n", records, "-o", "yaml"]),
      await kubectl([
        "get",
        "kustomizations.kustomize.toolkit.fluxcd.io,events",
        "-n",
        fs,
        "-o",
        "yaml",
      ]),
      ...readdirSync(lastGoodDir).map((f) => readFileSync(join(lastGoodDir, f), "utf8")),
    ].join("\n");
    assert.ok(written.includes("settings"), "the last good state and records were written");
    assert.ok(!written.includes(VALUE));
    assert.ok(!written.includes(Buffer.from(VALUE).toString("base64")));
  });

  test("a file altered after encryption fails the pass naming it; nothing is pruned", async () => {
    const doc = parse(readFileSync(join(repo.work, "apps/db.enc.yaml"), "utf8"));
    doc.stringData.extra = doc.stringData.password;
    repo.write("apps/db.enc.yaml", stringify(doc)).remove("apps/settings.yaml");
    await repo.push("tampered");
    const pass = await syncOnce(config(), { client, cacheDir: join(dir, "cache") });
    const report = pass.reports[0];
    assert.equal(report?.ok, false);
    assert.match(
      report?.errors.join("; ") ?? "",
      /apps\/db\.enc\.yaml:1: a value does not decrypt/,
    );
    assert.ok(!report?.errors.join("; ").includes(VALUE));
    // Neither the removed ConfigMap nor the Secret was touched.
    await kubectl(["get", "configmap", "settings", "-n", ns]);
    await kubectl(["get", "secret", "db", "-n", ns]);
  });

  test("a decryption Secret that does not exist fails every unit before apply", async () => {
    const pass = await syncOnce(
      { ...config(), decryption: { provider: "sops", secretRef: { name: "missing" } } },
      { client, cacheDir: join(dir, "cache") },
    );
    assert.equal(pass.reports[0]?.ok, false);
    assert.match(
      pass.reports[0]?.errors.join() ?? "",
      new RegExp(`decryption Secret '${records}/missing' not found`),
    );
  });
});
