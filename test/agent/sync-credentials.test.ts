// `tether sync --once` with Git credentials from where an installed agent gets them:
// TETHER_GIT_USERNAME + TETHER_GIT_TOKEN in the environment, and a mounted Secret
// (--git-secret-dir with username and token files). The token is printed nowhere and
// stored nowhere in the cluster (records, Events), even when it is wrong. And an object
// deleted by hand is created again by the next sync.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { TestRepo } from "../helpers/git-repo.ts";
import { exists, kubectl, kubectlRun } from "../helpers/kubectl.ts";
import { testenv } from "../helpers/testenv.ts";
import { tether } from "../helpers/tether.ts";

const id = randomBytes(3).toString("hex");
const ns = `cred-${id}`;
const recordsNs = `tether-cred-${id}`;
const work = mkdtempSync(join(tmpdir(), "tether-sync-credentials-"));
let repo: TestRepo;

function sync(extra: string[], env: NodeJS.ProcessEnv = {}, exit = 0) {
  return tether(
    [
      "sync",
      "--once",
      "--git-url",
      repo.plainUrl,
      "--git-path",
      "apps",
      "--namespace",
      recordsNs,
      "--cache-dir",
      join(work, "cache"),
      ...extra,
    ],
    { env, exit },
  );
}

before(async () => {
  repo = await TestRepo.create("credentials");
  repo.write(
    "apps/app.yaml",
    `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${ns}}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: ${ns}}\ndata: {mode: edge}\n`,
  );
  await repo.push("first");
});

after(async () => {
  repo.cleanup();
  rmSync(work, { recursive: true, force: true });
  await kubectlRun(["delete", "namespace", ns, recordsNs, "--wait=false", "--ignore-not-found"]);
});

describe("sync credentials", () => {
  test("TETHER_GIT_USERNAME and TETHER_GIT_TOKEN from the environment", async () => {
    const r = await sync([], {
      TETHER_GIT_USERNAME: testenv().gitUser,
      TETHER_GIT_TOKEN: testenv().gitPassword,
    });
    assert.ok(r.stdout.includes(`ConfigMap/${ns}/settings created`), r.stdout);
    assert.ok(!(r.stdout + r.stderr).includes(testenv().gitPassword));
  });

  test("--git-secret-dir with username and token files; an object deleted by hand comes back", async () => {
    const secret = join(work, "secret");
    mkdirSync(secret);
    writeFileSync(join(secret, "username"), `${testenv().gitUser}\n`);
    writeFileSync(join(secret, "token"), `${testenv().gitPassword}\n`);
    await kubectl(["delete", "configmap", "settings", "-n", ns]);
    const r = await sync(["--git-secret-dir", secret]);
    assert.ok(r.stdout.includes(`ConfigMap/${ns}/settings created`), r.stdout);
    assert.equal(await exists("configmap", "settings", "-n", ns), true);
  });

  test("without credentials, or with a wrong token: exit 1, the token nowhere", async () => {
    const none = await sync([], {}, 1);
    assert.match(none.stderr, /error: /);
    const wrongToken = `${testenv().gitPassword}-wrong`;
    const wrong = await sync(
      [],
      { TETHER_GIT_USERNAME: testenv().gitUser, TETHER_GIT_TOKEN: wrongToken },
      1,
    );
    assert.ok(wrong.stderr.includes(repo.plainUrl), wrong.stderr);
    assert.ok(!(wrong.stdout + wrong.stderr).includes(testenv().gitPassword), wrong.stderr);
    const stored = await kubectl(["get", "configmaps,events", "-n", recordsNs, "-o", "yaml"]);
    assert.match(stored, /FetchFailed/, "the failure is recorded");
    assert.ok(!stored.includes(testenv().gitPassword), "the token is stored in the cluster");
  });
});
